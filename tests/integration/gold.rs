//! Extraction quality, measured: the records of the seed documents (as text, as born-digital
//! PDF, and as OCR-damaged copies made here) scored against `fixtures/gold` with the matching
//! rules of `fixtures/gold/README.md`, with thresholds that fail the build when quality drops.

use std::collections::{BTreeSet, HashMap};

use aftale::pipeline;
use aftale::record::{DeadlineKind, Record, SourceFormat};
use aftale::source::ReadOptions;
use serde_json::Value;

use crate::util::repo;

/// Fold case, Danish letters and punctuation as the gold README's matching rules say.
fn fold(s: &str) -> String {
    let mut s = s.to_lowercase();
    for (a, b) in [
        ("æ", "ae"),
        ("ø", "o"),
        ("å", "a"),
        ("oe", "o"),
        ("aa", "a"),
        ("é", "e"),
    ] {
        s = s.replace(a, b);
    }
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Gold string and produced string agree within a normalised edit distance of 0.2; with
/// `prefix`, the produced string only has to start with something like the gold string.
fn similar(gold: &str, got: &str, prefix: bool) -> bool {
    let (g, o) = (fold(gold), fold(got));
    let limit = 0.2 * g.chars().count().max(1) as f64;
    if !prefix {
        return strsim::levenshtein(&g, &o) as f64 <= limit;
    }
    let o: Vec<char> = o.chars().collect();
    let n = g.chars().count() as i64;
    (-3..6)
        .filter(|k| n + k > 0)
        .map(|k| {
            let cut: String = o.iter().take((n + k) as usize).collect();
            strsim::levenshtein(&g, &cut)
        })
        .min()
        .is_some_and(|d| d as f64 <= limit)
}

/// A clause number as compared: no spaces, no trailing dot.
pub(crate) fn num(n: &str) -> String {
    n.split_whitespace()
        .collect::<String>()
        .trim_end_matches('.')
        .trim_start_matches('§')
        .to_string()
}

/// Scores of one document; `Debug` prints the misses when a threshold fails.
#[derive(Debug)]
#[allow(dead_code)]
pub(crate) struct ClauseScore {
    pub(crate) precision: f64,
    pub(crate) recall: f64,
    pub(crate) f1: f64,
    pub(crate) headings: f64,
    text_starts: f64,
    missing: Vec<String>,
    extra: Vec<String>,
}

fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else if fn_ == 0 {
        1.0
    } else {
        0.0
    };
    let r = if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else {
        1.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

pub(crate) fn score_clauses(gold: &Value, record: &Record) -> ClauseScore {
    let got: Vec<_> = record
        .clauses
        .iter()
        .filter(|c| c.number.is_some())
        .collect();
    let got_nums: Vec<String> = got
        .iter()
        .filter_map(|c| c.number.as_deref())
        .map(num)
        .collect();
    let mut by_num = HashMap::new();
    for c in &got {
        by_num
            .entry(num(c.number.as_deref().unwrap_or_default()))
            .or_insert(*c);
    }
    let gold_clauses = gold["clauses"].as_array().cloned().unwrap_or_default();
    let gold_nums: Vec<String> = gold_clauses
        .iter()
        .map(|c| num(c["number"].as_str().unwrap_or_default()))
        .collect();
    let alternates: HashMap<String, Vec<String>> = gold["alternate_numbers"]
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    let alts = v
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_str).map(num).collect())
                        .unwrap_or_default();
                    (num(k), alts)
                })
                .collect()
        })
        .unwrap_or_default();
    let bonus: BTreeSet<String> = gold["bonus_clauses"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["number"].as_str())
                .map(num)
                .collect()
        })
        .unwrap_or_default();
    let mut allowed: BTreeSet<String> = gold_nums.iter().cloned().collect();
    allowed.extend(bonus);
    allowed.extend(alternates.values().flatten().cloned());

    let mut found = HashMap::new();
    for g in &gold_nums {
        let candidates =
            std::iter::once(g.clone()).chain(alternates.get(g).cloned().unwrap_or_default());
        if let Some(hit) = candidates.into_iter().find(|c| by_num.contains_key(c)) {
            found.insert(g.clone(), by_num[&hit]);
        }
    }
    let distinct: BTreeSet<&String> = got_nums.iter().collect();
    let duplicates = got_nums.len() - distinct.len();
    let extra: Vec<String> = distinct
        .iter()
        .filter(|n| !allowed.contains(**n))
        .map(|n| n.to_string())
        .collect();
    let (precision, recall, f1) = prf(
        found.len(),
        extra.len() + duplicates,
        gold_nums.len() - found.len(),
    );

    let share = |key: &str, check: &dyn Fn(&str, &aftale::record::Clause) -> bool| -> f64 {
        let wanted: Vec<(&str, String)> = gold_clauses
            .iter()
            .filter_map(|c| Some((c[key].as_str()?, num(c["number"].as_str()?))))
            .collect();
        if wanted.is_empty() {
            return 1.0;
        }
        let ok = wanted
            .iter()
            .filter(|(want, n)| found.get(n).is_some_and(|c| check(want, c)))
            .count();
        ok as f64 / wanted.len() as f64
    };
    let headings = share("heading", &|want, c| {
        similar(want, c.heading.as_deref().unwrap_or(""), false) || similar(want, &c.text, true)
    });
    let text_starts = share("text_starts", &|want, c| similar(want, &c.text, true));
    ClauseScore {
        precision,
        recall,
        f1,
        headings,
        text_starts,
        missing: gold_nums
            .iter()
            .filter(|g| !found.contains_key(*g))
            .cloned()
            .collect(),
        extra,
    }
}

