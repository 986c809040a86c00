//! Bulk import: paths → inputs → records (in parallel) → index, with one report per input.
//!
//! Every input ends as exactly one [`DocumentReport`] with a [`Status`] (indexed, unchanged,
//! moved, restored, reread, failed or skipped); the [`Summary`] counts add up to the number of
//! inputs. Workers (rayon) read each file and hash it; known content is not analysed again
//! (unless `--force`, or it needed OCR that can run now). A single collector on the calling
//! thread decides what each input is to the index ([`Decision`]: the document at that path as it
//! is, a new version, earlier content restored, a document that moved, a duplicate, a new
//! document), writes, and commits every [`COMMIT_EVERY`] documents or [`COMMIT_SECONDS`]
//! seconds, so a commit never holds half a document. New content at a new path that may be a
//! changed file of a moved folder waits for the end of the run, when the moves of its unchanged
//! neighbours say where the folder went. A panic inside a worker becomes that input's failure;
//! an interrupt ([`crate::interrupt`]) stops new work and commits what is finished.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::error::Result;
use crate::index::{shown_path as shown, EventKind, IndexStore, NewVersion, StoredVersion};
use crate::pipeline;
use crate::record::Record;
use crate::source::{self, FileKind, ReadOptions};

/// Documents written between two commits.
pub const COMMIT_EVERY: usize = 500;

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Read and stored: a new document, or a new version of a known one.
    Indexed,
    /// Already in the index as it is.
    Unchanged,
    /// A known document found at a new path (renamed, or its folder moved); its history
    /// follows it.
    Moved,
    /// Content that was an earlier version (or a retired document) is current again.
    Restored,
    /// Content already in the index read again (`--force`, or OCR now available).
    Reread,
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
    /// Why it failed, was skipped or is unchanged; what moved or came back.
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clauses: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where a moved document was before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<String>,
}

impl DocumentReport {
    fn new(path: String, status: Status, id: Option<String>, reason: Option<String>) -> Self {
        DocumentReport {
            path,
            status,
            id,
            version: None,
            reason,
            clauses: None,
            language: None,
            moved_from: None,
        }
    }
}

/// Counts for a whole run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub inputs: usize,
    pub indexed: usize,
    pub unchanged: usize,
    #[serde(default)]
    pub moved: usize,
    #[serde(default)]
    pub restored: usize,
    #[serde(default)]
    pub reread: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Documents retired by `--prune` because their file is gone (their paths).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<String>,
    /// Live documents whose file is gone and that were not retired (no `--prune`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub gone: usize,
    /// Set when the run was interrupted: how many inputs were not imported (not started, or
    /// dropped half read); the next run imports them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<usize>,
    pub seconds: f64,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    fn count(&mut self, status: Status) {
        self.inputs += 1;
        match status {
            Status::Indexed => self.indexed += 1,
            Status::Unchanged => self.unchanged += 1,
            Status::Moved => self.moved += 1,
            Status::Restored => self.restored += 1,
            Status::Reread => self.reread += 1,
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
    /// For a file found in a given folder: its path from that folder's name down
    /// (`agreements/vendor/dpa.pdf`), which stays the same when the folder moves.
    pub within: Option<String>,
}

/// Walk the given files and folders into a list of inputs, each path once, in a stable order.
/// Hidden folders (`.git`, …) are not entered; hidden files are listed as skipped.
pub fn collect_inputs(paths: &[PathBuf]) -> Vec<Input> {
    let mut seen = HashSet::new();
    let mut inputs = Vec::new();
    let mut push =
        |path: PathBuf, kind: std::result::Result<FileKind, String>, root: Option<&Path>| {
            let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.insert(key) {
                let within = root.and_then(|root| within(root, &path));
                inputs.push(Input { path, kind, within });
            }
        };
    for root in paths {
        if !root.is_dir() {
            let kind = if root.exists() || root.is_symlink() {
                classify(root)
            } else {
                Err("no such file or folder".to_string())
            };
            push(root.clone(), kind, None);
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
                    Some(root),
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
                    push(e.path().to_path_buf(), kind, Some(root))
                }
                Ok(e) => push(e.path().to_path_buf(), classify(e.path()), Some(root)),
                Err(err) => {
                    let path = err.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let reason = if err.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        err.io_error()
                            .map_or_else(|| err.to_string(), |io| format!("cannot read: {io}"))
                    };
                    push(path, Err(reason), Some(root));
                }
            }
        }
    }
    inputs
}

