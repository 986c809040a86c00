//! The topic vocabulary: the canonical topic ids, their Danish names, and the Danish and
//! English words that say a piece of text is about a topic. Extraction tags clauses with it
//! (`extract::topics`), search reads a query's topics with it, and the user's topic names are
//! resolved here.
//!
//! Matching: text is folded with [`Folding::WORDS`]; a vocabulary of stems per topic
//! ([`VOCABULARY`]) is matched word by word (whole word, word start, or anywhere where marked),
//! long stems within a small edit distance for OCR damage; overlapping terms go to the longest;
//! a heading hit counts outright, the body needs a score (see [`topics_of`]).

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

use super::{fold_as, Folding};

pub const TOPICS: [&str; 17] = [
    "parties_scope",
    "instructions",
    "confidentiality",
    "security",
    "subprocessors",
    "third_country_transfer",
    "data_subject_rights",
    "assistance",
    "breach_notification",
    "deletion_return",
    "audit",
    "controller_obligations",
    "liability",
    "term_termination",
    "precedence",
    "force_majeure",
    "disputes",
];

/// Each topic's Danish name, as a reviewer would say it; `aftale topics` lists them and
/// [`topic_from_user`] accepts them in place of the id.
pub const TOPIC_NAMES: [(&str, &str); 17] = [
    ("parties_scope", "parter og omfang"),
    ("instructions", "instruks"),
    ("confidentiality", "fortrolighed"),
    ("security", "behandlingssikkerhed"),
    ("subprocessors", "underdatabehandlere"),
    ("third_country_transfer", "overførsel til tredjelande"),
    ("data_subject_rights", "de registreredes rettigheder"),
    ("assistance", "bistand til den dataansvarlige"),
    ("breach_notification", "brud på persondatasikkerheden"),
    ("deletion_return", "sletning og tilbagelevering"),
    ("audit", "revision og tilsyn"),
    (
        "controller_obligations",
        "den dataansvarliges forpligtelser",
    ),
    ("liability", "ansvar"),
    ("term_termination", "ikrafttræden og ophør"),
    ("precedence", "forrang"),
    ("force_majeure", "force majeure"),
    ("disputes", "tvister og lovvalg"),
];

/// The topic id a user means: the id itself or its Danish name, in any case, with or without
/// æøå, spaces or dashes for `_`. Anything else is an error that lists the valid topics (and
/// names the one that starts alike, as a suggestion, never as a silent guess).
pub fn topic_from_user(input: &str) -> Result<&'static str, String> {
    let wanted = fold(&input.replace(['_', '-'], " "));
    for (id, name) in TOPIC_NAMES {
        if wanted == fold(&id.replace('_', " ")) || wanted == fold(name) {
            return Ok(id);
        }
    }
    let like: Vec<&str> = TOPIC_NAMES
        .iter()
        .filter(|(id, name)| {
            !wanted.is_empty()
                && (fold(&id.replace('_', " ")).starts_with(&wanted)
                    || fold(name).contains(&wanted))
        })
        .map(|(id, _)| *id)
        .collect();
    let hint = if like.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", like.join(" or "))
    };
    Err(format!(
        "unknown topic {input:?}{hint}; the topics are: {} (or their Danish names: `aftale topics`)",
        TOPICS.join(", ")
    ))
}

/// Most topics a clause keeps.
pub const MAX_TOPICS: usize = 3;

/// Body score a topic needs when the heading gave none.
pub(crate) const BODY_THRESHOLD: u32 = 4;
/// Body score a topic needs beside topics from the heading.
pub(crate) const BODY_THRESHOLD_WITH_HEADING: u32 = 6;
/// Body score of a topic that outranks the parent's topic in a sub-clause.
pub(crate) const STRONG_BODY: u32 = 8;

