//! Deadlines, notice periods, recurring duties and qualitative time duties in the clauses.
//!
//! The wording is read as a sequence of tokens (words and single punctuation marks), each with a
//! folded form: lower case, `å`→`a`, `æ`→`ae`, `ø`→`o`, so that raw OCR (`maneder`, `arligt`)
//! and clean text meet the same tables. Within each sentence of a clause's reading text (and
//! heading) four passes look for:
//!
//! * recurring duties (`mindst en gang årligt`, `en gang om året`, `hvert år`, `kvartalsvis`):
//!   kind `frequency`, `amount` = times per `unit`, `hours` = hours between two occurrences;
//! * a number and a unit (`senest 14 dage`, `fem arbejdsdage`, `[30] dages varsel`): kind
//!   `deadline`, or `notice` where a `varsel` goes with it; `hours` = the amount in hours;
//! * qualitative duties: `undue_delay` (`uden unødig forsinkelse`, `uden ugrundet ophold`),
//!   `immediately` (`straks`, `omgående`, `øjeblikkeligt`) and `reasonable_time` (`inden for
//!   rimelig tid`), with no amount.
//!
//! Dates (`1. juni 2019`), article numbers, ages (`under 13 år`) and sums of money are not
//! deadlines: a unit must follow the number directly.

use crate::record::{Clause, Deadline};
use std::borrow::Cow;

/// Deadlines, notice periods, recurring duties and qualitative time duties in the clauses.
pub fn deadlines(clauses: &[Clause]) -> Vec<Deadline> {
    let mut out = Vec::new();
    for clause in clauses {
        let text_found = scan(clause, clause.reading_text());
        if let Some(heading) = clause.reading_heading() {
            for d in scan(clause, heading) {
                if !text_found.iter().any(|t| same_fact(t, &d)) {
                    out.push(d);
                }
            }
        }
        out.extend(text_found);
    }
    out
}

/// Two deadlines that state the same duty (kind, amount, unit).
fn same_fact(a: &Deadline, b: &Deadline) -> bool {
    a.kind == b.kind
        && a.unit == b.unit
        && a.amount.map(f64::to_bits) == b.amount.map(f64::to_bits)
        && a.every.map(f64::to_bits) == b.every.map(f64::to_bits)
}

/// Longest sentence kept in [`Deadline::text`], in characters.
const MAX_SENTENCE_CHARS: usize = 600;

/// All deadlines in one piece of a clause (its text or its heading).
fn scan(clause: &Clause, text: &str) -> Vec<Deadline> {
    let toks = tokenize(text);
    let mut out: Vec<Deadline> = Vec::new();
    // Tokens a recurring duty took (`en gang`), so they are not read again as a period.
    let mut used = vec![false; toks.len()];
    for range in sentences(&toks) {
        let (start, end) = (range.start, range.end);
        let (Some(first), Some(last)) = (toks.get(start), toks.get(end.saturating_sub(1))) else {
            continue;
        };
        let mut found: Vec<Found> = Vec::new();
        frequencies(text, &toks, start, end, &mut used, &mut found);
        periods(text, &toks, start, end, &used, &mut found);
        qualitative(text, &toks, start, end, &mut found);
        if found.is_empty() {
            continue;
        }
        let sentence: String = collapse(text.get(first.start..last.end).unwrap_or(""))
            .chars()
            .take(MAX_SENTENCE_CHARS)
            .collect();
        let in_sentence = out.len();
        for f in found {
            let d = Deadline {
                clause: clause.number.clone(),
                text: sentence.clone(),
                kind: f.kind.to_string(),
                // A recurring duty has no time limit: its count goes to `every`.
                amount: f.amount.filter(|_| f.kind != "frequency"),
                every: f.amount.filter(|_| f.kind == "frequency"),
                unit: f.unit.map(|u| u.name().to_string()),
                qualifier: f.qualifier.map(str::to_string),
                hours: f.hours,
                trigger: f.trigger,
                topic: clause.topics.first().cloned(),
                template: f.template,
            };
            // Once per sentence.
            if !out[in_sentence..].iter().any(|o| same_fact(o, &d)) {
                out.push(d);
            }
        }
    }
    out
}

/// One fact found in a sentence, before it becomes a [`Deadline`].
struct Found {
    kind: &'static str,
    amount: Option<f64>,
    unit: Option<Unit>,
    qualifier: Option<&'static str>,
    hours: Option<f64>,
    trigger: Option<String>,
    template: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Hours,
    Days,
    BusinessDays,
    Weeks,
    Months,
    Years,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Hours => "hours",
            Unit::Days => "days",
            Unit::BusinessDays => "business_days",
            Unit::Weeks => "weeks",
            Unit::Months => "months",
            Unit::Years => "years",
        }
    }

    /// Hours in one unit (a business day counts as a day, a month as 730 hours).
    fn hours(self) -> f64 {
        match self {
            Unit::Hours => 1.0,
            Unit::Days | Unit::BusinessDays => 24.0,
            Unit::Weeks => 168.0,
            Unit::Months => 730.0,
            Unit::Years => 8760.0,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens and sentences
// ---------------------------------------------------------------------------------------------

/// A word (a run of letters and digits) or a single punctuation mark.
struct Tok<'a> {
    start: usize,
    end: usize,
    raw: &'a str,
    /// Lower case with `å`→`a`, `æ`→`ae`, `ø`→`o` and accents dropped (borrowed where that
    /// changes nothing: most words, so tokenizing allocates little; issue 9).
    fold: Cow<'a, str>,
    word: bool,
    /// Whitespace stands before the token.
    space_before: bool,
    /// Line breaks in that whitespace.
    newlines_before: usize,
}

fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut space = false;
    let mut newlines = 0;
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if word_start.is_none() {
                word_start = Some(i);
            }
            continue;
        }
        if let Some(s) = word_start.take() {
            toks.push(word_tok(text, s, i, space, newlines));
            space = false;
            newlines = 0;
        }
        if c.is_whitespace() {
            space = true;
            if c == '\n' {
                newlines += 1;
            }
        } else {
            let e = i + c.len_utf8();
            let raw = text.get(i..e).unwrap_or("");
            toks.push(Tok {
                start: i,
                end: e,
                raw,
                fold: Cow::Borrowed(raw),
                word: false,
                space_before: space,
                newlines_before: newlines,
            });
            space = false;
            newlines = 0;
        }
    }
    if let Some(s) = word_start {
        toks.push(word_tok(text, s, text.len(), space, newlines));
    }
    toks
}

