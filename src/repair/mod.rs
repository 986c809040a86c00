//! OCR repair for Danish: turn `geeldende`, `ngermere`, `afggr`, `pa`, `1den` and `OVERFZRSEL`
//! back into `gældende`, `nærmere`, `afgør`, `på`, `I den` and `OVERFØRSEL`.
//!
//! OCR engines read the Danish letters æ, ø and å as look-alike ASCII and the capital `I` as
//! `1`, `l` or `|` (see `aftale_bench::damage` for the full model). Repair is a lexicon plus a table of
//! those confusions:
//!
//! 1. The text is cut into tokens: runs of letters, digits and the characters OCR puts in place of
//!    letters (`@`, `&`, `|`, `£`, and `/` before `E`). Everything else, including the line
//!    structure, is copied as it is: the output has exactly the lines of the input.
//! 2. A token that is a word of the lexicon (case-insensitively) is never changed: `for` stays
//!    `for`, not `før`. Mixed-case tokens (`TrueCommerce`) and single letters are left alone too.
//! 3. For any other token the search ([`search`]) walks the lexicon's trie and undoes up to three
//!    confusions (`ae`/`ee`/`ge`/`z` → `æ`, `g`/`o`/`@` → `ø`, `a`/`&`/`d` → `å`, `/E` → `Æ`,
//!    `Z` → `Ø`, a leading `1`/`l`/`|` → `I`, and, at a higher cost, the rarer `a`/`e` → `æ`/`ø`
//!    seen in real scans), keeping only readings that are a word of the lexicon, a compound of
//!    two or three (with the linking `s`: `tredjelandsoverførsel`; after a prefix such as `u`,
//!    `ind`, `sam`), or a word with an inflection ending the list lacks (`ophør` + `et`). The
//!    reading with the best frequency less edit cost wins, if it is good enough; plain words beat
//!    compounds, compounds and inflected readings may only rest on the strong confusions, and
//!    short tokens need a frequent plain word (`pa` → `på`, `ma` → `må`).
//! 4. A token that already reads as a compound or an inflected word without any edit
//!    (`tvister`, `sikkerhedsopsætningen`) is kept unless a plain word of the list is a clearly
//!    better reading (`medfor` → `medfør`, `aret` → `året`).
//! 5. A leading `1`, `l` or `|` may also be the word `I` whose space OCR lost: `1den` → `I den`,
//!    `ltilfeelde` → `I tilfælde` (the rest is repaired on its own). A standalone `|` or `l`
//!    before a known lower-case word is `I` at a sentence start or before a word that typically
//!    follows `I` (`8.2. | det omfang`), but not in a table row with more `|`; a standalone `1`
//!    is `I` only at a sentence start before `den`, `det`, `tilfælde`, … (`bilag 1 til` stays).
//! 6. Codes of known standards are fixed by a small rule: `1S0O27002` → `ISO27002`,
//!    `IS0/1EC` → `ISO/IEC`, and an `O` among the digits of a number becomes `0` (`27OO1`).
//! 7. The case pattern of the token is kept: `OVERFZRSEL` → `OVERFØRSEL`, `Geeldende` →
//!    `Gældende`, `/ENDRING` → `ÆNDRING` (a leading `@` at a sentence start is a capital).
//!
//! Repair assumes Danish: English words that look like Danish without its letters (`made`,
//! `seed`) would be "repaired", so run it on text detected as Danish only.
//!
//! The lexicon (`lexicon.tsv`, about 29,000 words) is wordfreq's Danish list, CC BY-SA 4.0,
//! filtered of junk and of OCR forms such as `pa` and `ma`, plus a few hundred words of general
//! data processing agreement and GDPR vocabulary the list lacks (`databehandleren`,
//! `tredjelandsoverførsel`, …) from the hand-written `dpa_vocabulary.txt`; no word is taken from
//! any agreement, so no vendor's names or typos are in it. `make_lexicon.py` beside them
//! regenerates it. [`Repairer::with_words`] adds
//! words learned elsewhere (say, from clean documents in the same index).
//!
//! Cost: each distinct token is looked at once per call (a cache), and each search is bounded, so
//! repair is linear in the text; a megabyte takes well under a second in a release build. It
//! never panics.

