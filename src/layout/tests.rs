//! Layout on synthetic geometry: every glyph 0.5 em wide, words 0.3 em apart unless told.

use super::*;

const SIZE: f64 = 10.0;
const CHAR: f64 = 0.5 * SIZE;
const SPACE: f64 = 0.3 * SIZE;

/// Places `text` at (x, y) glyph by glyph, its spaces as gaps (no space glyphs); returns the
/// x where it ends.
fn put(page: &mut PageGeometry, x: f64, y: f64, text: &str) -> f64 {
    let mut at = x;
    for c in text.chars() {
        if c == ' ' {
            at += SPACE;
        } else {
            page.push_glyph(at, y, CHAR, SIZE, Dir::Right, &c.to_string());
            at += CHAR;
        }
    }
    at
}

fn rule(page: &mut PageGeometry, x0: f64, y0: f64, x1: f64, y1: f64) {
    page.push_rect(Rect { x0, y0, x1, y1 });
}

fn page() -> PageGeometry {
    PageGeometry::new(600.0, 800.0)
}

#[test]
fn kerned_glyphs_make_no_space_and_a_real_gap_does() {
    let mut p = page();
    // "Web": `e` kerned 0.6 pt into `W`, `b` 0.9 pt (under 0.1 em) after `e`; then a 2.5 pt
    // gap (a space) before "Services".
    p.push_glyph(100.0, 100.0, 9.4, SIZE, Dir::Right, "W");
    p.push_glyph(108.8, 100.0, 5.5, SIZE, Dir::Right, "e");
    p.push_glyph(115.2, 100.0, 5.5, SIZE, Dir::Right, "b");
    put(&mut p, 123.2, 100.0, "Services");
    assert_eq!(page_text(&p), "Web Services\n");
}

#[test]
fn lines_are_read_top_to_bottom_with_paragraph_breaks_from_the_gaps() {
    let mut p = page();
    put(&mut p, 50.0, 100.0, "første linje");
    put(&mut p, 50.0, 112.0, "anden linje");
    put(&mut p, 50.0, 124.0, "tredje linje");
    put(&mut p, 50.0, 148.0, "nyt afsnit");
    assert_eq!(
        page_text(&p),
        "første linje\nanden linje\ntredje linje\n\nnyt afsnit\n"
    );
}

#[test]
fn two_columns_are_read_column_by_column() {
    let mut p = page();
    let left = [
        "venstre spalte linje en ord",
        "venstre spalte linje to ord",
        "venstre spalte linje tre",
    ];
    let right = [
        "højre spalte linje en ordene",
        "højre spalte linje to ordene",
        "højre spalte linje tre",
    ];
    for (k, (l, r)) in left.iter().zip(&right).enumerate() {
        let y = 100.0 + 12.0 * k as f64;
        put(&mut p, 50.0, y, l);
        put(&mut p, 300.0, y, r);
    }
    let text = page_text(&p);
    assert!(!text.contains('\t'), "{text}");
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let mut expected: Vec<&str> = left.to_vec();
    expected.extend(right);
    assert_eq!(lines, expected, "{text}");
}

#[test]
fn a_ruled_table_with_a_wrapped_cell_is_three_rows_of_three_cells() {
    let mut p = page();
    put(&mut p, 50.0, 60.0, "Underdatabehandlere");
    let xs = [50.0, 200.0, 350.0, 500.0];
    let ys = [80.0, 100.0, 132.0, 152.0];
    for &x in &xs {
        rule(&mut p, x - 0.25, ys[0], x + 0.25, ys[3]);
    }
    for &y in &ys {
        rule(&mut p, xs[0], y - 0.25, xs[3], y + 0.25);
    }
    for (r, cells) in [
        ["Navn", "Land", "Formål"],
        ["Amazon Web", "Irland", "Hosting"],
        ["Twilio Inc.", "USA", "SMS"],
    ]
    .iter()
    .enumerate()
    {
        for (c, cell) in cells.iter().enumerate() {
            put(&mut p, xs[c] + 4.0, ys[r] + 13.0, cell);
        }
    }
    // The second row's first cell wraps: "Amazon Web" / "Services EMEA".
    put(&mut p, xs[0] + 4.0, ys[1] + 25.0, "Services EMEA");
    put(&mut p, 50.0, 180.0, "Efter tabellen.");
    let text = page_text(&p);
    assert_eq!(
        text,
        "Underdatabehandlere\n\nNavn\tLand\tFormål\nAmazon Web Services EMEA\tIrland\tHosting\nTwilio Inc.\tUSA\tSMS\n\nEfter tabellen.\n"
    );
}

