//! The pages across agreements: the sub-processor register (`/subprocessors`), the deadlines
//! matrix (`/deadlines`), the review matrix (`/review`) and the import status (`/imports`),
//! each with its downloads — the same rows and JSON as the command line's `--csv` and `--json`.

use std::cmp::Ordering;

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::Deserialize;

use super::agreement::{anchor, term_headings};
use super::search::{encode, query_string};
use super::{
    blocking, csv_download, download, given, html, jsonl_download, query, Chrome, PageError, Shared,
};
use crate::analysis::topics::topic_from_user;
use crate::export::{self, register::Query};
use crate::ingest::{DocumentReport, Summary};
use crate::record::{KeyTerms, ReviewStatus};
use crate::review::report::{self, mark, term_cells};
use crate::review::Item;
use crate::web::i18n::Lang;

// ---------------------------------------------------------------- sub-processors

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegisterParams {
    name: Option<String>,
    id: Option<String>,
    country: Option<String>,
    /// Any value: only companies outside the EU/EEA.
    third: Option<String>,
    /// Any value: only companies with a flag.
    flagged: Option<String>,
    /// The page of the list (1 and up) and companies on a page; not for the downloads.
    page: Option<usize>,
    limit: Option<usize>,
    /// Read by `lang_of` from the URI; declared so that it is not refused as unknown.
    #[allow(dead_code)]
    lang: Option<String>,
}

/// Companies on a page of the register unless `limit` says otherwise.
const REGISTER_PAGE: usize = 100;

impl RegisterParams {
    fn page(&self) -> usize {
        self.page.unwrap_or(1).max(1)
    }

    fn size(&self) -> usize {
        self.limit.unwrap_or(REGISTER_PAGE).clamp(1, 1000)
    }

    /// A download takes the filters only: it is the whole list.
    fn for_download(&self) -> Result<Query, PageError> {
        if self.page.is_some() || self.limit.is_some() {
            return Err(PageError::BadRequest(
                "page and limit page the register page; a download is the whole list".to_string(),
            ));
        }
        Ok(self.query())
    }

    fn query(&self) -> Query {
        Query {
            name: given(&self.name),
            id: given(&self.id),
            third_country: self.third.is_some(),
            country: given(&self.country),
            flagged: self.flagged.is_some(),
        }
    }

    fn link(&self) -> String {
        let q = self.query();
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [("name", &q.name), ("id", &q.id), ("country", &q.country)] {
            if let Some(v) = v {
                pairs.push((k, v.clone()));
            }
        }
        if q.third_country {
            pairs.push(("third", "1".into()));
        }
        if q.flagged {
            pairs.push(("flagged", "1".into()));
        }
        query_string(&pairs)
    }
}

struct CompanyView {
    name: String,
    aliases: String,
    identifier: String,
    identifier_valid: bool,
    country: String,
    third: &'static str,
    bases: String,
    categories: String,
    locations: String,
    flags: Vec<String>,
    /// (agreement, link to its clause, clause)
    appearances: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "web/subprocessors.html")]
struct RegisterPage {
    c: Chrome,
    name: String,
    id: String,
    country: String,
    third: bool,
    flagged: bool,
    countries: Vec<(String, String)>,
    companies: Vec<CompanyView>,
    total: usize,
    matched: usize,
    page: usize,
    prev_href: String,
    next_href: String,
    agreements: usize,
    empty: String,
    csv_href: String,
    json_href: String,
}

