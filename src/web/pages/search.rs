//! `/`: the search page (the query syntax of `aftale search`, topic and vendor as controls,
//! paging, the query in the URL), the list of agreements when nothing is asked, and the hits
//! as `aftale search --json` prints them (`/search.json`) or as CSV (`/search.csv`).

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::Deserialize;

use super::{
    blocking, csv_download, given, html, jsonl_download, query, Chrome, PageError, Shared,
};
use crate::analysis::topics::TOPIC_NAMES;
use crate::export::review::counts;
use crate::search::{self, Answer, Filter, Hit, HitLine, SearchOptions, Searched};
use crate::web::i18n::Lang;

/// Hits on a page unless `limit` says otherwise.
const PAGE: usize = 10;
/// The most hits one request computes (page × size).
const MOST: usize = 1000;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    q: Option<String>,
    topic: Option<String>,
    vendor: Option<String>,
    /// Any value: every stored version, not only the current one.
    all: Option<String>,
    page: Option<usize>,
    limit: Option<usize>,
    per_doc: Option<usize>,
    /// Read by `lang_of` from the URI; declared so that it is not refused as unknown.
    #[allow(dead_code)]
    lang: Option<String>,
}

impl Params {
    fn asks(&self) -> bool {
        [&self.q, &self.topic, &self.vendor]
            .iter()
            .any(|v| given(v).is_some())
    }

    fn page(&self) -> usize {
        self.page.unwrap_or(1).max(1)
    }

    fn size(&self) -> usize {
        self.limit.unwrap_or(PAGE).clamp(1, 200)
    }

    /// The search up to the end of the asked page.
    fn options(&self) -> Result<SearchOptions, PageError> {
        let upto = self.page().saturating_mul(self.size());
        if upto > MOST {
            return Err(PageError::BadRequest(format!(
                "page {} of {} hits is beyond the first {MOST} hits: narrow the query",
                self.page(),
                self.size()
            )));
        }
        Ok(SearchOptions {
            limit: upto,
            per_document: self.per_doc.unwrap_or(3).max(1),
            all_versions: self.all.is_some(),
            topic: given(&self.topic),
            vendor: given(&self.vendor),
            language: None,
            document: None,
        })
    }

    /// The answer and this page's hits.
    fn answer(&self, app: &crate::web::App) -> Result<(Answer, Vec<Hit>), PageError> {
        let answer = search::answer(
            app.store(),
            given(&self.q).as_deref().unwrap_or(""),
            &self.options()?,
        )?;
        let skip = (self.page() - 1) * self.size();
        let hits = answer.hits.iter().skip(skip).cloned().collect();
        Ok((answer, hits))
    }
}

/// A piece of a snippet: highlighted (a matching word) or not.
pub(crate) struct Piece {
    pub mark: bool,
    pub text: String,
}

/// A snippet's `<b>…</b>` marks as pieces, so that the template escapes every word.
pub(crate) fn pieces(snippet: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = snippet;
    while let Some(start) = rest.find("<b>") {
        if start > 0 {
            out.push(Piece {
                mark: false,
                text: rest[..start].to_string(),
            });
        }
        let after = &rest[start + 3..];
        let end = after.find("</b>").unwrap_or(after.len());
        out.push(Piece {
            mark: true,
            text: after[..end].to_string(),
        });
        rest = after.get(end + 4..).unwrap_or("");
    }
    if !rest.is_empty() {
        out.push(Piece {
            mark: false,
            text: rest.to_string(),
        });
    }
    out
}

struct HitView {
    rank: usize,
    agreement: String,
    doc: String,
    href: String,
    clause: String,
    heading: String,
    page: String,
    score: String,
    topics: Vec<String>,
    doc_version: String,
    version: u64,
    snippet: Vec<Piece>,
    path: String,
}

struct AgreementRow {
    href: String,
    name: String,
    title: String,
    version: String,
    quality: String,
    clauses: usize,
    subprocessors: usize,
    missing: usize,
    weak: usize,
    id: String,
}

#[derive(Template)]
#[template(path = "web/search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    topic: String,
    vendor: String,
    all: bool,
    topics: Vec<(&'static str, &'static str)>,
    vendors: std::sync::Arc<Vec<String>>,
    asked: bool,
    hits: Vec<HitView>,
    summary: String,
    empty: String,
    page: usize,
    prev_href: String,
    next_href: String,
    json_href: String,
    csv_href: String,
    agreements: Vec<AgreementRow>,
}

