//! Cross-references: the places where a clause points to another clause (`jf. pkt. 9.1`), to an
//! appendix (`bilag 4`) or to a law (`databeskyttelsesforordningens artikel 28, stk. 3, litra
//! a`), resolved against the document's own clause numbers.
//!
//! What is read, in each clause's reading heading and text:
//! * `clause`: a keyword (`pkt.`, `pkt`, `pkt .`, `punkt`, `punkterne`, `afsnit`, `klausul`,
//!   `clause`, `section`, `§`) and a number or a list of them (`pkt. 8.1 og pkt. 8.2`,
//!   `punkt 4.1 og 4.2` → one reference each) or a range (`pkt. 10.1 – 10.5` → `target` 10.1,
//!   `to` 10.5). `exists` says whether the document has that clause (both ends of a range);
//!   `None` when it has no numbered clauses at all. A reference qualified by another agreement
//!   (`Samarbejdsaftalens ansvarsbegrænsning (punkt 7)`, `punkt 3 i Hovedaftalen`) is not to
//!   this document: it is kept with `exists: None` and the agreement named in `detail`.
//!   A `§` preceded by a law's name (`Databeskyttelseslovens § 11`) or followed by one
//!   (`§ 11 i databeskyttelsesloven`) is a law reference, otherwise a clause.
//! * `appendix`: `bilag 4`, `Bilag A`, `bilag 1 og 2`, `Annex II`. `exists` is whether a clause
//!   heading, an appendix heading line inside a text, or a lettered clause number (`A.1` for
//!   `Bilag A`) names that appendix; `None` when the document names no appendix at all (its
//!   appendices may be separate files). Appendix heading lines themselves are not references.
//! * `law`: articles (`artikel 28, stk. 3, litra a`, `art. 6`, `artikel 32 – 36`, `Article
//!   28(3)`) with the law named before or after them; Danish law uses `§` and EU law `artikel`,
//!   so an article with no law named is taken as GDPR. Whole acts: `forordning (EU) 2016/679`
//!   (law `GDPR`, target `2016/679`: a whole act has its own number as target), `direktiv
//!   95/46/EF`, `lov nr. 502 af 23. maj 2018` (law `databeskyttelsesloven` when the name stands
//!   beside it or the number and year are those of that act; target `502`, detail the date).
//!   `exists` is `None` for laws.
//!
//! Dates, amounts and act numbers are never read as clause numbers: a number is only read after
//! one of the keywords.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::record::{Clause, Reference, ReferenceKind};

/// A clause number: `9`, `10.5`, `3.3.4`, `A.1.2`.
const NUM: &str = r"(?:[A-H]\.)?\d{1,3}(?:\.\d{1,3}){0,5}";
/// An appendix id: `4`, `A`, `II`.
const APPENDIX_ID: &str = r"(?:\d{1,2}|[A-H]|[IVX]{1,4})\b";
/// Between items of a list.
const AND: &str = r"\s*(?:,|&|\b(?i:og|samt|eller|and|or)\b)\s*";
/// Between the ends of a range.
const TO: &str = r"\s*(?:[-–—]|\b(?i:til|to)\b)\s*";
/// A clause keyword.
const CLAUSE_KW: &str =
    r"\b(?i:pkt\s*\.?|punkt(?:erne|er|et)?|afsnit(?:tet)?|klausul(?:en)?|clauses?|sections?)";

