//! Records as a data set: `aftale extract --jsonl` (one line per input, equal to `extract
//! --json`, failures with their reasons) and `aftale index --from-jsonl` (the same index as
//! `ingest` of the same files, with the same versioning and idempotence).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use crate::util::{aftale, copy_tree, json_lines, repo, stdout_of};

/// A scratch folder with the fixture inputs and the shipped corpus under `in/`.
fn batch() -> TempDir {
    let dir = TempDir::new().expect("tempdir");
    copy_tree(&repo("fixtures/inputs"), &dir.path().join("in"));
    copy_tree(&repo("corpus"), &dir.path().join("in/corpus"));
    dir
}

/// `aftale extract --jsonl ARGS` run in `dir` (no OCR, so the result does not depend on
/// Tesseract being installed): exit code and lines.
fn extract_jsonl(dir: &Path, args: &[&str], stdin: Option<&str>) -> (i32, Vec<Value>, String) {
    let mut cmd = aftale();
    cmd.current_dir(dir)
        .args(["extract", "--jsonl", "--ocr", "never"])
        .args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_string());
    }
    let out = cmd.output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        json_lines(&out.stdout),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn every_input_has_one_line_and_records_equal_extract_json() {
    let dir = batch();
    let (code, lines, _) = extract_jsonl(dir.path(), &["in", "in/missing.pdf", "-j", "2"], None);
    assert_eq!(code, 1, "failed inputs make exit 1");
    let mut walked: Vec<String> = Vec::new();
    for entry in walkdir::WalkDir::new(dir.path().join("in")).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir.path()).expect("inside");
            walked.push(rel.display().to_string());
        }
    }
    walked.push("in/missing.pdf".into());
    let paths: Vec<&str> = lines.iter().filter_map(|l| l["path"].as_str()).collect();
    assert_eq!(paths, walked, "one line per input, in the order walked");
    let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
    for line in &lines {
        let status = line["status"].as_str().expect("status");
        *statuses.entry(status).or_default() += 1;
        let path = line["path"].as_str().expect("path");
        if status != "ok" {
            let reason = line["reason"].as_str().unwrap_or("");
            assert!(!reason.is_empty(), "{path}: a reason");
            continue;
        }
        let location = line["location"].as_str().expect("location");
        assert!(Path::new(location).is_absolute(), "{location}");
        let mut record = line.clone();
        let object = record.as_object_mut().expect("object");
        for extra in ["status", "path", "location", "derived"] {
            object.remove(extra);
        }
        let single = stdout_of(
            aftale()
                .current_dir(dir.path())
                .args(["extract", "--json", "--ocr", "never", path]),
        );
        let single: Value = serde_json::from_slice(&single).expect("record JSON");
        assert_eq!(record, single, "{path}: the line is `extract --json`");
        let derived = &line["derived"];
        for (list, facts) in [
            ("subprocessors", "subprocessors"),
            ("deadlines", "deadlines"),
        ] {
            assert_eq!(
                derived[facts].as_array().map(Vec::len),
                line[list].as_array().map(Vec::len),
                "{path}: derived {facts} aligned with the record's"
            );
        }
        assert!(derived["review"]["items"]
            .as_array()
            .is_some_and(|i| !i.is_empty()));
    }
    assert_eq!(statuses.get("ok"), Some(&11), "{statuses:?}");
    assert_eq!(statuses.get("skipped"), Some(&2), "{statuses:?}");
    assert!(statuses.get("failed") == Some(&7), "{statuses:?}");
}

#[test]
fn paths_come_on_stdin_and_the_output_does_not_depend_on_the_threads() {
    let dir = batch();
    let listed =
        "in/corpus/001_a01309c27944fe2b.txt\n\nin/text/utf16_bom.txt\r\nin/bad/empty.txt\n";
    let (code, lines, one) = extract_jsonl(dir.path(), &["-", "-j", "1"], Some(listed));
    assert_eq!(code, 1);
    let paths: Vec<&str> = lines.iter().filter_map(|l| l["path"].as_str()).collect();
    assert_eq!(
        paths,
        [
            "in/corpus/001_a01309c27944fe2b.txt",
            "in/text/utf16_bom.txt",
            "in/bad/empty.txt"
        ]
    );
    let (_, _, two) = extract_jsonl(dir.path(), &["-", "-j", "2"], Some(listed));
    assert_eq!(one, two, "same bytes with one or two threads");
    // One file without --jsonl is still the single record; several without it are refused.
    let out = aftale()
        .current_dir(dir.path())
        .args(["extract", "in/text/utf8_bom.txt", "in/text/windows1252.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--jsonl"));
}

