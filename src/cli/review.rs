//! `aftale review [FILE|DOC ...]`: agreements checked against GDPR art. 28 and a playbook.
//! One agreement: its checklist (each item present, weak or missing, with clauses and a quote
//! or a reason) and its key terms. None: every live agreement in the index as a matrix, one row
//! per agreement and one column per item. `--json` prints one review object per line, `--csv`
//! the matrix with the key terms for a spreadsheet, `--html` a self-contained report page.
//! Findings are data: the exit code is 0 when every agreement was reviewed.

use std::path::Path;

use super::{
    agreements_count, fit_table, read_record, terminal_width, Column, CsvArgs, IndexArgs, Out,
    ReadArgs, EXIT_OK, EXIT_SOME_FAILED,
};
use crate::error::Error;
use crate::export::review::{self as table, counts};
use crate::index::IndexStore;
use crate::record::Review;
use crate::review::report::{self, TERM_COLUMNS};
use crate::review::{playbook::DEFAULT_PLAYBOOK, review, Item, Playbook};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each item is judged from the clause wording: `present` (with the clauses \
    and a quote), `weak` (stated, but below the playbook or only in part) or `missing` (with the \
    reason). The playbook sets the thresholds: see `aftale review --print-playbook`.\n\n\
    Examples:\n  aftale review corpus/002_57dfb51f510d3c48.txt\n  aftale review --csv > review.csv\n  \
    aftale review --html > review.html"
)]
pub(super) struct Args {
    /// Agreements to review: files, or documents in the index (a path, its end, a key, a version
    /// id or a vendor, as `aftale docs` lists them). None: every agreement in the index
    #[arg(value_name = "FILE|DOC")]
    targets: Vec<String>,
    /// The playbook (TOML) with your thresholds and required items; the default is built in
    #[arg(long, value_name = "FILE")]
    playbook: Option<std::path::PathBuf>,
    /// Print the default playbook, to copy and edit
    #[arg(long, conflicts_with_all = ["targets", "json", "csv", "html", "playbook"])]
    print_playbook: bool,
    /// One JSON object per agreement: document, items, key terms
    #[arg(long, conflicts_with_all = ["csv", "html"])]
    json: bool,
    #[command(flatten)]
    csv: CsvArgs,
    /// A self-contained HTML report page (matrix, key terms, findings) on stdout
    #[arg(long, conflicts_with = "csv")]
    html: bool,
    /// Say on stderr which sentence gave each finding (every cue that held, by clause)
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    index: IndexArgs,
    #[command(flatten)]
    read: ReadArgs,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let mut out = Out::new();
    if args.print_playbook {
        out.line(DEFAULT_PLAYBOOK.trim_end())?;
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let playbook = match &args.playbook {
        Some(path) => Playbook::load(path)?,
        None => Playbook::default_playbook(),
    };
    let (reviews, failed) = collect(&args, &playbook)?;
    if reviews.is_empty() && failed == 0 {
        out.flush()?;
        eprintln!(
            "aftale: no agreements to review in the index {} (import some with `aftale ingest`)",
            args.index.index.display()
        );
        return Ok(EXIT_OK);
    }
    if args.json {
        for r in &reviews {
            out.json(r)?;
        }
    } else if args.csv.csv {
        csv(&mut out, &args.csv, &reviews)?;
    } else if args.html {
        out.line(report::html(&reviews))?;
    } else if let [one] = reviews.as_slice() {
        single(&mut out, one)?;
    } else {
        matrix(&mut out, &reviews)?;
    }
    out.flush()?;
    Ok(if failed > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    })
}

/// The reviews asked for, and how many inputs failed (each said on stderr).
fn collect(args: &Args, playbook: &Playbook) -> Result<(Vec<Review>, usize), Error> {
    let mut reviews = Vec::new();
    let mut failed = 0;
    if args.targets.is_empty() {
        let store = IndexStore::open(&args.index.index)?;
        for agreement in store.agreements()? {
            explain(args, &agreement.record);
            let mut r = review(&agreement.record, playbook);
            r.document.path = agreement.document.path.clone();
            reviews.push(r);
        }
        return Ok((reviews, failed));
    }
    let options = args.read.options();
    let mut store: Option<IndexStore> = None;
    for target in &args.targets {
        let path = Path::new(target);
        if path.is_file() {
            match read_record(path, &options) {
                Ok(record) => {
                    explain(args, &record);
                    reviews.push(review(&record, playbook));
                }
                Err(reason) => {
                    eprintln!("aftale: {reason}");
                    failed += 1;
                }
            }
            continue;
        }
        if store.is_none() {
            if !args.index.index.is_dir() {
                return Err(Error::Usage(format!(
                    "{target}: no such file, and no index at {} to look it up in",
                    args.index.index.display()
                )));
            }
            store = Some(IndexStore::open(&args.index.index)?);
        }
        let Some(store) = &store else { continue };
        let (document, _, record) = store.find_record(target)?;
        explain(args, &record);
        let mut r = review(&record, playbook);
        r.document.path = document.path.clone();
        reviews.push(r);
    }
    Ok((reviews, failed))
}

