//! Clause topics: every clause gets canonical topic ids (`security`, `subprocessors`, …, the
//! ids of `fixtures/gold/README.md`) from the words of its heading and text.
//!
//! Method:
//! * Text is folded before matching: lower case, `æ`→`ae`, `ø`→`o`, `å`→`a`, `aa`→`a`, other
//!   accents dropped, everything that is not a letter becomes a space.
//! * A vocabulary of Danish and English stems per topic ([`VOCABULARY`]) is matched word by word.
//!   A stem matches a whole word, the start of a word (`underdatabehandl*` in
//!   `underdatabehandlerne`) or, marked so, anywhere in it (`*sikkerhedsbrud*` in
//!   `informationssikkerhedsbrud`); terms may be phrases of several words. Long stems tolerate
//!   OCR damage: edit distance 1 from 7 letters, 2 from 13 (`overfzrsel` for `overførsel`,
//!   `ansvarsbegreensning`), through a small bounded Levenshtein, unless the stem says not to
//!   (`tredjeland` would otherwise match `tredjemand`).
//! * Where terms overlap, the longest wins (`brud på datasikkerheden` is a breach, not security;
//!   `sikkerhedsbrud` is not `sikkerhed*`).
//! * A heading hit adds its topic outright. The body needs more: a score of 4, where a hit counts
//!   its term's weight (1–3), doubled in the first sentence; with a heading topic present, 6.
//!   Heading topics rank first, then body topics by score; at most [`MAX_TOPICS`] are kept.
//!
//! Inheritance ([`tag`]): a clause with no topics of its own gets its parent's (by the `parent`
//! number among earlier clauses); a top-level clause inside an appendix (after a `BILAG 3 - …`
//! heading clause, or an appendix heading line inside a clause text) counts that appendix as its
//! parent. A clause whose topics come from its body only (weak evidence) keeps its two best and
//! adds the parent's first topic: a sub-clause is nearly always also about its section. A generic
//! heading (`Indledning`, `Formål`) on a sub-clause says nothing about the section's subject, so
//! there the parent's topics take its place. The preamble is `parties_scope` first.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::record::Clause;

/// The canonical topic ids, in the order of the gold README.
/// A line that names an appendix: `BILAG 3 - DOKUMENTATION …`, `Bilag A`, `Appendix 2: …`.
static APPENDIX_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:BILAG|Bilag|APPENDIKS|Appendiks|APPENDIX|Appendix|ANNEX|Annex|ANNEKS|Anneks)\s+(?:\d{1,2}|[A-H]|[IVX]{1,4})\b\s*(?:[—–:.-]\s*(.*))?$")
        .expect("valid regex")
});

use crate::analysis::topics::*;

/// The title of an appendix heading (`BILAG 3 - DOKUMENTATION` → `DOKUMENTATION`), if `line` is one.
fn appendix_title(line: &str) -> Option<String> {
    APPENDIX_LINE
        .captures(line)
        .map(|c| c.get(1).map_or("", |m| m.as_str()).trim().to_string())
}

