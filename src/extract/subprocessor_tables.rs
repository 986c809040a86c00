//! Sub-processor rows from the document's [`Table`]s, by what each column means (issue 16).
//!
//! Each header cell is classified by its meaning, Danish or English, in any inflection or
//! compound ([`HEADER_VOCABULARY`]: `Underdatabehandler`, `Lokalitet`, `Overførselsgrundlag`,
//! `CVR-nr.`, `Hosting location` …); the meaning whose word stands first in the cell wins
//! (`Navn/adresse` names the company, `Beskrivelse af behandling` describes it). Columns of no
//! known meaning are kept per row as `extra` (`Anvendes ved`, `Klientindhold`). The column
//! order is free; a numbering column is skipped.
//!
//! Which tables are sub-processor tables is decided from the table and what stands around it
//! ([`judge`]): a table needs a company column; the words just above it (its lead-in) that say
//! its companies are *not* sub-processors or receive no personal data, or are independent
//! controllers, make it a table of other vendors; else the company column's heading, the
//! lead-in or the clause must speak of sub-processors. A table whose company cells are all
//! placeholders (`[navn]`, `[Hostingleverandør, fx …]`) is a template: no rows, one warning.
//!
//! In a company cell, a country in brackets (`Supabase, Inc. (US)`) is parsed out, and a cell
//! naming two companies (`A og B`, `A, B`) gives two rows.

use super::country;
use super::identifiers::classify;
use super::subprocessors::{third_country, transfer_basis};
use crate::analysis::fold;
use crate::analysis::words::is_legal_form;
use crate::record::{Clause, Subprocessor, Table};

/// What a column of a sub-processor table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A running number (`Nr.`, `#`).
    Number,
    Name,
    Identifier,
    Address,
    /// Country, region, data centre: where the data is.
    Location,
    /// What the company does: purpose, service, role, description.
    Purpose,
    /// Transfer to third countries and its legal basis.
    Transfer,
    Other,
}

/// Header words by meaning, folded (`æ` → `ae`, `ø` → `o`, `å` → `a`). A word of four or more
/// letters matches anywhere in a header word (compounds: `underdatabehandler`,
/// `overforselsgrundlag`); a shorter one only at a word start (`cvr-nr`, `vat`). Listed in the
/// order ties are broken.
pub const HEADER_VOCABULARY: &[(Column, &[&str])] = &[
    (
        Column::Transfer,
        &[
            "overforsel",
            "tredjeland",
            "grundlag",
            "safeguard",
            "transfer",
            "mechanism",
            "basis",
            "garanti",
        ],
    ),
    (
        Column::Identifier,
        &[
            "cvr",
            "vat",
            "moms",
            "org.nr",
            "orgnr",
            "org. nr",
            "reg.nr",
            "regnr",
            "registrering",
            "registration",
            "company number",
            "ein",
        ],
    ),
    (Column::Address, &["adresse", "address", "hjemsted"]),
    (
        Column::Location,
        &[
            "land",
            "lokation",
            "lokalitet",
            "placering",
            "region",
            "datacenter",
            "location",
            "country",
            "beliggenhed",
            "hosting",
            "where",
            "sted",
            "countries",
        ],
    ),
    (
        Column::Name,
        &[
            "navn",
            "virksomhed",
            "firma",
            "leverandor",
            "databehandler",
            "underbehandler",
            "processor",
            "vendor",
            "provider",
            "company",
            "name",
            "entity",
            "selskab",
            "modtager",
            "recipient",
        ],
    ),
    (
        Column::Purpose,
        &[
            "formal",
            "behandling",
            "beskrivelse",
            "funktion",
            "rolle",
            "ydelse",
            "service",
            "purpose",
            "description",
            "activit",
            "aktivitet",
            "opgave",
            "function",
            "role",
            "anvendelse",
            "nature",
        ],
    ),
];

/// Headings of a running-number column.
const NUMBER_HEADINGS: &[&str] = &["nr", "nr.", "#", "no", "no.", "lobenr", "lobenr."];

/// Words (folded) that name sub-processors.
const SUBPROCESSOR_WORDS: &[&str] = &[
    "underdatabehandler",
    "underbehandler",
    "underleverandor",
    "sub-processor",
    "subprocessor",
    "sub-databehandler",
];