/// `path` from the name of the folder `root` down, with `/` between the parts.
fn within(root: &Path, path: &Path) -> Option<String> {
    let absolute = std::path::absolute(root).ok()?;
    let name = absolute.file_name()?.to_string_lossy().into_owned();
    let rest = path.strip_prefix(root).ok()?;
    let mut parts = vec![name];
    parts.extend(
        rest.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
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
    /// Failed or skipped before its content was known.
    Report(DocumentReport),
    /// Read: its content id, and its record when it was analysed (new content, or content
    /// read again); `None` for content the index already holds.
    Read {
        path: String,
        /// The canonical path.
        location: String,
        within: Option<String>,
        id: String,
        record: Option<Box<Record>>,
    },
    /// Not imported because of an interrupt (not started, or dropped half read).
    Interrupted,
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
    /// Commit at least this often while documents come in; `None` for [`COMMIT_SECONDS`].
    pub commit_seconds: Option<u64>,
    /// Read every input again, even content the index already holds.
    pub force: bool,
    /// Retire documents whose file is gone (and that no input of the run is a move of).
    pub prune: bool,
}

/// Seconds between two commits while documents come in.
pub const COMMIT_SECONDS: u64 = 5;

/// One document as the collector tracks it during a run.
#[derive(Debug, Clone)]
struct Tracked {
    /// Current path, canonical.
    location: String,
    /// (version number, content id), oldest first.
    versions: Vec<(u64, String)>,
    retired: bool,
}

impl Tracked {
    fn current(&self) -> Option<&(u64, String)> {
        self.versions.last()
    }

    fn latest(&self) -> u64 {
        self.current().map_or(0, |v| v.0)
    }
}

/// What the collector knows of the index while it writes.
#[derive(Debug, Default)]
struct Ledger {
    docs: HashMap<String, Tracked>,
    /// Current path → key.
    at: HashMap<String, String>,
    /// Content id → keys of the documents with a version of it.
    carriers: HashMap<String, Vec<String>>,
    /// Content id → the version entries that carried it when the run began.
    stored: HashMap<String, Vec<StoredVersion>>,
    /// Keys of the documents no input of this run is yet (claimed documents are neither moved
    /// nor pruned): the only ones that can have moved, so the searches for a moved document
    /// walk these, not every document (a first import of N files would otherwise walk N
    /// documents for each new file).
    unclaimed: BTreeSet<String>,
}

/// What to do with an input whose content is known.
#[derive(Debug, Clone, PartialEq)]
enum Decision {
    /// The document at this path, as it is.
    Unchanged { key: String },
    /// The content is the current version of another live document.
    Duplicate { key: String },
    /// The document at this path, retired, is back as it was.
    Revive { key: String },
    /// The document at this path has the content of an earlier version again.
    Restore { key: String, restores: u64 },
    /// The document at this path (or found moved) has new content.
    NewVersion {
        key: String,
        moved_from: Option<String>,
    },
    /// A document whose file is gone is at this path now.
    Moved {
        key: String,
        from: String,
        restores: Option<u64>,
    },
    /// A document the index does not know.
    New,
}

impl Ledger {
    fn from_store(store: &IndexStore) -> Result<Ledger> {
        let mut ledger = Ledger::default();
        for d in store.stored_documents()? {
            let location = d.location.clone();
            ledger.at.insert(location.clone(), d.key.clone());
            for v in &d.versions {
                ledger
                    .carriers
                    .entry(v.id.clone())
                    .or_default()
                    .push(d.key.clone());
                ledger
                    .stored
                    .entry(v.id.clone())
                    .or_default()
                    .push(v.clone());
            }
            ledger.unclaimed.insert(d.key.clone());
            ledger.docs.insert(
                d.key.clone(),
                Tracked {
                    location,
                    versions: d
                        .versions
                        .iter()
                        .map(|v| (v.version, v.id.clone()))
                        .collect(),
                    retired: d.retired.is_some(),
                },
            );
        }
        Ok(ledger)
    }

    /// Decide what an input is. `gone` tells whether a path no longer holds a file.
    fn decide(
        &self,
        location: &str,
        within: Option<&str>,
        id: &str,
        gone: &dyn Fn(&str) -> bool,
    ) -> Decision {
        if let Some(key) = self.at.get(location) {
            let doc = &self.docs[key];
            return match doc.versions.iter().rev().find(|(_, v)| v == id) {
                Some((_, _)) if doc.current().is_some_and(|(_, c)| c == id) => {
                    if doc.retired {
                        Decision::Revive { key: key.clone() }
                    } else {
                        Decision::Unchanged { key: key.clone() }
                    }
                }
                Some((n, _)) => Decision::Restore {
                    key: key.clone(),
                    restores: *n,
                },
                None => Decision::NewVersion {
                    key: key.clone(),
                    moved_from: None,
                },
            };
        }
        // A document whose file is gone (or that is retired), not met yet in this run, with
        // this content: it moved here. Its current content first, then an earlier one.
        let movable = |key: &&String| {
            let doc = &self.docs[*key];
            self.unclaimed.contains(*key) && (doc.retired || gone(&doc.location))
        };
        let carriers = self.carriers.get(id).map(Vec::as_slice).unwrap_or_default();
        let current_of = |key: &String| self.docs[key].current().is_some_and(|(_, c)| c == id);
        let moved = carriers.iter().filter(movable).max_by_key(|key| {
            (
                current_of(key),
                same_name(&self.docs[*key].location, location),
            )
        });
        if let Some(key) = moved {
            let doc = &self.docs[key];
            let restores = if current_of(key) {
                None
            } else {
                doc.versions
                    .iter()
                    .rev()
                    .find(|(_, v)| v == id)
                    .map(|(n, _)| *n)
            };
            return Decision::Moved {
                key: key.clone(),
                from: doc.location.clone(),
                restores,
            };
        }
        if let Some(key) = carriers
            .iter()
            .find(|key| current_of(key) && !self.docs[*key].retired)
        {
            return Decision::Duplicate { key: key.clone() };
        }
        // New content at a new path: the same place in a moved folder (`agreements/vendor/
        // dpa.pdf` under another parent), when exactly one document whose file is gone
        // stood there.
        if let Some(within) = within.filter(|w| w.contains('/')) {
            let suffix = format!("/{within}");
            let mut candidates = self
                .unclaimed_docs()
                .filter(|(key, doc)| doc.location.ends_with(&suffix) && movable(key));
            if let (Some((key, doc)), None) = (candidates.next(), candidates.next()) {
                return Decision::NewVersion {
                    key: key.clone(),
                    moved_from: Some(doc.location.clone()),
                };
            }
        }
        Decision::New
    }

    /// A key for a new document at `location`: the location, unless an earlier document (one
    /// that moved away since) has it.
    fn new_key(&self, location: &str) -> String {
        let mut key = location.to_string();
        let mut n = 2;
        while self.docs.contains_key(&key) {
            key = format!("{location}#{n}");
            n += 1;
        }
        key
    }

    fn place(&mut self, key: &str, location: &str) {
        if let Some(doc) = self.docs.get_mut(key) {
            if self.at.get(&doc.location).is_some_and(|k| k == key) {
                self.at.remove(&doc.location);
            }
            doc.location = location.to_string();
            doc.retired = false;
        }
        self.unclaimed.remove(key);
        self.at.insert(location.to_string(), key.to_string());
    }

    /// The documents no input of this run is yet, with their keys.
    fn unclaimed_docs(&self) -> impl Iterator<Item = (&String, &Tracked)> {
        self.unclaimed
            .iter()
            .filter_map(|key| self.docs.get(key).map(|doc| (key, doc)))
    }

    fn add_version(&mut self, key: &str, location: &str, id: &str) -> u64 {
        let doc = self.docs.entry(key.to_string()).or_insert_with(|| Tracked {
            location: location.to_string(),
            versions: Vec::new(),
            retired: false,
        });
        let version = doc.latest() + 1;
        doc.versions.push((version, id.to_string()));
        let carriers = self.carriers.entry(id.to_string()).or_default();
        if !carriers.iter().any(|k| k == key) {
            carriers.push(key.to_string());
        }
        self.place(key, location);
        version
    }
}

/// Whether two paths end in the same file name.
fn same_name(a: &str, b: &str) -> bool {
    Path::new(a).file_name() == Path::new(b).file_name()
}

/// The collector: everything that writes to the index, on one thread.
struct Collector<'a> {
    store: &'a IndexStore,
    writer: tantivy::IndexWriter,
    ledger: Ledger,
    ingested: u64,
    pending: usize,
    last_commit: Instant,
    commit_every: usize,
    commit_seconds: Duration,
    /// New content at a new path that may be a changed file of a moved folder: settled at the
    /// end of the run, when the moves of the other files tell where folders went.
    parked: Vec<Parked>,
    /// Folders that moved in this run (old, new), from the files found moved.
    moved_folders: HashSet<(PathBuf, PathBuf)>,
    /// Where recognised pages wait for their document to be stored (see `OcrOptions::cache`).
    ocr_cache: Option<PathBuf>,
    /// Contents read again in this run.
    reread_done: HashSet<String>,
    /// Paths known to hold a file though this machine may not see them: the locations of the
    /// records a `--from-jsonl` import brings (made elsewhere). A path is gone when it is not
    /// among these and holds no file here.
    present: HashSet<String>,
}

