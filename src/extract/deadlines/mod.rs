//! Deadlines, notice periods, recurring duties and qualitative time duties in the clauses.
//!
//! The wording is read as a sequence of tokens (words and single punctuation marks), each with a
//! folded form: lower case, `å`→`a`, `æ`→`ae`, `ø`→`o`, so that raw OCR (`maneder`, `arligt`)
//! and clean text meet the same tables. Within each sentence of a clause's reading text (and
//! heading) four passes look for:
//!
//! * recurring duties (`mindst en gang årligt`, `en gang om året`, `hvert år`, `kvartalsvis`):
//!   kind `frequency`, `amount` = times per `unit`, `hours` = hours between two occurrences;
//! * a number and a unit (`senest 14 dage`, `fem arbejdsdage`, `[30] dages varsel`): kind
//!   `deadline`, or `notice` where a `varsel` goes with it; `hours` = the amount in hours;
//! * qualitative duties: `undue_delay` (`uden unødig forsinkelse`, `uden ugrundet ophold`),
//!   `immediately` (`straks`, `omgående`, `øjeblikkeligt`) and `reasonable_time` (`inden for
//!   rimelig tid`), with no amount.
//!
//! Dates (`1. juni 2019`), article numbers, ages (`under 13 år`) and sums of money are not
//! deadlines: a unit must follow the number directly.
//!
//! English agreements are read with the same passes (`within 24 hours`, `no later than 72
//! hours`, `30 days' prior written notice`, `without undue delay`, `promptly`, `immediately`).
//!
//! A period something is kept for (`opbevares i 5 år`, `logs are retained for 12 months`,
//! `30-dages backup-opbevaring`, `slettes automatisk efter 90 dage`) is kind `retention`: it
//! keeps its amount and unit but is no duty to act. A range (`1-90 dage`, `mellem 30 og 90
//! dage`, `between 30 and 90 days`) has `min` and `max`, and `amount` = `max` (the longest
//! time the text allows). `om muligt senest 24 timer`, `hvor det er muligt, inden for 72
//! timer`, `where possible within 72 hours` have the qualifier `if_possible`.
//!
//! Who must act, towards whom and what for ([`Deadline::party`], `counterparty`, `action`) are
//! read from the sentence by [`who`].

mod who;

use crate::analysis::{sentences, tokenize, Token};
use crate::record::{
    Clause, Counterparty, Deadline, DeadlineAction, DeadlineKind, DeadlineQualifier, DeadlineUnit,
    PartyRole,
};

/// Deadlines, notice periods, recurring duties and qualitative time duties in the clauses.
pub fn deadlines(clauses: &[Clause]) -> Vec<Deadline> {
    let names = who::Names::read(clauses);
    let mut out = Vec::new();
    for clause in clauses {
        let text_found = scan(&names, clause, clause.reading_text());
        if let Some(heading) = clause.reading_heading() {
            for d in scan(&names, clause, heading) {
                if !text_found.iter().any(|t| same_fact(t, &d)) {
                    out.push(d);
                }
            }
        }
        out.extend(text_found);
    }
    out
}

/// Where a deadline stands when the deadlines of one agreement on one topic are listed: the
/// processor's duty towards the controller first (0), then the other duties (1), then the
/// controller's own duties towards the authority or the data subjects (2), which a data
/// processing agreement only restates.
pub fn listing_rank(d: &Deadline) -> u8 {
    if is_controllers_own(d) {
        2
    } else if d.party == Some(PartyRole::Processor)
        && d.counterparty == Some(Counterparty::Controller)
    {
        0
    } else {
        1
    }
}

/// The controller's own duty (its 72 hours towards the authority), not one the agreement puts
/// on the processor.
pub fn is_controllers_own(d: &Deadline) -> bool {
    d.party == Some(PartyRole::Controller)
        && matches!(
            d.counterparty,
            Some(Counterparty::Authority | Counterparty::DataSubject) | None
        )
        && d.action == Some(DeadlineAction::NotifyBreach)
}

/// One agreement's deadlines in listing order: [`listing_rank`] first, then shortest first
/// (qualitative duties, without hours, after the numbered ones), then as found.
pub fn listing_order(deadlines: &mut [&Deadline]) {
    deadlines.sort_by(|a, b| {
        listing_rank(a).cmp(&listing_rank(b)).then(
            a.hours
                .unwrap_or(f64::INFINITY)
                .total_cmp(&b.hours.unwrap_or(f64::INFINITY)),
        )
    });
}

/// Two deadlines that state the same duty (kind, amount, unit).
fn same_fact(a: &Deadline, b: &Deadline) -> bool {
    fn kind(k: DeadlineKind) -> DeadlineKind {
        match k {
            DeadlineKind::Retention => DeadlineKind::Deadline,
            k => k,
        }
    }
    kind(a.kind) == kind(b.kind)
        && a.unit == b.unit
        && a.amount.map(f64::to_bits) == b.amount.map(f64::to_bits)
        && a.every.map(f64::to_bits) == b.every.map(f64::to_bits)
}

/// Longest sentence kept in [`Deadline::text`], in characters.
const MAX_SENTENCE_CHARS: usize = 600;

/// All deadlines in one piece of a clause (its text or its heading).
fn scan(names: &who::Names, clause: &Clause, text: &str) -> Vec<Deadline> {
    let toks = tokenize(text);
    let mut out: Vec<Deadline> = Vec::new();
    // Tokens a recurring duty took (`en gang`), so they are not read again as a period.
    let mut used = vec![false; toks.len()];
    // The actor of a lead-in ending in `:` (`I tilfælde af et Databrud skal LogicNodes:`), for
    // the lines after it that name none.
    let mut lead: Option<who::Role> = None;
    let mut keeping_table = false;
    // What the clause is about, for a sentence that does not say it (`Vi underretter Partner
    // omgående` under the heading `Myndighedsadgangsanmodninger`).
    let mut context: Vec<String> = clause.topics.clone();
    if let Some(h) = clause.reading_heading() {
        context.extend(
            tokenize(h)
                .iter()
                .filter(|t| t.is_word())
                .map(|t| t.fold.to_string()),
        );
    }
    for range in sentences(text, &toks) {
        let (start, end) = (range.start, range.end);
        let (Some(first), Some(last)) = (toks.get(start), toks.get(end.saturating_sub(1))) else {
            continue;
        };
        let mut found: Vec<Found> = Vec::new();
        frequencies(text, &toks, start, end, &mut used, &mut found);
        periods(text, &toks, start, end, &mut used, &mut found);
        qualitative(text, &toks, start, end, &mut found);
        // A table whose heading row names what is kept (`Datatype | Opbevaring | Sletning`):
        // its rows' periods are retention periods.
        let line = text
            .get(first.start..)
            .and_then(|rest| rest.lines().next())
            .unwrap_or("");
        if line.contains('|') || line.contains('\t') {
            if found.is_empty() {
                keeping_table = (start..end).any(|k| toks[k].is_word() && keeps(&toks[k].fold));
            } else if keeping_table {
                for f in found
                    .iter_mut()
                    .filter(|f| f.kind == DeadlineKind::Deadline)
                {
                    f.kind = DeadlineKind::Retention;
                }
            }
        } else {
            keeping_table = false;
        }
        if last.raw == ":" && who::has_modal(&toks, start, end) {
            let r = who::read(names, &toks, start, end, start, None, None, &context);
            if r.actor.is_some() {
                lead = r.actor;
            }
        }
        if found.is_empty() {
            continue;
        }
        let sentence: String = collapse(text.get(first.start..last.end).unwrap_or(""))
            .chars()
            .take(MAX_SENTENCE_CHARS)
            .collect();
        let in_sentence = out.len();
        for f in found {
            let who = who::read(names, &toks, start, end, f.at, Some(f.kind), lead, &context);
            let d = Deadline {
                clause: clause.number.clone(),
                text: sentence.clone(),
                kind: f.kind,
                // A recurring duty has no time limit: its count goes to `every`.
                amount: f.amount.filter(|_| f.kind != DeadlineKind::Frequency),
                every: f.amount.filter(|_| f.kind == DeadlineKind::Frequency),
                unit: f.unit,
                qualifier: f.qualifier,
                hours: f.hours,
                trigger: f.trigger,
                topic: clause.topics.first().cloned(),
                template: f.template,
                min: f.range.map(|r| r.0),
                max: f.range.map(|r| r.1),
                party: who.party,
                counterparty: who.counterparty,
                action: who.action,
            };
            // Once per sentence; a period restated as kept (`1 år … slettes automatisk efter 1
            // år`) is a retention period.
            match out[in_sentence..].iter_mut().find(|o| same_fact(o, &d)) {
                Some(o) => {
                    if d.kind == DeadlineKind::Retention {
                        o.kind = d.kind;
                        o.action = None;
                    }
                }
                None => out.push(d),
            }
        }
    }
    out
}

/// One fact found in a sentence, before it becomes a [`Deadline`].
struct Found {
    kind: DeadlineKind,
    amount: Option<f64>,
    unit: Option<DeadlineUnit>,
    qualifier: Option<DeadlineQualifier>,
    hours: Option<f64>,
    trigger: Option<String>,
    template: bool,
    /// A range's lower and upper bound.
    range: Option<(f64, f64)>,
    /// The token the fact was read at (its number or first word).
    at: usize,
}

// ---------------------------------------------------------------------------------------------
// Tokens and sentences
// ---------------------------------------------------------------------------------------------

/// Whitespace runs as single spaces, ends trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// Numbers and units
// ---------------------------------------------------------------------------------------------

/// Danish number words (folded).
const NUMBER_WORDS: &[(&str, f64)] = &[
    ("en", 1.0),
    ("et", 1.0),
    ("een", 1.0),
    ("to", 2.0),
    ("tre", 3.0),
    ("fire", 4.0),
    ("fem", 5.0),
    ("seks", 6.0),
    ("syv", 7.0),
    ("otte", 8.0),
    ("ni", 9.0),
    ("ti", 10.0),
    ("elleve", 11.0),
    ("tolv", 12.0),
    ("tretten", 13.0),
    ("fjorten", 14.0),
    ("femten", 15.0),
    ("seksten", 16.0),
    ("sytten", 17.0),
    ("atten", 18.0),
    ("nitten", 19.0),
    ("tyve", 20.0),
    ("tredive", 30.0),
    ("fyrre", 40.0),
    ("fyrretyve", 40.0),
    ("halvtreds", 50.0),
    ("tres", 60.0),
    ("halvfjerds", 70.0),
    ("firs", 80.0),
    ("halvfems", 90.0),
    ("hundrede", 100.0),
    ("halvandet", 1.5),
    ("halvanden", 1.5),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];

