//! Bulk import: paths → inputs → records (in parallel) → index, with one report per input.
//!
//! Every input ends as exactly one [`DocumentReport`] with a [`Status`]: indexed, unchanged,
//! failed or skipped; the [`Summary`] counts add up to the number of inputs. Workers (rayon)
//! read and analyse documents; a single collector on the calling thread decides versions,
//! writes to the index and commits every [`COMMIT_EVERY`] documents, so a commit never holds
//! half a document. A panic inside a worker becomes that input's failure.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::error::Result;
use crate::index::IndexStore;
use crate::pipeline;
use crate::record::Record;
use crate::source::{self, FileKind, ReadOptions};

/// Documents written between two commits.
pub const COMMIT_EVERY: usize = 500;

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Indexed,
    Unchanged,
    Failed,
    Skipped,
}

/// The outcome for one input path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentReport {
    pub path: String,
    pub status: Status,
    /// Content hash, where the file could be read.
    pub id: Option<String>,
    /// Version number of the document in the index (1 for the first content seen at a path).
    pub version: Option<u64>,
    /// Why it failed, was skipped or is unchanged.
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clauses: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// Counts for a whole run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub inputs: usize,
    pub indexed: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub skipped: usize,
    pub seconds: f64,
}

impl Summary {
    fn count(&mut self, status: Status) {
        self.inputs += 1;
        match status {
            Status::Indexed => self.indexed += 1,
            Status::Unchanged => self.unchanged += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
        }
    }
}

/// One file to consider, as found by [`collect_inputs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// What the file is, or why it cannot even be looked at.
    pub kind: std::result::Result<FileKind, String>,
}

/// Walk the given files and folders into a list of inputs, each path once, in a stable order.
/// Hidden folders (`.git`, …) are not entered; hidden files are listed as skipped.
pub fn collect_inputs(paths: &[PathBuf]) -> Vec<Input> {
    let mut seen = HashSet::new();
    let mut inputs = Vec::new();
    let mut push = |path: PathBuf, kind: std::result::Result<FileKind, String>| {
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            inputs.push(Input { path, kind });
        }
    };
    for root in paths {
        if !root.is_dir() {
            let kind = if root.exists() || root.is_symlink() {
                classify(root)
            } else {
                Err("no such file or folder".to_string())
            };
            push(root.clone(), kind);
            continue;
        }
        // Links are not followed blindly: a link to a file inside the folder is read, any
        // other link is listed as skipped with its reason (so nothing outside the given
        // folders is read, and a link loop cannot trap the walk).
        let inside = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        let walker = WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !(e.file_type().is_dir() && is_hidden(e.path())));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) if is_hidden(e.path()) => push(
                    e.path().to_path_buf(),
                    Ok(FileKind::Unsupported("hidden file".into())),
                ),
                Ok(e) if e.path_is_symlink() => {
                    let kind = match std::fs::canonicalize(e.path()) {
                        Err(err) => Err(format!("broken symbolic link: {err}")),
                        Ok(target) if !target.starts_with(&inside) => Ok(FileKind::Unsupported(
                            "symbolic link out of the given folder (not followed)".into(),
                        )),
                        Ok(target) if target.is_dir() => Ok(FileKind::Unsupported(
                            "symbolic link to a folder (not followed)".into(),
                        )),
                        Ok(_) => classify(e.path()),
                    };
                    push(e.path().to_path_buf(), kind)
                }
                Ok(e) => push(e.path().to_path_buf(), classify(e.path())),
                Err(err) => {
                    let path = err.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let reason = if err.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        err.io_error()
                            .map_or_else(|| err.to_string(), |io| format!("cannot read: {io}"))
                    };
                    push(path, Err(reason));
                }
            }
        }
    }
    inputs
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// What a path is. Only regular files are opened: opening a named pipe would wait for a
/// writer forever.
fn classify(path: &Path) -> std::result::Result<FileKind, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Ok(FileKind::Unsupported(
            "not a regular file (a pipe, socket or device)".into(),
        ));
    }
    let mut head = [0u8; 8];
    let read = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| format!("cannot read: {e}"))?;
    Ok(source::kind_of(path, Some(&head[..read])))
}

/// What a worker hands the collector.
enum Outcome {
    Report(DocumentReport),
    Analysed {
        path: String,
        key: String,
        record: Box<Record>,
    },
    /// Content already in the index (or seen earlier in this run).
    Known {
        path: String,
        id: String,
    },
}

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub read: ReadOptions,
    /// Worker threads; `None` for one per core.
    pub jobs: Option<usize>,
    /// Commit after this many new documents; `None` for [`COMMIT_EVERY`]. What is committed
    /// survives a crash; a re-run redoes only the rest.
    pub commit_every: Option<usize>,
}

