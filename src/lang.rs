//! Language of a document: `whatlang`, corrected for the Danish/Norwegian confusion.
//!
//! `whatlang`'s trigram model mixes up Danish and Norwegian Bokmål on short or OCR-damaged
//! text. Function words and spellings settle it: Danish writes `af`, `efter`, `nogen`,
//! `mellem`, `oplysninger`, `aftale`; Bokmål `av`, `etter`, `noen`, `mellom`, `opplysninger`,
//! `avtale`. When `whatlang` answers with either language, those counts decide, and Danish is
//! only chosen with such evidence. Assumes the text is already normalised.

use std::collections::HashMap;

use whatlang::Lang;

use crate::record::Language;

/// How many letters a text needs before any language is claimed.
const MIN_LETTERS: usize = 40;
/// How much text is looked at (the start of a long agreement says enough).
const SAMPLE_CHARS: usize = 20_000;

const DANISH_ONLY: &[&str] = &[
    "af",
    "efter",
    "nogen",
    "noget",
    "mellem",
    "gennem",
    "oplysninger",
    "personoplysninger",
    "aftale",
    "aftalen",
    "aftaler",
    "sådan",
    "sådanne",
    "hvad",
    "blev",
    "bliver",
    "mig",
    "dig",
    "ligeledes",
    "medmindre",
    "ophør",
    "øvrigt",
    "underretning",
    "ændringer",
    "hvorvidt",
    "forpligtelser",
    "tredjelande",
];
const NORWEGIAN_ONLY: &[&str] = &[
    "av",
    "etter",
    "noen",
    "noe",
    "mellom",
    "gjennom",
    "opplysninger",
    "personopplysninger",
    "avtale",
    "avtalen",
    "avtaler",
    "slik",
    "slike",
    "hva",
    "ble",
    "blir",
    "blitt",
    "meg",
    "deg",
    "seg",
    "ikkje",
    "dersom",
    "behandlingsansvarlig",
    "behandlingsansvarlige",
    "forpliktelser",
];

/// Detect the language of a document's text.
pub fn detect(text: &str) -> Language {
    let sample: String = text.chars().take(SAMPLE_CHARS).collect();
    let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS {
        return undecided();
    }
    let Some(info) = whatlang::detect(&sample) else {
        return undecided();
    };
    let (danish, norwegian) = scandinavian_evidence(&sample);
    let code = match info.lang() {
        Lang::Dan | Lang::Nob | Lang::Swe => {
            let evidence = danish + norwegian;
            if evidence >= 3 && danish * 2 > norwegian * 3 {
                return Language {
                    code: "da".into(),
                    confidence: evidence_confidence(danish, norwegian),
                };
            }
            if evidence >= 3 && norwegian * 2 > danish * 3 {
                return Language {
                    code: "nb".into(),
                    confidence: evidence_confidence(norwegian, danish),
                };
            }
            // Too little evidence either way: keep whatlang's answer, but never call it Danish
            // on its word alone, since that is the direction of the known confusion.
            match info.lang() {
                Lang::Swe => "sv",
                _ => "nb",
            }
        }
        other => iso_639_1(other),
    };
    Language {
        code: code.into(),
        confidence: round2(info.confidence()),
    }
}

fn undecided() -> Language {
    Language {
        code: "und".into(),
        confidence: 0.0,
    }
}

/// Counts of Danish-only and Norwegian-only words in the text.
fn scandinavian_evidence(text: &str) -> (usize, usize) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_default() += 1;
    }
    let sum = |words: &[&str]| {
        words
            .iter()
            .map(|w| counts.get(*w).copied().unwrap_or(0))
            .sum()
    };
    (sum(DANISH_ONLY), sum(NORWEGIAN_ONLY))
}

fn evidence_confidence(for_: usize, against: usize) -> f64 {
    let share = for_ as f64 / (for_ + against) as f64;
    // Few words are weak evidence even when they all agree.
    let weight = (for_ as f64 / 10.0).min(1.0);
    round2(0.5 + 0.5 * share * weight)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The ISO 639-1 code for the languages contracts come in; ISO 639-3 for the rest.
fn iso_639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Dan => "da",
        Lang::Nob => "nb",
        Lang::Swe => "sv",
        Lang::Eng => "en",
        Lang::Deu => "de",
        Lang::Fra => "fr",
        Lang::Nld => "nl",
        Lang::Fin => "fi",
        Lang::Spa => "es",
        Lang::Ita => "it",
        Lang::Por => "pt",
        Lang::Pol => "pl",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DANISH: &str =
        "Databehandleren må kun behandle personoplysninger efter dokumenteret instruks \
        fra den dataansvarlige. Databehandleren skal straks underrette den dataansvarlige, hvis en \
        instruks efter databehandlerens opfattelse er i strid med databeskyttelsesforordningen. \
        Aftalen omfatter alle typer af oplysninger, som overlades til databehandleren.";
    const NORWEGIAN: &str =
        "Databehandleren skal kun behandle personopplysninger etter dokumentert \
        instruks fra den behandlingsansvarlige. Dersom databehandleren mener at en instruks er i \
        strid med personvernforordningen, skal databehandleren straks varsle den \
        behandlingsansvarlige. Avtalen gjelder alle typer av opplysninger som blir behandlet.";

    #[test]
    fn danish_is_danish() {
        let lang = detect(DANISH);
        assert_eq!(lang.code, "da");
        assert!(lang.confidence > 0.6, "{lang:?}");
    }

    #[test]
    fn norwegian_is_not_danish() {
        assert_eq!(detect(NORWEGIAN).code, "nb");
    }

    #[test]
    fn ocr_damaged_danish_stays_danish() {
        let damaged = DANISH
            .replace('ø', "g")
            .replace('å', "a")
            .replace('æ', "ae");
        assert_eq!(detect(&damaged).code, "da");
    }

    #[test]
    fn english_is_english() {
        let text = "The processor shall process personal data only on documented instructions \
            from the controller, including with regard to transfers of personal data to a third country.";
        assert_eq!(detect(text).code, "en");
    }

    #[test]
    fn too_short_is_undecided() {
        assert_eq!(detect("1.1 Aftale").code, "und");
    }
}
