//! Tokens and sentences: text cut once into words, numbers and punctuation marks, each with its
//! byte offsets, its raw and folded form and the whitespace before it.

use std::borrow::Cow;
use std::ops::Range;

use super::{fold_as, words::ABBREVIATIONS, Folding};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of letters and digits with at least one letter (`timer`, `24t`, `1den`).
    Word,
    /// A run of digits (`24`).
    Number,
    /// One character that is neither a letter, a digit nor whitespace (`.`, `§`, `-`).
    Punct,
}

/// A word, a number or a single punctuation mark of a text.
#[derive(Debug, Clone)]
pub struct Token<'a> {
    /// Byte offsets into the text.
    pub start: usize,
    pub end: usize,
    pub raw: &'a str,
    /// [`Folding::TOKEN`] of `raw`, borrowed where folding changes nothing (most words, so
    /// tokenising allocates little).
    pub fold: Cow<'a, str>,
    pub kind: TokenKind,
    /// Whitespace stands before the token.
    pub space_before: bool,
    /// Line breaks in that whitespace.
    pub newlines_before: usize,
}

impl Token<'_> {
    /// A word or a number (not punctuation).
    pub fn is_word(&self) -> bool {
        self.kind != TokenKind::Punct
    }
}

/// `text` as tokens: every run of letters and digits is one [`TokenKind::Word`] or
/// [`TokenKind::Number`], every other non-space character one [`TokenKind::Punct`].
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut toks = Vec::with_capacity(text.len() / 5);
    let mut space = false;
    let mut newlines = 0;
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if word_start.is_none() {
                word_start = Some(i);
            }
            continue;
        }
        if let Some(s) = word_start.take() {
            toks.push(word_token(text, s, i, space, newlines));
            space = false;
            newlines = 0;
        }
        if c.is_whitespace() {
            space = true;
            if c == '\n' {
                newlines += 1;
            }
        } else {
            let e = i + c.len_utf8();
            let raw = text.get(i..e).unwrap_or("");
            toks.push(Token {
                start: i,
                end: e,
                raw,
                fold: Cow::Borrowed(raw),
                kind: TokenKind::Punct,
                space_before: space,
                newlines_before: newlines,
            });
            space = false;
            newlines = 0;
        }
    }
    if let Some(s) = word_start {
        toks.push(word_token(text, s, text.len(), space, newlines));
    }
    toks
}

fn word_token(text: &str, start: usize, end: usize, space: bool, newlines: usize) -> Token<'_> {
    let raw = text.get(start..end).unwrap_or("");
    let plain = raw
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    Token {
        start,
        end,
        raw,
        fold: if plain {
            Cow::Borrowed(raw)
        } else {
            Cow::Owned(fold_as(raw, Folding::TOKEN))
        },
        kind: if raw.bytes().all(|b| b.is_ascii_digit()) {
            TokenKind::Number
        } else {
            TokenKind::Word
        },
        space_before: space,
        newlines_before: newlines,
    }
}

/// Token ranges of the sentences: split at `.`/`!`/`?` before a capital (not after an
/// abbreviation of [`ABBREVIATIONS`] or a single letter), at blank lines, at list items (`a)`,
/// `•`) that start a line, and between the rows of a table (lines with `|` or TAB cells), so
/// that each row says its own duty.
pub fn sentences(text: &str, toks: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let row_at = |offset: usize| {
        let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |n| offset + n);
        text.get(line_start..line_end)
            .is_some_and(|l| l.contains('|') || l.contains('\t'))
    };
    for i in 1..toks.len() {
        let t = &toks[i];
        let prev = &toks[i - 1];
        let mut cut = t.newlines_before >= 2;
        if !cut && t.newlines_before >= 1 && (row_at(t.start) || row_at(prev.start)) {
            cut = true;
        }
        if !cut && t.newlines_before >= 1 {
            let bullet = matches!(t.raw, "•" | "-" | "–" | "—" | "*" | "·");
            let item = t.is_word()
                && t.raw.chars().count() <= 2
                && toks
                    .get(i + 1)
                    .is_some_and(|n| n.raw == ")" && !n.space_before);
            cut = bullet || item;
        }
        if !cut && matches!(prev.raw, "." | "!" | "?") && t.space_before {
            let capital = t.raw.chars().next().is_some_and(char::is_uppercase);
            let before = i.checked_sub(2).and_then(|k| toks.get(k));
            let abbreviation = before.is_some_and(|b| {
                b.is_word()
                    && (ABBREVIATIONS.contains(&b.fold.as_ref())
                        || (b.fold.chars().count() == 1
                            && !b.fold.chars().all(|c| c.is_ascii_digit())))
            });
            cut = capital && !abbreviation;
        }
        if cut {
            out.push(start..i);
            start = i;
        }
    }
    if start < toks.len() {
        out.push(start..toks.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_numbers_and_marks() {
        let toks = tokenize("Inden 24 timer (jf. pkt. 5.3),\nsenest Måned");
        let kinds: Vec<(&str, TokenKind)> = toks.iter().map(|t| (t.raw, t.kind)).collect();
        assert_eq!(kinds[1], ("24", TokenKind::Number));
        assert_eq!(kinds[2], ("timer", TokenKind::Word));
        assert_eq!(kinds[3], ("(", TokenKind::Punct));
        let last = toks.last().expect("tokens");
        assert_eq!((last.fold.as_ref(), last.newlines_before), ("maned", 0));
        assert_eq!(toks[toks.len() - 2].newlines_before, 1);
        assert_eq!(&"Inden 24 timer"[toks[1].start..toks[1].end], "24");
    }

    #[test]
    fn sentences_end_at_stops_before_capitals_not_after_abbreviations() {
        let text = "Se pkt. 5. Databehandleren skal. Herefter gælder\n\nNyt afsnit";
        let toks = tokenize(text);
        let cut: Vec<String> = sentences(text, &toks)
            .into_iter()
            .map(|r| text[toks[r.start].start..toks[r.end - 1].end].to_string())
            .collect();
        assert_eq!(
            cut,
            [
                "Se pkt. 5.",
                "Databehandleren skal.",
                "Herefter gælder",
                "Nyt afsnit"
            ]
        );
    }
}
