//! Word-level comparison of two wordings: tokens, the keys they are compared by, the diff, and
//! the words in a change that alter an obligation (numbers, units, negations, modal verbs,
//! parties).
//!
//! Strict comparison keys a word by its printed form (typographic quotes and dashes unified,
//! since a re-typed copy changes them without changing the agreement). With `ignore_ocr`, words
//! are keyed by their folded form (lower case, `æ`/`ae`, `ø`/`oe`/`o`, `å`/`aa`/`a`), and a
//! changed run of words whose letters differ only as OCR misreads them (`1den` / `I den`,
//! `geeldende` / `gældende`, a split word, stray punctuation) counts as equal. Digits other
//! than 0 and 1 (which OCR confuses with letters) must always match, so `48` never equals `24`.

use std::sync::OnceLock;

use regex::Regex;
use similar::{capture_diff_slices, Algorithm, DiffTag};

use crate::analysis::fold;
use crate::record::{Fact, WordChange};

/// One word or punctuation mark of a wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    /// Whitespace stood before it in the wording (for display).
    pub space_before: bool,
}

/// A wording split into tokens, with the key each is compared by.
#[derive(Debug, Clone, Default)]
pub struct Wording {
    pub tokens: Vec<Token>,
    pub keys: Vec<String>,
}

impl Wording {
    pub fn new(text: &str, ignore_ocr: bool) -> Wording {
        let tokens = tokenize(text);
        let keys = tokens.iter().map(|t| key(&t.text, ignore_ocr)).collect();
        Wording { tokens, keys }
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The keys of the words (punctuation left out), for bag-of-words similarity.
    pub fn word_keys(&self) -> impl Iterator<Item = &str> {
        self.keys
            .iter()
            .map(String::as_str)
            .filter(|k| k.chars().any(char::is_alphanumeric))
    }

    /// Every key joined: equal strings mean equal wordings.
    pub fn joined(&self) -> String {
        self.keys.join(" ")
    }

    /// Tokens `range` as a run of a diff: with a leading space where one stood before its first
    /// token, so that runs concatenate back into the wording.
    pub fn run(&self, range: std::ops::Range<usize>) -> String {
        let lead = self.tokens.get(range.start).is_some_and(|t| t.space_before);
        let text = self.display(range);
        if lead && !text.is_empty() {
            format!(" {text}")
        } else {
            text
        }
    }

    /// The printed form of tokens `range`.
    pub fn texts(&self, range: std::ops::Range<usize>) -> Vec<&str> {
        self.tokens[range].iter().map(|t| t.text.as_str()).collect()
    }

    /// Join tokens `range` back into display text.
    pub fn display(&self, range: std::ops::Range<usize>) -> String {
        join(&self.tokens[range])
    }
}

fn token_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Words and numbers keep inner dots, commas, hyphens, slashes and apostrophes
        // (`5.3`, `1.000`, `e-mail`, `24/7`), and the marks OCR prints for letters (`|nstruks`,
        // `H&ndværker`, `f@lgende`); any other non-space character is a token alone.
        Regex::new(r"\|?[\p{L}\p{N}]+(?:[.,:/\-'’@&£|][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]")
            .expect("static regex")
    })
}

/// Split a wording into words and punctuation marks.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut last_end = 0;
    for m in token_regex().find_iter(text) {
        let space_before = text[last_end..m.start()].chars().any(char::is_whitespace);
        out.push(Token {
            text: m.as_str().to_string(),
            space_before: space_before && !out.is_empty(),
        });
        last_end = m.end();
    }
    out
}

/// Join tokens into readable text.
pub fn join(tokens: &[Token]) -> String {
    let mut s = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 && t.space_before {
            s.push(' ');
        }
        s.push_str(&t.text);
    }
    s
}

/// The key a token is compared by.
fn key(token: &str, ignore_ocr: bool) -> String {
    let unified: String = token
        .chars()
        .map(|c| match c {
            '“' | '”' | '„' | '«' | '»' | '″' => '"',
            '‘' | '’' | '‚' | '′' | '`' | '´' => '\'',
            '–' | '—' | '‐' | '‑' | '−' => '-',
            c => c,
        })
        .collect();
    if ignore_ocr {
        fold(&unified)
    } else {
        unified
    }
}

