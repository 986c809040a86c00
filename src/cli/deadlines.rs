//! `aftale deadlines`: the time limits of all agreements side by side.

use serde::Serialize;

use super::{clip, IndexArgs, Out, EXIT_OK};
use crate::error::Error;
use crate::extract::deadlines::{is_controllers_own, listing_order, listing_rank};
use crate::index::IndexStore;
use crate::record::{Deadline, Record};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every deadline, notice period, retention period, recurring duty and qualitative \
    duty (straks, uden unødig forsinkelse) of the latest version of each agreement, shortest \
    first, with who must act towards whom (BY). With --topic, each agreement's deadlines are \
    listed together, the processor's duty towards the controller first and the controller's own \
    duties (its 72 hours towards the authority) last, marked `controller (own)`; agreements that \
    state no such deadline are listed too, as `none stated`.\n\n\
    Examples:\n  aftale deadlines --topic breach_notification\n  aftale deadlines --csv > deadlines.csv"
)]
pub(super) struct Args {
    #[command(flatten)]
    index: IndexArgs,
    /// Only deadlines in clauses with this topic (breach_notification, subprocessors, audit, …)
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,
    /// Print JSON Lines, one deadline (or one `none stated` agreement) per line
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV with a header row
    #[arg(long)]
    csv: bool,
}

/// One line of output: a deadline of an agreement, or an agreement without one.
#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    title: Option<&'a str>,
    version: Option<&'a str>,
    #[serde(flatten)]
    deadline: Option<&'a Deadline>,
    none_stated: bool,
    /// The controller's own duty (towards the authority or the data subjects), which the
    /// agreement only restates.
    controllers_own: bool,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let store = IndexStore::open(&args.index.index)?;
    let records = store.latest_records()?;
    let mut lines: Vec<Line> = Vec::new();
    // With a topic: one group per agreement, in listing order (the processor's duty towards the
    // controller first), the groups ordered by their first line.
    let mut groups: Vec<Vec<Line>> = Vec::new();
    for record in &records {
        let mut matching: Vec<&Deadline> = record
            .deadlines
            .iter()
            .filter(|d| {
                args.topic
                    .as_ref()
                    .is_none_or(|t| topic_matches(record, d, t))
            })
            .collect();
        if args.topic.is_some() {
            listing_order(&mut matching);
            let mut group: Vec<Line> = matching
                .into_iter()
                .map(|d| line(record, Some(d)))
                .collect();
            if group.is_empty() {
                group.push(line(record, None));
            }
            groups.push(group);
        } else {
            lines.extend(matching.into_iter().map(|d| line(record, Some(d))));
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
    let order = |a: &Line, b: &Line| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0)
            .then(ka.1.cmp(&kb.1))
            .then(ka.2.total_cmp(&kb.2))
            .then(a.path.cmp(b.path))
    };
    if args.topic.is_some() {
        groups.sort_by(|a, b| order(&a[0], &b[0]));
        lines.extend(groups.into_iter().flatten());
    } else {
        lines.sort_by(|a, b| {
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0)
                .then(ka.2.total_cmp(&kb.2))
                .then(a.path.cmp(b.path))
        });
    }
    let mut out = Out::new();
    if args.json {
        for l in &lines {
            out.json(l)?;
        }
    } else if args.csv {
        out.csv(
            [
                "path",
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
            ],
            lines.iter().map(cells),
        )?;
    } else {
        out.line(format!(
            "{:<34} {:<7} {:<15} {:<18} {:<11} {:<28} TEXT",
            "AGREEMENT", "CLAUSE", "KIND", "DEADLINE", "QUALIFIER", "BY"
        ))?;
        for l in &lines {
            let agreement = clip(l.title.unwrap_or(l.path), 34);
            match l.deadline {
                None => out.line(format!("{agreement:<34} {:<7} none stated", "-"))?,
                Some(d) => out.line(format!(
                    "{agreement:<34} {:<7} {:<15} {:<18} {:<11} {:<28} {}",
                    d.clause.as_deref().unwrap_or("-"),
                    d.kind,
                    amount(d),
                    d.qualifier.as_deref().unwrap_or("-"),
                    by(d),
                    clip(&d.text, 60)
                ))?,
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn line<'a>(record: &'a Record, deadline: Option<&'a Deadline>) -> Line<'a> {
    Line {
        path: &record.source.path,
        title: record.title.as_deref(),
        version: record.version.as_deref(),
        deadline,
        none_stated: deadline.is_none(),
        controllers_own: deadline.is_some_and(is_controllers_own),
    }
}

/// Who acts towards whom: `processor → controller`, `controller (own)`, `-`.
fn by(d: &Deadline) -> String {
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
fn topic_matches(record: &Record, d: &Deadline, topic: &str) -> bool {
    d.topic.as_deref() == Some(topic)
        || record
            .clauses
            .iter()
            .any(|c| c.number == d.clause && c.topics.iter().any(|t| t == topic))
}

fn amount(d: &Deadline) -> String {
    match (d.amount, d.unit.as_deref()) {
        (Some(a), Some(u)) => format!("{a} {u}"),
        _ => "-".to_string(),
    }
}

fn cells(l: &Line) -> [String; 15] {
    let d = l.deadline;
    let opt = |v: Option<String>| v.unwrap_or_default();
    [
        l.path.to_string(),
        opt(l.title.map(str::to_string)),
        opt(d.and_then(|d| d.clause.clone())),
        d.map_or("none stated".to_string(), |d| d.kind.clone()),
        opt(d.and_then(|d| d.amount).map(|a| a.to_string())),
        opt(d.and_then(|d| d.unit.clone())),
        opt(d.and_then(|d| d.qualifier.clone())),
        opt(d.and_then(|d| d.hours).map(|h| h.to_string())),
        opt(d
            .and_then(|d| d.party)
            .and_then(|p| serde_json::to_string(&p).ok()))
        .trim_matches('"')
        .to_string(),
        opt(d
            .and_then(|d| d.counterparty)
            .and_then(|c| serde_json::to_string(&c).ok()))
        .trim_matches('"')
        .to_string(),
        opt(d
            .and_then(|d| d.action)
            .and_then(|a| serde_json::to_string(&a).ok()))
        .trim_matches('"')
        .to_string(),
        l.controllers_own.to_string(),
        opt(d.and_then(|d| d.topic.clone())),
        opt(d.and_then(|d| d.trigger.clone())),
        opt(d.map(|d| d.text.clone())),
    ]
}
