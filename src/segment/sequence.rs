//! Choosing which numbered lines are clauses: the best numbering sequence through the document.
//!
//! Every line that parses as a clause number is a candidate. Read greedily, one stray number
//! (`28.` wrapped from `… artikel` / `28.`, a list item `8.` inside § 2.1) sets the sequence
//! off and every clause after it is rejected. Instead, the candidates are weighed and the chain
//! of them with the highest total weight that obeys the sequence rule ([`Number::follows`]) is
//! chosen — dynamic programming over the candidates, so one stray number costs only itself.
//!
//! A candidate's weight is one, less what makes it read as something else:
//! * a reference wrapped to the start of a line (`… jf.` / `§ 14.`, `… artikel` / `28.`) is
//!   no candidate at all;
//! * a list item: introduced by a colon, starting in lower case, ending in `;`/`,`/`og`, or
//!   standing right under another number of the same depth with no text between (a list or a
//!   table of contents);
//! * a long sentence behind a top-level number, or one that goes on in a hanging indent.
//!
//! In a lettered appendix (`Bilag B`, `Appendiks B`) whose numbering restarts at `1.`, the
//! numbers are read as the appendix's own (`B.1`, `B.2` …). A number printed with one part
//! missing (`A.2.6` between `A.1.2.5` and `A.1.2.7`) is corrected when the number after it
//! confirms the sequence.

use super::number::{candidate, Number};
use super::Line;

/// How far back a candidate looks for the one it follows.
const WINDOW: usize = 400;
/// What a list signal takes off a candidate's weight of one.
const LIST_SIGNAL: f64 = 0.7;
/// What each number skipped between two chained clauses costs.
const GAP_COST: f64 = 0.05;

/// A numbered line chosen as a clause start.
#[derive(Debug, Clone)]
pub(super) struct Start {
    pub line: usize,
    pub number: Number,
    pub rest: String,
    /// The printed number was a typo, replaced by the one the sequence needs.
    pub corrected: bool,
}

struct Candidate {
    line: usize,
    printed: Number,
    rest: String,
    weight: f64,
    /// The letter of the lettered appendix the line stands in, if any.
    appendix: Option<char>,
}

/// One reading of a candidate's number.
#[derive(Clone)]
struct State {
    candidate: usize,
    number: Number,
    corrected: bool,
    /// Read as the appendix's own numbering (`1.` in `Bilag B` → `B.1`).
    local: bool,
    score: f64,
    back: Option<usize>,
}

/// The numbered lines that start clauses. `skip(line)`: lines no clause starts on (tables);
/// `appendix_of(line)`: the letter of the lettered appendix a line stands in.
pub(super) fn starts(
    lines: &[Line],
    skip: impl Fn(usize) -> bool,
    appendix_of: impl Fn(usize) -> Option<char>,
) -> Vec<Start> {
    let candidates: Vec<Candidate> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !skip(*i))
        .filter_map(|(i, line)| {
            let (printed, rest) = candidate(line.text)?;
            let weight = weight(lines, i, &printed, &rest)?;
            Some(Candidate {
                line: i,
                printed,
                rest,
                weight,
                appendix: appendix_of(i),
            })
        })
        .collect();
    let adjacent_list = adjacent_runs(lines, &candidates);
    let mut states: Vec<State> = Vec::new();
    for (k, c) in candidates.iter().enumerate() {
        let weight = if adjacent_list[k] {
            c.weight - LIST_SIGNAL
        } else {
            c.weight
        };
        if weight <= 0.0 {
            continue;
        }
        let next = candidates.get(k + 1).map(|n| &n.printed);
        // In a lettered appendix a number without the letter is the appendix's own (`1.` in
        // `Bilag B` → `B.1`) when it reads as a heading, and nothing else: as a bare number it
        // would collide with the body's clauses.
        let readings: Vec<(Number, bool, bool)> = match (c.appendix, c.printed.letter) {
            (Some(letter), None) if reads_as_heading(lines, c) => vec![(
                Number {
                    letter: Some(letter),
                    parts: c.printed.parts.clone(),
                },
                false,
                true,
            )],
            (Some(_), None) => Vec::new(),
            _ => vec![(c.printed.clone(), false, false)],
        };
        let from = states
            .iter()
            .rposition(|s| k.saturating_sub(s.candidate) > WINDOW)
            .map_or(0, |p| p + 1);
        let mut new_states: Vec<State> = Vec::new();
        for (number, corrected, local) in readings {
            new_states.push(best_state(
                &states[from..],
                from,
                k,
                number,
                corrected,
                local,
                weight,
            ));
        }
        // Typo readings: what the number abbreviates after one of the earlier states.
        let mut fixes: Vec<Number> = Vec::new();
        for s in &states[from..] {
            if c.printed.follows(&s.number) {
                continue;
            }
            if let Some(fixed) = typo_fix(&c.printed, &s.number, next) {
                if !fixes.contains(&fixed) {
                    fixes.push(fixed);
                }
            }
        }
        for fixed in fixes {
            new_states.push(best_state(
                &states[from..],
                from,
                k,
                fixed,
                true,
                false,
                weight,
            ));
        }
        states.extend(new_states.into_iter().filter(|s| s.score > 0.0));
    }
    let Some(mut at) = best_end(&states) else {
        return Vec::new();
    };
    let mut chain = Vec::new();
    loop {
        let s = &states[at];
        let c = &candidates[s.candidate];
        chain.push(Start {
            line: c.line,
            number: s.number.clone(),
            rest: c.rest.clone(),
            corrected: s.corrected,
        });
        match s.back {
            Some(b) => at = b,
            None => break,
        }
    }
    chain.reverse();
    chain
}

