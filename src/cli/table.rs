//! Text tables that fit the terminal: columns as wide as their cells (up to a maximum); when the
//! terminal is narrower, free text shrinks, columns of less weight are left out, and the last
//! column is cut to what is left.

use super::clip;

/// Text table columns, fitted to a width: [`fit_table`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Column {
    heading: &'static str,
    /// Widest a cell is printed (longer ones clipped with `…`), also with no terminal.
    max: usize,
    /// Free text that may shrink to fit a terminal (down to `min`).
    shrink: bool,
    min: usize,
    right: bool,
    /// Left out when the table does not fit (lower ranks first), before free text is cut to
    /// its minimum.
    drop: Option<u8>,
    /// Cut at the start, not the end (a path keeps its file name).
    keep_end: bool,
}

impl Column {
    pub(super) const fn fixed(heading: &'static str, max: usize) -> Column {
        Column {
            heading,
            max,
            shrink: false,
            min: max,
            right: false,
            drop: None,
            keep_end: false,
        }
    }

    pub(super) const fn text(heading: &'static str, max: usize, min: usize) -> Column {
        Column {
            heading,
            max,
            shrink: true,
            min,
            right: false,
            drop: None,
            keep_end: false,
        }
    }

    pub(super) const fn right(heading: &'static str, max: usize) -> Column {
        Column {
            heading,
            max,
            shrink: false,
            min: max,
            right: true,
            drop: None,
            keep_end: false,
        }
    }

    /// This column is left out (lower ranks first) when the table does not fit.
    pub(super) const fn dropped(mut self, rank: u8) -> Column {
        self.drop = Some(rank);
        self
    }

    /// Cut at the start when it has to be cut (paths).
    pub(super) const fn keep_end(mut self) -> Column {
        self.keep_end = true;
        self
    }
}

/// A text table: the heading line, then one line per row, columns as wide as their widest
/// cell (at most `max`). With a `width` (the terminal's), the widest free-text columns shrink
/// until the lines fit, and the last column is clipped to what is left; without one the lines
/// are as the cells make them. Trailing blanks are trimmed.
pub(super) fn fit_table(
    columns: &[Column],
    rows: &[Vec<String>],
    width: Option<usize>,
) -> Vec<String> {
    let n = columns.len();
    fn cell(row: &[String], k: usize) -> &str {
        row.get(k).map(|s| s.as_str()).unwrap_or("")
    }
    let mut widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(k, c)| {
            rows.iter()
                .map(|r| clip(cell(r, k), c.max).chars().count())
                .chain(std::iter::once(c.heading.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut shown = vec![true; n];
    if let Some(width) = width {
        let total = |w: &[usize], shown: &[bool]| {
            let visible = shown.iter().filter(|s| **s).count();
            w.iter()
                .zip(shown)
                .filter(|(_, s)| **s)
                .map(|(w, _)| *w)
                .sum::<usize>()
                + visible.saturating_sub(1)
        };
        // Shrink the widest shrinkable column (the last one included) one step at a time, at
        // first to half its width, then, once the columns that may go are gone, to its minimum.
        let natural = widths.clone();
        let mut droppable: Vec<(u8, usize)> =
            (0..n).filter_map(|k| Some((columns[k].drop?, k))).collect();
        droppable.sort_unstable();
        for pass in 0..2 {
            if pass == 1 {
                widths.clone_from(&natural);
            }
            while total(&widths, &shown) > width {
                let floor = |k: usize| {
                    let min = columns[k].min.max(1);
                    if pass == 0 {
                        min.max(natural[k] / 2)
                    } else {
                        min
                    }
                };
                let widest = (0..n)
                    .filter(|&k| shown[k] && columns[k].shrink && widths[k] > floor(k))
                    .max_by_key(|&k| widths[k]);
                match widest {
                    Some(k) => widths[k] -= 1,
                    None => break,
                }
            }
            if pass == 0 {
                for &(_, k) in &droppable {
                    if total(&widths, &shown) <= width {
                        break;
                    }
                    shown[k] = false;
                }
            }
        }
        let total = |w: &[usize]| total(w, &shown);
        // What still does not fit is taken from the last column.
        if let Some(&last) = widths.last() {
            let others = total(&widths) - last;
            let fitted = last.min(width.saturating_sub(others)).max(1);
            if let Some(w) = widths.last_mut() {
                *w = fitted;
            }
        }
    }
    let line = |cells: Vec<String>| {
        let mut parts: Vec<String> = Vec::with_capacity(n);
        for (k, (c, w)) in columns.iter().zip(&widths).enumerate() {
            if !shown[k] {
                continue;
            }
            let cell = cells.get(k).map(|s| s.as_str()).unwrap_or("");
            let text = if c.keep_end {
                clip_start(cell, *w)
            } else {
                clip(cell, *w)
            };
            let pad = w.saturating_sub(text.chars().count());
            parts.push(if c.right {
                format!("{}{text}", " ".repeat(pad))
            } else {
                format!("{text}{}", " ".repeat(pad))
            });
        }
        parts.join(" ").trim_end().to_string()
    };
    let mut out = vec![line(
        columns.iter().map(|c| c.heading.to_string()).collect(),
    )];
    out.extend(rows.iter().map(|r| line(r.clone())));
    out
}

/// `text` cut to `width` characters at the start, so a path keeps its file name.
fn clip_start(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        return text.to_string();
    }
    let rest: String = text.chars().skip(n - width.saturating_sub(1)).collect();
    format!("…{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_less_weight_go_first_and_paths_keep_their_file_name() {
        let columns = [
            Column::fixed("ID", 8),
            Column::text("NAME", 30, 8),
            Column::right("N", 4).dropped(1),
            Column::text("PATH", 80, 12).keep_end(),
        ];
        let rows = vec![vec![
            "abc123".to_string(),
            "A very long vendor name A/S".to_string(),
            "12".to_string(),
            "some/deep/folder/of/agreements/vendor.pdf".to_string(),
        ]];
        let whole = fit_table(&columns, &rows, None);
        assert!(whole[1].contains("A very long vendor name A/S") && whole[1].contains("some/deep"));
        for width in [40, 60, 80] {
            for line in fit_table(&columns, &rows, Some(width)) {
                assert!(line.chars().count() <= width, "{width}: {line:?}");
            }
        }
        let narrow = fit_table(&columns, &rows, Some(40));
        assert!(narrow[1].ends_with("vendor.pdf"), "{narrow:?}");
        assert!(!narrow[0].contains(" N "), "{narrow:?}");
    }
}
