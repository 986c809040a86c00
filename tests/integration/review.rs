//! `aftale review` (issue 20): the art. 28 checklist scored against hand-made gold
//! (`fixtures/review/gold`: the seeds and the real agreements), against variants with the
//! clauses of two or three items taken out (`fixtures/review/variants`, made by
//! `fixtures/make_review_variants.py`), against agreements written for this test
//! (`fixtures/review/heldout`, `heldout2`), and against the Word and browser PDF renderings of the
//! real agreements; then the command's outputs: JSON, text, matrix, CSV, HTML in Chromium, the
//! playbook, and `diff`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::util::{
    aftale, chromium, headless, ingest, json_lines, repo, screenshot_colours, stdout_of,
};

/// Gold files of a folder, by file stem.
fn golds(dir: &str) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = std::fs::read_dir(repo(dir))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
                .map(|p| {
                    let stem = p
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .unwrap_or("")
                        .to_string();
                    let gold: Value =
                        serde_json::from_str(&std::fs::read_to_string(&p).expect("read"))
                            .expect("gold JSON");
                    (stem, gold)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every review of these files, by one run of `aftale review FILE… --json`.
fn reviews(paths: &[String]) -> Vec<Value> {
    let mut cmd = aftale();
    cmd.current_dir(repo(""))
        .arg("review")
        .args(paths)
        .arg("--json");
    let reviews: Vec<Value> = json_lines(&stdout_of(&mut cmd));
    assert_eq!(reviews.len(), paths.len());
    reviews
}

/// Counts of (gold status, found status) and of right evidence.
#[derive(Default)]
struct Tally {
    pairs: BTreeMap<(String, String), usize>,
    evidence_right: usize,
    evidence_scored: usize,
    wrong: Vec<String>,
}

impl Tally {
    fn add(&mut self, name: &str, gold: &Value, review: &Value, score_evidence: bool) {
        for item in review["items"].as_array().expect("items") {
            let id = item["id"].as_str().unwrap_or("");
            let Some(g) = gold["items"].get(id) else {
                continue;
            };
            if g.get("scored") == Some(&Value::Bool(false)) {
                continue;
            }
            let (gs, fs) = (
                g["status"].as_str().unwrap_or("").to_string(),
                item["status"].as_str().unwrap_or("").to_string(),
            );
            if gs != fs {
                self.wrong
                    .push(format!("{name} {id}: gold {gs}, found {fs}"));
            }
            if score_evidence && gs != "missing" && fs != "missing" {
                let gold_clauses: Vec<&str> = g["clauses"]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let found: Vec<&str> = item["clauses"]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let inside = found.iter().filter(|c| gold_clauses.contains(c)).count();
                // Right: most of the clauses given state the item, by the gold.
                self.evidence_scored += 1;
                if inside > 0 && inside * 2 >= found.len() {
                    self.evidence_right += 1;
                } else {
                    self.wrong.push(format!(
                        "{name} {id}: evidence {found:?}, gold {gold_clauses:?}"
                    ));
                }
            }
            *self.pairs.entry((gs, fs)).or_default() += 1;
        }
    }

    /// Precision and recall of one status (`present` counts only `present`).
    fn pr(&self, status: &str) -> (f64, f64) {
        let count = |f: &dyn Fn(&str, &str) -> bool| -> usize {
            self.pairs
                .iter()
                .filter(|((g, s), _)| f(g, s))
                .map(|(_, n)| *n)
                .sum()
        };
        let hit = count(&|g, s| g == status && s == status);
        let found = count(&|_, s| s == status);
        let gold = count(&|g, _| g == status);
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        (ratio(hit, found), ratio(hit, gold))
    }

    fn evidence(&self) -> f64 {
        if self.evidence_scored == 0 {
            1.0
        } else {
            self.evidence_right as f64 / self.evidence_scored as f64
        }
    }

    fn report(&self, set: &str) -> String {
        let (mp, mr) = self.pr("missing");
        let (pp, pr) = self.pr("present");
        let (wp, wr) = self.pr("weak");
        format!(
            "{set}: missing P {mp:.3} R {mr:.3} · present P {pp:.3} R {pr:.3} · weak P {wp:.3} R {wr:.3} · evidence {}/{} = {:.3} · items {}",
            self.evidence_right,
            self.evidence_scored,
            self.evidence(),
            self.pairs.values().sum::<usize>()
        )
    }

    fn assert_floors(&self, set: &str) {
        let report = self.report(set);
        eprintln!("{report}");
        for line in &self.wrong {
            eprintln!("  {line}");
        }
        let (mp, mr) = self.pr("missing");
        let (pp, pr) = self.pr("present");
        assert!(mp >= 0.95 && mr >= 0.95, "{report}\n{:#?}", self.wrong);
        assert!(pp >= 0.95 && pr >= 0.95, "{report}\n{:#?}", self.wrong);
        assert!(self.evidence() >= 0.9, "{report}\n{:#?}", self.wrong);
    }
}

/// Score one folder of gold: statuses and evidence, and the key terms that gold states.
fn score(dir: &str) -> Tally {
    let golds = golds(dir);
    let paths: Vec<String> = golds
        .iter()
        .map(|(_, g)| g["path"].as_str().expect("path").to_string())
        .collect();
    let mut tally = Tally::default();
    for ((name, gold), review) in golds.iter().zip(reviews(&paths)) {
        tally.add(name, gold, &review, true);
        let Some(terms) = gold.get("key_terms") else {
            continue;
        };
        for key in [
            "breach_notice_hours",
            "subprocessor_notice_days",
            "deletion_days",
            "breach_notice",
        ] {
            let want = &terms[key];
            if want.is_null() {
                continue;
            }
            let got = &review["key_terms"][key];
            let same = match (want.as_f64(), got.as_f64()) {
                (Some(a), Some(b)) => (a - b).abs() < 0.01,
                _ => want == got,
            };
            assert!(same, "{name}: key term {key}: gold {want}, found {got}");
        }
    }
    tally
}

#[test]
fn the_checklist_meets_the_floors_on_the_gold_agreements() {
    score("fixtures/review/gold").assert_floors("seeds and real agreements");
}

#[test]
fn the_checklist_finds_what_was_taken_out_of_the_variants() {
    score("fixtures/review/variants").assert_floors("variants with items removed");
}

/// Agreements written for the test by hand, in other vendors' words (`fixtures/review/heldout`
/// and `heldout2`: English SaaS, municipal §/stk., informal "vi/du", appendix tables, OCR
/// damage, capital headings, run-on sentences). Each set was scored once before any cue was
/// tuned on it (the figures are in the README); since then they are regression sets.
#[test]
fn the_checklist_holds_on_agreements_written_for_the_test() {
    for set in ["fixtures/review/heldout", "fixtures/review/heldout2"] {
        let tally = score(set);
        assert!(tally.pairs.values().sum::<usize>() >= 5 * 13, "{set}");
        tally.assert_floors(set);
    }
}

#[test]
fn the_checklist_is_the_same_on_word_and_browser_pdfs() {
    let mut tally = Tally::default();
    for (name, gold) in golds("fixtures/review/gold") {
        let Some(text) = gold["path"].as_str() else {
            continue;
        };
        let Some(stem) = text
            .strip_prefix("fixtures/real/text/")
            .and_then(|t| t.strip_suffix(".txt"))
        else {
            continue;
        };
        let pdfs: Vec<String> = ["word", "browser"]
            .iter()
            .map(|kind| format!("fixtures/real/{kind}/{stem}.pdf"))
            .filter(|p| repo(p).is_file())
            .collect();
        for (pdf, review) in pdfs.iter().zip(reviews(&pdfs)) {
            tally.add(&format!("{name} ({pdf})"), &gold, &review, false);
        }
    }
    assert!(tally.pairs.values().sum::<usize>() >= 13 * 10);
    tally.assert_floors("Word and browser PDFs");
}

#[test]
fn one_review_as_json_has_the_published_shape() {
    let mut cmd = aftale();
    cmd.current_dir(repo(""))
        .args(["review", "fixtures/real/text/07_chainhub-dba.txt", "--json"]);
    let out: Vec<Value> = json_lines(&stdout_of(&mut cmd));
    let r = &out[0];
    assert_eq!(r["document"]["vendor"], "ChainHub");
    assert!(r["document"]["id"]
        .as_str()
        .is_some_and(|id| id.len() == 64));
    assert_eq!(
        r["document"]["path"],
        "fixtures/real/text/07_chainhub-dba.txt"
    );
    let items = r["items"].as_array().expect("items");
    let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "processing_details",
            "instructions",
            "unlawful_instruction_notice",
            "confidentiality",
            "security",
            "subprocessor_authorisation",
            "subprocessor_flowdown",
            "data_subject_rights",
            "assistance_32_36",
            "breach_notification",
            "deletion_return",
            "audit",
            "third_country_transfer"
        ]
    );
    for item in items {
        let status = item["status"].as_str().expect("status");
        assert!(["present", "weak", "missing"].contains(&status));
        assert!(item["clauses"].is_array());
        if status == "missing" {
            assert!(item["clauses"].as_array().is_some_and(|c| c.is_empty()));
            assert!(item["reason"].as_str().is_some_and(|r| !r.is_empty()));
        } else {
            assert!(item["evidence"].as_str().is_some_and(|e| !e.is_empty()));
        }
        if status == "weak" {
            assert!(item["reason"].as_str().is_some_and(|r| !r.is_empty()));
        }
    }
    let breach = items
        .iter()
        .find(|i| i["id"] == "breach_notification")
        .expect("breach item");
    assert_eq!(breach["status"], "present");
    assert_eq!(breach["clauses"], serde_json::json!(["7"]));
    let terms = &r["key_terms"];
    assert_eq!(terms["breach_notice"], "undue_delay");
    assert_eq!(terms["deletion_days"], 90.0);
    assert_eq!(terms["subprocessor_authorisation"], "general");
    assert_eq!(terms["processor"]["name"], "ChainHub");
}

