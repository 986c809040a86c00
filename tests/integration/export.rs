//! `aftale export`: the `_bulk` body checked against the bulk format, ids stable across exports
//! and versions, every clause present, CSV guarded, and `scale/opensearch/mapping.json`'s folding
//! the same as `aftale::analysis::fold`.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use tempfile::TempDir;

use crate::util::{aftale, copy_tree, ingest, json_lines, repo, stdout_of, Rng};

/// A folder with a copy of `corpus/` under `docs/`, ingested into `idx`.
fn corpus_index() -> TempDir {
    let dir = TempDir::new().expect("tempdir");
    copy_tree(&repo("corpus"), &dir.path().join("docs"));
    ingest(&dir.path().join("docs"), &dir.path().join("idx"));
    dir
}

fn export(dir: &Path, args: &[&str]) -> String {
    let stdout = stdout_of(
        aftale()
            .current_dir(dir)
            .arg("export")
            .args(["--index", "idx"])
            .args(args),
    );
    String::from_utf8(stdout).expect("utf-8")
}

/// The (id, document) pairs of a `_bulk` body, after checking it line by line.
fn bulk_documents(body: &str, index_name: &str) -> Vec<(String, serde_json::Value)> {
    assert!(body.ends_with('\n'), "the last line ends with a newline");
    let lines: Vec<&str> = body.split_terminator('\n').collect();
    assert!(
        !lines.is_empty() && lines.len().is_multiple_of(2),
        "{}",
        lines.len()
    );
    let mut out = Vec::new();
    for pair in lines.chunks(2) {
        assert!(!pair[0].contains('\r') && !pair[1].contains('\r'));
        let action: serde_json::Value = serde_json::from_str(pair[0]).expect("action line");
        let action = action.as_object().expect("action is an object");
        assert_eq!(action.len(), 1, "{action:?}");
        let target = action["index"].as_object().expect("an index action");
        assert_eq!(target.len(), 2, "{target:?}");
        assert_eq!(target["_index"], index_name);
        let id = target["_id"].as_str().expect("_id").to_string();
        let doc: serde_json::Value = serde_json::from_str(pair[1]).expect("document line");
        assert!(doc.is_object(), "{doc}");
        assert!(
            doc.get("index").is_none(),
            "a document, not an action: {doc}"
        );
        out.push((id, doc));
    }
    let ids: HashSet<&str> = out.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids.len(), out.len(), "ids are unique");
    out
}

#[test]
fn bulk_body_has_every_clause_once_and_the_same_bytes_twice() {
    let dir = corpus_index();
    let body = export(dir.path(), &["--format", "opensearch-bulk"]);
    assert_eq!(
        body,
        export(dir.path(), &[]),
        "the same index, the same bytes"
    );
    let docs = bulk_documents(&body, "aftale-clauses");
    let named = export(dir.path(), &["--index-name", "dpa-2024"]);
    assert_eq!(bulk_documents(&named, "dpa-2024").len(), docs.len());

    // Every clause with text of every agreement, once.
    let store = aftale::index::IndexStore::open(&dir.path().join("idx")).expect("index");
    let agreements = store.agreements().expect("agreements");
    assert_eq!(agreements.len(), 3);
    let want: BTreeSet<(String, u64)> = agreements
        .iter()
        .flat_map(|a| {
            a.record
                .clauses
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.text.trim().is_empty())
                .map(|(i, _)| (a.document.key.clone(), i as u64))
        })
        .collect();
    let got: BTreeSet<(String, u64)> = docs
        .iter()
        .map(|(_, d)| {
            (
                d["doc_key"].as_str().expect("doc_key").to_string(),
                d["position"].as_u64().expect("position"),
            )
        })
        .collect();
    assert_eq!(got.len(), docs.len());
    assert_eq!(got, want);
    for (_, d) in &docs {
        assert_eq!(d["current"], true);
        assert!(d["content_id"].as_str().is_some_and(|id| id.len() == 64));
        assert!(d["text"].as_str().is_some_and(|t| !t.trim().is_empty()));
    }
    // Some agreement's facts come along.
    assert!(docs.iter().any(|(_, d)| d["vendor"].is_string()));
    assert!(docs
        .iter()
        .any(|(_, d)| d["subprocessors"].as_array().is_some_and(|s| !s.is_empty())));

    // JSON Lines: the same documents, the id as a field.
    let lines: Vec<serde_json::Value> =
        json_lines(export(dir.path(), &["--format", "clauses-jsonl"]).as_bytes());
    assert_eq!(lines.len(), docs.len());
    for (line, (id, doc)) in lines.iter().zip(&docs) {
        assert_eq!(line["id"], id.as_str());
        let mut without = line.clone();
        without.as_object_mut().map(|o| o.remove("id"));
        assert_eq!(&without, doc);
    }

    // Every field the export writes is in the template, which refuses unknown fields.
    let mapping = mapping();
    let properties = mapping["template"]["mappings"]["properties"]
        .as_object()
        .expect("properties");
    for (_, d) in &docs {
        for key in d.as_object().expect("object").keys() {
            assert!(properties.contains_key(key), "{key} is not in mapping.json");
        }
    }
}

