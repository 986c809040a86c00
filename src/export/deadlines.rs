//! The deadlines of all agreements as a table: one [`Line`] per deadline (or per agreement
//! that states none, when a topic is asked for), in listing order, as JSON and CSV cells.

use std::collections::HashMap;

use serde::Serialize;

use crate::extract::deadlines::{is_controllers_own, listing_order, listing_rank};
use crate::index::{file_name, Agreement};
use crate::record::{Deadline, Record};

/// One line of output: a deadline of an agreement, or an agreement without one.
#[derive(Serialize)]
pub struct Line<'a> {
    /// Where the agreement's file is now.
    pub path: &'a str,
    /// How a reviewer knows the agreement: its vendor, else its file name.
    pub agreement: String,
    /// The processor the agreement is with, where the text names it.
    pub vendor: Option<&'a str>,
    pub title: Option<&'a str>,
    pub version: Option<&'a str>,
    #[serde(flatten)]
    pub deadline: Option<&'a Deadline>,
    pub none_stated: bool,
    /// The controller's own duty (towards the authority or the data subjects), which the
    /// agreement only restates.
    pub controllers_own: bool,
}

/// The deadlines of the agreements (with `topic`: only that topic's, grouped per agreement, an
/// agreement without any as `none stated`), in listing order. Empty when no agreement states a
/// deadline (of the topic).
pub fn lines<'a>(agreements: &'a [Agreement], topic: Option<&str>) -> Vec<Line<'a>> {
    let mut lines: Vec<Line> = Vec::new();
    // With a topic: one group per agreement, in listing order (the processor's duty towards the
    // controller first), the groups ordered by their first line.
    let mut groups: Vec<Vec<Line>> = Vec::new();
    for a in agreements {
        let record = &a.record;
        let mut matching: Vec<&Deadline> = record
            .deadlines
            .iter()
            .filter(|d| topic.is_none_or(|t| topic_matches(record, d, t)))
            .collect();
        if topic.is_some() {
            listing_order(&mut matching);
            let mut group: Vec<Line> = matching.into_iter().map(|d| line(a, Some(d))).collect();
            if group.is_empty() {
                group.push(line(a, None));
            }
            groups.push(group);
        } else {
            lines.extend(matching.into_iter().map(|d| line(a, Some(d))));
        }
    }
    // Shortest first; qualitative duties (no hours) after the numbered ones, agreements without
    // any at the end.
    let key = |l: &Line| {
        (
            l.none_stated,
            l.deadline.map_or(0, listing_rank),
            l.deadline.and_then(|d| d.hours).unwrap_or(f64::INFINITY),
        )
    };
    let by_name = |a: &Line, b: &Line| a.agreement.cmp(&b.agreement).then(a.path.cmp(b.path));
    if topic.is_some() {
        if groups.iter().flatten().all(|l| l.none_stated) {
            return Vec::new();
        }
        groups.sort_by(|a, b| {
            let (ka, kb) = (key(&a[0]), key(&b[0]));
            ka.0.cmp(&kb.0)
                .then(ka.1.cmp(&kb.1))
                .then(ka.2.total_cmp(&kb.2))
                .then(by_name(&a[0], &b[0]))
        });
        lines.extend(groups.into_iter().flatten());
    } else {
        lines.sort_by(|a, b| {
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0)
                .then(ka.2.total_cmp(&kb.2))
                .then(by_name(a, b))
        });
    }
    lines
}

pub const HEADER: [&str; 18] = [
    "path",
    "agreement",
    "vendor",
    "title",
    "clause",
    "kind",
    "amount",
    "unit",
    "qualifier",
    "hours",
    "party",
    "counterparty",
    "action",
    "controllers_own",
    "topic",
    "trigger",
    "text",
    "version",
];

