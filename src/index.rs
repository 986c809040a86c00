//! Stage 5, storage: [`Record`]s → a `tantivy` index on disk, and back.
//!
//! Layout of an index folder:
//! ```text
//! <index>/aftale.json          which schema wrote it
//! <index>/tantivy/             the tantivy index, entries of four kinds:
//!                                kind=document  one per version of a document (its metadata)
//!                                kind=record    one per distinct content (the full record, JSON)
//!                                kind=clause    one per clause of a distinct content (searchable)
//!                                kind=event     a document moved, was retired or came back
//! <index>/ingest-report.json   the last ingest run: summary, failed and skipped inputs
//! <index>/ocr-cache/           pages recognised for documents not stored yet (an interrupted
//!                              import goes on from there)
//! ```
//! A document is known by its key, given when it is first imported (its canonical path then)
//! and kept for life: when its file moves, an event records the new path; the key does not
//! change. Each content read for a document is a version (1, 2, …) identified by its content
//! hash; content that was an earlier version becomes current again as a new version that
//! *restores* it. A content's record and clauses are stored once, however many versions or
//! documents carry it. Old versions stay. The state of a document (its current path, whether it
//! is retired) is the last of its version and event entries in `seq` order.
//! Only one writer at a time: tantivy's writer lock, reported as [`Error::IndexLocked`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::directory::error::LockError;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::tokenizer::{
    Language as StemLanguage, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};
use tantivy::{Index, IndexReader, IndexWriter, TantivyDocument, TantivyError, Term};

use crate::analysis::fold;
use crate::error::{Error, Result};
use crate::record::Record;

/// Version of the index layout and tantivy schema.
pub const INDEX_SCHEMA: u32 = 7;
/// Name of the Danish analyzer registered on every opened index.
pub(crate) const DANISH_ANALYZER: &str = "aftale_da";
/// Memory budget of the index writer. Public for the indexing floor of the benchmarks
/// (`aftale-bench index-floor`), which writes with the same budget.
pub const WRITER_MEMORY: usize = 100_000_000;

/// Where an index lives when `--index` is not given.
pub const DEFAULT_INDEX_DIR: &str = "aftale-index";

/// The pattern of a token: numbers with dots or slashes kept whole (`3.4.2`, `2016/679`), else a
/// run of letters and digits.
const TOKEN_PATTERN: &str = r"\d+(?:[./]\d+)+|[\p{L}\p{N}]+";

/// The compiled [`TOKEN_PATTERN`], shared by every token stream of the process.
static TOKEN_REGEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(TOKEN_PATTERN).expect("valid regex"));

/// Splits text into the tokens of [`TOKEN_PATTERN`], like tantivy's `RegexTokenizer` but over
/// one shared regex. tantivy's tokenizer clones its regex for every text it tokenises, and a
/// clone starts with an empty lazy-DFA cache, so every clause field rebuilt the automaton of
/// the Unicode classes from scratch: that was a third of ingest time (issue 9).
#[derive(Clone, Default)]
struct SharedRegexTokenizer {
    token: Token,
}

struct SharedRegexTokenStream<'a> {
    regex: &'a Regex,
    text: &'a str,
    cursor: usize,
    token: &'a mut Token,
}

