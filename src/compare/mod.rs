//! Compare two versions of an agreement: two [`Record`]s → a [`Comparison`].
//!
//! Clauses are aligned first ([`align`]: identical wording, then similar wording with the same
//! number and place weighing in, then splits and merges), so that an inserted clause that
//! renumbers the rest shows as one insertion and a run of renumbered clauses. Each aligned pair
//! is compared word by word ([`words`]); a reference that only follows the renumbering
//! (`jf. pkt. 9.1` → `jf. pkt. 10.1` when 9.1 became 10.1) is no change. Then the facts
//! extracted from both records are compared ([`facts`]): deadlines, sub-processors,
//! identifiers, topics and change-log entries. [`render`] turns the result into a terminal
//! report or a self-contained HTML page.
//!
//! Assumes both records come from the pipeline (clauses in document order). With
//! [`CompareOptions::ignore_ocr`], the OCR-repaired reading of each clause is compared, folded,
//! and word runs that differ only as OCR misreads text count as equal: a clean copy and an
//! OCR'd scan of the same agreement show only their real differences.

pub mod align;
pub mod facts;
pub mod render;
pub mod tables;
pub mod words;

use std::collections::HashMap;

use crate::record::{
    Change, ChangeSide, Clause, ClauseSide, ComparedDocument, Comparison, ComparisonSummary, Fact,
    Record,
};
use align::{Link, Unit};
use words::{diff, notable, Wording};

/// How to compare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompareOptions {
    /// Compare the OCR-repaired, folded wording and forgive OCR misreadings.
    pub ignore_ocr: bool,
}

/// The document side of a comparison, read off its record.
pub fn compared_document(record: &Record) -> ComparedDocument {
    ComparedDocument {
        id: record.id.clone(),
        path: record.source.path.clone(),
        title: record.title.clone(),
        vendor: record.vendor.clone(),
        version: record.version.clone(),
        date: record.date.clone(),
        index_version: None,
        clauses: record.clauses.len(),
    }
}

fn unit(clause: &Clause, ignore_ocr: bool) -> Unit {
    let unit = if ignore_ocr {
        Unit::new(
            clause.number.as_deref(),
            clause.reading_heading(),
            clause.reading_text(),
            true,
        )
    } else {
        Unit::new(
            clause.number.as_deref(),
            clause.heading.as_deref(),
            &clause.text,
            false,
        )
    };
    unit.with_topics(&clause.topics)
}

fn side(clause: &Clause, ignore_ocr: bool) -> ClauseSide {
    let (heading, text) = if ignore_ocr {
        (clause.reading_heading(), clause.reading_text())
    } else {
        (clause.heading.as_deref(), clause.text.as_str())
    };
    ClauseSide {
        number: clause.number.clone(),
        heading: heading.map(str::to_string),
        text: words::join(&words::tokenize(text)),
    }
}

fn label(clause: &Clause) -> String {
    match (&clause.number, &clause.heading) {
        (Some(n), _) => n.clone(),
        (None, Some(h)) => render::clip(h, 40),
        (None, None) if clause.level == 0 => "preamble".to_string(),
        (None, None) => "unnumbered clause".to_string(),
    }
}

