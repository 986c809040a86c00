//! `aftale search` answers that never silently mislead (issue 19), and `aftale topics`: topics
//! by id or Danish name, a hard per-agreement cap, listings by filters only, folded filters,
//! empty answers that say what was searched, hits named by agreement and current path.
//!
//! Each test builds a small index of made-up agreements (one template, the processor named
//! per file) in a temporary folder.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

use crate::util::{aftale, json_lines, stdout_of};

/// The clauses every made-up agreement has: instructions, security, a breach notice,
/// sub-processors, deletion, disputes, and an audit section (clause 8).
const CLAUSES: &str = "1. Aftalens baggrund og omfang\n\
1.1. Den dataansvarlige bruger databehandlerens journalsystem “Klinikbog” til booking, journalføring og fakturering. Databehandleren behandler i den forbindelse personoplysninger om klinikkens patienter på vegne af den dataansvarlige.\n\
1.2. Aftalen gælder, så længe databehandleren behandler personoplysninger for den dataansvarlige, og den kan ikke opsiges for sig, mens hovedaftalen løber.\n\
\n\
2. Instruks\n\
2.1. Databehandleren må kun behandle personoplysningerne efter dokumenteret instruks fra den dataansvarlige. Instruksen står i bilag 1.\n\
2.2. Mener databehandleren, at en instruks strider mod databeskyttelsesforordningen eller anden lovgivning, skal databehandleren straks sige det til den dataansvarlige.\n\
\n\
3. Fortrolighed og sikkerhed\n\
3.1. Kun medarbejdere med et arbejdsbetinget behov må få adgang til oplysningerne. De har tavshedspligt, også efter at deres ansættelse er ophørt.\n\
3.2. Databehandleren sørger for passende tekniske og organisatoriske foranstaltninger, bl.a. kryptering under overførsel og i hvile, logning af opslag og daglig sikkerhedskopi til et datacenter i Århus.\n\
\n\
4. Brud på persondatasikkerheden\n\
4.1. Databehandleren underretter den dataansvarlige uden unødig forsinkelse og senest 48 timer efter, at databehandleren er blevet opmærksom på bruddet.\n\
4.2. Underretningen beskriver så vidt muligt, hvad der er sket, hvilke grupper af registrerede der er berørt, og hvad databehandleren har gjort for at begrænse skaden.\n\
\n\
5. Underdatabehandlere\n\
5.1. Databehandleren har en generel godkendelse til at bruge underdatabehandlere. Ændringer varsles skriftligt mindst 30 dage i forvejen, så den dataansvarlige kan nå at gøre indsigelse.\n\
5.2. ØKONOMISK ANSVAR: Databehandleren hæfter over for den dataansvarlige for, at underdatabehandlerne overholder deres forpligtelser.\n\
\n\
6. Sletning og tilbagelevering\n\
6.1. Når aftalen ophører, leverer databehandleren alle personoplysninger tilbage i et almindeligt format og sletter derefter sine kopier senest 30 dage efter ophøret, medmindre EU-retten eller dansk ret kræver, at de opbevares.\n\
\n\
7. ÆNDRINGER OG TVISTER\n\
7.1. Ændringer i aftalen skal ske skriftligt.\n\
7.2. Tvister afgøres efter dansk ret ved Retten i Århus som første instans.\n\
\n\
";

/// An agreement with `processor`, or with no parties at all (no vendor to name it by).
fn agreement(processor: Option<&str>) -> String {
    let parties = processor.map_or(String::new(), |p| {
        format!(
            "mellem\n\nHvidbjerg Tandklinik ApS, Strandvejen 118, 8300 Odder\n\
             (herefter “den dataansvarlige”)\n\nog\n\n{p}, Ågade 7, 6200 Aabenraa\n\
             (herefter “databehandleren”)\n\n"
        )
    });
    format!(
        "DATABEHANDLERAFTALE\n\n{parties}{CLAUSES}8. Revision og tilsyn\n\
         8.1. Den dataansvarlige har ret til at foretage revision og inspektion hos \
         databehandleren en gang om året.\n\
         8.2. Databehandleren stiller den dokumentation til rådighed, som er nødvendig for at \
         påvise, at forpligtelserne er overholdt.\n\nUnderskrevet i Odder den 14. marts 2024\n"
    )
}

