//! Stage 3, segmentation: [`NormalisedText`] → numbered [`Clause`]s in reading order.
//!
//! A clause starts at a line that begins with a clause number (`3.`, `3.4.2.`, `14.3.1.Tekst`,
//! appendix numbers `A.1.2`, `D.8`), and the numbers must read as a tree that mostly increases:
//! a child (`3.4` → `3.4.1`), a next sibling, or a next number higher up. That sequence rule is
//! what rejects dates (`1. juni 2019`), list items inside a clause (`1.`–`3.` inside `11.2`),
//! addresses and postcodes. Text before the first clause is the preamble (number `None`), so
//! every line of the text belongs to exactly one clause.
//!
//! A short line after the number with no closing full stop (possibly wrapped over up to three
//! lines) is the heading; the rest is the clause text. Assumes normalised text: line starts are
//! meaningful and hyphenation is already undone.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Clause, NormalisedText};

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*(?:§[ \t]*)?((?:[A-H]\.)?\d{1,3}(?:\.\d{1,3}){0,5})(\.?)(.*)$")
        .expect("valid regex")
});
static DATE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{1,4}[-./]\d{1,2}[-./]\d{2,4}|(?i:jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*\b)")
        .expect("valid regex")
});

/// A clause number as parts: an optional appendix letter, then numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Number {
    letter: Option<char>,
    parts: Vec<u32>,
}

impl Number {
    fn parse(s: &str) -> Option<Number> {
        let (letter, rest) = match s.as_bytes().first() {
            Some(b) if b.is_ascii_uppercase() => (Some(*b as char), s.get(2..)?),
            _ => (None, s),
        };
        let parts: Vec<u32> = rest
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        if parts.is_empty() || parts.contains(&0) {
            return None;
        }
        Some(Number { letter, parts })
    }

    fn depth(&self) -> usize {
        self.parts.len() + usize::from(self.letter.is_some())
    }

    fn render(&self) -> String {
        let nums: Vec<String> = self.parts.iter().map(u32::to_string).collect();
        match self.letter {
            Some(l) => format!("{l}.{}", nums.join(".")),
            None => nums.join("."),
        }
    }

    fn parent(&self) -> Option<String> {
        match (self.letter, self.parts.len()) {
            (None, 1) => None,
            (Some(l), 1) => Some(l.to_string()),
            _ => Some(
                Number {
                    letter: self.letter,
                    parts: self.parts[..self.parts.len() - 1].to_vec(),
                }
                .render(),
            ),
        }
    }

    /// Can `self` follow `prev` in a clause tree?
    fn follows(&self, prev: &Number) -> bool {
        if self.letter != prev.letter {
            // An appendix may start after the body or after an earlier appendix, never go back.
            return match (prev.letter, self.letter) {
                (None, Some(_)) => true,
                (Some(p), Some(c)) => c > p,
                _ => false,
            };
        }
        let (p, c) = (&prev.parts, &self.parts);
        // A child, or a grandchild (a number line lost in between).
        if c.len() > p.len() && c.len() <= p.len() + 2 && c[..p.len()] == p[..] {
            return c[p.len()..].iter().all(|&n| n <= 2);
        }
        // The next number at the same or a higher level.
        if c.len() <= p.len() && c[..c.len() - 1] == p[..c.len() - 1] {
            let (last, before) = (c[c.len() - 1], p[c.len() - 1]);
            let gap = if c.len() == 1 { 6 } else { 3 };
            return last > before && last <= before + gap;
        }
        false
    }
}

/// A line where a clause starts.
struct Start {
    number: Number,
    /// Byte offset of the line in the text.
    offset: usize,
    /// Index of the line.
    line: usize,
    /// What follows the number on its line.
    rest: String,
}

/// Split a document into clauses.
pub fn segment(doc: &NormalisedText) -> Vec<Clause> {
    let lines = lines_with_offsets(&doc.text);
    let starts = clause_starts(&lines);
    let mut clauses = Vec::with_capacity(starts.len() + 1);
    let first_line = starts.first().map_or(lines.len(), |s| s.line);
    let preamble = join_lines(&lines[..first_line]);
    if !preamble.is_empty() {
        clauses.push(Clause {
            number: None,
            heading: None,
            text: preamble,
            level: 0,
            parent: None,
            page: Some(doc.page_at(0)),
            topics: Vec::new(),
            inferred: false,
            repaired: None,
        });
    }
    for (i, start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(lines.len(), |s| s.line);
        let body = &lines[start.line + 1..end];
        let (heading, text) = split_heading(&start.rest, body);
        clauses.push(Clause {
            number: Some(start.number.render()),
            heading,
            text,
            level: start.number.depth() as u32,
            parent: start.number.parent(),
            page: Some(doc.page_at(start.offset)),
            topics: Vec::new(),
            inferred: false,
            repaired: None,
        });
    }
    clauses
}

fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    text.split('\n')
        .map(|line| {
            let here = offset;
            offset += line.len() + 1;
            (here, line)
        })
        .collect()
}

fn clause_starts(lines: &[(usize, &str)]) -> Vec<Start> {
    let mut starts: Vec<Start> = Vec::new();
    for (index, &(offset, line)) in lines.iter().enumerate() {
        let Some((number, rest)) = candidate(line) else {
            continue;
        };
        let accepted = match starts.last() {
            None => true,
            Some(prev) => number.follows(&prev.number),
        };
        if accepted {
            starts.push(Start {
                number,
                offset,
                line: index,
                rest,
            });
        }
    }
    starts
}

/// Parse a line that may start a clause: its number and what follows it.
fn candidate(line: &str) -> Option<(Number, String)> {
    let caps = NUMBER.captures(line)?;
    let raw = caps.get(1)?.as_str();
    let dot = !caps.get(2)?.as_str().is_empty();
    let rest = caps.get(3)?.as_str();
    let number = Number::parse(raw)?;
    let first = rest.chars().next();
    let joined = first.is_some_and(|c| !c.is_whitespace());
    // `14.3.1.Behandling`: text glued to the number is fine after a dot and a capital.
    if joined && !(dot && first.is_some_and(char::is_uppercase)) {
        return None;
    }
    let rest = rest.trim();
    if DATE_START.is_match(rest) {
        return None;
    }
    let lead = rest.chars().next();
    // `12 timer`, `2970 Hørsholm` are numbers in running text; `1den` is OCR for `I den`.
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && !rest.chars().nth(digits).is_some_and(char::is_alphabetic) {
        return None;
    }
    // A bare `7` or `12 timer` is not a top-level clause; `7. Varighed` and `7 Varighed` are.
    if number.parts.len() == 1 && number.letter.is_none() {
        let ok = match lead {
            None => dot,
            // `/ENDRING` is OCR for `ÆNDRING`: a mark before a capital still starts a heading.
            Some(c) => {
                c.is_uppercase()
                    || matches!(c, '"' | '“' | '«' | '§')
                    || (c.is_ascii_punctuation()
                        && rest.chars().nth(1).is_some_and(char::is_uppercase))
            }
        };
        if !ok {
            return None;
        }
    }
    Some((number, rest.to_string()))
}

/// The heading and the text of a clause from the rest of its first line and its body lines.
fn split_heading(rest: &str, body: &[(usize, &str)]) -> (Option<String>, String) {
    let body_lines: Vec<&str> = body.iter().map(|&(_, l)| l).collect();
    if rest.is_empty() {
        return (None, join_plain(&body_lines));
    }
    // The first paragraph: the rest of the number line and the lines up to a blank one.
    let para_len = body_lines
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .count();
    let mut paragraph = vec![rest];
    paragraph.extend(body_lines[..para_len].iter().map(|l| l.trim()));
    let candidate = paragraph.join(" ");
    if paragraph.len() <= 3 && looks_like_heading(&candidate) {
        return (Some(candidate), join_plain(&body_lines[para_len..]));
    }
    // A heading with its text right below it, no blank line between: the heading is the
    // number line plus lines that continue it (lower case), and the text starts with a capital.
    let wrapped = body_lines[..para_len]
        .iter()
        .take_while(|l| {
            l.trim_start()
                .starts_with(|c: char| c.is_lowercase() || c == '(')
        })
        .count();
    let heading = paragraph[..=wrapped].join(" ");
    let next_starts_upper = body_lines
        .get(wrapped)
        .is_some_and(|l| l.trim_start().starts_with(char::is_uppercase));
    if wrapped < 3
        && next_starts_upper
        && heading.split_whitespace().count() <= 10
        && looks_like_heading(&heading)
    {
        return (Some(heading), join_plain(&body_lines[wrapped..]));
    }
    let mut all = vec![rest];
    all.extend(body_lines.iter().copied());
    (None, join_plain(&all))
}