/// The names a text table shows, by current path: [`Agreement::name`], and where two
/// agreements have one name (two documents with one vendor), the file name after it.
pub fn shown_names(agreements: &[Agreement]) -> HashMap<&str, String> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for a in agreements {
        *count.entry(a.name()).or_default() += 1;
    }
    agreements
        .iter()
        .map(|a| {
            let name = a.name();
            let shown = if count.get(&name).is_some_and(|n| *n > 1) && a.record.vendor.is_some() {
                format!("{name} ({})", file_name(&a.document.path))
            } else {
                name
            };
            (a.document.path.as_str(), shown)
        })
        .collect()
}

fn line<'a>(a: &'a Agreement, deadline: Option<&'a Deadline>) -> Line<'a> {
    Line {
        path: &a.document.path,
        agreement: a.name(),
        vendor: a.record.vendor.as_deref(),
        title: a.record.title.as_deref(),
        version: a.record.version.as_deref(),
        deadline,
        none_stated: deadline.is_none(),
        controllers_own: deadline.is_some_and(is_controllers_own),
    }
}

/// A record's deadlines: those of the breach notification first, in listing order, then the
/// others (what one agreement's page and `aftale show` list).
pub fn key_deadlines(record: &Record) -> Vec<&Deadline> {
    let (mut breach, mut others): (Vec<&Deadline>, Vec<&Deadline>) = record
        .deadlines
        .iter()
        .partition(|d| topic_matches(record, d, "breach_notification"));
    listing_order(&mut breach);
    listing_order(&mut others);
    breach.extend(others);
    breach
}

/// Who acts towards whom: `processor → controller`, `controller (own)`, `-`.
pub fn by(d: &Deadline) -> String {
    let name = |v: Option<String>| v.map(|s| s.trim_matches('"').to_string());
    let party = name(d.party.and_then(|p| serde_json::to_string(&p).ok()));
    let counter = name(d.counterparty.and_then(|c| serde_json::to_string(&c).ok()));
    let own = if is_controllers_own(d) { " (own)" } else { "" };
    match (party, counter) {
        (Some(p), Some(c)) => format!("{p}{own} → {c}"),
        (Some(p), None) => format!("{p}{own}"),
        (None, Some(c)) => format!("→ {c}"),
        (None, None) => "-".to_string(),
    }
}

/// The deadline's own topic, or any topic of the clause it stands in.
pub fn topic_matches(record: &Record, d: &Deadline, topic: &str) -> bool {
    d.topic.as_deref() == Some(topic)
        || record
            .clauses
            .iter()
            .any(|c| c.number == d.clause && c.topics.iter().any(|t| t == topic))
}

pub fn amount(d: &Deadline) -> String {
    match (d.amount, d.unit) {
        (Some(a), Some(u)) => format!("{a} {u}"),
        _ => "-".to_string(),
    }
}

pub fn cells(l: &Line) -> [String; 18] {
    let d = l.deadline;
    let opt = |v: Option<String>| v.unwrap_or_default();
    // An enum's name as JSON spells it, without the quotes.
    let named = |v: Option<String>| opt(v).trim_matches('"').to_string();
    [
        l.path.to_string(),
        l.agreement.clone(),
        opt(l.vendor.map(str::to_string)),
        opt(l.title.map(str::to_string)),
        opt(d.and_then(|d| d.clause.clone())),
        d.map_or("none stated".to_string(), |d| d.kind.to_string()),
        opt(d.and_then(|d| d.amount).map(|a| a.to_string())),
        opt(d.and_then(|d| d.unit).map(|u| u.to_string())),
        opt(d.and_then(|d| d.qualifier).map(|q| q.to_string())),
        opt(d.and_then(|d| d.hours).map(|h| h.to_string())),
        named(
            d.and_then(|d| d.party)
                .and_then(|p| serde_json::to_string(&p).ok()),
        ),
        named(
            d.and_then(|d| d.counterparty)
                .and_then(|c| serde_json::to_string(&c).ok()),
        ),
        named(
            d.and_then(|d| d.action)
                .and_then(|a| serde_json::to_string(&a).ok()),
        ),
        l.controllers_own.to_string(),
        opt(d.and_then(|d| d.topic.clone())),
        opt(d.and_then(|d| d.trigger.clone())),
        opt(d.map(|d| d.text.clone())),
        opt(l.version.map(str::to_string)),
    ]
}