fn word_tok(text: &str, start: usize, end: usize, space: bool, newlines: usize) -> Tok<'_> {
    let raw = text.get(start..end).unwrap_or("");
    Tok {
        start,
        end,
        raw,
        fold: if raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            Cow::Borrowed(raw)
        } else {
            Cow::Owned(fold(raw))
        },
        word: true,
        space_before: space,
        newlines_before: newlines,
    }
}

/// Lower case, Danish letters folded to ASCII the way OCR tends to lose them.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'å' | 'ä' | 'á' | 'à' | 'â' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => out.push('o'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ü' | 'ú' => out.push('u'),
            'í' | 'ï' => out.push('i'),
            _ => out.push(c),
        }
    }
    out
}

/// Whitespace runs as single spaces, ends trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "jf", "pkt", "nr", "stk", "bl", "a", "m", "v", "mv", "evt", "inkl", "ekskl", "f", "eks", "fx",
    "ca", "dvs", "mht", "iht", "ift", "pga", "vedr", "art", "kap", "min", "max", "maks", "kr",
    "ifm", "hhv", "resp", "tlf", "att", "ang", "el", "osv", "etc", "sept", "okt", "nov", "dec",
    "jan", "feb", "aug", "st", "pr", "ff", "litra", "lign",
];