/// The best chain ending in this reading of candidate `k`.
fn best_state(
    earlier: &[State],
    offset: usize,
    k: usize,
    number: Number,
    corrected: bool,
    local: bool,
    weight: f64,
) -> State {
    let mut best = State {
        candidate: k,
        score: weight - start_cost(&number),
        number,
        corrected,
        local,
        back: None,
    };
    for (j, s) in earlier.iter().enumerate() {
        if s.candidate == k || !can_follow(&best.number, best.local, s) {
            continue;
        }
        let score = s.score + weight - gap(&s.number, &best.number) as f64 * GAP_COST;
        if score > best.score {
            best.score = score;
            best.back = Some(offset + j);
        }
    }
    best
}

fn can_follow(number: &Number, local: bool, prev: &State) -> bool {
    if !number.follows(&prev.number) {
        return false;
    }
    // An appendix's own numbering starts at 1 (`B.1`), or continues its own sequence.
    !local || prev.number.letter == number.letter || number.parts.iter().all(|&p| p == 1)
}

/// A chain usually starts at its first number (`1.`, `1.1`, `A.1`); one that starts further on
/// pays for it, so a stray number early in the text does not anchor the sequence.
fn start_cost(number: &Number) -> f64 {
    if number.parts.iter().all(|&p| p <= 1) {
        0.0
    } else {
        0.3
    }
}

/// How many numbers were skipped between `prev` and `next` at the level they differ.
fn gap(prev: &Number, next: &Number) -> u32 {
    if prev.letter != next.letter {
        return 0;
    }
    let shared = prev
        .parts
        .iter()
        .zip(&next.parts)
        .take_while(|(a, b)| a == b)
        .count();
    match (prev.parts.get(shared), next.parts.get(shared)) {
        (Some(&p), Some(&n)) if n > p => n - p - 1,
        (None, Some(&n)) => n.saturating_sub(1),
        _ => 0,
    }
}

/// The end of the best chain: the highest score, the earliest state on a tie.
fn best_end(states: &[State]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, s) in states.iter().enumerate() {
        if best.is_none_or(|b| s.score > states[b].score + 1e-9) {
            best = Some(i);
        }
    }
    best
}

/// A number line that reads as a heading: short heading words, and the next line blank or a
/// new sentence (not the wrapped rest of a list item).
fn reads_as_heading(lines: &[Line], c: &Candidate) -> bool {
    let next = lines.get(c.line + 1).map_or("", |l| l.text);
    super::looks_like_heading(&c.rest)
        && c.rest.split_whitespace().count() <= 10
        && (next.trim().is_empty() || next.starts_with(char::is_uppercase))
}

/// A candidate's weight from the line it stands on and the lines around it; `None` when the
/// number is a reference wrapped to the start of a line.
fn weight(lines: &[Line], index: usize, number: &Number, rest: &str) -> Option<f64> {
    if is_contents_entry(rest) {
        return None;
    }
    let before = index.checked_sub(1).map(|i| lines[i].text.trim());
    if before.is_some_and(|b| !b.is_empty() && ends_with_reference_word(b)) {
        return None;
    }
    let previous_text = lines[..index]
        .iter()
        .rev()
        .map(|l| l.text.trim())
        .find(|t| !t.is_empty());
    let mut weight = 1.0;
    if previous_text.is_some_and(|t| t.ends_with(':')) {
        weight -= LIST_SIGNAL;
    }
    if rest.starts_with(char::is_lowercase) {
        weight -= LIST_SIGNAL;
    }
    let last_word = rest.split_whitespace().last().unwrap_or("");
    if rest.ends_with([';', ',']) || matches!(last_word, "og" | "eller" | "and" | "or") {
        weight -= LIST_SIGNAL;
    }
    if number.is_top_level() && rest.split_whitespace().count() > 15 {
        weight -= 0.3;
    }
    // `2. Bestemmelserne er udformet med henblik på` / `   artikel 28, …`: a sentence that
    // goes on in a hanging indent is a list item, not a heading.
    let next = lines.get(index + 1).map_or("", |l| l.text);
    if number.is_top_level()
        && next.starts_with([' ', '\t'])
        && !next.trim().is_empty()
        && !super::looks_like_heading(rest)
    {
        weight -= LIST_SIGNAL;
    }
    Some(weight)
}

