//! Records as a data set: the JSON Lines that `aftale extract --jsonl` writes and `aftale index
//! --from-jsonl` (and any engine: Spark, DuckDB, pandas) reads.
//!
//! One line per input file, in input order, nothing dropped:
//!
//! - `status: "ok"`: the file's [`Record`] (every field of `aftale extract --json`, at the top
//!   level), plus `path` (as given), `location` (canonical, the key `ingest` gives the
//!   document) and `derived`: the per-document facts that cross-agreement tables group and pivot
//!   by, computed here so that an engine without our Danish knowledge needs none ([`Derived`]);
//! - `status: "failed"` or `"skipped"`: `path`, `location`, `reason` (and `id` when the bytes
//!   were read);
//! - `status: "interrupted"`: `path` of an input not read because the run was stopped.
//!
//! [`extract_lines`] reads files in parallel (the same readers, PDF worker pool and OCR as
//! `ingest`) and hands each line over in input order; [`parse_line`] reads a line back.

use std::collections::BTreeMap;
use std::sync::mpsc;

use serde::{Deserialize, Serialize};

use crate::analysis::names::name_key;
use crate::extract::deadlines::is_controllers_own;
use crate::ingest::{document_key, read_input, Input, InputRead};
use crate::record::{KeyTerms, Record, ReviewStatus};
use crate::register;
use crate::review::{self, playbook::Playbook};
use crate::source::ReadOptions;

/// What became of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineStatus {
    Ok,
    Failed,
    Skipped,
    Interrupted,
}

/// Per-document facts for cross-agreement analytics, aligned with the record's lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Derived {
    /// One per `subprocessors` row, in the same order.
    pub subprocessors: Vec<DerivedRow>,
    /// One per `deadlines` entry, in the same order.
    pub deadlines: Vec<DerivedDeadline>,
    /// The art. 28 review with the default playbook (as `aftale review --json`, without the
    /// document, which is this line).
    pub review: DerivedReview,
}

/// What the register needs of a sub-processor row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedRow {
    /// The register's grouping key: `id:` and the registration number, else `name:` and the
    /// folded name ([`register::group_key`]).
    pub group: String,
    /// The name folded as the register compares names ([`name_key`]).
    pub name_key: String,
    /// How reports name the identifier's kind (`CVR`), when the row has one.
    pub id_label: Option<String>,
    /// The name says the company is bankrupt (`Konkurs`).
    pub bankrupt: bool,
}

/// What the deadlines table needs beyond the deadline itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedDeadline {
    /// The controller's own duty (towards the authority or the data subjects), which the
    /// agreement only restates.
    pub controllers_own: bool,
}

/// The review matrix's cells for one agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedReview {
    pub playbook: String,
    pub items: Vec<DerivedItem>,
    pub key_terms: KeyTerms,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedItem {
    pub id: String,
    pub status: ReviewStatus,
    pub clauses: Vec<String>,
    pub reason: Option<String>,
}

/// The derived facts of a record.
pub fn derive(record: &Record, playbook: &Playbook) -> Derived {
    let review = review::review(record, playbook);
    Derived {
        subprocessors: record
            .subprocessors
            .iter()
            .map(|row| DerivedRow {
                group: register::group_key(row),
                name_key: name_key(&row.name),
                id_label: row.identifier.as_ref().map(|i| i.kind.label().to_string()),
                bankrupt: register::says_bankrupt(&row.name),
            })
            .collect(),
        deadlines: record
            .deadlines
            .iter()
            .map(|d| DerivedDeadline {
                controllers_own: is_controllers_own(d),
            })
            .collect(),
        review: DerivedReview {
            playbook: review.playbook,
            items: review
                .items
                .into_iter()
                .map(|i| DerivedItem {
                    id: i.id,
                    status: i.status,
                    clauses: i.clauses,
                    reason: i.reason,
                })
                .collect(),
            key_terms: review.key_terms,
        },
    }
}

/// A line as written.
#[derive(Serialize)]
struct OkLine<'a> {
    status: LineStatus,
    path: &'a str,
    location: &'a str,
    #[serde(flatten)]
    record: &'a Record,
    derived: &'a Derived,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OtherLine {
    status: LineStatus,
    path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// The line of a record read from `path`.