/// Token ranges of the sentences: split at `.`/`!`/`?` before a capital, at blank lines and
/// at list items (`a)`, `•`) that start a line.
fn sentences(toks: &[Tok]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..toks.len() {
        let t = &toks[i];
        let prev = &toks[i - 1];
        let mut cut = t.newlines_before >= 2;
        if !cut && t.newlines_before >= 1 {
            let bullet = matches!(t.raw, "•" | "-" | "–" | "*" | "·");
            let item = t.word
                && t.raw.chars().count() <= 2
                && toks
                    .get(i + 1)
                    .is_some_and(|n| n.raw == ")" && !n.space_before);
            cut = bullet || item;
        }
        if !cut && matches!(prev.raw, "." | "!" | "?") && t.space_before {
            let capital = t.raw.chars().next().is_some_and(char::is_uppercase);
            let before = i.checked_sub(2).and_then(|k| toks.get(k));
            let abbreviation = before.is_some_and(|b| {
                b.word
                    && (ABBREVIATIONS.contains(&b.fold.as_ref())
                        || (b.fold.chars().count() == 1
                            && !b.fold.chars().all(|c| c.is_ascii_digit())))
            });
            cut = capital && !abbreviation;
        }
        if cut {
            out.push(start..i);
            start = i;
        }
    }
    if start < toks.len() {
        out.push(start..toks.len());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Numbers and units
// ---------------------------------------------------------------------------------------------

/// Danish number words (folded).
const NUMBER_WORDS: &[(&str, f64)] = &[
    ("en", 1.0),
    ("et", 1.0),
    ("een", 1.0),
    ("to", 2.0),
    ("tre", 3.0),
    ("fire", 4.0),
    ("fem", 5.0),
    ("seks", 6.0),
    ("syv", 7.0),
    ("otte", 8.0),
    ("ni", 9.0),
    ("ti", 10.0),
    ("elleve", 11.0),
    ("tolv", 12.0),
    ("tretten", 13.0),
    ("fjorten", 14.0),
    ("femten", 15.0),
    ("seksten", 16.0),
    ("sytten", 17.0),
    ("atten", 18.0),
    ("nitten", 19.0),
    ("tyve", 20.0),
    ("tredive", 30.0),
    ("fyrre", 40.0),
    ("fyrretyve", 40.0),
    ("halvtreds", 50.0),
    ("tres", 60.0),
    ("halvfjerds", 70.0),
    ("firs", 80.0),
    ("halvfems", 90.0),
    ("hundrede", 100.0),
    ("halvandet", 1.5),
    ("halvanden", 1.5),
];

const TENS: &[&str] = &[
    "tyve",
    "tredive",
    "fyrre",
    "fyrretyve",
    "halvtreds",
    "tres",
    "halvfjerds",
    "firs",
    "halvfems",
];

/// The value of a (folded) number word, including compounds like `fireogtyve`.
fn number_word(w: &str) -> Option<f64> {
    if let Some((_, v)) = NUMBER_WORDS.iter().find(|(n, _)| *n == w) {
        return Some(*v);
    }
    let (ones, tens) = w.split_once("og")?;
    if !TENS.contains(&tens) {
        return None;
    }
    let one = NUMBER_WORDS
        .iter()
        .find(|(n, v)| *n == ones && *v >= 1.0 && *v <= 9.0 && v.fract() == 0.0)?
        .1;
    let ten = NUMBER_WORDS.iter().find(|(n, _)| *n == tens)?.1;
    Some(one + ten)
}

/// A unit word (folded): the unit, a factor for the amount (`kvartal` = 3 months), and whether
/// the word is only trusted right after a number (`ar` is OCR for `år`, but also a word).
fn unit_word(w: &str) -> Option<(Unit, f64, bool)> {
    let u = match w {
        "time" | "timer" | "timers" | "timen" => (Unit::Hours, 1.0, false),
        "dag" | "dage" | "dages" | "dogn" | "dognet" | "dogns" | "kalenderdag" | "kalenderdage"
        | "kalenderdages" => (Unit::Days, 1.0, false),
        "arbejdsdag" | "arbejdsdage" | "arbejdsdages" | "hverdag" | "hverdage" | "hverdages"
        | "bankdag" | "bankdage" | "bankdages" | "virkedag" | "virkedage" | "virkedages"
        | "forretningsdag" | "forretningsdage" | "forretningsdages" => {
            (Unit::BusinessDays, 1.0, false)
        }
        "uge" | "uger" | "ugers" => (Unit::Weeks, 1.0, false),
        "maned" | "maneder" | "maneders" | "maaned" | "maaneder" | "maaneders" | "mdr" => {
            (Unit::Months, 1.0, false)
        }
        "kvartal" | "kvartaler" | "kvartalers" => (Unit::Months, 3.0, false),
        "ar" | "ars" | "aar" | "aars" => (Unit::Years, 1.0, true),
        _ => return None,
    };
    Some(u)
}

/// A number at token `i` (digits, a number word, a bracketed template value): its value (none
/// for a template placeholder like `[X]`), whether it is a template, and the index after it.
fn number_at(toks: &[Tok], i: usize, end: usize) -> Option<(Option<f64>, bool, usize)> {
    let t = toks.get(i)?;
    if t.raw == "[" {
        let close = (i + 1..end.min(i + 5)).find(|&k| toks[k].raw == "]")?;
        if close == i + 1 {
            return None;
        }
        let inner = (i + 1..close).find_map(|k| plain_number(toks, k, close).map(|(v, _)| v));
        return Some((inner, true, close + 1));
    }
    plain_number(toks, i, end).map(|(v, next)| (Some(v), false, next))
}

/// Digits (with a decimal comma or thousands point) or a number word at token `i`.
fn plain_number(toks: &[Tok], i: usize, end: usize) -> Option<(f64, usize)> {
    let t = toks.get(i)?;
    if !t.word {
        return None;
    }
    let attached = |k: usize| toks.get(k).filter(|x| !x.space_before && k < end);
    if t.raw.chars().all(|c| c.is_ascii_digit()) {
        if t.raw.len() > 5 {
            return None;
        }
        // Part of `14.3`, `2016/679`, `23/05/2018`: not an amount.
        if i >= 2 && !t.space_before {
            let sep = &toks[i - 1];
            let before = &toks[i - 2];
            if matches!(sep.raw, "." | "," | "/")
                && !sep.space_before
                && before.raw.chars().all(|c| c.is_ascii_digit())
            {
                return None;
            }
        }
        let mut value: f64 = t.raw.parse().ok()?;
        let mut next = i + 1;
        if let (Some(sep), Some(digits)) = (attached(i + 1), attached(i + 2)) {
            if digits.word && digits.raw.chars().all(|c| c.is_ascii_digit()) {
                match sep.raw {
                    "," if digits.raw.len() <= 3 => {
                        let frac: f64 = format!("0.{}", digits.raw).parse().ok()?;
                        value += frac;
                        next = i + 3;
                    }
                    "." if digits.raw.len() == 3 => {
                        value = value * 1000.0 + digits.raw.parse::<f64>().ok()?;
                        next = i + 3;
                    }
                    "." | "/" | "," | ":" => return None,
                    _ => {}
                }
            }
        }
        return Some((value, next));
    }
    if matches!(t.fold.as_ref(), "en" | "et") {
        if let Some(h) = toks.get(i + 1).filter(|_| i + 1 < end) {
            if matches!(h.fold.as_ref(), "halvt" | "halv" | "halve") {
                return Some((0.5, i + 2));
            }
        }
    }
    number_word(&t.fold).map(|v| (v, i + 1))
}

/// Words that may stand between a number and its unit (`30 hele dage`).
const FILLERS: &[&str] = &["hele", "fulde", "efterfolgende", "sammenhaengende"];

/// Words before a number that make it something other than an amount of time.
const NOT_AN_AMOUNT_AFTER: &[&str] = &[
    "artikel", "art", "nr", "pkt", "punkt", "stk", "kapitel", "bilag", "afsnit", "litra", "kr",
    "dkk", "eur", "usd", "version", "iso", "§",
];

/// Number + unit deadlines and notice periods in tokens `start..end`.
fn periods(
    text: &str,
    toks: &[Tok],
    start: usize,
    end: usize,
    used: &[bool],
    found: &mut Vec<Found>,
) {
    for i in start..end {
        if used.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Some((amount, template, mut j)) = number_at(toks, i, end) else {
            continue;
        };
        let direct_end = j;
        // `tre (3) måneder`, `30 (tredive) dage`
        if j + 2 < end
            && toks[j].raw == "("
            && toks[j + 2].raw == ")"
            && plain_number(toks, j + 1, end).is_some()
        {
            j += 3;
        }
        // `14-dages`
        if j < end && matches!(toks[j].raw, "-" | "–") && !toks[j].space_before {
            j += 1;
        }
        if j < end && FILLERS.contains(&toks[j].fold.as_ref()) {
            j += 1;
        }
        if j >= end {
            continue;
        }
        let Some((unit, factor, only_direct)) = unit_word(&toks[j].fold) else {
            continue;
        };
        let is_real_year_word = toks[j].raw.starts_with('å') || toks[j].raw.starts_with('Å');
        if only_direct && !is_real_year_word && !(j == direct_end || j == direct_end + 1) {
            continue;
        }
        // `år` is neuter (`et år`): `en ar` is a scar, not OCR for a year.
        if only_direct && toks[i].fold == "en" {
            continue;
        }
        let prev = prev_word(toks, start, i);
        if prev.is_some_and(|p| NOT_AN_AMOUNT_AFTER.contains(&p.fold.as_ref())) {
            continue;
        }
        if unit == Unit::Years && is_age(toks, start, end, i, j) {
            continue;
        }
        let amount = amount.map(|a| a * factor);
        let kind = if is_notice(toks, start, end, i, j) {
            "notice"
        } else {
            "deadline"
        };
        let after = skip_notice_word(toks, j + 1, end);
        found.push(Found {
            kind,
            amount,
            unit: Some(unit),
            qualifier: qualifier(toks, start, i, true),
            hours: amount.map(|a| a * unit.hours()),
            trigger: trigger(text, toks, after, end),
            template,
        });
    }
}

/// The nearest word before token `i` within the sentence.
fn prev_word<'a, 'b>(toks: &'b [Tok<'a>], start: usize, i: usize) -> Option<&'b Tok<'a>> {
    (start..i)
        .rev()
        .map(|k| &toks[k])
        .find(|t| t.word || t.raw == "§")
}

/// `børn under 13 år`, `13 år gamle`: an age, not a period.
fn is_age(toks: &[Tok], start: usize, end: usize, i: usize, unit: usize) -> bool {
    let before = prev_word(toks, start, i).map(|t| t.fold.as_ref());
    let after = (unit + 1..end).map(|k| &toks[k]).find(|t| t.word);
    matches!(
        before,
        Some("under" | "over" | "fyldt" | "fylder" | "alder" | "alderen" | "aldersgraense")
    ) || after.is_some_and(|t| {
        t.fold.starts_with("gaml") || t.fold.starts_with("gamm") || t.fold.starts_with("alder")
    })
}

/// Punctuation that ends the look-back for a qualifier or `varsel`.
fn is_stop(t: &Tok) -> bool {
    matches!(
        t.raw,
        "," | ";" | ":" | "(" | ")" | "—" | "–" | "." | "!" | "?"
    )
}

/// Words before token `i` (up to `n`, not past punctuation), nearest first.
fn lookback<'a, 'b>(toks: &'b [Tok<'a>], start: usize, i: usize, n: usize) -> Vec<&'b Tok<'a>> {
    let mut out = Vec::new();
    for k in (start..i).rev() {
        let t = &toks[k];
        if is_stop(t) {
            break;
        }
        if t.word {
            out.push(t);
            if out.len() >= n {
                break;
            }
        }
    }
    out
}

