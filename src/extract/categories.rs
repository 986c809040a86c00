//! Personal-data categories and data-subject categories with their tick boxes.
//!
//! Appendix A of the standard Danish agreement lists the kinds of personal data under group
//! headings (`Almindelige personoplysninger (jf. … artikel 6):`, `Følsomme personoplysninger
//! (… artikel 9):`, straffedomme/lovovertrædelser (artikel 10), CPR-nummer (§ 11)) and the
//! data subjects under `Kategorier af registrerede`, one item a line with a tick box:
//! `☒ Navn` (ticked), `☐ Telefonnummer` (empty). OCR turns the boxes into `o`, `[`, `[0`, `[J`
//! or a separate column (`oooooooogd`); such items come out with `checked: None`, as do plain
//! list lines under a group heading and the examples a heading gives inline (`…, herunder
//! navne, adresser`).
//!
//! Lines are read clause by clause; a group heading sets the group for the items below it
//! until the next heading, and a clause heading starts afresh.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::{fold_as, Folding};

fn fold(s: &str) -> String {
    fold_as(s, Folding::TOKEN)
}
use crate::record::{Clause, DataCategory};

/// Longest item name taken from a plain (box-less) line.
const MAX_ITEM_CHARS: usize = 100;

static ARTICLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bart(?:ikel|\.)?\s*(\d{1,2})\b").expect("valid regex"));
static PARAGRAPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"§\s*(\d{1,2})\b").expect("valid regex"));
static SUBJECTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:kategori\w*|typer|grupper)\s+af\s+(?:de\s+)?registrerede\b|^registrerede\b|^de registrerede\s*:")
        .expect("valid regex")
});
/// OCR remains of a tick box at the start of a line.
static OCR_BOX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\[[0OoJjIl1|xX]?\]?|[oO0©®¢]|Cl|C\]|D)\s+(\S.*)$").expect("valid regex")
});
/// `a) `, `1. ` before a list line.
static LIST_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[a-zæøå]\)|\d{1,2}[.)])\s+").expect("valid regex"));
/// A column of OCR'd boxes on its own line (`oooooooogd`).
static BOX_COLUMN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[oO0gdDQ\[\]J|©®☐☒□■\s]{2,}$").expect("valid regex"));

/// What the lines under the last heading list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    None,
    Data,
    Subjects,
}

/// Group of personal data set by a heading. `Para8` (databeskyttelseslovens § 8) holds
/// criminal offences and other purely private matters: only the former are `art10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Unknown,
    Art6,
    Art9,
    Art10,
    Cpr,
    Para8,
}

struct State {
    mode: Mode,
    group: Group,
    /// The last heading ended in `:` and only list lines followed: plain lines are items.
    list: bool,
}

/// The categories found so far, and their keys (subjects?, folded name, group) for dedup.
#[derive(Default)]
struct Lists {
    data: Vec<DataCategory>,
    subjects: Vec<DataCategory>,
    seen: HashSet<(bool, String, Option<String>)>,
}

/// Personal-data categories and data-subject categories with their tick boxes.
pub fn categories(clauses: &[Clause]) -> (Vec<DataCategory>, Vec<DataCategory>) {
    let mut lists = Lists::default();
    let mut state = State {
        mode: Mode::None,
        group: Group::Unknown,
        list: false,
    };
    for clause in clauses {
        if let Some(h) = clause.reading_heading() {
            state = State {
                mode: Mode::None,
                group: Group::Unknown,
                list: false,
            };
            heading_line(&mut state, h, true);
            state.list = state.mode != Mode::None && h.trim_end().ends_with(':');
        } else {
            // Plain lines are items only right under their heading, not in the next clause.
            state.list = false;
        }
        let text = clause.reading_text();
        let mut first = true;
        for paragraph in text.split("\n\n") {
            let lines: Vec<&str> = paragraph
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            if lines.is_empty() {
                continue;
            }
            // `Almindelige personoplysninger (…), herunder navne,\nadresser mv.`
            let opens_with_group = lines.first().is_some_and(|l| group_of(&fold(l)).is_some());
            if opens_with_group && lines.iter().all(|l| item_of(l, &state).is_none()) {
                let joined = lines.join(" ");
                if let Some(examples) = inline_examples(&joined) {
                    heading_line(&mut state, &joined, true);
                    state.list = false;
                    for name in examples {
                        push(&mut lists, &state, name, None, clause);
                    }
                    first = false;
                    continue;
                }
            }
            for line in lines {
                if BOX_COLUMN.is_match(line) && !line.chars().any(char::is_whitespace) {
                    continue;
                }
                let opening = first && clause.heading.is_none();
                first = false;
                if let Some((name, checked)) = item_of(line, &state) {
                    let boxed = checked.is_some() || !state.list;
                    // A clause that opens with a plain line does not continue the last list.
                    if state.mode != Mode::None && (boxed || !opening) {
                        push(&mut lists, &state, name, checked, clause);
                    }
                    continue;
                }
                match heading_line(&mut state, line, false) {
                    Heading::Group => state.list = line.trim_end().ends_with(':'),
                    Heading::Sub if !opening => state.list = true,
                    _ if opening => {
                        // A clause that opens with prose starts afresh.
                        state.mode = Mode::None;
                        state.list = false;
                    }
                    _ => state.list = false,
                }
            }
        }
    }
    (lists.data, lists.subjects)
}

