//! Compare the tables of two records: which table became which, and for each pair the rows
//! added, removed and changed cell by cell.
//!
//! Tables are paired by their clause (through the old → new clause numbers the clause
//! alignment found), else by a similar header, else by similar content. Rows are matched by
//! their key cell (the first column, not a running number, whose values are unique on both
//! sides), else by how many cells they share; a row that only moved is no change. A table on
//! one side only is one change, not one per row. Cells that differ only in whitespace or case
//! are equal; with `ignore_ocr`, cells are folded and OCR misreadings forgiven as in the
//! clause wording ([`super::words::ocr_equal`]).
//!
//! A changed cell under a heading that means country, location or transfer (the sub-processor
//! table vocabulary, [`column_of`]) is important.

use std::collections::{HashMap, HashSet};

use super::facts::change;
use super::render::clip;
use super::words;
use crate::analysis::fold;
use crate::extract::subprocessor_tables::{column_of, Column};
use crate::record::{Change, ChangeSide, Fact, Table};

/// A cell as compared: whitespace collapsed, lower case; folded with `ignore_ocr`.
fn norm(cell: &str, ignore_ocr: bool) -> String {
    let s = cell
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if ignore_ocr {
        fold(&s)
    } else {
        s
    }
}

/// Whether two cells say the same.
fn same(a: &str, b: &str, ignore_ocr: bool) -> bool {
    if norm(a, ignore_ocr) == norm(b, ignore_ocr) {
        return true;
    }
    if !ignore_ocr {
        return false;
    }
    let texts = |s: &str| -> Vec<String> {
        words::tokenize(s)
            .into_iter()
            .map(|t| t.text.to_lowercase())
            .collect()
    };
    words::ocr_equal(&texts(a), &texts(b))
}

fn cell(row: &[String], k: usize) -> &str {
    row.get(k).map_or("", String::as_str)
}

/// A running-number column: headed `Nr.`/`#`, or (without a header) every value a number.
fn is_numbering(table: &Table, k: usize) -> bool {
    if let Some(h) = table.header.get(k) {
        if !h.trim().is_empty() {
            return column_of(h) == Column::Number;
        }
    }
    !table.rows.is_empty()
        && table.rows.iter().all(|r| {
            let c = cell(r, k).trim().trim_end_matches(['.', ')']);
            !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit())
        })
}

/// Old column → new column: by equal headings, else by position where the widths agree.
fn column_pairs(old: &Table, new: &Table, ignore_ocr: bool) -> Vec<(usize, usize)> {
    let (wa, wb) = (old.width(), new.width());
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut used = HashSet::new();
    if !old.header.is_empty() && !new.header.is_empty() {
        for (i, h) in old.header.iter().enumerate() {
            if let Some(j) = (0..new.header.len())
                .find(|j| !used.contains(j) && same(h, &new.header[*j], ignore_ocr))
            {
                used.insert(j);
                pairs.push((i, j));
            }
        }
        if wa == wb {
            for i in 0..wa {
                if !pairs.iter().any(|&(a, _)| a == i) && !used.contains(&i) {
                    used.insert(i);
                    pairs.push((i, i));
                }
            }
        }
    } else {
        pairs = (0..wa.min(wb)).map(|k| (k, k)).collect();
    }
    pairs.sort_unstable();
    pairs
}

/// Share of the two headers' cells that have an equal cell on the other side; `None` when
/// either table has no header.
fn header_similarity(a: &Table, b: &Table, ignore_ocr: bool) -> Option<f64> {
    if a.header.is_empty() || b.header.is_empty() {
        return None;
    }
    let shared = a
        .header
        .iter()
        .filter(|h| b.header.iter().any(|g| same(h, g, ignore_ocr)))
        .count();
    Some(shared as f64 / a.header.len().max(b.header.len()) as f64)
}

