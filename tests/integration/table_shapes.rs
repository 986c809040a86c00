//! Property test (issue 16): a sub-processor table of random shape — column order, header words
//! from the Danish and English vocabularies, a numbering column or none, written as pipes (with
//! or without outer pipes and rule line), TABs, a grid with wrapped cells or columns aligned by
//! spaces with wrapped cells — inside a small agreement gives back its rows: every company, its
//! registration number where printed, its country.

use aftale::record::SourceFormat;
use aftale::source::ReadOptions;
use proptest::prelude::*;

const NAME_HEADERS: &[&str] = &[
    "Underdatabehandler",
    "Navn",
    "Underbehandler",
    "Leverandør",
    "Sub-processor",
    "Virksomhed",
    "Company name",
];
const ID_HEADERS: &[&str] = &["CVR-nr.", "CVR", "VAT", "Reg.nr.", "Registration number"];
const COUNTRY_HEADERS: &[&str] = &[
    "Land",
    "Lokation",
    "Lokalitet",
    "Placering",
    "Country",
    "Hosting location",
];
const PURPOSE_HEADERS: &[&str] = &[
    "Formål",
    "Behandling",
    "Beskrivelse af behandlingen",
    "Ydelse",
    "Rolle",
    "Purpose",
    "Service",
];
const TRANSFER_HEADERS: &[&str] = &[
    "Overførselsgrundlag",
    "Tredjelandsoverførsel",
    "Transfer mechanism",
    "Retsgrundlag for overførsel",
];
const NUMBER_HEADERS: &[&str] = &["Nr.", "#"];

const SYLLABLES: &[&str] = &[
    "Nor", "dik", "Vest", "sol", "Ha", "ven", "Grøn", "by", "Lys", "tek", "Mar", "kov", "Fjord",
    "lund",
];
const FORMS: &[&str] = &[
    "ApS", "A/S", "AB", "GmbH", "Inc.", "Ltd", "B.V.", "SAS", "Oy", "LLC",
];
const COUNTRIES: &[(&str, &str)] = &[
    ("Danmark", "DK"),
    ("Sverige", "SE"),
    ("Tyskland", "DE"),
    ("Irland", "IE"),
    ("USA", "US"),
    ("Frankrig", "FR"),
    ("Kroatien", "HR"),
    ("Schweiz", "CH"),
    ("Indien", "IN"),
];
const PURPOSES: &[&str] = &[
    "Hosting af servere og databaser i et datacenter",
    "Udsendelse af e-mail",
    "Telefonsupport",
    "Backup af kundedata og logfiler",
    "Betalingsformidling og fakturering af abonnementer",
];
/// Valid CVR numbers (modulus 11).
const CVRS: &[&str] = &["38120689", "30806883", "10150817", "25313763", "35949542"];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Col {
    Number,
    Name,
    Id,
    Country,
    Purpose,
    Transfer,
}

#[derive(Debug, Clone)]
struct Row {
    name: String,
    id: Option<String>,
    country: (String, String),
    purpose: String,
    transfer: String,
}

#[derive(Debug, Clone, Copy)]
enum Shape {
    PipesOuter,
    PipesInner,
    Tabs,
    Grid,
    Aligned,
}

fn company(parts: &[usize], form: usize) -> String {
    let mut name = String::new();
    for (k, p) in parts.iter().enumerate() {
        let s = SYLLABLES[p % SYLLABLES.len()];
        if k == 0 {
            name.push_str(s)
        } else {
            name.push_str(&s.to_lowercase())
        }
    }
    format!("{name} {}", FORMS[form % FORMS.len()])
}

fn cell(row: &Row, col: Col, k: usize) -> String {
    match col {
        Col::Number => format!("{}.", k + 1),
        Col::Name => row.name.clone(),
        Col::Id => row.id.clone().unwrap_or_default(),
        Col::Country => row.country.0.clone(),
        Col::Purpose => row.purpose.clone(),
        Col::Transfer => row.transfer.clone(),
    }
}