/// The item a line lists, with its box: ticked, empty, or unreadable (`None`).
fn item_of(line: &str, state: &State) -> Option<(String, Option<bool>)> {
    let line = line.trim();
    let mut chars = line.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    let checked = match first {
        '☒' | '☑' | '✓' | '✔' | '✗' | '✘' | '■' | '⊠' | '⌧' | '▣' => {
            Some(Some(true))
        }
        '☐' | '□' | '◻' | '❏' | '❑' | '▢' => Some(Some(false)),
        _ => None,
    };
    if let Some(c) = checked {
        return clean_name(rest).map(|n| (n, c));
    }
    for (prefix, c) in [
        ("[x]", Some(true)),
        ("[X]", Some(true)),
        ("(x)", Some(true)),
        ("(X)", Some(true)),
        ("[ ]", Some(false)),
        ("( )", Some(false)),
        ("[]", Some(false)),
    ] {
        if let Some(r) = line.strip_prefix(prefix) {
            return clean_name(r).map(|n| (n, c));
        }
    }
    if state.mode == Mode::None {
        return None;
    }
    if let Some(c) = OCR_BOX.captures(line) {
        return clean_name(c.get(1)?.as_str()).map(|n| (n, None));
    }
    if let Some(r) = line
        .strip_prefix(['•', '-', '–', '*', '·', '▪'])
        .filter(|r| r.starts_with(' '))
    {
        return clean_name(r).map(|n| (n, None));
    }
    if state.list && is_plain_item(line) {
        let line = LIST_MARK.replace(line, "");
        return clean_name(&line).map(|n| (n, None));
    }
    None
}

/// A short list line: not a heading (`…:`), not a sentence of prose.
fn is_plain_item(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let lower = line.to_lowercase();
    let sentence_end = line.ends_with('.')
        && !["m.v.", "mv.", "etc.", "m.m.", "o.l."]
            .iter()
            .any(|e| lower.ends_with(e));
    line.chars().count() <= MAX_ITEM_CHARS
        && words <= 14
        && !line.ends_with(':')
        && !sentence_end
        && line.chars().next().is_some_and(char::is_alphabetic)
}

fn clean_name(s: &str) -> Option<String> {
    let name = s
        .trim()
        .trim_end_matches([';', ',', '_'])
        .trim_end_matches(" og")
        .trim_end_matches(" eller")
        .trim();
    let ok = !name.is_empty()
        && name.chars().count() <= 160
        && !name.ends_with(':')
        && name.chars().any(char::is_alphabetic);
    ok.then(|| name.to_string())
}

/// How strongly a line reads as a list heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    /// Not a heading.
    No,
    /// A line ending in `:` under an open list (`Andre rent private forhold …:`).
    Sub,
    /// Names a group, the data subjects, or introduces personal data (`… personoplysninger:`).
    Group,
}

