//! Finding an obligation in the wording: clauses → sentences → cues.
//!
//! A clause's reading text (OCR-repaired where repair changed it) is cut into sentences at a
//! full stop, question or exclamation mark that ends a word and is followed by a capital or a
//! digit; a list item that follows a lead-in ending in `:` (`Databehandleren skal:`) is read
//! with that lead-in, so `1. straks underrette …` keeps its subject and verb. Sentences are
//! folded with [`crate::analysis::fold`] (case, æ/ø/å and their ASCII spellings made one) and
//! whitespace collapsed; the patterns are written in plain Danish and English and folded the
//! same way when they are compiled, so both sides meet.
//!
//! A [`Rule`] holds when its *core* pattern matches the sentence itself and each of its *with*
//! patterns matches the sentence, its lead-in or the headings above it (the clause's and its
//! parents'): a heading can say what a sentence is about, but never states an obligation alone.
//! A sentence that only points to an appendix (`Bilag A indeholder …`) states nothing.

use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::{fold_as, Folding};
use crate::record::Record;

/// Fold text for matching: [`Folding::SENTENCE`] (the search folding, whitespace runs made one
/// space).
pub fn fold(text: &str) -> String {
    fold_as(text, Folding::SENTENCE)
}

/// A pattern written in Danish or English, compiled over folded text.
///
/// Folding lower-cases the pattern too, so `\S` is written out as `[^\s]` first; the other
/// upper-case escapes (`\W`, `\D`, `\B`) must not be used.
///
/// Word boundaries (`\b`) are ASCII ones: folded text has its Danish letters spelled in ASCII, and
/// a Unicode `\b` makes the regex engine leave its fast automaton for a slow one on any line with
/// a character outside ASCII (a dash, a quote), which made the review most of the cost of a
/// record.
pub fn pattern(source: &str) -> Regex {
    let source = source.replace(r"\S", r"[^\s]").replace(r"\b", r"(?-u:\b)");
    // The sources are constants of this module and its siblings; a test compiles them all.
    Regex::new(&fold(&source)).unwrap_or_else(|e| panic!("bad review pattern {source:?}: {e}"))
}

/// One sentence of a clause, as matched and as quoted.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Index of the clause in [`Record::clauses`].
    pub clause: usize,
    /// The sentence as printed, whitespace collapsed.
    pub text: String,
    /// The sentence folded.
    pub folded: String,
    /// The folded lead-in (`… skal:`) a list item is read with; empty otherwise.
    pub lead: String,
    /// The folded sentence before it in the same clause: what it goes on about.
    pub previous: String,
}

/// A record's sentences and each clause's folded headings (its own and its parents').
#[derive(Debug, Clone)]
pub struct Wording {
    pub sentences: Vec<Sentence>,
    /// Per clause: its id as reviews print it (`3.2`, `preamble`).
    pub clause_ids: Vec<String>,
    /// Per clause: its heading and its parents' headings, folded, `|`-separated.
    pub headings: Vec<String>,
}

/// What points elsewhere and states nothing itself.
static POINTER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^(?:\d+\.\s*)?(?:(?:bilag|appendix|annex|underbilag)\s+[\w.]+\s+(?:indeholder|contains|beskriver|describes|omhandler|angiver)\b|(?:her|nedenfor|nedenstående|i dette bilag|i det følgende) (?:findes|beskrives|fremgår|angives|gives)\b|(?:this|the following) (?:appendix|annex|section|schedule) (?:describes|contains|sets out)\b)",
    )
});

