//! Sub-processor lists → [`Subprocessor`] rows, whatever shape the list has.
//!
//! A table is found by its header line (`Navn/Adresse CVR Lokation for`, `Virksomhed Land
//! Funktion`: two or more column words, one of them naming the company). The short line just
//! above a header names the service category of the rows below it. Text extracted from PDF tables
//! comes in one of two shapes, told apart by where the registration numbers stand:
//!
//! * **stacked cells**: each cell is its own run of lines — name and address lines, then a line
//!   that starts with the registration number and the first words of the next cells, then the
//!   rest. Rows are anchored on their address (a postcode line, with the street line above it
//!   and up to five name lines above that); lines between two addresses are the earlier row's
//!   cells, or the tail of its address when they look like one;
//! * **row lines**: cells sharing a baseline come out on one line, so a row starts with the
//!   name followed by the number (`Skyhavn Hosting A/S CVR 87568938 Stormgade 41`); a row is a
//!   paragraph, or a single line in small inline tables (`UnoEuro Danmark A/S Danmark DNS &
//!   SMTP`). The address runs up to the first country name, which starts the location.
//!
//! Bulleted lists under a sentence that announces sub-processors are read too, and a list that
//! lives elsewhere (`som er vist på dette link`) is reported as a [`SubprocessorSource`].
//! Assumes the clause texts of the segmenter (page footers already mostly removed).

use std::sync::LazyLock;

use regex::Regex;

use super::country;
use super::identifiers::classify;
use std::collections::HashSet;

use super::subprocessor_lists;
use super::subprocessor_tables::{self, Verdict};
use crate::analysis::words::is_legal_form;
use crate::record::{
    Clause, IdentifierKind, RowIdentifier, Subprocessor, SubprocessorSource,
    SubprocessorSourceKind, Table,
};

/// Words of a table header.
const HEADER_WORDS: &[&str] = &[
    "navn",
    "name",
    "virksomhed",
    "firma",
    "leverandør",
    "underdatabehandler",
    "underdatabehandlere",
    "company",
    "cvr",
    "cvr/vat",
    "vat",
    "adresse",
    "navn/adresse",
    "address",
    "lokation",
    "location",
    "land",
    "country",
    "beskrivelse",
    "description",
    "formål",
    "purpose",
    "funktion",
    "function",
    "ydelse",
    "tredjelands-overførsel",
    "tredjelandsoverførsel",
    "transfer",
    "behandling",
    "behandlingen",
    "for",
    "af",
    "og",
    "/",
    "i",
    "id",
    "nr.",
    "overførsel",
    "placering",
    "type",
];
/// Header words that name the company column; a header needs one.
const NAME_COLUMN: &[&str] = &[
    "navn",
    "name",
    "virksomhed",
    "firma",
    "leverandør",
    "underdatabehandler",
    "company",
    "navn/adresse",
];

static ID_AT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?P<id>(?:(?i:cvr|vat|ein|se)[\s.:\-]*(?:(?i:nr)[.:]?\s*)?)?(?:\d{2}-\d{7}|[A-Za-z]{2}\d[0-9A-Za-z]{6,13}|\d{8,10}))(?:\s+(?P<rest>.*))?$",
    )
    .expect("valid regex")
});
static ID_IN_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<id>(?i:cvr|vat|ein|se)[\s.:\-]*(?:(?i:nr)[.:]?\s*)?(?:\d{2}-\d{7}|[A-Za-z]{2}\d[0-9A-Za-z]{6,13}|\d{2}\s?\d{2}\s?\d{2}\s?\d{2}|\d{8,10})|\b[A-Z]{2}\d[0-9A-Z]{6,13}\b)",
    )
    .expect("valid regex")
});
static POSTCODE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:DK-?)?\d{4}\s+\p{Lu}|\d{5,6}\s+\p{Lu}|\p{Lu}{2,}\s+\d{4}\s*$|[A-Z][\dO]{2}\s+[A-Z0-9]{4}\b|D\d{1,2}\s+\p{Lu}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\d{4}\s*$)|\b[A-Z]{2}\s+\d{5}\b",
    )
    .expect("valid regex")
});
static STREET_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\d{1,5}\s*[A-Za-z]?\s+\p{L}|(?i:p\.?\s?o\.?\s?box)|\p{L}[\p{L}.'\- ]*\s\d{1,4}(?:[.,]\d+)?\s*[A-Za-z]?\b)")
        .expect("valid regex")
});
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"https?://[^\s)]+|www\.[^\s)]+").expect("valid regex"));
static NOISE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:https?://\S+|Version\s+\d[\d.]*|Side\s*:?\s*\d+(?:\s+af\s+\d+)?)\s*$")
        .expect("valid regex")
});
static BULLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-•–*·]|\d{1,2}[.)]|[a-z]\))\s+(.+)$").expect("valid regex")
});
static LINK_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(vist|findes|fremgår|tilgængelig|oplistet|se|listed|available)[^.]{0,60}\b(link|linket|hjemmeside|webside|website|https?://)")
        .expect("valid regex")
});

/// Sub-processor rows of a document, in document order, and where its list lives when it is
/// only referred to: [`subprocessors_with_tables`] for a document whose tables are not known.
pub fn subprocessors(clauses: &[Clause]) -> (Vec<Subprocessor>, Option<SubprocessorSource>) {
    let found = subprocessors_with_tables(clauses, &[], "");
    (found.rows, found.source)
}

/// What a document says about its sub-processors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub rows: Vec<Subprocessor>,
    pub source: Option<SubprocessorSource>,
    /// What a reader should know (a sub-processor table that is only a template).
    pub warnings: Vec<String>,
}

/// Lines above a table that may say what it lists.
const LEAD_IN_LINES: usize = 2;