/// A read input whose settling waits for the end of the run.
struct Parked {
    path: String,
    location: String,
    id: String,
    record: Option<Box<Record>>,
}

/// The folders a move took a file from and to: both paths with their common ending cut off
/// (`/a/agr/x.pdf` → `/b/new/agr/x.pdf` gives `/a` → `/b/new`).
fn moved_folder(from: &str, to: &str) -> Option<(PathBuf, PathBuf)> {
    let (mut a, mut b) = (Path::new(from), Path::new(to));
    let mut common = 0;
    while a.file_name().is_some() && a.file_name() == b.file_name() {
        a = a.parent()?;
        b = b.parent()?;
        common += 1;
    }
    // A renamed file (no common end) moved no folder.
    (common > 0 && a != b).then(|| (a.to_path_buf(), b.to_path_buf()))
}

impl Collector<'_> {
    fn write_failed(&self, e: crate::error::Error) -> crate::error::Error {
        match e {
            crate::error::Error::Tantivy(t) => write_failed(self.store, t),
            other => other,
        }
    }

    fn commit_if_due(&mut self, force: bool) -> Result<()> {
        let due = self.pending >= self.commit_every
            || (self.pending > 0 && self.last_commit.elapsed() >= self.commit_seconds);
        if due || (force && self.pending > 0) {
            self.writer
                .commit()
                .map_err(|e| write_failed(self.store, e))?;
            self.pending = 0;
            self.last_commit = Instant::now();
        }
        Ok(())
    }

    /// Write an event of a document (to be committed with the rest).
    fn event(&mut self, key: &str, kind: EventKind, location: &str) -> Result<()> {
        self.store
            .add_event(&self.writer, key, kind, location, self.ingested)
            .map_err(|e| self.write_failed(e))?;
        self.pending += 1;
        Ok(())
    }

    /// The record to write a version entry with: the one just read (borrowed, not copied), else
    /// the stored one.
    fn record_for<'r>(
        &self,
        id: &str,
        read: Option<&'r Record>,
    ) -> Result<Option<std::borrow::Cow<'r, Record>>> {
        match read {
            Some(r) => Ok(Some(std::borrow::Cow::Borrowed(r))),
            None => Ok(self.store.record(id)?.map(std::borrow::Cow::Owned)),
        }
    }

    /// Settle one read input: decide, write, report.
    fn settle(
        &mut self,
        path: String,
        location: String,
        within: Option<String>,
        id: String,
        record: Option<Box<Record>>,
        park: bool,
    ) -> Result<Option<DocumentReport>> {
        if let (Some(cache), Some(_)) = (&self.ocr_cache, &record) {
            // Its pages are in the record now.
            crate::source::ocr::forget_pages(cache, &id);
        }
        let present = &self.present;
        let gone = |p: &str| is_gone(present, p);
        let mut decision = self.ledger.decide(&location, within.as_deref(), &id, &gone);
        if decision == Decision::New {
            // Names first: a file-system look-up only for the few with the same name.
            let movable_same_name = self.ledger.unclaimed_docs().any(|(_, d)| {
                same_name(&d.location, &location) && (d.retired || gone(&d.location))
            });
            if park && movable_same_name {
                self.parked.push(Parked {
                    path,
                    location,
                    id,
                    record,
                });
                return Ok(None);
            }
            if let Some(from) = self.moved_here(&location) {
                decision = Decision::NewVersion {
                    key: from.0,
                    moved_from: Some(from.1),
                };
            }
        }
        let mut report = DocumentReport::new(path, Status::Unchanged, Some(id.clone()), None);
        // Content already stored and read again: replace it wherever it is carried.
        // Content stored before this run and read again: replaced once, where it is carried,
        // before any version of this run refers to it (every input with that content is read
        // again, so the first one to arrive does it).
        let reread = record.is_some()
            && self.ledger.stored.contains_key(&id)
            && self.reread_done.insert(id.clone());
        if reread {
            if let (Some(r), Some(carriers)) = (record.as_deref(), self.ledger.stored.get(&id)) {
                self.store
                    .replace_content(&self.writer, r, carriers)
                    .map_err(|e| self.write_failed(e))?;
                self.pending += 1;
            }
        }
        let describe = |r: &Record, report: &mut DocumentReport| {
            report.clauses = Some(r.clauses.iter().filter(|c| c.number.is_some()).count());
            report.language = Some(r.language.code.clone());
        };
        match decision {
            Decision::Unchanged { key } => {
                self.ledger.place(&key, &location);
                report.version = self.ledger.docs.get(&key).map(Tracked::latest);
                if reread {
                    report.status = Status::Reread;
                    report.reason = Some("read again".into());
                    if let Some(r) = record.as_deref() {
                        describe(r, &mut report);
                    }
                } else {
                    report.reason = Some("already indexed".into());
                }
            }
            Decision::Duplicate { key } => {
                let doc = &self.ledger.docs[&key];
                report.version = Some(doc.latest());
                report.reason = Some(format!(
                    "same content as {} (version {})",
                    shown(&doc.location),
                    doc.latest()
                ));
            }
            Decision::Revive { key } => {
                self.event(&key, EventKind::Revived, &location)?;
                self.ledger.place(&key, &location);
                report.status = Status::Restored;
                report.version = self.ledger.docs.get(&key).map(Tracked::latest);
                report.reason = Some("retired document back in the index".into());
            }
            Decision::Restore { key, restores } => {
                let Some(r) = self.record_for(&id, record.as_deref())? else {
                    return Ok(Some(missing_record(report)));
                };
                let version = self.ledger.add_version(&key, &location, &id);
                self.write_version(&key, version, &location, Some(restores), &r, false)?;
                report.status = Status::Restored;
                report.version = Some(version);
                report.reason = Some(format!(
                    "the content of version {restores} again, now version {version}"
                ));
            }
            Decision::Moved {
                key,
                from,
                restores,
            } => {
                self.event(&key, EventKind::Moved, &location)?;
                self.ledger.place(&key, &location);
                report.status = Status::Moved;
                report.moved_from = Some(shown(&from));
                if let Some(folders) = moved_folder(&from, &location) {
                    self.moved_folders.insert(folders);
                }
                let what = if Path::new(&from).parent() == Path::new(&location).parent() {
                    "renamed from"
                } else {
                    "moved from"
                };
                report.reason = Some(format!("{what} {}", shown(&from)));
                report.version = self.ledger.docs.get(&key).map(Tracked::latest);
                if let Some(restores) = restores {
                    let Some(r) = self.record_for(&id, record.as_deref())? else {
                        return Ok(Some(missing_record(report)));
                    };
                    let version = self.ledger.add_version(&key, &location, &id);
                    self.write_version(&key, version, &location, Some(restores), &r, false)?;
                    report.version = Some(version);
                    report.reason = Some(format!(
                        "{what} {}, with the content of version {restores} (now version {version})",
                        shown(&from)
                    ));
                }
            }
            Decision::NewVersion { key, moved_from } => {
                let Some(r) = self.record_for(&id, record.as_deref())? else {
                    return Ok(Some(missing_record(report)));
                };
                if moved_from.is_some() {
                    self.event(&key, EventKind::Moved, &location)?;
                }
                let with_content = !self.ledger.carriers.contains_key(&id);
                let version = self.ledger.add_version(&key, &location, &id);
                self.write_version(&key, version, &location, None, &r, with_content)?;
                describe(&r, &mut report);
                report.version = Some(version);
                if let Some(from) = moved_from {
                    report.status = Status::Moved;
                    report.reason = Some(format!(
                        "moved from {} and changed: version {version}",
                        shown(&from)
                    ));
                    report.moved_from = Some(shown(&from));
                } else {
                    report.status = Status::Indexed;
                }
            }
            Decision::New => {
                let Some(r) = self.record_for(&id, record.as_deref())? else {
                    return Ok(Some(missing_record(report)));
                };
                let key = self.ledger.new_key(&location);
                let with_content = !self.ledger.carriers.contains_key(&id);
                let version = self.ledger.add_version(&key, &location, &id);
                self.write_version(&key, version, &location, None, &r, with_content)?;
                describe(&r, &mut report);
                report.status = Status::Indexed;
                report.version = Some(version);
            }
        }
        self.commit_if_due(false)?;
        Ok(Some(report))
    }

    /// The document (key, old location) whose file stood at the place `location` has in a
    /// folder that moved in this run, when that file is gone and not met yet.
    fn moved_here(&self, location: &str) -> Option<(String, String)> {
        self.moved_folders.iter().find_map(|(from, to)| {
            let rest = Path::new(location).strip_prefix(to).ok()?;
            let old = from.join(rest).display().to_string();
            let key = self.ledger.at.get(&old)?;
            let doc = &self.ledger.docs[key];
            (self.ledger.unclaimed.contains(key)
                && (doc.retired || is_gone(&self.present, &doc.location)))
            .then(|| (key.clone(), old))
        })
    }

    /// Settle the parked inputs, now that the run's moves are known.
    fn settle_parked(&mut self) -> Result<Vec<DocumentReport>> {
        let mut out = Vec::new();
        for p in std::mem::take(&mut self.parked) {
            if let Some(report) = self.settle(p.path, p.location, None, p.id, p.record, false)? {
                out.push(report);
            }
        }
        Ok(out)
    }

    fn write_version(
        &mut self,
        key: &str,
        version: u64,
        location: &str,
        restores: Option<u64>,
        record: &Record,
        with_content: bool,
    ) -> Result<()> {
        let new = NewVersion {
            key,
            version,
            path: location,
            ingested: self.ingested,
            restores,
        };
        self.store
            .add_version(&self.writer, &new, record)
            .map_err(|e| self.write_failed(e))?;
        if with_content {
            self.store
                .add_content(&self.writer, key, version, record)
                .map_err(|e| self.write_failed(e))?;
        }
        self.pending += 1;
        Ok(())
    }

    /// Retire the live documents whose file is gone and that no input of the run was.
    fn prune(&mut self) -> Result<Vec<String>> {
        let mut gone: Vec<(String, String)> = self
            .ledger
            .unclaimed_docs()
            .filter(|(_, d)| !d.retired && is_gone(&self.present, &d.location))
            .map(|(k, d)| (k.clone(), d.location.clone()))
            .collect();
        gone.sort_by(|a, b| a.1.cmp(&b.1));
        for (key, location) in &gone {
            self.event(key, EventKind::Retired, location)?;
            if let Some(d) = self.ledger.docs.get_mut(key) {
                d.retired = true;
            }
        }
        Ok(gone.into_iter().map(|(_, l)| shown(&l)).collect())
    }

    /// Live documents whose file is gone (not claimed by this run).
    fn gone(&self) -> usize {
        self.ledger
            .unclaimed_docs()
            .filter(|(_, d)| !d.retired && is_gone(&self.present, &d.location))
            .count()
    }
}

