//! The change log (`Ændringslog`, `Versionshistorik`) near the start of a document, and the
//! latest version in it.
//!
//! A change log is a table whose rows start with a version and (usually) a date:
//! `2.0 05.09.2019 Dan Aggerholm, COO Opdateret ift. GDPR`. Rows may wrap: the author's role
//! and the rest of the change text continue on the lines below. The table is looked for in the
//! preamble (the unnumbered clauses before the first numbered one) and, failing that, in the
//! head of the document text. Without a header line (`Ændringslog`, OCR `Andringslog`, …) at
//! least two dated rows are needed.
//!
//! Versions the OCR damaged (`24` for `2.4`) are put right from their neighbours in the table;
//! dates (`dd.mm.yyyy`, `dd-mm-yyyy`, `dd/mm/yyyy`, `yyyy-mm-dd`, `5. september 2019`, and
//! two-digit years) come out as ISO dates via [`super::metadata::parse_date`].

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;

use super::metadata::parse_date;
use crate::record::{ChangelogEntry, Clause};

/// How much of the document text is searched when the preamble holds no change log.
const HEAD_CHARS: usize = 20_000;

/// How many lines after the header a change log may run.
const MAX_LINES: usize = 200;

static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W{0,3}(?:æ|ae|a|/e|/a|e)ndrings(?:log|historik|oversigt)|^\W{0,3}(?:versions|revisions|dokument)(?:historik|historie|log|oversigt)|^\W{0,3}change\s*log|^\W{0,3}(?:version|revision) history|^\W{0,3}dokumentstyring",
    )
    .expect("valid regex")
});
/// `Version  Dato  Forfatter  Ændring`: the column header of the table.
static COLUMNS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W{0,3}(?:version|ver\.|nr\.?)\s+\D*$").expect("valid regex")
});
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^\s*\|?\s*
        (?:[Vv](?:ersion|er\.?)?\s*)?
        (?P<version>\d{1,3}(?:[.,]\d{1,3}){0,2})
        (?:\s*\|\s*|\s+)
        (?:(?P<date>\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+\p{L}{3,9}\.?\s+\d{4})(?:\s*\|\s*|\s+|$))?
        (?P<rest>.*)$",
    )
    .expect("valid regex")
});
static SHORT_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})([./-])(\d{1,2})[./-](\d{2})$").expect("valid regex"));
/// A clause start (`1. Indledning`, `BAGGRUND OG FORMÅL`) ends the table.
static CLAUSE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d{1,2}\.\s+\p{Lu}\p{Ll}").expect("valid regex"));

/// Role words that may follow an author's name on a row.
const ROLE_WORDS: &[&str] = &[
    "direktør",
    "direktor",
    "jurist",
    "specialist",
    "konsulent",
    "ansvarlig",
    "chef",
    "manager",
    "leder",
    "advokat",
    "koordinator",
    "officer",
    "dpo",
];

/// The change log (Ændringslog / Versionshistorik table) near the start of a document.
pub fn changelog(clauses: &[Clause], text: &str) -> Vec<ChangelogEntry> {
    let mut preamble = String::new();
    for clause in clauses.iter().take_while(|c| c.number.is_none()) {
        if let Some(h) = clause.reading_heading() {
            preamble.push_str(h);
            preamble.push('\n');
        }
        preamble.push_str(clause.reading_text());
        preamble.push_str("\n\n");
    }
    let found = from_lines(&preamble);
    if !found.is_empty() {
        return found;
    }
    let head: String = text.chars().take(HEAD_CHARS).collect();
    from_lines(&head)
}

/// The highest version among the entries (`2.10` is above `2.9`).
pub fn latest_version(entries: &[ChangelogEntry]) -> Option<String> {
    entries
        .iter()
        .max_by(|a, b| compare_versions(&a.version, &b.version))
        .map(|e| e.version.clone())
}

