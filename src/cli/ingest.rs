//! `aftale ingest PATH... [--index DIR] [--json]`: bulk import with a progress bar and a summary.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use serde::Serialize;

use super::{IndexArgs, Out, ReadArgs, EXIT_INTERRUPTED, EXIT_OK, EXIT_SOME_FAILED};
use crate::error::Error;
use crate::index::IndexStore;
use crate::ingest::{self, DocumentReport, IngestOptions, Status, Summary};
use crate::source::ocr::PAGES_RECOGNISED;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Walks folders (hidden folders are not entered), reads .pdf and .txt files in parallel and \
    stores each as a document in the index. A document keeps its history wherever its file goes: \
    changed bytes at a known path are a new version; bytes that were an earlier version are current \
    again (restored); known content at a new path whose old file is gone is the same document, moved \
    or renamed. Failures and skipped files are listed in the summary and in DIR/ingest-report.json.\n\n\
    Ctrl-C commits every finished document and exits 130; run the command again to continue.\n\n\
    Exit status: 0 when every input was imported, unchanged or skipped; 1 when any failed; 2 on a \
    usage or setup error (a path that does not exist, an index that is locked); 130 when interrupted."
)]
pub(super) struct Args {
    /// Files and folders to import
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    index: IndexArgs,
    #[command(flatten)]
    read: ReadArgs,
    /// Print JSON Lines: one event per input, then a summary
    #[arg(long)]
    json: bool,
    /// Worker threads (default: one per core)
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Commit to the index after every N new documents (default 500)
    #[arg(long, value_name = "N", hide = true)]
    commit_every: Option<usize>,
    /// Read every file again, even those the index already holds as they are
    #[arg(long)]
    force: bool,
    /// Retire the documents whose file is gone (listed in the summary; `aftale remove` for one)
    #[arg(long)]
    prune: bool,
}

#[derive(Serialize)]
struct Event<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    body: &'a T,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    // Nothing is created for a command that cannot do anything.
    let missing: Vec<String> = args
        .paths
        .iter()
        .filter(|p| !p.exists() && !p.is_symlink())
        .map(|p| p.display().to_string())
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "no such file or folder: {} (nothing imported)",
            missing.join(", ")
        )));
    }
    let store = IndexStore::open_or_create(&args.index.index)?;
    crate::interrupt::install();
    let inputs = ingest::collect_inputs(&args.paths);
    let progress = progress_bar(inputs.len() as u64);
    let mut read = args.read.options();
    // Pages recognised before an interrupt are not recognised again.
    read.ocr.cache = Some(args.index.index.join("ocr-cache"));
    let options = IngestOptions {
        read,
        jobs: args.jobs,
        commit_every: args.commit_every,
        commit_seconds: None,
        force: args.force,
        prune: args.prune,
    };
    let mut events = Events::new(args.json);
    let (reports, summary) = ingest::ingest(&store, inputs, &options, |report| {
        progress.inc(1);
        events.document(report);
    })?;
    progress.finish_and_clear();
    events.finish(&reports, &summary, &args.index.index)
}

/// The output of an import run: with `--json` one event per input as it is settled, then the
/// summary; without, the summary table at the end.
pub(super) struct Events {
    out: Out,
    json: bool,
    /// The first failed write (a closed pipe): the run goes on, the command then fails.
    error: Option<Error>,
}

impl Events {
    pub(super) fn new(json: bool) -> Events {
        Events {
            out: Out::new(),
            json,
            error: None,
        }
    }

    pub(super) fn document(&mut self, report: &DocumentReport) {
        if !self.json || self.error.is_some() {
            return;
        }
        let event = Event {
            kind: "document",
            body: report,
        };
        if let Err(e) = self.out.json(&event).and_then(|_| self.out.flush()) {
            self.error = Some(e);
        }
    }

    /// Write the summary and say the run's exit status: interrupted (and what is left), some
    /// inputs failed, or all done.
    pub(super) fn finish(
        mut self,
        reports: &[DocumentReport],
        summary: &Summary,
        index: &std::path::Path,
    ) -> Result<i32, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.json {
            self.out.json(&Event {
                kind: "summary",
                body: summary,
            })?;
        } else {
            print_summary(&mut self.out, reports, summary, index)?;
        }
        self.out.flush()?;
        if let Some(left) = summary.interrupted {
            eprintln!(
                "aftale: interrupted; {left} inputs not imported yet (everything finished is saved; run the same command again to continue)"
            );
            return Ok(EXIT_INTERRUPTED);
        }
        Ok(if summary.failed > 0 {
            EXIT_SOME_FAILED
        } else {
            EXIT_OK
        })
    }
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let style =
        ProgressStyle::with_template("{bar:40} {pos}/{len} documents  {rate}{ocr}  ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key(
                "rate",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} docs/s", state.per_sec());
                },
            )
            // Scanned pages take seconds each: the count shows a long OCR'd document moving.
            .with_key("ocr", |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let pages = PAGES_RECOGNISED.load(Ordering::Relaxed);
                if pages > 0 {
                    let _ = write!(w, "  {pages} pages OCR'd");
                }
            });
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn print_summary(
    out: &mut Out,
    reports: &[DocumentReport],
    s: &Summary,
    index: &std::path::Path,
) -> Result<(), Error> {
    let mut counts = vec![
        format!("{} indexed", s.indexed),
        format!("{} unchanged", s.unchanged),
    ];
    for (n, what) in [
        (s.moved, "moved"),
        (s.restored, "restored"),
        (s.reread, "read again"),
    ] {
        if n > 0 {
            counts.push(format!("{n} {what}"));
        }
    }
    counts.push(format!("{} failed", s.failed));
    counts.push(format!("{} skipped", s.skipped));
    out.line(format!(
        "{} inputs: {} in {:.2} s (index: {})",
        s.inputs,
        counts.join(", "),
        s.seconds,
        index.display()
    ))?;
    let mut moved: Vec<&DocumentReport> = reports
        .iter()
        .filter(|r| matches!(r.status, Status::Moved | Status::Restored | Status::Reread))
        .collect();
    moved.sort_by(|a, b| a.path.cmp(&b.path));
    for r in moved {
        out.line(format!(
            "  {}: {}",
            r.path,
            r.reason.as_deref().unwrap_or("")
        ))?;
    }
    if !s.retired.is_empty() {
        out.line(format!("retired (file gone): {}", s.retired.len()))?;
        for path in &s.retired {
            out.line(format!("  {path}"))?;
        }
    }
    if s.gone > 0 {
        out.line(format!(
            "{} documents in the index have no file any more (`--prune` retires them)",
            s.gone
        ))?;
    }
    if let Some(left) = s.interrupted {
        out.line(format!(
            "interrupted: {left} inputs not imported yet; run the same command again to continue"
        ))?;
    }
    for (status, title) in [(Status::Failed, "failed"), (Status::Skipped, "skipped")] {
        let mut listed: Vec<&DocumentReport> =
            reports.iter().filter(|r| r.status == status).collect();
        listed.sort_by(|a, b| a.path.cmp(&b.path));
        if listed.is_empty() {
            continue;
        }
        out.line(format!("{title}:"))?;
        for r in listed {
            out.line(format!(
                "  {}: {}",
                r.path,
                r.reason.as_deref().unwrap_or("")
            ))?;
        }
    }
    Ok(())
}
