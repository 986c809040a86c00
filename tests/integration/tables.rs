//! Tables read from text exports (issue 15): every fixture under `fixtures/tables/text/` gives
//! back exactly the header and rows of its `.expected.json`, and prose gives no table.

use serde_json::Value;

use crate::util::repo;

fn expected(path: &std::path::Path) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("expected file"))
        .expect("expected JSON");
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|c| c.as_str().expect("cell").to_string())
            .collect()
    };
    json["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .map(|t| {
            let rows = t["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .map(strings)
                .collect();
            (strings(&t["header"]), rows)
        })
        .collect()
}

#[test]
fn text_tables_in_every_syntax_come_back_cell_for_cell() {
    let dir = repo("fixtures/tables/text");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures/tables/text") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let doc = aftale::text::normalise(&[text]);
        let got: Vec<(Vec<String>, Vec<Vec<String>>)> = aftale::tables::tables(&doc)
            .into_iter()
            .map(|t| (t.header, t.rows))
            .collect();
        let want = expected(&path.with_extension("expected.json"));
        assert_eq!(got, want, "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} text table fixtures");
}

#[test]
fn tables_of_the_real_agreements_sit_in_their_clauses() {
    // 06: two tables (sub-processors and vendors that are not sub-processors), both in clause 8.
    let out = crate::util::stdout_of(
        crate::util::aftale()
            .arg("extract")
            .arg(repo("fixtures/real/text/06_journalklar-dba.txt"))
            .arg("--json"),
    );
    let record: aftale::Record = serde_json::from_slice(&out).expect("record");
    let shapes: Vec<(Option<&str>, usize, usize)> = record
        .tables
        .iter()
        .map(|t| (t.clause.as_deref(), t.header.len(), t.rows.len()))
        .collect();
    assert_eq!(shapes.len(), 2, "{shapes:?}");
    assert_eq!(record.tables[0].header[0], "Underdatabehandler");
    assert_eq!((shapes[0].1, shapes[0].2), (4, 2));
    assert_eq!((shapes[1].1, shapes[1].2), (3, 2));
    assert!(shapes.iter().all(|s| s.0 == Some("8")), "{shapes:?}");
}