/// Numeric comparison part by part; non-numeric parts count as 0.
fn compare_versions(a: &str, b: &str) -> Ordering {
    let parts = |s: &str| -> Vec<u64> {
        s.split(['.', ','])
            .map(|p| p.trim().parse::<u64>().unwrap_or(0))
            .collect()
    };
    let (pa, pb) = (parts(a), parts(b));
    let n = pa.len().max(pb.len());
    for k in 0..n {
        let x = pa.get(k).copied().unwrap_or(0);
        let y = pb.get(k).copied().unwrap_or(0);
        match x.cmp(&y) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    Ordering::Equal
}

/// A row being read, before its version is checked against its neighbours.
struct Row {
    version: String,
    date: Option<String>,
    name: Option<String>,
    role: Option<String>,
    /// The name ended in a comma and no role followed on the row: the role is on the next line.
    role_pending: bool,
    change: String,
}

/// Change-log rows in some lines of text.
fn from_lines(text: &str) -> Vec<ChangelogEntry> {
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| HEADER.is_match(l.trim()));
    let begin = header.map_or(0, |h| h + 1);
    let mut rows: Vec<Row> = Vec::new();
    let mut roles: Vec<String> = Vec::new();
    let mut blank_run = 0;
    for line in lines.iter().skip(begin).take(MAX_LINES) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            blank_run += 1;
            if blank_run >= 2 && !rows.is_empty() {
                break;
            }
            continue;
        }
        let after_blank = blank_run > 0;
        blank_run = 0;
        if let Some(row) = parse_row(trimmed, header.is_some(), &roles) {
            // An undated row after dated ones, or after a gap, is a clause, not a row.
            if row.date.is_none()
                && !rows.is_empty()
                && (after_blank || rows.iter().any(|r| r.date.is_some()))
            {
                break;
            }
            if let Some(r) = &row.role {
                remember(&mut roles, r);
            }
            rows.push(row);
            continue;
        }
        let Some(current) = rows.last_mut() else {
            if header.is_some() && (COLUMNS.is_match(trimmed) || trimmed.len() < 80) {
                continue;
            }
            if header.is_none() {
                continue;
            }
            break;
        };
        if after_blank || ends_table(trimmed) {
            break;
        }
        continue_row(current, trimmed, &mut roles);
    }
    let dated = rows.iter().filter(|r| r.date.is_some()).count();
    if header.is_none() && dated < 2 {
        return Vec::new();
    }
    repair_versions(&mut rows);
    rows.into_iter()
        .map(|r| {
            let author = match (r.name, r.role) {
                (Some(n), Some(role)) => Some(format!("{n}, {role}")),
                (Some(n), None) => Some(n),
                (None, Some(role)) => Some(role),
                (None, None) => None,
            };
            ChangelogEntry {
                version: r.version,
                date: r.date,
                author,
                change: collapse(&r.change),
            }
        })
        .collect()
}

fn remember(roles: &mut Vec<String>, role: &str) {
    if !role.is_empty() && !roles.iter().any(|r| r == role) {
        roles.push(role.to_string());
    }
}

/// An upper-case heading or a numbered clause: the table is over.
fn ends_table(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.len() >= 8 && letters.iter().all(|c| c.is_uppercase());
    upper || CLAUSE_START.is_match(line)
}

/// One row: version, date, author and the start of the change.
fn parse_row(line: &str, has_header: bool, roles: &[String]) -> Option<Row> {
    let caps = ROW.captures(line)?;
    let version = caps.name("version")?.as_str().replace(',', ".");
    let raw_date = caps.name("date").map(|m| m.as_str());
    let rest = caps.name("rest").map_or("", |m| m.as_str()).trim();
    let date = raw_date.and_then(date_iso);
    if date.is_none() {
        // Without a date only a table under a header counts, and only dotted versions
        // (`1.1 Parterne …` in a preamble is not a change-log row).
        if !has_header || !version.contains('.') || rest.is_empty() {
            return None;
        }
    }
    let cells: Vec<&str> = rest
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let mut row = Row {
        version,
        date,
        name: None,
        role: None,
        role_pending: false,
        change: String::new(),
    };
    if cells.len() >= 2 {
        // A table with cell borders: author | change.
        let (name, role, _) = split_author(cells[0], roles);
        row.name = name.or_else(|| Some(cells[0].to_string()));
        row.role = role;
        row.change = cells[1..].join(" ");
        return Some(row);
    }
    let (name, role, change) = split_author(rest, roles);
    row.role_pending = name.is_some() && role.is_none() && change_follows_comma(rest);
    row.name = name;
    row.role = role;
    row.change = change.to_string();
    if row.role_pending {
        unglue_roles(std::slice::from_mut(&mut row), roles);
        row.role_pending = row.role.is_none();
    }
    Some(row)
}