mod lexicon;
mod search;

/// How OCR prints a Danish letter (`æ`, `ø`, `å`) besides the letter itself, lower case, from
/// the one confusion table repair also undoes; empty for every other letter.
pub fn misreadings_of(letter: char) -> Vec<&'static str> {
    search::RULES
        .iter()
        .filter(|r| r.to == letter && matches!(letter, 'æ' | 'ø' | 'å'))
        .map(|r| r.from)
        .collect()
}

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

use lexicon::Lexicon;
use search::{Found, Limits};

/// The built-in word list (see the module doc and the header of the file).
const LEXICON_TSV: &str = include_str!("lexicon.tsv");

/// Zipf frequency given to words added with [`Repairer::with_words`] that the list lacks.
const ADDED_ZIPF: f32 = 3.0;

/// Never words, whatever a list says: OCR forms of `på`, `må`, `så`, `få`, `nå`, `gå`, `lå`,
/// `år`, `øl`.
const NOT_WORDS: &[&str] = &["pa", "ma", "sa", "fa", "na", "ga", "la", "ar", "ol"];

/// Words after which a standalone `1` at a sentence start is the word `I`.
const I_FOLLOWERS: &[&str] = &[
    "den",
    "det",
    "de",
    "dette",
    "denne",
    "disse",
    "tilfælde",
    "henhold",
    "forbindelse",
    "overensstemmelse",
    "øvrigt",
    "medfør",
    "forhold",
    "løbet",
    "samme",
    "sådanne",
];

/// Standards (and the acronym `IT`) whose codes are fixed by the standards rule.
const STANDARDS: &[&str] = &[
    "ISO", "IEC", "ISAE", "SOC", "NIST", "PCI", "DSS", "HIPAA", "GDPR", "ISMS", "EN", "DS", "IT",
];

/// Abbreviations that look like damaged words and are kept (`3 md.` is three months, not `må`).
const KEEP: &[&str] = &["md"];

/// Tokens longer than this (in chars) are never repaired.
const MAX_TOKEN: usize = 40;

/// Lowest score (frequency less edit cost) a repair must reach.
const MIN_SCORE: f32 = 0.5;

/// How much better than its reading as a compound a repair of a compound-looking token must be.
const COMPOUND_MARGIN: f32 = 0.5;

static DANISH: LazyLock<Repairer> = LazyLock::new(|| Repairer {
    lexicon: Lexicon::parse(LEXICON_TSV),
});

/// Repair OCR damage in Danish text. Line structure is preserved: the output has the same
/// number of lines, and only words are changed.
pub fn repair(text: &str) -> String {
    Repairer::danish().repair(text)
}

/// How the words met so far were repaired (`None`: left as they are), for
/// [`Repairer::repair_cached`].
#[derive(Debug, Default)]
pub struct RepairCache {
    tokens: HashMap<String, Option<String>>,
}

/// OCR repair with a lexicon: the built-in Danish one ([`Repairer::danish`]), perhaps with
/// extra known-good words ([`Repairer::with_words`]).
#[derive(Debug, Clone)]
pub struct Repairer {
    lexicon: Lexicon,
}

