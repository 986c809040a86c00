//! `scale/spark/aftale_job.py`: the Spark job over `corpus/` and a handful of fixtures (PDFs,
//! text, sub-processor tables, a broken PDF, an empty file, a picture), run with `local[2]`
//! and checked against the binary itself: every input has exactly one line, the ok lines are
//! `aftale extract --json` of the file, the register is `aftale subprocessors --json` over an
//! index of the same files, the deadlines and the review matrix have one row per deadline and
//! per agreement with the statuses the binary derived.
//!
//! Skips with a message when `spark-submit` (pyspark) or Java is missing, and fails instead
//! when `AFTALE_REQUIRE_SPARK=1` (`.ci/run` sets it after installing them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

use crate::util::{aftale, copy_tree, json_lines, repo, stdout_of};

const INSTALL: &str = "apt-get install default-jre-headless; python3 -m pip install pyspark";

/// The fixtures beside `corpus/`: varied kinds, including ones that fail or are skipped.
const FIXTURES: [&str; 8] = [
    "fixtures/inputs/pdf/subprocessor_table.pdf",
    "fixtures/inputs/pdf/002_itj_consult.pdf",
    "fixtures/real/text/03_operia-dcalogic-bilag-a-d.txt",
    "fixtures/real/browser/07_chainhub-dba.pdf",
    "fixtures/inputs/text/not_a_dpa.txt",
    "fixtures/inputs/bad/truncated.pdf",
    "fixtures/inputs/bad/empty.txt",
    "fixtures/inputs/other/logo.png",
];

/// Are Java and `spark-submit` here? `false` (after saying so) means: skip this test.
fn spark_tools(test: &str) -> bool {
    let works = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let java = works("java", "-version");
    let spark = java && works("spark-submit", "--version");
    if java && spark {
        return true;
    }
    let missing = if java { "spark-submit" } else { "java" };
    assert!(
        std::env::var("AFTALE_REQUIRE_SPARK").as_deref() != Ok("1"),
        "{test}: AFTALE_REQUIRE_SPARK=1 but {missing} is missing ({INSTALL})"
    );
    eprintln!("{test}: skipped, {missing} is missing ({INSTALL})");
    false
}

/// The `part-*` files of a Spark output folder, in name order.
fn part_files(dir: &Path) -> Vec<PathBuf> {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("part-"))
        })
        .collect();
    parts.sort();
    parts
}

/// The JSON lines of every `part-*` file of a Spark output folder.
fn part_lines(dir: &Path) -> Vec<Value> {
    part_files(dir)
        .iter()
        .flat_map(|p| json_lines::<Value>(&std::fs::read(p).expect("read part")))
        .collect()
}

/// A path as the canonical absolute path (the index keeps paths as given, the job as listed).
fn canonical(path: &str) -> String {
    std::fs::canonicalize(path).map_or_else(|_| path.to_string(), |p| p.display().to_string())
}