/// Sub-processor rows of a document: rows of its sub-processor [`Table`]s by column meaning
/// ([`subprocessor_tables`]), then the lists in the rest of each clause's text (`text` is the
/// normalised text the tables' line numbers refer to).
pub fn subprocessors_with_tables(clauses: &[Clause], tables: &[Table], text: &str) -> Found {
    let doc_lines: Vec<&str> = text.split('\n').collect();
    let mut found = Found::default();
    let mut table_rows: Vec<(Option<String>, Vec<Subprocessor>)> = Vec::new();
    let mut in_tables: HashSet<&str> = HashSet::new();
    for table in tables {
        for line in table.lines.clone() {
            if let Some(l) = doc_lines.get(line) {
                in_tables.insert(l.trim());
            }
        }
        let lead_in = lead_in(&doc_lines, table.lines.start);
        let clause = clauses
            .iter()
            .find(|c| c.number.is_some() && c.number == table.clause);
        match subprocessor_tables::judge(table, &lead_in, clause) {
            Verdict::Subprocessors => {
                table_rows.push((table.clause.clone(), subprocessor_tables::rows(table)))
            }
            Verdict::Template => {
                let warning = format!(
                    "the sub-processor table{} is a template (placeholders only)",
                    table
                        .clause
                        .as_deref()
                        .map(|c| format!(" in clause {c}"))
                        .unwrap_or_default()
                );
                if !found.warnings.contains(&warning) {
                    found.warnings.push(warning);
                }
            }
            Verdict::OtherVendors | Verdict::Unrelated => {}
        }
    }
    let mut rows = Vec::new();
    let mut source = None;
    for clause in clauses {
        for (_, from_table) in table_rows.iter_mut().filter(|(c, _)| *c == clause.number) {
            rows.append(from_table);
        }
        let lines: Vec<&str> = clause
            .text
            .lines()
            .filter(|l| !in_tables.contains(l.trim()))
            .collect();
        let from_text = old_tables(&lines, clause.number.as_deref());
        let from_text = if from_text.is_empty() {
            bullet_list(&lines, clause.number.as_deref())
        } else {
            from_text
        };
        let from_text = if from_text.is_empty() {
            prose_list(&lines, clause.number.as_deref())
        } else {
            from_text
        };
        let mut from_text = if from_text.is_empty() {
            subprocessor_lists::inline_rows(clause)
        } else {
            from_text
        };
        if from_text.is_empty() && source.is_none() && mentions_subprocessors(clause) {
            source = link_reference(clause);
        }
        from_text.iter_mut().for_each(finish_row);
        rows.extend(from_text);
    }
    // Rows of tables outside every numbered clause (the preamble).
    for (_, rest) in table_rows.iter_mut() {
        rows.append(rest);
    }
    if !rows.is_empty() {
        source = None;
    }
    found.rows = rows;
    found.source = source;
    found
}

/// Up to [`LEAD_IN_LINES`] non-blank lines just above line `start`.
fn lead_in(lines: &[&str], start: usize) -> String {
    let mut picked: Vec<&str> = Vec::new();
    let mut k = start;
    while k > 0 && picked.len() < LEAD_IN_LINES && start - k < LEAD_IN_LINES + 2 {
        k -= 1;
        let line = lines.get(k).copied().unwrap_or("").trim();
        if !line.is_empty() {
            picked.push(line);
        }
    }
    picked.reverse();
    picked.join(" ")
}

fn mentions_subprocessors(clause: &Clause) -> bool {
    let text = format!(
        "{} {}",
        clause.reading_heading().unwrap_or(""),
        clause.reading_text()
    )
    .to_lowercase();
    text.contains("underdatabehandler")
        || text.contains("sub-processor")
        || text.contains("subprocessor")
}

/// "…som er vist på dette link" / a URL: the list is elsewhere.
fn link_reference(clause: &Clause) -> Option<SubprocessorSource> {
    let text = clause.reading_text();
    let url = URL
        .find(text)
        .map(|m| m.as_str().trim_end_matches(['.', ',']).to_string());
    let phrase = LINK_PHRASE.find(text);
    if url.is_none() && phrase.is_none() {
        return None;
    }
    let at = phrase
        .map(|m| m.start())
        .or_else(|| URL.find(text).map(|m| m.start()))
        .unwrap_or(0);
    Some(SubprocessorSource {
        kind: SubprocessorSourceKind::Link,
        url,
        clause: clause.number.clone(),
        text: sentence_around(text, at),
    })
}

fn sentence_around(text: &str, at: usize) -> String {
    let start = text[..at].rfind(['.', '\n']).map_or(0, |p| p + 1);
    let end = text[at..]
        .find(['.', '\n'])
        .map_or(text.len(), |p| at + p + 1);
    text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(|w| w.to_lowercase()).collect()
}

fn is_header(line: &str) -> bool {
    // Every word must be a header word: most lines fail at their first word, so words are
    // lower-cased one at a time.
    if line.len() > 90 {
        return false;
    }
    let (mut words, mut columns, mut named) = (0, 0, false);
    for word in line.split_whitespace() {
        let x = word.to_lowercase();
        if !HEADER_WORDS.contains(&x.as_str()) {
            return false;
        }
        words += 1;
        columns += usize::from(!["for", "af", "og", "/", "i"].contains(&x.as_str()));
        named |= NAME_COLUMN.contains(&x.as_str());
    }
    words >= 2 && named && columns >= 2
}

/// Lines that only continue a header (`behandling`, `Beskrivelse af`, `Tredjelands-overførsel`).
fn is_header_continuation(line: &str) -> bool {
    let w = words(line);
    !w.is_empty() && w.iter().all(|x| HEADER_WORDS.contains(&x.as_str()))
}

/// A table: its category and the lines of its rows.
struct Section<'a> {
    category: Option<String>,
    lines: Vec<&'a str>,
}

