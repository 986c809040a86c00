//! Reviews as a reader gets them: the matrix rows (one per agreement, one cell per item), the
//! key terms as text cells, and the self-contained HTML page (an askama template compiled into
//! the binary: every document string escaped, nothing fetched).

use askama::Template;

use crate::record::{KeyTerms, Review, ReviewItem, ReviewStatus};

/// The key-term columns, in order: (CSV and JSON name, heading).
pub const TERM_COLUMNS: [(&str, &str); 13] = [
    ("processor", "Processor"),
    ("controller", "Controller"),
    ("version", "Version / date"),
    ("breach_notice", "Breach notice"),
    ("subprocessor_authorisation", "Sub-processors"),
    ("subprocessor_notice_days", "Notice of changes"),
    ("objection_days", "Objection period"),
    ("deletion_days", "Deletion / return"),
    ("audit_notice_days", "Audit notice"),
    ("transfers", "Third-country transfers"),
    ("governing_law", "Law"),
    ("venue", "Venue"),
    ("term", "Term"),
];

fn number(n: f64) -> String {
    let r = (n * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// A number of days as a reader says it (`1 day`, `30 days`, `91.3 days`).
pub fn days(d: f64) -> String {
    match number(d).as_str() {
        "1" => "1 day".to_string(),
        n => format!("{n} days"),
    }
}

/// A cell of days, empty where the agreement states none.
fn days_cell(d: Option<f64>) -> String {
    d.map(days).unwrap_or_default()
}

/// The key terms as text cells, in [`TERM_COLUMNS`] order.
pub fn term_cells(t: &KeyTerms) -> Vec<String> {
    let party = |p: &Option<crate::record::ReviewParty>| {
        p.as_ref()
            .map(|p| match (&p.name, &p.identifier) {
                (Some(n), Some(i)) => format!("{n} ({i})"),
                (Some(n), None) => n.clone(),
                (None, Some(i)) => i.clone(),
                (None, None) => String::new(),
            })
            .unwrap_or_default()
    };
    let breach = match (t.breach_notice.as_deref(), t.breach_notice_hours) {
        (_, Some(h)) => format!("{} hours", number(h)),
        (Some("undue_delay"), None) => "without undue delay".to_string(),
        (Some(other), None) => other.to_string(),
        (None, None) => String::new(),
    };
    let transfers = if t.transfers.is_empty() {
        t.transfer_bases.join(", ")
    } else {
        t.transfers
            .iter()
            .map(|x| {
                format!(
                    "{}{} ({})",
                    x.name,
                    x.country
                        .as_deref()
                        .map(|c| format!(", {c}"))
                        .unwrap_or_default(),
                    x.basis.as_deref().unwrap_or("no basis stated")
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    vec![
        party(&t.processor),
        party(&t.controller),
        [t.version.as_deref(), t.date.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        breach,
        t.subprocessor_authorisation.clone().unwrap_or_default(),
        days_cell(t.subprocessor_notice_days),
        days_cell(t.objection_days),
        days_cell(t.deletion_days),
        days_cell(t.audit_notice_days),
        transfers,
        t.governing_law.clone().unwrap_or_default(),
        t.venue.clone().unwrap_or_default(),
        t.term.clone().unwrap_or_default(),
    ]
}

/// One matrix cell: `✓`, `~` or `✗`.
pub fn mark(status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::Present => "✓",
        ReviewStatus::Weak => "~",
        ReviewStatus::Missing => "✗",
    }
}

/// An item's finding in one line: status, then reason or evidence.
pub fn finding(item: &ReviewItem) -> String {
    match item.status {
        ReviewStatus::Present => item.evidence.clone().unwrap_or_default(),
        _ => item.reason.clone().unwrap_or_default(),
    }
}

/// The clause list as printed (`pkt. 3, 9.2`).
pub fn clause_list(item: &ReviewItem) -> String {
    if item.clauses.is_empty() {
        String::new()
    } else {
        format!("pkt. {}", item.clauses.join(", "))
    }
}

struct Heading {
    short: String,
    label_da: String,
    label_en: String,
    provision: String,
}

struct Cell {
    id: String,
    status: &'static str,
    mark: &'static str,
    title: String,
}

struct FindingRow {
    status: &'static str,
    label: String,
    provision: String,
    reason: String,
    clauses: String,
}

struct EvidenceRow {
    label: String,
    clauses: String,
    quote: String,
}

struct AgreementRow {
    id: String,
    short_id: String,
    anchor: String,
    name: String,
    path: String,
    cells: Vec<Cell>,
    missing: usize,
    weak: usize,
    terms: Vec<String>,
    findings: Vec<FindingRow>,
    evidence: Vec<EvidenceRow>,
}

#[derive(Template)]
#[template(path = "review.html")]
struct Page {
    title: String,
    playbook: String,
    items: Vec<Heading>,
    term_headings: Vec<&'static str>,
    agreements: Vec<AgreementRow>,
}

/// The name an agreement goes by in a report: its vendor, else its file name.
pub fn agreement_name(review: &Review) -> String {
    review
        .document
        .vendor
        .clone()
        .unwrap_or_else(|| crate::index::file_name(&review.document.path))
}

/// A self-contained HTML page of the reviews: the matrix, the key terms, the findings.
pub fn html(reviews: &[Review]) -> String {
    let items = reviews
        .first()
        .map(|r| {
            r.items
                .iter()
                .map(|i| Heading {
                    short: super::Item::from_id(&i.id)
                        .map_or_else(|| i.label_da.clone(), |item| item.heading().to_string()),
                    label_da: i.label_da.clone(),
                    label_en: i.label_en.clone(),
                    provision: i.provision.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let agreements = reviews
        .iter()
        .enumerate()
        .map(|(n, r)| AgreementRow {
            id: r.document.id.clone(),
            short_id: r.document.id.chars().take(12).collect(),
            anchor: format!("{n}"),
            name: agreement_name(r),
            path: r.document.path.clone(),
            cells: r
                .items
                .iter()
                .map(|i| Cell {
                    id: i.id.clone(),
                    status: i.status.as_str(),
                    mark: mark(i.status),
                    title: format!("{}: {} {}", i.label_en, i.status.as_str(), finding(i)),
                })
                .collect(),
            missing: r
                .items
                .iter()
                .filter(|i| i.status == ReviewStatus::Missing)
                .count(),
            weak: r
                .items
                .iter()
                .filter(|i| i.status == ReviewStatus::Weak)
                .count(),
            terms: term_cells(&r.key_terms),
            findings: r
                .items
                .iter()
                .filter(|i| i.status != ReviewStatus::Present || i.reason.is_some())
                .map(|i| FindingRow {
                    status: i.status.as_str(),
                    label: i.label_da.clone(),
                    provision: i.provision.clone(),
                    reason: i.reason.clone().unwrap_or_default(),
                    clauses: clause_list(i),
                })
                .collect(),
            evidence: r
                .items
                .iter()
                .filter(|i| i.status != ReviewStatus::Missing)
                .map(|i| EvidenceRow {
                    label: i.label_da.clone(),
                    clauses: clause_list(i),
                    quote: i.evidence.clone().unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let title = match reviews {
        [one] => format!("Art. 28 review: {}", agreement_name(one)),
        _ => "Art. 28 review".to_string(),
    };
    let page = Page {
        title,
        playbook: reviews
            .first()
            .map(|r| r.playbook.clone())
            .unwrap_or_default(),
        items,
        term_headings: TERM_COLUMNS.iter().map(|(_, h)| *h).collect(),
        agreements,
    };
    page.render()
        .unwrap_or_else(|e| format!("<!DOCTYPE html><title>error</title><p>{e}</p>"))
}