pub(crate) async fn subprocessors(State(app): State<Shared>, uri: Uri) -> Response {
    let lang = lang_or_return!(uri);
    let u = uri.clone();
    blocking(lang, uri, move || {
        let p: RegisterParams = query(&u)?;
        let q = p.query();
        let snapshot = app.snapshot()?;
        let l = lang.labels();
        let c = Chrome::new(lang, &u, "register", l.nav_register.to_string());
        let mut countries: Vec<(String, String)> = snapshot
            .register
            .iter()
            .filter_map(|co| co.country.clone())
            .map(|cc| {
                let name = crate::extract::country::danish_name(&cc)
                    .filter(|_| lang == Lang::Da)
                    .map_or_else(|| cc.clone(), |n| format!("{n} ({cc})"));
                (cc, name)
            })
            .collect();
        countries.sort_by(|a, b| a.1.cmp(&b.1));
        countries.dedup();
        let matched: Vec<&crate::register::Company> =
            snapshot.register.iter().filter(|co| q.keeps(co)).collect();
        let (page, size) = (p.page(), p.size());
        let companies: Vec<CompanyView> = matched
            .iter()
            .skip((page - 1).saturating_mul(size))
            .take(size)
            .map(|co| CompanyView {
                name: co.name.clone(),
                aliases: co
                    .names
                    .iter()
                    .filter(|n| **n != co.name)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" · "),
                identifier: co
                    .identifier
                    .as_ref()
                    .map(|i| format!("{} {}", i.kind, i.value))
                    .unwrap_or_default(),
                identifier_valid: co.identifier.as_ref().is_none_or(|i| i.valid),
                country: co.country.clone().unwrap_or_default(),
                third: match co.third_country {
                    Some(true) => l.yes,
                    Some(false) => l.no,
                    None => "",
                },
                bases: co.transfer_bases.join(", "),
                categories: co.categories.join(" · "),
                locations: crate::compare::render::clip(&co.locations.join(" · "), 160),
                flags: co.flags.clone(),
                appearances: co
                    .agreements
                    .iter()
                    .map(|a| {
                        let name = snapshot
                            .name(&a.id)
                            .map_or_else(|| crate::index::file_name(&a.path), str::to_string);
                        let fragment = a
                            .clause
                            .as_deref()
                            .map(|n| format!("#{}", anchor(Some(n))))
                            .unwrap_or_default();
                        (
                            name,
                            format!("/doc/{}{}{fragment}", a.id, c.lq),
                            a.clause.clone().unwrap_or_default(),
                        )
                    })
                    .collect(),
            })
            .collect();
        let link = p.link();
        let sep = if link.is_empty() { "" } else { "?" };
        let page_href = |n: usize| {
            let amp = if link.is_empty() { "" } else { "&" };
            let limit = p.limit.map(|l| format!("&limit={l}")).unwrap_or_default();
            format!("/subprocessors?{link}{amp}page={n}{limit}{}", c.la)
        };
        let prev_href = if page > 1 {
            page_href(page - 1)
        } else {
            String::new()
        };
        let next_href = if page.saturating_mul(size) < matched.len() {
            page_href(page + 1)
        } else {
            String::new()
        };
        let empty = if companies.is_empty() {
            let asked = if q.is_empty() {
                String::new()
            } else {
                format!(" ({})", link.replace('&', ", ").replace('=', ": "))
            };
            format!(
                "{}{asked} — {} {}",
                l.no_companies,
                snapshot.agreements.len(),
                l.agreements.to_lowercase()
            )
        } else {
            String::new()
        };
        html(RegisterPage {
            name: q.name.clone().unwrap_or_default(),
            id: q.id.clone().unwrap_or_default(),
            country: q.country.clone().unwrap_or_default(),
            third: q.third_country,
            flagged: q.flagged,
            countries,
            total: snapshot.register.len(),
            matched: matched.len(),
            page,
            prev_href,
            next_href,
            agreements: snapshot.agreements.len(),
            empty,
            csv_href: format!("/subprocessors.csv{sep}{link}"),
            json_href: format!("/subprocessors.json{sep}{link}"),
            companies,
            c,
        })
    })
    .await
}

/// The register as `aftale subprocessors --json` prints it (with the page's filters).
pub(crate) async fn subprocessors_json(State(app): State<Shared>, uri: Uri) -> Response {
    let u = uri.clone();
    blocking(Lang::Da, uri, move || {
        let p: RegisterParams = query(&u)?;
        let q = p.for_download()?;
        let snapshot = app.snapshot()?;
        let by_id = export::register::by_id(&snapshot.agreements);
        jsonl_download(
            "subprocessors.jsonl",
            snapshot
                .register
                .iter()
                .filter(|co| q.keeps(co))
                .map(|co| export::register::json(co, &by_id)),
        )
    })
    .await
}

