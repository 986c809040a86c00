//! `aftale extract FILE [--json]`: one document's record, without touching any index;
//! `aftale extract --jsonl PATH... | -`: many documents' records as a data set (JSON Lines, see
//! [`crate::dataset`]), read in parallel.

use std::io::BufRead;
use std::path::PathBuf;

use super::{clip, Out, ReadArgs, EXIT_INTERRUPTED, EXIT_OK, EXIT_SOME_FAILED};
use crate::error::Error;
use crate::record::Record;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "With --jsonl: reads files, folders (walked as `ingest` walks them) and, for \
    `-`, paths one per line on stdin, in parallel, and prints one JSON line per file in the order \
    given: the record with `status: ok`, `path`, `location` and `derived` (the register, deadline \
    and review facts other engines group by), or `status: failed|skipped` with the `reason`. \
    Nothing is dropped; a summary goes to stderr.\n\n\
    Examples:\n  aftale extract corpus/001_a01309c27944fe2b.txt\n  \
    aftale extract --jsonl corpus/ > records.jsonl\n  \
    find /data/dpa -name '*.pdf' | aftale extract --jsonl - -j 8 > records.jsonl\n\n\
    Exit status: 0 when every file was read (or skipped), 1 when any failed, 2 on a usage error, \
    130 when interrupted."
)]
pub(super) struct Args {
    /// The agreement to read (.pdf or .txt); with --jsonl any number of files and folders, `-`
    /// for paths on stdin
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
    /// Print the record as one JSON object (schema 3)
    #[arg(long, conflicts_with_all = ["csv", "jsonl"])]
    json: bool,
    /// Print one JSON line per file (record, or failure with its reason) for many files
    #[arg(long, conflicts_with_all = ["tables"])]
    jsonl: bool,
    /// With --jsonl: worker threads (default: one per core)
    #[arg(long, short = 'j', value_name = "N", requires = "jsonl")]
    jobs: Option<usize>,
    /// Print only the document's tables, row by row (with --csv: as CSV, with --json: as JSON)
    #[arg(long)]
    tables: bool,
    /// With --tables: write the tables as CSV (one line per row: table, clause, page, row, cells)
    #[arg(long, requires = "tables")]
    csv: bool,
    /// The CSV field separator, one ASCII character: `;` for a spreadsheet set up for Danish
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = super::csv_separator, requires = "csv")]
    csv_sep: u8,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    if args.jsonl {
        return jsonl(&args);
    }
    let [file] = args.files.as_slice() else {
        return Err(Error::Usage(format!(
            "extract reads one file ({} given); use --jsonl for many",
            args.files.len()
        )));
    };
    let spinner = progress(file);
    let read = super::read_record(file, &args.read.options());
    spinner.finish_and_clear();
    let record = match read {
        Ok(r) => r,
        Err(reason) => return Ok(failed(&reason)),
    };
    let mut out = Out::new();
    if args.tables && args.csv {
        tables_csv(&mut out, &record, args.csv_sep)?;
    } else if args.tables && args.json {
        out.line(serde_json::to_string_pretty(&record.tables)?)?;
    } else if args.tables {
        print_tables(&mut out, &record)?;
    } else if args.json {
        out.line(serde_json::to_string_pretty(&record)?)?;
    } else {
        print_record(&mut out, &record)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// `--jsonl`: the records of many files as JSON Lines, in the order given.
fn jsonl(args: &Args) -> Result<i32, Error> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for p in &args.files {
        if p.as_os_str() == "-" {
            for line in std::io::stdin().lock().lines() {
                let line = line?;
                let line = line.trim_end_matches('\r');
                if !line.trim().is_empty() {
                    paths.push(PathBuf::from(line));
                }
            }
        } else {
            paths.push(p.clone());
        }
    }
    crate::interrupt::install();
    // A path that does not exist gets its `failed` line like any other unreadable input.
    let inputs = crate::ingest::collect_inputs(&paths);
    let options = crate::dataset::ExtractOptions {
        read: args.read.options(),
        jobs: args.jobs,
    };
    let mut out = Out::new();
    let summary = crate::dataset::extract_lines(inputs, &options, |line| out.raw_line(line))?;
    out.flush()?;
    eprintln!(
        "aftale: {} inputs: {} read, {} failed, {} skipped{}",
        summary.inputs,
        summary.ok,
        summary.failed,
        summary.skipped,
        if summary.interrupted > 0 {
            format!(", {} not read (interrupted)", summary.interrupted)
        } else {
            String::new()
        }
    );
    Ok(
        if summary.interrupted > 0 || crate::interrupt::requested() {
            EXIT_INTERRUPTED
        } else if summary.failed > 0 {
            EXIT_SOME_FAILED
        } else {
            EXIT_OK
        },
    )
}