/// Read a line as a heading and set the mode and group it names. `clause_heading` lets a
/// short clause heading (`Typen af personoplysninger`) open a list without a colon.
fn heading_line(state: &mut State, line: &str, clause_heading: bool) -> Heading {
    let f = fold(line);
    let colon = line.trim_end().ends_with(':');
    if SUBJECTS.is_match(&f) {
        state.mode = Mode::Subjects;
        state.group = Group::Unknown;
        return Heading::Group;
    }
    let short = line.chars().count() <= 200;
    if let Some(g) =
        group_of(&f).filter(|_| short && (colon || clause_heading || f.contains("(jf")))
    {
        state.mode = Mode::Data;
        state.group = g;
        return Heading::Group;
    }
    let about_data = f.contains("personoplysning") || f.contains("oplysninger om");
    if about_data && short && (colon || (clause_heading && line.chars().count() <= 120)) {
        state.mode = Mode::Data;
        state.group = Group::Unknown;
        return Heading::Group;
    }
    if state.mode != Mode::None && colon {
        if state.mode == Mode::Data {
            state.group = Group::Unknown;
        }
        return Heading::Sub;
    }
    Heading::No
}

/// The group a (folded) heading names.
fn group_of(f: &str) -> Option<Group> {
    let about_data = f.contains("oplysning")
        || f.contains("personopl")
        || f.contains("data")
        || f.contains("forhold");
    if about_data {
        if let Some(n) = ARTICLE.captures(f).and_then(|c| c[1].parse::<u32>().ok()) {
            match n {
                6 => return Some(Group::Art6),
                9 => return Some(Group::Art9),
                10 => return Some(Group::Art10),
                _ => {}
            }
        }
        if let Some(n) = PARAGRAPH.captures(f).and_then(|c| c[1].parse::<u32>().ok()) {
            match n {
                11 => return Some(Group::Cpr),
                8 => return Some(Group::Para8),
                7 => return Some(Group::Art9),
                _ => {}
            }
        }
    }
    if f.contains("cpr") && (about_data || f.contains("nummer") || f.contains("numre")) {
        return Some(Group::Cpr);
    }
    // `Følsomme` (OCR `Fglsomme`), `særlige kategorier`
    let sensitive = f.split(|c: char| !c.is_alphanumeric()).any(|w| {
        w.len() >= 8 && w.starts_with('f') && w.get(2..).is_some_and(|r| r.starts_with("lsomme"))
    });
    if sensitive || f.contains("saerlige kategorier") {
        return Some(Group::Art9);
    }
    if f.contains("straffedom") || f.contains("lovovertr") || f.contains("strafbare") {
        return Some(Group::Art10);
    }
    if f.contains("almindelige") && about_data {
        return Some(Group::Art6);
    }
    None
}

/// `…, herunder navne, adresser, telefonnumre, mailadresser mv.` on a group heading.
fn inline_examples(paragraph: &str) -> Option<Vec<String>> {
    let f = fold(paragraph);
    group_of(&f)?;
    let pos = paragraph.find("herunder")?;
    let list = paragraph.get(pos + "herunder".len()..)?;
    let list = list
        .trim()
        .trim_end_matches('.')
        .trim_end_matches(" m.v")
        .trim_end_matches(" mv")
        .trim_end_matches(" etc")
        .trim_end_matches(" m.m");
    let names: Vec<String> = list
        .split([',', ';'])
        .flat_map(|p| p.split(" og "))
        .filter_map(clean_name)
        .filter(|n| n.split_whitespace().count() <= 5)
        .collect();
    (!names.is_empty()).then_some(names)
}

fn push(lists: &mut Lists, state: &State, name: String, checked: Option<bool>, clause: &Clause) {
    let subjects = match state.mode {
        Mode::None => return,
        Mode::Data => false,
        Mode::Subjects => true,
    };
    let key = fold(&name);
    let group = if subjects {
        None
    } else {
        group_name(state.group, &key)
    };
    if !lists.seen.insert((subjects, key, group.clone())) {
        return;
    }
    let list = if subjects {
        &mut lists.subjects
    } else {
        &mut lists.data
    };
    list.push(DataCategory {
        name,
        checked,
        group,
        clause: clause.number.clone(),
    });
}