/// The register as `aftale subprocessors --csv` prints it (with the page's filters).
pub(crate) async fn subprocessors_csv(State(app): State<Shared>, uri: Uri) -> Response {
    let u = uri.clone();
    blocking(Lang::Da, uri, move || {
        let p: RegisterParams = query(&u)?;
        let q = p.for_download()?;
        let snapshot = app.snapshot()?;
        let by_id = export::register::by_id(&snapshot.agreements);
        let rows = snapshot
            .register
            .iter()
            .filter(|co| q.keeps(co))
            .map(|co| Vec::from(export::register::row(co, &by_id)));
        csv_download("subprocessors.csv", &export::register::HEADER, rows)
    })
    .await
}

// ---------------------------------------------------------------- deadlines

/// The columns of the deadlines matrix: the time limits a reviewer compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Breach,
    SubNotice,
    Objection,
    Deletion,
    Audit,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Breach,
        Kind::SubNotice,
        Kind::Objection,
        Kind::Deletion,
        Kind::Audit,
    ];

    fn id(self) -> &'static str {
        match self {
            Kind::Breach => "breach",
            Kind::SubNotice => "sub_notice",
            Kind::Objection => "objection",
            Kind::Deletion => "deletion",
            Kind::Audit => "audit",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let l = lang.labels();
        match self {
            Kind::Breach => l.breach_notice,
            Kind::SubNotice => l.sub_notice,
            Kind::Objection => l.objection,
            Kind::Deletion => l.deletion,
            Kind::Audit => l.audit_notice,
        }
    }

    /// The time limit in hours (for comparing), and how the cell says it.
    fn value(self, t: &KeyTerms, lang: Lang) -> (Option<f64>, String) {
        let days = |d: Option<f64>| {
            (
                d.map(|d| d * 24.0),
                d.map(|d| match lang {
                    Lang::Da => in_language(&report::days(d), lang),
                    Lang::En => report::days(d),
                })
                .unwrap_or_default(),
            )
        };
        match self {
            Kind::Breach => match (t.breach_notice_hours, t.breach_notice.as_deref()) {
                (Some(h), _) => (
                    Some(h),
                    match lang {
                        Lang::Da => format!("{} timer", trim(h)),
                        Lang::En => format!("{} hours", trim(h)),
                    },
                ),
                (None, Some("undue_delay")) => (
                    None,
                    match lang {
                        Lang::Da => "uden unødig forsinkelse".into(),
                        Lang::En => "without undue delay".into(),
                    },
                ),
                (None, Some("immediately")) => (
                    None,
                    match lang {
                        Lang::Da => "straks".into(),
                        Lang::En => "immediately".into(),
                    },
                ),
                (None, Some(other)) => (None, other.to_string()),
                (None, None) => (None, String::new()),
            },
            Kind::SubNotice => days(t.subprocessor_notice_days),
            Kind::Objection => days(t.objection_days),
            Kind::Deletion => days(t.deletion_days),
            Kind::Audit => days(t.audit_notice_days),
        }
    }
}

/// A key-term cell (`72 hours`, `30 days`, `without undue delay`) in the page's language.
pub(crate) fn in_language(cell: &str, lang: Lang) -> String {
    match lang {
        Lang::En => cell.to_string(),
        Lang::Da => cell
            .replace("without undue delay", "uden unødig forsinkelse")
            .replace("immediately", "straks")
            .replace("no basis stated", "intet grundlag angivet")
            .replace(" hours", " timer")
            .replace(" days", " dage")
            .replace(" day", " dag"),
    }
}

fn trim(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeadlineParams {
    sort: Option<String>,
    /// Any value: longest first.
    desc: Option<String>,
    topic: Option<String>,
    /// Read by `lang_of` from the URI; declared so that it is not refused as unknown.
    #[allow(dead_code)]
    lang: Option<String>,
}

struct Cell {
    text: String,
    class: &'static str,
    hours: String,
}

struct DeadlineRow {
    name: String,
    href: String,
    cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "web/deadlines.html")]