impl Repairer {
    /// The built-in Danish lexicon, built once.
    pub fn danish() -> &'static Repairer {
        &DANISH
    }

    /// A copy of this repairer that also knows `words` (alphabetic words of 3 to 40 letters;
    /// anything else, and the OCR forms `pa`, `ma`, … , is ignored).
    pub fn with_words<'a>(&self, words: impl IntoIterator<Item = &'a str>) -> Repairer {
        let mut lexicon = self.lexicon.clone();
        for word in words {
            let lower = word.to_lowercase();
            let len = lower.chars().count();
            if (3..=MAX_TOKEN).contains(&len)
                && lower.chars().all(char::is_alphabetic)
                && !NOT_WORDS.contains(&lower.as_str())
            {
                lexicon.insert(&lower, ADDED_ZIPF);
            }
        }
        Repairer { lexicon }
    }

    /// Number of words in the lexicon.
    pub fn len(&self) -> usize {
        self.lexicon.len()
    }

    /// Whether the lexicon is empty (never, for [`Repairer::danish`]).
    pub fn is_empty(&self) -> bool {
        self.lexicon.len() == 0
    }

    /// Whether `w` reads as Danish, case-insensitively: a word of the lexicon, or a compound or
    /// an inflected form of its words. Repair never changes a word of the lexicon; a compound or
    /// inflected reading yields only to a clearly better word of the lexicon.
    pub fn is_word(&self, w: &str) -> bool {
        let lower: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
        self.known(&lower).is_some()
    }

    /// Repair OCR damage in `text` (see the module doc). The output has the same lines as the
    /// input; only words change.
    pub fn repair(&self, text: &str) -> String {
        self.repair_cached(text, &mut RepairCache::default())
    }

    /// [`Repairer::repair`], remembering in `cache` how each word was repaired, for the next
    /// texts of the same document (a document repeats its words; issue 9). A cache belongs to
    /// one repairer: its answers hold for this lexicon only.
    pub fn repair_cached(&self, text: &str, cache: &mut RepairCache) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 16);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            self.repair_line(line, cache, &mut out);
        }
        out
    }

    fn repair_line(&self, line: &str, cache: &mut RepairCache, out: &mut String) {
        let spans = tokens(line);
        let mut fixed: Vec<Option<String>> = Vec::with_capacity(spans.len());
        for &(start, end) in &spans {
            let token = &line[start..end];
            let repaired = match cache.tokens.get(token) {
                Some(hit) => hit.clone(),
                None => {
                    let r = self.repair_token(token);
                    cache.tokens.insert(token.to_string(), r.clone());
                    r
                }
            };
            fixed.push(repaired);
        }
        self.standalone_i(line, &spans, &mut fixed);
        // `@` stands for `Æ`/`Ø` as well as `æ`/`ø`: at a sentence start it was a capital.
        for (&(start, end), repaired) in spans.iter().zip(fixed.iter_mut()) {
            if let Some(r) = repaired {
                if line[start..end].starts_with('@')
                    && r.starts_with(char::is_lowercase)
                    && sentence_start(line[..start].trim_end())
                {
                    *r = capitalise(r);
                }
            }
        }
        let mut at = 0;
        for (&(start, end), repaired) in spans.iter().zip(&fixed) {
            if let Some(r) = repaired {
                out.push_str(&line[at..start]);
                out.push_str(r);
                at = end;
            }
        }
        out.push_str(&line[at..]);
    }

    /// The reading of `lower` as a known word or compound, without edits.
    fn known(&self, lower: &[char]) -> Option<Found> {
        if let Some(z) = self.lexicon.zipf_chars(lower) {
            return Some(Found {
                word: lower.iter().collect(),
                score: z,
                freq: z,
                parts: 1,
                suffix: false,
                edits: 0,
                initial_i: false,
            });
        }
        if lower.len() > MAX_TOKEN {
            return None;
        }
        search::best(
            &self.lexicon,
            lower,
            Limits {
                min_edits: 0,
                max_edits: 0,
                max_cost: 0.0,
                compounds: true,
                upper: false,
            },
        )
    }

    /// The repair of one token, or `None` to keep it.
    fn repair_token(&self, token: &str) -> Option<String> {
        let n = token.chars().count();
        if !(2..=MAX_TOKEN).contains(&n) {
            return None;
        }
        if let Some(code) = fix_standard(token) {
            return Some(code);
        }
        if let Some(number) = fix_number(token) {
            return Some(number);
        }
        if !is_wordlike(token) {
            return None;
        }
        let case = case_of(token);
        if case == Case::Mixed {
            return None;
        }
        let lower: Vec<char> = token.chars().flat_map(char::to_lowercase).collect();
        if KEEP.iter().any(|k| k.chars().eq(lower.iter().copied())) {
            return None;
        }
        let known = self.known(&lower);
        if known.as_ref().is_some_and(|k| k.parts == 1 && !k.suffix) {
            return None;
        }
        let letters = letter_count(&lower);
        let limits = Limits {
            min_edits: 1,
            max_edits: 3,
            max_cost: 3.5,
            compounds: letters >= 6,
            upper: case == Case::Upper,
        };
        let strong = has_strong_signal(&lower);
        let vowel = has_vowel(&lower) || lower.last() == Some(&'d');
        let joined = search::best(&self.lexicon, &lower, limits)
            .filter(|f| f.edits > 0 && acceptable(f, letters, strong, vowel));
        let split = self.split_initial_i(token, &lower);
        let choice = match (joined, split) {
            (Some(j), Some((s, score))) => {
                if score > j.score {
                    Choice::Split(s)
                } else {
                    Choice::Joined(j)
                }
            }
            (Some(j), None) => Choice::Joined(j),
            (None, Some((s, _))) => Choice::Split(s),
            (None, None) => return None,
        };
        if let Some(k) = &known {
            // The token reads as an inflected word: only a word of the list replaces it. It
            // reads as a compound: only a clearly better plain (perhaps inflected) word does.
            let beats = match &choice {
                Choice::Joined(j) if k.parts == 1 => j.parts == 1 && !j.suffix,
                Choice::Joined(j) => {
                    j.parts == 1 && j.score >= search::rank(k.score, k.parts) + COMPOUND_MARGIN
                }
                Choice::Split(_) => false,
            };
            if !beats {
                return None;
            }
        }
        match choice {
            Choice::Joined(j) => Some(apply_case(&j.word, case, j.initial_i)),
            Choice::Split(s) => Some(s),
        }
    }

    /// `1den` → `I den`, `ltilfeelde` → `I tilfælde`: a leading `1`, `l` or `|` that is the word
    /// `I` with its space lost. Returns the text and its score.
    fn split_initial_i(&self, token: &str, lower: &[char]) -> Option<(String, f32)> {
        let first = token.chars().next()?;
        if !matches!(first, '1' | 'l' | '|') {
            return None;
        }
        let rest = &token[first.len_utf8()..];
        let rest_lower = lower.get(1..)?;
        if rest_lower.len() < 2 || !rest.starts_with(char::is_alphabetic) {
            return None;
        }
        let rest_case = case_of(rest);
        if rest_case == Case::Mixed {
            return None;
        }
        let (word, score) = match self.lexicon.zipf_chars(rest_lower) {
            Some(z) => (rest.to_string(), z),
            None => {
                let letters = letter_count(rest_lower);
                let strong = has_strong_signal(rest_lower);
                let vowel = has_vowel(rest_lower) || rest_lower.last() == Some(&'d');
                let found = search::best(
                    &self.lexicon,
                    rest_lower,
                    Limits {
                        min_edits: 1,
                        max_edits: 3,
                        max_cost: 3.5,
                        compounds: letters >= 6,
                        upper: rest_case == Case::Upper,
                    },
                )
                .filter(|f| f.edits > 0 && !f.initial_i && acceptable(f, letters, strong, vowel))?;
                (apply_case(&found.word, rest_case, false), found.score)
            }
        };
        // The rest must be a word that can follow `I`: frequent, or repaired with confidence.
        if score < 3.0 {
            return None;
        }
        Some((format!("I {word}"), score - 0.5))
    }

    /// Standalone `|`, `l` or `1` that is the word `I` (`| det omfang`, `1.2. 1 den`).
    fn standalone_i(&self, line: &str, spans: &[(usize, usize)], fixed: &mut [Option<String>]) {
        for i in 0..spans.len() {
            let (start, end) = spans[i];
            let token = &line[start..end];
            if !matches!(token, "|" | "l" | "1") {
                continue;
            }
            let Some(&(next_start, next_end)) = spans.get(i + 1) else {
                continue;
            };
            let gap = &line[end..next_start];
            if gap.is_empty() || !gap.chars().all(|c| c == ' ') {
                continue;
            }
            let next = fixed
                .get(i + 1)
                .and_then(|f| f.as_deref())
                .unwrap_or(&line[next_start..next_end]);
            if !next.starts_with(char::is_lowercase) || !self.is_word(next) {
                continue;
            }
            let before = line[..start].trim_end();
            let follower = I_FOLLOWERS.contains(&next);
            let ok = match token {
                "1" => follower && sentence_start(before),
                // `|` and `l` also stand between table cells and after numbers (`5 l`): only at
                // a sentence start or before a typical follower, and not in a table row.
                _ => (follower || sentence_start(before)) && line.matches(token).count() == 1,
            };
            if ok {
                if let Some(slot) = fixed.get_mut(i) {
                    *slot = Some("I".to_string());
                }
            }
        }
    }
}

