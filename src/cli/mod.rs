//! The command line: parse arguments, call the library, print. One file per subcommand.
//!
//! Conventions for every subcommand: data on stdout (a human table by default, `--json` for
//! machines), progress and diagnostics on stderr, exit code 0 on success, 1 when some input
//! failed, 2 on a usage or setup error. A closed stdout (`aftale docs | head`) ends quietly.

mod deadlines;
mod diff;
mod docs;
mod export;
mod extract;
mod index;
mod ingest;
mod remove;
mod review;
mod search;
mod serve;
mod show;
mod subprocessors;
mod table;
mod topics;

use table::{fit_table, Column};

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::compare::render::clip;
use crate::error::Error;
use crate::index::DEFAULT_INDEX_DIR;
use crate::source::{OcrMode, OcrOptions, PdfReader, ReadOptions};

/// Exit codes.
pub const EXIT_OK: i32 = 0;
pub const EXIT_SOME_FAILED: i32 = 1;
pub const EXIT_ERROR: i32 = 2;
/// Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

#[derive(Debug, Parser)]
#[command(
    name = "aftale",
    version,
    about = "Read Danish data processing agreements (databehandleraftaler) into structured, searchable records",
    after_help = "Reads .pdf (text layer) and .txt files (UTF-8, UTF-16, Windows-1252/Latin-1).\n\
                  Index location: ./aftale-index unless --index DIR is given."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import agreements from files and folders into the index
    Ingest(ingest::Args),
    /// Build or update the index from records made elsewhere (`extract --jsonl`, the Spark job)
    Index(index::Args),
    /// Read one agreement and print its record (clauses, facts, warnings) without indexing it
    Extract(extract::Args),
    /// Find clauses across all agreements (Danish, with or without æøå, OCR-tolerant)
    Search(search::Args),
    /// List the documents in the index with their versions
    Docs(docs::Args),
    /// One agreement from the index: parties, versions, deadlines, sub-processors, change log
    Show(show::Args),
    /// Retire a document: out of every answer, its history kept (`--purge` deletes it)
    Remove(remove::Args),
    /// The clause topics, with their Danish names, for `--topic` and `topic:`
    Topics(topics::Args),
    /// The sub-processors of all agreements, one line per company, with flags to review
    Subprocessors(subprocessors::Args),
    /// The deadlines of all agreements side by side (breach notice, objection periods, …)
    Deadlines(deadlines::Args),
    /// What changed between two versions of an agreement: clauses, deadlines, sub-processors
    Diff(diff::Args),
    /// Check agreements against GDPR art. 28 and a playbook: present, weak, missing; key terms
    Review(review::Args),
    /// Serve the index as a local web app: search, agreements, register, deadlines, review
    Serve(serve::Args),
    /// Every clause as a flat document: an OpenSearch `_bulk` body, JSON Lines or CSV
    Export(export::Args),
    /// Internal: read PDF bytes from stdin and print their page texts as one JSON line
    #[command(name = "pdf-worker", hide = true)]
    PdfWorker,
}

/// Options shared by the commands that read documents.
#[derive(Debug, Clone, clap::Args)]
struct ReadArgs {
    /// Give up on a PDF whose text takes longer than this many seconds, and on one page's OCR
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    timeout: u64,
    /// OCR of PDF pages with Tesseract (Danish): `auto` reads pages without a usable text
    /// layer (scans, garbage text), `always` every page, `never` none
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = OcrArg::Auto)]
    ocr: OcrArg,
    /// Resolution pages are rendered at for OCR (300 for small print)
    #[arg(long, value_name = "DPI", default_value_t = 150, value_parser = clap::value_parser!(u32).range(50..=1200))]
    ocr_dpi: u32,
    /// Refuse files larger than this many MiB
    #[arg(long, value_name = "MIB", default_value_t = 100)]
    max_file_mb: u64,
}

impl ReadArgs {
    /// The reading configuration: PDFs are read in a child process of this same binary, so a
    /// crash or hang of the PDF parser ends only that document.
    fn options(&self) -> ReadOptions {
        let pdf_reader = match std::env::current_exe() {
            Ok(program) => PdfReader::Subprocess {
                program,
                args: vec![OsString::from("pdf-worker")],
            },
            Err(_) => PdfReader::InThread,
        };
        ReadOptions {
            max_bytes: self.max_file_mb.saturating_mul(1 << 20),
            pdf_timeout: Duration::from_secs(self.timeout.max(1)),
            pdf_reader,
            ocr: OcrOptions {
                mode: match self.ocr {
                    OcrArg::Auto => OcrMode::Auto,
                    OcrArg::Always => OcrMode::Always,
                    OcrArg::Never => OcrMode::Never,
                },
                page_timeout: Duration::from_secs(self.timeout.max(1)),
                dpi: self.ocr_dpi,
                notify_missing: true,
                ..OcrOptions::default()
            },
        }
    }
}