/// The query string of a search with another page.
fn link(p: &Params, page: usize, lang: Lang) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (name, value) in [("q", &p.q), ("topic", &p.topic), ("vendor", &p.vendor)] {
        if let Some(v) = given(value) {
            pairs.push((name, v));
        }
    }
    if p.all.is_some() {
        pairs.push(("all", "1".to_string()));
    }
    if let Some(limit) = p.limit {
        pairs.push(("limit", limit.to_string()));
    }
    if let Some(per_doc) = p.per_doc {
        pairs.push(("per_doc", per_doc.to_string()));
    }
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    if lang == Lang::En {
        pairs.push(("lang", "en".to_string()));
    }
    query_string(&pairs)
}

/// `a=1&b=x%20y`.
pub(crate) fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A query value percent-encoded (unreserved characters kept).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A topic as a page names it: its Danish name on a Danish page, else its id.
pub(crate) fn topic_name(id: &str, lang: Lang) -> String {
    match lang {
        Lang::Da => TOPIC_NAMES
            .iter()
            .find(|(t, _)| *t == id)
            .map_or(id, |(_, name)| *name)
            .to_string(),
        Lang::En => id.to_string(),
    }
}

/// What was searched, as the page says it.
fn searched_words(s: &Searched, lang: Lang) -> String {
    let filters: Vec<String> = s
        .filters
        .iter()
        .map(|(f, v)| {
            let name = match (lang, f) {
                (Lang::Da, Filter::Topic) => "emne",
                (Lang::Da, Filter::Vendor) => "leverandør",
                (Lang::Da, Filter::Language) => "sprog",
                (Lang::Da, Filter::Document) => "dokument",
                (Lang::En, f) => f.label(),
            };
            format!("{name} {v}")
        })
        .collect();
    let what = match (s.words.is_empty(), filters.is_empty()) {
        (false, true) => format!("«{}»", s.words),
        (false, false) => format!("«{}» ({})", s.words, filters.join(", ")),
        (true, _) => filters.join(", "),
    };
    let count = if s.agreements == s.live {
        s.live.to_string()
    } else {
        format!("{} / {}", s.agreements, s.live)
    };
    match lang {
        Lang::Da => format!(
            "{what} i {} af {count} aftaler",
            if s.all_versions {
                "alle versioner"
            } else {
                "de gældende versioner"
            }
        ),
        Lang::En => format!(
            "{what} in {} of {count} agreements",
            if s.all_versions {
                "all versions"
            } else {
                "the current versions"
            }
        ),
    }
}

pub(crate) async fn page(State(app): State<Shared>, uri: Uri) -> Response {
    let lang = lang_or_return!(uri);
    let u = uri.clone();
    blocking(lang, uri, move || {
        let p: Params = query(&u)?;
        let vendors = app.vendors()?;
        let l = lang.labels();
        let title = given(&p.q).unwrap_or_else(|| l.nav_search.to_string());
        let mut page = SearchPage {
            c: Chrome::new(lang, &u, "search", title),
            q: p.q.clone().unwrap_or_default(),
            topic: p.topic.clone().unwrap_or_default(),
            vendor: p.vendor.clone().unwrap_or_default(),
            all: p.all.is_some(),
            topics: TOPIC_NAMES.to_vec(),
            vendors,
            asked: p.asks(),
            hits: Vec::new(),
            summary: String::new(),
            empty: String::new(),
            page: p.page(),
            prev_href: String::new(),
            next_href: String::new(),
            json_href: String::new(),
            csv_href: String::new(),
            agreements: Vec::new(),
        };
        if !page.asked {
            let snapshot = app.snapshot()?;
            page.agreements = snapshot
                .agreements
                .iter()
                .zip(&snapshot.reviews)
                .map(|(a, r)| {
                    let (missing, weak) = counts(r);
                    AgreementRow {
                        href: format!("/doc/{}{}", a.record.id, page.c.lq),
                        name: snapshot
                            .name(&a.record.id)
                            .map_or_else(|| a.name(), str::to_string),
                        title: a.record.title.clone().unwrap_or_default(),
                        version: [a.record.version.as_deref(), a.record.date.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" · "),
                        quality: a
                            .record
                            .quality
                            .as_ref()
                            .map(|q| q.flag.clone())
                            .unwrap_or_default(),
                        clauses: a.record.clauses.len(),
                        subprocessors: a.record.subprocessors.len(),
                        missing,
                        weak,
                        id: a.record.id.clone(),
                    }
                })
                .collect();
            page.agreements.sort_by(|a, b| a.name.cmp(&b.name));
            return html(page);
        }
        let (answer, hits) = p.answer(&app)?;
        let said = searched_words(&answer.searched, lang);
        if hits.is_empty() {
            page.empty = format!("{} — {said}", l.no_hits);
        } else {
            let first = (p.page() - 1) * p.size() + 1;
            page.summary = format!("{}–{} · {said}", first, first + hits.len() - 1);
        }
        let has_next = answer.hits.len() == p.page() * p.size();
        if p.page() > 1 {
            page.prev_href = format!("/?{}", link(&p, p.page() - 1, lang));
        }
        if has_next {
            page.next_href = format!("/?{}", link(&p, p.page() + 1, lang));
        }
        page.json_href = format!("/search.json?{}", link(&p, p.page(), Lang::Da));
        page.csv_href = format!("/search.csv?{}", link(&p, p.page(), Lang::Da));
        let first = (p.page() - 1) * p.size();
        page.hits = hits
            .into_iter()
            .enumerate()
            .map(|(n, h)| HitView {
                rank: first + n + 1,
                href: format!(
                    "/doc/{}{}{}",
                    h.doc,
                    page.c.lq,
                    h.clause
                        .as_deref()
                        .map(|c| format!("#c-{c}"))
                        .unwrap_or_default()
                ),
                agreement: h.agreement.clone(),
                doc: h.doc.clone(),
                clause: h.clause.clone().unwrap_or_default(),
                heading: h.heading.clone().unwrap_or_default(),
                page: h.page.map(|p| p.to_string()).unwrap_or_default(),
                score: h.score.map(|s| format!("{s:.1}")).unwrap_or_default(),
                topics: h.topics.iter().map(|t| topic_name(t, lang)).collect(),
                doc_version: h.doc_version.clone().unwrap_or_default(),
                version: h.version,
                snippet: pieces(&h.snippet),
                path: h.path.clone(),
            })
            .collect();
        html(page)
    })
    .await
}

