//! Stage 3, segmentation: [`NormalisedText`] → [`Clause`]s in reading order.
//!
//! What starts a clause:
//! * a line that begins with a clause number (`3.`, `3.4.2.`, `14.3.1.Tekst`, `§ 3 — Varighed`,
//!   `Klausul 3`, `Punkt 3.2`, `Artikel 4: …`, appendix numbers `A.1.2`, `D.8`) on the best
//!   numbering sequence through the document ([`sequence`]): numbers read as a tree that mostly
//!   increases (a child, a next sibling, a next number higher up), chosen as a whole rather
//!   than greedily, so that a stray number costs only itself. That rule, with what makes a
//!   number read as something else (a reference wrapped to a line start after `jf.`/`artikel`,
//!   list items after a colon or in a run, entries of a table of contents), rejects dates
//!   (`1. juni 2019`), list items inside a clause, addresses and change-log versions
//!   ([`number`]). In a lettered appendix whose numbering restarts at `1.`, the numbers are the
//!   appendix's own: `Appendiks B` / `1. Adgangskontrol` is `B.1`;
//! * an appendix heading (`BILAG 1 — HOVEDYDELSEN`, `Bilag A`, `Bilag 1.A:`); a lettered appendix
//!   is clause `A` with its title as heading, a numbered one stays unnumbered (its number would
//!   collide with clause `1`);
//! * a stand-alone upper-case heading (`FORCE MAJEURE`, not a wrapped tail like `SARL.`). When
//!   such headings fill a gap in the numbering exactly (OCR lost `10.`–`13.` between `9.2` and
//!   `14.`), or stand just before `1.1` with no clause `1`, they get the missing numbers, marked
//!   `inferred`;
//! * in an agreement with (almost) no clause numbers, a heading in ordinary case on a line of
//!   its own (`Fortrolighed`) — its clause stays unnumbered.
//!
//! A numbered line's heading is the rest of the line, joined with its wrapped continuation;
//! a short line whose next line's first word would have fitted behind it ended by choice, so
//! it is the whole heading (PDFs put the text right below, with no blank line).
//!
//! Two-column layouts read by OCR give a column of numbers first (`14.`, `14.1.`, `14.2.`) and
//! then their texts in the same order; such runs are detected and the paragraphs that follow are
//! handed back to the numbers in order (headings to parents, texts to leaves).
//!
//! Every line of the text belongs to exactly one clause (the lines before the first one to the
//! preamble, number `None`), which a property test checks. Assumes normalised text: line starts
//! are meaningful and hyphenation is undone.

mod number;
mod sequence;

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Clause, NormalisedText};
use number::Number;

static APPENDIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:\d{1,2}\.?[ \t]+)?(?i:bilag|appendiks|appendix|annex|anneks)\s+(\d{1,2}(?:\.[A-H])?|[A-H])\b\s*[—–:.-]?\s*(.*)$",
    )
    .expect("valid regex")
});
static RUN_IN_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\p{Lu}[\p{L}\- ]{2,40}?):\s+(\S.*)$").expect("valid regex"));
static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[a-zæøå]\)|\(?[ivx]{1,4}\)|[-•–*]\s|\d{1,2}\)\s)").expect("valid regex")
});

/// Split a document into clauses (reading its tables first: no clause starts in a table).
pub fn segment(doc: &NormalisedText) -> Vec<Clause> {
    let table_lines = crate::tables::table_lines(&crate::tables::tables(doc));
    segment_with_lines(doc, &table_lines)
        .into_iter()
        .map(|(clause, _)| clause)
        .collect()
}

/// Split a document into clauses around its tables (`table_lines`: the lines tables were read
/// from; none of them starts a clause or a heading). Returns each clause with the line ranges
/// it owns, which places each table in its clause.
pub fn segment_around_tables(
    doc: &NormalisedText,
    table_lines: &HashSet<usize>,
) -> Vec<(Clause, Vec<Range<usize>>)> {
    segment_with_lines(doc, table_lines)
}

/// One line of the text: its bytes `start..end` (with the newline) and its text (without).
struct Line<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

impl Line<'_> {
    fn blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// What starts at a marked line.
#[derive(Debug, Clone)]
enum Kind {
    /// `corrected`: the printed number was a typo, replaced by the one the sequence needs.
    Numbered {
        number: Number,
        rest: String,
        corrected: bool,
    },
    Appendix {
        letter: Option<char>,
        heading: String,
        extra_lines: usize,
    },
    Heading {
        number: Option<Number>,
    },
}

#[derive(Debug, Clone)]
struct Mark {
    line: usize,
    kind: Kind,
}

/// A clause being built: its mark and the lines it owns.
struct Draft {
    mark: Option<Mark>,
    lines: Vec<usize>,
    /// Set for members of a number column: the paragraphs handed to this clause.
    column: Option<ColumnPart>,
}

#[derive(Default)]
struct ColumnPart {
    heading: Option<String>,
    text: Vec<String>,
}

