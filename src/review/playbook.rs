//! The playbook: the user's thresholds for `weak` and the items their organisation requires in
//! addition to art. 28. A TOML file; the default ships inside the binary
//! ([`DEFAULT_PLAYBOOK`]) and `aftale review --print-playbook` prints it to start from. Unknown
//! keys are errors: a misspelt threshold must never be silently ignored.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::error::Error;

/// The default playbook, documented, as shipped.
pub const DEFAULT_PLAYBOOK: &str = include_str!("playbook.toml");

/// Thresholds and additional items, read from TOML.
#[derive(Debug, Clone, PartialEq)]
pub struct Playbook {
    /// `default`, or the file it was read from.
    pub name: String,
    pub max_breach_notice_hours: Option<f64>,
    pub min_subprocessor_notice_days: Option<f64>,
    pub max_deletion_days: Option<f64>,
    pub transfers_need_basis: bool,
    pub required: Vec<Requirement>,
}

/// An item the user's organisation requires: present where one of its terms stands in a
/// clause's wording.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub id: String,
    pub label: String,
    pub provision: String,
    /// The terms as written in the playbook.
    pub any: Vec<String>,
    /// The terms as one pattern over folded text.
    pub pattern: Regex,
}

impl PartialEq for Requirement {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.label == other.label
            && self.provision == other.provision
            && self.any == other.any
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    breach_notice: BreachNotice,
    #[serde(default)]
    subprocessors: Subprocessors,
    #[serde(default)]
    deletion: Deletion,
    #[serde(default)]
    transfers: Transfers,
    #[serde(default)]
    require: Vec<RequireEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BreachNotice {
    max_hours: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Subprocessors {
    min_notice_days: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Deletion {
    max_days: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Transfers {
    #[serde(default = "yes")]
    require_basis: bool,
}

impl Default for Transfers {
    fn default() -> Self {
        Transfers {
            require_basis: true,
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequireEntry {
    id: String,
    label: String,
    #[serde(default)]
    provision: Option<String>,
    any: Vec<String>,
}

impl Playbook {
    /// The shipped default.
    pub fn default_playbook() -> Playbook {
        // The shipped file is tested to parse (see the tests below).
        Playbook::parse(DEFAULT_PLAYBOOK, "default").unwrap_or_else(|_| Playbook {
            name: "default".to_string(),
            max_breach_notice_hours: Some(48.0),
            min_subprocessor_notice_days: Some(30.0),
            max_deletion_days: None,
            transfers_need_basis: true,
            required: Vec::new(),
        })
    }

    /// Read a playbook file; a file that is not a valid playbook is a usage error that says
    /// where and why.
    pub fn load(path: &Path) -> Result<Playbook, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Usage(format!("cannot read playbook {}: {e}", path.display())))?;
        Playbook::parse(&text, &path.display().to_string())
    }

    /// Parse playbook TOML; `name` says where it came from.
    pub fn parse(text: &str, name: &str) -> Result<Playbook, Error> {
        let file: File = toml::from_str(text)
            .map_err(|e| Error::Usage(format!("playbook {name}: {}", e.message())))?;
        let bad = |what: String| Error::Usage(format!("playbook {name}: {what}"));
        for (key, value) in [
            ("breach_notice.max_hours", file.breach_notice.max_hours),
            (
                "subprocessors.min_notice_days",
                file.subprocessors.min_notice_days,
            ),
            ("deletion.max_days", file.deletion.max_days),
        ] {
            if value.is_some_and(|v| !v.is_finite() || v < 0.0) {
                return Err(bad(format!("{key} must be a number of 0 or more")));
            }
        }
        let mut required = Vec::new();
        for entry in file.require {
            if entry.id.trim().is_empty() || entry.any.iter().all(|t| t.trim().is_empty()) {
                return Err(bad(format!(
                    "[[require]] {:?} needs an id and at least one term in `any`",
                    entry.id
                )));
            }
            if super::Item::from_id(&entry.id).is_some()
                || required.iter().any(|r: &Requirement| r.id == entry.id)
            {
                return Err(bad(format!(
                    "[[require]] id {:?} is used twice (the art. 28 items have their own ids)",
                    entry.id
                )));
            }
            let pattern = terms_pattern(&entry.any)
                .map_err(|e| bad(format!("[[require]] {:?}: {e}", entry.id)))?;
            required.push(Requirement {
                provision: entry.provision.unwrap_or_else(|| "playbook".to_string()),
                id: entry.id,
                label: entry.label,
                any: entry.any,
                pattern,
            });
        }
        Ok(Playbook {
            name: name.to_string(),
            max_breach_notice_hours: file.breach_notice.max_hours,
            min_subprocessor_notice_days: file.subprocessors.min_notice_days,
            max_deletion_days: file.deletion.max_days,
            transfers_need_basis: file.transfers.require_basis,
            required,
        })
    }
}

/// Playbook terms as one pattern over folded text: words as written (folded the same way as
/// the text), `*` at a word's end for any ending; a word also matches as the end of a compound
/// (`forsikring` in `ansvarsforsikring`).
fn terms_pattern(terms: &[String]) -> Result<Regex, regex::Error> {
    let alternatives: Vec<String> = terms
        .iter()
        .filter(|t| !t.trim().is_empty())
        .map(|term| {
            let words: Vec<String> = super::evidence::fold(term)
                .split_whitespace()
                .map(|w| match w.strip_suffix('*') {
                    Some(stem) => format!("{}\\w*", regex::escape(stem)),
                    None => regex::escape(w),
                })
                .collect();
            // Danish compounds put the head last: `forsikring` finds `ansvarsforsikring`.
            format!(r"\b\w*{}\b", words.join(r"\s+"))
        })
        .collect();
    Regex::new(&alternatives.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_playbook_parses_to_the_documented_defaults() {
        let p = Playbook::parse(DEFAULT_PLAYBOOK, "default").expect("default parses");
        assert_eq!(p.max_breach_notice_hours, Some(48.0));
        assert_eq!(p.min_subprocessor_notice_days, Some(30.0));
        assert_eq!(p.max_deletion_days, None);
        assert!(p.transfers_need_basis);
        assert!(p.required.is_empty());
        assert_eq!(Playbook::default_playbook(), p);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors_that_say_where() {
        for (text, says) in [
            ("[breach_notice]\nmax_hour = 24\n", "max_hour"),
            ("[breach]\nmax_hours = 24\n", "breach"),
            ("[breach_notice]\nmax_hours = -1\n", "0 or more"),
            ("[breach_notice]\nmax_hours = \"24\"\n", "invalid type"),
            (
                "[[require]]\nid = \"audit\"\nlabel = \"x\"\nany = [\"x\"]\n",
                "used twice",
            ),
            (
                "[[require]]\nid = \"x\"\nlabel = \"x\"\nany = []\n",
                "at least one",
            ),
        ] {
            let err = Playbook::parse(text, "p.toml").expect_err(text).to_string();
            assert!(
                err.contains("p.toml") && err.contains(says),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn required_terms_match_folded_words_and_stems() {
        let p = Playbook::parse(
            "[[require]]\nid = \"insurance\"\nlabel = \"Forsikring\"\nany = [\"ansvarsforsikring*\", \"cyber insurance\"]\n",
            "p",
        )
        .expect("parses");
        let r = &p.required[0];
        assert_eq!(r.provision, "playbook");
        let m = |s: &str| r.pattern.is_match(&crate::review::evidence::fold(s));
        assert!(m("Leverandøren tegner en ANSVARSFORSIKRING."));
        assert!(m("has cyber   insurance"));
        assert!(m("erhvervsansvarsforsikringen"));
        assert!(!m("forsikring"));
        assert!(!m("cyber insurances"));
    }
}
