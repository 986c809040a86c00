//! `aftale topics`: the clause topics, the ids and Danish names that `--topic` and `topic:`
//! accept, and, when there is an index at `--index`, how many clauses of the current versions
//! of its agreements have each. Without an index, just the list.

use serde::Serialize;

use super::{IndexArgs, Out, EXIT_OK};
use crate::analysis::topics::TOPIC_NAMES;
use crate::error::Error;
use crate::index::IndexStore;
use crate::search::topic_counts;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Either form names a topic for `aftale search --topic T` or `topic:T` \
    (any case, with or without æøå). CLAUSES counts the clauses of the current versions of the \
    agreements in the index that have the topic; it is left out when there is no index."
)]
pub(super) struct Args {
    #[command(flatten)]
    index: IndexArgs,
    /// Print JSON Lines, one object per topic: `id`, `name`, `clauses` (null without an index)
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct JsonTopic<'a> {
    id: &'a str,
    name: &'a str,
    clauses: Option<usize>,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    // Counts when there is an index; a missing one only leaves them out.
    let counts = match IndexStore::open(&args.index.index).and_then(|s| topic_counts(&s)) {
        Ok(counts) => Some(counts),
        Err(Error::NoIndex(_)) => None,
        Err(e) => {
            // The list is still right; only the counts cannot be had.
            eprintln!("aftale: {e}; the topics are listed without clause counts");
            None
        }
    };
    let count_of = |id: &str| {
        counts
            .as_ref()
            .and_then(|(c, _)| c.iter().find(|(t, _)| *t == id).map(|(_, n)| *n))
    };
    let mut out = Out::new();
    if args.json {
        for (id, name) in TOPIC_NAMES {
            out.json(&JsonTopic {
                id,
                name,
                clauses: count_of(id),
            })?;
        }
    } else {
        let width = TOPIC_NAMES
            .iter()
            .map(|(id, _)| id.len())
            .max()
            .unwrap_or(0);
        let name_width = TOPIC_NAMES
            .iter()
            .map(|(_, n)| n.chars().count())
            .max()
            .unwrap_or(0);
        if counts.is_some() {
            out.line(format!(
                "{:width$}  {:name_width$}  CLAUSES",
                "ID", "DANISH NAME"
            ))?;
        } else {
            out.line(format!("{:width$}  DANISH NAME", "ID"))?;
        }
        for (id, name) in TOPIC_NAMES {
            let line = match count_of(id) {
                Some(n) => format!("{id:width$}  {name:name_width$}  {n:>7}"),
                None => format!("{id:width$}  {name}"),
            };
            out.line(line)?;
        }
        match &counts {
            Some((_, agreements)) => out.line(format!(
                "{} topics; clauses counted in the current versions of {agreements} agreement{}",
                TOPIC_NAMES.len(),
                if *agreements == 1 { "" } else { "s" }
            ))?,
            None => out.line(format!("{} topics", TOPIC_NAMES.len()))?,
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
