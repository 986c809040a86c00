//! The key terms of an agreement, read off its facts (parties, deadlines, sub-processor rows)
//! and, where no extractor holds them, off its sentences (governing law, venue, term).

use std::sync::LazyLock;

use regex::Regex;

use super::evidence::{fold, pattern, Wording};
use crate::compare::render::clip;
use crate::record::{
    Counterparty, Deadline, DeadlineAction, DeadlineKind, DeadlineQualifier, DeadlineUnit,
    KeyTerms, Party, PartyRole, Record, ReviewParty, ReviewTransfer,
};

/// The sentences the review found that key terms are read from.
pub(super) struct Sentences {
    pub breach: Vec<usize>,
    pub authorisation: Vec<usize>,
    pub objection: Vec<usize>,
    pub implied_general: bool,
}

static UNDUE_DELAY: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"unødig\w* (?:forsinkelse|ophold)|undue delay"));
static IMMEDIATELY: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\bstraks\b|\bomgående\b|immediately|\bprompt\w*"));
static DANISH_LAW: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\bdansk (?:ret|lov\w*)|danish law|laws? of denmark|lovgivning(?:en)? i danmark|dansk rets? regler",
    )
});
static GOVERNED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"lovvalg|reguleres|er underlagt|underlagt|governed|gælder|\bafgøres\b|anvendelse|fortolkes",
    )
});
/// A named court or forum; where several are named (`de danske domstole med Aalborg Byret som
/// værneting`), the named court.
static VENUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:Københavns|Aarhus|Århus|Odense|Aalborg|Kolding|Esbjerg|Randers|Roskilde|Glostrup|Herning|Holbæk|Horsens|Viborg|Hillerød|Lyngby|Svendborg|Sønderborg|Næstved|Nykøbing|Hjørring|Holstebro|Helsingør|Frederiksberg|[A-ZÆØÅ][a-zæøå]+s) Byret|Retten i [A-ZÆØÅ][a-zæøå]+|Sø- og Handelsretten|Østre Landsret|Vestre Landsret|Voldgiftsinstituttet|Danish Institute of Arbitration)")
        .expect("venue pattern")
});
/// Courts named in general.
static COURTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:de danske domstole|danske domstole|Danish courts|the courts of Denmark|voldgift)")
        .expect("courts pattern")
});
static TERM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:aftalen|databehandleraftalen|bestemmelserne|denne aftale|this agreement|the agreement|this dpa) (?:\w+ )?(?:gælder|træder i kraft|løber|er gældende|er i kraft|forbliver i kraft|remains? in (?:force|effect)|shall (?:remain|continue)|enters? into force|takes? effect)",
    )
});
static TERMINATION: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"opsig\w*|ophør\w*|ophæv\w*|terminat\w*|\bexpir\w*"));

fn party(p: &Option<Party>) -> Option<ReviewParty> {
    p.as_ref().and_then(|p| {
        (p.name.is_some() || p.identifier.is_some()).then(|| ReviewParty {
            name: p.name.clone(),
            identifier: p.identifier.clone(),
            identifier_kind: p.identifier_kind,
        })
    })
}

/// The processor's deadlines for an action: the firm ones when there are any, else those
/// stated as "where possible".
fn processor_deadlines<'r>(
    record: &'r Record,
    parts: &[Part],
    action: DeadlineAction,
) -> Vec<&'r Deadline> {
    let all: Vec<&Deadline> = record
        .deadlines
        .iter()
        .zip(parts)
        .filter(|(_, (a, _))| *a == Some(action))
        .filter(|(d, (_, part))| {
            // A sub-processor's own duty, where its part of the sentence is about it (not
            // where it is named beside the processor: "a breach at the processor or a
            // sub-processor").
            !(matches!(d.party, Some(PartyRole::Subprocessor)) && SUB_SUBJECT.is_match(&fold(part)))
        })
        .map(|(d, _)| d)
        .filter(|d| {
            !matches!(
                d.counterparty,
                Some(Counterparty::Authority | Counterparty::DataSubject)
            )
        })
        .collect();
    let firm: Vec<&Deadline> = all
        .iter()
        .copied()
        .filter(|d| d.qualifier != Some(DeadlineQualifier::IfPossible))
        .collect();
    if firm.iter().any(|d| d.hours.is_some()) {
        firm
    } else {
        all
    }
}