/// `Troels Ladefoged, Afsnit 5.4`: a name closed by a comma with no role after it.
fn change_follows_comma(rest: &str) -> bool {
    rest.split_once(',').is_some_and(|(before, _)| {
        let words: Vec<&str> = before.split_whitespace().collect();
        (1..=4).contains(&words.len()) && words.iter().all(|w| starts_upper(w))
    })
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// An all-capital short word (`COO`, `CTO`, `DPO`): a role or initials.
fn is_acronym(w: &str) -> bool {
    let n = w.chars().count();
    (2..=5).contains(&n) && w.chars().all(|c| c.is_uppercase())
}

/// The author's name and role, and the change text after them.
fn split_author<'a>(rest: &'a str, roles: &[String]) -> (Option<String>, Option<String>, &'a str) {
    // `Name Surname, ROLE change …` / `Name Surname, change …`
    if let Some((before, after)) = rest.split_once(',') {
        let words: Vec<&str> = before.split_whitespace().collect();
        if (1..=4).contains(&words.len()) && words.iter().all(|w| starts_upper(w)) {
            let name = Some(words.join(" "));
            let after = after.trim_start();
            if let Some(known) = roles.iter().find(|r| after.starts_with(r.as_str())) {
                let change = after.get(known.len()..).unwrap_or("").trim_start();
                return (name, Some(known.clone()), change);
            }
            let first = after.split_whitespace().next().unwrap_or("");
            let lower = first.to_lowercase();
            if is_acronym(first) || ROLE_WORDS.iter().any(|r| lower.contains(r)) {
                let change = after.get(first.len()..).unwrap_or("").trim_start();
                return (name, Some(first.to_string()), change);
            }
            return (name, None, after);
        }
    }
    // `DA Opdateret …`: initials.
    let mut words = rest.split_whitespace();
    let first = words.next().unwrap_or("");
    if is_acronym(first) && first.chars().count() <= 4 {
        let change = rest.get(first.len()..).unwrap_or("").trim_start();
        return (Some(first.to_string()), None, change);
    }
    // `Dan Aggerholm Opdateret …`: two capitalised words make a name when a third follows.
    let leading: Vec<&str> = rest.split_whitespace().take(3).collect();
    if leading.len() == 3
        && leading
            .iter()
            .all(|w| starts_upper(w) && w.chars().all(char::is_alphabetic))
    {
        let name = format!("{} {}", leading[0], leading[1]);
        let cut = rest
            .find(leading[2])
            .filter(|&p| p >= name.len())
            .unwrap_or(0);
        return (Some(name), None, rest.get(cut..).unwrap_or(rest));
    }
    (None, None, rest)
}

/// A wrapped line under a row: the pending role, then more change text.
fn continue_row(row: &mut Row, line: &str, roles: &mut Vec<String>) {
    let mut line = line.trim();
    if row.role_pending {
        row.role_pending = false;
        if let Some(known) = roles.iter().find(|r| line.starts_with(r.as_str())) {
            row.role = Some(known.clone());
            line = line.get(known.len()..).unwrap_or("").trim_start();
        } else {
            let words: Vec<&str> = line.split_whitespace().collect();
            let first = words.first().copied().unwrap_or("");
            if starts_upper(first) {
                let mut n = 1;
                while n < words.len().min(3)
                    && words[n].chars().next().is_some_and(char::is_lowercase)
                    && words[n].chars().all(char::is_alphabetic)
                {
                    n += 1;
                }
                let role = words[..n].join(" ");
                let tail = words[n..].join(" ");
                remember(roles, &role);
                row.role = Some(role);
                append(&mut row.change, &tail);
                return;
            }
        }
    }
    append(&mut row.change, line);
}