/// The vocabulary: `(topic, heading weight, body weight, terms)`; terms are separated by `|`.
///
/// Term syntax, on folded text: words separated by spaces; `stem*` matches the start of a word,
/// `*stem*` anywhere in a word, a bare stem the whole word; a trailing `#` turns off the OCR
/// edit-distance tolerance; `!x` after a stem excludes words starting with `x`; a term starting
/// with `=` must be the whole heading. A weight of 0 means the terms do not count there.
pub const VOCABULARY: &[(&str, u32, u32, &str)] = &[
    // Parties, scope, purpose of the agreement.
    (
        "parties_scope",
        3,
        0,
        "indledning* | baggrund* | formal | formalet | omfang | aftalens omfang | \
         anvendelsesomrad* | definition* | introduction | background | purpose | scope | \
         parties | parterne | aftalens parter | praeambel | preamble | aftalegrundlag* | \
         generelle bestemmelser | general provisions | subject matter",
    ),
    (
        "parties_scope",
        0,
        2,
        "regulerer behandling* | databehandleraftalen omfatter | aftalen omfatter | \
         har til formal at | parterne har aftalt | this agreement governs | \
         this agreement applies",
    ),
    // Instructions.
    ("instructions", 3, 2, "instruks* | instruer* | instruct*"),
    (
        "instructions",
        3,
        3,
        "dokumenteret instruks* | dokumenterede instruks* | documented instruction*",
    ),
    // Confidentiality.
    (
        "confidentiality",
        3,
        3,
        "fortrolig* | tavshedspligt* | tavshed* | confidential* | non disclosure | \
         hemmeligholdels* | diskretion*",
    ),
    (
        "confidentiality",
        2,
        2,
        "autoriseret til at behandle | authorised to process | authorized to process",
    ),
    (
        "confidentiality",
        2,
        0,
        "medarbejder* | personale* | staff | personnel | employees",
    ),
    // Security.
    ("security", 2, 1, "sikkerhed* | security | sikring*"),
    (
        "security",
        3,
        2,
        "datasikkerhed* | behandlingssikkerhed* | informationssikkerhed* | it sikkerhed* | \
         sikkerhedsforanstaltning* | sikkerhedskrav* | sikkerhedsniveau* | sikkerhedspolitik* | \
         teknisk* og organisatorisk* | technical and organisational | \
         technical and organizational | kryptering* | krypteret | encryption | \
         adgangskontrol* | access control | pseudonymiser*",
    ),
    // Sub-processors.
    (
        "subprocessors",
        3,
        3,
        "underdatabehandl* | underleverandor* | sub processor* | subprocessor* | \
         sub processing | anden databehandler | andre databehandlere | underbehandler* | \
         godkendt* databehandlere | videredatabehandl*",
    ),
    // Transfers to third countries.
    (
        "third_country_transfer",
        3,
        3,
        "tredjeland*# | international* organisation* | overforsel* | overfores# | overfore# | \
         overfort# | third countr* | international transfer* | transfer* of personal data | \
         transfers | standardkontrakt* | standard contractual | \
         tilstraekkeligt beskyttelsesniveau | adequacy | bindende virksomhedsregler | \
         binding corporate rules | data privacy framework | privacy shield | eos | eea | \
         uden for eu | udenfor eu | outside the eu | outside the eea | \
         europaeiske okonomiske samarbejdsomrade",
    ),
    (
        "third_country_transfer",
        3,
        1,
        "geografisk* | europaeiske union | eu medlemsland* | medlemsstat*",
    ),
    // Data subjects' rights.
    (
        "data_subject_rights",
        3,
        3,
        "registrered* rettighed* | anmodning* om indsigt | indsigtsanmodning* | indsigtsret* | \
         ret til indsigt | berigtigelse* | dataportabilitet* | ret til sletning | \
         ret til at blive glemt | registreredes anmodning* | data subject* | \
         disses rettighed* | rettigheder som registreret",
    ),
    (
        "data_subject_rights",
        2,
        2,
        "de registreredes# | kapitel iii | udovelse af",
    ),
    // Assistance to the controller.
    (
        "assistance",
        3,
        2,
        "bista* | assist* | konsekvensanalyse* | impact assessment* | forudgaende hoering*",
    ),
    ("assistance", 2, 1, "hjaelp*"),
    // Personal data breaches.
    (
        "breach_notification",
        3,
        3,
        "sikkerhedsbrud* | *sikkerhedsbrud*# | brud* pa *sikkerhed*# | persondatabrud* | \
         databrud* | breach* | sikkerhedshaendelse* | security incident* | \
         anmeld* brud* | underretning om brud*",
    ),
    ("breach_notification", 2, 2, "brud | bruddet | bruddene"),
    // Deletion and return of data.
    (
        "deletion_return",
        3,
        3,
        "sletning*# | slett*# | tilbagelever* | tilbagegiv* | returner* | destruer* | \
         destruktion* | deletion | delete* | erasure | return of | return*",
    ),
    // Audits, inspections, documentation of compliance.
    (
        "audit",
        3,
        3,
        "tilsyn*!tilsynsmyndighed | revision* | revisor* | audit* | inspektion* | \
         inspection* | kontrolbesog* | revisionserklaering* | isae | \
         dokumentation for overholdelse | pavis* overholdelse* | demonstrate compliance",
    ),
    ("audit", 2, 1, "dokumentation*"),
    // The controller's own obligations.
    (
        "controller_obligations",
        3,
        3,
        "dataansvarlig* forpligtelse* | dataansvarlig* rettighed* og forpligtelse* | \
         controller s obligations | obligations of the controller | controller obligations | \
         =den dataansvarlige | =dataansvarlig | =den dataansvarliges | =dataansvarlige | \
         =controller | =the controller",
    ),
    (
        "controller_obligations",
        2,
        2,
        "hjemmel | behandlingsgrundlag* | lovligt grundlag | legal basis | lawful basis",
    ),
    // Liability.
    ("liability", 3, 1, "ansvar#"),
    (
        "liability",
        3,
        3,
        "ansvarsbegraens* | ansvarsfraskrivels* | ansvarsforsikring* | erstatning* | \
         skadeslos* | indirekte tab | direkte tab | folgetab | driftstab | tabt avance | \
         liability | liable | indemnif* | damages",
    ),
    // Term and termination.
    (
        "term_termination",
        3,
        2,
        "opsigelse* | opsig* | traeder i kraft | ikrafttraed* | termination | terminat* | \
         duration",
    ),
    (
        "term_termination",
        3,
        1,
        "varighed* | ophor* | ophaev* | term | gyldighed* | bortfald* | udlob*",
    ),
    // Order of precedence.
    (
        "precedence",
        3,
        3,
        "forrang* | modstrid* | rangorden* | rangfolge* | precedence | prevail* | \
         conflict between | inconsistency | gar forud | uoverensstemmelse*#",
    ),
    // Force majeure.
    (
        "force_majeure",
        3,
        3,
        "force majeure | forcemajeure | force majeur | act of god | acts of god",
    ),
    // Disputes, governing law, venue.
    (
        "disputes",
        3,
        3,
        "tvist* | lovvalg* | vaerneting* | voldgift* | dispute* | governing law | \
         jurisdiction* | arbitration | mediation | maegling* | retssag* | underlagt dansk ret",
    ),
    ("disputes", 2, 1, "domstol*"),
];