#[test]
fn a_stricter_playbook_makes_items_weak_and_adds_required_items() {
    let dir = tempfile::tempdir().expect("tempdir");
    let playbook = dir.path().join("koncern.toml");
    std::fs::write(
        &playbook,
        "[breach_notice]\nmax_hours = 12\n\n[deletion]\nmax_days = 30\n\n[[require]]\nid = \"insurance\"\nlabel = \"Forsikring\"\nany = [\"forsikring*\", \"insurance\"]\n\n[[require]]\nid = \"export\"\nlabel = \"Dataeksport\"\nany = [\"eksport*\"]\n",
    )
    .expect("write");
    let mut cmd = aftale();
    cmd.current_dir(repo(""))
        .args([
            "review",
            "fixtures/real/text/07_chainhub-dba.txt",
            "--json",
            "--playbook",
        ])
        .arg(&playbook);
    let r: Vec<Value> = json_lines(&stdout_of(&mut cmd));
    let item = |id: &str| {
        r[0]["items"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["id"] == id))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let deletion = item("deletion_return");
    assert_eq!(deletion["status"], "weak");
    assert!(deletion["reason"]
        .as_str()
        .is_some_and(|r| r.contains("90 days") && r.contains("30 days")));
    assert_eq!(item("insurance")["status"], "missing");
    assert_eq!(item("export")["status"], "present");
    assert_eq!(item("export")["clauses"], serde_json::json!(["8"]));
    assert!(r[0]["playbook"]
        .as_str()
        .is_some_and(|p| p.ends_with("koncern.toml")));

    // The same playbook on an agreement with a firm 24-hour breach notice: above 12 hours.
    let mut cmd = aftale();
    cmd.current_dir(repo(""))
        .args([
            "review",
            "fixtures/real/text/04_aabenforms-fenixnordic-dba.txt",
            "--json",
            "--playbook",
        ])
        .arg(&playbook);
    let r: Vec<Value> = json_lines(&stdout_of(&mut cmd));
    let breach = r[0]["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == "breach_notification"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(breach["status"], "weak", "{breach}");
    assert!(breach["reason"]
        .as_str()
        .is_some_and(|r| r.contains("24 hours > 12 hours")));
}

#[test]
fn a_bad_playbook_is_a_usage_error_and_the_default_prints_and_parses_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[breach_notice]\nmax_hour = 24\n").expect("write");
    let out = aftale()
        .current_dir(repo(""))
        .args(["review", "corpus/002_57dfb51f510d3c48.txt", "--playbook"])
        .arg(&bad)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("max_hour"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    let printed = stdout_of(aftale().args(["review", "--print-playbook"]));
    let copy = dir.path().join("copy.toml");
    std::fs::write(&copy, &printed).expect("write");
    let out = aftale()
        .current_dir(repo(""))
        .args([
            "review",
            "corpus/002_57dfb51f510d3c48.txt",
            "--json",
            "--playbook",
        ])
        .arg(&copy)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_file_that_cannot_be_read_is_listed_and_the_others_are_reviewed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.pdf");
    std::fs::write(&broken, b"%PDF-1.4 not really").expect("write");
    let out = aftale()
        .current_dir(repo(""))
        .args(["review", "corpus/002_57dfb51f510d3c48.txt"])
        .arg(&broken)
        .arg("--json")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let reviews: Vec<Value> = json_lines(&out.stdout);
    assert_eq!(reviews.len(), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.pdf"));
    // A name that is neither a file nor in an index is a usage error.
    let out = aftale()
        .current_dir(dir.path())
        .args(["review", "no-such-agreement"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-agreement"));
}

/// An index with the three seeds and two real agreements.
fn index_with_agreements(dir: &Path) -> std::path::PathBuf {
    let index = dir.join("index");
    for doc in [
        "corpus/000_5dc22579b8fec684.txt",
        "corpus/001_a01309c27944fe2b.txt",
        "corpus/002_57dfb51f510d3c48.txt",
        "fixtures/real/text/07_chainhub-dba.txt",
        "fixtures/real/text/06_journalklar-dba.txt",
    ] {
        ingest(&repo(doc), &index);
    }
    index
}

#[test]
fn the_index_is_reviewed_as_a_matrix_as_text_csv_and_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = index_with_agreements(dir.path());
    let text = String::from_utf8(stdout_of(aftale().args(["review", "--index"]).arg(&index)))
        .expect("utf-8");
    assert!(text.starts_with("AGREEMENT"), "{text}");
    assert!(
        text.contains("ChainHub") && text.contains("ITJ Consult"),
        "{text}"
    );
    assert!(text.contains("5 agreements"), "{text}");
    assert!(text.contains("BRD breach_notification"), "{text}");

    let csv = String::from_utf8(stdout_of(
        aftale()
            .args(["review", "--csv", "--csv-sep", ";", "--index"])
            .arg(&index),
    ))
    .expect("utf-8");
    let csv = csv.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        &header[..4],
        ["document_id", "agreement", "path", "processing_details"]
    );
    assert!(header.contains(&"breach_notice".to_string()));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 5);
    let chainhub = rows
        .iter()
        .find(|r| &r[1] == "ChainHub")
        .expect("ChainHub row");
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(&chainhub[col("breach_notification")], "present");
    assert_eq!(&chainhub[col("deletion_days")], "90 days");

    // One agreement by its vendor's name: the checklist with clauses, then the key terms.
    let one = String::from_utf8(stdout_of(
        aftale()
            .args(["review", "journalklar", "--index"])
            .arg(&index),
    ))
    .expect("utf-8");
    assert!(one.contains("unlawful_instruction_notice missing"), "{one}");
    assert!(one.contains("KEY TERMS"), "{one}");
    assert!(one.contains("Aalborg Byret"), "{one}");
}

#[test]
fn an_empty_index_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = dir.path().join("index");
    std::fs::create_dir_all(&index).expect("mkdir");
    ingest(&repo("corpus/002_57dfb51f510d3c48.txt"), &index);
    let out = aftale()
        .args(["remove", "002_57dfb51f510d3c48", "--index"])
        .arg(&index)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = aftale()
        .args(["review", "--index"])
        .arg(&index)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no agreements to review"));
}

