//! Property tests over every stage with arbitrary input: no stage panics, and the invariants
//! hold. Inputs are arbitrary bytes, arbitrary Unicode, and — since uniformly random text rarely
//! looks like an agreement — agreement-like text: lines built from clause numbers, Danish DPA
//! words, digits, punctuation and OCR debris.

use aftale::extract;
use aftale::pipeline;
use aftale::record::{Clause, IdentifierKind, SourceFormat};
use aftale::source::{self, text_file, ReadOptions};

use aftale::{repair, search, segment, text};
use proptest::prelude::*;

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "1.",
            "2.1.",
            "3.4.2",
            "§ 7",
            "Bilag A",
            "A.1",
            "14.",
            "pkt. 9.1",
            "jf.",
            "CVR-nr.",
            "38120689",
            "30806883",
            "DK38120689",
            "senest",
            "48",
            "timer",
            "dage",
            "uden unødig forsinkelse",
            "Databehandleren",
            "dataansvarlige",
            "underdatabehandler",
            "personoplysninger",
            "Microsoft Ireland Operations Ltd",
            "A/S",
            "ApS",
            "Inc.",
            "USA",
            "Danmark",
            "EU",
            "1den",
            "geeldende",
            "OVERFZRSEL",
            "☒",
            "☐",
            "—",
            "•",
            "(",
            ")",
            ":",
            ",",
            "\n",
            "\n\n",
            "\u{c}",
            "-\n",
            "æ",
            "ø",
            "å",
            "Æ",
            "\u{ad}",
            "ﬁ",
            "e\u{301}",
        ])
        .prop_map(str::to_string),
        "[a-zæøåA-ZÆØÅ0-9 .,:;()/-]{1,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn agreement_like() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..120).prop_map(|t| t.join(" "))
}

fn clauses_of(text: &str) -> Vec<Clause> {
    let pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    segment::segment(&text::normalise(&pages))
}

/// The check-digit rule a CVR number reported valid must pass.
fn cvr_checks(digits: &str) -> bool {
    const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    d.len() == 8 && d.iter().zip(WEIGHTS).map(|(a, w)| a * w).sum::<u32>() % 11 == 0
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _ = text_file::decode(&bytes);
        let _ = source::read(&bytes, SourceFormat::Text, &ReadOptions::default());
    }

    #[test]
    fn normalising_keeps_a_consistent_page_map(pages in prop::collection::vec(".{0,300}", 0..5)) {
        let n = text::normalise(&pages);
        // A form feed inside a page text starts a new page; one at its very end only ends it.
        let expected: usize = pages
            .iter()
            .map(|p| p.strip_suffix('\u{c}').unwrap_or(p).split('\u{c}').count())
            .sum();
        prop_assert_eq!(n.page_starts.len(), expected);
        prop_assert!(n.page_starts.windows(2).all(|w| w[0] <= w[1]));
        prop_assert!(n.page_starts.iter().all(|&s| s <= n.text.len() && n.text.is_char_boundary(s)));
        prop_assert!(!n.text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
    }

    #[test]
    fn repair_never_panics_and_keeps_the_line_structure(s in agreement_like()) {
        let repaired = repair::repair(&s);
        prop_assert_eq!(repaired.lines().count(), s.lines().count());
    }

    #[test]
    fn clause_numbers_are_well_formed(s in agreement_like()) {
        for c in clauses_of(&s) {
            if let Some(n) = &c.number {
                prop_assert!(!n.is_empty() && !n.ends_with('.') && !n.starts_with('.'), "{n:?}");
                prop_assert!(!n.contains(".."), "{n:?}");
                prop_assert!(n.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric())), "{n:?}");
                prop_assert!(c.level >= 1);
            }
        }
    }

    #[test]
    fn extractors_never_panic_and_valid_identifiers_pass_their_check(s in agreement_like()) {
        let mut clauses = clauses_of(&s);
        extract::topics::tag(&mut clauses);
        let _ = extract::references::references(&clauses);
        let _ = extract::deadlines::deadlines(&clauses);
        let _ = extract::changelog::changelog(&clauses, &s);
        let _ = extract::categories::categories(&clauses);
        let _ = extract::metadata(&s);
        let (rows, _) = extract::subprocessors(&clauses);
        for id in extract::identifiers(&clauses) {
            if id.kind == IdentifierKind::Cvr && id.valid {
                prop_assert!(cvr_checks(&id.value), "{} reported valid", id.value);
            }
        }
        for row in rows {
            if let Some(id) = row.identifier.filter(|i| i.kind == IdentifierKind::Cvr && i.valid) {
                prop_assert!(cvr_checks(&id.value), "{} reported valid", id.value);
            }
        }
    }

    #[test]
    fn the_whole_pipeline_never_panics(s in agreement_like()) {
        let _ = pipeline::analyse("p.txt", s.as_bytes(), SourceFormat::Text, &ReadOptions::default());
    }

    #[test]
    fn query_parsing_never_panics(q in ".{0,80}", r in agreement_like()) {
        let _ = search::parse(&q);
        let _ = search::parse(&r);
        let _ = search::snippet(&r, std::slice::from_ref(&q), 60);
    }
}