/// Compare two agreements.
pub fn compare(old: &Record, new: &Record, options: CompareOptions) -> Comparison {
    let ignore_ocr = options.ignore_ocr;
    let old_units: Vec<Unit> = old.clauses.iter().map(|c| unit(c, ignore_ocr)).collect();
    let new_units: Vec<Unit> = new.clauses.iter().map(|c| unit(c, ignore_ocr)).collect();
    let links = align::align(&old_units, &new_units);

    // Old clause number → new clause number, for references and for the facts.
    let mut renumbered: HashMap<String, String> = HashMap::new();
    let mut clause_map: HashMap<String, String> = HashMap::new();
    for link in &links {
        let pairs: Vec<(usize, usize)> = match link {
            Link::Pair { old, new, .. } => vec![(*old, *new)],
            Link::Split { old, new } => new.first().map(|&j| (*old, j)).into_iter().collect(),
            Link::Merged { old, new } => old.iter().map(|&i| (i, *new)).collect(),
            Link::Removed(_) | Link::Added(_) => Vec::new(),
        };
        for (i, j) in pairs {
            if let (Some(a), Some(b)) = (&old.clauses[i].number, &new.clauses[j].number) {
                clause_map.insert(a.clone(), b.clone());
                if a != b {
                    renumbered.insert(a.clone(), b.clone());
                }
            }
        }
    }

    let mut summary = ComparisonSummary::default();
    // (position in the new document, 0 = before / 1 = at, change)
    let mut placed: Vec<((usize, usize, usize), Change)> = Vec::new();
    let position_after = |i: usize| -> usize {
        // A removed clause shows after the new counterpart of its nearest paired predecessor.
        links
            .iter()
            .filter_map(|l| match l {
                Link::Pair { old, new, .. } if *old < i => Some((*old, *new + 1)),
                Link::Split { old, new } if *old < i => {
                    Some((*old, new.last().map_or(0, |j| j + 1)))
                }
                Link::Merged { old, new } if old.iter().any(|&o| o < i) => {
                    Some((old.iter().copied().max().unwrap_or(0), new + 1))
                }
                _ => None,
            })
            .max_by_key(|&(o, _)| o)
            .map_or(0, |(_, j)| j)
    };

    // A number removed on one side and added on the other now holds a different clause.
    let replaced_by: HashMap<usize, usize> = links
        .iter()
        .filter_map(|l| match l {
            Link::Removed(i) => old.clauses[*i].number.as_ref().and_then(|n| {
                links.iter().find_map(|m| match m {
                    Link::Added(j) if new.clauses[*j].number.as_ref() == Some(n) => Some((*i, *j)),
                    _ => None,
                })
            }),
            _ => None,
        })
        .collect();
    let replaced = |i: usize, j: usize| -> String {
        let heading = |c: &Clause| {
            c.heading
                .as_deref()
                .map_or("no heading".to_string(), |h| render::clip(h, 40))
        };
        let (a, b) = (&old.clauses[i], &new.clauses[j]);
        let alike = (align::dice(&old_units[i].bag, &new_units[j].bag) * 100.0).round();
        let heading_note = if a.heading == b.heading {
            format!("the same heading \"{}\"", heading(a))
        } else {
            format!("heading \"{}\" → \"{}\"", heading(a), heading(b))
        };
        format!(
            "a different clause now stands under {}: {heading_note}, {alike}% of the wording alike",
            label(b)
        )
    };

    for link in &links {
        match link {
            Link::Pair {
                old: i,
                new: j,
                moved,
            } => {
                let (a, b) = (&old.clauses[*i], &new.clauses[*j]);
                let (ua, ub) = (&old_units[*i], &new_units[*j]);
                let mut body = diff(&ua.body, &ub.body, ignore_ocr);
                let mut facts = Vec::new();
                if body.changed && !renumbered.is_empty() {
                    let remapped = diff(
                        &remap_references(&ua.body, &renumbered),
                        &ub.body,
                        ignore_ocr,
                    );
                    if !remapped.changed {
                        body = remapped;
                        facts.push(Fact {
                            kind: "references".to_string(),
                            old: None,
                            new: Some("follow the new numbering".to_string()),
                        });
                    }
                }
                let mut heading = diff(&ua.heading, &ub.heading, ignore_ocr);
                if heading.changed {
                    // Where a heading ends and the text begins is read off the layout; the
                    // same words split differently are the same clause.
                    let whole = diff(&ua.full(), &ub.full(), ignore_ocr);
                    if whole.changed {
                        body = whole;
                    } else {
                        heading = whole.clone();
                        body = whole;
                    }
                }
                if heading.changed {
                    facts.push(Fact {
                        kind: "heading".to_string(),
                        old: a.heading.clone(),
                        new: b.heading.clone(),
                    });
                }
                let content_changed = body.changed || heading.changed;
                let same_number = a.number == b.number;
                let kind = if *moved {
                    summary.moved += 1;
                    "moved"
                } else if content_changed {
                    summary.modified += 1;
                    "modified"
                } else if !same_number {
                    summary.renumbered += 1;
                    "renumbered"
                } else {
                    summary.unchanged += 1;
                    continue;
                };
                let notable_facts = notable(&body.hunks);
                let important = notable_facts
                    .iter()
                    .any(|f| matches!(f.kind.as_str(), "number" | "unit" | "negation" | "modal"));
                facts.extend(notable_facts);
                let description = match kind {
                    "moved" => format!("{} moved to {}", label(a), label(b)),
                    "renumbered" => format!("{} is now {}", label(a), label(b)),
                    _ if same_number => format!("{} changed", label(b)),
                    _ => format!("{} (now {}) changed", label(a), label(b)),
                };
                let similarity = similarity(&body, &heading, ua, ub);
                placed.push((
                    (*j, 1, 0),
                    Change {
                        kind: kind.to_string(),
                        old: Some(ChangeSide::Clause(side(a, ignore_ocr))),
                        new: Some(ChangeSide::Clause(side(b, ignore_ocr))),
                        similarity: Some(similarity),
                        words: if body.changed { body.words } else { Vec::new() },
                        facts,
                        parts: Vec::new(),
                        description,
                        important,
                    },
                ));
            }
            Link::Split { old: i, new: parts } => {
                summary.split += 1;
                let a = &old.clauses[*i];
                let labels: Vec<String> = parts.iter().map(|&j| label(&new.clauses[j])).collect();
                placed.push((
                    (parts[0], 1, 0),
                    grouped(
                        "split",
                        format!("{} split into {}", label(a), labels.join(", ")),
                        vec![&old_units[*i]],
                        parts.iter().map(|&j| &new_units[j]).collect(),
                        Some(side(a, ignore_ocr)),
                        parts.first().map(|&j| side(&new.clauses[j], ignore_ocr)),
                        parts
                            .iter()
                            .map(|&j| side(&new.clauses[j], ignore_ocr))
                            .collect(),
                        ignore_ocr,
                    ),
                ));
            }
            Link::Merged { old: parts, new: j } => {
                summary.merged += 1;
                let b = &new.clauses[*j];
                let labels: Vec<String> = parts.iter().map(|&i| label(&old.clauses[i])).collect();
                placed.push((
                    (*j, 1, 0),
                    grouped(
                        "merged",
                        format!("{} merged into {}", labels.join(", "), label(b)),
                        parts.iter().map(|&i| &old_units[i]).collect(),
                        vec![&new_units[*j]],
                        parts.first().map(|&i| side(&old.clauses[i], ignore_ocr)),
                        Some(side(b, ignore_ocr)),
                        parts
                            .iter()
                            .map(|&i| side(&old.clauses[i], ignore_ocr))
                            .collect(),
                        ignore_ocr,
                    ),
                ));
            }
            Link::Removed(i) => {
                summary.removed += 1;
                let a = &old.clauses[*i];
                placed.push((
                    (position_after(*i), 0, *i),
                    whole(
                        "removed",
                        match replaced_by.get(i) {
                            Some(&j) => format!("{} removed; {}", label(a), replaced(*i, j)),
                            None => format!("{} removed", label(a)),
                        },
                        side(a, ignore_ocr),
                        true,
                    ),
                ));
            }
            Link::Added(j) => {
                summary.added += 1;
                let b = &new.clauses[*j];
                placed.push((
                    (*j, 1, 0),
                    whole(
                        "added",
                        match replaced_by.iter().find(|(_, &k)| k == *j) {
                            Some((&i, _)) => format!("{} added; {}", label(b), replaced(i, *j)),
                            None => format!("{} added", label(b)),
                        },
                        side(b, ignore_ocr),
                        false,
                    ),
                ));
            }
        }
    }
    placed.sort_by_key(|(position, _)| *position);
    let mut changes: Vec<Change> = placed.into_iter().map(|(_, c)| c).collect();

    let fact_changes = facts::compare_facts(old, new, &clause_map, ignore_ocr);
    for c in &fact_changes {
        match c.kind.as_str() {
            k if k.starts_with("deadline_") => summary.deadlines += 1,
            k if k.starts_with("subprocessor_") => summary.subprocessors += 1,
            k if k.starts_with("identifier_") => summary.identifiers += 1,
            k if k.starts_with("topic_") => summary.topics += 1,
            k if k.starts_with("changelog_") => summary.changelog += 1,
            k if k.starts_with("party_") => summary.parties += 1,
            _ => {}
        }
    }
    // A row of a sub-processor table that came, went or changed is already a sub-processor
    // change: one change, not two.
    let vendors_reported: Vec<String> = fact_changes
        .iter()
        .filter(|c| c.kind.starts_with("subprocessor_"))
        .filter_map(|c| match c.new.as_ref().or(c.old.as_ref()) {
            Some(ChangeSide::Subprocessor(s)) => Some(s.name.clone()),
            _ => None,
        })
        .collect();
    changes.extend(fact_changes);
    let mut table_changes =
        tables::compare_tables(&old.tables, &new.tables, &clause_map, ignore_ocr);
    table_changes.retain(|c| {
        let row_change = c.kind.starts_with("table_row_");
        let names_reported_vendor = match c.new.as_ref().or(c.old.as_ref()) {
            Some(ChangeSide::TableRows { rows, .. }) => rows.iter().flatten().any(|cell| {
                vendors_reported
                    .iter()
                    .any(|v| crate::analysis::names::same_company(v, cell))
            }),
            _ => false,
        };
        !(row_change && names_reported_vendor)
    });
    summary.tables += table_changes.len();
    changes.extend(table_changes);
    let review_changes = review_changes(old, new);
    summary.review = review_changes.len();
    changes.extend(review_changes);
    summary.important = changes.iter().filter(|c| c.important).count();
    Comparison {
        old: compared_document(old),
        new: compared_document(new),
        ignore_ocr,
        summary,
        changes,
    }
}

