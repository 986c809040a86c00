//! Hidden subcommands for benchmarks (not in `aftale --help`): `aftale gen-corpus` writes a
//! generated corpus, `aftale index-floor` times tantivy alone on the same texts. Used by
//! `benches/e2e.sh`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Subcommand;

use crate::error::Error;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Internal: write a reproducible synthetic corpus of agreements (benchmarks)
    #[command(name = "gen-corpus", hide = true)]
    GenCorpus(GenArgs),
    /// Internal: index text files with tantivy alone, the floor of `ingest` (benchmarks)
    #[command(name = "index-floor", hide = true)]
    IndexFloor(FloorArgs),
}

#[derive(Debug, clap::Args)]
pub struct GenArgs {
    /// Text agreements to write (under OUT/txt)
    #[arg(long, value_name = "N")]
    docs: usize,
    /// How many of them to write as PDFs too (under OUT/pdf)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pdf: usize,
    /// Seed: the same seed gives the same bytes
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Output folder
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct FloorArgs {
    /// Files and folders with .txt files
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// New index folder (must not exist)
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
}

/// Run a benchmark subcommand; returns the exit code.
pub fn run(command: Command) -> Result<i32, Error> {
    match command {
        Command::GenCorpus(args) => {
            let started = Instant::now();
            let spec = super::Spec {
                docs: args.docs,
                pdfs: args.pdf.min(args.docs),
                seed: args.seed,
            };
            let stats = super::write(&spec, &args.out)?;
            println!(
                "{} text files ({:.1} MB), {} PDFs ({:.1} MB), {} OCR-damaged, {} agreement families; seed {} in {:.1} s: {}",
                stats.text_files,
                stats.text_bytes as f64 / 1e6,
                stats.pdf_files,
                stats.pdf_bytes as f64 / 1e6,
                stats.damaged,
                stats.families,
                spec.seed,
                started.elapsed().as_secs_f64(),
                args.out.display()
            );
        }
        Command::IndexFloor(args) => {
            let inputs = crate::ingest::collect_inputs(&args.paths);
            let stats = super::floor::index_floor(&inputs, &args.index)?;
            println!("{}", serde_json::to_string(&stats)?);
        }
    }
    Ok(crate::cli::EXIT_OK)
}
