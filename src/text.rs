//! Normalising page texts: the `text` stage turns the raw page texts of one document (one string
//! per page, as `source` read them from a PDF or a text file) into one [`NormalisedText`]: a
//! single string in which later stages can find clause numbers at line starts, plus a map from
//! byte offsets back to pages.
//!
//! What it does, in this order:
//!
//! 1. **Characters.** A form feed splits a page text into two pages (so a whole text file may be
//!    passed as one page; a single form feed at the very end of a page text only ends that page,
//!    as `pdftotext` writes one after every page). Then: CRLF and lone CR become LF (so do the
//!    Unicode line/paragraph separators U+2028/U+2029 and NEL U+0085); NBSP and the other
//!    Unicode spaces (U+2000–U+200A, U+202F, U+205F, U+3000) become a plain space; a TAB inside
//!    a line stays (it separates table cells, see [`crate::tables`]), one that only indents a
//!    line becomes a space; the
//!    ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ are expanded; soft hyphens and zero-width characters (U+200B–U+200D,
//!    U+2060, U+FEFF) and all other control characters are removed; the result is put in Unicode
//!    NFC. Trailing spaces and TABs on each line are removed.
//! 2. **Running headers, footers and page numbers.** A line that is only a page marker
//!    (`Side: 7`, `Side 3 af 12`, `side 3/12`, `Page 3 of 12`) is removed wherever it stands;
//!    `- 3 -` and `3/12` only as the first or last non-empty line of a page, and a bare number
//!    (`7`) likewise, and only in a document of more than one page. Then, in a document of two or
//!    more pages, a line that stands among the first 3 or last 3 non-empty lines of at least half
//!    of the non-empty pages (and of at least 2 pages) is a running header or footer and is
//!    removed from those positions; lines are compared after trimming, collapsing runs of
//!    whitespace and replacing every run of ASCII digits with `#` (so `Fortroligt – side 4` on
//!    every page matches). Lines that start with a clause number (`1. Indledning`, `3.4`, `A.1`)
//!    lines that are one long number (5+ digits: a CVR or phone number in a table) and table rows
//!    (cells separated by TAB) are never taken for headers or footers.
//! 3. **De-hyphenation.** A line ending in a letter or digit plus `-` (or U+2010) whose next line
//!    starts with a letter or digit gets the next line appended. The hyphen is dropped only
//!    where the layout split a word (`Par-`/`terne` → `Parterne`): the next line starts in lower
//!    case and none of these holds, each of which keeps the hyphen because it belongs to the
//!    word: a digit on either side of the break or after a hyphen in the next word
//!    (`ISO27001-certificering`, `ISO-`/`27001`, `eu-`/`central-1`); the part before the hyphen is an upper-case/digit token (`EU-retten`)
//!    or one or two letters (`e-`/`mail`); the hyphenated form occurs elsewhere in the same
//!    document (`e-conomic`, `Microsoft-konto`, compared without case); the next line starts in
//!    upper case (`Europa-Parlamentets`). The hyphen is kept and a space added when the next
//!    line starts with `og`, `eller`, `samt`, `and` or `or` (`udviklings- og
//!    konfigurationsopgaver`). A blank line stops this; a page break does not (headers and
//!    footers are gone by then), and a next line that starts with a clause number is never
//!    joined.
//! 4. **Blank lines.** Lines holding only whitespace become empty; runs of blank lines collapse
//!    to one; blank lines at the start and end of each page are dropped. Lines are otherwise not
//!    reflowed, because line starts carry meaning (clause numbers) for `segment`.
//! 5. **Pages** are joined with a blank line (`"\n\n"`). `page_starts` has one entry per page
//!    after form-feed splitting; an empty page gets the offset where the next non-empty page
//!    starts (or `text.len()` at the end).
//!
//! Assumptions: the input is already decoded text (encoding is `source`'s job); running headers
//! and footers sit at the top or bottom of a page text, as PDF text extraction and OCR give them;
//! no OCR spelling repair is attempted and every other character is kept as it is. The stage is
//! linear in the size of the input and never panics.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

use crate::record::NormalisedText;

/// A page marker that is removed wherever it stands: `Side: 7`, `Side 3 af 12`, `Page 3 of 12`.
static PAGE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:side|page)\s*[:.]?\s*\d{1,4}(?:\s*(?:af|of|/)\s*\d{1,4})?$")
        .expect("page marker regex is valid")
});