/// Add a wrapped line to a change text, undoing `bi-` / `lag` hyphenation.
fn append(change: &mut String, line: &str) {
    if line.is_empty() {
        return;
    }
    let hyphenated = change.ends_with('-')
        && change.chars().rev().nth(1).is_some_and(char::is_lowercase)
        && line.chars().next().is_some_and(char::is_lowercase);
    if hyphenated {
        change.pop();
    } else if !change.is_empty() {
        change.push(' ');
    }
    change.push_str(line);
}

/// Rows whose role line was glued into the change by hyphenation (`bi-Proces specialist lag`):
/// take the role out and join the word again.
fn unglue_roles(rows: &mut [Row], roles: &[String]) {
    for row in rows
        .iter_mut()
        .filter(|r| r.role.is_none() && r.name.is_some())
    {
        for role in roles {
            let glued = format!("-{role} ");
            if let Some(pos) = row.change.find(&glued) {
                let before = row.change.get(..pos).unwrap_or("");
                let after = row.change.get(pos + glued.len()..).unwrap_or("");
                row.change = format!("{before}{after}");
                row.role = Some(role.clone());
                break;
            }
        }
    }
}

/// Put back the dot OCR dropped from a version (`24` between `2.3` and `2.6` is `2.4`).
fn repair_versions(rows: &mut [Row]) {
    let roles: Vec<String> = rows.iter().filter_map(|r| r.role.clone()).collect();
    unglue_roles(rows, &roles);
    let dotted: Vec<Option<String>> = rows
        .iter()
        .map(|r| r.version.contains('.').then(|| r.version.clone()))
        .collect();
    if dotted.iter().all(Option::is_none) {
        return;
    }
    for i in 0..rows.len() {
        if dotted[i].is_some() || rows[i].version.len() < 2 {
            continue;
        }
        let prev = dotted[..i].iter().rev().flatten().next();
        let next = dotted[i + 1..].iter().flatten().next();
        let digits = rows[i].version.clone();
        let candidates: Vec<String> = (1..digits.len())
            .filter_map(|k| Some(format!("{}.{}", digits.get(..k)?, digits.get(k..)?)))
            .collect();
        let fits = |c: &String| match (prev, next) {
            (Some(p), Some(n)) => {
                let (lo, hi) = if compare_versions(p, n) == Ordering::Greater {
                    (n, p)
                } else {
                    (p, n)
                };
                compare_versions(c, lo) == Ordering::Greater
                    && compare_versions(c, hi) == Ordering::Less
            }
            (Some(p), None) => compare_versions(c, p) != Ordering::Equal && same_major(c, p),
            (None, Some(n)) => compare_versions(c, n) != Ordering::Equal && same_major(c, n),
            (None, None) => false,
        };
        if let Some(c) = candidates.iter().find(|c| fits(c)) {
            rows[i].version = c.clone();
        }
    }
}

fn same_major(a: &str, b: &str) -> bool {
    a.split('.').next() == b.split('.').next()
}