/// The clauses and, for each, the line indices it owns (for the coverage property).
fn segment_with_lines(
    doc: &NormalisedText,
    table_lines: &HashSet<usize>,
) -> Vec<(Clause, Vec<Range<usize>>)> {
    let lines = split_lines(&doc.text);
    let mut appendices = appendix_marks(&lines);
    appendices.retain(|m| !table_lines.contains(&m.line));
    let appendix_lines: Vec<usize> = appendices.iter().map(|m| m.line).collect();
    // The lettered appendix each line stands in (a numbered appendix ends the one before).
    let appendix_of = |line: usize| {
        appendices
            .iter()
            .take_while(|m| m.line < line)
            .last()
            .and_then(|m| match m.kind {
                Kind::Appendix { letter, .. } => letter,
                _ => None,
            })
    };
    // A number before an appendix heading (`16 Bilag B`, a converted list) is no clause's.
    let mut chosen = sequence::starts(
        &lines,
        |l| table_lines.contains(&l) || appendix_lines.contains(&l),
        appendix_of,
    );
    let width = line_width(&lines);
    // An agreement whose sections carry headings but no numbers (only its lists are numbered):
    // the headings start the clauses, and the few numbers the sequence found were list items.
    // Section numbers stand alone or before a heading; list items carry sentences.
    let sectionlike = |s: &sequence::Start| {
        s.rest.is_empty()
            || (s.rest.split_whitespace().count() <= 10 && looks_like_heading(&s.rest))
    };
    let mut plain = Vec::new();
    if chosen.iter().filter(|s| sectionlike(s)).count() < MIN_NUMBERED_BODY {
        plain = plain_heading_marks(&lines, width, |l| {
            table_lines.contains(&l) || appendix_lines.contains(&l)
        });
        if plain.len() >= MIN_NUMBERED_BODY {
            // Top-level numbers that are no section's are the numbered lists inside them;
            // appendix numbers and sub-clause numbers stay.
            chosen.retain(|s| {
                s.number.letter.is_some() || !s.number.is_top_level() || sectionlike(s)
            });
        } else {
            plain.clear();
        }
    }
    let corrected: Vec<usize> = chosen
        .iter()
        .filter(|s| s.corrected)
        .map(|s| s.line)
        .collect();
    let numbered: Vec<(usize, Number, String)> = chosen
        .into_iter()
        .map(|s| (s.line, s.number, s.rest))
        .collect();
    let numbered_lines: Vec<usize> = numbered.iter().map(|(l, _, _)| *l).collect();
    let columns = number_columns(&lines, &numbered, &appendix_lines);
    let in_column_body = |line: usize| columns.iter().any(|c| c.body.contains(&line));
    // A number alone on its line with an upper-case line below: that line is its heading.
    let after_lone_number = |line: usize| {
        line > 0
            && numbered
                .iter()
                .any(|(l, _, rest)| *l == line - 1 && rest.is_empty())
    };
    let mut marks: Vec<Mark> = numbered
        .iter()
        .map(|(line, number, rest)| Mark {
            line: *line,
            kind: Kind::Numbered {
                number: number.clone(),
                rest: rest.clone(),
                corrected: corrected.contains(line),
            },
        })
        .collect();
    let covered: Vec<usize> = appendices
        .iter()
        .flat_map(|m| match m.kind {
            Kind::Appendix { extra_lines, .. } => m.line..=m.line + extra_lines,
            _ => m.line..=m.line,
        })
        .collect();
    let headings = heading_marks(&lines, |l| {
        numbered_lines.contains(&l)
            || table_lines.contains(&l)
            || covered.contains(&l)
            || in_column_body(l)
            || after_lone_number(l)
    });
    marks.extend(appendices);
    marks.extend(headings);
    plain.retain(|m| !marks_line(&marks, m.line));
    marks.extend(plain);
    marks.sort_by_key(|m| m.line);
    infer_numbers(&mut marks);

    let mut drafts = drafts_from_marks(&lines, marks);
    for column in &columns {
        spread_column(&lines, &mut drafts, column);
    }
    drafts
        .into_iter()
        .filter_map(|d| finish(doc, &lines, d, width))
        .collect()
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let end = start + piece.len();
        out.push(Line {
            start,
            end,
            text: piece.trim_end_matches('\n'),
        });
        start = end;
    }
    out
}

/// A run of numbers standing alone (`14.`, `14.1.`, `14.2.`) followed by their paragraphs.
struct Column {
    /// Indices into the numbered starts.
    members: Range<usize>,
    /// Lines after the last number, up to the next numbered clause.
    body: Range<usize>,
}

fn number_columns(
    lines: &[Line],
    numbered: &[(usize, Number, String)],
    appendix_lines: &[usize],
) -> Vec<Column> {
    let alone_then_blank = |i: usize| {
        let (line, _, rest) = &numbered[i];
        let next = numbered.get(i + 1).map(|(l, _, _)| *l);
        rest.is_empty() && next.is_some_and(|n| lines[line + 1..n].iter().all(Line::blank))
    };
    let mut columns = Vec::new();
    let mut i = 0;
    while i < numbered.len() {
        let mut j = i;
        while j + 1 < numbered.len() && alone_then_blank(j) {
            j += 1;
        }
        if j > i && numbered[j].2.is_empty() {
            let last = numbered[j].0;
            let next_number = numbered.get(j + 1).map_or(lines.len(), |(l, _, _)| *l);
            let next_appendix = appendix_lines
                .iter()
                .copied()
                .find(|&l| l > last)
                .unwrap_or(lines.len());
            let body_end = next_number.min(next_appendix);
            columns.push(Column {
                members: i..j + 1,
                body: last + 1..body_end,
            });
        }
        i = j + 1;
    }
    columns
}

/// `BILAG 1 — HOVEDYDELSEN (INSTRUKS)`, `Bilag A`: appendix headings that stand on their own.
fn appendix_marks(lines: &[Line]) -> Vec<Mark> {
    let mut marks = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.text.chars().count() > 120 {
            continue;
        }
        // `… det fremgår af` / `Bilag B:` is a reference wrapped to the line start.
        if index > 0 && sequence::ends_with_reference_word(lines[index - 1].text.trim()) {
            continue;
        }
        let Some(caps) = APPENDIX.captures(line.text) else {
            continue;
        };
        let label = caps.get(1).map_or("", |m| m.as_str());
        let title = caps.get(2).map_or("", |m| m.as_str()).trim();
        if sequence::is_contents_entry(line.text) {
            continue;
        }
        let next_blank = lines.get(index + 1).is_none_or(Line::blank);
        // `Bilag A indeholder nærmere oplysninger …` is a sentence about the appendix.
        let sentence = title.starts_with(char::is_lowercase) || title.ends_with('.');
        if sentence || !(title.is_empty() || is_upper_case(title) || next_blank) {
            continue;
        }
        let letter = label.chars().last().filter(char::is_ascii_uppercase);
        // A lettered appendix is numbered by its letter, so its heading is its title; a
        // numbered one stays unnumbered and keeps `Bilag 2 — …` as its heading.
        let mut heading = match letter {
            Some(_) if !title.is_empty() => title.trim_start_matches([':', '.', ' ']).to_string(),
            _ => line.text.trim().to_string(),
        };
        // A heading wrapped onto a second upper-case line (`… SIKKERHEDSKRAV OG` / `GARANTIER`).
        let mut extra_lines = 0;
        if let Some(next) = lines.get(index + 1) {
            if is_upper_case(next.text)
                && is_upper_case(title)
                && !next.text.chars().any(|c| c.is_ascii_digit())
            {
                heading = format!("{heading} {}", next.text.trim());
                extra_lines = 1;
            }
        }
        marks.push(Mark {
            line: index,
            kind: Kind::Appendix {
                letter,
                heading,
                extra_lines,
            },
        });
    }
    marks
}

/// Stand-alone upper-case headings (`FORCE MAJEURE`, `TVISTLØSNING`): no digits, at least four
/// letters, at most ten words, with a blank line before or after.
fn heading_marks(lines: &[Line], taken: impl Fn(usize) -> bool) -> Vec<Mark> {
    let mut marks = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let text = line.text.trim();
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        if taken(index)
            || LIST_ITEM.is_match(text)
            || letters < 4
            || text.split_whitespace().count() > 10
            || text.chars().any(|c| c.is_ascii_digit())
            || !is_upper_case(text)
            // `SARL.`, `A/S,`: the wrapped tail of a sentence, not a heading.
            || text.ends_with(['.', ',', ';'])
            || (index > 0 && sequence::ends_with_reference_word(lines[index - 1].text.trim()))
        {
            continue;
        }
        let blank_before = index == 0 || lines[index - 1].blank();
        let blank_after = lines.get(index + 1).is_none_or(Line::blank);
        if blank_before || blank_after {
            marks.push(Mark {
                line: index,
                kind: Kind::Heading { number: None },
            });
        }
    }
    marks
}

