//! `aftale subprocessors`: the sub-processor register across the agreements in the index.

use super::{clip, IndexArgs, Out, EXIT_OK};
use crate::error::Error;
use crate::index::IndexStore;
use crate::register::{self, name_key, Company};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "One line per company, merged across agreements by registration number (else by \
    name). FLAGS shows what a reviewer should look at: a number used for differently named \
    companies, a number that fails its check digit, a name that says the company is bankrupt.\n\n\
    Examples:\n  aftale subprocessors --name microsoft\n  aftale subprocessors --third-country --csv"
)]
pub(super) struct Args {
    #[command(flatten)]
    index: IndexArgs,
    /// Only companies whose name contains TEXT (case and æøå insensitive)
    #[arg(long, value_name = "TEXT")]
    name: Option<String>,
    /// Only the company with this registration number (CVR, VAT, EIN …)
    #[arg(long, value_name = "NUMBER")]
    id: Option<String>,
    /// Only companies that some agreement says process data outside the EU/EEA
    #[arg(long)]
    third_country: bool,
    /// Print JSON Lines, one company per line
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV with a header row
    #[arg(long)]
    csv: bool,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let store = IndexStore::open(&args.index.index)?;
    let companies: Vec<Company> = register::register(&store.latest_records()?)
        .into_iter()
        .filter(|c| keep(c, &args))
        .collect();
    let mut out = Out::new();
    if args.json {
        for c in &companies {
            out.json(c)?;
        }
    } else if args.csv {
        out.csv(
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
            ],
            companies.iter().map(row),
        )?;
    } else {
        out.line(format!(
            "{:<40} {:<16} {:<3} {:>4} {:<6} FLAGS",
            "COMPANY", "ID", "CC", "DOCS", "3RD"
        ))?;
        for c in &companies {
            let [_, id, ..] = row(c);
            out.line(format!(
                "{:<40} {:<16} {:<3} {:>4} {:<6} {}",
                clip(&c.name, 40),
                id,
                c.country.as_deref().unwrap_or("-"),
                distinct_agreements(c),
                match c.third_country {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "-",
                },
                c.flags.join("; ")
            ))?;
        }
        let n = companies.len();
        out.line(format!(
            "{n} {}",
            if n == 1 { "company" } else { "companies" }
        ))?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn keep(c: &Company, args: &Args) -> bool {
    let name_ok = args.name.as_ref().is_none_or(|n| {
        let wanted = name_key(n);
        c.names.iter().any(|name| name_key(name).contains(&wanted))
    });
    let id_ok = args.id.as_ref().is_none_or(|id| {
        let wanted: String = id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_uppercase();
        c.identifier.as_ref().is_some_and(|i| {
            i.value
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_uppercase()
                == wanted
        })
    });
    name_ok && id_ok && (!args.third_country || c.third_country == Some(true))
}

fn distinct_agreements(c: &Company) -> usize {
    let mut ids: Vec<&str> = c.agreements.iter().map(|a| a.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

fn row(c: &Company) -> [String; 10] {
    let mut paths: Vec<&str> = c.agreements.iter().map(|a| a.path.as_str()).collect();
    paths.dedup();
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
        paths.join(" | "),
        c.categories.join(" | "),
        c.locations.join(" | "),
        c.flags.join(" | "),
    ]
}
