//! Tables: the `tables` stage reads the rows of cells out of a [`NormalisedText`], once, so that
//! every later stage (segmentation, sub-processors, compare, review) reads one [`Table`] value
//! instead of rediscovering columns in flattened text.
//!
//! A table is recognised in four shapes, all line based:
//!
//! * **cells separated by TAB** ([`TableFormat::Cells`]): tab-separated text exports, and every
//!   table the PDF and OCR layout reader found (it writes one line per row, cells joined by TAB,
//!   whatever the page showed: ruling lines or aligned columns);
//! * **pipes** ([`TableFormat::Pipes`]): `a | b | c` rows, with or without outer pipes, with or
//!   without a markdown rule line (`|---|:--:|`) under the header;
//! * **grid** ([`TableFormat::Grid`]): `+----+----+` borders with `|` walls; a cell wrapped over
//!   several text lines between two borders is one cell; a `+====+` border ends the header;
//! * **aligned columns** ([`TableFormat::Columns`]): runs of two or more spaces between cells
//!   whose starts line up over several lines, as `pdftotext -layout` writes them; a line that
//!   has no text in the first column continues the cells of the row above (a wrapped cell).
//!
//! What is never a table: one line of prose with a `|` or a TAB in it (a single row counts
//! only as a header-only table of three or more short cells); a numbered or bulleted list whose
//! text happens to line up (its first column holds only list markers).
//!
//! The first row (or the rows above a markdown rule line / a `+===+` border) is the header. A
//! row equal to the header further down (a header repeated after a page break) is not a row; a
//! table that stops at a page break and goes on after it with the same columns is one table.
//! Every row has as many cells as the table has columns (short rows are padded with empty
//! cells; surplus pipe cells are joined into the last one). Cell text has its whitespace
//! collapsed.
//!
//! Assumes normalised text (`text` stage): TABs inside a line are kept there, page texts are
//! joined with a blank line and `page_starts` maps offsets to pages. Linear in the text apart
//! from the aligned-column detector, which looks at a bounded window of lines.

use std::collections::HashSet;

use crate::record::{Clause, NormalisedText, Table, TableFormat};

/// Longest cell of a one-row, header-only table (a row of longer cells is prose).
const MAX_HEADER_CELL: usize = 40;

/// Most lines one aligned-columns table may span (bounds the work on odd input).
const MAX_ALIGNED_LINES: usize = 400;

/// Read every table of a document. `clause` is left empty: [`assign_clauses`] fills it once the
/// clauses are known.
pub fn tables(doc: &NormalisedText) -> Vec<Table> {
    let lines: Vec<&str> = doc.text.split('\n').collect();
    let starts = line_starts(&doc.text);
    let mut found: Vec<Table> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let hit = grid(&lines, i)
            .or_else(|| pipes(&lines, i))
            .or_else(|| tabs(&lines, i))
            .or_else(|| columns(&lines, i));
        match hit {
            Some(mut table) => {
                let end = table.lines.end.max(i + 1);
                table.page = Some(doc.page_at(starts[table.lines.start]));
                let last = doc.page_at(starts[end - 1]);
                table.last_page = (Some(last) != table.page).then_some(last);
                found.push(table);
                i = end;
            }
            None => i += 1,
        }
    }
    let mut merged = merge_across_pages(found, &lines);
    for table in &mut merged {
        tidy(table);
    }
    merged.retain(|t| !t.header.is_empty() || !t.rows.is_empty());
    merged
}

/// Fill each table's `clause` from the clauses' spans (`spans[k]` are the byte ranges of the
/// lines `clauses[k]` owns in `doc.text`, as the segmenter reports them).
pub fn assign_clauses(
    tables: &mut [Table],
    doc: &NormalisedText,
    clauses: &[Clause],
    spans: &[Vec<std::ops::Range<usize>>],
) {
    let starts = line_starts(&doc.text);
    for table in tables {
        let Some(&offset) = starts.get(table.lines.start) else {
            continue;
        };
        table.clause = spans
            .iter()
            .position(|ranges| ranges.iter().any(|r| r.contains(&offset)))
            .and_then(|k| clauses.get(k).and_then(|c| c.number.clone()));
    }
}

