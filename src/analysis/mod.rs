//! Text analysis shared by every stage: one folding, one tokeniser, one sentence splitter, and
//! the Danish word lists.
//!
//! Extraction, the index, search, review, the register and the comparison all compare words
//! that are written in many ways: `Overførsel`, `overforsel`, `OVERFOERSEL`, `Haandtering`.
//! [`fold`] makes those one. It is the one folding of this crate; a stage that needs a
//! stricter or looser form asks for it with a [`Folding`] (a documented option of the same
//! function, never a copy):
//!
//! | preset | used by | case | æ ø å | other accents | `aa`, `oe` | non-letters |
//! |---|---|---|---|---|---|---|
//! | [`Folding::SEARCH`] | index, search, review, register, compare | lower | `ae` `o` `a` | kept | → `a`, → `o` | kept |
//! | [`Folding::WORDS`] | topic and category vocabularies | lower | `ae` `o` `a` | dropped (`é` → `e`, `ä` → `ae`, `ß` → `ss`) | → `a` | one space |
//! | [`Folding::TOKEN`] | one [`Token`] (deadlines, who acts) | lower | `ae` `o` `a` | dropped | kept | kept |
//!
//! The index stores wording folded with [`Folding::SEARCH`] and a query is folded the same way,
//! so a change to that preset changes every index: it is tied to the index schema version.
//!
//! [`tokenize`] cuts text once into [`Token`]s (offsets, raw and folded form, word, number or
//! punctuation, the whitespace and line breaks before it) and [`sentences`] groups tokens into
//! sentences. The word lists every stage reads live in [`words`]; company-name keys in
//! [`names`]; the topic vocabulary (ids and Danish names) in [`topics`].

pub mod names;
mod tokens;
pub mod topics;
pub mod words;

pub use tokens::{sentences, tokenize, Token, TokenKind};

/// How `aa` and `oe` (old and OCR spellings of `å` and `ø`) are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digraphs {
    /// Left as they are.
    Kept,
    /// `aa` → `a`.
    Aa,
    /// `aa` → `a`, then `oe` → `o`.
    AaOe,
}

/// What [`fold_as`] does besides lower-casing and spelling æ, ø, å in ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Folding {
    pub digraphs: Digraphs,
    /// Accents dropped (`é` → `e`, `ö` → `o`, `ä` → `ae`, `ç` → `c`, `ß` → `ss`).
    pub accents: bool,
    /// Every run of characters that are not letters (digits too) becomes one space, none at
    /// either end.
    pub letters_only: bool,
    /// Whitespace runs become one space, none at either end.
    pub collapse_spaces: bool,
}

impl Folding {
    /// The index, search, review, register and comparison: case, æøå and their digraphs.
    pub const SEARCH: Folding = Folding {
        digraphs: Digraphs::AaOe,
        accents: false,
        letters_only: false,
        collapse_spaces: false,
    };
    /// [`Folding::SEARCH`] with whitespace runs made one space: sentences as review matches them.
    pub const SENTENCE: Folding = Folding {
        collapse_spaces: true,
        ..Folding::SEARCH
    };
    /// Words only, accents dropped: what a topic or category vocabulary is matched against.
    pub const WORDS: Folding = Folding {
        digraphs: Digraphs::Aa,
        accents: true,
        letters_only: true,
        collapse_spaces: true,
    };
    /// One token's letters: case and accents, nothing joined or dropped.
    pub const TOKEN: Folding = Folding {
        digraphs: Digraphs::Kept,
        accents: true,
        letters_only: false,
        collapse_spaces: false,
    };
}

/// `text` folded with [`Folding::SEARCH`]: what the index stores and a query is turned into.
pub fn fold(text: &str) -> String {
    fold_as(text, Folding::SEARCH)
}

/// `text` folded as `how` says (see the table in the module documentation).
pub fn fold_as(text: &str, how: Folding) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut gap = false;
    for upper in text.chars() {
        if upper.is_ascii() {
            // Most of every text: one byte, no table.
            let c = upper.to_ascii_lowercase();
            if keep(
                &mut out,
                &mut gap,
                how,
                c.is_ascii_lowercase(),
                c.is_whitespace(),
            ) {
                out.push(c);
            }
            continue;
        }
        for c in upper.to_lowercase() {
            let mapped: Option<&str> = match c {
                'æ' => Some("ae"),
                'ø' => Some("o"),
                'å' => Some("a"),
                _ if how.accents => accentless(c),
                _ => None,
            };
            let letter = mapped.is_some() || c.is_alphabetic();
            if keep(&mut out, &mut gap, how, letter, c.is_whitespace()) {
                match mapped {
                    Some(s) => out.push_str(s),
                    None => out.push(c),
                }
            }
        }
    }
    match how.digraphs {
        Digraphs::Kept => out,
        Digraphs::Aa if out.contains("aa") => out.replace("aa", "a"),
        Digraphs::Aa => out,
        Digraphs::AaOe => without_digraphs(out),
    }
}

