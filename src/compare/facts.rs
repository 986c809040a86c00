//! Structured changes: what two records' extracted facts say changed, beside the wording.
//!
//! - deadlines, matched by the clause they stand in (old numbers mapped to new ones through
//!   the clause alignment) and compared by kind, amount, unit, qualifier and frequency;
//! - sub-processors, matched by registration number, else by name (company form, case and
//!   æøå ignored; OCR misreadings too with `ignore_ocr`), compared field by field;
//! - identifiers that are not sub-processor numbers (the parties' own CVR/VAT numbers);
//! - topics that appear in one version only (the new version lost its audit clause);
//! - change-log entries the new version added.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::render::clip;
use super::words::{ocr_equal, skeleton, tokenize};
use crate::analysis::names::{name_key, same_company};
use crate::record::{
    Change, ChangeSide, Deadline, DeadlineKind, DeadlineQualifier, Fact, Identifier, Party,
    PartySide, Record, Subprocessor,
};

/// Every structured change between `old` and `new`; `clause_map` maps old clause numbers to
/// their new numbers.
pub fn compare_facts(
    old: &Record,
    new: &Record,
    clause_map: &HashMap<String, String>,
    ignore_ocr: bool,
) -> Vec<Change> {
    let mut out = deadlines(&old.deadlines, &new.deadlines, clause_map);
    out.extend(subprocessors(
        &old.subprocessors,
        &new.subprocessors,
        ignore_ocr,
    ));
    out.extend(parties(old, new, ignore_ocr));
    out.extend(identifiers(old, new, clause_map));
    out.extend(topics(old, new));
    out.extend(changelog(old, new));
    out
}

/// A change of an extracted fact (no wording diff): the shape every fact comparison reports.
pub(super) fn change(
    kind: &str,
    old: Option<ChangeSide>,
    new: Option<ChangeSide>,
    facts: Vec<Fact>,
    description: String,
    important: bool,
) -> Change {
    Change {
        kind: kind.to_string(),
        old,
        new,
        similarity: None,
        words: Vec::new(),
        facts,
        parts: Vec::new(),
        description,
        important,
    }
}