/// Whether no file is at `path` any more: not a location known present, and nothing there.
fn is_gone(present: &HashSet<String>, path: &str) -> bool {
    !present.contains(path) && !Path::new(path).exists()
}

fn missing_record(mut report: DocumentReport) -> DocumentReport {
    report.status = Status::Failed;
    report.reason = Some(
        "its content came twice in this run in a way this run cannot store; run the import again"
            .into(),
    );
    report
}

/// Ingest `inputs` into `store`, calling `on_report` for each input as it is settled (in
/// completion order). Returns the reports of the inputs that were not simply indexed or
/// unchanged, and the summary. Holds the index's writer lock for the whole run. An interrupt
/// ([`crate::interrupt`]) stops the run between documents: what is finished is committed and
/// the summary says how many inputs were left.
pub fn ingest(
    store: &IndexStore,
    inputs: Vec<Input>,
    options: &IngestOptions,
    on_report: impl FnMut(&DocumentReport),
) -> Result<(Vec<DocumentReport>, Summary)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .thread_name(|i| format!("aftale-worker-{i}"))
        .build()
        .map_err(|e| crate::error::Error::Usage(format!("cannot start worker threads: {e}")))?;
    let read = &options.read;
    let produce = move |known: &Known, tx: mpsc::Sender<Outcome>| {
        pool.install(|| {
            inputs.into_par_iter().for_each_with(tx, |tx, input| {
                let _ = tx.send(process(input, read, &known.ids, &known.reread));
            });
        });
    };
    run(store, options, HashSet::new(), produce, on_report)
}

