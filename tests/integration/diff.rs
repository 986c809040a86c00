//! `aftale diff` on version pairs built from the ITJ agreement (`fixtures/make_diff_fixtures.py`):
//! the diff must report exactly the edits made and nothing else, for text, for PDF, for two
//! versions in the index, and nothing at all for an OCR-damaged copy with `--ignore-ocr`.

use std::collections::BTreeSet;

use aftale_bench::damage::damage;
use serde_json::Value;

use crate::util::{aftale, chromium, headless, ingest, repo, screenshot_colours, stdout_of};

const V1: &str = "corpus/002_57dfb51f510d3c48.txt";
const V2: &str = "fixtures/diff/itj_v2.txt";

fn diff_json(args: &[&str]) -> Value {
    let mut cmd = aftale();
    cmd.current_dir(repo(""))
        .arg("diff")
        .args(args)
        .args(["--format", "json"]);
    let out = stdout_of(&mut cmd);
    serde_json::from_slice(&out).expect("diff --format json prints one JSON object")
}

fn number(side: &Value) -> String {
    side.get("number")
        .and_then(Value::as_str)
        .unwrap_or("-")
        .to_string()
}

/// Each change as `kind old→new` for clauses, or `kind` for facts: a set to compare exactly.
fn change_set(diff: &Value) -> BTreeSet<String> {
    diff["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let kind = c["kind"].as_str().unwrap_or("?");
            match (c.get("old"), c.get("new")) {
                _ if kind.contains('_') => kind.to_string(),
                (Some(o), Some(n)) => format!("{kind} {}→{}", number(o), number(n)),
                _ => kind.to_string(),
            }
        })
        .collect()
}

fn summary(diff: &Value, key: &str) -> u64 {
    diff["summary"][key].as_u64().unwrap_or(u64::MAX)
}

