//! `/doc/<id>`: one agreement version, as its stored record has it — parties and identifiers,
//! printed version and date, quality and per-page sources, the review checklist and key terms,
//! deadlines, sub-processors, tables, the change log, the versions (with links to compare any
//! two), and the clause tree: folding, an anchor per clause (`#c-7.2`), references as links to
//! their clauses, and the OCR-repaired reading beside the printed one where they differ.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use serde::Deserialize;

use super::{blocking, html, query, version_id, Chrome, PageError, Shared};
use crate::export::deadlines::{amount, by, key_deadlines};
use crate::index::utc_minute;
use crate::record::{Clause, Party, Record, Reference, ReferenceKind, ReviewStatus};
use crate::review::report::term_cells;
use crate::web::i18n::Lang;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    /// Read by `lang_of` from the URI; declared so that it is not refused as unknown.
    #[allow(dead_code)]
    lang: Option<String>,
}

/// The key-term headings in Danish, in [`crate::review::report::TERM_COLUMNS`] order.
pub(crate) const TERM_HEADINGS_DA: [&str; 13] = [
    "Databehandler",
    "Dataansvarlig",
    "Version / dato",
    "Underretning om brud",
    "Underdatabehandlere",
    "Varsel om ændringer",
    "Indsigelsesfrist",
    "Sletning / tilbagelevering",
    "Varsel før revision",
    "Tredjelandsoverførsler",
    "Lovvalg",
    "Værneting",
    "Løbetid",
];

/// The key-term headings in the page's language.
pub(crate) fn term_headings(lang: Lang) -> Vec<&'static str> {
    match lang {
        Lang::Da => TERM_HEADINGS_DA.to_vec(),
        Lang::En => crate::review::report::TERM_COLUMNS
            .iter()
            .map(|(_, h)| *h)
            .collect(),
    }
}

/// A clause's anchor: `c-7.2`, `c-preamble`.
pub(crate) fn anchor(number: Option<&str>) -> String {
    format!("c-{}", number.unwrap_or("preamble"))
}

/// A link to a clause of this page, or nothing for no clause.
fn clause_link(number: &Option<String>) -> Option<(String, String)> {
    number
        .as_ref()
        .map(|n| (format!("#{}", anchor(Some(n))), n.clone()))
}

struct PartyView {
    role: &'static str,
    name: String,
    identifier: String,
    placeholder: bool,
    source: String,
}

struct IdentifierView {
    kind: String,
    value: String,
    valid: bool,
    clause: Option<(String, String)>,
    context: String,
}

struct ItemView {
    label: String,
    provision: String,
    status: &'static str,
    status_text: &'static str,
    clauses: Vec<(String, String)>,
    evidence: String,
    reason: String,
}

struct DeadlineView {
    clause: Option<(String, String)>,
    kind: String,
    amount: String,
    qualifier: String,
    by: String,
    text: String,
}

struct SubView {
    name: String,
    identifier: String,
    country: String,
    location: String,
    third: &'static str,
    third_class: &'static str,
    basis: String,
    description: String,
    clause: Option<(String, String)>,
}