/// `senest` → `at_most`, `mindst` → `at_least`, `inden for` → `within` (when `within_ok`).
fn qualifier(toks: &[Tok], start: usize, i: usize, within_ok: bool) -> Option<&'static str> {
    let words = lookback(toks, start, i, 5);
    let explicit = words.iter().find_map(|t| match t.fold.as_ref() {
        "senest" | "hojst" | "maksimalt" | "maks" | "max" | "maximalt" | "hgjst" => Some("at_most"),
        "mindst" | "minimum" | "minimalt" => Some("at_least"),
        _ => None,
    });
    if explicit.is_some() {
        return explicit;
    }
    // `ikke senere end`, `ikke mindre end`
    for pair in words.windows(2) {
        if pair[0].fold == "end" && pair[1].fold == "senere" {
            return Some("at_most");
        }
        if pair[0].fold == "end" && pair[1].fold == "mindre" {
            return Some("at_least");
        }
    }
    if within_ok
        && words
            .iter()
            .any(|t| matches!(t.fold.as_ref(), "inden" | "indenfor"))
    {
        return Some("within");
    }
    None
}

/// A `varsel` after the unit (`30 dages (skriftligt) varsel`) or shortly before the number
/// (`et varsel herom på mindst 30 dage`, `opsigelsesvarsel på 3 måneder`).
fn is_notice(toks: &[Tok], start: usize, end: usize, i: usize, unit: usize) -> bool {
    let notice_word = |t: &Tok| {
        t.fold.contains("varsel")
            || t.fold.starts_with("varsl")
            || t.fold.contains("opsigelsesfrist")
    };
    let after = (unit + 1..end)
        .map(|k| &toks[k])
        .take_while(|t| !is_stop(t))
        .filter(|t| t.word)
        .take(3)
        .any(&notice_word);
    if after {
        return true;
    }
    let before = lookback(toks, start, i, 6);
    before
        .iter()
        .enumerate()
        .any(|(k, t)| notice_word(t) && before.get(k + 1).is_none_or(|p| p.fold != "uden"))
}

/// The index after a `varsel` (and words qualifying it) that follows the unit at `j`.
fn skip_notice_word(toks: &[Tok], j: usize, end: usize) -> usize {
    let mut k = j;
    let mut seen = 0;
    while k < end && seen < 3 && toks[k].word {
        if toks[k].fold.contains("varsel") {
            return k + 1;
        }
        seen += 1;
        k += 1;
    }
    j
}

/// Words that start the clock (`efter …`, `fra …`, `forud for …`).
fn trigger(text: &str, toks: &[Tok], mut j: usize, end: usize) -> Option<String> {
    while j < end && matches!(toks[j].raw, "—" | "–" | "-" | ",") {
        j += 1;
    }
    let first = toks.get(j).filter(|_| j < end)?;
    let lead = match first.fold.as_ref() {
        "efter" | "fra" | "for" | "forud" | "regnet" => first.fold.to_string(),
        _ => return None,
    };
    // `før` folds to `for`; the preposition `for` alone is not a trigger.
    if lead == "for" && !first.raw.to_lowercase().starts_with("fø") {
        return None;
    }
    let mut k = j + 1;
    // `efter, at …`
    if k < end && toks[k].raw == "," && toks.get(k + 1).is_some_and(|t| t.fold == "at") {
        k += 1;
    }
    let mut last = j;
    let mut words = 0;
    while k < end && words < 12 {
        let t = &toks[k];
        if is_stop(t) || t.newlines_before >= 2 {
            break;
        }
        if t.word {
            words += 1;
        }
        last = k;
        k += 1;
    }
    if words == 0 {
        return None;
    }
    let s = toks.get(j)?.start;
    let e = toks.get(last)?.end;
    Some(collapse(text.get(s..e)?))
}

// ---------------------------------------------------------------------------------------------
// Recurring duties
// ---------------------------------------------------------------------------------------------

/// `årligt`, `kvartalsvis`…: the period and how many times per period.
fn frequency_adverb(w: &str) -> Option<(Unit, f64)> {
    let r = match w {
        "arligt" | "arlig" | "arlige" | "aarligt" | "aarlig" | "aarlige" => (Unit::Years, 1.0),
        "halvarligt" | "halvarlig" | "halvarlige" => (Unit::Years, 2.0),
        "kvartalsvis" | "kvartalsvist" | "kvartalsmaessigt" => (Unit::Years, 4.0),
        "manedligt" | "manedlig" | "manedlige" | "maanedligt" => (Unit::Months, 1.0),
        "ugentligt" | "ugentlig" | "ugentlige" => (Unit::Weeks, 1.0),
        "dagligt" => (Unit::Days, 1.0),
        _ => return None,
    };
    Some(r)
}

/// `året`, `måned`, `kvartal`…: the period a count refers to.
fn period_noun(w: &str) -> Option<(Unit, f64)> {
    let r = match w {
        "ar" | "aret" | "aar" | "aaret" => (Unit::Years, 1.0),
        "halvar" | "halvaret" | "halvaar" => (Unit::Years, 2.0),
        "kvartal" | "kvartalet" => (Unit::Years, 4.0),
        "maned" | "maneden" | "maaned" | "maaneden" | "mdr" => (Unit::Months, 1.0),
        "uge" | "ugen" => (Unit::Weeks, 1.0),
        "dag" | "dagen" | "dogn" | "dognet" => (Unit::Days, 1.0),
        "time" | "timen" => (Unit::Hours, 1.0),
        _ => return None,
    };
    Some(r)
}

/// Words after `årlig` that make it a sum of money, not a recurring duty.
const MONEY_NOUNS: &[&str] = &[
    "vederlag",
    "belob",
    "gebyr",
    "honorar",
    "abonnement",
    "betaling",
    "pris",
    "licens",
    "kontingent",
    "omsaetning",
    "afgift",
    "leje",
];

