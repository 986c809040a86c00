//! `aftale-bench`: the benchmark tools, outside the product binary. `aftale-bench gen-corpus`
//! writes a generated corpus, `aftale-bench index-floor` times tantivy alone on the same texts.
//! Used by `benches/e2e.sh` and `scripts/snapshot.sh`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use aftale::error::Error;

#[derive(Debug, Parser)]
#[command(
    name = "aftale-bench",
    version,
    about = "Benchmark tools for aftale: a reproducible corpus of agreements, and tantivy alone on it"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a reproducible synthetic corpus of agreements
    #[command(name = "gen-corpus")]
    GenCorpus(GenArgs),
    /// Index text files with tantivy alone, the floor of `aftale ingest`
    #[command(name = "index-floor")]
    IndexFloor(FloorArgs),
}

#[derive(Debug, clap::Args)]
struct GenArgs {
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
struct FloorArgs {
    /// Files and folders with .txt files
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// New index folder (must not exist)
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aftale-bench: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::GenCorpus(args) => {
            let started = Instant::now();
            let spec = aftale_bench::Spec {
                docs: args.docs,
                pdfs: args.pdf.min(args.docs),
                seed: args.seed,
            };
            let stats = aftale_bench::write(&spec, &args.out)?;
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
            let inputs = aftale::ingest::collect_inputs(&args.paths);
            let stats = aftale_bench::floor::index_floor(&inputs, &args.index)?;
            println!("{}", serde_json::to_string(&stats)?);
        }
    }
    Ok(())
}