/// Fewer numbered section headings than this, and the agreement reads as unnumbered.
const MIN_NUMBERED_BODY: usize = 3;

fn marks_line(marks: &[Mark], line: usize) -> bool {
    marks.iter().any(|m| m.line == line)
}

/// Headings in ordinary case that stand on their own line (`Fortrolighed`, `Den dataansvarliges
/// rettigheder og forpligtelser`): one to ten words starting with a capital, no closing
/// punctuation, no digits; a blank line or a finished sentence before, and a blank line or a
/// new sentence after — in a PDF without blank lines, a line that ended well short of the
/// full width.
fn plain_heading_marks(lines: &[Line], width: usize, taken: impl Fn(usize) -> bool) -> Vec<Mark> {
    let mut marks = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let text = line.text.trim();
        let words = text.split_whitespace().count();
        if taken(index)
            || words == 0
            || words > 10
            || text.contains('\t')
            || !text.starts_with(char::is_uppercase)
            || text.chars().filter(|c| c.is_alphabetic()).count() < 4
            || text.chars().any(|c| c.is_ascii_digit())
            || LIST_ITEM.is_match(text)
            || !looks_like_heading(text)
        {
            continue;
        }
        let before = index.checked_sub(1).map(|i| lines[i].text.trim());
        let after = lines.get(index + 1).map(|l| l.text.trim());
        let short = (text.chars().count() as f64) < width as f64 * 0.6;
        let opens = before.is_none_or(|b| b.is_empty() || b.ends_with(['.', ':', '!', '?']));
        let closes = after
            .is_none_or(|a| a.is_empty() || (short && a.starts_with(|c: char| c.is_uppercase())));
        let next_text = lines[index + 1..]
            .iter()
            .map(|l| l.text.trim())
            .find(|t| !t.is_empty());
        let then_sentence = next_text.is_some_and(|t| t.starts_with(|c: char| !c.is_lowercase()));
        if opens && closes && then_sentence {
            marks.push(Mark {
                line: index,
                kind: Kind::Heading { number: None },
            });
        }
    }
    marks
}

fn is_upper_case(s: &str) -> bool {
    let mut letters = s.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(|c| !c.is_lowercase())
}

/// Give unnumbered headings the numbers OCR lost, where the gap they fill is exact.
fn infer_numbers(marks: &mut [Mark]) {
    let mut last_top: Option<u32> = None;
    let mut i = 0;
    while i < marks.len() {
        match &marks[i].kind {
            Kind::Numbered { number, .. } => {
                if number.letter.is_none() {
                    last_top = number.parts.first().copied().or(last_top);
                }
                i += 1;
                continue;
            }
            Kind::Appendix { .. } => {
                i += 1;
                continue;
            }
            Kind::Heading { .. } => {}
        }
        // A group of headings (appendix headings may stand among them) up to the next number.
        let group_end = marks[i..]
            .iter()
            .position(|m| matches!(m.kind, Kind::Numbered { .. }))
            .map_or(marks.len(), |p| i + p);
        let group: Vec<usize> = (i..group_end)
            .filter(|&k| matches!(marks[k].kind, Kind::Heading { .. }))
            .collect();
        let next = marks.get(group_end).and_then(|m| match &m.kind {
            Kind::Numbered { number, .. } if number.letter.is_none() => Some(number.clone()),
            _ => None,
        });
        let first = last_top.map_or(1, |t| t + 1);
        let last = next.and_then(|n| match n.parts.as_slice() {
            [top] => top.checked_sub(1),
            [top, ..] if last_top.is_none_or(|t| *top > t) => Some(*top),
            _ => None,
        });
        if let Some(last) = last {
            if last >= first && (last - first + 1) as usize == group.len() {
                for (offset, &k) in group.iter().enumerate() {
                    marks[k].kind = Kind::Heading {
                        number: Some(Number::top(first + offset as u32)),
                    };
                }
                last_top = Some(last);
            }
        }
        i = group_end;
    }
}

/// Each mark owns the lines from its own to the next mark's; lines before the first mark are
/// the preamble.
fn drafts_from_marks(lines: &[Line], marks: Vec<Mark>) -> Vec<Draft> {
    let first = marks.first().map_or(lines.len(), |m| m.line);
    let mut drafts = vec![Draft {
        mark: None,
        lines: (0..first).collect(),
        column: None,
    }];
    let ends: Vec<usize> = marks
        .iter()
        .skip(1)
        .map(|m| m.line)
        .chain(std::iter::once(lines.len()))
        .collect();
    for (mark, end) in marks.into_iter().zip(ends) {
        drafts.push(Draft {
            lines: (mark.line..end).collect(),
            mark: Some(mark),
            column: None,
        });
    }
    drafts
}

