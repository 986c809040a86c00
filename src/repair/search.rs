//! Candidate search: undo OCR confusions along the lexicon trie.
//!
//! The damaged token (lower-cased, as chars) is read left to right while walking the trie. At
//! each position the search either takes the character as it is, or undoes one confusion of the
//! [`RULES`] table (`ee` → `æ`, `g` → `ø`, `&` → `å`, …), following only trie branches that
//! exist, so it never builds a string that is not the prefix of a known word. Where a word ends
//! inside the token the search may start again at the root: a compound (`tredjelands` +
//! `overførsel`), optionally with the linking `s` between the parts; a prefix such as `u`, `ind`
//! or `sam` may stand before a word (`unødig`, `indføje`). A word may end in an inflection the
//! list does not have (`ophør` + `et`, `instruks` + `en`). Each finished reading is scored by
//! frequency (the lowest of its parts, less penalties for compounding, three-letter parts and
//! inflection) minus the cost of its edits; the best wins, plain words ranking above compounds.

use super::lexicon::{Lexicon, NodeId, ROOT};

/// Where a rule may apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum At {
    Anywhere,
    /// Only as the token's first character (the misread capital `I`).
    Start,
    /// Anywhere, but not in an all-capitals token (`&` for `å` is a lower-case confusion; `R&D`
    /// is not `RÅD`).
    NotUpper,
}

/// One confusion: OCR wrote `from` (lower-cased) where the text had `to`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub from: &'static str,
    pub to: char,
    pub cost: f32,
    pub at: At,
}

const fn rule(from: &'static str, to: char, cost: f32, at: At) -> Rule {
    Rule { from, to, cost, at }
}

/// The confusion table: what the damage model (`aftale_bench::damage`) does, plus the forms real
/// Danish OCR gives: a Danish letter read as its plain base letter, as a neighbouring glyph or
/// as an accented letter of another language (`å` → `é`/`á`, `ø` → `ö`/`ó`/`e`, `Ø` → `A`/`0`,
/// `æ` → `ce`/`ä`/`a`), `I` read as `1`/`l`/`|`, `O` as `0`. This one table serves OCR repair and
/// the OCR-tolerant comparison of versions ([`super::misreadings_of`]).
/// Cost 1 for the common confusions, more for the ones that would otherwise fire too often
/// (`a` and `e` are everywhere).
pub(crate) const RULES: &[Rule] = &[
    // æ
    rule("ae", 'æ', 1.0, At::Anywhere),
    rule("ee", 'æ', 1.0, At::Anywhere),
    rule("ge", 'æ', 1.0, At::Anywhere),
    rule("ze", 'æ', 1.0, At::Anywhere),
    rule("z", 'æ', 1.0, At::Anywhere),
    rule("@", 'æ', 1.0, At::Anywhere),
    rule("/e", 'æ', 0.5, At::Anywhere),
    rule("£", 'æ', 0.5, At::Anywhere),
    rule("g", 'æ', 1.2, At::Anywhere),
    rule("é", 'æ', 2.0, At::Anywhere),
    rule("ä", 'æ', 1.0, At::Anywhere),
    rule("ce", 'æ', 1.0, At::Anywhere),
    rule("se", 'æ', 2.0, At::Anywhere),
    rule("a", 'æ', 2.0, At::Anywhere),
    rule("e", 'æ', 2.0, At::Anywhere),
    // ø
    rule("g", 'ø', 1.0, At::Anywhere),
    rule("o", 'ø', 1.0, At::Anywhere),
    rule("z", 'ø', 1.0, At::Anywhere),
    rule("@", 'ø', 1.0, At::Anywhere),
    rule("oy", 'ø', 2.0, At::Anywhere),
    rule("ö", 'ø', 1.0, At::Anywhere),
    rule("ó", 'ø', 1.0, At::Anywhere),
    rule("0", 'ø', 1.5, At::Anywhere),
    rule("a", 'ø', 2.0, At::Anywhere),
    rule("e", 'ø', 2.0, At::Anywhere),
    // å
    rule("a", 'å', 1.0, At::Anywhere),
    rule("&", 'å', 1.0, At::NotUpper),
    rule("é", 'å', 1.0, At::Anywhere),
    rule("éa", 'å', 1.0, At::Anywhere),
    rule("á", 'å', 1.0, At::Anywhere),
    rule("à", 'å', 1.0, At::Anywhere),
    rule("d", 'å', 1.2, At::Anywhere),
    // the capital I read as 1, l or |
    rule("1", 'i', 1.0, At::Start),
    rule("l", 'i', 1.0, At::Start),
    rule("|", 'i', 0.5, At::Start),
    // O read as 0
    rule("0", 'o', 1.0, At::Anywhere),
];

