//! `aftale extract`: the record format (schema 3) and what each kind of input gives.

use serde::Deserialize;

use crate::util::{aftale, repo, stdout_of};

// Mirrors of the published record shape. `deny_unknown_fields` makes any change of the format
// fail here first, so it cannot drift unnoticed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RecordOut {
    schema: u32,
    id: String,
    source: SourceOut,
    language: LanguageOut,
    title: Option<String>,
    vendor: Option<String>,
    parties: serde_json::Value,
    version: Option<String>,
    date: Option<String>,
    clauses: Vec<ClauseOut>,
    subprocessors: Vec<serde_json::Value>,
    subprocessor_source: Option<serde_json::Value>,
    identifiers: Vec<IdentifierOut>,
    deadlines: Vec<serde_json::Value>,
    changelog: Vec<serde_json::Value>,
    references: Vec<serde_json::Value>,
    data_categories: Vec<serde_json::Value>,
    data_subjects: Vec<serde_json::Value>,
    tables: Vec<TableOut>,
    warnings: Vec<String>,
    pages: Vec<PageOut>,
    quality: QualityOut,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct TableOut {
    clause: Option<String>,
    page: Option<u32>,
    last_page: Option<u32>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    format: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PageOut {
    page: u32,
    source: String,
    words: Option<u32>,
    dictionary_share: Option<f64>,
    ocr_confidence: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct QualityOut {
    flag: String,
    reasons: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SourceOut {
    path: String,
    format: String,
    pages: u32,
    bytes: u64,
    encoding: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageOut {
    code: String,
    confidence: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ClauseOut {
    number: Option<String>,
    heading: Option<String>,
    text: String,
    level: u32,
    parent: Option<String>,
    page: Option<u32>,
    topics: Vec<String>,
    inferred: bool,
    repaired: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct IdentifierOut {
    kind: String,
    value: String,
    valid: bool,
    clause: Option<String>,
    context: String,
}

fn extract(rel: &str) -> RecordOut {
    let stdout = stdout_of(aftale().arg("extract").arg(repo(rel)).arg("--json"));
    serde_json::from_slice(&stdout).unwrap_or_else(|e| panic!("{rel}: not a record: {e}"))
}

fn numbers(r: &RecordOut) -> Vec<&str> {
    r.clauses
        .iter()
        .filter_map(|c| c.number.as_deref())
        .collect()
}

#[test]
fn itj_record_has_the_published_fields() {
    let r = extract("corpus/002_57dfb51f510d3c48.txt");
    assert_eq!(r.schema, 3);
    assert_eq!(r.id.len(), 64);
    assert_eq!((r.source.format.as_str(), r.source.pages), ("text", 1));
    assert_eq!(r.language.code, "da");
    assert!(r.language.confidence > 0.8);
    assert_eq!(r.version.as_deref(), Some("1.0"));
    assert_eq!(r.date.as_deref(), Some("2019-06-01"));
    let c = r
        .clauses
        .iter()
        .find(|c| c.number.as_deref() == Some("11"))
        .expect("clause 11");
    assert_eq!(c.heading.as_deref(), Some("Sikkerhedsbrud"));
    assert_eq!((c.level, c.parent.as_deref()), (1, None));
    let c = r
        .clauses
        .iter()
        .find(|c| c.number.as_deref() == Some("11.2"))
        .expect("clause 11.2");
    assert_eq!(
        (c.level, c.parent.as_deref(), c.page),
        (2, Some("11"), Some(1))
    );
    assert!(
        c.text.contains("1. En beskrivelse"),
        "list items stay in 11.2"
    );
    assert!(r
        .identifiers
        .iter()
        .any(|i| i.kind == "cvr" && i.value == "38120689" && i.valid));
}

#[test]
fn the_pdf_of_a_seed_gives_the_clauses_of_its_text() {
    let text = extract("corpus/002_57dfb51f510d3c48.txt");
    let pdf = extract("fixtures/inputs/pdf/002_itj_consult.pdf");
    assert_eq!(pdf.source.format, "pdf");
    assert_eq!(pdf.source.pages, 6);
    assert!(
        pdf.pages
            .iter()
            .all(|p| p.source == "text_layer" && p.dictionary_share.is_some_and(|s| s > 0.9)),
        "{:?}",
        pdf.pages
    );
    assert_eq!(pdf.quality.flag, "good");
    assert_eq!(text.pages.len(), 1);
    assert_eq!(text.pages[0].source, "text");
    assert_eq!(numbers(&pdf), numbers(&text));
    assert!(
        pdf.clauses.iter().all(|c| !c.text.contains("Side ")),
        "page footers are removed"
    );
    let last = pdf.clauses.last().expect("clauses");
    assert!(
        last.page.is_some_and(|p| p >= 5),
        "the last clause is on a late page: {:?}",
        last.page
    );
}

#[test]
fn legacy_and_unicode_encodings_come_out_as_danish() {
    for rel in [
        "fixtures/inputs/text/windows1252.txt",
        "fixtures/inputs/text/utf16_bom.txt",
        "fixtures/inputs/text/utf8_bom.txt",
    ] {
        let r = extract(rel);
        let all: String = r
            .clauses
            .iter()
            .map(|c| format!("{} {}", c.heading.as_deref().unwrap_or(""), c.text))
            .collect();
        assert!(
            all.contains('æ') && all.contains('ø') && all.contains('å'),
            "{rel}: {all}"
        );
        assert!(
            !all.contains('\u{fffd}') && !all.contains('Ã'),
            "{rel} is mis-decoded"
        );
        assert_eq!(r.language.code, "da", "{rel}");
    }
    assert_eq!(
        extract("fixtures/inputs/text/windows1252.txt")
            .source
            .encoding
            .as_deref(),
        Some("windows-1252")
    );
    assert_eq!(
        extract("fixtures/inputs/text/utf16_bom.txt")
            .source
            .encoding
            .as_deref(),
        Some("UTF-16LE")
    );
}

#[test]
fn form_feeds_are_page_boundaries() {
    let r = extract("fixtures/inputs/text/utf8_bom.txt");
    assert_eq!(r.source.pages, 2);
    let three = r
        .clauses
        .iter()
        .find(|c| c.number.as_deref() == Some("3"))
        .expect("clause 3 after the form feed");
    assert_eq!(three.page, Some(2));
}

#[test]
fn norwegian_is_recognised_and_flagged() {
    let r = extract("fixtures/inputs/text/norwegian.txt");
    assert_eq!(r.language.code, "nb");
    assert!(r.warnings.iter().any(|w| w.contains("not Danish")));
}

#[test]
fn bad_files_exit_1_with_one_line_reason() {
    for (rel, reason) in [
        ("fixtures/inputs/bad/encrypted.pdf", "encrypted PDF"),
        (
            "fixtures/inputs/bad/image_only.pdf",
            "no text layer (needs OCR)",
        ),
        ("fixtures/inputs/bad/binary.pdf", "not a PDF"),
        ("fixtures/inputs/bad/empty.txt", "empty file"),
    ] {
        // OCR off: the image-only fixture needs OCR whether Tesseract is installed or not.
        let out = aftale()
            .arg("extract")
            .arg(repo(rel))
            .args(["--ocr", "never"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{rel}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{rel}: {stderr}");
        assert!(stderr.contains(reason), "{rel}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn human_summary_lists_the_clause_outline() {
    let out = aftale()
        .arg("extract")
        .arg(repo("corpus/002_57dfb51f510d3c48.txt"))
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("clauses: 84 numbered"), "{text}");
    assert!(text.contains("  11 Sikkerhedsbrud  (p. 1)"), "{text}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{} extract {} --json | head -c 10",
            assert_cmd::cargo::cargo_bin("aftale").display(),
            repo("corpus/000_5dc22579b8fec684.txt").display()
        ))
        .output()
        .expect("run");
    assert_eq!(out.stdout, b"{\n  \"schem");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