/// Wrap text at `width` characters (words kept whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ')
            }
            last.push_str(word);
        }
    }
    lines
}

fn render(shape: Shape, header: &[String], body: &[Vec<String>]) -> String {
    let mut out = String::new();
    match shape {
        Shape::PipesOuter => {
            out += &format!("| {} |\n", header.join(" | "));
            out += &format!("|{}|\n", vec!["---"; header.len()].join("|"));
            for r in body {
                out += &format!("| {} |\n", r.join(" | "))
            }
        }
        Shape::PipesInner => {
            out += &format!("{}\n", header.join(" | "));
            for r in body {
                out += &format!("{}\n", r.join(" | "))
            }
        }
        Shape::Tabs => {
            out += &format!("{}\n", header.join("\t"));
            for r in body {
                out += &format!("{}\n", r.join("\t"))
            }
        }
        Shape::Grid | Shape::Aligned => {
            const WIDTH: usize = 22;
            let all: Vec<Vec<Vec<String>>> = std::iter::once(header)
                .chain(body.iter().map(|r| r.as_slice()))
                .map(|r| {
                    r.iter()
                        .map(|c| {
                            if c.is_empty() {
                                vec![String::new()]
                            } else {
                                wrap(c, WIDTH)
                            }
                        })
                        .collect()
                })
                .collect();
            let widths: Vec<usize> = (0..header.len())
                .map(|k| {
                    all.iter()
                        .flat_map(|r| r[k].iter())
                        .map(|l| l.chars().count())
                        .max()
                        .unwrap_or(1)
                        .max(1)
                })
                .collect();
            let border = |c: char| {
                format!(
                    "+{}+\n",
                    widths
                        .iter()
                        .map(|w| c.to_string().repeat(w + 2))
                        .collect::<Vec<_>>()
                        .join("+")
                )
            };
            if matches!(shape, Shape::Grid) {
                out += &border('-')
            }
            for (i, r) in all.iter().enumerate() {
                let height = r.iter().map(Vec::len).max().unwrap_or(1);
                for line in 0..height {
                    let cells: Vec<String> = r
                        .iter()
                        .zip(&widths)
                        .map(|(c, w)| {
                            let t = c.get(line).cloned().unwrap_or_default();
                            format!("{t:<w$}")
                        })
                        .collect();
                    if matches!(shape, Shape::Grid) {
                        out += &format!("| {} |\n", cells.join(" | "));
                    } else {
                        out += &format!("{}\n", cells.join("   ").trim_end());
                    }
                }
                if matches!(shape, Shape::Grid) {
                    out += &border(if i == 0 { '=' } else { '-' })
                }
            }
        }
    }
    out
}