impl Tokenizer for SharedRegexTokenizer {
    type TokenStream<'a> = SharedRegexTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SharedRegexTokenStream<'a> {
        self.token.reset();
        SharedRegexTokenStream {
            regex: &TOKEN_REGEX,
            text,
            cursor: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for SharedRegexTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(m) = self.regex.find(self.text) else {
            return false;
        };
        if m.as_str().is_empty() {
            return false;
        }
        self.token.text.clear();
        self.token.text.push_str(m.as_str());
        self.token.offset_from = self.cursor + m.start();
        self.cursor += m.end();
        self.token.offset_to = self.cursor;
        self.token.position = self.token.position.wrapping_add(1);
        self.text = &self.text[m.end()..];
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The analyzer of searchable wording (already folded by `analysis::fold`): words and numbers
/// as tokens, clause numbers and dotted numbers kept whole (`3.4.2`, `2016/679`), lower case,
/// Danish stemming, and no stop words (`skal ikke` must stay searchable). Public for the
/// indexing floor of the benchmarks (`aftale-bench index-floor`), which indexes with it.
pub fn danish_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SharedRegexTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(Stemmer::new(StemLanguage::Danish))
        .build()
}

/// The fields of the tantivy schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) kind: Field,
    pub(crate) doc_id: Field,
    pub(crate) doc_key: Field,
    pub(crate) path: Field,
    pub(crate) version_no: Field,
    pub(crate) language: Field,
    pub(crate) title: Field,
    pub(crate) doc_version: Field,
    pub(crate) clause_count: Field,
    pub(crate) ingested: Field,
    pub(crate) record: Field,
    pub(crate) clause: Field,
    pub(crate) heading: Field,
    pub(crate) body: Field,
    /// Stored wording shown in results: the printed heading and text, and the repaired reading.
    pub(crate) heading_text: Field,
    /// The headings of the clause's parents (`3.4 Sikkerhedsbrud` for `3.4.2`), searchable.
    pub(crate) context: Field,
    pub(crate) body_text: Field,
    pub(crate) body_read: Field,
    pub(crate) vendor: Field,
    pub(crate) page: Field,
    pub(crate) topics: Field,
    /// The record's quality flag (issue 11); `None` in indexes written before it existed,
    /// which still open.
    pub(crate) quality: Option<Field>,
    /// Order of a document's version and event entries (microseconds, strictly increasing).
    pub(crate) seq: Field,
    /// What an event entry records (`moved`, `retired`, `revived`).
    pub(crate) event: Field,
    /// On a version entry that brought back earlier content: that version's number.
    pub(crate) restores: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Searchable wording is indexed folded (see `analysis::fold`) and not stored; what results
    // show is stored apart, as printed.
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(DANISH_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        doc_id: b.add_text_field("doc_id", STRING | STORED),
        doc_key: b.add_text_field("doc_key", STRING | STORED),
        path: b.add_text_field("path", STRING | STORED),
        version_no: b.add_u64_field("version_no", INDEXED | STORED | FAST),
        language: b.add_text_field("language", STRING | STORED),
        title: b.add_text_field("title", STORED),
        doc_version: b.add_text_field("doc_version", STRING | STORED),
        clause_count: b.add_u64_field("clause_count", STORED),
        ingested: b.add_u64_field("ingested", STORED),
        record: b.add_text_field("record", STORED),
        clause: b.add_text_field("clause", STRING | STORED),
        heading: b.add_text_field("heading", text.clone()),
        body: b.add_text_field("body", text.clone()),
        heading_text: b.add_text_field("heading_text", STORED),
        context: b.add_text_field("context", text),
        body_text: b.add_text_field("body_text", STORED),
        body_read: b.add_text_field("body_read", STORED),
        vendor: b.add_text_field("vendor", STORED),
        page: b.add_u64_field("page", STORED),
        topics: b.add_text_field("topics", STRING | STORED),
        quality: Some(b.add_text_field("quality", STRING | STORED)),
        seq: b.add_u64_field("seq", INDEXED | STORED | FAST),
        event: b.add_text_field("event", STRING | STORED),
        restores: b.add_u64_field("restores", STORED),
    };
    (b.build(), fields)
}

/// The fields of an index as it is on disk, looked up by name: an index written by another
/// build of the same schema version still opens with the right field ids.
fn fields_of(dir: &Path, schema: &Schema) -> Result<Fields> {
    let get = |name: &str| {
        schema.get_field(name).map_err(|_| Error::IndexCorrupt {
            path: dir.display().to_string(),
            reason: format!("field {name} is missing (re-ingest into a new index)"),
        })
    };
    Ok(Fields {
        kind: get("kind")?,
        doc_id: get("doc_id")?,
        doc_key: get("doc_key")?,
        path: get("path")?,
        version_no: get("version_no")?,
        language: get("language")?,
        title: get("title")?,
        doc_version: get("doc_version")?,
        clause_count: get("clause_count")?,
        ingested: get("ingested")?,
        record: get("record")?,
        clause: get("clause")?,
        heading: get("heading")?,
        body: get("body")?,
        heading_text: get("heading_text")?,
        context: get("context")?,
        body_text: get("body_text")?,
        body_read: get("body_read")?,
        vendor: get("vendor")?,
        page: get("page")?,
        topics: get("topics")?,
        quality: schema.get_field("quality").ok(),
        seq: get("seq")?,
        event: get("event")?,
        restores: get("restores")?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    schema: u32,
    created_by: String,
}

/// One stored version of a document, without its clauses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredVersion {
    pub id: String,
    pub key: String,
    pub path: String,
    pub version: u64,
    pub language: String,
    pub title: Option<String>,
    /// The version printed in the document (`2.6`), if any.
    pub doc_version: Option<String>,
    pub clauses: u64,
    /// Unix seconds.
    pub ingested: u64,
    /// `good`, `review` or `needs_ocr` (see [`crate::record::Quality`]); `None` for versions
    /// indexed before the flag existed.
    #[serde(default)]
    pub quality: Option<String>,
    /// The processor the agreement is with, where the text names it.
    #[serde(default)]
    pub vendor: Option<String>,
    /// When this version's content was an earlier version of the document: that version's
    /// number (identical bytes came back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restores: Option<u64>,
    /// Order among the document's versions and events.
    #[serde(skip)]
    pub seq: u64,
}

/// What happened to a document besides a new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// Its file was found at another path (renamed, or its folder moved).
    Moved,
    /// Taken out of every answer (`aftale remove`, `ingest --prune`); history kept.
    Retired,
    /// A retired document imported again.
    Revived,
}

impl EventKind {
    fn as_str(self) -> &'static str {
        match self {
            EventKind::Moved => "moved",
            EventKind::Retired => "retired",
            EventKind::Revived => "revived",
        }
    }