/// Words a heading does not end with: a line ending in one is a sentence running on.
const RUN_ON_WORDS: &[&str] = &[
    "i", "og", "af", "til", "om", "for", "med", "at", "den", "det", "de", "der", "som", "en", "et",
    "på", "pa", "eller", "samt", "fra", "ved", "hvis", "under", "efter", "mellem", "har", "er",
    "skal", "kan", "må", "ma", "ikke", "the", "of", "and", "to", "in",
];

fn looks_like_heading(s: &str) -> bool {
    let s = s.trim();
    let words = s.split_whitespace().count();
    let last = s.split_whitespace().last().unwrap_or("").to_lowercase();
    !s.is_empty()
        && s.len() <= 200
        && words <= 25
        && !s.ends_with(['.', ':', ';', ','])
        && !RUN_ON_WORDS.contains(&last.as_str())
        && s.chars().any(char::is_alphabetic)
}

fn join_lines(lines: &[(usize, &str)]) -> String {
    join_plain(&lines.iter().map(|&(_, l)| l).collect::<Vec<_>>())
}

fn join_plain(lines: &[&str]) -> String {
    lines.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<String> {
        let doc = NormalisedText {
            text: text.to_string(),
            page_starts: vec![0],
        };
        segment(&doc).into_iter().filter_map(|c| c.number).collect()
    }

    #[test]
    fn plain_numbered_clauses_with_headings() {
        let text = "Databehandleraftale\nDato: 1. juni 2019\n\n1. Indledning\n\n1.1. Aftalen regulerer behandlingen.\n\n2. Baggrund\n\n2.1. Tekst.\n";
        let doc = NormalisedText {
            text: text.into(),
            page_starts: vec![0],
        };
        let clauses = segment(&doc);
        let nums: Vec<_> = clauses.iter().map(|c| c.number.clone()).collect();
        assert_eq!(
            nums,
            vec![
                None,
                Some("1".into()),
                Some("1.1".into()),
                Some("2".into()),
                Some("2.1".into())
            ]
        );
        assert_eq!(clauses[1].heading.as_deref(), Some("Indledning"));
        assert_eq!(clauses[2].text, "Aftalen regulerer behandlingen.");
        assert_eq!(clauses[2].parent.as_deref(), Some("1"));
        assert_eq!(clauses[2].level, 2);
    }

    #[test]
    fn list_items_inside_a_clause_are_not_clauses() {
        let text = "11. Brud\n\n11.2. Databehandleren skal orientere om:\n\n  1. En beskrivelse.\n  2. Konsekvenser.\n\n11.3. Videre.\n";
        assert_eq!(numbers(text), vec!["11", "11.2", "11.3"]);
    }

    #[test]
    fn dates_postcodes_and_laws_are_not_clauses() {
        let text =
            "1. Aftale\n27. april 2016\n05.09.2019 opdateret\n2016/679\n2970 Hørsholm\n2. Omfang\n";
        assert_eq!(numbers(text), vec!["1", "2"]);
    }

    #[test]
    fn appendix_numbers_and_glued_text() {
        let text = "A.1 Information\n\nA.1.1 Formål\n\nB.1 Godkendte\n\n14.3.1.Behandling sker\n";
        assert_eq!(numbers(text), vec!["A.1", "A.1.1", "B.1"]);
        assert_eq!(
            numbers("14.3. Formål\n14.3.1.Behandling sker\n"),
            vec!["14.3", "14.3.1"]
        );
    }

    #[test]
    fn wrapped_heading_is_joined() {
        let text =
            "A.1.2 Behandlingen drejer sig om \n(karakteren af behandlingen)\n\nTekst her.\n";
        let doc = NormalisedText {
            text: text.into(),
            page_starts: vec![0],
        };
        let clauses = segment(&doc);
        assert_eq!(
            clauses[0].heading.as_deref(),
            Some("Behandlingen drejer sig om (karakteren af behandlingen)")
        );
        assert_eq!(clauses[0].text, "Tekst her.");
    }

    #[test]
    fn page_of_a_clause_comes_from_the_page_map() {
        let text = "1. Indledning\n\n2. Omfang\n";
        let doc = NormalisedText {
            text: text.into(),
            page_starts: vec![0, 15],
        };
        let pages: Vec<_> = segment(&doc).iter().map(|c| c.page).collect();
        assert_eq!(pages, vec![Some(1), Some(2)]);
    }
}