/// Words (folded) in a lead-in that say the companies below are not sub-processors.
const NOT_SUBPROCESSORS: &[&str] = &[
    "ikke underdatabehandler",
    "ikke klientindhold",
    "ikke personoplysning",
    "ingen personoplysning",
    "ikke adgang til personoplysning",
    "selvstaendig dataansvarlig",
    "selvstaendige dataansvarlige",
    "not sub-processor",
    "not subprocessor",
    "not a sub-processor",
    "independent controller",
    "no personal data",
    "no access to personal data",
];

/// Words (folded) of a transfer cell that say there is no transfer to a third country.
const NO_TRANSFER: &[&str] = &[
    "ingen overforsel",
    "ikke overforsel",
    "ingen tredjeland",
    "ikke tredjeland",
    "no transfer",
    "not transferred",
    "no third countr",
];

/// Classify one header cell.
pub fn column_of(header: &str) -> Column {
    let folded = fold(header.trim());
    if NUMBER_HEADINGS.contains(&folded.as_str()) {
        return Column::Number;
    }
    let mut best: Option<(usize, usize, Column)> = None;
    for (rank, (column, words)) in HEADER_VOCABULARY.iter().enumerate() {
        for word in words.iter() {
            let Some(at) = find_stem(&folded, &fold(word)) else {
                continue;
            };
            if best.is_none_or(|(b, r, _)| (at, rank) < (b, r)) {
                best = Some((at, rank, *column));
            }
        }
    }
    best.map_or(Column::Other, |(_, _, c)| c)
}

/// Where `stem` stands in `folded`: anywhere in a word for stems of four or more letters, at a
/// word start for shorter ones.
fn find_stem(folded: &str, stem: &str) -> Option<usize> {
    let long = stem.chars().count() >= 4;
    let mut from = 0;
    while let Some(k) = folded[from..].find(stem) {
        let at = from + k;
        let word_start = folded[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if long || word_start {
            return Some(at);
        }
        from = at + stem.len();
    }
    None
}

/// What a table is, for the sub-processor list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Subprocessors,
    /// A table of companies the agreement says are not sub-processors.
    OtherVendors,
    /// A sub-processor table with placeholders only.
    Template,
    /// Not a table of companies.
    Unrelated,
}

fn mentions(folded: &str, words: &[&str]) -> bool {
    words.iter().any(|w| folded.contains(w))
}

/// A placeholder cell: `[navn]`, `[Hostingleverandør, fx Contabo GmbH]`, `…`, `xxx`.
fn is_placeholder(cell: &str) -> bool {
    let t = cell.trim();
    (t.starts_with('[') && t.ends_with(']'))
        || (t.starts_with('<') && t.ends_with('>'))
        || t.chars()
            .all(|c| matches!(c, '.' | '…' | '_' | 'x' | 'X' | '-' | ' '))
}

/// The company column of a table, if it has one.
fn name_column(columns: &[Column]) -> Option<usize> {
    columns.iter().position(|c| *c == Column::Name)
}

/// Decide what a table is, from its header, its lead-in (the lines just above it) and its
/// clause.
pub fn judge(table: &Table, lead_in: &str, clause: Option<&Clause>) -> Verdict {
    let columns: Vec<Column> = table.header.iter().map(|h| column_of(h)).collect();
    let Some(name) = name_column(&columns) else {
        return Verdict::Unrelated;
    };
    let described = columns.iter().any(|c| {
        matches!(
            c,
            Column::Identifier
                | Column::Address
                | Column::Location
                | Column::Purpose
                | Column::Transfer
        )
    });
    if !described {
        return Verdict::Unrelated;
    }
    let lead = fold(lead_in);
    if mentions(&lead, NOT_SUBPROCESSORS) {
        return Verdict::OtherVendors;
    }
    let header = fold(&table.header[name]);
    let in_clause = clause.is_some_and(|c| {
        c.topics.iter().any(|t| t == "subprocessors")
            || mentions(&fold(c.reading_heading().unwrap_or("")), SUBPROCESSOR_WORDS)
    });
    if !(mentions(&header, SUBPROCESSOR_WORDS) || mentions(&lead, SUBPROCESSOR_WORDS) || in_clause)
    {
        return Verdict::Unrelated;
    }
    let names: Vec<&String> = table.rows.iter().filter_map(|r| r.get(name)).collect();
    if !names.is_empty()
        && names
            .iter()
            .all(|n| n.trim().is_empty() || is_placeholder(n))
    {
        return Verdict::Template;
    }
    Verdict::Subprocessors
}