/// A folder of three agreements (`Åkande Data ApS`, `Kløvermark Systemer A/S`, and one without
/// parties in `Ærøskøbing/aftale.txt`) and its index.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = TempDir::new().expect("tempdir");
        let docs = dir.path().join("docs");
        std::fs::create_dir_all(docs.join("Ærøskøbing")).expect("mkdir");
        let write =
            |name: &str, text: String| std::fs::write(docs.join(name), text).expect("write");
        write(
            "akande.txt",
            agreement(Some("Åkande Data ApS, CVR-nr. 93 30 30 40")),
        );
        write("klovermark.txt", agreement(Some("Kløvermark Systemer A/S")));
        write("Ærøskøbing/aftale.txt", agreement(None));
        let fixture = Fixture { dir };
        stdout_of(
            aftale()
                .arg("ingest")
                .arg(&docs)
                .arg("--index")
                .arg(fixture.index()),
        );
        fixture
    }

    fn index(&self) -> PathBuf {
        self.dir.path().join("idx")
    }

    fn docs(&self) -> PathBuf {
        self.dir.path().join("docs")
    }

    /// `aftale ARGS --index IDX` (no terminal: no width, no colours).
    fn run(&self, args: &[&str]) -> Output {
        let out = aftale()
            .args(args)
            .arg("--index")
            .arg(self.index())
            .env_remove("COLUMNS")
            .output()
            .expect("run");
        Output {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The hits of `aftale search ARGS --json`, which must succeed.
    fn hits(&self, args: &[&str]) -> Vec<Value> {
        let out = self.run(&[&["search"], args, &["--json"]].concat());
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
        json_lines(out.stdout.as_bytes())
    }
}

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn texts<'a>(hits: &'a [Value], field: &str) -> Vec<&'a str> {
    hits.iter()
        .map(|h| h[field].as_str().unwrap_or(""))
        .collect()
}

fn has_topic(hit: &Value, topic: &str) -> bool {
    hit["topics"]
        .as_array()
        .is_some_and(|t| t.iter().any(|x| x == topic))
}

/// Item 1: `--topic` and `topic:` take an id or a Danish name in any case; an unknown topic is a
/// usage error that lists the topics, with nothing on stdout.
#[test]
fn topics_are_named_by_id_or_danish_name_and_an_unknown_one_is_refused() {
    let f = Fixture::new();
    for args in [
        &["databehandleren", "--topic", "Underdatabehandlere"][..],
        &["databehandleren", "--topic", "SUBPROCESSORS"],
        &["databehandleren", "topic:Subprocessors"],
        &["databehandleren topic:\"underdatabehandlere\""],
    ] {
        let hits = f.hits(args);
        assert!(!hits.is_empty(), "{args:?}");
        assert!(
            hits.iter().all(|h| has_topic(h, "subprocessors")),
            "{args:?}: {hits:?}"
        );
    }
    let breach = f.hits(&["underretter topic:\"brud på persondatasikkerheden\""]);
    assert!(!breach.is_empty() && breach.iter().all(|h| has_topic(h, "breach_notification")));
    let folded = f.hits(&["--topic", "Overforsel-til-tredjelande", "sikkerhedskopi"]);
    assert!(folded
        .iter()
        .all(|h| has_topic(h, "third_country_transfer")));
    for args in [
        &["search", "databehandleren", "--topic", "breach"][..],
        &["search", "databehandleren topic:breach"],
        &["search", "--topic", "breach", "--json"],
    ] {
        let out = f.run(args);
        assert_eq!(out.code, Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.contains("unknown topic")
                && out.stderr.contains("breach_notification")
                && out.stderr.contains("subprocessors"),
            "{}",
            out.stderr
        );
    }
}

