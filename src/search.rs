//! Clause search: a query → the clauses of the indexed agreements that match it, best first.
//!
//! Wording is compared folded ([`fold`]: lower case, `æ`/`ae`, `ø`/`oe`/`o`, `å`/`aa`/`a`),
//! stemmed in Danish, over the printed and the OCR-repaired wording of every clause, with
//! headings weighing more than text. When the exact words find few clauses, words of five
//! letters or more are also looked up with one or two letters' difference (OCR damage the
//! repair did not catch). Phrases in quotes must stand together.
//!
//! Filters ([`Filter`]) narrow by topic (an id or its Danish name, see
//! [`topic_from_user`]; an unknown topic is a usage error, never an empty answer), vendor,
//! language and document; vendor and document are compared folded like the wording. A query
//! of filters only lists the matching clauses in agreement and clause order, unscored.
//!
//! What is searched is decided from the index's documents ([`IndexStore::stored_documents`]),
//! not from the clause entries: the current version of every document that is not retired
//! (every version of it with `--all-versions`), each hit labelled with its document's current
//! path and name (vendor, else file name). One agreement gives at most `per_document` hits, a
//! hard cap: a page may stay short. An [`Answer`] says what was searched ([`Searched`]), so
//! that an empty one can say so.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex};

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::index::SegmentId;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::analysis::fold;
use crate::analysis::topics::{topic_from_user, topics_of, TOPICS};
use crate::error::{Error, Result};
use crate::index::{danish_analyzer, IndexStore, StoredDocument};

/// How headings weigh against clause text.
const HEADING_BOOST: f32 = 2.0;
/// How the headings of parent clauses weigh.
const CONTEXT_BOOST: f32 = 0.6;
/// How a clause whose topic the query is about weighs.
const TOPIC_BOOST: f32 = 1.5;
/// Fewer hits than this with exact words brings in the fuzzy fallback.
const FUZZY_BELOW: usize = 5;

/// At most this many version ids go into the query itself as a filter (a narrow search:
/// `--doc`, `--vendor`); with more, clause entries of other versions are left out as they come,
/// and the query is run again with the filter only when that left a page short. A filter of
/// 2,000 ids costs some 20 ms a query, ten times the query itself.
const IDS_IN_QUERY: usize = 64;

/// What to search for and how.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Hits on a page (at least 1).
    pub limit: usize,
    /// At most this many hits from one agreement (at least 1): a hard cap, a page may stay
    /// short.
    pub per_document: usize,
    pub all_versions: bool,
    /// A topic id or its Danish name (see [`topic_from_user`]).
    pub topic: Option<String>,
    pub vendor: Option<String>,
    pub language: Option<String>,
    /// A document id (or its start) or a part of its path.
    pub document: Option<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            per_document: 3,
            all_versions: false,
            topic: None,
            vendor: None,
            language: None,
            document: None,
        }
    }
}

/// One matching clause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// How a reviewer knows the agreement: its vendor, else its file name.
    pub agreement: String,
    /// Where the agreement's file is now.
    pub path: String,
    /// Content id of the agreement version.
    pub doc: String,
    pub title: Option<String>,
    pub vendor: Option<String>,
    /// Version number of the document in the index.
    pub version: u64,
    /// The version printed in the agreement.
    pub doc_version: Option<String>,
    pub clause: Option<String>,
    pub heading: Option<String>,
    pub page: Option<u64>,
    pub topics: Vec<String>,
    /// Relevance, higher is better; `None` when the query had no words (a listing in agreement
    /// and clause order).
    pub score: Option<f32>,
    /// The best passage, matching words in `<b>…</b>`.
    pub snippet: String,
}

/// A hit as one line of `aftale search --json` (and the web app's `/search.json`):
/// `{"type": "hit", …the hit's fields}`.
#[derive(Debug, Serialize)]
pub struct HitLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    hit: &'a Hit,
}

impl<'a> HitLine<'a> {
    pub fn new(hit: &'a Hit) -> HitLine<'a> {
        HitLine { kind: "hit", hit }
    }
}

/// The hits of a query and what was searched.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub hits: Vec<Hit>,
    pub searched: Searched,
}

/// What a query searched, for an answer to say (`for "xyz" (topic audit) in the current
/// versions of 3 agreements`).
#[derive(Debug, Clone, PartialEq)]
pub struct Searched {
    /// The words, phrases and excluded words, as given; empty for a listing by filters.
    pub words: String,
    /// The filters in force, topics by id.
    pub filters: Vec<(Filter, String)>,
    /// Agreements left after the vendor, document and language filters.
    pub agreements: usize,
    /// Agreements in the index that are not retired.
    pub live: usize,
    pub all_versions: bool,
}

impl fmt::Display for Searched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let filters: Vec<String> = self
            .filters
            .iter()
            .map(|(filter, value)| format!("{} {value}", filter.label()))
            .collect();
        match (self.words.is_empty(), filters.is_empty()) {
            (false, true) => write!(f, "for \"{}\"", self.words)?,
            (false, false) => write!(f, "for \"{}\" ({})", self.words, filters.join(", "))?,
            (true, _) => write!(f, "with {}", filters.join(", "))?,
        }
        let which = if self.all_versions {
            "all versions"
        } else if self.agreements == 1 {
            "the current version"
        } else {
            "the current versions"
        };
        let count = if self.agreements == self.live {
            self.live.to_string()
        } else {
            format!("{} of {}", self.agreements, self.live)
        };
        let noun = if self.live == 1 {
            "agreement"
        } else {
            "agreements"
        };
        write!(f, " in {which} of {count} {noun}")
    }
}

