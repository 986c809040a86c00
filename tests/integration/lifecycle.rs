//! The life of a document in the index (issue 19): versions follow the file through changes,
//! restores, renames and folder moves; documents are retired, pruned, purged and read again;
//! an interrupted import keeps every finished document. Each test drives the binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

use crate::util::{aftale, json_lines, repo};

/// The agreement the tests change: a real one from the shipped corpus.
const AGREEMENT: &str = "corpus/002_57dfb51f510d3c48.txt";

/// A numbered clause with a breach deadline that only version 2 has.
const V2_CLAUSE: &str =
    "\n\n21. Særlig underretning\n\nDatabehandleren underretter den dataansvarlige senest 48 timer efter, at databehandleren er blevet opmærksom på et brud på persondatasikkerheden.\n";

fn run(dir: &Path, args: &[&str]) -> Output {
    aftale()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run aftale")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "aftale {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `ingest ARGS --json`: the document events (the summary last).
fn ingest(dir: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["ingest"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--index", "idx", "--json"]);
    json_lines(ok(dir, &all).as_bytes())
}

fn statuses(events: &[Value]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = events
        .iter()
        .filter(|e| e["type"] == "document")
        .map(|e| {
            (
                e["path"].as_str().unwrap_or_default().to_string(),
                e["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// `docs --json [--all]`.
fn docs(dir: &Path, all: bool) -> Vec<Value> {
    let mut args = vec!["docs", "--index", "idx", "--json"];
    if all {
        args.push("--all");
    }
    json_lines(ok(dir, &args).as_bytes())
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn agreement() -> String {
    std::fs::read_to_string(repo(AGREEMENT)).expect("corpus agreement")
}

/// The deadlines the index answers with, as (path, hours) pairs.
fn deadline_hours(dir: &Path) -> Vec<f64> {
    let lines: Vec<Value> =
        json_lines(ok(dir, &["deadlines", "--index", "idx", "--json"]).as_bytes());
    lines.iter().filter_map(|l| l["hours"].as_f64()).collect()
}

#[test]
fn version_1_back_on_disk_is_the_latest_again() {
    let dir = TempDir::new().expect("tempdir");
    let file = dir.path().join("agr/vendor.txt");
    let v1 = agreement();
    write(&file, &v1);
    ingest(dir.path(), &["agr"]);
    write(&file, &format!("{v1}{V2_CLAUSE}"));
    let second = ingest(dir.path(), &["agr"]);
    assert_eq!(
        statuses(&second),
        [("agr/vendor.txt".into(), "indexed".into())]
    );
    assert!(
        deadline_hours(dir.path()).contains(&48.0),
        "version 2 answers"
    );
    write(&file, &v1);
    let third = ingest(dir.path(), &["agr"]);
    assert_eq!(
        statuses(&third),
        [("agr/vendor.txt".into(), "restored".into())]
    );
    assert_eq!(third[0]["version"], 3);
    let listing = docs(dir.path(), false);
    assert_eq!(listing.len(), 1);
    assert_eq!(listing[0]["latest"]["version"], 3);
    assert_eq!(listing[0]["latest"]["restores"], 1);
    assert_eq!(listing[0]["versions"].as_array().map(Vec::len), Some(3));
    assert!(
        !deadline_hours(dir.path()).contains(&48.0),
        "the 48-hour deadline of version 2 is no longer answered"
    );
    let hits = ok(
        dir.path(),
        &["search", "særlig underretning", "--index", "idx", "--json"],
    );
    assert!(!hits.contains("Særlig underretning"), "{hits}");
    // The history keeps all three.
    let history = ok(
        dir.path(),
        &["diff", "--history", "agr/vendor.txt", "--index", "idx"],
    );
    assert!(
        history.contains("v1 → v2") || history.lines().count() >= 2,
        "{history}"
    );
}

#[test]
fn a_renamed_file_keeps_its_history() {
    let dir = TempDir::new().expect("tempdir");
    let v1 = agreement();
    write(&dir.path().join("agr/old name.txt"), &v1);
    ingest(dir.path(), &["agr"]);
    write(
        &dir.path().join("agr/old name.txt"),
        &format!("{v1}{V2_CLAUSE}"),
    );
    ingest(dir.path(), &["agr"]);
    std::fs::rename(
        dir.path().join("agr/old name.txt"),
        dir.path().join("agr/new name.txt"),
    )
    .expect("rename");
    let events = ingest(dir.path(), &["agr"]);
    assert_eq!(
        statuses(&events),
        [("agr/new name.txt".into(), "moved".into())]
    );
    assert_eq!(
        events[0]["reason"].as_str(),
        Some("renamed from agr/old name.txt")
    );
    let listing = docs(dir.path(), false);
    assert_eq!(listing.len(), 1, "one document, not two");
    assert_eq!(listing[0]["path"], "agr/new name.txt");
    assert_eq!(listing[0]["versions"].as_array().map(Vec::len), Some(2));
    // Both versions are there to compare under the new name.
    let diff = ok(
        dir.path(),
        &["diff", "--latest", "agr/new name.txt", "--index", "idx"],
    );
    assert!(diff.contains("21"), "{diff}");
}

/// Three agreements in `parent/agreements/`.
fn folder(dir: &Path, parent: &str) -> Vec<PathBuf> {
    let base = agreement();
    (1..=3)
        .map(|i| {
            let path = dir.join(format!("{parent}/agreements/vendor{i}.txt"));
            write(
                &path,
                &format!("{base}\n\nBilag {i}: aftalens nummer {i}.\n"),
            );
            path
        })
        .collect()
}

#[test]
fn a_moved_folder_keeps_every_history_even_of_a_file_changed_on_the_way() {
    let dir = TempDir::new().expect("tempdir");
    let files = folder(dir.path(), "old");
    ingest(dir.path(), &["old/agreements"]);
    // The folder moves (same name, another parent) and one agreement changes.
    std::fs::create_dir_all(dir.path().join("new/place")).expect("mkdir");
    std::fs::rename(
        dir.path().join("old/agreements"),
        dir.path().join("new/place/agreements"),
    )
    .expect("move");
    let changed = dir.path().join("new/place/agreements/vendor2.txt");
    let text = std::fs::read_to_string(&changed).expect("read");
    write(&changed, &format!("{text}{V2_CLAUSE}"));
    let events = ingest(dir.path(), &["new/place/agreements"]);
    let st = statuses(&events);
    assert!(st.iter().all(|(_, s)| s == "moved"), "{st:?}");
    let listing = docs(dir.path(), false);
    assert_eq!(listing.len(), 3, "{listing:?}");
    let versions: Vec<usize> = listing
        .iter()
        .filter_map(|d| d["versions"].as_array().map(Vec::len))
        .collect();
    assert_eq!(versions.iter().sum::<usize>(), 4, "{listing:?}");
    assert!(listing.iter().all(|d| d["path"]
        .as_str()
        .is_some_and(|p| p.starts_with("new/place/agreements/"))));
    drop(files);

    // Renamed as well as moved: the unchanged neighbours tell where the folder went.
    std::fs::rename(
        dir.path().join("new/place/agreements"),
        dir.path().join("renamed"),
    )
    .expect("move");
    let changed = dir.path().join("renamed/vendor3.txt");
    let text = std::fs::read_to_string(&changed).expect("read");
    write(&changed, &format!("{text}{V2_CLAUSE}"));
    let events = ingest(dir.path(), &["renamed"]);
    let st = statuses(&events);
    assert!(st.iter().all(|(_, s)| s == "moved"), "{st:?}");
    assert_eq!(docs(dir.path(), false).len(), 3);
}

#[test]
fn prune_retires_what_is_gone_and_remove_retires_or_purges() {
    let dir = TempDir::new().expect("tempdir");
    let files = folder(dir.path(), "p");
    ingest(dir.path(), &["p/agreements"]);
    std::fs::remove_file(&files[0]).expect("rm");
    // Without --prune the summary says a file is gone, and nothing changes.
    let text = ok(dir.path(), &["ingest", "p/agreements", "--index", "idx"]);
    assert!(
        text.contains("1 documents in the index have no file any more"),
        "{text}"
    );
    assert_eq!(docs(dir.path(), false).len(), 3);
    let events = ingest(dir.path(), &["p/agreements", "--prune"]);
    let summary = events.last().expect("summary");
    assert_eq!(summary["retired"][0], "p/agreements/vendor1.txt");
    assert_eq!(docs(dir.path(), false).len(), 2);
    let all = docs(dir.path(), true);
    assert_eq!(all.len(), 3);
    assert!(all.iter().any(|d| d["retired"].is_u64()));

    // remove: out of the answers, history kept; the file imported again brings it back.
    let out = ok(
        dir.path(),
        &["remove", "p/agreements/vendor2.txt", "--index", "idx"],
    );
    assert!(
        out.starts_with("retired: p/agreements/vendor2.txt"),
        "{out}"
    );
    assert_eq!(docs(dir.path(), false).len(), 1);
    let back = ingest(dir.path(), &["p/agreements"]);
    assert!(statuses(&back).contains(&("p/agreements/vendor2.txt".into(), "restored".into())));
    assert_eq!(docs(dir.path(), false).len(), 2);

    // --purge deletes it for good; an unknown name changes nothing and says so.
    let out = ok(
        dir.path(),
        &[
            "remove",
            "p/agreements/vendor3.txt",
            "--purge",
            "--index",
            "idx",
        ],
    );
    assert!(out.starts_with("purged:"), "{out}");
    assert_eq!(docs(dir.path(), true).len(), 2);
    let bad = run(
        dir.path(),
        &["remove", "no-such-agreement.txt", "--index", "idx"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no-such-agreement.txt"));
}

#[test]
fn force_reads_known_files_again() {
    let dir = TempDir::new().expect("tempdir");
    let files = folder(dir.path(), "f");
    // A copy: the same content at two paths is one document.
    std::fs::copy(&files[0], dir.path().join("f/agreements/copy.txt")).expect("copy");
    ingest(dir.path(), &["f/agreements"]);
    let events = ingest(dir.path(), &["f/agreements", "--force"]);
    let st = statuses(&events);
    assert_eq!(st.len(), 4);
    assert_eq!(
        st.iter().filter(|(_, s)| s == "reread").count(),
        3,
        "{st:?}"
    );
    let copies: Vec<&Value> = events
        .iter()
        .filter(|e| e["status"] == "unchanged")
        .collect();
    assert_eq!(copies.len(), 1, "{events:?}");
    assert!(copies[0]["reason"]
        .as_str()
        .is_some_and(|r| r.starts_with("same content as")));
    let summary = events.last().expect("summary");
    assert_eq!(summary["reread"], 3);
    // Read again, not added again: the same documents, versions and search hits.
    let listing = docs(dir.path(), false);
    assert_eq!(listing.len(), 3);
    assert!(listing
        .iter()
        .all(|d| d["versions"].as_array().map(Vec::len) == Some(1)));
    let hits: Vec<Value> = json_lines(
        ok(
            dir.path(),
            &[
                "search",
                "underretning",
                "--index",
                "idx",
                "--json",
                "--limit",
                "30",
                "--per-doc",
                "10",
            ],
        )
        .as_bytes(),
    );
    let mut keys: Vec<(String, String)> = hits
        .iter()
        .map(|h| (h["doc"].to_string(), h["clause"].to_string()))
        .collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "no clause twice after a re-read");
}

#[test]
fn a_needs_ocr_document_is_read_again_once_tesseract_is_there() {
    if !crate::ocr::ocr_tools("a_needs_ocr_document_is_read_again_once_tesseract_is_there") {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let scan = dir.path().join("scan.pdf");
    std::fs::copy(
        repo("fixtures/scans/002_itj_consult_signed_scan.pdf"),
        &scan,
    )
    .expect("copy");
    // No Tesseract on PATH: the typed pages are indexed, the scanned page waits.
    let out = aftale()
        .current_dir(dir.path())
        .env("PATH", dir.path())
        .args(["ingest", "scan.pdf", "--index", "idx", "--json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(docs(dir.path(), false)[0]["latest"]["quality"], "needs_ocr");
    // Tesseract back: the same file is read again without being asked.
    let events = ingest(dir.path(), &["scan.pdf"]);
    assert_eq!(statuses(&events), [("scan.pdf".into(), "reread".into())]);
    let listing = docs(dir.path(), false);
    assert_ne!(listing[0]["latest"]["quality"], "needs_ocr", "{listing:?}");
    assert_eq!(listing[0]["versions"].as_array().map(Vec::len), Some(1));
    // And it is not read a third time.
    let again = ingest(dir.path(), &["scan.pdf"]);
    assert_eq!(statuses(&again), [("scan.pdf".into(), "unchanged".into())]);
}

#[test]
fn missing_inputs_and_a_file_as_index_are_named_and_create_nothing() {
    let dir = TempDir::new().expect("tempdir");
    let out = run(dir.path(), &["ingest", "nosuchdir", "--index", "idx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nosuchdir"));
    assert!(!dir.path().join("idx").exists(), "no index was created");
    write(&dir.path().join("afile"), "x");
    for args in [
        &["docs", "--index", "afile"][..],
        &["ingest", "afile", "--index", "afile"][..],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("afile") && err.contains("not a folder"),
            "{err}"
        );
    }
}

/// SIGINT at several moments of an import of many documents: every document the run reported
/// as indexed is in the index, the exit status is 130 (or 0 when the import was already done),
/// and the next run imports the rest.
#[cfg(unix)]
#[test]
fn an_interrupted_import_keeps_every_finished_document_and_the_next_run_completes() {
    let base = agreement();
    let n = 120;
    let mut interrupted = 0;
    for delay_ms in [100u64, 300, 700] {
        let dir = TempDir::new().expect("tempdir");
        for i in 0..n {
            write(
                &dir.path().join(format!("many/a{i:02}.txt")),
                &format!("{base}\n\nBilag {i}: aftalens løbenummer {i}.\n"),
            );
        }
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aftale"))
            .current_dir(dir.path())
            .args(["ingest", "many", "--index", "idx", "--json", "-j", "1"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        // SAFETY: sending a signal to our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let out = child.wait_with_output().expect("wait");
        let events: Vec<Value> = json_lines(&out.stdout);
        let indexed = events.iter().filter(|e| e["status"] == "indexed").count();
        let summary = events.last().expect("a summary even when interrupted");
        match out.status.code() {
            Some(130) => {
                interrupted += 1;
                let left = summary["interrupted"].as_u64().expect("interrupted count") as usize;
                assert_eq!(indexed + left, n, "{summary}");
            }
            Some(0) => assert_eq!(indexed, n),
            other => panic!("exit {other:?}: {}", String::from_utf8_lossy(&out.stderr)),
        }
        assert_eq!(
            docs(dir.path(), false).len(),
            indexed,
            "delay {delay_ms} ms"
        );
        let rest = ingest(dir.path(), &["many"]);
        let summary = rest.last().expect("summary");
        assert_eq!(summary["indexed"].as_u64(), Some((n - indexed) as u64));
        assert_eq!(docs(dir.path(), false).len(), n);
    }
    assert!(
        interrupted > 0,
        "no run was interrupted: make the import longer"
    );
}

/// An import interrupted while it recognises a scan keeps the pages it recognised: the next run
/// takes them from the index folder's page cache, and the cache is empty once the scan is stored.
#[cfg(unix)]
#[test]
fn an_interrupted_scan_import_keeps_its_recognised_pages() {
    if !crate::ocr::ocr_tools("an_interrupted_scan_import_keeps_its_recognised_pages") {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    std::fs::copy(
        repo("fixtures/scans/002_itj_consult_150dpi.pdf"),
        dir.path().join("scan.pdf"),
    )
    .expect("copy");
    let cache = dir.path().join("idx/ocr-cache");
    let pages = || std::fs::read_dir(&cache).map_or(0, |d| d.flatten().count());
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aftale"))
        .current_dir(dir.path())
        .args(["ingest", "scan.pdf", "--index", "idx", "--json", "-j", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Interrupt once some pages are recognised (or give up waiting after a minute).
    let start = std::time::Instant::now();
    while pages() == 0 && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // SAFETY: sending a signal to our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let out = child.wait_with_output().expect("wait");
    if out.status.code() == Some(130) {
        assert!(pages() > 0, "the recognised pages are kept");
        assert!(
            docs(dir.path(), false).is_empty(),
            "a half-read scan is not stored"
        );
    }
    let events = ingest(dir.path(), &["scan.pdf"]);
    assert_eq!(statuses(&events), [("scan.pdf".into(), "indexed".into())]);
    assert_eq!(pages(), 0, "the cache is emptied once the scan is stored");
}
