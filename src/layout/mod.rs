//! Page geometry → page text: words, lines, reading order, tables (issue 15).
//!
//! The stage between `source` and `text`. A PDF page arrives as the glyphs a PDF parser drew
//! (position of the glyph origin on its baseline, advance width, font size, direction, the
//! characters) and the thin rules and rectangles it stroked or filled; a scanned page as the
//! words OCR recognised with their boxes. Nothing here knows about PDF or Tesseract, and
//! everything is a pure function of the geometry.
//!
//! What it does, in order (each step in its own file):
//!
//! 1. [`lines`]: glyphs → words by the horizontal gap between them (a space where it exceeds
//!    [`lines::WORD_GAP`] of the font size, where a literal space glyph stands, or where a
//!    table border does); atoms → lines by baseline, superscripts kept in their line.
//! 2. [`tables`]: tables, found by ruling lines (a grid of horizontal and vertical rules, from
//!    strokes, thin filled rectangles and the edges of cell fills) and by column alignment
//!    (consecutive lines whose words leave the same wide vertical gutters); two columns of
//!    running text found the same way are read column by column, not as a table.
//! 3. Text rotated by 90°, 180° or 270° is laid out in its own direction and put after the
//!    page's upright text, never interleaved with it.
//! 4. [`document_pages`]: running headers and footers (a line in the top or bottom
//!    [`MARGIN_BAND`] of the page that repeats on at least two pages and half of them, once its
//!    digits are masked; or one that is a page number: `Side 3 af 9`, `3/9`, `- 3 -`) are left
//!    out.
//!
//! **Output contract** of the page text (read by the table builder downstream): one line per
//! visual line; a blank line where the vertical gap says a paragraph ends; every table row is
//! ONE line, its cells separated by a single TAB, empty cells kept, the same number of cells on
//! every row of a table, and a blank line before and after the table (not at the page's end). A cell whose text wraps
//! over several lines is one cell (its lines joined by a space). Hyphens at line ends are left
//! as printed (`text` decides about them). The text holds no TAB outside table rows.
//!
//! Assumptions and limits: coordinates are page space with y growing downwards; at most
//! [`MAX_GLYPHS`] glyphs per page are kept (the caller says so in a warning), and the grid
//! search gives up on pages with more than [`tables::MAX_RULES`] rules, so no input makes the
//! work grow without bound.

mod lines;
mod tables;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use lines::{Atom, Line};

/// Glyphs kept per page; the rest are dropped (a real page holds a few thousand).
pub const MAX_GLYPHS: usize = 200_000;

/// Rules (lines and rectangles) kept per page.
pub const MAX_RECTS: usize = 50_000;

/// Share of the page height, at the top and at the bottom, where running headers and footers
/// are looked for.
pub const MARGIN_BAND: f64 = 0.075;

/// Which way a glyph's advance points on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dir {
    /// Left to right (upright text).
    Right,
    /// Bottom to top (rotated 90° counter-clockwise).
    Up,
    /// Right to left, upside down.
    Left,
    /// Top to bottom (rotated 90° clockwise).
    Down,
}

impl Dir {
    /// The direction closest to an advance vector given in page space (y downwards).
    pub fn of_vector(dx: f64, dy: f64) -> Dir {
        if dx.abs() >= dy.abs() {
            if dx >= 0.0 {
                Dir::Right
            } else {
                Dir::Left
            }
        } else if dy < 0.0 {
            Dir::Up
        } else {
            Dir::Down
        }
    }

    /// Page coordinates → coordinates in which this direction reads left to right, top to
    /// bottom.
    fn frame(self, x: f64, y: f64) -> (f64, f64) {
        match self {
            Dir::Right => (x, y),
            Dir::Up => (-y, x),
            Dir::Left => (-x, -y),
            Dir::Down => (y, -x),
        }
    }
}

/// One drawn glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Origin on the baseline, page space (y downwards).
    pub x: f64,
    pub y: f64,
    /// Advance width along `dir`.
    pub advance: f64,
    /// Font size (height of the em square) on the page.
    pub size: f64,
    pub dir: Dir,
    text: Range<u32>,
}

/// A word formed elsewhere (OCR), upright.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub x0: f64,
    pub x1: f64,
    /// Baseline.
    pub y: f64,
    /// Height of the line the word is on.
    pub size: f64,
    pub text: String,
    /// Recognition confidence, 0–100; negative when unknown.
    pub conf: f64,
    /// Paragraph of the recogniser, when it gave one: a change starts a paragraph.
    pub para: Option<u32>,
}

/// An axis-aligned rectangle drawn on the page (a stroked line is a thin one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// A horizontal or vertical rule: at `at` (y or x), from `a0` to `a1` along it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Seg {
    pub at: f64,
    pub a0: f64,
    pub a1: f64,
}