/// `--ocr`, as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OcrArg {
    Auto,
    Always,
    Never,
}

/// `--index DIR`, shared by the commands that use the index.
#[derive(Debug, Clone, clap::Args)]
struct IndexArgs {
    /// Index folder
    #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX_DIR)]
    index: PathBuf,
}

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    let result = match cli.command {
        Command::Ingest(args) => ingest::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Docs(args) => docs::run(args),
        Command::Show(args) => show::run(args),
        Command::Remove(args) => remove::run(args),
        Command::Topics(args) => topics::run(args),
        Command::Subprocessors(args) => subprocessors::run(args),
        Command::Deadlines(args) => deadlines::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Review(args) => review::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Export(args) => export::run(args),
        Command::PdfWorker => Ok(crate::source::pdf::run_worker()),
    };
    match result {
        Ok(code) => code,
        Err(Error::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("aftale: {}", terminal_safe(&e.to_string()));
            EXIT_ERROR
        }
    }
}

/// stdout, locked once per command; errors (a closed pipe) propagate as [`Error::Io`].
struct Out {
    inner: io::BufWriter<io::StdoutLock<'static>>,
}

impl Out {
    fn new() -> Out {
        Out {
            inner: io::BufWriter::new(io::stdout().lock()),
        }
    }

    fn line(&mut self, s: impl AsRef<str>) -> Result<(), Error> {
        writeln!(self.inner, "{}", terminal_safe(s.as_ref()))?;
        Ok(())
    }

    /// A line of JSON as it is: JSON escapes every control character, so nothing is taken out.
    fn raw_line(&mut self, s: &str) -> Result<(), Error> {
        self.inner.write_all(s.as_bytes())?;
        self.inner.write_all(b"\n")?;
        Ok(())
    }

    /// One JSON value on one line.
    fn json(&mut self, value: &impl serde::Serialize) -> Result<(), Error> {
        // Serialise first, so that a closed pipe surfaces as an I/O error, not a JSON one.
        let line = serde_json::to_string(value)?;
        self.line(line)
    }

    /// A CSV table as `--csv [--csv-sep C]` asks for it (see [`Out::csv_rows_sep`]).
    fn csv_table<const N: usize>(
        &mut self,
        args: &CsvArgs,
        header: [&str; N],
        rows: impl Iterator<Item = [String; N]>,
    ) -> Result<(), Error> {
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        self.csv_rows_sep(args.csv_sep, &header, rows.map(Vec::from))
    }

    /// The one CSV writer: a UTF-8 byte order mark (so a spreadsheet reads æøå right), the
    /// header row, then the rows, cells separated by `sep` and quoted where needed. Every cell
    /// goes through [`spreadsheet_safe`], so no cell runs as a formula.
    fn csv_rows_sep(
        &mut self,
        sep: u8,
        header: &[String],
        rows: impl Iterator<Item = Vec<String>>,
    ) -> Result<(), Error> {
        crate::export::write_csv(&mut self.inner, sep, header, rows).map_err(|e| {
            match e.into_kind() {
                csv::ErrorKind::Io(io) => Error::Io(io),
                other => Error::Usage(format!("cannot write CSV: {other:?}")),
            }
        })
    }

    fn flush(&mut self) -> Result<(), Error> {
        self.inner.flush()?;
        Ok(())
    }
}

/// The width of the terminal stdout goes to, for tables that should fit it: `None` when stdout
/// is not a terminal (a pipe or file gets whole cells). `COLUMNS` overrides what the terminal
/// says.
fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
    {
        return Some(columns.max(40));
    }
    if !io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(terminal_size::Width(w), _)| usize::from(w).max(40))
}

/// Read and analyse one file for a command that shows one document: its record, or the file
/// and the one-line reason it could not be read.
fn read_record(path: &std::path::Path, options: &ReadOptions) -> Result<crate::Record, String> {
    let shown = path.display().to_string();
    let fail = |reason: String| format!("{shown}: {reason}");
    let bytes = crate::source::load(path, options).map_err(|e| fail(e.to_string()))?;
    let format = match crate::source::kind_of(path, Some(&bytes)) {
        crate::source::FileKind::Document(format) => format,
        crate::source::FileKind::Unsupported(reason) => return Err(fail(reason)),
    };
    crate::pipeline::analyse_contained(&shown, &bytes, format, options)
        .map_err(|e| fail(e.to_string()))
}

