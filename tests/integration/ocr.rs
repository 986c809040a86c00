//! OCR of scanned agreements (issue 11), end to end through `aftale extract --ocr` over the
//! scans in `fixtures/scans/` (seed PDFs rendered to images and back, see `make_scans.py`),
//! scored against `fixtures/gold` with the helpers of `gold.rs`.
//!
//! Tests that run Tesseract skip with a message when it (with Danish data) or `pdftoppm` is
//! missing, and fail instead when `AFTALE_REQUIRE_OCR=1` (CI sets it after installing them).
//! The tests of what happens without OCR run everywhere.

use std::collections::BTreeSet;
use std::process::Command;

use aftale::record::{IdentifierKind, Record};
use tempfile::TempDir;

use crate::gold::{deadline_scores, gold, id_key, score_clauses, score_rows};
use crate::util::{aftale, repo, stdout_of};

const INSTALL: &str = "apt-get install tesseract-ocr tesseract-ocr-dan poppler-utils";

/// Are the OCR tools here? `false` (after saying so) means: skip this test.
pub(crate) fn ocr_tools(test: &str) -> bool {
    let tesseract = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| {
            o.status.success()
                && String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| l == "dan")
        });
    let pdftoppm = Command::new("pdftoppm")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    if tesseract && pdftoppm {
        return true;
    }
    let missing = if tesseract {
        "pdftoppm"
    } else {
        "tesseract with Danish data"
    };
    assert!(
        std::env::var("AFTALE_REQUIRE_OCR").as_deref() != Ok("1"),
        "{test}: AFTALE_REQUIRE_OCR=1 but {missing} is missing ({INSTALL})"
    );
    eprintln!("{test}: skipped, {missing} is missing ({INSTALL})");
    false
}

/// `aftale extract FILE --json --ocr MODE`, parsed as a record.
fn extract(rel: &str, mode: &str) -> Record {
    let stdout = stdout_of(
        aftale()
            .arg("extract")
            .arg(repo(rel))
            .args(["--json", "--ocr", mode]),
    );
    serde_json::from_slice(&stdout).unwrap_or_else(|e| panic!("{rel}: not a record: {e}"))
}

fn sources(r: &Record) -> Vec<&str> {
    r.pages.iter().map(|p| p.source.as_str()).collect()
}

/// Clause F1 against gold at least `min`; returns it.
fn clause_f1(name: &str, rel: &str, r: &Record, min: f64) -> f64 {
    let s = score_clauses(&gold(name), r);
    eprintln!("{rel}: {s:?}");
    assert!(s.f1 >= min, "{rel}: clause F1 {:.3} < {min}: {s:?}", s.f1);
    s.f1
}

fn has_qualitative(r: &Record, clause: &str, kind: &str) -> bool {
    r.deadlines
        .iter()
        .any(|d| d.clause.as_deref() == Some(clause) && d.kind.as_str() == kind)
}

#[test]
fn scans_at_150_and_300_dpi_read_like_the_typed_agreement() {
    if !ocr_tools("scans_at_150_and_300_dpi") {
        return;
    }
    for rel in [
        "fixtures/scans/002_itj_consult_150dpi.pdf",
        "fixtures/scans/002_itj_consult_300dpi.pdf",
    ] {
        let r = extract(rel, "auto");
        assert_eq!(sources(&r), ["ocr"; 6], "{rel}");
        assert!(
            r.pages
                .iter()
                .all(|p| p.ocr_confidence.is_some_and(|c| c >= 85.0)),
            "{rel}: {:?}",
            r.pages
        );
        assert_eq!(r.quality.as_ref().map(|q| q.flag.as_str()), Some("good"));
        clause_f1("seed-002", rel, &r, 0.9);
        assert!(
            r.identifiers
                .iter()
                .any(|i| i.kind == IdentifierKind::Cvr && i.value == "38120689" && i.valid),
            "{rel}: the CVR number: {:?}",
            r.identifiers
        );
        let (p, recall) = deadline_scores(&gold("seed-002"), &r);
        assert!(
            p >= 0.9 && recall >= 0.9,
            "{rel}: deadlines P={p} R={recall}"
        );
        // Breach notification: "uden unødig forsinkelse" in 11.2.
        assert!(has_qualitative(&r, "11.2", "undue_delay"), "{rel}");
        let eleven = r
            .clauses
            .iter()
            .find(|c| c.number.as_deref() == Some("11.2"))
            .expect("clause 11.2");
        assert!(eleven.page.is_some_and(|p| p >= 3), "{rel}: {eleven:?}");
    }
}

#[test]
fn a_skewed_noisy_scan_keeps_its_breach_deadlines() {
    let rel = "fixtures/scans/001_microbizz_300dpi_skewed.pdf";
    if !ocr_tools("a_skewed_noisy_scan") {
        return;
    }
    let r = extract(rel, "auto");
    assert_eq!(sources(&r), ["ocr"; 8]);
    clause_f1("seed-001", rel, &r, 0.9);
    let breach: BTreeSet<(String, u64)> = r
        .deadlines
        .iter()
        .filter(|d| d.clause.as_deref() == Some("3.4.2"))
        .filter_map(|d| Some((d.unit?.to_string(), d.amount? as u64)))
        .collect();
    for want in [("hours".to_string(), 24), ("hours".to_string(), 72)] {
        assert!(breach.contains(&want), "3.4.2: {want:?} in {breach:?}");
    }
    // The other deadlines are read too; two lose their clause number with the heading of
    // clause 17 (the README gives the scores). None may be wrong.
    let (p, recall) = deadline_scores(&gold("seed-001"), &r);
    eprintln!("{rel}: deadlines P={p:.3} R={recall:.3}");
    assert!(p >= 0.9 && recall >= 0.5, "deadlines P={p} R={recall}");
}