/// What was drawn on one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageGeometry {
    pub width: f64,
    pub height: f64,
    glyphs: Vec<Glyph>,
    chars: String,
    pub words: Vec<Word>,
    pub rects: Vec<Rect>,
    /// Glyphs or rules were dropped at [`MAX_GLYPHS`] / [`MAX_RECTS`].
    pub truncated: bool,
}

impl PageGeometry {
    pub fn new(width: f64, height: f64) -> PageGeometry {
        PageGeometry {
            width,
            height,
            ..PageGeometry::default()
        }
    }

    /// Records a glyph; glyphs with a position or size that is not a finite number, and those
    /// beyond [`MAX_GLYPHS`], are dropped.
    pub fn push_glyph(&mut self, x: f64, y: f64, advance: f64, size: f64, dir: Dir, text: &str) {
        if !(x.is_finite() && y.is_finite() && advance.is_finite() && size.is_finite()) {
            return;
        }
        if self.glyphs.len() >= MAX_GLYPHS {
            self.truncated = true;
            return;
        }
        let start = self.chars.len() as u32;
        self.chars.push_str(text);
        self.glyphs.push(Glyph {
            x,
            y,
            advance: advance.abs().min(1e4),
            size: size.abs().clamp(0.5, 1e4),
            dir,
            text: start..self.chars.len() as u32,
        });
    }

    /// Records a drawn rectangle (a rule when thin); dropped beyond [`MAX_RECTS`].
    pub fn push_rect(&mut self, rect: Rect) {
        let Rect { x0, y0, x1, y1 } = rect;
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
            return;
        }
        if self.rects.len() >= MAX_RECTS {
            self.truncated = true;
            return;
        }
        self.rects.push(Rect {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        });
    }

    pub fn glyphs(&self) -> &[Glyph] {
        &self.glyphs
    }

    pub fn glyph_text(&self, glyph: &Glyph) -> &str {
        self.chars
            .get(glyph.text.start as usize..glyph.text.end as usize)
            .unwrap_or("")
    }
}

/// A piece of laid-out page, in reading order.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Line(Line),
    /// Rows of cells, all rows the same length.
    Table(Vec<Vec<String>>),
    /// A forced paragraph break (between columns, before rotated text).
    Break,
}

/// The page's items, and which of its lines are in the top or bottom margin band.
struct Laid {
    items: Vec<Item>,
    band: Vec<bool>,
}

/// Renders a non-table line from its words and their confidences.
pub type RenderLine<'a> = dyn Fn(&[(&str, f64)]) -> String + 'a;

/// Text of one page, without looking at other pages (no header or footer removal).
pub fn page_text(page: &PageGeometry) -> String {
    page_text_with(page, &|line: &[(&str, f64)]| plain_line(line))
}

/// [`page_text`], each non-table line rendered by `line` from its words and confidences.
pub fn page_text_with(page: &PageGeometry, line: &RenderLine<'_>) -> String {
    let laid = lay_out(page);
    render(&laid.items, &vec![false; laid.items.len()], line)
}

/// Text of every page of a document, running headers and footers left out.
pub fn document_pages(pages: &[PageGeometry]) -> Vec<String> {
    let laid: Vec<Laid> = pages.iter().map(lay_out).collect();
    let drop = running_lines(&laid);
    laid.iter()
        .zip(drop)
        .map(|(l, d)| render(&l.items, &d, &|line: &[(&str, f64)]| plain_line(line)))
        .collect()
}

