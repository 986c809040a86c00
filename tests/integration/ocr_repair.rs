//! OCR repair measured end to end: clean Danish text is damaged with the damage model
//! (`aftale_bench::damage`), normalised as the pipeline does (which joins the hyphenated
//! re-wrapping), repaired (`aftale::repair::repair`), and compared word by word with the clean
//! original.
//!
//! The lexicon's agreement vocabulary is hand-written (`src/repair/dpa_vocabulary.txt`), no
//! document's words: the three text fixtures and `corpus/002_…` are all held out; `002` is
//! reported on its own. The real OCR
//! file `corpus/001_…` is checked for a list of known repairs. Run with `--nocapture` to see the
//! numbers.

use std::time::Instant;

use aftale::repair::{repair, Repairer};
use aftale::text::normalise;
use aftale_bench::damage::damage;

use crate::util::repo;

/// Seeds each text is damaged with.
const SEEDS: std::ops::Range<u64> = 0..8;

/// Least share of damaged words that repair must restore on the held-out texts.
const MIN_RESTORED_HELD_OUT: f64 = 0.9;

/// Least share on `corpus/002_…`.
const MIN_RESTORED_002: f64 = 0.95;

/// Most share of intact words that repair may change.
const MAX_FALSE_CHANGE: f64 = 0.005;

fn read(rel: &str) -> Vec<u8> {
    let path = repo(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn windows1252() -> String {
    let bytes = read("fixtures/inputs/text/windows1252.txt");
    let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert!(!bad);
    text.into_owned()
}

fn utf8_bom() -> String {
    let bytes = read("fixtures/inputs/text/utf8_bom.txt");
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(body.to_vec()).unwrap_or_else(|e| panic!("utf8_bom.txt: {e}"))
}

fn utf16_bom() -> String {
    let bytes = read("fixtures/inputs/text/utf16_bom.txt");
    let body = bytes.strip_prefix(b"\xFF\xFE").unwrap_or(&bytes);
    let (text, bad) = encoding_rs::UTF_16LE.decode_without_bom_handling(body);
    assert!(!bad);
    text.into_owned()
}

fn corpus(prefix: &str) -> String {
    let dir = repo("corpus");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("corpus: {e}"));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) {
            return String::from_utf8_lossy(&read(&format!("corpus/{name}"))).into_owned();
        }
    }
    panic!("no corpus file {prefix}*");
}

/// Characters OCR puts in place of letters: kept in words so that `p&` stays one word.
fn glyph(c: char) -> bool {
    matches!(c, '@' | '&' | '|' | '£' | '/')
}

/// The words of a text: whitespace-separated, without punctuation around them.
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && !glyph(c)))
        .filter(|w| !w.is_empty())
        .collect()
}

/// For each word of `a`: whether a longest common subsequence of `a` and `b` matches it.
fn matched(a: &[&str], b: &[&str]) -> Vec<bool> {
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    let mut table = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i * width + j] = if a[i] == b[j] {
                table[(i + 1) * width + j + 1] + 1
            } else {
                table[(i + 1) * width + j].max(table[i * width + j + 1])
            };
        }
    }
    let mut hit = vec![false; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            hit[i] = true;
            i += 1;
            j += 1;
        } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    hit
}

#[derive(Debug, Default, Clone, Copy)]
struct Score {
    /// Clean words that the damage changed.
    damaged: usize,
    /// … of which repair restored the original.
    restored: usize,
    /// Clean words the damage left intact.
    intact: usize,
    /// … of which repair changed.
    broken: usize,
}

impl Score {
    fn add(&mut self, other: Score) {
        self.damaged += other.damaged;
        self.restored += other.restored;
        self.intact += other.intact;
        self.broken += other.broken;
    }

    fn restored_share(&self) -> f64 {
        self.restored as f64 / self.damaged.max(1) as f64
    }

    fn false_change_rate(&self) -> f64 {
        self.broken as f64 / self.intact.max(1) as f64
    }
}

/// Damage `clean` at every seed, normalise, repair, and score against the clean words.
fn measure(name: &str, clean: &str, examples: &mut Vec<String>) -> Score {
    let clean = normalise(&[clean.to_string()]).text;
    let clean_words = words(&clean);
    let mut total = Score::default();
    for seed in SEEDS {
        let damaged = normalise(&[damage(&clean, seed)]).text;
        let repaired = repair(&damaged);
        assert_eq!(repaired.lines().count(), damaged.lines().count());
        let damaged_words = words(&damaged);
        let repaired_words = words(&repaired);
        let survived = matched(&clean_words, &damaged_words);
        let right = matched(&clean_words, &repaired_words);
        let mut score = Score::default();
        for (i, (&s, &r)) in survived.iter().zip(&right).enumerate() {
            match (s, r) {
                (true, true) => score.intact += 1,
                (true, false) => {
                    score.intact += 1;
                    score.broken += 1;
                    examples.push(format!(
                        "{name} seed {seed}: intact {:?} changed",
                        clean_words[i]
                    ));
                }
                (false, true) => {
                    score.damaged += 1;
                    score.restored += 1;
                }
                (false, false) => {
                    score.damaged += 1;
                    examples.push(format!(
                        "{name} seed {seed}: {:?} not restored",
                        clean_words[i]
                    ));
                }
            }
        }
        total.add(score);
    }
    eprintln!(
        "ocr_repair {name}: {} words x {} seeds; damaged {}, restored {} ({:.1}%); intact {}, wrongly changed {} ({:.2}%)",
        clean_words.len(),
        SEEDS.end - SEEDS.start,
        total.damaged,
        total.restored,
        100.0 * total.restored_share(),
        total.intact,
        total.broken,
        100.0 * total.false_change_rate(),
    );
    total
}

