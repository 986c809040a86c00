//! Text tables that fit the terminal: widths from the cells, columns of less weight dropped
//! first, then the free-text columns clipped, when the table is wider than the terminal.

/// How a column gives way when the table is too wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Give {
    /// Always shown whole.
    Never,
    /// Left out (lower ranks first) when the table does not fit.
    Drop(u8),
    /// Clipped at the end, down to this many characters.
    ClipEnd(usize),
    /// Clipped at the start (paths keep their file name), down to this many characters.
    ClipStart(usize),
}

/// One column: its header, alignment and how it gives way.
#[derive(Debug, Clone, Copy)]
pub(super) struct Column {
    pub header: &'static str,
    pub right: bool,
    pub give: Give,
}

impl Column {
    pub fn left(header: &'static str, give: Give) -> Column {
        Column {
            header,
            right: false,
            give,
        }
    }

    pub fn right(header: &'static str, give: Give) -> Column {
        Column {
            header,
            right: true,
            give,
        }
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// The header line and one line per row, two spaces between columns, fitting `width` when
/// given (as far as the columns that never give way allow). The last column is not padded.
pub(super) fn render(
    columns: &[Column],
    rows: &[Vec<String>],
    width: Option<usize>,
) -> Vec<String> {
    let mut widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|cell| chars(cell))
                .chain([chars(c.header)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let natural = widths.clone();
    let mut shown: Vec<bool> = vec![true; columns.len()];
    let total = |widths: &[usize], shown: &[bool]| {
        let n = shown.iter().filter(|s| **s).count();
        widths
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|(w, _)| *w)
            .sum::<usize>()
            + 2 * n.saturating_sub(1)
    };
    if let Some(limit) = width {
        // Clip the free-text columns first, down to half their width; then drop columns; then
        // clip down to their minimum.
        for pass in 0..2 {
            if pass == 1 {
                // With the dropped columns gone, the clipped ones take back what room there is.
                widths.clone_from(&natural);
            }
            for (i, c) in columns.iter().enumerate() {
                let over = total(&widths, &shown).saturating_sub(limit);
                if over == 0 {
                    break;
                }
                if let Give::ClipEnd(min) | Give::ClipStart(min) = c.give {
                    let floor = if pass == 0 {
                        min.max(widths[i] / 2)
                    } else {
                        min
                    };
                    widths[i] = widths[i].saturating_sub(over).max(floor.min(widths[i]));
                }
            }
            if pass == 0 {
                let mut droppable: Vec<(u8, usize)> = columns
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| match c.give {
                        Give::Drop(rank) => Some((rank, i)),
                        _ => None,
                    })
                    .collect();
                droppable.sort_unstable();
                for (_, i) in droppable {
                    if total(&widths, &shown) <= limit {
                        break;
                    }
                    shown[i] = false;
                }
            }
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut out = String::new();
        let visible: Vec<usize> = (0..columns.len()).filter(|i| shown[*i]).collect();
        let cells: Vec<&str> = cells.collect();
        for (n, &i) in visible.iter().enumerate() {
            let cell = cells.get(i).copied().unwrap_or("");
            let w = widths[i];
            let cell = match columns[i].give {
                Give::ClipStart(_) => clip_start(cell, w),
                _ => clip_end(cell, w),
            };
            let last = n + 1 == visible.len();
            if n > 0 {
                out.push_str("  ");
            }
            let pad = w.saturating_sub(chars(&cell));
            if columns[i].right {
                out.push_str(&" ".repeat(pad));
                out.push_str(&cell);
            } else {
                out.push_str(&cell);
                if !last {
                    out.push_str(&" ".repeat(pad));
                }
            }
        }
        out
    };
    let mut out = vec![line(&mut columns.iter().map(|c| c.header))];
    for row in rows {
        out.push(line(&mut row.iter().map(String::as_str)));
    }
    out
}

fn clip_end(text: &str, width: usize) -> String {
    if chars(text) <= width {
        return text.to_string();
    }
    let head: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{head}…")
}

fn clip_start(text: &str, width: usize) -> String {
    let n = chars(text);
    if n <= width {
        return text.to_string();
    }
    let tail: String = text.chars().skip(n - width.saturating_sub(1)).collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> (Vec<Column>, Vec<Vec<String>>) {
        let columns = vec![
            Column::left("ID", Give::Never),
            Column::left("NAME", Give::ClipEnd(8)),
            Column::right("N", Give::Drop(1)),
            Column::left("PATH", Give::ClipStart(12)),
        ];
        let rows = vec![
            vec![
                "abc123".into(),
                "A very long vendor name A/S".into(),
                "12".into(),
                "some/deep/folder/of/agreements/vendor.pdf".into(),
            ],
            vec!["def456".into(), "Kort".into(), "3".into(), "x.txt".into()],
        ];
        (columns, rows)
    }

    #[test]
    fn without_a_width_every_cell_is_whole() {
        let (columns, rows) = table();
        let lines = render(&columns, &rows, None);
        assert!(lines[1].contains("A very long vendor name A/S"));
        assert!(lines[1].ends_with("vendor.pdf") && lines[1].contains("some/deep"));
        assert!(lines[0].starts_with("ID      NAME"));
    }

    #[test]
    fn every_line_fits_and_paths_keep_their_file_name() {
        let (columns, rows) = table();
        for width in [40, 50, 60, 80] {
            for line in render(&columns, &rows, Some(width)) {
                assert!(chars(&line) <= width, "{width}: {line:?}");
            }
        }
        let narrow = render(&columns, &rows, Some(40));
        assert!(narrow[1].ends_with("vendor.pdf"), "{narrow:?}");
        assert!(
            !narrow[0].contains(" N "),
            "the droppable column went first: {narrow:?}"
        );
    }
}