fn arb_table() -> impl Strategy<Value = (Vec<Col>, Vec<usize>, Vec<Row>, Shape)> {
    let cols = (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<u64>(),
    );
    let rows = prop::collection::vec(
        (
            prop::collection::vec(0usize..14, 2..4),
            0usize..10,
            0usize..9,
            0usize..5,
            any::<bool>(),
            0usize..5,
        ),
        3..9,
    );
    let shape = prop_oneof![
        Just(Shape::PipesOuter),
        Just(Shape::PipesInner),
        Just(Shape::Tabs),
        Just(Shape::Grid),
        Just(Shape::Aligned)
    ];
    (cols, rows, shape, prop::collection::vec(0usize..8, 6)).prop_map(
        |((num, id, country, purpose, transfer, seed), raw, shape, words)| {
            let mut order = vec![Col::Name];
            if id {
                order.push(Col::Id)
            }
            if country {
                order.push(Col::Country)
            }
            if purpose {
                order.push(Col::Purpose)
            }
            if transfer {
                order.push(Col::Transfer)
            }
            if order.len() == 1 {
                order.push(Col::Purpose)
            }
            // Shuffle by the seed; a numbering column, when there is one, comes first.
            let mut s = seed;
            for k in (1..order.len()).rev() {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                order.swap(k, (s % (k as u64 + 1)) as usize);
            }
            // Columns aligned by spaces cannot show an empty first cell (it reads as a wrapped
            // cell of the row above, as in `pdftotext -layout`): there the company comes first.
            if matches!(shape, Shape::Aligned) {
                order.retain(|c| *c != Col::Name);
                order.insert(0, Col::Name);
            }
            if num {
                order.insert(0, Col::Number)
            }
            let mut seen = std::collections::HashSet::new();
            let aligned = matches!(shape, Shape::Aligned);
            let rows: Vec<Row> = raw
                .into_iter()
                .enumerate()
                .map(|(k, (parts, form, c, p, has_id, cvr))| {
                    let mut name = company(&parts, form);
                    if !seen.insert(name.clone()) {
                        name = format!("{} {}", SYLLABLES[k % SYLLABLES.len()], name);
                        seen.insert(name.clone());
                    }
                    // An aligned column with no value in any row cannot be seen at all: there every
                    // row has its number.
                    let has_id = has_id || aligned;
                    let country = COUNTRIES[c];
                    Row {
                        id: has_id.then(|| CVRS[cvr].to_string()),
                        transfer: if country.1 == "US" || country.1 == "IN" {
                            "Standardkontraktbestemmelser".into()
                        } else {
                            "Ingen overførsel".into()
                        },
                        name,
                        country: (country.0.to_string(), country.1.to_string()),
                        purpose: PURPOSES[p].to_string(),
                    }
                })
                .collect();
            (order, words, rows, shape)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn a_subprocessor_table_of_any_shape_gives_back_its_rows((order, words, rows, shape) in arb_table()) {
        let header: Vec<String> = order.iter().enumerate().map(|(k, c)| {
            let pick = |list: &[&str]| list[words[k % words.len()] % list.len()].to_string();
            match c {
                Col::Number => pick(NUMBER_HEADERS),
                Col::Name => pick(NAME_HEADERS),
                Col::Id => pick(ID_HEADERS),
                Col::Country => pick(COUNTRY_HEADERS),
                Col::Purpose => pick(PURPOSE_HEADERS),
                Col::Transfer => pick(TRANSFER_HEADERS),
            }
        }).collect();
        let body: Vec<Vec<String>> = rows.iter().enumerate().map(|(k, r)| order.iter().map(|c| cell(r, *c, k)).collect()).collect();
        let text = format!(
            "Databehandleraftale\n\n1. Baggrund\n\n1.1 Databehandleren behandler personoplysninger på vegne af den dataansvarlige efter GDPR artikel 28.\n\n\
             2. Underdatabehandlere\n\n2.1 Databehandleren anvender følgende underdatabehandlere:\n\n{}\n2.2 Den dataansvarlige underrettes om ændringer.\n",
            render(shape, &header, &body)
        );
        let record = aftale::pipeline::analyse("generated.txt", text.as_bytes(), SourceFormat::Text, &ReadOptions::default())
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let got: Vec<(String, Option<String>, Option<String>)> = record.subprocessors.iter()
            .map(|s| (s.name.clone(), s.identifier.as_ref().map(|i| i.value.clone()), s.country.clone()))
            .collect();
        let has_country = order.contains(&Col::Country);
        let want: Vec<(String, Option<String>, Option<String>)> = rows.iter().map(|r| {
            let id = if order.contains(&Col::Id) { r.id.clone() } else { None };
            // Without a country column the country comes from the CVR number or the legal form.
            let country = if has_country { Some(r.country.1.clone()) } else { None };
            (r.name.clone(), id, country)
        }).collect();
        prop_assert_eq!(got.len(), want.len(), "{}\n{:?}", text, got);
        for (g, w) in got.iter().zip(&want) {
            prop_assert_eq!(&g.0, &w.0, "{}", text);
            prop_assert_eq!(&g.1, &w.1, "{}", text);
            if w.2.is_some() {
                // A CVR number says Denmark whatever the location column says; else the column.
                let expect = if g.1.is_some() && w.1.is_some() { g.2.clone() } else { w.2.clone() };
                prop_assert_eq!(&g.2, &expect, "{}", text);
            }
        }
    }
}