/// `s` without control characters that a terminal would act on: document text never has
/// them (the normaliser drops them), but file names can. Tabs, line breaks and the colour
/// sequences `aftale` adds itself (`ESC [ … m`) stay.
fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            // Keep a colour sequence whole; drop any other escape sequence's introducer.
            let rest: String = chars.clone().skip(1).take(12).collect();
            let params = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ';')
                .count();
            if rest[params..].starts_with('m') {
                out.push(c);
                for _ in 0..params + 2 {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                }
                continue;
            }
        }
        if !c.is_control() || c == '\n' || c == '\t' {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `--csv` and `--csv-sep`, shared by the commands that print CSV.
#[derive(Debug, Clone, clap::Args)]
struct CsvArgs {
    /// Print CSV with a header row (UTF-8 with a byte order mark; a cell a spreadsheet would run
    /// as a formula starts with `'`)
    #[arg(long)]
    csv: bool,
    /// The CSV field separator, one ASCII character: `;` for a spreadsheet set up for Danish
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = csv_separator, requires = "csv")]
    csv_sep: u8,
}

/// `--csv-sep`: one ASCII character that is not a quote or a line break.
fn csv_separator(s: &str) -> Result<u8, String> {
    match s.as_bytes() {
        [c] if c.is_ascii() && !matches!(c, b'"' | b'\n' | b'\r') => Ok(*c),
        _ => Err(format!(
            "{s:?} is no CSV separator: give one ASCII character other than a quote or a line \
             break, e.g. ';' or ','"
        )),
    }
}

/// `what` as the command line asked for it (`--name acme --third-country`), for an answer
/// that found nothing.
fn asked(parts: &[(&str, Option<String>)]) -> String {
    parts
        .iter()
        .map(|(flag, value)| match value {
            Some(v) if v.contains(char::is_whitespace) || v.is_empty() => format!("{flag} {v:?}"),
            Some(v) => format!("{flag} {v}"),
            None => flag.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Tell that an answer is empty and what was asked: on stdout for a text table, on stderr
/// beside JSON and CSV (whose stdout stays data).
fn say_empty(out: &mut Out, machine: bool, message: &str) -> Result<(), Error> {
    if machine {
        out.flush()?;
        eprintln!("aftale: {}", terminal_safe(message));
        Ok(())
    } else {
        out.line(message)
    }
}

/// `n agreement(s)`.
fn agreements_count(n: usize) -> String {
    format!("{n} {}", if n == 1 { "agreement" } else { "agreements" })
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn separators_are_one_ascii_character() {
        assert_eq!(csv_separator(";"), Ok(b';'));
        assert_eq!(csv_separator("\t"), Ok(b'\t'));
        for bad in ["", ";;", "\"", "\n", "§"] {
            assert!(csv_separator(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn tables_fit_the_width_by_shrinking_free_text() {
        let columns = [
            Column::text("NAME", 40, 8),
            Column::fixed("ID", 10),
            Column::right("N", 4),
            Column::text("TEXT", 60, 10),
        ];
        let rows = vec![vec![
            "A rather long company name that goes on".to_string(),
            "12345678".to_string(),
            "3".to_string(),
            "Free text ".repeat(10),
        ]];
        let wide = fit_table(&columns, &rows, None);
        assert!(wide[1].contains("goes on") && wide[1].ends_with('…'));
        for width in [40, 60, 80] {
            let fitted = fit_table(&columns, &rows, Some(width));
            assert!(
                fitted.iter().all(|l| l.chars().count() <= width),
                "{width}: {fitted:#?}"
            );
            assert!(fitted[1].contains("12345678"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn escape_sequences_from_file_names_are_dropped_but_our_colours_stay() {
        assert_eq!(terminal_safe("plain æøå\tline"), "plain æøå\tline");
        assert_eq!(
            terminal_safe("\u{1b}[1mbold\u{1b}[0m"),
            "\u{1b}[1mbold\u{1b}[0m"
        );
        // Set the window title, clear the screen, ring the bell: all gone.
        assert_eq!(
            terminal_safe("a\u{1b}]0;pwned\u{7}b\u{1b}[2Jc\u{7}d"),
            "a]0;pwnedb[2Jcd"
        );
    }
}