/// Jaccard similarity of the two tables' non-empty cells.
fn content_similarity(a: &Table, b: &Table, ignore_ocr: bool) -> f64 {
    let cells = |t: &Table| -> HashSet<String> {
        t.rows
            .iter()
            .flatten()
            .map(|c| norm(c, ignore_ocr))
            .filter(|c| !c.is_empty())
            .collect()
    };
    let (x, y) = (cells(a), cells(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 1.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

/// How well an old table and a new one pair, or `None` when they do not.
fn table_score(
    a: &Table,
    b: &Table,
    clause_map: &HashMap<String, String>,
    ignore_ocr: bool,
) -> Option<f64> {
    let same_clause = match (&a.clause, &b.clause) {
        (Some(x), Some(y)) => clause_map.get(x).map_or(x == y, |m| m == y),
        (None, None) => true,
        _ => false,
    };
    let header = header_similarity(a, b, ignore_ocr);
    let content = content_similarity(a, b, ignore_ocr);
    let headerless_alike = header.is_none() && a.header.is_empty() == b.header.is_empty();
    let accept = if same_clause {
        header.is_some_and(|h| h >= 0.5)
            || content >= 0.2
            || (headerless_alike && a.width() == b.width())
    } else {
        header.is_some_and(|h| h >= 0.8) || content >= 0.5
    };
    accept.then(|| 2.0 * f64::from(u8::from(same_clause)) + header.unwrap_or(0.0) + content)
}

/// Pair old tables with new ones, best pairs first.
fn pair_tables(
    old: &[Table],
    new: &[Table],
    clause_map: &HashMap<String, String>,
    ignore_ocr: bool,
) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, a) in old.iter().enumerate() {
        for (j, b) in new.iter().enumerate() {
            if let Some(s) = table_score(a, b, clause_map, ignore_ocr) {
                candidates.push((s, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then_with(|| x.1.abs_diff(x.2).cmp(&y.1.abs_diff(y.2)))
            .then_with(|| (x.1, x.2).cmp(&(y.1, y.2)))
    });
    let (mut used_old, mut used_new) = (HashSet::new(), HashSet::new());
    let mut pairs = Vec::new();
    for (_, i, j) in candidates {
        if used_old.insert(i) {
            if used_new.insert(j) {
                pairs.push((i, j));
            } else {
                used_old.remove(&i);
            }
        }
    }
    pairs.sort_unstable_by_key(|&(_, j)| j);
    pairs
}

/// The key column, as an (old, new) column pair: the first column, not a running number, whose
/// cells are filled and unique on both sides.
fn key_column(
    old: &Table,
    new: &Table,
    columns: &[(usize, usize)],
    ignore_ocr: bool,
) -> Option<(usize, usize)> {
    let unique = |t: &Table, k: usize| {
        let mut seen = HashSet::new();
        t.rows.iter().all(|r| {
            let c = norm(cell(r, k), ignore_ocr);
            !c.is_empty() && seen.insert(c)
        })
    };
    columns.iter().copied().find(|&(i, j)| {
        !is_numbering(old, i) && !is_numbering(new, j) && unique(old, i) && unique(new, j)
    })
}

/// Old row → new row.
fn pair_rows(
    old: &Table,
    new: &Table,
    columns: &[(usize, usize)],
    key: Option<(usize, usize)>,
    ignore_ocr: bool,
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut free_old: Vec<usize> = (0..old.rows.len()).collect();
    let mut free_new: Vec<usize> = (0..new.rows.len()).collect();
    let take = |pairs: &mut Vec<(usize, usize)>,
                free_old: &mut Vec<usize>,
                free_new: &mut Vec<usize>,
                matches: &dyn Fn(usize, usize) -> bool| {
        let mut k = 0;
        while k < free_old.len() {
            let i = free_old[k];
            if let Some(pos) = free_new.iter().position(|&j| matches(i, j)) {
                pairs.push((i, free_new.remove(pos)));
                free_old.remove(k);
            } else {
                k += 1;
            }
        }
    };
    if let Some((ki, kj)) = key {
        let exact = |i: usize, j: usize| {
            norm(cell(&old.rows[i], ki), false) == norm(cell(&new.rows[j], kj), false)
        };
        take(&mut pairs, &mut free_old, &mut free_new, &exact);
        let alike =
            |i: usize, j: usize| same(cell(&old.rows[i], ki), cell(&new.rows[j], kj), ignore_ocr);
        take(&mut pairs, &mut free_old, &mut free_new, &alike);
    }
    let equal_row = |i: usize, j: usize| {
        columns
            .iter()
            .all(|&(a, b)| same(cell(&old.rows[i], a), cell(&new.rows[j], b), ignore_ocr))
    };
    take(&mut pairs, &mut free_old, &mut free_new, &equal_row);
    // What is left pairs by shared filled cells: at least half the columns.
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    for &i in &free_old {
        for &j in &free_new {
            let shared = columns
                .iter()
                .filter(|&&(a, b)| {
                    let (x, y) = (cell(&old.rows[i], a), cell(&new.rows[j], b));
                    !x.trim().is_empty() && same(x, y, ignore_ocr)
                })
                .count();
            if shared > 0 && shared * 2 >= columns.len() {
                candidates.push((shared, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then_with(|| x.1.abs_diff(x.2).cmp(&y.1.abs_diff(y.2)))
            .then_with(|| (x.1, x.2).cmp(&(y.1, y.2)))
    });
    let (mut used_old, mut used_new) = (HashSet::new(), HashSet::new());
    for (_, i, j) in candidates {
        if !used_old.contains(&i) && !used_new.contains(&j) {
            used_old.insert(i);
            used_new.insert(j);
            pairs.push((i, j));
        }
    }
    pairs.sort_unstable_by_key(|&(_, j)| j);
    pairs
}

/// `table in 8 (Underdatabehandler, Rolle, …)`.
fn table_label(t: &Table) -> String {
    let place = match &t.clause {
        Some(c) => format!("table in {}", clip(c, 20)),
        None => "table in the preamble".to_string(),
    };
    let heads: Vec<String> = t
        .header
        .iter()
        .filter(|h| !h.trim().is_empty())
        .take(2)
        .map(|h| clip(h, 30))
        .collect();
    if heads.is_empty() {
        place
    } else {
        let more = if t.header.len() > heads.len() {
            ", …"
        } else {
            ""
        };
        format!("{place} ({}{more})", heads.join(", "))
    }
}

fn column_name(t: &Table, k: usize) -> String {
    match t.header.get(k).filter(|h| !h.trim().is_empty()) {
        Some(h) => clip(h, 40),
        None => format!("column {}", k + 1),
    }
}

/// What names a row: its key cell, else its first filled cell that is no running number.
fn row_label(t: &Table, row: &[String], key: Option<usize>) -> String {
    let by_key = key.map(|k| cell(row, k)).filter(|c| !c.trim().is_empty());
    let first = || {
        (0..row.len())
            .filter(|&k| !is_numbering(t, k))
            .map(|k| cell(row, k))
            .find(|c| !c.trim().is_empty())
    };
    clip(by_key.or_else(first).unwrap_or("(empty row)"), 50)
}

/// A row's filled cells, running number left out: `Vercel Inc. | Frontend | USA`.
fn row_text(t: &Table, row: &[String]) -> String {
    let cells: Vec<&str> = row
        .iter()
        .enumerate()
        .filter(|&(k, _)| !is_numbering(t, k))
        .map(|(_, c)| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    clip(&cells.join(" | "), 100)
}

fn rows_side(t: &Table, rows: Vec<Vec<String>>) -> ChangeSide {
    ChangeSide::TableRows {
        clause: t.clause.clone(),
        header: t.header.clone(),
        rows,
    }
}

/// Does a heading mean country, location or transfer?
fn place_or_transfer(heading: &str) -> bool {
    matches!(column_of(heading), Column::Location | Column::Transfer)
}

/// The changes between one old table and the new table it became.
fn compare_pair(a: &Table, b: &Table, ignore_ocr: bool) -> Vec<Change> {
    // A running number is no content: rows reordered are renumbered.
    let columns: Vec<(usize, usize)> = column_pairs(a, b, ignore_ocr)
        .into_iter()
        .filter(|&(i, j)| !(is_numbering(a, i) && is_numbering(b, j)))
        .collect();
    let key = key_column(a, b, &columns, ignore_ocr);
    let pairs = pair_rows(a, b, &columns, key, ignore_ocr);
    let label = table_label(b);
    let mut out = Vec::new();
    let paired_old: HashSet<usize> = pairs.iter().map(|&(i, _)| i).collect();
    let paired_new: HashMap<usize, usize> = pairs.iter().map(|&(i, j)| (j, i)).collect();
    for (j, row) in b.rows.iter().enumerate() {
        let Some(&i) = paired_new.get(&j) else {
            out.push(change(
                "table_row_added",
                None,
                Some(rows_side(b, vec![row.clone()])),
                Vec::new(),
                format!("{label}, row added: {}", row_text(b, row)),
                false,
            ));
            continue;
        };
        let old_row = &a.rows[i];
        let mut facts = Vec::new();
        let mut important = false;
        for &(ca, cb) in &columns {
            let (x, y) = (cell(old_row, ca), cell(row, cb));
            if same(x, y, ignore_ocr) {
                continue;
            }
            let heading = column_name(b, cb);
            important |= [a.header.get(ca), b.header.get(cb)]
                .into_iter()
                .flatten()
                .any(|h| place_or_transfer(h));
            facts.push(Fact {
                kind: heading,
                old: Some(x.trim().to_string()),
                new: Some(y.trim().to_string()),
            });
        }
        if facts.is_empty() {
            continue;
        }
        let what: Vec<String> = facts
            .iter()
            .map(|f| {
                let show = |v: &Option<String>| match v.as_deref() {
                    Some("") | None => "—".to_string(),
                    Some(v) => clip(v, 40),
                };
                format!("{}: {} → {}", f.kind, show(&f.old), show(&f.new))
            })
            .collect();
        out.push(change(
            "table_row_changed",
            Some(rows_side(a, vec![old_row.clone()])),
            Some(rows_side(b, vec![row.clone()])),
            facts,
            format!(
                "{label}, row {}: {}",
                row_label(a, old_row, key.map(|k| k.0)),
                what.join("; ")
            ),
            important,
        ));
    }
    for (i, row) in a.rows.iter().enumerate() {
        if !paired_old.contains(&i) {
            out.push(change(
                "table_row_removed",
                Some(rows_side(a, vec![row.clone()])),
                None,
                Vec::new(),
                format!("{label}, row removed: {}", row_text(a, row)),
                false,
            ));
        }
    }
    out
}

fn plural_rows(n: usize) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

/// The table changes between two records' tables. `clause_map` takes old clause numbers to
/// new ones, as the clause alignment paired them.
pub fn compare_tables(
    old: &[Table],
    new: &[Table],
    clause_map: &HashMap<String, String>,
    ignore_ocr: bool,
) -> Vec<Change> {
    let pairs = pair_tables(old, new, clause_map, ignore_ocr);
    let mut out = Vec::new();
    for &(i, j) in &pairs {
        out.extend(compare_pair(&old[i], &new[j], ignore_ocr));
    }
    for (i, t) in old.iter().enumerate() {
        if !pairs.iter().any(|&(a, _)| a == i) {
            out.push(change(
                "table_removed",
                Some(rows_side(t, t.rows.clone())),
                None,
                Vec::new(),
                format!("{} removed ({})", table_label(t), plural_rows(t.rows.len())),
                false,
            ));
        }
    }
    for (j, t) in new.iter().enumerate() {
        if !pairs.iter().any(|&(_, b)| b == j) {
            out.push(change(
                "table_added",
                None,
                Some(rows_side(t, t.rows.clone())),
                Vec::new(),
                format!("{} added ({})", table_label(t), plural_rows(t.rows.len())),
                false,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::TableFormat;

    fn table(clause: Option<&str>, header: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            clause: clause.map(str::to_string),
            page: None,
            last_page: None,
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
            format: TableFormat::Cells,
            lines: 0..0,
        }
    }

    fn identity(numbers: &[&str]) -> HashMap<String, String> {
        numbers
            .iter()
            .map(|n| (n.to_string(), n.to_string()))
            .collect()
    }

    const HEADER: &[&str] = &["Nr.", "Underdatabehandler", "Ydelse", "Land"];

    fn subprocessors(rows: &[&[&str]]) -> Table {
        table(Some("8"), HEADER, rows)
    }

    fn kinds(changes: &[Change]) -> Vec<(&str, &str)> {
        changes
            .iter()
            .map(|c| (c.kind.as_str(), c.description.as_str()))
            .collect()
    }

    #[test]
    fn rows_added_removed_and_changed() {
        let old = subprocessors(&[
            &["1", "Scannet A/S", "Hosting", "Danmark"],
            &["2", "Amazon Web Services EMEA SARL", "AI", "EU"],
            &["3", "Mailgun", "E-mail", "Danmark"],
        ]);
        let new = subprocessors(&[
            &["1", "Scannet A/S", "Hosting og drift", "Danmark"],
            &["2", "Amazon Web Services EMEA SARL", "AI", "USA"],
            &["3", "Vercel Inc.", "Frontend", "USA"],
        ]);
        let got = compare_tables(&[old], &[new], &identity(&["8"]), false);
        assert_eq!(
            kinds(&got),
            [
                (
                    "table_row_changed",
                    "table in 8 (Nr., Underdatabehandler, …), row Scannet A/S: Ydelse: Hosting → Hosting og drift"
                ),
                (
                    "table_row_changed",
                    "table in 8 (Nr., Underdatabehandler, …), row Amazon Web Services EMEA SARL: Land: EU → USA"
                ),
                (
                    "table_row_added",
                    "table in 8 (Nr., Underdatabehandler, …), row added: Vercel Inc. | Frontend | USA"
                ),
                (
                    "table_row_removed",
                    "table in 8 (Nr., Underdatabehandler, …), row removed: Mailgun | E-mail | Danmark"
                ),
            ]
        );
        // A country changed is important; a changed service is not.
        assert!(!got[0].important);
        assert!(got[1].important);
        assert_eq!(got[1].facts[0].kind, "Land");
        assert_eq!(got[1].facts[0].old.as_deref(), Some("EU"));
        assert_eq!(got[1].facts[0].new.as_deref(), Some("USA"));
        match &got[1].new {
            Some(ChangeSide::TableRows { clause, rows, .. }) => {
                assert_eq!(clause.as_deref(), Some("8"));
                assert_eq!(rows.len(), 1);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reordered_rows_and_whitespace_or_case_are_no_change() {
        let old = subprocessors(&[
            &["1", "Scannet A/S", "Hosting", "Danmark"],
            &["2", "Mailgun", "E-mail", "Danmark"],
        ]);
        let new = subprocessors(&[
            &["1", "Mailgun", "e-mail", "DANMARK"],
            &["2", "Scannet  A/S", " Hosting ", "Danmark"],
        ]);
        let got = compare_tables(&[old], &[new], &identity(&["8"]), false);
        assert!(got.is_empty(), "{:?}", kinds(&got));
    }

    #[test]
    fn a_changed_key_cell_is_one_changed_row() {
        let old = subprocessors(&[&["1", "Amazon Web Services", "Hosting", "EU"]]);
        let new = subprocessors(&[&["1", "Amazon Web Services EMEA SARL", "Hosting", "EU"]]);
        let got = compare_tables(&[old], &[new], &identity(&["8"]), false);
        assert_eq!(
            kinds(&got),
            [(
                "table_row_changed",
                "table in 8 (Nr., Underdatabehandler, …), row Amazon Web Services: Underdatabehandler: Amazon Web Services → Amazon Web Services EMEA SARL"
            )]
        );
        assert!(!got[0].important);
    }

    #[test]
    fn a_transfer_column_changed_is_important() {
        let header = &["Leverandør", "Overførselsgrundlag"];
        let old = table(Some("8"), header, &[&["Vercel", "SCC"]]);
        let new = table(Some("8"), header, &[&["Vercel", "DPF"]]);
        let got = compare_tables(&[old], &[new], &identity(&["8"]), false);
        assert_eq!(got.len(), 1);
        assert!(got[0].important);
    }

    #[test]
    fn header_less_tables_match_rows_by_their_cells() {
        let old = table(
            Some("3"),
            &[],
            &[
                &["Navn", "Kontakt"],
                &["Support", "support@x.dk"],
                &["Drift", "drift@x.dk"],
            ],
        );
        let new = table(
            Some("3"),
            &[],
            &[
                &["Navn", "Kontakt"],
                &["Drift", "ops@x.dk"],
                &["Support", "support@x.dk"],
            ],
        );
        let got = compare_tables(&[old], &[new], &identity(&["3"]), false);
        assert_eq!(
            kinds(&got),
            [(
                "table_row_changed",
                "table in 3, row Drift: column 2: drift@x.dk → ops@x.dk"
            )]
        );
        assert!(!got[0].important);
    }

    #[test]
    fn tables_in_a_renumbered_appendix_pair_through_the_clause_map() {
        let old = [
            table(
                Some("B.2"),
                &["Kategori", "Eksempel"],
                &[&["Navn", "Anders"]],
            ),
            table(
                Some("C.1"),
                HEADER,
                &[&["1", "Scannet A/S", "Hosting", "Danmark"]],
            ),
        ];
        // Appendix B became C and C became D: the tables follow their clauses.
        let new = [
            table(
                Some("C.2"),
                &["Kategori", "Eksempel"],
                &[&["Navn", "Bente"]],
            ),
            table(
                Some("D.1"),
                HEADER,
                &[&["1", "Scannet A/S", "Hosting", "Tyskland"]],
            ),
        ];
        let map: HashMap<String, String> = [("B.2", "C.2"), ("C.1", "D.1")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let got = compare_tables(&old, &new, &map, false);
        assert_eq!(
            kinds(&got),
            [
                (
                    "table_row_changed",
                    "table in C.2 (Kategori, Eksempel), row Navn: Eksempel: Anders → Bente"
                ),
                (
                    "table_row_changed",
                    "table in D.1 (Nr., Underdatabehandler, …), row Scannet A/S: Land: Danmark → Tyskland"
                ),
            ]
        );
        assert!(got[1].important);
        // Without the map the headers still pair them.
        let got = compare_tables(&old, &new, &HashMap::new(), false);
        assert_eq!(got.len(), 2, "{:?}", kinds(&got));
    }

    #[test]
    fn a_table_on_one_side_is_one_change() {
        let t = subprocessors(&[
            &["1", "Scannet A/S", "Hosting", "Danmark"],
            &["2", "Mailgun", "E-mail", "Danmark"],
        ]);
        let other = table(Some("2"), &["Kategori", "Eksempel"], &[&["Navn", "Anders"]]);
        let got = compare_tables(
            std::slice::from_ref(&other),
            &[other.clone(), t.clone()],
            &identity(&["2", "8"]),
            false,
        );
        assert_eq!(
            kinds(&got),
            [(
                "table_added",
                "table in 8 (Nr., Underdatabehandler, …) added (2 rows)"
            )]
        );
        let got = compare_tables(&[t], &[], &identity(&["8"]), false);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].kind, "table_removed");
    }

    #[test]
    fn ocr_misreadings_in_cells_are_forgiven_with_ignore_ocr() {
        let old = subprocessors(&[&["1", "Scannet A/S", "Hosting og backup", "Danmark"]]);
        let new = subprocessors(&[&["1", "Scannet A/S", "Hosting og hackup", "Danrnark"]]);
        let strict = compare_tables(
            std::slice::from_ref(&old),
            std::slice::from_ref(&new),
            &identity(&["8"]),
            false,
        );
        assert_eq!(strict.len(), 1);
        let lenient = compare_tables(std::slice::from_ref(&old), &[new], &identity(&["8"]), true);
        assert!(lenient.is_empty(), "{:?}", kinds(&lenient));
        // A real change still shows.
        let usa = subprocessors(&[&["1", "Scannet A/S", "Hosting og backup", "USA"]]);
        let got = compare_tables(&[old], &[usa], &identity(&["8"]), true);
        assert_eq!(got.len(), 1);
        assert!(got[0].important);
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// A table of `n` rows whose cells are all different (row `r`, column `c`).
        fn numbered(n: usize, header: bool) -> Table {
            let rows: Vec<Vec<String>> = (0..n)
                .map(|r| {
                    vec![
                        format!("{}", r + 1),
                        format!("Firma {r}"),
                        format!("Ydelse {r}"),
                        format!("Land {r}"),
                    ]
                })
                .collect();
            Table {
                rows,
                header: if header {
                    HEADER.iter().map(|s| s.to_string()).collect()
                } else {
                    Vec::new()
                },
                ..table(Some("8"), &[], &[])
            }
        }

        proptest! {
            /// A permutation of the rows is no change.
            #[test]
            fn permuted_rows_are_no_change(
                n in 1usize..12,
                header in any::<bool>(),
                swaps in prop::collection::vec((0usize..12, 0usize..12), 0..12),
                ignore_ocr in any::<bool>(),
            ) {
                let old = numbered(n, header);
                let mut new = old.clone();
                for (a, b) in swaps {
                    new.rows.swap(a % n, b % n);
                }
                let got = compare_tables(&[old], &[new], &identity(&["8"]), ignore_ocr);
                prop_assert!(got.is_empty(), "{:?}", kinds(&got));
            }

            /// Every edit (a cell changed, a row removed, a row added), on a shuffled copy, is
            /// reported exactly once.
            #[test]
            fn each_edit_is_reported_once(
                n in 2usize..12,
                header in any::<bool>(),
                edits in prop::collection::vec((0usize..3, 0usize..12, 1usize..4), 0..6),
                swaps in prop::collection::vec((0usize..12, 0usize..12), 0..6),
            ) {
                let old = numbered(n, header);
                let mut new = old.clone();
                let mut touched = HashSet::new();
                let (mut changed, mut removed, mut added) = (0, 0, 0);
                for (k, (op, at, column)) in edits.into_iter().enumerate() {
                    let at = at % new.rows.len();
                    // Each row is edited at most once (known by its running number, which no
                    // edit touches), and the table keeps a row.
                    let id = new.rows[at][0].clone();
                    match op {
                        0 if !touched.contains(&id) => {
                            new.rows[at][column] = format!("ændret {k}");
                            touched.insert(id);
                            changed += 1;
                        }
                        1 if !touched.contains(&id) && new.rows.len() > 1 => {
                            new.rows.remove(at);
                            touched.insert(id);
                            removed += 1;
                        }
                        2 => {
                            let r = format!("ny {k}");
                            new.rows.insert(at, vec![format!("{}", 90 + k), r.clone(), format!("ydelse {r}"), format!("land {r}")]);
                            touched.insert(format!("{}", 90 + k));
                            added += 1;
                        }
                        _ => {}
                    }
                }
                let len = new.rows.len();
                for (a, b) in swaps {
                    new.rows.swap(a % len, b % len);
                }
                let got = compare_tables(&[old], &[new], &identity(&["8"]), false);
                let count = |kind: &str| got.iter().filter(|c| c.kind == kind).count();
                prop_assert_eq!(count("table_row_changed"), changed, "{:?}", kinds(&got));
                prop_assert_eq!(count("table_row_removed"), removed, "{:?}", kinds(&got));
                prop_assert_eq!(count("table_row_added"), added, "{:?}", kinds(&got));
                prop_assert_eq!(got.len(), changed + removed + added);
                for c in got.iter().filter(|c| c.kind == "table_row_changed") {
                    prop_assert_eq!(c.facts.len(), 1);
                }
            }
        }
    }
}