struct TableView {
    clause: Option<(String, String)>,
    page: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

struct VersionView {
    number: u64,
    id: String,
    short: String,
    printed: String,
    imported: String,
    path: String,
    shown: bool,
    current: bool,
    diff_from_previous: String,
}

/// A piece of clause text: plain, or a reference that links to a clause.
struct Piece {
    text: String,
    href: String,
}

struct ClauseView {
    /// `</details>` for the clauses this one closes (markup of our own, no document text).
    close: String,
    anchor: String,
    level: u32,
    number: String,
    heading: String,
    page: String,
    inferred: bool,
    topics: Vec<String>,
    text: Vec<Piece>,
    repaired_heading: String,
    repaired: String,
}

#[derive(Template)]
#[template(path = "web/agreement.html")]
struct AgreementPage {
    c: Chrome,
    name: String,
    title: String,
    id: String,
    path: String,
    retired: bool,
    current: bool,
    current_href: String,
    version_line: String,
    language: String,
    source: String,
    quality: String,
    quality_reasons: Vec<String>,
    warnings: Vec<String>,
    parties: Vec<PartyView>,
    identifiers: Vec<IdentifierView>,
    pages: Vec<(u32, String, String, String, String)>,
    items: Vec<ItemView>,
    terms: Vec<(&'static str, String)>,
    deadlines: Vec<DeadlineView>,
    subprocessors: Vec<SubView>,
    sub_source: String,
    tables: Vec<TableView>,
    changelog: Vec<(String, String, String, String)>,
    versions: Vec<VersionView>,
    clauses: Vec<ClauseView>,
    close_all: String,
}

pub(crate) async fn page(State(app): State<Shared>, Path(id): Path<String>, uri: Uri) -> Response {
    let lang = lang_or_return!(uri);
    let u = uri.clone();
    blocking(lang, uri, move || {
        let _: Params = query(&u)?;
        let id = version_id(&id)?;
        let (document, version, record) = app
            .store()
            .find_record(&id)
            .map_err(|_| PageError::NotFound(format!("no agreement with id {id} in the index")))?;
        let review = crate::review::review(&record, app.playbook());
        let l = lang.labels();
        let c = Chrome::new(lang, &u, "", document.name());
        let lq = c.lq;
        let current_id = document.current().map(|v| v.id.clone()).unwrap_or_default();
        let versions: Vec<VersionView> = document
            .versions
            .iter()
            .enumerate()
            .map(|(n, v)| VersionView {
                number: v.version,
                id: v.id.clone(),
                short: v.id.chars().take(12).collect(),
                printed: v.doc_version.clone().unwrap_or_default(),
                imported: utc_minute(v.ingested),
                path: v.path.clone(),
                shown: v.id == version.id,
                current: v.id == current_id,
                diff_from_previous: n
                    .checked_sub(1)
                    .and_then(|p| document.versions.get(p))
                    .map(|p| format!("/diff/{}/{}{lq}", p.id, v.id))
                    .unwrap_or_default(),
            })
            .collect();
        let page = AgreementPage {
            name: document.name(),
            title: record.title.clone().unwrap_or_default(),
            id: record.id.clone(),
            path: document.path.clone(),
            retired: document.retired.is_some(),
            current: version.id == current_id,
            current_href: format!("/doc/{current_id}{lq}"),
            version_line: version_line(&record, version.version, document.versions.len(), lang),
            language: record.language.code.clone(),
            source: format!(
                "{} · {} {} · {} kB",
                format!("{:?}", record.source.format).to_lowercase(),
                record.source.pages,
                l.pages.to_lowercase(),
                record.source.bytes.div_ceil(1024)
            ),
            quality: record
                .quality
                .as_ref()
                .map(|q| q.flag.clone())
                .unwrap_or_default(),
            quality_reasons: record
                .quality
                .as_ref()
                .map(|q| q.reasons.clone())
                .unwrap_or_default(),
            warnings: record.warnings.clone(),
            parties: parties(&record, lang),
            identifiers: record
                .identifiers
                .iter()
                .map(|i| IdentifierView {
                    kind: i.kind.to_string(),
                    value: i.value.clone(),
                    valid: i.valid,
                    clause: clause_link(&i.clause),
                    context: i.context.clone(),
                })
                .collect(),
            pages: record
                .pages
                .iter()
                .map(|p| {
                    (
                        p.page,
                        p.source.clone(),
                        p.words.map(|w| w.to_string()).unwrap_or_default(),
                        p.dictionary_share
                            .map(|s| format!("{:.0} %", s * 100.0))
                            .unwrap_or_default(),
                        p.ocr_confidence
                            .map(|s| format!("{s:.0}"))
                            .unwrap_or_default(),
                    )
                })
                .collect(),
            items: review
                .items
                .iter()
                .map(|i| ItemView {
                    label: match lang {
                        Lang::Da => i.label_da.clone(),
                        Lang::En => i.label_en.clone(),
                    },
                    provision: i.provision.clone(),
                    status: i.status.as_str(),
                    status_text: match i.status {
                        ReviewStatus::Present => l.present,
                        ReviewStatus::Weak => l.weak,
                        ReviewStatus::Missing => l.missing,
                    },
                    clauses: i
                        .clauses
                        .iter()
                        .map(|n| (format!("#{}", anchor(Some(n))), n.clone()))
                        .collect(),
                    evidence: i.evidence.clone().unwrap_or_default(),
                    reason: i.reason.clone().unwrap_or_default(),
                })
                .collect(),
            terms: term_headings(lang)
                .into_iter()
                .zip(term_cells(&review.key_terms))
                .filter(|(_, v)| !v.is_empty())
                .map(|(h, v)| (h, super::tables::in_language(&v, lang)))
                .collect(),
            deadlines: key_deadlines(&record)
                .into_iter()
                .map(|d| DeadlineView {
                    clause: clause_link(&d.clause),
                    kind: d.kind.to_string(),
                    amount: amount(d),
                    qualifier: d.qualifier.map(|q| q.to_string()).unwrap_or_default(),
                    by: by(d),
                    text: d.text.clone(),
                })
                .collect(),
            subprocessors: record
                .subprocessors
                .iter()
                .map(|s| {
                    let (third, third_class) = match s.third_country {
                        Some(true) => (l.yes, "flag-third"),
                        Some(false) => (l.no, ""),
                        None => ("", ""),
                    };
                    SubView {
                        name: s.name.clone(),
                        identifier: s
                            .identifier
                            .as_ref()
                            .map(|i| format!("{} {}", i.kind, i.value))
                            .unwrap_or_default(),
                        country: s
                            .country
                            .as_deref()
                            .map(
                                |cc| match (lang, crate::extract::country::danish_name(cc)) {
                                    (Lang::Da, Some(name)) => format!("{name} ({cc})"),
                                    _ => cc.to_string(),
                                },
                            )
                            .unwrap_or_default(),
                        location: s.location.clone().unwrap_or_default(),
                        third,
                        third_class,
                        basis: s.transfer_basis.clone().unwrap_or_default(),
                        description: s.description.clone().unwrap_or_default(),
                        clause: clause_link(&s.clause),
                    }
                })
                .collect(),
            sub_source: record
                .subprocessor_source
                .as_ref()
                .map(|s| match &s.url {
                    Some(url) => format!("{}: {url}", s.kind),
                    None => s.kind.to_string(),
                })
                .unwrap_or_default(),
            tables: record
                .tables
                .iter()
                .map(|t| TableView {
                    clause: clause_link(&t.clause),
                    page: t.page.map(|p| p.to_string()).unwrap_or_default(),
                    header: t.header.clone(),
                    rows: t.rows.clone(),
                })
                .collect(),
            changelog: record
                .changelog
                .iter()
                .map(|e| {
                    (
                        e.version.clone(),
                        e.date.clone().unwrap_or_default(),
                        e.author.clone().unwrap_or_default(),
                        e.change.clone(),
                    )
                })
                .collect(),
            versions,
            close_all: String::new(),
            clauses: Vec::new(),
            c,
        };
        let (clauses, close_all) = clause_tree(&record.clauses, &record.references, lang);
        html(AgreementPage {
            clauses,
            close_all,
            ..page
        })
    })
    .await
}

/// `Version 2.6 · 2024-03-01 · v2 of 3 in the index`.
fn version_line(record: &Record, number: u64, of: usize, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(v) = &record.version {
        parts.push(format!("{} {v}", lang.labels().version));
    }
    if let Some(d) = &record.date {
        parts.push(d.clone());
    }
    parts.push(match lang {
        Lang::Da => format!("v{number} af {of} i indekset"),
        Lang::En => format!("v{number} of {of} in the index"),
    });
    parts.join(" · ")
}

fn parties(record: &Record, lang: Lang) -> Vec<PartyView> {
    let l = lang.labels();
    let view = |role: &'static str, p: &Party| PartyView {
        role,
        name: p.name.clone().unwrap_or_default(),
        identifier: match (&p.identifier_kind, &p.identifier) {
            (Some(k), Some(i)) => format!("{k} {i}"),
            (None, Some(i)) => i.clone(),
            _ => String::new(),
        },
        placeholder: p.placeholder,
        source: serde_json::to_value(p.source)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
    };
    [
        (l.controller, record.parties.controller.as_ref()),
        (l.processor, record.parties.processor.as_ref()),
    ]
    .into_iter()
    .filter_map(|(role, p)| p.map(|p| view(role, p)))
    .collect()
}

/// The clauses in document order, each opening a `<details>` that holds its sub-clauses; the
/// markup that closes what is still open at the end.
fn clause_tree(
    clauses: &[Clause],
    references: &[Reference],
    lang: Lang,
) -> (Vec<ClauseView>, String) {
    let numbers: HashMap<&str, usize> = clauses
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.number.as_deref().map(|n| (n, i)))
        .collect();
    let mut open: Vec<u32> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut views = Vec::new();
    for clause in clauses {
        let level = clause.level.max(1);
        let mut close = String::new();
        while open.last().is_some_and(|l| *l >= level) {
            open.pop();
            close.push_str("</details>");
        }
        open.push(level);
        let mut anchor = anchor(clause.number.as_deref());
        let count = seen.entry(anchor.clone()).or_default();
        *count += 1;
        if *count > 1 {
            anchor = format!("{anchor}-{count}");
        }
        let references: Vec<(&str, &str)> = references
            .iter()
            .filter(|r| {
                r.clause == clause.number
                    && r.kind == ReferenceKind::Clause
                    && r.exists == Some(true)
                    && numbers.contains_key(r.target.as_str())
            })
            .map(|r| (r.text.as_str(), r.target.as_str()))
            .collect();
        let (repaired_heading, repaired) = repaired_reading(clause);
        views.push(ClauseView {
            close,
            anchor,
            level,
            number: clause.number.clone().unwrap_or_default(),
            heading: clause.heading.clone().unwrap_or_default(),
            page: clause.page.map(|p| p.to_string()).unwrap_or_default(),
            inferred: clause.inferred,
            topics: clause
                .topics
                .iter()
                .map(|t| super::search::topic_name(t, lang))
                .collect(),
            text: linked(&clause.text, &references),
            repaired_heading,
            repaired,
        });
    }
    (views, "</details>".repeat(open.len()))
}

