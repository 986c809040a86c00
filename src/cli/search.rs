//! `aftale search [QUERY]`: clauses across all agreements, best first; or, with filters only,
//! the matching clauses in agreement and clause order. An empty answer says what was searched
//! (on stdout, on stderr with `--json`). Text lines fit the terminal.

use std::io::IsTerminal;

use super::{clip, terminal_width, IndexArgs, Out, EXIT_OK};
use crate::error::Error;
use crate::index::IndexStore;
use crate::search::{self, Hit, HitLine, SearchOptions};

#[derive(Debug, clap::Args)]
#[command(after_help = "Query syntax:\n  \
    words          clauses with any of the words rank by how many and how rare (headings count double)\n  \
    \"a phrase\"     the words must stand together\n  \
    -word          leave out clauses with the word (quote the whole query: \"brud -datatilsynet\")\n  \
    topic:T        only clauses with topic T: its id or Danish name, any case (`aftale topics`)\n  \
    vendor:NAME    only agreements with NAME in their vendor, title or path (with or without æøå)\n  \
    lang:da, doc:ID  language, document (the start of a version id, or a part of its path)\n\n\
    Words match with or without æøå (ae/oe/aa), inflected forms, and OCR-damaged text\n\
    (`gældende` finds `geeldende`). Only the current version of each agreement is searched\n\
    unless --all-versions is given; retired agreements never are. One agreement gives at most\n\
    --per-doc hits, so a page may be shorter than --limit.\n\n\
    A query of filters only (`aftale search topic:audit`, `aftale search --vendor NAME`) lists\n\
    the matching clauses by agreement (vendor, else file name) and clause order, unscored:\n\
    no score in the text, `\"score\": null` in JSON. An empty answer says what was searched.\n\n\
    Examples:\n  aftale search \"underretning om sikkerhedsbrud\"\n  aftale search 72 timer topic:breach_notification --json\n  aftale search --topic \"revision og tilsyn\" --per-doc 10")]