/// Score taken off per extra part of a compound.
const COMPOUND_PENALTY: f32 = 0.5;
/// Score taken off per three-letter part of a compound (`gennem` + `gas` is a poor reading of
/// `gennemgas`, which is `gennemgås`).
const SHORT_PART_PENALTY: f32 = 1.0;
/// Score taken off for an inflection ending added to a word of the list.
const SUFFIX_PENALTY: f32 = 1.0;
/// Rules at least this costly are weak evidence: a compound may not rest on them.
const WEAK: f32 = 2.0;
/// Extra score a compound loses per extra part when it competes with plain words (a plain word
/// of the list is the likelier reading).
const RANK_COMPOUND_PENALTY: f32 = 1.5;
/// Zipf frequency given to a prefix as a compound part.
const PREFIX_ZIPF: f32 = 4.0;

/// Prefixes that may begin a compound though they are short or no words of their own
/// (`u` + `nødig`, `ind` + `føje`, `sam` + `færdsel`).
const PREFIXES: &[&str] = &[
    "u", "af", "an", "be", "op", "ud", "om", "for", "fra", "gen", "ind", "med", "mis", "mod",
    "sam", "til",
];

/// Inflection endings a word of the list may take (the list has `ophør` but not `ophøret`).
const SUFFIXES: &[&str] = &[
    "e", "n", "r", "s", "t", "en", "er", "et", "es", "ne", "ns", "rs", "te", "ts", "ede", "ene",
    "ens", "ers", "ets", "ende", "enes", "erne", "ernes",
];

/// Function words, which never stand as a later part of a compound (`med` + `for` is not a
/// reading of `medfor`, which is `medfør`).
const NOT_LATER_PARTS: &[&str] = &[
    "af", "at", "de", "dem", "den", "der", "deres", "det", "dig", "din", "dine", "dit", "du",
    "efter", "eller", "end", "er", "et", "for", "fra", "han", "hans", "har", "her", "hun", "hvis",
    "hvor", "ikke", "ind", "jeg", "jer", "kan", "man", "med", "men", "mig", "min", "mine", "mit",
    "mod", "nu", "når", "og", "om", "op", "os", "over", "på", "sig", "sin", "sine", "sit", "skal",
    "som", "så", "til", "ud", "var", "ved", "vi", "vil",
];

/// Most parts a compound may have.
const MAX_PARTS: u8 = 3;
/// Most trie steps one search may take (keeps any token's search bounded).
const BUDGET: u32 = 60_000;

/// A reading of the token as a word or compound.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    /// The word, lower case.
    pub word: String,
    /// Frequency score (zipf, less the compound, short-part and inflection penalties) minus edit
    /// cost.
    pub score: f32,
    /// Frequency score alone.
    pub freq: f32,
    /// 1 for a plain word.
    pub parts: u8,
    /// An inflection ending was added to a word of the list.
    pub suffix: bool,
    pub edits: u8,
    /// An `I` was restored at the start.
    pub initial_i: bool,
}

/// Limits of one search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Readings with fewer edits are not returned (1: only repairs).
    pub min_edits: u8,
    pub max_edits: u8,
    pub max_cost: f32,
    /// Whether compounds are readings.
    pub compounds: bool,
    /// Whether the token is all capitals (disables [`At::NotUpper`] rules).
    pub upper: bool,
}

/// The best reading of `input` (lower-case chars) within `limits`.
pub(crate) fn best(lex: &Lexicon, input: &[char], limits: Limits) -> Option<Found> {
    if input.is_empty() {
        return None;
    }
    let mut search = Search {
        lex,
        input,
        limits,
        steps: 0,
        out: Vec::with_capacity(input.len() + 2),
        best: None,
    };
    search.dfs(State {
        pos: 0,
        node: ROOT,
        part_len: 0,
        min_zipf: f32::INFINITY,
        parts: 1,
        cost: 0.0,
        edits: 0,
        weak: 0,
        short_parts: 0,
        initial_i: false,
    });
    search.best.map(|(_, found)| found)
}

#[derive(Debug, Clone, Copy)]
struct State {
    pos: usize,
    node: NodeId,
    /// Characters of the current part so far.
    part_len: usize,
    /// Lowest zipf of the finished parts.
    min_zipf: f32,
    /// Parts, counting the current one.
    parts: u8,
    cost: f32,
    edits: u8,
    /// Edits by weak rules.
    weak: u8,
    /// Finished compound parts of three letters.
    short_parts: u8,
    initial_i: bool,
}

struct Search<'a> {
    lex: &'a Lexicon,
    input: &'a [char],
    limits: Limits,
    steps: u32,
    out: Vec<char>,
    /// The best reading so far, with its rank.
    best: Option<(f32, Found)>,
}