/// Ingest `inputs` into `store`, calling `on_report` for each input as it is settled (in
/// completion order). Returns the reports of the inputs that failed or were skipped, and the
/// summary. Holds the index's writer lock for the whole run.
pub fn ingest(
    store: &IndexStore,
    inputs: Vec<Input>,
    options: &IngestOptions,
    mut on_report: impl FnMut(&DocumentReport),
) -> Result<(Vec<DocumentReport>, Summary)> {
    let started = Instant::now();
    let mut writer = store.writer()?;
    let mut known: HashMap<String, (String, u64)> = HashMap::new();
    let mut latest: HashMap<String, u64> = HashMap::new();
    for v in store.versions()? {
        let entry = latest.entry(v.key.clone()).or_default();
        *entry = (*entry).max(v.version);
        known.insert(v.id, (v.path, v.version));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .thread_name(|i| format!("aftale-worker-{i}"))
        .build()
        .map_err(|e| crate::error::Error::Usage(format!("cannot start worker threads: {e}")))?;
    let ingested = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (tx, rx) = mpsc::channel::<Outcome>();
    let known_ids: HashSet<String> = known.keys().cloned().collect();
    // Only failures and skips are kept for the end (every report goes to `on_report` as it
    // is settled), so memory does not grow with the number of documents imported.
    let mut reports = Vec::new();
    let mut summary = Summary::default();
    let mut pending = 0usize;
    std::thread::scope(|scope| -> Result<()> {
        let read = &options.read;
        let known_ids = &known_ids;
        scope.spawn(move || {
            pool.install(|| {
                inputs.into_par_iter().for_each_with(tx, |tx, input| {
                    let _ = tx.send(process(input, read, known_ids));
                });
            });
        });
        for outcome in rx {
            let report = match outcome {
                Outcome::Report(r) => r,
                Outcome::Known { path, id } => match known.get(&id) {
                    Some((first, version)) => same_content(path, &id, first, *version),
                    None => DocumentReport {
                        path,
                        status: Status::Failed,
                        id: Some(id),
                        version: None,
                        reason: Some(
                            "internal error: content marked known but not in the index".into(),
                        ),
                        clauses: None,
                        language: None,
                    },
                },
                Outcome::Analysed { path, key, record } => {
                    if let Some((first, version)) = known.get(&record.id) {
                        // The same content came twice in this run.
                        same_content(path, &record.id, first, *version)
                    } else {
                        let version = latest.get(&key).map_or(1, |v| v + 1);
                        store
                            .add(&writer, &key, version, ingested, &record)
                            .map_err(|e| match e {
                                crate::error::Error::Tantivy(t) => write_failed(store, t),
                                other => other,
                            })?;
                        latest.insert(key, version);
                        known.insert(record.id.clone(), (path.clone(), version));
                        pending += 1;
                        if pending >= options.commit_every.unwrap_or(COMMIT_EVERY).max(1) {
                            writer.commit().map_err(|e| write_failed(store, e))?;
                            pending = 0;
                        }
                        DocumentReport {
                            path,
                            status: Status::Indexed,
                            id: Some(record.id.clone()),
                            version: Some(version),
                            reason: None,
                            clauses: Some(
                                record.clauses.iter().filter(|c| c.number.is_some()).count(),
                            ),
                            language: Some(record.language.code.clone()),
                        }
                    }
                }
            };
            summary.count(report.status);
            on_report(&report);
            if matches!(report.status, Status::Failed | Status::Skipped) {
                reports.push(report);
            }
        }
        Ok(())
    })?;
    writer.commit().map_err(|e| write_failed(store, e))?;
    writer
        .wait_merging_threads()
        .map_err(|e| write_failed(store, e))?;
    summary.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    write_report(store.dir(), &reports, &summary)?;
    Ok((reports, summary))
}

/// A failed write to the index, with the reason tantivy gives.
fn write_failed(store: &IndexStore, e: tantivy::TantivyError) -> crate::error::Error {
    crate::error::Error::IndexWrite {
        path: store.dir().display().to_string(),
        reason: e.to_string(),
    }
}

fn same_content(path: String, id: &str, first: &str, version: u64) -> DocumentReport {
    let reason = if first == path {
        "already indexed".to_string()
    } else {
        format!("same content as {first} (version {version})")
    };
    DocumentReport {
        path,
        status: Status::Unchanged,
        id: Some(id.to_string()),
        version: Some(version),
        reason: Some(reason),
        clauses: None,
        language: None,
    }
}

/// Work done on a worker thread for one input.
fn process(input: Input, read: &ReadOptions, known_ids: &HashSet<String>) -> Outcome {
    let path = input.path.display().to_string();
    let fail = |status: Status, reason: String, id: Option<String>| {
        Outcome::Report(DocumentReport {
            path: path.clone(),
            status,
            id,
            version: None,
            reason: Some(reason),
            clauses: None,
            language: None,
        })
    };
    let format = match input.kind {
        Err(reason) => return fail(Status::Failed, reason, None),
        Ok(FileKind::Unsupported(reason)) => return fail(Status::Skipped, reason, None),
        Ok(FileKind::Document(format)) => format,
    };
    let bytes = match source::load(&input.path, read) {
        Ok(b) => b,
        Err(e) => return fail(Status::Failed, e.to_string(), None),
    };
    let id = pipeline::content_id(&bytes);
    if known_ids.contains(&id) {
        // Settled by the collector, which knows the version it was stored under.
        return Outcome::Known { path, id };
    }
    match pipeline::analyse_contained(&path, &bytes, format, read) {
        Ok(mut record) => {
            record.id = id;
            Outcome::Analysed {
                path,
                key: document_key(&input.path),
                record: Box::new(record),
            }
        }
        Err(e) => fail(Status::Failed, e.to_string(), Some(id)),
    }
}

/// The key that ties versions of a document together: its canonical path.
pub fn document_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

#[derive(Serialize)]
struct ReportFile<'a> {
    finished: u64,
    summary: &'a Summary,
    problems: Vec<&'a DocumentReport>,
}

/// Write the run's failures and skips to `<index>/ingest-report.json`.
fn write_report(dir: &Path, reports: &[DocumentReport], summary: &Summary) -> Result<()> {
    let file = ReportFile {
        finished: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        summary,
        problems: reports
            .iter()
            .filter(|r| matches!(r.status, Status::Failed | Status::Skipped))
            .collect(),
    };
    let tmp = dir.join("ingest-report.json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(&file)?)?;
    std::fs::rename(tmp, dir.join("ingest-report.json"))?;
    Ok(())
}