static CLAUSE_REF: LazyLock<Regex> = LazyLock::new(|| {
    let item = format!(r"{NUM}(?:{TO}{NUM})?");
    Regex::new(&format!(
        r"(?P<jf>\b(?i:jf|jfr|jævnfør|cf|see)\.?\s+)?(?P<qual>\b\p{{L}}*(?i:aftalens)\s+)?(?P<kw>{CLAUSE_KW}|§§?)\s*(?P<list>{item}(?:{AND}(?:{CLAUSE_KW}\s*)?{item})*)"
    ))
    .expect("valid regex")
});
static CLAUSE_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?P<from>{NUM})(?:{TO}(?P<to>{NUM}))?")).expect("valid regex")
});
static APPENDIX_REF: LazyLock<Regex> = LazyLock::new(|| {
    let item = format!(r"{APPENDIX_ID}(?:{TO}{APPENDIX_ID})?");
    Regex::new(&format!(
        r"(?P<jf>\b(?i:jf|jfr|jævnfør|cf|see)\.?\s+)?\b(?i:bilag(?:ene|et)?|appendiks(?:et)?|appendix|appendices|annex(?:es)?|anneks(?:et|erne)?)\s+(?P<list>{item}(?:{AND}{item})*)"
    ))
    .expect("valid regex")
});
static APPENDIX_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<from>{APPENDIX_ID})(?:{TO}(?P<to>{APPENDIX_ID}))?"
    ))
    .expect("valid regex")
});
/// A line that is an appendix heading: `BILAG 4 - UNDERDATABEHANDLERE`, `Bilag A`.
static APPENDIX_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?i:bilag|appendiks|appendix|annex|anneks)\s+(?P<id>{APPENDIX_ID})\s*(?:[—–:.-]|$)"
    ))
    .expect("valid regex")
});
/// Detail of an article or a section: `, stk. 3, litra a`, `(3)(a)`, `, nr. 2`.
const DETAIL: &str = r"(?:\s*,?\s*(?:(?i:stk)\.?\s*\d{1,2}|(?i:nr)\.?\s*\d{1,2}|(?i:litra)\s+[a-zæøå]\b|\(\d{1,2}\)|\([a-z]\)))*";
static ARTICLE_REF: LazyLock<Regex> = LazyLock::new(|| {
    let item = format!(r"\d{{1,3}}{DETAIL}(?:{TO}\d{{1,3}}\b)?");
    Regex::new(&format!(
        r"(?P<jf>\b(?i:jf|jfr|jævnfør|cf|see)\.?\s+)?\b(?i:artikel|artiklerne|artikler|art\.|articles?)\s*(?P<list>{item}(?:{AND}{item})*)"
    ))
    .expect("valid regex")
});
static ARTICLE_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<from>\d{{1,3}})(?P<detail>{DETAIL})(?:{TO}(?P<to>\d{{1,3}})\b)?"
    ))
    .expect("valid regex")
});
static SECTION_DETAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{DETAIL}")).expect("valid regex"));
/// A whole EU act: `forordning (EU) 2016/679`, `direktiv 95/46/EF`, `(EU) 2016/679`.
static EU_ACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<kw>\b(?i:forordning(?:en)?|regulation|direktiv(?:et)?|directive)\s*)?(?P<eu>\((?:EU|EF|EC|EØF)\)\s*)?(?:(?i:nr)\.?\s*)?(?P<id>\b\d{2,4}/\d{1,4}(?:/(?:EU|EF|EC|EØF))?)")
        .expect("valid regex")
});
/// A Danish act by number: `lov nr. 502 af 23. maj 2018`, `lov nr. 502 af 23/05/2018`.
static DANISH_ACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?i:lov|lovbekendtgørelse|lbk|bekendtgørelse|bek)\.?\s+(?i:nr)\.?\s*(?P<n>\d{1,4})\b(?:\s+(?i:af)\s+(?P<date>\d{1,2}\.\s*\p{L}+\.?\s+\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}))?")
        .expect("valid regex")
});
/// A law's name, as it stands before or after a reference.
static LAW_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:\p{L}*-?\s?forordning(?:en|ens)?|gdpr|general data protection regulation|\p{L}+loven(?:s)?|\p{L}+lovens)\b")
        .expect("valid regex")
});
/// A law's name right before an article: `databeskyttelsesforordningens artikel 28`.
static LAW_JUST_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:\p{L}*-?forordningens|gdpr|\p{L}+lovens)\s*$").expect("valid regex")
});
/// A law's name right before a `§`: `Databeskyttelseslovens § 11`.
static LAW_BEFORE_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\p{L}+lovens?|\p{L}*forordningens?|gdpr|lov)\s*$").expect("valid regex")
});
/// A law named right after a reference: `§ 11 i databeskyttelsesloven`, `article 28 of the GDPR`.
static LAW_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*,?\s*(?:i|af|in|of)\s+(?:the\s+)?(\p{L}*-?\s?forordningen|gdpr|\p{L}+loven|general data protection regulation)\b")
        .expect("valid regex")
});
/// Another agreement named right before a clause reference: `Samarbejdsaftalens
/// ansvarsbegrænsning (`.
static AGREEMENT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\p{L}*aftalens)\s+(?:\p{L}+\s+){0,2}\(?\s*$").expect("valid regex")
});
/// Another agreement named right after: `punkt 3 i Hovedaftalen`.
static AGREEMENT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:i|af|in|of)\s+(?:the\s+)?(\p{L}*aftalen)\b").expect("valid regex")
});
/// Words after a number that make it an amount, not a clause.
static UNIT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:%|(?:dage|dages|timer|måneder|maneder|uger|år|ar|arbejdsdage|kr|procent|days|hours|months|weeks|years)\b)")
        .expect("valid regex")
});

/// Known Danish acts by number and year.
const DANISH_ACTS: &[(&str, &str, &str)] = &[("502", "2018", "databeskyttelsesloven")];

/// Cross-references in the clauses, resolved against the document's own clause numbers.
pub fn references(clauses: &[Clause]) -> Vec<Reference> {
    let numbers: HashSet<String> = clauses
        .iter()
        .filter_map(|c| c.number.as_deref())
        .map(normalise_number)
        .collect();
    let appendices = appendices_named(clauses);
    let doc = Doc {
        numbers,
        appendices,
    };
    let mut out: Vec<Reference> = Vec::new();
    for clause in clauses {
        let number = clause.number.as_deref().map(normalise_number);
        let mut found = Vec::new();
        if let Some(heading) = clause.reading_heading() {
            found.extend(scan(heading, &doc));
        }
        found.extend(scan(clause.reading_text(), &doc));
        for mut r in found {
            r.clause = number.clone();
            let duplicate = out.iter().any(|o| {
                o.clause == r.clause
                    && o.kind == r.kind
                    && o.target == r.target
                    && o.to == r.to
                    && o.law == r.law
                    && o.detail == r.detail
            });
            if !duplicate {
                out.push(r);
            }
        }
    }
    out
}