fn frequencies(
    text: &str,
    toks: &[Tok],
    start: usize,
    end: usize,
    used: &mut [bool],
    found: &mut Vec<Found>,
) {
    let word = |k: usize| toks.get(k).filter(|t| k < end && t.word);
    let mut i = start;
    while i < end {
        // N gang(e) årligt / om året / pr. måned / hvert kvartal
        if let Some((n, after)) = plain_number(toks, i, end) {
            if word(after).is_some_and(|t| matches!(t.fold.as_ref(), "gang" | "gange")) {
                let p = after + 1;
                let mut period = word(p).and_then(|t| frequency_adverb(&t.fold).map(|u| (u, p)));
                if period.is_none()
                    && word(p).is_some_and(|t| {
                        matches!(
                            t.fold.as_ref(),
                            "om" | "pr" | "per" | "i" | "hver" | "hvert"
                        )
                    })
                {
                    let mut q = p + 1;
                    if toks.get(q).is_some_and(|t| t.raw == "." && q < end) {
                        q += 1;
                    }
                    if word(q).is_some_and(|t| matches!(t.fold.as_ref(), "det" | "hvert" | "hver"))
                    {
                        q += 1;
                    }
                    period = word(q).and_then(|t| period_noun(&t.fold).map(|u| (u, q)));
                }
                if let Some(((unit, per), last)) = period {
                    push_frequency(text, toks, start, end, i, last, n * per, unit, found);
                    mark(used, i, last);
                    i = last + 1;
                    continue;
                }
            }
        }
        // hvert år / hver 6. måned / hvert andet år / hvert halve år
        if word(i).is_some_and(|t| matches!(t.fold.as_ref(), "hver" | "hvert")) {
            let mut q = i + 1;
            let mut every = 1.0;
            if let Some(t) = word(q) {
                let ordinal = match t.fold.as_ref() {
                    "andet" | "anden" => Some(2.0),
                    "tredje" => Some(3.0),
                    "fjerde" => Some(4.0),
                    "femte" => Some(5.0),
                    "sjette" => Some(6.0),
                    "halve" => Some(0.5),
                    _ => None,
                };
                if let Some(o) = ordinal {
                    every = o;
                    q += 1;
                } else if t.raw.len() <= 2
                    && t.raw.chars().all(|c| c.is_ascii_digit())
                    && toks.get(q + 1).is_some_and(|d| d.raw == "." && q + 1 < end)
                {
                    every = t.raw.parse().unwrap_or(1.0);
                    q += 2;
                }
            }
            if let Some((unit, per)) = word(q).and_then(|t| period_noun(&t.fold)) {
                if every > 0.0 {
                    push_frequency(text, toks, start, end, i, q, per / every, unit, found);
                    mark(used, i, q);
                    i = q + 1;
                    continue;
                }
            }
        }
        // årligt, kvartalsvis …
        if let Some((unit, per)) = word(i).and_then(|t| frequency_adverb(&t.fold)) {
            let money =
                word(i + 1).is_some_and(|t| MONEY_NOUNS.iter().any(|m| t.fold.starts_with(m)));
            if !money {
                push_frequency(text, toks, start, end, i, i, per, unit, found);
                mark(used, i, i);
            }
        }
        i += 1;
    }
}

fn mark(used: &mut [bool], from: usize, to: usize) {
    for u in used.iter_mut().take(to + 1).skip(from) {
        *u = true;
    }
}

#[allow(clippy::too_many_arguments)]
fn push_frequency(
    text: &str,
    toks: &[Tok],
    start: usize,
    end: usize,
    first: usize,
    last: usize,
    amount: f64,
    unit: Unit,
    found: &mut Vec<Found>,
) {
    if !(amount.is_finite() && amount > 0.0) {
        return;
    }
    found.push(Found {
        kind: "frequency",
        amount: Some(amount),
        unit: Some(unit),
        qualifier: qualifier(toks, start, first, false),
        hours: Some(unit.hours() / amount),
        trigger: trigger(text, toks, last + 1, end),
        template: false,
    });
}

// ---------------------------------------------------------------------------------------------
// Qualitative duties
// ---------------------------------------------------------------------------------------------

fn is_undue(w: &str) -> bool {
    let n = w.chars().count();
    (w.starts_with("un")
        && (4..=12).contains(&n)
        && (w.ends_with("dig")
            || w.ends_with("digt")
            || w.ends_with("dvendig")
            || w.ends_with("dvendigt")))
        || matches!(w, "ugrundet" | "ugrundede" | "unodigt")
}

