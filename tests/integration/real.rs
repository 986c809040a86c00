//! Real agreements nobody here wrote (`fixtures/real/`, copied from `shared/real`): sub-processor
//! rows scored against their gold as text and as the Word and browser PDF renderings (issue 16),
//! tables of vendors that are not sub-processors give no rows, template tables warn; clauses,
//! headings and deadlines scored the same way (issue 17).

use serde_json::Value;

use crate::gold::{deadline_scores, record_of, score_clauses, score_rows};
use crate::util::repo;

/// Gold documents of `fixtures/real/gold`, by file stem.
fn gold_docs() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo("fixtures/real/gold")).expect("fixtures/real/gold") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let gold =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        out.push((stem, gold));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Minimum precision and recall of sub-processor rows, per rendering.
const MIN_ROWS: f64 = 0.9;

#[test]
fn subprocessor_rows_of_real_agreements_as_text_and_pdf() {
    let mut failures = Vec::new();
    for (stem, gold) in gold_docs() {
        let rows = gold["subprocessors"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for rel in [
            format!("fixtures/real/text/{stem}.txt"),
            format!("fixtures/real/word/{stem}.pdf"),
            format!("fixtures/real/browser/{stem}.pdf"),
        ] {
            let s = score_rows(&rows, &record_of(&rel));
            eprintln!(
                "{rel}: rows P {:.3} R {:.3} id {:.3}",
                s.precision, s.recall, s.id_exact
            );
            if s.precision < MIN_ROWS || s.recall < MIN_ROWS || s.id_exact < 1.0 {
                failures.push(format!("{rel}: {s:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn vendors_that_are_not_subprocessors_give_no_rows() {
    // 06 lists, after its sub-processors, vendors that "modtager IKKE klientindhold".
    let r = record_of("fixtures/real/text/06_journalklar-dba.txt");
    let names: Vec<&str> = r.subprocessors.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(r.tables.len(), 2);
}

#[test]
fn a_table_of_placeholders_is_a_template_not_rows() {
    let r = record_of("fixtures/real/text/04_aabenforms-fenixnordic-dba.txt");
    assert!(r.subprocessors.is_empty(), "{:?}", r.subprocessors);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("template (placeholders only)")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn countries_and_third_country_flags_of_table_rows() {
    let r = record_of("fixtures/real/text/03_operia-dcalogic-bilag-a-d.txt");
    assert_eq!(r.subprocessors.len(), 9);
    for row in &r.subprocessors {
        let transfer = row.transfer.as_deref().unwrap_or_default();
        let expect = !transfer.starts_with("Ingen overførsel");
        assert_eq!(row.third_country, Some(expect), "{row:?}");
        assert!(
            row.country.is_some() || row.name == "Amazon Web Services",
            "{row:?}"
        );
    }
    let supabase = &r.subprocessors[0];
    assert_eq!(
        (supabase.name.as_str(), supabase.country.as_deref()),
        ("Supabase, Inc.", Some("US"))
    );
    assert_eq!(
        supabase.extra.get("Anvendes ved").map(String::as_str),
        Some("Altid — platformen")
    );
}

#[test]
fn a_listed_sub_processor_with_a_foreign_registration_number_and_address() {
    let r = record_of("fixtures/real/text/05_deranged-fixanalytics-bilag1-dba.txt");
    assert_eq!(r.subprocessors.len(), 1, "{:?}", r.subprocessors);
    let ovh = &r.subprocessors[0];
    assert_eq!(ovh.country.as_deref(), Some("FR"));
    assert_eq!(ovh.third_country, Some(false));
    assert!(ovh
        .identifier
        .as_ref()
        .is_some_and(|i| i.value.contains("424 761 419")));
}

/// Floors for clauses and deadlines on every real agreement with gold, per rendering.
const MIN_CLAUSE_F1: f64 = 0.97;
const MIN_HEADINGS: f64 = 0.9;
const MIN_DEADLINES: f64 = 0.9;

#[test]
fn clauses_headings_and_deadlines_of_real_agreements_as_text_and_pdf() {
    let mut failures = Vec::new();
    for (stem, gold) in gold_docs() {
        for rel in [
            format!("fixtures/real/text/{stem}.txt"),
            format!("fixtures/real/word/{stem}.pdf"),
            format!("fixtures/real/browser/{stem}.pdf"),
        ] {
            let record = record_of(&rel);
            let s = score_clauses(&gold, &record);
            let (p, r) = deadline_scores(&gold, &record);
            let has_deadlines = gold["deadlines"].as_array().is_some_and(|d| !d.is_empty());
            eprintln!(
                "{rel}: clause F1 {:.3} headings {:.3} deadlines P {p:.3} R {r:.3}",
                s.f1, s.headings
            );
            if s.f1 < MIN_CLAUSE_F1 || s.headings < MIN_HEADINGS {
                failures.push(format!("{rel}: {s:?}"));
            }
            if has_deadlines && (p < MIN_DEADLINES || r < MIN_DEADLINES) {
                failures.push(format!("{rel}: deadlines P {p:.3} R {r:.3}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