impl Wording {
    pub fn of(record: &Record) -> Wording {
        let mut sentences = Vec::new();
        let mut clause_ids = Vec::with_capacity(record.clauses.len());
        let mut headings = Vec::with_capacity(record.clauses.len());
        let ids = clause_ids_of(record);
        for (i, clause) in record.clauses.iter().enumerate() {
            clause_ids.push(ids[i].clone());
            let mut heads = vec![clause.reading_heading().map(fold).unwrap_or_default()];
            let mut parent = clause.parent.clone();
            let mut guard = 0;
            while let Some(p) = parent.take() {
                guard += 1;
                if guard > 8 {
                    break;
                }
                if let Some(pc) = record.clauses[..i]
                    .iter()
                    .rev()
                    .find(|c| c.number.as_deref() == Some(p.as_str()))
                {
                    heads.push(pc.reading_heading().map(fold).unwrap_or_default());
                    parent = pc.parent.clone();
                }
            }
            // A clause printed without a heading often starts with one as its own line
            // (`Formål`, then the text): that line is a heading, not a sentence.
            let mut blocks = split_blocks(clause.reading_text());
            if clause.reading_heading().is_none() && blocks.len() > 1 {
                let (first_block, first) = &blocks[0];
                let words = first.split_whitespace().count();
                if *first_block == 0
                    && blocks[1].0 == 1
                    && words <= 6
                    && !first.ends_with(['.', ':', ';', ',', '!', '?'])
                    && !starts_as_list_item(first)
                {
                    heads.insert(0, fold(first));
                    blocks.remove(0);
                }
            }
            headings.push(heads.join(" | "));
            // A lead-in (`… skal:`) reaches the rest of its paragraph, the paragraph after it
            // (a table's rows, an inline list) and every list item that follows.
            let mut lead = String::new();
            let mut lead_reaches = 0;
            for (block, text) in blocks {
                let folded = fold(&text);
                if folded.is_empty() || POINTER.is_match(&folded) {
                    continue;
                }
                let item = starts_as_list_item(&text);
                if !lead.is_empty() && item {
                    lead_reaches = lead_reaches.max(block);
                }
                if block > lead_reaches {
                    lead.clear();
                }
                let this_lead = lead.clone();
                if folded.ends_with(':') {
                    lead = folded.clone();
                    lead_reaches = block + 1;
                    // A few words before a colon (`Sikkerhedsforanstaltninger:`) head what
                    // follows; they state nothing themselves.
                    if folded.split(' ').count() <= 5 {
                        continue;
                    }
                }
                let previous = sentences
                    .last()
                    .filter(|s: &&Sentence| s.clause == i)
                    .map(|s| s.folded.clone())
                    .unwrap_or_default();
                sentences.push(Sentence {
                    clause: i,
                    text,
                    folded,
                    lead: this_lead,
                    previous,
                });
            }
        }
        Wording {
            sentences,
            clause_ids,
            headings,
        }
    }
}

/// How a review names each clause: its number; `preamble` for a first clause with neither
/// number nor heading; else its heading as printed, with ` #k` (k counted in document order)
/// where several unnumbered clauses share a heading; else `clause N` by position.
pub fn clause_ids_of(record: &Record) -> Vec<String> {
    let heading_of = |c: &crate::record::Clause| {
        c.heading
            .as_deref()
            .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|h| !h.is_empty())
    };
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut repeated: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for c in record.clauses.iter().filter(|c| c.number.is_none()) {
        if let Some(h) = heading_of(c) {
            *repeated.entry(h).or_default() += 1;
        }
    }
    record
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| match (&c.number, heading_of(c)) {
            (Some(n), _) => n.clone(),
            (None, None) if i == 0 => "preamble".to_string(),
            (None, Some(h)) => {
                if repeated.get(&h).copied().unwrap_or(0) > 1 {
                    let k = seen.entry(h.clone()).or_default();
                    *k += 1;
                    format!("{h} #{k}")
                } else {
                    h
                }
            }
            (None, None) => format!("clause {}", i + 1),
        })
        .collect()
}

/// `1. …`, `a) …`, `- …`, `• …`, `(i) …`.
fn starts_as_list_item(text: &str) -> bool {
    static ITEM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[-–•*·▪]|\(?[0-9]{1,2}[.)]|\(?[a-zæøå][.)]|\(?[ivx]{1,4}\))\s")
            .expect("list item pattern")
    });
    ITEM.is_match(text)
}

/// Cut a clause text into sentences (whitespace collapsed): at `.`, `!`, `?` after a word that
/// is not an abbreviation or a number, before a capital letter, a digit or a list marker; and
/// at every line that starts a list item.
pub fn split_sentences(text: &str) -> Vec<String> {
    split_blocks(text).into_iter().map(|(_, s)| s).collect()
}

