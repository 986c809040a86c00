//! `aftale show DOC`: one agreement from the index, read from its stored record (the file is
//! not read again): its name and parties, identifiers, printed version and date, how far its
//! text can be trusted, its pages, its key deadlines (breach notification first), its
//! sub-processors, its change log and the versions the index holds. `--json` gives the same as
//! one object.

use serde::Serialize;

use super::{fit_table, terminal_width, Column, IndexArgs, Out, EXIT_OK};
use crate::error::Error;
use crate::export::deadlines::{amount, by, key_deadlines, topic_matches};
use crate::index::{IndexStore, StoredDocument};
use crate::record::{
    ChangelogEntry, Deadline, DeadlineKind, Identifier, Parties, Party, Quality, Record,
    Subprocessor, SubprocessorSource,
};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "DOC is the document's path (now or when imported), the end of its path, its \
    key, the start of a version's id (that version is shown) or its vendor's name, as `aftale \
    docs` lists them.\n\n\
    Examples:\n  aftale show corpus/002_57dfb51f510d3c48.txt\n  aftale show 12c09935 --json"
)]
pub(super) struct Args {
    /// The document: a path, the end of one, a key, a version id (its start) or a vendor name
    #[arg(value_name = "DOC")]
    doc: String,
    #[command(flatten)]
    index: IndexArgs,
    /// Print one JSON object: the stored document with its versions and the record's summary
    #[arg(long)]
    json: bool,
}

/// What `show --json` prints.
#[derive(Serialize)]
struct Shown<'a> {
    /// The document as the index keeps it: key, current path, every version, retired.
    document: &'a StoredDocument,
    /// The id of the version shown (the current one unless DOC named another).
    shown: &'a str,
    current: bool,
    /// The vendor, else the file name.
    name: String,
    vendor: Option<&'a str>,
    title: Option<&'a str>,
    parties: &'a Parties,
    identifiers: &'a [Identifier],
    /// The version and date printed in the agreement.
    version: Option<&'a str>,
    date: Option<&'a str>,
    quality: Option<&'a Quality>,
    pages: Pages,
    /// The deadlines, breach notification first (in listing order), then the others.
    deadlines: Vec<&'a Deadline>,
    subprocessors: &'a [Subprocessor],
    subprocessor_source: Option<&'a SubprocessorSource>,
    changelog: &'a [ChangelogEntry],
    warnings: &'a [String],
}

#[derive(Serialize)]
struct Pages {
    count: u32,
    /// Pages whose text was recognised by OCR.
    ocr: usize,
}