/// The art. 28 checklist items whose status changed between the versions (by the default
/// playbook): an item lost, gained, weakened or mended.
fn review_changes(old: &Record, new: &Record) -> Vec<Change> {
    let playbook = crate::review::Playbook::default_playbook();
    let (a, b) = (
        crate::review::review(old, &playbook),
        crate::review::review(new, &playbook),
    );
    let side = |i: &crate::record::ReviewItem| {
        ChangeSide::Review(crate::record::ReviewSide {
            item: i.id.clone(),
            status: i.status,
            clauses: i.clauses.clone(),
            reason: i.reason.clone().or_else(|| i.evidence.clone()),
        })
    };
    a.items
        .iter()
        .zip(&b.items)
        .filter(|(x, y)| x.id == y.id && x.status != y.status)
        .map(|(x, y)| {
            let why = match y.status {
                crate::record::ReviewStatus::Present => String::new(),
                _ => y
                    .reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default(),
            };
            Change {
                kind: "review_changed".to_string(),
                old: Some(side(x)),
                new: Some(side(y)),
                similarity: None,
                words: Vec::new(),
                facts: Vec::new(),
                parts: Vec::new(),
                description: format!(
                    "review, {}: {} → {}{why}",
                    y.id,
                    x.status.as_str(),
                    y.status.as_str()
                ),
                // Worse is what a reviewer must see; better is news too, but not a risk.
                important: y.status > x.status,
            }
        })
        .collect()
}