/// Hand the paragraphs after a number column back to its numbers: parents (a number followed by
/// its child) take a heading, leaves take the next text paragraph; list items and lower-case
/// continuations stay with the clause before them.
fn spread_column(lines: &[Line], drafts: &mut [Draft], column: &Column) {
    let draft_of = |line: usize, drafts: &[Draft]| {
        drafts
            .iter()
            .position(|d| d.mark.as_ref().is_some_and(|m| m.line == line))
    };
    let member_lines: Vec<usize> = drafts
        .iter()
        .filter_map(|d| match &d.mark {
            Some(Mark {
                line,
                kind: Kind::Numbered { .. },
            }) => Some(*line),
            _ => None,
        })
        .collect();
    let members: Vec<usize> = column
        .members
        .clone()
        .filter_map(|k| member_lines.get(k).and_then(|&l| draft_of(l, drafts)))
        .collect();
    let Some(&last) = members.last() else { return };
    let numbers: Vec<Number> = members
        .iter()
        .filter_map(|&d| match &drafts[d].mark {
            Some(Mark {
                kind: Kind::Numbered { number, .. },
                ..
            }) => Some(number.clone()),
            _ => None,
        })
        .collect();
    if numbers.len() != members.len() {
        return;
    }
    // The clause after the body: does the last member have children there (`14.3` → `14.3.1`)?
    let after = drafts.get(last + 1).and_then(|d| match &d.mark {
        Some(Mark {
            kind: Kind::Numbered { number, .. },
            ..
        }) => Some(number.clone()),
        _ => None,
    });
    let is_parent = |k: usize| match numbers.get(k + 1) {
        Some(next) => next.is_child_of(&numbers[k]),
        None => after.as_ref().is_some_and(|a| a.is_child_of(&numbers[k])),
    };
    let paragraphs = paragraphs(lines, column.body.clone());
    // The body's lines leave the last member; each paragraph's lines go with the clause it
    // is handed to, blank lines with the paragraph before them.
    drafts[last]
        .lines
        .retain(|l| !column.body.contains(l) || *l < column.body.start);
    let mut parts: Vec<ColumnPart> = (0..members.len()).map(|_| ColumnPart::default()).collect();
    let mut current: Option<usize> = None;
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    let mut leading_blank: Vec<usize> = Vec::new();
    for para in paragraphs {
        let text = para
            .lines
            .iter()
            .map(|&l| lines[l].text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if text.is_empty() {
            leading_blank.extend(&para.lines);
            continue;
        }
        let continuation =
            LIST_ITEM.is_match(&text) || text.starts_with(|c: char| c.is_lowercase());
        let next = current.map_or(0, |c| c + 1);
        let target = if continuation && current.is_some() {
            current
        } else if next < members.len() && is_heading_paragraph(&text) && is_parent(next) {
            parts[next].heading = Some(text.replace('\n', " "));
            current = Some(next);
            owned[next].extend(&para.lines);
            continue;
        } else if next < members.len()
            && !(is_parent(next) && parts[next].heading.is_none() && next + 1 < members.len())
        {
            Some(next)
        } else if next + 1 < members.len() {
            // A parent without a heading paragraph: its text goes to its first child.
            Some(next + 1)
        } else {
            current.or(Some(members.len() - 1))
        };
        let Some(t) = target else {
            leading_blank.extend(&para.lines);
            continue;
        };
        parts[t].text.push(text);
        owned[t].extend(&para.lines);
        current = Some(t);
    }
    for (k, &d) in members.iter().enumerate() {
        drafts[d].lines.append(&mut owned[k]);
        drafts[d].lines.sort_unstable();
        drafts[d].column = Some(std::mem::take(&mut parts[k]));
    }
    drafts[last].lines.extend(leading_blank);
    drafts[last].lines.sort_unstable();
}

fn is_heading_paragraph(text: &str) -> bool {
    text.lines().count() <= 2 && looks_like_heading(&text.replace('\n', " "))
}

struct Paragraph {
    /// Its lines, with the blank lines after it.
    lines: Vec<usize>,
}

fn paragraphs(lines: &[Line], range: Range<usize>) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut in_text = false;
    for l in range {
        if lines[l].blank() {
            match out.last_mut() {
                Some(p) => p.lines.push(l),
                None => out.push(Paragraph { lines: vec![l] }),
            }
            in_text = false;
        } else if in_text {
            if let Some(p) = out.last_mut() {
                p.lines.push(l);
            }
        } else {
            out.push(Paragraph { lines: vec![l] });
            in_text = true;
        }
    }
    // A leading run of blank lines is not a paragraph of its own.
    if out
        .first()
        .is_some_and(|p| p.lines.iter().all(|&l| lines[l].blank()))
        && out.len() > 1
    {
        let blank = out.remove(0);
        if let Some(p) = out.first_mut() {
            p.lines.splice(0..0, blank.lines);
        }
    }
    out
}

fn finish(
    doc: &NormalisedText,
    lines: &[Line],
    draft: Draft,
    width: usize,
) -> Option<(Clause, Vec<Range<usize>>)> {
    let spans: Vec<Range<usize>> = draft
        .lines
        .iter()
        .map(|&l| lines[l].start..lines[l].end)
        .collect();
    let page = draft.lines.first().map(|&l| doc.page_at(lines[l].start));
    let body = |from: usize| -> Vec<&str> {
        draft
            .lines
            .iter()
            .filter(|&&l| l >= from)
            .map(|&l| lines[l].text)
            .collect()
    };
    let Some(mark) = draft.mark else {
        let text = join_plain(&body(0));
        if text.is_empty() && spans.is_empty() {
            return None;
        }
        return Some((
            Clause {
                number: None,
                heading: None,
                text,
                level: 0,
                parent: None,
                page,
                topics: Vec::new(),
                inferred: false,
                repaired: None,
            },
            spans,
        ));
    };
    let after_mark = body(mark.line + 1);
    let (number, heading, text, inferred) = match mark.kind {
        Kind::Numbered {
            number,
            rest,
            corrected,
        } => {
            let (heading, text) = match draft.column {
                Some(part) => (part.heading, part.text.join("\n\n")),
                None => split_heading(&rest, &after_mark, width),
            };
            (Some(number), heading, text, corrected)
        }
        Kind::Appendix {
            letter,
            heading,
            extra_lines,
        } => (
            letter.map(Number::appendix),
            Some(heading),
            join_plain(&body(mark.line + 1 + extra_lines)),
            false,
        ),
        Kind::Heading { number } => {
            let inferred = number.is_some();
            (
                number,
                Some(lines[mark.line].text.trim().to_string()),
                join_plain(&after_mark),
                inferred,
            )
        }
    };
    let clause = Clause {
        level: number.as_ref().map_or(1, |n| n.depth() as u32),
        parent: number.as_ref().and_then(Number::parent).map(|p| p.render()),
        number: number.map(|n| n.render()),
        heading,
        text,
        page,
        topics: Vec::new(),
        inferred,
        repaired: None,
    };
    Some((clause, spans))
}

