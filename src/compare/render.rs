//! A [`Comparison`] for people: a terminal report (summary first, then each change, colour
//! optional) and a self-contained HTML page (inline style, no scripts, no network resources)
//! with the clauses side by side.
//!
//! Document text is data: the HTML escapes it, and the terminal report drops control
//! characters, so that a document cannot inject markup or escape sequences.

use std::fmt::Write as _;

use html_escape::encode_text;

use super::facts::describe_deadline;

use crate::record::{
    Change, ChangeSide, ClauseSide, ComparedDocument, Comparison, Fact, WordChange,
};

/// Text as it may be printed on a terminal: control characters (escape sequences among
/// them) left out, line breaks kept.
pub fn printable(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

fn one_line(s: &str) -> String {
    printable(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` on one line (control characters dropped, whitespace collapsed), shortened to at most
/// `max` characters with the cut marked `…`.
pub fn clip(s: &str, max: usize) -> String {
    let line = one_line(s);
    if line.chars().count() <= max {
        line
    } else {
        format!(
            "{}…",
            line.chars().take(max.saturating_sub(1)).collect::<String>()
        )
    }
}

/// A long equal run shortened to its ends: the words next to a change are what a reader needs.
fn shorten_equal(text: &str, first: bool, last: bool) -> String {
    const KEEP: usize = 8;
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 2 * KEEP + 2 {
        return text.to_string();
    }
    let head = words[..KEEP].join(" ");
    let tail = words[words.len() - KEEP..].join(" ");
    match (first, last) {
        (true, true) => format!("{head} …"),
        (true, false) => format!("… {tail}"),
        (false, true) => format!("{head} …"),
        (false, false) => format!("{head} … {tail}"),
    }
}

fn document_line(label: &str, d: &ComparedDocument) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &d.version {
        parts.push(format!("version {v}"));
    }
    if let Some(date) = &d.date {
        parts.push(date.clone());
    }
    if let Some(n) = d.index_version {
        parts.push(format!("index version {n}"));
    }
    parts.push(format!("{} clauses", d.clauses));
    parts.push(format!("id {}", d.id.get(..12).unwrap_or(&d.id)));
    format!("{label} {}  ({})", one_line(&d.path), parts.join(", "))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary lines shared by both renderings.
fn summary_lines(c: &Comparison) -> Vec<String> {
    let s = &c.summary;
    let mut clauses = format!(
        "clauses: {} added, {} removed, {} modified, {} moved, {} renumbered",
        s.added, s.removed, s.modified, s.moved, s.renumbered
    );
    if s.split + s.merged > 0 {
        let _ = write!(clauses, ", {} split, {} merged", s.split, s.merged);
    }
    let _ = write!(clauses, ", {} unchanged", s.unchanged);
    let mut facts = format!(
        "facts: {}, {}, {}, {}, {}",
        plural(s.deadlines, "deadline change", "deadline changes"),
        plural(
            s.subprocessors,
            "sub-processor change",
            "sub-processor changes"
        ),
        plural(s.identifiers, "identifier change", "identifier changes"),
        plural(s.topics, "topic change", "topic changes"),
        plural(s.changelog, "change-log entry", "change-log entries"),
    );
    if s.parties > 0 {
        let _ = write!(
            facts,
            ", {}",
            plural(s.parties, "party change", "party changes")
        );
    }
    if s.tables > 0 {
        let _ = write!(
            facts,
            ", {}",
            plural(s.tables, "table change", "table changes")
        );
    }
    if s.review > 0 {
        let _ = write!(
            facts,
            ", {}",
            plural(s.review, "review item changed", "review items changed")
        );
    }
    let mut lines = vec![clauses, facts];
    if c.changes.is_empty() {
        lines.push("no differences".to_string());
    } else {
        lines.push(format!(
            "{} to review (marked !)",
            plural(s.important, "change", "changes")
        ));
    }
    lines
}

fn is_clause_change(c: &Change) -> bool {
    matches!(
        c.kind.as_str(),
        "added" | "removed" | "modified" | "moved" | "renumbered" | "split" | "merged"
    )
}

fn clause_of(side: &Option<ChangeSide>) -> Option<&ClauseSide> {
    match side {
        Some(ChangeSide::Clause(c)) => Some(c),
        _ => None,
    }
}

fn clause_title(c: &ClauseSide) -> String {
    let number = c.number.as_deref().unwrap_or("-");
    match &c.heading {
        Some(h) => format!("{number} {}", one_line(h)),
        None => number.to_string(),
    }
}

/// The terminal report. `colour` adds ANSI colours (red deleted, green inserted, bold marks).
pub fn text(c: &Comparison, colour: bool) -> String {
    let (red, green, bold, reset) = if colour {
        ("\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", document_line("old:", &c.old));
    let _ = writeln!(out, "{}", document_line("new:", &c.new));
    if c.ignore_ocr {
        let _ = writeln!(
            out,
            "(OCR-repaired wording compared; OCR misreadings ignored)"
        );
    }
    for line in summary_lines(c) {
        let _ = writeln!(out, "{bold}{line}{reset}");
    }
    let renumbered: Vec<String> = c
        .changes
        .iter()
        .filter(|ch| ch.kind == "renumbered")
        .filter_map(|ch| {
            let (a, b) = (clause_of(&ch.old)?, clause_of(&ch.new)?);
            Some(format!(
                "{}→{}",
                a.number.as_deref().unwrap_or("-"),
                b.number.as_deref().unwrap_or("-")
            ))
        })
        .collect();
    let clause_changes: Vec<&Change> = c
        .changes
        .iter()
        .filter(|ch| is_clause_change(ch) && ch.kind != "renumbered")
        .collect();
    if !clause_changes.is_empty() || !renumbered.is_empty() {
        let _ = writeln!(out, "\n{bold}Clauses{reset}");
    }
    for ch in clause_changes {
        let mark = if ch.important { "!" } else { " " };
        let sign = match ch.kind.as_str() {
            "added" => "+",
            "removed" => "-",
            "moved" => ">",
            "split" | "merged" => "%",
            _ => "~",
        };
        let title = clause_of(&ch.new)
            .or(clause_of(&ch.old))
            .and_then(|s| s.heading.as_deref())
            .map(|h| format!(" ({})", clip(h, 50)))
            .unwrap_or_default();
        let _ = writeln!(out, "{mark}{sign} {}{title}", one_line(&ch.description));
        for (kinds, old, new) in grouped_facts(&ch.facts) {
            let _ = writeln!(
                out,
                "      {kinds}: {} → {}",
                clip(old.unwrap_or("—"), 60),
                clip(new.unwrap_or("—"), 60)
            );
        }
        match ch.kind.as_str() {
            "added" => {
                if let Some(s) = clause_of(&ch.new).filter(|s| !s.text.is_empty()) {
                    let _ = writeln!(out, "      {green}{}{reset}", clip(&s.text, 300));
                }
            }
            "removed" => {
                if let Some(s) = clause_of(&ch.old).filter(|s| !s.text.is_empty()) {
                    let _ = writeln!(out, "      {red}{}{reset}", clip(&s.text, 300));
                }
            }
            _ if !ch.words.is_empty() => {
                let mut line = String::new();
                let n = ch.words.len();
                for (k, w) in ch.words.iter().enumerate() {
                    let lead = if w.text.starts_with(char::is_whitespace) {
                        " "
                    } else {
                        ""
                    };
                    let text = one_line(&w.text);
                    match w.op.as_str() {
                        "delete" => {
                            let _ = write!(line, "{lead}{red}[-{text}-]{reset}");
                        }
                        "insert" => {
                            let _ = write!(line, "{lead}{green}{{+{text}+}}{reset}");
                        }
                        _ => {
                            let short = shorten_equal(&text, k == 0, k + 1 == n);
                            let _ = write!(line, "{lead}{short}");
                        }
                    }
                }
                let _ = writeln!(out, "      {}", line.trim_start());
            }
            _ => {}
        }
    }
    if !renumbered.is_empty() {
        // A long run (a section inserted early) shows its ends and its length.
        let shown = if renumbered.len() > 10 {
            format!(
                "{}, …, {} ({} clauses)",
                renumbered[..4].join(", "),
                renumbered[renumbered.len() - 2..].join(", "),
                renumbered.len()
            )
        } else {
            renumbered.join(", ")
        };
        let _ = writeln!(out, "  = renumbered, wording unchanged: {shown}");
    }
    let facts: Vec<&Change> = c
        .changes
        .iter()
        .filter(|ch| !is_clause_change(ch))
        .collect();
    if !facts.is_empty() {
        let _ = writeln!(out, "\n{bold}Facts{reset}");
    }
    for ch in facts {
        let mark = if ch.important { "!" } else { " " };
        let _ = writeln!(out, "{mark} {}", one_line(&ch.description));
    }
    out
}

fn esc(s: &str) -> String {
    encode_text(s).into_owned()
}

/// The report's stylesheet.
pub const STYLE: &str = "
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 80em; color: #1d1d1f; padding: 0 1em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #d0d0d0; padding: .35em .6em; vertical-align: top; text-align: left; }
th { background: #f2f2f2; }
.docs td:first-child { width: 5em; font-weight: bold; }
.summary td { text-align: right; min-width: 3em; }
.side { width: 50%; } th.change { width: 14em; }
.num { font-weight: bold; white-space: nowrap; }
.kind { font-size: .8em; text-transform: uppercase; letter-spacing: .04em; color: #555; }
.important { color: #b00020; font-weight: bold; }
del { background: #ffd7d5; color: #8a1010; text-decoration: line-through; }
ins { background: #ccf5d1; color: #0b5a1a; text-decoration: none; }
.removed { background: #fff0ef; } .added { background: #effbf1; }
.empty { background: repeating-linear-gradient(45deg, #fafafa, #fafafa 6px, #f0f0f0 6px, #f0f0f0 12px); }
dl { display: grid; grid-template-columns: max-content auto; gap: .1em .8em; margin: 0; }
dt { color: #555; } dd { margin: 0; }
details summary { cursor: pointer; color: #555; }
.summary { width: auto; } .summary td, .summary th { font-size: .9em; }
";

fn words_html(words: &[WordChange], keep: &str) -> String {
    let mut out = String::new();
    for w in words {
        let lead = if w.text.starts_with(char::is_whitespace) {
            " "
        } else {
            ""
        };
        let text = esc(w.text.trim_start());
        match w.op.as_str() {
            "equal" => {
                let _ = write!(out, "{lead}{text}");
            }
            op if op == keep && op == "delete" => {
                let _ = write!(out, "{lead}<del>{text}</del>");
            }
            op if op == keep && op == "insert" => {
                let _ = write!(out, "{lead}<ins>{text}</ins>");
            }
            _ => {}
        }
    }
    out
}

/// Facts of one change with the same wording on both sides, their kinds joined
/// (`number, unit: uden unødig forsinkelse → senest 48 timer`).
fn grouped_facts(facts: &[Fact]) -> Vec<(String, Option<&str>, Option<&str>)> {
    let mut out: Vec<(String, Option<&str>, Option<&str>)> = Vec::new();
    for f in facts {
        let (old, new) = (f.old.as_deref(), f.new.as_deref());
        match out.iter_mut().find(|(_, o, n)| *o == old && *n == new) {
            Some((kinds, _, _)) => {
                kinds.push_str(", ");
                kinds.push_str(&f.kind);
            }
            None => out.push((f.kind.clone(), old, new)),
        }
    }
    out
}

fn clause_cell(side: Option<&ClauseSide>, body: Option<String>, class: &str) -> String {
    let Some(side) = side else {
        return "<td class=\"side empty\"></td>".to_string();
    };
    let heading = side
        .heading
        .as_deref()
        .map(|h| format!(" {}", esc(h)))
        .unwrap_or_default();
    let body = body.unwrap_or_else(|| esc(&side.text));
    format!(
        "<td class=\"side {class}\"><span class=\"num\">{}</span>{heading}<br>{body}</td>",
        esc(side.number.as_deref().unwrap_or("–"))
    )
}

/// A fact as labelled values, for reading.
fn fact_fields(side: &ChangeSide) -> Vec<(&'static str, String)> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    match side {
        ChangeSide::Clause(c) => vec![("clause", clause_title(c))],
        ChangeSide::Deadline(d) => vec![
            ("deadline", describe_deadline(d)),
            ("clause", opt(&d.clause)),
            ("topic", opt(&d.topic).replace('_', " ")),
            ("wording", clip(&d.text, 200)),
        ],
        ChangeSide::Subprocessor(r) => {
            let mut fields = vec![("name", r.name.clone())];
            if let Some(id) = &r.identifier {
                fields.push(("number", format!("{} {}", id.kind.label(), id.value)));
            }
            fields.push(("country", opt(&r.country)));
            fields.push(("location", opt(&r.location)));
            let outside = match r.third_country {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not stated",
            };
            fields.push(("outside EU/EEA", outside.to_string()));
            if let Some(basis) = &r.transfer_basis {
                fields.push(("transfer basis", basis.clone()));
            }
            fields.push(("service", clip(&opt(&r.description), 200)));
            fields.push(("clause", opt(&r.clause)));
            fields
        }
        ChangeSide::Identifier(i) => vec![
            ("identifier", format!("{} {}", i.kind.label(), i.value)),
            ("clause", opt(&i.clause)),
            ("context", clip(&i.context, 120)),
        ],
        ChangeSide::Topic { topic, clauses } => vec![
            ("topic", topic.replace('_', " ")),
            ("clauses", clauses.join(", ")),
        ],
        ChangeSide::Party(p) => vec![
            ("party", p.role.clone()),
            ("name", opt(&p.name)),
            ("number", opt(&p.identifier)),
        ],
        ChangeSide::Changelog(e) => vec![
            ("version", e.version.clone()),
            ("date", opt(&e.date)),
            ("change", clip(&e.change, 200)),
        ],
        ChangeSide::Review(r) => vec![
            ("item", r.item.replace('_', " ")),
            ("status", r.status.as_str().to_string()),
            ("clauses", r.clauses.join(", ")),
            ("why", clip(&opt(&r.reason), 200)),
        ],
        ChangeSide::TableRows {
            clause,
            header,
            rows,
        } => {
            let mut fields = vec![("clause", opt(clause))];
            if !header.is_empty() {
                fields.push(("header", clip(&header.join(" | "), 200)));
            }
            for row in rows.iter().take(20) {
                fields.push(("row", clip(&row.join(" | "), 200)));
            }
            if rows.len() > 20 {
                fields.push(("rows", format!("{} more", rows.len() - 20)));
            }
            fields
        }
    }
}

fn side_html(side: &Option<ChangeSide>) -> String {
    let Some(side) = side else {
        return "<td class=\"side empty\"></td>".to_string();
    };
    let mut out = String::from("<td class=\"side\"><dl>");
    for (label, value) in fact_fields(side) {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(&value));
    }
    out.push_str("</dl></td>");
    out
}

/// The report's title: `Changes: OLD → NEW`.
fn html_title(c: &Comparison) -> String {
    format!(
        "Changes: {} → {}",
        c.old.title.as_deref().unwrap_or(&c.old.path),
        c.new.title.as_deref().unwrap_or(&c.new.path)
    )
}

/// A self-contained HTML page: summary, facts, then the changed clauses side by side.
pub fn html(c: &Comparison) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"generator\" content=\"aftale diff\">\n<title>{}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        esc(&html_title(c)),
        html_body(c)
    )
}

/// The report's markup inside `<body>` (styled by [`STYLE`]), for a page of another frame.
pub fn html_body(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<h1>{}</h1>", esc(&html_title(c)));
    out.push_str("<table class=\"docs\">\n");
    for (label, d) in [("old", &c.old), ("new", &c.new)] {
        let _ = writeln!(
            out,
            "<tr><td>{label}</td><td>{}</td></tr>",
            esc(&document_line("", d))
        );
    }
    out.push_str("</table>\n");
    if c.ignore_ocr {
        out.push_str("<p>OCR-repaired wording compared; OCR misreadings ignored.</p>\n");
    }
    let s = &c.summary;
    out.push_str("<h2 id=\"summary\">Summary</h2>\n");
    let clause_counts = [
        ("added", s.added),
        ("removed", s.removed),
        ("modified", s.modified),
        ("moved", s.moved),
        ("renumbered", s.renumbered),
        ("split", s.split),
        ("merged", s.merged),
        ("unchanged", s.unchanged),
    ];
    let fact_counts = [
        ("parties", s.parties),
        ("deadlines", s.deadlines),
        ("sub-processors", s.subprocessors),
        ("identifiers", s.identifiers),
        ("topics", s.topics),
        ("change log", s.changelog),
        ("tables", s.tables),
        ("to review", s.important),
    ];
    for (caption, counts) in [("clauses", &clause_counts[..]), ("facts", &fact_counts[..])] {
        let _ = write!(out, "<table class=\"summary\"><tr><th>{caption}</th>");
        for (name, _) in counts {
            let _ = write!(out, "<th>{name}</th>");
        }
        out.push_str("</tr>\n<tr><td></td>");
        for (name, n) in counts {
            let _ = write!(out, "<td data-count=\"{name}\">{n}</td>");
        }
        out.push_str("</tr></table>\n");
    }
    if c.changes.is_empty() {
        out.push_str("<p id=\"no-differences\">No differences.</p>\n");
    }

    let facts: Vec<&Change> = c
        .changes
        .iter()
        .filter(|ch| !is_clause_change(ch))
        .collect();
    if !facts.is_empty() {
        out.push_str(
            "<h2 id=\"facts\">Deadlines, sub-processors, identifiers, topics, tables</h2>\n<table>\n\
             <tr><th class=\"change\">change</th><th class=\"side\">old</th><th class=\"side\">new</th></tr>\n",
        );
        for ch in facts {
            let class = if ch.important {
                " class=\"important\""
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "<tr data-kind=\"{}\"><td><span class=\"kind\">{}</span><br><span{class}>{}</span></td>{}{}</tr>",
                esc(&ch.kind),
                esc(&ch.kind.replace('_', " ")),
                esc(&ch.description),
                side_html(&ch.old),
                side_html(&ch.new)
            );
        }
        out.push_str("</table>\n");
    }

    let clauses: Vec<&Change> = c.changes.iter().filter(|ch| is_clause_change(ch)).collect();
    let any_clause = !clauses.is_empty();
    if any_clause {
        out.push_str(
            "<h2 id=\"clauses\">Clauses</h2>\n<table>\n<tr><th>old</th><th>new</th></tr>\n",
        );
    }
    for ch in clauses {
        let class = if ch.important { " important" } else { "" };
        let mut note = esc(&ch.description);
        for (kinds, old, new) in grouped_facts(&ch.facts) {
            let _ = write!(
                note,
                " · {}: {} → {}",
                esc(&kinds),
                esc(old.unwrap_or("—")),
                esc(new.unwrap_or("—"))
            );
        }
        let _ = writeln!(
            out,
            "<tr data-kind=\"{}\"><td colspan=\"2\"><span class=\"kind{class}\">{}</span> {note}</td></tr>",
            esc(&ch.kind),
            esc(&ch.kind)
        );
        let (old_body, new_body) = if ch.words.is_empty() {
            (None, None)
        } else {
            (
                Some(words_html(&ch.words, "delete")),
                Some(words_html(&ch.words, "insert")),
            )
        };
        let (old_class, new_class) = match ch.kind.as_str() {
            "removed" => ("removed", ""),
            "added" => ("", "added"),
            _ => ("", ""),
        };
        let old_cell = if ch.kind == "merged" {
            parts_cell(&ch.parts, old_body)
        } else {
            clause_cell(clause_of(&ch.old), old_body, old_class)
        };
        let new_cell = if ch.kind == "split" {
            parts_cell(&ch.parts, new_body)
        } else {
            clause_cell(clause_of(&ch.new), new_body, new_class)
        };
        if ch.kind == "renumbered" {
            // Same wording: folded away, one click to see it.
            let _ = writeln!(
                out,
                "<tr><td colspan=\"2\"><details><summary>wording unchanged</summary>\
                 <table><tr>{old_cell}{new_cell}</tr></table></details></td></tr>"
            );
        } else {
            let _ = writeln!(out, "<tr>{old_cell}{new_cell}</tr>");
        }
    }
    if any_clause {
        out.push_str("</table>\n");
    }
    out
}

/// The cell of a split or merged side: every part's number, then the compared wording.
fn parts_cell(parts: &[ClauseSide], body: Option<String>) -> String {
    let numbers: Vec<String> = parts.iter().map(|p| esc(&clause_title(p))).collect();
    let body = body.unwrap_or_else(|| {
        parts
            .iter()
            .map(|p| esc(&p.text))
            .collect::<Vec<_>>()
            .join("<br>")
    });
    format!(
        "<td class=\"side\"><span class=\"num\">{}</span><br>{body}</td>",
        numbers.join(" + ")
    )
}