/// What the document offers to resolve references against.
struct Doc {
    numbers: HashSet<String>,
    appendices: HashSet<String>,
}

impl Doc {
    fn clause_exists(&self, target: &str, to: Option<&str>) -> Option<bool> {
        if self.numbers.is_empty() {
            return None;
        }
        Some(self.numbers.contains(target) && to.is_none_or(|t| self.numbers.contains(t)))
    }

    fn appendix_exists(&self, target: &str, to: Option<&str>) -> Option<bool> {
        if self.appendices.is_empty() {
            return None;
        }
        Some(self.appendices.contains(target) && to.is_none_or(|t| self.appendices.contains(t)))
    }
}

fn normalise_number(n: &str) -> String {
    n.split_whitespace()
        .collect::<String>()
        .trim_end_matches('.')
        .to_string()
}

/// Appendix ids the document names in a heading, a heading line or a lettered clause number.
fn appendices_named(clauses: &[Clause]) -> HashSet<String> {
    let mut ids = HashSet::new();
    for clause in clauses {
        let lines = clause
            .reading_heading()
            .into_iter()
            .chain(clause.reading_text().lines());
        for line in lines {
            if let Some(id) = APPENDIX_HEADING.captures(line).and_then(|c| c.name("id")) {
                ids.insert(id.as_str().to_string());
            }
        }
        if let Some(number) = clause.number.as_deref() {
            let mut chars = number.trim().chars();
            if let Some(letter) = chars.next().filter(char::is_ascii_uppercase) {
                if matches!(chars.next(), None | Some('.')) {
                    ids.insert(letter.to_string());
                }
            }
        }
    }
    ids
}

/// Collapse runs of white space to single spaces.
fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text before byte `at`, at most `n` characters of it.
fn before(text: &str, at: usize, n: usize) -> &str {
    let head = text.get(..at).unwrap_or("");
    let start = head
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    head.get(start..).unwrap_or("")
}

/// The text after byte `at`, at most `n` characters of it.
fn after(text: &str, at: usize, n: usize) -> &str {
    let tail = text.get(at..).unwrap_or("");
    let end = tail.char_indices().nth(n).map_or(tail.len(), |(i, _)| i);
    tail.get(..end).unwrap_or("")
}

/// Canonical name of a law as written (`Databeskyttelsesforordningens` → `GDPR`,
/// `Databeskyttelseslovens` → `databeskyttelsesloven`).
fn law_name(written: &str) -> String {
    let folded: String = written
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    if folded.contains("forordning") || folded == "gdpr" || folded.contains("generaldataprotection")
    {
        return "GDPR".to_string();
    }
    match folded.strip_suffix('s') {
        Some(base) if base.ends_with("loven") => base.to_string(),
        _ => folded,
    }
}

/// The law named nearest before `start` (within the same stretch of text), or right after `end`.
fn law_near(text: &str, start: usize, end: usize) -> Option<String> {
    let window = before(text, start, 80);
    if let Some(m) = LAW_NAME.find_iter(window).last() {
        return Some(law_name(m.as_str()));
    }
    LAW_AFTER
        .captures(after(text, end, 60))
        .and_then(|c| c.get(1))
        .map(|m| law_name(m.as_str()))
}

/// Is an agreement named a reference's qualifier one other than this one?
fn other_agreement(name: &str) -> bool {
    let folded = name.to_lowercase();
    !(folded == "aftalens" || folded == "aftalen" || folded.contains("databehandler"))
}

/// A span already read as a reference.
fn overlaps(taken: &[(usize, usize)], start: usize, end: usize) -> bool {
    taken.iter().any(|&(s, e)| start < e && s < end)
}

/// Does a number end where a date or a fraction would go on (`21/12`, `3,5`)?
fn number_runs_on(text: &str, end: usize) -> bool {
    let rest = after(text, end, 2);
    let mut chars = rest.chars();
    match chars.next() {
        Some(c) if c.is_ascii_digit() || c == '/' => true,
        Some(',') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

fn reference(kind: ReferenceKind, target: &str, to: Option<&str>, text: &str) -> Reference {
    Reference {
        clause: None,
        kind,
        target: target.to_string(),
        to: to.map(str::to_string),
        exists: None,
        law: None,
        detail: None,
        text: tidy(text),
    }
}

/// All references in one heading or text, in order.
fn scan(text: &str, doc: &Doc) -> Vec<Reference> {
    let mut found: Vec<(usize, Reference)> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    // Appendix heading lines are headings, not references.
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(m) = APPENDIX_HEADING.find(line.trim_end()) {
            taken.push((offset + m.start(), offset + m.end()));
        }
        offset += line.len();
    }
    // Each pattern runs only where its required words occur: with Unicode `\b` the regex
    // engine cannot use its DFA on Danish text and backtracks over the whole text instead,
    // which made reference scanning a fifth of ingest time (issue 9). The checks below only
    // skip texts the pattern cannot match, so what is found stays the same.
    let lower = text.to_ascii_lowercase();
    if number_slash_number(text) {
        eu_acts(text, &mut found, &mut taken);
    }
    if starts_word(&lower, &["lov", "lbk", "bek"]) && mentions(&lower, &["nr"]) {
        danish_acts(text, &mut found, &mut taken);
    }
    if starts_word(&lower, &["art"]) {
        articles(text, &mut found, &mut taken);
    }
    if text.contains('§')
        || starts_word(
            &lower,
            &["pkt", "punkt", "afsnit", "klausul", "clause", "section"],
        )
    {
        clause_refs(text, doc, &mut found, &mut taken);
    }
    if starts_word(&lower, &["bilag", "append", "anne"]) {
        appendix_refs(text, doc, &mut found, &mut taken);
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, r)| r).collect()
}