/// Words after which a number refers to a clause (`pkt. 9`, `punkt 4`, `afsnit 3`).
const REFERENCE_WORDS: &[&str] = &[
    "pkt",
    "punkt",
    "punkterne",
    "afsnit",
    "klausul",
    "bestemmelse",
    "§",
    "clause",
    "section",
];

/// The old wording with every reference to a renumbered clause given the new number. A
/// number with a dot (`9.8`) is a reference on its own; a whole number (`9`) only after
/// `pkt.`, `punkt`, `afsnit`, … (so that `14 dage` stays 14).
fn remap_references(body: &Wording, renumbered: &HashMap<String, String>) -> Wording {
    let mut out = body.clone();
    for k in 0..out.tokens.len() {
        let Some(new) = renumbered.get(&out.tokens[k].text) else {
            continue;
        };
        let dotted = out.tokens[k].text.contains('.');
        let after_reference_word = out.tokens[..k]
            .iter()
            .rev()
            .filter(|t| t.text.chars().any(char::is_alphanumeric) || t.text == "§")
            .take(1)
            .any(|t| REFERENCE_WORDS.contains(&t.text.to_lowercase().as_str()));
        if dotted || after_reference_word {
            out.tokens[k].text = new.clone();
            out.keys[k] = new.clone();
        }
    }
    out
}