#[test]
fn the_html_report_is_self_contained_escapes_text_and_renders_in_chromium() {
    let dir = tempfile::tempdir().expect("tempdir");
    // An agreement whose text carries markup: it must show as text, never run.
    let hostile = dir.path().join("hostile.txt");
    let text = std::fs::read_to_string(repo("fixtures/real/text/07_chainhub-dba.txt"))
        .expect("read")
        .replace(
            "udelukkende personoplysninger",
            "udelukkende <script>document.title='pwned'</script><img src=x onerror=alert(1)> personoplysninger",
        );
    std::fs::write(&hostile, text).expect("write");
    let mut cmd = aftale();
    cmd.current_dir(repo(""))
        .args([
            "review",
            "corpus/002_57dfb51f510d3c48.txt",
            "fixtures/real/text/06_journalklar-dba.txt",
        ])
        .arg(&hostile)
        .arg("--html");
    let html = String::from_utf8(stdout_of(&mut cmd)).expect("utf-8");
    for network in [
        "http://", "https://", "src=\"", "<link", "<script", "<img", "@import",
    ] {
        assert!(
            !html.contains(network),
            "the page must be self-contained: {network}"
        );
    }
    assert!(html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"));
    let artefacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("review-report");
    std::fs::create_dir_all(&artefacts).expect("mkdir");
    let page = artefacts.join("review.html");
    std::fs::write(&page, &html).expect("write");
    let Some(browser) = chromium() else { return };
    let url = format!("file://{}", page.display());
    let dom = headless(&browser, &dir.path().join("profile-dom"))
        .args(["--dump-dom", &url])
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("id=\"matrix\""), "{dom}");
    assert_eq!(dom.matches("<tr data-document=").count(), 3, "{dom}");
    // JournalKlar has no notice of unlawful instructions: a missing cell with its reason.
    assert!(
        dom.contains("data-item=\"unlawful_instruction_notice\" title=\"notice of an infringing instruction: missing"),
        "{dom}"
    );
    assert!(dom.contains("Aalborg Byret"));
    assert!(!dom.contains("<title>pwned") && !dom.contains("pwned</title>"));
    assert!(
        !dom.contains("<script>document"),
        "markup from the document stays text"
    );
    let shot = artefacts.join("review.png");
    let counts = screenshot_colours(
        &browser,
        &dir.path().join("profile-shot"),
        &url,
        &shot,
        "1400,1600",
        &[[0xd8, 0xf0, 0xd8], [0xf8, 0xd3, 0xd3]],
    );
    // The matrix is painted: green cells for present items, red for missing ones.
    assert!(counts[0] > 500, "no present cells painted: {counts:?}");
    assert!(counts[1] > 100, "no missing cells painted: {counts:?}");
}

