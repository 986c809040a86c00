//! `aftale ingest` and `aftale docs` over a folder of good and bad inputs.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use tempfile::TempDir;

use crate::util::{aftale, copy_tree, json_lines, repo};

#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
enum Event {
    Document {
        path: String,
        status: String,
        id: Option<String>,
        version: Option<u64>,
        reason: Option<String>,
        clauses: Option<usize>,
        language: Option<String>,
        moved_from: Option<String>,
    },
    Summary {
        inputs: usize,
        indexed: usize,
        unchanged: usize,
        moved: usize,
        restored: usize,
        reread: usize,
        gone: Option<usize>,
        failed: usize,
        skipped: usize,
        seconds: f64,
    },
}

/// Per input, keyed by path relative to `in/`: status, reason and version.
type Outcomes = BTreeMap<String, (String, String, Option<u64>)>;

/// A scratch folder with every fixture input and the shipped corpus under `in/`.
fn batch() -> TempDir {
    let dir = TempDir::new().expect("tempdir");
    copy_tree(&repo("fixtures/inputs"), &dir.path().join("in"));
    copy_tree(&repo("corpus"), &dir.path().join("in/corpus"));
    dir
}

/// Run `aftale ingest in --json --ocr never` in `dir` (the image-only fixture stays unread
/// whether Tesseract is installed or not; OCR is tested in `ocr.rs`); returns exit code,
/// per-file (status, reason, version) keyed by path relative to `in/`, and the summary event.
fn ingest_json(dir: &Path) -> (i32, Outcomes, Event) {
    let out = aftale()
        .current_dir(dir)
        .args(["ingest", "in", "--index", "idx", "--json", "--ocr", "never"])
        .output()
        .expect("run");
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut events: Vec<Event> = json_lines(&out.stdout);
    let summary = events.pop().expect("summary event");
    let mut files = BTreeMap::new();
    for e in events {
        let Event::Document {
            path,
            status,
            reason,
            version,
            ..
        } = e
        else {
            panic!("summary before the end: {e:?}")
        };
        let rel = path
            .strip_prefix("in/")
            .expect("path under in/")
            .to_string();
        let previous = files.insert(rel.clone(), (status, reason.unwrap_or_default(), version));
        assert!(previous.is_none(), "{rel} reported twice");
    }
    (out.status.code().expect("exit code"), files, summary)
}

fn status_of<'a>(
    files: &'a BTreeMap<String, (String, String, Option<u64>)>,
    rel: &str,
) -> (&'a str, &'a str) {
    let (status, reason, _) = files
        .get(rel)
        .unwrap_or_else(|| panic!("{rel} missing from the events"));
    (status, reason)
}

#[test]
fn every_input_is_indexed_failed_or_skipped_with_its_reason() {
    let dir = batch();
    let (code, files, summary) = ingest_json(dir.path());
    assert_eq!(code, 1, "some inputs fail, so the exit code is 1");
    assert_eq!(files.len(), 19, "{files:#?}");
    let expected_failures = [
        ("bad/image_only.pdf", "no text layer (needs OCR)"),
        ("bad/truncated.pdf", "corrupt PDF"),
        ("bad/encrypted.pdf", "encrypted PDF"),
        ("bad/binary.pdf", "not a PDF"),
        ("bad/empty.txt", "empty file"),
        ("text/not_a_dpa.txt", "not a data processing agreement"),
    ];
    for (rel, reason) in expected_failures {
        let (status, got) = status_of(&files, rel);
        assert_eq!(status, "failed", "{rel}");
        assert!(got.starts_with(reason), "{rel}: {got}");
    }
    for (rel, reason) in [
        ("other/logo.png", "image file"),
        ("other/contract.docx", "unsupported file type .docx"),
    ] {
        let (status, got) = status_of(&files, rel);
        assert_eq!(status, "skipped", "{rel}");
        assert!(got.starts_with(reason), "{rel}: {got}");
    }
    let indexed: Vec<&String> = files
        .iter()
        .filter(|(_, v)| v.0 == "indexed")
        .map(|(k, _)| k)
        .collect();
    assert_eq!(indexed.len(), 11, "{indexed:?}");
    assert!(files
        .iter()
        .filter(|(_, v)| v.0 == "indexed")
        .all(|(_, v)| v.2 == Some(1)));
    assert_eq!(
        summary,
        Event::Summary {
            inputs: 19,
            indexed: 11,
            unchanged: 0,
            moved: 0,
            restored: 0,
            reread: 0,
            gone: None,
            failed: 6,
            skipped: 2,
            seconds: summary_seconds(&summary)
        }
    );
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("idx/ingest-report.json")).expect("report"),
    )
    .expect("report is JSON");
    assert_eq!(report["problems"].as_array().map(Vec::len), Some(8));
}

