//! Sub-processors named in running text (issue 16): the companies listed in brackets inside a
//! sentence about sub-processors (`… underdatabehandlere fremgår af § 8 (Supabase, Vercel,
//! Resend og Google)`), and the test every list item must pass to count as a company name.
//!
//! A bracketed list counts when its sentence speaks of sub-processors or providers and the
//! clause speaks of sub-processors; it is split at commas, semicolons and `og`/`and`/`eller`;
//! from each part, after a lead word (`f.eks.`, `herunder`, `e.g.`), the first run of
//! capitalised words is the name (`Vercel benytter AWS` → `Vercel`). Parts that are countries,
//! standards with numbers (`ISO 27001`), regulations or the agreement's own defined terms are
//! no names, and a list needs two names.

use super::country;
use crate::analysis::fold;
use crate::record::{Clause, Subprocessor};

/// Words (folded) of a sentence that introduces companies.
const PROVIDER_WORDS: &[&str] = &[
    "underdatabehandler",
    "underbehandler",
    "sub-processor",
    "subprocessor",
    "udbyder",
    "leverandor",
    "provider",
    "vendor",
];

/// Words (folded) that make a clause one about sub-processors.
const SUBPROCESSOR_WORDS: &[&str] = &[
    "underdatabehandler",
    "underbehandler",
    "sub-processor",
    "subprocessor",
];

/// Lead words before a name in a list part.
const LEAD_WORDS: &[&str] = &[
    "f.eks.",
    "fx",
    "fx.",
    "eks.",
    "e.g.",
    "eg",
    "herunder",
    "bl.a.",
    "including",
    "such",
    "as",
    "benytter",
    "bruger",
    "anvender",
    "uses",
    "use",
    "samt",
    "også",
    "also",
];

/// Capitalised words that are no company: the agreement's own terms, acronyms of law and
/// security standards (folded).
const NOT_COMPANIES: &[&str] = &[
    "gdpr",
    "eu",
    "eos",
    "eea",
    "dpa",
    "scc",
    "bcr",
    "dpf",
    "art",
    "art.",
    "artikel",
    "article",
    "iso",
    "soc",
    "tls",
    "aes",
    "dataansvarlig",
    "dataansvarlige",
    "databehandler",
    "databehandleren",
    "underdatabehandler",
    "underdatabehandlere",
    "aftale",
    "aftalen",
    "bilag",
    "appendiks",
    "partner",
    "kunde",
    "kunden",
    "controller",
    "processor",
    "customer",
    "agreement",
    "tilsynsmyndighed",
    "tilsynsmyndigheden",
];

/// Connecting words allowed inside a company name.
const CONNECTORS: &[&str] = &["&", "and", "of", "og", "+", "-", "/", "de", "la", "the"];

/// Does `name` read as a company name: at most six words, each capitalised (or with a capital
/// inside, `xAI`) or a connector, no bare number, not one of [`NOT_COMPANIES`], not a country?
pub fn reads_as_company(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    if words.iter().any(|w| {
        w.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    }) {
        return false;
    }
    let capitalised = |w: &str| w.chars().any(char::is_uppercase);
    if !words
        .iter()
        .all(|w| capitalised(w) || CONNECTORS.contains(&w.to_lowercase().as_str()))
    {
        return false;
    }
    let first = fold(words[0].trim_matches(|c: char| !c.is_alphanumeric()));
    if NOT_COMPANIES.contains(&first.as_str()) {
        return false;
    }
    !(words.len() <= 2
        && country::named_in(name).is_some()
        && country::of_company_form(name).is_none()
        && name
            .split_whitespace()
            .all(|w| country::named_in(w).is_some()))
}