/// The letters and digits of a run of keys as OCR cannot tell them apart: `1`, `l`, `|`, `i`
/// one letter; `0`, `o`, `@` one letter; punctuation dropped.
pub fn skeleton<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    let mut s = String::new();
    for k in keys {
        for c in fold(k).chars() {
            match c {
                '1' | 'l' | '|' | 'i' | '!' | 'í' => s.push('i'),
                '0' | '@' | 'o' => s.push('o'),
                '&' => s.push('a'),
                c if c.is_alphanumeric() => s.push(c),
                _ => {}
            }
        }
    }
    s
}

/// How OCR engines read the Danish letters (besides the letter itself): the repair stage's
/// confusion table, plus the plain ASCII spellings (`ae`, `oe`, `aa`).
fn readings(c: char) -> Vec<&'static str> {
    let mut out = crate::repair::misreadings_of(c);
    let ascii = match c {
        'æ' => "ae",
        'ø' => "oe",
        'å' => "aa",
        _ => return out,
    };
    if !out.contains(&ascii) {
        out.push(ascii);
    }
    out
}

/// Every way OCR could print `word` (lower case) by misreading its æ, ø and å; just the word
/// when it has more than three of them.
fn misreadings(word: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    if word.chars().filter(|&c| !readings(c).is_empty()).count() > 3 {
        return vec![word.to_string()];
    }
    for c in word.chars() {
        let own = c.to_string();
        let alternatives = readings(c);
        if alternatives.is_empty() {
            out.iter_mut().for_each(|s| s.push(c));
            continue;
        }
        let mut next = Vec::with_capacity(out.len() * (alternatives.len() + 1));
        for s in &out {
            next.push(format!("{s}{own}"));
            next.extend(alternatives.iter().map(|a| format!("{s}{a}")));
        }
        out = next;
    }
    out
}

/// Is one word the other with a Danish letter misread (`må` / `md`, `før` / `fgr`)?
fn misread_letters(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a == b || misreadings(&a).contains(&b) || misreadings(&b).contains(&a)
}

/// Do two runs of words differ only as OCR misreads text?
pub fn ocr_equal<S: AsRef<str>>(old: &[S], new: &[S]) -> bool {
    let a = skeleton(old.iter().map(AsRef::as_ref));
    let b = skeleton(new.iter().map(AsRef::as_ref));
    if a == b {
        return true;
    }
    if old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(x, y)| misread_letters(x.as_ref(), y.as_ref()))
    {
        return true;
    }
    let digits = |s: &str| -> String { s.chars().filter(|c| c.is_ascii_digit()).collect() };
    if digits(&a) != digits(&b) {
        return false;
    }
    let longest = a.chars().count().max(b.chars().count());
    let allowed = match longest {
        0..=3 => 0,
        4..=7 => 1,
        8..=15 => 2,
        n => n / 8,
    };
    allowed > 0 && strsim::levenshtein(&a, &b) <= allowed
}

/// The result of comparing two wordings.
#[derive(Debug, Clone, Default)]
pub struct WordDiff {
    /// Runs of equal, deleted and inserted text; equal runs show the new wording. Equal and
    /// deleted runs concatenate to the old wording, equal and inserted ones to the new.
    pub words: Vec<WordChange>,
    /// Share of tokens that are equal, 0.0–1.0.
    pub similarity: f64,
    /// Whether anything differs.
    pub changed: bool,
    /// The changed runs as (old text, new text) pairs, for [`notable`].
    pub hunks: Vec<(String, String)>,
}