/// English tens, which take a unit after a hyphen (`twenty-four`).
const ENGLISH_TENS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

const TENS: &[&str] = &[
    "tyve",
    "tredive",
    "fyrre",
    "fyrretyve",
    "halvtreds",
    "tres",
    "halvfjerds",
    "firs",
    "halvfems",
];

/// The value of a (folded) number word, including compounds like `fireogtyve`.
fn number_word(w: &str) -> Option<f64> {
    if let Some((_, v)) = NUMBER_WORDS.iter().find(|(n, _)| *n == w) {
        return Some(*v);
    }
    let (ones, tens) = w.split_once("og")?;
    if !TENS.contains(&tens) {
        return None;
    }
    let one = NUMBER_WORDS
        .iter()
        .find(|(n, v)| *n == ones && *v >= 1.0 && *v <= 9.0 && v.fract() == 0.0)?
        .1;
    let ten = NUMBER_WORDS.iter().find(|(n, _)| *n == tens)?.1;
    Some(one + ten)
}

/// A unit word (folded): the unit, a factor for the amount (`kvartal` = 3 months), and whether
/// the word is only trusted right after a number (`ar` is OCR for `år`, but also a word).
fn unit_word(w: &str) -> Option<(DeadlineUnit, f64, bool)> {
    let u = match w {
        "time" | "timer" | "timers" | "timen" => (DeadlineUnit::Hours, 1.0, false),
        "dag" | "dage" | "dages" | "dogn" | "dognet" | "dogns" | "kalenderdag" | "kalenderdage"
        | "kalenderdages" => (DeadlineUnit::Days, 1.0, false),
        "arbejdsdag" | "arbejdsdage" | "arbejdsdages" | "hverdag" | "hverdage" | "hverdages"
        | "bankdag" | "bankdage" | "bankdages" | "virkedag" | "virkedage" | "virkedages"
        | "forretningsdag" | "forretningsdage" | "forretningsdages" => {
            (DeadlineUnit::BusinessDays, 1.0, false)
        }
        "uge" | "uger" | "ugers" => (DeadlineUnit::Weeks, 1.0, false),
        "maned" | "maneder" | "maneders" | "maaned" | "maaneder" | "maaneders" | "mdr" => {
            (DeadlineUnit::Months, 1.0, false)
        }
        "kvartal" | "kvartaler" | "kvartalers" => (DeadlineUnit::Months, 3.0, false),
        "hour" | "hours" => (DeadlineUnit::Hours, 1.0, false),
        "day" | "days" => (DeadlineUnit::Days, 1.0, false),
        "week" | "weeks" => (DeadlineUnit::Weeks, 1.0, false),
        "month" | "months" => (DeadlineUnit::Months, 1.0, false),
        "quarter" | "quarters" => (DeadlineUnit::Months, 3.0, false),
        "year" | "years" => (DeadlineUnit::Years, 1.0, false),
        "ar" | "ars" | "aar" | "aars" => (DeadlineUnit::Years, 1.0, true),
        _ => return None,
    };
    Some(u)
}

/// A number at token `i` (digits, a number word, a bracketed template value): its value (none
/// for a template placeholder like `[X]`), whether it is a template, and the index after it.
fn number_at(toks: &[Token], i: usize, end: usize) -> Option<(Option<f64>, bool, usize)> {
    let t = toks.get(i)?;
    if t.raw == "[" {
        let close = (i + 1..end.min(i + 5)).find(|&k| toks[k].raw == "]")?;
        if close == i + 1 {
            return None;
        }
        let inner = (i + 1..close).find_map(|k| plain_number(toks, k, close).map(|(v, _)| v));
        return Some((inner, true, close + 1));
    }
    plain_number(toks, i, end).map(|(v, next)| (Some(v), false, next))
}

/// Digits (with a decimal comma or thousands point) or a number word at token `i`.
fn plain_number(toks: &[Token], i: usize, end: usize) -> Option<(f64, usize)> {
    let t = toks.get(i)?;
    if !t.is_word() {
        return None;
    }
    let attached = |k: usize| toks.get(k).filter(|x| !x.space_before && k < end);
    if t.raw.chars().all(|c| c.is_ascii_digit()) {
        if t.raw.len() > 5 {
            return None;
        }
        // Part of `14.3`, `2016/679`, `23/05/2018`: not an amount.
        if i >= 2 && !t.space_before {
            let sep = &toks[i - 1];
            let before = &toks[i - 2];
            if matches!(sep.raw, "." | "," | "/")
                && !sep.space_before
                && before.raw.chars().all(|c| c.is_ascii_digit())
            {
                return None;
            }
        }
        let mut value: f64 = t.raw.parse().ok()?;
        let mut next = i + 1;
        if let (Some(sep), Some(digits)) = (attached(i + 1), attached(i + 2)) {
            if digits.is_word() && digits.raw.chars().all(|c| c.is_ascii_digit()) {
                match sep.raw {
                    "," if digits.raw.len() <= 3 => {
                        let frac: f64 = format!("0.{}", digits.raw).parse().ok()?;
                        value += frac;
                        next = i + 3;
                    }
                    "." if digits.raw.len() == 3 => {
                        value = value * 1000.0 + digits.raw.parse::<f64>().ok()?;
                        next = i + 3;
                    }
                    "." | "/" | "," | ":" => return None,
                    _ => {}
                }
            }
        }
        return Some((value, next));
    }
    if matches!(t.fold.as_ref(), "en" | "et") {
        if let Some(h) = toks.get(i + 1).filter(|_| i + 1 < end) {
            if matches!(h.fold.as_ref(), "halvt" | "halv" | "halve") {
                return Some((0.5, i + 2));
            }
        }
    }
    let v = number_word(&t.fold)?;
    // `twenty-four`
    if ENGLISH_TENS.contains(&t.fold.as_ref()) {
        if let (Some(dash), Some(ones)) = (attached(i + 1), attached(i + 2)) {
            if dash.raw == "-" {
                if let Some(o) = number_word(&ones.fold).filter(|o| (1.0..=9.0).contains(o)) {
                    return Some((v + o, i + 3));
                }
            }
        }
    }
    Some((v, i + 1))
}

/// Words that may stand between a number and its unit (`30 hele dage`).
const FILLERS: &[&str] = &[
    "hele",
    "fulde",
    "efterfolgende",
    "sammenhaengende",
    "calendar",
    "consecutive",
    "full",
];

/// Words that make the `day(s)` after them business days.
const BUSINESS: &[&str] = &["business", "working", "banking"];

/// Words before a number that make it something other than an amount of time.
const NOT_AN_AMOUNT_AFTER: &[&str] = &[
    "artikel", "art", "nr", "pkt", "punkt", "stk", "kapitel", "bilag", "afsnit", "litra", "kr",
    "dkk", "eur", "usd", "version", "iso", "§",
];

/// Number + unit deadlines and notice periods in tokens `start..end`.
fn periods(
    text: &str,
    toks: &[Token],
    start: usize,
    end: usize,
    used: &mut [bool],
    found: &mut Vec<Found>,
) {
    for i in start..end {
        if used.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Some((mut amount, mut template, mut j)) = number_at(toks, i, end) else {
            continue;
        };
        // A range: `1-90 dage`, `30 til 90 dage`, `mellem 30 og 90 dage`, `between 30 and 90
        // days`: the upper bound is the amount.
        let mut range: Option<(f64, f64)> = None;
        if let Some((upper, upper_template, after)) = range_end(toks, start, end, i, j) {
            if let (Some(lo), Some(hi)) = (amount, upper) {
                if lo < hi {
                    range = Some((lo, hi));
                    amount = Some(hi);
                    template |= upper_template;
                    mark(used, j, after.saturating_sub(1));
                    j = after;
                }
            }
        }
        let direct_end = j;
        // `tre (3) måneder`, `30 (tredive) dage`
        if j + 2 < end
            && toks[j].raw == "("
            && toks[j + 2].raw == ")"
            && plain_number(toks, j + 1, end).is_some()
        {
            j += 3;
        }
        // `14-dages`
        if j < end && matches!(toks[j].raw, "-" | "–") && !toks[j].space_before {
            j += 1;
        }
        if j < end && FILLERS.contains(&toks[j].fold.as_ref()) {
            j += 1;
        }
        if j >= end {
            continue;
        }
        let business = BUSINESS.contains(&toks[j].fold.as_ref())
            && toks
                .get(j + 1)
                .is_some_and(|t| j + 1 < end && matches!(t.fold.as_ref(), "day" | "days"));
        if business {
            j += 1;
        }
        let Some((mut unit, factor, only_direct)) = unit_word(&toks[j].fold) else {
            continue;
        };
        if business {
            unit = DeadlineUnit::BusinessDays;
        }
        // `[48 timer]`: the whole value in brackets.
        if i > start
            && toks[i - 1].raw == "["
            && toks.get(j + 1).is_some_and(|t| t.raw == "]" && j + 1 < end)
        {
            template = true;
        }
        let is_real_year_word = toks[j].raw.starts_with('å') || toks[j].raw.starts_with('Å');
        if only_direct && !is_real_year_word && !(j == direct_end || j == direct_end + 1) {
            continue;
        }
        // `år` is neuter (`et år`): `en ar` is a scar, not OCR for a year.
        if only_direct && toks[i].fold == "en" {
            continue;
        }
        let prev = prev_word(toks, start, i);
        if prev.is_some_and(|p| NOT_AN_AMOUNT_AFTER.contains(&p.fold.as_ref())) {
            continue;
        }
        if unit == DeadlineUnit::Years && is_age(toks, start, end, i, j) {
            continue;
        }
        let amount = amount.map(|a| a * factor);
        let range = range.map(|(lo, hi)| (lo * factor, hi * factor));
        // `hver 4. time` is read as a frequency above; `hver 4 timer`, `every 24 hours`, `each
        // 12 months` are a schedule too, no time limit.
        if prev.is_some_and(|p| matches!(p.fold.as_ref(), "hver" | "hvert" | "every" | "each")) {
            if let Some(a) = amount.filter(|a| *a > 0.0) {
                mark(used, i, j);
                found.push(Found {
                    kind: DeadlineKind::Frequency,
                    amount: Some(1.0 / a),
                    unit: Some(unit),
                    qualifier: None,
                    hours: Some(a * unit.hours()),
                    trigger: None,
                    template,
                    range: None,
                    at: i,
                });
            }
            continue;
        }
        let mut qualifier = qualifier(toks, start, i, true);
        let kind = if is_notice(toks, start, end, i, j) {
            DeadlineKind::Notice
        } else if is_retention(toks, start, end, i, j, qualifier) {
            DeadlineKind::Retention
        } else {
            DeadlineKind::Deadline
        };
        if if_possible(toks, start, i) {
            qualifier = Some(DeadlineQualifier::IfPossible);
        }
        let after = skip_notice_word(toks, j + 1, end);
        // `twenty-four`: the `four` is not read again.
        mark(used, i, direct_end.saturating_sub(1));
        found.push(Found {
            kind,
            amount,
            unit: Some(unit),
            qualifier,
            hours: amount.map(|a| a * unit.hours()),
            trigger: trigger(text, toks, after, end),
            template,
            range,
            at: i,
        });
    }
}