/// What a producer of outcomes may skip: the contents the index holds, and of those the ones
/// to read again all the same.
struct Known {
    ids: HashSet<String>,
    reread: HashSet<String>,
}

/// Import records made elsewhere (`aftale extract --jsonl`, a Spark job) from JSON Lines files
/// (`-` for stdin): each line settles like a file of an `ingest` run at the line's `location`,
/// with the same versions, moves, restores and idempotence; a `failed`/`skipped` line is that
/// input's report, a line that is not a record is reported failed as `FILE:LINE`. A document is
/// only taken as moved from a path that neither appears in the files nor holds a file here.
/// With `force`, records of contents the index holds replace the stored ones.
pub fn import_records(
    store: &IndexStore,
    files: &[PathBuf],
    options: &IngestOptions,
    on_report: impl FnMut(&DocumentReport),
) -> Result<(Vec<DocumentReport>, Summary)> {
    // Two passes over each file: stdin is kept in the index folder for the run.
    let spool = store
        .dir()
        .join(format!(".stdin-records-{}.jsonl", std::process::id()));
    let _remove = RemoveOnDrop(spool.clone());
    let mut sources: Vec<(PathBuf, String)> = Vec::new();
    for file in files {
        if file.as_os_str() == "-" {
            let mut to = std::fs::File::create(&spool)?;
            std::io::copy(&mut std::io::stdin().lock(), &mut to)?;
            sources.push((spool.clone(), "stdin".to_string()));
        } else {
            sources.push((file.clone(), file.display().to_string()));
        }
    }
    // First pass: every location the files speak of is present, whatever this machine sees.
    let mut present = HashSet::new();
    for (file, _) in &sources {
        for_each_line(file, |_, line| {
            #[derive(Deserialize)]
            struct Head {
                path: Option<String>,
                location: Option<String>,
            }
            if let Ok(head) = serde_json::from_str::<Head>(line) {
                if let Some(l) = head.location.or(head.path) {
                    present.insert(l);
                }
            }
            true
        })?;
    }
    let force = options.force;
    let produce = move |known: &Known, tx: mpsc::Sender<Outcome>| {
        for (file, shown) in &sources {
            let read = for_each_line(file, |n, line| {
                if crate::interrupt::requested() {
                    let _ = tx.send(Outcome::Interrupted);
                    return true;
                }
                let outcome = record_outcome(shown, n, line, &known.ids, force);
                tx.send(outcome).is_ok()
            });
            if let Err(e) = read {
                let report = DocumentReport::new(
                    shown.clone(),
                    Status::Failed,
                    None,
                    Some(format!("cannot read the records: {e}")),
                );
                let _ = tx.send(Outcome::Report(report));
            }
        }
    };
    run(store, options, present, produce, on_report)
}

