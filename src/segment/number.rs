//! Clause numbers: parsing a line that may start a clause, and the sequence rule that decides
//! whether a number can follow the previous one in a clause tree.

use std::sync::LazyLock;

use regex::Regex;

/// A clause number at a line start, after a section sign or a word that names a clause
/// (`§ 3`, `Klausul 3`, `Punkt 3.2`, `Artikel 4`, `Section 5`, `Clause 5`).
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t]*(§[ \t]*|(?i:klausul|punkt|pkt\.|artikel|afsnit|section|clause|article)[ \t]+)?((?:[A-H]\.)?\d{1,3}(?:\.\d{1,3}){0,5})(\.?)(.*)$",
    )
    .expect("valid regex")
});
/// The start of [`NUMBER`] without its captures: a line that fails it cannot match `NUMBER`,
/// and this test runs on the fast engine, where `NUMBER`'s captures make the engine walk the
/// whole line.
static NUMBER_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t]*(?:§[ \t]*|(?i:klausul|punkt|pkt\.|artikel|afsnit|section|clause|article)[ \t]+)?(?:[A-H]\.)?\d",
    )
    .expect("valid regex")
});
static DATE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(\d{1,4}[-./]\d{1,2}[-./]\d{2,4}|(?i:jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*\b)",
    )
    .expect("valid regex")
});
/// A dash or colon between a number and its heading: `§ 3 — Varighed`, `4: Omfang`.
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[—–:-]\s+").expect("valid regex"));

/// A clause number as parts: an optional appendix letter, then numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Number {
    pub letter: Option<char>,
    pub parts: Vec<u32>,
}