struct DeadlinesPage {
    c: Chrome,
    /// (label, sort link, sorted by it: "", "asc", "desc")
    columns: Vec<(&'static str, String, &'static str)>,
    name_sort: (String, &'static str),
    rows: Vec<DeadlineRow>,
}

pub(crate) async fn deadlines(State(app): State<Shared>, uri: Uri) -> Response {
    let lang = lang_or_return!(uri);
    let u = uri.clone();
    blocking(lang, uri, move || {
        let p: DeadlineParams = query(&u)?;
        if p.topic.is_some() {
            return Err(PageError::BadRequest(
                "topic applies to the downloads (/deadlines.csv, /deadlines.json), not the matrix"
                    .to_string(),
            ));
        }
        let sort = match p.sort.as_deref() {
            None | Some("") | Some("name") => None,
            Some(s) => Some(Kind::ALL.into_iter().find(|k| k.id() == s).ok_or_else(|| {
                PageError::BadRequest(format!(
                    "unknown sort={s:?}: use name, {}",
                    Kind::ALL.map(Kind::id).join(", ")
                ))
            })?),
        };
        let desc = p.desc.is_some();
        let snapshot = app.snapshot()?;
        let l = lang.labels();
        let c = Chrome::new(lang, &u, "deadlines", l.nav_deadlines.to_string());
        let values: Vec<Vec<(Option<f64>, String)>> = snapshot
            .reviews
            .iter()
            .map(|r| Kind::ALL.map(|k| k.value(&r.key_terms, lang)).to_vec())
            .collect();
        // The shortest and longest stated value of each column.
        let extremes: Vec<(f64, f64)> = (0..Kind::ALL.len())
            .map(|col| {
                values
                    .iter()
                    .filter_map(|v| v[col].0)
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), h| {
                        (lo.min(h), hi.max(h))
                    })
            })
            .collect();
        let mut rows: Vec<(DeadlineRow, Vec<Option<f64>>)> = snapshot
            .agreements
            .iter()
            .zip(values)
            .map(|(a, v)| {
                let hours: Vec<Option<f64>> = v.iter().map(|(h, _)| *h).collect();
                let cells = v
                    .into_iter()
                    .enumerate()
                    .map(|(col, (h, text))| {
                        let (lo, hi) = extremes[col];
                        let class = match h {
                            Some(h) if lo < hi && h == lo => "shortest",
                            Some(h) if lo < hi && h == hi => "longest",
                            _ if text.is_empty() => "none",
                            _ => "",
                        };
                        Cell {
                            text: if text.is_empty() {
                                l.not_stated.to_string()
                            } else {
                                text
                            },
                            class,
                            hours: h.map(trim).unwrap_or_default(),
                        }
                    })
                    .collect();
                (
                    DeadlineRow {
                        name: snapshot
                            .name(&a.record.id)
                            .map_or_else(|| a.name(), str::to_string),
                        href: format!("/doc/{}{}#terms", a.record.id, c.lq),
                        cells,
                    },
                    hours,
                )
            })
            .collect();
        rows.sort_by(|(a, ha), (b, hb)| {
            let by_name = a.name.cmp(&b.name);
            match sort {
                None if desc => by_name.reverse(),
                None => by_name,
                Some(k) => {
                    let col = Kind::ALL.iter().position(|x| *x == k).unwrap_or(0);
                    // Agreements that state none go last either way.
                    let order = match (ha[col], hb[col]) {
                        (Some(x), Some(y)) if desc => y.total_cmp(&x),
                        (Some(x), Some(y)) => x.total_cmp(&y),
                        (Some(_), None) => Ordering::Less,
                        (None, Some(_)) => Ordering::Greater,
                        (None, None) => Ordering::Equal,
                    };
                    order.then(by_name)
                }
            }
        });
        let sort_link = |id: &str, sorted: bool| {
            let desc = if sorted && !desc { "&desc=1" } else { "" };
            format!("/deadlines?sort={}{desc}{}", encode(id), c.la)
        };
        let state = |sorted: bool| match (sorted, desc) {
            (false, _) => "",
            (true, false) => "asc",
            (true, true) => "desc",
        };
        let columns = Kind::ALL
            .iter()
            .map(|k| {
                let sorted = sort == Some(*k);
                (k.label(lang), sort_link(k.id(), sorted), state(sorted))
            })
            .collect();
        let name_sort = (sort_link("name", sort.is_none()), state(sort.is_none()));
        html(DeadlinesPage {
            columns,
            name_sort,
            rows: rows.into_iter().map(|(r, _)| r).collect(),
            c,
        })
    })
    .await
}