enum Choice {
    Joined(Found),
    Split(String),
}

/// Whether a reading found with edits is good enough to replace a token of `letters` letters
/// (`strong`: the token has a character that is almost surely damage; `vowel`: it has a vowel,
/// or ends in the `d` OCR writes for `å`, without which a two-letter token is an abbreviation,
/// not a damaged word).
fn acceptable(found: &Found, letters: usize, strong: bool, vowel: bool) -> bool {
    match letters {
        0 | 1 => false,
        2 => found.parts == 1 && found.freq >= 4.9 && found.edits == 1 && (strong || vowel),
        3 => {
            let least = if strong { 3.0 } else { 4.0 };
            found.parts == 1 && found.freq >= least && found.score >= MIN_SCORE
        }
        _ => found.score >= MIN_SCORE,
    }
}

/// Letters of a token, counting the characters OCR writes for letters.
fn letter_count(lower: &[char]) -> usize {
    lower
        .iter()
        .filter(|&&c| c.is_alphabetic() || matches!(c, '@' | '&' | '|' | '£'))
        .count()
}

fn has_vowel(lower: &[char]) -> bool {
    lower.iter().any(|c| "aeiouyæøå".contains(*c))
}

/// Whether a (lower-cased) token has a character Danish words do not have, which OCR writes
/// for æ, ø or å.
fn has_strong_signal(lower: &[char]) -> bool {
    lower
        .iter()
        .any(|&c| matches!(c, '@' | '&' | '|' | '£' | '/' | 'z' | '0' | '1'))
}