/// The upper bound of a range that starts with the number at `i` (which ends before `j`): its
/// value, whether it is a template, and the index after it.
fn range_end(
    toks: &[Token],
    start: usize,
    end: usize,
    i: usize,
    j: usize,
) -> Option<(Option<f64>, bool, usize)> {
    let sep = toks.get(j).filter(|_| j < end)?;
    let between = prev_word(toks, start, i)
        .is_some_and(|p| matches!(p.fold.as_ref(), "mellem" | "between" | "fra" | "from"));
    let ok = match sep.fold.as_ref() {
        "-" | "–" => true,
        "til" | "to" => true,
        "og" | "and" => between,
        _ => false,
    };
    if !ok {
        return None;
    }
    let (value, template, after) = number_at(toks, j + 1, end)?;
    // A unit must follow the upper bound (`1-2 arbejdsdage`), else it is no range of time.
    let unit = toks.get(after).filter(|_| after < end)?;
    let unit_next =
        if BUSINESS.contains(&unit.fold.as_ref()) || FILLERS.contains(&unit.fold.as_ref()) {
            toks.get(after + 1).filter(|_| after + 1 < end)?
        } else {
            unit
        };
    unit_word(&unit_next.fold)?;
    Some((value, template, after))
}

/// Words (folded) that say something is kept for the period: a retention period, not a duty.
fn keeps(w: &str) -> bool {
    w.starts_with("opbevar")
        || w.starts_with("gemme")
        || w == "gemt"
        || w == "gemmes"
        || w.starts_with("bevares")
        || w.starts_with("lagre")
        || w.starts_with("lagring")
        || w.starts_with("arkiver")
        || w == "logget"
        || w == "logges"
        || w.starts_with("retention")
        || w.starts_with("retain")
        || w == "kept"
        || w == "stored"
        || w == "archived"
        || w == "logged"
        || w.starts_with("backup")
}

/// A period something is kept for (`opbevares i 5 år`, `(1-års opbevaring)`, `logs are kept
/// for 12 months`, `slettes automatisk efter 90 dage`): a keeping word within six words of the
/// number in the same part of the sentence, or a deletion `efter`/`after` the period. A
/// backup named near a deadline with `senest`/`inden for` is a deletion duty, not retention.
fn is_retention(
    toks: &[Token],
    start: usize,
    end: usize,
    i: usize,
    unit: usize,
    qualifier: Option<DeadlineQualifier>,
) -> bool {
    let near = |from: usize, to: usize| {
        (from.max(start)..to.min(end))
            .filter(|&k| toks[k].is_word())
            .any(|k| {
                let w = toks[k].fold.as_ref();
                keeps(w)
                    && !(w.starts_with("backup")
                        && matches!(
                            qualifier,
                            Some(DeadlineQualifier::AtMost | DeadlineQualifier::Within)
                        ))
            })
    };
    let mut before = i;
    let mut words = 0;
    while before > start && words < 6 {
        before -= 1;
        if matches!(toks[before].raw, "." | ";" | ":" | "|") {
            before += 1;
            break;
        }
        if toks[before].is_word() {
            words += 1;
        }
    }
    let mut after = unit + 1;
    let mut words = 0;
    while after < end && words < 4 {
        if matches!(toks[after].raw, "." | ";" | ":" | "|" | ",") {
            break;
        }
        if toks[after].is_word() {
            words += 1;
        }
        after += 1;
    }
    if near(before, i) || near(unit + 1, after) {
        return true;
    }
    // `slettes (automatisk) efter 90 dage`, `deleted after 90 days`
    let prev = prev_word(toks, start, i).map(|t| t.fold.as_ref());
    let prev2 = lookback(toks, start, i, 3);
    matches!(prev, Some("efter" | "after"))
        && qualifier.is_none()
        && prev2.iter().any(|t| {
            t.fold.starts_with("slet")
                || t.fold.starts_with("delet")
                || t.fold.starts_with("automati")
        })
}

/// `om muligt`, `hvor det er muligt`, `hvis muligt`, `if possible`, `where feasible` shortly
/// before the number (commas may stand between).
fn if_possible(toks: &[Token], start: usize, i: usize) -> bool {
    let from = i.saturating_sub(14).max(start);
    (from..i).any(|k| {
        let t = &toks[k];
        if !t.is_word()
            || !matches!(
                t.fold.as_ref(),
                "muligt" | "possible" | "feasible" | "practicable"
            )
        {
            return false;
        }
        let prev = (from..k).rev().map(|p| &toks[p]).find(|p| p.is_word());
        prev.is_some_and(|p| {
            matches!(
                p.fold.as_ref(),
                "om" | "hvis" | "hvor" | "er" | "if" | "where" | "wherever" | "is"
            )
        })
    })
}

/// The nearest word before token `i` within the sentence.
fn prev_word<'a, 'b>(toks: &'b [Token<'a>], start: usize, i: usize) -> Option<&'b Token<'a>> {
    (start..i)
        .rev()
        .map(|k| &toks[k])
        .find(|t| t.is_word() || t.raw == "§")
}

/// `børn under 13 år`, `13 år gamle`: an age, not a period.
fn is_age(toks: &[Token], start: usize, end: usize, i: usize, unit: usize) -> bool {
    let before = prev_word(toks, start, i).map(|t| t.fold.as_ref());
    let after = (unit + 1..end).map(|k| &toks[k]).find(|t| t.is_word());
    matches!(
        before,
        Some("under" | "over" | "fyldt" | "fylder" | "alder" | "alderen" | "aldersgraense")
    ) || after.is_some_and(|t| {
        t.fold.starts_with("gaml") || t.fold.starts_with("gamm") || t.fold.starts_with("alder")
    })
}

/// Punctuation that ends the look-back for a qualifier or `varsel`.
fn is_stop(t: &Token) -> bool {
    matches!(
        t.raw,
        "," | ";" | ":" | "(" | ")" | "—" | "–" | "." | "!" | "?"
    )
}

/// Words before token `i` (up to `n`, not past punctuation), nearest first.
fn lookback<'a, 'b>(toks: &'b [Token<'a>], start: usize, i: usize, n: usize) -> Vec<&'b Token<'a>> {
    let mut out = Vec::new();
    for k in (start..i).rev() {
        let t = &toks[k];
        if is_stop(t) {
            break;
        }
        if t.is_word() {
            out.push(t);
            if out.len() >= n {
                break;
            }
        }
    }
    out
}

/// `senest` → `at_most`, `mindst` → `at_least`, `inden for` → `within` (when `within_ok`).
fn qualifier(toks: &[Token], start: usize, i: usize, within_ok: bool) -> Option<DeadlineQualifier> {
    let words = lookback(toks, start, i, 5);
    let explicit = words.iter().find_map(|t| match t.fold.as_ref() {
        "senest" | "hojst" | "maksimalt" | "maks" | "max" | "maximalt" | "hgjst" | "maximum" => {
            Some(DeadlineQualifier::AtMost)
        }
        "mindst" | "minimum" | "minimalt" | "least" => Some(DeadlineQualifier::AtLeast),
        _ => None,
    });
    if explicit.is_some() {
        return explicit;
    }
    // `ikke senere end`, `ikke mindre end`
    for pair in words.windows(2) {
        if pair[0].fold == "end" && pair[1].fold == "senere" {
            return Some(DeadlineQualifier::AtMost);
        }
        if pair[0].fold == "end" && pair[1].fold == "mindre" {
            return Some(DeadlineQualifier::AtLeast);
        }
        // `no later than`, `not later than`, `not less than`, `at most`
        if pair[0].fold == "than" && pair[1].fold == "later" {
            return Some(DeadlineQualifier::AtMost);
        }
        if pair[0].fold == "than" && pair[1].fold == "less" {
            return Some(DeadlineQualifier::AtLeast);
        }
        if pair[0].fold == "most" && pair[1].fold == "at" {
            return Some(DeadlineQualifier::AtMost);
        }
    }
    if within_ok
        && words
            .iter()
            .any(|t| matches!(t.fold.as_ref(), "inden" | "indenfor" | "within"))
    {
        return Some(DeadlineQualifier::Within);
    }
    None
}

/// A `varsel` after the unit (`30 dages (skriftligt) varsel`) or shortly before the number
/// (`et varsel herom på mindst 30 dage`, `opsigelsesvarsel på 3 måneder`).
fn is_notice(toks: &[Token], start: usize, end: usize, i: usize, unit: usize) -> bool {
    let notice_word = |t: &Token| {
        t.fold.contains("varsel")
            || t.fold.starts_with("varsl")
            || t.fold.contains("opsigelsesfrist")
            || t.fold == "notice"
    };
    let after = (unit + 1..end)
        .map(|k| &toks[k])
        .take_while(|t| !is_stop(t))
        .filter(|t| t.is_word())
        .take(3)
        .any(&notice_word);
    if after {
        return true;
    }
    let before = lookback(toks, start, i, 6);
    before
        .iter()
        .enumerate()
        .any(|(k, t)| notice_word(t) && before.get(k + 1).is_none_or(|p| p.fold != "uden"))
}

/// The index after a `varsel` (and words qualifying it) that follows the unit at `j`.
fn skip_notice_word(toks: &[Token], j: usize, end: usize) -> usize {
    let mut k = j;
    let mut seen = 0;
    while k < end && seen < 3 && toks[k].is_word() {
        if toks[k].fold.contains("varsel") || toks[k].fold == "notice" {
            return k + 1;
        }
        seen += 1;
        k += 1;
    }
    j
}

