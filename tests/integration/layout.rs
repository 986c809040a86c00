//! The PDF reader's layout (issue 15) on real agreements and table fixtures rendered from Word
//! and printed from a browser: words as `pdftotext` reads them, table cells as tab-separated
//! cells, and clause scores as good as the same agreement's text. Run with `--nocapture` for
//! the per-file figures.
//!
//! **Word agreement** of a PDF: its page texts (TABs read as spaces) and the `pdftotext`
//! reference beside it are cut into whitespace tokens; a token ending in a hyphen is joined to
//! the next and hyphens are dropped (both readers join or keep line-end hyphens differently);
//! the reference loses its running header and footer lines (a line among the first or last
//! three of a page that repeats on two or more pages, digits masked, a page number, or a
//! lone address, the browser's print footer), which
//! the reader leaves out on purpose. Agreement = Σ over distinct tokens of min(count in
//! reader, count in reference) ÷ tokens in the reference. A **wrong inner space** is a pair of
//! neighbouring reader tokens that make one reference token while one of them alone is none.
//!
//! The fixtures (`fixtures/real/`, `fixtures/tables/`) come from the fixtures branch; each test
//! passes without them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use aftale::record::SourceFormat;
use aftale::source::pdf::read_pdf_bytes;
use serde_json::Value;

use crate::gold::{record_of_bytes, score_clauses};
use crate::util::repo;

fn pdfs(dir: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(repo(dir)) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    out.sort();
    out
}

fn all_pdfs() -> Vec<PathBuf> {
    [
        "fixtures/real/word",
        "fixtures/real/browser",
        "fixtures/tables/word",
        "fixtures/tables/browser",
    ]
    .iter()
    .flat_map(|d| pdfs(d))
    .collect()
}

fn pages_of(pdf: &Path) -> Vec<String> {
    let bytes = std::fs::read(pdf).expect("read PDF");
    read_pdf_bytes(&bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", pdf.display()))
        .pages
}

fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut carry = String::new();
    for t in text.split_whitespace() {
        carry.push_str(t);
        if t.ends_with('-') && t.len() > 1 {
            continue;
        }
        out.push(carry.replace(['-', '\u{2010}'], ""));
        carry.clear();
    }
    if !carry.is_empty() {
        out.push(carry.replace(['-', '\u{2010}'], ""));
    }
    out.retain(|t| !t.is_empty());
    out
}

