//! `aftale index --from-jsonl FILE... [--index DIR] [--json]`: build or update the index from
//! records made elsewhere (`aftale extract --jsonl`, the Spark job), so a cluster extracts and a
//! laptop searches.

use std::path::PathBuf;

use super::ingest::Events;
use super::IndexArgs;
use crate::error::Error;
use crate::index::IndexStore;
use crate::ingest::{self, IngestOptions};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each record line settles as `aftale ingest` settles a file at the line's `location`: \
    new content at a known location is a new version, known content is unchanged (a second import \
    of the same lines changes nothing), content that was an earlier version is restored, known \
    content at a new location is a move when its old location is in none of the files and holds no \
    file here. Lines with `status: failed` or `skipped` are listed as such; a line that is not a \
    record is listed as failed with its file and line number.\n\n\
    Examples:\n  aftale extract --jsonl corpus/ > records.jsonl\n  \
    aftale index --from-jsonl records.jsonl --index ./aftale-index\n  \
    cat part-*.jsonl | aftale index --from-jsonl -\n\n\
    Exit status: 0 when every line was imported, unchanged or skipped; 1 when any failed; 2 on a \
    usage or setup error; 130 when interrupted."
)]
pub(super) struct Args {
    /// JSON Lines files of records (`-` for stdin)
    #[arg(long = "from-jsonl", required = true, num_args = 1.., value_name = "FILE")]
    from_jsonl: Vec<PathBuf>,
    #[command(flatten)]
    index: IndexArgs,
    /// Print JSON Lines: one event per input, then a summary
    #[arg(long)]
    json: bool,
    /// Store the given records even for contents the index already holds (replacing theirs)
    #[arg(long)]
    force: bool,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let missing: Vec<String> = args
        .from_jsonl
        .iter()
        .filter(|p| p.as_os_str() != "-" && !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "no such file: {} (nothing imported)",
            missing.join(", ")
        )));
    }
    if args
        .from_jsonl
        .iter()
        .filter(|p| p.as_os_str() == "-")
        .count()
        > 1
    {
        return Err(Error::Usage("`-` (stdin) can be given once".into()));
    }
    let store = IndexStore::open_or_create(&args.index.index)?;
    crate::interrupt::install();
    let options = IngestOptions {
        force: args.force,
        ..IngestOptions::default()
    };
    let mut events = Events::new(args.json);
    let (reports, summary) =
        ingest::import_records(&store, &args.from_jsonl, &options, |r| events.document(r))?;
    events.finish(&reports, &summary, &args.index.index)
}