fn old_tables(lines: &[&str], clause: Option<&str>) -> Vec<Subprocessor> {
    let headers: Vec<usize> = (0..lines.len()).filter(|&i| is_header(lines[i])).collect();
    if headers.is_empty() {
        return Vec::new();
    }
    // The category of a header: the short line just above it.
    let category_line = |h: usize| -> Option<usize> {
        let above = (0..h).rev().find(|&i| !lines[i].trim().is_empty())?;
        let text = lines[above].trim();
        let blank_between = above + 1 < h;
        let short = text.split_whitespace().count() <= 7 && !text.ends_with([':', '.', ',']);
        (blank_between && short && !is_header(text)).then_some(above)
    };
    let mut sections: Vec<Section> = Vec::new();
    let mut category: Option<String> = None;
    for (k, &h) in headers.iter().enumerate() {
        if let Some(c) = category_line(h) {
            category = Some(lines[c].trim().to_string());
        }
        let mut start = h + 1;
        // Skip the header's continuation lines (`behandling`, `Beskrivelse af` …).
        while start < lines.len()
            && (lines[start].trim().is_empty() || is_header_continuation(lines[start]))
        {
            start += 1;
        }
        let end = match headers.get(k + 1) {
            Some(&next) => category_line(next).unwrap_or(next),
            None => lines.len(),
        };
        let body: Vec<&str> = lines[start.min(end)..end]
            .iter()
            .copied()
            .filter(|l| !NOISE_LINE.is_match(l))
            .collect();
        // A repeated header at a page top continues the table: same category, and its first
        // lines may continue the last row.
        sections.push(Section {
            category: category.clone(),
            lines: body,
        });
    }
    let stacked = sections.iter().any(|s| is_stacked(&s.lines));
    let mut rows: Vec<Subprocessor> = Vec::new();
    for section in sections {
        let parsed = if stacked {
            stacked_rows(&section.lines)
        } else {
            row_lines(&section.lines, rows.last_mut())
        };
        for mut row in parsed {
            row.category = section.category.clone();
            row.clause = clause.map(str::to_string);
            rows.push(row);
        }
    }

    rows
}

/// Stacked cells: registration numbers stand at line starts, never after a name on the line.
fn is_stacked(lines: &[&str]) -> bool {
    // Every pattern below needs an ASCII digit; lines without one (most) skip the regexes,
    // whose Unicode `\b` cannot use the fast engine on Danish text.
    let numbered: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.bytes().any(|b| b.is_ascii_digit()))
        .collect();
    let at_start = numbered.iter().filter(|l| ID_AT_START.is_match(l)).count();
    let mid_line = numbered
        .iter()
        .filter(|l| {
            ID_IN_LINE
                .find(l)
                .is_some_and(|m| !l[..m.start()].trim().is_empty())
        })
        .count();
    let postcodes = numbered
        .iter()
        .filter(|l| POSTCODE_LINE.is_match(l))
        .count();
    at_start > mid_line && postcodes > 0
}

/// A row being assembled from stacked cells.
#[derive(Default)]
struct Draft {
    name: Vec<String>,
    address: Vec<String>,
    identifier: Option<String>,
    has_id_cell: bool,
    cells: Vec<Vec<String>>,
}

impl Draft {
    /// A row from its name and address lines: the name ends at the last line with a company
    /// form (`Keepit A/S` / `Per Henrik Lings` / `Allé 4.4` → the street starts after it).
    fn new(name: &[&str], address: &[&str]) -> Draft {
        let mut cut = name
            .iter()
            .rposition(|l| has_legal_form(l))
            .map_or(name.len(), |i| i + 1);
        // `Tricent Security Group ApS -` / `Konkurs 28/2-24`: a trailing dash continues the name.
        while cut < name.len() && name[cut - 1].trim_end().ends_with('-') {
            cut += 1;
        }
        let mut address_lines: Vec<String> =
            name[cut..].iter().map(|l| l.trim().to_string()).collect();
        address_lines.extend(address.iter().map(|l| l.trim().to_string()));
        Draft {
            name: name[..cut].iter().map(|l| l.trim().to_string()).collect(),
            address: address_lines,
            ..Draft::default()
        }
    }

    fn has_postcode(&self) -> bool {
        self.address.iter().any(|l| POSTCODE_LINE.is_match(l))
    }

    fn done(&self) -> bool {
        self.has_id_cell || !self.cells.is_empty()
    }
}

fn stacked_rows(lines: &[&str]) -> Vec<Subprocessor> {
    let mut drafts: Vec<Draft> = Vec::new();
    let blocks: Vec<&[&str]> = lines
        .split(|l| l.trim().is_empty())
        .filter(|b| !b.is_empty())
        .collect();
    for (b, block) in blocks.iter().copied().enumerate() {
        let groups = name_groups(block);
        let mut at = 0;
        for group in &groups {
            let name = &block[group.name_start..group.street];
            let address = &block[group.street..=group.postcode];
            match drafts.last_mut() {
                // `Limited, England` / `1561 København V` inside the cell text: the end of the
                // name and the address of the row before, which the PDF put here.
                Some(d) if starts_with_legal_form(name[0]) && !d.has_postcode() => {
                    leftovers(&block[at..group.name_start], d);
                    d.name.extend(name.iter().map(|l| l.trim().to_string()));
                    d.address
                        .extend(address.iter().map(|l| l.trim().to_string()));
                }
                last => {
                    if let Some(d) = last {
                        leftovers(&block[at..group.name_start], d);
                    }
                    drafts.push(Draft::new(name, address));
                }
            }
            at = group.postcode + 1;
        }
        // A name with no postcode line at the end of a block, right before a block that starts
        // with a registration number: a row starts there too.
        let id_follows = blocks
            .get(b + 1)
            .is_some_and(|next| ID_AT_START.is_match(next[0]));
        let trailing_name = (at..block.len()).find(|&i| {
            let after_boundary = i == 0
                || POSTCODE_LINE.is_match(block[i - 1])
                || block[i - 1].trim_end().ends_with(['.', '"', '”'])
                || ID_AT_START.is_match(block[i - 1]);
            after_boundary && is_name_block(&block[i..])
        });
        match trailing_name {
            Some(i) if id_follows && drafts.last().is_none_or(Draft::done) => {
                if let Some(d) = drafts.last_mut() {
                    leftovers(&block[at..i], d);
                }
                let rest = &block[i..];
                let street = (1..rest.len())
                    .find(|&k| STREET_LINE.is_match(rest[k]))
                    .unwrap_or(rest.len());
                drafts.push(Draft::new(&rest[..street], &rest[street..]));
            }
            _ => {
                if let Some(d) = drafts.last_mut() {
                    leftovers(&block[at..], d);
                }
            }
        }
        if let Some(d) = drafts.last_mut() {
            // Each block of cell text after the id line is a cell of its own.
            if d.cells.last().is_some_and(|c| !c.is_empty()) {
                d.cells.push(Vec::new());
            }
        }
    }
    drafts.into_iter().map(draft_to_row).collect()
}