/// Whether a character goes into `out`: not when `how` turns it into a gap (a non-letter with
/// `letters_only`, whitespace with `collapse_spaces`); before the first one after a gap, one
/// space (none at the start).
fn keep(out: &mut String, gap: &mut bool, how: Folding, letter: bool, space: bool) -> bool {
    if (how.letters_only && !letter) || (how.collapse_spaces && space) {
        *gap = true;
        return false;
    }
    if *gap {
        if !out.is_empty() {
            out.push(' ');
        }
        *gap = false;
    }
    true
}

/// The accentless spelling of a lower-case letter, if it has an accent.
fn accentless(c: char) -> Option<&'static str> {
    Some(match c {
        'ä' => "ae",
        'ö' | 'ó' | 'ò' | 'ô' => "o",
        'á' | 'à' | 'â' => "a",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'ü' | 'ú' | 'ù' | 'û' => "u",
        'í' | 'ì' | 'î' | 'ï' => "i",
        'ç' => "c",
        'ñ' => "n",
        'ß' => "ss",
        _ => return None,
    })
}

/// `aa` → `a`, then `oe` → `o`, each replacing non-overlapping pairs from the left (what two
/// `str::replace` calls give, in one pass where neither pair occurs).
fn without_digraphs(s: String) -> String {
    let s = if s.contains("aa") {
        s.replace("aa", "a")
    } else {
        s
    };
    if s.contains("oe") {
        s.replace("oe", "o")
    } else {
        s
    }
}

/// Whitespace runs as single spaces, ends trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three foldings before issue 22, kept here as the specification the one function meets.
    fn old_search(text: &str) -> String {
        text.to_lowercase()
            .replace('æ', "ae")
            .replace('ø', "o")
            .replace('å', "a")
            .replace("aa", "a")
            .replace("oe", "o")
    }

    fn old_words(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars().flat_map(char::to_lowercase) {
            match c {
                'a'..='z' => out.push(c),
                'æ' | 'ä' => out.push_str("ae"),
                'ø' | 'ö' | 'ó' | 'ò' | 'ô' => out.push('o'),
                'å' | 'á' | 'à' | 'â' => out.push('a'),
                'é' | 'è' | 'ê' | 'ë' => out.push('e'),
                'ü' | 'ú' | 'ù' | 'û' => out.push('u'),
                'í' | 'ì' | 'î' | 'ï' => out.push('i'),
                'ç' => out.push('c'),
                'ñ' => out.push('n'),
                'ß' => out.push_str("ss"),
                c if c.is_alphabetic() => out.push(c),
                _ => {
                    if !out.ends_with(' ') && !out.is_empty() {
                        out.push(' ');
                    }
                }
            }
        }
        out.trim_end().replace("aa", "a")
    }

    #[test]
    fn spellings_meet() {
        for (a, b) in [
            ("Overførsel", "OVERFOERSEL"),
            ("Håndtering", "Haandtering"),
            ("Ændring", "aendring"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} / {b}");
        }
        assert_eq!(
            fold_as("Haandtering, pkt. 9.1", Folding::WORDS),
            "handtering pkt"
        );
        assert_eq!(fold_as("EU/EØS", Folding::WORDS), "eu eos");
        assert_eq!(fold_as("Indgået  \n med", Folding::SENTENCE), "indgaet med");
        assert_eq!(fold_as("Café Måned", Folding::TOKEN), "cafe maned");
        assert_eq!(fold(""), "");
    }

    proptest::proptest! {
        #[test]
        fn presets_equal_the_foldings_they_replace(s in "[a-zA-ZæøåÆØÅäöéüßç0-9 ,.\n/-]{0,40}") {
            proptest::prop_assert_eq!(fold(&s), old_search(&s));
            proptest::prop_assert_eq!(fold_as(&s, Folding::WORDS), old_words(&s));
            proptest::prop_assert_eq!(
                fold_as(&s, Folding::SENTENCE),
                old_search(&s).split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
}
