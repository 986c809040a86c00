//! Lines → tables, columns and plain lines, in reading order.
//!
//! Two kinds of table are found:
//!
//! * **Ruled**: horizontal and vertical rules (thin rectangles, stroked lines, edges of cell
//!   fills) that touch each other form a grid; a grid with at least 3 distinct rule positions
//!   each way is a table whose cells are the grid's cells. Words fall into the cell that holds
//!   their centre; rows and columns left empty are dropped; a grid with fewer than two
//!   non-empty rows or columns (a framed paragraph) is not a table.
//! * **Aligned**: consecutive lines (no paragraph-sized gap between them) whose words leave the
//!   same vertical gutters of at least [`MIN_GUTTER`] font sizes, starting at a line with such
//!   a gap in it (see [`aligned`]). The gutters cut the lines into columns. It is a table when
//!   at least two of its lines fill two or more columns; a justified paragraph is not one (its lines span the whole width and
//!   rivers are narrow), and two columns both filled with full lines are running text in two
//!   columns, read left column first. Rows: between two lines with a horizontal rule across
//!   the table (when there are at least two such rules), else at the wider of two line
//!   spacings (a wrapped cell is set closer than two rows), else every line is a row.

use super::lines::{Line, WordBox};
use super::{Item, Rect, Seg};

/// Rules per page beyond which no grid is looked for (the search is quadratic).
pub(super) const MAX_RULES: usize = 4_000;

/// Narrowest gutter between two columns of an aligned table, in font sizes.
const MIN_GUTTER: f64 = 0.8;

/// Thickest rectangle taken for a rule, in points.
const THIN: f64 = 3.0;

/// Positions closer than this (points) are one rule position.
const SNAP: f64 = 2.0;

/// Lines looked at for one aligned table or column block.
const MAX_RUN: usize = 400;

/// Rules of the page: (horizontals at y, verticals at x), each merged where they touch and
/// sorted by position. Thin rectangles are rules; other rectangles (cell fills, boxes) give
/// their four edges, except one covering most of the page (a background).
pub(super) fn segments(rects: &[Rect], width: f64, height: f64) -> (Vec<Seg>, Vec<Seg>) {
    let mut h = Vec::new();
    let mut v = Vec::new();
    for r in rects {
        let (w, ht) = (r.x1 - r.x0, r.y1 - r.y0);
        if w <= THIN && ht <= THIN {
            continue;
        }
        if ht <= THIN {
            h.push(Seg {
                at: (r.y0 + r.y1) / 2.0,
                a0: r.x0,
                a1: r.x1,
            });
        } else if w <= THIN {
            v.push(Seg {
                at: (r.x0 + r.x1) / 2.0,
                a0: r.y0,
                a1: r.y1,
            });
        } else if !(w > 0.8 * width && ht > 0.8 * height) {
            h.push(Seg {
                at: r.y0,
                a0: r.x0,
                a1: r.x1,
            });
            h.push(Seg {
                at: r.y1,
                a0: r.x0,
                a1: r.x1,
            });
            v.push(Seg {
                at: r.x0,
                a0: r.y0,
                a1: r.y1,
            });
            v.push(Seg {
                at: r.x1,
                a0: r.y0,
                a1: r.y1,
            });
        }
    }
    (merge_segs(h), merge_segs(v))
}

/// Joins collinear rules that touch or overlap; the result is sorted by position.
fn merge_segs(mut segs: Vec<Seg>) -> Vec<Seg> {
    segs.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.a0.total_cmp(&b.a0)));
    let mut out: Vec<Seg> = Vec::with_capacity(segs.len());
    // Rules at almost the same position are snapped to the first one's position.
    let mut group_start = 0;
    for s in segs {
        if let Some(first) = out.get(group_start) {
            if (s.at - first.at).abs() > SNAP {
                group_start = out.len();
            }
        }
        let at = out.get(group_start).map_or(s.at, |f| f.at);
        if let Some(prev) = out[group_start..]
            .iter_mut()
            .find(|p| s.a0 <= p.a1 + SNAP && s.a1 >= p.a0 - SNAP)
        {
            prev.a0 = prev.a0.min(s.a0);
            prev.a1 = prev.a1.max(s.a1);
        } else {
            out.push(Seg { at, ..s });
        }
    }
    out.sort_by(|a, b| a.at.total_cmp(&b.at));
    out
}