/// A page marker that is removed only as the first or last line of a page: `- 3 -`, `3/12`.
static EDGE_PAGE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*/\s*\d{1,4})$")
        .expect("edge page marker regex is valid")
});

/// A line that starts with a clause number: `1. Indledning`, `3.4 Sikkerhed`, `A.1`,
/// `14.3.4.Tredjelande`. Dates (`12.10.2023`) and versions (`2024.1`) do not match.
static CLAUSE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,3}|[A-Z])(?:(?:\.\d{1,3})+\.?|\.)(?:\s|\p{L}|$)")
        .expect("clause start regex is valid")
});

/// Longest trimmed line that is tested against the page marker patterns.
const MAX_MARKER_LEN: usize = 40;

/// How many non-empty lines at the top and at the bottom of a page may be running lines.
const EDGE_LINES: usize = 3;

/// Normalise the raw page texts of one document (see module doc).
pub fn normalise(pages: &[String]) -> NormalisedText {
    let raw_pages = split_form_feeds(pages);
    let page_count = raw_pages.len();
    let mut pages: Vec<Vec<String>> = raw_pages.into_iter().map(clean_lines).collect();
    let multi_page = page_count > 1;
    for page in &mut pages {
        remove_page_markers(page, multi_page);
    }
    remove_running_lines(&mut pages);
    let lines = dehyphenate(pages);
    assemble(page_count, &lines)
}

/// Splits every page text at form feeds; a single form feed at the very end of a page text only
/// ends that page and does not open an empty one.
fn split_form_feeds(pages: &[String]) -> Vec<&str> {
    let mut out = Vec::with_capacity(pages.len());
    for page in pages {
        let body = page.strip_suffix('\u{c}').unwrap_or(page);
        out.extend(body.split('\u{c}'));
    }
    out
}

/// Rule 1 for one page: character clean-up and NFC, then the lines without trailing spaces.
fn clean_lines(raw: &str) -> Vec<String> {
    let mut mapped = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                mapped.push('\n');
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => mapped.push('\n'),
            '\t' => mapped.push('\t'),
            '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
                mapped.push(' ')
            }
            '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            '\u{fb00}' => mapped.push_str("ff"),
            '\u{fb01}' => mapped.push_str("fi"),
            '\u{fb02}' => mapped.push_str("fl"),
            '\u{fb03}' => mapped.push_str("ffi"),
            '\u{fb04}' => mapped.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => mapped.push_str("st"),
            c if c.is_control() => {}
            c => mapped.push(c),
        }
    }
    // NFC after the mapping: composition never produces any of the characters removed or
    // mapped above, and a removed character can no longer stand between a base and its mark.
    // Most text is NFC already, which a quick check (no allocation) says for most inputs.
    let nfc: std::borrow::Cow<str> =
        if unicode_normalization::is_nfc_quick(mapped.chars()) == IsNormalized::Yes {
            std::borrow::Cow::Borrowed(&mapped)
        } else {
            std::borrow::Cow::Owned(mapped.nfc().collect())
        };
    let mut previous_row = false;
    nfc.split('\n')
        .map(|line| {
            let (kept, row) = keep_cell_tabs(line, previous_row);
            previous_row = row;
            kept
        })
        .collect()
}

