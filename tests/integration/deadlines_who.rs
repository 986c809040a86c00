//! Who must act, towards whom and what (issue 17 parts 2 and 4): the English agreement of
//! `fixtures/english/` end to end through `aftale extract --json`, the processor's breach notice
//! to the controller in each real agreement of `fixtures/real/` as text and as its Word and
//! browser PDF renderings, and `aftale deadlines --topic breach_notification` listing it first.

use aftale::record::{
    Counterparty, Deadline, DeadlineAction, DeadlineQualifier, DeadlineUnit, PartyRole, Record,
};
use serde_json::Value;
use tempfile::TempDir;

use crate::gold::record_of;
use crate::util::{aftale, copy_tree, json_lines, repo, stdout_of};

fn extract_json(rel: &str) -> Value {
    let out = stdout_of(aftale().args(["extract", &repo(rel).to_string_lossy(), "--json"]));
    serde_json::from_slice(&out).expect("record JSON")
}

/// The deadlines of `record` in `clause`.
fn in_clause<'a>(record: &'a Value, clause: &str) -> Vec<&'a Value> {
    record["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .filter(|d| d["clause"].as_str() == Some(clause))
        .collect()
}

/// The one deadline of `kind` in `clause` (with `amount` where given).
fn one<'a>(record: &'a Value, clause: &str, kind: &str, amount: Option<f64>) -> &'a Value {
    let all = in_clause(record, clause);
    let hits: Vec<&&Value> = all
        .iter()
        .filter(|d| d["kind"] == kind && amount.is_none_or(|a| d["amount"].as_f64() == Some(a)))
        .collect();
    assert_eq!(hits.len(), 1, "{clause} {kind} {amount:?}: {all:#?}");
    hits[0]
}

fn who(d: &Value) -> (&str, &str, &str) {
    (
        d["party"].as_str().unwrap_or("-"),
        d["counterparty"].as_str().unwrap_or("-"),
        d["action"].as_str().unwrap_or("-"),
    )
}

#[test]
fn an_english_agreement_end_to_end() {
    let r = extract_json("fixtures/english/dpa-en.txt");
    assert_eq!(r["language"]["code"], "en");
    // The breach notice: a number and a qualitative duty, the processor's towards the controller.
    let h24 = one(&r, "7.1", "deadline", Some(24.0));
    assert_eq!(h24["unit"], "hours");
    assert_eq!(h24["qualifier"], "within");
    assert_eq!(
        h24["trigger"], "after becoming aware of the breach",
        "{h24:#}"
    );
    assert_eq!(who(h24), ("processor", "controller", "notify_breach"));
    let undue = one(&r, "7.1", "undue_delay", None);
    assert_eq!(who(undue), ("processor", "controller", "notify_breach"));
    let report = one(&r, "7.3", "deadline", Some(5.0));
    assert_eq!(report["unit"], "business_days");
    assert_eq!(report["qualifier"], "at_most");
    assert_eq!(who(report).0, "processor");
    // The controller's own 72 hours towards the authority.
    let h72 = one(&r, "7.4", "deadline", Some(72.0));
    assert_eq!(who(h72), ("controller", "authority", "notify_breach"));
    // A sub-processor's duty towards the processor, named by its defined name.
    let sub = one(&r, "5.4", "deadline", Some(24.0));
    assert_eq!(sub["qualifier"], "at_most");
    assert_eq!(who(sub), ("subprocessor", "processor", "notify_breach"));
    // Notice periods.
    let change = one(&r, "5.2", "notice", Some(30.0));
    assert_eq!(change["qualifier"], "at_least");
    assert_eq!(
        who(change),
        ("processor", "controller", "notify_subprocessor_change")
    );
    let objection = one(&r, "5.3", "deadline", Some(14.0));
    assert_eq!(who(objection).0, "controller");
    assert_eq!(who(objection).2, "object");
    let termination = one(&r, "5.3", "notice", Some(30.0));
    assert_eq!(who(termination), ("controller", "-", "terminate"));
    let audit = one(&r, "8.2", "notice", Some(30.0));
    assert_eq!(who(audit), ("controller", "processor", "audit_notice"));
    let amend = one(&r, "10.2", "notice", Some(60.0));
    assert_eq!(who(amend), ("processor", "controller", "notify_change"));
    // Qualitative duties.
    let now = one(&r, "2.1", "immediately", None);
    assert_eq!(who(now), ("processor", "controller", "notify_instruction"));
    let prompt = one(&r, "6.1", "promptly", None);
    assert_eq!((who(prompt).0, who(prompt).1), ("processor", "controller"));
    let assist = one(&r, "6.2", "deadline", Some(5.0));
    assert_eq!(who(assist), ("processor", "controller", "assist"));
    let delete = one(&r, "9.1", "deadline", Some(30.0));
    assert_eq!(who(delete).2, "delete_return");
    // Retention periods keep their amount but are no duty; a range has both bounds.
    let logs = one(&r, "4.2", "retention", Some(12.0));
    assert_eq!(logs["unit"], "months");
    assert!(logs.get("action").is_none());
    one(&r, "4.3", "retention", Some(35.0));
    let range = one(&r, "9.2", "retention", Some(35.0));
    assert_eq!(
        (range["min"].as_f64(), range["max"].as_f64()),
        (Some(30.0), Some(35.0))
    );
}