fn amount(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// A deadline in words: `at most 48 hours`, `without undue delay`, `1 per years`.
pub fn describe_deadline(d: &Deadline) -> String {
    let unit = d
        .unit
        .map_or(String::new(), |u| u.as_str().replace('_', " "));
    match d.kind {
        DeadlineKind::UndueDelay => "without undue delay".to_string(),
        DeadlineKind::Immediately => "immediately".to_string(),
        DeadlineKind::Promptly => "promptly".to_string(),
        DeadlineKind::ReasonableTime => "within a reasonable time".to_string(),
        DeadlineKind::Frequency => format!("{} per {}", d.every.map_or("?".into(), amount), unit),
        kind @ (DeadlineKind::Deadline | DeadlineKind::Notice | DeadlineKind::Retention) => {
            let qualifier = match d.qualifier {
                Some(DeadlineQualifier::AtMost) => "at most ",
                Some(DeadlineQualifier::AtLeast) => "at least ",
                Some(DeadlineQualifier::Within) => "within ",
                Some(DeadlineQualifier::IfPossible) => "if possible within ",
                None => "",
            };
            let notice = if kind == DeadlineKind::Notice {
                " notice"
            } else {
                ""
            };
            let value = d.amount.map_or("?".into(), amount);
            format!("{qualifier}{value} {unit}{notice}")
        }
    }
}

fn deadline_subject(d: &Deadline) -> String {
    let topic = d.topic.as_deref().unwrap_or("deadline").replace('_', " ");
    match &d.clause {
        Some(c) => format!("{topic} in {c}"),
        None => topic,
    }
}

fn same_deadline(a: &Deadline, b: &Deadline) -> bool {
    a.kind == b.kind
        && a.amount == b.amount
        && a.unit == b.unit
        && a.qualifier == b.qualifier
        && a.every == b.every
        && a.template == b.template
}

fn deadlines(
    old: &[Deadline],
    new: &[Deadline],
    clause_map: &HashMap<String, String>,
) -> Vec<Change> {
    // Group by clause in the new numbering; an old clause that has no new counterpart keeps a
    // key of its own.
    let key_old = |d: &Deadline| match &d.clause {
        Some(c) => clause_map
            .get(c)
            .cloned()
            .unwrap_or_else(|| format!("\u{0}old {c}")),
        None => String::new(),
    };
    let mut groups: BTreeMap<String, (Vec<&Deadline>, Vec<&Deadline>)> = BTreeMap::new();
    for d in old {
        groups.entry(key_old(d)).or_default().0.push(d);
    }
    for d in new {
        groups
            .entry(d.clause.clone().unwrap_or_default())
            .or_default()
            .1
            .push(d);
    }
    let mut out = Vec::new();
    for (_, (mut olds, mut news)) in groups {
        olds.retain(|a| match news.iter().position(|b| same_deadline(a, b)) {
            Some(k) => {
                news.remove(k);
                false
            }
            None => true,
        });
        // What is left in one clause on both sides changed; pair by kind family, then in order.
        let mut olds = olds.into_iter().peekable();
        let mut news = news.into_iter();
        loop {
            match (olds.next(), news.next()) {
                (Some(a), Some(b)) => out.push(change(
                    "deadline_changed",
                    Some(ChangeSide::Deadline(a.clone())),
                    Some(ChangeSide::Deadline(b.clone())),
                    Vec::new(),
                    format!(
                        "{}: {} → {}",
                        deadline_subject(b),
                        describe_deadline(a),
                        describe_deadline(b)
                    ),
                    true,
                )),
                (Some(a), None) => out.push(change(
                    "deadline_removed",
                    Some(ChangeSide::Deadline(a.clone())),
                    None,
                    Vec::new(),
                    format!("{}: {} removed", deadline_subject(a), describe_deadline(a)),
                    true,
                )),
                (None, Some(b)) => out.push(change(
                    "deadline_added",
                    None,
                    Some(ChangeSide::Deadline(b.clone())),
                    Vec::new(),
                    format!("{}: {} added", deadline_subject(b), describe_deadline(b)),
                    true,
                )),
                (None, None) => break,
            }
        }
    }
    out
}

fn text_equal(a: &str, b: &str, ignore_ocr: bool) -> bool {
    if ignore_ocr {
        let keys = |s: &str| -> Vec<String> { tokenize(s).into_iter().map(|t| t.text).collect() };
        ocr_equal(&keys(a), &keys(b))
    } else {
        a.split_whitespace().eq(b.split_whitespace())
    }
}

fn where_is(row: &Subprocessor) -> String {
    let place = row
        .location
        .clone()
        .or_else(|| row.country.clone())
        .unwrap_or_else(|| "place not stated".to_string());
    let outside = if row.third_country == Some(true) {
        ", outside the EU/EEA"
    } else {
        ""
    };
    format!("{place}{outside}")
}

fn subprocessors(old: &[Subprocessor], new: &[Subprocessor], ignore_ocr: bool) -> Vec<Change> {
    let id_of = |r: &Subprocessor| r.identifier.as_ref().map(|i| id_digits_or_all(&i.value));
    // One company: the same registration number, else the same name (company form, case and
    // æøå ignored; a name with words added after it, `Nordlys` / `Nordlys Inc.`; OCR
    // misreadings with `ignore_ocr`).
    let one_company = |a: &Subprocessor, b: &Subprocessor| -> bool {
        if let (Some(x), Some(y)) = (id_of(a), id_of(b)) {
            return x == y;
        }
        let (x, y) = (name_key(&a.name), name_key(&b.name));
        same_company(&a.name, &b.name)
            || (ignore_ocr && (text_equal(&x, &y, true) || text_equal(&a.name, &b.name, true)))
    };
    // Rows pair best within one company: same number, same name, same category, same country.
    let score = |a: &Subprocessor, b: &Subprocessor| -> u32 {
        u32::from(id_of(a).is_some() && id_of(a) == id_of(b)) * 8
            + u32::from(name_key(&a.name) == name_key(&b.name)) * 4
            + u32::from(a.category == b.category) * 2
            + u32::from(a.country == b.country)
    };
    let mut candidates: Vec<(u32, usize, usize)> = Vec::new();
    for (i, a) in old.iter().enumerate() {
        for (j, b) in new.iter().enumerate() {
            if one_company(a, b) {
                candidates.push((score(a, b), i, j));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut old_pair: Vec<Option<usize>> = vec![None; old.len()];
    let mut new_pair: Vec<Option<usize>> = vec![None; new.len()];
    for (_, i, j) in candidates {
        if old_pair[i].is_none() && new_pair[j].is_none() {
            old_pair[i] = Some(j);
            new_pair[j] = Some(i);
        }
    }
    let mut out = Vec::new();
    for (i, a) in old.iter().enumerate() {
        let Some(j) = old_pair[i] else { continue };
        let b = &new[j];
        // OCR moves words between the cells of a row (a wrapped address, a description);
        // the same words in the same row are the same row.
        if ignore_ocr {
            let (x, y) = (row_words(a), row_words(b));
            if text_equal(&x, &y, true) || same_words(&x, &y) {
                continue;
            }
        }
        let facts = row_differences(a, b, ignore_ocr);
        if facts.is_empty() {
            continue;
        }
        let moved_out = b.third_country == Some(true) && a.third_country != Some(true);
        let important = moved_out
            || facts
                .iter()
                .any(|f| matches!(f.kind.as_str(), "country" | "location" | "transfer_basis"));
        // Each field with its values, so that the line alone says what moved where.
        let fields: Vec<String> = facts
            .iter()
            .map(|f| {
                let value =
                    |v: &Option<String>| v.as_deref().map_or("–".to_string(), |v| clip(v, 60));
                let name = if f.kind == "third_country" {
                    "outside the EU/EEA".to_string()
                } else {
                    f.kind.replace('_', " ")
                };
                format!("{name} {} → {}", value(&f.old), value(&f.new))
            })
            .collect();
        out.push(change(
            "subprocessor_changed",
            Some(ChangeSide::Subprocessor(a.clone())),
            Some(ChangeSide::Subprocessor(b.clone())),
            facts.clone(),
            format!("sub-processor {} changed: {}", b.name, fields.join("; ")),
            important,
        ));
    }
    // A row left over whose company the other version still lists (a second table naming the
    // same vendors, one row per service) is not a vendor added or removed.
    let mut reported: Vec<String> = Vec::new();
    for (i, a) in old.iter().enumerate() {
        if old_pair[i].is_some() || new.iter().any(|b| one_company(a, b)) {
            continue;
        }
        if reported.iter().any(|n| same_company(n, &a.name)) {
            continue;
        }
        reported.push(a.name.clone());
        out.push(change(
            "subprocessor_removed",
            Some(ChangeSide::Subprocessor(a.clone())),
            None,
            Vec::new(),
            format!("sub-processor removed: {} ({})", a.name, where_is(a)),
            false,
        ));
    }
    let mut reported: Vec<String> = Vec::new();
    for (j, b) in new.iter().enumerate() {
        if new_pair[j].is_some() || old.iter().any(|a| one_company(a, b)) {
            continue;
        }
        if reported.iter().any(|n| same_company(n, &b.name)) {
            continue;
        }
        reported.push(b.name.clone());
        out.push(change(
            "subprocessor_added",
            None,
            Some(ChangeSide::Subprocessor(b.clone())),
            Vec::new(),
            format!("sub-processor added: {} ({})", b.name, where_is(b)),
            // Every new sub-processor needs the controller's approval; one outside the EU/EEA
            // needs a transfer basis too.
            true,
        ));
    }
    out
}

/// A registration number as compared: its digits, or all its letters and digits when it has
/// none (`RCS 123`, `DK12345678` → `12345678`).
fn id_digits_or_all(id: &str) -> String {
    let digits = id_digits(id);
    if digits.is_empty() {
        id.chars().filter(char::is_ascii_alphanumeric).collect()
    } else {
        digits
    }
}

/// The same words in any order, OCR misreadings forgiven: cells of a table row whose words
/// OCR moved from one cell into the next.
fn same_words(a: &str, b: &str) -> bool {
    let sorted = |s: &str| -> Vec<String> {
        let mut words: Vec<String> = tokenize(s)
            .iter()
            .map(|t| skeleton(std::iter::once(t.text.as_str())))
            .filter(|w| !w.is_empty())
            .collect();
        words.sort_unstable();
        words
    };
    ocr_equal(&sorted(a), &sorted(b))
}

/// Everything a row says in words, in reading order.
fn row_words(r: &Subprocessor) -> String {
    [
        Some(&r.name),
        r.identifier.as_ref().map(|i| &i.value),
        r.address.as_ref(),
        r.location.as_ref(),
        r.description.as_ref(),
        r.transfer.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect::<Vec<_>>()
    .join(" ")
}

/// The fields in which two rows of the same company differ.
fn row_differences(a: &Subprocessor, b: &Subprocessor, ignore_ocr: bool) -> Vec<Fact> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let flag = |v: Option<bool>| v.map(|x| if x { "yes" } else { "no" }.to_string());
    let mut facts = Vec::new();
    // A field the new version no longer states (a column dropped) is information lost, not a
    // changed value; a field it states for the first time is a change.
    let mut field = |kind: &str, x: Option<String>, y: Option<String>| {
        let (sx, sy) = (opt(&x), opt(&y));
        if y.is_some() && !text_equal(&sx, &sy, ignore_ocr) {
            facts.push(Fact {
                kind: kind.to_string(),
                old: x,
                new: y,
            });
        }
    };
    field("name", Some(a.name.clone()), Some(b.name.clone()));
    field(
        "identifier",
        a.identifier.as_ref().map(|i| i.value.clone()),
        b.identifier.as_ref().map(|i| i.value.clone()),
    );
    field("location", a.location.clone(), b.location.clone());
    field("country", a.country.clone(), b.country.clone());
    field("address", a.address.clone(), b.address.clone());
    field("description", a.description.clone(), b.description.clone());
    field("transfer", a.transfer.clone(), b.transfer.clone());
    field(
        "third_country",
        flag(a.third_country),
        flag(b.third_country),
    );
    field(
        "transfer_basis",
        a.transfer_basis.clone(),
        b.transfer_basis.clone(),
    );
    field("category", a.category.clone(), b.category.clone());
    facts
}

/// The parties' own identifiers: those that are not a sub-processor row's number.
fn own_identifiers(r: &Record) -> Vec<&Identifier> {
    let rows: HashSet<&str> = r
        .subprocessors
        .iter()
        .filter_map(|s| s.identifier.as_ref().map(|i| i.value.as_str()))
        .collect();
    let mut seen = HashSet::new();
    r.identifiers
        .iter()
        .filter(|i| !rows.contains(i.value.as_str()))
        .filter(|i| seen.insert((i.kind, i.value.as_str())))
        .collect()
}

fn identifiers(old: &Record, new: &Record, clause_map: &HashMap<String, String>) -> Vec<Change> {
    let (a, b) = (own_identifiers(old), own_identifiers(new));
    let in_b = |i: &Identifier| b.iter().any(|x| x.kind == i.kind && x.value == i.value);
    let in_a = |i: &Identifier| a.iter().any(|x| x.kind == i.kind && x.value == i.value);
    let gone: Vec<&Identifier> = a.iter().copied().filter(|i| !in_b(i)).collect();
    let mut came: Vec<Option<&Identifier>> =
        b.iter().copied().filter(|i| !in_a(i)).map(Some).collect();
    let mut out = Vec::new();
    for x in gone {
        let mapped = x.clause.as_ref().and_then(|c| clause_map.get(c));
        // The replacement: same kind, in the same clause if possible.
        let k = came
            .iter()
            .position(|y| y.is_some_and(|y| y.kind == x.kind && y.clause.as_ref() == mapped))
            .or_else(|| {
                came.iter()
                    .position(|y| y.is_some_and(|y| y.kind == x.kind))
            });
        let y = k.and_then(|k| came[k].take());
        let description = match y {
            Some(y) => format!("{} {} → {}", x.kind.label(), x.value, y.value),
            None => format!("{} {} removed", x.kind.label(), x.value),
        };
        out.push(change(
            "identifier_changed",
            Some(ChangeSide::Identifier(x.clone())),
            y.map(|y| ChangeSide::Identifier(y.clone())),
            Vec::new(),
            description,
            true,
        ));
    }
    for y in came.into_iter().flatten() {
        out.push(change(
            "identifier_changed",
            None,
            Some(ChangeSide::Identifier(y.clone())),
            Vec::new(),
            format!("{} {} added", y.kind.label(), y.value),
            true,
        ));
    }
    out
}

/// The controller and the processor: a new name (company form included: `Nordlys Data` →
/// `Nordlys Data ApS` is another legal person) or another company number.
fn parties(old: &Record, new: &Record, ignore_ocr: bool) -> Vec<Change> {
    let side = |role: &str, p: &Party| PartySide {
        role: role.to_string(),
        name: p.name.clone(),
        identifier: p.identifier.clone(),
    };
    let spaced = |s: &Option<String>| {
        s.as_deref()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let mut out = Vec::new();
    for (role, a, b) in [
        (
            "controller",
            &old.parties.controller,
            &new.parties.controller,
        ),
        ("processor", &old.parties.processor, &new.parties.processor),
    ] {
        // Only named parties on both sides: a party the text does not name is no change.
        let (Some(a), Some(b)) = (a, b) else { continue };
        if a.placeholder && b.placeholder {
            continue;
        }
        let renumbered = a.identifier.is_some()
            && b.identifier.is_some()
            && a.identifier.as_deref().map(id_digits) != b.identifier.as_deref().map(id_digits);
        let same_number = a.identifier.is_some() && !renumbered;
        // With OCR forgiven, a name read differently under the same company number, or read
        // as OCR misreadings of the same words, is the same name.
        let renamed = a.name.is_some()
            && b.name.is_some()
            && spaced(&a.name) != spaced(&b.name)
            && !(ignore_ocr
                && (same_number
                    || text_equal(
                        a.name.as_deref().unwrap_or(""),
                        b.name.as_deref().unwrap_or(""),
                        true,
                    )));
        if !renamed && !renumbered {
            continue;
        }
        let show = |p: &Party| {
            let name = p.name.as_deref().unwrap_or("(not named)");
            match &p.identifier {
                Some(id) => format!("{name} ({id})"),
                None => name.to_string(),
            }
        };
        out.push(change(
            "party_changed",
            Some(ChangeSide::Party(side(role, a))),
            Some(ChangeSide::Party(side(role, b))),
            Vec::new(),
            format!("{role}: {} → {}", show(a), show(b)),
            true,
        ));
    }
    out
}

fn id_digits(id: &str) -> String {
    id.chars().filter(char::is_ascii_digit).collect()
}

fn topic_clauses(r: &Record) -> BTreeMap<&str, Vec<String>> {
    let mut map: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in &r.clauses {
        for t in &c.topics {
            let entry = map.entry(t.as_str()).or_default();
            if let Some(n) = &c.number {
                entry.push(n.clone());
            }
        }
    }
    map
}

fn topics(old: &Record, new: &Record) -> Vec<Change> {
    let (a, b) = (topic_clauses(old), topic_clauses(new));
    let mut out = Vec::new();
    for (topic, clauses) in &a {
        if !b.contains_key(topic) {
            out.push(change(
                "topic_removed",
                Some(ChangeSide::Topic {
                    topic: topic.to_string(),
                    clauses: clauses.clone(),
                }),
                None,
                Vec::new(),
                format!("no clause on {} any more", topic.replace('_', " ")),
                true,
            ));
        }
    }
    for (topic, clauses) in &b {
        if !a.contains_key(topic) {
            out.push(change(
                "topic_added",
                None,
                Some(ChangeSide::Topic {
                    topic: topic.to_string(),
                    clauses: clauses.clone(),
                }),
                Vec::new(),
                format!("new clauses on {}", topic.replace('_', " ")),
                false,
            ));
        }
    }
    out
}

fn changelog(old: &Record, new: &Record) -> Vec<Change> {
    new.changelog
        .iter()
        .filter(|e| !old.changelog.iter().any(|o| o.version == e.version))
        .map(|e| {
            change(
                "changelog_added",
                None,
                Some(ChangeSide::Changelog(e.clone())),
                Vec::new(),
                format!(
                    "change log: version {}{}: {}",
                    e.version,
                    e.date
                        .as_ref()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default(),
                    e.change
                ),
                false,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::record::DeadlineUnit;

    fn deadline(
        clause: &str,
        kind: DeadlineKind,
        amount: Option<f64>,
        unit: Option<DeadlineUnit>,
    ) -> Deadline {
        Deadline {
            clause: Some(clause.to_string()),
            text: String::new(),
            kind,
            amount,
            unit,
            qualifier: amount.map(|_| DeadlineQualifier::AtMost),
            hours: None,
            every: None,
            trigger: None,
            topic: Some("breach_notification".to_string()),
            template: false,
            ..Deadline::default()
        }
    }

    #[test]
    fn deadlines_follow_renumbered_clauses() {
        let old = [
            deadline("11.2", DeadlineKind::UndueDelay, None, None),
            deadline(
                "9.9",
                DeadlineKind::Deadline,
                Some(14.0),
                Some(DeadlineUnit::Days),
            ),
        ];
        let new = [
            deadline(
                "11.2",
                DeadlineKind::Deadline,
                Some(48.0),
                Some(DeadlineUnit::Hours),
            ),
            deadline(
                "9.10",
                DeadlineKind::Deadline,
                Some(14.0),
                Some(DeadlineUnit::Days),
            ),
        ];
        let map: HashMap<String, String> = [("11.2", "11.2"), ("9.9", "9.10")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let changes = deadlines(&old, &new, &map);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].kind, "deadline_changed");
        assert_eq!(
            changes[0].description,
            "breach notification in 11.2: without undue delay → at most 48 hours"
        );
    }

    fn row(name: &str, country: &str, third: bool) -> Subprocessor {
        Subprocessor {
            name: name.to_string(),
            identifier: None,
            address: None,
            country: Some(country.to_string()),
            location: None,
            description: None,
            transfer: None,
            third_country: Some(third),
            transfer_basis: None,
            category: None,
            clause: Some("9.4".to_string()),
            extra: Default::default(),
        }
    }

    #[test]
    fn subprocessors_added_removed_and_moved_out_of_the_eu() {
        let old = [
            row("UnoEuro Danmark A/S", "DK", false),
            row("Acme ApS", "DK", false),
        ];
        let new = [
            row("UnoEuro Danmark ApS", "DK", false),
            row("Acme ApS", "US", true),
            row("Cloudy Inc.", "US", true),
        ];
        let changes = subprocessors(&old, &new, false);
        let kinds: Vec<(&str, bool)> = changes
            .iter()
            .map(|c| (c.kind.as_str(), c.important))
            .collect();
        // `A/S` → `ApS` is the company form only: the same company, and no field changed but
        // the name as printed.
        assert_eq!(
            kinds,
            [
                ("subprocessor_changed", false),
                ("subprocessor_changed", true),
                ("subprocessor_added", true)
            ]
        );
        let facts: Vec<&str> = changes[1].facts.iter().map(|f| f.kind.as_str()).collect();
        assert_eq!(facts, ["country", "third_country"]);
    }
}
