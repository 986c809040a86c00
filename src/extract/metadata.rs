//! Document-level facts: title, printed version and date, and whether the text is a data
//! processing agreement at all.
//!
//! Reads the start of the normalised text, where Danish agreements put `Version: 1.0` and
//! `Dato: 1. juni 2019`. Dates come out as `YYYY-MM-DD`.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::Parties;

/// Title, version and date of a document, as printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub version: Option<String>,
    pub date: Option<String>,
}

/// How far into the text metadata is looked for.
const HEAD_CHARS: usize = 3000;

static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(?i:version)|Version)\s*(?i:nr\.?)?\s*[:.]?\s*(\d{1,4}(?:\.\d{1,3}){0,3})\b")
        .expect("valid regex")
});
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:dato|date|dateret|opdateret|gældende fra|ikrafttrædelse)\s*[:.]?\s*(.{6,30})",
    )
    .expect("valid regex")
});
static NUMERIC_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})\b").expect("valid regex"));
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})\b").expect("valid regex"));
static WORD_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})\b").expect("valid regex")
});

const MONTHS: &[(&str, u32)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("maj", 5),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("okt", 10),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// Title, version and date from the start of a document.
pub fn metadata(text: &str) -> Metadata {
    let head: String = text.chars().take(HEAD_CHARS).collect();
    Metadata {
        title: title(&head),
        version: VERSION
            .captures(&head)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string()),
        date: DATE_LABEL
            .captures_iter(&head)
            .filter_map(|c| c.get(1))
            .find_map(|m| parse_date(m.as_str())),
    }
}

/// A date written in Danish or numerically, as `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let (day, month, year) = if let Some(c) = ISO_DATE.captures(s) {
        (c[3].parse().ok()?, c[2].parse().ok()?, c[1].parse().ok()?)
    } else if let Some(c) = NUMERIC_DATE.captures(s) {
        (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    } else if let Some(c) = WORD_DATE.captures(s) {
        let name = c[2].to_lowercase();
        let month = MONTHS
            .iter()
            .find(|(prefix, _)| name.starts_with(prefix))?
            .1;
        (c[1].parse().ok()?, month, c[3].parse().ok()?)
    } else {
        return None;
    };
    let (day, month, year): (u32, u32, u32) = (day, month, year);
    ((1..=31).contains(&day) && (1..=12).contains(&month) && (1900..=2100).contains(&year))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// A line naming the agreement if there is one near the start, else the first line with words.
fn title(head: &str) -> Option<String> {
    let lines: Vec<&str> = head
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(40)
        .collect();
    let naming = lines.iter().find(|l| {
        let lower = l.to_lowercase();
        l.chars().count() <= 100
            && !l.starts_with(|c: char| c.is_ascii_digit())
            && [
                "databehandleraftale",
                "databehandleravtale",
                "data processing agreement",
                "bilag",
            ]
            .iter()
            .any(|w| lower.starts_with(w))
    });
    // Without a line that names the agreement, the first line is the title only when it reads
    // like one: short, not a clause (`A.1 Information …`), not a change log or contents heading.
    let line = naming.or_else(|| {
        lines.first().filter(|l| {
            let lower = l.to_lowercase();
            let not_title = [
                "ændringslog",
                "andringslog",
                "versionshistorik",
                "indhold",
                "version",
            ];
            l.chars().count() <= 80
                && l.chars().filter(|c| c.is_alphabetic()).count() >= 4
                && !l.starts_with(|c: char| c.is_ascii_digit())
                && !l.split_whitespace().next().is_some_and(|w| {
                    w.len() <= 6 && w.contains('.') && w.chars().any(|c| c.is_ascii_digit())
                })
                && !not_title.iter().any(|w| lower.starts_with(w))
        })
    })?;
    // `DatabehandleraftaleVersion: 1.0`: a version glued to the title is not part of it.
    let cut = VERSION.find(line).map_or(line.len(), |m| m.start());
    let title = line[..cut]
        .trim()
        .trim_end_matches([',', '-', '–', ':'])
        .trim();
    (!title.is_empty()).then(|| title.chars().take(120).collect())
}

/// The data processor an agreement is with: the processor's name as [`parties`] reads it
/// (parties block, definitions, title, signature), never the controller, a person signing, an
/// address or a role noun.
///
/// [`parties`]: crate::extract::parties::parties
pub fn vendor(parties: &Parties) -> Option<String> {
    parties.processor.as_ref().and_then(|p| p.name.clone())
}

/// Words that any data processing agreement uses (Danish, Norwegian, English), lower-case
/// stems, OCR-robust (no æøå in them).
const AGREEMENT_TERMS: &[&str] = &[
    "databehandl",
    "dataansvarlig",
    "behandlingsansvarlig",
    "personoplysning",
    "personopplysning",
    "persondata",
    "personal data",
    "data processing",
    "processor",
    "controller",
    "gdpr",
    "2016/679",
    "databeskyttelse",
    "personvern",
    "registrerede",
    "tilsynsmyndighed",
];

/// Why the text is not a data processing agreement, or `None` when it reads like one.
pub fn agreement_evidence(text: &str) -> Result<usize, String> {
    let lower = text.to_lowercase();
    let distinct = AGREEMENT_TERMS
        .iter()
        .filter(|t| lower.contains(*t))
        .count();
    if distinct >= 2 {
        Ok(distinct)
    } else {
        Err(format!(
            "{distinct} of {} data-protection terms found (databehandler, personoplysninger, dataansvarlig, GDPR …)",
            AGREEMENT_TERMS.len()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_date_and_title_from_a_danish_head() {
        let m = metadata("DatabehandleraftaleVersion: 1.0\nDato: 1. juni 2019\n\n1. Indledning\n");
        assert_eq!(m.title.as_deref(), Some("Databehandleraftale"));
        assert_eq!(m.version.as_deref(), Some("1.0"));
        assert_eq!(m.date.as_deref(), Some("2019-06-01"));
    }

    #[test]
    fn dates_in_several_forms() {
        assert_eq!(parse_date("05.09.2019").as_deref(), Some("2019-09-05"));
        assert_eq!(parse_date("06-12-2019").as_deref(), Some("2019-12-06"));
        assert_eq!(parse_date("27. april 2016").as_deref(), Some("2016-04-27"));
        assert_eq!(parse_date("2023-10-12").as_deref(), Some("2023-10-12"));
        assert_eq!(parse_date("32.13.2019"), None);
    }

    #[test]
    fn recipes_are_not_agreements() {
        assert!(agreement_evidence("Æblekage: tag 500 g æbler og 200 g sukker.").is_err());
        assert!(agreement_evidence(
            "Databehandleren behandler personoplysninger for den dataansvarlige."
        )
        .is_ok());
    }
}