/// A grid of rules: column boundaries `xs` and row boundaries `ys`, both ascending.
#[derive(Debug, Clone, PartialEq)]
struct Grid {
    xs: Vec<f64>,
    ys: Vec<f64>,
}

impl Grid {
    fn contains(&self, x: f64, y: f64) -> bool {
        let (Some(&x0), Some(&x1), Some(&y0), Some(&y1)) = (
            self.xs.first(),
            self.xs.last(),
            self.ys.first(),
            self.ys.last(),
        ) else {
            return false;
        };
        x >= x0 && x <= x1 && y >= y0 && y <= y1
    }
}

/// Grids formed by rules that touch: connected groups with 3+ rule positions each way.
fn grids(h: &[Seg], v: &[Seg]) -> Vec<Grid> {
    if h.len() + v.len() > MAX_RULES || h.is_empty() || v.is_empty() {
        return Vec::new();
    }
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, hs) in h.iter().enumerate() {
        for (j, vs) in v.iter().enumerate() {
            let touch = vs.at >= hs.a0 - SNAP
                && vs.at <= hs.a1 + SNAP
                && hs.at >= vs.a0 - SNAP
                && hs.at <= vs.a1 + SNAP;
            if touch {
                let (a, b) = (find(&mut parent, i), find(&mut parent, h.len() + j));
                parent[a] = b;
            }
        }
    }
    // Per group: column positions, row positions, and how far the verticals reach.
    type Group = (Vec<f64>, Vec<f64>, f64, f64);
    let mut groups: std::collections::BTreeMap<usize, Group> = std::collections::BTreeMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        let entry = groups
            .entry(root)
            .or_insert_with(|| (Vec::new(), Vec::new(), f64::INFINITY, f64::NEG_INFINITY));
        if i < h.len() {
            entry.1.push(h[i].at);
        } else {
            let seg = &v[i - h.len()];
            entry.0.push(seg.at);
            entry.2 = entry.2.min(seg.a0);
            entry.3 = entry.3.max(seg.a1);
        }
    }
    groups
        .into_values()
        .filter_map(|(xs, mut ys, top, bottom)| {
            // A row cut by a page break has no rule on its open side, but the column rules run
            // on to the page's edge of the table: that reach closes the row.
            ys.extend([top, bottom].into_iter().filter(|y| y.is_finite()));
            let (xs, ys) = (distinct(xs), distinct(ys));
            (xs.len() >= 3 && ys.len() >= 3).then_some(Grid { xs, ys })
        })
        .collect()
}

fn distinct(mut at: Vec<f64>) -> Vec<f64> {
    at.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::with_capacity(at.len());
    for a in at {
        if out.last().is_none_or(|&l| a - l > SNAP) {
            out.push(a);
        }
    }
    out
}

/// The page's upright lines → items in reading order: ruled tables, aligned tables, columns
/// and plain lines.
pub(super) fn arrange(mut lines: Vec<Line>, h: &[Seg], v: &[Seg]) -> Vec<Item> {
    // Ruled tables first: their words leave the flow, the table goes where its top is.
    let mut placed: Vec<(f64, Item)> = Vec::new();
    for grid in grids(h, v) {
        if let Some(rows) = fill_grid(&grid, &mut lines) {
            placed.push((grid.ys[0], Item::Table(rows)));
        }
    }
    lines.retain(|l| !l.words.is_empty());
    let mut items: Vec<(f64, Item)> = Vec::new();
    // First line not yet part of a block: a block may take back plain lines from here on.
    let mut free = 0;
    let mut i = 0;
    while i < lines.len() {
        match aligned(&lines, free, i, h) {
            Some((start, end, block)) => {
                items.truncate(items.len() - (i - start));
                let y = lines[start].y - lines[start].size;
                items.extend(block.into_iter().map(|it| (y, it)));
                i = end;
                free = end;
            }
            None => {
                items.push((lines[i].y - lines[i].size, Item::Line(lines[i].clone())));
                i += 1;
            }
        }
    }
    // Insert each ruled table before the first item that starts below its top.
    placed.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (y, table) in placed {
        let at = items.partition_point(|(iy, _)| *iy <= y);
        items.insert(at, (y, table));
    }
    items.into_iter().map(|(_, it)| it).collect()
}