pub(super) struct Args {
    /// What to look for (see the syntax below); may be left out when a filter is given
    #[arg(value_name = "QUERY")]
    query: Vec<String>,
    #[command(flatten)]
    index: IndexArgs,
    /// Only clauses with this topic: an id or its Danish name (`aftale topics` lists them)
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,
    /// Only agreements whose vendor, title or path contains NAME
    #[arg(long, value_name = "NAME")]
    vendor: Option<String>,
    /// Only agreements in this language (da, nb, en, …)
    #[arg(long, value_name = "CODE")]
    lang: Option<String>,
    /// Only this document (the start of a version id, or a part of its path)
    #[arg(long, value_name = "ID")]
    doc: Option<String>,
    /// Search every stored version, not only the current one
    #[arg(long)]
    all_versions: bool,
    /// Number of hits (at least 1)
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = at_least_one)]
    limit: usize,
    /// At most this many hits from one agreement (at least 1); the page may stay short
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = at_least_one)]
    per_doc: usize,
    /// Print JSON Lines, one hit per line (`agreement`, `vendor`, `path`, …); an empty answer
    /// prints nothing on stdout and says what was searched on stderr
    #[arg(long)]
    json: bool,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let options = SearchOptions {
        limit: args.limit,
        per_document: args.per_doc,
        all_versions: args.all_versions,
        topic: args.topic,
        vendor: args.vendor,
        language: args.lang,
        document: args.doc,
    };
    let store = IndexStore::open(&args.index.index)?;
    let answer = search::answer(&store, &args.query.join(" "), &options)?;
    let mut out = Out::new();
    if answer.hits.is_empty() {
        let sentence = format!("no clauses found {}", answer.searched);
        if args.json {
            eprintln!("{sentence}");
        } else {
            out.line(sentence)?;
        }
    } else if args.json {
        for hit in &answer.hits {
            out.json(&HitLine::new(hit))?;
        }
    } else {
        let bold = std::io::stdout().is_terminal();
        let width = terminal_width();
        for (rank, hit) in answer.hits.iter().enumerate() {
            out.line(heading_line(rank + 1, hit, width))?;
            let snippet = snippet_line(&hit.snippet, bold, width);
            if !snippet.trim().is_empty() {
                out.line(snippet)?;
            }
            out.line(format!("   {}", hit.path))?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// A count of 1 or more (`--limit`, `--per-doc`): 0 would be an answer that is always empty.
fn at_least_one(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{value:?} is not a number")),
    }
}

/// The first line of a hit: rank, agreement, clause number and heading, page and score
/// (none for a listing). Within `width` when it is given: the heading gives way first, then
/// the agreement's name.
fn heading_line(rank: usize, hit: &Hit, width: Option<usize>) -> String {
    let page = hit.page.map(|p| format!(", p. {p}")).unwrap_or_default();
    let score = hit.score.map(|s| format!("  [{s:.1}]")).unwrap_or_default();
    let clause = hit.clause.as_deref().unwrap_or("-");
    // `clip` with no limit: the heading on one line.
    let heading = hit.heading.as_deref().map(|h| clip(h, usize::MAX));
    let Some(width) = width else {
        let heading = heading
            .map(|h| format!(" {}", clip(&h, 50)))
            .unwrap_or_default();
        return format!(
            "{rank}. {} — {clause}{heading}{page}{score}",
            clip(&hit.agreement, 40)
        );
    };
    let agreement = clip(&hit.agreement, 40);
    let fixed = |agreement: &str| format!("{rank}. {agreement} — {clause}");
    let used = fixed(&agreement).chars().count() + page.chars().count() + score.chars().count();
    let heading = match heading {
        Some(h) if used + 1 + h.chars().count() <= width => format!(" {h}"),
        // Room for a few letters of the heading at least.
        Some(h) if used + 7 <= width => format!(" {}", clip(&h, width - used - 1)),
        _ => String::new(),
    };
    let line = format!("{}{heading}{page}{score}", fixed(&agreement));
    if line.chars().count() <= width {
        return line;
    }
    // Not even the agreement fits: shorten it, keeping the clause number.
    let rest = used - agreement.chars().count();
    let room = width.saturating_sub(rest).max(4);
    format!("{}{page}{score}", fixed(&clip(&hit.agreement, room)))
}

/// The snippet line: indented, the matching words bold on a terminal (else unmarked), within
/// `width` visible characters when it is given.
fn snippet_line(snippet: &str, bold: bool, width: Option<usize>) -> String {
    const INDENT: &str = "   ";
    let room = width.map(|w| w.saturating_sub(INDENT.len()).max(10));
    let mut out = String::from(INDENT);
    let mut shown = 0usize;
    let mut in_bold = false;
    let mut rest = snippet;
    let total: usize = snippet
        .replace("<b>", "")
        .replace("</b>", "")
        .chars()
        .count();
    let cut = room.filter(|&r| total > r).map(|r| r - 1);
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<b>") {
            in_bold = true;
            if bold {
                out.push_str("\x1b[1m");
            }
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix("</b>") {
            in_bold = false;
            if bold {
                out.push_str("\x1b[0m");
            }
            rest = after;
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else {
            break;
        };
        if cut.is_some_and(|cut| shown >= cut) {
            break;
        }
        out.push(c);
        shown += 1;
        rest = chars.as_str();
    }
    if cut.is_some() {
        if in_bold && bold {
            out.push_str("\x1b[0m");
        }
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(agreement: &str, heading: Option<&str>, score: Option<f32>) -> Hit {
        Hit {
            agreement: agreement.into(),
            path: "corpus/a.txt".into(),
            doc: "abc".into(),
            title: None,
            vendor: None,
            version: 1,
            doc_version: None,
            clause: Some("11.2".into()),
            heading: heading.map(str::to_string),
            page: Some(1),
            topics: Vec::new(),
            score,
            snippet: String::new(),
        }
    }

    #[test]
    fn heading_lines_fit_the_width_and_a_listing_has_no_score() {
        let h = hit(
            "Leverandør A/S",
            Some("Sikkerhedsbrud og underretning"),
            Some(15.46),
        );
        assert_eq!(
            heading_line(1, &h, None),
            "1. Leverandør A/S — 11.2 Sikkerhedsbrud og underretning, p. 1  [15.5]"
        );
        let narrow = heading_line(1, &h, Some(45));
        assert!(narrow.chars().count() <= 45, "{narrow}");
        assert!(narrow.starts_with("1. Leverandør A/S — 11.2 Sikke") && narrow.ends_with("[15.5]"));
        let tiny = heading_line(12, &hit(&"Navn ".repeat(20), None, Some(1.0)), Some(40));
        assert!(
            tiny.chars().count() <= 40 && tiny.contains("— 11.2"),
            "{tiny}"
        );
        let listed = heading_line(2, &hit("x.txt", None, None), None);
        assert_eq!(listed, "2. x.txt — 11.2, p. 1");
    }

    #[test]
    fn counts_are_one_or_more() {
        assert_eq!(at_least_one("3"), Ok(3));
        assert!(at_least_one("0").is_err() && at_least_one("-1").is_err());
    }

    #[test]
    fn snippet_lines_are_clipped_by_visible_letters_and_close_bold() {
        let s = "uden <b>unødig</b> forsinkelse og senest 24 timer";
        assert_eq!(
            snippet_line(s, false, None),
            "   uden unødig forsinkelse og senest 24 timer"
        );
        assert_eq!(snippet_line(s, false, Some(20)), "   uden unødig fors…");
        let clipped = snippet_line("<b>underretning</b> om brud", true, Some(13));
        assert_eq!(clipped, "   \x1b[1munderretn\x1b[0m…");
    }
}
