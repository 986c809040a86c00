//! Glyphs → words → lines: the geometry of one reading direction.
//!
//! Atoms (glyphs, or words already formed by OCR) are clustered into lines by baseline, with a
//! tolerance of [`BASELINE_TOLERANCE`] of the larger font size (so superscripts and subscripts
//! stay in their line), and ordered by x. Neighbouring glyphs of a line make one word unless
//! the horizontal gap between them exceeds [`WORD_GAP`] of the font size, a literal space glyph
//! stands between them, or a vertical rule (a table border) does. Overlapping or kerned glyphs
//! never make a space; a glyph drawn twice at almost the same place (fake bold) is kept once.

use super::Seg;

/// Gap between two glyphs, in font sizes, above which they belong to two words. A space is
/// 0.22–0.28 em in the usual text fonts; kerning moves glyphs by less than 0.1 em.
pub(super) const WORD_GAP: f64 = 0.15;

/// Baseline distance, in font sizes (of the larger glyph), under which two atoms share a line.
const BASELINE_TOLERANCE: f64 = 0.45;

/// A word on a line, in the coordinates of its reading direction (y grows downwards): the same
/// value as a recognised [`super::Word`].
pub(super) type WordBox = super::Word;

/// One visual line: words ordered by x.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    pub y: f64,
    pub size: f64,
    pub words: Vec<WordBox>,
}

impl Line {
    pub fn x0(&self) -> f64 {
        self.words.first().map_or(0.0, |w| w.x0)
    }
    pub fn x1(&self) -> f64 {
        self.words.iter().map(|w| w.x1).fold(f64::MIN, f64::max)
    }
    pub fn text(&self) -> String {
        join_words(self.words.iter())
    }
}

pub(super) fn join_words<'a>(words: impl Iterator<Item = &'a WordBox>) -> String {
    let mut out = String::new();
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.text);
    }
    out
}

/// Something placed on a line: a glyph (merged into words here) or a word formed elsewhere.
#[derive(Debug, Clone)]
pub(super) struct Atom<'a> {
    pub x: f64,
    pub y: f64,
    pub advance: f64,
    pub size: f64,
    pub text: &'a str,
    /// `Some` for a word formed elsewhere (OCR): (confidence, paragraph).
    pub word: Option<(f64, Option<u32>)>,
}

