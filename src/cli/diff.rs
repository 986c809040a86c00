//! `aftale diff OLD NEW [--format text|json|html] [--ignore-ocr]`: what changed between two
//! versions of an agreement. Each side is a file, or a version in the index (`DOC@N`, where
//! `DOC` is the path the document was imported from or the start of a version's id; `DOC`
//! alone is that id's version, or a path's latest version); `--latest DOC` compares a
//! document's last two versions; `--history DOC` summarises every consecutive pair of its
//! versions, newest first, one line (or, with `--format json`, one JSON object) each.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{IndexArgs, Out, ReadArgs, EXIT_OK, EXIT_SOME_FAILED};
use crate::compare::{self, render, CompareOptions};
use crate::error::Error;
use crate::index::{IndexStore, StoredVersion};
use crate::record::{Change, ChangeSide, ComparisonSummary, Record};
use crate::source::ReadOptions;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Html,
}

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The old version: a file, or DOC@N / DOC for a version in the index
    #[arg(value_name = "OLD", required_unless_present_any = ["latest", "history"])]
    old: Option<String>,
    /// The new version: a file, or DOC@N / DOC for a version in the index
    #[arg(value_name = "NEW", required_unless_present_any = ["latest", "history"])]
    new: Option<String>,
    /// Compare the last two versions of this document in the index
    #[arg(long, value_name = "DOC", conflicts_with_all = ["old", "new"])]
    latest: Option<String>,
    /// Summarise every consecutive pair of this document's versions in the index, newest first:
    /// one line each (JSON Lines with --format json)
    #[arg(long, value_name = "DOC", conflicts_with_all = ["old", "new", "latest"])]
    history: Option<String>,
    /// text (a report; coloured on a terminal), json (data), html (a self-contained page)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Compare the OCR-repaired wording and ignore OCR misreadings (a scan against a clean copy)
    #[arg(long)]
    ignore_ocr: bool,
    #[command(flatten)]
    index: IndexArgs,
    #[command(flatten)]
    read: ReadArgs,
}

/// Why a side could not be had: the input failed (exit 1) or the request was wrong (exit 2).
enum SideError {
    Input(String),
    Usage(Error),
}

impl From<Error> for SideError {
    fn from(e: Error) -> Self {
        SideError::Usage(e)
    }
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let options = args.read.options();
    let mut store: Option<IndexStore> = None;
    if let Some(doc) = &args.history {
        return history(doc, &args, &mut store);
    }
    let sides = match (&args.latest, &args.old, &args.new) {
        (Some(doc), _, _) => latest_two(doc, &args.index.index, &mut store),
        (None, Some(old), Some(new)) => side(old, &args.index.index, &mut store, &options)
            .and_then(|a| Ok((a, side(new, &args.index.index, &mut store, &options)?))),
        _ => Err(SideError::Usage(Error::Usage(
            "give OLD and NEW, or --latest DOC".to_string(),
        ))),
    };
    let ((old, old_version), (new, new_version)) = match sides {
        Ok(s) => s,
        Err(SideError::Usage(e)) => return Err(e),
        Err(SideError::Input(reason)) => {
            eprintln!("aftale: {}", super::terminal_safe(&reason));
            return Ok(EXIT_SOME_FAILED);
        }
    };
    let mut comparison = compare::compare(
        &old,
        &new,
        CompareOptions {
            ignore_ocr: args.ignore_ocr,
        },
    );
    comparison.old.index_version = old_version;
    comparison.new.index_version = new_version;
    let mut out = Out::new();
    match args.format {
        Format::Json => out.line(serde_json::to_string_pretty(&comparison)?)?,
        Format::Html => out.line(render::html(&comparison))?,
        Format::Text => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let report = render::text(&comparison, colour);
            out.line(report.trim_end())?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

type Side = (Record, Option<u64>);

fn open<'a>(dir: &Path, store: &'a mut Option<IndexStore>) -> Result<&'a IndexStore, SideError> {
    if store.is_none() {
        *store = Some(IndexStore::open(dir)?);
    }
    store
        .as_ref()
        .ok_or_else(|| SideError::Usage(Error::Usage("index not open".to_string())))
}