/// Whether the text before a standalone `1` ends a sentence or is a clause number.
fn sentence_start(before: &str) -> bool {
    if before.is_empty() {
        return true;
    }
    let Some(head) = before.strip_suffix(['.', ':']) else {
        return false;
    };
    let last = head
        .rsplit(|c: char| c.is_whitespace() || c == '.')
        .next()
        .unwrap_or("");
    last.is_empty()
        || last.chars().all(|c| c.is_ascii_digit())
        || last.chars().filter(|c| c.is_alphabetic()).count() >= 4
}

/// Case pattern of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Lower,
    /// First letter upper case, the rest lower.
    Title,
    /// All letters upper case (two or more).
    Upper,
    Mixed,
}

/// The case pattern of `token`, reading `£` as a capital letter, a leading `1` or `|` as the
/// capital `I`, and ignoring a leading `l` before more letters (it may be either).
fn case_of(token: &str) -> Case {
    // `AE` for `Æ` at the start of a capitalised word (`AEndringer`).
    let token = match token.strip_prefix("AE") {
        Some(rest) if rest.starts_with(char::is_lowercase) => &token[1..],
        _ => token,
    };
    let mut pattern: Vec<bool> = Vec::with_capacity(token.len());
    let mut chars = token.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let at_start = first;
        first = false;
        if c == '£' || (at_start && matches!(c, '1' | '|')) {
            pattern.push(true);
        } else if at_start && c == 'l' && chars.peek().is_some_and(|n| n.is_alphabetic()) {
            continue;
        } else if c.is_uppercase() {
            pattern.push(true);
        } else if c.is_lowercase() {
            pattern.push(false);
        }
    }
    match pattern.split_first() {
        None => Case::Lower,
        Some((&first, rest)) => {
            if rest.iter().all(|&u| !u) {
                if first {
                    Case::Title
                } else {
                    Case::Lower
                }
            } else if first && rest.iter().all(|&u| u) {
                Case::Upper
            } else {
                Case::Mixed
            }
        }
    }
}

