//! `aftale diff` on version pairs with gold (`fixtures/versions/gold.json`): real consecutive
//! versions of published agreements and edited copies of real agreements and seeds (a clause
//! rewritten in place, a clause replaced under its number, full revisions, sub-processor rows
//! added, removed, moved and relocated, an appendix renumbered, deadlines and the processor
//! changed). Changed clauses are scored by precision and recall; every sub-processor, deadline,
//! party and identifier fact must be found, and no sub-processor change may be invented.

use std::collections::{BTreeMap, BTreeSet};

use aftale::analysis::names::{name_key, same_company};
use aftale::compare::{compare, CompareOptions};
use aftale::record::{ChangeSide, ClauseSide, Comparison, Deadline, DeadlineKind, DeadlineUnit};
use serde_json::Value;

use crate::gold::record_of;
use crate::util::repo;

fn gold() -> Value {
    let text = std::fs::read_to_string(repo("fixtures/versions/gold.json")).expect("gold.json");
    serde_json::from_str(&text).expect("gold.json parses")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn pairs_of(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| Some((p[0].as_str()?.to_string(), p[1].as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn number(side: &ClauseSide) -> String {
    match (&side.number, &side.heading) {
        (Some(n), _) => n.clone(),
        (None, Some(h)) => h.clone(),
        (None, None) => "preamble".to_string(),
    }
}

fn clause(side: &Option<ChangeSide>) -> Option<String> {
    match side {
        Some(ChangeSide::Clause(c)) => Some(number(c)),
        _ => None,
    }
}

/// Changed clauses as `kind number` (modified and moved under the new number, removed under
/// the old, added under the new, renumbered as `old→new`).
fn clause_changes(c: &Comparison) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for ch in &c.changes {
        let (old, new) = (clause(&ch.old), clause(&ch.new));
        match ch.kind.as_str() {
            "modified" | "moved" | "split" | "merged" => {
                if let Some(n) = new {
                    out.insert(format!("modified {n}"));
                }
            }
            "renumbered" => {
                if let (Some(o), Some(n)) = (old, new) {
                    out.insert(format!("renumbered {o}→{n}"));
                }
            }
            "removed" => {
                if let Some(o) = old {
                    out.insert(format!("removed {o}"));
                }
            }
            "added" => {
                if let Some(n) = new {
                    out.insert(format!("added {n}"));
                }
            }
            _ => {}
        }
    }
    out
}

fn gold_clauses(g: &Value) -> BTreeSet<String> {
    let c = &g["clauses"];
    let mut out = BTreeSet::new();
    for key in ["modified", "moved"] {
        out.extend(
            pairs_of(&c[key])
                .into_iter()
                .map(|(_, n)| format!("modified {n}")),
        );
    }
    out.extend(
        pairs_of(&c["renumbered"])
            .into_iter()
            .map(|(o, n)| format!("renumbered {o}→{n}")),
    );
    out.extend(
        strings(&c["removed"])
            .iter()
            .map(|o| format!("removed {o}")),
    );
    out.extend(strings(&c["added"]).iter().map(|n| format!("added {n}")));
    out
}

/// A company as compared: its name key, with the pair's aliases folded to one name, and a
/// name that is a gold name with words added after it (`Supabase Inc.` / `Supabase`) as that
/// gold name.
fn company(name: &str, aliases: &BTreeMap<String, String>) -> String {
    let key = name_key(name);
    if let Some(k) = aliases.get(&key) {
        return k.clone();
    }
    aliases
        .values()
        .find(|k| same_company(k, &key))
        .cloned()
        .unwrap_or(key)
}

/// The pair's aliases, and every gold sub-processor name as its own canonical name.
fn aliases_of(g: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let s = &g["subprocessors"];
    let named = strings(&s["added"])
        .into_iter()
        .chain(strings(&s["removed"]))
        .chain(
            s["changed"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["name"].as_str().map(str::to_string)),
        );
    for n in named {
        out.insert(name_key(&n), name_key(&n));
    }
    // Each alias group: names of one vendor; the first is the canonical one.
    for group in s["aliases"].as_array().into_iter().flatten() {
        let names = strings(group);
        let Some(first) = names.first() else { continue };
        for n in &names {
            out.insert(name_key(n), name_key(first));
        }
    }
    out
}

/// Sub-processor facts: `added X`, `removed X`, `changed X location` / `changed X transfer`
/// (a country, or moving in or out of the EU/EEA, counts as location; a transfer basis as
/// transfer). Other fields (a reworded service description) are not scored.
fn subprocessor_changes(c: &Comparison, aliases: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for ch in &c.changes {
        let name = |side: &Option<ChangeSide>| match side {
            Some(ChangeSide::Subprocessor(s)) => Some(company(&s.name, aliases)),
            _ => None,
        };
        match ch.kind.as_str() {
            "subprocessor_added" => out.extend(name(&ch.new).map(|n| format!("added {n}"))),
            "subprocessor_removed" => out.extend(name(&ch.old).map(|n| format!("removed {n}"))),
            "subprocessor_changed" => {
                let Some(n) = name(&ch.new) else { continue };
                for f in &ch.facts {
                    let field = match f.kind.as_str() {
                        "country" | "location" | "third_country" => "location",
                        "transfer_basis" | "transfer" => "transfer",
                        _ => continue,
                    };
                    out.insert(format!("changed {n} {field}"));
                }
            }
            _ => {}
        }
    }
    out
}

fn gold_subprocessors(g: &Value, aliases: &BTreeMap<String, String>) -> BTreeSet<String> {
    let s = &g["subprocessors"];
    let mut out = BTreeSet::new();
    out.extend(
        strings(&s["added"])
            .iter()
            .map(|n| format!("added {}", company(n, aliases))),
    );
    out.extend(
        strings(&s["removed"])
            .iter()
            .map(|n| format!("removed {}", company(n, aliases))),
    );
    for c in s["changed"].as_array().into_iter().flatten() {
        let n = company(c["name"].as_str().unwrap_or(""), aliases);
        for f in strings(&c["fields"]) {
            out.insert(format!("changed {n} {f}"));
        }
    }
    out
}

fn deadline_key(
    side: &str,
    clause: Option<&str>,
    kind: &str,
    amount: Option<f64>,
    unit: Option<&str>,
) -> String {
    let amount = amount.map_or("-".to_string(), |a| format!("{a}"));
    format!(
        "{side} {} {kind} {amount} {}",
        clause.unwrap_or("-"),
        unit.unwrap_or("-")
    )
}

fn deadline_fact(side: &str, d: &Deadline) -> String {
    let amount = if d.kind == DeadlineKind::Frequency {
        None
    } else {
        d.amount
    };
    deadline_key(
        side,
        d.clause.as_deref(),
        d.kind.as_str(),
        amount,
        d.unit.map(DeadlineUnit::as_str),
    )
}

/// Deadline facts as a multiset: what disappeared or changed (old side), what appeared or
/// changed (new side).
fn deadline_changes(c: &Comparison) -> Vec<String> {
    let mut out = Vec::new();
    for ch in c
        .changes
        .iter()
        .filter(|ch| ch.kind.starts_with("deadline_"))
    {
        if let Some(ChangeSide::Deadline(d)) = &ch.old {
            out.push(deadline_fact("old", d));
        }
        if let Some(ChangeSide::Deadline(d)) = &ch.new {
            out.push(deadline_fact("new", d));
        }
    }
    out.sort();
    out
}

fn gold_deadlines(g: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (key, side) in [("old_side", "old"), ("new_side", "new")] {
        for d in g["deadlines"][key].as_array().into_iter().flatten() {
            out.push(deadline_key(
                side,
                d["clause"].as_str(),
                d["kind"].as_str().unwrap_or(""),
                d["amount"].as_f64(),
                d["unit"].as_str(),
            ));
        }
    }
    out.sort();
    out
}

/// A registration number's letters and digits, as compared.
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// Party and identifier facts: `processor OLD → NEW`, `identifier added X`.
fn other_changes(c: &Comparison) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for ch in &c.changes {
        match (ch.kind.as_str(), &ch.old, &ch.new) {
            ("party_changed", Some(ChangeSide::Party(a)), Some(ChangeSide::Party(b))) => {
                out.insert(format!(
                    "{} {} → {}",
                    b.role,
                    a.name.as_deref().unwrap_or("-"),
                    b.name.as_deref().unwrap_or("-")
                ));
            }
            (k, old, new) if k.starts_with("identifier_") => {
                if let Some(ChangeSide::Identifier(i)) = old {
                    out.insert(format!("identifier removed {}", digits(&i.value)));
                }
                if let Some(ChangeSide::Identifier(i)) = new {
                    out.insert(format!("identifier added {}", digits(&i.value)));
                }
            }
            _ => {}
        }
    }
    out
}

fn gold_other(g: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in g["parties"].as_array().into_iter().flatten() {
        out.insert(format!(
            "{} {} → {}",
            p["role"].as_str().unwrap_or(""),
            p["old"].as_str().unwrap_or("-"),
            p["new"].as_str().unwrap_or("-")
        ));
    }
    for x in strings(&g["identifiers"]["added"]) {
        out.insert(format!("identifier added {}", digits(&x)));
    }
    for x in strings(&g["identifiers"]["removed"]) {
        out.insert(format!("identifier removed {}", digits(&x)));
    }
    out
}

fn multiset_hits(got: &[String], want: &[String]) -> usize {
    let mut left = got.to_vec();
    want.iter()
        .filter(|w| match left.iter().position(|g| g == *w) {
            Some(k) => {
                left.remove(k);
                true
            }
            None => false,
        })
        .count()
}

#[test]
fn version_pairs_report_the_changes_of_the_gold() {
    let gold = gold();
    let pairs = gold["pairs"].as_array().expect("pairs");
    let (mut tp, mut got_n, mut want_n) = (0usize, 0usize, 0usize);
    let mut problems = Vec::new();
    eprintln!(
        "{:<32} {:>9} {:>9} {:>7} {:>7} {:>7}",
        "pair", "clause P", "clause R", "subs", "dl", "other"
    );
    for g in pairs {
        let name = g["name"].as_str().unwrap_or("?");
        let old = record_of(g["old"].as_str().expect("old"));
        let new = record_of(g["new"].as_str().expect("new"));
        let c = compare(&old, &new, CompareOptions::default());

        let (mut p, mut r) = (1.0, 1.0);
        if g["clause_gold"].as_bool() != Some(false) {
            let (got, want) = (clause_changes(&c), gold_clauses(g));
            let hits = got.intersection(&want).count();
            tp += hits;
            got_n += got.len();
            want_n += want.len();
            p = if got.is_empty() {
                1.0
            } else {
                hits as f64 / got.len() as f64
            };
            r = if want.is_empty() {
                1.0
            } else {
                hits as f64 / want.len() as f64
            };
            let extra: Vec<_> = got.difference(&want).collect();
            let missed: Vec<_> = want.difference(&got).collect();
            if !extra.is_empty() || !missed.is_empty() {
                eprintln!("  {name}: clauses extra {extra:?} missed {missed:?}");
            }
        }

        let aliases = aliases_of(g);
        let (got, want) = (
            subprocessor_changes(&c, &aliases),
            gold_subprocessors(g, &aliases),
        );
        let subs_ok = got == want;
        if !subs_ok {
            problems.push(format!(
                "{name}: sub-processors extra {:?} missed {:?}",
                got.difference(&want).collect::<Vec<_>>(),
                want.difference(&got).collect::<Vec<_>>()
            ));
        }

        let (got, want) = (deadline_changes(&c), gold_deadlines(g));
        let found = multiset_hits(&got, &want);
        let dl_ok = found == want.len();
        if !dl_ok {
            problems.push(format!(
                "{name}: deadlines found {found} of {}: got {got:?} want {want:?}",
                want.len()
            ));
        }

        let (got, want) = (other_changes(&c), gold_other(g));
        let other_ok = want.is_subset(&got);
        if !other_ok {
            problems.push(format!(
                "{name}: parties/identifiers missed {:?} (got {got:?})",
                want.difference(&got).collect::<Vec<_>>()
            ));
        }
        let mark = |ok: bool| if ok { "ok" } else { "MISS" };
        eprintln!(
            "{name:<32} {p:>9.3} {r:>9.3} {:>7} {:>7} {:>7}",
            mark(subs_ok),
            mark(dl_ok),
            mark(other_ok)
        );
    }
    let precision = tp as f64 / got_n.max(1) as f64;
    let recall = tp as f64 / want_n.max(1) as f64;
    eprintln!("changed clauses over all pairs: P {precision:.3} R {recall:.3} ({tp} of {want_n} found, {got_n} reported)");
    assert!(
        precision >= 0.95 && recall >= 0.95,
        "changed clauses P {precision:.3} R {recall:.3}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