/// The heading and the text of a numbered clause from the rest of its first line and the lines
/// after it.
fn split_heading(rest: &str, body: &[&str], width: usize) -> (Option<String>, String) {
    let para_len = body.iter().take_while(|l| !l.trim().is_empty()).count();
    // A short heading line with its text right below it: when the next line's first word
    // would have fitted behind it, the line ended by choice, so it is the whole heading
    // (`2. Formål` / `systemklar behandler …` in a Word PDF).
    if let Some(next) = body.first().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let first_word = next
            .split_whitespace()
            .next()
            .map_or(0, |w| w.chars().count());
        let used = rest.chars().count() + NUMBER_ROOM + 1 + first_word;
        if (used as f64) < width as f64 * 0.8
            && rest.split_whitespace().count() <= 8
            && looks_like_heading(rest)
            && !rest.starts_with(char::is_lowercase)
        {
            return (Some(rest.trim().to_string()), join_plain(body));
        }
    }
    if rest.is_empty() {
        // The number alone on its line: a short first paragraph with more text after it is the
        // heading (`3.` / `SIKKERHED` / text).
        let first: Vec<&str> = body
            .iter()
            .skip_while(|l| l.trim().is_empty())
            .copied()
            .collect();
        let head_len = first.iter().take_while(|l| !l.trim().is_empty()).count();
        let heading = first[..head_len]
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        let more = first[head_len..].iter().any(|l| !l.trim().is_empty());
        if head_len > 0 && head_len <= 2 && more && looks_like_heading(&heading) {
            return (Some(heading), join_plain(&first[head_len..]));
        }
        return (None, join_plain(body));
    }
    if let Some(caps) = RUN_IN_LABEL.captures(rest) {
        let (label, tail) = (
            caps.get(1).map_or("", |m| m.as_str()),
            caps.get(2).map_or("", |m| m.as_str()),
        );
        if label.split_whitespace().count() <= 4 {
            let mut text = vec![tail];
            text.extend(body.iter().copied());
            return (Some(label.trim().to_string()), join_plain(&text));
        }
    }
    // The first paragraph: the rest of the number line and the lines up to a blank one.
    let mut paragraph = vec![rest];
    paragraph.extend(body[..para_len].iter().map(|l| l.trim()));
    let candidate = paragraph.join(" ");
    // Text after it that starts in lower case continues a sentence (a page break fell after
    // the first line): the paragraph is no heading.
    let continues = body[para_len..]
        .iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_start().starts_with(char::is_lowercase));
    if paragraph.len() <= 3 && !continues && looks_like_heading(&candidate) {
        return (Some(candidate), join_plain(&body[para_len..]));
    }
    // A heading with its text right below it, no blank line between: the heading is the
    // number line plus lines that continue it (lower case), and the text starts with a capital.
    let wrapped = body[..para_len]
        .iter()
        .take_while(|l| {
            l.trim_start()
                .starts_with(|c: char| c.is_lowercase() || c == '(')
        })
        .count();
    let heading = paragraph[..=wrapped].join(" ");
    let next_starts_upper = body
        .get(wrapped)
        .is_some_and(|l| l.trim_start().starts_with(char::is_uppercase));
    if wrapped < 3
        && next_starts_upper
        && heading.split_whitespace().count() <= 10
        && looks_like_heading(&heading)
    {
        return (Some(heading), join_plain(&body[wrapped..]));
    }
    let mut all = vec![rest];
    all.extend(body.iter().copied());
    (None, join_plain(&all))
}

/// Room a clause number takes at the start of its line, in characters.
const NUMBER_ROOM: usize = 5;

/// The width of the document's full lines in characters: the upper quartile of the lengths of the
/// lines that wrapped (the next line goes on with the sentence in lower case); where too few lines wrap,
/// a high percentile of all line lengths (a text file with one paragraph per line gets a wide
/// one).
fn line_width(lines: &[Line]) -> usize {
    let length = |l: &Line| l.text.trim().chars().count();
    let mut wrapped: Vec<usize> = lines
        .windows(2)
        .filter(|w| w[1].text.trim_start().starts_with(char::is_lowercase) && !w[0].blank())
        .map(|w| length(&w[0]))
        .collect();
    if wrapped.len() >= 5 {
        wrapped.sort_unstable();
        return wrapped[wrapped.len() * 3 / 4];
    }
    let mut lengths: Vec<usize> = lines.iter().map(length).filter(|&n| n > 0).collect();
    if lengths.is_empty() {
        return 0;
    }
    lengths.sort_unstable();
    lengths[(lengths.len() * 9 / 10).min(lengths.len() - 1)]
}

/// Words a heading does not end with: a line ending in one is a sentence running on.
const RUN_ON_WORDS: &[&str] = &[
    "i", "og", "af", "til", "om", "for", "med", "at", "den", "det", "de", "der", "som", "en", "et",
    "på", "pa", "eller", "samt", "fra", "ved", "hvis", "under", "efter", "mellem", "har", "er",
    "skal", "kan", "må", "ma", "ikke", "the", "of", "and", "to", "in",
];

fn looks_like_heading(s: &str) -> bool {
    let s = s.trim();
    let words = s.split_whitespace().count();
    let last = s.split_whitespace().last().unwrap_or("").to_lowercase();
    !s.is_empty()
        && s.len() <= 200
        && words <= 25
        && !s.ends_with(['.', ':', ';', ','])
        && !RUN_ON_WORDS.contains(&last.as_str())
        && s.chars().any(char::is_alphabetic)
}