/// A line without trailing spaces, and whether it is a row of TAB-separated cells. TABs between
/// cells stay (they separate the cells of a table row for the `tables` stage), and so does a
/// leading or trailing TAB right under such a row (an empty first or last cell); a TAB that only
/// indents a line or trails it, as in prose, becomes a space and trailing ones go.
fn keep_cell_tabs(line: &str, previous_row: bool) -> (String, bool) {
    let line = line.trim_end_matches(' ');
    if !line.contains('\t') {
        return (line.to_string(), false);
    }
    let inner = line.trim_matches([' ', '\t']).contains('\t');
    if (inner || previous_row) && !line.trim().is_empty() {
        return (line.to_string(), true);
    }
    (line.replace('\t', " ").trim_end().to_string(), false)
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Index of the first and the last non-blank line of a page.
fn content_bounds(page: &[String]) -> Option<(usize, usize)> {
    let first = page.iter().position(|l| !is_blank(l))?;
    let last = page.iter().rposition(|l| !is_blank(l))?;
    Some((first, last))
}

/// Rule 2, page numbers: markers anywhere, then markers that only count at the page's edges.
fn remove_page_markers(page: &mut Vec<String>, multi_page: bool) {
    page.retain(|line| {
        let t = line.trim();
        !(t.len() <= MAX_MARKER_LEN && PAGE_MARKER.is_match(t))
    });
    let Some((first, last)) = content_bounds(page) else {
        return;
    };
    let mut index = 0;
    page.retain(|line| {
        let i = index;
        index += 1;
        if i != first && i != last {
            return true;
        }
        let t = line.trim();
        let marker = t.len() <= MAX_MARKER_LEN
            && (EDGE_PAGE_MARKER.is_match(t) || (multi_page && is_bare_page_number(t)));
        !marker
    });
}

fn is_bare_page_number(t: &str) -> bool {
    (1..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

/// Indices of the first and last [`EDGE_LINES`] non-blank lines of a page, ascending, no
/// duplicates.
fn edge_positions(page: &[String]) -> Vec<usize> {
    let mut positions: Vec<usize> = page
        .iter()
        .enumerate()
        .filter(|(_, l)| !is_blank(l))
        .map(|(i, _)| i)
        .take(EDGE_LINES)
        .collect();
    let bottom: Vec<usize> = page
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, l)| !is_blank(l))
        .map(|(i, _)| i)
        .take(EDGE_LINES)
        .collect();
    positions.extend(bottom);
    positions.sort_unstable();
    positions.dedup();
    positions
}

/// The key under which lines are compared for the running-line rule, or `None` for a line that
/// must never be taken for a header or footer.
fn running_key(line: &str) -> Option<String> {
    let t = line.trim();
    // A table row (cells separated by TAB) is never a running line: a header row repeated on
    // every page belongs to its table, which drops the repeats itself.
    if t.is_empty() || t.contains('\t') || CLAUSE_START.is_match(t) {
        return None;
    }
    if t.len() >= 5 && t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut key = String::with_capacity(t.len());
    let mut in_digits = false;
    let mut in_space = false;
    for c in t.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                key.push('#');
            }
            in_digits = true;
            in_space = false;
        } else if c.is_whitespace() {
            if !in_space {
                key.push(' ');
            }
            in_space = true;
            in_digits = false;
        } else {
            key.push(c);
            in_digits = false;
            in_space = false;
        }
    }
    Some(key)
}

/// Rule 2, running headers and footers.
fn remove_running_lines(pages: &mut [Vec<String>]) {
    if pages.len() < 2 {
        return;
    }
    // (line index, key) of the candidate lines of each page.
    let candidates: Vec<Vec<(usize, String)>> = pages
        .iter()
        .map(|page| {
            edge_positions(page)
                .into_iter()
                .filter_map(|i| page.get(i).and_then(|l| running_key(l)).map(|k| (i, k)))
                .collect()
        })
        .collect();
    let non_empty_pages = pages
        .iter()
        .filter(|page| page.iter().any(|l| !is_blank(l)))
        .count();
    let mut pages_with_key: HashMap<&str, usize> = HashMap::new();
    for page in &candidates {
        let mut seen: Vec<&str> = Vec::with_capacity(page.len());
        for (_, key) in page {
            if !seen.contains(&key.as_str()) {
                seen.push(key);
                *pages_with_key.entry(key).or_insert(0) += 1;
            }
        }
    }
    let threshold = non_empty_pages.div_ceil(2).max(2);
    for (page, page_candidates) in pages.iter_mut().zip(&candidates) {
        let remove: Vec<usize> = page_candidates
            .iter()
            .filter(|(_, key)| pages_with_key.get(key.as_str()).copied().unwrap_or(0) >= threshold)
            .map(|(i, _)| *i)
            .collect();
        if remove.is_empty() {
            continue;
        }
        let mut index = 0;
        page.retain(|_| {
            let keep = !remove.contains(&index);
            index += 1;
            keep
        });
    }
}

/// Rule 3 over the whole document: returns (page index, line) pairs, without blank lines at the
/// start or end of any page.
fn dehyphenate(pages: Vec<Vec<String>>) -> Vec<(usize, String)> {
    let hyphenated = hyphenated_words(&pages);
    let mut out: Vec<(usize, String)> = Vec::new();
    for (p, page) in pages.into_iter().enumerate() {
        let Some((first, last)) = content_bounds(&page) else {
            continue;
        };
        for line in page.into_iter().take(last + 1).skip(first) {
            if is_blank(&line) {
                out.push((p, String::new()));
                continue;
            }
            if let Some((_, prev)) = out.last_mut() {
                if !prev.is_empty() && join_hyphenated(prev, &line, &hyphenated) {
                    continue;
                }
            }
            out.push((p, line));
        }
    }
    out
}

