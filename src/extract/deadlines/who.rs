//! Who must act, towards whom, and what: read from the sentence a deadline stands in.
//!
//! The parties are found by their role words (`databehandleren`, `den dataansvarlige`,
//! `leverandøren`, `kunden`, `underdatabehandleren`, `Datatilsynet`, `den registrerede`, `the
//! processor`, `the controller`, `the supervisory authority`, `data subjects`), by the pronouns a
//! vendor writes its own terms in (`vi`/`os`, `we`/`us` for the processor; `du`, `you` for the
//! controller), and by the names the agreement itself defines (`Dataansvarlig ("Partner")`,
//! `LogicNodes (Databehandler)`, `(herefter "Leverandøren")`, `Acme ApS er databehandler`,
//! `Databehandler: systemklar`), read once per document by [`Names::read`].
//!
//! In the part of the sentence the deadline stands in (a sentence is cut before `sådan at`,
//! `hvis`, `so that`, `unless` …) the grammar decides:
//!
//! * the actor is the possessor of a duty noun (`databehandlerens underretning`, `den
//!   dataansvarliges forpligtelse`, `the processor's notification`), else the subject: the first
//!   party not after a preposition and not the object of a verb (a party right after a verb in
//!   the infinitive, `underrette den dataansvarlige`, `notify the controller`, is its object; after
//!   a finite verb with no subject before it, `Underretter vi omgående Partner`, the subject), else
//!   the agent of a passive (`af databehandleren`, `by the processor`), else the party whose
//!   awareness starts the clock (`efter databehandleren er blevet opmærksom`);
//! * the counterparty is the object of the verb, else the party after `til`/`over for`/`to`,
//!   else the subject of a passive notification (`Partnere underrettes`); `anmelde` a breach
//!   with no one named goes to the authority;
//! * the action is read from the verbs and nouns (notify, object, delete/return, audit, assist,
//!   respond, terminate) and, for a notification, what it is about (a breach, a sub-processor,
//!   an unlawful instruction, an authority's request, a change).
//!
//! Where the text names no actor, it is inferred from the counterparty and the action only
//! where the law leaves one choice: whoever notifies, assists or answers the controller under a
//! data processing agreement is the processor; a breach notified to the authority or the data
//! subjects is the controller's.

use crate::analysis::{tokenize, Token};
use crate::record::{Clause, Counterparty, DeadlineAction, DeadlineKind, PartyRole};

/// A party a word can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Processor,
    Controller,
    Subprocessor,
    Authority,
    DataSubject,
}

impl Role {
    fn party(self) -> Option<PartyRole> {
        match self {
            Role::Processor => Some(PartyRole::Processor),
            Role::Controller => Some(PartyRole::Controller),
            Role::Subprocessor => Some(PartyRole::Subprocessor),
            Role::Authority | Role::DataSubject => None,
        }
    }

    fn counterparty(self) -> Counterparty {
        match self {
            Role::Processor => Counterparty::Processor,
            Role::Controller => Counterparty::Controller,
            Role::Subprocessor => Counterparty::Subprocessor,
            Role::Authority => Counterparty::Authority,
            Role::DataSubject => Counterparty::DataSubject,
        }
    }
}

/// Danish noun endings of a role word, genitive last-letter `s`.
const NOUN_ENDINGS: &[&str] = &["", "en", "ens", "s", "e", "ne", "nes", "es", "n", "ns"];

/// `stem` plus one of `endings`: the word is that noun (not a compound like
/// `databehandleraftale`).
fn inflected(w: &str, stem: &str, endings: &[&str]) -> bool {
    w.strip_prefix(stem)
        .is_some_and(|rest| endings.contains(&rest))
}

/// A role word (not an alias) at token `i`: the role and how many tokens it takes.
fn builtin(toks: &[Token], i: usize, end: usize) -> Option<(Role, usize)> {
    let t = toks.get(i).filter(|t| t.is_word() && i < end)?;
    let w = t.fold.as_ref();
    let next = |k: usize| {
        toks.get(i + k)
            .filter(|_| i + k < end)
            .map(|t| t.fold.as_ref())
    };
    if w == "sub" && next(1) == Some("-") && next(2).is_some_and(|n| n.starts_with("processor")) {
        return Some((Role::Subprocessor, 3));
    }
    if w == "supervisory" && next(1).is_some_and(|n| n.starts_with("authorit")) {
        return Some((Role::Authority, 2));
    }
    if w == "data" && next(1).is_some_and(|n| n == "subject" || n == "subjects") {
        return Some((Role::DataSubject, 2));
    }
    let role = if inflected(w, "underdatabehandler", NOUN_ENDINGS)
        || inflected(w, "underleverandor", NOUN_ENDINGS)
        || inflected(w, "underbehandler", NOUN_ENDINGS)
        || matches!(w, "subprocessor" | "subprocessors")
    {
        Role::Subprocessor
    } else if inflected(w, "databehandler", NOUN_ENDINGS)
        || inflected(w, "leverandor", NOUN_ENDINGS)
        || matches!(
            w,
            "processor" | "processors" | "supplier" | "suppliers" | "vendor"
        )
    {
        Role::Processor
    } else if inflected(w, "dataansvarlig", &["", "e", "es"])
        || inflected(w, "kunde", &["", "n", "ns", "s"])
        || matches!(w, "controller" | "controllers" | "customer" | "customers")
    {
        Role::Controller
    } else if matches!(w, "datatilsynet" | "datatilsynets")
        || inflected(w, "tilsynsmyndighed", &["", "en", "ens", "er", "erne"])
        || (matches!(w, "authority" | "authorities")
            && i > 0
            && matches!(
                toks[i - 1].fold.as_ref(),
                "competent" | "protection" | "relevant"
            ))
    {
        Role::Authority
    } else if matches!(w, "registrerede" | "registreredes") {
        Role::DataSubject
    } else {
        return None;
    };
    Some((role, 1))
}

