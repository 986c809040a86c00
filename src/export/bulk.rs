//! The clauses of the index as flat documents for a search cluster (`aftale export`): one
//! document per clause (clauses without text are left out), carrying the clause's own fields
//! and its agreement's, written as an OpenSearch/Elasticsearch `_bulk` body, JSON Lines, or CSV.
//! Pure: the caller reads the index and hands over each version's record.
//!
//! **Ids.** A clause document's id is the blake3 hash of the document key, the clause number
//! (empty for an unnumbered clause) and how many clauses before it in the same record carry
//! that number (so a repeated number or several unnumbered clauses stay apart), and in
//! [`Mode::AllVersions`] the index version number too. The same index exported twice gives the
//! same bytes and the same ids.
//!
//! - [`Mode::Latest`] (the default): the id leaves the version out, so loading the export of a
//!   newer version *updates* the cluster's documents of the clauses that still exist (by
//!   number). A clause the newer version no longer has keeps its old document in the cluster:
//!   the export cannot delete it. Every document carries `doc_key` and `content_id`, so after
//!   loading, delete the leftovers of one document with a `_delete_by_query` for `doc_key` = K
//!   and not `content_id` = its current id (or delete by `doc_key` before loading). A retired
//!   document is not exported at all; its documents stay likewise until deleted by `doc_key`.
//! - [`Mode::AllVersions`]: the id includes the version number, so every version's clauses are
//!   documents of their own; `current` tells the version answers come from.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::export::deadlines::topic_matches;
use crate::index::{StoredDocument, StoredVersion};
use crate::record::Record;

/// The index name the bulk body uses unless told otherwise.
pub const DEFAULT_INDEX_NAME: &str = "aftale-clauses";

/// Which versions are exported, and so what the ids mean (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The current version of every live document; ids without the version.
    Latest,
    /// Every version of every document; ids with the version.
    AllVersions,
}

/// One version of one document, as the export reads it.
#[derive(Debug, Clone, Copy)]
pub struct Exported<'a> {
    pub document: &'a StoredDocument,
    pub version: &'a StoredVersion,
    pub record: &'a Record,
}

/// One clause as a flat document. `id` is the document id (`_id`), not a field of the bulk
/// document; JSON Lines and CSV show it as `id`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseDoc {
    #[serde(skip)]
    pub id: String,
    /// The document's key in the index: what to delete by.
    pub doc_key: String,
    pub path: String,
    pub vendor: Option<String>,
    pub title: Option<String>,
    /// The version printed in the document (`2.6`).
    pub printed_version: Option<String>,
    /// The agreement's date, only where it is ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    pub language: String,
    /// The content id (blake3 of the file's bytes) of the version the clause is from.
    pub content_id: String,
    /// The index's version number of the document (1, 2, …).
    pub version: u64,
    /// Whether that version is the document's current one.
    pub current: bool,
    /// Whether the document is retired (only in [`Mode::AllVersions`]).
    pub retired: bool,
    /// The clause's place among the record's clauses (0 for the first).
    pub position: usize,
    pub number: Option<String>,
    pub heading: Option<String>,
    pub text: String,
    /// The wording after OCR repair, where repair changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repaired_text: Option<String>,
    pub page: Option<u32>,
    pub level: u32,
    pub topics: Vec<String>,
    /// The sub-processors the agreement names, once each, in listing order.
    pub subprocessors: Vec<String>,
    /// The shortest breach-notification deadline the agreement states, in hours.
    pub breach_notice_hours: Option<f64>,
}

/// The clause documents of `versions`, in the order given, clause order within each.
pub fn clause_documents(versions: &[Exported], mode: Mode) -> Vec<ClauseDoc> {
    let mut out = Vec::new();
    for v in versions {
        let record = v.record;
        let mut subprocessors: Vec<String> = Vec::new();
        for s in &record.subprocessors {
            if !subprocessors.contains(&s.name) {
                subprocessors.push(s.name.clone());
            }
        }
        let breach_notice_hours = record
            .deadlines
            .iter()
            .filter(|d| !d.template && topic_matches(record, d, "breach_notification"))
            .filter_map(|d| d.hours)
            .filter(|h| h.is_finite())
            .reduce(f64::min);
        let current = v.document.current().map(|c| c.version) == Some(v.version.version);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (position, clause) in record.clauses.iter().enumerate() {
            let number = clause.number.as_deref().unwrap_or("");
            let nth = seen.entry(number).or_insert(0);
            let occurrence = *nth;
            *nth += 1;
            if clause.text.trim().is_empty() {
                continue;
            }
            let version_no = match mode {
                Mode::Latest => None,
                Mode::AllVersions => Some(v.version.version),
            };
            out.push(ClauseDoc {
                id: clause_id(&v.document.key, number, occurrence, version_no),
                doc_key: v.document.key.clone(),
                path: v.document.path.clone(),
                vendor: record.vendor.clone(),
                title: record.title.clone(),
                printed_version: record.version.clone(),
                date: record.date.clone().filter(|d| is_iso_date(d)),
                language: record.language.code.clone(),
                content_id: v.version.id.clone(),
                version: v.version.version,
                current,
                retired: v.document.retired.is_some(),
                position,
                number: clause.number.clone(),
                heading: clause.heading.clone(),
                text: clause.text.clone(),
                repaired_text: clause.repaired.as_ref().map(|r| r.text.clone()),
                page: clause.page,
                level: clause.level,
                topics: clause.topics.clone(),
                subprocessors: subprocessors.clone(),
                breach_notice_hours,
            });
        }
    }
    out
}

