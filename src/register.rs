//! The sub-processor register across agreements: [`Record`]s → one [`Company`] per company.
//!
//! Rows are merged by registration number where they have one, else by their name folded
//! (case, æøå, punctuation and company forms ignored). Each company lists the agreements and
//! service categories it appears in, where it processes data, and whether any agreement flags a
//! third-country transfer. Inconsistencies a reviewer should see become `flags`: one number
//! used for differently named companies, a number that fails its check, a name that says the
//! company is bankrupt (`Konkurs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::names::name_key;
use crate::record::{Record, RowIdentifier, Subprocessor};

/// One company across all agreements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Company {
    /// The name as most often written.
    pub name: String,
    /// Every distinct spelling seen.
    pub names: Vec<String>,
    pub identifier: Option<RowIdentifier>,
    pub country: Option<String>,
    /// `true` when any agreement flags a transfer outside the EU/EEA, `false` when all confine
    /// it there, `None` when none says.
    pub third_country: Option<bool>,
    pub transfer_bases: Vec<String>,
    pub categories: Vec<String>,
    pub locations: Vec<String>,
    pub agreements: Vec<Appearance>,
    pub flags: Vec<String>,
}

/// Where a company appears.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appearance {
    /// Content id of the agreement version.
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub version: Option<String>,
    pub category: Option<String>,
    pub clause: Option<String>,
}

fn id_key(id: &RowIdentifier) -> String {
    id.value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase()
}

/// The key rows of one company share: `id:` and the registration number (letters and digits,
/// upper case) where the row has one, else `name:` and the folded name ([`name_key`]).
pub fn group_key(row: &Subprocessor) -> String {
    match &row.identifier {
        Some(id) => format!("id:{}", id_key(id)),
        None => format!("name:{}", name_key(&row.name)),
    }
}

/// Whether a company name says the company is bankrupt (`… ApS under konkurs`).
pub fn says_bankrupt(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains("konkurs") || lower.contains("bankrupt")
}

/// Build the register from the records of the agreements.
pub fn register(records: &[Record]) -> Vec<Company> {
    let mut by_key: BTreeMap<String, Vec<(&Record, &Subprocessor)>> = BTreeMap::new();
    for record in records {
        for row in &record.subprocessors {
            by_key
                .entry(group_key(row))
                .or_default()
                .push((record, row));
        }
    }
    let mut companies: Vec<Company> = by_key.into_values().map(company).collect();
    companies.sort_by_cached_key(|c| name_key(&c.name));
    companies
}

fn company(rows: Vec<(&Record, &Subprocessor)>) -> Company {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, row) in &rows {
        *counts.entry(row.name.as_str()).or_default() += 1;
    }
    let name = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(name, _)| name.to_string())
        .unwrap_or_default();
    let names: Vec<String> = counts.keys().map(|s| s.to_string()).collect();
    let identifier = rows.iter().find_map(|(_, r)| r.identifier.clone());
    let country = rows.iter().find_map(|(_, r)| r.country.clone());
    let flags_seen: Vec<Option<bool>> = rows.iter().map(|(_, r)| r.third_country).collect();
    let third_country = if flags_seen.contains(&Some(true)) {
        Some(true)
    } else if !flags_seen.is_empty() && flags_seen.iter().all(|f| *f == Some(false)) {
        Some(false)
    } else {
        None
    };
    let distinct = |values: Vec<Option<String>>| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in values.into_iter().flatten() {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    };
    let categories = distinct(rows.iter().map(|(_, r)| r.category.clone()).collect());
    let locations = distinct(rows.iter().map(|(_, r)| r.location.clone()).collect());
    let transfer_bases = distinct(rows.iter().map(|(_, r)| r.transfer_basis.clone()).collect());
    let agreements = rows
        .iter()
        .map(|(rec, row)| Appearance {
            id: rec.id.clone(),
            path: rec.source.path.clone(),
            title: rec.title.clone(),
            version: rec.version.clone(),
            category: row.category.clone(),
            clause: row.clause.clone(),
        })
        .collect();
    let mut flags = Vec::new();
    let mut keys: Vec<String> = names.iter().map(|n| name_key(n)).collect();
    keys.dedup();
    if let Some(id) = &identifier {
        if !id.valid {
            flags.push(format!("{} {} fails its check", id.kind.label(), id.value));
        }
        if names_differ(&keys) {
            flags.push(format!(
                "{} {} is used for different names: {}",
                id.kind.label(),
                id.value,
                names.join(" / ")
            ));
        }
    }
    if names.iter().any(|n| says_bankrupt(n)) {
        flags.push("the name says the company is bankrupt (Konkurs)".to_string());
    }
    Company {
        name,
        names,
        identifier,
        country,
        third_country,
        transfer_bases,
        categories,
        locations,
        agreements,
        flags,
    }
}