/// Byte offset of the start of each line of `text` (lines split at `\n`).
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(k, _)| k + 1));
    starts
}

/// The line indices that belong to some table (for the segmenter: no clause starts there).
pub fn table_lines(tables: &[Table]) -> HashSet<usize> {
    tables.iter().flat_map(|t| t.lines.clone()).collect()
}

fn new_table(
    format: TableFormat,
    lines: std::ops::Range<usize>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
) -> Table {
    Table {
        clause: None,
        page: None,
        last_page: None,
        header,
        rows,
        format,
        lines,
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fold_row(row: &[String]) -> String {
    row.iter()
        .map(|c| collapse(c).to_lowercase())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// Pad rows to the table's width, drop empty rows and rows repeating the header.
fn tidy(table: &mut Table) {
    let width = table.width();
    for cell in table.header.iter_mut() {
        *cell = collapse(cell);
    }
    if !table.header.is_empty() {
        table.header.resize(width, String::new());
    }
    let header_key = fold_row(&table.header);
    table
        .rows
        .retain(|row| row.iter().any(|c| !c.trim().is_empty()));
    for row in table.rows.iter_mut() {
        for cell in row.iter_mut() {
            *cell = collapse(cell);
        }
        row.resize(width, String::new());
    }
    if !table.header.is_empty() {
        table.rows.retain(|row| fold_row(row) != header_key);
    }
}

/// Tables separated only by blank lines and a page break, with the same columns, are one table.
fn merge_across_pages(tables: Vec<Table>, lines: &[&str]) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::with_capacity(tables.len());
    for table in tables {
        if let Some(prev) = out.last_mut() {
            let gap_blank = (prev.lines.end..table.lines.start)
                .all(|l| lines.get(l).is_none_or(|s| s.trim().is_empty()));
            let prev_last_page = prev.last_page.or(prev.page);
            let page_break = table.page > prev_last_page;
            if gap_blank
                && page_break
                && prev.format == table.format
                && prev.width() == table.width()
            {
                let mut rows = table.rows;
                match repeated_header(&prev.header, &table.header) {
                    // The repeated header; text after a heading is the rest of the row the
                    // page break cut (it shares the header's grid row).
                    Some(rest) if rest.iter().any(|c| !c.is_empty()) => rows.insert(0, rest),
                    Some(_) => {}
                    // A body row the reader took for the continuation's header.
                    None if !table.header.is_empty() => rows.insert(0, table.header),
                    None => {}
                }
                // A first row without its first cell goes on with the row the page break cut.
                if let (Some(first), Some(last)) = (rows.first(), prev.rows.last_mut()) {
                    if first.first().is_some_and(|c| c.trim().is_empty())
                        && last.first().is_some_and(|c| !c.trim().is_empty())
                    {
                        for (cell, more) in last.iter_mut().zip(first) {
                            if !more.trim().is_empty() {
                                if !cell.is_empty() {
                                    cell.push(' ');
                                }
                                cell.push_str(more.trim());
                            }
                        }
                        rows.remove(0);
                    }
                }
                prev.rows.extend(rows);
                prev.lines.end = table.lines.end;
                prev.last_page = table.last_page.or(table.page);
                continue;
            }
        }
        out.push(table);
    }
    out
}

/// `header` repeats `first` (the header of the table it continues) when each of its cells is
/// the same heading, possibly followed by more text: the cells' extra text (empty strings when
/// it repeats exactly), else `None`.
fn repeated_header(first: &[String], header: &[String]) -> Option<Vec<String>> {
    if first.is_empty() || first.len() != header.len() {
        return None;
    }
    let mut rest = Vec::with_capacity(header.len());
    for (old, new) in first.iter().zip(header) {
        let (old, new) = (collapse(old), collapse(new));
        if old.is_empty() {
            if !new.is_empty() {
                return None;
            }
            rest.push(String::new());
            continue;
        }
        let tail = new.strip_prefix(&old)?;
        if !(tail.is_empty() || tail.starts_with(' ')) {
            return None;
        }
        rest.push(tail.trim().to_string());
    }
    Some(rest)
}

// ---------------------------------------------------------------------------------------------
// Shared cell tests.

/// A cell that is only a list marker or clause number: `1.`, `2)`, `a)`, `iv.`, `•`, `-`, `3.4`.
fn is_marker(cell: &str) -> bool {
    let t = cell.trim();
    if t.is_empty() {
        return false;
    }
    if matches!(t, "•" | "-" | "–" | "*" | "◦" | "▪" | "·") {
        return true;
    }
    let core = t.trim_start_matches('(').trim_end_matches(['.', ')']);
    if core.is_empty() || core.len() > 8 {
        return false;
    }
    let numbered = core
        .split('.')
        .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
    let lettered = core.chars().count() == 1
        && core.chars().all(|c| c.is_alphabetic())
        && t.len() > core.len();
    let roman = t.len() > core.len() && core.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    numbered || lettered || roman
}

/// A short cell that reads as a column heading rather than a sentence.
fn header_like(cell: &str) -> bool {
    let t = cell.trim();
    !t.is_empty()
        && t.chars().count() <= MAX_HEADER_CELL
        && !t.ends_with(['.', ';', ','])
        && t.split_whitespace().count() <= 5
}

/// A single row that stands alone as a table's header: three or more short headings, none of
/// them a bare number (a table-of-contents line ends in its page number).
fn header_only(row: &[String]) -> bool {
    row.len() >= 3
        && row.iter().all(|c| header_like(c))
        && !row.iter().any(|c| c.bytes().all(|b| b.is_ascii_digit()))
}

fn split_cells(line: &str, sep: char) -> Vec<String> {
    line.split(sep).map(|c| c.trim().to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Cells separated by TAB.

/// The cells of a TAB-separated row; `first` says whether the row would start a table (it then
/// needs a TAB between two cells; a row under it may start with a TAB: an empty first cell).
fn tab_cells(line: &str, first: bool) -> Option<Vec<String>> {
    let t = line.trim_matches(|c| c == ' ');
    let inner = t.trim().contains('\t');
    if t.trim().is_empty() || !(inner || (!first && t.contains('\t'))) {
        return None;
    }
    let cells = split_cells(t, '\t');
    (cells.len() >= 2).then_some(cells)
}

fn tabs(lines: &[&str], i: usize) -> Option<Table> {
    let first = tab_cells(lines[i], true)?;
    let mut rows = vec![first];
    let mut end = i + 1;
    while let Some(cells) = lines.get(end).and_then(|l| tab_cells(l, false)) {
        rows.push(cells);
        end += 1;
    }
    if rows.len() == 1 && !header_only(&rows[0]) {
        return None;
    }
    if list_like(&rows) {
        return None;
    }
    let header = rows.remove(0);
    Some(new_table(TableFormat::Cells, i..end, header, rows))
}

/// A two-column "table" whose first column holds only list markers is a list.
fn list_like(rows: &[Vec<String>]) -> bool {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    width <= 2 && rows.iter().all(|r| r.first().is_some_and(|c| is_marker(c)))
}

// ---------------------------------------------------------------------------------------------
// Pipes.

/// Whether the rows of a pipe table have outer pipes on the left and on the right, as its
/// first line shows (a header cell is never empty, so a leading `|` there is a wall; in a body
/// row `| b` may be an empty first cell).
#[derive(Clone, Copy)]
struct Walls {
    left: bool,
    right: bool,
}

impl Walls {
    fn of(first: &str) -> Walls {
        let t = first.trim();
        Walls {
            left: t.starts_with('|'),
            right: t.ends_with('|') && t.len() > 1,
        }
    }
}

fn pipe_cells(line: &str) -> Option<Vec<String>> {
    pipe_cells_within(line, Walls::of(line))
}

fn pipe_cells_within(line: &str, walls: Walls) -> Option<Vec<String>> {
    let t = line.trim();
    if !t.contains('|') {
        return None;
    }
    let inner = if walls.left {
        t.strip_prefix('|').unwrap_or(t)
    } else {
        t
    };
    let inner = if walls.right {
        inner.strip_suffix('|').unwrap_or(inner)
    } else {
        inner
    };
    let cells = split_cells(inner, '|');
    (cells.len() >= 2).then_some(cells)
}

fn is_rule_row(cells: &[String]) -> bool {
    cells.iter().all(|c| {
        let c = c.trim().trim_start_matches(':').trim_end_matches(':');
        !c.is_empty() && c.bytes().all(|b| b == b'-')
    })
}

fn pipes(lines: &[&str], i: usize) -> Option<Table> {
    pipe_cells(lines[i])?;
    let walls = Walls::of(lines[i]);
    let mut end = i;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut rule_at: Option<usize> = None;
    while let Some(cells) = lines.get(end).and_then(|l| pipe_cells_within(l, walls)) {
        if is_rule_row(&cells) {
            if rule_at.is_none() && !rows.is_empty() {
                rule_at = Some(rows.len());
            }
        } else {
            rows.push(cells);
        }
        end += 1;
    }
    if rows.is_empty() {
        return None;
    }
    let width = modal_width(&rows);
    match (rule_at, rows.len()) {
        (Some(_), _) => {}
        (None, 1) => {
            if !header_only(&rows[0]) {
                return None;
            }
        }
        (None, _) => {
            let same = rows.iter().filter(|r| r.len() == width).count();
            if same < 2 || list_like(&rows) {
                return None;
            }
        }
    }
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut r| {
            if r.len() > width && width > 0 {
                let tail = r.split_off(width - 1).join(" | ");
                r.push(tail);
            }
            r
        })
        .collect();
    let header_rows = rule_at.unwrap_or(1);
    let (head, body) = rows.split_at(header_rows.min(rows.len()));
    let header = join_rows(head, width);
    Some(new_table(TableFormat::Pipes, i..end, header, body.to_vec()))
}

fn modal_width(rows: &[Vec<String>]) -> usize {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for r in rows {
        match counts.iter_mut().find(|(w, _)| *w == r.len()) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.len(), 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(w, n)| (n, w))
        .map_or(0, |(w, _)| w)
}

/// Several rows read as one (a header over two lines): cell by cell, joined with a space.
fn join_rows(rows: &[Vec<String>], width: usize) -> Vec<String> {
    let mut out = vec![String::new(); width];
    for row in rows {
        for (k, cell) in row.iter().enumerate().take(width) {
            if cell.trim().is_empty() {
                continue;
            }
            if !out[k].is_empty() {
                out[k].push(' ');
            }
            out[k].push_str(cell.trim());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Grid tables.

fn is_border(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3
        && t.starts_with('+')
        && t.ends_with('+')
        && t.bytes().all(|b| matches!(b, b'+' | b'-' | b'=' | b':'))
        && t.bytes().any(|b| b == b'-' || b == b'=')
}

fn grid(lines: &[&str], i: usize) -> Option<Table> {
    if !is_border(lines[i]) {
        return None;
    }
    let border: Vec<char> = lines[i].chars().collect();
    let walls: Vec<usize> = border
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '+')
        .map(|(k, _)| k)
        .collect();
    if walls.len() < 3 {
        return None;
    }
    let width = walls.len() - 1;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = vec![String::new(); width];
    let mut has_content = false;
    let mut header_rows: Option<usize> = None;
    let mut end = i + 1;
    while let Some(line) = lines.get(end) {
        let t = line.trim_start();
        if is_border(line) {
            if has_content {
                rows.push(std::mem::replace(&mut current, vec![String::new(); width]));
                has_content = false;
            }
            if line.contains('=') && header_rows.is_none() {
                header_rows = Some(rows.len());
            }
            end += 1;
            continue;
        }
        if !t.starts_with('|') {
            break;
        }
        let chars: Vec<char> = line.chars().collect();
        for k in 0..width {
            let from = (walls[k] + 1).min(chars.len());
            let to = walls[k + 1].min(chars.len());
            let piece: String = chars[from..to].iter().collect();
            let piece = piece.trim().trim_matches('|').trim();
            if !piece.is_empty() {
                if !current[k].is_empty() {
                    current[k].push(' ');
                }
                current[k].push_str(piece);
                has_content = true;
            }
        }
        end += 1;
    }
    if has_content {
        rows.push(current);
    }
    if rows.is_empty() {
        return None;
    }
    let split = header_rows.unwrap_or(1).clamp(1, rows.len());
    let body = rows.split_off(split);
    let header = join_rows(&rows, width);
    Some(new_table(TableFormat::Grid, i..end, header, body))
}

// ---------------------------------------------------------------------------------------------
// Aligned columns.

/// The pieces of a line separated by runs of two or more spaces, with the character column
/// each starts at.
fn segments(line: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let mut spaces = 0;
    for (col, c) in line.chars().enumerate() {
        if c == ' ' {
            spaces += 1;
            continue;
        }
        if current.is_empty() {
            start = col;
        } else if spaces >= 2 {
            out.push((start, std::mem::take(&mut current)));
            start = col;
        } else if spaces == 1 {
            current.push(' ');
        }
        spaces = 0;
        current.push(c);
    }
    if !current.is_empty() {
        out.push((start, current));
    }
    out
}

fn near(a: usize, b: usize) -> bool {
    a.abs_diff(b) <= 1
}

fn columns(lines: &[&str], i: usize) -> Option<Table> {
    let first = segments(lines[i]);
    if first.len() < 2 || lines[i].contains(['\t', '|']) {
        return None;
    }
    // Lines of the block: multi-piece lines, continuation lines and single blank lines between
    // rows that go on in the same columns.
    let mut block: Vec<(usize, Vec<(usize, String)>)> = vec![(i, first)];
    let mut starts: Vec<usize> = block[0].1.iter().map(|(c, _)| *c).collect();
    let mut end = i + 1;
    while end < lines.len() && end - i < MAX_ALIGNED_LINES {
        let line = lines[end];
        if line.contains(['\t', '|']) {
            break;
        }
        if line.trim().is_empty() {
            let next = lines.get(end + 1).map(|l| segments(l)).unwrap_or_default();
            let continues = next.len() >= 2
                && next
                    .iter()
                    .all(|(c, _)| starts.iter().any(|s| near(*s, *c)));
            if !continues {
                break;
            }
            end += 1;
            continue;
        }
        let segs = segments(line);
        let aligned = segs
            .iter()
            .filter(|(c, _)| starts.iter().any(|s| near(*s, *c)))
            .count();
        if segs.len() >= 2 && aligned + 1 >= segs.len() {
            for (c, _) in &segs {
                if !starts.iter().any(|s| near(*s, *c)) {
                    starts.push(*c);
                }
            }
        } else if !(segs.len() == 1 && aligned == 1 && segs[0].0 > block[0].1[0].0 + 1) {
            break;
        }
        block.push((end, segs));
        end += 1;
    }
    // Column starts: where at least two multi-piece lines start a piece.
    let multi: Vec<&Vec<(usize, String)>> = block
        .iter()
        .map(|(_, s)| s)
        .filter(|s| s.len() >= 2)
        .collect();
    starts.sort_unstable();
    let mut cols: Vec<usize> = Vec::new();
    for s in starts {
        let support = multi
            .iter()
            .filter(|segs| segs.iter().any(|(c, _)| near(*c, s)))
            .count();
        if support >= 2 && !cols.iter().any(|c| near(*c, s)) {
            cols.push(s);
        }
    }
    let enough_rows = multi.len() >= 3 || (multi.len() == 2 && cols.len() >= 3);
    if cols.len() < 2 || !enough_rows {
        return None;
    }
    // Every piece of every multi-piece line must sit in a column.
    if !multi
        .iter()
        .all(|segs| segs.iter().all(|(c, _)| cols.iter().any(|s| near(*s, *c))))
    {
        return None;
    }
    let column_of = |col: usize| cols.iter().rposition(|s| *s <= col + 1).unwrap_or(0);
    let width = cols.len();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (_, segs) in &block {
        let starts_row = segs.len() >= 2 && segs.first().is_some_and(|(c, _)| column_of(*c) == 0);
        if starts_row || rows.is_empty() {
            rows.push(vec![String::new(); width]);
        }
        let Some(row) = rows.last_mut() else { continue };
        for (c, text) in segs {
            let k = column_of(*c);
            if !row[k].is_empty() {
                row[k].push(' ');
            }
            row[k].push_str(text);
        }
    }
    if list_like(&rows) || rows.iter().all(|r| is_marker(&r[0])) {
        return None;
    }
    let last_line = block.last().map_or(i, |(l, _)| *l);
    let header = rows.remove(0);
    Some(new_table(
        TableFormat::Columns,
        i..last_line + 1,
        header,
        rows,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalise;

    fn read(text: &str) -> Vec<Table> {
        tables(&normalise(&[text.to_string()]))
    }

    fn cells(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn pipe_rows_without_outer_pipes_or_rule_line() {
        let t = read("Underdatabehandlere:\n\nNavn | Land | Formål\nAcme ApS | Danmark | Hosting\nBeta Inc. | USA | E-mail\n\nTekst efter.");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].header, ["Navn", "Land", "Formål"]);
        assert_eq!(
            t[0].rows,
            cells(&[
                &["Acme ApS", "Danmark", "Hosting"],
                &["Beta Inc.", "USA", "E-mail"]
            ])
        );
        assert_eq!(t[0].format, TableFormat::Pipes);
        assert_eq!(t[0].page, Some(1));
    }

    #[test]
    fn markdown_tables_with_outer_pipes_and_rule_line() {
        let t = read("| Name | Location |\n|:-----|---:|\n| A | EU |\n| B | US |\n");
        assert_eq!(t[0].header, ["Name", "Location"]);
        assert_eq!(t[0].rows.len(), 2);
    }

    #[test]
    fn a_header_only_pipe_table_is_a_table_and_one_pipe_in_prose_is_not() {
        let t = read("NAVN | CVR | ADRESSE | BESKRIVELSE AF BEHANDLING\n\nTekst.");
        assert_eq!(t.len(), 1);
        assert!(t[0].rows.is_empty());
        assert!(read("Vi bruger a | b i teksten her, og det er ikke en tabel.\n").is_empty());
    }

    #[test]
    fn tab_separated_rows_keep_empty_cells() {
        let t = read("Navn\tCVR\tLand\nAcme\t\tDanmark\nBeta\t12345678\tSverige\n");
        assert_eq!(
            t[0].rows,
            cells(&[&["Acme", "", "Danmark"], &["Beta", "12345678", "Sverige"]])
        );
        assert!(read("Dette er en\tsætning med en tabulator.\n").is_empty());
    }

    #[test]
    fn a_table_over_a_page_break_is_one_table_without_its_repeated_header() {
        let pages = [
            "Tekst.\n\nNavn\tLand\nA\tDK\nB\tSE".to_string(),
            "Navn\tLand\nC\tNO\n\nMere tekst.".to_string(),
        ];
        let t = tables(&normalise(&pages));
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].rows.len(), 3);
        assert_eq!((t[0].page, t[0].last_page), (Some(1), Some(2)));
    }

    #[test]
    fn grid_tables_join_wrapped_cells() {
        let text = "+------+-----------+\n| Navn | Formål    |\n+======+===========+\n| Acme | Hosting   |\n|      | og backup |\n+------+-----------+\n| Beta | E-mail    |\n+------+-----------+\n";
        let t = read(text);
        assert_eq!(t[0].header, ["Navn", "Formål"]);
        assert_eq!(
            t[0].rows,
            cells(&[&["Acme", "Hosting og backup"], &["Beta", "E-mail"]])
        );
        assert_eq!(t[0].format, TableFormat::Grid);
    }

    #[test]
    fn aligned_columns_with_a_wrapped_cell() {
        let text = "Navn          Land       Formål\nAcme ApS      Danmark    Hosting af\n                         databasen\nBeta Inc.     USA        E-mail\nGamma AB      Sverige    Support\n";
        let t = read(text);
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].header, ["Navn", "Land", "Formål"]);
        assert_eq!(
            t[0].rows[0],
            ["Acme ApS", "Danmark", "Hosting af databasen"]
        );
        assert_eq!(t[0].rows.len(), 3);
    }

    #[test]
    fn an_aligned_numbered_list_is_not_a_table() {
        let text = "1.   Databehandleren skal behandle oplysninger efter instruks.\n2.   Databehandleren skal sikre fortrolighed hos de ansatte.\n3.   Databehandleren skal gennemføre passende foranstaltninger.\n";
        assert!(read(text).is_empty(), "{:?}", read(text));
    }

    #[test]
    fn prose_with_double_spaces_is_not_a_table() {
        let text = "Databehandleren skal  sikre at personoplysninger behandles\nfortroligt og at  medarbejderne er underlagt tavshedspligt\nsom beskrevet i  denne aftale og i lovgivningen.\n";
        assert!(read(text).is_empty());
    }
}