impl Number {
    pub fn parse(s: &str) -> Option<Number> {
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

    pub fn top(n: u32) -> Number {
        Number {
            letter: None,
            parts: vec![n],
        }
    }

    pub fn appendix(letter: char) -> Number {
        Number {
            letter: Some(letter),
            parts: Vec::new(),
        }
    }

    pub fn depth(&self) -> usize {
        self.parts.len() + usize::from(self.letter.is_some())
    }

    pub fn is_top_level(&self) -> bool {
        self.letter.is_none() && self.parts.len() == 1
    }

    pub fn render(&self) -> String {
        let mut out: Vec<String> = self.letter.iter().map(char::to_string).collect();
        out.extend(self.parts.iter().map(u32::to_string));
        out.join(".")
    }

    pub fn parent(&self) -> Option<Number> {
        match (self.letter, self.parts.len()) {
            (None, 0 | 1) | (Some(_), 0) => None,
            _ => Some(Number {
                letter: self.letter,
                parts: self.parts[..self.parts.len() - 1].to_vec(),
            }),
        }
    }

    /// Is `self` a child of `other`?
    pub fn is_child_of(&self, other: &Number) -> bool {
        self.parent().as_ref() == Some(other)
    }

    /// Can `self` follow `prev` in a clause tree?
    pub fn follows(&self, prev: &Number) -> bool {
        if self.letter != prev.letter {
            // An appendix may start after the body or after an earlier appendix, never go back.
            return match (prev.letter, self.letter) {
                (None, Some(_)) => true,
                (Some(p), Some(c)) => c > p,
                _ => false,
            };
        }
        let (p, c) = (&prev.parts, &self.parts);
        if c.is_empty() {
            return false;
        }
        // The first child of a next number whose own line was lost (`7.3` → `8.1`).
        if c.len() >= 2
            && p.first().is_some_and(|&p0| c[0] > p0 && c[0] <= p0 + 2)
            && c[1..].iter().all(|&n| n == 1)
        {
            return true;
        }
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

/// Parse a line that may start a clause: its number and what follows it on the line.
pub(super) fn candidate(line: &str) -> Option<(Number, String)> {
    if !NUMBER_START.is_match(line) {
        return None;
    }
    let caps = NUMBER.captures(line)?;
    // A section sign marks the number as a clause's; a clause word (`Klausul 4`) does too,
    // when a heading follows it (`Artikel 9 (følsomme)` is a reference in running text).
    let prefix = caps.get(1).map_or("", |m| m.as_str()).trim();
    let section_sign = prefix.starts_with('§');
    let clause_word = !prefix.is_empty() && !section_sign;
    let raw = caps.get(2)?.as_str();
    let dot = !caps.get(3)?.as_str().is_empty();
    let rest = caps.get(4)?.as_str();
    let number = Number::parse(raw)?;
    let first = rest.chars().next();
    let joined = first.is_some_and(|c| !c.is_whitespace() && c != ':');
    // `14.3.1.Behandling`: text glued to the number is fine after a dot and a capital.
    if joined && !(dot && first.is_some_and(char::is_uppercase)) {
        return None;
    }
    let rest = SEPARATOR.replace(rest.trim(), "").trim().to_string();
    if DATE_START.is_match(&rest) {
        return None;
    }
    let lead = rest.chars().next();
    // `12 timer`, `2970 Hørsholm` are numbers in running text; `1den` is OCR for `I den`.
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    // `1 det omfang`: OCR read a capital I as 1, with the space kept.
    let ocr_i = rest.starts_with("1 ")
        && rest[2..].starts_with(char::is_lowercase)
        && number.parts.len() > 1;
    if digits > 0 && !rest.chars().nth(digits).is_some_and(char::is_alphabetic) && !ocr_i {
        return None;
    }
    // A bare `7` or `12 timer` is not a top-level clause; `7. Varighed`, `7 Varighed` and
    // `§ 7` are.
    if clause_word {
        let heading_follows = match lead {
            None => true,
            Some(c) => {
                c.is_uppercase()
                    || matches!(c, '"' | '“' | '«')
                    || (c.is_ascii_punctuation()
                        && rest.chars().nth(1).is_some_and(char::is_uppercase))
            }
        };
        if !heading_follows {
            return None;
        }
    } else if number.is_top_level() && !section_sign {
        let ok = match lead {
            None => dot,
            // `/ENDRING` is OCR for `ÆNDRING`: a mark before a capital still starts a heading.
            // `8. lnstruks`: OCR read the capital I as l; a short heading after a dot is one.
            Some(c) if c.is_lowercase() => {
                dot && rest.split_whitespace().count() <= 4 && !rest.ends_with('.')
            }
            // `8. 1nstruks`, `8. |nstruks`: the capital I read as a digit one or a bar.
            Some('1' | '|') if rest.chars().nth(1).is_some_and(char::is_lowercase) => {
                dot && rest.split_whitespace().count() <= 4 && !rest.ends_with('.')
            }
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
    Some((number, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    #[test]
    fn numbers_parse_and_render_back() {
        for s in ["1", "3.4.2", "14.3.5.1", "A.1.2.4", "D.8"] {
            assert_eq!(n(s).render(), s);
        }
        assert_eq!(Number::parse("3.0"), None);
        assert_eq!(n("A.1").parent(), Some(Number::appendix('A')));
        assert_eq!(n("3.4.2").parent(), Some(n("3.4")));
        assert_eq!(n("3").parent(), None);
    }

    #[test]
    fn sequence_rule() {
        assert!(n("3.4.1").follows(&n("3.4")));
        assert!(n("4").follows(&n("3.4.1")));
        assert!(
            n("14").follows(&n("9.2")),
            "lost numbers in between are tolerated"
        );
        assert!(!n("1").follows(&n("11.2")), "a list item inside 11.2");
        assert!(!n("3.9").follows(&n("3.4")));
        assert!(n("B.1").follows(&n("A.1.4")));
        assert!(!n("5").follows(&n("B.1")));
    }

    #[test]
    fn candidates() {
        assert_eq!(
            candidate("§ 3 — Varighed"),
            Some((n("3"), "Varighed".into()))
        );
        assert_eq!(
            candidate("§ 3.2 Aftalen gælder"),
            Some((n("3.2"), "Aftalen gælder".into()))
        );
        assert_eq!(
            candidate("14.3.1.Behandling sker"),
            Some((n("14.3.1"), "Behandling sker".into()))
        );
        assert_eq!(
            candidate("1.2. 1den forbindelse"),
            Some((n("1.2"), "1den forbindelse".into()))
        );
        assert_eq!(
            candidate("14.1. 1 det omfang"),
            Some((n("14.1"), "1 det omfang".into()))
        );
        assert_eq!(candidate("8. lnstruks"), Some((n("8"), "lnstruks".into())));
        assert_eq!(candidate("8. 1nstruks"), Some((n("8"), "1nstruks".into())));
        assert_eq!(candidate("8. |nstruks"), Some((n("8"), "|nstruks".into())));
        assert_eq!(candidate("27. april 2016"), None);
        assert_eq!(candidate("2.0 05.09.2019 Dan"), None);
        assert_eq!(candidate("2016/679"), None);
        assert_eq!(candidate("72 timer"), None);
        assert_eq!(candidate("2970 Hørsholm"), None);
        assert_eq!(candidate("14."), Some((n("14"), String::new())));
        assert_eq!(candidate("7"), None);
        assert_eq!(
            candidate("Klausul 4 — Fortrolighed"),
            Some((n("4"), "Fortrolighed".into()))
        );
        assert_eq!(
            candidate("Punkt 3.2 Instruks"),
            Some((n("3.2"), "Instruks".into()))
        );
        assert_eq!(
            candidate("Artikel 5: Sikkerhed"),
            Some((n("5"), "Sikkerhed".into()))
        );
        assert_eq!(
            candidate("Section 2. Scope"),
            Some((n("2"), "Scope".into()))
        );
        assert_eq!(candidate("Artikel 28, stk. 3"), None);
        assert_eq!(candidate("Artikel 9 (følsomme)"), None);
    }
}