/// A deadline's action and the part of its sentence it stands in.
type Part = (Option<DeadlineAction>, String);

/// Each deadline's part of its sentence and action. A deadline's text is its whole sentence
/// (or several, where a list ran on); where that holds as many timed parts as deadlines, each
/// deadline gets its own part, in order. On sub-processors that settles which number is the
/// notice and which the objection period ("notice 3 months ahead, and the controller may
/// object within 30 days").
fn deadline_parts(record: &Record) -> Vec<Part> {
    static PARTS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r",\s+(?:og|men|and|but|samt)\s+|;\s*|[.!?]\s+").expect("parts")
    });
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"\b(?:\d+|[\[(]\d+[\])]|en|et|én|to|tre|fire|seks|one|two|three|four|six|fjorten|fourteen|thirty|tredive)\s+(?:[^\s]+\s+)?(?:timer?|døgn|dage?s?|arbejdsdage?s?|uger?s?|måned\w*|år|hours?|days?|business days?|weeks?|months?|years?)\b",
        )
    });
    static OBJECT: LazyLock<Regex> =
        LazyLock::new(|| pattern(r"indsigelse\w*|modsætte\w*|\bobject\w*|protest\w*"));
    let mut out: Vec<Part> = record
        .deadlines
        .iter()
        .map(|d| (d.action, d.text.clone()))
        .collect();
    let about = |a: Option<DeadlineAction>| {
        matches!(
            a,
            Some(DeadlineAction::Object | DeadlineAction::NotifySubprocessorChange)
        )
    };
    let mut k = 0;
    while k < record.deadlines.len() {
        let text = &record.deadlines[k].text;
        let n = record.deadlines[k..]
            .iter()
            .take_while(|d| &d.text == text)
            .count()
            .max(1);
        let timed: Vec<&str> = PARTS
            .split(text)
            .filter(|part| TIME.is_match(&fold(part)))
            .collect();
        if timed.len() == n {
            let sub = record.deadlines[k..k + n].iter().any(|d| about(d.action));
            for (j, part) in timed.iter().enumerate() {
                out[k + j].1 = part.to_string();
                if sub {
                    out[k + j].0 = Some(if OBJECT.is_match(&fold(part)) {
                        DeadlineAction::Object
                    } else {
                        DeadlineAction::NotifySubprocessorChange
                    });
                }
            }
        }
        k += n;
    }
    out
}

/// Is the deadline a time limit (not how long something is kept, not how often)?
fn is_time_limit(d: &&&Deadline) -> bool {
    !matches!(d.kind, DeadlineKind::Retention | DeadlineKind::Frequency)
}

fn hours_of(deadlines: &[&Deadline], pick: fn(f64, f64) -> f64) -> Option<f64> {
    deadlines
        .iter()
        .filter(is_time_limit)
        .filter_map(|d| d.hours)
        .reduce(pick)
}

/// A deadline in days as a lawyer counts them: a month is 30 days, a year 365, a week 7,
/// hours divided by 24.
fn days_of_deadline(d: &Deadline) -> Option<f64> {
    let amount = d.amount?;
    let per = match d.unit? {
        DeadlineUnit::Hours => 1.0 / 24.0,
        DeadlineUnit::Days | DeadlineUnit::BusinessDays => 1.0,
        DeadlineUnit::Weeks => 7.0,
        DeadlineUnit::Months => 30.0,
        DeadlineUnit::Years => 365.0,
    };
    Some(amount * per)
}

