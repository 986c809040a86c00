//! Clause search: a query → the clauses of the indexed agreements that match it, best first.
//!
//! Wording is compared folded ([`fold`]: lower case, `æ`/`ae`, `ø`/`oe`/`o`, `å`/`aa`/`a`),
//! stemmed in Danish, over the printed and the OCR-repaired wording of every clause, with
//! headings weighing more than text. When the exact words find few clauses, words of five
//! letters or more are also looked up with one or two letters' difference (OCR damage the
//! repair did not catch). Phrases in quotes must stand together. Filters narrow by topic,
//! vendor, language and document; only the latest version of each document is searched unless
//! all versions are asked for, and one agreement fills at most a few places of a page.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::extract::topics::topics_of;
use crate::index::{danish_analyzer, IndexStore};

/// How headings weigh against clause text.
const HEADING_BOOST: f32 = 2.0;
/// How the headings of parent clauses weigh.
const CONTEXT_BOOST: f32 = 0.6;
/// How a clause whose topic the query is about weighs.
const TOPIC_BOOST: f32 = 1.5;
/// Fewer hits than this with exact words brings in the fuzzy fallback.
const FUZZY_BELOW: usize = 5;

/// Fold text for comparison: lower case, Danish letters and their ASCII spellings to one form.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .replace('æ', "ae")
        .replace('ø', "o")
        .replace('å', "a")
        .replace("aa", "a")
        .replace("oe", "o")
}

/// What to search for and how.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub limit: usize,
    /// At most this many hits from one agreement.
    pub per_document: usize,
    pub all_versions: bool,
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
    pub score: f32,
    /// The best passage, matching words in `<b>…</b>`.
    pub snippet: String,
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

/// Split a query into words, `"phrases"`, `-excluded` words and `topic:`/`vendor:`/`lang:`/
/// `doc:` filters.
pub fn parse(query: &str) -> ParsedQuery {
    let mut parsed = ParsedQuery::default();
    let mut rest = query;
    while let Some(start) = rest.find('"') {
        let (before, after) = rest.split_at(start);
        let after = &after[1..];
        let end = after.find('"').unwrap_or(after.len());
        parsed
            .words
            .extend(before.split_whitespace().map(str::to_string));
        let phrase: Vec<String> = after[..end]
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if !phrase.is_empty() {
            parsed.phrases.push(phrase);
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    parsed
        .words
        .extend(rest.split_whitespace().map(str::to_string));
    let words = std::mem::take(&mut parsed.words);
    for word in words {
        if let Some((field, value)) = word
            .split_once(':')
            .filter(|(f, v)| !f.is_empty() && !v.is_empty())
        {
            let value = Some(value.to_string());
            match field.to_lowercase().as_str() {
                "topic" => parsed.topic = value,
                "vendor" => parsed.vendor = value,
                "lang" | "language" => parsed.language = value,
                "doc" => parsed.document = value,
                _ => parsed.words.push(word),
            }
        } else if let Some(excluded) = word.strip_prefix('-').filter(|w| !w.is_empty()) {
            parsed.excluded.push(excluded.to_string());
        } else {
            parsed.words.push(word);
        }
    }
    parsed
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

/// Search the clauses of an index.
pub fn search(store: &IndexStore, query: &str, options: &SearchOptions) -> Result<Vec<Hit>> {
    let parsed = parse(query);
    let options = SearchOptions {
        topic: parsed.topic.clone().or_else(|| options.topic.clone()),
        vendor: parsed.vendor.clone().or_else(|| options.vendor.clone()),
        language: parsed.language.clone().or_else(|| options.language.clone()),
        document: parsed.document.clone().or_else(|| options.document.clone()),
        ..options.clone()
    };
    if parsed.words.is_empty() && parsed.phrases.is_empty() {
        return Err(Error::Usage("the query has no words to search for".into()));
    }
    let exact = build_query(store, &parsed, &options, false)?;
    let mut hits = run(store, exact.as_ref(), &parsed, &options)?;
    if hits.len() < FUZZY_BELOW.min(options.limit) {
        let fuzzy = build_query(store, &parsed, &options, true)?;
        let seen: HashSet<(String, Option<String>)> = hits
            .iter()
            .map(|h| (h.doc.clone(), h.clause.clone()))
            .collect();
        let more = run(store, fuzzy.as_ref(), &parsed, &options)?;
        hits.extend(
            more.into_iter()
                .filter(|h| !seen.contains(&(h.doc.clone(), h.clause.clone()))),
        );
        hits.truncate(options.limit);
    }
    Ok(hits)
}

fn build_query(
    store: &IndexStore,
    parsed: &ParsedQuery,
    options: &SearchOptions,
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
    required.push((
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(f.kind, "clause"),
            IndexRecordOption::Basic,
        )),
    ));
    if let Some(topic) = &options.topic {
        required.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.topics, topic),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if let Some(language) = &options.language {
        required.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.language, language),
                IndexRecordOption::Basic,
            )),
        ));
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

fn run(
    store: &IndexStore,
    query: &dyn Query,
    parsed: &ParsedQuery,
    options: &SearchOptions,
) -> Result<Vec<Hit>> {
    let f = store.fields();
    let searcher = store.searcher()?;
    let no_versions_left_out = std::collections::HashSet::new();
    let superseded = if options.all_versions {
        &no_versions_left_out
    } else {
        store.superseded()?
    };
    // Enough candidates for the filters and the per-agreement cap to leave a full page.
    let candidates = (options.limit * options.per_document.max(1) * 8).max(100);
    let top = searcher.search(query, &TopDocs::with_limit(candidates).order_by_score())?;
    let mut per_doc: HashMap<String, usize> = HashMap::new();
    let mut hits = Vec::new();
    let mut overflow = Vec::new();
    let vendor = options.vendor.as_deref().map(fold);
    let document = options.document.as_deref().map(fold);
    let highlight: Vec<String> = parsed
        .words
        .iter()
        .chain(parsed.phrases.iter().flatten())
        .map(|w| fold(w))
        .collect();
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let id = text(f.doc_id).unwrap_or_default();
        let path = text(f.path).unwrap_or_default();
        let title = text(f.title);
        let vendor_name = text(f.vendor);
        if let Some(v) = &vendor {
            let names = [&vendor_name, &title, &Some(path.clone())];
            if !names
                .iter()
                .any(|n| n.as_deref().is_some_and(|n| fold(n).contains(v.as_str())))
            {
                continue;
            }
        }
        if let Some(d) = &document {
            if !(id.starts_with(d.as_str()) || fold(&path).contains(d.as_str())) {
                continue;
            }
        }
        if superseded.contains(&id) {
            continue;
        }
        let count = per_doc.entry(id.clone()).or_default();
        *count += 1;
        let over_cap = *count > options.per_document;
        let body = text(f.body_read)
            .or_else(|| text(f.body_text))
            .unwrap_or_default();
        let hit = Hit {
            path,
            doc: id,
            title,
            vendor: vendor_name,
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
            snippet: snippet(&body, &highlight, 200),
        };
        if over_cap {
            overflow.push(hit);
        } else {
            hits.push(hit);
        }
        if hits.len() >= options.limit {
            break;
        }
    }
    // One agreement fills at most `per_document` places while others have hits to show; a
    // page that would stay short is filled up with its further hits, best first.
    let room = options.limit.saturating_sub(hits.len());
    hits.extend(overflow.into_iter().take(room));
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(hits)
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
    let matches = |w: &str| {
        let f = fold(w.trim_matches(|c: char| !c.is_alphanumeric()));
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
}