/// The edits `make_diff_fixtures.py` made to version 2, as the diff must name them.
fn expected_v2() -> BTreeSet<String> {
    [
        "added -→5.4",
        "renumbered 5.4→5.5",
        "renumbered 5.5→5.6",
        "renumbered 5.6→5.7",
        "modified 9.4→9.4",
        "modified 11.2→11.2",
        "modified 12.2→12.2",
        "removed 13.7→-",
        "deadline_changed",
        "subprocessor_added",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn check_v2(diff: &Value) {
    assert_eq!(change_set(diff), expected_v2(), "{diff:#}");
    for (key, n) in [
        ("added", 1),
        ("removed", 1),
        ("modified", 3),
        ("moved", 0),
        ("renumbered", 3),
        ("split", 0),
        ("merged", 0),
        ("deadlines", 1),
        ("subprocessors", 1),
        ("identifiers", 0),
        ("topics", 0),
        ("changelog", 0),
    ] {
        assert_eq!(summary(diff, key), n, "summary.{key}");
    }
    let changes = diff["changes"].as_array().expect("changes");
    let find = |kind: &str| {
        changes
            .iter()
            .find(|c| c["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind}"))
    };
    let deadline = find("deadline_changed");
    assert_eq!(deadline["old"]["kind"], "undue_delay");
    assert_eq!(deadline["new"]["amount"], 48.0);
    assert_eq!(deadline["new"]["unit"], "hours");
    assert_eq!(deadline["new"]["clause"], "11.2");
    let row = find("subprocessor_added");
    assert_eq!(row["new"]["country"], "US");
    assert_eq!(row["new"]["third_country"], true);
    assert_eq!(row["important"], true);
    // The changed deadline's wording: a number and a unit called out, the words diffed.
    let clause = changes
        .iter()
        .find(|c| c["kind"] == "modified" && c["new"]["number"] == "11.2")
        .expect("11.2 modified");
    let fact_kinds: Vec<&str> = clause["facts"]
        .as_array()
        .expect("facts")
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert_eq!(fact_kinds, ["number", "unit"]);
    let words = clause["words"].as_array().expect("words");
    let ops = |op: &str| -> String {
        words
            .iter()
            .filter(|w| w["op"] == op)
            .filter_map(|w| w["text"].as_str())
            .collect::<String>()
    };
    assert_eq!(ops("delete").trim(), "uden unødig forsinkelse");
    assert_eq!(ops("insert").trim(), "senest 48 timer");
    assert!(clause["similarity"]
        .as_f64()
        .is_some_and(|s| s > 0.8 && s < 1.0));
    // The inserted 5.4 has a negation and a modal verb: it is flagged for review.
    let added = find("added");
    assert_eq!(added["new"]["number"], "5.4");
    assert_eq!(added["important"], true);
}

#[test]
fn reports_exactly_the_edits_between_two_text_versions() {
    let diff = diff_json(&[V1, V2]);
    check_v2(&diff);
    assert_eq!(diff["old"]["path"], V1);
    assert_eq!(diff["new"]["path"], V2);
    assert_eq!(summary(&diff, "unchanged"), 78);
}

#[test]
fn reports_the_same_edits_between_the_pdf_versions() {
    let diff = diff_json(&["fixtures/diff/itj_v1.pdf", "fixtures/diff/itj_v2.pdf"]);
    check_v2(&diff);
}

#[test]
fn the_same_agreement_as_text_and_as_pdf_has_no_differences() {
    let diff = diff_json(&[V1, "fixtures/diff/itj_v1.pdf"]);
    assert_eq!(change_set(&diff), BTreeSet::new(), "{diff:#}");
}

#[test]
fn an_inserted_section_is_one_insertion_and_the_rest_renumbered() {
    // Section 6 inserted: old 6–17 are 7–18, and every `pkt.` reference follows the numbering.
    let diff = diff_json(&[V1, "fixtures/diff/itj_v2_section.txt"]);
    let set = change_set(&diff);
    assert!(
        set.contains("added -→6") && set.contains("added -→6.1"),
        "{set:?}"
    );
    let renumbered = set.iter().filter(|c| c.starts_with("renumbered")).count();
    assert_eq!(renumbered, 67);
    assert_eq!(
        set.len(),
        2 + 67,
        "only the insertion and renumbering: {set:?}"
    );
    assert_eq!(summary(&diff, "modified"), 0);
    assert_eq!(summary(&diff, "important"), 0);
    assert!(set.contains("renumbered 9.9→10.9") && set.contains("renumbered 17.2→18.2"));
}

#[test]
fn an_ocr_damaged_copy_shows_no_changes_with_ignore_ocr() {
    let clean = std::fs::read_to_string(repo(V1)).expect("read");
    let dir = tempfile::tempdir().expect("tempdir");
    for seed in 1..=6u64 {
        let damaged = dir.path().join(format!("itj_ocr_{seed}.txt"));
        std::fs::write(&damaged, damage(&clean, seed)).expect("write");
        let damaged = damaged.to_string_lossy().to_string();
        let strict = diff_json(&[V1, &damaged]);
        assert!(
            summary(&strict, "modified") > 0,
            "seed {seed}: without --ignore-ocr the OCR damage shows"
        );
        let diff = diff_json(&[V1, &damaged, "--ignore-ocr"]);
        assert_eq!(change_set(&diff), BTreeSet::new(), "seed {seed}: {diff:#}");
        assert_eq!(diff["ignore_ocr"], true);
        // Real changes still show through the damage.
        let v2 = std::fs::read_to_string(repo(V2)).expect("read");
        let damaged_v2 = dir.path().join(format!("itj_v2_ocr_{seed}.txt"));
        std::fs::write(&damaged_v2, damage(&v2, seed)).expect("write");
        let diff = diff_json(&[V1, &damaged_v2.to_string_lossy(), "--ignore-ocr"]);
        check_v2(&diff);
    }
}

#[test]
fn compares_versions_in_the_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = dir.path().join("itj.txt");
    let index = dir.path().join("index");
    let index_arg = index.to_string_lossy().to_string();
    for version in [V1, V2] {
        std::fs::copy(repo(version), &doc).expect("copy");
        ingest(&doc, &index);
    }

    let doc_arg = doc.to_string_lossy().to_string();
    let by_version = diff_json(&[
        &format!("{doc_arg}@1"),
        &format!("{doc_arg}@2"),
        "--index",
        &index_arg,
    ]);
    check_v2(&by_version);
    assert_eq!(by_version["old"]["index_version"], 1);
    assert_eq!(by_version["new"]["index_version"], 2);
    let latest = diff_json(&["--latest", &doc_arg, "--index", &index_arg]);
    check_v2(&latest);
    // By the start of a version's id; and a file against an indexed version.
    let old_id = by_version["old"]["id"].as_str().expect("id")[..10].to_string();
    check_v2(&diff_json(&[&old_id, &doc_arg, "--index", &index_arg]));
    check_v2(&diff_json(&[
        &format!("{old_id}@1"),
        V2,
        "--index",
        &index_arg,
    ]));

    // Asking for what is not there is a usage error with a reason.
    let out = aftale()
        .current_dir(repo(""))
        .args(["diff", &format!("{doc_arg}@7"), V2, "--index", &index_arg])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has versions 1 to 2"));
}

#[test]
fn unreadable_inputs_and_missing_files_have_reasons() {
    let out = aftale()
        .current_dir(repo(""))
        .args(["diff", V1, "fixtures/inputs/text/not_a_dpa.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a data processing agreement"));
    let out = aftale()
        .current_dir(repo(""))
        .args(["diff", V1, "no/such/file.txt", "--index", "no-such-index"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
}

#[test]
fn the_text_report_has_the_summary_first() {
    let mut cmd = aftale();
    cmd.current_dir(repo("")).args(["diff", V1, V2]);
    let text = String::from_utf8(stdout_of(&mut cmd)).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[2].starts_with("clauses: 1 added, 1 removed, 3 modified, 0 moved, 3 renumbered"));
    assert!(text.contains("[-uden unødig forsinkelse-] {+senest 48 timer+}"));
    assert!(text.contains("! breach notification in 11.2: without undue delay → at most 48 hours"));
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn the_itm8_appendices_damaged_by_ocr_show_no_clause_changes_with_ignore_ocr() {
    // A long sub-processor table: the clauses must compare equal. (The rows extracted from a
    // damaged table can differ from the clean ones, which the diff then reports: see the
    // README's notes on `diff`.)
    let rel = "corpus/000_5dc22579b8fec684.txt";
    let clean = std::fs::read_to_string(repo(rel)).expect("read");
    let dir = tempfile::tempdir().expect("tempdir");
    for seed in 1..=3u64 {
        let damaged = dir.path().join(format!("itm8_ocr_{seed}.txt"));
        std::fs::write(&damaged, damage(&clean, seed)).expect("write");
        let diff = diff_json(&[rel, &damaged.to_string_lossy(), "--ignore-ocr"]);
        let clause_changes: Vec<&Value> = diff["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .filter(|c| !c["kind"].as_str().unwrap_or("").contains('_'))
            .collect();
        assert!(
            clause_changes.is_empty(),
            "seed {seed}: {clause_changes:#?}"
        );
    }
}

#[test]
fn the_html_report_is_self_contained_and_renders_the_changes_in_chromium() {
    // Version 2 with markup in a clause: it must show as text, never run.
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = dir.path().join("itj_v2_markup.txt");
    let v2 = std::fs::read_to_string(repo(V2)).expect("read");
    std::fs::write(
        &hostile,
        v2.replace(
            "Hosting og backup",
            "Hosting og backup <script>document.title='pwned'</script><img src=x onerror=alert(1)>",
        ),
    )
    .expect("write");
    let mut cmd = aftale();
    cmd.current_dir(repo(""))
        .args(["diff", V1])
        .arg(&hostile)
        .args(["--format", "html"]);
    let html = String::from_utf8(stdout_of(&mut cmd)).expect("utf-8");
    for network in [
        "http://", "https://", "src=\"", "href=\"", "<link", "<script", "<img", "@import",
    ] {
        assert!(
            !html.contains(network),
            "the page must be self-contained: {network}"
        );
    }
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains("<ins>senest 48 timer</ins>"));
    assert!(html.contains("<del>uden unødig forsinkelse</del>"));

    let artefacts = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-report");
    std::fs::create_dir_all(&artefacts).expect("mkdir");
    let page = artefacts.join("report.html");
    std::fs::write(&page, &html).expect("write");
    let Some(browser) = chromium() else { return };
    let url = format!("file://{}", page.display());

    // What the browser built from the page: the changes are in it, the markup is text.
    let dom = headless(&browser, &dir.path().join("profile-dom"))
        .args(["--dump-dom", &url])
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<ins>senest 48 timer</ins>"), "{dom}");
    assert!(dom.contains("data-count=\"added\">1<"));
    assert!(dom.contains("breach notification in 11.2: without undue delay → at most 48 hours"));
    assert!(!dom.contains("pwned</title>") && !dom.contains("<title>pwned"));
    assert!(
        !dom.contains("<script>document"),
        "markup from the document stays text"
    );

    // What a reviewer sees: the inserted and deleted words highlighted on the rendered page.
    let shot = artefacts.join("report.png");
    let counts = screenshot_colours(
        &browser,
        &dir.path().join("profile-shot"),
        &url,
        &shot,
        "1280,2200",
        &[[0xcc, 0xf5, 0xd1], [0xff, 0xd7, 0xd5]],
    );
    let (inserted, deleted) = (counts[0], counts[1]);
    eprintln!(
        "screenshot {}: {inserted} inserted-highlight and {deleted} deleted-highlight pixels",
        shot.display()
    );
    assert!(inserted > 500 && deleted > 500, "highlights not rendered");
}

#[test]
fn a_real_scan_read_by_tesseract_shows_no_changes_with_ignore_ocr() {
    if !crate::ocr::ocr_tools("a_real_scan_read_by_tesseract_shows_no_changes_with_ignore_ocr") {
        return;
    }
    // The ITJ agreement printed, scanned at 150 dpi and read back by OCR, against its text.
    let diff = diff_json(&[
        V1,
        "fixtures/scans/002_itj_consult_150dpi.pdf",
        "--ignore-ocr",
    ]);
    assert_eq!(change_set(&diff), BTreeSet::new(), "{diff:#}");
    // And the edits of version 2 show through a scan comparison too.
    let diff = diff_json(&[
        "fixtures/scans/002_itj_consult_150dpi.pdf",
        V2,
        "--ignore-ocr",
    ]);
    check_v2(&diff);
}