#[test]
fn diff_shows_the_review_items_that_changed() {
    let mut cmd = aftale();
    cmd.current_dir(repo("")).args([
        "diff",
        "corpus/002_57dfb51f510d3c48.txt",
        "fixtures/review/variants/002_57dfb51f510d3c48__0.txt",
        "--format",
        "json",
    ]);
    let c: Value = serde_json::from_slice(&stdout_of(&mut cmd)).expect("JSON");
    let review: Vec<&Value> = c["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|ch| ch["kind"] == "review_changed")
        .collect();
    let items: Vec<&str> = review
        .iter()
        .filter_map(|ch| ch["new"]["item"].as_str())
        .collect();
    let variant: Value = serde_json::from_str(
        &std::fs::read_to_string(repo(
            "fixtures/review/variants/002_57dfb51f510d3c48__0.json",
        ))
        .expect("read"),
    )
    .expect("JSON");
    for removed in variant["removed"].as_array().expect("removed") {
        let removed = removed.as_str().unwrap_or("");
        assert!(items.contains(&removed), "{removed} not in {items:?}");
    }
    assert!(review
        .iter()
        .all(|ch| ch["important"] == true && ch["new"]["status"] == "missing"));
    assert_eq!(c["summary"]["review"], review.len());
    let text = String::from_utf8(stdout_of(aftale().current_dir(repo("")).args([
        "diff",
        "corpus/002_57dfb51f510d3c48.txt",
        "fixtures/review/variants/002_57dfb51f510d3c48__0.txt",
    ])))
    .expect("utf-8");
    assert!(text.contains("review, audit: present → missing"), "{text}");
}

#[test]
fn the_checklist_holds_on_ocr_damaged_copies() {
    // The gold agreements and the held-out ones, damaged by the OCR model (æøå misread,
    // letters and digits confused, lines re-wrapped and hyphenated) at two seeds each.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut tally = Tally::default();
    for set in [
        "fixtures/review/gold",
        "fixtures/review/heldout",
        "fixtures/review/heldout2",
    ] {
        let golds = golds(set);
        let mut paths = Vec::new();
        let mut names = Vec::new();
        for (name, gold) in &golds {
            let text =
                std::fs::read_to_string(repo(gold["path"].as_str().expect("path"))).expect("read");
            for seed in [3, 11] {
                let path = dir.path().join(format!("{name}-{seed}.txt"));
                std::fs::write(&path, aftale_bench::damage::damage(&text, seed)).expect("write");
                paths.push(path.display().to_string());
                names.push((name.clone(), gold.clone()));
            }
        }
        for ((name, gold), review) in names.iter().zip(reviews(&paths)) {
            tally.add(name, gold, &review, false);
        }
    }
    tally.assert_floors("OCR-damaged copies");
}