/// The OCR-repaired heading and text where they differ from the printed ones.
fn repaired_reading(clause: &Clause) -> (String, String) {
    match &clause.repaired {
        Some(r) if r.text != clause.text || r.heading != clause.heading => (
            r.heading.clone().unwrap_or_default(),
            if r.text != clause.text {
                r.text.clone()
            } else {
                String::new()
            },
        ),
        _ => (String::new(), String::new()),
    }
}

/// A clause's text with its references to other clauses as links, in the order they stand.
fn linked(text: &str, references: &[(&str, &str)]) -> Vec<Piece> {
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    for (words, target) in references {
        if words.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(at) = text[from..].find(words) {
            let start = from + at;
            let end = start + words.len();
            if !found.iter().any(|(s, e, _)| start < *e && *s < end) {
                found.push((start, end, format!("#{}", anchor(Some(target)))));
                break;
            }
            from = end;
        }
    }
    found.sort_by_key(|(s, _, _)| *s);
    let mut pieces = Vec::new();
    let mut at = 0;
    for (start, end, href) in found {
        if start > at {
            pieces.push(Piece {
                text: text[at..start].to_string(),
                href: String::new(),
            });
        }
        pieces.push(Piece {
            text: text[start..end].to_string(),
            href,
        });
        at = end;
    }
    if at < text.len() {
        pieces.push(Piece {
            text: text[at..].to_string(),
            href: String::new(),
        });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_become_links_in_place_and_the_rest_stays_text() {
        let pieces = linked(
            "jf. pkt. 9.1 og pkt. 9.1 igen, se pkt. 4",
            &[("pkt. 9.1", "9.1"), ("pkt. 4", "4")],
        );
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "jf. pkt. 9.1 og pkt. 9.1 igen, se pkt. 4");
        let links: Vec<(&str, &str)> = pieces
            .iter()
            .filter(|p| !p.href.is_empty())
            .map(|p| (p.text.as_str(), p.href.as_str()))
            .collect();
        assert_eq!(links, [("pkt. 9.1", "#c-9.1"), ("pkt. 4", "#c-4")]);
    }

    #[test]
    fn the_clause_tree_nests_and_closes_every_fold() {
        let clauses = vec![
            Clause::new(None, None, "Indledning"),
            Clause::new(Some("1"), Some("Formål"), "a"),
            Clause::new(Some("1.1"), None, "b"),
            Clause::new(Some("1.1.1"), None, "c"),
            Clause::new(Some("2"), Some("Sikkerhed"), "d"),
        ];
        let (views, close_all) = clause_tree(&clauses, &[], Lang::Da);
        let closes: Vec<usize> = views
            .iter()
            .map(|v| v.close.matches("</details>").count())
            .collect();
        assert_eq!(closes, [0, 1, 0, 0, 3]);
        assert_eq!(close_all, "</details>");
        assert_eq!(views[3].anchor, "c-1.1.1");
        assert_eq!(views[0].anchor, "c-preamble");
    }
}