/// The rows of a sub-processor table.
pub fn rows(table: &Table) -> Vec<Subprocessor> {
    let mut columns: Vec<Column> = table.header.iter().map(|h| column_of(h)).collect();
    // A column of running numbers without a heading word is a numbering column too.
    for (k, column) in columns.iter_mut().enumerate() {
        if *column == Column::Other
            && !table.rows.is_empty()
            && table.rows.iter().all(|r| {
                r.get(k)
                    .is_some_and(|c| c.trim_end_matches('.').parse::<u32>().is_ok())
            })
        {
            *column = Column::Number;
        }
    }
    let Some(name_at) = name_column(&columns) else {
        return Vec::new();
    };
    let combined_address = fold(&table.header[name_at]).contains("adresse")
        || fold(&table.header[name_at]).contains("address");
    let mut out = Vec::new();
    for row in &table.rows {
        let Some(name_cell) = row.get(name_at) else {
            continue;
        };
        if name_cell.trim().is_empty() || is_placeholder(name_cell) {
            continue;
        }
        let mut base = Subprocessor {
            clause: table.clause.clone(),
            ..Subprocessor::default()
        };
        let mut id_cell: Option<&str> = None;
        for (k, cell) in row.iter().enumerate() {
            let cell = cell.trim();
            if cell.is_empty() || k == name_at {
                continue;
            }
            match columns.get(k).copied().unwrap_or(Column::Other) {
                Column::Number | Column::Name => {}
                Column::Identifier => id_cell = Some(cell),
                Column::Address => base.address = Some(cell.to_string()),
                Column::Location => base.location = Some(join(base.location.take(), cell)),
                Column::Purpose => base.description = Some(join(base.description.take(), cell)),
                Column::Transfer => base.transfer = Some(cell.to_string()),
                Column::Other => {
                    base.extra
                        .insert(table.header[k].trim().to_string(), cell.to_string());
                }
            }
        }
        let companies = if combined_address {
            vec![name_cell.trim().to_string()]
        } else {
            split_companies(name_cell)
        };
        for company in companies {
            let mut row = base.clone();
            let (name, bracket_country) = name_and_country(&company);
            row.name = name;
            let american = bracket_country == Some("US") || is_american_form(&row.name);
            row.identifier = id_cell
                .and_then(|c| classify(c, american))
                .or_else(|| identifier_in(&company, american));
            finish(&mut row, bracket_country);
            out.push(row);
        }
    }
    out
}

fn join(prev: Option<String>, cell: &str) -> String {
    match prev {
        Some(p) if !p.is_empty() => format!("{p}; {cell}"),
        _ => cell.to_string(),
    }
}

/// A CVR or VAT number printed inside the company cell (`Acme ApS, CVR 12345678`).
fn identifier_in(cell: &str, american: bool) -> Option<crate::record::RowIdentifier> {
    let lower = cell.to_lowercase();
    for label in ["cvr", "vat", "org.nr", "ein"] {
        if let Some(at) = lower.find(label) {
            let tail: String = cell[at..]
                .chars()
                .take_while(|c| *c != ',' && *c != ';' && *c != ')')
                .collect();
            if let Some(id) = classify(&tail, american) {
                return Some(id);
            }
        }
    }
    None
}

fn is_american_form(name: &str) -> bool {
    let lower = name.to_lowercase();
    [" inc", " llc", " corp", " pbc", " l.l.c"]
        .iter()
        .any(|f| lower.contains(f))
}

/// One cell naming several companies (`A og B`, `A, B og C`, `A and B`, `A / B / C`) → the
/// companies. A
/// comma before a legal form (`Supabase, Inc.`) does not split; text in brackets never does.
pub fn split_companies(cell: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let chars: Vec<char> = cell.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            let rest: String = chars[k..].iter().collect();
            let conj = [" og ", " and "]
                .iter()
                .find(|w| rest.starts_with(**w))
                .map(|w| w.len());
            if let Some(len) = conj {
                parts.push(std::mem::take(&mut current));
                k += len;
                continue;
            }
            if c == ',' {
                let after = rest[1..].trim_start();
                let next_word = after
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_end_matches([',', ')'])
                    .to_lowercase();
                let is_form = is_legal_form(&next_word);
                let starts_upper = after.chars().next().is_some_and(char::is_uppercase);
                if !is_form && starts_upper {
                    parts.push(std::mem::take(&mut current));
                    k += 1;
                    continue;
                }
            }
        }
        current.push(c);
        k += 1;
    }
    parts.push(current);
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim().trim_end_matches(['.', ',']).trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    // Split only where every part reads as a name of its own (starts with a capital or digit,
    // or its first word has one: `xAI`).
    let reads_as_name = |p: &String| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || p.split_whitespace()
                .next()
                .is_some_and(|w| w.chars().any(char::is_uppercase))
    };
    if parts.len() > 1 && parts.iter().all(reads_as_name) {
        return parts;
    }
    // Slashes: two names either side of one slash are usually one vendor under two names
    // (`Sinch / Mailgun`, a parent and its brand); three or more are a list.
    let slashed: Vec<String> = cell
        .split(" / ")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if slashed.len() >= 3 && slashed.iter().all(reads_as_name) {
        slashed
    } else {
        vec![cell.trim().to_string()]
    }
}