    fn parse(s: &str) -> Option<EventKind> {
        [EventKind::Moved, EventKind::Retired, EventKind::Revived]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One event in a document's life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentEvent {
    pub kind: EventKind,
    /// The document's path after the event.
    pub path: String,
    /// Unix seconds.
    pub at: u64,
    #[serde(skip)]
    pub seq: u64,
}

/// One document of the index: all its versions, and where it stands now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredDocument {
    /// The document's identity in the index (stable across moves and renames).
    pub key: String,
    /// Where the document's file is now (the path it was last read, moved or restored at), as
    /// shown: relative to the working folder when inside it.
    pub path: String,
    /// The same, canonical (absolute).
    #[serde(skip)]
    pub location: String,
    /// Every version, oldest first; the last one is the current one.
    pub versions: Vec<StoredVersion>,
    /// Unix seconds when the document was retired (`aftale remove`, `ingest --prune`); a retired
    /// document is out of every answer, its history is kept.
    pub retired: Option<u64>,
    /// Moves, retirements and returns, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<DocumentEvent>,
}

impl StoredDocument {
    /// The current version (the last one).
    pub fn current(&self) -> Option<&StoredVersion> {
        self.versions.last()
    }

    /// How a reviewer knows the agreement: the vendor it is with, else its file name.
    pub fn name(&self) -> String {
        self.current()
            .and_then(|v| v.vendor.clone())
            .unwrap_or_else(|| file_name(&self.path))
    }

    /// A document from its entries: the current path and the retired state are those of the
    /// last entry in `seq` order.
    fn from_entries(
        key: String,
        mut versions: Vec<StoredVersion>,
        mut events: Vec<DocumentEvent>,
    ) -> Option<StoredDocument> {
        versions.sort_by_key(|v| v.version);
        events.sort_by_key(|e| e.seq);
        let latest = versions.last()?;
        let latest_seq = latest.seq;
        let (mut path, mut last_seq) = (latest.path.clone(), latest_seq);
        // (when, order) of the retirement in force.
        let mut retired: Option<(u64, u64)> = None;
        for e in &events {
            if e.seq >= last_seq {
                path = e.path.clone();
                last_seq = e.seq;
            }
            match e.kind {
                EventKind::Retired => retired = Some((e.at, e.seq)),
                EventKind::Revived => retired = None,
                EventKind::Moved => {}
            }
        }
        // A version read after the retirement brings the document back.
        let retired = retired
            .filter(|(_, seq)| *seq > latest_seq)
            .map(|(at, _)| at);
        Some(StoredDocument {
            key,
            path: shown_path(&path),
            location: path,
            versions,
            retired,
            events,
        })
    }
}

/// A live document with the full record of its current version: what cross-agreement answers
/// (`deadlines`, `subprocessors`, `show`) are made from.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub document: StoredDocument,
    pub record: Record,
}

impl Agreement {
    /// The vendor, else the file name (see [`StoredDocument::name`]).
    pub fn name(&self) -> String {
        self.document.name()
    }
}

/// A strictly increasing order number for entries: microseconds since the epoch, one more than
/// the last one handed out when the clock has not moved on.
fn next_seq() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64);
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let next = now.max(last + 1);
        match LAST.compare_exchange(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return next,
            Err(seen) => last = seen,
        }
    }
}