#[test]
fn cells_closer_than_a_space_are_split_at_the_border() {
    let mut p = page();
    let xs = [50.0, 100.0, 150.0];
    let ys = [80.0, 100.0, 120.0];
    for &x in &xs {
        rule(&mut p, x - 0.25, ys[0], x + 0.25, ys[2]);
    }
    for &y in &ys {
        rule(&mut p, xs[0], y - 0.25, xs[2], y + 0.25);
    }
    // Each first cell's text runs up to the border and the next cell starts 1 pt after it.
    put(&mut p, 50.0, 93.0, "aaaaaaaaaa");
    put(&mut p, 101.0, 93.0, "b");
    put(&mut p, 50.0, 113.0, "cccccccccc");
    put(&mut p, 101.0, 113.0, "d");
    assert_eq!(page_text(&p), "aaaaaaaaaa\tb\ncccccccccc\td\n");
}

#[test]
fn an_unruled_aligned_table_with_empty_cells() {
    let mut p = page();
    put(
        &mut p,
        50.0,
        60.0,
        "Følgende underdatabehandlere benyttes af databehandleren i dag:",
    );
    let rows = [
        ["Navn", "CVR", "Placering"],
        ["Microsoft Ireland", "IE8256796", "Irland"],
        ["Visma e-conomic", "", "Danmark"],
        ["Twilio", "US123", "USA"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            put(
                &mut p,
                50.0 + 160.0 * c as f64,
                90.0 + 17.0 * r as f64,
                cell,
            );
        }
    }
    put(
        &mut p,
        50.0,
        175.0,
        "Databehandleren underretter den dataansvarlige om ændringer i god tid.",
    );
    let text = page_text(&p);
    assert_eq!(
        text,
        "Følgende underdatabehandlere benyttes af databehandleren i dag:\n\n\
         Navn\tCVR\tPlacering\nMicrosoft Ireland\tIE8256796\tIrland\nVisma e-conomic\t\tDanmark\nTwilio\tUS123\tUSA\n\n\
         Databehandleren underretter den dataansvarlige om ændringer i god tid.\n"
    );
}

#[test]
fn an_unruled_table_with_a_wrapped_cell_keeps_it_in_one_row() {
    let mut p = page();
    // Rows 20 pt apart, a wrapped line 12 pt below its row's first line.
    let lines: [(f64, [&str; 2]); 4] = [
        (100.0, ["Leverandør", "Formål"]),
        (120.0, ["Amazon Web Services", "Hosting af platformen og"]),
        (132.0, ["", "backup i to regioner"]),
        (152.0, ["Twilio", "SMS"]),
    ];
    for (y, cells) in lines {
        for (c, cell) in cells.iter().enumerate() {
            put(&mut p, 50.0 + 200.0 * c as f64, y, cell);
        }
    }
    assert_eq!(
        page_text(&p),
        "Leverandør\tFormål\nAmazon Web Services\tHosting af platformen og backup i to regioner\nTwilio\tSMS\n"
    );
}

#[test]
fn justified_prose_and_numbered_paragraphs_are_no_table() {
    let mut p = page();
    // Three justified lines with a 9 pt (0.9 em) river at the same place.
    let words = [
        ["Databehandleren", "skal", "bistå", "den", "dataansvarlige"],
        ["med", "at", "opfylde", "forpligtelsen", "til"],
        ["at", "besvare", "anmodninger", "om", "udøvelse"],
    ];
    for (k, line) in words.iter().enumerate() {
        let y = 100.0 + 12.0 * k as f64;
        let mut x: f64 = 50.0;
        for (j, w) in line.iter().enumerate() {
            if j == 2 {
                x = x.max(150.0);
            }
            x = put(&mut p, x, y, w) + 9.0;
        }
    }
    // Clause numbers with a hanging indent.
    put(&mut p, 50.0, 160.0, "3.1");
    put(
        &mut p,
        80.0,
        160.0,
        "Databehandleren behandler kun efter instruks",
    );
    put(&mut p, 80.0, 172.0, "fra den dataansvarlige.");
    put(&mut p, 50.0, 190.0, "3.2");
    put(&mut p, 80.0, 190.0, "Databehandleren sikrer fortrolighed.");
    let text = page_text(&p);
    assert!(!text.contains('\t'), "{text}");
    assert!(text.contains("3.1 Databehandleren behandler"), "{text}");
}