/// Might a text (`lower`: with its ASCII letters lower-cased) hold one of `words` (lower-case
/// ASCII) under the regex crate's case-insensitive
/// matching? Besides ASCII case, that matching reads the Kelvin sign as `k` and the long s as
/// `s`; a text with either is always a "maybe".
fn mentions(lower: &str, words: &[&str]) -> bool {
    words.iter().any(|w| lower.contains(w)) || lower.contains(['\u{212A}', '\u{17F}'])
}

/// Might `lower` (as for [`mentions`]) hold one of `words` at the start of a word, where the
/// patterns' `\b` puts them? Not where the character before is a letter, an ASCII digit or `_`:
/// those are word characters to the regex crate, so no `\b` stands there.
fn starts_word(lower: &str, words: &[&str]) -> bool {
    if lower.contains(['\u{212A}', '\u{17F}']) {
        return true;
    }
    words.iter().any(|w| {
        lower.match_indices(w).any(|(at, _)| {
            lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphabetic() || c.is_ascii_digit() || c == '_'))
        })
    })
}

/// Does `text` have a digit, a `/` and a digit (`2016/679`), which every EU act number has?
fn number_slash_number(text: &str) -> bool {
    text.match_indices('/').any(|(at, _)| {
        text[..at].chars().next_back().is_some_and(char::is_numeric)
            && text[at + 1..].chars().next().is_some_and(char::is_numeric)
    })
}

fn eu_acts(text: &str, found: &mut Vec<(usize, Reference)>, taken: &mut Vec<(usize, usize)>) {
    for caps in EU_ACT.captures_iter(text) {
        let (Some(all), Some(id)) = (caps.get(0), caps.name("id")) else {
            continue;
        };
        let keyword = caps.name("kw").map(|m| m.as_str().to_lowercase());
        if keyword.is_none() && caps.name("eu").is_none() {
            continue;
        }
        if overlaps(taken, all.start(), all.end()) || number_runs_on(text, all.end()) {
            continue;
        }
        let id = id.as_str();
        let directive = keyword.as_deref().is_some_and(|k| k.starts_with("dir"))
            || id.ends_with("/EF")
            || id.ends_with("/EØF");
        let law = if id.starts_with("2016/679") {
            "GDPR".to_string()
        } else if directive {
            format!("direktiv {id}")
        } else {
            format!("forordning {id}")
        };
        let mut r = reference(ReferenceKind::Law, id, None, all.as_str().trim());
        r.law = Some(law);
        taken.push((all.start(), all.end()));
        found.push((all.start(), r));
    }
}

fn danish_acts(text: &str, found: &mut Vec<(usize, Reference)>, taken: &mut Vec<(usize, usize)>) {
    for caps in DANISH_ACT.captures_iter(text) {
        let (Some(all), Some(n)) = (caps.get(0), caps.name("n")) else {
            continue;
        };
        if overlaps(taken, all.start(), all.end()) {
            continue;
        }
        let date = caps.name("date").map(|m| tidy(m.as_str()));
        let year = date
            .as_deref()
            .and_then(|d| d.get(d.len().saturating_sub(4)..))
            .unwrap_or("");
        let known = DANISH_ACTS
            .iter()
            .find(|(number, y, _)| *number == n.as_str() && *y == year)
            .map(|(_, _, name)| name.to_string());
        // A name right beside it: `Databeskyttelsesloven, lov nr. 502`, `databeskyttelsesloven
        // (lov nr. 502 …)`.
        let beside = LAW_NAME
            .find_iter(before(text, all.start(), 30))
            .last()
            .map(|m| law_name(m.as_str()))
            .filter(|name| name.ends_with("loven"));
        let law = beside.or(known).unwrap_or_else(|| match &date {
            Some(d) => format!("lov nr. {} af {d}", n.as_str()),
            None => format!("lov nr. {}", n.as_str()),
        });
        let mut r = reference(ReferenceKind::Law, n.as_str(), None, all.as_str());
        r.law = Some(law);
        r.detail = date;
        taken.push((all.start(), all.end()));
        found.push((all.start(), r));
    }
}