/// Item 2: `aftale topics` lists every topic with its Danish name, and counts clauses of the
/// current versions when there is an index; without one it just lists them.
#[test]
fn topics_lists_ids_danish_names_and_clause_counts() {
    let f = Fixture::new();
    let out = f.run(&["topics"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["ID", "DANISH", "NAME", "CLAUSES"]);
    // Clause 8 and its two sub-clauses in each of three agreements.
    let audit = lines
        .iter()
        .find(|l| l.starts_with("audit "))
        .expect("audit line");
    assert!(
        audit.contains("revision og tilsyn") && audit.ends_with(" 9"),
        "{audit}"
    );
    assert!(lines.iter().any(
        |l| l.starts_with("breach_notification") && l.contains("brud på persondatasikkerheden")
    ));
    let json: Vec<Value> = json_lines(f.run(&["topics", "--json"]).stdout.as_bytes());
    assert_eq!(json.len(), 17);
    assert!(json
        .iter()
        .all(|t| t["id"].is_string() && t["name"].is_string() && t["clauses"].is_u64()));
    let audit = json.iter().find(|t| t["id"] == "audit").expect("audit");
    assert_eq!(audit["clauses"], 9);

    // No index: the list alone, exit 0.
    let none = aftale()
        .args(["topics", "--index"])
        .arg(f.dir.path().join("no-index-here"))
        .output()
        .expect("run");
    assert!(none.status.success());
    let text = String::from_utf8_lossy(&none.stdout);
    assert!(
        !text.contains("CLAUSES")
            && text.contains("subprocessors")
            && text.contains("underdatabehandlere"),
        "{text}"
    );
    let none_json = aftale()
        .args(["topics", "--json", "--index"])
        .arg(f.dir.path().join("no-index-here"))
        .output()
        .expect("run");
    let json: Vec<Value> = json_lines(&none_json.stdout);
    assert_eq!(json.len(), 17);
    assert!(json.iter().all(|t| t["clauses"].is_null()));
}

/// Item 3: `--per-doc N` is a hard cap, a short page rather than a fourth clause of one
/// agreement; `--limit 0` and `--per-doc 0` are usage errors.
#[test]
fn per_doc_is_a_hard_cap_and_zero_counts_are_refused() {
    let f = Fixture::new();
    let one = f.hits(&[
        "databehandleren",
        "--vendor",
        "kløvermark",
        "--per-doc",
        "2",
        "--limit",
        "10",
    ]);
    assert_eq!(one.len(), 2, "a short page: {one:?}");
    let all = f.hits(&["databehandleren", "--per-doc", "1", "--limit", "10"]);
    assert_eq!(all.len(), 3, "one per agreement: {all:?}");
    let mut paths = texts(&all, "path");
    paths.dedup();
    assert_eq!(paths.len(), 3);
    for args in [
        &["search", "databehandleren", "--limit", "0"][..],
        &["search", "databehandleren", "--per-doc", "0"],
    ] {
        let out = f.run(args);
        assert_eq!(out.code, Some(2), "{args:?}");
        assert!(
            out.stdout.is_empty() && out.stderr.contains("at least 1"),
            "{}",
            out.stderr
        );
    }
}

/// Item 4: a query of filters only lists the matching clauses by agreement, then clause order,
/// unscored; no words and no filters is a usage error that says what to give.
#[test]
fn filters_alone_list_clauses_in_agreement_and_clause_order() {
    let f = Fixture::new();
    for args in [
        &["topic:audit"][..],
        &["--topic", "audit"],
        &["--topic", "Revision og tilsyn"],
    ] {
        let hits = f.hits(&[args, &["--per-doc", "5", "--limit", "20"]].concat());
        assert_eq!(hits.len(), 9, "{args:?}: {hits:?}");
        assert!(hits
            .iter()
            .all(|h| has_topic(h, "audit") && h["score"].is_null()));
        // Agreements by name (vendor, else file name), each in clause order.
        let names = texts(&hits, "agreement");
        assert_eq!(
            names,
            [
                ["aftale.txt"; 3],
                ["Åkande Data ApS"; 3],
                ["Kløvermark Systemer A/S"; 3]
            ]
            .concat()
        );
        assert_eq!(
            texts(&hits, "clause"),
            ["8", "8.1", "8.2", "8", "8.1", "8.2", "8", "8.1", "8.2"]
        );
    }
    // The caps hold in a listing too.
    assert_eq!(f.hits(&["topic:audit"]).len(), 9);
    assert_eq!(f.hits(&["topic:audit", "--per-doc", "1"]).len(), 3);
    let text = f.run(&["search", "--topic", "audit", "--vendor", "akande"]);
    assert_eq!(text.code, Some(0));
    let first = text.stdout.lines().next().unwrap_or("");
    assert!(
        first.starts_with("1. Åkande Data ApS — 8 Revision og tilsyn"),
        "{}",
        text.stdout
    );
    assert!(!first.contains('['), "no score in a listing: {first}");
    let out = f.run(&["search"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("nothing to search for") && out.stderr.contains("topic:"),
        "{}",
        out.stderr
    );
}

/// Item 5: filters fold like the wording: `vendor:aakande` finds `Åkande`, `--doc` takes the
/// start of a version id or a part of the path, with or without æøå.
#[test]
fn vendor_and_document_filters_fold() {
    let f = Fixture::new();
    for args in [
        &["databehandleren vendor:aakande"][..],
        &["databehandleren", "--vendor", "ÅKANDE"],
    ] {
        let hits = f.hits(args);
        assert!(!hits.is_empty(), "{args:?}");
        assert!(
            texts(&hits, "vendor")
                .iter()
                .all(|v| *v == "Åkande Data ApS"),
            "{hits:?}"
        );
    }
    let by_path = f.hits(&["databehandleren", "--doc", "aeroskobing"]);
    assert!(!by_path.is_empty());
    assert!(texts(&by_path, "path")
        .iter()
        .all(|p| p.ends_with("Ærøskøbing/aftale.txt")));
    let id = by_path[0]["doc"].as_str().unwrap_or_default();
    let by_id = f.hits(&["databehandleren", "--doc", &id[..8]]);
    assert_eq!(texts(&by_id, "doc"), texts(&by_path, "doc"));
    let in_query = f.hits(&["databehandleren doc:ÆRØSKØBING/Aftale"]);
    assert_eq!(in_query.len(), by_path.len());
}

/// Item 6: an empty answer says what was searched, on stdout; with `--json` on stderr, stdout
/// empty. Exit 0.
#[test]
fn an_empty_answer_says_what_was_searched() {
    let f = Fixture::new();
    let out = f.run(&["search", "xyzzy", "--topic", "audit", "--vendor", "acme"]);
    assert_eq!(out.code, Some(0));
    assert_eq!(
        out.stdout.trim(),
        "no clauses found for \"xyzzy\" (topic audit, vendor acme) in the current versions of 0 of 3 agreements"
    );
    let out = f.run(&["search", "xyzzy", "--json"]);
    assert_eq!(out.code, Some(0));
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("no clauses found for \"xyzzy\" in the current versions of 3 agreements"),
        "{}",
        out.stderr
    );
    let listing = f.run(&["search", "topic:force_majeure", "--lang", "da"]);
    assert_eq!(
        listing.stdout.trim(),
        "no clauses found with topic force_majeure, language da in the current versions of 3 agreements"
    );
}

/// Item 7: a hit is named by its agreement (vendor, else file name; never the title) with the
/// document's current path; JSON carries `agreement`, `vendor` and `path`.
#[test]
fn hits_name_the_agreement_and_its_current_path() {
    let f = Fixture::new();
    let out = f.run(&["search", "revision og inspektion", "--per-doc", "1"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        !out.stdout.contains("DATABEHANDLERAFTALE —"),
        "{}",
        out.stdout
    );
    let heads: Vec<&str> = out.stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(heads.len(), 3, "{}", out.stdout);
    for name in [
        "Åkande Data ApS — 8.1",
        "Kløvermark Systemer A/S — 8.1",
        "aftale.txt — 8.1",
    ] {
        assert!(
            heads.iter().any(|h| h.contains(name)),
            "{name}: {}",
            out.stdout
        );
    }
    let docs = f.docs();
    let path_line = |file: &str| format!("   {}", docs.join(file).display());
    assert!(
        out.stdout.lines().any(|l| l == path_line("akande.txt")),
        "{}",
        out.stdout
    );
    let hits = f.hits(&["revision og inspektion", "--vendor", "kløvermark"]);
    let hit = &hits[0];
    assert_eq!(hit["agreement"], "Kløvermark Systemer A/S");
    assert_eq!(hit["vendor"], "Kløvermark Systemer A/S");
    assert_eq!(hit["title"], "DATABEHANDLERAFTALE");
    assert!(Path::new(hit["path"].as_str().unwrap_or_default()).ends_with("docs/klovermark.txt"));
    let unnamed = f.hits(&["revision og inspektion", "--doc", "aeroskobing"]);
    assert_eq!(unnamed[0]["agreement"], "aftale.txt");
    assert!(unnamed[0]["vendor"].is_null());
}

/// Text output fits the terminal's width (`COLUMNS`); without one, lines are whole.
#[test]
fn text_fits_the_terminal_width() {
    let f = Fixture::new();
    let run = |columns: Option<&str>| {
        let mut cmd = aftale();
        cmd.args(["search", "underretter den dataansvarlige", "--index"])
            .arg(f.index());
        match columns {
            Some(c) => cmd.env("COLUMNS", c),
            None => cmd.env_remove("COLUMNS"),
        };
        String::from_utf8_lossy(&cmd.output().expect("run").stdout).into_owned()
    };
    let narrow = run(Some("50"));
    let docs = f.docs().display().to_string();
    for line in narrow.lines().filter(|l| !l.contains(&docs)) {
        assert!(line.chars().count() <= 50, "{line}");
    }
    let wide = run(None);
    assert!(wide.lines().any(|l| l.chars().count() > 50), "{wide}");
}