/// Takes the words inside `grid` out of `lines` into cells; `None` (words left in place) when
/// the grid does not hold a table.
fn fill_grid(grid: &Grid, lines: &mut [Line]) -> Option<Vec<Vec<String>>> {
    let cols = grid.xs.len() - 1;
    let rows = grid.ys.len() - 1;
    let inside = |w: &WordBox| grid.contains((w.x0 + w.x1) / 2.0, w.y - 0.3 * w.size);
    let mut cells: Vec<Vec<Vec<&WordBox>>> = vec![vec![Vec::new(); cols]; rows];
    for line in lines.iter() {
        for w in line.words.iter().filter(|w| inside(w)) {
            let (cx, cy) = ((w.x0 + w.x1) / 2.0, w.y - 0.3 * w.size);
            let c = grid.xs.partition_point(|&x| x <= cx).saturating_sub(1);
            let r = grid.ys.partition_point(|&y| y <= cy).saturating_sub(1);
            if let Some(cell) = cells
                .get_mut(r.min(rows - 1))
                .and_then(|row| row.get_mut(c.min(cols - 1)))
            {
                cell.push(w);
            }
        }
    }
    let keep_cols: Vec<usize> = (0..cols)
        .filter(|&c| cells.iter().any(|row| !row[c].is_empty()))
        .collect();
    let table: Vec<Vec<String>> = cells
        .iter()
        .filter(|row| row.iter().any(|c| !c.is_empty()))
        .map(|row| {
            keep_cols
                .iter()
                .map(|&c| cell_text(row[c].clone()))
                .collect()
        })
        .collect();
    if table.len() < 2 || keep_cols.len() < 2 {
        return None;
    }
    for line in lines.iter_mut() {
        line.words.retain(|w| !inside(w));
    }
    Some(table)
}