/// One side: a file if one is there, else a version in the index.
fn side(
    spec: &str,
    index: &Path,
    store: &mut Option<IndexStore>,
    options: &ReadOptions,
) -> Result<Side, SideError> {
    let path = PathBuf::from(spec);
    if path.is_file() {
        return super::read_record(&path, options)
            .map(|r| (r, None))
            .map_err(SideError::Input);
    }
    if !index.join("aftale.json").exists() {
        return Err(SideError::Usage(Error::Usage(format!(
            "{spec}: no such file, and no index at {} to look it up in",
            index.display()
        ))));
    }
    let store = open(index, store)?;
    let (doc, number) = match spec.rsplit_once('@') {
        Some((doc, n)) if !doc.is_empty() => match n.parse::<u64>() {
            Ok(n) => (doc, Some(n)),
            Err(_) => {
                return Err(SideError::Usage(Error::Usage(format!(
                    "{spec}: the version after @ must be a number (DOC@2)"
                ))))
            }
        },
        _ => (spec, None),
    };
    let (versions, by_id) = find_document(store, doc)?;
    let chosen = match (number, by_id) {
        (Some(n), _) => versions.iter().find(|v| v.version == n).ok_or_else(|| {
            SideError::Usage(Error::Usage(format!(
                "{doc} has versions 1 to {} in the index, not {n}",
                versions.len()
            )))
        })?,
        (None, Some(id)) => versions
            .iter()
            .find(|v| v.id.starts_with(&id))
            .ok_or_else(|| SideError::Usage(Error::Usage(format!("{doc}: no such version"))))?,
        (None, None) => versions
            .last()
            .ok_or_else(|| SideError::Usage(Error::Usage(format!("{doc}: no versions"))))?,
    };
    stored(store, chosen)
}

fn stored(store: &IndexStore, v: &StoredVersion) -> Result<Side, SideError> {
    match store.record(&v.id)? {
        Some(r) => Ok((r, Some(v.version))),
        None => Err(SideError::Usage(Error::Usage(format!(
            "the index has no record for version {} of {}",
            v.version, v.path
        )))),
    }
}

/// The versions of the document `doc` names (see [`IndexStore::find`]), and the id prefix
/// when it was named by id.
fn find_document(
    store: &IndexStore,
    doc: &str,
) -> Result<(Vec<StoredVersion>, Option<String>), SideError> {
    let (document, id) = store.find(doc).map_err(SideError::Usage)?;
    Ok((document.versions, id))
}

fn latest_two(
    doc: &str,
    index: &Path,
    store: &mut Option<IndexStore>,
) -> Result<(Side, Side), SideError> {
    let store = open(index, store)?;
    let (versions, _) = find_document(store, doc)?;
    match versions.as_slice() {
        [.., a, b] => Ok((stored(store, a)?, stored(store, b)?)),
        _ => Err(SideError::Usage(Error::Usage(format!(
            "{doc} has only one version in the index; nothing to compare"
        )))),
    }
}

/// One consecutive pair of versions in `--history`, as `--format json` prints it.
#[derive(serde::Serialize)]
struct HistoryEntry<'a> {
    document: &'a str,
    old: HistorySide<'a>,
    new: HistorySide<'a>,
    summary: &'a ComparisonSummary,
    /// The descriptions of the changes flagged important, fact changes first.
    important: Vec<&'a str>,
}

#[derive(serde::Serialize)]
struct HistorySide<'a> {
    /// The version number in the index.
    version: u64,
    id: &'a str,
    /// The version and date printed in the document.
    doc_version: Option<&'a str>,
    date: Option<&'a str>,
}

fn history_side<'a>(v: &'a StoredVersion, r: &'a Record) -> HistorySide<'a> {
    HistorySide {
        version: v.version,
        id: &v.id,
        doc_version: r.version.as_deref(),
        date: r.date.as_deref(),
    }
}

/// The important changes, the facts (deadlines, sub-processors, tables …) before the clauses:
/// their descriptions say more in few words. A modified clause whose change an important fact
/// already names (`8 changed` beside the deadline in 8) is left out.
fn important(changes: &[Change]) -> Vec<&str> {
    let is_clause = |c: &&Change| !c.kind.contains('_');
    let flagged = || changes.iter().filter(|c| c.important);
    let named: HashSet<&str> = flagged()
        .filter(|c| !is_clause(c))
        .flat_map(|c| [&c.old, &c.new])
        .filter_map(|side| match side.as_ref()? {
            ChangeSide::Deadline(d) => d.clause.as_deref(),
            ChangeSide::Subprocessor(r) => r.clause.as_deref(),
            ChangeSide::Identifier(i) => i.clause.as_deref(),
            ChangeSide::TableRows { clause, .. } => clause.as_deref(),
            _ => None,
        })
        .collect();
    let already_named = |c: &&Change| {
        c.kind == "modified"
            && matches!(&c.new, Some(ChangeSide::Clause(s))
                if s.number.as_deref().is_some_and(|n| named.contains(n)))
    };
    flagged()
        .filter(|c| !is_clause(c))
        .chain(flagged().filter(is_clause).filter(|c| !already_named(c)))
        .map(|c| c.description.as_str())
        .collect()
}