/// `aftale CMD --json --index IX` as parsed lines, without the times of import (two imports
/// differ in them); search hits of equal score in one order (their order follows when each
/// document was committed).
fn answers(index: &Path, cmd: &[&str]) -> Vec<Value> {
    fn without_times(v: &mut Value) {
        match v {
            Value::Object(o) => {
                o.remove("ingested");
                o.values_mut().for_each(without_times);
            }
            Value::Array(a) => a.iter_mut().for_each(without_times),
            _ => {}
        }
    }
    let mut lines: Vec<Value> = json_lines(&stdout_of(
        aftale().args(cmd).arg("--json").arg("--index").arg(index),
    ));
    lines.iter_mut().for_each(without_times);
    if cmd.first() == Some(&"search") {
        lines.sort_by(|a, b| {
            let key = |v: &Value| (v["doc"].to_string(), v["clause"].to_string());
            let (sa, sb) = (a["score"].as_f64(), b["score"].as_f64());
            sb.partial_cmp(&sa)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| key(a).cmp(&key(b)))
        });
    }
    lines
}

/// `aftale index --from-jsonl FILE --json --index IX`, run in `dir`: exit code, the
/// per-input events and the summary.
fn import(dir: &Path, file: &Path, index: &Path) -> (i32, Vec<Value>, Value) {
    let out = aftale()
        .current_dir(dir)
        .args(["index", "--json", "--from-jsonl"])
        .arg(file)
        .arg("--index")
        .arg(index)
        .output()
        .expect("run");
    let mut events: Vec<Value> = json_lines(&out.stdout);
    let summary = events.pop().expect("a summary");
    assert_eq!(summary["type"], "summary");
    (out.status.code().unwrap_or(-1), events, summary)
}

fn statuses(events: &[Value]) -> BTreeMap<String, String> {
    events
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap_or("").to_string(),
                e["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn records_made_elsewhere_index_as_ingest_would_and_again_change_nothing() {
    let dir = batch();
    let (_, _, text) = extract_jsonl(dir.path(), &["in"], None);
    let records = dir.path().join("records.jsonl");
    std::fs::write(&records, &text).expect("write");
    let from_jsonl = dir.path().join("ix-jsonl");
    let (code, events, summary) = import(dir.path(), &records, &from_jsonl);
    assert_eq!(code, 1, "the failed lines are failures here too");
    assert_eq!(summary["indexed"], 11);
    assert_eq!(summary["skipped"], 2);
    let lines = text.lines().count();
    assert_eq!(summary["inputs"], lines, "every line is an input");
    let ingested = dir.path().join("ix-ingest");
    aftale()
        .current_dir(dir.path())
        .args(["ingest", "in", "--ocr", "never", "--index"])
        .arg(&ingested)
        .output()
        .expect("ingest");
    for cmd in [
        &["docs"][..],
        &["subprocessors"],
        &["deadlines"],
        &["review"],
        &["search", "underretning om brud", "--limit", "200"],
        &[
            "search",
            "underdatabehandler",
            "--topic",
            "subprocessors",
            "--limit",
            "200",
        ],
    ] {
        assert_eq!(
            answers(&from_jsonl, cmd),
            answers(&ingested, cmd),
            "{cmd:?}: the same answers as after `ingest`"
        );
    }
    // Idempotent: the same lines again, then `ingest` of the same files, change nothing.
    // This time on stdin (read twice, so kept aside for the run).
    let out = aftale()
        .current_dir(dir.path())
        .args(["index", "--json", "--from-jsonl", "-", "--index"])
        .arg(&from_jsonl)
        .write_stdin(text.clone())
        .output()
        .expect("run");
    let mut events_again: Vec<Value> = json_lines(&out.stdout);
    let again = events_again.pop().expect("a summary");
    assert!(
        std::fs::read_dir(&from_jsonl)
            .expect("index folder")
            .all(|e| !e
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .contains("stdin")),
        "stdin's copy is gone"
    );
    assert_eq!(again["indexed"], 0);
    assert_eq!(again["unchanged"], 11);
    assert_eq!(
        statuses(&events_again),
        statuses(&events)
            .into_iter()
            .map(|(p, s)| {
                let s = if s == "indexed" {
                    "unchanged".to_string()
                } else {
                    s
                };
                (p, s)
            })
            .collect::<BTreeMap<_, _>>()
    );
    let out = aftale()
        .current_dir(dir.path())
        .args(["ingest", "in", "--ocr", "never", "--json", "--index"])
        .arg(&from_jsonl)
        .output()
        .expect("ingest");
    let last: Vec<Value> = json_lines(&out.stdout);
    let summary = last.last().expect("summary");
    assert_eq!(summary["indexed"], 0, "{summary}");
    assert_eq!(summary["unchanged"], 11, "{summary}");
}

#[test]
fn new_content_is_a_version_known_content_elsewhere_a_move_and_bad_lines_are_listed() {
    let dir = batch();
    let index = dir.path().join("ix");
    let doc = "in/corpus/001_a01309c27944fe2b.txt";
    let (_, _, first) = extract_jsonl(dir.path(), &[doc], None);
    let file = dir.path().join("first.jsonl");
    std::fs::write(&file, &first).expect("write");
    assert_eq!(import(dir.path(), &file, &index).2["indexed"], 1);
    // The agreement changes where it lies: version 2.
    let path = dir.path().join(doc);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        format!("{text}\n20. Tillæg\nEt nyt afsnit om revision.\n"),
    )
    .expect("write");
    let (_, _, second) = extract_jsonl(dir.path(), &[doc], None);
    let file2 = dir.path().join("second.jsonl");
    std::fs::write(&file2, &second).expect("write");
    let (_, events, summary) = import(dir.path(), &file2, &index);
    assert_eq!(summary["indexed"], 1, "{events:?}");
    assert_eq!(events[0]["version"], 2);
    // The first content again: restored as version 3.
    let (_, events, _) = import(dir.path(), &file, &index);
    assert_eq!(events[0]["status"], "restored", "{events:?}");
    assert_eq!(events[0]["version"], 3);
    // The same content under a new location, the old one in no file and gone here: a move.
    let mut moved: Value = serde_json::from_str(second.trim()).expect("line");
    let new_location = dir.path().join("elsewhere/renamed.txt");
    moved["location"] = new_location.display().to_string().into();
    moved["path"] = "elsewhere/renamed.txt".into();
    std::fs::remove_file(&path).expect("rm");
    // A line that is not a record sits between two that are; it is listed with its line.
    let file3 = dir.path().join("third.jsonl");
    std::fs::write(
        &file3,
        format!("{moved}\n{{\"status\":\"ok\"}}\nnot json\n"),
    )
    .expect("write");
    let (code, events, summary) = import(dir.path(), &file3, &index);
    assert_eq!(code, 1);
    assert_eq!(summary["moved"], 1, "{events:?}");
    let failed: Vec<&str> = events
        .iter()
        .filter(|e| e["status"] == "failed")
        .filter_map(|e| e["path"].as_str())
        .collect();
    assert_eq!(failed.len(), 2, "{events:?}");
    assert!(
        failed
            .iter()
            .all(|p| p.ends_with(":2") || p.ends_with(":3")),
        "{failed:?}"
    );
    let docs = answers(&index, &["docs"]);
    assert_eq!(docs.len(), 1, "one document, its history kept: {docs:?}");
}