fn qualitative(text: &str, toks: &[Tok], start: usize, end: usize, found: &mut Vec<Found>) {
    let word = |k: usize| {
        toks.get(k)
            .filter(|t| k < end && t.word)
            .map(|t| t.fold.as_ref())
    };
    let mut seen: Vec<&'static str> = Vec::new();
    for i in start..end {
        let Some(w) = word(i) else { continue };
        let hit: Option<(&'static str, usize)> = match w {
            "uden" => {
                let mut j = i + 1;
                if word(j) == Some("yderligere") {
                    j += 1;
                }
                (word(j).is_some_and(is_undue)
                    && word(j + 1).is_some_and(|n| {
                        matches!(
                            n,
                            "forsinkelse" | "forsinkelser" | "forsinkelsen" | "ophold"
                        )
                    }))
                .then_some(("undue_delay", j + 1))
            }
            "snarest" | "hurtigst" => {
                (word(i + 1) == Some("muligt")).then_some(("undue_delay", i + 1))
            }
            "straks" | "omgaende" | "omgaaende" => Some(("immediately", i)),
            _ if w.ends_with("jeblikkeligt") || w.ends_with("jeblikkelig") => {
                (w.chars().count() <= 14).then_some(("immediately", i))
            }
            "rimelig" | "rimeligt" => word(i + 1)
                .is_some_and(|n| {
                    matches!(
                        n,
                        "tid" | "frist" | "tidsfrist" | "tidsrum" | "varsel" | "periode"
                    )
                })
                .then_some(("reasonable_time", i + 1)),
            _ => None,
        };
        let Some((kind, last)) = hit else { continue };
        if seen.contains(&kind) {
            continue;
        }
        seen.push(kind);
        found.push(Found {
            kind,
            amount: None,
            unit: None,
            qualifier: None,
            hours: None,
            trigger: trigger(text, toks, last + 1, end),
            template: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::analyse;
    use crate::record::SourceFormat;
    use crate::source::ReadOptions;
    use proptest::prelude::*;

    fn clause(number: &str, heading: Option<&str>, text: &str) -> Clause {
        Clause::new(Some(number), heading, text)
    }

    fn found(text: &str) -> Vec<Deadline> {
        deadlines(&[clause("1.1", None, text)])
    }

    fn numeric(text: &str) -> Vec<(f64, String, Option<String>)> {
        found(text)
            .into_iter()
            .filter(|d| d.amount.is_some() && matches!(d.kind.as_str(), "deadline" | "notice"))
            .map(|d| {
                (
                    d.amount.unwrap_or(0.0),
                    d.unit.unwrap_or_default(),
                    d.qualifier,
                )
            })
            .collect()
    }

    #[test]
    fn a_deadline_with_its_qualifier_trigger_and_hours() {
        let d = found(
            "Den Dataansvarlige skal fremsætte en indsigelse senest 14 dage efter at være blevet orienteret.",
        );
        assert_eq!(d.len(), 1);
        let d = &d[0];
        assert_eq!(d.kind, "deadline");
        assert_eq!(d.amount, Some(14.0));
        assert_eq!(d.unit.as_deref(), Some("days"));
        assert_eq!(d.qualifier.as_deref(), Some("at_most"));
        assert_eq!(d.hours, Some(336.0));
        assert_eq!(
            d.trigger.as_deref(),
            Some("efter at være blevet orienteret")
        );
        assert_eq!(d.clause.as_deref(), Some("1.1"));
        assert!(d.text.starts_with("Den Dataansvarlige skal"));
        assert!(!d.template);
    }

    #[test]
    fn notice_periods_in_their_usual_forms() {
        for text in [
            "Aftalen kan opsiges med 30 dages varsel.",
            "Den Dataansvarlige skal give Databehandleren et varsel herom på mindst 30 dage.",
            "Opsigelse sker med et opsigelsesvarsel på 30 dage.",
            "Ændringer varsles med 30 dages skriftligt varsel.",
        ] {
            let d = found(text);
            assert_eq!(d.len(), 1, "{text}");
            assert_eq!(d[0].kind, "notice", "{text}");
            assert_eq!(d[0].amount, Some(30.0), "{text}");
        }
        assert_eq!(
            found("Varsel herom på mindst 30 dage.")[0]
                .qualifier
                .as_deref(),
            Some("at_least")
        );
        // `uden varsel` does not make the deadline after it a notice period.
        let d =
            found("Sletning sker uden varsel eller advisering, dog senest 30 dage efter ophør.");
        assert_eq!(d[0].kind, "deadline");
        assert_eq!(d[0].trigger.as_deref(), Some("efter ophør"));
    }

    #[test]
    fn template_values_in_brackets() {
        let d = found("Aftalen kan opsiges med [30] dages varsel.");
        assert_eq!(d.len(), 1);
        assert!(d[0].template);
        assert_eq!(d[0].amount, Some(30.0));
        assert_eq!(d[0].kind, "notice");
        let d = found("Data slettes senest [X] dage efter ophør.");
        assert_eq!(d.len(), 1);
        assert!(d[0].template);
        assert_eq!(d[0].amount, None);
        assert_eq!(d[0].unit.as_deref(), Some("days"));
    }

    #[test]
    fn number_words_and_units_in_every_form() {
        let cases: &[(&str, f64, &str)] = &[
            (
                "udleveres senest fem arbejdsdage efter anmodning",
                5.0,
                "business_days",
            ),
            ("inden for tre (3) måneder", 3.0, "months"),
            ("inden for 30 (tredive) dage", 30.0, "days"),
            ("senest fireogtyve timer efter", 24.0, "hours"),
            ("opbevares i halvandet år", 1.5, "years"),
            ("opbevares i 1,5 år", 1.5, "years"),
            ("inden for to uger", 2.0, "weeks"),
            ("inden for et halvt år", 0.5, "years"),
            ("med tolv måneders varsel", 12.0, "months"),
            ("inden for 10 hverdage", 10.0, "business_days"),
            ("inden for 2 bankdage", 2.0, "business_days"),
            ("et 14-dages varsel", 14.0, "days"),
            ("inden for 48 timer", 48.0, "hours"),
            ("senest tyve dage efter", 20.0, "days"),
            ("med halvfjerds dages varsel", 70.0, "days"),
            ("inden for ét døgn", 1.0, "days"),
            ("inden for 1 kvartal", 3.0, "months"),
        ];
        for (text, amount, unit) in cases {
            let got = numeric(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!(got[0].0, *amount, "{text}");
            assert_eq!(got[0].1, *unit, "{text}");
        }
        assert_eq!(found("inden for 2 uger")[0].hours, Some(336.0));
        assert_eq!(found("inden for 1 år")[0].hours, Some(8760.0));
        assert_eq!(found("inden for 1 måned")[0].hours, Some(730.0));
    }

    #[test]
    fn ocr_damaged_units() {
        assert_eq!(
            numeric("inden for 3 maneder"),
            [(3.0, "months".into(), Some("within".into()))]
        );
        assert_eq!(
            numeric("senest 2 ar efter ophgr"),
            [(2.0, "years".into(), Some("at_most".into()))]
        );
        assert_eq!(
            numeric("senest 5 arbejdsdage"),
            [(5.0, "business_days".into(), Some("at_most".into()))]
        );
        // `ar` is only a year right after a number.
        assert!(numeric("Det ar vi enige om, en ar pa huden").is_empty());
    }

    #[test]
    fn qualifiers() {
        assert_eq!(
            numeric("senest inden for 24 timer")[0].2.as_deref(),
            Some("at_most")
        );
        assert_eq!(numeric("inden 48 timer")[0].2.as_deref(), Some("within"));
        assert_eq!(numeric("indenfor 48 timer")[0].2.as_deref(), Some("within"));
        assert_eq!(
            numeric("med mindst 14 dages varsel")[0].2.as_deref(),
            Some("at_least")
        );
        assert_eq!(numeric("højst 2 timer")[0].2.as_deref(), Some("at_most"));
        assert_eq!(
            numeric("ikke senere end 10 dage")[0].2.as_deref(),
            Some("at_most")
        );
        assert_eq!(numeric("med 30 dages varsel")[0].2, None);
    }

    #[test]
    fn triggers() {
        let d = found(
            "Sikkerhedsbrud skal meddeles straks — og senest inden for 24 timer — efter, at databehandler er blevet bekendt med bruddet, sådan at dataansvarlig kan anmelde det inden for 72 timer.",
        );
        let h24 = d
            .iter()
            .find(|d| d.amount == Some(24.0))
            .map(|d| d.trigger.clone());
        assert_eq!(
            h24,
            Some(Some(
                "efter, at databehandler er blevet bekendt med bruddet".to_string()
            ))
        );
        let h72 = d
            .iter()
            .find(|d| d.amount == Some(72.0))
            .map(|d| d.trigger.clone());
        assert_eq!(h72, Some(None));
        assert!(d.iter().any(|d| d.kind == "immediately"));
        let d = found("Data slettes senest 30 dage efter Databehandleraftalens ophør.");
        assert_eq!(
            d[0].trigger.as_deref(),
            Some("efter Databehandleraftalens ophør")
        );
        let d = found("Data slettes 30 dage fra modtagelsen af anmodningen.");
        assert_eq!(
            d[0].trigger.as_deref(),
            Some("fra modtagelsen af anmodningen")
        );
        let d = found("Ændringer varsles 30 dage før ikrafttrædelsen.");
        assert_eq!(d[0].trigger.as_deref(), Some("før ikrafttrædelsen"));
        // `for` is no `før`.
        assert_eq!(
            found("inden for 30 dage for den registrerede")[0].trigger,
            None
        );
    }

    #[test]
    fn frequencies() {
        let cases: &[(&str, f64, &str, Option<&str>)] = &[
            (
                "skal mindst en gang årligt gennemgå",
                1.0,
                "years",
                Some("at_least"),
            ),
            ("mindst en gang arligt", 1.0, "years", Some("at_least")),
            (
                "Mindst en gang om aret opdateres kravene",
                1.0,
                "years",
                Some("at_least"),
            ),
            ("én gang om året", 1.0, "years", None),
            ("rapporten udgives årligt", 1.0, "years", None),
            ("kvartalsvis rapportering", 4.0, "years", None),
            ("hvert år", 1.0, "years", None),
            ("hvert andet år", 0.5, "years", None),
            ("to gange om måneden", 2.0, "months", None),
            ("en gang pr. måned", 1.0, "months", None),
            ("backup tages dagligt", 1.0, "days", None),
            ("to gange årligt", 2.0, "years", None),
            ("ugentligt", 1.0, "weeks", None),
            ("halvårligt", 2.0, "years", None),
        ];
        for (text, amount, unit, qualifier) in cases {
            let d: Vec<_> = found(text)
                .into_iter()
                .filter(|d| d.kind == "frequency")
                .collect();
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(d[0].every, Some(*amount), "{text}");
            assert_eq!(d[0].unit.as_deref(), Some(*unit), "{text}");
            assert_eq!(d[0].qualifier.as_deref(), *qualifier, "{text}");
        }
        let d = found("en gang årligt");
        assert_eq!(d.len(), 1, "the count is not also a deadline");
        assert_eq!(d[0].hours, Some(8760.0));
        assert_eq!(found("kvartalsvis")[0].hours, Some(2190.0));
        let monthly: Vec<_> = found("hver 6. måned")
            .into_iter()
            .filter(|d| d.kind == "frequency")
            .collect();
        assert_eq!(monthly.len(), 1);
        assert!((monthly[0].every.unwrap_or(0.0) - 1.0 / 6.0).abs() < 1e-9);
        assert!(found("et årligt vederlag på 1.000 kr.").is_empty());
        assert!(found("den daglige drift").is_empty());
    }

    #[test]
    fn qualitative_duties() {
        let cases: &[(&str, &str)] = &[
            ("skal uden unødig forsinkelse underrette", "undue_delay"),
            ("skal ske uden ugrundet ophold.", "undue_delay"),
            ("sker uden yderligere unødig forsinkelse", "undue_delay"),
            ("uden ungdig forsinkelse", "undue_delay"),
            ("underretter omgående den Dataansvarlige", "immediately"),
            ("skal straks underrette", "immediately"),
            ("skal øjeblikkeligt underrette", "immediately"),
            ("skal omgaende underrette", "immediately"),
            ("indenfor rimelig tid", "reasonable_time"),
            ("inden for rimelig tid", "reasonable_time"),
            ("med rimeligt varsel", "reasonable_time"),
            ("snarest muligt", "undue_delay"),
        ];
        for (text, kind) in cases {
            let d = found(text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(d[0].kind, *kind, "{text}");
            assert_eq!(
                (d[0].amount, d[0].unit.clone(), d[0].hours),
                (None, None, None)
            );
        }
        let d =
            found("Databehandleren underretter straks efter at være blevet bekendt med bruddet.");
        assert_eq!(
            d[0].trigger.as_deref(),
            Some("efter at være blevet bekendt med bruddet")
        );
    }

    #[test]
    fn dates_articles_ages_and_money_are_not_deadlines() {
        for text in [
            "Dato: 1. juni 2019",
            "jf. databeskyttelsesforordningens artikel 28, stk. 3, litra a.",
            "forordning (EU) 2016/679 af 27. april 2016",
            "lov nr. 502 af 23. maj 2018 og lov af 23/05/2018",
            "Børn under 13 år må ikke registreres.",
            "personer på 16 år gamle",
            "Timeprisen er DKK 1.200 pr. time.",
            "det værende anvendte timer, midler og evt. gebyrer",
            "ISO 27001 og ISAE 3402",
            "pkt. 10.1 – 10.5",
            "Hovedaftale (pr. 21/12/2015).",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn once_per_clause_and_sentence_heading_included() {
        let c = clause(
            "15",
            Some("Sletning inden 30 dage"),
            "Data slettes senest 30 dage efter ophør. Ved ophør gælder i øvrigt 30 dages varsel.",
        );
        let d = deadlines(&[c]);
        let days30: Vec<_> = d.iter().filter(|d| d.amount == Some(30.0)).collect();
        assert_eq!(days30.len(), 2, "{d:?}");
        assert_eq!(days30[0].kind, "deadline");
        assert_eq!(days30[1].kind, "notice");
        let c = clause("16", Some("Svar inden 5 hverdage"), "Ingen frister her.");
        let d = deadlines(&[c]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].text, "Svar inden 5 hverdage");
        let d = found("Inden for 24 timer og senest 24 timer efter bruddet.");
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn reads_the_repaired_wording_and_copies_the_topic() {
        let mut c = clause("3.4", None, "senest 24 tlmer");
        c.repaired = Some(crate::record::Repaired {
            heading: None,
            text: "senest 24 timer".to_string(),
        });
        c.topics = vec!["breach_notification".to_string(), "security".to_string()];
        let d = deadlines(&[c]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].topic.as_deref(), Some("breach_notification"));
        assert_eq!(d[0].unit.as_deref(), Some("hours"));
    }

    // -----------------------------------------------------------------------------------------
    // Gold
    // -----------------------------------------------------------------------------------------

    fn seed(name: &str) -> (Vec<Clause>, serde_json::Value) {
        let dir = env!("CARGO_MANIFEST_DIR");
        let file = std::fs::read_dir(format!("{dir}/corpus"))
            .expect("corpus")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(name))
            })
            .expect("seed document");
        let bytes = std::fs::read(&file).expect("seed bytes");
        let record = analyse(
            &file.to_string_lossy(),
            &bytes,
            SourceFormat::Text,
            &ReadOptions::default(),
        )
        .expect("seed analyses");
        let gold = std::fs::read_to_string(format!("{dir}/fixtures/gold/seed-{name}.json"))
            .expect("gold file");
        (
            record.clauses,
            serde_json::from_str(&gold).expect("gold json"),
        )
    }

    fn gold_list<'a>(gold: &'a serde_json::Value, key: &str) -> Vec<&'a serde_json::Value> {
        gold[key]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }

    struct Scores {
        precision: f64,
        recall: f64,
        qualifiers_right: usize,
        qualifiers_total: usize,
        frequencies: (usize, usize),
        qualitative: (usize, usize),
    }

    fn score(name: &str) -> Scores {
        let (clauses, gold) = seed(name);
        let found = deadlines(&clauses);
        let numeric: Vec<&Deadline> = found
            .iter()
            .filter(|d| matches!(d.kind.as_str(), "deadline" | "notice"))
            .collect();
        let key = |c: Option<&str>, a: Option<f64>, u: Option<&str>| {
            (
                c.map(str::to_string),
                a.map(f64::to_bits),
                u.map(str::to_string),
            )
        };
        let mut predicted: Vec<_> = numeric
            .iter()
            .map(|d| key(d.clause.as_deref(), d.amount, d.unit.as_deref()))
            .collect();
        predicted.dedup();
        let gold_deadlines = gold_list(&gold, "deadlines");
        let mut matched = 0;
        let (mut q_right, mut q_total) = (0, 0);
        for g in &gold_deadlines {
            let k = key(
                g["clause"].as_str(),
                g["amount"].as_f64(),
                g["unit"].as_str(),
            );
            let Some(d) = numeric
                .iter()
                .find(|d| key(d.clause.as_deref(), d.amount, d.unit.as_deref()) == k)
            else {
                println!("  {name}: missed {g}");
                continue;
            };
            matched += 1;
            q_total += 1;
            let ok = match g["qualifier"].as_str() {
                Some(q) => d.qualifier.as_deref() == Some(q),
                // No qualifier in the gold: none, or a plain `within`, is right.
                None => matches!(d.qualifier.as_deref(), None | Some("within")),
            };
            if ok {
                q_right += 1;
            } else {
                println!("  {name}: qualifier {:?} for {g}", d.qualifier);
            }
        }
        let true_pos = predicted
            .iter()
            .filter(|p| {
                gold_deadlines.iter().any(|g| {
                    key(
                        g["clause"].as_str(),
                        g["amount"].as_f64(),
                        g["unit"].as_str(),
                    ) == **p
                })
            })
            .count();
        for p in &predicted {
            if !gold_deadlines.iter().any(|g| {
                key(
                    g["clause"].as_str(),
                    g["amount"].as_f64(),
                    g["unit"].as_str(),
                ) == *p
            }) {
                println!("  {name}: extra {p:?}");
            }
        }
        let freq_gold = gold_list(&gold, "frequencies");
        let freq_found = freq_gold
            .iter()
            .filter(|g| {
                found.iter().any(|d| {
                    d.kind == "frequency"
                        && d.clause.as_deref() == g["clause"].as_str()
                        && d.unit.as_deref() == g["unit"].as_str()
                        && d.every == g["every"].as_f64()
                })
            })
            .count();
        let qual_gold = gold_list(&gold, "qualitative_deadlines");
        let qual_found = qual_gold
            .iter()
            .filter(|g| {
                found.iter().any(|d| {
                    d.kind == g["kind"].as_str().unwrap_or("")
                        && d.clause.as_deref() == g["clause"].as_str()
                })
            })
            .count();
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        Scores {
            precision: ratio(true_pos, predicted.len()),
            recall: ratio(matched, gold_deadlines.len()),
            qualifiers_right: q_right,
            qualifiers_total: q_total,
            frequencies: (freq_found, freq_gold.len()),
            qualitative: (qual_found, qual_gold.len()),
        }
    }

    #[test]
    fn gold_deadlines_of_the_seeds() {
        for name in ["000", "001", "002"] {
            let s = score(name);
            let f1 = if s.precision + s.recall == 0.0 {
                0.0
            } else {
                2.0 * s.precision * s.recall / (s.precision + s.recall)
            };
            println!(
                "seed {name}: deadlines P {:.2} R {:.2} F1 {:.2}; qualifiers {}/{}; frequencies {}/{}; qualitative {}/{}",
                s.precision,
                s.recall,
                f1,
                s.qualifiers_right,
                s.qualifiers_total,
                s.frequencies.0,
                s.frequencies.1,
                s.qualitative.0,
                s.qualitative.1
            );
            assert_eq!(s.recall, 1.0, "seed {name} recall");
            assert!(s.precision >= 0.9, "seed {name} precision {}", s.precision);
            assert_eq!(
                s.qualifiers_right, s.qualifiers_total,
                "seed {name} qualifiers"
            );
            assert_eq!(s.frequencies.0, s.frequencies.1, "seed {name} frequencies");
            assert_eq!(s.qualitative.0, s.qualitative.1, "seed {name} qualitative");
        }
    }

    // -----------------------------------------------------------------------------------------
    // No panics
    // -----------------------------------------------------------------------------------------

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("senest".to_string()),
            Just("mindst".to_string()),
            Just("inden for".to_string()),
            Just("en gang".to_string()),
            Just("årligt".to_string()),
            Just("hver".to_string()),
            Just("dages varsel".to_string()),
            Just("arbejdsdage".to_string()),
            Just("fireogtyve".to_string()),
            Just("uden unødig".to_string()),
            Just("efter, at".to_string()),
            Just("Ændringslog".to_string()),
            Just("2.0 05.09.2019 Dan Aggerholm, COO".to_string()),
            Just("Følsomme personoplysninger (jf. artikel 9):".to_string()),
            Just("kategorier af registrerede:".to_string()),
            Just("☒".to_string()),
            Just("☐".to_string()),
            Just("[0".to_string()),
            Just("herunder".to_string()),
            "[0-9]{1,6}".prop_map(|s| s),
            "[\\[\\]().,:;|/—–\\- \n]{1,4}".prop_map(|s| s),
            any::<String>(),
        ]
    }

    fn arbitrary_text() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..40).prop_map(|v| v.join(" "))
    }

    fn arbitrary_clause() -> impl Strategy<Value = Clause> {
        (
            proptest::option::of("[0-9A-Z.]{1,8}"),
            proptest::option::of(arbitrary_text()),
            arbitrary_text(),
            proptest::option::of(arbitrary_text()),
            prop::collection::vec("[a-z_]{1,12}", 0..2),
        )
            .prop_map(|(number, heading, text, repaired, topics)| Clause {
                number,
                heading,
                text,
                level: 1,
                parent: None,
                page: None,
                topics,
                inferred: false,
                repaired: repaired.map(|text| crate::record::Repaired {
                    heading: None,
                    text,
                }),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn no_extractor_panics_on_any_clauses(
            clauses in prop::collection::vec(arbitrary_clause(), 0..6),
            text in arbitrary_text(),
        ) {
            let found = deadlines(&clauses);
            for d in &found {
                prop_assert!(d.amount.is_none_or(f64::is_finite));
                prop_assert!(d.hours.is_none_or(f64::is_finite));
            }
            let entries = super::super::changelog::changelog(&clauses, &text);
            let _ = super::super::changelog::latest_version(&entries);
            let _ = super::super::categories::categories(&clauses);
        }
    }
}