/// How a stem meets a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Whole,
    Prefix,
    Infix,
}

/// One word of a term.
#[derive(Debug)]
pub(crate) struct WordPattern {
    pub(crate) stem: String,
    pub(crate) mode: Mode,
    /// Largest edit distance accepted.
    pub(crate) fuzz: usize,
    /// Words starting with one of these never match.
    pub(crate) exclude: Vec<String>,
}

/// A term: a phrase of word patterns that is evidence for one topic.
#[derive(Debug)]
pub(crate) struct Term {
    pub(crate) topic: usize,
    pub(crate) heading: u32,
    pub(crate) body: u32,
    /// Indices into [`Vocabulary::words`].
    pub(crate) words: Vec<usize>,
    /// Must be the whole heading.
    pub(crate) whole: bool,
    /// Letters in the stems: the longer term wins an overlap.
    pub(crate) letters: usize,
}

pub(crate) struct Vocabulary {
    pub(crate) words: Vec<WordPattern>,
    pub(crate) terms: Vec<Term>,
}

pub(crate) static VOCAB: LazyLock<Vocabulary> = LazyLock::new(build_vocabulary);

pub(crate) fn fuzz_for(stem: &str) -> usize {
    match stem.len() {
        0..=6 => 0,
        7..=12 => 1,
        _ => 2,
    }
}