/// A stated deadline: its kind, amount and unit (`None` for a qualitative duty), qualifier.
type Stated = (String, Option<(f64, String)>, Option<String>);

/// What each real agreement says about the processor's breach notice to the controller, from
/// the gold written by hand for all eight (`fixtures/real/gold-own.json`). An empty list: the
/// agreement states none.
fn stated_breach_notices(stem: &str) -> Vec<Stated> {
    let gold: Value = serde_json::from_str(
        &std::fs::read_to_string(repo("fixtures/real/gold-own.json")).expect("gold-own.json"),
    )
    .expect("JSON");
    gold[stem]["breach_notice"]
        .as_array()
        .unwrap_or_else(|| panic!("{stem}: no breach_notice in gold-own.json"))
        .iter()
        .map(|n| match n["qualitative"].as_str() {
            Some(kind) => (kind.to_string(), None, None),
            None => (
                "deadline".to_string(),
                Some((
                    n["amount"].as_f64().expect("amount"),
                    n["unit"].as_str().expect("unit").to_string(),
                )),
                n["qualifier"].as_str().map(str::to_string),
            ),
        })
        .collect()
}

fn processor_notices(r: &Record) -> Vec<&Deadline> {
    r.deadlines
        .iter()
        .filter(|d| {
            d.party == Some(PartyRole::Processor)
                && d.counterparty == Some(Counterparty::Controller)
                && d.action == Some(DeadlineAction::NotifyBreach)
        })
        .collect()
}