/// Clusters atoms into lines and glyphs into words. `verticals` are vertical rules (x, y0..y1)
/// sorted by x: no word crosses one.
pub(super) fn lines(atoms: &[Atom<'_>], verticals: &[Seg]) -> Vec<Line> {
    let mut out = Vec::new();
    for group in cluster_by_baseline(atoms) {
        let line = words_of_line(atoms, group, verticals);
        if !line.words.is_empty() {
            out.push(line);
        }
    }
    out
}

/// Indices of atoms per line, lines top to bottom.
fn cluster_by_baseline(atoms: &[Atom<'_>]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..atoms.len()).collect();
    order.sort_by(|&a, &b| atoms[a].y.total_cmp(&atoms[b].y));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    // The line's baseline is that of its largest atom so far: a superscript that comes first
    // in y order does not set it.
    let (mut ref_y, mut ref_size) = (0.0f64, 0.0f64);
    for i in order {
        let a = &atoms[i];
        if !current.is_empty() && (a.y - ref_y).abs() > BASELINE_TOLERANCE * ref_size.max(a.size) {
            groups.push(std::mem::take(&mut current));
        }
        if current.is_empty() || a.size > ref_size {
            ref_y = a.y;
            ref_size = a.size;
        }
        current.push(i);
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

fn words_of_line(atoms: &[Atom<'_>], mut group: Vec<usize>, verticals: &[Seg]) -> Line {
    group.sort_by(|&a, &b| atoms[a].x.total_cmp(&atoms[b].x));
    // Baseline and size of the line: those of its largest atom.
    let (y, size) =
        group
            .iter()
            .map(|&i| (atoms[i].y, atoms[i].size))
            .fold(
                (0.0, 0.0),
                |acc, (y, s)| if s > acc.1 { (y, s) } else { acc },
            );
    let mut words: Vec<WordBox> = Vec::new();
    // The word being built: its box, and the last glyph (for duplicate detection).
    let mut open: Option<(WordBox, f64, &str)> = None;
    let mut space_seen = false;
    for &i in &group {
        let a = &atoms[i];
        if let Some((conf, para)) = a.word {
            if let Some((w, _, _)) = open.take() {
                words.push(w);
            }
            words.push(WordBox {
                x0: a.x,
                x1: a.x + a.advance,
                y,
                size,
                text: a.text.to_string(),
                conf,
                para,
            });
            continue;
        }
        if a.text.chars().all(char::is_whitespace) {
            space_seen = true;
            continue;
        }
        if let Some((w, last_x, last_text)) = &mut open {
            let gap = a.x - w.x1;
            let duplicate = *last_text == a.text
                && (a.x - *last_x).abs() < 0.3 * a.advance.max(0.05 * a.size)
                && gap < 0.0;
            if duplicate {
                continue;
            }
            let split = space_seen && gap > -0.3 * a.size
                || gap > WORD_GAP * a.size.max(w.size)
                || rule_between(verticals, w.x1.min(a.x), a.x.max(w.x1), a.y, a.size);
            if !split {
                w.text.push_str(a.text);
                w.x1 = w.x1.max(a.x + a.advance);
                *last_x = a.x;
                *last_text = a.text;
                space_seen = false;
                continue;
            }
        }
        if let Some((w, _, _)) = open.take() {
            words.push(w);
        }
        space_seen = false;
        open = Some((
            WordBox {
                x0: a.x,
                x1: a.x + a.advance,
                y,
                size,
                text: a.text.to_string(),
                conf: -1.0,
                para: None,
            },
            a.x,
            a.text,
        ));
    }
    if let Some((w, _, _)) = open {
        words.push(w);
    }
    Line { y, size, words }
}

/// Is there a vertical rule with x in `[from, to]` (widened a little) that spans baseline `y`?
fn rule_between(verticals: &[Seg], from: f64, to: f64, y: f64, size: f64) -> bool {
    if verticals.is_empty() {
        return false;
    }
    let start = verticals.partition_point(|s| s.at < from - 0.5);
    verticals[start..]
        .iter()
        .take_while(|s| s.at <= to + 0.5)
        .any(|s| s.a0 <= y && s.a1 >= y - 0.5 * size)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(x: f64, advance: f64, text: &str) -> Atom<'_> {
        Atom {
            x,
            y: 100.0,
            advance,
            size: 10.0,
            text,
            word: None,
        }
    }

    fn line_text(atoms: &[Atom<'_>]) -> Vec<String> {
        lines(atoms, &[]).iter().map(Line::text).collect()
    }

    #[test]
    fn kerned_glyphs_make_no_space_and_a_real_gap_does() {
        // `W` then `e` kerned 0.8 pt to the left, `b` 1 pt (0.1 em) to the right of `e`.
        let atoms = [
            glyph(0.0, 9.4, "W"),
            glyph(8.6, 5.5, "e"),
            glyph(15.1, 5.5, "b"),
            glyph(23.4, 6.0, "S"),
        ];
        assert_eq!(line_text(&atoms), ["Web S"]);
    }

    #[test]
    fn a_literal_space_glyph_separates_words_even_when_narrow() {
        let atoms = [
            glyph(0.0, 5.0, "a"),
            glyph(5.0, 0.5, " "),
            glyph(5.5, 5.0, "b"),
        ];
        assert_eq!(line_text(&atoms), ["a b"]);
    }

    #[test]
    fn superscripts_stay_in_their_line_and_fake_bold_is_read_once() {
        let mut sup = glyph(10.0, 3.0, "1");
        sup.y = 96.5;
        sup.size = 6.0;
        let atoms = [
            glyph(0.0, 5.0, "x"),
            glyph(5.0, 5.0, "y"),
            sup,
            glyph(5.3, 5.0, "y"),
            Atom {
                y: 114.0,
                ..glyph(0.0, 5.0, "z")
            },
        ];
        assert_eq!(line_text(&atoms), ["xy1", "z"]);
    }

    #[test]
    fn no_word_crosses_a_vertical_rule() {
        let rule = Seg {
            at: 10.5,
            a0: 80.0,
            a1: 110.0,
        };
        let atoms = [glyph(5.0, 5.0, "a"), glyph(11.0, 5.0, "b")];
        let texts: Vec<String> = lines(&atoms, &[rule]).iter().map(Line::text).collect();
        assert_eq!(texts, ["a b"]);
    }
}