pub(crate) fn build_vocabulary() -> Vocabulary {
    let mut words: Vec<WordPattern> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::default();
    let mut terms = Vec::new();
    for &(topic, heading, body, list) in VOCABULARY {
        let Some(topic) = TOPICS.iter().position(|t| *t == topic) else {
            continue;
        };
        for raw in list.split('|') {
            let raw = raw.trim();
            let (whole, raw) = match raw.strip_prefix('=') {
                Some(rest) => (true, rest),
                None => (false, raw),
            };
            let mut ids = Vec::new();
            let mut letters = 0;
            for token in raw.split_whitespace() {
                let id = *index.entry(token.to_string()).or_insert_with(|| {
                    words.push(parse_word(token));
                    words.len() - 1
                });
                letters += words.get(id).map_or(0, |w| w.stem.len());
                ids.push(id);
            }
            if ids.is_empty() {
                continue;
            }
            terms.push(Term {
                topic,
                heading,
                body,
                words: ids,
                whole,
                letters,
            });
        }
    }
    Vocabulary { words, terms }
}

pub(crate) fn parse_word(token: &str) -> WordPattern {
    let mut parts = token.split('!');
    let mut stem = parts.next().unwrap_or_default();
    let exclude = parts.map(str::to_string).collect();
    let mut fuzzy = true;
    if let Some(s) = stem.strip_suffix('#') {
        stem = s;
        fuzzy = false;
    }
    let (mode, stem) = match (stem.strip_prefix('*'), stem.strip_suffix('*')) {
        (Some(s), _) => (Mode::Infix, s.trim_end_matches('*')),
        (None, Some(s)) => (Mode::Prefix, s),
        (None, None) => (Mode::Whole, stem),
    };
    let fuzz = if fuzzy { fuzz_for(stem) } else { 0 };
    WordPattern {
        stem: stem.to_string(),
        mode,
        fuzz,
        exclude,
    }
}

/// Text as the vocabulary is matched against it: [`Folding::WORDS`].
pub(crate) fn fold(s: &str) -> String {
    fold_as(s, Folding::WORDS)
}