/// A spinner on stderr while the file is read, with the count of pages recognised so far: a
/// scan takes seconds a page. Hidden when stderr is not a terminal.
fn progress(file: &std::path::Path) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    use std::sync::atomic::Ordering;
    let bar = indicatif::ProgressBar::new_spinner();
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        return bar;
    }
    let style = indicatif::ProgressStyle::with_template("{spinner} reading {msg}{ocr}  {elapsed}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
        .with_key(
            "ocr",
            |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let pages = crate::source::ocr::PAGES_RECOGNISED.load(Ordering::Relaxed);
                if pages > 0 {
                    let _ = write!(w, ": {pages} pages OCR'd");
                }
            },
        );
    bar.set_style(style);
    bar.set_message(file.display().to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// Widest a column is printed in the terminal view of a table (longer cells are clipped).
const MAX_COLUMN: usize = 32;

fn print_tables(out: &mut Out, r: &Record) -> Result<(), Error> {
    if r.tables.is_empty() {
        out.line(format!("{}: no tables found", r.source.path))?;
        return Ok(());
    }
    for (k, t) in r.tables.iter().enumerate() {
        let pages = match (t.page, t.last_page) {
            (Some(a), Some(b)) => format!("pages {a}-{b}"),
            (Some(a), None) => format!("page {a}"),
            _ => "page ?".to_string(),
        };
        out.line(format!(
            "table {}: clause {}, {pages}, {} columns, {} rows ({})",
            k + 1,
            t.clause.as_deref().unwrap_or("-"),
            t.width(),
            t.rows.len(),
            serde_json::to_value(t.format)?.as_str().unwrap_or("-"),
        ))?;
        let rows: Vec<Vec<String>> = std::iter::once(&t.header)
            .filter(|h| !h.is_empty())
            .chain(&t.rows)
            .map(|row| row.iter().map(|c| clip(c, MAX_COLUMN)).collect())
            .collect();
        let mut widths = vec![0; t.width()];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for (i, row) in rows.iter().enumerate() {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            out.line(format!("  {}", line.join(" | ").trim_end()))?;
            if i == 0 && !t.header.is_empty() {
                let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
                out.line(format!("  {}", rule.join("-+-")))?;
            }
        }
    }
    Ok(())
}

/// The tables as CSV: `table, clause, page, row, cell_1 … cell_N` (N the widest table; `row` is
/// `header` or the 1-based row number). The CSV writer guards cells a spreadsheet would run as a
/// formula.
fn tables_csv(out: &mut Out, r: &Record, sep: u8) -> Result<(), Error> {
    let width = r.tables.iter().map(|t| t.width()).max().unwrap_or(0);
    let mut header: Vec<String> = ["table", "clause", "page", "row"]
        .map(String::from)
        .to_vec();
    header.extend((1..=width).map(|k| format!("cell_{k}")));
    let mut lines: Vec<Vec<String>> = Vec::new();
    for (k, t) in r.tables.iter().enumerate() {
        let head = std::iter::once(&t.header).filter(|h| !h.is_empty());
        let labels = head
            .clone()
            .map(|_| "header".to_string())
            .chain((1..).map(|n: usize| n.to_string()));
        for (label, row) in labels.zip(head.chain(&t.rows)) {
            let mut line = vec![
                (k + 1).to_string(),
                t.clause.clone().unwrap_or_default(),
                t.page.map(|p| p.to_string()).unwrap_or_default(),
                label,
            ];
            line.extend(row.iter().cloned());
            line.resize(header.len(), String::new());
            lines.push(line);
        }
    }
    out.csv_rows_sep(sep, &header, lines.into_iter())
}

fn failed(reason: &str) -> i32 {
    eprintln!("aftale: {}", super::terminal_safe(reason));
    EXIT_SOME_FAILED
}

fn print_record(out: &mut Out, r: &Record) -> Result<(), Error> {
    let none = || "-".to_string();
    out.line(&r.source.path)?;
    out.line(format!(
        "  title: {}   version: {}   date: {}",
        r.title.clone().unwrap_or_else(none),
        r.version.clone().unwrap_or_else(none),
        r.date.clone().unwrap_or_else(none)
    ))?;
    out.line(format!(
        "  language: {} ({:.2})   format: {}{}, {} page(s), {} bytes",
        r.language.code,
        r.language.confidence,
        r.source.format.as_str(),
        r.source
            .encoding
            .as_ref()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default(),
        r.source.pages,
        r.source.bytes
    ))?;
    out.line(format!("  id: {}", r.id))?;
    let numbered = r.clauses.iter().filter(|c| c.number.is_some()).count();
    out.line(format!("clauses: {numbered} numbered"))?;
    // Everything but the preamble: unnumbered headings (appendices, `FORCE MAJEURE`) show as `-`,
    // numbers inferred or corrected from the sequence with a `*`.
    for c in r.clauses.iter().filter(|c| c.level > 0) {
        let indent = "  ".repeat(c.level as usize);
        // The repaired reading where OCR repair changed the heading or the text.
        let label = match c.reading_heading() {
            Some(h) => h.to_string(),
            None => clip(c.reading_text(), 60),
        };
        let page = c.page.map(|p| format!("  (p. {p})")).unwrap_or_default();
        let number = c.number.as_deref().unwrap_or("-");
        let mark = if c.inferred { "*" } else { "" };
        out.line(format!("{indent}{number}{mark} {label}{page}"))?;
    }
    out.line(format!(
        "identifiers: {}   sub-processors: {}   deadlines: {}   change log entries: {}",
        r.identifiers.len(),
        r.subprocessors.len(),
        r.deadlines.len(),
        r.changelog.len()
    ))?;
    // Identifiers of the sub-processor list are shown with their rows below.
    for i in r
        .identifiers
        .iter()
        .filter(|i| !r.subprocessors.iter().any(|s| s.name == i.context))
    {
        let validity = if i.valid { "valid" } else { "INVALID" };
        out.line(format!(
            "  {} {} ({validity}) in {}",
            i.kind,
            i.value,
            i.clause.as_deref().unwrap_or("preamble")
        ))?;
    }
    for d in &r.deadlines {
        let amount = match (d.amount, d.every, d.unit) {
            (Some(a), _, Some(u)) => format!(", {a} {u}"),
            (None, Some(e), Some(u)) => format!(", {e} per {u}"),
            _ => String::new(),
        };
        let qualifier = d.qualifier.map(|q| format!(" {q}")).unwrap_or_default();
        let clause = d.clause.as_deref().unwrap_or("-");
        out.line(format!(
            "  {clause} {}{amount}{qualifier}: {}",
            d.kind,
            clip(&d.text, 70)
        ))?;
    }
    for s in &r.subprocessors {
        let id = s
            .identifier
            .as_ref()
            .map(|i| format!(" {}{}", i.value, if i.valid { "" } else { " (INVALID)" }))
            .unwrap_or_default();
        let third = if s.third_country == Some(true) {
            ", outside EU/EEA"
        } else {
            ""
        };
        out.line(format!(
            "  {}: {}{id} [{}{third}]",
            s.category.as_deref().or(s.clause.as_deref()).unwrap_or("-"),
            s.name,
            s.country.as_deref().unwrap_or("?")
        ))?;
    }
    if let Some(source) = &r.subprocessor_source {
        out.line(format!(
            "  sub-processor list kept elsewhere ({}): {}",
            source.kind,
            clip(&source.text, 80)
        ))?;
    }
    if let (Some(first), Some(last)) = (r.changelog.first(), r.changelog.last()) {
        out.line(format!(
            "change log: {} ({}) … {} ({})",
            first.version,
            first.date.as_deref().unwrap_or("?"),
            last.version,
            last.date.as_deref().unwrap_or("?")
        ))?;
    }
    if !r.warnings.is_empty() {
        out.line("warnings:")?;
        for w in &r.warnings {
            out.line(format!("  {w}"))?;
        }
    }
    Ok(())
}
