//! The sub-processor register as a table: which companies a query keeps ([`Query`]), each
//! company as a CSV row ([`HEADER`], [`row`]) and as a JSON object ([`json`]) with the
//! agreements it appears in named and placed.

use std::collections::HashMap;

use crate::analysis::fold;
use crate::analysis::names::name_key;
use crate::index::Agreement;
use crate::register::Company;

/// The CSV columns, in order.
pub const HEADER: [&str; 12] = [
    "name",
    "identifier",
    "kind",
    "valid",
    "country",
    "third_country",
    "agreements",
    "categories",
    "locations",
    "flags",
    "vendors",
    "paths",
];

/// Which companies to keep: all of a query's parts must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Part of one of the company's names, folded like search (case, æ/ae, ø/oe/o, å/aa/a).
    pub name: Option<String>,
    /// Its registration number: spaces, dashes and a country prefix do not matter.
    pub id: Option<String>,
    /// Only companies some agreement says process data outside the EU/EEA.
    pub third_country: bool,
    /// Its country code (`US`, `DK`), any case.
    pub country: Option<String>,
    /// Only companies with a flag to review.
    pub flagged: bool,
}

impl Query {
    pub fn keeps(&self, c: &Company) -> bool {
        let name_ok = self.name.as_ref().is_none_or(|n| {
            let wanted = folded(n);
            c.names.iter().any(|name| folded(name).contains(&wanted))
        });
        let id_ok = self.id.as_ref().is_none_or(|id| {
            c.identifier
                .as_ref()
                .is_some_and(|i| same_number(id, &i.value))
        });
        let country_ok = self.country.as_ref().is_none_or(|wanted| {
            c.country
                .as_deref()
                .is_some_and(|cc| cc.eq_ignore_ascii_case(wanted.trim()))
        });
        name_ok
            && id_ok
            && country_ok
            && (!self.third_country || c.third_country == Some(true))
            && (!self.flagged || !c.flags.is_empty())
    }

    /// True when the query keeps every company.
    pub fn is_empty(&self) -> bool {
        *self == Query::default()
    }
}

/// A name as [`Query::name`] compares it: [`name_key`] folded like search ([`fold`]: `aa` = `å`,
/// `oe` = `ø`), spaces out.
fn folded(name: &str) -> String {
    fold(&name_key(name)).replace(' ', "")
}

/// Whether two registration numbers are one: letters and digits only, case ignored, and a
/// two-letter country prefix ignored where only one of them has it.
pub fn same_number(a: &str, b: &str) -> bool {
    let bare = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_uppercase()
    };
    let unprefixed = |s: &str| -> String {
        let mut chars = s.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(x), Some(y), Some(z))
                if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() && z.is_ascii_digit() =>
            {
                s[2..].to_string()
            }
            _ => s.to_string(),
        }
    };
    let (a, b) = (bare(a), bare(b));
    !a.is_empty() && (a == b || unprefixed(&a) == unprefixed(&b))
}

/// The agreements by record id, as [`row`] and [`json`] look them up.
pub fn by_id(agreements: &[Agreement]) -> HashMap<&str, &Agreement> {
    agreements
        .iter()
        .map(|a| (a.record.id.as_str(), a))
        .collect()
}

/// The agreements a company appears in, once each, in id order.
pub fn appears_in<'a>(c: &Company, by_id: &HashMap<&str, &'a Agreement>) -> Vec<&'a Agreement> {
    let mut ids: Vec<&str> = c.agreements.iter().map(|a| a.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.iter().filter_map(|id| by_id.get(id).copied()).collect()
}

/// A company as a CSV row, in [`HEADER`] order.
pub fn row(c: &Company, by_id: &HashMap<&str, &Agreement>) -> [String; 12] {
    let found = appears_in(c, by_id);
    let join = |f: &dyn Fn(&Agreement) -> String| {
        found.iter().map(|a| f(a)).collect::<Vec<_>>().join(" | ")
    };
    [
        c.name.clone(),
        c.identifier
            .as_ref()
            .map(|i| i.value.clone())
            .unwrap_or_default(),
        c.identifier
            .as_ref()
            .map(|i| i.kind.to_string())
            .unwrap_or_default(),
        c.identifier
            .as_ref()
            .map(|i| i.valid.to_string())
            .unwrap_or_default(),
        c.country.clone().unwrap_or_default(),
        c.third_country.map(|b| b.to_string()).unwrap_or_default(),
        join(&|a| a.name()),
        c.categories.join(" | "),
        c.locations.join(" | "),
        c.flags.join(" | "),
        join(&|a| a.record.vendor.clone().unwrap_or_default()),
        join(&|a| a.document.path.clone()),
    ]
}

/// A company as JSON: the register's fields, each appearance with the agreement's name, vendor
/// and current path.
pub fn json(c: &Company, by_id: &HashMap<&str, &Agreement>) -> serde_json::Value {
    let mut value = serde_json::to_value(c).unwrap_or(serde_json::Value::Null);
    let appearances: Vec<serde_json::Value> = c
        .agreements
        .iter()
        .map(|appearance| {
            let mut v = serde_json::to_value(appearance).unwrap_or(serde_json::Value::Null);
            if let (Some(a), Some(object)) = (by_id.get(appearance.id.as_str()), v.as_object_mut())
            {
                object.insert("path".into(), a.document.path.clone().into());
                object.insert("agreement".into(), a.name().into());
                object.insert("vendor".into(), a.record.vendor.clone().into());
            }
            v
        })
        .collect();
    if let Some(object) = value.as_object_mut() {
        object.insert("agreements".into(), appearances.into());
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_with_or_without_spaces_dashes_and_country() {
        for given in ["DK30806883", "30 80 68 83", "30-80-68-83", "dk 30806883"] {
            assert!(same_number(given, "30806883"), "{given}");
        }
        assert!(same_number("8256796U", "IE8256796U"));
        assert!(!same_number("30806884", "30806883"));
        assert!(!same_number("", "30806883"));
    }

    #[test]
    fn names_fold_like_search() {
        assert!(folded("Åkande ApS").contains(&folded("aakande")));
        assert!(folded("Bølgetop").contains(&folded("boelge")));
        assert!(folded("Bølgetop").contains(&folded("bolge")));
        assert!(folded("Træ Data").contains(&folded("trae")));
    }
}