pub fn ok_line(path: &str, location: &str, record: &Record, playbook: &Playbook) -> String {
    let derived = derive(record, playbook);
    let line = OkLine {
        status: LineStatus::Ok,
        path,
        location,
        record,
        derived: &derived,
    };
    serde_json::to_string(&line).unwrap_or_else(|e| {
        other_line(
            LineStatus::Failed,
            path,
            Some(location),
            Some(&record.id),
            Some(&format!("cannot write the record as JSON: {e}")),
        )
    })
}

/// The line of an input that has no record.
pub fn other_line(
    status: LineStatus,
    path: &str,
    location: Option<&str>,
    id: Option<&str>,
    reason: Option<&str>,
) -> String {
    let line = OtherLine {
        status,
        path: path.to_string(),
        location: location.map(str::to_string),
        id: id.map(str::to_string),
        reason: reason.map(str::to_string),
    };
    // Strings only: this cannot fail.
    serde_json::to_string(&line).unwrap_or_default()
}

/// One line read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Ok {
        path: String,
        /// The document's key: `location`, else `path`.
        location: String,
        record: Box<Record>,
    },
    /// A failed, skipped or interrupted input, as the line says.
    Other {
        status: LineStatus,
        path: String,
        id: Option<String>,
        reason: Option<String>,
    },
}

/// Read one line of the data set: a record (the `derived` part, which can be computed again,
/// is not kept) or an input that has none. The error says what is wrong with the line.
pub fn parse_line(line: &str) -> Result<Parsed, String> {
    let mut value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let object = value
        .as_object_mut()
        .ok_or_else(|| "not a JSON object".to_string())?;
    let status: LineStatus = match object.remove("status") {
        Some(s) => serde_json::from_value(s).map_err(|e| format!("bad status: {e}"))?,
        None => return Err("no status".into()),
    };
    let text = |object: &mut serde_json::Map<String, serde_json::Value>, key: &str| {
        object
            .remove(key)
            .and_then(|v| v.as_str().map(str::to_string))
    };
    let path = text(object, "path").ok_or_else(|| "no path".to_string())?;
    let location = text(object, "location");
    if status != LineStatus::Ok {
        return Ok(Parsed::Other {
            status,
            path,
            id: text(object, "id"),
            reason: text(object, "reason"),
        });
    }
    object.remove("derived");
    let record: Record = serde_json::from_value(value).map_err(|e| format!("not a record: {e}"))?;
    Ok(Parsed::Ok {
        location: location.unwrap_or_else(|| path.clone()),
        path,
        record: Box::new(record),
    })
}

/// Options of [`extract_lines`].
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    pub read: ReadOptions,
    /// Worker threads; `None` for one per core.
    pub jobs: Option<usize>,
}

/// Counts of a run of [`extract_lines`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExtractSummary {
    pub inputs: usize,
    pub ok: usize,
    pub failed: usize,
    pub skipped: usize,
    pub interrupted: usize,
}

/// How far reading may run ahead of the oldest line not yet handed over: lines finished early
/// wait in memory for it, so this bounds that memory whatever one slow document (OCR) takes.
pub const READ_AHEAD: usize = 256;