#[test]
fn spark_job_matches_extract_and_the_register() {
    if !spark_tools("spark_job_matches_extract_and_the_register") {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let input = dir.path().join("in");
    copy_tree(&repo("corpus"), &input.join("corpus"));
    std::fs::create_dir_all(input.join("fixtures")).expect("mkdir");
    for rel in FIXTURES {
        let name = Path::new(rel).file_name().expect("file name");
        copy_tree(&repo(rel), &input.join("fixtures").join(name));
    }
    let out = dir.path().join("out");
    let job = Command::new("spark-submit")
        .args(["--master", "local[2]"])
        .arg(repo("scale/spark/aftale_job.py"))
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_aftale"))
        .arg("--input")
        .arg(input.join("corpus"))
        .arg("--input")
        .arg(input.join("fixtures"))
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run spark-submit");
    let stderr = String::from_utf8_lossy(&job.stderr);
    assert!(job.status.success(), "spark job failed:\n{stderr}");
    let inputs = 3 + FIXTURES.len();
    let summary: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).expect("summary.json"))
            .expect("summary");
    assert_eq!(summary["inputs"], inputs, "{summary}");

    // (a) Exactly one line per input; ok lines are `extract --json` of the file.
    let lines = part_lines(&out.join("records"));
    assert_eq!(lines.len(), inputs);
    let mut seen = std::collections::BTreeSet::new();
    let mut ok: Vec<&Value> = Vec::new();
    for line in &lines {
        let path = line["path"].as_str().expect("path").to_string();
        assert!(seen.insert(path.clone()), "{path}: two lines");
        match line["status"].as_str() {
            Some("ok") => {
                let mut record = line.clone();
                let object = record.as_object_mut().expect("object");
                for key in ["status", "path", "location", "derived"] {
                    object.remove(key);
                }
                let stdout = stdout_of(aftale().arg("extract").arg(&path).arg("--json"));
                let expected: Value = serde_json::from_slice(&stdout).expect("record");
                assert_eq!(record, expected, "{path}: the line is not extract --json");
                ok.push(line);
            }
            Some("failed" | "skipped") => {
                let reason = line["reason"].as_str().unwrap_or_default();
                assert!(!reason.is_empty(), "{path}: no reason: {line}");
            }
            other => panic!("{path}: status {other:?}"),
        }
    }
    assert!(ok.len() >= 5, "{} ok", ok.len());
    assert!(
        ok.len() < inputs,
        "the broken files must fail or be skipped"
    );
    let failed = part_lines(&out.join("failed"));
    assert_eq!(failed.len(), inputs - ok.len());

    // (b) The register is `aftale subprocessors --json` over an index of the same files.
    // Normalised: appearance paths to the canonical path (the index keeps the path as given,
    // the job the listed absolute one) and the order of a company's appearances (the order
    // agreements come out of an index is not part of the register's contract).
    let index = dir.path().join("idx");
    let ingest = aftale()
        .arg("ingest")
        .arg(&input)
        .arg("--index")
        .arg(&index)
        .output()
        .expect("ingest");
    assert!(
        ingest.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&ingest.stderr)
    );
    let expected: Vec<Value> = json_lines(&stdout_of(
        aftale()
            .arg("subprocessors")
            .arg("--json")
            .arg("--index")
            .arg(&index),
    ));
    let normalise = |mut companies: Vec<Value>| -> Vec<Value> {
        for c in &mut companies {
            if let Some(apps) = c["agreements"].as_array_mut() {
                for a in apps.iter_mut() {
                    let path = canonical(a["path"].as_str().unwrap_or_default());
                    a["path"] = Value::String(path);
                }
                apps.sort_by_key(|a| a.to_string());
            }
        }
        companies
    };
    let register = part_lines(&out.join("register"));
    assert!(register.len() > 40, "{} companies", register.len());
    assert_eq!(normalise(register), normalise(expected.clone()));

    // (b') The cluster extracts, a laptop searches: the job's records imported with `index
    // --from-jsonl` give the index `ingest` gave.
    let records = part_files(&out.join("records"));
    let laptop = dir.path().join("laptop");
    let import = aftale()
        .args(["index", "--from-jsonl"])
        .args(&records)
        .arg("--index")
        .arg(&laptop)
        .output()
        .expect("index --from-jsonl");
    assert_eq!(
        import.status.code(),
        ingest.status.code(),
        "{}",
        String::from_utf8_lossy(&import.stdout)
    );
    let imported: Vec<Value> = json_lines(&stdout_of(
        aftale()
            .args(["subprocessors", "--json", "--index"])
            .arg(&laptop),
    ));
    assert_eq!(normalise(imported), normalise(expected));

    // (c) One deadline row per deadline, one review row per agreement with its statuses.
    let deadlines = part_lines(&out.join("deadlines"));
    let stated: usize = ok
        .iter()
        .map(|l| l["deadlines"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(deadlines.len(), stated);
    assert!(deadlines
        .iter()
        .all(|d| d["controllers_own"].is_boolean() && d["agreement"].is_string()));
    let review: BTreeMap<String, Value> = part_lines(&out.join("review"))
        .into_iter()
        .map(|r| (r["path"].as_str().expect("path").to_string(), r))
        .collect();
    assert_eq!(review.len(), ok.len());
    for line in &ok {
        let row = &review[line["location"].as_str().expect("location")];
        let items = line["derived"]["review"]["items"]
            .as_array()
            .expect("items");
        for item in items {
            let id = item["id"].as_str().expect("id");
            assert_eq!(row[id], item["status"], "{}: {id}", line["path"]);
        }
        let missing = items.iter().filter(|i| i["status"] == "missing").count();
        assert_eq!(row["missing"], missing);
    }
    for table in ["parquet", "register_csv", "deadlines_csv", "review_csv"] {
        assert!(out.join(table).join("_SUCCESS").exists(), "{table}");
    }
}

/// On a cluster the binary travels with the job: `spark-submit --files BIN` and `--bin` naming
/// only its file name, which no worker has at that path, so each task runs the shipped copy.
#[test]
fn spark_job_runs_the_binary_shipped_with_files() {
    if !spark_tools("spark_job_runs_the_binary_shipped_with_files") {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let out = dir.path().join("out");
    let binary = Path::new(env!("CARGO_BIN_EXE_aftale"));
    let name = binary
        .file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned();
    let job = Command::new("spark-submit")
        .current_dir(dir.path())
        .args(["--master", "local[1]", "--files"])
        .arg(binary)
        .arg(repo("scale/spark/aftale_job.py"))
        .args(["--bin", &name, "--input"])
        .arg(repo("corpus"))
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run spark-submit");
    assert!(
        job.status.success(),
        "spark job failed:\n{}",
        String::from_utf8_lossy(&job.stderr)
    );
    assert!(
        !dir.path().join(&name).exists(),
        "no binary at --bin's path"
    );
    let lines = part_lines(&out.join("records"));
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l["status"] == "ok"), "{lines:?}");
}