#[test]
fn one_line_with_a_wide_gap_is_no_table() {
    let mut p = page();
    put(&mut p, 50.0, 100.0, "Dato:");
    put(&mut p, 300.0, 100.0, "Dato:");
    put(
        &mut p,
        50.0,
        140.0,
        "Noget helt andet tekst her som er lang nok til at krydse",
    );
    assert!(!page_text(&p).contains('\t'));
}

#[test]
fn rotated_text_is_not_interleaved() {
    let mut p = page();
    put(&mut p, 50.0, 100.0, "linje et");
    put(&mut p, 50.0, 112.0, "linje to");
    // "SIDE" running up the left margin, glyph by glyph, across both lines.
    for (k, c) in "SIDE".chars().enumerate() {
        p.push_glyph(
            20.0,
            120.0 - CHAR * k as f64,
            CHAR,
            SIZE,
            Dir::Up,
            &c.to_string(),
        );
    }
    assert_eq!(page_text(&p), "linje et\nlinje to\n\nSIDE\n");
}

#[test]
fn running_headers_footers_and_page_numbers_are_left_out() {
    let pages: Vec<PageGeometry> = (1..=3)
        .map(|n| {
            let mut p = page();
            put(&mut p, 50.0, 30.0, "Databehandleraftale - fortroligt");
            put(&mut p, 50.0, 100.0, &format!("Tekst på side {n}"));
            put(&mut p, 50.0, 780.0, &format!("Side {n} af 3"));
            p
        })
        .collect();
    assert_eq!(
        document_pages(&pages),
        [
            "Tekst på side 1\n",
            "Tekst på side 2\n",
            "Tekst på side 3\n"
        ]
    );
    // A first-page title or a browser header (date, title) in the top band of a single page
    // is not repeated, so it stays; the page number goes.
    let mut single = page();
    put(&mut single, 50.0, 30.0, "Databehandleraftale");
    put(&mut single, 50.0, 100.0, "Tekst");
    put(&mut single, 400.0, 785.0, "1/1");
    put(&mut single, 50.0, 20.0, "12/2/26, 6:19 AM Schedule 3");
    assert_eq!(
        document_pages(&[single]),
        ["12/2/26, 6:19 AM Schedule 3\nDatabehandleraftale\n\nTekst\n"]
    );
}

#[test]
fn hostile_geometry_neither_panics_nor_loops() {
    let mut p = page();
    for k in 0..3000 {
        let v = k as f64;
        p.push_glyph(
            v * 0.37 % 600.0,
            v * 1.3 % 800.0,
            5.0,
            10.0,
            Dir::Right,
            "x",
        );
        p.push_rect(Rect {
            x0: v % 600.0,
            y0: v * 7.0 % 800.0,
            x1: v % 600.0 + 0.5,
            y1: v * 7.0 % 800.0 + 40.0,
        });
    }
    p.push_glyph(f64::NAN, 1.0, 1.0, 1.0, Dir::Right, "y");
    p.push_glyph(1.0, f64::INFINITY, 1.0, 1.0, Dir::Right, "y");
    p.push_rect(Rect {
        x0: f64::NAN,
        y0: 0.0,
        x1: 1.0,
        y1: 1.0,
    });
    let text = page_text(&p);
    assert!(!text.contains('y'));
    let mut full = page();
    for k in 0..MAX_GLYPHS + 5 {
        full.push_glyph(
            (k % 100) as f64,
            (k / 100) as f64,
            0.5,
            1.0,
            Dir::Right,
            "z",
        );
    }
    assert!(full.truncated);
    assert_eq!(full.glyphs().len(), MAX_GLYPHS);
}