fn similarity(body: &words::WordDiff, heading: &words::WordDiff, a: &Unit, b: &Unit) -> f64 {
    let body_len = a.body.tokens.len().max(b.body.tokens.len());
    let heading_len = a.heading.tokens.len().max(b.heading.tokens.len());
    let total = body_len + heading_len;
    if total == 0 {
        return 1.0;
    }
    let s = (body.similarity * body_len as f64 + heading.similarity * heading_len as f64)
        / total as f64;
    (s * 1000.0).round() / 1000.0
}

/// An added or removed clause: the whole clause on one side.
fn whole(kind: &str, description: String, clause: ClauseSide, removed: bool) -> Change {
    // Removing or adding a clause that obliges someone (or sets a number) matters.
    let hunk = if removed {
        (clause.text.clone(), String::new())
    } else {
        (String::new(), clause.text.clone())
    };
    let important = notable(&[hunk])
        .iter()
        .any(|f| matches!(f.kind.as_str(), "number" | "negation" | "modal"));
    let side = Some(ChangeSide::Clause(clause));
    Change {
        kind: kind.to_string(),
        old: if removed { side.clone() } else { None },
        new: if removed { None } else { side },
        similarity: None,
        words: Vec::new(),
        facts: Vec::new(),
        parts: Vec::new(),
        description,
        important,
    }
}