/// The pronouns a vendor's own terms use: the vendor (the processor) writes `vi`, and
/// addresses the customer (the controller) as `du`.
fn pronoun(w: &str) -> Option<(Role, Case)> {
    let r = match w {
        "vi" | "we" => (Role::Processor, Case::Subject),
        "os" | "us" => (Role::Processor, Case::Object),
        "vores" | "our" => (Role::Processor, Case::Genitive),
        "du" => (Role::Controller, Case::Subject),
        "dig" => (Role::Controller, Case::Object),
        "din" | "dit" | "dine" | "your" => (Role::Controller, Case::Genitive),
        "you" => (Role::Controller, Case::Any),
        _ => return None,
    };
    Some(r)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Subject,
    Object,
    Genitive,
    Any,
}

/// One party named in a sentence.
#[derive(Debug, Clone, Copy)]
struct Mention {
    pos: usize,
    end: usize,
    role: Role,
    case: Case,
}

/// The names an agreement gives its parties (`"Partner"`, `"LogicNodes"`, `"Leverandøren"`),
/// as folded words.
#[derive(Debug, Default)]
pub(super) struct Names {
    aliases: Vec<(Vec<String>, Role)>,
}

/// Words that are never a party's name on their own.
const NOT_A_NAME: &[&str] = &[
    "den",
    "det",
    "de",
    "denne",
    "dette",
    "the",
    "a",
    "an",
    "og",
    "and",
    "or",
    "eller",
    "af",
    "of",
    "til",
    "to",
    "i",
    "in",
    "navn",
    "name",
    "this",
    "it",
    "that",
    "which",
    "der",
    "som",
    "hvis",
    "if",
    "dpa",
    "aftale",
    "aftalen",
    "agreement",
    "parterne",
    "parties",
    "part",
    "party",
    "cvr",
    "adresse",
    "address",
    "e",
    "mail",
    "email",
];

impl Names {
    /// The parties' defined names, read from every clause.
    pub(super) fn read(clauses: &[Clause]) -> Names {
        let mut found: Vec<(Vec<String>, Role)> = Vec::new();
        for clause in clauses {
            let heading = clause.reading_heading().unwrap_or("");
            for text in [heading, clause.reading_text()] {
                if text.is_empty() {
                    continue;
                }
                let toks = tokenize(text);
                definitions(text, &toks, &mut found);
            }
        }
        let mut aliases: Vec<(Vec<String>, Role)> = Vec::new();
        for (words, role) in found {
            if let Some(k) = aliases.iter().position(|(w, _)| *w == words) {
                if aliases[k].1 != role {
                    // Named for two parties: trust neither.
                    aliases[k].0.clear();
                }
            } else {
                aliases.push((words, role));
            }
        }
        aliases.retain(|(w, _)| !w.is_empty());
        // Longest names first, so `LogicNodes ApS` wins over `LogicNodes`.
        aliases.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        Names { aliases }
    }