/// A `field:value` filter of a query (or its command-line flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Topic,
    Vendor,
    Language,
    Document,
}

impl Filter {
    /// The filter a query's `field:` names (`topic`, `vendor`, `lang`/`language`, `doc`).
    pub fn from_field(field: &str) -> Option<Filter> {
        match field.to_lowercase().as_str() {
            "topic" => Some(Filter::Topic),
            "vendor" => Some(Filter::Vendor),
            "lang" | "language" => Some(Filter::Language),
            "doc" | "document" => Some(Filter::Document),
            _ => None,
        }
    }

    /// How an answer names the filter.
    pub fn label(self) -> &'static str {
        match self {
            Filter::Topic => "topic",
            Filter::Vendor => "vendor",
            Filter::Language => "language",
            Filter::Document => "document",
        }
    }
}

/// A parsed query: words, phrases, excluded words and `field:value` filters.
#[derive(Debug, Default, PartialEq)]
pub struct ParsedQuery {
    pub words: Vec<String>,
    pub phrases: Vec<Vec<String>>,
    pub excluded: Vec<String>,
    pub topic: Option<String>,
    pub vendor: Option<String>,
    pub language: Option<String>,
    pub document: Option<String>,
}

impl ParsedQuery {
    /// Words or phrases to rank by (a query without them lists clauses by its filters).
    fn has_words(&self) -> bool {
        !(self.words.is_empty() && self.phrases.is_empty())
    }

