//! `aftale subprocessors`: the sub-processor register across the agreements in the index, one
//! line per company, with the agreements it appears in named by vendor (else file name) and
//! their current paths. `--name` folds like search (case, æ/ae, ø/oe/o, å/aa/a); `--id` ignores
//! spaces, dashes and a country prefix (`DK30806883` = `30 80 68 83`). An empty answer says
//! what was asked.

use std::collections::HashMap;

use super::deadlines::shown_names;
use super::{
    agreements_count, asked, fit_table, say_empty, terminal_width, Column, CsvArgs, IndexArgs, Out,
    EXIT_OK,
};
use crate::error::Error;
use crate::index::{Agreement, IndexStore};
use crate::record::Record;
use crate::register::{self, name_key, Company};
use crate::search::fold;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "One line per company, merged across agreements by registration number (else by \
    name). AGREEMENTS names the agreements it appears in by their vendor (else their file name). \
    FLAGS shows what a reviewer should look at: a number used for differently named companies, a \
    number that fails its check digit, a name that says the company is bankrupt.\n\n\
    Examples:\n  aftale subprocessors --name microsoft\n  aftale subprocessors --id DK30806883\n  \
    aftale subprocessors --third-country --csv --csv-sep ';'"
)]
pub(super) struct Args {
    #[command(flatten)]
    index: IndexArgs,
    /// Only companies whose name contains TEXT (case insensitive; æ/ae, ø/oe/o, å/aa/a alike)
    #[arg(long, value_name = "TEXT")]
    name: Option<String>,
    /// Only the company with this registration number (CVR, VAT, EIN …): spaces, dashes and a
    /// country prefix (DK) do not matter
    #[arg(long, value_name = "NUMBER")]
    id: Option<String>,
    /// Only companies that some agreement says process data outside the EU/EEA
    #[arg(long)]
    third_country: bool,
    /// Print JSON Lines, one company per line
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    #[command(flatten)]
    csv: CsvArgs,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let store = IndexStore::open(&args.index.index)?;
    let agreements = store.agreements()?;
    let records: Vec<Record> = agreements.iter().map(|a| a.record.clone()).collect();
    let by_id: HashMap<&str, &Agreement> = agreements
        .iter()
        .map(|a| (a.record.id.as_str(), a))
        .collect();
    let companies: Vec<Company> = register::register(&records)
        .into_iter()
        .filter(|c| keep(c, &args))
        .collect();
    let mut out = Out::new();
    if args.json {
        for c in &companies {
            out.json(&json(c, &by_id))?;
        }
    } else if args.csv.csv {
        out.csv_table(
            &args.csv,
            [
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
            ],
            companies.iter().map(|c| row(c, &by_id)),
        )?;
    } else if !companies.is_empty() {
        let shown = shown_names(&agreements);
        let rows: Vec<Vec<String>> = companies
            .iter()
            .map(|c| {
                let names = in_agreements(c, &by_id, &shown);
                vec![
                    c.name.clone(),
                    c.identifier
                        .as_ref()
                        .map_or_else(|| "-".to_string(), |i| i.value.clone()),
                    c.country.clone().unwrap_or_else(|| "-".into()),
                    names.len().to_string(),
                    match c.third_country {
                        Some(true) => "yes",
                        Some(false) => "no",
                        None => "-",
                    }
                    .to_string(),
                    first_names(&names),
                    if c.flags.is_empty() {
                        "-".to_string()
                    } else {
                        c.flags.join("; ")
                    },
                ]
            })
            .collect();
        for l in fit_table(&COLUMNS, &rows, terminal_width()) {
            out.line(l)?;
        }
        let n = companies.len();
        out.line(format!(
            "{n} {}",
            if n == 1 { "company" } else { "companies" }
        ))?;
    }
    if companies.is_empty() {
        let mut filters: Vec<(&str, Option<String>)> = Vec::new();
        if let Some(name) = &args.name {
            filters.push(("--name", Some(name.clone())));
        }
        if let Some(id) = &args.id {
            filters.push(("--id", Some(id.clone())));
        }
        if args.third_country {
            filters.push(("--third-country", None));
        }
        let what = asked(&filters);
        let message = if what.is_empty() {
            format!(
                "no sub-processors in {}",
                agreements_count(agreements.len())
            )
        } else {
            format!(
                "no sub-processors match {what} in {}",
                agreements_count(agreements.len())
            )
        };
        say_empty(&mut out, args.json || args.csv.csv, &message)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// The text table: the company, where it is, how many agreements and which, the flags.
const COLUMNS: [Column; 7] = [
    Column::text("COMPANY", 40, 12),
    Column::fixed("ID", 16),
    Column::fixed("CC", 3),
    Column::right("DOCS", 4),
    Column::fixed("3RD", 6),
    Column::text("AGREEMENTS", 36, 10),
    Column::text("FLAGS", 200, 10),
];

/// The first two agreement names, and `+N` for the others.
fn first_names(names: &[String]) -> String {
    match names {
        [] => "-".to_string(),
        [a] => a.clone(),
        [a, b] => format!("{a}, {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} +{}", rest.len()),
    }
}

/// The agreements a company appears in, once each, by name as the text table shows them
/// ([`shown_names`]), in name order.
fn in_agreements(
    c: &Company,
    by_id: &HashMap<&str, &Agreement>,
    shown: &HashMap<&str, String>,
) -> Vec<String> {
    let mut names: Vec<(String, String)> = Vec::new();
    for appearance in &c.agreements {
        let name = by_id.get(appearance.id.as_str()).map_or_else(
            || appearance.path.clone(),
            |a| {
                shown
                    .get(a.document.path.as_str())
                    .cloned()
                    .unwrap_or_else(|| a.name())
            },
        );
        if !names.iter().any(|(id, _)| *id == appearance.id) {
            names.push((appearance.id.clone(), name));
        }
    }
    let mut names: Vec<String> = names.into_iter().map(|(_, n)| n).collect();
    names.sort();
    names
}

/// A company as JSON: the register's fields, each appearance with the agreement's name, vendor
/// and current path.
fn json(c: &Company, by_id: &HashMap<&str, &Agreement>) -> serde_json::Value {
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

fn keep(c: &Company, args: &Args) -> bool {
    let name_ok = args.name.as_ref().is_none_or(|n| {
        let wanted = folded(n);
        c.names.iter().any(|name| folded(name).contains(&wanted))
    });
    let id_ok = args.id.as_ref().is_none_or(|id| {
        c.identifier
            .as_ref()
            .is_some_and(|i| same_number(id, &i.value))
    });
    name_ok && id_ok && (!args.third_country || c.third_country == Some(true))
}

/// A name as `--name` compares it: [`name_key`] folded like search ([`fold`]: `aa` = `å`,
/// `oe` = `ø`), spaces out.
fn folded(name: &str) -> String {
    fold(&name_key(name)).replace(' ', "")
}

/// Whether two registration numbers are one: letters and digits only, case ignored, and a
/// two-letter country prefix ignored where only one of them has it.
fn same_number(a: &str, b: &str) -> bool {
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

fn row(c: &Company, by_id: &HashMap<&str, &Agreement>) -> [String; 12] {
    let mut ids: Vec<&str> = c.agreements.iter().map(|a| a.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let found: Vec<&Agreement> = ids.iter().filter_map(|id| by_id.get(id).copied()).collect();
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
            .map(|i| i.kind.clone())
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