fn plain_line(line: &[(&str, f64)]) -> String {
    let mut out = String::new();
    for (w, _) in line {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Lays out one page: upright text with its tables and columns, then each other direction.
fn lay_out(page: &PageGeometry) -> Laid {
    let (horizontals, verticals) = tables::segments(&page.rects, page.width, page.height);
    let mut by_dir: HashMap<Dir, Vec<Atom<'_>>> = HashMap::new();
    for g in &page.glyphs {
        let (x, y) = g.dir.frame(g.x, g.y);
        by_dir.entry(g.dir).or_default().push(Atom {
            x,
            y,
            advance: g.advance,
            size: g.size,
            text: page.glyph_text(g),
            word: None,
        });
    }
    let upright = by_dir.entry(Dir::Right).or_default();
    for w in &page.words {
        upright.push(Atom {
            x: w.x0,
            y: w.y,
            advance: (w.x1 - w.x0).max(0.0),
            size: w.size.max(0.5),
            text: &w.text,
            word: Some((w.conf, w.para)),
        });
    }
    let lines_up = lines::lines(upright, &verticals);
    let mut items = tables::arrange(lines_up, &horizontals, &verticals);
    for dir in [Dir::Up, Dir::Down, Dir::Left] {
        if let Some(atoms) = by_dir.get(&dir) {
            let rotated = lines::lines(atoms, &[]);
            if !rotated.is_empty() {
                items.push(Item::Break);
                items.extend(rotated.into_iter().map(Item::Line));
            }
        }
    }
    let top = page.height * MARGIN_BAND;
    let bottom = page.height * (1.0 - MARGIN_BAND);
    let band = items
        .iter()
        .map(|item| match item {
            Item::Line(l) => page.height > 0.0 && (l.y <= top || l.y - l.size >= bottom),
            _ => false,
        })
        .collect();
    Laid { items, band }
}

/// Per page, per item: is it a running header or footer?
fn running_lines(pages: &[Laid]) -> Vec<Vec<bool>> {
    let key = |l: &Line| {
        let text = l.text();
        let masked: String = text
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect();
        DIGIT_RUNS.replace_all(&masked, "#").into_owned()
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let with_text = pages.iter().filter(|p| !p.items.is_empty()).count();
    for page in pages {
        let mut keys: Vec<String> = page
            .items
            .iter()
            .zip(&page.band)
            .filter_map(|(item, &b)| match item {
                Item::Line(l) if b => Some(key(l)),
                _ => None,
            })
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    pages
        .iter()
        .map(|page| {
            page.items
                .iter()
                .zip(&page.band)
                .map(|(item, &b)| match item {
                    Item::Line(l) if b => {
                        let n = seen.get(&key(l)).copied().unwrap_or(0);
                        (n >= 2 && 2 * n >= with_text) || PAGE_NUMBER.is_match(&l.text())
                    }
                    _ => false,
                })
                .collect()
        })
        .collect()
}

static DIGIT_RUNS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"#+").expect("valid regex"));

/// A line that ends in a page number (`Side 3 af 9`, `Page 3 of 9`, `3/9`, a URL then `3/9`),
/// or is one (`3`, `- 3 -`).
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(^|\s)((side|page|s\.)\s*\d+(\s*(af|of|/)\s*\d+)?|\d+\s*/\s*\d+)$|^[\s\-–]*\d+[\s\-–]*$",
    )
    .expect("valid regex")
});

/// Items → page text (see the output contract in the module doc).
fn render(items: &[Item], drop: &[bool], line: &RenderLine<'_>) -> String {
    let gaps = paragraph_gap(items);
    let mut out = String::new();
    let mut blank_pending = false;
    let mut prev: Option<&Line> = None;
    let push_line = |out: &mut String, text: &str, blank: bool| {
        if blank && !out.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(text);
        out.push('\n');
    };
    for (item, &dropped) in items.iter().zip(drop) {
        if dropped {
            continue;
        }
        match item {
            Item::Line(l) => {
                let words: Vec<(&str, f64)> =
                    l.words.iter().map(|w| (w.text.as_str(), w.conf)).collect();
                let text = line(&words);
                if text.trim().is_empty() {
                    continue;
                }
                let new_para = prev.is_some_and(|p| {
                    let d = l.y - p.y;
                    let para_changed = matches!(
                        (p.words.first().and_then(|w| w.para), l.words.first().and_then(|w| w.para)),
                        (Some(a), Some(b)) if a != b
                    );
                    para_changed || d > gaps.max(1.15 * p.size.max(l.size)) || d < -p.size
                });
                push_line(&mut out, &text, blank_pending || new_para);
                blank_pending = false;
                prev = Some(l);
            }
            Item::Table(rows) => {
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push('\n');
                }
                for row in rows {
                    out.push_str(&row.join("\t"));
                    out.push('\n');
                }
                blank_pending = true;
                prev = None;
            }
            Item::Break => {
                blank_pending = true;
                prev = None;
            }
        }
    }
    out
}

/// Baseline distance above which two consecutive lines are two paragraphs: 1.35 times the
/// usual distance on the page (its lower quartile of line-to-line distances, so that the
/// paragraph gaps themselves do not raise it).
fn paragraph_gap(items: &[Item]) -> f64 {
    let mut dists: Vec<f64> = Vec::new();
    let mut prev: Option<&Line> = None;
    for item in items {
        match item {
            Item::Line(l) => {
                if let Some(p) = prev {
                    let d = l.y - p.y;
                    if d > 0.5 * l.size && d < 3.0 * l.size {
                        dists.push(d / l.size);
                    }
                }
                prev = Some(l);
            }
            _ => prev = None,
        }
    }
    dists.sort_by(f64::total_cmp);
    // Without two lines close enough to tell, single spacing (1.2 em) is assumed.
    let usual = dists.get(dists.len() / 4).copied().unwrap_or(1.2);
    // Returned in points of a typical line: the caller compares with its own sizes.
    let sizes: Vec<f64> = items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l.size),
            _ => None,
        })
        .collect();
    let mut sorted = sizes;
    sorted.sort_by(f64::total_cmp);
    let size = sorted.get(sorted.len() / 2).copied().unwrap_or(10.0);
    1.35 * usual * size
}

#[cfg(test)]
mod tests;