fn articles(text: &str, found: &mut Vec<(usize, Reference)>, taken: &mut Vec<(usize, usize)>) {
    for caps in ARTICLE_REF.captures_iter(text) {
        let (Some(all), Some(list)) = (caps.get(0), caps.name("list")) else {
            continue;
        };
        if overlaps(taken, all.start(), all.end()) || number_runs_on(text, all.end()) {
            continue;
        }
        // Danish law cites `§`, EU law `artikel`: an article with no law named is GDPR's.
        let law = law_near(text, all.start(), all.end()).unwrap_or_else(|| "GDPR".to_string());
        // The words include the law's name where it stands right before the article.
        let window = before(text, all.start(), 60);
        let start = match (caps.name("jf"), LAW_JUST_BEFORE.find(window)) {
            (None, Some(m)) => all.start() - (window.len() - m.start()),
            _ => all.start(),
        };
        let words = text.get(start..all.end()).unwrap_or(all.as_str());
        for item in ARTICLE_ITEM.captures_iter(list.as_str()) {
            let Some(from) = item.name("from") else {
                continue;
            };
            let to = item.name("to").map(|m| m.as_str());
            let mut r = reference(ReferenceKind::Law, from.as_str(), to, words);
            r.law = Some(law.clone());
            r.detail = item
                .name("detail")
                .map(|m| tidy(m.as_str().trim_start_matches([',', ' '])))
                .filter(|d| !d.is_empty());
            found.push((all.start() + from.start(), r));
        }
        taken.push((all.start(), all.end()));
    }
}

fn clause_refs(
    text: &str,
    doc: &Doc,
    found: &mut Vec<(usize, Reference)>,
    taken: &mut Vec<(usize, usize)>,
) {
    for caps in CLAUSE_REF.captures_iter(text) {
        let (Some(all), Some(kw), Some(list)) = (caps.get(0), caps.name("kw"), caps.name("list"))
        else {
            continue;
        };
        if overlaps(taken, all.start(), all.end()) {
            continue;
        }
        if kw.as_str().starts_with('§') {
            if let Some(r) = section_of_law(text, &caps) {
                taken.push((all.start(), r.1));
                found.push((all.start(), r.0));
                continue;
            }
        }
        let other = external_agreement(text, &caps, all.start(), all.end());
        let list_start = list.start();
        for (i, item) in CLAUSE_ITEM.captures_iter(list.as_str()).enumerate() {
            let (Some(m), Some(from)) = (item.get(0), item.name("from")) else {
                continue;
            };
            let end = list_start + m.end();
            if number_runs_on(text, end) {
                continue;
            }
            if i > 0 && UNIT_AFTER.is_match(after(text, end, 20)) {
                continue;
            }
            let to = item.name("to").map(|m| m.as_str());
            let mut r = reference(ReferenceKind::Clause, from.as_str(), to, all.as_str());
            match &other {
                Some(name) => r.detail = Some(name.clone()),
                None => r.exists = doc.clause_exists(from.as_str(), to),
            }
            found.push((list_start + m.start(), r));
        }
        taken.push((all.start(), all.end()));
    }
}

/// A `§` that belongs to a law: the reference and the end of what it read.
fn section_of_law(text: &str, caps: &Captures) -> Option<(Reference, usize)> {
    let all = caps.get(0)?;
    let kw = caps.name("kw")?;
    let list = caps.name("list")?;
    let first = CLAUSE_ITEM.captures(list.as_str())?;
    let from = first.name("from")?;
    let item_end = list.start() + first.get(0)?.end();
    let detail = SECTION_DETAIL
        .find(after(text, item_end, 40))
        .map(|m| tidy(m.as_str().trim_start_matches([',', ' '])))
        .filter(|d| !d.is_empty());
    let detail_len = SECTION_DETAIL
        .find(after(text, item_end, 40))
        .map_or(0, |m| m.end());
    let before_law = LAW_BEFORE_SECTION
        .captures(before(text, kw.start(), 60))
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string());
    let after_law = LAW_AFTER
        .captures(after(text, item_end + detail_len, 60))
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string());
    let law = before_law.or(after_law)?;
    let start = before(text, kw.start(), 60)
        .rfind(law.as_str())
        .map_or(kw.start(), |i| {
            kw.start() - before(text, kw.start(), 60).len() + i
        });
    let end = item_end + detail_len;
    let words = text
        .get(start.min(all.start())..end)
        .unwrap_or(all.as_str());
    let mut r = reference(ReferenceKind::Law, from.as_str(), None, words);
    r.law = Some(law_name(&law));
    r.detail = detail;
    Some((r, end))
}

/// The other agreement a clause reference points into, if it names one.
fn external_agreement(text: &str, caps: &Captures, start: usize, end: usize) -> Option<String> {
    if let Some(q) = caps.name("qual") {
        let name = q.as_str().trim();
        return other_agreement(name).then(|| name.to_string());
    }
    if caps.name("jf").is_none() {
        if let Some(name) = AGREEMENT_BEFORE
            .captures(before(text, start, 60))
            .and_then(|c| c.get(1))
        {
            if other_agreement(name.as_str()) {
                return Some(name.as_str().to_string());
            }
        }
    }
    AGREEMENT_AFTER
        .captures(after(text, end, 40))
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
        .filter(|name| other_agreement(name))
}