/// With `--explain`, the sentences behind the findings, on stderr.
fn explain(args: &Args, record: &crate::Record) {
    if args.explain {
        eprintln!("{}:", record.source.path);
        for line in crate::review::explain(record) {
            eprintln!("  {}", super::terminal_safe(&line));
        }
    }
}

/// One agreement: the checklist, then the key terms.
fn single(out: &mut Out, r: &Review) -> Result<(), Error> {
    out.line(format!(
        "{} · {} · id {} · playbook {}",
        report::agreement_name(r),
        r.document.path,
        r.document.id.chars().take(12).collect::<String>(),
        r.playbook
    ))?;
    let rows: Vec<Vec<String>> = r
        .items
        .iter()
        .map(|i| {
            vec![
                i.id.clone(),
                i.status.as_str().to_string(),
                i.clauses.join(", "),
                report::finding(i),
            ]
        })
        .collect();
    let columns = [
        Column::fixed("ITEM", 27),
        Column::fixed("STATUS", 7),
        Column::text("CLAUSES", 24, 7),
        Column::text("EVIDENCE / REASON", 200, 20),
    ];
    for line in fit_table(&columns, &rows, terminal_width()) {
        out.line(line)?;
    }
    let (missing, weak) = counts(r);
    out.line(format!(
        "{} of {} items missing, {weak} weak",
        missing,
        r.items.len()
    ))?;
    out.line("")?;
    out.line("KEY TERMS")?;
    for ((_, heading), value) in TERM_COLUMNS.iter().zip(report::term_cells(&r.key_terms)) {
        out.line(format!(
            "  {heading:<24} {}",
            if value.is_empty() { "—" } else { &value }
        ))?;
    }
    if let Some(t) = &r.key_terms.termination {
        out.line(format!("  {:<24} {t}", "Termination"))?;
    }
    Ok(())
}

/// Every agreement as a row, every item as a column (its short code; the legend follows).
fn matrix(out: &mut Out, reviews: &[Review]) -> Result<(), Error> {
    let Some(first) = reviews.first() else {
        return Ok(());
    };
    let mut columns = vec![Column::text("AGREEMENT", 40, 12)];
    // A playbook's own items have no code of their own: `+` and the legend names them.
    let codes: Vec<&'static str> = first
        .items
        .iter()
        .map(|i| Item::from_id(&i.id).map_or("+", Item::short))
        .collect();
    for code in &codes {
        columns.push(Column::fixed(code, 4));
    }
    columns.push(Column::right("MISSING", 7));
    columns.push(Column::right("WEAK", 4));
    let rows: Vec<Vec<String>> = reviews
        .iter()
        .map(|r| {
            let mut row = vec![report::agreement_name(r)];
            row.extend(r.items.iter().map(|i| report::mark(i.status).to_string()));
            let (missing, weak) = counts(r);
            row.push(missing.to_string());
            row.push(weak.to_string());
            row
        })
        .collect();
    for line in fit_table(&columns, &rows, terminal_width()) {
        out.line(line)?;
    }
    out.line(format!(
        "{} · ✓ present  ~ weak  ✗ missing · `aftale review DOC` for one agreement's clauses and reasons",
        agreements_count(reviews.len())
    ))?;
    let legend: Vec<String> = codes
        .iter()
        .zip(&first.items)
        .map(|(code, i)| format!("{code} {}", i.id))
        .collect();
    for chunk in legend.chunks(4) {
        out.line(chunk.join("  "))?;
    }
    Ok(())
}

/// The matrix for a spreadsheet: one row per agreement, the item statuses, the key terms.
fn csv(out: &mut Out, args: &CsvArgs, reviews: &[Review]) -> Result<(), Error> {
    out.csv_rows_sep(
        args.csv_sep,
        &table::header(reviews),
        reviews.iter().map(table::row),
    )
}