/// The reference without its running header and footer lines.
fn reference_body(reference: &str) -> String {
    let pages: Vec<Vec<&str>> = reference
        .split('\u{c}')
        .map(|p| p.lines().filter(|l| !l.trim().is_empty()).collect())
        .collect();
    let mask = |l: &str| -> String {
        l.trim()
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let edges = |p: &Vec<&str>| -> Vec<String> {
        let n = p.len();
        p.iter()
            .enumerate()
            .filter(|(i, _)| *i < 3 || *i + 3 >= n)
            .map(|(_, l)| mask(l))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect()
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for p in &pages {
        for k in edges(p) {
            *seen.entry(k).or_default() += 1;
        }
    }
    let page_number = |k: &str| {
        let k = k.trim();
        !k.is_empty() && k.chars().all(|c| "#/ -".contains(c))
            || k.to_lowercase().starts_with("side #")
    };
    let mut out = String::new();
    for p in &pages {
        let n = p.len();
        for (i, l) in p.iter().enumerate() {
            let edge = i < 3 || i + 3 >= n;
            let k = mask(l);
            // A browser's print footer is the page's address and its number.
            let address = ["file://", "http://", "https://"]
                .iter()
                .any(|p| l.trim().starts_with(p) && !l.trim().contains(' '));
            if edge && (seen.get(&k).copied().unwrap_or(0) >= 2 || page_number(&k) || address) {
                continue;
            }
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

struct Agreement {
    agreement: f64,
    reference_words: usize,
    wrong_spaces: Vec<String>,
}

fn word_agreement(got: &str, reference: &str) -> Agreement {
    let got_tokens = tokens(&got.replace('\t', " "));
    let ref_tokens = tokens(&reference_body(reference));
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for t in &ref_tokens {
        *counts.entry(t).or_default() += 1;
    }
    let vocabulary: HashSet<&str> = ref_tokens.iter().map(String::as_str).collect();
    let mut matched = 0usize;
    for t in &got_tokens {
        if let Some(c) = counts.get_mut(t.as_str()) {
            if *c > 0 {
                *c -= 1;
                matched += 1;
            }
        }
    }
    let wrong_spaces = got_tokens
        .windows(2)
        .filter(|p| {
            let joined = format!("{}{}", p[0], p[1]);
            vocabulary.contains(joined.as_str())
                && (!vocabulary.contains(p[0].as_str()) || !vocabulary.contains(p[1].as_str()))
        })
        .map(|p| format!("{} {}", p[0], p[1]))
        .collect();
    Agreement {
        agreement: matched as f64 / ref_tokens.len().max(1) as f64,
        reference_words: ref_tokens.len(),
        wrong_spaces,
    }
}

#[test]
fn pdf_words_agree_with_pdftotext() {
    let mut failures = Vec::new();
    for pdf in all_pdfs() {
        let reference_path = pdf.with_extension("pdftotext.txt");
        let Ok(reference) = std::fs::read_to_string(&reference_path) else {
            continue;
        };
        let got = pages_of(&pdf).join("\n");
        let a = word_agreement(&got, &reference);
        let name = pdf
            .strip_prefix(repo(""))
            .unwrap_or(&pdf)
            .display()
            .to_string();
        println!(
            "word agreement {:6.2} % of {:5} words, {} wrong inner spaces: {name}",
            100.0 * a.agreement,
            a.reference_words,
            a.wrong_spaces.len()
        );
        if a.agreement < 0.995 || !a.wrong_spaces.is_empty() {
            failures.push(format!(
                "{name}: {:.2} % {:?}",
                100.0 * a.agreement,
                &a.wrong_spaces[..a.wrong_spaces.len().min(5)]
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

fn fold(cell: &str) -> String {
    cell.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn table_cells_come_out_as_cells_of_tab_separated_rows() {
    let mut failures = Vec::new();
    for pdf in pdfs("fixtures/tables/word")
        .into_iter()
        .chain(pdfs("fixtures/tables/browser"))
    {
        let Some(stem) = pdf.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let Ok(expected) =
            std::fs::read_to_string(repo(&format!("fixtures/tables/{stem}.expected.json")))
        else {
            continue;
        };
        let expected: Value = serde_json::from_str(&expected).expect("expected JSON");
        let text = pages_of(&pdf).join("\n");
        let cells: HashSet<String> = text
            .lines()
            .filter(|l| l.contains('\t'))
            .flat_map(|l| l.split('\t').map(fold).collect::<Vec<_>>())
            .collect();
        let mut total = 0;
        let mut missing = Vec::new();
        for table in expected["tables"].as_array().into_iter().flatten() {
            let header = table["header"].as_array().into_iter();
            let rows = table["rows"].as_array().into_iter().flatten();
            let all = header
                .chain(rows.filter_map(Value::as_array))
                .flatten()
                .filter_map(Value::as_str);
            for cell in all {
                total += 1;
                if !cells.contains(&fold(cell)) {
                    missing.push(cell.to_string());
                }
            }
        }
        let name = pdf
            .strip_prefix(repo(""))
            .unwrap_or(&pdf)
            .display()
            .to_string();
        println!(
            "table cells {:3}/{:3} recovered: {name}",
            total - missing.len(),
            total
        );
        if !missing.is_empty() {
            failures.push(format!("{name}: missing {missing:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn clause_scores_of_the_pdfs_match_the_text() {
    let Ok(entries) = std::fs::read_dir(repo("fixtures/real/gold")) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.path()
                .file_stem()
                .and_then(|s| s.to_str())
                .map(str::to_string)
        })
        .collect();
    names.sort();
    let mut failures = Vec::new();
    for name in names {
        let gold: Value = serde_json::from_str(
            &std::fs::read_to_string(repo(&format!("fixtures/real/gold/{name}.json")))
                .expect("gold"),
        )
        .expect("gold JSON");
        let text_path = repo(&format!("fixtures/real/text/{name}.txt"));
        let Ok(text) = std::fs::read(&text_path) else {
            continue;
        };
        let base = score_clauses(&gold, &record_of_bytes(&name, &text, SourceFormat::Text)).f1;
        for kind in ["word", "browser"] {
            let Ok(bytes) = std::fs::read(repo(&format!("fixtures/real/{kind}/{name}.pdf"))) else {
                continue;
            };
            let f1 = score_clauses(&gold, &record_of_bytes(&name, &bytes, SourceFormat::Pdf)).f1;
            println!("clause F1 {kind:7} {f1:.3} (text {base:.3}): {name}");
            if f1 < base - 0.02 {
                failures.push(format!("{kind}/{name}: {f1:.3} < text {base:.3} - 0.02"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
