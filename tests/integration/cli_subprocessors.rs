//! `aftale subprocessors`: the register across the agreements of an index.

use tempfile::TempDir;

use crate::util::{aftale, json_lines, repo, stdout_of};

fn index_of_corpus() -> TempDir {
    let dir = TempDir::new().expect("tempdir");
    aftale()
        .current_dir(dir.path())
        .arg("ingest")
        .arg(repo("corpus"))
        .args(["--index", "idx"])
        .assert()
        .success();
    dir
}

fn run(dir: &TempDir, args: &[&str]) -> String {
    let stdout = stdout_of(
        aftale()
            .current_dir(dir.path())
            .arg("subprocessors")
            .args(["--index", "idx"])
            .args(args),
    );
    String::from_utf8(stdout).expect("utf-8")
}

#[test]
fn one_line_per_company_with_flags_to_review() {
    let dir = index_of_corpus();
    let companies: Vec<serde_json::Value> = json_lines(run(&dir, &["--json"]).as_bytes());
    // 74 rows of the itm8 table and one of the ITJ agreement, merged by number or name.
    assert!(
        companies.len() > 40 && companies.len() < 75,
        "{}",
        companies.len()
    );
    let by_id = |id: &str| {
        companies
            .iter()
            .find(|c| c["identifier"]["value"] == id)
            .expect(id)
    };
    let shared = by_id("30806883");
    assert!(
        shared["flags"][0]
            .as_str()
            .is_some_and(|f| f.contains("different names")),
        "{shared}"
    );
    let microsoft = by_id("IE8256796U");
    assert_eq!(
        microsoft["categories"].as_array().map(Vec::len),
        Some(5),
        "one company, five service categories"
    );
    assert!(companies
        .iter()
        .any(|c| c["flags"].to_string().contains("Konkurs")));
    assert!(by_id("409277360")["flags"][0]
        .as_str()
        .is_some_and(|f| f.contains("fails its check")));
}

#[test]
fn filters_and_formats() {
    let dir = index_of_corpus();
    let table = run(&dir, &["--name", "unoeuro"]);
    assert!(
        table.contains("UnoEuro Danmark A/S") && table.ends_with("1 company\n"),
        "{table}"
    );
    let csv = run(&dir, &["--id", "30 50 25 66", "--csv"]);
    let mut lines = csv.lines();
    assert!(
        lines.next().is_some_and(
            |h| h.starts_with("\u{feff}name,identifier,kind,valid,country,third_country")
        )
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("Uni-tel A/S,30502566,cvr,true,DK")),
        "{csv}"
    );
    let third = run(&dir, &["--third-country", "--json"]);
    assert!(json_lines::<serde_json::Value>(third.as_bytes())
        .iter()
        .all(|c| c["third_country"] == true));
}