#[test]
fn an_index_exported_as_records_is_rebuilt_elsewhere_with_its_history() {
    let dir = batch();
    let index = dir.path().join("ix");
    let doc = dir.path().join("in/corpus/002_57dfb51f510d3c48.txt");
    aftale()
        .current_dir(dir.path())
        .args(["ingest", "in/corpus", "--index"])
        .arg(&index)
        .output()
        .expect("ingest");
    let text = std::fs::read_to_string(&doc).expect("read");
    std::fs::write(&doc, text.replace("senest", "hurtigst muligt og senest")).expect("write");
    stdout_of(
        aftale()
            .current_dir(dir.path())
            .args(["ingest", "in/corpus", "--index"])
            .arg(&index),
    );
    let records = stdout_of(aftale().current_dir(dir.path()).args([
        "export",
        "--format",
        "jsonl",
        "--all-versions",
        "--index",
        "ix",
    ]));
    assert_eq!(
        String::from_utf8_lossy(&records).lines().count(),
        4,
        "three documents, one with two versions"
    );
    let file = dir.path().join("history.jsonl");
    std::fs::write(&file, &records).expect("write");
    let rebuilt = dir.path().join("rebuilt");
    let (code, _, summary) = import(dir.path(), &file, &rebuilt);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["indexed"], 4, "{summary}");
    for cmd in [&["docs"][..], &["subprocessors"], &["deadlines"]] {
        assert_eq!(answers(&rebuilt, cmd), answers(&index, cmd), "{cmd:?}");
    }
    let history = |ix: &Path| -> Vec<Value> {
        json_lines(&stdout_of(
            aftale()
                .args([
                    "diff",
                    "--history",
                    "002_57dfb51f510d3c48.txt",
                    "--format",
                    "json",
                ])
                .arg("--index")
                .arg(ix),
        ))
    };
    assert_eq!(history(&rebuilt), history(&index));
}
