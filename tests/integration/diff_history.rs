//! `aftale diff --history DOC`: three versions of the JournalKlar agreement ingested under one
//! path (a sub-processor moved to the USA; then a sub-processor added and the notice of
//! sub-processor changes shortened), summarised newest first, as text and as JSON Lines.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{aftale, ingest, json_lines, repo, stdout_of};

const JOURNALKLAR: &str = "fixtures/real/text/06_journalklar-dba.txt";
const AMAZON: &str = "Amazon Web Services EMEA SARL | AI-behandling via Bedrock eu-central-1 | ";

/// The three versions: as published; Amazon's region `Frankfurt, EU` → `USA`; then Vercel
/// added to the sub-processor table and the notice period 30 → 14 days.
fn versions() -> [String; 3] {
    let v1 = std::fs::read_to_string(repo(JOURNALKLAR)).expect("read");
    let v2 = v1.replace(&format!("{AMAZON}Frankfurt, EU"), &format!("{AMAZON}USA"));
    assert_ne!(v1, v2, "the fixture still has Amazon in Frankfurt");
    let amazon_line = v2
        .lines()
        .find(|l| l.starts_with(AMAZON))
        .expect("Amazon's row")
        .to_string();
    let v3 = v2
        .replace(
            &amazon_line,
            &format!("{amazon_line}\nVercel Inc. | Hosting af webapplikationen | USA | Transiterer krypteret"),
        )
        .replace("mindst 30 dages varsel", "mindst 14 dages varsel");
    assert!(v3.contains("14 dages varsel"));
    [v1, v2, v3]
}

/// An index holding the three versions of one document; the document's path.
fn indexed(dir: &Path) -> (PathBuf, PathBuf) {
    let doc = dir.join("journalklar.txt");
    let index = dir.join("index");
    for text in versions() {
        std::fs::write(&doc, text).expect("write");
        ingest(&doc, &index);
    }
    (doc, index)
}

fn history(doc: &Path, index: &Path, json: bool) -> Vec<u8> {
    let mut cmd = aftale();
    cmd.arg("diff")
        .arg("--history")
        .arg(doc)
        .arg("--index")
        .arg(index);
    if json {
        cmd.args(["--format", "json"]);
    }
    stdout_of(&mut cmd)
}

#[test]
fn history_summarises_each_pair_of_versions_newest_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (doc, index) = indexed(dir.path());

    let text = String::from_utf8(history(&doc, &index, false)).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    let (newest, oldest) = (lines[0], lines[1]);
    assert!(newest.starts_with("v2 → v3"), "{text}");
    assert!(oldest.starts_with("v1 → v2"), "{text}");
    // v2 → v3: Vercel added (a sub-processor; its table row is that one change, not a second),
    // the notice shortened.
    assert!(newest.contains("1 sub-processor, "), "{newest}");
    assert!(newest.contains(" 0 table changes"), "{newest}");
    assert!(newest.contains("important: "), "{newest}");
    assert!(
        newest.contains("sub-processor added: Vercel Inc."),
        "{newest}"
    );
    assert!(
        newest.contains("30 days → at least 14 days") || newest.contains("14 days"),
        "{newest}"
    );
    assert!(!newest.contains("Frankfurt"), "{newest}");
    // v1 → v2: Amazon's region changed: one sub-processor change (its table row is not a second).
    assert!(oldest.contains(" 0 table changes"), "{oldest}");
    assert!(oldest.contains("location Frankfurt, EU → USA"), "{oldest}");
    assert!(!oldest.contains("Vercel"), "{oldest}");

    let entries: Vec<Value> = json_lines(&history(&doc, &index, true));
    assert_eq!(entries.len(), 2);
    let numbers: Vec<(u64, u64)> = entries
        .iter()
        .map(|e| {
            (
                e["old"]["version"].as_u64().expect("old version"),
                e["new"]["version"].as_u64().expect("new version"),
            )
        })
        .collect();
    assert_eq!(numbers, [(2, 3), (1, 2)]);
    assert_eq!(
        entries[0]["old"]["id"], entries[1]["new"]["id"],
        "v2 is the same version in both pairs"
    );
    assert_eq!(entries[0]["summary"]["subprocessors"], 1);
    assert_eq!(entries[0]["summary"]["tables"], 0);
    assert_eq!(entries[1]["summary"]["tables"], 0);
    let important = |e: &Value| -> Vec<String> {
        e["important"]
            .as_array()
            .expect("important")
            .iter()
            .map(|d| d.as_str().expect("description").to_string())
            .collect()
    };
    assert!(
        important(&entries[0])
            .iter()
            .any(|d| d.starts_with("sub-processor added: Vercel Inc.")),
        "{:?}",
        important(&entries[0])
    );
    assert!(
        important(&entries[1])
            .iter()
            .any(|d| d
                .contains("Amazon Web Services EMEA SARL changed: location Frankfurt, EU → USA")),
        "{:?}",
        important(&entries[1])
    );
}

#[test]
fn history_of_a_single_version_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = dir.path().join("journalklar.txt");
    let index = dir.path().join("index");
    std::fs::copy(repo(JOURNALKLAR), &doc).expect("copy");
    ingest(&doc, &index);
    let out = aftale()
        .arg("diff")
        .arg("--history")
        .arg(&doc)
        .arg("--index")
        .arg(&index)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one version"));
    // --history stands alone.
    let out = aftale()
        .args(["diff", "--history", "x", "a.txt", "b.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
