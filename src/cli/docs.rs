//! `aftale docs [--index DIR] [--all] [--json]`: the documents in the index, each with its
//! current version, when that was imported, and how many versions it has.

use serde::Serialize;

use super::{fit_table, terminal_width, Column, IndexArgs, Out, EXIT_OK};
use crate::error::Error;
use crate::index::{utc_minute, IndexStore, StoredDocument, StoredVersion};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "AGREEMENT is the vendor the agreement is with (the processor it names), \
    else the file name. CURRENT is the version answers come from (`v3=v1`: version 3 brought \
    back the content of version 1); IMPORTED is when it was read (UTC). Retired documents \
    (`aftale remove`, `ingest --prune`) are listed only with --all."
)]
pub(super) struct Args {
    #[command(flatten)]
    index: IndexArgs,
    /// Also list retired documents
    #[arg(long)]
    all: bool,
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
    agreement: String,
    vendor: Option<&'a str>,
    /// The current version (answers come from it).
    latest: &'a StoredVersion,
    retired: Option<u64>,
    versions: &'a [StoredVersion],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    events: &'a [crate::index::DocumentEvent],
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let store = IndexStore::open(&args.index.index)?;
    let documents: Vec<StoredDocument> = store
        .stored_documents()?
        .into_iter()
        .filter(|d| args.all || d.retired.is_none())
        .collect();
    let mut out = Out::new();
    let mut rows = Vec::new();
    for d in &documents {
        let Some(latest) = d.current() else {
            continue;
        };
        if args.json {
            out.json(&DocumentLine {
                kind: "document",
                key: &d.key,
                path: &d.path,
                agreement: d.name(),
                vendor: latest.vendor.as_deref(),
                latest,
                retired: d.retired,
                versions: &d.versions,
                events: &d.events,
            })?;
            continue;
        }
        let current = match latest.restores {
            Some(r) => format!("v{}=v{r}", latest.version),
            None => format!("v{}", latest.version),
        };
        let quality = if d.retired.is_some() {
            "retired"
        } else {
            latest.quality.as_deref().unwrap_or("-")
        };
        rows.push(vec![
            latest.id.get(..16).unwrap_or(&latest.id).to_string(),
            d.name(),
            d.versions.len().to_string(),
            current,
            utc_minute(latest.ingested),
            latest.language.clone(),
            latest.clauses.to_string(),
            latest.doc_version.clone().unwrap_or_else(|| "-".into()),
            quality.to_string(),
            d.path.clone(),
        ]);
    }
    if !args.json {
        let columns = [
            Column::fixed("ID", 16),
            Column::text("AGREEMENT", 40, 12),
            Column::right("VERSIONS", 8).dropped(4),
            Column::fixed("CURRENT", 9),
            Column::fixed("IMPORTED", 16).dropped(5),
            Column::fixed("LANG", 4).dropped(1),
            Column::right("CLAUSES", 7).dropped(2),
            Column::right("PRINTED", 8).dropped(3),
            Column::fixed("QUALITY", 9),
            Column::text("PATH", 400, 16).keep_end(),
        ];
        for line in fit_table(&columns, &rows, terminal_width()) {
            out.line(line)?;
        }
    }
    if !args.json {
        let total: usize = documents.iter().map(|d| d.versions.len()).sum();
        let retired = documents.iter().filter(|d| d.retired.is_some()).count();
        let mut line = format!("{} documents, {} versions", documents.len(), total);
        if retired > 0 {
            line.push_str(&format!(", {retired} retired"));
        }
        out.line(line)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}