/// Lines outside any name and address: the id line, the tail of an address that has no
/// postcode yet (or that the PDF put after the id line), or cell text.
fn leftovers(lines: &[&str], draft: &mut Draft) {
    for line in lines {
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        if !draft.has_id_cell && !draft.cells.iter().any(|c| !c.is_empty()) {
            if let Some(caps) = ID_AT_START.captures(text) {
                draft.identifier = caps.name("id").map(|m| m.as_str().to_string());
                draft.has_id_cell = true;
                push_cell(draft, caps.name("rest").map_or("", |m| m.as_str()));
                continue;
            }
        }
        let no_cells_yet = draft.cells.iter().all(|c| c.is_empty());
        let address_like = POSTCODE_LINE.is_match(text)
            || STREET_LINE.is_match(text)
            || text
                .split(['-', ' '])
                .all(|w| w.chars().all(|c| c.is_ascii_digit()));
        let short = text.split_whitespace().count() <= 3 && !text.ends_with('.');
        if !draft.has_postcode() && (address_like || (short && no_cells_yet)) {
            draft.address.push(text.to_string());
        } else if no_cells_yet && !draft.has_id_cell && short {
            // `Lyngby` after `2800 Kongens`, `Berkshire` after `Bracknell,`.
            draft.address.push(text.to_string());
        } else {
            push_cell(draft, text);
        }
    }
}

fn push_cell(draft: &mut Draft, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    match draft.cells.last_mut() {
        Some(cell) => cell.push(text.to_string()),
        None => draft.cells.push(vec![text.to_string()]),
    }
}

fn is_name_block(block: &[&str]) -> bool {
    !block.is_empty()
        && block.len() <= 6
        && block[0]
            .trim()
            .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        && block
            .iter()
            .take(3)
            .any(|l| has_legal_form(l) || block.len() <= 3)
        && block.iter().all(|l| {
            let words = l.split_whitespace().count();
            words <= 8 && !(words > 4 && l.trim_end().ends_with(['.', ':']))
        })
}

/// A name and address inside a block of lines: `name_start..street` are the name lines,
/// `street..=postcode` the address.
struct Group {
    name_start: usize,
    street: usize,
    postcode: usize,
}

/// Street names that make `3687 Tampa Rd.` a street, not a postcode and a town.
const STREET_WORDS: &[&str] = &[
    "rd",
    "rd.",
    "road",
    "street",
    "st.",
    "avenue",
    "ave",
    "drive",
    "way",
    "lane",
    "blvd",
    "boulevard",
    "plads",
    "allé",
];

fn is_postcode_line(block: &[&str], p: usize) -> bool {
    let line = block[p].trim();
    if !POSTCODE_LINE.is_match(line) || ID_AT_START.is_match(line) {
        // `97950` / `Grossinderfeld`: a bare postcode with the town on the next line.
        let bare = line.len() >= 4 && line.len() <= 6 && line.chars().all(|c| c.is_ascii_digit());
        return bare
            && block
                .get(p + 1)
                .is_some_and(|n| n.trim().starts_with(char::is_uppercase));
    }
    let last = line.split_whitespace().last().unwrap_or("").to_lowercase();
    if STREET_WORDS.contains(&last.trim_end_matches(',')) {
        return false;
    }
    // A street-and-number line above a real postcode line two lines down is not the postcode.
    !(1..=2).any(|k| {
        block
            .get(p + k)
            .is_some_and(|n| POSTCODE_LINE.is_match(n) && !ID_AT_START.is_match(n))
            && block[p + 1..p + k].iter().all(|l| !has_legal_form(l))
    })
}

fn name_groups(block: &[&str]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut floor = 0;
    for p in 0..block.len() {
        if p < floor || !is_postcode_line(block, p) {
            continue;
        }
        let Some(street) = street_of(block, floor, p) else {
            continue;
        };
        let mut name_start = street;
        while name_start > floor
            && street - name_start < 5
            && is_name_line(block, name_start - 1, floor)
        {
            name_start -= 1;
        }
        if name_start == street {
            continue;
        }
        // Without a street line or a company form, a name is only believed at the start of a
        // block: inside one it is the tail of the address before (`Business Park` / `D18 Dublin`).
        let weak = street == p && !block[name_start..p].iter().any(|l| has_legal_form(l));
        if weak && name_start != 0 {
            continue;
        }
        groups.push(Group {
            name_start,
            street,
            postcode: p,
        });
        floor = p + 1;
    }
    groups
}

/// The first line of the address that ends at postcode line `p`: the topmost of the street
/// lines just above it (`444 Castro Street,` / `Suite 400`), a street name whose house number
/// stands alone on the next line (`Tammasaarenkatu` / `7`), or `p` itself.
fn street_of(block: &[&str], floor: usize, p: usize) -> Option<usize> {
    let is_street = |i: usize| {
        let line = block[i].trim();
        STREET_LINE.is_match(line)
            && !has_legal_form(line)
            && !(i > 0 && block[i - 1].trim_end().ends_with('-'))
    };
    // `7`, `12, 3 sal`, `36-38`, `1.tv`: a house number or floor whose street is above it.
    let house_number = |i: usize| {
        let line = block[i].trim();
        line.starts_with(|c: char| c.is_ascii_digit())
            && line.split_whitespace().count() <= 3
            && !line
                .split(|c: char| !c.is_alphabetic())
                .any(|w| w.chars().count() >= 4)
    };
    let Some(mut s) = (floor..p)
        .rev()
        .take(3)
        .find(|&i| is_street(i) || house_number(i))
    else {
        return Some(p);
    };
    while s > floor && (house_number(s) || is_street(s - 1)) {
        s -= 1;
    }
    // A street name starts with a capital; `datastrukturer` / `36-38` is cell text above an
    // address tail.
    (!block[s].trim_start().starts_with(char::is_lowercase) && !house_number(s)).then_some(s)
}