#[test]
fn damaged_held_out_texts_are_restored() {
    let mut examples = Vec::new();
    let mut held_out = Score::default();
    for (name, text) in [
        ("windows1252.txt", windows1252()),
        ("utf8_bom.txt", utf8_bom()),
        ("utf16_bom.txt", utf16_bom()),
    ] {
        assert!(
            text.contains('æ') || text.contains('ø') || text.contains('å'),
            "{name}"
        );
        let score = measure(name, &text, &mut examples);
        assert!(
            score.false_change_rate() < MAX_FALSE_CHANGE,
            "{name}: {:.2}% of intact words changed",
            100.0 * score.false_change_rate()
        );
        held_out.add(score);
    }
    eprintln!(
        "ocr_repair held-out total: restored {:.1}% of {} damaged words, wrongly changed {:.2}% of {} intact words",
        100.0 * held_out.restored_share(),
        held_out.damaged,
        100.0 * held_out.false_change_rate(),
        held_out.intact,
    );
    for example in examples.iter().take(60) {
        eprintln!("  {example}");
    }
    assert!(
        held_out.restored_share() >= MIN_RESTORED_HELD_OUT,
        "restored {:.1}%",
        100.0 * held_out.restored_share()
    );
    assert!(held_out.false_change_rate() < MAX_FALSE_CHANGE);
}

#[test]
fn damaged_corpus_002_is_restored() {
    let mut examples = Vec::new();
    let score = measure(
        "corpus/002 (clean reference)",
        &corpus("002_"),
        &mut examples,
    );
    for example in examples.iter().take(40) {
        eprintln!("  {example}");
    }
    assert!(score.restored_share() >= MIN_RESTORED_002);
    assert!(score.false_change_rate() < MAX_FALSE_CHANGE);
}

#[test]
fn real_ocr_file_001_gets_the_known_repairs() {
    let text = normalise(&[corpus("001_")]).text;
    let repaired = repair(&text);
    assert_eq!(repaired.lines().count(), text.lines().count());
    let known = [
        ("geeldende", "til enhver tid gældende"),
        ("ngermere", "som nærmere beskrevet"),
        ("afggr", "Dataansvarlig afgør varigheden"),
        ("pa", "personoplysninger på vegne"),
        ("1den", "1.2. I den forbindelse"),
        ("ltilfeelde", "3.3.4. I tilfælde af"),
        ("1S0O27002", "15.2. ISO27002"),
        ("OVERFZRSEL", "6. OVERFØRSEL TIL"),
        ("ANSVARSBEGRAENSNINGER", "ANSVAR OG ANSVARSBEGRÆNSNINGER"),
    ];
    let mut missing = Vec::new();
    for (damaged, expected) in known {
        let ok = repaired.contains(expected);
        eprintln!(
            "ocr_repair corpus/001: {damaged:>22} -> {expected:?}: {}",
            if ok { "ok" } else { "MISSING" }
        );
        if !ok {
            missing.push(damaged);
        }
    }
    let before = words(&text);
    let after = words(&repaired);
    let changed = matched(&before, &after).iter().filter(|&&m| !m).count();
    eprintln!(
        "ocr_repair corpus/001: {changed} of {} words changed by repair",
        before.len()
    );
    assert!(missing.is_empty(), "not repaired: {missing:?}");
}

#[test]
fn clean_corpus_002_is_left_alone() {
    let text = normalise(&[corpus("002_")]).text;
    let repaired = repair(&text);
    let before = words(&text);
    let after = words(&repaired);
    let changed: Vec<&str> = matched(&before, &after)
        .iter()
        .zip(&before)
        .filter(|(m, _)| !**m)
        .map(|(_, w)| *w)
        .collect();
    eprintln!(
        "ocr_repair clean corpus/002: {} of {} words changed {changed:?}",
        changed.len(),
        before.len()
    );
    assert!(changed.len() <= 3, "{changed:?}");
    // The clean held-out fixtures too.
    for text in [windows1252(), utf8_bom(), utf16_bom()] {
        let text = normalise(&[text]).text;
        assert_eq!(repair(&text), text);
    }
}

#[test]
fn lexicon_additions_do_not_break_repair() {
    let clean = normalise(&[corpus("002_")]).text;
    let learned = Repairer::danish().with_words(words(&clean));
    let damaged = normalise(&[damage(&clean, 42)]).text;
    let a = repair(&damaged);
    let b = learned.repair(&damaged);
    assert_eq!(a.lines().count(), b.lines().count());
    assert_eq!(learned.repair(&clean), clean);
}

#[test]
fn a_megabyte_is_repaired_quickly() {
    let base = [
        windows1252(),
        utf8_bom(),
        utf16_bom(),
        corpus("002_"),
        corpus("001_"),
    ]
    .concat();
    let mut text = String::new();
    let mut seed = 0;
    while text.len() < 1 << 20 {
        text.push_str(&damage(&base, seed));
        text.push('\n');
        seed += 1;
    }
    let start = Instant::now();
    let repaired = repair(&text);
    let took = start.elapsed();
    eprintln!(
        "ocr_repair: repaired {:.2} MB in {:.3} s ({} build)",
        text.len() as f64 / 1e6,
        took.as_secs_f64(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    assert_eq!(repaired.lines().count(), text.lines().count());
    let limit = if cfg!(debug_assertions) { 60.0 } else { 1.0 };
    assert!(took.as_secs_f64() < limit, "{took:?}");
}