/// Words of the document written with a hyphen inside (`e-conomic`), lower-cased and without
/// surrounding punctuation: the forms a line-end hyphen keeps.
fn hyphenated_words(pages: &[Vec<String>]) -> std::collections::HashSet<String> {
    let mut words = std::collections::HashSet::new();
    for line in pages.iter().flatten() {
        for token in line.split_whitespace() {
            let word = token.trim_matches(|c: char| !c.is_alphanumeric());
            if word.contains(['-', '\u{2010}']) {
                words.insert(word.replace('\u{2010}', "-").to_lowercase());
            }
        }
    }
    words
}

/// Appends `next` to `prev` when `prev` ends in a hyphenated word that `next` continues (rule
/// 3); returns whether it did. `hyphenated`: the document's words written with a hyphen.
fn join_hyphenated(
    prev: &mut String,
    next: &str,
    hyphenated: &std::collections::HashSet<String>,
) -> bool {
    let mut back = prev.chars().rev();
    let Some(hyphen) = back.next() else {
        return false;
    };
    if hyphen != '-' && hyphen != '\u{2010}' {
        return false;
    }
    let Some(before) = back.next() else {
        return false;
    };
    if !before.is_alphanumeric() {
        return false;
    }
    let next = next.trim_start();
    let Some(first) = next.chars().next() else {
        return false;
    };
    if !first.is_alphanumeric() || CLAUSE_START.is_match(next) {
        return false;
    }
    if starts_with_conjunction(next) {
        prev.push(' ');
        prev.push_str(next);
        return true;
    }
    // The part before the hyphen, back to the previous hyphen or space (the scan stops at the
    // first character that is not a letter or digit, so it never walks back over a join).
    let part: Vec<char> = std::iter::once(before)
        .chain(back)
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let acronym = part.iter().all(|c| c.is_uppercase() || c.is_numeric());
    let next_word = next
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    // A digit at the break, or in a hyphenated part of the next word (`central-1`); not any
    // digit in the next token (`len.3.4.2` is a word and a clause number run together).
    let digit_start = |p: &str| p.starts_with(|c: char| c.is_numeric());
    let with_digit = part.first().is_some_and(|c| c.is_numeric())
        || digit_start(next_word)
        || next_word.split('-').skip(1).any(digit_start);
    let token_start = prev[..prev.len() - hyphen.len_utf8()]
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + 1);
    let token = prev[token_start..prev.len() - hyphen.len_utf8()]
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .replace('\u{2010}', "-");
    let seen = hyphenated.contains(&format!("{token}-{next_word}").to_lowercase());
    let split_by_layout =
        first.is_lowercase() && !acronym && !with_digit && part.len() > 2 && !seen;
    if split_by_layout {
        prev.pop();
    }
    prev.push_str(next);
    true
}

fn starts_with_conjunction(line: &str) -> bool {
    crate::analysis::words::CONJUNCTIONS.iter().any(|word| {
        line.strip_prefix(word)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
    })
}