fn starts_with_legal_form(line: &str) -> bool {
    line.split_whitespace().next().is_some_and(has_legal_form)
}

fn is_name_line(block: &[&str], i: usize, floor: usize) -> bool {
    let line = block[i].trim();
    let words = line.split_whitespace().count();
    let last = line.split_whitespace().last().unwrap_or("").to_lowercase();
    let runs_on = [
        "en", "et", "at", "og", "i", "af", "til", "som", "der", "er", "de", "for", "med", "på",
    ]
    .contains(&last.as_str());
    let sentence_like = words > 8 || (words > 3 && line.ends_with(['.', ':', ';'])) || runs_on;
    // A lower-case start continues the name above (`Competella ApS -` / `brug 22478`) or is the
    // first line of the block (`xink`).
    let lower_ok = i == floor || (i > 0 && !block[i - 1].trim_end().ends_with(['.', ':']));
    !line.is_empty()
        && (!sentence_like || has_legal_form(line))
        && !POSTCODE_LINE.is_match(line)
        && !ID_AT_START.is_match(line)
        && !URL.is_match(line)
        && (line.starts_with(|c: char| !c.is_lowercase()) || lower_ok)
}

fn has_legal_form(text: &str) -> bool {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| c == ',' || c == '(' || c == ')')
                .to_lowercase()
        })
        .any(|w| {
            // `lnc.`, `1nc.`, `|nc.`: OCR read the capital I of `Inc.` as l, 1 or a bar.
            let w = match w.strip_prefix(['l', '1', '|']) {
                Some(rest) if rest.starts_with('n') => format!("i{rest}"),
                _ => w,
            };
            is_legal_form(&w) && w != "l" && w != "se" && w != "as" && w != "sa"
        })
}

fn draft_to_row(mut d: Draft) -> Subprocessor {
    d.cells.retain(|c| !c.is_empty());
    let name = clean(&d.name.join(" "));
    let address = clean(&d.address.join(", ").replace(", ,", ","));
    let cell = |k: usize| {
        d.cells
            .get(k)
            .map(|c| clean(&c.join(" ")))
            .filter(|s| !s.is_empty())
    };
    let (location, description, transfer) = match d.cells.len() {
        0 => (None, None, None),
        1 => (cell(0), None, None),
        2 => (cell(0), cell(1), None),
        _ => (
            cell(0),
            cell(1),
            Some(clean(
                &d.cells[2..]
                    .iter()
                    .map(|c| c.join(" "))
                    .collect::<Vec<_>>()
                    .join(" "),
            )),
        ),
    };
    let us = is_american(&name, &address);
    Subprocessor {
        identifier: d.identifier.as_deref().and_then(|id| classify(id, us)),
        name,
        address: (!address.is_empty()).then_some(address),
        country: None,
        location,
        description,
        transfer,
        third_country: None,
        transfer_basis: None,
        category: None,
        clause: None,
        extra: Default::default(),
    }
}

fn is_american(name: &str, address: &str) -> bool {
    country::of_company_form(name) == Some("US") || country::of_address(address) == Some("US")
}

/// Row lines: a row per paragraph, or per line where every line of a paragraph is a row.
fn row_lines(lines: &[&str], mut previous: Option<&mut Subprocessor>) -> Vec<Subprocessor> {
    let mut rows: Vec<Subprocessor> = Vec::new();
    for para in lines
        .split(|l| l.trim().is_empty())
        .filter(|p| !p.is_empty())
    {
        let every_line_a_row = para.len() > 1 && para.iter().all(|l| starts_row(l));
        let units: Vec<String> = if every_line_a_row {
            para.iter().map(|l| l.trim().to_string()).collect()
        } else {
            vec![para.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")]
        };
        for unit in units {
            match parse_row(&unit) {
                Some(row) => rows.push(row),
                None => {
                    // Not a row: it continues the description of the row before it.
                    let target = match rows.last_mut() {
                        Some(r) => Some(r),
                        None => previous.as_deref_mut(),
                    };
                    if let Some(r) = target {
                        let d = r.description.get_or_insert_with(String::new);
                        if !d.is_empty() {
                            d.push(' ');
                        }
                        d.push_str(&clean(&unit));
                    }
                }
            }
        }
    }
    rows
}

fn starts_row(line: &str) -> bool {
    let first_words: Vec<&str> = line.split_whitespace().take(8).collect();
    ID_IN_LINE.is_match(line) || has_legal_form(&first_words.join(" "))
}

/// One row read from a line of text: name (up to the registration number, or up to the last
/// company form, or up to the first country), then address up to the first country, the
/// location, and the rest as description.
fn parse_row(text: &str) -> Option<Subprocessor> {
    let text = clean(text);
    let (name, identifier, after) = if let Some(m) = ID_IN_LINE.find(&text) {
        let before = text[..m.start()].trim();
        if before.is_empty() {
            return None;
        }
        (
            before.to_string(),
            Some(m.as_str().to_string()),
            text[m.end()..].trim().to_string(),
        )
    } else {
        let words: Vec<&str> = text.split_whitespace().collect();
        let form_end = words
            .iter()
            .take(10)
            .rposition(|w| has_legal_form(w))
            .map(|i| i + 1);
        let country_at = words.iter().position(|w| country::named_in(w).is_some());
        let end = form_end.or(country_at.filter(|&c| c > 0))?;
        (words[..end].join(" "), None, words[end..].join(" "))
    };
    let lower = after.to_lowercase();
    let location_at = LOCATION_WORDS
        .iter()
        .filter_map(|w| country::find_word(&lower, w))
        .chain(country::first_named_at(&after).map(|(at, _)| at))
        .min();
    let (address, rest) = match location_at {
        Some(at) => (
            after[..at].trim().trim_end_matches(',').to_string(),
            after[at..].to_string(),
        ),
        None => (after.clone(), String::new()),
    };
    let (location, description) = split_location(&rest);
    let us = is_american(&name, &address);
    Some(Subprocessor {
        identifier: identifier.as_deref().and_then(|id| classify(id, us)),
        name: clean(&name),
        address: (!address.is_empty()).then(|| clean(&address)),
        country: None,
        location,
        description,
        transfer: None,
        third_country: None,
        transfer_basis: None,
        category: None,
        clause: None,
        extra: Default::default(),
    })
}

/// Words that start a location cell besides country names.
const LOCATION_WORDS: &[&str] = &["eu", "eøs", "eu/eøs", "hele verden", "worldwide", "europa"];

/// `Irland (EU) Objektlagring af dokumenter` → location `Irland (EU)`, description the rest.
fn split_location(rest: &str) -> (Option<String>, Option<String>) {
    let rest = rest.trim();
    if rest.is_empty() {
        return (None, None);
    }
    let mut words = rest.split_whitespace().peekable();
    let mut location: Vec<&str> = Vec::new();
    while let Some(w) = words.peek() {
        let lower = w.to_lowercase();
        let is_place = country::named_in(w).is_some()
            || LOCATION_WORDS
                .contains(&lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '/'))
            || (w.starts_with('(') && !location.is_empty())
            || (location
                .last()
                .is_some_and(|l| l.starts_with('(') && !l.ends_with(')')))
            || (lower == "og" && !location.is_empty());
        if !is_place {
            break;
        }
        location.push(w);
        words.next();
    }
    let description: Vec<&str> = words.collect();
    (
        (!location.is_empty()).then(|| location.join(" ")),
        (!description.is_empty()).then(|| description.join(" ")),
    )
}