/// The topic a download asks for, checked like `aftale deadlines --topic`.
fn deadline_topic(p: &DeadlineParams) -> Result<Option<&'static str>, PageError> {
    if p.sort.is_some() || p.desc.is_some() {
        return Err(PageError::BadRequest(
            "sort and desc order the page, not the download".to_string(),
        ));
    }
    match p.topic.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Some(topic_from_user(t).map_err(PageError::BadRequest)?)),
        None => Ok(None),
    }
}

/// Every deadline as `aftale deadlines --json` prints it (`?topic=` as `--topic`).
pub(crate) async fn deadlines_json(State(app): State<Shared>, uri: Uri) -> Response {
    let u = uri.clone();
    blocking(Lang::Da, uri, move || {
        let topic = deadline_topic(&query(&u)?)?;
        let snapshot = app.snapshot()?;
        jsonl_download(
            "deadlines.jsonl",
            export::deadlines::lines(&snapshot.agreements, topic),
        )
    })
    .await
}

/// Every deadline as `aftale deadlines --csv` prints it (`?topic=` as `--topic`).
pub(crate) async fn deadlines_csv(State(app): State<Shared>, uri: Uri) -> Response {
    let u = uri.clone();
    blocking(Lang::Da, uri, move || {
        let topic = deadline_topic(&query(&u)?)?;
        let snapshot = app.snapshot()?;
        let lines = export::deadlines::lines(&snapshot.agreements, topic);
        csv_download(
            "deadlines.csv",
            &export::deadlines::HEADER,
            lines.iter().map(|l| Vec::from(export::deadlines::cells(l))),
        )
    })
    .await
}

// ---------------------------------------------------------------- review

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LangOnly {
    /// Read by `lang_of` from the URI; declared so that it is not refused as unknown.
    #[allow(dead_code)]
    lang: Option<String>,
}

struct ReviewHeading {
    short: String,
    title: String,
}

struct ReviewRow {
    name: String,
    href: String,
    id: String,
    /// (status class, mark, item id, title)
    cells: Vec<(&'static str, &'static str, String, String)>,
    missing: usize,
    weak: usize,
    terms: Vec<String>,
}

#[derive(Template)]
#[template(path = "web/review.html")]
struct ReviewPage {
    c: Chrome,
    headings: Vec<ReviewHeading>,
    term_headings: Vec<&'static str>,
    rows: Vec<ReviewRow>,
}