#[test]
fn the_processors_breach_notice_in_every_real_agreement_as_text_and_pdf() {
    let mut stems: Vec<String> = std::fs::read_dir(repo("fixtures/real/text"))
        .expect("fixtures/real/text")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let p = e.path();
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            (p.extension()? == "txt").then_some(stem)
        })
        .collect();
    stems.sort();
    assert_eq!(stems.len(), 8, "{stems:?}");
    let mut failures = Vec::new();
    for stem in &stems {
        let want = stated_breach_notices(stem);
        for rel in [
            format!("fixtures/real/text/{stem}.txt"),
            format!("fixtures/real/word/{stem}.pdf"),
            format!("fixtures/real/browser/{stem}.pdf"),
        ] {
            let r = record_of(&rel);
            let got = processor_notices(&r);
            if want.is_empty() && !got.is_empty() {
                failures.push(format!("{rel}: claims a breach notice: {got:?}"));
            }
            for (kind, amount, qualifier) in &want {
                let hit = got.iter().any(|d| {
                    d.kind.as_str() == kind
                        && match amount {
                            Some((a, u)) => {
                                d.amount == Some(*a)
                                    && d.unit.map(DeadlineUnit::as_str) == Some(u.as_str())
                            }
                            None => d.amount.is_none(),
                        }
                        && d.qualifier.map(DeadlineQualifier::as_str) == qualifier.as_deref()
                });
                if !hit {
                    failures.push(format!(
                        "{rel}: no processor → controller {kind} {amount:?} {qualifier:?}; found {:?}",
                        got.iter()
                            .map(|d| (&d.kind, d.amount, &d.qualifier))
                            .collect::<Vec<_>>()
                    ));
                }
            }
            // The template's 72 hours are the controller's own, never the processor's.
            for d in &r.deadlines {
                if d.amount == Some(72.0)
                    && d.text.contains("dataansvarliges forpligtelse")
                    && d.party != Some(PartyRole::Controller)
                {
                    failures.push(format!("{rel}: the controller's 72 hours read as {d:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn breach_deadlines_listed_processor_first_and_the_controllers_own_marked() {
    let dir = TempDir::new().expect("tempdir");
    copy_tree(&repo("fixtures/real/text"), &dir.path().join("in"));
    stdout_of(
        aftale()
            .current_dir(dir.path())
            .args(["ingest", "in", "--index", "idx", "--ocr", "never"]),
    );
    let lines: Vec<Value> = json_lines(&stdout_of(aftale().current_dir(dir.path()).args([
        "deadlines",
        "--index",
        "idx",
        "--topic",
        "breach_notification",
        "--json",
    ])));
    // One group per agreement, in a row.
    let mut paths: Vec<&str> = Vec::new();
    for l in &lines {
        let p = l["path"].as_str().expect("path");
        if paths.last() != Some(&p) {
            assert!(!paths.contains(&p), "{p} listed in two places");
            paths.push(p);
        }
    }
    for p in &paths {
        let group: Vec<&Value> = lines.iter().filter(|l| l["path"] == *p).collect();
        let first = group[0];
        let has_processor_notice = group
            .iter()
            .any(|l| l["party"] == "processor" && l["counterparty"] == "controller");
        if has_processor_notice {
            assert_eq!(
                (first["party"].as_str(), first["counterparty"].as_str()),
                (Some("processor"), Some("controller")),
                "{p}: {group:#?}"
            );
        }
        // The controller's own duties come last and are marked.
        let own: Vec<usize> = group
            .iter()
            .enumerate()
            .filter(|(_, l)| l["controllers_own"] == true)
            .map(|(i, _)| i)
            .collect();
        if let Some(&k) = own.first() {
            assert!(
                group[k..].iter().all(|l| l["controllers_own"] == true),
                "{p}: {group:#?}"
            );
            assert!(group[k..].iter().all(|l| l["party"] == "controller"));
        }
    }
    let template = lines
        .iter()
        .find(|l| {
            l["path"]
                .as_str()
                .is_some_and(|p| p.contains("05_deranged"))
                && l["amount"].as_f64() == Some(72.0)
        })
        .expect("the template's 72 hours are listed");
    assert_eq!(template["controllers_own"], true);
    assert_eq!(template["counterparty"], "authority");
    // The human table shows who acts.
    let human = String::from_utf8(stdout_of(aftale().current_dir(dir.path()).args([
        "deadlines",
        "--index",
        "idx",
        "--topic",
        "breach_notification",
    ])))
    .expect("utf-8");
    assert!(
        human.lines().next().is_some_and(|h| h.contains("BY")),
        "{human}"
    );
    assert!(human.contains("processor → controller"), "{human}");
    assert!(human.contains("controller (own) → authority"), "{human}");
    // The CSV has the columns.
    let csv = String::from_utf8(stdout_of(aftale().current_dir(dir.path()).args([
        "deadlines",
        "--index",
        "idx",
        "--topic",
        "breach_notification",
        "--csv",
    ])))
    .expect("utf-8");
    let header = csv.lines().next().unwrap_or_default();
    for column in ["party", "counterparty", "action", "controllers_own"] {
        assert!(header.split(',').any(|c| c == column), "{header}");
    }
}