#[test]
fn the_itm8_scan_gives_its_subprocessor_numbers() {
    let rel = "fixtures/scans/000_itm8_150dpi.pdf";
    if !ocr_tools("the_itm8_scan") {
        return;
    }
    let r = extract(rel, "auto");
    assert_eq!(r.pages.len(), 26);
    clause_f1("seed-000", rel, &r, 0.9);
    let text = std::fs::read_to_string(repo("fixtures/gold/seed-000-subprocessors.json"))
        .expect("gold rows");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).expect("JSON");
    // The table's columns do not survive OCR as rows (the README gives the row scores); the
    // numbers in it must.
    eprintln!("{rel}: rows {:?}", score_rows(&rows, &r));
    let found: BTreeSet<String> = r.identifiers.iter().map(|i| id_key(&i.value)).collect();
    let wanted: BTreeSet<String> = rows
        .iter()
        .filter_map(|row| row["id"].as_str())
        .map(id_key)
        .collect();
    let missing: Vec<&String> = wanted.difference(&found).collect();
    let share = 1.0 - missing.len() as f64 / wanted.len().max(1) as f64;
    eprintln!(
        "{rel}: {share:.3} of {} numbers found, missing {missing:?}",
        wanted.len()
    );
    assert!(share >= 0.9, "{share:.3}: missing {missing:?}");
}

#[test]
fn a_typed_agreement_with_a_scanned_signature_page_is_read_page_by_page() {
    let rel = "fixtures/scans/002_itj_consult_signed_scan.pdf";
    if !ocr_tools("a_typed_agreement_with_a_scanned_signature_page") {
        return;
    }
    let r = extract(rel, "auto");
    assert_eq!(
        sources(&r),
        [
            "text_layer",
            "text_layer",
            "text_layer",
            "text_layer",
            "text_layer",
            "ocr"
        ]
    );
    clause_f1("seed-002", rel, &r, 0.97);
    let last = r.clauses.last().expect("clauses");
    assert_eq!(last.page, Some(6), "{last:?}");
    assert_eq!(r.quality.as_ref().map(|q| q.flag.as_str()), Some("good"));
}

#[test]
fn ocr_always_reads_every_page_even_with_a_text_layer() {
    let rel = "fixtures/inputs/pdf/subprocessor_table.pdf";
    if !ocr_tools("ocr_always") {
        return;
    }
    let r = extract(rel, "always");
    assert_eq!(sources(&r), ["ocr", "ocr"]);
    let found: BTreeSet<&str> = r.identifiers.iter().map(|i| i.value.as_str()).collect();
    let cvrs = [
        "87568938", "98581375", "86417302", "88360567", "85665936", "93303040", "83752351",
        "99246952", "97225397", "81202737",
    ];
    let read = cvrs.iter().filter(|c| found.contains(*c)).count();
    assert!(read >= 9, "{read} of 10 CVR numbers: {found:?}");
}

#[test]
fn with_ocr_never_scans_need_ocr_and_typed_pages_are_kept() {
    let out = aftale()
        .arg("extract")
        .arg(repo("fixtures/scans/002_itj_consult_300dpi.pdf"))
        .args(["--ocr", "never"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no text layer (needs OCR): 6 page(s), 6 with images only"),
        "{stderr}"
    );
    let r = extract("fixtures/scans/002_itj_consult_signed_scan.pdf", "never");
    assert_eq!(sources(&r)[5], "needs_ocr");
    let quality = r.quality.expect("quality");
    assert_eq!(quality.flag, "needs_ocr");
    assert!(r
        .warnings
        .iter()
        .any(|w| w == "1 of 6 pages have no text layer (need OCR): 6"));
}

#[test]
fn without_tesseract_auto_says_once_how_to_install_it() {
    // An empty PATH: no tesseract, no pdftoppm (the PDF worker is this same binary, started
    // by its full path).
    let dir = TempDir::new().expect("tempdir");
    let out = aftale()
        .current_dir(dir.path())
        .env("PATH", dir.path())
        .arg("ingest")
        .arg(repo("fixtures/inputs/bad/image_only.pdf"))
        .arg(repo("fixtures/scans/002_itj_consult_300dpi.pdf"))
        .arg(repo("fixtures/scans/002_itj_consult_signed_scan.pdf"))
        .args(["--index", "idx", "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches(INSTALL).count(), 1, "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let failed: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(r#""status":"failed""#))
        .collect();
    assert_eq!(failed.len(), 2, "{stdout}");
    for line in failed {
        assert!(line.contains("no text layer (needs OCR)"), "{line}");
        assert!(line.contains("pdftoppm is not installed"), "{line}");
    }
    // The typed pages of the mixed agreement are indexed, flagged as needing OCR.
    let docs = aftale()
        .current_dir(dir.path())
        .args(["docs", "--index", "idx"])
        .output()
        .expect("docs");
    let listing = String::from_utf8_lossy(&docs.stdout);
    assert!(
        listing
            .lines()
            .any(|l| l.contains("signed_scan") && l.contains("needs_ocr")),
        "{listing}"
    );
}