/// Are these name keys for different companies (less than half of the words shared)?
fn names_differ(keys: &[String]) -> bool {
    keys.iter().enumerate().any(|(i, a)| {
        keys[i + 1..].iter().any(|b| {
            let wa: Vec<&str> = a.split_whitespace().collect();
            let wb: Vec<&str> = b.split_whitespace().collect();
            let shared = wa.iter().filter(|w| wb.contains(w)).count();
            shared * 2 < wa.len().min(wb.len()).max(1)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, id: Option<(&str, bool)>, third: Option<bool>) -> Subprocessor {
        Subprocessor {
            name: name.into(),
            identifier: id.map(|(v, valid)| RowIdentifier {
                kind: crate::record::IdentifierKind::Cvr,
                value: v.into(),
                valid,
            }),
            address: None,
            country: Some("DK".into()),
            location: None,
            description: None,
            transfer: None,
            third_country: third,
            transfer_basis: None,
            category: Some("Hosting".into()),
            clause: Some("B.1".into()),
            extra: Default::default(),
        }
    }

    fn record(rows: Vec<Subprocessor>) -> Record {
        let mut r: Record = serde_json::from_str(
            r#"{"schema":1,"id":"x","source":{"path":"a.txt","format":"text","pages":1,"bytes":1},
                "language":{"code":"da","confidence":1.0},"title":null,"version":null,"date":null,
                "clauses":[],"subprocessors":[],"identifiers":[],"deadlines":[],"changelog":[],"warnings":[]}"#,
        )
        .unwrap();
        r.subprocessors = rows;
        r
    }

    #[test]
    fn merges_by_number_and_flags_what_a_reviewer_should_see() {
        let records = [
            record(vec![
                row("Evalesco A/S", Some(("30806883", true)), Some(false)),
                row("Keepit A/S", Some(("30806883", true)), Some(true)),
                row(
                    "Tricent Security Group ApS - Konkurs 28/2-24",
                    Some(("43757644", true)),
                    None,
                ),
                row("ComArchive", Some(("409277360", false)), None),
            ]),
            record(vec![
                row("Uniqkey", None, Some(false)),
                row("Uniqkey ApS", None, Some(false)),
            ]),
        ];
        let companies = register(&records);
        assert_eq!(companies.len(), 4);
        let shared = companies
            .iter()
            .find(|c| c.names.len() == 2 && c.identifier.is_some())
            .unwrap();
        assert_eq!(shared.third_country, Some(true));
        assert!(shared.flags.iter().any(|f| f.contains("different names")));
        assert!(companies
            .iter()
            .any(|c| c.flags.iter().any(|f| f.contains("Konkurs"))));
        assert!(companies
            .iter()
            .any(|c| c.flags.iter().any(|f| f.contains("fails its check"))));
        let uniqkey = companies
            .iter()
            .find(|c| c.name.starts_with("Uniqkey"))
            .unwrap();
        assert_eq!((uniqkey.agreements.len(), uniqkey.flags.len()), (2, 0));
    }
}
