//! `aftale deadlines`: the time limits of all agreements side by side.

use serde::Serialize;

use super::{clip, IndexArgs, Out, EXIT_OK};
use crate::error::Error;
use crate::index::IndexStore;
use crate::record::{Deadline, Record};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every deadline, notice period, recurring duty and qualitative duty (straks, uden \
    unødig forsinkelse) of the latest version of each agreement, shortest first. With --topic, \
    agreements that state no such deadline are listed too, as `none stated`.\n\n\
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
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let store = IndexStore::open(&args.index.index)?;
    let records = store.latest_records()?;
    let mut lines: Vec<Line> = Vec::new();
    for record in &records {
        let matching: Vec<&Deadline> = record
            .deadlines
            .iter()
            .filter(|d| {
                args.topic
                    .as_ref()
                    .is_none_or(|t| topic_matches(record, d, t))
            })
            .collect();
        if matching.is_empty() && args.topic.is_some() {
            lines.push(line(record, None));
        }
        lines.extend(matching.into_iter().map(|d| line(record, Some(d))));
    }
    // Shortest first; qualitative duties (no hours) after the numbered ones, agreements without
    // any at the end.
    lines.sort_by(|a, b| {
        let key = |l: &Line| {
            (
                l.none_stated,
                l.deadline.and_then(|d| d.hours).unwrap_or(f64::INFINITY),
            )
        };
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then(a.path.cmp(b.path))
    });
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
                "topic",
                "trigger",
                "text",
            ],
            lines.iter().map(cells),
        )?;
    } else {
        out.line(format!(
            "{:<34} {:<7} {:<15} {:<18} {:<10} TEXT",
            "AGREEMENT", "CLAUSE", "KIND", "DEADLINE", "QUALIFIER"
        ))?;
        for l in &lines {
            let agreement = clip(l.title.unwrap_or(l.path), 34);
            match l.deadline {
                None => out.line(format!("{agreement:<34} {:<7} none stated", "-"))?,
                Some(d) => out.line(format!(
                    "{agreement:<34} {:<7} {:<15} {:<18} {:<10} {}",
                    d.clause.as_deref().unwrap_or("-"),
                    d.kind,
                    amount(d),
                    d.qualifier.as_deref().unwrap_or("-"),
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

fn cells(l: &Line) -> [String; 11] {
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
        opt(d.and_then(|d| d.topic.clone())),
        opt(d.and_then(|d| d.trigger.clone())),
        opt(d.map(|d| d.text.clone())),
    ]
}