pub(super) fn run(args: Args) -> Result<i32, Error> {
    let store = IndexStore::open(&args.index.index)?;
    let (document, version, record) = store.find_record(&args.doc)?;
    let current = document.current().is_some_and(|c| c.id == version.id);
    let name = record
        .vendor
        .clone()
        .unwrap_or_else(|| crate::index::file_name(&document.path));
    let shown = Shown {
        document: &document,
        shown: &version.id,
        current,
        name,
        vendor: record.vendor.as_deref(),
        title: record.title.as_deref(),
        parties: &record.parties,
        identifiers: &record.identifiers,
        version: record.version.as_deref(),
        date: record.date.as_deref(),
        quality: record.quality.as_ref(),
        pages: Pages {
            count: record.source.pages,
            ocr: record.pages.iter().filter(|p| p.source == "ocr").count(),
        },
        deadlines: key_deadlines(&record),
        subprocessors: &record.subprocessors,
        subprocessor_source: record.subprocessor_source.as_ref(),
        changelog: &record.changelog,
        warnings: &record.warnings,
    };
    let mut out = Out::new();
    if args.json {
        out.json(&shown)?;
    } else {
        for line in text(&shown, &record) {
            out.line(line)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// The text view: a heading line, then `label  value` lines and short sections.
fn text(s: &Shown, record: &Record) -> Vec<String> {
    let mut lines = Vec::new();
    let title = s.title.map(|t| format!(" — {t}")).unwrap_or_default();
    lines.push(format!("{}{title}", s.name));
    let width = terminal_width();
    // A `label  value` line; the value clipped to fit a terminal.
    let field = |label: &str, value: String| match width {
        Some(w) => format!(
            "{label:<14}{}",
            super::clip(&value, w.saturating_sub(14).max(10))
        ),
        None => format!("{label:<14}{value}"),
    };
    lines.push(field("path", s.document.path.clone()));
    if let Some(retired) = s.document.retired {
        lines.push(field(
            "retired",
            format!("{} (out of every answer)", utc(retired)),
        ));
    }
    lines.push(field("controller", party(s.parties.controller.as_ref())));
    lines.push(field("processor", party(s.parties.processor.as_ref())));
    let printed = match (s.version, s.date) {
        (Some(v), Some(d)) => format!("version {v}, dated {d}"),
        (Some(v), None) => format!("version {v}, no date"),
        (None, Some(d)) => format!("no version, dated {d}"),
        (None, None) => "no version or date".to_string(),
    };
    lines.push(field("printed", printed));
    let quality = match s.quality {
        Some(q) if q.reasons.is_empty() => q.flag.clone(),
        Some(q) => format!("{}: {}", q.flag, q.reasons.join("; ")),
        None => "-".to_string(),
    };
    lines.push(field("quality", quality));
    lines.push(field(
        "pages",
        format!("{}, {} read by OCR", s.pages.count, s.pages.ocr),
    ));
    let ids: Vec<String> = s
        .identifiers
        .iter()
        .map(|i| {
            format!(
                "{} {}{}",
                i.kind.label(),
                i.value,
                if i.valid { "" } else { " (fails its check)" }
            )
        })
        .collect();
    lines.push(field(
        "identifiers",
        if ids.is_empty() {
            "-".to_string()
        } else {
            ids.join(", ")
        },
    ));

    lines.push(format!("deadlines ({})", s.deadlines.len()));
    let breach: Vec<&&Deadline> = s
        .deadlines
        .iter()
        .filter(|d| topic_matches(record, d, "breach_notification"))
        .collect();
    if breach.is_empty() {
        lines.push("  breach notification: none stated".to_string());
    }
    // The breach notice with its words, the others briefly.
    let rows: Vec<Vec<String>> = s
        .deadlines
        .iter()
        .map(|d| {
            let what = match d.kind {
                DeadlineKind::Deadline
                | DeadlineKind::Notice
                | DeadlineKind::Retention
                | DeadlineKind::Frequency => {
                    let q = d.qualifier.map(|q| format!("{q} ")).unwrap_or_default();
                    format!("{} {q}{}", d.kind, amount(d))
                }
                DeadlineKind::Immediately
                | DeadlineKind::Promptly
                | DeadlineKind::UndueDelay
                | DeadlineKind::ReasonableTime => d.kind.to_string(),
            };
            let words = if breach.iter().any(|b| std::ptr::eq(**b, *d)) {
                d.text.clone()
            } else {
                String::new()
            };
            vec![
                String::new(),
                d.clause.clone().unwrap_or_else(|| "-".into()),
                d.topic.clone().unwrap_or_else(|| "-".into()),
                what,
                by(d),
                words,
            ]
        })
        .collect();
    if !rows.is_empty() {
        lines.extend(fit_table(&DEADLINES, &rows, width).into_iter().skip(1));
    }

    lines.push(format!("sub-processors ({})", s.subprocessors.len()));
    if let Some(source) = s.subprocessor_source {
        lines.push(format!(
            "  listed elsewhere ({}): {}",
            source.kind,
            source.url.as_deref().unwrap_or(&source.text)
        ));
    }
    if !s.subprocessors.is_empty() {
        let rows: Vec<Vec<String>> = s
            .subprocessors
            .iter()
            .map(|p| {
                vec![
                    String::new(),
                    p.name.clone(),
                    p.identifier
                        .as_ref()
                        .map_or_else(|| "-".to_string(), |i| i.value.clone()),
                    p.country.clone().unwrap_or_else(|| "-".into()),
                    match p.third_country {
                        Some(true) => "yes",
                        Some(false) => "no",
                        None => "-",
                    }
                    .to_string(),
                    p.location
                        .clone()
                        .or_else(|| p.address.clone())
                        .unwrap_or_else(|| "-".into()),
                ]
            })
            .collect();
        lines.extend(fit_table(&SUBPROCESSORS, &rows, width));
    }

    lines.push(format!("change log ({})", s.changelog.len()));
    let rows: Vec<Vec<String>> = s
        .changelog
        .iter()
        .map(|c| {
            vec![
                String::new(),
                c.version.clone(),
                c.date.clone().unwrap_or_else(|| "-".into()),
                c.change.clone(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        lines.extend(fit_table(&CHANGELOG, &rows, width).into_iter().skip(1));
    }

    lines.push(format!(
        "versions in the index ({})",
        s.document.versions.len()
    ));
    let current_id = s.document.current().map(|v| v.id.as_str());
    for v in &s.document.versions {
        let mut marks = Vec::new();
        if Some(v.id.as_str()) == current_id {
            marks.push("current");
        }
        if v.id == s.shown && !s.current {
            marks.push("shown");
        }
        lines.push(format!(
            "  v{:<3} {}  {}  printed {:<6} {}",
            v.version,
            v.id.get(..12).unwrap_or(&v.id),
            utc(v.ingested),
            v.doc_version.as_deref().unwrap_or("-"),
            if marks.is_empty() {
                String::new()
            } else {
                format!("({})", marks.join(", "))
            }
        ));
    }
    lines.iter().map(|l| l.trim_end().to_string()).collect()
}

/// The deadlines (no heading line), indented by an empty first column.
const DEADLINES: [Column; 6] = [
    Column::fixed("", 1),
    Column::fixed("", 7),
    Column::fixed("", 22),
    Column::fixed("", 36),
    Column::fixed("", 28),
    Column::text("", 60, 10),
];

/// The change log (no heading line).
const CHANGELOG: [Column; 4] = [
    Column::fixed("", 1),
    Column::fixed("", 8),
    Column::fixed("", 10),
    Column::text("", 80, 10),
];

/// The sub-processor table, indented by an empty first column.
const SUBPROCESSORS: [Column; 6] = [
    Column::fixed("", 1),
    Column::text("NAME", 40, 12),
    Column::fixed("ID", 16),
    Column::fixed("CC", 3),
    Column::fixed("3RD", 4),
    Column::text("LOCATION", 40, 8),
];

/// A party as `name (CVR 12345678)`, `-` when not named.
fn party(p: Option<&Party>) -> String {
    let Some(p) = p else {
        return "-".to_string();
    };
    let name = p.name.as_deref().unwrap_or("(not named)");
    let id = match (&p.identifier, &p.identifier_kind) {
        (Some(id), Some(kind)) => format!(" ({} {id})", kind.label()),
        (Some(id), None) => format!(" ({id})"),
        _ => String::new(),
    };
    let placeholder = if p.placeholder {
        " [template field not filled in]"
    } else {
        ""
    };
    format!("{name}{id}{placeholder}")
}

/// Unix seconds as `YYYY-MM-DD HH:MM UTC`.
fn utc(seconds: u64) -> String {
    format!("{} UTC", crate::index::utc_minute(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_as_utc() {
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc(1_709_251_199), "2024-02-29 23:59 UTC");
        assert_eq!(utc(1_798_761_600 + 3_661), "2027-01-01 01:01 UTC");
    }
}