/// The hits a download asks for: this page's, of a search that asks for something.
fn download_hits(app: &crate::web::App, u: &Uri) -> Result<Vec<Hit>, PageError> {
    let p: Params = query(u)?;
    if !p.asks() {
        return Err(PageError::BadRequest(
            "give a query: q, topic or vendor".to_string(),
        ));
    }
    Ok(p.answer(app)?.1)
}

/// This page's hits as `aftale search --json` prints them: one JSON object per line.
pub(crate) async fn json(State(app): State<Shared>, uri: Uri) -> Response {
    let u = uri.clone();
    blocking(Lang::Da, uri, move || {
        let hits = download_hits(&app, &u)?;
        jsonl_download("search.jsonl", hits.iter().map(HitLine::new))
    })
    .await
}

/// This page's hits as CSV: the snippet as plain text.
pub(crate) async fn csv(State(app): State<Shared>, uri: Uri) -> Response {
    let u = uri.clone();
    blocking(Lang::Da, uri, move || {
        let hits = download_hits(&app, &u)?;
        let rows = hits.iter().map(|h| {
            vec![
                h.agreement.clone(),
                h.vendor.clone().unwrap_or_default(),
                h.path.clone(),
                h.doc.clone(),
                h.version.to_string(),
                h.doc_version.clone().unwrap_or_default(),
                h.clause.clone().unwrap_or_default(),
                h.heading.clone().unwrap_or_default(),
                h.page.map(|p| p.to_string()).unwrap_or_default(),
                h.topics.join(" | "),
                h.score.map(|s| s.to_string()).unwrap_or_default(),
                h.snippet.replace("<b>", "").replace("</b>", ""),
            ]
        });
        csv_download("search.csv", &HIT_COLUMNS, rows)
    })
    .await
}

/// The CSV columns of a hit.
const HIT_COLUMNS: [&str; 12] = [
    "agreement",
    "vendor",
    "path",
    "doc",
    "version",
    "doc_version",
    "clause",
    "heading",
    "page",
    "topics",
    "score",
    "snippet",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_marks_become_pieces_and_stray_marks_do_no_harm() {
        let p = pieces("inden <b>24</b> <b>timer</b> efter");
        let marked: Vec<&str> = p
            .iter()
            .filter(|p| p.mark)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, ["24", "timer"]);
        let text: String = p.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(text, "inden 24 timer efter");
        // An unclosed mark from a document's own text ends at the snippet's end.
        let p = pieces("a <b>b");
        assert_eq!(p.len(), 2);
        assert!(p[1].mark);
    }

    #[test]
    fn links_encode_every_value() {
        assert_eq!(encode("brud & 24 timer"), "brud%20%26%2024%20timer");
        assert_eq!(encode("æ"), "%C3%A6");
    }
}
