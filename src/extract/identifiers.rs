//! Company identifiers written with a label: Danish CVR numbers (`CVR nr. 38120689`,
//! `CVR-nr.: 38 12 06 89`) and Danish VAT numbers (`DK38120689`), checked with the CVR
//! modulus-11 rule (weights 2,7,6,5,4,3,2,1). Foreign identifiers, table columns and OCR digit
//! repair come with the identifier issue; this covers the labelled Danish forms.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Clause, Identifier};

static CVR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:CVR|SE)[- ]?(?:nr\.?|nummer|no\.?)?\s*[:.]?\s*(\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2})\b")
        .expect("valid regex")
});
static DK_VAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bDK[ -]?(\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2})\b").expect("valid regex")
});

/// Template fillers that look like numbers but identify nobody.
const PLACEHOLDERS: &[&str] = &["12345678", "00000000", "11111111", "99999999"];

/// True when an 8-digit CVR number passes the modulus-11 check.
pub fn cvr_is_valid(digits: &str) -> bool {
    const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    values.len() == 8
        && digits.chars().all(|c| c.is_ascii_digit())
        && values[0] != 0
        && values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum::<u32>() % 11 == 0
}

/// Labelled CVR and Danish VAT numbers in the clauses, each once per clause.
pub fn identifiers(clauses: &[Clause]) -> Vec<Identifier> {
    let mut found: Vec<Identifier> = Vec::new();
    for clause in clauses {
        let text = match &clause.heading {
            Some(h) => format!("{h}\n{}", clause.text),
            None => clause.text.clone(),
        };
        for (re, kind) in [(&*CVR, "cvr"), (&*DK_VAT, "vat")] {
            for caps in re.captures_iter(&text) {
                let (Some(all), Some(num)) = (caps.get(0), caps.get(1)) else {
                    continue;
                };
                let digits: String = num.as_str().chars().filter(char::is_ascii_digit).collect();
                if PLACEHOLDERS.contains(&digits.as_str()) {
                    continue;
                }
                let value = if kind == "vat" {
                    format!("DK{digits}")
                } else {
                    digits.clone()
                };
                if found
                    .iter()
                    .any(|i| i.value == value && i.clause == clause.number)
                {
                    continue;
                }
                found.push(Identifier {
                    kind: kind.to_string(),
                    valid: cvr_is_valid(&digits),
                    value,
                    clause: clause.number.clone(),
                    context: context(&text, all.start(), all.end()),
                });
            }
        }
    }
    found
}

/// Up to 60 characters either side of a match, on char boundaries, on one line.
fn context(text: &str, start: usize, end: usize) -> String {
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(59)
        .map_or(0, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .nth(60)
        .map_or(text.len(), |(i, _)| end + i);
    text[from..to]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(text: &str) -> Clause {
        Clause {
            number: Some("1.1".into()),
            heading: None,
            text: text.into(),
            level: 2,
            parent: Some("1".into()),
            page: Some(1),
            topics: vec![],
            inferred: false,
            repaired: None,
        }
    }

    #[test]
    fn modulus_11() {
        assert!(cvr_is_valid("38120689"));
        assert!(!cvr_is_valid("38120688"));
        assert!(!cvr_is_valid("3812068"));
    }

    #[test]
    fn every_one_digit_change_of_a_valid_cvr_fails() {
        let good = "38120689";
        for i in 0..8 {
            for d in '0'..='9' {
                let mut s: Vec<char> = good.chars().collect();
                if s[i] == d {
                    continue;
                }
                s[i] = d;
                let changed: String = s.into_iter().collect();
                assert!(!cvr_is_valid(&changed), "{changed}");
            }
        }
    }

    #[test]
    fn labelled_forms() {
        let ids = identifiers(&[clause(
            "foretaget af ITJ Consult, CVR nr. 38120689 og X, CVR-nr.: 38 12 06 89, moms DK38120689. Skabelon: CVR 12345678",
        )]);
        let values: Vec<_> = ids
            .iter()
            .map(|i| (i.kind.as_str(), i.value.as_str(), i.valid))
            .collect();
        assert_eq!(
            values,
            vec![("cvr", "38120689", true), ("vat", "DK38120689", true)]
        );
        assert!(ids[0].context.contains("ITJ Consult"));
    }

    #[test]
    fn law_numbers_are_not_cvr() {
        assert!(
            identifiers(&[clause("lov nr. 502 af 23. maj 2018 og forordning 2016/679")]).is_empty()
        );
    }
}