/// A company cell without the country it gives in brackets: `Supabase, Inc. (US)` →
/// (`Supabase, Inc.`, US); `Plus Five Five, Inc. ("Resend", US)` → (`Plus Five Five, Inc.
/// ("Resend")`, US). Other brackets stay (`Scannet A/S (team.blue)`).
pub fn name_and_country(cell: &str) -> (String, Option<&'static str>) {
    let mut name = String::new();
    let mut found: Option<&'static str> = None;
    let mut rest = cell;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        name.push_str(&rest[..open]);
        let inside = &rest[open + 1..close];
        let mut kept: Vec<&str> = Vec::new();
        for part in inside.split(',') {
            let p = part.trim();
            match country_token(p) {
                Some(code) if found.is_none() => found = Some(code),
                Some(_) => {}
                None => kept.push(p),
            }
        }
        if !kept.is_empty() {
            name.push('(');
            name.push_str(&kept.join(", "));
            name.push(')');
        }
        rest = &rest[close + 1..];
    }
    name.push_str(rest);
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    (name, found)
}

/// A bracketed part that is only a country: an ISO code (`US`, `DK`) or a country name.
fn country_token(part: &str) -> Option<&'static str> {
    let p = part.trim();
    if p.len() == 2 && p.chars().all(|c| c.is_ascii_uppercase()) {
        return country::by_code(p);
    }
    let named = country::named_in(p)?;
    // The whole part must be the name, not a sentence naming a country.
    (p.split_whitespace().count() <= 2).then_some(named)
}

