//! `aftale subprocessors`: the sub-processor register across the agreements in the index, one
//! line per company, with the agreements it appears in named by vendor (else file name) and
//! their current paths. `--name` folds like search (case, æ/ae, ø/oe/o, å/aa/a); `--id` ignores
//! spaces, dashes and a country prefix (`DK30806883` = `30 80 68 83`). An empty answer says
//! what was asked.

use std::collections::HashMap;

use super::{
    agreements_count, asked, fit_table, say_empty, terminal_width, Column, CsvArgs, IndexArgs, Out,
    EXIT_OK,
};
use crate::error::Error;
use crate::export::deadlines::shown_names;
use crate::export::register::{self as table, Query};
use crate::index::{Agreement, IndexStore};
use crate::record::Record;
use crate::register::{self, Company};

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
    let by_id = table::by_id(&agreements);
    let query = Query {
        name: args.name.clone(),
        id: args.id.clone(),
        third_country: args.third_country,
        ..Query::default()
    };
    let companies: Vec<Company> = register::register(&records)
        .into_iter()
        .filter(|c| query.keeps(c))
        .collect();
    let mut out = Out::new();
    if args.json {
        for c in &companies {
            out.json(&table::json(c, &by_id))?;
        }
    } else if args.csv.csv {
        out.csv_table(
            &args.csv,
            table::HEADER,
            companies.iter().map(|c| table::row(c, &by_id)),
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