/// A file removed when this goes out of scope (if it was ever made).
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Call `f` with each non-empty line of `file` and its number, until `f` returns false.
fn for_each_line(file: &Path, mut f: impl FnMut(usize, &str) -> bool) -> Result<()> {
    use std::io::BufRead;
    let reader =
        std::io::BufReader::new(std::fs::File::open(file).map_err(|e| {
            crate::error::Error::Usage(format!("cannot read {}: {e}", file.display()))
        })?);
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        if !line.trim().is_empty() && !f(n + 1, &line) {
            break;
        }
    }
    Ok(())
}

/// What one line of records is to the collector.
fn record_outcome(
    file: &str,
    n: usize,
    line: &str,
    known_ids: &HashSet<String>,
    force: bool,
) -> Outcome {
    use crate::dataset::{LineStatus, Parsed};
    let failed = |path: String, reason: String, id: Option<String>| {
        Outcome::Report(DocumentReport::new(path, Status::Failed, id, Some(reason)))
    };
    match crate::dataset::parse_line(line) {
        Err(reason) => failed(format!("{file}:{n}"), reason, None),
        Ok(Parsed::Other {
            status,
            path,
            id,
            reason,
        }) => {
            let reason = reason.unwrap_or_else(|| "no reason given".into());
            match status {
                LineStatus::Skipped => {
                    Outcome::Report(DocumentReport::new(path, Status::Skipped, id, Some(reason)))
                }
                LineStatus::Interrupted => failed(
                    path,
                    "not read: its extraction was interrupted (extract it again)".into(),
                    id,
                ),
                _ => failed(path, reason, id),
            }
        }
        Ok(Parsed::Ok {
            path,
            location,
            record,
        }) => {
            let id = record.id.clone();
            if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return failed(
                    path,
                    format!("the record's id {id:?} is not a content id (64 hex digits)"),
                    None,
                );
            }
            if record.schema != crate::record::SCHEMA_VERSION {
                return failed(
                    path,
                    format!(
                        "record schema {} (this aftale reads schema {}; extract it again)",
                        record.schema,
                        crate::record::SCHEMA_VERSION
                    ),
                    Some(id),
                );
            }
            let record = (force || !known_ids.contains(&id)).then_some(record);
            Outcome::Read {
                path,
                location,
                within: None,
                id,
                record,
            }
        }
    }
}