/// Tag every clause with canonical topic ids, from its heading and text (the repaired reading
/// where there is one). A sub-clause inherits its parent's topics unless its own wording says
/// otherwise.
pub fn tag(clauses: &mut [Clause]) {
    let mut matcher = Matcher::default();
    let mut by_number: HashMap<String, Vec<usize>> = HashMap::new();
    // Topics of the appendix the walk is in, once an appendix heading was seen.
    let mut appendix: Option<Vec<usize>> = None;
    let mut seen_numbered = false;
    for clause in clauses.iter_mut() {
        let heading = clause.reading_heading();
        let text = clause.reading_text();
        let appendix_heading = heading.and_then(appendix_title);
        let mut own = match &appendix_heading {
            // `BILAG 3 - DOKUMENTATION …`: the title says what the appendix is about.
            Some(title) => evidence(&mut matcher, Some(title), text).select(),
            None => own_topics(&mut matcher, heading, text),
        };
        let preamble = clause.number.is_none() && !seen_numbered && appendix_heading.is_none();
        let parent: Option<&Vec<usize>> =
            match clause.parent.as_ref().and_then(|p| by_number.get(p)) {
                Some(p) => Some(p),
                None if appendix_heading.is_none() => appendix.as_ref(),
                None => None,
            };
        let parent = parent.filter(|p| !p.is_empty());
        let parties = 0;
        // A generic heading (`Indledning`) on a sub-clause of a section with a subject.
        if parent.is_some()
            && clause.level >= 2
            && own.iter().any(|f| f.topic == parties && f.heading)
            && own.iter().all(|f| !f.heading || f.topic == parties)
        {
            own.retain(|f| f.topic != parties);
        }
        let mut topics: Vec<usize> = if preamble {
            std::iter::once(parties)
                .chain(own.iter().map(|f| f.topic).filter(|&t| t != parties))
                .collect()
        } else if own.is_empty() {
            parent.cloned().unwrap_or_default()
        } else if own.iter().any(|f| f.heading) {
            own.iter().map(|f| f.topic).collect()
        } else {
            // Body evidence only: the section's subject goes before all but strong body topics.
            let strong = own
                .iter()
                .filter(|f| f.score >= STRONG_BODY)
                .map(|f| f.topic);
            let weak = own
                .iter()
                .filter(|f| f.score < STRONG_BODY)
                .map(|f| f.topic);
            let mut topics: Vec<usize> = Vec::new();
            for t in strong
                .chain(parent.and_then(|p| p.first().copied()))
                .chain(weak)
            {
                if !topics.contains(&t) {
                    topics.push(t);
                }
            }
            topics
        };
        topics.truncate(MAX_TOPICS);

        if appendix_heading.is_some() {
            appendix = Some(topics.clone());
        }
        // An appendix heading line inside the text (the segmenter did not split there) starts
        // an appendix for the clauses that follow.
        if let Some(title) = text.lines().rev().find_map(appendix_title) {
            appendix = Some(
                evidence(&mut matcher, Some(&title), "")
                    .select()
                    .into_iter()
                    .map(|f| f.topic)
                    .collect(),
            );
        }
        if let Some(number) = &clause.number {
            seen_numbered = true;
            by_number.insert(number.clone(), topics.clone());
        }
        clause.topics = topics.into_iter().map(|t| TOPICS[t].to_string()).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline;
    use crate::record::SourceFormat;
    use crate::source::ReadOptions;
    use serde_json::Value;

    fn clause(number: Option<&str>, heading: Option<&str>, text: &str) -> Clause {
        Clause::new(number, heading, text)
    }

    fn first(heading: &str, text: &str) -> Option<String> {
        topics_of(Some(heading), text).into_iter().next()
    }

    #[test]
    fn folding() {
        assert_eq!(
            fold("OVERFØRSEL til tredjelande"),
            "overforsel til tredjelande"
        );
        assert_eq!(fold("Ændring af instruksen"), "aendring af instruksen");
        assert_eq!(fold("Haandtering, pkt. 9.1"), "handtering pkt");
        assert_eq!(fold("EU/EØS"), "eu eos");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn bounded_levenshtein() {
        assert!(within_distance(
            b"overforsel",
            b"overfzrsel",
            1,
            false,
            true
        ));
        assert!(within_distance(
            b"ansvarsbegraens",
            b"ansvarsbegreensninger",
            2,
            false,
            true
        ));
        assert!(!within_distance(
            b"tredjeland",
            b"tredjemand",
            0,
            false,
            true
        ));
        assert!(within_distance(
            b"sikkerhedsbrud",
            b"informationssikkerhedsbrud",
            0,
            true,
            true
        ));
        assert!(!within_distance(
            b"erstatning",
            b"erstatter",
            1,
            false,
            true
        ));
        assert!(!within_distance(b"", b"abc", 0, false, false));
        assert!(within_distance(b"abc", b"", 3, false, false));
    }

    #[test]
    fn headings_from_the_gold() {
        let cases = [
            ("Sikkerhedsbrud", "breach_notification"),
            ("Underdatabehandlere", "subprocessors"),
            (
                "OVERFZRSEL TIL TREDJELANDE OG INTERNATIONALE ORGANISATIONER",
                "third_country_transfer",
            ),
            ("Instruks", "instructions"),
            ("DATABEHANDLING UDENFOR INSTRUKSEN", "instructions"),
            ("/ENDRING AF INSTRUKSEN", "instructions"),
            ("Datasikkerhed", "security"),
            (
                "Tekniske og organisatoriske sikkerhedsforanstaltninger",
                "security",
            ),
            (
                "SPECIFIKKE TEKNISKE OG ORGANISATORISKE SIKKERHEDSKRAV",
                "security",
            ),
            ("Fortrolighed", "confidentiality"),
            ("Tilsyn", "audit"),
            ("Dokumentation for overholdelse af forpligtelser", "audit"),
            ("GENEREL DOKUMENTATION TIL DEN DATAANSVARLIGE", "audit"),
            ("Tilbagelevering", "deletion_return"),
            ("Sletning", "deletion_return"),
            ("Varighed", "term_termination"),
            ("Forrang", "precedence"),
            ("ANSVAR OG ANSVARSBEGRAENSNINGER", "liability"),
            ("Ansvar og ansvarsbegreensning", "liability"),
            ("Bistand", "assistance"),
            ("DEN DATAANSVARLIGES FORPLIGTELSE", "controller_obligations"),
            ("FORCE MAJEURE", "force_majeure"),
            ("TVISTLØSNING", "disputes"),
            ("TVISTLASNING", "disputes"),
            ("Lovvalg og værneting", "disputes"),
            ("Indledning", "parties_scope"),
            ("Omfang", "parties_scope"),
            ("Baggrund", "parties_scope"),
            ("Formål", "parties_scope"),
            // Datatilsynet's standard contractual clauses and English equivalents.
            (
                "Underretning om brud på persondatasikkerheden",
                "breach_notification",
            ),
            (
                "Overførsel af oplysninger til tredjelande eller internationale organisationer",
                "third_country_transfer",
            ),
            (
                "Sletning og tilbagelevering af oplysninger",
                "deletion_return",
            ),
            ("Revision, herunder inspektion", "audit"),
            ("Bistand til den dataansvarlige", "assistance"),
            ("Behandlingssikkerhed", "security"),
            ("Personal data breach notification", "breach_notification"),
            ("Sub-processors", "subprocessors"),
            ("International transfers", "third_country_transfer"),
            ("Audit rights", "audit"),
            ("Deletion of data", "deletion_return"),
            ("Confidentiality", "confidentiality"),
            ("Limitation of liability", "liability"),
            ("Governing law and jurisdiction", "disputes"),
            ("Term and termination", "term_termination"),
            ("Den dataansvarlige", "controller_obligations"),
        ];
        let mut wrong = Vec::new();
        for (heading, want) in cases {
            let got = topics_of(Some(heading), "");
            if got.first().map(String::as_str) != Some(want) {
                wrong.push(format!("{heading}: {got:?}, want {want}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn body_needs_stronger_evidence() {
        // One weak word late in the text is not enough.
        assert!(topics_of(
            None,
            "Databehandleren behandler personoplysninger. Den dataansvarlige har ansvaret for varigheden."
        )
        .is_empty());
        // A specific phrase in the first sentence is.
        assert_eq!(
            topics_of(
                None,
                "Ved anmodning om indsigt i de behandlede personoplysninger fra en registreret skal \
                 Databehandleren videregive anmodningen."
            ),
            ["data_subject_rights"]
        );
        assert_eq!(
            first(
                "Geografisk afgrænsning",
                "Behandlingen må alene foretages indenfor den Europæiske Union (EU) og det \
                 Europæiske Økonomiske Samarbejdsområde (EØS)."
            )
            .as_deref(),
            Some("third_country_transfer")
        );
        assert_eq!(
            topics_of(
                Some("Medarbejderforhold"),
                "Databehandleren skal sikre, at medarbejdere har forpligtet sig til fortrolighed \
                 eller er underlagt en passende lovbestemt tavshedspligt."
            ),
            ["confidentiality"]
        );
    }

    #[test]
    fn overlaps_go_to_the_longest_term() {
        let t = topics_of(
            None,
            "Databehandleren skal underrette den dataansvarlige om brud på datasikkerheden uden \
             unødig forsinkelse.",
        );
        assert_eq!(t.first().map(String::as_str), Some("breach_notification"));
        assert!(!t.contains(&"security".to_string()), "{t:?}");
        // `overfor` (towards) is not `overføre` (transfer), `tredjemand` not `tredjeland`.
        assert!(topics_of(
            None,
            "Databehandleren er ansvarlig overfor den dataansvarlige og overfor tredjemand."
        )
        .is_empty());
        // `tilsynsmyndighed` is an authority, not an audit.
        assert!(topics_of(None, "Anmeldelse til en tilsynsmyndighed.").is_empty());
    }

    #[test]
    fn inheritance() {
        let mut clauses = vec![
            clause(None, None, "Databehandleraftale\nVersion 1.0"),
            clause(Some("1"), Some("Indledning"), ""),
            clause(Some("1.1"), None, "Aftalen gælder for ydelserne."),
            clause(Some("2"), Some("Underdatabehandlere"), ""),
            clause(
                Some("2.1"),
                None,
                "Databehandleren orienterer den dataansvarlige.",
            ),
            clause(
                Some("2.2"),
                None,
                "Databehandleren skal tillade revision og inspektion hos underdatabehandlere.",
            ),
            clause(Some("2.3"), Some("Indledning"), "Tekst."),
            clause(None, Some("BILAG 3 - DOKUMENTATION FOR OVERHOLDELSE"), ""),
            clause(Some("16"), Some("FYSISK MØDE HOS DATABEHANDLEREN"), ""),
            clause(Some("16.1"), None, "Et møde afregnes til timepris."),
        ];
        tag(&mut clauses);
        let topics: Vec<Vec<String>> = clauses.iter().map(|c| c.topics.clone()).collect();
        assert_eq!(topics[0], ["parties_scope"]);
        assert_eq!(topics[1], ["parties_scope"]);
        assert_eq!(topics[2], ["parties_scope"]);
        assert_eq!(topics[3], ["subprocessors"]);
        assert_eq!(topics[4], ["subprocessors"]);
        assert_eq!(topics[5], ["audit", "subprocessors"]);
        assert_eq!(topics[6], ["subprocessors"]);
        assert_eq!(topics[7], ["audit"]);
        assert_eq!(topics[8], ["audit"]);
        assert_eq!(topics[9], ["audit"]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in ["", " ", "\n\n", "....", "æøå ÆØÅ", "§§§ 1.2.3", "ﬁ ß ẞ"] {
            let _ = topics_of(Some(text), text);
            let _ = topics_of(None, text);
        }
        let mut clauses = vec![clause(Some("1.1"), None, "brud")];
        tag(&mut clauses);
        tag(&mut []);
    }

    fn repo(path: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
    }

    fn analysed(document: &str) -> Vec<Clause> {
        analysed_with(document, &|t| t.to_string())
    }

    /// The clauses of a corpus document, its text changed by `damage` first, tagged.
    fn analysed_with(document: &str, damage: &dyn Fn(&str) -> String) -> Vec<Clause> {
        let path = repo(&format!("corpus/{document}"));
        let text = damage(&std::fs::read_to_string(&path).unwrap());
        let record = pipeline::analyse(
            &path.to_string_lossy(),
            text.as_bytes(),
            SourceFormat::Text,
            &ReadOptions::default(),
        )
        .unwrap();
        let mut clauses = record.clauses;
        tag(&mut clauses);
        clauses
    }

    /// Accuracy over the gold `topic`s of one seed, scored like the gold README: a gold clause
    /// `n` with topic `t` is right if `t` is among the topics of clause `n` or of a clause
    /// numbered `n.…`.
    fn gold_accuracy(seed: &str, damage: &dyn Fn(&str) -> String) -> (f64, usize, Vec<String>) {
        let gold: Value = serde_json::from_str(
            &std::fs::read_to_string(repo(&format!("fixtures/gold/seed-{seed}.json"))).unwrap(),
        )
        .unwrap();
        let clauses = analysed_with(gold["document"].as_str().unwrap(), damage);
        let mut total = 0;
        let mut misses = Vec::new();
        for g in gold["clauses"].as_array().unwrap() {
            let (Some(n), Some(t)) = (g["number"].as_str(), g["topic"].as_str()) else {
                continue;
            };
            total += 1;
            let prefix = format!("{n}.");
            let hit = clauses.iter().any(|c| {
                c.number
                    .as_deref()
                    .is_some_and(|m| m == n || m.starts_with(&prefix))
                    && c.topics.iter().any(|x| x == t)
            });
            if !hit {
                let got = clauses
                    .iter()
                    .find(|c| c.number.as_deref() == Some(n))
                    .map(|c| c.topics.clone());
                misses.push(format!("{n}: want {t}, got {got:?}"));
            }
        }
        let accuracy = if total == 0 {
            1.0
        } else {
            (total - misses.len()) as f64 / total as f64
        };
        (accuracy, total, misses)
    }

    #[test]
    fn gold_topic_accuracy() {
        for seed in ["000", "001", "002"] {
            let (accuracy, total, misses) = gold_accuracy(seed, &|t| t.to_string());
            println!("seed {seed}: topic accuracy {accuracy:.3} over {total}; misses {misses:?}");
            assert!(
                accuracy >= 0.9,
                "seed {seed}: {accuracy:.3}, misses {misses:#?}"
            );
        }
    }

    /// The clean document with the OCR confusions seen in the scanned one (`ø` → `g`/`z`,
    /// `æ` → `ee`, `å` → `a`, `Æ` → `/E`) keeps its topics.
    #[test]
    fn gold_topic_accuracy_under_ocr_damage() {
        let damage = |text: &str| -> String {
            text.chars()
                .enumerate()
                .map(|(i, c)| match c {
                    'ø' if i % 2 == 0 => "g".to_string(),
                    'ø' => "z".to_string(),
                    'Ø' => "Z".to_string(),
                    'æ' => "ee".to_string(),
                    'Æ' => "/E".to_string(),
                    'å' => "a".to_string(),
                    'Å' => "A".to_string(),
                    c => c.to_string(),
                })
                .collect()
        };
        let (accuracy, total, misses) = gold_accuracy("002", &damage);
        println!("seed 002 damaged: topic accuracy {accuracy:.3} over {total}; misses {misses:?}");
        assert!(accuracy >= 0.9, "{accuracy:.3}, misses {misses:#?}");
    }

    #[test]
    fn precision_on_the_clean_document() {
        let clauses = analysed("002_57dfb51f510d3c48.txt");
        for c in &clauses {
            println!(
                "{:>5} {:<30} {:?}",
                c.number.as_deref().unwrap_or("-"),
                c.heading.as_deref().unwrap_or(""),
                c.topics
            );
        }
        let at_most_three = clauses.iter().filter(|c| c.topics.len() <= 3).count();
        assert!(at_most_three * 10 >= clauses.len() * 9);
        let preamble = clauses.iter().find(|c| c.number.is_none()).unwrap();
        assert_eq!(preamble.topics, ["parties_scope"]);
        for n in ["1", "2", "3", "4"] {
            let c = clauses
                .iter()
                .find(|c| c.number.as_deref() == Some(n))
                .unwrap();
            assert_eq!(c.topics, ["parties_scope"], "clause {n}");
        }
    }

    #[test]
    fn topics_are_named_by_id_or_danish_name_and_typos_are_refused() {
        use super::{topic_from_user, TOPICS, TOPIC_NAMES};
        assert_eq!(TOPIC_NAMES.map(|(id, _)| id), TOPICS);
        assert_eq!(
            topic_from_user("Breach_Notification"),
            Ok("breach_notification")
        );
        assert_eq!(
            topic_from_user("breach notification"),
            Ok("breach_notification")
        );
        assert_eq!(topic_from_user("Underdatabehandlere"), Ok("subprocessors"));
        assert_eq!(
            topic_from_user("overforsel til tredjelande"),
            Ok("third_country_transfer")
        );
        let e = topic_from_user("breach").unwrap_err();
        assert!(
            e.contains("did you mean breach_notification") && e.contains("audit"),
            "{e}"
        );
        assert!(topic_from_user("").is_err());
    }
}