/// A change-log date as `YYYY-MM-DD`; two-digit years are read as 20xx.
fn date_iso(s: &str) -> Option<String> {
    if let Some(d) = parse_date(s) {
        return Some(d);
    }
    let c = SHORT_YEAR.captures(s.trim())?;
    parse_date(&format!("{}{}{}{}20{}", &c[1], &c[2], &c[3], &c[2], &c[4]))
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::analyse;
    use crate::record::SourceFormat;
    use crate::source::ReadOptions;
    use proptest::prelude::*;

    fn preamble(text: &str) -> Vec<Clause> {
        vec![
            Clause {
                number: None,
                heading: None,
                text: text.to_string(),
                level: 0,
                parent: None,
                page: None,
                topics: Vec::new(),
                inferred: false,
                repaired: None,
            },
            Clause {
                number: Some("1".to_string()),
                heading: Some("Indledning".to_string()),
                text: "1.0 Denne aftale gælder fra 01.01.2020 og 2.0 ændres 02.02.2021."
                    .to_string(),
                level: 1,
                parent: None,
                page: None,
                topics: Vec::new(),
                inferred: false,
                repaired: None,
            },
        ]
    }

    const OCR_LOG: &str = "Andringslog
Version Senest opdateret | Opdateret af Andring
2.0 05.09.2019 Dan Aggerholm, COO Opdateret ift. GDPR
2.1 06-12-2019 Dan Aggerholm, COO Bilag 1: Hovedinstruks opdateret
2.3 22-09-2022 Troels Ladefoged, Afsnit 5.4 tilføjet
Proces specialist Bilag 4: Adresser tilføjet
24 01-06-2023 Troels Ladefoged, Underskrift af ny
Proces specialist CEO
25 04-09-2023 Troels Ladefoged, Bilag 4: TrueCommerce erstatter ID Solutions med
Proces specialist samme ydelse.
2.6 12/10/2023 Troels Ladefoged, Databehandleraftale er integreret bi-Proces specialist lag til samarbejdsaftale.
Listen er flyttet.";

    #[test]
    fn rows_wrapped_lines_and_damaged_versions() {
        let log = changelog(&preamble(OCR_LOG), "");
        let versions: Vec<&str> = log.iter().map(|e| e.version.as_str()).collect();
        assert_eq!(versions, ["2.0", "2.1", "2.3", "2.4", "2.5", "2.6"]);
        let dates: Vec<&str> = log.iter().filter_map(|e| e.date.as_deref()).collect();
        assert_eq!(
            dates,
            [
                "2019-09-05",
                "2019-12-06",
                "2022-09-22",
                "2023-06-01",
                "2023-09-04",
                "2023-10-12"
            ]
        );
        assert_eq!(log[0].author.as_deref(), Some("Dan Aggerholm, COO"));
        assert_eq!(log[0].change, "Opdateret ift. GDPR");
        assert_eq!(
            log[2].author.as_deref(),
            Some("Troels Ladefoged, Proces specialist")
        );
        assert_eq!(
            log[2].change,
            "Afsnit 5.4 tilføjet Bilag 4: Adresser tilføjet"
        );
        assert_eq!(log[3].change, "Underskrift af ny CEO");
        assert_eq!(
            log[4].change,
            "Bilag 4: TrueCommerce erstatter ID Solutions med samme ydelse."
        );
        assert_eq!(
            log[5].author.as_deref(),
            Some("Troels Ladefoged, Proces specialist")
        );
        assert_eq!(
            log[5].change,
            "Databehandleraftale er integreret bilag til samarbejdsaftale. Listen er flyttet."
        );
        assert_eq!(latest_version(&log).as_deref(), Some("2.6"));
    }

    #[test]
    fn a_bordered_table_under_versionshistorik() {
        let text = "Versionshistorik\n| Version | Dato | Forfatter | Ændring |\n| 1.0 | 01/02/2020 | JD | Første udgave |\n| 1.1 | 2021-03-04 | Jens Hansen, DPO | Nye bilag |\n";
        let log = changelog(&preamble(text), "");
        assert_eq!(log.len(), 2, "{log:?}");
        assert_eq!(log[0].date.as_deref(), Some("2020-02-01"));
        assert_eq!(log[0].author.as_deref(), Some("JD"));
        assert_eq!(log[0].change, "Første udgave");
        assert_eq!(log[1].date.as_deref(), Some("2021-03-04"));
        assert_eq!(log[1].author.as_deref(), Some("Jens Hansen, DPO"));
        assert_eq!(log[1].change, "Nye bilag");
    }

    #[test]
    fn undated_rows_under_a_header_and_short_years() {
        let text = "Ændringslog\n1.0 Første udgave\n1.1 05.09.19 Opdateret ift. GDPR\n";
        let log = changelog(&preamble(text), "");
        assert_eq!(log.len(), 2, "{log:?}");
        assert_eq!(log[0].date, None);
        assert_eq!(log[0].change, "Første udgave");
        assert_eq!(log[1].date.as_deref(), Some("2019-09-05"));
    }

    #[test]
    fn descending_tables_are_repaired_too() {
        let text = "Ændringslog\n2.5 04-09-2023 Rettelser\n24 01-06-2023 Nyt bilag\n2.3 22-09-2022 Første\n";
        let log = changelog(&preamble(text), "");
        let versions: Vec<&str> = log.iter().map(|e| e.version.as_str()).collect();
        assert_eq!(versions, ["2.5", "2.4", "2.3"]);
        assert_eq!(latest_version(&log).as_deref(), Some("2.5"));
    }

    #[test]
    fn no_change_log_without_one() {
        // A version and a date in the head are metadata, not a log.
        assert!(changelog(
            &preamble("DatabehandleraftaleVersion: 1.0\nDato: 1. juni 2019"),
            ""
        )
        .is_empty());
        assert!(changelog(
            &preamble("Version 1.0 01.06.2019"),
            "Version 1.0 01.06.2019"
        )
        .is_empty());
        // Clauses are not rows, and clause 1 is not searched.
        assert!(changelog(&preamble("Databehandleraftale"), "").is_empty());
        assert!(changelog(&[], "1.1 Parterne har aftalt\n2.1 Databehandleren må").is_empty());
    }

    #[test]
    fn the_text_head_when_the_preamble_has_none() {
        let text = "Titel\n\nDokumenthistorik\n1.0 01.01.2020 Første udgave\n1.1 01.01.2021 Anden udgave\n\n1. Indledning\n";
        let log = changelog(&[], text);
        assert_eq!(log.len(), 2);
        assert_eq!(log[1].version, "1.1");
    }

    #[test]
    fn latest_version_compares_numerically() {
        let entry = |v: &str| ChangelogEntry {
            version: v.to_string(),
            date: None,
            author: None,
            change: String::new(),
        };
        let entries = [entry("1.9"), entry("1.10"), entry("1.2")];
        assert_eq!(latest_version(&entries).as_deref(), Some("1.10"));
        assert_eq!(latest_version(&[]), None);
        assert_eq!(
            latest_version(&[entry("2"), entry("1.5")]).as_deref(),
            Some("2")
        );
    }

    #[test]
    fn gold_change_log_of_seed_001() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let path = format!("{dir}/corpus/001_a01309c27944fe2b.txt");
        let bytes = std::fs::read(&path).expect("seed");
        let record =
            analyse(&path, &bytes, SourceFormat::Text, &ReadOptions::default()).expect("analyses");
        let text = crate::text::normalise(&[String::from_utf8_lossy(&bytes).into_owned()]).text;
        let log = changelog(&record.clauses, &text);
        let gold: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{dir}/fixtures/gold/seed-001.json")).expect("gold"),
        )
        .expect("gold json");
        let rows = gold["changelog"].as_array().cloned().unwrap_or_default();
        let right = rows
            .iter()
            .filter(|g| {
                log.iter().any(|e| {
                    Some(e.version.as_str()) == g["version"].as_str()
                        && e.date.as_deref() == g["date"].as_str()
                })
            })
            .count();
        println!(
            "seed 001: change log {right}/{} gold rows, {} found, latest {:?}",
            rows.len(),
            log.len(),
            latest_version(&log)
        );
        assert_eq!(right, rows.len());
        assert_eq!(log.len(), rows.len());
        assert_eq!(
            latest_version(&log).as_deref(),
            gold["metadata"]["latest_version"].as_str()
        );
        // Also found from the text alone.
        assert_eq!(changelog(&[], &text).len(), rows.len());
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(text in "(\\PC|\n|[0-9.|/ -]){0,300}") {
            let log = changelog(&preamble(&text), &text);
            let _ = latest_version(&log);
        }
    }
}