/// Diff two wordings word by word. With `ignore_ocr`, changed runs that differ only as OCR
/// misreads text are counted as equal.
pub fn diff(old: &Wording, new: &Wording, ignore_ocr: bool) -> WordDiff {
    let ops = capture_diff_slices(Algorithm::Myers, &old.keys, &new.keys);
    let mut words: Vec<WordChange> = Vec::new();
    let mut hunks = Vec::new();
    let mut equal_tokens = 0usize;
    let push = |op: &str, text: String, words: &mut Vec<WordChange>| {
        if text.is_empty() {
            return;
        }
        match words.last_mut() {
            Some(last) if last.op == op => last.text.push_str(&text),
            _ => words.push(WordChange {
                op: op.to_string(),
                text,
            }),
        }
    };
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        let forgiven = tag != DiffTag::Equal
            && ignore_ocr
            && ocr_equal(&old.texts(o.clone()), &new.texts(n.clone()));
        if tag == DiffTag::Equal || forgiven {
            equal_tokens += n.len().max(o.len());
            push("equal", new.run(n), &mut words);
            continue;
        }
        push("delete", old.run(o.clone()), &mut words);
        push("insert", new.run(n.clone()), &mut words);
        hunks.push((old.display(o), new.display(n)));
    }
    let total = old.tokens.len().max(new.tokens.len());
    let similarity = if total == 0 {
        1.0
    } else {
        (equal_tokens.min(total) as f64 / total as f64 * 1000.0).round() / 1000.0
    };
    WordDiff {
        changed: !hunks.is_empty(),
        words,
        similarity,
        hunks,
    }
}

/// Words that alter an obligation when they change, by kind.
const NEGATIONS: &[&str] = &[
    "ikke", "ingen", "intet", "aldrig", "hverken", "ej", "not", "no", "never", "nor",
];
const MODALS: &[&str] = &[
    "skal", "kan", "må", "bør", "vil", "skulle", "kunne", "måtte", "burde", "ville", "shall",
    "must", "may", "can", "should", "will",
];
const UNITS: &[&str] = &[
    "time",
    "timer",
    "timers",
    "døgn",
    "dag",
    "dage",
    "dages",
    "arbejdsdag",
    "arbejdsdage",
    "arbejdsdages",
    "hverdag",
    "hverdage",
    "uge",
    "uger",
    "ugers",
    "måned",
    "måneder",
    "måneders",
    "år",
    "års",
    "kvartal",
    "kvartaler",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "%",
    "procent",
    "kr",
    "dkk",
    "eur",
];
/// Word stems naming a party of the agreement (or an authority it answers to).
const PARTIES: &[&str] = &[
    "databehandler",
    "dataansvarlig",
    "underdatabehandler",
    "underleverandør",
    "registrerede",
    "tilsynsmyndighed",
    "datatilsynet",
    "kunde",
    "leverandør",
    "processor",
    "controller",
    "sub-processor",
    "subprocessor",
];

fn kind_of_word(word: &str) -> Option<&'static str> {
    let lower = word.to_lowercase();
    if lower.chars().any(|c| c.is_ascii_digit()) {
        return Some("number");
    }
    if NEGATIONS.contains(&lower.as_str()) {
        return Some("negation");
    }
    if MODALS.contains(&lower.as_str()) {
        return Some("modal");
    }
    if UNITS.contains(&lower.as_str()) {
        return Some("unit");
    }
    if PARTIES.iter().any(|p| lower.starts_with(p)) {
        return Some("party");
    }
    None
}