/// Candidates in a run of three or more numbered lines of the same depth with nothing but
/// blank lines between them (lines that are no candidate count too: `2. evne til …`), most of
/// them phrases rather than sentences: the items of a list or a table of contents.
fn adjacent_runs(lines: &[Line], candidates: &[Candidate]) -> Vec<bool> {
    let depth_at = |i: usize| -> Option<usize> {
        let text = lines[i].text.trim_start();
        let number: String = text
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let after = text[number.len()..].chars().next();
        (!number.is_empty()
            && number.starts_with(|c: char| c.is_ascii_digit())
            && after.is_some_and(|c| c == ' ' || c == '\t' || c == ')'))
        .then(|| number.trim_end_matches('.').split('.').count())
    };
    let mut in_run = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let Some(depth) = depth_at(i) else {
            i += 1;
            continue;
        };
        let mut members = vec![i];
        let mut j = i + 1;
        while j < lines.len() {
            if lines[j].blank() {
                j += 1;
                continue;
            }
            if depth_at(j) == Some(depth) {
                members.push(j);
                j += 1;
                continue;
            }
            break;
        }
        // Sub-clauses one sentence long also stand in such runs; list items and contents
        // entries are phrases, most of them without a full stop.
        let phrases = members
            .iter()
            .filter(|&&m| !lines[m].text.trim_end().ends_with(['.', '!', '?']))
            .count();
        if members.len() >= 3 && phrases * 2 > members.len() {
            for m in &members {
                in_run[*m] = true;
            }
        }
        i = members.last().map_or(i + 1, |&l| l + 1);
    }
    candidates.iter().map(|c| in_run[c.line]).collect()
}

/// A number printed with one part missing (`A.2.6` between `A.1.2.5` and `A.1.2.7`): the
/// expected next number it abbreviates, when the number after it confirms the sequence.
fn typo_fix(number: &Number, prev: &Number, next: Option<&Number>) -> Option<Number> {
    if number.letter != prev.letter {
        return None;
    }
    (0..prev.parts.len()).rev().find_map(|k| {
        let mut parts = prev.parts[..=k].to_vec();
        parts[k] += 1;
        let expected = Number {
            letter: prev.letter,
            parts,
        };
        let abbreviates = expected.parts.len() == number.parts.len() + 1
            && (0..expected.parts.len()).any(|drop| {
                let mut shorter = expected.parts.clone();
                shorter.remove(drop);
                shorter == number.parts
            });
        (abbreviates && next.is_some_and(|n| n.follows(&expected))).then_some(expected)
    })
}

/// Words after which a line break cannot end the sentence: a number on the next line is what
/// they refer to (`jf.` / `§ 14.`, `artikel` / `28.`, `fremgår af` / `Bilag B:`).
const REFERENCE_WORDS: &[&str] = &[
    "jf",
    "jfr",
    "jævnfør",
    "artikel",
    "art",
    "artiklerne",
    "punkt",
    "pkt",
    "afsnit",
    "bilag",
    "klausul",
    "bestemmelse",
    "stk",
    "nr",
    "§",
    "§§",
    "section",
    "clause",
    "article",
    "annex",
    "appendix",
    "paragraph",
    "af",
    "i",
    "til",
    "under",
    "efter",
    "ifølge",
    "se",
    "og",
    "eller",
    "samt",
    "of",
    "in",
    "to",
    "see",
    "and",
    "or",
];

/// A table of contents' entry: a title that ends in a page number behind a TAB, dot leaders or
/// a wide gap (`Fortrolighed\t5`, `Fortrolighed ........ 5`).
pub(super) fn is_contents_entry(rest: &str) -> bool {
    let body = rest.trim_end();
    let digits = body.len() - body.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 || digits == body.len() {
        return false;
    }
    let before = &body[..body.len() - digits];
    before.ends_with('\t')
        || before.trim_end().ends_with("...")
        || before.trim_end().ends_with("…")
        || before.ends_with("   ")
}

/// Abbreviations that end in a dot and still want their number (`jf.` / `§ 14.`).
const REFERENCE_ABBREVIATIONS: &[&str] = &["jf", "jfr", "art", "pkt", "stk", "nr", "cf", "sec"];

/// Does this line end in a word that a number on the next line completes?
pub(super) fn ends_with_reference_word(line: &str) -> bool {
    let last = line.split_whitespace().last().unwrap_or("").to_lowercase();
    match last.strip_suffix('.') {
        Some(abbreviation) => REFERENCE_ABBREVIATIONS.contains(&abbreviation),
        None => REFERENCE_WORDS.contains(&last.as_str()),
    }
}