/// `1.0, 2019-06-01 → 1.1, 2019-09-01`, or one side when both are the same; `None` when
/// neither document prints a version or date.
fn printed_versions(old: &Record, new: &Record) -> Option<String> {
    let side = |r: &Record| -> String {
        [r.version.as_deref(), r.date.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (a, b) = (side(old), side(new));
    match (a.is_empty(), b.is_empty()) {
        (true, true) => None,
        _ if a == b => Some(a),
        (true, false) => Some(format!("? → {b}")),
        (false, true) => Some(format!("{a} → ?")),
        _ => Some(format!("{a} → {b}")),
    }
}

/// One line of `--history`.
fn history_line(
    old_v: &StoredVersion,
    new_v: &StoredVersion,
    old: &Record,
    new: &Record,
    summary: &ComparisonSummary,
    changes: &[Change],
) -> String {
    const SHOWN: usize = 4;
    let mut line = format!("v{} → v{}", old_v.version, new_v.version);
    if let Some(printed) = printed_versions(old, new) {
        line.push_str(&format!("  ({})", render::clip(&printed, 60)));
    }
    let s = summary;
    line.push_str(&format!(
        "  +{} −{} ~{} clauses, {} deadline, {} sub-processor, {} table changes",
        s.added,
        s.removed,
        s.modified + s.moved + s.split + s.merged,
        s.deadlines,
        s.subprocessors,
        s.tables
    ));
    let flagged = important(changes);
    if changes.is_empty() {
        line.push_str("; no differences");
    } else if !flagged.is_empty() {
        let mut named: Vec<String> = flagged
            .iter()
            .take(SHOWN)
            .map(|d| render::clip(d, 120))
            .collect();
        if flagged.len() > SHOWN {
            named.push(format!("… {} more", flagged.len() - SHOWN));
        }
        line.push_str(&format!("; important: {}", named.join("; ")));
    }
    line
}

/// `--history DOC`: every consecutive pair of the document's versions, newest first.
fn history(doc: &str, args: &Args, store: &mut Option<IndexStore>) -> Result<i32, Error> {
    if args.format == Format::Html {
        return Err(Error::Usage(
            "--history prints text or json (JSON Lines), not html".to_string(),
        ));
    }
    let found = open(&args.index.index, store).and_then(|store| {
        let (versions, _) = find_document(store, doc)?;
        Ok((store, versions))
    });
    let (store, versions) = match found {
        Ok(found) => found,
        Err(SideError::Usage(e)) => return Err(e),
        Err(SideError::Input(reason)) => {
            eprintln!("aftale: {}", super::terminal_safe(&reason));
            return Ok(EXIT_SOME_FAILED);
        }
    };
    if versions.len() < 2 {
        return Err(Error::Usage(format!(
            "{doc} has only one version in the index; nothing to compare"
        )));
    }
    let load = |v: &StoredVersion| -> Result<Record, Error> {
        match stored(store, v) {
            Ok((record, _)) => Ok(record),
            Err(SideError::Usage(e)) => Err(e),
            Err(SideError::Input(reason)) => Err(Error::Usage(reason)),
        }
    };
    let options = CompareOptions {
        ignore_ocr: args.ignore_ocr,
    };
    let mut out = Out::new();
    // Newest pair first; each record is read once.
    let mut newer = load(&versions[versions.len() - 1])?;
    for k in (1..versions.len()).rev() {
        let (old_v, new_v) = (&versions[k - 1], &versions[k]);
        let older = load(old_v)?;
        let comparison = compare::compare(&older, &newer, options);
        match args.format {
            Format::Json => out.json(&HistoryEntry {
                document: &new_v.path,
                old: history_side(old_v, &older),
                new: history_side(new_v, &newer),
                summary: &comparison.summary,
                important: important(&comparison.changes),
            })?,
            _ => out.line(history_line(
                old_v,
                new_v,
                &older,
                &newer,
                &comparison.summary,
                &comparison.changes,
            ))?,
        }
        newer = older;
    }
    out.flush()?;
    Ok(EXIT_OK)
}