/// Is the edit distance between `stem` and (a part of) `word` at most `k`?
/// `free_start`: the stem may start anywhere in the word; `free_end`: it may end anywhere.
pub(crate) fn within_distance(
    stem: &[u8],
    word: &[u8],
    k: usize,
    free_start: bool,
    free_end: bool,
) -> bool {
    let n = word.len();
    let mut prev: Vec<usize> = (0..=n).map(|j| if free_start { 0 } else { j }).collect();
    let mut cur = vec![0; n + 1];
    for (i, &s) in stem.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for j in 1..=n {
            let substitute = prev[j - 1] + usize::from(word[j - 1] != s);
            let value = substitute.min(prev[j] + 1).min(cur[j - 1] + 1);
            cur[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > k {
            return false;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let best = if free_end {
        prev.iter().copied().min().unwrap_or(usize::MAX)
    } else {
        prev[n]
    };
    best <= k
}

pub(crate) fn word_matches(pattern: &WordPattern, word: &str) -> bool {
    if pattern.exclude.iter().any(|x| word.starts_with(x.as_str())) {
        return false;
    }
    let stem = pattern.stem.as_str();
    let exact = match pattern.mode {
        Mode::Whole => word == stem,
        Mode::Prefix => word.starts_with(stem),
        Mode::Infix => word.contains(stem),
    };
    if exact || pattern.fuzz == 0 {
        return exact;
    }
    let k = pattern.fuzz;
    if word.len() + k < stem.len() {
        return false;
    }
    if pattern.mode == Mode::Whole && word.len() > stem.len() + k {
        return false;
    }
    let (free_start, free_end) = match pattern.mode {
        Mode::Whole => (false, false),
        Mode::Prefix => (false, true),
        Mode::Infix => (true, true),
    };
    within_distance(stem.as_bytes(), word.as_bytes(), k, free_start, free_end)
}

/// Words remembered per thread before the cache starts over (a bound on its memory).
pub(crate) const MATCHER_CACHE_WORDS: usize = 200_000;

thread_local! {
    /// The word patterns of folded words seen by this thread, kept from one document to the
    /// next: a word's patterns do not depend on the document, and finding them (fuzzy stems) was
    /// the most expensive step of tagging (issue 9).
    static WORD_CACHE: std::cell::RefCell<HashMap<String, Vec<usize>>> =
        std::cell::RefCell::new(HashMap::default());
}

/// Which word patterns each folded word matches, remembered over the documents of a thread.
pub(crate) struct Matcher {
    pub(crate) cache: HashMap<String, Vec<usize>>,
}

impl Default for Matcher {
    fn default() -> Self {
        let cache = WORD_CACHE.with(|c| std::mem::take(&mut *c.borrow_mut()));
        Matcher { cache }
    }
}

impl Drop for Matcher {
    fn drop(&mut self) {
        let mut cache = std::mem::take(&mut self.cache);
        if cache.len() > MATCHER_CACHE_WORDS {
            cache.clear();
        }
        WORD_CACHE.with(|c| *c.borrow_mut() = cache);
    }
}

/// Terms by their first word pattern (index into [`Vocabulary::words`]).
pub(crate) static TERMS_BY_FIRST_WORD: LazyLock<Vec<Vec<usize>>> = LazyLock::new(|| {
    let mut by_first = vec![Vec::new(); VOCAB.words.len()];
    for (t, term) in VOCAB.terms.iter().enumerate() {
        if let Some(slot) = term.words.first().and_then(|&w| by_first.get_mut(w)) {
            slot.push(t);
        }
    }
    by_first
});

impl Matcher {
    pub(crate) fn learn(&mut self, word: &str) {
        if !self.cache.contains_key(word) {
            let ids = VOCAB
                .words
                .iter()
                .enumerate()
                .filter(|(_, p)| word_matches(p, word))
                .map(|(i, _)| i)
                .collect();
            self.cache.insert(word.to_string(), ids);
        }
    }

    /// Non-overlapping term hits in folded words: `(term index, first word)`.
    pub(crate) fn hits(&mut self, words: &[&str], heading: bool) -> Vec<(usize, usize)> {
        for w in words {
            self.learn(w);
        }
        let matched: Vec<&[usize]> = words
            .iter()
            .map(|w| self.cache.get(*w).map_or(&[][..], Vec::as_slice))
            .collect();
        let mut found = Vec::new();
        // Only terms whose first word matches at a position can start there.
        for (start, first) in matched.iter().enumerate() {
            for &id in *first {
                let Some(terms) = TERMS_BY_FIRST_WORD.get(id) else {
                    continue;
                };
                for &t in terms {
                    let term = &VOCAB.terms[t];
                    let weight = if heading { term.heading } else { term.body };
                    if weight == 0 || (term.whole && !heading) {
                        continue;
                    }
                    let len = term.words.len();
                    if len > words.len() || (term.whole && len != words.len()) {
                        continue;
                    }
                    if start + len > words.len() || (term.whole && start > 0) {
                        continue;
                    }
                    let fits = term
                        .words
                        .iter()
                        .enumerate()
                        .skip(1)
                        .all(|(k, id)| matched.get(start + k).is_some_and(|m| m.contains(id)));
                    if fits {
                        found.push((t, start));
                    }
                }
            }
        }
        // The longest term wins where terms overlap.
        found.sort_by_key(|&(t, start)| {
            let term = &VOCAB.terms[t];
            (
                std::cmp::Reverse(term.words.len()),
                std::cmp::Reverse(term.letters),
                start,
                t,
            )
        });
        let mut claimed = vec![false; words.len()];
        let mut kept = Vec::new();
        for (t, start) in found {
            let end = start + VOCAB.terms[t].words.len();
            if claimed[start..end].iter().any(|&c| c) {
                continue;
            }
            claimed[start..end].iter_mut().for_each(|c| *c = true);
            kept.push((t, start));
        }
        kept
    }
}

/// Evidence for each topic in one clause.
#[derive(Debug, Default, Clone)]
pub(crate) struct Evidence {
    pub(crate) heading: [u32; TOPICS.len()],
    pub(crate) body: [u32; TOPICS.len()],
}

impl Evidence {
    /// Topics with enough evidence, strongest first.
    pub(crate) fn select(&self) -> Vec<Found> {
        let mut from_heading: Vec<usize> =
            (0..TOPICS.len()).filter(|&t| self.heading[t] > 0).collect();
        from_heading.sort_by_key(|&t| (std::cmp::Reverse(self.heading[t] + self.body[t]), t));
        let threshold = if from_heading.is_empty() {
            BODY_THRESHOLD
        } else {
            BODY_THRESHOLD_WITH_HEADING
        };
        let mut from_body: Vec<usize> = (0..TOPICS.len())
            .filter(|&t| self.heading[t] == 0 && self.body[t] >= threshold)
            .collect();
        from_body.sort_by_key(|&t| (std::cmp::Reverse(self.body[t]), t));
        from_heading
            .into_iter()
            .map(|topic| Found {
                topic,
                heading: true,
                score: self.heading[topic] + self.body[topic],
            })
            .chain(from_body.into_iter().map(|topic| Found {
                topic,
                heading: false,
                score: self.body[topic],
            }))
            .take(MAX_TOPICS)
            .collect()
    }
}

/// A topic with enough evidence in one clause.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    pub(crate) topic: usize,
    /// The heading gave it.
    pub(crate) heading: bool,
    pub(crate) score: u32,
}

/// Number of words in the first sentence of a text (a full stop before a capital, or a blank
/// line, ends it; `jf. pkt. 9.1` does not).
pub(crate) fn first_sentence_words(text: &str) -> usize {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut end = text.len();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let after = chars.get(i + 2).map(|&(_, c)| c);
        let stop = match c {
            '.' | '!' | '?' => {
                next.is_none()
                    || (next.is_some_and(char::is_whitespace)
                        && after.is_none_or(|c| c.is_uppercase() || c == '\n'))
            }
            '\n' => next == Some('\n'),
            _ => false,
        };
        if stop {
            end = at;
            break;
        }
    }
    fold(text.get(..end).unwrap_or(text))
        .split_whitespace()
        .count()
}

/// Is this line an upper-case heading standing on its own (`FORCE MAJEURE`)?
pub(crate) fn is_caps_heading(line: &str) -> bool {
    let line = line.trim();
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let words = line.split_whitespace().count();
    letters.len() >= 4
        && words <= 12
        && letters.iter().all(|c| c.is_uppercase())
        && line.split_whitespace().any(|w| w.chars().count() >= 4)
        && !line.ends_with(['.', ',', ':', ';'])
}

pub(crate) fn evidence(matcher: &mut Matcher, heading: Option<&str>, text: &str) -> Evidence {
    let mut ev = Evidence::default();
    if let Some(h) = heading {
        let folded = fold(h);
        let words: Vec<&str> = folded.split_whitespace().collect();
        for (t, _) in matcher.hits(&words, true) {
            let term = &VOCAB.terms[t];
            ev.heading[term.topic] += term.heading;
        }
    }
    let lead = first_sentence_words(text);
    let folded = fold(text);
    let words: Vec<&str> = folded.split_whitespace().collect();
    for (t, start) in matcher.hits(&words, false) {
        let term = &VOCAB.terms[t];
        let factor = if start < lead { 2 } else { 1 };
        ev.body[term.topic] += term.body * factor;
    }
    ev
}

/// A clause's own topics: `(topic, from the heading)`, strongest first.
pub(crate) fn own_topics(matcher: &mut Matcher, heading: Option<&str>, text: &str) -> Vec<Found> {
    // No heading, but the text opens with an upper-case heading line: that line is the heading.
    if heading.is_none_or(|h| h.trim().is_empty()) {
        let trimmed = text.trim_start();
        let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
        if is_caps_heading(first) && !rest.trim().is_empty() {
            return evidence(matcher, Some(first), rest).select();
        }
    }
    evidence(matcher, heading, text).select()
}

/// Topic ids of a heading + text, without inheritance.
pub fn topics_of(heading: Option<&str>, text: &str) -> Vec<String> {
    let mut matcher = Matcher::default();
    own_topics(&mut matcher, heading, text)
        .into_iter()
        .map(|f| TOPICS[f.topic].to_string())
        .collect()
}