/// Prose: `Databehandleren anvender følgende underdatabehandlere: Zendesk Inc., Mailgun
/// Technologies Inc. og Visma e-conomic A/S.` — the names after the colon, split at commas and
/// `og`/`and`.
fn prose_list(lines: &[&str], clause: Option<&str>) -> Vec<Subprocessor> {
    let text = lines.join(" ");
    let lower = text.to_lowercase();
    let Some(at) = [
        "underdatabehandlere:",
        "underdatabehandler:",
        "sub-processors:",
    ]
    .iter()
    .filter_map(|w| lower.find(w).map(|p| p + w.len()))
    .min() else {
        return Vec::new();
    };
    let tail = &text[at..];
    // The sentence ends at a full stop before a capital that does not close an abbreviation.
    let end = tail.match_indices(". ").map(|(i, _)| i).find(|&i| {
        let next_upper = tail[i + 2..].starts_with(char::is_uppercase);
        let word = tail[..i].rsplit(' ').next().unwrap_or("").to_lowercase();
        next_upper && !["inc", "ltd", "corp", "co", "nr", "pkt", "bl.a"].contains(&word.as_str())
    });
    let sentence = end
        .map_or(tail, |i| &tail[..i + 1])
        .trim()
        .trim_end_matches('.');
    let items: Vec<&str> = sentence
        .split(", ")
        .flat_map(|part| part.split(" og "))
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|item| item.starts_with(char::is_uppercase) && item.split_whitespace().count() <= 8)
        .collect();
    // A list of companies, not a sentence that happens to follow a colon.
    if items.len() < 2 && !items.iter().any(|i| has_legal_form(i)) {
        return Vec::new();
    }
    items
        .into_iter()
        .map(|item| {
            let mut row = parse_row(item).unwrap_or_else(|| bare_row(item));
            row.clause = clause.map(str::to_string);
            row
        })
        .collect()
}

fn bare_row(name: &str) -> Subprocessor {
    Subprocessor {
        name: clean(name),
        identifier: None,
        address: None,
        country: None,
        location: None,
        description: None,
        transfer: None,
        third_country: None,
        transfer_basis: None,
        category: None,
        clause: None,
        extra: Default::default(),
    }
}

/// Bulleted lists under a sentence that announces the sub-processors.
/// A bulleted or numbered list of sub-processors under the line that announces it: a line about
/// sub-processors that ends in a colon, or that says the list follows (`følgende`, `the
/// following`) with or without one. Items are `Name`, `Name (purpose)`, `Name – purpose`,
/// `Name, purpose`; lines indented under an item add its registration number, address or a
/// `Label: text` (purpose, location, transfer).
fn bullet_list(lines: &[&str], clause: Option<&str>) -> Vec<Subprocessor> {
    let announce = lines.iter().position(|l| {
        let lower = l.to_lowercase();
        let about = lower.contains("underdatabehandler")
            || lower.contains("underbehandler")
            || lower.contains("sub-processor")
            || lower.contains("subprocessor");
        let follows = ["følgende", "nedenstående", "following", "listed below"]
            .iter()
            .any(|w| lower.contains(w));
        about && (l.trim_end().ends_with(':') || follows)
    });
    let Some(start) = announce else {
        return Vec::new();
    };
    let mut rows: Vec<Subprocessor> = Vec::new();
    for line in &lines[start + 1..] {
        if line.trim().is_empty() {
            continue;
        }
        let Some(caps) = BULLET.captures(line) else {
            let indented = line.starts_with([' ', '\t']);
            match rows.last_mut() {
                Some(row) if indented => item_detail(row, line.trim()),
                _ => break,
            }
            continue;
        };
        let item = caps.get(1).map_or("", |m| m.as_str());
        let (name, rest) = match item.find([',', '(', '–', ':']).or_else(|| item.find(" - ")) {
            // `OVH S.A.S.`, `Supabase, Inc.`: a comma before a legal form stays in the name.
            Some(at) if item[at..].starts_with(',') && legal_form_follows(&item[at + 1..]) => {
                split_after_form(item, at)
            }
            Some(at) => (
                &item[..at],
                item[at..].trim_start_matches([',', '–', '-', ':', ' ']),
            ),
            None => (item, ""),
        };
        if name.trim().is_empty() || !subprocessor_lists::reads_as_company(name.trim()) {
            continue;
        }
        let id = ID_IN_LINE.find(rest).map(|m| m.as_str().to_string());
        let us = country::of_company_form(name) == Some("US");
        rows.push(Subprocessor {
            name: clean(name),
            identifier: id.as_deref().and_then(|i| classify(i, us)),
            location: country::named_in(rest)
                .map(|_| clean(rest.trim_start_matches('(').trim_end_matches(')'))),
            description: (!rest.is_empty())
                .then(|| clean(rest.trim_start_matches('(').trim_end_matches(')'))),
            clause: clause.map(str::to_string),
            ..Subprocessor::default()
        });
    }
    rows
}