    /// The words, phrases and excluded words, written back as a query.
    fn text(&self) -> String {
        self.words
            .iter()
            .cloned()
            .chain(self.phrases.iter().map(|p| format!("\"{}\"", p.join(" "))))
            .chain(self.excluded.iter().map(|w| format!("-{w}")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Split a query into words, `"phrases"`, `-excluded` words and `topic:`/`vendor:`/`lang:`/
/// `doc:` filters. A filter's value may be quoted: `topic:"brud på persondatasikkerheden"`.
pub fn parse(query: &str) -> ParsedQuery {
    let mut parsed = ParsedQuery::default();
    let mut filters: Vec<(Filter, String)> = Vec::new();
    let mut rest = query;
    while let Some(start) = rest.find('"') {
        let (before, after) = rest.split_at(start);
        let after = &after[1..];
        let end = after.find('"').unwrap_or(after.len());
        let mut before_words: Vec<&str> = before.split_whitespace().collect();
        let quoted = &after[..end];
        // `field:"a value"`: the word just before the quote is a filter without its value.
        let filter = (!before.ends_with(char::is_whitespace))
            .then(|| before_words.last().copied())
            .flatten()
            .and_then(|w| w.strip_suffix(':'))
            .and_then(Filter::from_field);
        if let Some(filter) = filter {
            before_words.pop();
            parsed
                .words
                .extend(before_words.into_iter().map(str::to_string));
            let value = quoted.split_whitespace().collect::<Vec<_>>().join(" ");
            if !value.is_empty() {
                filters.push((filter, value));
            }
        } else {
            parsed
                .words
                .extend(before_words.into_iter().map(str::to_string));
            let phrase: Vec<String> = quoted.split_whitespace().map(str::to_string).collect();
            if !phrase.is_empty() {
                parsed.phrases.push(phrase);
            }
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    parsed
        .words
        .extend(rest.split_whitespace().map(str::to_string));
    let words = std::mem::take(&mut parsed.words);
    for word in words {
        let filter = word
            .split_once(':')
            .filter(|(f, v)| !f.is_empty() && !v.is_empty())
            .and_then(|(f, v)| Some((Filter::from_field(f)?, v.to_string())));
        if let Some(filter) = filter {
            filters.push(filter);
        } else if let Some(excluded) = word.strip_prefix('-').filter(|w| !w.is_empty()) {
            parsed.excluded.push(excluded.to_string());
        } else {
            parsed.words.push(word);
        }
    }
    for (filter, value) in filters {
        let slot = match filter {
            Filter::Topic => &mut parsed.topic,
            Filter::Vendor => &mut parsed.vendor,
            Filter::Language => &mut parsed.language,
            Filter::Document => &mut parsed.document,
        };
        *slot = Some(value);
    }
    parsed
}

/// The filters in force: the query's and the flags' (which must agree where both are given),
/// the topic as its id.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    topic: Option<&'static str>,
    vendor: Option<String>,
    language: Option<String>,
    document: Option<String>,
}

impl Filters {
    fn new(parsed: &ParsedQuery, options: &SearchOptions) -> Result<Filters> {
        fn one(
            filter: Filter,
            in_query: &Option<String>,
            flag: &Option<String>,
        ) -> Result<Option<String>> {
            match (in_query, flag) {
                (Some(q), Some(f)) if fold(q) != fold(f) => Err(Error::Usage(format!(
                    "{0}:{q} in the query and --{1} {f} disagree; give one",
                    filter.label(),
                    match filter {
                        Filter::Language => "lang",
                        Filter::Document => "doc",
                        other => other.label(),
                    }
                ))),
                (Some(v), _) | (None, Some(v)) => Ok(Some(v.trim().to_string())),
                (None, None) => Ok(None),
            }
        }
        let topic = one(Filter::Topic, &parsed.topic, &options.topic)?
            .map(|t| topic_from_user(&t).map_err(Error::Usage))
            .transpose()?;
        Ok(Filters {
            topic,
            vendor: one(Filter::Vendor, &parsed.vendor, &options.vendor)?,
            language: one(Filter::Language, &parsed.language, &options.language)?
                .map(|l| l.to_lowercase()),
            document: one(Filter::Document, &parsed.document, &options.document)?,
        })
    }

    fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// The filters for an answer to name.
    fn named(&self) -> Vec<(Filter, String)> {
        [
            (Filter::Topic, self.topic.map(str::to_string)),
            (Filter::Vendor, self.vendor.clone()),
            (Filter::Language, self.language.clone()),
            (Filter::Document, self.document.clone()),
        ]
        .into_iter()
        .filter_map(|(f, v)| Some((f, v?)))
        .collect()
    }
}

/// The agreement a version's clause entries are shown as.
#[derive(Debug, Clone, PartialEq)]
struct Source {
    /// The document's key (its identity in the index).
    key: String,
    /// Its current path.
    path: String,
    /// Its name: vendor, else file name.
    agreement: String,
}

/// Which versions a search looks at, and as which agreement each is shown: decided from the
/// documents of the index, so that a moved document shows its current path and a retired one
/// nothing.
#[derive(Debug, Clone, Default)]
struct Scope {
    /// Content id → the agreement it is shown as.
    sources: HashMap<String, Source>,
    /// The agreements searched, in listing order (by name, then key), each with its eligible
    /// version ids, oldest first.
    agreements: Vec<(Source, Vec<String>)>,
    /// Documents that are not retired.
    live: usize,
}

impl Scope {
    fn new(documents: &[StoredDocument], filters: &Filters, all_versions: bool) -> Scope {
        let live: Vec<&StoredDocument> = documents.iter().filter(|d| d.retired.is_none()).collect();
        let vendor = filters.vendor.as_deref().map(fold);
        let wanted_doc = filters
            .document
            .as_deref()
            .map(|d| (d.to_lowercase(), fold(d)));
        // Six hex digits or more, as `IndexStore::find` takes them: fewer name too many versions.
        let is_id = |d: &str| d.len() >= 6 && d.chars().all(|c| c.is_ascii_hexdigit());
        let mut agreements: Vec<(Source, Vec<String>, Vec<bool>)> = Vec::new();
        for document in &live {
            let Some(current) = document.current() else {
                continue;
            };
            if let Some(v) = &vendor {
                let names = std::iter::once(document.name())
                    .chain(std::iter::once(document.path.clone()))
                    .chain(document.versions.iter().flat_map(|ver| {
                        [ver.vendor.clone(), ver.title.clone()]
                            .into_iter()
                            .flatten()
                    }));
                if !names.into_iter().any(|n| fold(&n).contains(v.as_str())) {
                    continue;
                }
            }
            // A version id prefix (with `--all-versions`, that version only), else a part of
            // the document's path or key.
            let mut id_prefix = None;
            if let Some((lower, folded)) = &wanted_doc {
                let by_id =
                    is_id(lower) && document.versions.iter().any(|v| v.id.starts_with(lower));
                let by_path = fold(&document.path).contains(folded.as_str())
                    || fold(&document.key).contains(folded.as_str());
                if !by_id && !by_path {
                    continue;
                }
                if by_id && !by_path {
                    id_prefix = Some(lower.as_str());
                }
            }
            let versions = document.versions.iter().filter(|v| {
                (all_versions || v.id == current.id)
                    && filters
                        .language
                        .as_deref()
                        .is_none_or(|l| v.language.to_lowercase() == l)
                    && (!all_versions || id_prefix.is_none_or(|p| v.id.starts_with(p)))
            });
            let (ids, is_current): (Vec<String>, Vec<bool>) =
                versions.map(|v| (v.id.clone(), v.id == current.id)).unzip();
            if ids.is_empty() {
                continue;
            }
            let source = Source {
                key: document.key.clone(),
                path: document.path.clone(),
                agreement: document.name(),
            };
            agreements.push((source, ids, is_current));
        }
        // A content id that two documents share is shown as the one it is the current version
        // of, else as the first.
        let mut sources = HashMap::new();
        for current_first in [true, false] {
            for (source, ids, is_current) in &agreements {
                for (id, &current) in ids.iter().zip(is_current) {
                    if current == current_first {
                        sources.entry(id.clone()).or_insert_with(|| source.clone());
                    }
                }
            }
        }
        let mut agreements: Vec<(Source, Vec<String>)> = agreements
            .into_iter()
            .map(|(source, ids, _)| {
                let own = ids
                    .into_iter()
                    .filter(|id| sources.get(id).is_some_and(|s| s.key == source.key))
                    .collect();
                (source, own)
            })
            .filter(|(_, ids): &(Source, Vec<String>)| !ids.is_empty())
            .collect();
        agreements.sort_by_cached_key(|(s, _)| (fold(&s.agreement), s.key.clone()));
        Scope {
            sources,
            agreements,
            live: live.len(),
        }
    }

    /// The version ids searched.
    fn ids(&self) -> impl Iterator<Item = &String> {
        self.sources.keys()
    }
}

/// A page being filled: at most `limit` hits, at most `per_document` from one agreement, no
/// clause twice.
struct Page {
    limit: usize,
    per_document: usize,
    hits: Vec<Hit>,
    per_agreement: HashMap<String, usize>,
    seen: HashSet<ClauseKey>,
}

/// What makes two clause entries the same clause: version, number, heading and wording.
type ClauseKey = (String, Option<String>, Option<String>, String);

impl Page {
    fn new(limit: usize, per_document: usize) -> Page {
        Page {
            limit,
            per_document,
            hits: Vec::new(),
            per_agreement: HashMap::new(),
            seen: HashSet::new(),
        }
    }

    fn is_full(&self) -> bool {
        self.hits.len() >= self.limit
    }

    /// Whether a clause of `agreement` still has a place: the page is not full, the agreement
    /// has places left, and the clause is not on the page. Takes the place when it has.
    fn admit(&mut self, agreement: &str, clause: ClauseKey) -> bool {
        if self.is_full()
            || self.per_agreement.get(agreement).copied().unwrap_or(0) >= self.per_document
            || self.seen.contains(&clause)
        {
            return false;
        }
        self.seen.insert(clause);
        *self.per_agreement.entry(agreement.to_string()).or_default() += 1;
        true
    }
}

/// The index terms of some words (folded, tokenised, stemmed), in order.
fn terms(field: Field, text: &str) -> Vec<Term> {
    static ANALYZER: LazyLock<TextAnalyzer> = LazyLock::new(danish_analyzer);
    let mut analyzer = ANALYZER.clone();
    let folded = fold(text);
    let mut stream = analyzer.token_stream(&folded);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(Term::from_field_text(field, &stream.token().text));
    }
    out
}

/// The scope of a search, from the documents of the index as its reader sees them now: both
/// kept for the next search of the same process with the same state of the index, since
/// reading every document entry costs more than a query (and building the scope of thousands
/// of agreements about as much as one), and a process that searches many times (a server, the
/// benchmark) should not pay that each time. The state is the index folder and the reader's
/// segments with their deletes, so a commit (an import, a move, a retirement) reads them again.
fn scope_of(store: &IndexStore, filters: &Filters, all_versions: bool) -> Result<Arc<Scope>> {
    type State = (PathBuf, Vec<(SegmentId, Option<u64>)>);
    struct Last {
        state: State,
        documents: Arc<Vec<StoredDocument>>,
        scope: Option<((Filters, bool), Arc<Scope>)>,
    }
    static LAST: Mutex<Option<Last>> = Mutex::new(None);
    let searcher = store.searcher()?;
    let segments = searcher
        .generation()
        .segments()
        .iter()
        .map(|(id, deletes)| (*id, *deletes))
        .collect();
    let state: State = (store.dir().to_path_buf(), segments);
    let wanted = (filters.clone(), all_versions);
    let known = LAST.lock().ok().and_then(|last| {
        let last = last.as_ref().filter(|l| l.state == state)?;
        let scope = last
            .scope
            .as_ref()
            .filter(|(key, _)| *key == wanted)
            .map(|(_, scope)| Arc::clone(scope));
        Some((Arc::clone(&last.documents), scope))
    });
    let documents = match known {
        Some((_, Some(scope))) => return Ok(scope),
        Some((documents, None)) => documents,
        None => Arc::new(store.stored_documents()?),
    };
    let scope = Arc::new(Scope::new(&documents, filters, all_versions));
    if let Ok(mut last) = LAST.lock() {
        *last = Some(Last {
            state,
            documents,
            scope: Some((wanted, Arc::clone(&scope))),
        });
    }
    Ok(scope)
}

/// Search the clauses of an index: the hits (see [`answer`]).
pub fn search(store: &IndexStore, query: &str, options: &SearchOptions) -> Result<Vec<Hit>> {
    Ok(answer(store, query, options)?.hits)
}

/// Search the clauses of an index: with words, the best clauses first; with filters only, the
/// matching clauses in agreement and clause order. An unknown topic, a zero limit, filters that
/// disagree or a query with nothing to search by are usage errors.
pub fn answer(store: &IndexStore, query: &str, options: &SearchOptions) -> Result<Answer> {
    if options.limit == 0 || options.per_document == 0 {
        return Err(Error::Usage(
            "--limit and --per-doc must be at least 1".into(),
        ));
    }
    let parsed = parse(query);
    let filters = Filters::new(&parsed, options)?;
    if !parsed.has_words() && filters.is_empty() {
        return Err(Error::Usage(
            "nothing to search for: give words (`aftale search sikkerhedsbrud`) or a filter \
             (`topic:audit`, `--vendor NAME`, `--lang da`, `--doc ID`) to list its clauses"
                .into(),
        ));
    }
    let scope = scope_of(store, &filters, options.all_versions)?;
    let searched = Searched {
        words: parsed.text(),
        filters: filters.named(),
        agreements: scope.agreements.len(),
        live: scope.live,
        all_versions: options.all_versions,
    };
    let mut page = Page::new(options.limit, options.per_document);
    if !scope.sources.is_empty() {
        if parsed.has_words() {
            rank(store, &parsed, &filters, &scope, &mut page)?;
        } else {
            list(store, &parsed, &filters, &scope, &mut page)?;
        }
    }
    Ok(Answer {
        hits: page.hits,
        searched,
    })
}

/// The best clauses first: exact words, then (when they found few) OCR-tolerant ones.
fn rank(
    store: &IndexStore,
    parsed: &ParsedQuery,
    filters: &Filters,
    scope: &Scope,
    page: &mut Page,
) -> Result<()> {
    for fuzzy in [false, true] {
        if fuzzy && page.hits.len() >= FUZZY_BELOW.min(page.limit) {
            break;
        }
        let in_query = scope.sources.len() <= IDS_IN_QUERY;
        let query = build_query(store, parsed, filters, in_query.then_some(scope), fuzzy)?;
        let crowded = run(store, query.as_ref(), parsed, scope, page)?;
        if crowded && !in_query && !page.is_full() {
            // Entries of versions out of scope crowded the candidates out: ask again with
            // the versions in the query.
            let query = build_query(store, parsed, filters, Some(scope), fuzzy)?;
            run(store, query.as_ref(), parsed, scope, page)?;
        }
    }
    Ok(())
}

/// Clauses by filters only: agreement by agreement (by name), in clause order.
fn list(
    store: &IndexStore,
    parsed: &ParsedQuery,
    filters: &Filters,
    scope: &Scope,
    page: &mut Page,
) -> Result<()> {
    let searcher = store.searcher()?;
    for (source, ids) in &scope.agreements {
        if page.is_full() {
            break;
        }
        let agreement = Scope {
            sources: ids.iter().map(|id| (id.clone(), source.clone())).collect(),
            agreements: Vec::new(),
            live: 0,
        };
        let query = build_query(store, parsed, filters, Some(&agreement), false)?;
        let addresses = searcher.search(query.as_ref(), &DocSetCollector)?;
        if addresses.is_empty() {
            continue;
        }
        let mut found = Vec::new();
        for address in addresses {
            if let Some(entry) = entry_at(store, &searcher, address, None, &agreement)? {
                found.push(entry);
            }
        }
        // Clause order as the record of each version has it.
        let mut order: HashMap<String, Vec<(Option<String>, String)>> = HashMap::new();
        for id in ids {
            if let Some(record) = store.record(id)? {
                let clauses = record.clauses.into_iter().map(|c| (c.number, c.text));
                order.insert(id.clone(), clauses.collect());
            }
        }
        found.sort_by_cached_key(|Entry { hit, body, .. }| {
            let position = order.get(&hit.doc).and_then(|clauses| {
                clauses
                    .iter()
                    .position(|(number, text)| *number == hit.clause && text == body)
            });
            (
                // The current version first.
                std::cmp::Reverse(ids.iter().position(|id| *id == hit.doc)),
                position.unwrap_or(usize::MAX),
                clause_number_key(hit.clause.as_deref()),
            )
        });
        for entry in found {
            entry.admit_to(page, &[]);
        }
    }
    Ok(())
}

/// Most candidates one ranked query collects.
const MAX_CANDIDATES: usize = 20_000;

/// Put the hits of a ranked query on the page, best first, while it has room. Returns whether
/// the candidates collected were not all the query's matches and some were left out as
/// versions out of scope (so that asking again with the scope in the query may find more).
fn run(
    store: &IndexStore,
    query: &dyn Query,
    parsed: &ParsedQuery,
    scope: &Scope,
    page: &mut Page,
) -> Result<bool> {
    let searcher = store.searcher()?;
    // Enough candidates for the per-agreement cap and left-out versions to leave a full page.
    let candidates = page
        .limit
        .saturating_mul(page.per_document)
        .saturating_mul(8)
        .clamp(100, MAX_CANDIDATES);
    let top = searcher.search(query, &TopDocs::with_limit(candidates).order_by_score())?;
    let exhausted = top.len() < candidates;
    let mut out_of_scope = false;
    let highlight: Vec<String> = parsed
        .words
        .iter()
        .chain(parsed.phrases.iter().flatten())
        .map(|w| fold(w))
        .collect();
    for (score, address) in top {
        if page.is_full() {
            break;
        }
        match entry_at(store, &searcher, address, Some(score), scope)? {
            Some(entry) => entry.admit_to(page, &highlight),
            None => out_of_scope = true,
        }
    }
    Ok(!exhausted && out_of_scope)
}

/// A clause entry found, with its wording (for the snippet and to place it among the
/// record's clauses) and its agreement's key.
struct Entry {
    hit: Hit,
    /// The printed wording.
    body: String,
    /// The wording shown: the repaired reading where there is one.
    shown: String,
    key: String,
}

impl Entry {
    /// Onto the page if it has a place for it, with its snippet.
    fn admit_to(self, page: &mut Page, highlight: &[String]) {
        let Entry {
            mut hit,
            body,
            shown,
            key,
        } = self;
        let clause = (
            hit.doc.clone(),
            hit.clause.clone(),
            hit.heading.clone(),
            body,
        );
        if page.admit(&key, clause) {
            hit.snippet = snippet(&shown, highlight, 200);
            page.hits.push(hit);
        }
    }
}

/// The clause entry at `address` as a hit (without its snippet), when its version is in scope.
fn entry_at(
    store: &IndexStore,
    searcher: &Searcher,
    address: DocAddress,
    score: Option<f32>,
    scope: &Scope,
) -> Result<Option<Entry>> {
    let f = store.fields();
    let doc: TantivyDocument = searcher.doc(address)?;
    let text = |field: Field| {
        doc.get_first(field)
            .and_then(|v| v.as_str().map(str::to_string))
    };
    let Some(id) = text(f.doc_id) else {
        return Ok(None);
    };
    let Some(source) = scope.sources.get(&id) else {
        return Ok(None);
    };
    let body = text(f.body_text).unwrap_or_default();
    let shown = text(f.body_read).unwrap_or_else(|| body.clone());
    let hit = Hit {
        agreement: source.agreement.clone(),
        path: source.path.clone(),
        doc: id,
        title: text(f.title),
        vendor: text(f.vendor),
        version: doc
            .get_first(f.version_no)
            .and_then(|v| v.as_u64())
            .unwrap_or(0),
        doc_version: text(f.doc_version),
        clause: text(f.clause),
        heading: text(f.heading_text),
        page: doc.get_first(f.page).and_then(|v| v.as_u64()),
        topics: doc
            .get_all(f.topics)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        score,
        snippet: String::new(),
    };
    Ok(Some(Entry {
        hit,
        body,
        shown,
        key: source.key.clone(),
    }))
}

/// A clause number as it sorts in a document: numeric parts by value (`2` before `10`), the
/// preamble (no number) first.
fn clause_number_key(number: Option<&str>) -> Vec<(u8, u64, String)> {
    number
        .map(|n| {
            n.split('.')
                .map(|part| match part.parse::<u64>() {
                    Ok(value) => (0, value, String::new()),
                    Err(_) => (1, 0, part.to_lowercase()),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// How many clauses of the current versions of the live agreements have each topic, in
/// [`TOPICS`] order, and how many agreements that is over.
pub fn topic_counts(store: &IndexStore) -> Result<(Vec<(&'static str, usize)>, usize)> {
    let scope = scope_of(store, &Filters::default(), false)?;
    let f = store.fields();
    let searcher = store.searcher()?;
    let mut out = Vec::new();
    for topic in TOPICS {
        let count = if scope.sources.is_empty() {
            0
        } else {
            let query = BooleanQuery::new(vec![
                (Occur::Must, exactly(f.kind, "clause")),
                (Occur::Must, exactly(f.topics, topic)),
                (Occur::Must, in_scope(f.doc_id, &scope)),
            ]);
            searcher.search(&query, &Count)?
        };
        out.push((topic, count));
    }
    Ok((out, scope.agreements.len()))
}

/// Entries whose `field` is exactly `value`.
fn exactly(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Entries of the versions in scope.
fn in_scope(doc_id: Field, scope: &Scope) -> Box<dyn Query> {
    Box::new(TermSetQuery::new(
        scope.ids().map(|id| Term::from_field_text(doc_id, id)),
    ))
}

/// The query of the words, phrases, exclusions and filters; `scope`, when given, limits it to
/// the versions searched.
fn build_query(
    store: &IndexStore,
    parsed: &ParsedQuery,
    filters: &Filters,
    scope: Option<&Scope>,
    fuzzy: bool,
) -> Result<Box<dyn Query>> {
    let f = store.fields();
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in &parsed.words {
        for (field, boost) in [
            (f.heading, HEADING_BOOST),
            (f.body, 1.0),
            (f.context, CONTEXT_BOOST),
        ] {
            for term in terms(field, word) {
                let length = term.value().as_str().map_or(0, |t| t.chars().count());
                should.push((
                    Occur::Should,
                    boosted(
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                        boost,
                    ),
                ));
                if fuzzy && length >= 5 {
                    let distance = if length >= 9 { 2 } else { 1 };
                    let q = FuzzyTermQuery::new(term.clone(), distance, true);
                    should.push((Occur::Should, boosted(Box::new(q), boost * 0.5)));
                }
                // Long words also match other forms of their first two thirds
                // (`underretning` → `underrette`), which the stemmer does not join.
                if fuzzy && length >= 9 {
                    let stem: String = term
                        .value()
                        .as_str()
                        .unwrap_or_default()
                        .chars()
                        .take((length * 2).div_ceil(3))
                        .collect();
                    let q =
                        FuzzyTermQuery::new_prefix(Term::from_field_text(field, &stem), 0, false);
                    should.push((Occur::Should, boosted(Box::new(q), boost * 0.5)));
                }
            }
        }
    }
    // What the words are about: clauses tagged with the same topic rank higher
    // (`overførsel til tredjelande` also finds `7.2` under `Geografisk afgrænsning`).
    let all_words: Vec<&str> = parsed
        .words
        .iter()
        .chain(parsed.phrases.iter().flatten())
        .map(String::as_str)
        .collect();
    for topic in topics_of(None, &all_words.join(" ")) {
        let q = Box::new(TermQuery::new(
            Term::from_field_text(f.topics, &topic),
            IndexRecordOption::Basic,
        ));
        should.push((Occur::Should, boosted(q, TOPIC_BOOST)));
    }
    let mut required: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for phrase in &parsed.phrases {
        let text = phrase.join(" ");
        let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in [(f.heading, HEADING_BOOST), (f.body, 1.0)] {
            let t = terms(field, &text);
            let q: Box<dyn Query> = match t.len() {
                0 => continue,
                1 => Box::new(TermQuery::new(t[0].clone(), IndexRecordOption::WithFreqs)),
                _ => Box::new(PhraseQuery::new(t)),
            };
            either.push((Occur::Should, boosted(q, boost)));
        }
        if !either.is_empty() {
            required.push((Occur::Must, Box::new(BooleanQuery::new(either))));
        }
    }
    if !should.is_empty() {
        required.push((Occur::Must, Box::new(BooleanQuery::new(should))));
    }
    for word in &parsed.excluded {
        for field in [f.heading, f.body] {
            for term in terms(field, word) {
                required.push((
                    Occur::MustNot,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                ));
            }
        }
    }
    required.push((Occur::Must, exactly(f.kind, "clause")));
    if let Some(topic) = filters.topic {
        required.push((Occur::Must, exactly(f.topics, topic)));
    }
    if let Some(language) = &filters.language {
        required.push((Occur::Must, exactly(f.language, language)));
    }
    if let Some(scope) = scope {
        required.push((Occur::Must, in_scope(f.doc_id, scope)));
    }
    Ok(Box::new(BooleanQuery::new(required)))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// The passage of about `width` characters with the most query words, those words in
/// `<b>…</b>`. A word matches when its folded form starts with the first letters of a folded
/// query word (so inflected forms match too).
pub fn snippet(text: &str, query_words: &[String], width: usize) -> String {
    let stems: Vec<String> = query_words
        .iter()
        .filter(|w| w.chars().count() >= 2)
        .map(|w| {
            let n = w.chars().count();
            // About the first two thirds: `underretning` matches `underrette`.
            w.chars().take(n.min(4.max((n * 2).div_ceil(3)))).collect()
        })
        .collect();
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    // A word's folded form starts with the fold of its first letter (`fold` keeps a first
    // letter or turns æ/å into a, ø into o), so most words are ruled out without folding them.
    let folded_first = |c: char| match c.to_lowercase().next().unwrap_or(c) {
        'æ' | 'å' => 'a',
        'ø' => 'o',
        other => other,
    };
    let firsts: Vec<char> = stems.iter().filter_map(|s| s.chars().next()).collect();
    let matches = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if !w
            .chars()
            .next()
            .is_some_and(|c| firsts.contains(&folded_first(c)))
        {
            return false;
        }
        let f = fold(w);
        !f.is_empty() && stems.iter().any(|s| f.starts_with(s.as_str()))
    };
    let flags: Vec<bool> = words.iter().map(|(_, w)| matches(w)).collect();
    // The window of words (about `width` characters) with the most matches.
    let mut best = (0usize, 0usize, 0usize);
    for start in 0..words.len() {
        let mut end = start;
        let mut length = 0;
        let mut count = 0;
        while end < words.len() && length + words[end].1.len() <= width {
            length += words[end].1.len() + 1;
            count += usize::from(flags[end]);
            end += 1;
        }
        if count > best.2 {
            best = (start, end, count);
        }
        if end == words.len() {
            break;
        }
    }
    let (start, end) = if best.2 == 0 {
        (0, words.len().min(30))
    } else {
        (best.0, best.1.max(best.0 + 1))
    };
    let mut out: Vec<String> = words[start..end.min(words.len())]
        .iter()
        .zip(&flags[start..end.min(words.len())])
        .map(|((_, w), &m)| {
            if m {
                format!("<b>{w}</b>")
            } else {
                w.to_string()
            }
        })
        .collect();
    if end < words.len() {
        out.push("…".into());
    }
    let prefix = if start > 0 { "… " } else { "" };
    format!("{prefix}{}", out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::StoredVersion;

    #[test]
    fn snippet_marks_words_whatever_letter_they_start_with() {
        let words: Vec<String> = ["aerlig", "okonomi", "aben", "overforsel", "ebitda"]
            .iter()
            .map(|w| fold(w))
            .collect();
        let s = snippet(
            "Ærlig ØKONOMI Åben (overførsel) EBITDA; ikke andet",
            &words,
            200,
        );
        assert_eq!(
            s,
            "<b>Ærlig</b> <b>ØKONOMI</b> <b>Åben</b> <b>(overførsel)</b> <b>EBITDA;</b> ikke andet"
        );
    }

    #[test]
    fn folding_makes_spellings_meet() {
        assert_eq!(fold("Ansvarsbegrænsning"), fold("ANSVARSBEGRAENSNING"));
        assert_eq!(fold("overførsel"), fold("overfoersel"));
        assert_eq!(fold("Tilbagelevering på"), fold("tilbagelevering paa"));
    }

    #[test]
    fn query_syntax() {
        let q =
            parse(r#"sikkerhedsbrud "24 timer" -tredjeland topic:breach_notification vendor:itj"#);
        assert_eq!(q.words, vec!["sikkerhedsbrud"]);
        assert_eq!(q.phrases, vec![vec!["24".to_string(), "timer".to_string()]]);
        assert_eq!(q.excluded, vec!["tredjeland"]);
        assert_eq!(q.topic.as_deref(), Some("breach_notification"));
        assert_eq!(q.vendor.as_deref(), Some("itj"));
    }

    #[test]
    fn snippets_mark_the_matching_words() {
        let s = snippet("Databehandleren skal uden unødig forsinkelse underrette den dataansvarlige om sikkerhedsbrud.", &[fold("underretning"), fold("sikkerhedsbrud")], 200);
        assert!(
            s.contains("<b>underrette</b>") && s.contains("<b>sikkerhedsbrud.</b>"),
            "{s}"
        );
    }

    #[test]
    fn terms_keep_clause_numbers_and_drop_no_stop_words() {
        let field = Field::from_field_id(0);
        let t: Vec<String> = terms(field, "3.4.2 skal ikke ISO27002")
            .iter()
            .filter_map(|t| t.value().as_str().map(str::to_string))
            .collect();
        assert_eq!(t, vec!["3.4.2", "skal", "ikk", "iso27002"]);
    }

    #[test]
    fn a_filter_value_may_be_quoted_and_filters_are_a_closed_set() {
        let q = parse(r#"topic:"brud på persondatasikkerheden" frist "24 timer" Doc:abc"#);
        assert_eq!(q.topic.as_deref(), Some("brud på persondatasikkerheden"));
        assert_eq!(q.words, vec!["frist"]);
        assert_eq!(q.phrases, vec![vec!["24".to_string(), "timer".to_string()]]);
        assert_eq!(q.document.as_deref(), Some("abc"));
        assert_eq!(parse("url:x").words, vec!["url:x"]);
        assert_eq!(Filter::from_field("LANG"), Some(Filter::Language));
        assert_eq!(q.text(), "frist \"24 timer\"");
    }

    #[test]
    fn topics_are_named_by_id_or_danish_name_and_flags_must_agree_with_the_query() {
        let options = SearchOptions {
            topic: Some("Underdatabehandlere".into()),
            ..SearchOptions::default()
        };
        let filters = Filters::new(&parse("x"), &options).expect("known topic");
        assert_eq!(filters.topic, Some("subprocessors"));
        let unknown = SearchOptions {
            topic: Some("breach".into()),
            ..SearchOptions::default()
        };
        assert!(matches!(
            Filters::new(&parse("x"), &unknown),
            Err(Error::Usage(m)) if m.contains("breach_notification")
        ));
        let vendor = SearchOptions {
            vendor: Some("b".into()),
            ..SearchOptions::default()
        };
        assert!(Filters::new(&parse("x vendor:a"), &vendor).is_err());
        assert!(Filters::new(&parse("x vendor:B"), &vendor).is_ok());
    }

    fn version(key: &str, id: &str, n: u64, vendor: Option<&str>) -> StoredVersion {
        StoredVersion {
            id: id.into(),
            key: key.into(),
            path: format!("old/{key}"),
            version: n,
            language: "da".into(),
            title: Some("Databehandleraftale".into()),
            doc_version: None,
            clauses: 1,
            ingested: 0,
            quality: None,
            vendor: vendor.map(str::to_string),
            restores: None,
            seq: n,
        }
    }

    fn document(key: &str, versions: Vec<StoredVersion>, retired: bool) -> StoredDocument {
        StoredDocument {
            key: key.into(),
            path: format!("now/{key}.txt"),
            location: format!("/abs/now/{key}.txt"),
            versions,
            retired: retired.then_some(1),
            events: Vec::new(),
        }
    }

    /// Three documents: `a` with two versions, `b` retired, `c` whose old version has the
    /// content that is `a`'s current one.
    fn documents() -> Vec<StoredDocument> {
        vec![
            document(
                "a",
                vec![
                    version("a", "a1a1a1", 1, None),
                    version("a", "a2a2a2", 2, Some("Åben Leverandør ApS")),
                ],
                false,
            ),
            document("b", vec![version("b", "b1b1b1", 1, None)], true),
            document(
                "c",
                vec![
                    version("c", "a2a2a2", 1, None),
                    version("c", "c2c2c2", 2, None),
                ],
                false,
            ),
        ]
    }

    #[test]
    fn the_scope_is_the_current_versions_of_live_documents_shown_as_they_are_now() {
        let scope = Scope::new(&documents(), &Filters::default(), false);
        let mut ids: Vec<&String> = scope.ids().collect();
        ids.sort();
        assert_eq!(ids, ["a2a2a2", "c2c2c2"]);
        assert_eq!(scope.live, 2);
        let a2 = &scope.sources["a2a2a2"];
        assert_eq!(
            (a2.path.as_str(), a2.agreement.as_str()),
            ("now/a.txt", "Åben Leverandør ApS")
        );
        assert_eq!(scope.sources["c2c2c2"].agreement, "c.txt");
        // Every version with --all-versions; the shared content is `a`'s, whose current it is.
        let all = Scope::new(&documents(), &Filters::default(), true);
        assert_eq!(all.sources.len(), 3);
        assert_eq!(all.sources["a2a2a2"].key, "a");
        assert!(!all.sources.contains_key("b1b1b1"));
    }

    #[test]
    fn vendor_and_document_filters_fold_and_take_id_prefixes_or_path_parts() {
        let with = |vendor: Option<&str>, document: Option<&str>, all: bool| {
            let filters = Filters {
                vendor: vendor.map(str::to_string),
                document: document.map(str::to_string),
                ..Filters::default()
            };
            let mut ids: Vec<String> = Scope::new(&documents(), &filters, all)
                .ids()
                .cloned()
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(with(Some("aaben leverandor"), None, false), ["a2a2a2"]);
        assert_eq!(with(None, Some("NOW/C"), false), ["c2c2c2"]);
        assert_eq!(with(None, Some("c2c2c2"), false), ["c2c2c2"]);
        // An old version's id, with --all-versions: that version only.
        assert_eq!(with(None, Some("a1a1a1"), true), ["a1a1a1"]);
        assert!(with(Some("nobody"), None, false).is_empty());
    }

    #[test]
    fn one_agreement_never_fills_more_than_its_places() {
        let mut page = Page::new(3, 2);
        let clause = |id: &str, n: &str| (id.to_string(), Some(n.to_string()), None, String::new());
        assert!(page.admit("a", clause("a1", "1")));
        assert!(!page.admit("a", clause("a1", "1")), "the same clause twice");
        // Two versions of one agreement are one agreement.
        assert!(page.admit("a", clause("a2", "2")));
        assert!(
            !page.admit("a", clause("a1", "3")),
            "a third from one agreement"
        );
        assert!(page.admit("b", clause("b1", "1")));
        page.hits.resize(3, page_hit());
        assert!(!page.admit("c", clause("c1", "1")), "a full page");
    }

    fn page_hit() -> Hit {
        Hit {
            agreement: String::new(),
            path: String::new(),
            doc: String::new(),
            title: None,
            vendor: None,
            version: 1,
            doc_version: None,
            clause: None,
            heading: None,
            page: None,
            topics: Vec::new(),
            score: None,
            snippet: String::new(),
        }
    }

    #[test]
    fn an_answer_says_what_was_searched() {
        let mut searched = Searched {
            words: "xyz".into(),
            filters: vec![
                (Filter::Topic, "audit".into()),
                (Filter::Vendor, "acme".into()),
            ],
            agreements: 3,
            live: 3,
            all_versions: false,
        };
        assert_eq!(
            searched.to_string(),
            "for \"xyz\" (topic audit, vendor acme) in the current versions of 3 agreements"
        );
        searched.words.clear();
        searched.agreements = 1;
        searched.all_versions = true;
        assert_eq!(
            searched.to_string(),
            "with topic audit, vendor acme in all versions of 1 of 3 agreements"
        );
    }

    #[test]
    fn clause_numbers_sort_as_in_a_document() {
        let mut numbers = vec![Some("10"), Some("2.1"), None, Some("2"), Some("A.1")];
        numbers.sort_by_key(|n| clause_number_key(*n));
        assert_eq!(
            numbers,
            [None, Some("2"), Some("2.1"), Some("10"), Some("A.1")]
        );
    }
}