/// Rules 4 and 5: collapse blank lines, join pages and build the page map.
fn assemble(page_count: usize, lines: &[(usize, String)]) -> NormalisedText {
    let capacity = lines.iter().map(|(_, l)| l.len() + 2).sum();
    let mut text = String::with_capacity(capacity);
    let mut starts: Vec<Option<usize>> = vec![None; page_count];
    let mut current: Option<usize> = None;
    let mut pending_blank = false;
    for (p, line) in lines {
        if current != Some(*p) {
            // Pages start with a non-blank line (see `dehyphenate`), but a page whose first
            // line was joined onto the previous page may now start with a blank one.
            if line.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            if let Some(slot) = starts.get_mut(*p) {
                *slot = Some(text.len());
            }
            current = Some(*p);
            pending_blank = false;
        } else if line.is_empty() {
            pending_blank = true;
            continue;
        } else {
            text.push('\n');
            if pending_blank {
                text.push('\n');
            }
            pending_blank = false;
        }
        text.push_str(line);
    }
    let mut next = text.len();
    let page_starts = starts
        .into_iter()
        .rev()
        .map(|start| {
            if let Some(s) = start {
                next = s;
            }
            next
        })
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    NormalisedText { text, page_starts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn norm(pages: &[&str]) -> NormalisedText {
        let pages: Vec<String> = pages.iter().map(|p| p.to_string()).collect();
        normalise(&pages)
    }

    fn text(pages: &[&str]) -> String {
        norm(pages).text
    }

    // Rule 1: characters.

    #[test]
    fn nfc_composes_and_keeps_danish_letters() {
        // `a` + combining ring, `o` + combining stroke is not canonical (ø has no decomposition).
        let out = text(&["Behandling pa\u{30a} vegne af Databehandleren, æøå ÆØÅ, e\u{301}"]);
        assert_eq!(out, "Behandling på vegne af Databehandleren, æøå ÆØÅ, é");
    }

    #[test]
    fn ligatures_are_expanded() {
        let out = text(&[
            "\u{fb01}rma \u{fb02}ytning o\u{fb00}entlig e\u{fb03}cient ba\u{fb04}e \u{fb05}ed \u{fb06}ik",
        ]);
        assert_eq!(out, "firma flytning offentlig efficient baffle sted stik");
    }

    #[test]
    fn soft_hyphens_and_zero_width_characters_are_removed() {
        let out = text(&[
            "Data\u{ad}behandler\u{200b}aftale \u{feff}for\u{200c}tro\u{200d}lig\u{2060}hed",
        ]);
        assert_eq!(out, "Databehandleraftale fortrolighed");
    }

    #[test]
    fn unicode_spaces_become_plain_spaces_and_cell_tabs_stay() {
        let out = text(&[
            "Bilag\u{a0}1 under\u{2009}data\u{202f}behandlere\u{3000}i\u{2003}EU\u{205f}ok",
        ]);
        assert_eq!(out, "Bilag 1 under data behandlere i EU ok");
        assert_eq!(
            text(&["Navn\tLand\nA\t\tDK\n\tSE\nB\t"]),
            "Navn\tLand\nA\t\tDK\n\tSE\nB\t"
        );
        assert_eq!(
            text(&["Tekst med en tabulator til sidst\t"]),
            "Tekst med en tabulator til sidst"
        );
        assert_eq!(text(&["\tIndrykket tekst"]), " Indrykket tekst");
    }

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        let out = text(&["1. Indledning\r\nDenne aftale\rgælder\r\n\r\n2. Omfang"]);
        assert_eq!(out, "1. Indledning\nDenne aftale\ngælder\n\n2. Omfang");
    }

    #[test]
    fn control_characters_are_removed_and_trailing_spaces_trimmed() {
        let out = text(&["Tav\u{7}sheds\u{1b}pligt\u{0} \u{7f}  \nfølger   \n  indrykket"]);
        assert_eq!(out, "Tavshedspligt\nfølger\n  indrykket");
    }

    // Rule 2: page numbers.

    #[test]
    fn side_marker_is_removed_mid_text_in_one_page_document() {
        let out = text(&["tale, skal regnes som et direkte tab.\n Side: 7\n\nParternes ansvar"]);
        assert_eq!(
            out,
            "tale, skal regnes som et direkte tab.\n\nParternes ansvar"
        );
    }

    #[test]
    fn page_marker_variants_are_removed_anywhere() {
        let out =
            text(&["første\nSide 7\nanden\nside 3/12\ntredje\nPage 3 of 12\nfjerde\nSIDE 2 AF 9"]);
        assert_eq!(out, "første\nanden\ntredje\nfjerde");
    }

    #[test]
    fn side_af_footer_is_removed_on_every_page() {
        let out = text(&[
            "Databehandleren skal sikre fortrolighed.\nSide 1 af 2",
            "Underdatabehandlere godkendes skriftligt.\nSide 2 af 2",
        ]);
        assert_eq!(
            out,
            "Databehandleren skal sikre fortrolighed.\n\nUnderdatabehandlere godkendes skriftligt."
        );
    }

    #[test]
    fn edge_markers_only_at_first_or_last_line() {
        let out = text(&["- 3 -\nprisen er\n3/12\naf beløbet\n- 4 -\nslut\n3/12"]);
        assert_eq!(out, "prisen er\n3/12\naf beløbet\n- 4 -\nslut");
    }

    #[test]
    fn bare_number_removed_at_page_edges_only_in_multi_page_documents() {
        let one = text(&["7\nPunkt syv gælder.\n12"]);
        assert_eq!(one, "7\nPunkt syv gælder.\n12");
        let two = text(&[
            "1\nPersondata behandles.\n24\ntimer\n2",
            "Sletning sker.\n3",
        ]);
        assert_eq!(two, "Persondata behandles.\n24\ntimer\n\nSletning sker.");
    }

    #[test]
    fn long_numbers_in_tables_are_not_page_numbers_or_footers() {
        let out = text(&[
            "Amazon Web Services\n30502566",
            "Microsoft Danmark ApS\n13612870",
        ]);
        assert!(out.contains("30502566") && out.contains("13612870"));
    }

    // Rule 2: running headers and footers.

    #[test]
    fn title_repeated_at_page_tops_is_removed() {
        let out = text(&[
            "Databehandleraftale\nStandardkontraktbestemmelser\nTekst på side et.",
            "Databehandleraftale\nTekst på side to.",
            "Databehandleraftale\n\nTekst på side tre.",
        ]);
        assert!(!out.contains("Databehandleraftale"), "{out}");
        assert!(out.contains("Standardkontraktbestemmelser"));
        assert!(out.contains("Tekst på side tre."));
    }

    #[test]
    fn title_occurring_once_is_kept() {
        let out = text(&[
            "Databehandleraftale\nTekst på side et.",
            "Tekst på side to.",
            "Tekst på side tre.",
        ]);
        assert!(out.starts_with("Databehandleraftale\n"), "{out}");
    }

    #[test]
    fn footers_with_changing_numbers_are_removed() {
        let out = text(&[
            "Indhold på første side\nFortroligt – side 1\nVersion 2024.1",
            "Indhold på anden side\nFortroligt – side 2\nVersion 2024.1",
            "Indhold på tredje side\nFortroligt – side 3\nVersion 2024.1",
        ]);
        assert_eq!(
            out,
            "Indhold på første side\n\nIndhold på anden side\n\nIndhold på tredje side"
        );
    }

    #[test]
    fn running_line_needs_half_the_pages() {
        let pages = [
            "Fælles linje\nside et",
            "anden side",
            "tredje side",
            "fjerde side",
            "femte side\nFælles linje",
        ];
        // Two of five pages is less than half: kept.
        let out = text(&pages);
        assert_eq!(out.matches("Fælles linje").count(), 2, "{out}");
    }

    #[test]
    fn clause_lines_repeated_at_page_tops_are_kept() {
        let out = text(&[
            "1. Indledning\nførste side",
            "1. Indledning\nanden side",
            "1. Indledning\ntredje side",
            "A.1 Bilag\nfjerde side",
            "A.1 Bilag\nfemte side",
            "3.4 Sikkerhed\nsjette side",
            "3.4 Sikkerhed\nsyvende side",
        ]);
        assert_eq!(out.matches("1. Indledning").count(), 3, "{out}");
        assert_eq!(out.matches("A.1 Bilag").count(), 2, "{out}");
        assert_eq!(out.matches("3.4 Sikkerhed").count(), 2, "{out}");
    }

    #[test]
    fn repeated_line_outside_edges_is_kept() {
        let body = "a\nb\nc\nDen Dataansvarlige\nd\ne\nf";
        let out = text(&[body, body, body]);
        assert_eq!(out.matches("Den Dataansvarlige").count(), 3, "{out}");
        assert!(!out.contains("\na\n") && !out.contains("f\n"), "{out}");
    }

    #[test]
    fn clause_start_pattern() {
        for yes in [
            "1. Indledning",
            "3.4 Sikkerhed",
            "A.1 Bilag",
            "14.3.4.Tredjelande",
            "2.1.",
        ] {
            assert!(CLAUSE_START.is_match(yes), "{yes}");
        }
        for no in [
            "12.10.2023 Aftale",
            "2024.1",
            "Version 2024.1",
            "I henhold",
            "7 Fortroligt",
        ] {
            assert!(!CLAUSE_START.is_match(no), "{no}");
        }
    }

    // Rule 3: de-hyphenation.

    #[test]
    fn hyphen_removed_before_lower_case_continuation() {
        let out = text(&["hvorfor Par-\nterne har indgået\nDatabe-\nhandleren skal"]);
        assert_eq!(out, "hvorfor Parterne har indgået\nDatabehandleren skal");
    }

    #[test]
    fn hyphen_kept_after_acronym_or_before_upper_case() {
        let out = text(&[
            "krævet af EU-\nretten eller\nIT-\nsystemer og\nISO27001-\ncertificering i\nEuropa-\nParlamentets forordning",
        ]);
        assert_eq!(
            out,
            "krævet af EU-retten eller\nIT-systemer og\nISO27001-certificering i\nEuropa-Parlamentets forordning"
        );
    }

    #[test]
    fn suspended_compound_keeps_hyphen_and_gets_a_space() {
        let out = text(&[
            "udviklings-\nog konfigurationsopgaver\nadgangs-\neller logningskontrol\nIT-\nsamt telefoni\ndata-\norganisatoriske",
        ]);
        assert_eq!(
            out,
            "udviklings- og konfigurationsopgaver\nadgangs- eller logningskontrol\nIT- samt telefoni\ndataorganisatoriske"
        );
    }

    #[test]
    fn hyphen_kept_where_it_belongs_to_the_word() {
        let out = text(&[
            "regionen eu-\ncentral-1 og\nISO-\n27001 samt e-\nmail og Visma e-\nconomic. Visma e-conomic\nbruger en Microsoft-\nkonto og en Microsoft-konto",
        ]);
        assert_eq!(
            out,
            "regionen eu-central-1 og\nISO-27001 samt e-mail og Visma e-conomic. Visma e-conomic\nbruger en Microsoft-konto og en Microsoft-konto"
        );
    }

    #[test]
    fn hyphen_join_chains_and_u2010() {
        let out = text(&["databe-\nhandler\u{2010}\naf-\ntale"]);
        assert_eq!(out, "databehandleraftale");
    }

    #[test]
    fn no_join_over_blank_line_dash_or_clause_number() {
        let out = text(&["Par-\n\nterne\nbeløb -\nbetales\ntil-\n2. Omfang\nog-\nA.1 Bilag"]);
        assert_eq!(
            out,
            "Par-\n\nterne\nbeløb -\nbetales\ntil-\n2. Omfang\nog-\nA.1 Bilag"
        );
    }

    #[test]
    fn hyphen_join_across_page_break() {
        let doc = norm(&[
            "Databehandleraftale\nhvorfor Par-\nSide 1 af 2",
            "Databehandleraftale\nterne har aftalt\nfølgende.",
        ]);
        assert_eq!(doc.text, "hvorfor Parterne har aftalt\n\nfølgende.");
        assert_eq!(doc.page_starts, vec![0, doc.text.len() - "følgende.".len()]);
    }

    // Rule 4: blank lines.

    #[test]
    fn blank_lines_collapse_and_page_edges_are_trimmed() {
        let out = text(&["\n\n  \nførste\n\n\n\t\nanden\n\n\n", "\n\ntredje\n\n"]);
        assert_eq!(out, "første\n\nanden\n\ntredje");
    }

    // Rule 5: pages and page map.

    #[test]
    fn form_feed_splits_pages_and_page_map_finds_words() {
        let doc = norm(&["Indledning på side et.\u{c}Sletning på side to.\n"]);
        assert_eq!(doc.text, "Indledning på side et.\n\nSletning på side to.");
        assert_eq!(doc.page_starts.len(), 2);
        let offset = doc.text.find("Sletning").unwrap_or(usize::MAX);
        assert_eq!(doc.page_at(offset), 2);
        assert_eq!(doc.page_at(0), 1);
        assert_eq!(doc.page_at(doc.text.find("et.").unwrap_or(usize::MAX)), 1);
    }

    #[test]
    fn trailing_form_feed_does_not_add_a_page() {
        let doc = norm(&["side et\u{c}side to\u{c}"]);
        assert_eq!(doc.page_starts.len(), 2);
        let doc = norm(&["side et\u{c}\u{c}side tre"]);
        assert_eq!(doc.page_starts.len(), 3);
    }

    #[test]
    fn empty_pages_get_the_next_pages_offset() {
        let doc = norm(&["", "første", "\n \n", "Side 3 af 4", "anden", ""]);
        assert_eq!(doc.text, "første\n\nanden");
        // "første" is 7 bytes, so "anden" starts at 9 and the text is 14 bytes long.
        assert_eq!(doc.page_starts, vec![0, 0, 9, 9, 9, 14]);
        assert_eq!(doc.page_at(9), 5);
        assert_eq!(doc.page_at(3), 2);
    }

    #[test]
    fn no_pages_and_empty_pages() {
        let doc = normalise(&[]);
        assert_eq!(doc, NormalisedText::default());
        let doc = norm(&["", "\u{c}"]);
        assert_eq!(doc.text, "");
        assert_eq!(doc.page_starts, vec![0, 0]);
    }

    // The real seed file.

    #[test]
    fn seed_file_001() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/001_a01309c27944fe2b.txt"
        );
        let raw = match std::fs::read_to_string(path) {
            Ok(raw) => raw,
            Err(e) => panic!("cannot read seed file {path}: {e}"),
        };
        let doc = normalise(&[raw]);
        assert!(!doc.text.contains("Side: 7"));
        assert!(
            doc.text.contains("hvorfor Parterne har"),
            "Par-/terne not joined"
        );
        assert!(!doc.text.contains("Par-\nterne"));
        assert!(doc.text.contains("EU-retten"));
        assert!(doc.text.contains("Europa-Parlamentets"));
        assert!(doc.text.contains("\n2. OMFANG\n"));
        assert_eq!(doc.page_starts, vec![0]);
    }

    #[test]
    fn large_input_is_handled() {
        let page = "Databehandleraftale\n1.2. Databe-\nhandleren behandler personoplysninger på vegne af den Dataansvarlige, hvorfor Par-\nterne har indgået denne aftale om EU-\nretten.\n\n\n".repeat(40);
        let pages: Vec<String> = (0..80).map(|i| format!("{page}Side {i} af 80")).collect();
        let doc = normalise(&pages);
        assert_eq!(doc.page_starts.len(), 80);
        assert!(doc.text.contains("Databehandleren behandler"));
        // A long chain of hyphenated lines and one huge line.
        let chain = "ab-\n".repeat(50_000) + &"Æ".repeat(100_000) + "-\nslut";
        let doc = normalise(&[chain]);
        assert!(doc.text.ends_with("-slut") || doc.text.ends_with("slut"));
    }

    // Properties.

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<char>().prop_map(String::from),
            prop::sample::select(vec![
                "\n",
                "\r",
                "\r\n",
                "\u{c}",
                "\u{ad}",
                "\u{a0}",
                "\t",
                " ",
                "-",
                "\u{2010}",
                "a",
                "A",
                "æ",
                "Ø",
                "å",
                "7",
                "12",
                "Side 3 af 12",
                "- 3 -",
                "3/12",
                "Par-\nterne",
                "EU-\nretten",
                "udviklings-\nog ",
                "1. Indledning",
                "Titel",
                "\u{fb01}",
                "\u{301}",
                "\u{200b}",
                "\u{2028}",
                "\u{85}",
                "\n\n\n",
            ])
            .prop_map(String::from),
        ]
    }

    fn page() -> impl Strategy<Value = String> {
        prop::collection::vec(fragment(), 0..40).prop_map(|parts| parts.concat())
    }

    fn expected_pages(pages: &[String]) -> usize {
        pages
            .iter()
            .map(|p| p.strip_suffix('\u{c}').unwrap_or(p).split('\u{c}').count())
            .sum()
    }

    proptest! {
        #[test]
        fn normalise_never_panics_and_keeps_invariants(
            pages in prop::collection::vec(
                prop_oneof![page(), any::<String>()],
                0..6,
            )
        ) {
            let doc = normalise(&pages);
            prop_assert_eq!(doc.page_starts.len(), expected_pages(&pages));
            if let Some(&first) = doc.page_starts.first() {
                prop_assert_eq!(first, 0);
            }
            for pair in doc.page_starts.windows(2) {
                prop_assert!(pair[0] <= pair[1]);
            }
            for &start in &doc.page_starts {
                prop_assert!(start <= doc.text.len());
                prop_assert!(doc.text.is_char_boundary(start));
            }
            for bad in ['\r', '\u{ad}', '\u{c}', '\u{200b}', '\u{feff}', '\u{fb01}', '\u{a0}'] {
                prop_assert!(!doc.text.contains(bad), "{:?} in {:?}", bad, doc.text);
            }
            // TABs stand only in table rows: lines with text that separate cells.
            for line in doc.text.lines().filter(|l| l.contains('\t')) {
                prop_assert!(!line.trim().is_empty(), "{:?}", line);
            }
            prop_assert!(!doc.text.contains("\n\n\n"));
            prop_assert!(!doc.text.starts_with('\n') && !doc.text.ends_with('\n'));
            for line in doc.text.lines() {
                prop_assert!(!line.ends_with(' '));
            }
        }
    }
}