/// The collector over the outcomes `produce` sends (on its own thread): what [`ingest`] and
/// [`import_records`] share.
fn run<P>(
    store: &IndexStore,
    options: &IngestOptions,
    present: HashSet<String>,
    produce: P,
    mut on_report: impl FnMut(&DocumentReport),
) -> Result<(Vec<DocumentReport>, Summary)>
where
    P: FnOnce(&Known, mpsc::Sender<Outcome>) + Send,
{
    let started = Instant::now();
    let writer = store.writer()?;
    let ledger = Ledger::from_store(store)?;
    // Contents to read again though known: all with --force; those that needed OCR once OCR
    // can run.
    let known = Known {
        reread: if options.force {
            ledger.carriers.keys().cloned().collect()
        } else {
            needs_ocr_ids(&ledger, &options.read)
        },
        ids: ledger.carriers.keys().cloned().collect(),
    };
    let ingested = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut collector = Collector {
        store,
        writer,
        ledger,
        ingested,
        pending: 0,
        last_commit: Instant::now(),
        commit_every: options.commit_every.unwrap_or(COMMIT_EVERY).max(1),
        commit_seconds: Duration::from_secs(options.commit_seconds.unwrap_or(COMMIT_SECONDS)),
        parked: Vec::new(),
        moved_folders: HashSet::new(),
        ocr_cache: options.read.ocr.cache.clone(),
        reread_done: HashSet::new(),
        present,
    };
    let (tx, rx) = mpsc::channel::<Outcome>();
    // Only the exceptions (failed, skipped, moved, restored, read again) are kept for the end
    // (every report goes to `on_report` as it is settled), so memory does not grow with the
    // number of documents imported.
    let mut reports = Vec::new();
    let mut summary = Summary::default();
    let mut not_imported = 0usize;
    let mut settled = |report: DocumentReport| {
        summary.count(report.status);
        on_report(&report);
        if !matches!(report.status, Status::Indexed | Status::Unchanged) {
            reports.push(report);
        }
    };
    std::thread::scope(|scope| -> Result<()> {
        let known = &known;
        scope.spawn(move || produce(known, tx));
        loop {
            let outcome = match rx.recv_timeout(Duration::from_millis(500)) {
                Ok(outcome) => outcome,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // Slow documents (OCR) still get their finished neighbours committed.
                    collector.commit_if_due(false)?;
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let report = match outcome {
                Outcome::Report(r) => r,
                Outcome::Interrupted => {
                    not_imported += 1;
                    continue;
                }
                Outcome::Read {
                    path,
                    location,
                    within,
                    id,
                    record,
                } => match collector.settle(path, location, within, id, record, true)? {
                    Some(report) => report,
                    None => continue,
                },
            };
            settled(report);
        }
        Ok(())
    })?;
    for report in collector.settle_parked()? {
        settled(report);
    }
    let interrupted = crate::interrupt::requested();
    if interrupted {
        summary.interrupted = Some(not_imported);
        summary.gone = collector.gone();
    } else if options.prune {
        summary.retired = collector.prune()?;
    } else {
        summary.gone = collector.gone();
    }
    collector.commit_if_due(true)?;
    let Collector { mut writer, .. } = collector;
    writer.commit().map_err(|e| write_failed(store, e))?;
    writer
        .wait_merging_threads()
        .map_err(|e| write_failed(store, e))?;
    summary.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    write_report(store.dir(), &reports, &summary)?;
    Ok((reports, summary))
}

/// The contents whose current version was stored as `needs_ocr`, when OCR can run now: the
/// import reads them again.
fn needs_ocr_ids(ledger: &Ledger, read: &ReadOptions) -> HashSet<String> {
    if read.ocr.mode == crate::source::OcrMode::Never {
        return HashSet::new();
    }
    let ids: HashSet<String> = ledger
        .docs
        .values()
        .filter_map(|d| d.current())
        .filter(|(n, id)| {
            ledger.stored.get(id).is_some_and(|versions| {
                versions
                    .iter()
                    .any(|v| v.version == *n && v.quality.as_deref() == Some("needs_ocr"))
            })
        })
        .map(|(_, id)| id.clone())
        .collect();
    if ids.is_empty() || crate::source::ocr::tools_available(&read.ocr.language).is_err() {
        return HashSet::new();
    }
    ids
}

/// A failed write to the index, with the reason tantivy gives.
fn write_failed(store: &IndexStore, e: tantivy::TantivyError) -> crate::error::Error {
    crate::error::Error::IndexWrite {
        path: store.dir().display().to_string(),
        reason: e.to_string(),
    }
}

/// What reading one input came to, before a run settles it.
#[derive(Debug)]
pub enum InputRead {
    /// Not a document aftale reads: why.
    Skipped(String),
    /// Could not be read: why, and the content id when the bytes were loaded.
    Failed { reason: String, id: Option<String> },
    /// Not read, or dropped half read (a reader killed by the same Ctrl-C is not a failure of
    /// the file), because of an interrupt.
    Interrupted,
    /// Read: the content id and the record, unless `analyse` said the content needs none.
    Read {
        id: String,
        record: Option<Box<Record>>,
    },
}

/// Read one input: its kind, its bytes (PDF and OCR in their isolated workers), its content id
/// and, when `analyse(id)` says so, its record. What `ingest` and `aftale extract --jsonl`
/// ([`crate::dataset`]) share.
pub fn read_input(input: &Input, read: &ReadOptions, analyse: impl Fn(&str) -> bool) -> InputRead {
    let fail = |reason: String, id: Option<String>| {
        if crate::interrupt::requested() {
            InputRead::Interrupted
        } else {
            InputRead::Failed { reason, id }
        }
    };
    if crate::interrupt::requested() {
        return InputRead::Interrupted;
    }
    let format = match &input.kind {
        Err(reason) => return fail(reason.clone(), None),
        Ok(FileKind::Unsupported(reason)) => return InputRead::Skipped(reason.clone()),
        Ok(FileKind::Document(format)) => *format,
    };
    let bytes = match source::load(&input.path, read) {
        Ok(b) => b,
        Err(e) => return fail(e.to_string(), None),
    };
    let id = pipeline::content_id(&bytes);
    if !analyse(&id) {
        return InputRead::Read { id, record: None };
    }
    let path = input.path.display().to_string();
    match pipeline::analyse_contained(&path, &bytes, format, read) {
        Ok(mut record) => {
            record.id = id.clone();
            InputRead::Read {
                id,
                record: Some(Box::new(record)),
            }
        }
        Err(crate::error::DocError::Interrupted) => InputRead::Interrupted,
        Err(e) => fail(e.to_string(), Some(id)),
    }
}

/// Read one input of an `ingest` run; content the index holds is not analysed again (the
/// collector settles it) unless it is to be read again.
fn process(
    input: Input,
    read: &ReadOptions,
    known_ids: &HashSet<String>,
    reread: &HashSet<String>,
) -> Outcome {
    let analyse = |id: &str| !known_ids.contains(id) || reread.contains(id);
    let path = input.path.display().to_string();
    let report = |status, id, reason| {
        Outcome::Report(DocumentReport::new(path.clone(), status, id, Some(reason)))
    };
    match read_input(&input, read, analyse) {
        InputRead::Skipped(reason) => report(Status::Skipped, None, reason),
        InputRead::Failed { reason, id } => report(Status::Failed, id, reason),
        InputRead::Interrupted => Outcome::Interrupted,
        InputRead::Read { id, record } => Outcome::Read {
            location: document_key(&input.path),
            path,
            within: input.within,
            id,
            record,
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One document for [`ledger`]: key, current location, (version, id) pairs, retired.
    type Doc<'a> = (&'a str, &'a str, &'a [(u64, &'a str)], bool);

    fn ledger(docs: &[Doc]) -> Ledger {
        let mut l = Ledger::default();
        for (key, location, versions, retired) in docs {
            l.at.insert(location.to_string(), key.to_string());
            l.unclaimed.insert(key.to_string());
            for (_, id) in *versions {
                l.carriers
                    .entry(id.to_string())
                    .or_default()
                    .push(key.to_string());
            }
            l.docs.insert(
                key.to_string(),
                Tracked {
                    location: location.to_string(),
                    versions: versions
                        .iter()
                        .map(|(n, id)| (*n, id.to_string()))
                        .collect(),
                    retired: *retired,
                },
            );
        }
        l
    }

    fn key(k: &str) -> String {
        k.to_string()
    }

    #[test]
    fn the_same_path_is_unchanged_a_new_version_or_a_restore() {
        let l = ledger(&[("k", "/a/x.pdf", &[(1, "h1"), (2, "h2")], false)]);
        let exists = |_: &str| false;
        assert_eq!(
            l.decide("/a/x.pdf", None, "h2", &exists),
            Decision::Unchanged { key: key("k") }
        );
        assert_eq!(
            l.decide("/a/x.pdf", None, "h1", &exists),
            Decision::Restore {
                key: key("k"),
                restores: 1
            }
        );
        assert_eq!(
            l.decide("/a/x.pdf", None, "h3", &exists),
            Decision::NewVersion {
                key: key("k"),
                moved_from: None
            }
        );
        let retired = ledger(&[("k", "/a/x.pdf", &[(1, "h1")], true)]);
        assert_eq!(
            retired.decide("/a/x.pdf", None, "h1", &exists),
            Decision::Revive { key: key("k") }
        );
    }

    #[test]
    fn known_content_at_a_new_path_is_a_move_only_when_the_old_file_is_gone() {
        let l = ledger(&[("k", "/a/x.pdf", &[(1, "h1")], false)]);
        let gone = |_: &str| true;
        let there = |_: &str| false;
        assert_eq!(
            l.decide("/b/y.pdf", None, "h1", &gone),
            Decision::Moved {
                key: key("k"),
                from: "/a/x.pdf".into(),
                restores: None
            }
        );
        assert_eq!(
            l.decide("/b/y.pdf", None, "h1", &there),
            Decision::Duplicate { key: key("k") }
        );
        assert_eq!(l.decide("/b/y.pdf", None, "h9", &gone), Decision::New);
    }

    #[test]
    fn new_content_in_the_same_place_of_a_moved_folder_is_a_new_version() {
        let l = ledger(&[
            ("k1", "/old/agr/v/x.pdf", &[(1, "h1")], false),
            ("k2", "/old/agr/y.pdf", &[(1, "h2")], false),
        ]);
        let gone = |_: &str| true;
        assert_eq!(
            l.decide("/new/agr/v/x.pdf", Some("agr/v/x.pdf"), "h9", &gone),
            Decision::NewVersion {
                key: key("k1"),
                moved_from: Some("/old/agr/v/x.pdf".into())
            }
        );
        // A bare file name is not evidence enough.
        assert_eq!(
            l.decide("/new/y.pdf", Some("y.pdf"), "h9", &gone),
            Decision::New
        );
    }

    #[test]
    fn a_moved_folder_is_the_paths_without_their_common_end() {
        assert_eq!(
            moved_folder("/a/agr/x.pdf", "/b/new/agr/x.pdf"),
            Some((PathBuf::from("/a"), PathBuf::from("/b/new")))
        );
        assert_eq!(moved_folder("/a/x.pdf", "/a/y.pdf"), None);
    }

    #[test]
    fn new_keys_never_collide_with_a_document_that_moved_away() {
        let l = ledger(&[("/a/x.pdf", "/b/x.pdf", &[(1, "h1")], false)]);
        assert_eq!(l.new_key("/a/x.pdf"), "/a/x.pdf#2");
        assert_eq!(l.new_key("/a/z.pdf"), "/a/z.pdf");
    }
}
