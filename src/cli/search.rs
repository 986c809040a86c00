//! `aftale search QUERY`: clauses across all agreements, best first.

use std::io::IsTerminal;

use serde::Serialize;

use super::{clip, IndexArgs, Out, EXIT_OK};
use crate::error::Error;
use crate::index::IndexStore;
use crate::search::{self, Hit, SearchOptions};

#[derive(Debug, clap::Args)]
#[command(after_help = "Query syntax:\n  \
    words          clauses with any of the words rank by how many and how rare (headings count double)\n  \
    \"a phrase\"     the words must stand together\n  \
        -word          leave out clauses with the word (quote the whole query: \"brud -datatilsynet\")\n  \
    topic:T        only clauses with topic T (breach_notification, subprocessors, audit, …)\n  \
    vendor:NAME    only agreements with NAME in their vendor, title or path\n  \
    lang:da, doc:ID  language, document id (or a part of its path)\n\n\
    Words match with or without æøå (ae/oe/aa), inflected forms, and OCR-damaged text\n\
    (`gældende` finds `geeldende`). Only the latest version of each agreement is searched\n\
    unless --all-versions is given.\n\n\
    Examples:\n  aftale search \"underretning om sikkerhedsbrud\"\n  aftale search 72 timer topic:breach_notification --json")]
pub(super) struct Args {
    /// What to look for (see the syntax below)
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
    #[command(flatten)]
    index: IndexArgs,
    /// Only clauses with this topic
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,
    /// Only agreements whose vendor, title or path contains NAME
    #[arg(long, value_name = "NAME")]
    vendor: Option<String>,
    /// Only agreements in this language (da, nb, en, …)
    #[arg(long, value_name = "CODE")]
    lang: Option<String>,
    /// Only this document (id or a part of its path)
    #[arg(long, value_name = "ID")]
    doc: Option<String>,
    /// Search every stored version, not only the latest
    #[arg(long)]
    all_versions: bool,
    /// Number of hits
    #[arg(long, default_value_t = 10, value_name = "N")]
    limit: usize,
    /// At most this many hits from one agreement
    #[arg(long, default_value_t = 3, value_name = "N")]
    per_doc: usize,
    /// Print JSON Lines, one hit per line
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    hit: &'a Hit,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let store = IndexStore::open(&args.index.index)?;
    let options = SearchOptions {
        limit: args.limit.max(1),
        per_document: args.per_doc.max(1),
        all_versions: args.all_versions,
        topic: args.topic,
        vendor: args.vendor,
        language: args.lang,
        document: args.doc,
    };
    let hits = search::search(&store, &args.query.join(" "), &options)?;
    let mut out = Out::new();
    if args.json {
        for hit in &hits {
            out.json(&JsonHit { kind: "hit", hit })?;
        }
    } else {
        let bold = std::io::stdout().is_terminal();
        for (rank, h) in hits.iter().enumerate() {
            let agreement = h
                .vendor
                .as_deref()
                .or(h.title.as_deref())
                .unwrap_or(&h.path);
            let page = h.page.map(|p| format!(", p. {p}")).unwrap_or_default();
            out.line(format!(
                "{}. {} — {}{}{page}  [{:.1}]",
                rank + 1,
                clip(agreement, 40),
                h.clause.as_deref().unwrap_or("-"),
                h.heading
                    .as_deref()
                    .map(|x| format!(" {}", clip(x, 50)))
                    .unwrap_or_default(),
                h.score
            ))?;
            let snippet = if bold {
                h.snippet
                    .replace("<b>", "\x1b[1m")
                    .replace("</b>", "\x1b[0m")
            } else {
                h.snippet.replace("<b>", "").replace("</b>", "")
            };
            if !snippet.is_empty() {
                out.line(format!("   {snippet}"))?;
            }
            out.line(format!("   {}", h.path))?;
        }
        if hits.is_empty() {
            out.line("no clauses found")?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