/// Does a legal form start `text` (`Inc.`, `LLC`)?
fn legal_form_follows(text: &str) -> bool {
    let word = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches([',', ')'])
        .to_lowercase();
    is_legal_form(&word)
}

/// `Supabase, Inc. (database)` split after the legal form that follows the comma at `at`.
fn split_after_form(item: &str, at: usize) -> (&str, &str) {
    let after = &item[at + 1..];
    let form_start = at + 1 + (after.len() - after.trim_start().len());
    let form_end = item[form_start..]
        .find(char::is_whitespace)
        .map_or(item.len(), |k| form_start + k);
    let name = item[..form_end].trim_end_matches(',');
    let rest = item[form_end..].trim_start_matches([',', '–', '-', ' ', '(']);
    (name, rest.trim_end_matches(')'))
}

/// A line indented under a list item: a registration number, an address or `Label: text`.
fn item_detail(row: &mut Subprocessor, text: &str) {
    let lower = text.to_lowercase();
    if let Some((label, value)) = text.split_once(':') {
        let label = label.to_lowercase();
        let value = clean(value);
        if [
            "lokation",
            "placering",
            "location",
            "land",
            "country",
            "region",
            "hosting",
        ]
        .iter()
        .any(|w| label.contains(w))
        {
            row.location = Some(value);
        } else if ["overførsel", "transfer", "grundlag", "tredjeland"]
            .iter()
            .any(|w| label.contains(w))
        {
            row.transfer = Some(value);
        } else if row.identifier.is_none()
            && ["cvr", "vat", "org", "reg", "rcs", "ein"]
                .iter()
                .any(|w| label.contains(w))
        {
            row.identifier = classify(&value, false).or_else(|| foreign_id(&value));
        } else {
            row.description = Some(match row.description.take() {
                Some(d) => format!("{d}; {value}"),
                None => value,
            });
        }
        return;
    }
    let id_label = [
        "cvr", "vat", "rcs", "org.nr", "org. nr", "reg.nr", "ein", "siren", "kvk", "hrb",
    ]
    .iter()
    .any(|w| lower.starts_with(w));
    if row.identifier.is_none() && id_label {
        row.identifier = classify(text, false).or_else(|| foreign_id(text));
    } else if row.address.is_none() && text.chars().any(|c| c.is_ascii_digit()) {
        row.address = Some(clean(text));
    } else {
        row.description = Some(match row.description.take() {
            Some(d) => format!("{d}; {}", clean(text)),
            None => clean(text),
        });
    }
}

/// A registration number of a kind not checked here (a French RCS/SIREN, a German HRB …), kept
/// as printed with kind `foreign`.
fn foreign_id(text: &str) -> Option<RowIdentifier> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 6).then(|| RowIdentifier {
        kind: IdentifierKind::Foreign,
        value: clean(text),
        valid: false,
    })
}

/// Country, third-country flag and transfer basis, from everything the row says.
fn finish_row(row: &mut Subprocessor) {
    let id_country = row.identifier.as_ref().and_then(country::of_identifier);
    let address_country = row.address.as_deref().and_then(country::of_address);
    row.country = id_country
        .or(address_country)
        .or_else(|| row.location.as_deref().and_then(country::named_in))
        .or_else(|| country::of_company_form(&row.name))
        .map(str::to_string);
    let said = [&row.location, &row.description, &row.transfer]
        .iter()
        .filter_map(|s| s.as_deref())
        .collect::<Vec<_>>()
        .join(" ");
    row.third_country =
        third_country(&said).or_else(|| row.country.as_deref().map(|c| !country::is_eea(c)));
    row.transfer_basis = transfer_basis(&said);
}

/// `true` when processing or support may happen outside the EU/EEA, `false` when the text
/// confines it there, `None` when it says nothing about where.
pub fn third_country(text: &str) -> Option<bool> {
    let lower = text.to_lowercase();
    if lower.trim().is_empty() {
        return None;
    }
    let outside = [
        "tredjeland",
        "udenfor eu",
        "uden for eu",
        "udenfor eøs",
        "uden for eøs",
        "udenfor europa",
        "uden for europa",
        "hele verden",
        "worldwide",
        "amerikansk",
        "outside the eu",
        "third countr",
    ];
    let negated = [
        "ingen tredjeland",
        "ikke tredjeland",
        "ingen overførsel",
        "no transfer",
    ];
    if negated.iter().any(|n| lower.contains(n)) {
        return Some(false);
    }
    if outside.iter().any(|o| lower.contains(o))
        || country::all_named_in(text)
            .iter()
            .any(|c| !country::is_eea(c))
    {
        return Some(true);
    }
    let inside = [
        "eu",
        "eøs",
        "europa",
        "europæisk",
        "eea",
        "indenfor eu",
        "inden for eu",
    ];
    if inside
        .iter()
        .any(|w| country::find_word(&lower, w).is_some() || lower.contains(w))
        || country::all_named_in(text)
            .iter()
            .any(|c| country::is_eea(c))
    {
        return Some(false);
    }
    None
}

