//! `aftale docs [--index DIR] [--json]`: the documents in the index and their versions.

use serde::Serialize;

use super::{clip, IndexArgs, Out, EXIT_OK};
use crate::error::Error;
use crate::index::{IndexStore, StoredVersion};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    index: IndexArgs,
    /// Print JSON Lines: one object per document with all its versions
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct DocumentLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    key: &'a str,
    path: &'a str,
    latest: &'a StoredVersion,
    versions: &'a [StoredVersion],
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let store = IndexStore::open(&args.index.index)?;
    let documents = store.documents()?;
    let mut out = Out::new();
    if !args.json {
        out.line(format!(
            "{:<18} {:>8} {:>4} {:>7} {:>8}  {:<9} {:<28} PATH",
            "ID", "VERSIONS", "LANG", "CLAUSES", "PRINTED", "QUALITY", "TITLE"
        ))?;
    }
    for (key, versions) in &documents {
        let Some(latest) = versions.last() else {
            continue;
        };
        if args.json {
            out.json(&DocumentLine {
                kind: "document",
                key,
                path: &latest.path,
                latest,
                versions,
            })?;
        } else {
            out.line(format!(
                "{:<18} {:>8} {:>4} {:>7} {:>8}  {:<9} {:<28} {}",
                latest.id.get(..16).unwrap_or(&latest.id),
                versions.len(),
                latest.language,
                latest.clauses,
                latest.doc_version.as_deref().unwrap_or("-"),
                latest.quality.as_deref().unwrap_or("-"),
                clip(latest.title.as_deref().unwrap_or("-"), 28),
                latest.path
            ))?;
        }
    }
    if !args.json {
        let total: usize = documents.values().map(Vec::len).sum();
        out.line(format!("{} documents, {} versions", documents.len(), total))?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}