/// The id of a clause document: blake3 of its parts, each ended by a NUL (no part holds one
/// that could make two different lists hash alike: keys and clause numbers are text).
pub fn clause_id(key: &str, number: &str, occurrence: usize, version: Option<u64>) -> String {
    let mut h = blake3::Hasher::new();
    for part in [key, number, &occurrence.to_string()] {
        h.update(part.as_bytes());
        h.update(b"\0");
    }
    if let Some(v) = version {
        h.update(format!("v{v}").as_bytes());
        h.update(b"\0");
    }
    h.finalize().to_hex().to_string()
}

/// `YYYY-MM-DD` with a month 01–12 and a day 01–31.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
        return false;
    }
    if !digits(5..7) || !digits(8..10) {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

#[derive(Serialize)]
struct Action<'a> {
    index: Target<'a>,
}

#[derive(Serialize)]
struct Target<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

/// A document with its id as a field, for JSON Lines.
#[derive(Serialize)]
struct WithId<'a> {
    id: &'a str,
    #[serde(flatten)]
    doc: &'a ClauseDoc,
}

/// A JSON error as the I/O error it carries (a closed pipe stays `BrokenPipe`).
fn json_error(e: serde_json::Error) -> io::Error {
    io::Error::from(e)
}

/// The `_bulk` body: for each document an `index` action line naming `index_name` and its id,
/// then the document; every line (the last too) ends with `\n`, as the bulk API requires.
pub fn write_bulk(mut w: impl Write, docs: &[ClauseDoc], index_name: &str) -> io::Result<()> {
    for doc in docs {
        let action = Action {
            index: Target {
                index: index_name,
                id: &doc.id,
            },
        };
        serde_json::to_writer(&mut w, &action).map_err(json_error)?;
        w.write_all(b"\n")?;
        serde_json::to_writer(&mut w, doc).map_err(json_error)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// JSON Lines: one document per line, its id as the field `id`.
pub fn write_jsonl(mut w: impl Write, docs: &[ClauseDoc]) -> io::Result<()> {
    for doc in docs {
        serde_json::to_writer(&mut w, &WithId { id: &doc.id, doc }).map_err(json_error)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// The CSV columns, in the order of [`csv_row`].
pub const CSV_HEADER: [&str; 20] = [
    "id",
    "doc_key",
    "path",
    "vendor",
    "title",
    "printed_version",
    "date",
    "language",
    "content_id",
    "version",
    "current",
    "position",
    "number",
    "heading",
    "page",
    "level",
    "topics",
    "subprocessors",
    "breach_notice_hours",
    "text",
];

/// One CSV row: lists joined with `; `, nothing as an empty cell.
pub fn csv_row(d: &ClauseDoc) -> [String; 20] {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    [
        d.id.clone(),
        d.doc_key.clone(),
        d.path.clone(),
        opt(&d.vendor),
        opt(&d.title),
        opt(&d.printed_version),
        opt(&d.date),
        d.language.clone(),
        d.content_id.clone(),
        d.version.to_string(),
        d.current.to_string(),
        d.position.to_string(),
        opt(&d.number),
        opt(&d.heading),
        d.page.map(|p| p.to_string()).unwrap_or_default(),
        d.level.to_string(),
        d.topics.join("; "),
        d.subprocessors.join("; "),
        d.breach_notice_hours
            .map(|h| h.to_string())
            .unwrap_or_default(),
        d.text.clone(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Clause;

    fn record(id: &str, clauses: Vec<Clause>) -> Record {
        let mut r: Record = serde_json::from_value(serde_json::json!({
            "schema": 2,
            "id": id,
            "source": {"path": "a.txt", "format": "text", "pages": 1, "bytes": 1, "encoding": null},
            "language": {"code": "da", "confidence": 1.0},
            "title": "Databehandleraftale",
            "version": "2.1",
            "date": "2024-03-01",
            "clauses": [],
            "subprocessors": [],
            "identifiers": [],
            "deadlines": [],
            "changelog": [],
            "warnings": []
        }))
        .expect("a minimal record");
        r.clauses = clauses;
        r
    }

    fn version(key: &str, id: &str, n: u64) -> StoredVersion {
        StoredVersion {
            id: id.to_string(),
            key: key.to_string(),
            path: "a.txt".to_string(),
            version: n,
            language: "da".to_string(),
            title: None,
            doc_version: None,
            clauses: 0,
            ingested: 0,
            quality: None,
            vendor: None,
            restores: None,
            seq: n,
        }
    }

    fn document(key: &str, versions: Vec<StoredVersion>) -> StoredDocument {
        StoredDocument {
            key: key.to_string(),
            path: "a.txt".to_string(),
            location: "/x/a.txt".to_string(),
            versions,
            retired: None,
            events: Vec::new(),
        }
    }

    fn clauses() -> Vec<Clause> {
        vec![
            Clause::new(None, None, "Indledning"),
            Clause::new(Some("1"), Some("Formål"), "Aftalen regulerer ..."),
            Clause::new(Some("2"), Some("Tom"), "  "),
            Clause::new(Some("3"), None, "=SUM(A1)"),
            Clause::new(Some("3"), None, "Samme nummer igen"),
        ]
    }

    #[test]
    fn one_document_per_clause_with_text_and_stable_distinct_ids() {
        let r = record("c1", clauses());
        let v = version("k", "c1", 1);
        let d = document("k", vec![v.clone()]);
        let e = [Exported {
            document: &d,
            version: &v,
            record: &r,
        }];
        let docs = clause_documents(&e, Mode::Latest);
        assert_eq!(docs.len(), 4, "the empty clause is left out");
        let ids: std::collections::HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids.len(), 4, "a repeated number gets its own id");
        assert_eq!(docs, clause_documents(&e, Mode::Latest));
        assert!(docs.iter().all(|d| d.current && d.doc_key == "k"));
        assert_eq!(docs[1].heading.as_deref(), Some("Formål"));
        assert_eq!(docs[2].position, 3);
    }

    #[test]
    fn latest_ids_leave_the_version_out_and_all_versions_put_it_in() {
        let (r1, r2) = (record("c1", clauses()), record("c2", clauses()));
        let (v1, v2) = (version("k", "c1", 1), version("k", "c2", 2));
        let d = document("k", vec![v1.clone(), v2.clone()]);
        let old = Exported {
            document: &d,
            version: &v1,
            record: &r1,
        };
        let new = Exported {
            document: &d,
            version: &v2,
            record: &r2,
        };
        let ids = |e: &[Exported], m| -> Vec<String> {
            clause_documents(e, m).into_iter().map(|d| d.id).collect()
        };
        assert_eq!(ids(&[old], Mode::Latest), ids(&[new], Mode::Latest));
        let all = ids(&[old, new], Mode::AllVersions);
        let unique: std::collections::HashSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), 8);
        let docs = clause_documents(&[old, new], Mode::AllVersions);
        assert!(docs[..4].iter().all(|d| !d.current && d.version == 1));
        assert!(docs[4..].iter().all(|d| d.current && d.content_id == "c2"));
    }

    #[test]
    fn bulk_lines_alternate_and_end_with_a_newline() {
        let r = record("c1", clauses());
        let v = version("k", "c1", 1);
        let d = document("k", vec![v.clone()]);
        let docs = clause_documents(
            &[Exported {
                document: &d,
                version: &v,
                record: &r,
            }],
            Mode::Latest,
        );
        let mut buf = Vec::new();
        write_bulk(&mut buf, &docs, "x").expect("write");
        let text = String::from_utf8(buf).expect("utf-8");
        assert!(text.ends_with('\n'));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 8);
        for pair in lines.chunks(2) {
            let action: serde_json::Value = serde_json::from_str(pair[0]).expect("action");
            assert_eq!(action["index"]["_index"], "x");
            let doc: serde_json::Value = serde_json::from_str(pair[1]).expect("doc");
            assert!(doc.get("id").is_none() && doc["doc_key"] == "k");
        }
        let mut buf = Vec::new();
        write_jsonl(&mut buf, &docs).expect("write");
        let first: serde_json::Value =
            serde_json::from_str(String::from_utf8_lossy(&buf).lines().next().unwrap_or(""))
                .expect("json");
        assert_eq!(first["id"], docs[0].id.as_str());
    }

    #[test]
    fn only_iso_dates_are_dates() {
        assert!(is_iso_date("2024-03-01"));
        for bad in ["2024-13-01", "1. marts 2024", "2024-3-1", "2024-03-00", ""] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