/// Read every input (in parallel) into its line, handing the lines to `emit` in input order as
/// they become ready. Workers take inputs in order, never more than [`READ_AHEAD`] past the
/// oldest line still to hand over. An interrupt ([`crate::interrupt`]) stops new reads; the
/// inputs not read get `interrupted` lines. `emit` returning an error (a closed pipe) stops the
/// run.
pub fn extract_lines(
    inputs: Vec<Input>,
    options: &ExtractOptions,
    mut emit: impl FnMut(&str) -> crate::error::Result<()>,
) -> crate::error::Result<ExtractSummary> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let jobs = options
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let playbook = Playbook::default_playbook();
    let mut summary = ExtractSummary::default();
    let (tx, rx) = mpsc::channel::<(usize, LineStatus, String)>();
    let next_input = AtomicUsize::new(0);
    let handed_over = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let inputs = &inputs;
    std::thread::scope(|scope| -> crate::error::Result<()> {
        for k in 0..jobs {
            let tx = tx.clone();
            let (next_input, handed_over, stop) = (&next_input, &handed_over, &stop);
            let (read, playbook) = (&options.read, &playbook);
            std::thread::Builder::new()
                .name(format!("aftale-extract-{k}"))
                .spawn_scoped(scope, move || loop {
                    let n = next_input.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = inputs.get(n) else { break };
                    while n >= handed_over.load(Ordering::Relaxed) + READ_AHEAD
                        && !stop.load(Ordering::Relaxed)
                    {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let (status, line) = line_of(input, read, playbook);
                    if tx.send((n, status, line)).is_err() {
                        break;
                    }
                })
                .map_err(|e| {
                    crate::error::Error::Usage(format!("cannot start worker threads: {e}"))
                })?;
        }
        drop(tx);
        // Lines finished out of order wait here for their predecessors.
        let mut waiting: BTreeMap<usize, (LineStatus, String)> = BTreeMap::new();
        let mut next = 0usize;
        for (n, status, line) in rx.iter() {
            waiting.insert(n, (status, line));
            while let Some((status, line)) = waiting.remove(&next) {
                next += 1;
                handed_over.store(next, Ordering::Relaxed);
                summary.inputs += 1;
                match status {
                    LineStatus::Ok => summary.ok += 1,
                    LineStatus::Failed => summary.failed += 1,
                    LineStatus::Skipped => summary.skipped += 1,
                    LineStatus::Interrupted => summary.interrupted += 1,
                }
                if let Err(e) = emit(&line) {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(())
    })?;
    Ok(summary)
}

/// Read one input into its line.
fn line_of(input: &Input, read: &ReadOptions, playbook: &Playbook) -> (LineStatus, String) {
    let path = input.path.display().to_string();
    let location = document_key(&input.path);
    let other = |status, id: Option<&str>, reason: Option<&str>| {
        (
            status,
            other_line(status, &path, Some(&location), id, reason),
        )
    };
    match read_input(input, read, |_| true) {
        InputRead::Skipped(reason) => other(LineStatus::Skipped, None, Some(&reason)),
        InputRead::Failed { reason, id } => other(LineStatus::Failed, id.as_deref(), Some(&reason)),
        InputRead::Interrupted => other(LineStatus::Interrupted, None, None),
        InputRead::Read {
            record: Some(record),
            ..
        } => (LineStatus::Ok, ok_line(&path, &location, &record, playbook)),
        // Every content is analysed here.
        InputRead::Read { id, record: None } => other(
            LineStatus::Failed,
            Some(&id),
            Some("read without its record"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        let text = "1. Formål\nDatabehandleren behandler personoplysninger.\n\n\
                    2. Brud\nDatabehandleren underretter uden unødig forsinkelse og senest \
                    inden for 24 timer.\n";
        crate::pipeline::analyse(
            "a.txt",
            text.as_bytes(),
            crate::record::SourceFormat::Text,
            &ReadOptions::default(),
        )
        .expect("a text record")
    }

    #[test]
    fn a_line_reads_back_as_the_record_it_was() {
        let r = record();
        let line = ok_line("a.txt", "/x/a.txt", &r, &Playbook::default_playbook());
        assert!(!line.contains('\n'));
        match parse_line(&line) {
            Ok(Parsed::Ok {
                path,
                location,
                record,
            }) => {
                assert_eq!(path, "a.txt");
                assert_eq!(location, "/x/a.txt");
                assert_eq!(*record, r);
            }
            other => panic!("{other:?}"),
        }
        // The record's fields are at the top level, as `extract --json` prints them.
        let value: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(value["id"], serde_json::json!(r.id));
        assert_eq!(value["status"], "ok");
        assert_eq!(
            value["derived"]["deadlines"].as_array().map(Vec::len),
            Some(r.deadlines.len())
        );
    }

    #[test]
    fn inputs_without_a_record_say_why() {
        let line = other_line(
            LineStatus::Failed,
            "b.pdf",
            Some("/x/b.pdf"),
            None,
            Some("not a PDF"),
        );
        assert_eq!(
            parse_line(&line),
            Ok(Parsed::Other {
                status: LineStatus::Failed,
                path: "b.pdf".into(),
                id: None,
                reason: Some("not a PDF".into()),
            })
        );
        for bad in [
            "",
            "[]",
            "{}",
            r#"{"status":"ok"}"#,
            r#"{"status":"ok","path":"a"}"#,
        ] {
            assert!(parse_line(bad).is_err(), "{bad}");
        }
    }
}