/// `word` (lower case) in the case pattern `case`; `capital_first` forces an upper-case first
/// letter (a restored `I`).
fn apply_case(word: &str, case: Case, capital_first: bool) -> String {
    match case {
        Case::Upper => word.to_uppercase(),
        Case::Title => capitalise(word),
        Case::Lower | Case::Mixed if capital_first => capitalise(word),
        Case::Lower | Case::Mixed => word.to_string(),
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A token the word search may look at: letters and the OCR stand-ins for letters, with digits
/// only as a leading `1` (a misread `I`) or a `0` among letters (a misread `O`).
fn is_wordlike(token: &str) -> bool {
    let chars: Vec<char> = token.chars().collect();
    let mut letters = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_alphabetic() || matches!(c, '@' | '&' | '|' | '£') {
            letters += 1;
            continue;
        }
        let ok = match c {
            '/' => true,
            '1' => i == 0,
            '0' => {
                i > 0
                    && chars.get(i - 1).is_some_and(|p| p.is_alphabetic())
                    && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())
            }
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    letters >= 2
}

/// `1S0O27002` → `ISO27002`, `IS0` → `ISO`, `1EC` → `IEC`: a token that reads as a known
/// standard's name once `1`/`l`/`|` are taken for `I` and `0` for `O` (a doubled `O` is one),
/// followed by digits in which an `O` is a `0`.
fn fix_standard(token: &str) -> Option<String> {
    let chars: Vec<char> = token.chars().collect();
    if chars.len() > 20 {
        return None;
    }
    // Upper case, digits and the stand-ins only (a leading `l` may be an `I`).
    let plausible = chars.iter().enumerate().all(|(i, &c)| {
        c.is_ascii_uppercase() || c.is_ascii_digit() || c == '|' || (c == 'l' && i == 0)
    });
    if !plausible {
        return None;
    }
    for k in (1..=chars.len()).rev() {
        let (head, tail) = chars.split_at(k);
        let mut name = String::with_capacity(k);
        for &c in head {
            let c = match c {
                '1' | '|' | 'l' => 'I',
                '0' => 'O',
                c => c,
            };
            if c == 'O' && name.ends_with('O') {
                continue;
            }
            name.push(c);
        }
        if !STANDARDS.contains(&name.as_str()) {
            continue;
        }
        if !tail.iter().all(|&c| c.is_ascii_digit() || c == 'O') {
            continue;
        }
        if !tail.is_empty() && !tail.iter().any(char::is_ascii_digit) {
            continue;
        }
        let fixed: String = name
            .chars()
            .chain(tail.iter().map(|&c| if c == 'O' { '0' } else { c }))
            .collect();
        return (fixed != token).then_some(fixed);
    }
    None
}

/// `27OO1` → `27001`: digits with an `O` among them (three or more digits, a digit first;
/// `O365` is a name).
fn fix_number(token: &str) -> Option<String> {
    let digits = token.chars().filter(char::is_ascii_digit).count();
    let ohs = token.chars().filter(|&c| c == 'O').count();
    if digits < 3
        || ohs == 0
        || digits + ohs != token.chars().count()
        || !token.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    Some(token.replace('O', "0"))
}

/// Byte spans of the tokens of `line`: runs of letters, digits, `@`, `&`, `|`, `£`, and `/` when
/// it stands before `E`/`e` at the start of a token (`/ENDRING`, the OCR form of `ÆNDRING`).
fn tokens(line: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let mut iter = line.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let word_char = c.is_alphanumeric()
            || matches!(c, '@' | '&' | '|' | '£')
            || (c == '/' && start.is_none() && matches!(next, Some('E' | 'e')));
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, line.len()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(text: &str) -> String {
        repair(text)
    }

    #[test]
    fn lexicon_is_loaded_and_clean() {
        let danish = Repairer::danish();
        assert!(danish.len() > 25_000, "{}", danish.len());
        for word in [
            "og",
            "på",
            "for",
            "databehandler",
            "underdatabehandler",
            "tilfælde",
        ] {
            assert!(danish.is_word(word), "{word}");
        }
        for damaged in [
            "geeldende",
            "ngermere",
            "afggr",
            "pa",
            "ma",
            "sa",
            "fa",
            "bistd",
            "fglgende",
            "medfgr",
        ] {
            assert!(!danish.is_word(damaged), "{damaged}");
        }
    }

    #[test]
    fn known_words_are_never_changed() {
        let text = "for at sikre at den Dataansvarlige og Databehandleren har aftalt følgende";
        assert_eq!(r(text), text);
        assert_eq!(r("FOR"), "FOR");
    }

    #[test]
    fn typical_damage_is_repaired() {
        assert_eq!(
            r("den til enhver tid geeldende"),
            "den til enhver tid gældende"
        );
        assert_eq!(r("som ngermere beskrevet"), "som nærmere beskrevet");
        assert_eq!(
            r("Dataansvarlig afggr varigheden"),
            "Dataansvarlig afgør varigheden"
        );
        assert_eq!(r("behandler pa vegne af"), "behandler på vegne af");
        assert_eq!(r("ma alene behandle"), "må alene behandle");
        assert_eq!(r("skal bistd ved"), "skal bistå ved");
        assert_eq!(r("der fglgende"), "der følgende");
        assert_eq!(r("i medfgr af"), "i medfør af");
    }

    #[test]
    fn letters_read_as_accented_letters_of_other_languages_are_repaired() {
        assert_eq!(
            r("forhold der pávirker behandlingen"),
            "forhold der påvirker behandlingen"
        );
        assert_eq!(r("skal fölge instruksen"), "skal følge instruksen");
        assert_eq!(r("den gceldende lovgivning"), "den gældende lovgivning");
        assert_eq!(r("DE F0LGENDE VILKÅR"), "DE FØLGENDE VILKÅR");
        // Intact words stay, whatever the table allows.
        assert_eq!(r("en café i Málaga"), "en café i Málaga");
    }

    #[test]
    fn case_pattern_is_kept() {
        assert_eq!(
            r("6. OVERFZRSEL TIL TREDJELANDE"),
            "6. OVERFØRSEL TIL TREDJELANDE"
        );
        assert_eq!(r("Geeldende lovgivning"), "Gældende lovgivning");
        assert_eq!(
            r("9. ANSVAR OG ANSVARSBEGRAENSNINGER"),
            "9. ANSVAR OG ANSVARSBEGRÆNSNINGER"
        );
        assert_eq!(r("8. /ENDRING AF INSTRUKSEN"), "8. ÆNDRING AF INSTRUKSEN");
        assert_eq!(r("AEndringer af @ndringerne"), "Ændringer af ændringerne");
        assert_eq!(r("5.2. @konomisk ansvar"), "5.2. Økonomisk ansvar");
    }

    #[test]
    fn misread_capital_i() {
        assert_eq!(r("1.2. 1den forbindelse"), "1.2. I den forbindelse");
        assert_eq!(r("3.3.4. ltilfeelde af, at"), "3.3.4. I tilfælde af, at");
        assert_eq!(r("8.2. | det omfang"), "8.2. I det omfang");
        assert_eq!(r("1.2. 1 den forbindelse"), "1.2. I den forbindelse");
        assert_eq!(r("efter lnstruks fra"), "efter Instruks fra");
        // A number stays a number.
        assert_eq!(r("bilag 1 til aftalen"), "bilag 1 til aftalen");
        assert_eq!(r("pkt. 1 og 2"), "pkt. 1 og 2");
        assert_eq!(r("5 l vand"), "5 l vand");
        assert_eq!(r("| navn | den |"), "| navn | den |");
        assert_eq!(
            r("se README.md og 3 md. varsel"),
            "se README.md og 3 md. varsel"
        );
        assert_eq!(r("pd vegne, sd vidt"), "på vegne, så vidt");
    }

    #[test]
    fn standards_rule() {
        assert_eq!(r("15.2. 1S0O27002"), "15.2. ISO27002");
        assert_eq!(r("IS0/1EC 27OO1"), "ISO/IEC 27001");
        assert_eq!(r("ISO27001 og ISO-27002"), "ISO27001 og ISO-27002");
        assert_eq!(r("IS0-27OO2"), "ISO-27002");
        assert_eq!(r("lT-systemer"), "IT-systemer");
        assert_eq!(fix_standard("10"), None);
        assert_eq!(fix_standard("SO"), None);
    }

    #[test]
    fn short_tokens_and_symbols() {
        assert_eq!(r("sa vidt"), "så vidt");
        assert_eq!(r("fa udleveret"), "få udleveret");
        assert_eq!(r("Egholt & Søn"), "Egholt & Søn");
        assert_eq!(r("R&D"), "R&D");
        assert_eq!(r("a) b) c)"), "a) b) c)");
        assert_eq!(r("og/eller"), "og/eller");
    }

    #[test]
    fn lines_are_kept() {
        let text = "1. Indledning\r\n\nDatabe-\nhandleren pa\n\n";
        let out = r(text);
        assert_eq!(out, "1. Indledning\r\n\nDatabe-\nhandleren på\n\n");
    }

    #[test]
    fn with_words_adds_vocabulary() {
        let base = Repairer::danish();
        assert!(!base.is_word("zyxbogen"));
        let more = base.with_words(["Zyxbogen", "pa", "x", "ab1"]);
        assert!(more.is_word("zyxbogen"));
        assert!(!more.is_word("pa"));
        assert!(!more.is_word("ab1"));
        assert_eq!(more.repair("i Zyxbogen"), "i Zyxbogen");
    }

    #[test]
    fn case_classes() {
        assert_eq!(case_of("OVERFZRSEL"), Case::Upper);
        assert_eq!(case_of("Geeldende"), Case::Title);
        assert_eq!(case_of("geeldende"), Case::Lower);
        assert_eq!(case_of("TrueCommerce"), Case::Mixed);
        assert_eq!(case_of("£ndringer"), Case::Title);
        assert_eq!(case_of("lNDLEDNING"), Case::Upper);
        assert_eq!(case_of("1den"), Case::Title);
        assert_eq!(case_of("AEndringer"), Case::Title);
        assert_eq!(case_of("AENDRINGER"), Case::Upper);
        assert_eq!(apply_case("ændring", Case::Upper, false), "ÆNDRING");
    }

    #[test]
    fn tokens_are_found() {
        let line = "(/ENDRING) og/eller p& EU-retten";
        let found: Vec<&str> = tokens(line).iter().map(|&(s, e)| &line[s..e]).collect();
        assert_eq!(found, ["/ENDRING", "og", "eller", "p&", "EU", "retten"]);
    }

    proptest! {
        #[test]
        fn repair_never_panics_and_keeps_lines(text in any::<String>()) {
            let out = repair(&text);
            prop_assert_eq!(out.split('\n').count(), text.split('\n').count());
            prop_assert_eq!(out.lines().count(), text.lines().count());
        }

        #[test]
        fn repair_never_panics_on_danish_like_text(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "I", " ", "\n", "1", "l", "|", "@", "&", "£", "/E", "/", "0", "O", "ae", "ee",
                    "ge", "z", "g", "a", "d", "pa", "geeldende", "1S0O27002", "ISO", "-", "s",
                    "tredjelands", "overfzrsel", "İ", "ß", "\u{301}", "\r",
                ]),
                0..80,
            ),
        ) {
            let text = parts.concat();
            let out = repair(&text);
            prop_assert_eq!(out.split('\n').count(), text.split('\n').count());
        }
    }
}