/// The group of one item: the heading's, unless the item itself says CPR or crime.
fn group_name(group: Group, item: &str) -> Option<String> {
    let crime = item.contains("straf") || item.contains("lovovertr");
    let cpr = item.contains("cpr") || item.contains("personnummer");
    let g = match group {
        Group::Art6 => "art6",
        Group::Art9 => "art9",
        Group::Art10 => "art10",
        Group::Cpr => "cpr",
        Group::Para8 | Group::Unknown if crime => "art10",
        Group::Unknown if cpr => "cpr",
        Group::Para8 | Group::Unknown => return None,
    };
    Some(g.to_string())
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

    fn names(list: &[DataCategory]) -> Vec<(&str, Option<bool>, Option<&str>)> {
        list.iter()
            .map(|c| (c.name.as_str(), c.checked, c.group.as_deref()))
            .collect()
    }

    #[test]
    fn ticked_and_empty_boxes_under_group_headings() {
        let c = clause(
            "A.1.3",
            Some("Behandlingen omfatter følgende typer af personoplysninger om de registrerede"),
            "Almindelige personoplysninger (jf. Databeskyttelsesforordningens artikel 6):\n\n☒ Navn\n☐ Adresse\n[x] E-mail\n[ ] Telefonnummer\nFølsomme personoplysninger (jf. Databeskyttelsesforordningens artikel 9):\n\n☒ Politisk overbevisning\n☐ Seksuelle forhold\n\nOplysninger om enkeltpersoners rent private forhold (jf. Databeskyttelseslovens § 8):\n\n☒ Strafbare forhold\n☒ Væsentlige sociale problemer\n\nAndre rent private forhold, som ikke er nævnt ovenfor:\n\n☐ Andre private forhold\n\nOplysninger om CPR-nummer (jf. Databeskyttelseslovens § 11):\n\n☒ CPR-numre",
        );
        let (data, subjects) = categories(&[c]);
        assert!(subjects.is_empty());
        assert_eq!(
            names(&data),
            [
                ("Navn", Some(true), Some("art6")),
                ("Adresse", Some(false), Some("art6")),
                ("E-mail", Some(true), Some("art6")),
                ("Telefonnummer", Some(false), Some("art6")),
                ("Politisk overbevisning", Some(true), Some("art9")),
                ("Seksuelle forhold", Some(false), Some("art9")),
                ("Strafbare forhold", Some(true), Some("art10")),
                ("Væsentlige sociale problemer", Some(true), None),
                ("Andre private forhold", Some(false), None),
                ("CPR-numre", Some(true), Some("cpr")),
            ]
        );
        assert!(data.iter().all(|c| c.clause.as_deref() == Some("A.1.3")));
    }

    #[test]
    fn data_subjects_under_kategorier_af_registrerede() {
        let c = clause(
            "A.1.4",
            Some("Behandlingen omfatter følgende kategorier af registrerede"),
            "Kategorier af registrerede, identificerede eller identificerbare fysiske personer, som\ndatabehandlerens behandlinger vedrører:\n\n☒ Ansatte\n☐ Børn\n☒ Den dataansvarliges egne kunder",
        );
        let (data, subjects) = categories(&[c]);
        assert!(data.is_empty());
        assert_eq!(
            names(&subjects),
            [
                ("Ansatte", Some(true), None),
                ("Børn", Some(false), None),
                ("Den dataansvarliges egne kunder", Some(true), None),
            ]
        );
    }

    #[test]
    fn ocr_boxes_and_box_columns_are_unknown() {
        let clauses = [
            clause(
                "14.3.5.2",
                None,
                "Almindelige personoplysninger (jf. Databeskyttelsesforordningens artikel 6), herunder navne,\nadresser, telefonnumre, mailadresser mv.",
            ),
            clause(
                "14.3.5.3",
                None,
                "Fglsomme personoplysninger om (jf. Databeskyttelsesforordningens artikel 9):\n\nRace eller etnisk oprindelse\n\nPolitisk overbevisning\n\nHelbredsoplysninger, herunder misbrug af medicin, narkotika, alkohol m.v.\n\noooooooogd",
            ),
            clause(
                "14.3.5.4",
                None,
                "Personoplysninger om straffedomme og lovovertraedelser (jf. Databeskyttelsesforordningens artikel 10):\n\n[ straffedomme\n[0 Lovovertreedelser",
            ),
            clause(
                "14.3.5.5",
                Some("Oplysninger om cpr-nummer (jf. Databeskyttelseslovens § 11)"),
                "[J CPR-numre",
            ),
            clause("14.3.6", Some("Tredjelande"), "o Databehandleren må ikke overføre."),
        ];
        let (data, subjects) = categories(&clauses);
        assert!(subjects.is_empty());
        assert_eq!(
            names(&data),
            [
                ("navne", None, Some("art6")),
                ("adresser", None, Some("art6")),
                ("telefonnumre", None, Some("art6")),
                ("mailadresser", None, Some("art6")),
                ("Race eller etnisk oprindelse", None, Some("art9")),
                ("Politisk overbevisning", None, Some("art9")),
                (
                    "Helbredsoplysninger, herunder misbrug af medicin, narkotika, alkohol m.v.",
                    None,
                    Some("art9")
                ),
                ("straffedomme", None, Some("art10")),
                ("Lovovertreedelser", None, Some("art10")),
                ("CPR-numre", None, Some("cpr")),
            ]
        );
    }

    #[test]
    fn prose_and_other_lists_are_not_categories() {
        let clauses = [
            clause(
                "1.3",
                None,
                "Databehandleraftalen skal sikre overholdelse af den persondataretlige regulering, herunder navnlig:\n\na) Persondataforordningen\nb) Databeskyttelsesloven",
            ),
            clause(
                "C.1.1.2",
                None,
                "Procedurer for audits ved behandling af\npersonoplysninger, som er overladt til databehandleren.\n\n• Seneste version af ISAE 3402-erklæringen.\n• Informationssikkerhedspolitik.",
            ),
            clause("3.5", Some("Bistand"), "- Forpligtelsen til at anmelde brud\n- Besvarelser til registrerede"),
        ];
        let (data, subjects) = categories(&clauses);
        assert!(data.is_empty(), "{data:?}");
        assert!(subjects.is_empty(), "{subjects:?}");
    }

    #[test]
    fn a_list_continues_into_the_next_clause_only_with_boxes() {
        let clauses = [
            clause(
                "A.1.3",
                None,
                "Følsomme personoplysninger (jf. artikel 9):\n☒ Politisk overbevisning",
            ),
            clause("A.1.3.1", None, "☐ Seksuelle forhold"),
        ];
        let (data, _) = categories(&clauses);
        assert_eq!(
            names(&data),
            [
                ("Politisk overbevisning", Some(true), Some("art9")),
                ("Seksuelle forhold", Some(false), Some("art9")),
            ]
        );
    }

    #[test]
    fn gold_categories_of_seed_000() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let path = format!("{dir}/corpus/000_5dc22579b8fec684.txt");
        let bytes = std::fs::read(&path).expect("seed");
        let record =
            analyse(&path, &bytes, SourceFormat::Text, &ReadOptions::default()).expect("analyses");
        let (data, subjects) = categories(&record.clauses);
        let gold: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{dir}/fixtures/gold/seed-000.json")).expect("gold"),
        )
        .expect("gold json");
        for (key, found) in [
            ("data_categories_checked", &data),
            ("data_subjects_checked", &subjects),
        ] {
            let want: Vec<&str> = gold[key]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            let hits = want
                .iter()
                .filter(|w| {
                    found
                        .iter()
                        .any(|c| c.name == **w && c.checked == Some(true))
                })
                .count();
            let extra = found
                .iter()
                .filter(|c| !want.contains(&c.name.as_str()))
                .count();
            println!(
                "seed 000: {key} {hits}/{} found checked, {} extra",
                want.len(),
                extra
            );
            assert_eq!(hits, want.len(), "{key}");
            assert_eq!(extra, 0, "{key}");
        }
    }

    #[test]
    fn seed_001_lists_its_art9_categories_with_unknown_boxes() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let path = format!("{dir}/corpus/001_a01309c27944fe2b.txt");
        let bytes = std::fs::read(&path).expect("seed");
        let record =
            analyse(&path, &bytes, SourceFormat::Text, &ReadOptions::default()).expect("analyses");
        let (data, subjects) = categories(&record.clauses);
        let art9 = data
            .iter()
            .filter(|c| c.group.as_deref() == Some("art9"))
            .count();
        println!(
            "seed 001: {} data categories ({art9} art9), {} subjects",
            data.len(),
            subjects.len()
        );
        assert_eq!(art9, 9);
        assert!(data.iter().all(|c| c.checked.is_none()));
        assert!(data.iter().any(|c| c.group.as_deref() == Some("art10")));
        assert!(data.iter().any(|c| c.group.as_deref() == Some("cpr")));
        assert!(subjects.is_empty());
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_lines(
            lines in prop::collection::vec("(\\PC|[☒☐\\[\\]0oJ():§ ]){0,40}", 0..20),
            heading in proptest::option::of("\\PC{0,40}"),
        ) {
            let c = clause("A.1", heading.as_deref(), &lines.join("\n"));
            let (data, subjects) = categories(&[c]);
            for d in data.iter().chain(&subjects) {
                prop_assert!(!d.name.is_empty());
            }
        }
    }
}
