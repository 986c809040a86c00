//! `aftale deadlines`: the time limits of all agreements side by side, each agreement named by
//! its vendor (else its file name), as a text table fitted to the terminal, JSON Lines or CSV.
//! `--topic` takes a topic id or its Danish name; an empty answer says what was asked.

use std::collections::HashMap;

use super::{
    agreements_count, asked, fit_table, say_empty, terminal_width, Column, CsvArgs, IndexArgs, Out,
    EXIT_OK,
};
use crate::analysis::topics::topic_from_user;
use crate::error::Error;
use crate::export::deadlines::{amount, by, cells, lines, shown_names, Line, HEADER};
use crate::index::IndexStore;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every deadline, notice period, retention period, recurring duty and qualitative \
    duty (straks, uden unødig forsinkelse) of the latest version of each agreement, shortest \
    first, with who must act towards whom (BY). With --topic (an id or its Danish name, see \
    `aftale topics`), each agreement's deadlines are listed together, the processor's duty \
    towards the controller first and the controller's own duties (its 72 hours towards the \
    authority) last, marked `controller (own)`; agreements that state no such deadline are \
    listed too, as `none stated`. Agreements are named by their vendor, else their file name.\n\n\
    Examples:\n  aftale deadlines --topic breach_notification\n  aftale deadlines --topic \
    sikkerhedsbrud\n  aftale deadlines --csv --csv-sep ';' > deadlines.csv"
)]
pub(super) struct Args {
    #[command(flatten)]
    index: IndexArgs,
    /// Only deadlines in clauses with this topic: an id (breach_notification, subprocessors,
    /// audit, …) or its Danish name
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,
    /// Print JSON Lines, one deadline (or one `none stated` agreement) per line
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    #[command(flatten)]
    csv: CsvArgs,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let topic: Option<&'static str> = match args.topic.as_deref() {
        Some(t) => Some(topic_from_user(t).map_err(Error::Usage)?),
        None => None,
    };
    let store = IndexStore::open(&args.index.index)?;
    let agreements = store.agreements()?;
    let lines = lines(&agreements, topic);
    let machine = args.json || args.csv.csv;
    let mut out = Out::new();
    if args.json {
        for l in &lines {
            out.json(l)?;
        }
    } else if args.csv.csv {
        out.csv_table(&args.csv, HEADER, lines.iter().map(cells))?;
    } else if !lines.is_empty() {
        let shown = shown_names(&agreements);
        let rows: Vec<Vec<String>> = lines.iter().map(|l| text_row(l, &shown)).collect();
        for l in fit_table(&COLUMNS, &rows, terminal_width()) {
            out.line(l)?;
        }
    }
    if lines.is_empty() {
        let what = match (&args.topic, topic) {
            (Some(given), Some(id)) if given != id => {
                format!(
                    " match {} ({id})",
                    asked(&[("--topic", Some(given.clone()))])
                )
            }
            (Some(given), _) => format!(" match {}", asked(&[("--topic", Some(given.clone()))])),
            (None, _) => String::new(),
        };
        say_empty(
            &mut out,
            machine,
            &format!(
                "no deadlines{what} in {}",
                agreements_count(agreements.len())
            ),
        )?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// The text table: the agreement by name, the deadline, who acts, the words.
const COLUMNS: [Column; 7] = [
    Column::text("AGREEMENT", 44, 12),
    Column::fixed("CLAUSE", 7),
    Column::fixed("KIND", 15),
    Column::fixed("DEADLINE", 18),
    Column::fixed("QUALIFIER", 11),
    Column::fixed("BY", 28),
    Column::text("TEXT", 60, 10),
];

fn text_row(l: &Line, shown: &HashMap<&str, String>) -> Vec<String> {
    let name = shown
        .get(l.path)
        .cloned()
        .unwrap_or_else(|| l.agreement.clone());
    match l.deadline {
        None => vec![name, "-".into(), "none stated".into()],
        Some(d) => vec![
            name,
            d.clause.clone().unwrap_or_else(|| "-".into()),
            d.kind.to_string(),
            amount(d),
            d.qualifier.map_or_else(|| "-".into(), |q| q.to_string()),
            by(d),
            d.text.clone(),
        ],
    }
}