/// The score by which readings compete: a compound loses [`RANK_COMPOUND_PENALTY`] per extra
/// part on top of its score.
pub(crate) fn rank(score: f32, parts: u8) -> f32 {
    score - RANK_COMPOUND_PENALTY * f32::from(parts.saturating_sub(1))
}

/// Whether a finished part may stand in a compound: 4+ letters, or 3 letters of a frequent
/// word. One- and two-letter "words" of the list would make nearly anything a compound.
fn part_ok(len: usize, zipf: f32) -> bool {
    len >= 4 || (len == 3 && zipf >= 4.0)
}

impl Search<'_> {
    fn dfs(&mut self, st: State) {
        self.steps += 1;
        if self.steps > BUDGET {
            return;
        }
        // A prefix (`u`, `ud`, `ind`, `sam`, …) as the first part of a compound.
        if st.pos == 0 && st.parts == 1 && self.limits.compounds {
            for prefix in PREFIXES {
                let Some(len) = self.matches(0, prefix) else {
                    continue;
                };
                if self.input.len() < len + 3 {
                    continue;
                }
                let before = self.out.len();
                self.out.extend(prefix.chars());
                self.dfs(State {
                    pos: len,
                    part_len: 0,
                    min_zipf: PREFIX_ZIPF,
                    parts: 2,
                    ..st
                });
                self.out.truncate(before);
            }
        }
        let here = self.lex.word_at(st.node).filter(|_| self.part_allowed(&st));
        if st.pos == self.input.len() {
            if let Some(z) = here {
                if st.parts == 1 || part_ok(st.part_len, z) {
                    self.consider(st, z, 0.0);
                }
            }
            return;
        }
        if let Some(z) = here {
            let whole_ok = st.parts == 1 || part_ok(st.part_len, z);
            // An inflection ending the list does not have.
            if whole_ok && st.part_len >= 3 {
                let rest = &self.input[st.pos..];
                if SUFFIXES
                    .iter()
                    .any(|suffix| suffix.chars().eq(rest.iter().copied()))
                {
                    let len = self.out.len();
                    self.out.extend_from_slice(rest);
                    // A word the list has is read as that word, not as an inflection.
                    let listed = st.parts == 1 && self.lex.zipf_chars(&self.out).is_some();
                    if !listed {
                        self.consider(st, z, SUFFIX_PENALTY);
                    }
                    self.out.truncate(len);
                }
            }
            // A compound continues with a new part, perhaps after a linking s.
            if self.limits.compounds && st.parts < MAX_PARTS && part_ok(st.part_len, z) {
                let next = State {
                    node: ROOT,
                    part_len: 0,
                    min_zipf: st.min_zipf.min(z),
                    parts: st.parts + 1,
                    short_parts: st.short_parts + u8::from(st.part_len < 4),
                    ..st
                };
                self.dfs(next);
                if self.input[st.pos] == 's' && st.pos + 1 < self.input.len() {
                    self.out.push('s');
                    self.dfs(State {
                        pos: st.pos + 1,
                        ..next
                    });
                    self.out.pop();
                }
            }
        }
        // The character as it is.
        let c = self.input[st.pos];
        if let Some(child) = self.lex.child(st.node, c) {
            self.out.push(c);
            self.dfs(State {
                pos: st.pos + 1,
                node: child,
                part_len: st.part_len + 1,
                ..st
            });
            self.out.pop();
        }
        // An undone confusion.
        if st.edits >= self.limits.max_edits {
            return;
        }
        for rule in RULES {
            if st.cost + rule.cost > self.limits.max_cost {
                continue;
            }
            match rule.at {
                At::Start if st.pos != 0 => continue,
                At::NotUpper if self.limits.upper => continue,
                _ => {}
            }
            let Some(len) = self.matches(st.pos, rule.from) else {
                continue;
            };
            let Some(child) = self.lex.child(st.node, rule.to) else {
                continue;
            };
            self.out.push(rule.to);
            self.dfs(State {
                pos: st.pos + len,
                node: child,
                part_len: st.part_len + 1,
                cost: st.cost + rule.cost,
                edits: st.edits + 1,
                weak: st.weak + u8::from(rule.cost >= WEAK),
                initial_i: st.initial_i || rule.at == At::Start,
                ..st
            });
            self.out.pop();
        }
    }

    /// Length in chars of `pattern` if it stands at `pos` of the input.
    fn matches(&self, pos: usize, pattern: &str) -> Option<usize> {
        let rest = self.input.get(pos..)?;
        let mut len = 0;
        for (i, p) in pattern.chars().enumerate() {
            if rest.get(i) != Some(&p) {
                return None;
            }
            len += 1;
        }
        Some(len)
    }

    /// Whether the current part, ending here, may be a part: a later part of a compound may not
    /// be a function word.
    fn part_allowed(&self, st: &State) -> bool {
        if st.parts == 1 {
            return true;
        }
        let Some(part) = self.out.get(self.out.len().saturating_sub(st.part_len)..) else {
            return false;
        };
        !NOT_LATER_PARTS
            .iter()
            .any(|w| w.chars().eq(part.iter().copied()))
    }

    fn consider(&mut self, st: State, last_zipf: f32, extra_penalty: f32) {
        if st.edits < self.limits.min_edits {
            return;
        }
        // A compound or inflected word read with edits rests on strong confusions only, and a
        // compound read with edits has no three-letter parts (`kønformt` is not a reading of
        // `konformt`).
        let inflected = extra_penalty > 0.0;
        let short_parts = st.short_parts + u8::from(st.parts > 1 && st.part_len < 4);
        let short = short_parts > 0;
        let weak_evidence = (st.parts > 1 || inflected) && st.weak > 0;
        if weak_evidence || (st.parts > 1 && st.edits > 0 && short) {
            return;
        }
        let min_zipf = st.min_zipf.min(last_zipf);
        let freq = min_zipf
            - COMPOUND_PENALTY * f32::from(st.parts - 1)
            - SHORT_PART_PENALTY * f32::from(short_parts)
            - extra_penalty;
        let score = freq - st.cost;
        let rank = rank(score, st.parts);
        let better = match &self.best {
            None => true,
            Some((best_rank, _)) => rank > *best_rank,
        };
        if better {
            let found = Found {
                word: self.out.iter().collect(),
                score,
                freq,
                parts: st.parts,
                suffix: extra_penalty > 0.0,
                edits: st.edits,
                initial_i: st.initial_i,
            };
            self.best = Some((rank, found));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        Lexicon::parse(
            "gældende\t4.5\nnærmere\t4.7\nafgør\t4.1\npå\t7.2\nfor\t7.0\nfør\t6.0\n\
             tredje\t5.0\nland\t5.0\noverførsel\t3.7\ninstruks\t3.2\nden\t7.0\nansvar\t4.8\n\
             begrænsninger\t4.0\nbistå\t3.9\n",
        )
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    const EDITS: Limits = Limits {
        min_edits: 0,
        max_edits: 3,
        max_cost: 3.5,
        compounds: true,
        upper: false,
    };

    fn word(lex: &Lexicon, s: &str) -> Option<String> {
        best(lex, &chars(s), EDITS).map(|f| f.word)
    }

    #[test]
    fn undoes_confusions() {
        let lex = lex();
        assert_eq!(word(&lex, "geeldende").as_deref(), Some("gældende"));
        assert_eq!(word(&lex, "ngermere").as_deref(), Some("nærmere"));
        assert_eq!(word(&lex, "afggr").as_deref(), Some("afgør"));
        assert_eq!(word(&lex, "pa").as_deref(), Some("på"));
        assert_eq!(word(&lex, "p&").as_deref(), Some("på"));
        assert_eq!(word(&lex, "bistd").as_deref(), Some("bistå"));
        assert_eq!(word(&lex, "overfzrsel").as_deref(), Some("overførsel"));
        assert_eq!(word(&lex, "lnstruks").as_deref(), Some("instruks"));
        assert_eq!(word(&lex, "xyz"), None);
    }

    #[test]
    fn known_word_reads_as_itself_with_no_edits() {
        let lex = lex();
        let found = best(&lex, &chars("for"), EDITS);
        assert_eq!(found.map(|f| (f.word, f.edits)), Some(("for".into(), 0)));
    }

    #[test]
    fn compounds_with_linking_s_and_genitive() {
        let lex = lex();
        let found = best(&lex, &chars("tredjelandsoverfgrsel"), EDITS);
        assert_eq!(
            found.as_ref().map(|f| (f.word.as_str(), f.parts)),
            Some(("tredjelandsoverførsel", 3))
        );
        assert_eq!(
            word(&lex, "ansvarsbegraensninger").as_deref(),
            Some("ansvarsbegrænsninger")
        );
        assert_eq!(word(&lex, "ansvars").as_deref(), Some("ansvars"));
        let plain = Limits {
            compounds: false,
            ..EDITS
        };
        assert_eq!(best(&lex, &chars("tredjeland"), plain), None);
    }

    #[test]
    fn ampersand_rule_is_off_in_capitals() {
        let lex = lex();
        let upper = Limits {
            upper: true,
            ..EDITS
        };
        assert_eq!(best(&lex, &chars("p&"), upper), None);
    }
}