/// Where and how a new version entry is written.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub key: &'a str,
    pub version: u64,
    /// The path the content was read at.
    pub path: &'a str,
    /// Unix seconds.
    pub ingested: u64,
    /// The earlier version whose content this is, when identical bytes came back.
    pub restores: Option<u64>,
}

/// How a stored path is shown: relative to the working folder when it lies inside it, else as
/// stored.
pub fn shown_path(path: &str) -> String {
    static CWD: OnceLock<Option<PathBuf>> = OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().and_then(std::fs::canonicalize).ok())
        .as_ref()
        .and_then(|cwd| {
            let rest = Path::new(path).strip_prefix(cwd).ok()?;
            Some(rest.display().to_string())
        })
        .filter(|rest| !rest.is_empty())
        .unwrap_or_else(|| path.to_string())
}

/// Unix seconds as `YYYY-MM-DD HH:MM` (UTC); `-` for 0 (unknown).
pub fn utc_minute(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .filter(|s| *s > 0)
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map_or_else(
            || "-".to_string(),
            |t| t.strftime("%Y-%m-%d %H:%M").to_string(),
        )
}

/// The last part of a path (the whole path when it has none).
pub fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Decompressed blocks of the document store kept per segment by default (tantivy's own).
const DOC_CACHE_BLOCKS: usize = 100;

/// An opened index folder.
pub struct IndexStore {
    dir: PathBuf,
    index: Index,
    fields: Fields,
    /// One reader for the life of the store (opening one reads every segment's metadata).
    reader: OnceLock<IndexReader>,
    /// Decompressed blocks of stored clause texts and records the reader keeps per segment.
    doc_cache_blocks: usize,
}

impl IndexStore {
    /// Open the index in `dir`, creating it (and the folder) when there is none.
    pub fn open_or_create(dir: &Path) -> Result<IndexStore> {
        not_a_folder(dir)?;
        if dir.join("aftale.json").exists() {
            return IndexStore::open(dir);
        }
        IndexStore::create(dir).map_err(|e| match e {
            Error::Io(io) => Error::IndexDir {
                path: dir.display().to_string(),
                reason: io.to_string(),
            },
            other => other,
        })
    }

    fn create(dir: &Path) -> Result<IndexStore> {
        // `aftale.json` is written right after the empty tantivy index and before any document
        // goes in: a tantivy folder without it is a creation that a crash cut short, with
        // nothing in it to lose.
        if dir.join("tantivy").exists() {
            std::fs::remove_dir_all(dir.join("tantivy"))?;
        }
        std::fs::create_dir_all(dir.join("tantivy"))?;
        let (schema, fields) = schema();
        let index =
            Index::create_in_dir(dir.join("tantivy"), schema).map_err(|e| corrupt(dir, e))?;
        let meta = Meta {
            schema: INDEX_SCHEMA,
            created_by: format!("aftale {}", env!("CARGO_PKG_VERSION")),
        };
        // Written whole or not at all: a temporary file renamed into place.
        let tmp = dir.join("aftale.json.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(&meta)?)?;
        std::fs::rename(&tmp, dir.join("aftale.json"))?;
        Ok(IndexStore::with_analyzers(dir, index, fields))
    }

    /// Open an existing index.
    pub fn open(dir: &Path) -> Result<IndexStore> {
        not_a_folder(dir)?;
        let meta_path = dir.join("aftale.json");
        if !meta_path.exists() {
            return Err(Error::NoIndex(dir.display().to_string()));
        }
        let meta: Meta =
            serde_json::from_str(&std::fs::read_to_string(&meta_path)?).map_err(|e| {
                Error::IndexCorrupt {
                    path: meta_path.display().to_string(),
                    reason: e.to_string(),
                }
            })?;
        if meta.schema != INDEX_SCHEMA {
            return Err(Error::IndexSchema {
                path: dir.display().to_string(),
                found: meta.schema,
                expected: INDEX_SCHEMA,
            });
        }
        let index = Index::open_in_dir(dir.join("tantivy")).map_err(|e| corrupt(dir, e))?;
        let fields = fields_of(dir, &index.schema())?;
        Ok(IndexStore::with_analyzers(dir, index, fields))
    }

    fn with_analyzers(dir: &Path, index: Index, fields: Fields) -> IndexStore {
        index
            .tokenizers()
            .register(DANISH_ANALYZER, danish_analyzer());
        IndexStore {
            dir: dir.to_path_buf(),
            index,
            fields,
            reader: OnceLock::new(),
            doc_cache_blocks: DOC_CACHE_BLOCKS,
        }
    }

    /// The store's reader; it sees what was committed when it was first asked for (and later
    /// commits once tantivy reloads it).
    pub(crate) fn searcher(&self) -> Result<tantivy::Searcher> {
        if let Some(reader) = self.reader.get() {
            return Ok(reader.searcher());
        }
        let reader = self
            .index
            .reader_builder()
            .doc_store_cache_num_blocks(self.doc_cache_blocks)
            .try_into()?;
        let searcher = reader.searcher();
        let _ = self.reader.set(reader);
        Ok(searcher)
    }

    /// A fingerprint of what the store's reader sees (its segments and their deletes): it
    /// changes when the reader picks up a commit that changed something, so a front end can
    /// keep what it computed from the records until then.
    pub fn generation(&self) -> Result<u64> {
        use std::hash::{Hash, Hasher};
        let searcher = self.searcher()?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for (segment, deletes) in searcher.generation().segments() {
            segment.uuid_string().hash(&mut hasher);
            deletes.hash(&mut hasher);
        }
        Ok(hasher.finish())
    }

    /// Keep `blocks` decompressed blocks of stored texts per segment (default 100): a
    /// long-running reader (`aftale serve`) answers repeated pages from memory. Takes effect
    /// when set before the first read.
    pub fn with_doc_cache(mut self, blocks: usize) -> IndexStore {
        self.doc_cache_blocks = blocks.max(1);
        self
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Take the index's writer lock. A second writer gets [`Error::IndexLocked`].
    pub fn writer(&self) -> Result<IndexWriter> {
        self.index.writer(WRITER_MEMORY).map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => {
                Error::IndexLocked(self.dir.display().to_string())
            }
            other => Error::Tantivy(other),
        })
    }

    /// Add one version of a document with its content (record and clauses). Visible after the
    /// writer's next commit.
    pub fn add(
        &self,
        writer: &IndexWriter,
        key: &str,
        version: u64,
        ingested: u64,
        record: &Record,
    ) -> Result<()> {
        let new = NewVersion {
            key,
            version,
            path: &record.source.path,
            ingested,
            restores: None,
        };
        self.add_version(writer, &new, record)?;
        self.add_content(writer, key, version, record)
    }

    /// Add a version entry: the document `new.key` now has the content of `record`. The
    /// content itself (record and clauses) is stored once, by [`IndexStore::add_content`].
    pub fn add_version(
        &self,
        writer: &IndexWriter,
        new: &NewVersion,
        record: &Record,
    ) -> Result<()> {
        writer.add_document(self.version_entry(new, next_seq(), record))?;
        Ok(())
    }

    /// A version entry: the document `new.key` has the content of `record` from `seq` on.
    fn version_entry(&self, new: &NewVersion, seq: u64, record: &Record) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = self.entry("document", new.key, new.version, record);
        doc.add_text(f.path, new.path);
        if let Some(v) = &record.version {
            doc.add_text(f.doc_version, v);
        }
        doc.add_u64(
            f.clause_count,
            record.clauses.iter().filter(|c| c.number.is_some()).count() as u64,
        );
        doc.add_u64(f.ingested, new.ingested);
        doc.add_u64(f.seq, seq);
        if let Some(r) = new.restores {
            doc.add_u64(f.restores, r);
        }
        if let (Some(field), Some(q)) = (f.quality, &record.quality) {
            doc.add_text(field, &q.flag);
        }
        doc
    }

    /// Add a content: the full record and its searchable clauses, under the document and
    /// version that first carried it.
    pub fn add_content(
        &self,
        writer: &IndexWriter,
        key: &str,
        version: u64,
        record: &Record,
    ) -> Result<()> {
        let f = &self.fields;
        // The full record stands in an entry of its own, so that listing documents does not
        // read every record.
        let mut full = TantivyDocument::default();
        full.add_text(f.kind, "record");
        full.add_text(f.doc_id, &record.id);
        full.add_text(f.record, serde_json::to_string(record)?);
        writer.add_document(full)?;
        let headings: std::collections::HashMap<&str, &str> = record
            .clauses
            .iter()
            .filter_map(|c| Some((c.number.as_deref()?, c.reading_heading()?)))
            .collect();
        for clause in &record.clauses {
            let mut doc = self.entry("clause", key, version, record);
            // Parent headings, nearest first, so `3.4.2` is found under `Sikkerhedsbrud`.
            let mut parent = clause.parent.as_deref();
            while let Some(p) = parent {
                if let Some(h) = headings.get(p) {
                    doc.add_text(f.context, fold(h));
                }
                parent = p.rsplit_once('.').map(|(up, _)| up);
            }
            if let Some(v) = &record.version {
                doc.add_text(f.doc_version, v);
            }
            if let Some(n) = &clause.number {
                doc.add_text(f.clause, n);
                // The number is searchable too (`3.4.2`).
                doc.add_text(f.heading, n);
            }
            // Printed and OCR-repaired wording are both indexed, folded, so either finds it.
            if let Some(h) = &clause.heading {
                doc.add_text(f.heading, fold(h));
                doc.add_text(f.heading_text, h);
            }
            doc.add_text(f.body, fold(&clause.text));
            doc.add_text(f.body_text, &clause.text);
            if let Some(repaired) = &clause.repaired {
                if let Some(h) = &repaired.heading {
                    doc.add_text(f.heading, fold(h));
                }
                doc.add_text(f.body, fold(&repaired.text));
                doc.add_text(f.body_read, &repaired.text);
            }
            if let Some(p) = clause.page {
                doc.add_u64(f.page, u64::from(p));
            }
            for t in &clause.topics {
                doc.add_text(f.topics, t);
            }
            writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Record an event of a document (a move, a retirement, a return).
    pub fn add_event(
        &self,
        writer: &IndexWriter,
        key: &str,
        kind: EventKind,
        path: &str,
        at: u64,
    ) -> Result<()> {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, "event");
        doc.add_text(f.doc_key, key);
        doc.add_text(f.event, kind.as_str());
        doc.add_text(f.path, path);
        doc.add_u64(f.ingested, at);
        doc.add_u64(f.seq, next_seq());
        writer.add_document(doc)?;
        Ok(())
    }

    /// Replace a content read anew (`ingest --force`, or OCR now available): its record and
    /// clauses, and the metadata of every version entry that carries it (number, path, import
    /// time and order kept).
    pub fn replace_content(
        &self,
        writer: &IndexWriter,
        record: &Record,
        carriers: &[StoredVersion],
    ) -> Result<()> {
        let f = &self.fields;
        writer.delete_term(Term::from_field_text(f.doc_id, &record.id));
        for v in carriers {
            let new = NewVersion {
                key: &v.key,
                version: v.version,
                path: &v.path,
                ingested: v.ingested,
                restores: v.restores,
            };
            writer.add_document(self.version_entry(&new, v.seq, record))?;
        }
        let (key, version) = carriers
            .first()
            .map_or(("", 1), |v| (v.key.as_str(), v.version));
        self.add_content(writer, key, version, record)
    }

    /// Delete a document for good: its version and event entries, and every content no other
    /// document carries.
    pub fn purge(
        &self,
        writer: &IndexWriter,
        document: &StoredDocument,
        all: &[StoredDocument],
    ) -> Result<()> {
        let f = &self.fields;
        let shared: std::collections::HashSet<&str> = all
            .iter()
            .filter(|d| d.key != document.key)
            .flat_map(|d| d.versions.iter().map(|v| v.id.as_str()))
            .collect();
        for v in &document.versions {
            if !shared.contains(v.id.as_str()) {
                writer.delete_term(Term::from_field_text(f.doc_id, &v.id));
            }
        }
        for kind in ["document", "event"] {
            let query = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.doc_key, &document.key),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.kind, kind),
                        IndexRecordOption::Basic,
                    )),
                ),
            ]);
            writer.delete_query(Box::new(query))?;
        }
        Ok(())
    }

    /// The fields every entry of one document version carries.
    fn entry(&self, kind: &str, key: &str, version: u64, record: &Record) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, kind);
        doc.add_text(f.doc_id, &record.id);
        doc.add_text(f.doc_key, key);
        if kind != "document" {
            doc.add_text(f.path, &record.source.path);
        }
        doc.add_u64(f.version_no, version);
        doc.add_text(f.language, &record.language.code);
        if let Some(title) = &record.title {
            doc.add_text(f.title, title);
        }
        if let Some(vendor) = &record.vendor {
            doc.add_text(f.vendor, vendor);
        }
        doc
    }

    /// Every stored document version, ordered by key and version.
    pub fn versions(&self) -> Result<Vec<StoredVersion>> {
        let f = &self.fields;
        let searcher = self.searcher()?;
        let query = TermQuery::new(
            Term::from_field_text(f.kind, "document"),
            IndexRecordOption::Basic,
        );
        let mut out = Vec::new();
        for address in searcher.search(&query, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str().map(str::to_string))
            };
            let number = |field: Field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
            out.push(StoredVersion {
                id: text(f.doc_id).unwrap_or_default(),
                key: text(f.doc_key).unwrap_or_default(),
                path: text(f.path).unwrap_or_default(),
                version: number(f.version_no),
                language: text(f.language).unwrap_or_default(),
                title: text(f.title),
                doc_version: text(f.doc_version),
                clauses: number(f.clause_count),
                ingested: number(f.ingested),
                quality: f.quality.and_then(text),
                vendor: text(f.vendor),
                restores: doc.get_first(f.restores).and_then(|v| v.as_u64()),
                seq: number(f.seq),
            });
        }
        out.sort_by(|a, b| (&a.key, a.version).cmp(&(&b.key, b.version)));
        Ok(out)
    }

    /// The versions grouped per document key.
    pub fn documents(&self) -> Result<BTreeMap<String, Vec<StoredVersion>>> {
        let mut map: BTreeMap<String, Vec<StoredVersion>> = BTreeMap::new();
        for v in self.versions()? {
            map.entry(v.key.clone()).or_default().push(v);
        }
        Ok(map)
    }

    /// The full record of a stored version.
    pub fn record(&self, id: &str) -> Result<Option<Record>> {
        let f = &self.fields;
        let searcher = self.searcher()?;
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.doc_id, id),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.kind, "record"),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        for address in searcher.search(&query, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(json) = doc
                .get_first(f.record)
                .and_then(|v| v.as_str().map(str::to_string))
            {
                return Ok(Some(serde_json::from_str(&json)?));
            }
        }
        Ok(None)
    }

    /// Every event entry, grouped by document key.
    fn events(&self) -> Result<std::collections::HashMap<String, Vec<DocumentEvent>>> {
        let f = &self.fields;
        let searcher = self.searcher()?;
        let query = TermQuery::new(
            Term::from_field_text(f.kind, "event"),
            IndexRecordOption::Basic,
        );
        let mut out: std::collections::HashMap<String, Vec<DocumentEvent>> =
            std::collections::HashMap::new();
        for address in searcher.search(&query, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let number = |field: Field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
            let Some(kind) = EventKind::parse(&text(f.event)) else {
                continue;
            };
            out.entry(text(f.doc_key)).or_default().push(DocumentEvent {
                kind,
                path: text(f.path),
                at: number(f.ingested),
                seq: number(f.seq),
            });
        }
        Ok(out)
    }

    /// Every document, with where it stands now (retired ones included), ordered by key.
    pub fn stored_documents(&self) -> Result<Vec<StoredDocument>> {
        let mut events = self.events()?;
        Ok(self
            .documents()?
            .into_iter()
            .filter_map(|(key, versions)| {
                let events = events.remove(&key).unwrap_or_default();
                StoredDocument::from_entries(key, versions, events)
            })
            .collect())
    }

    /// The document that `doc` names, retired ones included: its current path or a path it was
    /// read at (as given or canonical), its key, the start of one of its versions' ids (6 hex
    /// digits or more; returned too, to pick that version), the end of its path (`vendor/dpa.pdf`),
    /// the start of its file name, or its vendor name. Nothing found, or more than one document, is a usage error that
    /// says so.
    pub fn find(&self, doc: &str) -> Result<(StoredDocument, Option<String>)> {
        let documents = self.stored_documents()?;
        let canonical = std::fs::canonicalize(doc)
            .ok()
            .map(|p| p.display().to_string());
        let by_path = |d: &StoredDocument| {
            let paths = || {
                std::iter::once(d.path.as_str()).chain(d.versions.iter().map(|v| v.path.as_str()))
            };
            d.key == doc
                || paths().any(|p| p == doc || Some(p) == canonical.as_deref())
                || canonical.as_deref() == Some(d.key.as_str())
        };
        if let Some(found) = documents.iter().find(|d| by_path(d)) {
            return Ok((found.clone(), None));
        }
        let lower = doc.to_ascii_lowercase();
        let is_id = lower.len() >= 6 && lower.chars().all(|c| c.is_ascii_hexdigit());
        let suffix = format!("/{}", doc.trim_start_matches("./"));
        let wanted = fold(doc);
        let file_start = |d: &StoredDocument| fold(&file_name(&d.path)).starts_with(&wanted);
        let tests: [&dyn Fn(&StoredDocument) -> bool; 4] = [
            &|d| is_id && d.versions.iter().any(|v| v.id.starts_with(&lower)),
            &|d| !is_id && (d.path.ends_with(&suffix) || d.key.ends_with(&suffix)),
            &|d| !is_id && !wanted.is_empty() && file_start(d),
            &|d| {
                !is_id
                    && d.current()
                        .and_then(|v| v.vendor.as_deref())
                        .is_some_and(|v| fold(v).contains(&wanted))
            },
        ];
        for test in tests {
            let matches: Vec<&StoredDocument> = documents.iter().filter(|d| test(d)).collect();
            match matches.as_slice() {
                [] => continue,
                [one] => return Ok(((*one).clone(), is_id.then(|| lower.clone()))),
                many => {
                    let shown: Vec<String> = many
                        .iter()
                        .take(5)
                        .map(|d| format!("{} ({})", d.path, d.name()))
                        .collect();
                    return Err(Error::Usage(format!(
                        "{doc} matches {} documents in the index: {}{}; give more of the path or id",
                        many.len(),
                        shown.join(", "),
                        if many.len() > 5 { ", …" } else { "" }
                    )));
                }
            }
        }
        Err(Error::Usage(format!(
            "{doc}: no document in the index with that path, id or vendor (see `aftale docs`)"
        )))
    }

    /// The document `doc` names (see [`IndexStore::find`]), the version it picks (the one whose
    /// id it starts, else the current one) and that version's record: what a command that shows
    /// one agreement reads.
    pub fn find_record(&self, doc: &str) -> Result<(StoredDocument, StoredVersion, Record)> {
        let (document, picked) = self.find(doc)?;
        let version = match &picked {
            Some(prefix) => document.versions.iter().find(|v| v.id.starts_with(prefix)),
            None => document.current(),
        }
        .cloned()
        .ok_or_else(|| Error::Usage(format!("{doc}: the document has no versions")))?;
        let record = self.record(&version.id)?.ok_or_else(|| {
            Error::Usage(format!(
                "{doc}: the index has no record of version {} (re-import the file)",
                version.version
            ))
        })?;
        Ok((document, version, record))
    }

    /// The live documents with the records of their current versions, ordered by key.
    pub fn agreements(&self) -> Result<Vec<Agreement>> {
        let mut out = Vec::new();
        for document in self.stored_documents()? {
            if document.retired.is_some() {
                continue;
            }
            let Some(current) = document.current() else {
                continue;
            };
            if let Some(record) = self.record(&current.id)? {
                out.push(Agreement { document, record });
            }
        }
        Ok(out)
    }

    /// The records of the current version of every live document.
    pub fn latest_records(&self) -> Result<Vec<Record>> {
        Ok(self.agreements()?.into_iter().map(|a| a.record).collect())
    }

    /// Number of clause entries in the index (all versions).
    pub fn clause_entries(&self) -> Result<usize> {
        let searcher = self.searcher()?;
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, "clause"),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&query, &tantivy::collector::Count)?)
    }
}