pub(crate) fn gold(name: &str) -> Value {
    let text =
        std::fs::read_to_string(repo(&format!("fixtures/gold/{name}.json"))).expect("gold file");
    serde_json::from_str(&text).expect("gold JSON")
}

pub(crate) fn record_of_bytes(name: &str, bytes: &[u8], format: SourceFormat) -> Record {
    pipeline::analyse(name, bytes, format, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The record of a fixture of the repository, read as a PDF or as text by its extension.
pub(crate) fn record_of(rel: &str) -> Record {
    let format = if rel.ends_with(".pdf") {
        SourceFormat::Pdf
    } else {
        SourceFormat::Text
    };
    let bytes = std::fs::read(repo(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    record_of_bytes(rel, &bytes, format)
}

/// Minimum clause F1 and heading accuracy per seed (the scores reached are in the README;
/// issue 4 set clause F1 ≥ 0.97 and heading accuracy ≥ 0.9 on every seed).
const SEEDS: &[(&str, &str, &str, f64, f64)] = &[
    (
        "seed-000",
        "corpus/000_5dc22579b8fec684.txt",
        "fixtures/inputs/pdf/000_itm8_appendices.pdf",
        0.97,
        0.9,
    ),
    (
        "seed-001",
        "corpus/001_a01309c27944fe2b.txt",
        "fixtures/inputs/pdf/001_microbizz.pdf",
        0.97,
        0.9,
    ),
    (
        "seed-002",
        "corpus/002_57dfb51f510d3c48.txt",
        "fixtures/inputs/pdf/002_itj_consult.pdf",
        0.97,
        0.9,
    ),
];

/// Clause numbers, headings and text starts of one record against its seed's floors.
fn assert_meets_gold(name: &str, what: &str, record: &Record, min_f1: f64, min_headings: f64) {
    let s = score_clauses(&gold(name), record);
    eprintln!("{name} {what}: {s:?}");
    assert!(
        s.f1 >= min_f1,
        "{name} {what}: clause F1 {:.3} < {min_f1}: {s:?}",
        s.f1
    );
    assert!(
        s.headings >= min_headings,
        "{name} {what}: heading accuracy {:.3}: {s:?}",
        s.headings
    );
    // A text start checks that a number standing apart from its text got the right text.
    assert_eq!(
        s.text_starts, 1.0,
        "{name} {what}: a text went to the wrong number: {s:?}"
    );
}

#[test]
fn clauses_of_the_seed_texts_match_gold() {
    for &(name, text, _, min_f1, min_headings) in SEEDS {
        assert_meets_gold(name, "text", &record_of(text), min_f1, min_headings);
    }
}

#[test]
fn clauses_of_the_seed_pdfs_match_gold() {
    for &(name, _, pdf, min_f1, min_headings) in SEEDS {
        assert_meets_gold(name, "pdf", &record_of(pdf), min_f1, min_headings);
    }
}

#[test]
fn not_clauses_never_come_out() {
    for &(name, text, _, _, _) in SEEDS {
        let g = gold(name);
        let record = record_of(text);
        let got: BTreeSet<String> = record
            .clauses
            .iter()
            .filter_map(|c| c.number.as_deref())
            .map(num)
            .collect();
        for n in g["not_clauses"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            assert!(!got.contains(&num(n)), "{name}: {n} must not be a clause");
        }
    }
}

#[test]
fn labelled_identifiers_of_the_itj_agreement() {
    let g = gold("seed-002");
    let record = record_of("corpus/002_57dfb51f510d3c48.txt");
    let got: BTreeSet<&str> = record
        .identifiers
        .iter()
        .map(|i| i.value.as_str())
        .collect();
    for want in g["identifiers"].as_array().into_iter().flatten() {
        let value = want["value"].as_str().unwrap_or_default();
        assert!(got.contains(value), "missing {value}");
        let found = record
            .identifiers
            .iter()
            .find(|i| i.value == value)
            .expect("found");
        assert_eq!(Some(found.valid), want["valid"].as_bool());
    }
    for not in g["not_identifiers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        assert!(!got.contains(not), "{not} is not an identifier");
    }
}

/// OCR-damaged copies made by the damage model of the tests (`aftale_bench::damage`), several
/// seeds.
fn damaged(rel: &str, seed: u64) -> Record {
    let clean = std::fs::read_to_string(repo(rel)).expect("read");
    let text = aftale_bench::damage::damage(&clean, seed);
    assert_ne!(text, clean, "seed {seed} damages {rel}");
    record_of_bytes("damaged.txt", text.as_bytes(), SourceFormat::Text)
}

const DAMAGE_SEEDS: std::ops::RangeInclusive<u64> = 1..=5;

#[test]
fn ocr_damaged_copies_of_the_clean_agreement_still_segment() {
    let g = gold("seed-002");
    for seed in DAMAGE_SEEDS {
        let record = damaged("corpus/002_57dfb51f510d3c48.txt", seed);
        let s = score_clauses(&g, &record);
        eprintln!("damage seed {seed}: {s:?}");
        assert!(s.f1 >= 0.95, "seed {seed}: clause F1 {:.3}: {s:?}", s.f1);
        assert!(
            s.headings >= 0.9,
            "seed {seed}: heading accuracy {:.3}",
            s.headings
        );
        assert!(
            s.text_starts >= 0.9,
            "seed {seed}: text start accuracy {:.3}",
            s.text_starts
        );
        let (topics, misses) = topic_accuracy(&g, &record);
        assert!(
            topics >= 0.9,
            "seed {seed}: topic accuracy {topics:.3} {misses:?}"
        );
        assert_eq!(record.language.code, "da", "seed {seed}");
    }
}

#[test]
fn ocr_damaged_copies_keep_their_facts() {
    for seed in DAMAGE_SEEDS {
        let itj = damaged("corpus/002_57dfb51f510d3c48.txt", seed);
        let g = gold("seed-002");
        let ids: BTreeSet<&str> = itj.identifiers.iter().map(|i| i.value.as_str()).collect();
        assert!(ids.contains("38120689"), "seed {seed}: {ids:?}");
        let s = score_rows(g["subprocessors"].as_array().expect("rows"), &itj);
        assert_eq!((s.precision, s.recall), (1.0, 1.0), "seed {seed}: {s:?}");
        let (p, r) = deadline_scores(&g, &itj);
        eprintln!("damage seed {seed}: deadlines P={p:.3} R={r:.3}");
        assert!(
            r >= 0.95 && p >= 0.9,
            "seed {seed}: deadlines P={p:.3} R={r:.3}"
        );

        let itm8 = damaged("corpus/000_5dc22579b8fec684.txt", seed);
        let text = std::fs::read_to_string(repo("fixtures/gold/seed-000-subprocessors.json"))
            .expect("gold rows");
        let rows: Vec<Value> = serde_json::from_str(&text).expect("JSON");
        // Names are compared allowing one OCR-damaged letter per word: they are printed as read.
        let s = score_rows_within(&rows, &itm8, 1);
        eprintln!("damage seed {seed}: itm8 rows {s:?}");
        assert!(
            s.precision >= 0.95 && s.recall >= 0.95,
            "seed {seed}: {s:?}"
        );
        assert!(s.id_exact >= 0.98, "seed {seed}: {s:?}");
        // The tick boxes survive OCR damage; the names may carry a damaged letter.
        let ticked = itm8
            .data_categories
            .iter()
            .filter(|c| c.checked == Some(true))
            .count();
        assert_eq!(
            (ticked, itm8.data_categories.len()),
            (16, 16),
            "seed {seed}"
        );
        assert_eq!(itm8.data_subjects.len(), 3, "seed {seed}");
    }
}

/// Token overlap of two names, as the gold README's matching rule: shared folded words over
/// the smaller set, at least 0.8.
///
/// Words count as shared when they differ by at most `edits` letters (OCR damage inside
/// names: `Mglgaard`, `lreland`); 0 for the gold's exact rule.
fn same_name_within(a: &str, b: &str, edits: usize) -> bool {
    let (ta, tb): (BTreeSet<String>, BTreeSet<String>) = (
        fold(a).split_whitespace().map(str::to_string).collect(),
        fold(b).split_whitespace().map(str::to_string).collect(),
    );
    let shared = ta
        .iter()
        .filter(|x| {
            tb.iter()
                .any(|y| strsim::levenshtein(x, y) <= edits.min(x.len() / 3))
        })
        .count();
    !ta.is_empty() && !tb.is_empty() && shared as f64 / ta.len().min(tb.len()) as f64 >= 0.8
}

/// An identifier as compared: letters and digits only, upper case, no `EIN` label.
pub(crate) fn id_key(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase();
    s.strip_prefix("EIN").map(str::to_string).unwrap_or(s)
}

#[derive(Debug)]
#[allow(dead_code)]
pub(crate) struct RowScore {
    pub(crate) precision: f64,
    pub(crate) recall: f64,
    pub(crate) id_exact: f64,
    missing: Vec<String>,
    extra: Vec<String>,
}

/// Sub-processor rows matched on category + name (token overlap) in order, ids compared exactly.
pub(crate) fn score_rows(gold_rows: &[Value], record: &Record) -> RowScore {
    score_rows_within(gold_rows, record, 0)
}

fn score_rows_within(gold_rows: &[Value], record: &Record, edits: usize) -> RowScore {
    let got = &record.subprocessors;
    let mut used = vec![false; got.len()];
    let (mut tp, mut id_ok) = (0, 0);
    let mut missing = Vec::new();
    for g in gold_rows {
        let name = g["name"].as_str().unwrap_or_default();
        let category = g["category"].as_str();
        let hit = got.iter().enumerate().position(|(i, r)| {
            !used[i]
                && same_name_within(name, &r.name, edits)
                && category
                    .is_none_or(|c| r.category.as_deref().is_none_or(|rc| fold(rc) == fold(c)))
        });
        let Some(i) = hit else {
            missing.push(name.to_string());
            continue;
        };
        used[i] = true;
        tp += 1;
        let want = g["id"].as_str().map(id_key).unwrap_or_default();
        let have = got[i]
            .identifier
            .as_ref()
            .map(|id| id_key(&id.value))
            .unwrap_or_default();
        id_ok += usize::from(want == have);
    }
    let extra: Vec<String> = got
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(r, _)| r.name.clone())
        .collect();
    let (precision, recall, _) = prf(tp, extra.len(), gold_rows.len() - tp);
    RowScore {
        precision,
        recall,
        id_exact: id_ok as f64 / tp.max(1) as f64,
        missing,
        extra,
    }
}

#[test]
fn subprocessor_table_of_the_itm8_appendix_matches_gold() {
    let text = std::fs::read_to_string(repo("fixtures/gold/seed-000-subprocessors.json"))
        .expect("gold rows");
    let rows: Vec<Value> = serde_json::from_str(&text).expect("JSON");
    for source in [
        "corpus/000_5dc22579b8fec684.txt",
        "fixtures/inputs/pdf/000_itm8_appendices.pdf",
    ] {
        let s = score_rows(&rows, &record_of(source));
        eprintln!("{source}: {s:?}");
        assert!(s.precision >= 0.95 && s.recall >= 0.95, "{source}: {s:?}");
        assert_eq!(s.id_exact, 1.0, "{source}: {s:?}");
    }
}

#[test]
fn small_tables_and_references_to_lists_elsewhere() {
    let itj = record_of("corpus/002_57dfb51f510d3c48.txt");
    let s = score_rows(
        gold("seed-002")["subprocessors"].as_array().expect("rows"),
        &itj,
    );
    assert_eq!((s.precision, s.recall), (1.0, 1.0), "{s:?}");
    assert_eq!(itj.subprocessors[0].clause.as_deref(), Some("9.4"));
    assert_eq!(itj.subprocessors[0].country.as_deref(), Some("DK"));
    let microbizz = record_of("corpus/001_a01309c27944fe2b.txt");
    assert!(microbizz.subprocessors.is_empty());
    let source = microbizz
        .subprocessor_source
        .expect("the list is behind a link");
    assert_eq!(
        (source.kind.as_str(), source.clause.as_deref()),
        ("link", Some("19.1"))
    );
}

#[test]
fn the_ruled_pdf_table_is_fully_recovered() {
    let r = record_of("fixtures/inputs/pdf/subprocessor_table.pdf");
    let rows: Vec<(&str, &str, bool)> = r
        .subprocessors
        .iter()
        .map(|s| {
            let id = s.identifier.as_ref().expect("every row has an id");
            (s.name.as_str(), id.value.as_str(), id.valid)
        })
        .collect();
    assert_eq!(rows.len(), 14, "{rows:#?}");
    assert_eq!(
        rows[2],
        ("Kvistgaard IT-Service ApS", "86417302", false),
        "the failing check digit is flagged"
    );
    assert_eq!(rows[8], ("Tulpenveld Hosting B.V.", "NL859301442B01", true));
    assert_eq!(rows[10], ("Bluefin Telemetry Inc.", "12-3456789", true));
    assert_eq!(rows[11].0, "Åkande Dokumenthåndtering ApS");
    let lyngholm = &r.subprocessors[7];
    assert!(
        lyngholm
            .description
            .as_deref()
            .is_some_and(|d| d.contains("13 måneder")),
        "the row split by the page break is joined"
    );
    let bluefin = &r.subprocessors[10];
    assert_eq!(
        (
            bluefin.country.as_deref(),
            bluefin.third_country,
            bluefin.transfer_basis.as_deref()
        ),
        (Some("US"), Some(true), Some("SCC"))
    );
    assert!(r
        .subprocessors
        .iter()
        .filter(|s| s.country.as_deref() == Some("DK"))
        .all(|s| s.third_country == Some(false)));
}

/// Share of gold topics found on their clause or its sub-clauses.
pub(crate) fn topic_accuracy(gold: &Value, record: &Record) -> (f64, Vec<String>) {
    let wanted: Vec<(String, String)> = gold["clauses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c["topic"].as_str()?.to_string(), num(c["number"].as_str()?))))
        .collect();
    let mut misses = Vec::new();
    for (topic, n) in &wanted {
        let found = record.clauses.iter().any(|c| {
            let cn = num(c.number.as_deref().unwrap_or(""));
            (cn == *n || cn.starts_with(&format!("{n}."))) && c.topics.contains(topic)
        });
        if !found {
            misses.push(format!("{n}: {topic}"));
        }
    }
    (
        1.0 - misses.len() as f64 / wanted.len().max(1) as f64,
        misses,
    )
}

#[test]
fn topics_of_the_seeds_match_gold() {
    for &(name, text, pdf, _, _) in SEEDS {
        for source in [text, pdf] {
            let (accuracy, misses) = topic_accuracy(&gold(name), &record_of(source));
            eprintln!("{source}: topic accuracy {accuracy:.3} {misses:?}");
            assert!(
                accuracy >= 0.9,
                "{source}: topic accuracy {accuracy:.3}, missed {misses:?}"
            );
        }
    }
}

/// Deadline precision and recall on (clause, amount, unit), as the gold README matches them.
pub(crate) fn deadline_scores(gold: &Value, record: &Record) -> (f64, f64) {
    let want: Vec<(String, f64, String)> = gold["deadlines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| {
            Some((
                num(d["clause"].as_str()?),
                d["amount"].as_f64()?,
                d["unit"].as_str()?.to_string(),
            ))
        })
        .collect();
    let mut got: Vec<(String, f64, String)> = record
        .deadlines
        .iter()
        .filter_map(|d| Some((num(d.clause.as_deref()?), d.amount?, d.unit?.to_string())))
        .collect();
    let mut tp = 0;
    for w in &want {
        if let Some(i) = got.iter().position(|g| g == w) {
            got.remove(i);
            tp += 1;
        }
    }
    let (p, r, _) = prf(tp, got.len(), want.len() - tp);
    (p, r)
}

#[test]
fn deadlines_and_change_log_match_gold() {
    for (name, text) in [
        ("seed-001", "corpus/001_a01309c27944fe2b.txt"),
        ("seed-002", "corpus/002_57dfb51f510d3c48.txt"),
    ] {
        let g = gold(name);
        let record = record_of(text);
        let (p, r) = deadline_scores(&g, &record);
        assert_eq!((p, r), (1.0, 1.0), "{name}");
        for q in g["qualitative_deadlines"].as_array().into_iter().flatten() {
            let (clause, kind) = (
                q["clause"].as_str().unwrap_or_default(),
                q["kind"].as_str().unwrap_or_default(),
            );
            assert!(
                record
                    .deadlines
                    .iter()
                    .any(|d| d.clause.as_deref() == Some(clause) && d.kind.as_str() == kind),
                "{name}: {kind} in {clause}"
            );
        }
        for f in g["frequencies"].as_array().into_iter().flatten() {
            let clause = f["clause"].as_str().unwrap_or_default();
            assert!(
                record
                    .deadlines
                    .iter()
                    .any(|d| d.clause.as_deref() == Some(clause)
                        && d.kind == DeadlineKind::Frequency),
                "{name}: frequency in {clause}"
            );
        }
    }
    let microbizz = record_of("corpus/001_a01309c27944fe2b.txt");
    let versions: Vec<(&str, Option<&str>)> = microbizz
        .changelog
        .iter()
        .map(|e| (e.version.as_str(), e.date.as_deref()))
        .collect();
    let want: Vec<(String, Option<String>)> = gold("seed-001")["changelog"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["version"].as_str().unwrap_or_default().to_string(),
                e["date"].as_str().map(str::to_string),
            )
        })
        .collect();
    let want: Vec<(&str, Option<&str>)> = want
        .iter()
        .map(|(v, d)| (v.as_str(), d.as_deref()))
        .collect();
    assert_eq!(versions, want);
    assert_eq!(microbizz.version.as_deref(), Some("2.6"));
}

#[test]
fn data_categories_of_the_itm8_appendix_are_all_checked() {
    let g = gold("seed-000");
    let record = record_of("corpus/000_5dc22579b8fec684.txt");
    for (key, got) in [
        ("data_categories_checked", &record.data_categories),
        ("data_subjects_checked", &record.data_subjects),
    ] {
        let want: Vec<&str> = g[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for name in &want {
            assert!(
                got.iter()
                    .any(|c| fold(&c.name) == fold(name) && c.checked == Some(true)),
                "{key}: {name} not found checked in {got:?}"
            );
        }
        assert_eq!(got.len(), want.len(), "{key}: nothing extra");
    }
}