/// Merged x-intervals covered by words, ascending.
fn cover(intervals: &mut Vec<(f64, f64)>, line: &Line) {
    for w in &line.words {
        intervals.push((w.x0, w.x1));
    }
    intervals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(intervals.len());
    for &(a, b) in intervals.iter() {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    *intervals = merged;
}

/// Gutters (gaps between covered intervals) at least `min` wide: their (start, end).
fn gutters(intervals: &[(f64, f64)], min: f64) -> Vec<(f64, f64)> {
    intervals
        .windows(2)
        .filter(|w| w[1].0 - w[0].1 >= min)
        .map(|w| (w[0].1, w[1].0))
        .collect()
}

/// An aligned table or a two-column block around line `i`, when there is one: its lines
/// `start..end` (`start` ≥ `free`, lines before `i` being taken back from the plain text).
///
/// A block starts at a line with a wide gap in it; following lines join while they leave a
/// gutter (after the third line: while they leave every gutter); lines just before it join
/// when they are set as close as lines of one paragraph and cross no gutter (the upper lines
/// of a bottom-aligned header cell).
fn aligned(lines: &[Line], free: usize, i: usize, h: &[Seg]) -> Option<(usize, usize, Vec<Item>)> {
    let em = lines[i].size;
    let min = MIN_GUTTER * em;
    let mut cov = Vec::new();
    cover(&mut cov, &lines[i]);
    if gutters(&cov, min).is_empty() {
        return None;
    }
    let mut end = i + 1;
    while end < lines.len() && end - i < MAX_RUN {
        let (prev, next) = (&lines[end - 1], &lines[end]);
        if next.y - prev.y > 3.5 * em || (next.size - em).abs() > 0.3 * em {
            break;
        }
        let mut cand = cov.clone();
        cover(&mut cand, next);
        let (before, after) = (gutters(&cov, min).len(), gutters(&cand, min).len());
        if after == 0 || (end - i >= 3 && after < before) {
            break;
        }
        cov = cand;
        end += 1;
    }
    let mut start = i;
    let gs = gutters(&cov, min);
    while start > free && i - start < MAX_RUN {
        let (above, below) = (&lines[start - 1], &lines[start]);
        let crosses = above
            .words
            .iter()
            .any(|w| gs.iter().any(|g| w.x0 < g.1 && w.x1 > g.0));
        if crosses || below.y - above.y > 1.4 * em || (above.size - em).abs() > 0.3 * em {
            break;
        }
        start -= 1;
    }
    if end - start < 2 {
        return None;
    }
    // Trailing lines holding one cell after a paragraph-sized gap are text after the table.
    let mut run = &lines[start..end];
    let (cols, cells) = loop {
        let mut cov = Vec::new();
        for l in run {
            cover(&mut cov, l);
        }
        let gs = gutters(&cov, min);
        if gs.is_empty() || run.len() < 2 {
            return None;
        }
        let cells: Vec<Vec<Vec<&WordBox>>> = run.iter().map(|l| split(l, &gs)).collect();
        let filled = |row: &Vec<Vec<&WordBox>>| row.iter().filter(|c| !c.is_empty()).count();
        let n = run.len();
        let last_gap = run[n - 1].y - run[n - 2].y;
        if n - 1 > i - start && filled(&cells[n - 1]) <= 1 && last_gap > 1.4 * run[n - 1].size {
            run = &run[..n - 1];
            continue;
        }
        break (gs, cells);
    };
    let end = start + run.len();
    let ncols = cols.len() + 1;
    let filled = |row: &Vec<Vec<&WordBox>>| row.iter().filter(|c| !c.is_empty()).count();
    let (x0, x1) = (
        run.iter().map(Line::x0).fold(f64::MAX, f64::min),
        run.iter().map(Line::x1).fold(f64::MIN, f64::max),
    );
    let extent = (x1 - x0).max(1.0);
    if ncols == 2 {
        if let Some(block) = two_columns(run, &cells, &cols, x0, x1) {
            return Some((start, end, block));
        }
    }
    // Numbered or bulleted paragraphs with a hanging indent leave a gutter after the number:
    // a first column of list markers only is not a table column.
    let markers = cells
        .iter()
        .filter_map(|r| r.first())
        .all(|c| c.len() <= 1 && c.iter().all(|w| is_list_marker(&w.text)));
    if markers {
        return None;
    }
    // A table: at least two of its lines fill two or more columns.
    if cells.iter().filter(|r| filled(r) >= 2).count() < 2 {
        return None;
    }
    // A justified paragraph: every line spans the whole width, the gutters are rivers.
    let widest = cols.iter().map(|g| g.1 - g.0).fold(0.0, f64::max);
    let all_full = run.iter().all(|l| l.x1() - l.x0() >= 0.85 * extent);
    if all_full && widest < 2.0 * em {
        return None;
    }
    let rows = group_rows(run, &cells, h, x0, x1);
    let table = rows
        .into_iter()
        .map(|row| row.into_iter().take(ncols).map(cell_text).collect())
        .collect();
    Some((start, end, vec![Item::Table(table)]))
}

/// A line's words by column (gutters ascending).
fn split<'a>(line: &'a Line, gutters: &[(f64, f64)]) -> Vec<Vec<&'a WordBox>> {
    let mut cells = vec![Vec::new(); gutters.len() + 1];
    for w in &line.words {
        let c = gutters.partition_point(|g| g.1 <= w.x0);
        if let Some(cell) = cells.get_mut(c) {
            cell.push(w);
        }
    }
    cells
}

