//! Crashes and concurrency: `aftale ingest` killed with SIGKILL at many moments leaves an index
//! that opens and holds only whole documents, and a re-run finishes the rest; readers work
//! while an import runs; a second writer is refused; a file-size limit is a clear error.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aftale::index::IndexStore;
use serde_json::Value;

use crate::util::{aftale, json_lines, repo, stdout_of};

/// `n` distinct agreements: the ITJ agreement with a numbered line that makes each unique.
fn corpus(dir: &Path, n: usize) -> PathBuf {
    let base = std::fs::read_to_string(repo("corpus/002_57dfb51f510d3c48.txt")).expect("read");
    let folder = dir.join("docs");
    std::fs::create_dir_all(&folder).expect("mkdir");
    for k in 0..n {
        let text = format!(
            "{base}\n\n18. Særlige vilkår\n\n18.1. Aftale nr. {k} gælder fra underskrift.\n"
        );
        std::fs::write(folder.join(format!("dpa_{k:03}.txt")), text).expect("write");
    }
    folder
}

/// Import the shipped corpus into `index`: a first commit for a test to build on.
fn ingest_corpus(index: &str) {
    stdout_of(
        aftale()
            .arg("ingest")
            .arg(repo("corpus"))
            .args(["--index", index]),
    );
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("aftale")
}

/// The index holds only whole documents: every version has its record and exactly its own
/// clause entries, and no content twice.
fn check_whole(index: &Path) -> usize {
    let store = IndexStore::open(index).expect("the index opens after a crash");
    let versions = store.versions().expect("versions");
    let mut ids: Vec<&str> = versions.iter().map(|v| v.id.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "a document stored twice");
    let mut clauses = 0;
    for v in &versions {
        let record = store
            .record(&v.id)
            .expect("read")
            .unwrap_or_else(|| panic!("version {} has no record", v.id));
        assert_eq!(v.version, 1, "unchanged files never make a new version");
        clauses += record.clauses.len();
    }
    assert_eq!(
        store.clause_entries().expect("count"),
        clauses,
        "clause entries without their document, or the reverse"
    );
    versions.len()
}

#[test]
fn sigkill_at_twenty_moments_loses_nothing_and_a_rerun_finishes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = corpus(dir.path(), 40);
    let index = dir.path().join("index");
    // How long a whole run takes here, to spread the kills over it.
    let started = Instant::now();
    let probe = dir.path().join("probe-index");
    stdout_of(
        aftale()
            .arg("ingest")
            .arg(&docs)
            .arg("--index")
            .arg(&probe)
            .args(["--commit-every", "3", "-j", "2"]),
    );
    let full = started.elapsed();
    let mut last = 0;
    for k in 0..20u32 {
        // From right at the start on, more often early, when the index is being created; each
        // run takes up where the last commit left off.
        let delay = full.mul_f64(f64::from(k * k) / 400.0 * 0.12);
        let mut child = Command::new(bin())
            .arg("ingest")
            .arg(&docs)
            .arg("--index")
            .arg(&index)
            .args(["--commit-every", "3", "-j", "2", "--json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        // SIGKILL: no chance to clean up.
        let _ = child.kill();
        let _ = child.wait();
        if index.join("aftale.json").exists() {
            let stored = check_whole(&index);
            assert!(stored >= last, "kill {k}: committed documents were lost");
            last = stored;
        }
    }
    let out = Command::new(bin())
        .arg("ingest")
        .arg(&docs)
        .arg("--index")
        .arg(&index)
        .arg("--json")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let events: Vec<Value> = json_lines(&out.stdout);
    let summary = events.last().expect("summary");
    let indexed = summary["indexed"].as_u64().unwrap_or(0) as usize;
    let unchanged = summary["unchanged"].as_u64().unwrap_or(0) as usize;
    assert_eq!(indexed + unchanged, 40, "{summary}");
    assert_eq!(
        unchanged, last,
        "what was committed before the crashes is known"
    );
    assert_eq!(check_whole(&index), 40);
    eprintln!("20 kills over {full:?}: {last} documents committed before the re-run");
}

#[test]
fn readers_work_during_an_import_and_a_second_writer_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = corpus(dir.path(), 30);
    let index = dir.path().join("index");
    let index_arg = index.to_string_lossy().to_string();
    // A first commit, so that readers have something to see.
    ingest_corpus(&index_arg);
    let mut writer = Command::new(bin())
        .arg("ingest")
        .arg(&docs)
        .args(["--index", &index_arg, "--commit-every", "2", "-j", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(300));
    let mut saw_running = false;
    for _ in 0..5 {
        if writer.try_wait().expect("wait").is_none() {
            saw_running = true;
            let second = Command::new(bin())
                .arg("ingest")
                .arg(repo("corpus"))
                .args(["--index", &index_arg])
                .output()
                .expect("run");
            if writer.try_wait().expect("wait").is_none() {
                assert_eq!(second.status.code(), Some(2));
                assert!(String::from_utf8_lossy(&second.stderr).contains("index is locked"));
            }
        }
        for args in [
            vec!["docs", "--json"],
            vec!["search", "sikkerhedsbrud", "--json"],
            vec!["subprocessors", "--json"],
            vec!["deadlines", "--json"],
        ] {
            let out = Command::new(bin())
                .args(&args)
                .args(["--index", &index_arg])
                .output()
                .expect("run");
            assert_eq!(
                out.status.code(),
                Some(0),
                "`aftale {}` during an import: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    assert!(
        saw_running,
        "the import finished before the readers ran: make it longer"
    );
    assert!(writer.wait().expect("wait").success());
    assert_eq!(check_whole(&index), 33);
}

#[cfg(unix)]
#[test]
fn a_file_size_limit_is_a_clear_error_and_the_index_stays_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = corpus(dir.path(), 12);
    let index = dir.path().join("index");
    let index_arg = index.to_string_lossy().to_string();
    ingest_corpus(&index_arg);
    let before = check_whole(&index);
    // 64 KiB per file: the next segment of the index cannot be written.
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 128; exec '{}' ingest '{}' --index '{}'",
            bin().display(),
            docs.display(),
            index.display()
        ))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.lines().count() <= 3 && stderr.contains("aftale:"),
        "{stderr}"
    );
    assert!(stderr.contains("cannot write to the index"), "{stderr}");
    assert_eq!(check_whole(&index), before, "the last commit is intact");
    // Without the limit the import goes through.
    stdout_of(
        aftale()
            .arg("ingest")
            .arg(&docs)
            .args(["--index", &index_arg]),
    );
    assert_eq!(check_whole(&index), before + 12);
}

#[test]
fn an_index_of_an_older_schema_says_how_to_go_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = dir.path().join("index");
    let index_arg = index.to_string_lossy().to_string();
    ingest_corpus(&index_arg);
    std::fs::write(
        index.join("aftale.json"),
        r#"{"schema": 1, "created_by": "aftale 0.0.1"}"#,
    )
    .expect("write");
    for args in [
        vec!["docs"],
        vec!["search", "sletning"],
        vec!["ingest", "corpus"],
    ] {
        let out = aftale()
            .current_dir(repo(""))
            .args(&args)
            .args(["--index", &index_arg])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("was written with schema 1") && stderr.contains("re-ingest"),
            "{stderr}"
        );
    }
}