fn days_of(deadlines: &[&Deadline], pick: fn(f64, f64) -> f64) -> Option<f64> {
    deadlines
        .iter()
        .filter(is_time_limit)
        .filter_map(|d| days_of_deadline(d))
        .reduce(pick)
}

static SUB_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| pattern(&format!(r"^(?:[^\s]+ ){{0,3}}(?:{})", super::SUB)));
/// An objection allowed within the notice period.
static WITHIN_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:denne|varsels|samme) ?periode|inden for (?:varsels\w*|fristen|perioden)|i perioden|within the notice|during the notice|før (?:ændringen|ikrafttræden|den varslede)|before the (?:change|new)|inden (?:ændringen|den varslede|ikrafttræden)",
    )
});

pub(super) fn key_terms(record: &Record, wording: &Wording, found: &Sentences) -> KeyTerms {
    let parts = deadline_parts(record);
    let breach = processor_deadlines(record, &parts, DeadlineAction::NotifyBreach);
    let breach_notice_hours = hours_of(&breach, f64::min);
    let texts: Vec<String> = breach
        .iter()
        .map(|d| fold(&d.text))
        .chain(
            found
                .breach
                .iter()
                .map(|&s| wording.sentences[s].folded.clone()),
        )
        .collect();
    let qualitative = if texts.iter().any(|t| UNDUE_DELAY.is_match(t)) {
        Some("undue_delay")
    } else if texts.iter().any(|t| IMMEDIATELY.is_match(t)) {
        Some("immediately")
    } else {
        None
    };
    let breach_notice = if breach_notice_hours.is_some() {
        Some("hours".to_string())
    } else {
        qualitative.map(str::to_string)
    };
    let breach_notice_target = breach_notice_hours.is_some()
        && qualitative.is_some()
        && breach
            .iter()
            .filter(|d| d.hours.is_some())
            .all(|d| d.qualifier == Some(DeadlineQualifier::IfPossible));
    let about_subprocessors = |d: &Deadline| {
        d.topic.as_deref() == Some("subprocessors") || super::SUB_WORDS.is_match(&fold(&d.text))
    };
    // Advance notice of a new sub-processor; where no deadline says so by its action, a
    // processor's "at least N before" in the sub-processor clauses (a request for specific
    // approval, an announcement).
    let notice = days_of(
        &processor_deadlines(record, &parts, DeadlineAction::NotifySubprocessorChange),
        f64::min,
    )
    .or_else(|| {
        let before: Vec<&Deadline> = record
            .deadlines
            .iter()
            .filter(|d| d.action.is_none() && d.qualifier == Some(DeadlineQualifier::AtLeast))
            .filter(|d| {
                !matches!(
                    d.party,
                    Some(PartyRole::Controller | PartyRole::Subprocessor)
                )
            })
            .filter(|d| about_subprocessors(d))
            .collect();
        days_of(&before, f64::min)
    });
    let objection_deadlines: Vec<&Deadline> = record
        .deadlines
        .iter()
        .zip(&parts)
        .filter(|(d, (a, _))| *a == Some(DeadlineAction::Object) && about_subprocessors(d))
        .map(|(d, _)| d)
        .collect();
    let objection = days_of(&objection_deadlines, f64::min).or_else(|| {
        // "The controller may object within the notice period."
        found
            .objection
            .iter()
            .any(|&s| WITHIN_NOTICE.is_match(&wording.sentences[s].folded))
            .then_some(notice)
            .flatten()
    });
    let audit: Vec<&Deadline> = record
        .deadlines
        .iter()
        .filter(|d| d.action == Some(DeadlineAction::AuditNotice))
        .collect();
    let audit_notice = days_of(&audit, f64::min);

    let transfers: Vec<ReviewTransfer> = record
        .subprocessors
        .iter()
        .filter(|s| s.third_country == Some(true))
        .map(|s| ReviewTransfer {
            name: s.name.clone(),
            country: s.country.clone(),
            basis: s.transfer_basis.clone(),
            guessed: country_guessed(s),
        })
        .collect();
    let mut transfer_bases: Vec<String> = transfer_bases_named(wording);
    transfer_bases.sort();
    transfer_bases.dedup();

    let (mut governing_law, mut venue, mut term, mut termination) = (None, None, None, None);
    for s in &wording.sentences {
        if governing_law.is_none() && DANISH_LAW.is_match(&s.folded) && GOVERNED.is_match(&s.folded)
        {
            governing_law = Some("dansk ret".to_string());
        }
        if let Some(m) = VENUE.find(&s.text) {
            if venue.as_ref().is_none_or(|(named, _)| !named) {
                venue = Some((true, m.as_str().to_string()));
            }
        } else if venue.is_none() {
            if let Some(m) = COURTS.find(&s.text) {
                venue = Some((false, m.as_str().to_string()));
            }
        }
        if term.is_none() && TERM.is_match(&s.folded) {
            term = Some(clip(&s.text, 200));
        }
        let topics = &record.clauses[s.clause].topics;
        if termination.is_none()
            && topics.iter().any(|t| t == "term_termination")
            && TERMINATION.is_match(&s.folded)
            && !TERM.is_match(&s.folded)
        {
            termination = Some(clip(&s.text, 200));
        }
    }

    KeyTerms {
        processor: party(&record.parties.processor),
        controller: party(&record.parties.controller),
        version: record.version.clone(),
        date: record.date.clone(),
        breach_notice,
        breach_notice_hours,
        breach_notice_target,
        subprocessor_authorisation: super::authorisation_kind(wording, &found.authorisation)
            .or(found.implied_general.then_some("general"))
            .map(str::to_string),
        subprocessor_notice_days: notice,
        objection_days: objection,
        deletion_days: days_of(
            &processor_deadlines(record, &parts, DeadlineAction::DeleteReturn),
            f64::max,
        ),
        audit_notice_days: audit_notice,
        transfers,
        transfer_bases,
        governing_law,
        venue: venue.map(|(_, v)| v),
        term,
        termination,
    }
}