#[test]
fn latest_ids_survive_a_new_version_and_all_versions_keep_both() {
    let dir = corpus_index();
    let before = bulk_documents(&export(dir.path(), &[]), "aftale-clauses");
    let ids_of = |docs: &[(String, serde_json::Value)], key: &str| -> BTreeSet<String> {
        docs.iter()
            .filter(|(_, d)| d["doc_key"] == key)
            .map(|(id, _)| id.clone())
            .collect()
    };
    let keys: BTreeSet<String> = before
        .iter()
        .map(|(_, d)| d["doc_key"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(keys.len(), 3);

    // A changed copy of one file: a new version of that document.
    let changed = std::fs::read_dir(dir.path().join("docs"))
        .expect("docs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .min()
        .expect("a file");
    let mut text = std::fs::read_to_string(&changed).expect("text");
    text.push_str("\n\nDatabehandleren opbevarer ikke personoplysninger længere end nødvendigt.\n");
    std::fs::write(&changed, text).expect("write");
    ingest(&dir.path().join("docs"), &dir.path().join("idx"));

    let after = bulk_documents(&export(dir.path(), &[]), "aftale-clauses");
    let changed_key = after
        .iter()
        .find(|(_, d)| d["version"] == 2)
        .map(|(_, d)| d["doc_key"].as_str().unwrap_or_default().to_string())
        .expect("one document is at version 2");
    for key in &keys {
        if *key != changed_key {
            assert_eq!(ids_of(&before, key), ids_of(&after, key), "{key}");
        }
    }
    // The changed document's clauses that were there before keep their ids.
    let kept = ids_of(&before, &changed_key)
        .intersection(&ids_of(&after, &changed_key))
        .count();
    assert!(kept > 0, "a new version updates the same documents");

    let all = bulk_documents(&export(dir.path(), &["--all-versions"]), "aftale-clauses");
    let versions: BTreeSet<(u64, bool)> = all
        .iter()
        .filter(|(_, d)| d["doc_key"] == changed_key.as_str())
        .map(|(_, d)| {
            (
                d["version"].as_u64().unwrap_or(0),
                d["current"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        versions,
        BTreeSet::from([(1, false), (2, true)]),
        "both versions, the second current"
    );
    assert_eq!(
        all.len(),
        after.len() + ids_of(&before, &changed_key).len(),
        "the current versions and the changed document's first one"
    );
    let all_ids: HashSet<&str> = all.iter().map(|(id, _)| id.as_str()).collect();
    for (id, _) in &after {
        assert!(
            !all_ids.contains(id.as_str()),
            "all-versions ids include the version"
        );
    }
}

#[test]
fn csv_has_a_header_and_a_guarded_row_per_clause() {
    let dir = TempDir::new().expect("tempdir");
    std::fs::copy(
        repo("corpus/002_57dfb51f510d3c48.txt"),
        dir.path().join("=evil.txt"),
    )
    .expect("copy");
    stdout_of(
        aftale()
            .current_dir(dir.path())
            .args(["ingest", "=evil.txt", "--index", "idx"]),
    );
    let csv = export(dir.path(), &["--format", "csv", "--csv-sep", ";"]);
    let bulk = bulk_documents(&export(dir.path(), &[]), "aftale-clauses");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.get(0), Some("id"));
    let path = header
        .iter()
        .position(|h| h == "path")
        .expect("path column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), bulk.len());
    for (row, (id, _)) in rows.iter().zip(&bulk) {
        assert_eq!(row.get(0), Some(id.as_str()));
        assert_eq!(
            row.get(path),
            Some("'=evil.txt"),
            "no cell runs as a formula"
        );
    }
}

#[test]
fn an_empty_index_says_so_and_an_unknown_format_is_a_usage_error() {
    let dir = TempDir::new().expect("tempdir");
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    ingest(&dir.path().join("empty"), &dir.path().join("idx"));
    for format in ["opensearch-bulk", "jsonl", "clauses-jsonl", "csv"] {
        let out = aftale()
            .current_dir(dir.path())
            .args(["export", "--index", "idx", "--format", format])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stdout.is_empty(), "{format}");
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            said.contains("no clauses") || said.contains("no records"),
            "{said}"
        );
    }
    aftale()
        .current_dir(dir.path())
        .args(["export", "--index", "idx", "--format", "xml"])
        .assert()
        .code(2);
    // Options the format does not use are refused, not ignored.
    for wrong in [
        &["--format", "csv", "--index-name", "x"][..],
        &["--format", "jsonl", "--csv-sep", ";"],
    ] {
        aftale()
            .current_dir(dir.path())
            .args(["export", "--index", "idx"])
            .args(wrong)
            .assert()
            .code(2);
    }
}

fn mapping() -> serde_json::Value {
    let text = std::fs::read_to_string(repo("scale/opensearch/mapping.json")).expect("mapping");
    serde_json::from_str(&text).expect("mapping.json parses")
}

/// Lucene's `mapping` char_filter: at each place the longest rule that matches is replaced (its
/// output is not read again), else one character is kept; then the `lowercase` filter.
fn char_filter(rules: &[(String, String)], text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let best = rules
            .iter()
            .filter(|(from, _)| rest.starts_with(from.as_str()))
            .max_by_key(|(from, _)| from.len());
        match best {
            Some((from, to)) => {
                out.push_str(to);
                rest = &rest[from.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out.to_lowercase()
}

#[test]
fn the_mapping_folds_as_aftale_does() {
    let mapping = mapping();
    assert_eq!(mapping["index_patterns"][0], "aftale-clauses*");
    let analysis = &mapping["template"]["settings"]["analysis"];
    let analyzer = &analysis["analyzer"]["aftale_danish"];
    assert_eq!(analyzer["char_filter"][0], "aftale_fold");
    assert!(analyzer["filter"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f == "lowercase")));
    let rules: Vec<(String, String)> = analysis["char_filter"]["aftale_fold"]["mappings"]
        .as_array()
        .expect("mappings")
        .iter()
        .map(|r| {
            let r = r.as_str().expect("a rule");
            let (from, to) = r.split_once(" => ").expect("x => y");
            (from.to_string(), to.to_string())
        })
        .collect();
    let words = [
        "Bølgetop",
        "boelge",
        "BØLGE",
        "Åkande",
        "aakande",
        "AAKANDE",
        "Træ",
        "trae",
        "TRÆ",
        "underdatabehandler",
        "Underdatabehandlere",
        "Sikkerhedsbrud",
        "Behandlingssikkerhed",
        "Overførsel",
        "OVERFOERSEL",
        "Haandtering",
        "Håndtering",
        "café",
        "Café",
        "naïve",
        "Müller",
        "Straße",
        "Ændringer",
        "Paaå",
        "Øe",
        "aæ",
        "saaaa",
        "3.4.2",
        "EU/EØS",
    ];
    for word in words {
        assert_eq!(
            char_filter(&rules, word),
            aftale::analysis::fold(word),
            "{word}"
        );
    }
    // Folded spellings meet, as in search.
    for (a, b) in [
        ("Bølgetop", "boelgetop"),
        ("Åkande", "aakande"),
        ("Træ", "trae"),
    ] {
        assert_eq!(char_filter(&rules, a), char_filter(&rules, b), "{a} / {b}");
    }
    // And over random strings of the letters the rules are about.
    let alphabet: Vec<char> = "aAåÅæÆoOøØeEbé ".chars().collect();
    let mut rng = Rng(0x5eed_f01d);
    for _ in 0..5000 {
        let n = rng.below(9);
        let s: String = (0..n)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        assert_eq!(char_filter(&rules, &s), aftale::analysis::fold(&s), "{s:?}");
    }
}

/// The stand-alone checker shipped for users (`scale/opensearch/validate_bulk.py`) accepts two
/// exports of one index as the same documents under the same ids, and refuses a body that lost
/// its final newline.
#[test]
fn the_shipped_bulk_checker_accepts_two_exports_and_refuses_a_cut_body() {
    let dir = corpus_index();
    let first = export(dir.path(), &[]);
    let second = export(dir.path(), &[]);
    std::fs::write(dir.path().join("a.ndjson"), &first).expect("write");
    std::fs::write(dir.path().join("b.ndjson"), &second).expect("write");
    std::fs::write(dir.path().join("cut.ndjson"), first.trim_end()).expect("write");
    let script = repo("scale/opensearch/validate_bulk.py");
    let run = |args: &[&str]| {
        std::process::Command::new("python3")
            .arg(&script)
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("python3 runs (CI has it)")
    };
    let ok = run(&["a.ndjson", "b.ndjson"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("the same ids and documents"));
    let cut = run(&["cut.ndjson"]);
    assert_eq!(cut.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&cut.stderr).contains("newline"));
}
