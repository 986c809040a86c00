//! `aftale ingest PATH... [--index DIR] [--json]`: bulk import with a progress bar and a summary.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use serde::Serialize;

use super::{IndexArgs, Out, ReadArgs, EXIT_OK, EXIT_SOME_FAILED};
use crate::error::Error;
use crate::index::IndexStore;
use crate::ingest::{self, DocumentReport, IngestOptions, Status, Summary};
use crate::source::ocr::PAGES_RECOGNISED;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Walks folders (hidden folders are not entered), reads .pdf and .txt files in parallel and \
    stores each as a document in the index. Content already in the index is reported as unchanged; a \
    changed file at a known path becomes a new version of that document. Failures and skipped files \
    are listed in the summary and in DIR/ingest-report.json.\n\n\
    Exit status: 0 when every input was indexed, unchanged or skipped; 1 when any failed; 2 on a \
    usage or setup error (for example: index is locked)."
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
}

#[derive(Serialize)]
struct Event<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    body: &'a T,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let store = IndexStore::open_or_create(&args.index.index)?;
    let inputs = ingest::collect_inputs(&args.paths);
    let progress = progress_bar(inputs.len() as u64);
    let options = IngestOptions {
        read: args.read.options(),
        jobs: args.jobs,
        commit_every: args.commit_every,
    };
    let mut out = Out::new();
    let mut write_error: Option<Error> = None;
    let (reports, summary) = ingest::ingest(&store, inputs, &options, |report| {
        progress.inc(1);
        if args.json && write_error.is_none() {
            if let Err(e) = out
                .json(&Event {
                    kind: "document",
                    body: report,
                })
                .and_then(|_| out.flush())
            {
                write_error = Some(e);
            }
        }
    })?;
    progress.finish_and_clear();
    if let Some(e) = write_error {
        return Err(e);
    }
    if args.json {
        out.json(&Event {
            kind: "summary",
            body: &summary,
        })?;
    } else {
        print_summary(&mut out, &reports, &summary, &args.index.index)?;
    }
    out.flush()?;
    Ok(if summary.failed > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    })
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
    out.line(format!(
        "{} inputs: {} indexed, {} unchanged, {} failed, {} skipped in {:.2} s (index: {})",
        s.inputs,
        s.indexed,
        s.unchanged,
        s.failed,
        s.skipped,
        s.seconds,
        index.display()
    ))?;
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