/// Transfer bases the wording names for transfers in general.
fn transfer_bases_named(wording: &Wording) -> Vec<String> {
    static BASES: LazyLock<Vec<(&str, Regex)>> = LazyLock::new(|| {
        vec![
            (
                "SCC",
                pattern(r"standardkontrakt\w*|standard contractual|\bscc\w*|standardbestemmelser"),
            ),
            (
                "adequacy",
                pattern(
                    r"tilstrækkelig\w* beskyttelsesniveau|tilstrækkelighedsafgørelse\w*|adequacy|art\w*\.? ?45\b",
                ),
            ),
            (
                "DPF",
                pattern(r"\bdpf\b|data privacy framework|privacy framework"),
            ),
            (
                "BCR",
                pattern(r"\bbcr\b|bindende virksomhedsregler|binding corporate rules"),
            ),
        ]
    });
    // The one transfer pattern of the cues: `overfør*` would fold to `overfor` ("towards").
    static TRANSFER: LazyLock<Regex> = LazyLock::new(|| pattern(super::TRANSFER));
    let mut out = Vec::new();
    for s in &wording.sentences {
        if !TRANSFER.is_match(&s.folded) {
            continue;
        }
        for (name, p) in BASES.iter() {
            if p.is_match(&s.folded) {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// Is a row's country only read off its company form (`Inc.` → US), with no address,
/// location or transfer stated?
fn country_guessed(s: &crate::record::Subprocessor) -> bool {
    s.address.is_none()
        && s.location.is_none()
        && s.transfer.is_none()
        && s.identifier.is_none()
        && s.country.is_some()
        && crate::extract::country::of_company_form(&s.name) == s.country.as_deref()
        && s.description
            .as_deref()
            .is_none_or(|d| crate::extract::country::named_in(d).is_none())
}
