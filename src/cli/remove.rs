//! `aftale remove DOC... [--purge]`: take documents out of every answer.
//!
//! Retiring keeps the history (`aftale docs --all`, `diff --history` still show it); importing
//! the file again brings the document back. `--purge` deletes the document and every content
//! no other document shares, for good.

use std::time::{SystemTime, UNIX_EPOCH};

use super::{IndexArgs, Out, EXIT_OK};
use crate::error::Error;
use crate::index::{EventKind, IndexStore};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "DOC is a path the document was read at, the start of a version id (as \
    `aftale docs` shows it), the end of its path, or its vendor's name.\n\n\
    Examples:\n  aftale remove agreements/old-vendor.pdf\n  aftale remove 12c09935e303 --purge"
)]
pub(super) struct Args {
    /// The documents to remove
    #[arg(required = true, value_name = "DOC")]
    docs: Vec<String>,
    #[command(flatten)]
    index: IndexArgs,
    /// Delete the documents and their history from the index instead of retiring them
    #[arg(long)]
    purge: bool,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let store = IndexStore::open(&args.index.index)?;
    // Every name is resolved before anything changes: one unknown name changes nothing.
    let mut found = Vec::new();
    for doc in &args.docs {
        let (document, _) = store.find(doc)?;
        if !found
            .iter()
            .any(|d: &crate::index::StoredDocument| d.key == document.key)
        {
            found.push(document);
        }
    }
    let all = store.stored_documents()?;
    let mut writer = store.writer()?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut out = Out::new();
    let mut lines = Vec::new();
    for d in &found {
        let versions = d.versions.len();
        let plural = if versions == 1 { "" } else { "s" };
        if args.purge {
            store.purge(&writer, d, &all)?;
            lines.push(format!(
                "purged: {} ({}), {versions} version{plural} deleted",
                d.path,
                d.name()
            ));
        } else if d.retired.is_some() {
            lines.push(format!("already retired: {} ({})", d.path, d.name()));
        } else {
            store.add_event(&writer, &d.key, EventKind::Retired, &d.location, now)?;
            lines.push(format!(
                "retired: {} ({}), {versions} version{plural} kept",
                d.path,
                d.name()
            ));
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    for line in lines {
        out.line(line)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}