/// Words that start the clock (`efter …`, `fra …`, `forud for …`).
fn trigger(text: &str, toks: &[Token], mut j: usize, end: usize) -> Option<String> {
    while j < end && matches!(toks[j].raw, "—" | "–" | "-" | ",") {
        j += 1;
    }
    let first = toks.get(j).filter(|_| j < end)?;
    let lead = match first.fold.as_ref() {
        "efter" | "fra" | "for" | "forud" | "regnet" | "after" | "following" | "from"
        | "before" | "prior" | "upon" => first.fold.to_string(),
        // `within 24 hours of becoming aware`
        "of" if toks.get(j + 1).is_some_and(|t| {
            [
                "becom", "receiv", "receipt", "discover", "learn", "the", "its", "any",
            ]
            .iter()
            .any(|p| t.fold.starts_with(p))
        }) =>
        {
            first.fold.to_string()
        }
        _ => return None,
    };
    // `før` folds to `for`; the preposition `for` alone is not a trigger.
    if lead == "for" && !first.raw.to_lowercase().starts_with("fø") {
        return None;
    }
    let mut k = j + 1;
    // `efter, at …`
    if k < end && toks[k].raw == "," && toks.get(k + 1).is_some_and(|t| t.fold == "at") {
        k += 1;
    }
    let mut last = j;
    let mut words = 0;
    while k < end && words < 12 {
        let t = &toks[k];
        if is_stop(t) || t.newlines_before >= 2 {
            break;
        }
        if t.is_word() {
            words += 1;
        }
        last = k;
        k += 1;
    }
    if words == 0 {
        return None;
    }
    let s = toks.get(j)?.start;
    let e = toks.get(last)?.end;
    Some(collapse(text.get(s..e)?))
}

// ---------------------------------------------------------------------------------------------
// Recurring duties
// ---------------------------------------------------------------------------------------------

/// `årligt`, `kvartalsvis`…: the period and how many times per period.
fn frequency_adverb(w: &str) -> Option<(DeadlineUnit, f64)> {
    let r = match w {
        "arligt" | "arlig" | "arlige" | "aarligt" | "aarlig" | "aarlige" => {
            (DeadlineUnit::Years, 1.0)
        }
        "halvarligt" | "halvarlig" | "halvarlige" => (DeadlineUnit::Years, 2.0),
        "kvartalsvis" | "kvartalsvist" | "kvartalsmaessigt" => (DeadlineUnit::Years, 4.0),
        "manedligt" | "manedlig" | "manedlige" | "maanedligt" => (DeadlineUnit::Months, 1.0),
        "ugentligt" | "ugentlig" | "ugentlige" => (DeadlineUnit::Weeks, 1.0),
        "dagligt" => (DeadlineUnit::Days, 1.0),
        _ => return None,
    };
    Some(r)
}

/// `året`, `måned`, `kvartal`…: the period a count refers to.
fn period_noun(w: &str) -> Option<(DeadlineUnit, f64)> {
    let r = match w {
        "ar" | "aret" | "aar" | "aaret" => (DeadlineUnit::Years, 1.0),
        "halvar" | "halvaret" | "halvaar" => (DeadlineUnit::Years, 2.0),
        "kvartal" | "kvartalet" => (DeadlineUnit::Years, 4.0),
        "maned" | "maneden" | "maaned" | "maaneden" | "mdr" => (DeadlineUnit::Months, 1.0),
        "uge" | "ugen" => (DeadlineUnit::Weeks, 1.0),
        "dag" | "dagen" | "dogn" | "dognet" => (DeadlineUnit::Days, 1.0),
        "time" | "timen" => (DeadlineUnit::Hours, 1.0),
        _ => return None,
    };
    Some(r)
}

/// Words after `årlig` that make it a sum of money, not a recurring duty.
const MONEY_NOUNS: &[&str] = &[
    "vederlag",
    "belob",
    "gebyr",
    "honorar",
    "abonnement",
    "betaling",
    "pris",
    "licens",
    "kontingent",
    "omsaetning",
    "afgift",
    "leje",
];

fn frequencies(
    text: &str,
    toks: &[Token],
    start: usize,
    end: usize,
    used: &mut [bool],
    found: &mut Vec<Found>,
) {
    let word = |k: usize| toks.get(k).filter(|t| k < end && t.is_word());
    let mut i = start;
    while i < end {
        // N gang(e) årligt / om året / pr. måned / hvert kvartal
        if let Some((n, after)) = plain_number(toks, i, end) {
            if word(after).is_some_and(|t| matches!(t.fold.as_ref(), "gang" | "gange")) {
                let p = after + 1;
                let mut period = word(p).and_then(|t| frequency_adverb(&t.fold).map(|u| (u, p)));
                if period.is_none()
                    && word(p).is_some_and(|t| {
                        matches!(
                            t.fold.as_ref(),
                            "om" | "pr" | "per" | "i" | "hver" | "hvert"
                        )
                    })
                {
                    let mut q = p + 1;
                    if toks.get(q).is_some_and(|t| t.raw == "." && q < end) {
                        q += 1;
                    }
                    if word(q).is_some_and(|t| matches!(t.fold.as_ref(), "det" | "hvert" | "hver"))
                    {
                        q += 1;
                    }
                    period = word(q).and_then(|t| period_noun(&t.fold).map(|u| (u, q)));
                }
                if let Some(((unit, per), last)) = period {
                    push_frequency(text, toks, start, end, i, last, n * per, unit, found);
                    mark(used, i, last);
                    i = last + 1;
                    continue;
                }
            }
        }
        // hvert år / hver 6. måned / hvert andet år / hvert halve år
        if word(i).is_some_and(|t| matches!(t.fold.as_ref(), "hver" | "hvert")) {
            let mut q = i + 1;
            let mut every = 1.0;
            if let Some(t) = word(q) {
                let ordinal = match t.fold.as_ref() {
                    "andet" | "anden" => Some(2.0),
                    "tredje" => Some(3.0),
                    "fjerde" => Some(4.0),
                    "femte" => Some(5.0),
                    "sjette" => Some(6.0),
                    "halve" => Some(0.5),
                    _ => None,
                };
                if let Some(o) = ordinal {
                    every = o;
                    q += 1;
                } else if t.raw.len() <= 2
                    && t.raw.chars().all(|c| c.is_ascii_digit())
                    && toks.get(q + 1).is_some_and(|d| d.raw == "." && q + 1 < end)
                {
                    every = t.raw.parse().unwrap_or(1.0);
                    q += 2;
                }
            }
            if let Some((unit, per)) = word(q).and_then(|t| period_noun(&t.fold)) {
                if every > 0.0 {
                    push_frequency(text, toks, start, end, i, q, per / every, unit, found);
                    mark(used, i, q);
                    i = q + 1;
                    continue;
                }
            }
        }
        // årligt, kvartalsvis …
        if let Some((unit, per)) = word(i).and_then(|t| frequency_adverb(&t.fold)) {
            let money =
                word(i + 1).is_some_and(|t| MONEY_NOUNS.iter().any(|m| t.fold.starts_with(m)));
            if !money {
                push_frequency(text, toks, start, end, i, i, per, unit, found);
                mark(used, i, i);
            }
        }
        i += 1;
    }
}

fn mark(used: &mut [bool], from: usize, to: usize) {
    for u in used.iter_mut().take(to + 1).skip(from) {
        *u = true;
    }
}

#[allow(clippy::too_many_arguments)]
fn push_frequency(
    text: &str,
    toks: &[Token],
    start: usize,
    end: usize,
    first: usize,
    last: usize,
    amount: f64,
    unit: DeadlineUnit,
    found: &mut Vec<Found>,
) {
    if !(amount.is_finite() && amount > 0.0) {
        return;
    }
    found.push(Found {
        kind: DeadlineKind::Frequency,
        amount: Some(amount),
        unit: Some(unit),
        qualifier: qualifier(toks, start, first, false),
        hours: Some(unit.hours() / amount),
        trigger: trigger(text, toks, last + 1, end),
        template: false,
        range: None,
        at: first,
    });
}

// ---------------------------------------------------------------------------------------------
// Qualitative duties
// ---------------------------------------------------------------------------------------------

fn is_undue(w: &str) -> bool {
    let n = w.chars().count();
    (w.starts_with("un")
        && (4..=12).contains(&n)
        && (w.ends_with("dig")
            || w.ends_with("digt")
            || w.ends_with("dvendig")
            || w.ends_with("dvendigt")))
        || matches!(
            w,
            "ugrundet" | "ugrundede" | "unodigt" | "undue" | "unreasonable"
        )
}