/// A split or merge: the joined wording of each side compared word by word.
#[allow(clippy::too_many_arguments)]
fn grouped(
    kind: &str,
    description: String,
    old_units: Vec<&Unit>,
    new_units: Vec<&Unit>,
    old: Option<ClauseSide>,
    new: Option<ClauseSide>,
    parts: Vec<ClauseSide>,
    ignore_ocr: bool,
) -> Change {
    let join = |units: &[&Unit]| {
        let mut w = Wording::default();
        for u in units {
            w.tokens.extend(u.body.tokens.iter().cloned());
            w.keys.extend(u.body.keys.iter().cloned());
        }
        w
    };
    let d = diff(&join(&old_units), &join(&new_units), ignore_ocr);
    let facts = notable(&d.hunks);
    let important = facts
        .iter()
        .any(|f| matches!(f.kind.as_str(), "number" | "unit" | "negation" | "modal"));
    Change {
        kind: kind.to_string(),
        old: old.map(ChangeSide::Clause),
        new: new.map(ChangeSide::Clause),
        similarity: Some(d.similarity),
        words: if d.changed { d.words } else { Vec::new() },
        facts,
        parts,
        description,
        important,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{ChangelogEntry, Identifier};

    fn record(clauses: &[(&str, Option<&str>, &str, &[&str])]) -> Record {
        let mut r: Record = serde_json::from_str(
            r#"{"schema":1,"id":"x","source":{"path":"a.txt","format":"text","pages":1,"bytes":1},
                "language":{"code":"da","confidence":1.0},"title":null,"version":null,"date":null,
                "clauses":[],"subprocessors":[],"identifiers":[],"deadlines":[],"changelog":[],"warnings":[]}"#,
        )
        .expect("minimal record");
        r.clauses = clauses
            .iter()
            .map(|(n, h, t, topics)| {
                let mut c = Clause::new(Some(n), *h, t);
                c.topics = topics.iter().map(|t| t.to_string()).collect();
                c
            })
            .collect();
        r
    }

    const INSTRUKS: &str = "Databehandleren behandler alene personoplysninger efter dokumenteret instruks fra den dataansvarlige.";
    const TAVSHED: &str = "Databehandleren sikrer at personer med adgang til oplysningerne har forpligtet sig til fortrolighed.";
    const TILSYN: &str = "Den dataansvarlige har ret til at foretage revisioner og inspektioner hos databehandleren en gang om året.";
    const SLETNING: &str = "Ved ophør sletter databehandleren alle personoplysninger og dokumenterer sletningen skriftligt.";

    fn kinds(c: &Comparison) -> Vec<(String, String)> {
        c.changes
            .iter()
            .map(|ch| (ch.kind.clone(), ch.description.clone()))
            .collect()
    }

    #[test]
    fn a_moved_clause_a_renamed_heading_and_a_lost_topic() {
        let old = record(&[
            ("1", Some("Instruks"), INSTRUKS, &["instructions"]),
            ("2", Some("Fortrolighed"), TAVSHED, &["confidentiality"]),
            ("3", Some("Tilsyn"), TILSYN, &["audit"]),
            ("4", Some("Sletning"), SLETNING, &["deletion_return"]),
        ]);
        // Deletion moved to the front, confidentiality renamed, the audit clause gone.
        let new = record(&[
            ("1", Some("Sletning"), SLETNING, &["deletion_return"]),
            ("2", Some("Instruks"), INSTRUKS, &["instructions"]),
            ("3", Some("Tavshedspligt"), TAVSHED, &["confidentiality"]),
        ]);
        let c = compare(&old, &new, CompareOptions::default());
        let got = kinds(&c);
        assert!(
            got.contains(&("moved".into(), "4 moved to 1".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("removed".into(), "3 removed".into())),
            "{got:?}"
        );
        assert!(got.contains(&("topic_removed".into(), "no clause on audit any more".into())));
        let renamed = c
            .changes
            .iter()
            .find(|ch| ch.facts.iter().any(|f| f.kind == "heading"))
            .expect("a renamed heading");
        assert_eq!(renamed.kind, "modified");
        assert!(renamed
            .words
            .iter()
            .any(|w| w.op == "delete" && w.text.trim() == "Fortrolighed"));
        assert_eq!(c.summary.moved, 1);
        assert_eq!(c.summary.removed, 1);
    }

    #[test]
    fn a_split_clause_is_one_change_with_its_parts() {
        let joined = format!("{INSTRUKS} {TILSYN}");
        let old = record(&[("1", None, &joined, &[]), ("2", None, SLETNING, &[])]);
        let new = record(&[
            ("1", None, INSTRUKS, &[]),
            ("2", None, TILSYN, &[]),
            ("3", None, SLETNING, &[]),
        ]);
        let c = compare(&old, &new, CompareOptions::default());
        assert_eq!(c.summary.split, 1, "{:?}", kinds(&c));
        let split = &c.changes[0];
        assert_eq!(split.kind, "split");
        assert_eq!(split.parts.len(), 2);
        // The third clause kept its wording under a new number.
        assert_eq!(c.summary.renumbered, 1);
        let merged = compare(&new, &old, CompareOptions::default());
        assert_eq!(merged.summary.merged, 1, "{:?}", kinds(&merged));
    }

    #[test]
    fn identifiers_and_change_log_entries() {
        let mut old = record(&[("1", None, INSTRUKS, &[])]);
        let mut new = old.clone();
        let id = |value: &str| Identifier {
            kind: crate::record::IdentifierKind::Cvr,
            value: value.into(),
            valid: true,
            clause: Some("1".into()),
            context: "Databehandleren, CVR".into(),
        };
        old.identifiers.push(id("38120689"));
        new.identifiers.push(id("30806883"));
        new.changelog.push(ChangelogEntry {
            version: "2.0".into(),
            date: Some("2024-01-01".into()),
            author: None,
            change: "Ny underdatabehandler".into(),
        });
        let got = kinds(&compare(&old, &new, CompareOptions::default()));
        assert_eq!(
            got,
            [
                (
                    "identifier_changed".into(),
                    "CVR 38120689 → 30806883".into()
                ),
                (
                    "changelog_added".into(),
                    "change log: version 2.0 (2024-01-01): Ny underdatabehandler".into()
                )
            ]
        );
    }

    #[test]
    fn identical_records_have_no_changes() {
        let r = record(&[("1", Some("Instruks"), INSTRUKS, &["instructions"])]);
        let c = compare(&r, &r, CompareOptions { ignore_ocr: true });
        assert!(c.changes.is_empty());
        assert_eq!(c.summary.unchanged, 1);
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        const WORDS: &[&str] = &[
            "databehandleren",
            "skal",
            "ikke",
            "personoplysninger",
            "den",
            "dataansvarlige",
            "senest",
            "48",
            "timer",
            "underretning",
            "sikkerhed",
            "sletning",
            "instruks",
            "må",
            "tilsyn",
            "og",
            "efter",
            "aftalen",
        ];

        fn text() -> impl Strategy<Value = String> {
            prop::collection::vec(prop::sample::select(WORDS), 3..14).prop_map(|w| w.join(" "))
        }

        fn numbered(texts: &[String]) -> Record {
            let numbers: Vec<String> = (1..=texts.len()).map(|k| k.to_string()).collect();
            let clauses: Vec<(&str, Option<&str>, &str, &[&str])> = numbers
                .iter()
                .zip(texts)
                .map(|(n, t)| (n.as_str(), None, t.as_str(), &[][..]))
                .collect();
            record(&clauses)
        }

        proptest! {
            /// Every old clause is accounted for exactly once (unchanged, or on the old side of
            /// one change), every new clause too; a record compared with itself has no changes.
            #[test]
            fn every_clause_is_accounted_for_once(
                old in prop::collection::vec(text(), 1..12),
                edits in prop::collection::vec((0usize..4, 0usize..12, text()), 0..6),
                ignore_ocr in any::<bool>(),
            ) {
                let mut new = old.clone();
                for (op, at, t) in edits {
                    let at = at % (new.len() + 1);
                    match op {
                        0 => new.insert(at, t),
                        1 if at < new.len() && new.len() > 1 => { new.remove(at); }
                        2 if at < new.len() => new[at] = format!("{} {t}", new[at]),
                        3 if at + 1 < new.len() => new.swap(at, at + 1),
                        _ => {}
                    }
                }
                let (a, b) = (numbered(&old), numbered(&new));
                let options = CompareOptions { ignore_ocr };
                prop_assert!(compare(&a, &a, options).changes.is_empty());
                let c = compare(&a, &b, options);
                let mut old_seen = 0;
                let mut new_seen = 0;
                for ch in c.changes.iter().filter(|ch| !ch.kind.contains('_')) {
                    match ch.kind.as_str() {
                        "merged" => { old_seen += ch.parts.len(); new_seen += 1; }
                        "split" => { old_seen += 1; new_seen += ch.parts.len(); }
                        _ => {
                            old_seen += usize::from(ch.old.is_some());
                            new_seen += usize::from(ch.new.is_some());
                        }
                    }
                }
                prop_assert_eq!(old_seen + c.summary.unchanged, old.len());
                prop_assert_eq!(new_seen + c.summary.unchanged, new.len());
            }
        }
    }
}