/// Country, third-country flag and transfer basis from everything the row says.
///
/// `country` is where the company is (the country in brackets, its registration number, its
/// address), else where the data is (the location cell). `third_country` reads the transfer
/// cell first (no transfer → false; a transfer basis or a third country → true), then the
/// location (a country outside the EU/EEA → true; the EU/EEA → false), then the company's
/// country.
fn finish(row: &mut Subprocessor, bracket_country: Option<&'static str>) {
    let id_country = row.identifier.as_ref().and_then(country::of_identifier);
    let located = row.location.as_deref().and_then(country::named_in);
    row.country = bracket_country
        .or(id_country)
        .or_else(|| row.address.as_deref().and_then(country::of_address))
        .or(located)
        .or_else(|| country::of_company_form(&row.name))
        .map(str::to_string);
    let transfer = row.transfer.as_deref().unwrap_or("");
    // A basis may be named in any cell: the transfer column, the location, the description.
    row.transfer_basis = [&row.transfer, &row.location, &row.description]
        .into_iter()
        .filter_map(|c| c.as_deref())
        .find_map(transfer_basis);
    let folded = fold(transfer);
    let by_transfer = if mentions(&folded, NO_TRANSFER) {
        Some(false)
    } else if row.transfer_basis.is_some() || third_country(transfer) == Some(true) {
        Some(true)
    } else {
        None
    };
    row.third_country = by_transfer
        .or_else(|| row.location.as_deref().and_then(third_country))
        .or_else(|| row.country.as_deref().map(|c| !country::is_eea(c)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::TableFormat;

    fn table(header: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            clause: Some("B.1".into()),
            page: Some(1),
            last_page: None,
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
            format: TableFormat::Pipes,
            lines: 0..0,
        }
    }

    #[test]
    fn header_cells_by_meaning_in_any_inflection() {
        use Column::*;
        let cases = [
            ("Underdatabehandler", Name),
            ("Underbehandler", Name),
            ("Navn/adresse", Name),
            ("Leverandør", Name),
            ("Sub-processor", Name),
            ("Vendor", Name),
            ("CVR-nr.", Identifier),
            ("VAT number", Identifier),
            ("Org.nr.", Identifier),
            ("Adresse", Address),
            ("Land", Location),
            ("Lokalitet", Location),
            ("Placering af data", Location),
            ("Hosting location", Location),
            ("Region", Location),
            ("Formål", Purpose),
            ("Beskrivelse af behandling", Purpose),
            ("Rolle", Purpose),
            ("Ydelse", Purpose),
            ("Overførselsgrundlag", Transfer),
            ("Tredjelandsoverførsel", Transfer),
            ("Transfer mechanism", Transfer),
            ("Nr.", Number),
            ("Klientindhold", Other),
            ("Anvendes ved", Other),
        ];
        for (header, want) in cases {
            assert_eq!(column_of(header), want, "{header}");
        }
    }

    #[test]
    fn rows_by_column_meaning_in_any_order() {
        let t = table(
            &[
                "Land",
                "Nr.",
                "Overførselsgrundlag",
                "Underbehandler",
                "CVR-nr.",
                "Anvendes ved",
            ],
            &[
                &[
                    "Danmark",
                    "1",
                    "Ingen overførsel",
                    "Acme Hosting ApS",
                    "38120689",
                    "Altid",
                ],
                &["USA", "2", "SCC", "Beta Mail, Inc.", "", "Ved e-mail"],
            ],
        );
        let rows = rows(&t);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Acme Hosting ApS");
        assert_eq!(
            rows[0].identifier.as_ref().map(|i| i.value.as_str()),
            Some("38120689")
        );
        assert_eq!(rows[0].country.as_deref(), Some("DK"));
        assert_eq!(rows[0].third_country, Some(false));
        assert_eq!(
            rows[0].extra.get("Anvendes ved").map(String::as_str),
            Some("Altid")
        );
        assert_eq!(rows[1].country.as_deref(), Some("US"));
        assert_eq!(rows[1].third_country, Some(true));
        assert_eq!(rows[1].transfer_basis.as_deref(), Some("SCC"));
    }

    #[test]
    fn a_country_in_brackets_is_parsed_out_of_the_name() {
        assert_eq!(
            name_and_country("Supabase, Inc. (US)"),
            ("Supabase, Inc.".into(), Some("US"))
        );
        assert_eq!(
            name_and_country("Plus Five, Inc. (\"Resend\", US)"),
            ("Plus Five, Inc. (\"Resend\")".into(), Some("US"))
        );
        assert_eq!(name_and_country("Scannet A/S (team.blue)").1, None);
    }

    #[test]
    fn a_slashed_list_is_split_but_two_names_of_one_vendor_are_not() {
        assert_eq!(
            split_companies("Alfa / Beta Cloud / gAmma"),
            ["Alfa", "Beta Cloud", "gAmma"]
        );
        assert_eq!(
            split_companies("Moder / Brand Inc."),
            ["Moder / Brand Inc."]
        );
    }

    #[test]
    fn two_companies_in_one_cell_are_two_rows() {
        assert_eq!(
            split_companies("Acme ApS og Beta AB"),
            ["Acme ApS", "Beta AB"]
        );
        assert_eq!(
            split_companies("Alfa, Beta (Gruppe)"),
            ["Alfa", "Beta (Gruppe)"]
        );
        assert_eq!(split_companies("Supabase, Inc."), ["Supabase, Inc."]);
        assert_eq!(
            split_companies("Drift og support ApS"),
            ["Drift og support ApS"]
        );
    }

    #[test]
    fn tables_of_other_vendors_and_templates_give_no_rows() {
        let t = table(
            &["Leverandør", "Rolle", "Region"],
            &[&["Pay A/S", "Betaling", "Danmark"]],
        );
        let lead = "Følgende leverandører modtager IKKE personoplysninger:";
        assert_eq!(judge(&t, lead, None), Verdict::OtherVendors);
        let t = table(
            &["Navn", "CVR/reg.", "Ydelse"],
            &[&["[Hostingleverandør, fx X GmbH]", "[reg.nr.]", "Drift"]],
        );
        assert_eq!(judge(&t, "Underdatabehandlere", None), Verdict::Template);
        let t = table(&["Kategori", "Eksempler"], &[&["Navn", "Fornavn"]]);
        assert_eq!(judge(&t, "Underdatabehandlere", None), Verdict::Unrelated);
    }
}