/// Two columns of running text (both wide, most of their lines full): left column, then right.
fn two_columns(
    run: &[Line],
    cells: &[Vec<Vec<&WordBox>>],
    gutters: &[(f64, f64)],
    x0: f64,
    x1: f64,
) -> Option<Vec<Item>> {
    let (g0, g1) = *gutters.first()?;
    let widths = [g0 - x0, x1 - g1];
    if widths.iter().any(|&w| w < 0.3 * (x1 - x0)) {
        return None;
    }
    let mut columns: Vec<Vec<Line>> = vec![Vec::new(), Vec::new()];
    for (line, row) in run.iter().zip(cells) {
        for (c, words) in row.iter().enumerate().take(2) {
            if !words.is_empty() {
                columns[c].push(Line {
                    y: line.y,
                    size: line.size,
                    words: words.iter().map(|w| (*w).clone()).collect(),
                });
            }
        }
    }
    for (c, col) in columns.iter().enumerate() {
        let full = col
            .iter()
            .filter(|l| l.x1() - l.x0() >= 0.7 * widths[c])
            .count();
        if col.len() < 3 || (full as f64) < 0.6 * col.len() as f64 {
            return None;
        }
    }
    let mut items = Vec::new();
    for col in columns {
        items.push(Item::Break);
        items.extend(col.into_iter().map(Item::Line));
    }
    items.push(Item::Break);
    Some(items)
}

/// Lines → rows of cells (words per column).
fn group_rows<'a>(
    run: &[Line],
    cells: &[Vec<Vec<&'a WordBox>>],
    h: &[Seg],
    x0: f64,
    x1: f64,
) -> Vec<Vec<Vec<&'a WordBox>>> {
    let width = x1 - x0;
    let ruled: Vec<bool> = run
        .windows(2)
        .map(|p| {
            let (lo, hi) = (p[0].y, p[1].y - 0.6 * p[1].size);
            let start = h.partition_point(|s| s.at <= lo);
            h[start..]
                .iter()
                .take_while(|s| s.at < hi)
                .any(|s| s.a1.min(x1) - s.a0.max(x0) >= 0.5 * width)
        })
        .collect();
    let dists: Vec<f64> = run.windows(2).map(|p| p[1].y - p[0].y).collect();
    let dmin = dists.iter().copied().fold(f64::MAX, f64::min);
    let dmax = dists.iter().copied().fold(0.0, f64::max);
    let breaks: Vec<bool> = if ruled.iter().filter(|&&r| r).count() >= 2 {
        ruled
    } else if dmax > 1.2 * dmin {
        dists.iter().map(|&d| d > 1.1 * dmin).collect()
    } else {
        vec![true; dists.len()]
    };
    let mut rows: Vec<Vec<Vec<&WordBox>>> = Vec::new();
    for (k, line_cells) in cells.iter().enumerate() {
        let new_row = k == 0 || breaks.get(k - 1).copied().unwrap_or(true);
        match rows.last_mut() {
            Some(row) if !new_row => {
                for (c, words) in line_cells.iter().enumerate() {
                    if let Some(cell) = row.get_mut(c) {
                        cell.extend(words.iter().copied());
                    }
                }
            }
            _ => rows.push(line_cells.clone()),
        }
    }
    rows
}

/// `1.`, `3.2.1`, `a)`, `(iv)`, `•`, `-`: what starts a list item or a numbered clause.
fn is_list_marker(word: &str) -> bool {
    let n = word.chars().count();
    if n == 1 && !word.chars().all(char::is_alphabetic) {
        return true;
    }
    let core = word.trim_start_matches('(').trim_end_matches([')', '.']);
    n <= 12
        && !core.is_empty()
        && (core.chars().all(|c| c.is_ascii_digit() || c == '.')
            || (core.chars().count() <= 4
                && word.ends_with(['.', ')'])
                && core.chars().all(char::is_alphanumeric)))
}

/// A cell's words, line by line, joined by spaces; a line ending in a hyphen after a letter or
/// digit is continued without a space (`eu-`/`west-1`): inside a cell the text stage cannot
/// see the line end any more.
fn cell_text(mut words: Vec<&WordBox>) -> String {
    words.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut out = String::new();
    let mut last_y: Option<f64> = None;
    for w in words {
        let new_line = last_y.is_some_and(|y| (w.y - y).abs() > 0.01);
        let mut back = out.chars().rev();
        let hyphenated = new_line
            && matches!(back.next(), Some('-' | '\u{2010}'))
            && back.next().is_some_and(char::is_alphanumeric);
        if !out.is_empty() && !hyphenated {
            out.push(' ');
        }
        out.push_str(&w.text);
        last_y = Some(w.y);
    }
    out
}