/// [`split_sentences`], each sentence with the number of the block (a paragraph, or a list
/// item) it stands in.
fn split_blocks(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (number, block) in text
        .split('\n')
        .fold(Vec::<String>::new(), |mut acc, line| {
            let line = line.trim();
            if line.is_empty() {
                acc.push(String::new());
            } else if starts_as_list_item(line) || acc.is_empty() {
                acc.push(line.to_string());
            } else if let Some(last) = acc.last_mut() {
                if !last.is_empty() {
                    last.push(' ');
                }
                last.push_str(line);
            }
            acc
        })
        .into_iter()
        .filter(|b| !b.trim().is_empty())
        .enumerate()
    {
        let block = block.split_whitespace().collect::<Vec<_>>().join(" ");
        if block.is_empty() {
            continue;
        }
        let chars: Vec<(usize, char)> = block.char_indices().collect();
        let mut start = 0;
        for (k, &(at, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let Some(&(_, next)) = chars.get(k + 1) else {
                continue;
            };
            let Some(&(_, after)) = chars.get(k + 2) else {
                continue;
            };
            if next != ' ' || !(after.is_uppercase() || after.is_ascii_digit() || after == '(') {
                continue;
            }
            let word: String = block[start..at]
                .trim_end_matches([')', '"', '\'', '”', '’', '»', ']'])
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let lower = word.to_lowercase();
            let list_marker = block[start..at].trim().chars().all(|c| c.is_alphanumeric());
            if word.is_empty()
                || (word.chars().all(|c| c.is_ascii_digit()) && list_marker)
                || (word.chars().count() == 1 && c == '.')
                || crate::analysis::words::ABBREVIATIONS.contains(&lower.as_str())
            {
                continue;
            }
            let end = at + c.len_utf8();
            out.push((number, block[start..end].trim().to_string()));
            start = end;
        }
        let rest = block[start..].trim();
        if !rest.is_empty() {
            out.push((number, rest.to_string()));
        }
    }
    out
}

/// A cue: the core must match the sentence; each `with` pattern the sentence, its lead-in, the
/// sentence before it in the clause or the headings above it; each `near` pattern the sentence or its lead-in (a heading is not
/// enough there); no `unless` pattern may match the sentence or its lead-in.
pub struct Rule {
    pub core: Regex,
    pub with: Vec<Regex>,
    pub near: Vec<Regex>,
    pub unless: Vec<Regex>,
    /// Headings the sentence must not stand under (a clause about another subject).
    pub not_under: Vec<Regex>,
    /// Headings the sentence must stand under (its own or its parents').
    pub under: Vec<Regex>,
}

impl Rule {
    pub fn new(core: &str, with: &[&str], unless: &[&str]) -> Rule {
        Rule {
            core: pattern(core),
            with: with.iter().map(|p| pattern(p)).collect(),
            near: Vec::new(),
            unless: unless.iter().map(|p| pattern(p)).collect(),
            not_under: Vec::new(),
            under: Vec::new(),
        }
    }

    /// The rule, only in clauses whose headings match all of these.
    pub fn under(mut self, headings: &[&str]) -> Rule {
        self.under = headings.iter().map(|p| pattern(p)).collect();
        self
    }

    /// The rule, not in clauses whose headings (its own or its parents') match these.
    pub fn not_under(mut self, headings: &[&str]) -> Rule {
        self.not_under = headings.iter().map(|p| pattern(p)).collect();
        self
    }

    /// The rule, with patterns that must stand in the sentence or its lead-in.
    pub fn near(mut self, near: &[&str]) -> Rule {
        self.near = near.iter().map(|p| pattern(p)).collect();
        self
    }

    /// Does the rule hold in this sentence?
    pub fn holds(&self, sentence: &Sentence, headings: &str) -> bool {
        self.core.is_match(&sentence.folded)
            && !self
                .unless
                .iter()
                .any(|u| u.is_match(&sentence.folded) || u.is_match(&sentence.lead))
            && self.with.iter().all(|w| {
                w.is_match(&sentence.folded)
                    || w.is_match(&sentence.lead)
                    || w.is_match(&sentence.previous)
                    || w.is_match(headings)
            })
            && self
                .near
                .iter()
                .all(|w| w.is_match(&sentence.folded) || w.is_match(&sentence.lead))
            && !self.not_under.iter().any(|n| n.is_match(headings))
            && self.under.iter().all(|u| u.is_match(headings))
    }
}

/// The sentences (indices into [`Wording::sentences`]) where any of the rules holds.
pub fn find(wording: &Wording, rules: &[Rule]) -> Vec<usize> {
    wording
        .sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            rules
                .iter()
                .any(|r| r.holds(s, &wording.headings[s.clause]))
        })
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_full_stops_but_not_at_abbreviations_or_numbers() {
        let got = split_sentences(
            "Databehandleren skal jf. pkt. 9.2 bistå. Det sker inden 24 timer. 3. Næste sætning",
        );
        assert_eq!(
            got,
            [
                "Databehandleren skal jf. pkt. 9.2 bistå.",
                "Det sker inden 24 timer.",
                "3. Næste sætning"
            ]
        );
    }

    #[test]
    fn list_items_are_read_with_their_lead_in() {
        let mut record = crate::pipeline::analyse(
            "t.txt",
            "Databehandleraftale om personoplysninger mellem den dataansvarlige og databehandleren (GDPR art. 28).\n\n1. Instruks\n\nLeverandøren behandler kun personoplysninger:\n\n1. efter dokumenterede instruktioner fra kunden\n2. når loven kræver det\n".as_bytes(),
            crate::record::SourceFormat::Text,
            &crate::source::ReadOptions::default(),
        )
        .expect("analyse");
        record.clauses.retain(|c| c.number.as_deref() == Some("1"));
        let w = Wording::of(&record);
        let item = w
            .sentences
            .iter()
            .find(|s| s.text.contains("instruktioner"))
            .expect("the list item");
        assert!(item.lead.contains("kun"), "{item:?}");
    }

    #[test]
    fn folding_makes_spellings_meet() {
        assert_eq!(
            fold("Bistå  den\nDataansvarlige"),
            fold("bistaa den dataansvarlige")
        );
        assert!(pattern("bistå").is_match(&fold("BISTAA")));
    }
}