fn qualitative(text: &str, toks: &[Token], start: usize, end: usize, found: &mut Vec<Found>) {
    let word = |k: usize| {
        toks.get(k)
            .filter(|t| k < end && t.is_word())
            .map(|t| t.fold.as_ref())
    };
    let mut seen: Vec<DeadlineKind> = Vec::new();
    for i in start..end {
        let Some(w) = word(i) else { continue };
        let hit: Option<(DeadlineKind, usize)> = match w {
            "uden" | "without" => {
                let mut j = i + 1;
                if matches!(word(j), Some("yderligere" | "further" | "any")) {
                    j += 1;
                }
                (word(j).is_some_and(is_undue)
                    && word(j + 1).is_some_and(|n| {
                        matches!(
                            n,
                            "forsinkelse" | "forsinkelser" | "forsinkelsen" | "ophold" | "delay"
                        )
                    }))
                .then_some((DeadlineKind::UndueDelay, j + 1))
            }
            "snarest" | "hurtigst" => {
                (word(i + 1) == Some("muligt")).then_some((DeadlineKind::UndueDelay, i + 1))
            }
            // `as soon as (reasonably) possible/practicable`
            "soon" if i > start && word(i - 1) == Some("as") && word(i + 1) == Some("as") => {
                let mut j = i + 2;
                if word(j) == Some("reasonably") {
                    j += 1;
                }
                matches!(word(j), Some("possible" | "practicable"))
                    .then_some((DeadlineKind::UndueDelay, j))
            }
            "straks" | "omgaende" | "omgaaende" | "immediately" => {
                Some((DeadlineKind::Immediately, i))
            }
            "promptly" => Some((DeadlineKind::Promptly, i)),
            _ if w.ends_with("jeblikkeligt") || w.ends_with("jeblikkelig") => {
                (w.chars().count() <= 14).then_some((DeadlineKind::Immediately, i))
            }
            "rimelig" | "rimeligt" | "reasonable" => {
                let mut j = i + 1;
                while matches!(
                    word(j),
                    Some("prior" | "advance" | "written" | "skriftligt")
                ) {
                    j += 1;
                }
                word(j)
                    .is_some_and(|n| {
                        matches!(
                            n,
                            "tid"
                                | "frist"
                                | "tidsfrist"
                                | "tidsrum"
                                | "varsel"
                                | "periode"
                                | "time"
                                | "notice"
                                | "period"
                        )
                    })
                    .then_some((DeadlineKind::ReasonableTime, j))
            }
            _ => None,
        };
        let Some((kind, last)) = hit else { continue };
        if seen.contains(&kind) {
            continue;
        }
        seen.push(kind);
        found.push(Found {
            kind,
            amount: None,
            unit: None,
            qualifier: None,
            hours: None,
            trigger: trigger(text, toks, last + 1, end),
            template: false,
            range: None,
            at: i,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::analyse;
    use crate::record::SourceFormat;
    use crate::source::ReadOptions;
    use proptest::prelude::*;

    fn clause(number: &str, heading: Option<&str>, text: &str) -> Clause {
        Clause::new(Some(number), heading, text)
    }

    fn found(text: &str) -> Vec<Deadline> {
        deadlines(&[clause("1.1", None, text)])
    }

    fn numeric(text: &str) -> Vec<(f64, DeadlineUnit, Option<DeadlineQualifier>)> {
        found(text)
            .into_iter()
            .filter(|d| {
                matches!(
                    d.kind,
                    DeadlineKind::Deadline | DeadlineKind::Notice | DeadlineKind::Retention
                )
            })
            .filter_map(|d| Some((d.amount?, d.unit?, d.qualifier)))
            .collect()
    }

    #[test]
    fn a_deadline_with_its_qualifier_trigger_and_hours() {
        let d = found(
            "Den Dataansvarlige skal fremsætte en indsigelse senest 14 dage efter at være blevet orienteret.",
        );
        assert_eq!(d.len(), 1);
        let d = &d[0];
        assert_eq!(d.kind, DeadlineKind::Deadline);
        assert_eq!(d.amount, Some(14.0));
        assert_eq!(d.unit, Some(DeadlineUnit::Days));
        assert_eq!(d.qualifier, Some(DeadlineQualifier::AtMost));
        assert_eq!(d.hours, Some(336.0));
        assert_eq!(
            d.trigger.as_deref(),
            Some("efter at være blevet orienteret")
        );
        assert_eq!(d.clause.as_deref(), Some("1.1"));
        assert!(d.text.starts_with("Den Dataansvarlige skal"));
        assert!(!d.template);
    }

    #[test]
    fn notice_periods_in_their_usual_forms() {
        for text in [
            "Aftalen kan opsiges med 30 dages varsel.",
            "Den Dataansvarlige skal give Databehandleren et varsel herom på mindst 30 dage.",
            "Opsigelse sker med et opsigelsesvarsel på 30 dage.",
            "Ændringer varsles med 30 dages skriftligt varsel.",
        ] {
            let d = found(text);
            assert_eq!(d.len(), 1, "{text}");
            assert_eq!(d[0].kind, DeadlineKind::Notice, "{text}");
            assert_eq!(d[0].amount, Some(30.0), "{text}");
        }
        assert_eq!(
            found("Varsel herom på mindst 30 dage.")[0].qualifier,
            Some(DeadlineQualifier::AtLeast)
        );
        // `uden varsel` does not make the deadline after it a notice period.
        let d =
            found("Sletning sker uden varsel eller advisering, dog senest 30 dage efter ophør.");
        assert_eq!(d[0].kind, DeadlineKind::Deadline);
        assert_eq!(d[0].trigger.as_deref(), Some("efter ophør"));
    }

    #[test]
    fn template_values_in_brackets() {
        let d = found("Aftalen kan opsiges med [30] dages varsel.");
        assert_eq!(d.len(), 1);
        assert!(d[0].template);
        assert_eq!(d[0].amount, Some(30.0));
        assert_eq!(d[0].kind, DeadlineKind::Notice);
        let d = found("Data slettes senest [X] dage efter ophør.");
        assert_eq!(d.len(), 1);
        assert!(d[0].template);
        assert_eq!(d[0].amount, None);
        assert_eq!(d[0].unit, Some(DeadlineUnit::Days));
    }

    #[test]
    fn number_words_and_units_in_every_form() {
        let cases: &[(&str, f64, DeadlineUnit)] = &[
            (
                "udleveres senest fem arbejdsdage efter anmodning",
                5.0,
                DeadlineUnit::BusinessDays,
            ),
            ("inden for tre (3) måneder", 3.0, DeadlineUnit::Months),
            ("inden for 30 (tredive) dage", 30.0, DeadlineUnit::Days),
            ("senest fireogtyve timer efter", 24.0, DeadlineUnit::Hours),
            ("opbevares i halvandet år", 1.5, DeadlineUnit::Years),
            ("opbevares i 1,5 år", 1.5, DeadlineUnit::Years),
            ("inden for to uger", 2.0, DeadlineUnit::Weeks),
            ("inden for et halvt år", 0.5, DeadlineUnit::Years),
            ("med tolv måneders varsel", 12.0, DeadlineUnit::Months),
            ("inden for 10 hverdage", 10.0, DeadlineUnit::BusinessDays),
            ("inden for 2 bankdage", 2.0, DeadlineUnit::BusinessDays),
            ("et 14-dages varsel", 14.0, DeadlineUnit::Days),
            ("inden for 48 timer", 48.0, DeadlineUnit::Hours),
            ("senest tyve dage efter", 20.0, DeadlineUnit::Days),
            ("med halvfjerds dages varsel", 70.0, DeadlineUnit::Days),
            ("inden for ét døgn", 1.0, DeadlineUnit::Days),
            ("inden for 1 kvartal", 3.0, DeadlineUnit::Months),
        ];
        for (text, amount, unit) in cases {
            let got = numeric(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!(got[0].0, *amount, "{text}");
            assert_eq!(got[0].1, *unit, "{text}");
        }
        assert_eq!(found("inden for 2 uger")[0].hours, Some(336.0));
        assert_eq!(found("inden for 1 år")[0].hours, Some(8760.0));
        assert_eq!(found("inden for 1 måned")[0].hours, Some(730.0));
    }

    #[test]
    fn ocr_damaged_units() {
        assert_eq!(
            numeric("inden for 3 maneder"),
            [(3.0, DeadlineUnit::Months, Some(DeadlineQualifier::Within))]
        );
        assert_eq!(
            numeric("senest 2 ar efter ophgr"),
            [(2.0, DeadlineUnit::Years, Some(DeadlineQualifier::AtMost))]
        );
        assert_eq!(
            numeric("senest 5 arbejdsdage"),
            [(
                5.0,
                DeadlineUnit::BusinessDays,
                Some(DeadlineQualifier::AtMost)
            )]
        );
        // `ar` is only a year right after a number.
        assert!(numeric("Det ar vi enige om, en ar pa huden").is_empty());
    }

    #[test]
    fn qualifiers() {
        assert_eq!(
            numeric("senest inden for 24 timer")[0].2,
            Some(DeadlineQualifier::AtMost)
        );
        assert_eq!(
            numeric("inden 48 timer")[0].2,
            Some(DeadlineQualifier::Within)
        );
        assert_eq!(
            numeric("indenfor 48 timer")[0].2,
            Some(DeadlineQualifier::Within)
        );
        assert_eq!(
            numeric("med mindst 14 dages varsel")[0].2,
            Some(DeadlineQualifier::AtLeast)
        );
        assert_eq!(
            numeric("højst 2 timer")[0].2,
            Some(DeadlineQualifier::AtMost)
        );
        assert_eq!(
            numeric("ikke senere end 10 dage")[0].2,
            Some(DeadlineQualifier::AtMost)
        );
        assert_eq!(numeric("med 30 dages varsel")[0].2, None);
    }

    #[test]
    fn triggers() {
        let d = found(
            "Sikkerhedsbrud skal meddeles straks — og senest inden for 24 timer — efter, at databehandler er blevet bekendt med bruddet, sådan at dataansvarlig kan anmelde det inden for 72 timer.",
        );
        let h24 = d
            .iter()
            .find(|d| d.amount == Some(24.0))
            .map(|d| d.trigger.clone());
        assert_eq!(
            h24,
            Some(Some(
                "efter, at databehandler er blevet bekendt med bruddet".to_string()
            ))
        );
        let h72 = d
            .iter()
            .find(|d| d.amount == Some(72.0))
            .map(|d| d.trigger.clone());
        assert_eq!(h72, Some(None));
        assert!(d.iter().any(|d| d.kind == DeadlineKind::Immediately));
        let d = found("Data slettes senest 30 dage efter Databehandleraftalens ophør.");
        assert_eq!(
            d[0].trigger.as_deref(),
            Some("efter Databehandleraftalens ophør")
        );
        let d = found("Data slettes 30 dage fra modtagelsen af anmodningen.");
        assert_eq!(
            d[0].trigger.as_deref(),
            Some("fra modtagelsen af anmodningen")
        );
        let d = found("Ændringer varsles 30 dage før ikrafttrædelsen.");
        assert_eq!(d[0].trigger.as_deref(), Some("før ikrafttrædelsen"));
        // `for` is no `før`.
        assert_eq!(
            found("inden for 30 dage for den registrerede")[0].trigger,
            None
        );
    }

    #[test]
    fn frequencies() {
        let cases: &[(&str, f64, DeadlineUnit, Option<DeadlineQualifier>)] = &[
            (
                "skal mindst en gang årligt gennemgå",
                1.0,
                DeadlineUnit::Years,
                Some(DeadlineQualifier::AtLeast),
            ),
            (
                "mindst en gang arligt",
                1.0,
                DeadlineUnit::Years,
                Some(DeadlineQualifier::AtLeast),
            ),
            (
                "Mindst en gang om aret opdateres kravene",
                1.0,
                DeadlineUnit::Years,
                Some(DeadlineQualifier::AtLeast),
            ),
            ("én gang om året", 1.0, DeadlineUnit::Years, None),
            ("rapporten udgives årligt", 1.0, DeadlineUnit::Years, None),
            ("kvartalsvis rapportering", 4.0, DeadlineUnit::Years, None),
            ("hvert år", 1.0, DeadlineUnit::Years, None),
            ("hvert andet år", 0.5, DeadlineUnit::Years, None),
            ("to gange om måneden", 2.0, DeadlineUnit::Months, None),
            ("en gang pr. måned", 1.0, DeadlineUnit::Months, None),
            ("backup tages dagligt", 1.0, DeadlineUnit::Days, None),
            ("to gange årligt", 2.0, DeadlineUnit::Years, None),
            ("ugentligt", 1.0, DeadlineUnit::Weeks, None),
            ("halvårligt", 2.0, DeadlineUnit::Years, None),
        ];
        for (text, amount, unit, qualifier) in cases {
            let d: Vec<_> = found(text)
                .into_iter()
                .filter(|d| d.kind == DeadlineKind::Frequency)
                .collect();
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(d[0].every, Some(*amount), "{text}");
            assert_eq!(d[0].unit, Some(*unit), "{text}");
            assert_eq!(d[0].qualifier, *qualifier, "{text}");
        }
        let d = found("en gang årligt");
        assert_eq!(d.len(), 1, "the count is not also a deadline");
        assert_eq!(d[0].hours, Some(8760.0));
        assert_eq!(found("kvartalsvis")[0].hours, Some(2190.0));
        let monthly: Vec<_> = found("hver 6. måned")
            .into_iter()
            .filter(|d| d.kind == DeadlineKind::Frequency)
            .collect();
        assert_eq!(monthly.len(), 1);
        assert!((monthly[0].every.unwrap_or(0.0) - 1.0 / 6.0).abs() < 1e-9);
        assert!(found("et årligt vederlag på 1.000 kr.").is_empty());
        assert!(found("den daglige drift").is_empty());
    }

    #[test]
    fn qualitative_duties() {
        let cases: &[(&str, DeadlineKind)] = &[
            (
                "skal uden unødig forsinkelse underrette",
                DeadlineKind::UndueDelay,
            ),
            ("skal ske uden ugrundet ophold.", DeadlineKind::UndueDelay),
            (
                "sker uden yderligere unødig forsinkelse",
                DeadlineKind::UndueDelay,
            ),
            ("uden ungdig forsinkelse", DeadlineKind::UndueDelay),
            (
                "underretter omgående den Dataansvarlige",
                DeadlineKind::Immediately,
            ),
            ("skal straks underrette", DeadlineKind::Immediately),
            ("skal øjeblikkeligt underrette", DeadlineKind::Immediately),
            ("skal omgaende underrette", DeadlineKind::Immediately),
            ("indenfor rimelig tid", DeadlineKind::ReasonableTime),
            ("inden for rimelig tid", DeadlineKind::ReasonableTime),
            ("med rimeligt varsel", DeadlineKind::ReasonableTime),
            ("snarest muligt", DeadlineKind::UndueDelay),
        ];
        for (text, kind) in cases {
            let d = found(text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(d[0].kind, *kind, "{text}");
            assert_eq!((d[0].amount, d[0].unit, d[0].hours), (None, None, None));
        }
        let d =
            found("Databehandleren underretter straks efter at være blevet bekendt med bruddet.");
        assert_eq!(
            d[0].trigger.as_deref(),
            Some("efter at være blevet bekendt med bruddet")
        );
    }

    #[test]
    fn dates_articles_ages_and_money_are_not_deadlines() {
        for text in [
            "Dato: 1. juni 2019",
            "jf. databeskyttelsesforordningens artikel 28, stk. 3, litra a.",
            "forordning (EU) 2016/679 af 27. april 2016",
            "lov nr. 502 af 23. maj 2018 og lov af 23/05/2018",
            "Børn under 13 år må ikke registreres.",
            "personer på 16 år gamle",
            "Timeprisen er DKK 1.200 pr. time.",
            "det værende anvendte timer, midler og evt. gebyrer",
            "ISO 27001 og ISAE 3402",
            "pkt. 10.1 – 10.5",
            "Hovedaftale (pr. 21/12/2015).",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn once_per_clause_and_sentence_heading_included() {
        let c = clause(
            "15",
            Some("Sletning inden 30 dage"),
            "Data slettes senest 30 dage efter ophør. Ved ophør gælder i øvrigt 30 dages varsel.",
        );
        let d = deadlines(&[c]);
        let days30: Vec<_> = d.iter().filter(|d| d.amount == Some(30.0)).collect();
        assert_eq!(days30.len(), 2, "{d:?}");
        assert_eq!(days30[0].kind, DeadlineKind::Deadline);
        assert_eq!(days30[1].kind, DeadlineKind::Notice);
        let c = clause("16", Some("Svar inden 5 hverdage"), "Ingen frister her.");
        let d = deadlines(&[c]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].text, "Svar inden 5 hverdage");
        let d = found("Inden for 24 timer og senest 24 timer efter bruddet.");
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn reads_the_repaired_wording_and_copies_the_topic() {
        let mut c = clause("3.4", None, "senest 24 tlmer");
        c.repaired = Some(crate::record::Repaired {
            heading: None,
            text: "senest 24 timer".to_string(),
        });
        c.topics = vec!["breach_notification".to_string(), "security".to_string()];
        let d = deadlines(&[c]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].topic.as_deref(), Some("breach_notification"));
        assert_eq!(d[0].unit, Some(DeadlineUnit::Hours));
    }

    // -----------------------------------------------------------------------------------------
    // Who, towards whom, what
    // -----------------------------------------------------------------------------------------

    use crate::record::{Counterparty as C, DeadlineAction as A, PartyRole as P};

    type Who = (Option<P>, Option<C>, Option<A>);

    fn who(text: &str) -> Vec<(DeadlineKind, Who)> {
        found(text)
            .into_iter()
            .map(|d| (d.kind, (d.party, d.counterparty, d.action)))
            .collect()
    }

    fn first_who(text: &str) -> Who {
        let d = found(text);
        assert!(!d.is_empty(), "nothing found in {text}");
        (d[0].party, d[0].counterparty, d[0].action)
    }

    #[test]
    fn who_must_act_towards_whom_in_danish() {
        let cases: &[(&str, Who)] = &[
            (
                "Databehandleren underretter uden unødig forsinkelse den dataansvarlige efter at være blevet opmærksom på bruddet.",
                (Some(P::Processor), Some(C::Controller), Some(A::NotifyBreach)),
            ),
            (
                "Databehandlerens underretning til den dataansvarlige skal om muligt ske senest 24 timer efter, at denne er blevet bekendt med bruddet.",
                (Some(P::Processor), Some(C::Controller), Some(A::NotifyBreach)),
            ),
            (
                "den dataansvarliges forpligtelse til uden unødig forsinkelse og om muligt senest 72 timer, efter at denne er blevet bekendt med det, at anmelde brud på persondatasikkerheden til den kompetente tilsynsmyndighed",
                (Some(P::Controller), Some(C::Authority), Some(A::NotifyBreach)),
            ),
            (
                "Den dataansvarlige skal underrette den registrerede om bruddet inden for 3 dage.",
                (Some(P::Controller), Some(C::DataSubject), Some(A::NotifyBreach)),
            ),
            (
                "Sikkerhedsbrud skal meddeles til den dataansvarlige senest 24 timer efter opdagelsen.",
                (Some(P::Processor), Some(C::Controller), Some(A::NotifyBreach)),
            ),
            (
                "Leverandøren varsler Kunden med mindst 30 dages varsel inden en ny underdatabehandler tages i brug.",
                (Some(P::Processor), Some(C::Controller), Some(A::NotifySubprocessorChange)),
            ),
            (
                "Den dataansvarlige kan gøre indsigelse mod ændringen ved at underrette databehandleren inden for 14 dage.",
                (Some(P::Controller), Some(C::Processor), Some(A::Object)),
            ),
            (
                "Databehandleren sletter alle personoplysninger senest 30 dage efter aftalens ophør.",
                (Some(P::Processor), None, Some(A::DeleteReturn)),
            ),
            (
                "Den dataansvarlige kan gennemføre en inspektion med mindst 30 dages skriftligt varsel.",
                (Some(P::Controller), None, Some(A::AuditNotice)),
            ),
            (
                "Underdatabehandleren underretter databehandleren senest 12 timer efter at være blevet bekendt med et sikkerhedsbrud.",
                (Some(P::Subprocessor), Some(C::Processor), Some(A::NotifyBreach)),
            ),
            (
                "Databehandleren besvarer den dataansvarliges anmodninger inden for fem arbejdsdage.",
                (Some(P::Processor), Some(C::Controller), Some(A::Respond)),
            ),
            (
                "Underretning om ny underdatabehandler skal være den dataansvarlige i hænde mindst 2 dage før ibrugtagning.",
                (Some(P::Processor), Some(C::Controller), Some(A::NotifySubprocessorChange)),
            ),
            (
                "Herefter underretter databehandleren den dataansvarlige om bruddet inden for 48 timer.",
                (Some(P::Processor), Some(C::Controller), Some(A::NotifyBreach)),
            ),
            (
                "Databehandleren underretter omgående den dataansvarlige, hvis en instruks efter vedkommendes mening er i strid med forordningen.",
                (Some(P::Processor), Some(C::Controller), Some(A::NotifyInstruction)),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(first_who(text), *want, "{text}");
        }
        // The controller's own deadline in a purpose clause of the processor's sentence.
        let d = who(
            "Sikkerhedsbrud skal meddeles til den dataansvarlige straks og senest inden for 24 timer, sådan at den dataansvarlige kan anmelde det inden for 72 timer.",
        );
        let h72 = found(
            "Sikkerhedsbrud skal meddeles til den dataansvarlige straks og senest inden for 24 timer, sådan at den dataansvarlige kan anmelde det inden for 72 timer.",
        )
        .into_iter()
        .find(|d| d.amount == Some(72.0))
        .expect("72 hours");
        assert_eq!(h72.party, Some(P::Controller), "{d:?}");
        assert_eq!(h72.counterparty, Some(C::Authority));
        assert!(is_controllers_own(&h72));
    }

    #[test]
    fn defined_names_and_pronouns_stand_for_the_parties() {
        let head = clause(
            "1",
            None,
            "Mellem:\n- Dataansvarlig (\"Kunde X\", \"Partner\", \"du\")\n- Databehandler (\"Fjordsky ApS\", \"Fjordsky\", \"vi\", \"os\")",
        );
        let body = clause(
            "4",
            None,
            "Fjordsky skal underrette Partner uden unødig forsinkelse og, hvor det er muligt, inden for 72 timer efter at have fået kendskab til bruddet.",
        );
        let inverted = clause(
            "5",
            None,
            "Ved et sikkerhedsbrud underretter vi omgående Partner.",
        );
        let d = deadlines(&[head, body, inverted]);
        let h72 = d.iter().find(|d| d.amount == Some(72.0)).expect("72 hours");
        assert_eq!(h72.qualifier, Some(DeadlineQualifier::IfPossible));
        assert_eq!(
            (h72.party, h72.counterparty, h72.action),
            (
                Some(P::Processor),
                Some(C::Controller),
                Some(A::NotifyBreach)
            )
        );
        let now = d
            .iter()
            .find(|d| d.kind == DeadlineKind::Immediately)
            .expect("immediately");
        assert_eq!(
            (now.party, now.counterparty),
            (Some(P::Processor), Some(C::Controller))
        );
    }

    /// Every sentence built from a subject, a verb form, a recipient, an amount written in
    /// digits or words and a unit is read with the right party, counterparty and amount.
    #[test]
    fn generated_sentences_are_read_whole() {
        let subjects: &[(&str, P)] = &[
            ("Databehandleren", P::Processor),
            ("Leverandøren", P::Processor),
            ("Underdatabehandleren", P::Subprocessor),
            ("Den dataansvarlige", P::Controller),
            ("Kunden", P::Controller),
        ];
        let recipients: &[(&str, C)] = &[
            ("den dataansvarlige", C::Controller),
            ("databehandleren", C::Processor),
            ("den registrerede", C::DataSubject),
        ];
        let amounts: &[(&str, &str, f64)] = &[
            ("24", "fireogtyve", 24.0),
            ("14", "fjorten", 14.0),
            ("8", "otte", 8.0),
            ("5", "fem", 5.0),
            ("3", "tre", 3.0),
        ];
        let units: &[(&str, DeadlineUnit)] = &[
            ("timer", DeadlineUnit::Hours),
            ("dage", DeadlineUnit::Days),
            ("arbejdsdage", DeadlineUnit::BusinessDays),
            ("uger", DeadlineUnit::Weeks),
            ("måneder", DeadlineUnit::Months),
        ];
        let forms: &[&str] = &[
            "{S} skal underrette {R} om bruddet senest {N} {U} efter at være blevet bekendt med det.",
            "{S} underretter {R} om sikkerhedsbruddet inden for {N} {U}.",
            "Ved et brud underretter {S} {R} inden {N} {U}.",
            "{S} skal uden unødig forsinkelse og senest {N} {U} efter opdagelsen underrette {R} om bruddet.",
        ];
        let mut checked = 0;
        for (s, party) in subjects {
            for (r, counter) in recipients {
                let same = matches!(
                    (party, counter),
                    (P::Processor, C::Processor) | (P::Controller, C::Controller)
                );
                if same {
                    continue;
                }
                for (digits, words, value) in amounts {
                    for (u, unit) in units {
                        for form in forms {
                            for n in [digits, words] {
                                let subject = if form.starts_with("{S}") {
                                    s.to_string()
                                } else {
                                    s.to_lowercase()
                                };
                                let text = form
                                    .replace("{S}", &subject)
                                    .replace("{R}", r)
                                    .replace("{N}", n)
                                    .replace("{U}", u);
                                let d: Vec<Deadline> = found(&text)
                                    .into_iter()
                                    .filter(|d| d.amount.is_some())
                                    .collect();
                                assert_eq!(d.len(), 1, "{text}: {d:?}");
                                let d = &d[0];
                                assert_eq!(d.amount, Some(*value), "{text}");
                                assert_eq!(d.unit, Some(*unit), "{text}");
                                assert_eq!(d.party, Some(*party), "{text}");
                                assert_eq!(d.counterparty, Some(*counter), "{text}");
                                assert_eq!(d.action, Some(A::NotifyBreach), "{text}");
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn retention_periods_are_no_duties() {
        for (text, amount, unit) in [
            (
                "Betalingsdata opbevares i 5 år i henhold til bogføringsloven.",
                5.0,
                DeadlineUnit::Years,
            ),
            (
                "Audit-loggen gemmes i seks måneder.",
                6.0,
                DeadlineUnit::Months,
            ),
            (
                "Revisionslogning (al adgang logget i 1 år)",
                1.0,
                DeadlineUnit::Years,
            ),
            ("- 30-dages backup-opbevaring", 30.0, DeadlineUnit::Days),
            (
                "- Omfattende revisionslogfiler (1-års opbevaring)",
                1.0,
                DeadlineUnit::Years,
            ),
            (
                "Logfiler slettes automatisk efter 90 dage.",
                90.0,
                DeadlineUnit::Days,
            ),
            (
                "Access logs are retained for twelve months.",
                12.0,
                DeadlineUnit::Months,
            ),
            ("Backups are kept for 35 days.", 35.0, DeadlineUnit::Days),
        ] {
            let d = found(text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(d[0].kind, DeadlineKind::Retention, "{text}");
            assert_eq!(d[0].amount, Some(amount), "{text}");
            assert_eq!(d[0].unit, Some(unit), "{text}");
            assert_eq!(d[0].action, None, "{text}");
        }
        for text in [
            "Databehandleren sletter data senest 30 dage efter ophør.",
            "LogicNodes fjerner data fra backups inden for 30 dage.",
        ] {
            assert_eq!(found(text)[0].kind, DeadlineKind::Deadline, "{text}");
        }
    }

    #[test]
    fn ranges_carry_both_bounds() {
        for (text, lo, hi, unit) in [
            (
                "Konfigurerbare opbevaringsperioder (1-90 dage for operationelle data)",
                1.0,
                90.0,
                DeadlineUnit::Days,
            ),
            (
                "Svar gives mellem 30 og 90 dage efter anmodningen.",
                30.0,
                90.0,
                DeadlineUnit::Days,
            ),
            (
                "begrænset til rimelig varighed (1-2 arbejdsdage)",
                1.0,
                2.0,
                DeadlineUnit::BusinessDays,
            ),
            (
                "Requests are answered between 10 and 20 business days after receipt.",
                10.0,
                20.0,
                DeadlineUnit::BusinessDays,
            ),
            ("inden for 2 til 4 uger", 2.0, 4.0, DeadlineUnit::Weeks),
        ] {
            let d = found(text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!((d[0].min, d[0].max), (Some(lo), Some(hi)), "{text}");
            assert_eq!(d[0].amount, Some(hi), "{text}");
            assert_eq!(d[0].unit, Some(unit), "{text}");
        }
        assert_eq!(found("et 14-dages varsel")[0].min, None);
        assert_eq!(found("inden for 30 dage")[0].max, None);
    }

    #[test]
    fn numbers_in_words_in_both_languages() {
        for (text, amount, unit) in [
            ("opbevares i fem år", 5.0, DeadlineUnit::Years),
            ("inden for tre måneder", 3.0, DeadlineUnit::Months),
            ("senest fjorten dage efter", 14.0, DeadlineUnit::Days),
            ("senest otte timer efter", 8.0, DeadlineUnit::Hours),
            (
                "within thirty days of the request",
                30.0,
                DeadlineUnit::Days,
            ),
            ("within twenty-four hours", 24.0, DeadlineUnit::Hours),
            (
                "within five (5) business days",
                5.0,
                DeadlineUnit::BusinessDays,
            ),
            ("no later than seventy-two hours", 72.0, DeadlineUnit::Hours),
        ] {
            let got = numeric(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!((got[0].0, got[0].1), (amount, unit), "{text}");
        }
    }

    #[test]
    fn schedules_are_frequencies_not_deadlines() {
        for (text, hours) in [
            ("Der tages backup hver 4 timer.", 4.0),
            ("Snapshots are taken every 24 hours.", 24.0),
            ("Adgangskoder skiftes hver 3 måneder.", 3.0 * 730.0),
        ] {
            let d = found(text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(d[0].kind, DeadlineKind::Frequency, "{text}");
            assert_eq!(d[0].amount, None, "{text}");
            assert_eq!(d[0].hours, Some(hours), "{text}");
        }
        assert!(found("Backup kører kl. 02.00 (cron 0 2 * * *).").is_empty());
    }

    #[test]
    fn each_table_row_says_its_own_duty() {
        let c = clause(
            "7",
            None,
            "Datatype | Opbevaring | Sletning\nHændelseslog | 1-90 dage | Automatisk\nTransskriptioner | 1-90 dage | Automatisk\nFakturaer | 5 år | Manuelt",
        );
        let d = deadlines(&[c]);
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d.iter().all(|d| d.kind == DeadlineKind::Retention), "{d:?}");
        assert_eq!(d.iter().filter(|d| d.max == Some(90.0)).count(), 2);
        let c = clause(
            "8",
            None,
            "Rettighed | Frist\nIndsigt | 10 arbejdsdage\nBrud på persondatasikkerheden | Underretning til den dataansvarlige inden 24 timer",
        );
        let d = deadlines(&[c]);
        let h24 = d.iter().find(|d| d.amount == Some(24.0)).expect("24 hours");
        assert_eq!(
            h24.text,
            "Brud på persondatasikkerheden | Underretning til den dataansvarlige inden 24 timer"
        );
        assert_eq!(
            (h24.party, h24.counterparty, h24.action),
            (
                Some(P::Processor),
                Some(C::Controller),
                Some(A::NotifyBreach)
            )
        );
        assert_eq!(
            d.iter()
                .find(|d| d.amount == Some(10.0))
                .map(|d| d.kind.as_str()),
            Some("deadline")
        );
    }

    #[test]
    fn if_possible_and_bracketed_templates() {
        let d = found("Databehandlerens underretning til den dataansvarlige skal om muligt ske senest 24 timer efter, at denne er blevet bekendt med bruddet.");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].qualifier, Some(DeadlineQualifier::IfPossible));
        assert_eq!(
            found("where possible within 72 hours")[0].qualifier,
            Some(DeadlineQualifier::IfPossible)
        );
        assert_eq!(
            found("senest inden for 24 timer")[0].qualifier,
            Some(DeadlineQualifier::AtMost)
        );
        for text in [
            "Databehandleren underretter senest inden for [24] timer.",
            "Databehandleren underretter senest inden for [48 timer].",
        ] {
            let d = found(text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert!(d[0].template, "{text}");
            assert_eq!(d[0].unit, Some(DeadlineUnit::Hours));
        }
    }

    #[test]
    fn english_deadlines_and_duties() {
        let cases: &[(&str, DeadlineKind, Option<f64>, Option<DeadlineQualifier>)] = &[
            (
                "The Processor shall notify the Controller within 24 hours.",
                DeadlineKind::Deadline,
                Some(24.0),
                Some(DeadlineQualifier::Within),
            ),
            (
                "no later than 72 hours after becoming aware",
                DeadlineKind::Deadline,
                Some(72.0),
                Some(DeadlineQualifier::AtMost),
            ),
            (
                "with at least 30 days' notice",
                DeadlineKind::Notice,
                Some(30.0),
                Some(DeadlineQualifier::AtLeast),
            ),
            (
                "on 30 days' prior written notice",
                DeadlineKind::Notice,
                Some(30.0),
                None,
            ),
            (
                "The Processor shall notify the Controller without undue delay.",
                DeadlineKind::UndueDelay,
                None,
                None,
            ),
            (
                "The Processor shall promptly inform the Controller.",
                DeadlineKind::Promptly,
                None,
                None,
            ),
            (
                "The Processor shall immediately inform the Controller.",
                DeadlineKind::Immediately,
                None,
                None,
            ),
            (
                "as soon as reasonably practicable",
                DeadlineKind::UndueDelay,
                None,
                None,
            ),
            (
                "upon reasonable prior notice",
                DeadlineKind::ReasonableTime,
                None,
                None,
            ),
        ];
        for (text, kind, amount, qualifier) in cases {
            let d = found(text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(d[0].kind, *kind, "{text}");
            assert_eq!(d[0].amount, *amount, "{text}");
            assert_eq!(d[0].qualifier, *qualifier, "{text}");
        }
        let (p, c, a) = first_who(
            "The Processor shall notify the Controller of a Personal Data Breach without undue delay and in any event within 24 hours.",
        );
        assert_eq!(
            (p, c, a),
            (
                Some(P::Processor),
                Some(C::Controller),
                Some(A::NotifyBreach)
            )
        );
        let (p, c, a) = first_who(
            "The Controller's notification to the supervisory authority shall be made within 72 hours.",
        );
        assert_eq!(
            (p, c, a),
            (Some(P::Controller), Some(C::Authority), Some(A::Notify))
        );
        let (p, c, a) =
            first_who("We will inform you of any new sub-processor at least 30 days in advance.");
        assert_eq!(
            (p, c, a),
            (
                Some(P::Processor),
                Some(C::Controller),
                Some(A::NotifySubprocessorChange)
            )
        );
        let d = found("within 24 hours of becoming aware of the breach");
        assert_eq!(
            d[0].trigger.as_deref(),
            Some("of becoming aware of the breach")
        );
    }

    #[test]
    fn the_processors_notice_is_listed_before_the_controllers_own() {
        let d = found(
            "Sikkerhedsbrud skal meddeles til den dataansvarlige straks og senest inden for 24 timer, sådan at den dataansvarlige kan anmelde det inden for 72 timer.",
        );
        let mut refs: Vec<&Deadline> = d.iter().rev().collect();
        listing_order(&mut refs);
        assert_eq!(refs[0].amount, Some(24.0));
        assert_eq!(listing_rank(refs[0]), 0);
        assert_eq!(refs.last().map(|d| d.amount), Some(Some(72.0)));
        assert!(is_controllers_own(refs.last().expect("72")));
    }

    // -----------------------------------------------------------------------------------------
    // Gold
    // -----------------------------------------------------------------------------------------

    fn seed(name: &str) -> (Vec<Clause>, serde_json::Value) {
        let dir = env!("CARGO_MANIFEST_DIR");
        let file = std::fs::read_dir(format!("{dir}/corpus"))
            .expect("corpus")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(name))
            })
            .expect("seed document");
        let bytes = std::fs::read(&file).expect("seed bytes");
        let record = analyse(
            &file.to_string_lossy(),
            &bytes,
            SourceFormat::Text,
            &ReadOptions::default(),
        )
        .expect("seed analyses");
        let gold = std::fs::read_to_string(format!("{dir}/fixtures/gold/seed-{name}.json"))
            .expect("gold file");
        (
            record.clauses,
            serde_json::from_str(&gold).expect("gold json"),
        )
    }

    fn gold_list<'a>(gold: &'a serde_json::Value, key: &str) -> Vec<&'a serde_json::Value> {
        gold[key]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }

    struct Scores {
        precision: f64,
        recall: f64,
        qualifiers_right: usize,
        qualifiers_total: usize,
        frequencies: (usize, usize),
        qualitative: (usize, usize),
    }

    fn score(name: &str) -> Scores {
        let (clauses, gold) = seed(name);
        let found = deadlines(&clauses);
        let numeric: Vec<&Deadline> = found
            .iter()
            .filter(|d| {
                matches!(
                    d.kind,
                    DeadlineKind::Deadline | DeadlineKind::Notice | DeadlineKind::Retention
                )
            })
            .collect();
        // The gold holds the JSON names.
        let key = |c: Option<&str>, a: Option<f64>, u: Option<&str>| {
            (
                c.map(str::to_string),
                a.map(f64::to_bits),
                u.map(str::to_string),
            )
        };
        let mut predicted: Vec<_> = numeric
            .iter()
            .map(|d| {
                key(
                    d.clause.as_deref(),
                    d.amount,
                    d.unit.map(DeadlineUnit::as_str),
                )
            })
            .collect();
        predicted.dedup();
        let gold_deadlines = gold_list(&gold, "deadlines");
        let mut matched = 0;
        let (mut q_right, mut q_total) = (0, 0);
        for g in &gold_deadlines {
            let k = key(
                g["clause"].as_str(),
                g["amount"].as_f64(),
                g["unit"].as_str(),
            );
            let Some(d) = numeric.iter().find(|d| {
                key(
                    d.clause.as_deref(),
                    d.amount,
                    d.unit.map(DeadlineUnit::as_str),
                ) == k
            }) else {
                println!("  {name}: missed {g}");
                continue;
            };
            matched += 1;
            q_total += 1;
            let ok = match g["qualifier"].as_str() {
                Some(q) => d.qualifier.map(DeadlineQualifier::as_str) == Some(q),
                // No qualifier in the gold: none, or a plain `within`, is right.
                None => matches!(d.qualifier, None | Some(DeadlineQualifier::Within)),
            };
            if ok {
                q_right += 1;
            } else {
                println!("  {name}: qualifier {:?} for {g}", d.qualifier);
            }
        }
        let true_pos = predicted
            .iter()
            .filter(|p| {
                gold_deadlines.iter().any(|g| {
                    key(
                        g["clause"].as_str(),
                        g["amount"].as_f64(),
                        g["unit"].as_str(),
                    ) == **p
                })
            })
            .count();
        for p in &predicted {
            if !gold_deadlines.iter().any(|g| {
                key(
                    g["clause"].as_str(),
                    g["amount"].as_f64(),
                    g["unit"].as_str(),
                ) == *p
            }) {
                println!("  {name}: extra {p:?}");
            }
        }
        let freq_gold = gold_list(&gold, "frequencies");
        let freq_found = freq_gold
            .iter()
            .filter(|g| {
                found.iter().any(|d| {
                    d.kind == DeadlineKind::Frequency
                        && d.clause.as_deref() == g["clause"].as_str()
                        && d.unit.map(DeadlineUnit::as_str) == g["unit"].as_str()
                        && d.every == g["every"].as_f64()
                })
            })
            .count();
        let qual_gold = gold_list(&gold, "qualitative_deadlines");
        let qual_found = qual_gold
            .iter()
            .filter(|g| {
                found.iter().any(|d| {
                    Some(d.kind.as_str()) == g["kind"].as_str()
                        && d.clause.as_deref() == g["clause"].as_str()
                })
            })
            .count();
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        Scores {
            precision: ratio(true_pos, predicted.len()),
            recall: ratio(matched, gold_deadlines.len()),
            qualifiers_right: q_right,
            qualifiers_total: q_total,
            frequencies: (freq_found, freq_gold.len()),
            qualitative: (qual_found, qual_gold.len()),
        }
    }

    #[test]
    fn gold_deadlines_of_the_seeds() {
        for name in ["000", "001", "002"] {
            let s = score(name);
            let f1 = if s.precision + s.recall == 0.0 {
                0.0
            } else {
                2.0 * s.precision * s.recall / (s.precision + s.recall)
            };
            println!(
                "seed {name}: deadlines P {:.2} R {:.2} F1 {:.2}; qualifiers {}/{}; frequencies {}/{}; qualitative {}/{}",
                s.precision,
                s.recall,
                f1,
                s.qualifiers_right,
                s.qualifiers_total,
                s.frequencies.0,
                s.frequencies.1,
                s.qualitative.0,
                s.qualitative.1
            );
            assert_eq!(s.recall, 1.0, "seed {name} recall");
            assert!(s.precision >= 0.9, "seed {name} precision {}", s.precision);
            assert_eq!(
                s.qualifiers_right, s.qualifiers_total,
                "seed {name} qualifiers"
            );
            assert_eq!(s.frequencies.0, s.frequencies.1, "seed {name} frequencies");
            assert_eq!(s.qualitative.0, s.qualitative.1, "seed {name} qualitative");
        }
    }

    // -----------------------------------------------------------------------------------------
    // No panics
    // -----------------------------------------------------------------------------------------

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("senest".to_string()),
            Just("mindst".to_string()),
            Just("inden for".to_string()),
            Just("en gang".to_string()),
            Just("årligt".to_string()),
            Just("hver".to_string()),
            Just("dages varsel".to_string()),
            Just("arbejdsdage".to_string()),
            Just("fireogtyve".to_string()),
            Just("uden unødig".to_string()),
            Just("efter, at".to_string()),
            Just("Ændringslog".to_string()),
            Just("2.0 05.09.2019 Dan Aggerholm, COO".to_string()),
            Just("Følsomme personoplysninger (jf. artikel 9):".to_string()),
            Just("kategorier af registrerede:".to_string()),
            Just("☒".to_string()),
            Just("☐".to_string()),
            Just("[0".to_string()),
            Just("herunder".to_string()),
            "[0-9]{1,6}".prop_map(|s| s),
            "[\\[\\]().,:;|/—–\\- \n]{1,4}".prop_map(|s| s),
            any::<String>(),
        ]
    }

    fn arbitrary_text() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..40).prop_map(|v| v.join(" "))
    }

    fn arbitrary_clause() -> impl Strategy<Value = Clause> {
        (
            proptest::option::of("[0-9A-Z.]{1,8}"),
            proptest::option::of(arbitrary_text()),
            arbitrary_text(),
            proptest::option::of(arbitrary_text()),
            prop::collection::vec("[a-z_]{1,12}", 0..2),
        )
            .prop_map(|(number, heading, text, repaired, topics)| Clause {
                number,
                heading,
                text,
                level: 1,
                parent: None,
                page: None,
                topics,
                inferred: false,
                repaired: repaired.map(|text| crate::record::Repaired {
                    heading: None,
                    text,
                }),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn no_extractor_panics_on_any_clauses(
            clauses in prop::collection::vec(arbitrary_clause(), 0..6),
            text in arbitrary_text(),
        ) {
            let found = deadlines(&clauses);
            for d in &found {
                prop_assert!(d.amount.is_none_or(f64::is_finite));
                prop_assert!(d.hours.is_none_or(f64::is_finite));
            }
            let entries = super::super::changelog::changelog(&clauses, &text);
            let _ = super::super::changelog::latest_version(&entries);
            let _ = super::super::categories::categories(&clauses);
        }
    }
}