    /// A defined name at token `i`: its role, the tokens it takes and whether it is a genitive.
    fn alias_at(&self, toks: &[Token], i: usize, end: usize) -> Option<(Role, usize, Case)> {
        'alias: for (words, role) in &self.aliases {
            let mut k = i;
            let mut genitive = false;
            for (n, w) in words.iter().enumerate() {
                let Some(t) = toks.get(k).filter(|t| k < end && t.is_word()) else {
                    continue 'alias;
                };
                let f = t.fold.as_ref();
                let last = n + 1 == words.len();
                if f != w {
                    // The last word may carry a Danish ending (`Partners`, `Partnere`).
                    let ending = f.strip_prefix(w.as_str()).filter(|_| last && w.len() >= 4);
                    match ending {
                        Some("s" | "es" | "ens") => genitive = true,
                        Some("e" | "er" | "en" | "ne") => {}
                        _ => continue 'alias,
                    }
                }
                k += 1;
                // Skip non-word tokens inside a name (`A/S`).
                while !last
                    && k < end
                    && matches!(toks[k].raw, "/" | "." | "&" | "-")
                    && !toks[k].space_before
                {
                    k += 1;
                }
            }
            let (extra, g) = english_genitive(toks, k, end);
            let case = if genitive || g {
                Case::Genitive
            } else {
                Case::Any
            };
            return Some((*role, k + extra - i, case));
        }
        None
    }

    /// The party named at token `i`, if any.
    fn mention_at(&self, toks: &[Token], i: usize, end: usize) -> Option<Mention> {
        let t = toks.get(i).filter(|t| t.is_word() && i < end)?;
        if let Some((role, len, case)) = self.alias_at(toks, i, end) {
            return Some(Mention {
                pos: i,
                end: i + len,
                role,
                case,
            });
        }
        if let Some((role, len)) = builtin(toks, i, end) {
            let last = &toks[i + len - 1];
            let (extra, g) = english_genitive(toks, i + len, end);
            let danish_genitive = last.fold.ends_with('s')
                && !matches!(
                    last.fold.as_ref(),
                    "processors"
                        | "controllers"
                        | "customers"
                        | "suppliers"
                        | "subprocessors"
                        | "subjects"
                        | "authorities"
                )
                && !last.fold.ends_with("ss");
            let case = if g || danish_genitive {
                Case::Genitive
            } else {
                Case::Any
            };
            return Some(Mention {
                pos: i,
                end: i + len + extra,
                role,
                case,
            });
        }
        if t.raw.chars().next().is_some_and(char::is_uppercase) && t.raw.len() > 1 {
            // A capitalised pronoun is still a pronoun; a name in capitals is not.
            if t.raw.chars().skip(1).any(char::is_uppercase) {
                return None;
            }
        }
        let (role, case) = pronoun(&t.fold)?;
        Some(Mention {
            pos: i,
            end: i + 1,
            role,
            case,
        })
    }

    fn mentions(&self, toks: &[Token], start: usize, end: usize) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut i = start;
        while i < end {
            match self.mention_at(toks, i, end) {
                Some(m) => {
                    i = m.end.max(i + 1);
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }
}

/// `'s` / `’s` / `s'` after a name: the tokens it takes and whether it is there.
fn english_genitive(toks: &[Token], k: usize, end: usize) -> (usize, bool) {
    let apostrophe = |k: usize| {
        toks.get(k)
            .is_some_and(|t| k < end && matches!(t.raw, "'" | "’") && !t.space_before)
    };
    if apostrophe(k) {
        if toks
            .get(k + 1)
            .is_some_and(|t| k + 1 < end && t.fold == "s" && !t.space_before)
        {
            return (2, true);
        }
        if k > 0 && toks[k - 1].fold.ends_with('s') {
            return (1, true);
        }
    }
    (0, false)
}

/// The role a defining phrase names (`databehandler`, `processor` …) at token `i`.
fn defining_role(toks: &[Token], i: usize, end: usize) -> Option<Role> {
    builtin(toks, i, end)
        .map(|(r, _)| r)
        .filter(|r| matches!(r, Role::Processor | Role::Controller | Role::Subprocessor))
}

/// A name's folded words, if it can be a name.
fn name_words(s: &str) -> Option<Vec<String>> {
    let words: Vec<String> = tokenize(s)
        .iter()
        .filter(|t| t.is_word())
        .map(|t| t.fold.to_string())
        .collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    if words.len() == 1 && NOT_A_NAME.contains(&words[0].as_str()) {
        return None;
    }
    if words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    // A role word needs no alias.
    let toks = tokenize(s);
    let first = toks.iter().position(|t| t.is_word())?;
    if words.len() == 1 && builtin(&toks, first, toks.len()).is_some() {
        return None;
    }
    Some(words)
}

/// Quoted pieces of `s` (`"Partner", "du"`).
fn quoted(s: &str) -> Vec<&str> {
    let is_quote = |c: char| matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '\'' | '‘' | '’');
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if !is_quote(c) {
            continue;
        }
        // An apostrophe inside a word (`LogicNodes'`, `don't`) is no quote.
        let before = s[..i].chars().next_back();
        let after = s[i + c.len_utf8()..].chars().next();
        if matches!(c, '\'' | '’')
            && before.is_some_and(char::is_alphanumeric)
            && after.is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        match open {
            None => open = Some(i + c.len_utf8()),
            Some(o) => {
                if let Some(piece) = s.get(o..i) {
                    if !piece.trim().is_empty() {
                        out.push(piece.trim());
                    }
                }
                open = None;
            }
        }
    }
    out
}

/// Capitalised words right before token `i` on the same line (a name): `LogicNodes`,
/// `Acme Cloud`.
fn name_before(text: &str, toks: &[Token], i: usize) -> Option<Vec<String>> {
    let mut first = i;
    let mut n = 0;
    while first > 0 && n < 3 {
        let t = &toks[first - 1];
        if !t.is_word() || !t.raw.chars().next().is_some_and(char::is_uppercase) {
            break;
        }
        first -= 1;
        n += 1;
        if t.newlines_before > 0 {
            break;
        }
    }
    if n == 0 || toks[i].newlines_before > 0 {
        return None;
    }
    name_words(text.get(toks[first].start..toks[i - 1].end)?)
}

const DETERMINERS: &[&str] = &["den", "det", "the", "a", "an", "vores", "our", "en", "et"];