/// The legal basis named for a transfer.
pub fn transfer_basis(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let basis = if lower.contains("scc")
        || lower.contains("standardkontrakt")
        || lower.contains("standard contractual")
    {
        "SCC"
    } else if lower.contains("privacy framework") || lower.contains("dpf") {
        "DPF"
    } else if lower.contains("artikel 45")
        || lower.contains("tilstrækkeligt beskyttelsesniveau")
        || lower.contains("adequacy")
    {
        "adequacy"
    } else if lower.contains("bcr") || lower.contains("bindende virksomhedsregler") {
        "BCR"
    } else {
        return None;
    };
    Some(basis.to_string())
}

fn clean(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches([',', ' '])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(number: &str, text: &str) -> Clause {
        Clause::new(Some(number), None, text)
    }

    #[test]
    fn bullets_in_every_shape_under_a_sentence_without_a_colon() {
        let c = clause(
            "5",
            "Databehandleren benytter følgende underdatabehandlere

- Alfa Hosting ApS (drift af servere)
- Beta Mail AB – udsendelse af e-mail
- Gamma Cloud Inc.: backup
  Lokation: Irland
- Delta Support
",
        );
        let (rows, _) = subprocessors(&[c]);
        let got: Vec<(&str, Option<&str>)> = rows
            .iter()
            .map(|r| (r.name.as_str(), r.description.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("Alfa Hosting ApS", Some("drift af servere")),
                ("Beta Mail AB", Some("udsendelse af e-mail")),
                ("Gamma Cloud Inc.", Some("backup")),
                ("Delta Support", None),
            ]
        );
        assert_eq!(rows[2].location.as_deref(), Some("Irland"));
        assert_eq!(rows[2].country.as_deref(), Some("IE"));
    }

    #[test]
    fn inline_table_of_one_line_rows() {
        let c = clause("9.4", "Den Dataansvarlige godkender følgende underdatabehandlere:\n\nVirksomhed Land Funktion\nUnoEuro Danmark A/S Danmark DNS & SMTP\n");
        let (rows, source) = subprocessors(&[c]);
        assert!(source.is_none());
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.name, "UnoEuro Danmark A/S");
        assert_eq!(r.location.as_deref(), Some("Danmark"));
        assert_eq!(r.description.as_deref(), Some("DNS & SMTP"));
        assert_eq!(
            (r.country.as_deref(), r.third_country),
            (Some("DK"), Some(false))
        );
    }

    #[test]
    fn stacked_cells() {
        let text = "Hosting og Drift\n\nNavn/Adresse CVR Lokation for\nbehandling\n\nBeskrivelse af\nbehandlingen\n\n\
Uniqkey ApS\nLyskær 8 A\nHERLEV 2730\n\n39004127 EU og Pakistan Omstillingsbord\n\nBenytter datterselskab i Pakistan\n\n\
Microsoft Ireland\nOperations L\nSouth County\n\nIE8256796U\n Business Park\nD18 Dublin D18\nCegal Danmark\nA/S\nTobaksvejen 2A\n2860 Søborg\n\n29208573 EU/EØS lande Health check\n";
        let (rows, _) = subprocessors(&[clause("B.1", text)]);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Uniqkey ApS",
                "Microsoft Ireland Operations L South County",
                "Cegal Danmark A/S"
            ]
        );
        assert_eq!(
            rows[0].identifier.as_ref().map(|i| i.value.as_str()),
            Some("39004127")
        );
        assert_eq!(rows[0].category.as_deref(), Some("Hosting og Drift"));
        assert_eq!(rows[0].third_country, Some(true));
        assert_eq!(
            rows[1].identifier.as_ref().map(|i| i.value.as_str()),
            Some("IE8256796U")
        );
        assert!(
            rows[1]
                .address
                .as_deref()
                .is_some_and(|a| a.contains("D18 Dublin")),
            "{:?}",
            rows[1].address
        );
        assert_eq!(
            rows[2].identifier.as_ref().map(|i| i.value.as_str()),
            Some("29208573")
        );
    }

    #[test]
    fn a_list_by_link_is_a_source() {
        let c = clause("19.1", "Den Dataansvarlige giver hermed sin godkendelse til, at Databehandleren anvender de Underdatabehandlere,\nsom er vist pa dette link.");
        let (rows, source) = subprocessors(&[c]);
        assert!(rows.is_empty());
        let source = source.expect("a link source");
        assert_eq!(
            (source.kind, source.clause.as_deref()),
            (SubprocessorSourceKind::Link, Some("19.1"))
        );
    }

    #[test]
    fn bulleted_list() {
        let c = clause("5.1", "Databehandleren anvender følgende underdatabehandlere:\n- Amazon Web Services EMEA SARL (Luxembourg) – hosting\n- Zendesk Inc., USA, supportsystem\n");
        let (rows, _) = subprocessors(&[c]);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Amazon Web Services EMEA SARL", "Zendesk Inc."]);
        assert_eq!(rows[1].third_country, Some(true));
    }

    #[test]
    fn prose_list_of_names() {
        let c = clause("9.2", "Databehandleren anvender følgende underdatabehandlere: Zendesk Inc., Mailgun\nTechnologies Inc. og Visma e-conomic A/S. Listen opdateres løbende.");
        let (rows, _) = subprocessors(&[c]);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Zendesk Inc.",
                "Mailgun Technologies Inc.",
                "Visma e-conomic A/S"
            ]
        );
        assert_eq!(rows[2].country.as_deref(), Some("DK"));
    }

    #[test]
    fn transfer_flags_and_bases() {
        assert_eq!(third_country("Inden og udenfor EU"), Some(true));
        assert_eq!(
            third_country("Europæiske Økonomisk Samarbejdsområde EØS"),
            Some(false)
        );
        assert_eq!(third_country("Hele verden"), Some(true));
        assert_eq!(third_country(""), None);
        assert_eq!(
            transfer_basis("Overførselsgrundlag: SCC").as_deref(),
            Some("SCC")
        );
        assert_eq!(
            transfer_basis("EU-US data privacy framework").as_deref(),
            Some("DPF")
        );
    }
}