fn appendix_refs(
    text: &str,
    doc: &Doc,
    found: &mut Vec<(usize, Reference)>,
    taken: &mut Vec<(usize, usize)>,
) {
    for caps in APPENDIX_REF.captures_iter(text) {
        let (Some(all), Some(list)) = (caps.get(0), caps.name("list")) else {
            continue;
        };
        if overlaps(taken, all.start(), all.end()) {
            continue;
        }
        for item in APPENDIX_ITEM.captures_iter(list.as_str()) {
            let Some(from) = item.name("from") else {
                continue;
            };
            let to = item.name("to").map(|m| m.as_str());
            let mut r = reference(ReferenceKind::Appendix, from.as_str(), to, all.as_str());
            r.exists = doc.appendix_exists(from.as_str(), to);
            found.push((list.start() + from.start(), r));
        }
        taken.push((all.start(), all.end()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline;
    use crate::record::SourceFormat;
    use crate::source::ReadOptions;

    fn clause(number: Option<&str>, heading: Option<&str>, text: &str) -> Clause {
        Clause::new(number, heading, text)
    }

    /// References in one text, in a document with clauses 1–12 and their first sub-clauses.
    fn refs(text: &str) -> Vec<Reference> {
        let mut clauses: Vec<Clause> = (1..=12)
            .flat_map(|n| {
                [
                    clause(Some(&n.to_string()), Some("Overskrift"), ""),
                    clause(Some(&format!("{n}.1")), None, ""),
                    clause(Some(&format!("{n}.2")), None, ""),
                ]
            })
            .collect();
        clauses.push(clause(Some("99.9"), None, text));
        references(&clauses)
            .into_iter()
            .filter(|r| r.clause.as_deref() == Some("99.9"))
            .collect()
    }

    fn short(r: &Reference) -> String {
        let mut s = format!("{} {}", r.kind, r.target);
        if let Some(to) = &r.to {
            s.push_str(&format!("-{to}"));
        }
        if let Some(law) = &r.law {
            s.push_str(&format!(" [{law}]"));
        }
        if let Some(d) = &r.detail {
            s.push_str(&format!(" ({d})"));
        }
        s
    }

    fn shorts(text: &str) -> Vec<String> {
        refs(text).iter().map(short).collect()
    }

    /// The keyword check before each pattern never skips a text the pattern matches: ASCII
    /// case, and the Kelvin sign and long s the case-insensitive patterns read as k and s.
    #[test]
    fn keyword_check_is_case_insensitive_like_the_patterns() {
        assert_eq!(shorts("jf. PKT. 9.1"), ["clause 9.1"]);
        assert!(mentions(
            &"se \u{212A}lausul 3".to_ascii_lowercase(),
            &["klausul"]
        ));
        assert!(mentions(&"Se BILAG 2".to_ascii_lowercase(), &["bilag"]));
        assert!(!mentions("ingen henvisning her", &["bilag", "pkt"]));
        assert!(starts_word("jf. pkt. 3", &["pkt"]));
        assert!(!starts_word("på tidspunktet", &["punkt"]));
        assert!(starts_word("(punkt 3)", &["punkt"]));
        assert!(number_slash_number("forordning 2016/679"));
        assert!(!number_slash_number("Nord A/S og I/S"));
        assert_eq!(shorts("på tidspunktet 3 og punkt 4"), ["clause 4"]);
        assert_eq!(shorts("jf. \u{212A}lausul 3"), shorts("jf. klausul 3"));
    }

    #[test]
    fn clause_references() {
        assert_eq!(
            shorts("i relation til Tjenesten, jf. pkt. 9.1, må alene"),
            ["clause 9.1"]
        );
        assert_eq!(
            shorts("vedrører den primære behandling, jf. pkt. 8.1 og pkt. 8.2, samt"),
            ["clause 8.1", "clause 8.2"]
        );
        assert_eq!(shorts("jf. punkt 4.1 og 4.2"), ["clause 4.1", "clause 4.2"]);
        assert_eq!(
            shorts("om datasikkerhed, det værende pkt. 10.1 – 10.5."),
            ["clause 10.1-10.5"]
        );
        assert_eq!(shorts("det værende pkt. 10.1-10.5"), ["clause 10.1-10.5"]);
        assert_eq!(shorts("dette punkt 11 finde anvendelse"), ["clause 11"]);
        assert_eq!(shorts("Afsnit 5.4 tilføjet"), ["clause 5.4"]);
        assert_eq!(shorts("jf. dette punkt 3 samt"), ["clause 3"]);
        assert_eq!(shorts("i henhold til punkt 3.3.4"), ["clause 3.3.4"]);
        assert_eq!(shorts("jf. § 3"), ["clause 3"]);
        assert_eq!(shorts("jf. pkt . 7.2"), ["clause 7.2"]);
        assert_eq!(shorts("jf. pkt 7.2"), ["clause 7.2"]);
        assert_eq!(
            shorts("punkterne 3.1 og 3.2 gælder"),
            ["clause 3.1", "clause 3.2"]
        );
        let r = refs("jf. pkt. 9.1 og punkt 42");
        assert_eq!(r[0].exists, Some(true));
        assert_eq!(r[1].exists, Some(false));
        assert_eq!(r[0].text, "jf. pkt. 9.1 og punkt 42");
        let r = refs("det værende pkt. 10.1 – 10.5.");
        assert_eq!(r[0].exists, Some(false), "10.5 is not in the test document");
    }

    #[test]
    fn another_agreements_clauses_are_not_this_ones() {
        let r = refs("Samarbejdsaftalens ansvarsbegraensning (punkt 7) geelder ogsa");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].target, "7");
        assert_eq!(r[0].exists, None);
        assert_eq!(r[0].detail.as_deref(), Some("Samarbejdsaftalens"));
        let r = refs("som beskrevet i punkt 3 i Hovedaftalen");
        assert_eq!(r[0].exists, None);
        let r = refs("jf. Aftalens pkt. 5.");
        assert_eq!(r[0].exists, Some(true));
        let r = refs("efter punkt 4 i Databehandleraftalen skal");
        assert_eq!(r[0].exists, Some(true));
    }

    #[test]
    fn numbers_that_are_not_references() {
        assert!(shorts("Dato: 1. juni 2019, version 2.1, CVR 38120689").is_empty());
        assert!(shorts("senest 14 dage efter, 30 dages varsel, 24 timer").is_empty());
        assert_eq!(
            shorts("forordning (EU) 2016/679 af 27. april 2016"),
            ["law 2016/679 [GDPR]"]
        );
        assert!(shorts("Hovedaftale (pr. 21/12/2015)").is_empty());
        assert_eq!(shorts("punkt 3 og 14 dage"), ["clause 3"]);
    }

    #[test]
    fn appendix_references() {
        assert_eq!(shorts("fremgår af bilag 4 til denne"), ["appendix 4"]);
        assert_eq!(shorts("se Bilag A"), ["appendix A"]);
        assert_eq!(shorts("samt bilag 1 til denne aftale"), ["appendix 1"]);
        assert_eq!(shorts("Jf. bilag 3 for det nærmere"), ["appendix 3"]);
        assert_eq!(shorts("bilag 1 og 2"), ["appendix 1", "appendix 2"]);
        assert_eq!(shorts("as set out in Annex II"), ["appendix II"]);
        // `bilag i` is `appendix in`, not appendix I.
        assert!(shorts("som bilag i aftalen").is_empty());
        // No appendix heading in the test document: can't tell.
        assert_eq!(refs("se bilag 4")[0].exists, None);

        let clauses = vec![
            clause(
                Some("5.1"),
                None,
                "i det omfang dette fremgår af bilag 4 og bilag 7",
            ),
            clause(None, Some("BILAG 4 - UNDERDATABEHANDLERE"), ""),
            clause(Some("A.1"), Some("Formål"), "Se Bilag A og Bilag B."),
        ];
        let r = references(&clauses);
        let by = |t: &str| r.iter().find(|r| r.target == t).map(|r| r.exists);
        assert_eq!(by("4"), Some(Some(true)));
        assert_eq!(by("7"), Some(Some(false)));
        assert_eq!(by("A"), Some(Some(true)));
        assert_eq!(by("B"), Some(Some(false)));
        // The heading itself is not a reference.
        assert_eq!(r.iter().filter(|r| r.target == "4").count(), 1);
    }

    #[test]
    fn law_references() {
        assert_eq!(
            shorts("jf. databeskyttelsesforordningens artikel 28, stk. 3, litra a."),
            ["law 28 [GDPR] (stk. 3, litra a)"]
        );
        assert_eq!(
            shorts("i henhold til databeskyttelsesforordningens artikel 32 – 36."),
            ["law 32-36 [GDPR]"]
        );
        assert_eq!(
            shorts("(jf. Databeskyttelsesforordningens artikel 6), herunder navne"),
            ["law 6 [GDPR]"]
        );
        assert_eq!(
            shorts("(jf. Databeskyttelses-forordningens artikel 10):"),
            ["law 10 [GDPR]"]
        );
        assert_eq!(
            shorts("Oplysninger om cpr-nummer (jf. Databeskyttelseslovens § 11)"),
            ["law 11 [databeskyttelsesloven]"]
        );
        assert_eq!(
            shorts("efter § 7, stk. 2, i databeskyttelsesloven"),
            ["law 7 [databeskyttelsesloven] (stk. 2)"]
        );
        assert_eq!(
            shorts("b) Databeskyttelsesloven, lov nr. 502 af 23. maj 2018"),
            ["law 502 [databeskyttelsesloven] (23. maj 2018)"]
        );
        assert_eq!(
            shorts("databeskyttelsesloven (lov nr. 502 af 23/05/2018), skal"),
            ["law 502 [databeskyttelsesloven] (23/05/2018)"]
        );
        assert_eq!(
            shorts("jf. lov nr. 502 af 23. maj 2018"),
            ["law 502 [databeskyttelsesloven] (23. maj 2018)"]
        );
        assert_eq!(
            shorts("om ophævelse af direktiv 95/46/EF"),
            ["law 95/46/EF [direktiv 95/46/EF]"]
        );
        assert_eq!(shorts("artikel 6 og 9"), ["law 6 [GDPR]", "law 9 [GDPR]"]);
        assert_eq!(
            shorts("as required by Article 28(3)(a) of the GDPR"),
            ["law 28 [GDPR] ((3)(a))"]
        );
        assert!(refs("artikel 28").iter().all(|r| r.exists.is_none()));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "",
            "§",
            "§§ ",
            "pkt.",
            "punkt",
            "bilag",
            "artikel",
            "jf.",
            "lov nr.",
            "(EU)",
            "pkt. 1.2.3.4.5.6.7.8.9",
            "æøå § 1, stk.",
            "punkt 1 – ",
            "bilag A –",
        ] {
            let _ = refs(text);
            let _ = references(&[clause(None, Some(text), text)]);
        }
        assert!(references(&[]).is_empty());
    }

    fn corpus(document: &str) -> Vec<Reference> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(document);
        let bytes = std::fs::read(&path).unwrap();
        let record = pipeline::analyse(
            &path.to_string_lossy(),
            &bytes,
            SourceFormat::Text,
            &ReadOptions::default(),
        )
        .unwrap();
        references(&record.clauses)
    }

    fn find<'a>(
        refs: &'a [Reference],
        clause: &str,
        kind: ReferenceKind,
        target: &str,
    ) -> &'a Reference {
        refs.iter()
            .find(|r| r.clause.as_deref() == Some(clause) && r.kind == kind && r.target == target)
            .unwrap_or_else(|| panic!("no {kind} {target} in clause {clause}: {refs:#?}"))
    }

    #[test]
    fn clean_document() {
        let refs = corpus("002_57dfb51f510d3c48.txt");
        for r in &refs {
            println!("{:?} {}", r.clause, short(r));
        }
        assert_eq!(
            find(&refs, "7.1", ReferenceKind::Clause, "9.1").exists,
            Some(true)
        );
        assert_eq!(
            find(&refs, "9.9", ReferenceKind::Clause, "9.8").exists,
            Some(true)
        );
        assert_eq!(
            find(&refs, "9.1", ReferenceKind::Clause, "8.2").exists,
            Some(true)
        );
        let range = find(&refs, "14.2", ReferenceKind::Clause, "10.1");
        assert_eq!(
            (range.to.as_deref(), range.exists),
            (Some("10.5"), Some(true))
        );
        let range = find(&refs, "16.4", ReferenceKind::Clause, "12.1");
        assert_eq!(range.to.as_deref(), Some("12.4"));
        let art = find(&refs, "5.4", ReferenceKind::Law, "28");
        assert_eq!(
            (art.law.as_deref(), art.detail.as_deref()),
            (Some("GDPR"), Some("stk. 3, litra a"))
        );
        let art = find(&refs, "10.4", ReferenceKind::Law, "32");
        assert_eq!(art.to.as_deref(), Some("36"));
        assert_eq!(
            find(&refs, "3.1", ReferenceKind::Law, "2016/679")
                .law
                .as_deref(),
            Some("GDPR")
        );
        // Dates and the CVR number are not references.
        assert!(refs.iter().all(|r| r.target != "2019" && r.target != "27"));
        assert!(refs
            .iter()
            .filter(|r| r.kind == ReferenceKind::Clause)
            .all(|r| r.exists == Some(true)));
    }

    #[test]
    fn ocr_document() {
        let refs = corpus("001_a01309c27944fe2b.txt");
        for r in &refs {
            println!("{:?} {} {:?} {:?}", r.clause, short(r), r.exists, r.text);
        }
        let any = |kind: ReferenceKind, target: &str| {
            refs.iter()
                .find(|r| r.kind == kind && r.target == target)
                .unwrap_or_else(|| panic!("no {kind} {target}: {refs:#?}"))
        };
        assert!(any(ReferenceKind::Clause, "11").exists.is_some());
        assert!(any(ReferenceKind::Clause, "13").exists.is_some());
        assert!(any(ReferenceKind::Clause, "10.2").exists.is_some());
        assert_eq!(any(ReferenceKind::Clause, "5.4").exists, Some(true));
        assert_eq!(any(ReferenceKind::Clause, "3.3.4").exists, Some(true));
        assert_eq!(any(ReferenceKind::Appendix, "4").exists, Some(true));
        assert_eq!(any(ReferenceKind::Appendix, "2").exists, Some(true));
        assert_eq!(
            any(ReferenceKind::Law, "11").law.as_deref(),
            Some("databeskyttelsesloven")
        );
        assert_eq!(
            any(ReferenceKind::Law, "502").law.as_deref(),
            Some("databeskyttelsesloven")
        );
        assert_eq!(
            any(ReferenceKind::Law, "2016/679").law.as_deref(),
            Some("GDPR")
        );
        assert_eq!(any(ReferenceKind::Law, "9").law.as_deref(), Some("GDPR"));
        assert_eq!(
            any(ReferenceKind::Clause, "7").exists,
            None,
            "Samarbejdsaftalens punkt 7"
        );
    }
}