/// The notable words of each changed run: one [`Fact`] per kind per run, with the run's old
/// and new wording.
pub fn notable(hunks: &[(String, String)]) -> Vec<Fact> {
    let mut facts: Vec<Fact> = Vec::new();
    for (old, new) in hunks {
        let mut kinds: Vec<&str> = Vec::new();
        let old_words: Vec<String> = tokenize(old).into_iter().map(|t| t.text).collect();
        let new_words: Vec<String> = tokenize(new).into_iter().map(|t| t.text).collect();
        // A word counts when it is on one side only: `skal` → `skal ikke` is a negation, not a
        // modal change.
        for (words, others) in [(&old_words, &new_words), (&new_words, &old_words)] {
            for w in words {
                if others.iter().any(|o| o.eq_ignore_ascii_case(w)) {
                    continue;
                }
                if let Some(kind) = kind_of_word(w) {
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
            }
        }
        for kind in ["number", "unit", "negation", "modal", "party"] {
            if kinds.contains(&kind) {
                facts.push(Fact {
                    kind: kind.to_string(),
                    old: (!old.is_empty()).then(|| old.clone()),
                    new: (!new.is_empty()).then(|| new.clone()),
                });
            }
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(old: &str, new: &str, ignore_ocr: bool) -> WordDiff {
        diff(
            &Wording::new(old, ignore_ocr),
            &Wording::new(new, ignore_ocr),
            ignore_ocr,
        )
    }

    #[test]
    fn tokens_keep_numbers_and_split_punctuation() {
        let t: Vec<String> = tokenize("jf. pkt. 5.3, senest 48 timer (e-mail).")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            ["jf", ".", "pkt", ".", "5.3", ",", "senest", "48", "timer", "(", "e-mail", ")", "."]
        );
        assert_eq!(
            join(&tokenize("jf. pkt. 5.3, senest 48 timer.")),
            "jf. pkt. 5.3, senest 48 timer."
        );
    }

    #[test]
    fn a_changed_deadline_is_one_run_with_number_and_unit() {
        let d = words(
            "Databehandleren underretter uden unødig forsinkelse den Dataansvarlige.",
            "Databehandleren underretter senest 48 timer den Dataansvarlige.",
            false,
        );
        assert!(d.changed);
        assert_eq!(
            d.hunks,
            [(
                "uden unødig forsinkelse".to_string(),
                "senest 48 timer".to_string()
            )]
        );
        let kinds: Vec<String> = notable(&d.hunks).into_iter().map(|f| f.kind).collect();
        assert_eq!(kinds, ["number", "unit"]);
        assert!(d.similarity > 0.6 && d.similarity < 1.0);
    }

    #[test]
    fn negation_and_modal_changes_are_called_out() {
        let d = words(
            "Databehandleren skal slette data.",
            "Databehandleren kan ikke slette data.",
            false,
        );
        let kinds: Vec<String> = notable(&d.hunks).into_iter().map(|f| f.kind).collect();
        assert_eq!(kinds, ["negation", "modal"]);
        let d = words(
            "Den Dataansvarlige underrettes.",
            "Databehandleren underrettes.",
            false,
        );
        let kinds: Vec<String> = notable(&d.hunks).into_iter().map(|f| f.kind).collect();
        assert_eq!(kinds, ["party"]);
    }

    #[test]
    fn typographic_quotes_and_dashes_are_no_change() {
        assert!(
            !words(
                "pkt. 10.1 – 10.5 (“Tjenesten”)",
                "pkt. 10.1 - 10.5 (\"Tjenesten\")",
                false
            )
            .changed
        );
    }

    #[test]
    fn ocr_misreadings_are_no_change_when_ignored_but_real_changes_stay() {
        let clean = "I den udstrækning Databehandleren benytter gældende regler, skal den Dataansvarlige underrettes inden 24 timer.";
        let ocr = "1den udstrzekning Databe handleren benytter geeldende regler skal den Dataansvarlige underrettes inden 24 timer.";
        assert!(words(clean, ocr, false).changed);
        assert!(
            !words(clean, ocr, true).changed,
            "{:?}",
            words(clean, ocr, true).hunks
        );
        let changed = clean.replace("24 timer", "48 timer");
        assert!(words(clean, &changed, true).changed);
        let negated = clean.replace("skal den", "skal ikke den");
        assert!(words(clean, &negated, true).changed);
        assert!(words(clean, &clean.replace("skal", "kan"), true).changed);
    }

    #[test]
    fn ocr_equality_keeps_digits_and_short_words_strict() {
        let k = |s: &str| -> Vec<String> { s.split(' ').map(str::to_string).collect() };
        assert!(ocr_equal(&k("ISO27002"), &k("1S0O27002")));
        assert!(!ocr_equal(&k("ISO27002"), &k("ISO27003")));
        assert!(!ocr_equal(&k("48"), &k("24")));
        assert!(!ocr_equal(&k("kan"), &k("må")));
        assert!(!ocr_equal(&k("30"), &k("50")));
        assert!(ocr_equal(&k("10"), &k("1O")));
        assert!(ocr_equal(&k("databe handleren"), &k("databehandleren")));
        assert!(ocr_equal(&k("må"), &k("md")));
        assert!(ocr_equal(&k("Må ikke"), &k("ma ikke")));
        assert!(!ocr_equal(&k("må"), &k("kan")));
    }
}