pub(crate) async fn review(State(app): State<Shared>, uri: Uri) -> Response {
    let lang = lang_or_return!(uri);
    let u = uri.clone();
    blocking(lang, uri, move || {
        let _: LangOnly = query(&u)?;
        let snapshot = app.snapshot()?;
        let l = lang.labels();
        let c = Chrome::new(lang, &u, "review", l.nav_review.to_string());
        let headings = snapshot
            .reviews
            .first()
            .map(|r| {
                r.items
                    .iter()
                    .map(|i| {
                        let label = match lang {
                            Lang::Da => &i.label_da,
                            Lang::En => &i.label_en,
                        };
                        ReviewHeading {
                            short: Item::from_id(&i.id)
                                .map_or_else(|| label.clone(), |item| item.short().to_string()),
                            title: format!("{label} ({})", i.provision),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut rows: Vec<ReviewRow> = snapshot
            .reviews
            .iter()
            .map(|r| {
                let (missing, weak) = export::review::counts(r);
                ReviewRow {
                    name: snapshot
                        .name(&r.document.id)
                        .map_or_else(|| report::agreement_name(r), str::to_string),
                    href: format!("/doc/{}{}#review", r.document.id, c.lq),
                    id: r.document.id.clone(),
                    cells: r
                        .items
                        .iter()
                        .map(|i| {
                            let status = match i.status {
                                ReviewStatus::Present => l.present,
                                ReviewStatus::Weak => l.weak,
                                ReviewStatus::Missing => l.missing,
                            };
                            let label = match lang {
                                Lang::Da => &i.label_da,
                                Lang::En => &i.label_en,
                            };
                            (
                                i.status.as_str(),
                                mark(i.status),
                                i.id.clone(),
                                format!("{label}: {status} {}", report::finding(i)),
                            )
                        })
                        .collect(),
                    missing,
                    weak,
                    terms: term_cells(&r.key_terms)
                        .into_iter()
                        .map(|t| in_language(&t, lang))
                        .collect(),
                }
            })
            .collect();
        rows.sort_by(|a, b| b.missing.cmp(&a.missing).then(a.name.cmp(&b.name)));
        html(ReviewPage {
            headings,
            term_headings: term_headings(lang),
            rows,
            c,
        })
    })
    .await
}

/// Every review as `aftale review --json` prints it.
pub(crate) async fn review_json(State(app): State<Shared>, uri: Uri) -> Response {
    let u = uri.clone();
    blocking(Lang::Da, uri, move || {
        let _: LangOnly = query(&u)?;
        let snapshot = app.snapshot()?;
        jsonl_download("review.jsonl", &snapshot.reviews)
    })
    .await
}

/// The matrix as `aftale review --csv` prints it.
pub(crate) async fn review_csv(State(app): State<Shared>, uri: Uri) -> Response {
    let u = uri.clone();
    blocking(Lang::Da, uri, move || {
        let _: LangOnly = query(&u)?;
        let snapshot = app.snapshot()?;
        let header = export::review::header(&snapshot.reviews);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        csv_download(
            "review.csv",
            &header,
            snapshot.reviews.iter().map(export::review::row),
        )
    })
    .await
}

// ---------------------------------------------------------------- imports

/// `<index>/ingest-report.json` as `aftale ingest` writes it.
#[derive(Debug, Deserialize)]
struct ImportReport {
    finished: u64,
    summary: Summary,
    problems: Vec<DocumentReport>,
}

struct DocumentRow {
    name: String,
    href: String,
    path: String,
    versions: usize,
    quality: String,
    retired: bool,
}

#[derive(Template)]
#[template(path = "web/imports.html")]
struct ImportsPage {
    c: Chrome,
    report: Option<(String, Summary)>,
    report_error: String,
    problems: Vec<(String, &'static str, String)>,
    documents: Vec<DocumentRow>,
}

fn read_report(app: &crate::web::App) -> Result<Option<ImportReport>, String> {
    let path = app.store().dir().join("ingest-report.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

pub(crate) async fn imports(State(app): State<Shared>, uri: Uri) -> Response {
    let lang = lang_or_return!(uri);
    let u = uri.clone();
    blocking(lang, uri, move || {
        let _: LangOnly = query(&u)?;
        let l = lang.labels();
        let c = Chrome::new(lang, &u, "imports", l.nav_imports.to_string());
        let (report, report_error) = match read_report(&app) {
            Ok(r) => (r, String::new()),
            Err(e) => (None, e),
        };
        let problems = report
            .as_ref()
            .map(|r| {
                r.problems
                    .iter()
                    .map(|p| {
                        let status = match p.status {
                            crate::ingest::Status::Failed => l.failed,
                            _ => l.skipped,
                        };
                        (p.path.clone(), status, p.reason.clone().unwrap_or_default())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut documents: Vec<DocumentRow> = app
            .store()
            .stored_documents()?
            .into_iter()
            .map(|d| DocumentRow {
                name: d.name(),
                href: d
                    .current()
                    .map(|v| format!("/doc/{}{}", v.id, c.lq))
                    .unwrap_or_default(),
                path: d.path.clone(),
                versions: d.versions.len(),
                quality: d
                    .current()
                    .and_then(|v| v.quality.clone())
                    .unwrap_or_default(),
                retired: d.retired.is_some(),
            })
            .collect();
        documents.sort_by(|a, b| a.retired.cmp(&b.retired).then(a.name.cmp(&b.name)));
        html(ImportsPage {
            report: report.map(|r| (crate::index::utc_minute(r.finished), r.summary)),
            report_error,
            problems,
            documents,
            c,
        })
    })
    .await
}

/// The last import's report, as `aftale ingest` wrote it.
pub(crate) async fn imports_json(State(app): State<Shared>, uri: Uri) -> Response {
    let u = uri.clone();
    blocking(Lang::Da, uri, move || {
        let _: LangOnly = query(&u)?;
        let path = app.store().dir().join("ingest-report.json");
        match std::fs::read(&path) {
            Ok(bytes) => Ok(download(
                "application/json; charset=utf-8",
                "ingest-report.json",
                bytes,
            )),
            Err(_) => Err(PageError::NotFound(
                "the index has no import report yet".to_string(),
            )),
        }
    })
    .await
}
