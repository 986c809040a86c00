//! The parties of the real agreements (`fixtures/real/`) against the hand-written gold in
//! `fixtures/real/gold-own.json`: the processor's name, company number and placeholder flag, and
//! the controller's name where the gold has one, read from the text and from its Word and
//! browser PDF renderings (issue 17, parties). `vendor` is the processor's name; the seed
//! agreements keep theirs.

use aftale::record::Party;
use serde_json::Value;

use crate::gold::record_of;
use crate::util::{aftale, repo, stdout_of};

fn gold() -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(repo("fixtures/real/gold-own.json")).expect("gold-own");
    let all: serde_json::Map<String, Value> = serde_json::from_str(&text).expect("JSON");
    let mut out: Vec<(String, Value)> = all
        .into_iter()
        .filter(|(stem, _)| !stem.starts_with('_'))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The digits of a company number (`DK45318362` and `45318362` are one number).
fn digits(s: Option<&str>) -> Option<String> {
    s.map(|s| s.chars().filter(char::is_ascii_digit).collect())
}

/// What differs between a party as read and its gold.
fn differences(role: &str, got: Option<&Party>, want: &Value, out: &mut Vec<String>) {
    let name = got.and_then(|p| p.name.as_deref());
    if name != want["name"].as_str() {
        out.push(format!("{role} name {name:?}, gold {:?}", want["name"]));
    }
    if let Some(id) = want.get("identifier") {
        let got_id = digits(got.and_then(|p| p.identifier.as_deref()));
        if got_id != digits(id.as_str()) {
            out.push(format!("{role} identifier {got_id:?}, gold {id}"));
        }
    }
    let placeholder = got.is_some_and(|p| p.placeholder);
    if Some(placeholder) != want["placeholder"].as_bool() {
        out.push(format!(
            "{role} placeholder {placeholder}, gold {}",
            want["placeholder"]
        ));
    }
}

#[test]
fn parties_of_real_agreements_as_text_and_pdf() {
    let mut failures = Vec::new();
    for (stem, want) in gold() {
        for rel in [
            format!("fixtures/real/text/{stem}.txt"),
            format!("fixtures/real/word/{stem}.pdf"),
            format!("fixtures/real/browser/{stem}.pdf"),
        ] {
            let r = record_of(&rel);
            let mut diff = Vec::new();
            differences(
                "processor",
                r.parties.processor.as_ref(),
                &want["processor"],
                &mut diff,
            );
            differences(
                "controller",
                r.parties.controller.as_ref(),
                &want["controller"],
                &mut diff,
            );
            if r.vendor.as_deref() != want["processor"]["name"].as_str() {
                diff.push(format!("vendor {:?}", r.vendor));
            }
            eprintln!("{rel}: {}", if diff.is_empty() { "ok" } else { "differs" });
            if !diff.is_empty() {
                failures.push(format!("{rel}: {}", diff.join("; ")));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn parties_on_the_command_line() {
    for (stem, want) in gold() {
        let rel = format!("fixtures/real/text/{stem}.txt");
        let out = stdout_of(
            aftale()
                .args(["extract", &rel, "--json"])
                .current_dir(repo(".")),
        );
        let json: Value = serde_json::from_slice(&out).expect("JSON record");
        let processor = &json["parties"]["processor"];
        assert_eq!(processor["name"], want["processor"]["name"], "{rel}");
        assert_eq!(
            digits(processor["identifier"].as_str()),
            digits(want["processor"]["identifier"].as_str()),
            "{rel}"
        );
        assert_eq!(json["vendor"], want["processor"]["name"], "{rel}");
        assert!(
            ["parties_block", "definition", "header", "signature"]
                .contains(&processor["source"].as_str().unwrap_or_default()),
            "{rel}: {processor}"
        );
    }
}

#[test]
fn seed_agreements_keep_their_vendor() {
    for (file, vendor) in [
        ("corpus/000_5dc22579b8fec684.txt", None),
        ("corpus/001_a01309c27944fe2b.txt", None),
        ("corpus/002_57dfb51f510d3c48.txt", Some("ITJ Consult")),
    ] {
        let r = record_of(file);
        assert_eq!(r.vendor.as_deref(), vendor, "{file}");
        // No role noun, sentence word or controller is ever taken for a party's name.
        for party in [&r.parties.controller, &r.parties.processor]
            .into_iter()
            .flatten()
        {
            if let Some(name) = &party.name {
                assert!(Some(name.as_str()) == vendor, "{file}: {party:?}");
            }
        }
    }
    let itj = record_of("corpus/002_57dfb51f510d3c48.txt");
    let processor = itj.parties.processor.expect("processor");
    assert_eq!(processor.identifier.as_deref(), Some("38120689"));
}

#[test]
fn the_title_can_name_the_controller() {
    // `Databehandleraftale – X` where X is the customer: the parties block says who processes.
    let r = record_of("fixtures/inputs/text/utf8_bom.txt");
    assert_eq!(r.vendor.as_deref(), Some("Timeregistrering Nord ApS"));
    let c = r.parties.controller.expect("controller");
    assert_eq!(c.name.as_deref(), Some("Tømrerfirmaet Egholt & Søn I/S"));
}