/// Rows for the companies a clause lists in brackets inside a sentence about sub-processors.
pub fn inline_rows(clause: &Clause) -> Vec<Subprocessor> {
    let text = clause.reading_text();
    let folded_clause = fold(&format!(
        "{} {}",
        clause.reading_heading().unwrap_or(""),
        text
    ));
    if !SUBPROCESSOR_WORDS.iter().any(|w| folded_clause.contains(w)) {
        return Vec::new();
    }
    let mut rows = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|k| from + k) {
        let Some(close) = text[open..].find(')').map(|k| open + k) else {
            break;
        };
        from = close + 1;
        let sentence = sentence_before(text, open);
        if !PROVIDER_WORDS.iter().any(|w| fold(sentence).contains(w)) {
            continue;
        }
        let names: Vec<String> = text[open + 1..close]
            .split([',', ';'])
            .flat_map(split_conjunctions)
            .filter_map(|part| name_of_part(&part))
            .collect();
        if names.len() < 2 {
            continue;
        }
        for name in names {
            if rows.iter().any(|r: &Subprocessor| r.name == name) {
                continue;
            }
            rows.push(Subprocessor {
                name,
                clause: clause.number.clone(),
                ..Subprocessor::default()
            });
        }
    }
    rows
}

/// The text of the sentence that stands before byte `at`.
fn sentence_before(text: &str, at: usize) -> &str {
    let start = text[..at]
        .rfind(". ")
        .map_or(0, |k| k + 2)
        .max(text[..at].rfind('\n').map_or(0, |k| k + 1));
    &text[start..at]
}

fn split_conjunctions(part: &str) -> Vec<String> {
    let mut out = vec![part.to_string()];
    for conj in [" og ", " and ", " eller ", " or "] {
        out = out
            .into_iter()
            .flat_map(|p| p.split(conj).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    out
}

/// The name a list part gives: the first run of capitalised words after the lead words.
fn name_of_part(part: &str) -> Option<String> {
    let words: Vec<&str> = part.split_whitespace().collect();
    let mut k = 0;
    while k < words.len() && LEAD_WORDS.contains(&words[k].to_lowercase().as_str()) {
        k += 1;
    }
    let mut name: Vec<&str> = Vec::new();
    for w in &words[k..] {
        let bare = w.trim_end_matches([',', '.', ';', ':']);
        if bare.chars().any(char::is_uppercase) && !bare.contains('/') {
            name.push(bare);
            if name.len() == 4 {
                break;
            }
        } else {
            break;
        }
    }
    let name = name.join(" ");
    (!name.is_empty() && reads_as_company(&name)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let clause = Clause::new(Some("6"), Some("Underdatabehandlere"), text);
        inline_rows(&clause).into_iter().map(|r| r.name).collect()
    }

    #[test]
    fn companies_in_brackets_of_a_sentence_about_sub_processors() {
        assert_eq!(
            names("Aktuelle underdatabehandlere fremgår af bilag 2 (Alfa, Beta Cloud, Gamma og xBase)."),
            ["Alfa", "Beta Cloud", "Gamma", "xBase"]
        );
        assert_eq!(
            names("Underdatabehandlere kan bruge egne underdatabehandlere (f.eks. benytter Alfa Delta; Beta benytter Delta; Gamma behandler data i EU)."),
            ["Alfa Delta", "Beta", "Gamma"]
        );
    }

    #[test]
    fn brackets_that_list_no_companies_give_no_rows() {
        assert!(names("Underdatabehandlere er certificeret (ISO 27001, SOC 2).").is_empty());
        assert!(names("Underdatabehandlere i EU (Danmark, Sverige og Norge).").is_empty());
        assert!(names("Underdatabehandlere skal følge GDPR (art. 28, stk. 4).").is_empty());
    }

    #[test]
    fn list_items_that_are_sentences_are_no_company_names() {
        assert!(reads_as_company("Amazon Web Services EMEA SARL"));
        assert!(reads_as_company("xAI"));
        assert!(!reads_as_company(
            "Er bundet af databeskyttelsesforpligtelser"
        ));
        assert!(!reads_as_company("Generel autorisation givet"));
        assert!(!reads_as_company(
            "30-dages varsel for nye Underdatabehandlere"
        ));
    }
}