fn summary_seconds(e: &Event) -> f64 {
    match e {
        Event::Summary { seconds, .. } => *seconds,
        Event::Document { .. } => f64::NAN,
    }
}

#[test]
fn reingest_changes_nothing_and_a_changed_file_becomes_version_2() {
    let dir = batch();
    let (_, first, _) = ingest_json(dir.path());
    let (code, second, summary) = ingest_json(dir.path());
    assert_eq!(code, 1, "the bad inputs still fail");
    for (rel, (status, _, version)) in &second {
        let before = &first[rel].0;
        let expected = if before == "indexed" {
            "unchanged"
        } else {
            before.as_str()
        };
        assert_eq!(status, expected, "{rel}");
        if status == "unchanged" {
            assert_eq!(*version, Some(1), "{rel}");
        }
    }
    assert!(matches!(
        summary,
        Event::Summary {
            indexed: 0,
            unchanged: 11,
            failed: 6,
            skipped: 2,
            ..
        }
    ));

    let changed = dir.path().join("in/corpus/002_57dfb51f510d3c48.txt");
    let mut text = std::fs::read_to_string(&changed).expect("read");
    text = text.replace("senest 14 dage", "senest 10 dage");
    std::fs::write(&changed, text).expect("write");
    let (_, third, _) = ingest_json(dir.path());
    assert_eq!(third["corpus/002_57dfb51f510d3c48.txt"].0, "indexed");
    assert_eq!(third["corpus/002_57dfb51f510d3c48.txt"].2, Some(2));
    assert_eq!(third.values().filter(|v| v.0 == "indexed").count(), 1);

    let out = aftale()
        .current_dir(dir.path())
        .args(["docs", "--index", "idx", "--json"])
        .output()
        .expect("docs");
    assert!(out.status.success());
    let docs: Vec<serde_json::Value> = json_lines(&out.stdout);
    assert_eq!(docs.len(), 11);
    let changed_doc = docs
        .iter()
        .find(|d| {
            d["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("002_57dfb51f510d3c48.txt"))
        })
        .expect("changed doc listed");
    let versions = changed_doc["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2, "the old version stays");
    assert_ne!(versions[0]["id"], versions[1]["id"]);
    assert_eq!(changed_doc["latest"]["version"], 2);
}

#[test]
fn human_summary_on_stdout_and_no_progress_when_not_a_terminal() {
    let dir = TempDir::new().expect("tempdir");
    let out = aftale()
        .current_dir(dir.path())
        .args([
            "ingest",
            repo("corpus").to_str().expect("utf-8 path"),
            "--index",
            "idx",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("3 inputs: 3 indexed, 0 unchanged, 0 failed, 0 skipped"),
        "{stdout}"
    );
    assert!(
        out.stderr.is_empty(),
        "progress must be hidden: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = aftale()
        .current_dir(dir.path())
        .args(["docs", "--index", "idx"])
        .output()
        .expect("docs");
    let listing = String::from_utf8_lossy(&docs.stdout);
    assert!(listing.contains("3 documents, 3 versions"), "{listing}");
    // Agreements are named by their vendor (the processor), not by the title nearly every
    // agreement shares.
    assert!(listing.contains("ITJ Consult"), "{listing}");
    assert!(!listing.contains("Databehandleraftale"), "{listing}");
}

#[test]
fn default_index_is_aftale_index_in_the_working_folder() {
    let dir = TempDir::new().expect("tempdir");
    let corpus = repo("corpus/002_57dfb51f510d3c48.txt");
    aftale()
        .current_dir(dir.path())
        .arg("ingest")
        .arg(&corpus)
        .assert()
        .success();
    assert!(dir.path().join("aftale-index/aftale.json").exists());
    aftale()
        .current_dir(dir.path())
        .arg("docs")
        .assert()
        .success();
}

#[test]
fn a_second_writer_gets_index_is_locked() {
    let dir = TempDir::new().expect("tempdir");
    let index = dir.path().join("idx");
    let store = aftale::index::IndexStore::open_or_create(&index).expect("index");
    let _writer = store.writer().expect("first writer");
    let out = aftale()
        .arg("ingest")
        .arg(repo("corpus"))
        .arg("--index")
        .arg(&index)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("index is locked"), "{stderr}");
}

#[test]
fn a_missing_path_is_a_usage_error_that_creates_nothing() {
    let dir = TempDir::new().expect("tempdir");
    let out = aftale()
        .current_dir(dir.path())
        .args(["ingest", "no-such-folder", "--index", "idx", "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no such file or folder: no-such-folder"),
        "{stderr}"
    );
    assert!(!dir.path().join("idx").exists());
}

#[test]
fn docs_without_an_index_is_a_setup_error() {
    let dir = TempDir::new().expect("tempdir");
    let out = aftale()
        .current_dir(dir.path())
        .args(["docs", "--index", "nothing-here"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no index at nothing-here"));
}