/// The definitions of the parties' names in one text.
fn definitions(text: &str, toks: &[Token], out: &mut Vec<(Vec<String>, Role)>) {
    let end = toks.len();
    let word = |k: usize| toks.get(k).filter(|t| t.is_word()).map(|t| t.fold.as_ref());
    for i in 0..end {
        // `Databehandler ("LogicNodes ApS", "LogicNodes", "vi", "os")`, `Databehandler: systemklar`
        if let Some(role) = defining_role(toks, i, end) {
            let j = i + 1;
            if toks.get(j).is_some_and(|t| t.raw == "(") {
                if let Some(close) = (j + 1..end.min(j + 40)).find(|&k| toks[k].raw == ")") {
                    let inner = text.get(toks[j].end..toks[close].start).unwrap_or("");
                    for q in quoted(inner) {
                        if let Some(w) = name_words(q) {
                            out.push((w, role));
                        }
                    }
                }
            } else if toks.get(j).is_some_and(|t| t.raw == ":") && toks[i].newlines_before > 0
                || (i == 0 && toks.get(j).is_some_and(|t| t.raw == ":"))
            {
                let mut k = j + 1;
                let mut words = 0;
                while k < end && toks[k].newlines_before == 0 && toks[k].is_word() && words < 4 {
                    if matches!(toks[k].fold.as_ref(), "cvr" | "vat" | "org") {
                        break;
                    }
                    words += 1;
                    k += 1;
                }
                let ends_name = k >= end
                    || toks[k].newlines_before > 0
                    || matches!(toks[k].raw, "·" | "," | "(" | "|" | ";" | "–" | "—")
                    || matches!(toks[k].fold.as_ref(), "cvr" | "vat" | "org");
                if (1..=3).contains(&words) && ends_name {
                    if let Some(w) =
                        name_words(text.get(toks[j + 1].start..toks[k - 1].end).unwrap_or(""))
                    {
                        out.push((w, role));
                    }
                }
            }
        }
        if toks[i].raw != "(" {
            continue;
        }
        // `LogicNodes (Databehandler)`
        if let Some(role) = defining_role(toks, i + 1, end) {
            let len = builtin(toks, i + 1, end).map_or(1, |b| b.1);
            if toks.get(i + 1 + len).is_some_and(|t| t.raw == ")") {
                if let Some(w) = name_before(text, toks, i) {
                    out.push((w, role));
                }
            }
            continue;
        }
        // `(herefter kaldet "Leverandøren")`, `(hereinafter "Customer")`, `("Kunden")`
        let Some(close) = (i + 1..end.min(i + 14)).find(|&k| toks[k].raw == ")") else {
            continue;
        };
        let inner = text.get(toks[i].end..toks[close].start).unwrap_or("");
        let lead = inner
            .trim_start()
            .split(['"', '“', '”', '„', '«', '\'', '‘'])
            .next()
            .unwrap_or("")
            .to_lowercase();
        let lead_ok = lead.split_whitespace().all(|w| {
            matches!(
                w,
                "herefter"
                    | "hereafter"
                    | "hereinafter"
                    | "kaldet"
                    | "benævnt"
                    | "omtalt"
                    | "som"
                    | "i"
                    | "det"
                    | "følgende"
                    | "referred"
                    | "to"
                    | "as"
                    | "the"
                    | "den"
                    | "og"
                    | "and"
                    | "or"
                    | "eller"
                    | ","
            )
        });
        let names = quoted(inner);
        if !lead_ok || names.is_empty() {
            continue;
        }
        // The role: `… er databehandler` after, else the nearest role word before.
        let mut role = None;
        let mut k = close + 1;
        let mut seen = 0;
        while k < end && seen < 8 && !matches!(toks[k].raw, "." | ";") {
            if toks[k].is_word() {
                seen += 1;
                if let Some(r) = defining_role(toks, k, end) {
                    let before = word(k.saturating_sub(1)).unwrap_or("");
                    let before2 = word(k.saturating_sub(2)).unwrap_or("");
                    if matches!(before, "er" | "is" | "som" | "as")
                        || (DETERMINERS.contains(&before)
                            && matches!(before2, "er" | "is" | "som" | "as"))
                    {
                        role = Some(r);
                        break;
                    }
                }
            }
            k += 1;
        }
        if role.is_none() {
            let mut k = i;
            let mut seen = 0;
            while k > 0 && seen < 15 {
                k -= 1;
                if matches!(toks[k].raw, "." | ")" | ";") {
                    break;
                }
                if toks[k].is_word() {
                    seen += 1;
                    if let Some(r) = defining_role(toks, k, end) {
                        role = Some(r);
                        break;
                    }
                }
            }
        }
        if let Some(role) = role {
            for q in names {
                if let Some(w) = name_words(q) {
                    out.push((w, role));
                }
            }
        }
    }
    // `Acme ApS er databehandler`, `Acme Ltd is the processor`, `Acme acts as processor`
    for i in 1..end {
        let verb = toks[i].fold.as_ref();
        if !matches!(verb, "er" | "is" | "acts" | "optraeder") {
            continue;
        }
        let mut k = i + 1;
        if matches!(word(k), Some("as" | "som")) {
            k += 1;
        }
        if word(k).is_some_and(|w| DETERMINERS.contains(&w)) {
            k += 1;
        }
        let Some(role) = defining_role(toks, k, end) else {
            continue;
        };
        // The role word must end the phrase (`er databehandler for …`, not
        // `er databehandleraftalen`).
        if let Some(w) = name_before(text, toks, i) {
            out.push((w, role));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading one sentence
// ---------------------------------------------------------------------------------------------

/// A lead-in sentence (`I tilfælde af et Databrud skal LogicNodes:`) puts a duty on its
/// subject: it has a modal verb.
pub(super) fn has_modal(toks: &[Token], start: usize, end: usize) -> bool {
    (start..end).any(|k| {
        matches!(
            toks[k].fold.as_ref(),
            "skal" | "vil" | "kan" | "shall" | "will" | "must" | "may" | "agrees" | "forpligter"
        )
    })
}

/// Who, towards whom and what, for one deadline.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Reading {
    pub party: Option<PartyRole>,
    pub counterparty: Option<Counterparty>,
    pub action: Option<DeadlineAction>,
    /// The actor as read (before inference), for a list's lead-in.
    pub actor: Option<Role>,
}

/// Words that open a clause with its own subject inside a sentence.
fn opens_clause(toks: &[Token], k: usize, end: usize) -> bool {
    let w = toks[k].fold.as_ref();
    let next = toks
        .get(k + 1)
        .filter(|_| k + 1 < end)
        .map(|t| t.fold.as_ref());
    let after_punct = k > 0 && matches!(toks[k - 1].raw, "," | ";" | "—" | "–" | "(");
    match w {
        "sadan" | "saledes" | "so" | "such" => matches!(next, Some("at" | "that")),
        "in" => next == Some("order"),
        "hvis" | "medmindre" | "unless" | "if" | "nar" | "hvorefter" | "whereupon" | "fordi"
        | "because" | "whereas" | "mens" | "while" => after_punct,
        "sa" => after_punct && next.is_some_and(|n| n != "vidt"),
        _ => false,
    }
}

/// Words skipped between a verb and its object, or a preposition and its noun.
const SKIPPABLE: &[&str] = &[
    "den",
    "det",
    "de",
    "the",
    "a",
    "an",
    "sin",
    "sit",
    "sine",
    "its",
    "their",
    "his",
    "her",
    "relevant",
    "relevante",
    "kompetente",
    "competent",
    "pagaeldende",
    "berorte",
    "affected",
    "ny",
    "nye",
    "new",
    "egen",
    "own",
    "eventuelle",
    "any",
    "omgaende",
    "straks",
    "uden",
    "unodig",
    "forsinkelse",
    "ophold",
    "ugrundet",
    "skriftligt",
    "skriftlig",
    "hurtigst",
    "snarest",
    "muligt",
    "promptly",
    "immediately",
    "without",
    "undue",
    "delay",
    "in",
    "writing",
    "also",
    "ogsa",
    "altid",
    "always",
    "endvidere",
    "desuden",
    "herom",
    "derom",
    "thereof",
    "hereof",
    "forst",
    "first",
    "relevant",
];

const RECIPIENT_PREPS: &[&str] = &["til", "overfor", "to", "towards"];
const OTHER_PREPS: &[&str] = &[
    "over", "fra", "med", "mod", "for", "pa", "om", "i", "hos", "under", "ved", "from", "with",
    "against", "on", "of", "at", "about", "behalf", "between", "mellem", "vegne", "upon", "among",
    "via", "by", "af", "end", "than", "hvor", "where",
];

/// Verbs and nouns of acting towards someone (folded prefixes), by what they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Notify,
    Object,
    Delete,
    Audit,
    Assist,
    Respond,
    Terminate,
}

fn cue(w: &str) -> Option<Cue> {
    const NOTIFY: &[&str] = &[
        "underret",
        // OCR drops a doubled letter (`underetter`).
        "underet",
        "anmeld",
        "meddel",
        "informer",
        "orienter",
        "varsl",
        "varsel",
        "forhandsvarsel",
        "advis",
        "notif",
        "inform",
        "alert",
        "besked",
    ];
    const OBJECT: &[&str] = &["indsigelse", "object", "protest", "gore indsigelse"];
    const DELETE: &[&str] = &[
        "slet",
        "tilbagelever",
        "returner",
        "destruer",
        "delet",
        "return",
        "erase",
        "erasure",
        "destroy",
        "destruction",
        "anonymis",
    ];
    const AUDIT: &[&str] = &[
        "revision",
        "revisor",
        "audit",
        "inspektion",
        "inspection",
        "kontrolbesog",
        "assurance",
        "isae",
    ];
    const ASSIST: &[&str] = &["bista", "bistand", "assist", "cooperat", "samarbejd"];
    const RESPOND: &[&str] = &[
        "besvar", "svar", "imodekom", "respond", "response", "reply", "answer",
    ];
    const TERMINATE: &[&str] = &["opsig", "ophaev", "terminat"];
    let has = |list: &[&str]| list.iter().any(|p| w.starts_with(p));
    if matches!(
        w,
        "fjerne" | "fjernes" | "fjerner" | "fjernet" | "remove" | "removed"
    ) {
        return Some(Cue::Delete);
    }
    if has(OBJECT) || w == "objection" {
        return Some(Cue::Object);
    }
    if (has(NOTIFY) && !w.starts_with("information")) || w == "report" || w == "reports" {
        return Some(Cue::Notify);
    }
    if has(DELETE) {
        return Some(Cue::Delete);
    }
    if has(AUDIT) {
        return Some(Cue::Audit);
    }
    if has(ASSIST) {
        return Some(Cue::Assist);
    }
    if has(RESPOND) {
        return Some(Cue::Respond);
    }
    if has(TERMINATE) {
        return Some(Cue::Terminate);
    }
    None
}

/// A verb form after which a party is the verb's object: Danish infinitives (`underrette`,
/// `informere`, `bistå`), English verbs.
fn takes_object(w: &str, finite_with_subject_before: bool) -> bool {
    let Some(c) = cue(w) else { return false };
    if !matches!(
        c,
        Cue::Notify | Cue::Assist | Cue::Respond | Cue::Delete | Cue::Object
    ) {
        return false;
    }
    let danish_finite = w.ends_with("er") || w.ends_with("ar") || w == "bistar";
    let noun = w.ends_with("ing") && !w.starts_with("notif")
        || w.ends_with("else")
        || w.ends_with("ion")
        || w.ends_with("sel");
    if noun {
        return false;
    }
    !danish_finite || finite_with_subject_before
}

/// A passive notification verb (`underrettes`, `varsles`, `notified`, `informed`).
fn passive_notify(toks: &[Token], k: usize) -> bool {
    let w = toks[k].fold.as_ref();
    if cue(w) != Some(Cue::Notify) {
        return false;
    }
    if w.ends_with("es") && !w.ends_with("ses") || w == "varsles" {
        return true;
    }
    w.ends_with("ed")
        && k > 0
        && matches!(
            toks[k - 1].fold.as_ref(),
            "be" | "is" | "are" | "been" | "being"
        )
}

/// Nouns of a duty whose possessor is the one who acts (`databehandlerens underretning`).
fn duty_noun(w: &str) -> bool {
    [
        "underretning",
        "forpligtelse",
        "pligt",
        "frist",
        "anmeldelse",
        "meddelelse",
        "svar",
        "varsel",
        "notification",
        "notice",
        "obligation",
        "duty",
        "deadline",
        "response",
        "own",
        "egen",
    ]
    .iter()
    .any(|p| w.starts_with(p))
}

/// What the sentence is about, for a notification.
fn notify_subject(
    words: &[&str],
    mentions: &[Mention],
    kind: Option<DeadlineKind>,
) -> DeadlineAction {
    let any = |f: &dyn Fn(&str) -> bool| words.iter().any(|w| f(w));
    let breach = any(&|w| {
        w.contains("brud")
            || w.starts_with("breach")
            || w.starts_with("incident")
            || w.starts_with("haendelse")
            || w.starts_with("sikkerhedshaendelse")
    });
    let sub = mentions.iter().any(|m| m.role == Role::Subprocessor)
        || any(&|w| w.contains("underdatabehandler") || w.contains("subprocessor"));
    let instruction = any(&|w| w.starts_with("instruk") || w.starts_with("instruction"))
        && any(&|w| {
            w.starts_with("strid")
                || w.starts_with("infring")
                || w.starts_with("ulovlig")
                || w.starts_with("unlawful")
                || w.starts_with("violat")
                || w.starts_with("illegal")
        });
    let authority_request = any(&|w| w.contains("myndighed") || w.starts_with("authorit"))
        && any(&|w| {
            w.starts_with("anmodning") || w.starts_with("request") || w.starts_with("adgang")
        });
    let change = any(&|w| {
        w.starts_with("aendring")
            || w.starts_with("change")
            || w.starts_with("opdater")
            || w.starts_with("amend")
            || w.starts_with("update")
    });
    if sub && (kind == Some(DeadlineKind::Notice) || !breach) {
        DeadlineAction::NotifySubprocessorChange
    } else if breach {
        DeadlineAction::NotifyBreach
    } else if instruction {
        DeadlineAction::NotifyInstruction
    } else if authority_request {
        DeadlineAction::NotifyAuthorityRequest
    } else if change {
        DeadlineAction::NotifyChange
    } else {
        DeadlineAction::Notify
    }
}

/// Read the party, counterparty and action of a deadline whose cue stands at token `at` of
/// the sentence `start..end`; `kind` is the deadline's kind (`None` when a lead-in is read only
/// for its actor); `lead` is the actor of a list's lead-in (`… skal LogicNodes:`).
#[allow(clippy::too_many_arguments)]
pub(super) fn read(
    names: &Names,
    toks: &[Token],
    start: usize,
    end: usize,
    at: usize,
    kind: Option<DeadlineKind>,
    lead: Option<Role>,
    context: &[String],
) -> Reading {
    // The part of the sentence the deadline stands in.
    let mut cuts = vec![start];
    for k in start + 1..end {
        if toks[k].is_word() && opens_clause(toks, k, end) {
            cuts.push(k);
        }
    }
    cuts.push(end);
    let seg_of = |p: usize| {
        let n = cuts.iter().rposition(|&c| c <= p).unwrap_or(0);
        (cuts[n], cuts[(n + 1).min(cuts.len() - 1)].max(cuts[n]), n)
    };
    let (s, e, n) = seg_of(at.clamp(start, end.saturating_sub(1)));
    let all = names.mentions(toks, start, end);
    let local = roles_in(toks, &all, s, e);
    let mut actor = local.actor;
    let mut counter = local.counter;
    if actor.is_none() && !local.any_subject && n > 0 {
        // A clause without its own subject continues the one before.
        let (ps, pe, _) = seg_of(cuts[n - 1]);
        actor = roles_in(toks, &all, ps, pe).actor;
    }
    let actor_read = actor.or(local.aware);
    actor = actor_read.or(lead);
    // What is done.
    let seg_words: Vec<&str> = (s..e)
        .filter(|&k| toks[k].is_word())
        .map(|k| toks[k].fold.as_ref())
        .collect();
    let sentence_words: Vec<&str> = (start..end)
        .filter(|&k| toks[k].is_word())
        .map(|k| toks[k].fold.as_ref())
        .collect();
    let local_mentions: Vec<Mention> = all
        .iter()
        .copied()
        .filter(|m| m.pos >= s && m.pos < e)
        .collect();
    let mut action = action_of(&seg_words, &sentence_words, &local_mentions, &all, kind);
    if matches!(action, Some(DeadlineAction::Notify)) {
        // The clause's heading and topics say what a bare notification is about.
        let words: Vec<&str> = context.iter().map(String::as_str).collect();
        let about = if words.contains(&"breach_notification") {
            DeadlineAction::NotifyBreach
        } else {
            notify_subject(&words, &[], kind)
        };
        if about != DeadlineAction::Notify && about != DeadlineAction::NotifyChange {
            action = Some(about);
        } else if kind == Some(DeadlineKind::Notice)
            && (words.contains(&"audit") || words.iter().any(|w| cue(w) == Some(Cue::Audit)))
        {
            // `med 60 dages forhåndsvarsel` in a clause on audits.
            action = Some(DeadlineAction::AuditNotice);
        }
    }
    // `anmelde` a breach with no one named: to the authority.
    if counter.is_none()
        && action == Some(DeadlineAction::NotifyBreach)
        && seg_words.iter().any(|w| w.starts_with("anmeld"))
    {
        counter = Some(Role::Authority);
    }
    if actor.is_none() {
        actor = match (counter, action) {
            (
                Some(Role::Controller),
                Some(
                    DeadlineAction::NotifyBreach
                    | DeadlineAction::NotifySubprocessorChange
                    | DeadlineAction::NotifyInstruction
                    | DeadlineAction::NotifyAuthorityRequest
                    | DeadlineAction::DeleteReturn
                    | DeadlineAction::Assist
                    | DeadlineAction::AuditReport
                    | DeadlineAction::Respond,
                ),
            ) => Some(Role::Processor),
            (Some(Role::Authority | Role::DataSubject), Some(DeadlineAction::NotifyBreach)) => {
                Some(Role::Controller)
            }
            (Some(Role::Processor), Some(DeadlineAction::Object)) => Some(Role::Controller),
            _ => None,
        };
    }
    if counter == actor {
        counter = None;
    }
    Reading {
        party: actor.and_then(Role::party),
        counterparty: counter.map(Role::counterparty),
        action,
        actor: actor_read,
    }
}

struct Roles {
    actor: Option<Role>,
    counter: Option<Role>,
    /// The party whose awareness starts the clock (`efter databehandleren er blevet opmærksom`).
    aware: Option<Role>,
    /// A subject stands in the part (a party, or another noun before a finite verb).
    any_subject: bool,
}

/// The roles of the parties named in tokens `s..e`.
fn roles_in(toks: &[Token], all: &[Mention], s: usize, e: usize) -> Roles {
    let mentions: Vec<&Mention> = all.iter().filter(|m| m.pos >= s && m.pos < e).collect();
    let mut actor: Option<Role> = None;
    let mut subject: Option<&Mention> = None;
    let mut object: Option<Role> = None;
    let mut recipient: Option<Role> = None;
    let mut agent: Option<Role> = None;
    let mut aware: Option<Role> = None;
    let passive = (s..e).any(|k| toks[k].is_word() && passive_notify(toks, k));
    for m in &mentions {
        // `/da/underbehandlere`: part of a path.
        if m.pos > 0 && toks[m.pos - 1].raw == "/" && !toks[m.pos].space_before {
            continue;
        }
        // `Partner-konfigurerbar`, `LogicNodes-platformen`: part of a compound.
        if toks
            .get(m.end)
            .is_some_and(|t| m.end < e && t.raw == "-" && !t.space_before)
            && toks
                .get(m.end + 1)
                .is_some_and(|t| t.is_word() && !t.space_before)
        {
            continue;
        }
        // `være den dataansvarlige i hænde`: received by.
        let in_hands = toks.get(m.end).is_some_and(|t| t.fold == "i")
            && toks
                .get(m.end + 1)
                .is_some_and(|t| matches!(t.fold.as_ref(), "haende" | "haende."));
        if in_hands {
            recipient = recipient.or(Some(m.role));
            continue;
        }
        // The subject's own role again (`… skal databehandleren …`) is no object.
        if subject.is_some_and(|sm| sm.role == m.role) || actor == Some(m.role) {
            continue;
        }
        // The word before, past determiners and adverbs.
        let mut k = m.pos;
        let mut before: Option<&str> = None;
        let mut before_k = s;
        while k > s {
            k -= 1;
            let t = &toks[k];
            if !t.is_word() {
                if matches!(t.raw, "," | "(" | ":" | ";" | "—" | "–") {
                    break;
                }
                continue;
            }
            if SKIPPABLE.contains(&t.fold.as_ref()) {
                continue;
            }
            before = Some(t.fold.as_ref());
            before_k = k;
            break;
        }
        let before2 = (s..before_k)
            .rev()
            .map(|k| &toks[k])
            .find(|t| t.is_word())
            .map(|t| t.fold.as_ref());
        // `efter databehandleren er blevet opmærksom`, `after the processor becomes aware`
        let trigger_words = (m.pos.saturating_sub(3).max(s)..m.pos)
            .any(|k| matches!(toks[k].fold.as_ref(), "efter" | "after" | "once" | "nar"));
        if trigger_words {
            let follows = (m.end..(m.end + 4).min(e)).any(|k| {
                let w = toks[k].fold.as_ref();
                w.starts_with("bekendt")
                    || w.starts_with("opmaerksom")
                    || w.starts_with("aware")
                    || w.starts_with("becom")
                    || w.starts_with("kendskab")
                    || w.starts_with("discover")
                    || w.starts_with("learn")
            });
            if follows && m.role.party().is_some() {
                aware = aware.or(Some(m.role));
                continue;
            }
        }
        if m.case == Case::Genitive {
            let next_word = (m.end..e).map(|k| &toks[k]).find(|t| t.is_word());
            if next_word.is_some_and(|t| duty_noun(&t.fold)) && actor.is_none() {
                actor = Some(m.role);
                continue;
            }
        }
        let over_for = before == Some("for") && before2 == Some("over");
        match before {
            Some(p) if RECIPIENT_PREPS.contains(&p) || over_for => {
                recipient = recipient.or(Some(m.role));
                continue;
            }
            Some("af" | "by") => {
                // The agent of a passive (`foretaget af`, `udføres af`, `performed by`), not the
                // object of a noun (`erstatning af underdatabehandler`, `på vegne af`).
                let b2 = before2.unwrap_or("");
                let passive_before = ["es", "et", "ed", "te"].iter().any(|e| b2.ends_with(e))
                    && !matches!(b2, "vegne" | "behalf");
                if passive_before {
                    agent = agent.or(Some(m.role));
                }
                continue;
            }
            Some(p) if OTHER_PREPS.contains(&p) => continue,
            _ => {}
        }
        if m.case == Case::Genitive {
            // `underretter den dataansvarliges sikkerhedskontakt`: stands for its owner.
            if before.is_some_and(|b| takes_object(b, true)) {
                object = object.or(Some(m.role));
            }
            continue;
        }
        let verb_before = before.is_some_and(|b| takes_object(b, subject.is_some()));
        let is_object = m.case == Case::Object
            || (m.case != Case::Subject && (verb_before || subject.is_some()));
        if is_object {
            object = object.or(Some(m.role));
        } else if subject.is_none() {
            subject = Some(m);
        }
    }
    let mut counter = object.or(recipient);
    if passive && actor.is_none() {
        // `Partnere underrettes 30 dage før`: the subject is told.
        if let Some(sm) = subject {
            counter = Some(sm.role);
            subject = None;
        }
    }
    let actor = actor.or(subject.map(|m| m.role)).or(agent);
    Roles {
        actor,
        counter,
        aware,
        any_subject: subject.is_some() || actor.is_some(),
    }
}

/// The action of a deadline from the words of its part of the sentence and the whole sentence.
fn action_of(
    seg: &[&str],
    sentence: &[&str],
    local_mentions: &[Mention],
    all_mentions: &[Mention],
    kind: Option<DeadlineKind>,
) -> Option<DeadlineAction> {
    if kind == Some(DeadlineKind::Retention) {
        return None;
    }
    // Ending the agreement is often only the trigger (`Upon termination … delete`, `Ved
    // opsigelse … slettes`): another act in the same words comes first.
    // A notice that goes with ending the agreement (`opsige MSA (30-dages varsel)`) is the
    // notice of termination.
    let first_cue = |words: &[&str]| -> Option<Cue> {
        let cues: Vec<Cue> = words.iter().filter_map(|w| cue(w)).collect();
        let other = cues.iter().copied().find(|c| *c != Cue::Terminate);
        match other {
            Some(Cue::Notify) if cues.contains(&Cue::Terminate) => Some(Cue::Terminate),
            Some(c) => Some(c),
            None => cues.first().copied(),
        }
    };
    let notice_word = |words: &[&str]| {
        words
            .iter()
            .any(|w| w.contains("varsel") || w.starts_with("notice") || w.starts_with("varsl"))
    };
    let c = first_cue(seg).or_else(|| first_cue(sentence));
    let about = |words: &[&str], mentions: &[Mention]| notify_subject(words, mentions, kind);
    let sub_here = local_mentions.iter().any(|m| m.role == Role::Subprocessor)
        || seg.iter().any(|w| w.contains("underdatabehandler"));
    let a = match c {
        Some(Cue::Object) => DeadlineAction::Object,
        Some(Cue::Audit) => {
            if kind == Some(DeadlineKind::Notice) || notice_word(seg) {
                DeadlineAction::AuditNotice
            } else {
                DeadlineAction::AuditReport
            }
        }
        Some(Cue::Notify) => {
            let audit = seg.iter().any(|w| cue(w) == Some(Cue::Audit));
            if audit && !sub_here {
                DeadlineAction::AuditNotice
            } else {
                let local = about(seg, local_mentions);
                if local == DeadlineAction::Notify {
                    about(sentence, all_mentions)
                } else {
                    local
                }
            }
        }
        Some(Cue::Delete) => DeadlineAction::DeleteReturn,
        Some(Cue::Assist) => DeadlineAction::Assist,
        Some(Cue::Respond) => DeadlineAction::Respond,
        Some(Cue::Terminate) => DeadlineAction::Terminate,
        None if kind == Some(DeadlineKind::Notice) => {
            let local = about(seg, local_mentions);
            if local == DeadlineAction::Notify {
                about(sentence, all_mentions)
            } else {
                local
            }
        }
        None => return None,
    };
    Some(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(text: &str) -> Names {
        Names::read(&[Clause::new(None, None, text)])
    }

    #[test]
    fn defined_names_in_their_usual_forms() {
        let n = names_of(
            "Mellem:\n- Dataansvarlig (\"[KUNDE]\", \"Partner\", \"du\")\n- Databehandler (\"Nordlys ApS\", \"Nordlys\", \"vi\", \"os\")\n",
        );
        let toks = super::tokenize("Nordlys underretter Partner");
        assert_eq!(
            n.mention_at(&toks, 0, 3).map(|m| m.role),
            Some(Role::Processor)
        );
        assert_eq!(
            n.mention_at(&toks, 2, 3).map(|m| m.role),
            Some(Role::Controller)
        );
        let n = names_of(
            "Behandlingen foretages af Fjordsky (Databehandler) for Havnen (Dataansvarlig).",
        );
        let toks = super::tokenize("Fjordsky og Havnens");
        assert_eq!(
            n.mention_at(&toks, 0, 3).map(|m| m.role),
            Some(Role::Processor)
        );
        let m = n.mention_at(&toks, 2, 3).expect("genitive");
        assert_eq!((m.role, m.case), (Role::Controller, Case::Genitive));
        let n = names_of("Birkesoft A/S, CVR 12345678 (herefter \"Leverandøren\") og Kommunen (herefter \"Myndigheden\") er dataansvarlig.");
        assert!(n
            .aliases
            .iter()
            .any(|(w, r)| w == &["myndigheden"] && *r == Role::Controller));
        let n = names_of("Databehandler: skyhuset · CVR 12345678\nDataansvarlig: Den virksomhed der har oprettet en konto");
        assert_eq!(n.aliases.len(), 1, "{:?}", n.aliases);
        assert_eq!(n.aliases[0].0, ["skyhuset"]);
        let n = names_of("Brightwave Ltd is the processor and the Customer is the controller.");
        assert!(n
            .aliases
            .iter()
            .any(|(w, r)| w == &["brightwave", "ltd"] && *r == Role::Processor));
    }
}