fn join_plain(lines: &[&str]) -> String {
    lines.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn doc(text: &str) -> NormalisedText {
        NormalisedText {
            text: text.to_string(),
            page_starts: vec![0],
        }
    }

    fn numbers(text: &str) -> Vec<String> {
        segment(&doc(text))
            .into_iter()
            .filter_map(|c| c.number)
            .collect()
    }

    fn numbers_of(clauses: &[Clause]) -> Vec<&str> {
        clauses.iter().filter_map(|c| c.number.as_deref()).collect()
    }

    fn find<'a>(clauses: &'a [Clause], number: &str) -> &'a Clause {
        clauses
            .iter()
            .find(|c| c.number.as_deref() == Some(number))
            .unwrap_or_else(|| panic!("no {number}"))
    }

    #[test]
    fn plain_numbered_clauses_with_headings() {
        let text = "Databehandleraftale\nDato: 1. juni 2019\n\n1. Indledning\n\n1.1. Aftalen regulerer behandlingen.\n\n2. Baggrund\n\n2.1. Tekst.\n";
        let clauses = segment(&doc(text));
        let nums: Vec<_> = clauses.iter().map(|c| c.number.clone()).collect();
        assert_eq!(
            nums,
            vec![
                None,
                Some("1".into()),
                Some("1.1".into()),
                Some("2".into()),
                Some("2.1".into())
            ]
        );
        assert_eq!(clauses[1].heading.as_deref(), Some("Indledning"));
        assert_eq!(clauses[2].text, "Aftalen regulerer behandlingen.");
        assert_eq!(clauses[2].parent.as_deref(), Some("1"));
        assert_eq!(clauses[2].level, 2);
    }

    #[test]
    fn list_items_inside_a_clause_are_not_clauses() {
        let text = "11. Brud\n\n11.2. Databehandleren skal orientere om:\n\n  1. En beskrivelse.\n  2. Konsekvenser.\n\n11.3. Videre.\n";
        assert_eq!(numbers(text), vec!["11", "11.2", "11.3"]);
    }

    #[test]
    fn dates_postcodes_and_laws_are_not_clauses() {
        let text =
            "1. Aftale\n27. april 2016\n05.09.2019 opdateret\n2016/679\n2970 Hørsholm\n2. Omfang\n";
        assert_eq!(numbers(text), vec!["1", "2"]);
    }

    #[test]
    fn appendix_numbers_and_glued_text() {
        let text = "A.1 Information\n\nA.1.1 Formål\n\nB.1 Godkendte\n\n14.3.1.Behandling sker\n";
        assert_eq!(numbers(text), vec!["A.1", "A.1.1", "B.1"]);
        assert_eq!(
            numbers("14.3. Formål\n14.3.1.Behandling sker\n"),
            vec!["14.3", "14.3.1"]
        );
    }

    #[test]
    fn section_signs_and_run_in_labels() {
        let clauses = segment(&doc(
            "§ 1 — Formål\n\nTekst.\n\n§ 2\n\n§ 2.1 Overholdelse: Parterne skal overholde loven.\n",
        ));
        assert_eq!(find(&clauses, "1").heading.as_deref(), Some("Formål"));
        let label = find(&clauses, "2.1");
        assert_eq!(
            (label.heading.as_deref(), label.text.as_str()),
            (Some("Overholdelse"), "Parterne skal overholde loven.")
        );
    }

    #[test]
    fn wrapped_heading_is_joined() {
        let text =
            "A.1.2 Behandlingen drejer sig om \n(karakteren af behandlingen)\n\nTekst her.\n";
        let clauses = segment(&doc(text));
        assert_eq!(
            clauses[0].heading.as_deref(),
            Some("Behandlingen drejer sig om (karakteren af behandlingen)")
        );
        assert_eq!(clauses[0].text, "Tekst her.");
    }

    #[test]
    fn a_first_line_cut_off_by_a_page_break_is_no_heading() {
        let text = "5.5. Såfremt dansk eller europæisk lovgivning, eller en bindende domstolsafgørelse\n\n\
                    pålægger Databehandleren at udlevere personoplysninger, underrettes den Dataansvarlige.\n";
        let clauses = segment(&doc(text));
        assert_eq!(clauses[0].heading, None);
        assert!(clauses[0].text.starts_with("Såfremt dansk"));
        assert!(clauses[0].text.ends_with("underrettes den Dataansvarlige."));
    }

    #[test]
    fn heading_on_the_line_after_a_lone_number() {
        let clauses = segment(&doc("3.\nSIKKERHED\n\nDatabehandleren skal sikre data.\n"));
        assert_eq!(clauses[0].heading.as_deref(), Some("SIKKERHED"));
        assert_eq!(clauses[0].text, "Databehandleren skal sikre data.");
    }

    #[test]
    fn lost_numbers_between_clauses_are_inferred() {
        let text = "9. ANSVAR\n\n9.1. Tekst.\n\nFORCE MAJEURE\n\nTekst om force majeure.\n\nFORTROLIGHED\n\nTekst.\n\n12. OPHØR\n\n12.1. Tekst.\n";
        let clauses = segment(&doc(text));
        let ten = find(&clauses, "10");
        assert_eq!(
            (ten.heading.as_deref(), ten.inferred, ten.level),
            (Some("FORCE MAJEURE"), true, 1)
        );
        assert!(find(&clauses, "11").inferred);
        assert!(!find(&clauses, "12").inferred);
        let first = segment(&doc(
            "Ændringslog\n\nBAGGRUND OG FORMÅL\n\n1.1. Parterne har aftalt.\n",
        ));
        assert_eq!(
            find(&first, "1").heading.as_deref(),
            Some("BAGGRUND OG FORMÅL")
        );
    }

    #[test]
    fn headings_that_do_not_fit_the_numbering_stay_unnumbered() {
        let text = "1. Aftale\n\n1.1. Tekst.\n\nFORCE MAJEURE\n\nTekst.\n\nFORTROLIGHED\n\nTekst.\n\n2. Ophør\n";
        let clauses = segment(&doc(text));
        let unnumbered: Vec<_> = clauses
            .iter()
            .filter(|c| c.number.is_none() && c.level == 1)
            .collect();
        assert_eq!(unnumbered.len(), 2);
        assert_eq!(unnumbered[0].heading.as_deref(), Some("FORCE MAJEURE"));
    }

    #[test]
    fn appendix_headings() {
        let text =
            "1. Aftale\n\nTekst.\n\nBILAG 1 — INSTRUKS\n\n2. Instruks\n\nBilag A\n\nA.1 Formål\n";
        let clauses = segment(&doc(text));
        let bilag1 = clauses
            .iter()
            .find(|c| c.heading.as_deref() == Some("BILAG 1 — INSTRUKS"))
            .unwrap();
        assert_eq!((bilag1.number.as_deref(), bilag1.level), (None, 1));
        assert_eq!(find(&clauses, "A").heading.as_deref(), Some("Bilag A"));
        assert_eq!(find(&clauses, "A.1").parent.as_deref(), Some("A"));
    }

    #[test]
    fn a_number_column_gets_its_texts_back_in_order() {
        let text = "BILAG 3 - DOKUMENTATION\n\n16.\n16.1.\n\n17.\n17.1.\n\n17.2.\n\nGENEREL DOKUMENTATION\n\nDatabehandleren skal fremsende:\n\na) En erklæring.\n\nb) Dokumentation.\n\nFYSISK MØDE\n\nDatabehandleren skal deltage i et møde.\n\nEt sådant møde afregnes.\n";
        let clauses = segment(&doc(text));
        assert_eq!(
            find(&clauses, "16").heading.as_deref(),
            Some("GENEREL DOKUMENTATION")
        );
        let c161 = find(&clauses, "16.1");
        assert!(
            c161.text.starts_with("Databehandleren skal fremsende:"),
            "{}",
            c161.text
        );
        assert!(c161.text.contains("b) Dokumentation."));
        assert_eq!(find(&clauses, "17").heading.as_deref(), Some("FYSISK MØDE"));
        assert_eq!(
            find(&clauses, "17.1").text,
            "Databehandleren skal deltage i et møde."
        );
        assert_eq!(find(&clauses, "17.2").text, "Et sådant møde afregnes.");
    }

    #[test]
    fn a_column_whose_last_number_has_children_takes_its_heading() {
        let text = "14.\n14.1.\n\n14.2.\n\n14.3.\n\nHOVEDYDELSEN\n\nDen dataansvarlige instruerer.\n\nOverlader Databehandleren noget.\n\nBehandlingens formål\n14.3.1.Behandling sker.\n";
        let clauses = segment(&doc(text));
        assert_eq!(
            find(&clauses, "14").heading.as_deref(),
            Some("HOVEDYDELSEN")
        );
        assert_eq!(
            find(&clauses, "14.1").text,
            "Den dataansvarlige instruerer."
        );
        assert_eq!(
            find(&clauses, "14.2").text,
            "Overlader Databehandleren noget."
        );
        assert_eq!(
            find(&clauses, "14.3").heading.as_deref(),
            Some("Behandlingens formål")
        );
    }

    #[test]
    fn a_number_printed_with_a_part_missing_is_corrected() {
        let text =
            "A.1.2.5 Konfiguration\n\nTekst.\n\nA.2.6 Drift\n\nTekst.\n\nA.1.2.7 Sikkerhed\n";
        let clauses = segment(&doc(text));
        let fixed = find(&clauses, "A.1.2.6");
        assert_eq!(
            (fixed.heading.as_deref(), fixed.inferred),
            (Some("Drift"), true)
        );
        assert!(find(&clauses, "A.1.2.7").parent.as_deref() == Some("A.1.2"));
    }

    #[test]
    fn page_of_a_clause_comes_from_the_page_map() {
        let text = "1. Indledning\n\n2. Omfang\n";
        let d = NormalisedText {
            text: text.into(),
            page_starts: vec![0, 15],
        };
        let pages: Vec<_> = segment(&d).iter().map(|c| c.page).collect();
        assert_eq!(pages, vec![Some(1), Some(2)]);
    }

    /// Every byte of the text is owned by exactly one clause (or the preamble).
    fn assert_coverage(text: &str) {
        let d = doc(text);
        let mut spans: Vec<Range<usize>> = segment_with_lines(&d, &HashSet::new())
            .into_iter()
            .flat_map(|(_, s)| s)
            .collect();
        spans.sort_by_key(|s| s.start);
        let mut at = 0;
        for s in &spans {
            assert_eq!(s.start, at, "gap or overlap at byte {at} in {text:?}");
            at = s.end;
        }
        assert_eq!(at, text.len(), "{text:?}");
    }

    #[test]
    fn the_corpus_is_covered_line_for_line() {
        for name in [
            "000_5dc22579b8fec684.txt",
            "001_a01309c27944fe2b.txt",
            "002_57dfb51f510d3c48.txt",
        ] {
            let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
            let raw = std::fs::read_to_string(path).unwrap();
            assert_coverage(&crate::text::normalise(&[raw]).text);
        }
    }

    #[test]
    fn a_reference_wrapped_to_a_line_start_is_no_clause() {
        let text = "1. Indledning\n\nAftalen opfylder databeskyttelsesforordningens artikel\n28. Den gælder fra underskrift.\n\n2. Omfang\n\nAftalen dækker ydelsen, jf.\n§ 14. Den dataansvarlige instruerer.\n\n3. Instruks\n\nTekst.\n";
        assert_eq!(numbers(text), ["1", "2", "3"]);
        // The same reference before an appendix name: no appendix heading either.
        let text = "1. Tredjelande\n\nOverførsel sker alene til modtagere, der fremgår af\nBilag B:\n\n- E-mail (en leverandør)\n\n2. Sletning\n\nTekst.\n";
        assert_eq!(numbers(text), ["1", "2"]);
    }

    #[test]
    fn a_numbered_list_inside_a_clause_does_not_swallow_the_sections_after_it() {
        let text = "2. Ydelsen\n\n2.1 Leverandøren leverer følgende:\n\n8. Backup og gendannelse af data\n9. Overvågning af driften\n10. Support i åbningstiden\n\n2.2 Ydelsen leveres fra EU.\n\n3. Sikkerhed\n\n3.1 Tekst.\n\n4. Ophør\n\nTekst.\n";
        assert_eq!(numbers(text), ["2", "2.1", "2.2", "3", "3.1", "4"]);
    }

    #[test]
    fn an_appendix_whose_numbering_restarts_gets_its_own_numbers() {
        let text = "1. Aftalen\n\n1.1 Tekst.\n\n2. Ophør\n\n2.1 Tekst.\n\nAppendiks A: Standardkontraktbestemmelser\n\nKlausul 7 (Docking): Ikke gældende\n\nAppendiks B: Tekniske foranstaltninger\n\n1. Adgangskontrol\n\nTo-faktor-login.\n\n2. Kryptering\n\nTLS i transit:\n\n1. mellem tjenester\n2. mod brugere\n3. i backup\n\n3. Logning\n\nTekst.\n";
        let clauses = segment(&doc(text));
        let got = numbers_of(&clauses);
        assert_eq!(got, ["1", "1.1", "2", "2.1", "A", "B", "B.1", "B.2", "B.3"]);
        assert_eq!(
            find(&clauses, "B").heading.as_deref(),
            Some("Tekniske foranstaltninger")
        );
        assert_eq!(find(&clauses, "B.2").heading.as_deref(), Some("Kryptering"));
    }

    #[test]
    fn clause_words_number_clauses() {
        for word in ["Klausul", "Punkt", "Artikel", "Section", "§"] {
            let text = format!("{word} 1 — Indledning\n\nTekst.\n\n{word} 2 — Omfang\n\nTekst, jf. artikel 28.\n\n{word} 3: Ophør\n\nTekst.\n");
            let clauses = segment(&doc(&text));
            let got = numbers_of(&clauses);
            assert_eq!(got, ["1", "2", "3"], "{word}");
            assert_eq!(
                find(&clauses, "3").heading.as_deref(),
                Some("Ophør"),
                "{word}"
            );
        }
    }

    #[test]
    fn a_short_wrapped_tail_is_text_not_a_heading() {
        let text = "1. Underdatabehandlere\n\nData hostes af en fransk leverandør, OVH\nSARL.\n\n2. Sikkerhed\n\nTekst.\n";
        let clauses = segment(&doc(text));
        assert!(clauses
            .iter()
            .all(|c| c.heading.as_deref() != Some("SARL.")));
        assert!(find(&clauses, "1").text.contains("SARL."));
    }

    #[test]
    fn a_short_heading_line_with_its_text_right_below() {
        let body = "leverandøren behandler personoplysninger på vegne af den dataansvarlige i forbindelse med";
        let text = format!(
            "1. Formål\n{body}\nlevering af platformen.\n2. Sikkerhed\n{body}\nlevering.\n"
        );
        let clauses = segment(&doc(&text));
        assert_eq!(find(&clauses, "1").heading.as_deref(), Some("Formål"));
        assert!(find(&clauses, "2").text.starts_with("leverandøren"));
    }

    #[test]
    fn headings_without_numbers_start_clauses() {
        let text = "Databehandleraftale\n\nPræambel\n\nDisse bestemmelser gælder.\n\nFortrolighed\n\nDatabehandleren sikrer fortrolighed:\n\n1. ansatte\n2. konsulenter\n3. underleverandører\n\nBehandlingssikkerhed\n\nDatabehandleren gennemfører foranstaltninger.\n\nSletning og returnering af oplysninger\n\nVed ophør slettes data.\n";
        let clauses = segment(&doc(text));
        let headings: Vec<&str> = clauses
            .iter()
            .filter_map(|c| c.heading.as_deref())
            .collect();
        assert_eq!(
            headings,
            [
                "Databehandleraftale",
                "Præambel",
                "Fortrolighed",
                "Behandlingssikkerhed",
                "Sletning og returnering af oplysninger"
            ]
        );
        assert!(clauses.iter().all(|c| c.number.is_none()));
        assert_coverage(text);
    }

    #[test]
    fn table_of_contents_entries_are_no_clauses() {
        let text = "Indhold\n1. Indledning\t2\n2. Omfang\t3\nBilag A\tOplysninger\t4\n\n1. Indledning\n\nTekst.\n\n2. Omfang\n\nTekst.\n\nBilag A — Oplysninger\n\nA.1 Formål\n\nTekst.\n";
        let clauses = segment(&doc(text));
        assert_eq!(numbers(text), ["1", "2", "A", "A.1"]);
        assert!(find(&clauses, "1").text.starts_with("Tekst"));
    }

    #[test]
    fn list_items_in_a_hanging_indent_are_no_sections() {
        let text = "1. Præambel\n\n1. Bestemmelserne fastsætter databehandlerens rettigheder og\n   forpligtelser.\n2. Bestemmelserne er udformet med henblik på parternes efterlevelse af\n   artikel 28.\n3. Bestemmelserne har forrang i forhold til\n   andre aftaler.\n\n2. Den dataansvarliges forpligtelser\n\n1. Den dataansvarlige har ansvaret.\n\n3. Databehandleren handler efter instruks\n\n1. Tekst.\n";
        let clauses = segment(&doc(text));
        let got = numbers_of(&clauses);
        assert_eq!(got, ["1", "2", "3"]);
        assert_eq!(
            find(&clauses, "2").heading.as_deref(),
            Some("Den dataansvarliges forpligtelser")
        );
    }

    #[test]
    fn a_number_before_an_appendix_heading_and_sentences_about_appendices() {
        let text = "1 Præambel\n\n1. Bilag A indeholder nærmere oplysninger om behandlingen.\n\n2 Fortrolighed\n\nTekst.\n\n3 Sikkerhed\n\nTekst.\n\n15 Bilag A\tOplysninger om behandlingen\n\nA.1. Formål\n\nTekst.\n";
        let clauses = segment(&doc(text));
        let got = numbers_of(&clauses);
        assert_eq!(got, ["1", "2", "3", "A", "A.1"]);
        assert_eq!(
            find(&clauses, "A").heading.as_deref(),
            Some("Oplysninger om behandlingen")
        );
    }

    #[test]
    fn numbered_sentences_in_an_agreement_without_section_numbers_stay_text() {
        let text = "Databehandleraftale\n\nFortrolighed\n\nDatabehandleren sikrer følgende:\n\n1. Kun autoriserede personer får adgang til oplysningerne.\n\n2. Personerne er underlagt tavshedspligt.\n\n3. Adgangen lukkes ved fratræden.\n\nBehandlingssikkerhed\n\nDatabehandleren gennemfører foranstaltninger.\n\nSletning og returnering\n\nVed ophør slettes data.\n";
        let clauses = segment(&doc(text));
        assert!(clauses.iter().all(|c| c.number.is_none()), "{clauses:#?}");
        let headings: Vec<&str> = clauses
            .iter()
            .filter_map(|c| c.heading.as_deref())
            .collect();
        assert_eq!(
            headings,
            [
                "Databehandleraftale",
                "Fortrolighed",
                "Behandlingssikkerhed",
                "Sletning og returnering"
            ]
        );
    }

    /// A generated agreement: numbering style, sections with sub-clauses, lists inside
    /// clauses, references wrapped to a line start, and a lettered appendix that restarts at 1.
    fn generated(
        style: usize,
        sections: &[(usize, usize, bool)],
        appendix: usize,
    ) -> (String, Vec<String>) {
        let mut text = String::from("Databehandleraftale\n\n");
        let mut want = Vec::new();
        for (k, &(subs, list, wrap_reference)) in sections.iter().enumerate() {
            let n = k + 1;
            let head = match style {
                0 => format!("{n}. Afsnit nummer {n}"),
                1 => format!("§ {n} — Afsnit nummer {n}"),
                2 => format!("Klausul {n}: Afsnit nummer {n}"),
                _ => format!("{n} Afsnit nummer {n}"),
            };
            text.push_str(&format!("{head}\n\n"));
            want.push(n.to_string());
            for s in 1..=subs {
                text.push_str(&format!(
                    "{n}.{s} Databehandleren gør det, der står her.\n\n"
                ));
                want.push(format!("{n}.{s}"));
                if s == 1 && list > 0 {
                    text.push_str("Det omfatter følgende:\n\n");
                    for item in 1..=list {
                        text.push_str(&format!("{item}. punkt nummer {item} i listen\n"));
                    }
                    text.push('\n');
                }
            }
            if wrap_reference {
                text.push_str(&format!(
                    "Se også bestemmelsen om ophør, jf.\n§ {}. Den gælder.\n\n",
                    n + 7
                ));
            }
        }
        if appendix > 0 {
            text.push_str("Bilag C: Tekniske foranstaltninger\n\n");
            want.push("C".into());
            for a in 1..=appendix {
                text.push_str(&format!(
                    "{a}. Foranstaltning {a}\n\nBeskrivelse af foranstaltningen.\n\n"
                ));
                want.push(format!("C.{a}"));
            }
        }
        (text, want)
    }

    proptest! {
        #[test]
        fn every_byte_belongs_to_one_clause(
            lines in proptest::collection::vec(
                prop_oneof![
                    "[0-9]{1,2}(\\.[0-9]{1,2}){0,3}\\.? [A-ZÆØÅa-zæøå ]{0,20}",
                    "[A-ZÆØÅ ]{3,20}",
                    "(BILAG|Bilag) [0-9A-D] [A-Z ]{0,10}",
                    "[a-zæøå ,.]{0,40}",
                    "",
                    "\\PC{0,30}",
                ],
                0..40,
            )
        ) {
            let text = lines.join("\n");
            assert_coverage(&text);
            let numbered = segment(&doc(&text));
            for c in numbered.iter().filter_map(|c| c.number.as_ref()) {
                prop_assert!(!c.is_empty() && !c.ends_with('.') && !c.starts_with('.'));
            }
        }

        #[test]
        fn generated_agreements_give_back_their_numbering(
            style in 0usize..4,
            sections in proptest::collection::vec((0usize..4, 0usize..6, proptest::bool::ANY), 2..9),
            appendix in 0usize..5,
        ) {
            let (text, want) = generated(style, &sections, appendix);
            prop_assert_eq!(numbers(&text), want, "{}", text);
            assert_coverage(&text);
        }
    }
}