/// An index path that exists but is no folder is named as such (not "os error 20" later).
fn not_a_folder(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::IndexDir {
            path: dir.display().to_string(),
            reason: "it is a file, not a folder".into(),
        });
    }
    Ok(())
}

fn corrupt(dir: &Path, e: TantivyError) -> Error {
    Error::IndexCorrupt {
        path: dir.display().to_string(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::RegexTokenizer;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    /// The shared-regex tokenizer gives exactly the tokens of tantivy's own `RegexTokenizer`
    /// over the same pattern (an index written before the change reads the same).
    #[test]
    fn tokens_are_those_of_tantivy_s_regex_tokenizer() {
        let reference = || {
            TextAnalyzer::builder(RegexTokenizer::new(TOKEN_PATTERN).expect("pattern"))
                .filter(RemoveLongFilter::limit(60))
                .filter(LowerCaser)
                .filter(Stemmer::new(StemLanguage::Danish))
                .build()
        };
        let texts = [
            "",
            "  ",
            "3.4.2 Underretning om sikkerhedsbrud jf. forordning (EU) 2016/679, pkt. 9.1.",
            "Databehandleren skal uden unødig forsinkelse og senest 24 timer efter… ÆØÅ æøå",
            "1den geeldende OVERFZRSEL 12a.3 1.2a 12. .5 ٣.٤ x²³ ﬁle naïve",
            &"langtordsomerlængereendtresindstyvetegnogderforfjernesfraindekset ".repeat(3),
        ];
        for text in texts {
            assert_eq!(
                tokens(danish_analyzer(), text),
                tokens(reference(), text),
                "{text:?}"
            );
        }
    }
}
