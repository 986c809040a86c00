//! The parties of an agreement: the data controller and the data processor, each with the name
//! and company number printed for it.
//!
//! Four kinds of evidence, in order of trust:
//!
//! * the parties block: the template's `mellem X (herefter "den dataansvarlige") og Y
//!   (herefter "databehandleren")`, English `between X (the "Controller") and Y`, labelled
//!   lines and tables (`Databehandler: Navn, CVR …`, `Den dataansvarlige | …`, a role line over
//!   `Navn:`/`CVR:` fields), and role labels with their aliases in brackets
//!   (`Databehandler ("X ApS", "X", "vi", "os")`);
//! * definitions in the running text: a name just before a role in brackets (`foretaget af X,
//!   CVR nr. … ("Databehandleren")`), `X er databehandler`, `Leverandøren (X ApS)`;
//! * the title and subtitle (`Databehandleraftale – X`, `… mellem psykolog og X`);
//! * the signature block (`For databehandleren: X`, `X (Databehandler):`).
//!
//! A role noun ("Kunden", "du", a defined alias), a description ("Den virksomhed der …"), a
//! person signing, an address or a bare field label is never a name; an unfilled field
//! (`[Kommune]`, `CVR [nr.]`, `____`) marks the party as a placeholder. Where a sole trader is
//! printed both by trade name and by the owner's name, the trade name is the party's name.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::extract::identifiers;
use crate::record::{Clause, IdentifierKind, Parties, Party, PartySource};
use crate::repair::Repairer;

/// Which side of the agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Controller,
    Processor,
}

/// One reading of a party somewhere in the text.
#[derive(Debug, Clone)]
struct Candidate {
    role: Role,
    name: Option<String>,
    identifier: Option<(String, IdentifierKind)>,
    placeholder: bool,
    source: PartySource,
    /// Byte offset in the document text, for "earliest wins".
    at: usize,
    /// The name was read from a `Navn:` field beside an e-mail address of the same person.
    person: bool,
}

/// How far into the document the parties block is looked for.
const HEAD_BYTES: usize = 9000;

/// The role a word or short phrase names, if it is a role noun: `den dataansvarlige`,
/// `Databehandleren`, `the Processor`, `Kunden`, `Leverandøren`, `vi`, `du`, `Data Exporter`.
fn role_of(phrase: &str) -> Option<Role> {
    let lower = phrase
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let mut p = lower.as_str();
    for article in ["den ", "det ", "the ", "a "] {
        if let Some(rest) = p.strip_prefix(article) {
            p = rest.trim_start();
        }
    }
    static CONTROLLER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:data ?ansvarlig(?:e|es)?|(?:data )?controller|behandlingsansvarlig(?:e)?|kunde(?:n)?|customer|client|dataeksportør(?:en)?|data ?exporter)$",
        )
        .expect("valid regex")
    });
    static PROCESSOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:databehandler(?:en|e)?|(?:data )?processor|leverandør(?:en)?|supplier|(?:service )?provider|vendor|dataimportør(?:en)?|data ?importer)$",
        )
        .expect("valid regex")
    });
    if CONTROLLER.is_match(p) {
        Some(Role::Controller)
    } else if PROCESSOR.is_match(p) {
        Some(Role::Processor)
    } else {
        None
    }
}

/// The role a quoted alias stands for: a role noun, or the pronouns a vendor's own page uses
/// for itself (`"vi"`, `"os"`, `"we"`) and for its customer (`"du"`, `"you"`).
fn quoted_role(item: &str) -> Option<Role> {
    role_of(item).or_else(|| match item.trim().to_lowercase().as_str() {
        "vi" | "os" | "we" | "us" | "our" => Some(Role::Processor),
        "du" | "dig" | "you" | "your" => Some(Role::Controller),
        _ => None,
    })
}

/// Words a name never begins with: articles and determiners start a description
/// ("Den virksomhed der har oprettet en konto").
const DETERMINERS: &[&str] = &[
    "den", "det", "de", "en", "et", "enhver", "alle", "hver", "the", "a", "an", "any", "each",
    "all", "this", "denne", "dette",
];

/// Field labels that stand where a value is missing (`CVR` on an otherwise empty line).
static FIELD_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:cvr|se|vat|moms|org|reg)(?:[\s.\-]*(?:nr|nummer|no|number))?\.?:?$|^(?i:navn|name|adresse|address|firma|company|e-?mail|telefon|phone|dato|date|titel|title|stilling|underskrift|signature)\.?:?$")
        .expect("valid regex")
});
/// An unfilled template field.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[[^\]\n]*\]|_{3,}|\.{4,}|…|<[^>\n]+>|\bX{3,}\b|(?im:\bcvr(?:[\s.\-]*(?:nr|nummer|no))?\.?\s*:?\s*(?:$|[\[_,;|·]))")
        .expect("valid regex")
});
/// A street address or postcode inside a would-be name.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d{4}\s+\p{Lu}|\p{L}\s+\d{1,4}[A-Za-z]?(?:,|$)|@|https?:|www\.")
        .expect("valid regex")
});
/// English registration numbers the Danish identifier reader leaves alone.
static REGISTRATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:registration|company|reg\.?|org\.?|registered)\s*(?:number|no\.?|nr\.?)\s*[:.]?\s*([A-Z]{0,2}\s?\d[\d \-]{3,14}\d)")
        .expect("valid regex")
});
/// Company forms, so that `Fenix Nordic ApS` reads as one name.
static COMPANY_FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:A/S|ApS|I/S|P/S|K/S|IVS|AS|AB|Oy|Oyj|GmbH|AG|SE|BV|B\.V\.|NV|N\.V\.|Ltd\.?|Limited|LLC|LLP|Inc\.?|Corp\.?|plc|PLC|SAS|S\.A\.S\.|S\.A\.|SA|SARL|S\.à\.r\.l\.|S\.r\.l\.|Srl|&|Co\.?|og|and)$")
        .expect("valid regex")
});
/// A word that may be part of a name read backwards from a role marker.
static NAME_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{Lu}0-9][\p{L}0-9&.'’\-/+]*$").expect("valid regex"));
/// A bracketed group: `(herefter "databehandleren")`, `("X ApS", "X", "vi", "os")`.
static GROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([^()]{0,300})\)").expect("valid regex"));
/// A quoted word or phrase.
static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["“”„«»]([^"“”„«»\n]{1,60})["“”„«»]|['‘’]([^'‘’\n]{1,60})['‘’]"#)
        .expect("valid regex")
});
/// A role in quotes introduced outside brackets: `herefter ”den dataansvarlige”`.
static HEREAFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:herefter|hereinafter|hereafter|i det følgende)(?:\s+(?:kaldet|benævnt|omtalt som|referred to as|called))?\s*[,:]?\s*(?:den\s+|the\s+)?["“”„«»‘’']([^"“”„«»‘’'\n]{1,40})["“”„«»‘’']"#)
        .expect("valid regex")
});
/// A role given with `som`/`as` after the party: `mellem X som dataansvarlig og Y som
/// databehandler`, `between X as controller and Y as processor`.
static AS_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:som|as)\s+(?:den\s+|the\s+|a\s+)?((?:data\s+)?(?:dataansvarlig|databehandler|behandlingsansvarlig|controller|processor)(?:e|en)?)\b")
        .expect("valid regex")
});
/// `X er databehandler`, `X is the processor`.
static IS_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:er|fungerer som|optræder som)\s+(databehandler|dataansvarlig)|(?:is|acts as)\s+(?:the\s+|a\s+)?(?:data\s+)?(processor|controller))\b")
        .expect("valid regex")
});
/// `mellem X og Y` in a title line, without roles.
static BETWEEN_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:mellem|between)\s+(.+?)\s+(?:og|and)\s+(.+?)\s*[.:]?$")
        .expect("valid regex")
});
/// The end of one sentence and the start of the next (not an abbreviation such as `momsnr.`
/// before a number, or `Inc.` before a name).
static SENTENCE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Ll}{3,}[.!?]\s+\p{Lu}\p{Ll}").expect("valid regex"));
static BETWEEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:mellem|between)\b").expect("valid regex"));
static AND_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s,;:\-–]*(?:og|and|samt|&)\b[\s:,\-–]*").expect("valid regex")
});
/// An identifier label, where a name read backwards stops.
static ID_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[,(]?\s*\b(?:cvr|se-nr|vat|moms(?:nr)?|org\.?\s*nr|registration|company number|reg\.?\s*no)\b")
        .expect("valid regex")
});
/// A sole trader's owner after the trade name: `Trade Name v/ Person Name`, `… ved Person`.
static OWNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s+(?:v/|V/|c/o|ved)\s*\p{Lu}[\p{L}.\-]*(?:\s+\p{Lu}[\p{L}.\-]*){0,3}\s*$")
        .expect("valid regex")
});
/// `Key: value` fields of a party block.
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)(navn|name|firmanavn|firma|company|virksomhed|legal name|cvr[\w.\- ]*|se[\w.\- ]*|vat[\w.\- ]*|registration[\w ]*|company number|adresse|address|e-?mail|telefon|tlf\.?|phone|kontakt|contact|titel|title|stilling|position|dato|date|underskrift|signatur|signature|navn/titel)\s*[:|\t]\s*(.*)$")
        .expect("valid regex")
});

/// The controller and the processor the agreement names, from its clauses and title.
pub fn parties(clauses: &[Clause], title: Option<&str>) -> Parties {
    let doc = document_text(clauses);
    let mut found = Vec::new();
    let aliases = aliases(&doc);
    labelled(&doc, &mut found);
    markers(&doc, &mut found);
    definitions(&doc, &mut found);
    header(&doc, title, &mut found);
    if !found.iter().any(|c| c.role == Role::Processor) {
        named_before_cvr(clauses, &mut found);
    }
    for c in &mut found {
        if let Some(n) = &c.name {
            if aliases.contains(&n.to_lowercase()) {
                c.name = None;
            }
        }
    }
    let controller = choose(Role::Controller, &found, &doc, None);
    let controller_name = controller.as_ref().and_then(|p| p.name.clone());
    let controller_id = controller.as_ref().and_then(|p| p.identifier.clone());
    let mut processor = choose(Role::Processor, &found, &doc, controller_id.as_deref());
    // The controller is never the processor: a name shared by both is the controller's.
    if let (Some(p), Some(c)) = (processor.as_mut(), controller_name.as_deref()) {
        if p.name.as_deref().is_some_and(|n| same_name(n, c)) {
            p.name = None;
            if p.identifier == controller_id {
                p.identifier = None;
                p.identifier_kind = None;
            }
        }
    }
    Parties {
        controller,
        processor,
    }
}

/// The clauses as one text, a heading on its own line, a blank line between clauses.
fn document_text(clauses: &[Clause]) -> String {
    let mut doc = String::new();
    for c in clauses {
        if let Some(h) = c.reading_heading() {
            doc.push_str(h);
            doc.push('\n');
        }
        doc.push_str(c.reading_text());
        doc.push_str("\n\n");
    }
    doc
}

/// The start of `s` up to `n` bytes, on a char boundary.
fn head(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Defined short names of the parties (`"Partner"`, `"Kommunen"`, `"LogicNodes"` beside
/// `"LogicNodes ApS"`): the quoted words of a bracket that names a role, after its first.
/// They stand for a party but are not its name.
fn aliases(doc: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for g in GROUP.captures_iter(head(doc, HEAD_BYTES)) {
        let inner = g.get(1).map_or("", |m| m.as_str());
        let items = quoted_items(inner);
        if items.iter().any(|i| quoted_role(i).is_some()) || role_after_bracket(doc, g.get(0)) {
            for (i, item) in items.iter().enumerate() {
                if quoted_role(item).is_none() && (i > 0 || items.len() == 1) {
                    out.insert(item.to_lowercase());
                }
            }
        }
    }
    out
}

/// Whether the bracket stands right after a role label (`Databehandleren: X, … ("Leverandøren")`
/// has its alias in a bracket of the labelled value); used only to collect aliases.
fn role_after_bracket(doc: &str, m: Option<regex::Match>) -> bool {
    let Some(m) = m else { return false };
    let line_start = doc[..m.start()].rfind('\n').map_or(0, |i| i + 1);
    let before = &doc[line_start..m.start()];
    let prev_line = doc[..line_start.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let label = doc[prev_line..line_start.saturating_sub(1).max(prev_line)].trim();
    label.ends_with(':') && role_of(label.trim_end_matches(':')).is_some()
        || before.contains(':') && role_of(before.split(':').next().unwrap_or("")).is_some()
}

/// The quoted items of a bracket's content, in order.
fn quoted_items(s: &str) -> Vec<String> {
    QUOTED
        .captures_iter(s)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .map(|m| m.as_str().trim().to_string())
        .collect()
}

/// The company number printed in `text`, as the identifier reader gives it: (value, kind).
fn identifier_in(text: &str) -> Option<(String, IdentifierKind)> {
    let clause = Clause::new(None, None, text);
    if let Some(id) = identifiers::identifiers(std::slice::from_ref(&clause))
        .into_iter()
        .next()
    {
        return Some((id.value, id.kind));
    }
    let m = REGISTRATION.captures(text)?.get(1)?;
    let token = m.as_str().trim();
    if PLACEHOLDER.is_match(token) {
        return None;
    }
    match identifiers::classify(token, false) {
        Some(id) if id.valid => Some((id.value, id.kind)),
        _ => Some((token.replace([' ', '-'], ""), IdentifierKind::Other)),
    }
}

/// A party's printed name cleaned: bullets, quotes, bracketed fillers, the owner after `v/`,
/// and anything after the first separator dropped. Returns the name (if it is one) and whether
/// a placeholder was met.
fn clean_name(raw: &str) -> (Option<String>, bool) {
    let mut s = raw.trim();
    s = s.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '–' | '•' | '*' | '·' | ':' | '|')
    });
    let placeholder_all = PLACEHOLDER.is_match(s);
    // The first separator ends the name.
    let cut = [
        ", ", " · ", " | ", "\t", " (", " – ", " - ", "\n", "; ", " — ",
    ]
    .iter()
    .filter_map(|sep| s.find(sep))
    .min()
    .unwrap_or(s.len());
    let mut name = s[..cut].to_string();
    if name.trim_end().ends_with(',') {
        name = name.trim_end().trim_end_matches(',').to_string();
    }
    let bracketed = PLACEHOLDER.is_match(&name);
    let name = PLACEHOLDER.replace_all(&name, " ").to_string();
    let mut name = name
        .trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '“' | '”' | '„' | '\'' | '’' | ',' | ';' | ':')
        })
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(m) = OWNER.find(&name) {
        if m.start() > 0 {
            name.truncate(m.start());
        }
    }
    let mut name = name.trim_end_matches(',').trim().to_string();
    // A full stop ends a sentence, unless it belongs to a company form (`Inc.`, `B.V.`).
    let last = name.rsplit(' ').next().unwrap_or("");
    if name.ends_with('.') && !(name.contains(' ') && COMPANY_FORM.is_match(last)) {
        name = name.trim_end_matches('.').trim().to_string();
    }
    let placeholder = bracketed || (placeholder_all && name.is_empty());
    (is_name(&name).then_some(name), placeholder)
}

/// Whether a cleaned string reads as a party's name rather than a role noun, description,
/// address or label.
fn is_name(s: &str) -> bool {
    if s.is_empty() || s.chars().count() > 80 || !s.chars().any(char::is_alphabetic) {
        return false;
    }
    if quoted_role(s).is_some() || FIELD_LABEL.is_match(s) || ADDRESS.is_match(s) {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() > 7 {
        return false;
    }
    let first = words[0].to_lowercase();
    if words.len() > 1 && DETERMINERS.contains(&first.as_str()) {
        return false;
    }
    // A name in the middle of prose has few lower-case words.
    let lower_words = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .filter(|w| !COMPANY_FORM.is_match(w))
        .count();
    words.len() == 1 || lower_words * 2 <= words.len()
}

/// A common Danish noun written in lower case (`psykolog`), which stands for the customer in a
/// title like `… mellem psykolog og JournalKlar`, unlike a product or company name.
fn is_common_noun(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    words.len() == 1
        && words[0].chars().all(|c| c.is_lowercase() || c == '-')
        && Repairer::danish().is_word(words[0])
}

/// A single ordinary word (`Det`, `Ydermere`, `Partner`), which prose puts before a role
/// without it being a name: a determiner or a word of the Danish lexicon, unless written with
/// a capital inside (`JournalKlar`).
fn is_plain_word(s: &str) -> bool {
    let mut words = s.split_whitespace();
    let (Some(w), None) = (words.next(), words.next()) else {
        return false;
    };
    let inner_capital = w.chars().skip(1).any(char::is_uppercase);
    DETERMINERS.contains(&w.to_lowercase().as_str())
        || (!inner_capital && Repairer::danish().is_word(w))
}

/// Labelled parties: `Databehandler: X, CVR …`, `Den dataansvarlige | X`, a role line followed
/// by the party's lines or `Navn:`/`CVR:` fields, `X (Databehandler):`, and signature labels
/// (`For databehandleren: X`).
fn labelled(doc: &str, out: &mut Vec<Candidate>) {
    let lines: Vec<(usize, &str)> = doc
        .split_inclusive('\n')
        .scan(0usize, |at, l| {
            let start = *at;
            *at += l.len();
            Some((start, l.trim_end_matches(['\n', '\r'])))
        })
        .collect();
    for (i, &(at, line)) in lines.iter().enumerate() {
        let bare = line.trim().trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '–' | '•' | '*' | '·')
        });
        // A row of a wider table (`Leverandør | Rolle | Region`) is no label and value.
        let cells = bare.matches(['|', '\t']).count();
        if bare.is_empty() || bare.len() > 160 || cells > 1 {
            continue;
        }
        let (label, value) = match bare.find([':', '|', '\t']) {
            Some(p) => (bare[..p].trim(), bare[p + 1..].trim()),
            None => (bare.trim(), ""),
        };
        if label.is_empty() || label.split_whitespace().count() > 8 {
            continue;
        }
        // A label standing alone on its line is written as one: capitalised, no full stop (a
        // wrapped sentence can leave `dataansvarlige.` alone on a line).
        if value.is_empty()
            && (!label.starts_with(char::is_uppercase) || label.ends_with(['.', ',', ';']))
        {
            continue;
        }
        // `For databehandleren`, `På vegne af den dataansvarlige`, `On behalf of the Processor`.
        let lower = label.to_lowercase();
        let (signature_label, role_part) = ["for ", "på vegne af ", "on behalf of ", "signed for "]
            .iter()
            .find_map(|p| lower.strip_prefix(p).map(|r| (true, r.to_string())))
            .unwrap_or((false, lower.clone()));
        // `X (Databehandler)`, `Dataimportør (Databehandler)`.
        let (outside, bracket_role) = match (label.rfind('('), label.ends_with(')')) {
            (Some(p), true) => (
                label[..p].trim().to_string(),
                role_of(&label[p + 1..label.len() - 1]),
            ),
            _ => (label.to_string(), None),
        };
        let role = bracket_role
            .or_else(|| role_of(&role_part))
            .or_else(|| role_of(&outside.to_lowercase()));
        let Some(role) = role else { continue };
        // A label that names the party itself: `LogicNodes ApS (Databehandler):`.
        let label_name = if bracket_role.is_some() && role_of(&outside).is_none() {
            let (n, _) = clean_name(&outside);
            n
        } else {
            None
        };
        if label_name.is_none() && bracket_role.is_none() && role_of(&role_part).is_none() {
            continue;
        }
        // The role alone with its aliases in brackets is read by `markers`.
        if value.is_empty() && bare.contains('(') && label_name.is_none() && bracket_role.is_none()
        {
            continue;
        }
        // The party's lines: the rest of this line, else the following lines up to a blank line
        // or the next role label.
        let mut block: Vec<&str> = Vec::new();
        if !value.is_empty() {
            block.push(value);
        } else {
            for &(_, next) in lines.iter().skip(i + 1).take(7) {
                let t = next.trim().trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '-' | '–' | '•' | '*' | '·')
                });
                if t.is_empty() {
                    break;
                }
                let head_word = t.split([':', '|', '\t']).next().unwrap_or("").trim();
                if role_of(head_word).is_some()
                    || role_of(&head_word.to_lowercase().replace("for ", "")).is_some()
                {
                    break;
                }
                block.push(t);
            }
        }
        // A value that is itself a role label (`For den dataansvarlige | For databehandleren`).
        if block.len() == 1 && !value.is_empty() {
            let v = value.to_lowercase();
            let v = v.strip_prefix("for ").unwrap_or(&v);
            if role_of(v).is_some() {
                continue;
            }
        }
        let text = block.join("\n");
        // Unfilled fields count in the party's own lines (its name line and its fields), not in
        // prose that follows the block.
        let own: Vec<&str> = block
            .iter()
            .enumerate()
            .filter(|(k, l)| *k == 0 || FIELD.is_match(l))
            .map(|(_, l)| *l)
            .collect();
        let own_placeholder = PLACEHOLDER.is_match(&own.join("\n"));
        let mut fields: Vec<(String, String)> = Vec::new();
        for l in &block {
            if let Some(c) = FIELD.captures(l) {
                fields.push((c[1].to_lowercase(), c[2].trim().to_string()));
            }
        }
        let signing = signature_label
            || fields.iter().any(|(k, _)| {
                matches!(
                    k.as_str(),
                    "titel"
                        | "title"
                        | "stilling"
                        | "position"
                        | "dato"
                        | "date"
                        | "underskrift"
                        | "signatur"
                        | "signature"
                        | "navn/titel"
                )
            });
        let source = if signing {
            PartySource::Signature
        } else {
            PartySource::PartiesBlock
        };
        let name_field = fields
            .iter()
            .find(|(k, _)| {
                matches!(
                    k.as_str(),
                    "navn"
                        | "name"
                        | "firmanavn"
                        | "firma"
                        | "company"
                        | "virksomhed"
                        | "legal name"
                )
            })
            .map(|(_, v)| v.clone());
        let (name, placeholder, person) = if let Some(n) = label_name {
            // The fields under `X (Databehandler):` are the signer's; only the label is X's.
            (Some(n), false, false)
        } else if signing && name_field.is_some() {
            // The name beside a signature is the person signing.
            (None, false, false)
        } else if let Some(n) = name_field {
            let (name, ph) = clean_name(&n);
            let person = name.as_deref().is_some_and(|n| person_by_email(n, &text));
            (name, ph || own_placeholder, person)
        } else if let Some(first) = block.first() {
            if FIELD.is_match(first) && !FIELD_LABEL.is_match(first.trim()) {
                (None, own_placeholder, false)
            } else {
                let (name, ph) = clean_name(first);
                let blank_label = FIELD_LABEL.is_match(first.trim());
                (name, ph || blank_label || own_placeholder, false)
            }
        } else {
            continue;
        };
        if name.is_none() && !placeholder && signing {
            continue;
        }
        out.push(Candidate {
            role,
            name,
            identifier: identifier_in(&text),
            placeholder,
            source,
            at,
            person,
        });
    }
}

/// Whether a name read from a `Navn:` field is a person's: the block's e-mail address has one
/// of the name's words as its local part (`Navn: Lars Mullert`, `lars@…`).
fn person_by_email(name: &str, block: &str) -> bool {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    if words.len() < 2 {
        return false;
    }
    block.split_whitespace().any(|w| {
        w.split_once('@').is_some_and(|(local, _)| {
            local
                .split(['.', '_', '-'])
                .any(|part| words.iter().any(|n| n == part))
        })
    })
}

/// Parties named before a role in brackets or quotes: the template's `mellem X (herefter "den
/// dataansvarlige") og Y (herefter "databehandleren")`, `between X (the "Controller") and
/// Y (the "Processor")`, `foretaget af X, CVR nr. … ("Databehandleren")`, a role label with
/// the party's names as quoted aliases (`Databehandler ("X ApS", "X", "vi", "os")`), and
/// `Leverandøren (X ApS)`.
fn markers(doc: &str, out: &mut Vec<Candidate>) {
    let region = head(doc, HEAD_BYTES);
    let mut marks: Vec<Mark> = Vec::new();
    let mut group_spans: Vec<(usize, usize)> = Vec::new();
    for g in GROUP.captures_iter(region) {
        let (m, inner) = (
            g.get(0).expect("match"),
            g.get(1).map_or("", |m| m.as_str()),
        );
        group_spans.push((m.start(), m.end()));
        let items = quoted_items(inner);
        let role = items
            .iter()
            .find_map(|i| quoted_role(i))
            .or_else(|| role_of(inner));
        if let Some(role) = role {
            // A bracket with the party's names: the first quoted item that is no role.
            let given = items
                .iter()
                .position(|i| quoted_role(i).is_none())
                .filter(|&p| p == 0)
                .map(|p| {
                    let (n, ph) = clean_name(&items[p]);
                    (n, ph || PLACEHOLDER.is_match(&items[p]))
                });
            marks.push((m.start(), m.end(), role, given));
            continue;
        }
        // `Leverandøren (X ApS)`: a role noun, then the name in the bracket.
        let before = region[..m.start()].trim_end();
        let word = before
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        if let Some(role) = role_of(word) {
            if items.is_empty() && !inner.contains(['"', '“']) {
                let (n, ph) = clean_name(inner);
                if n.is_some() {
                    marks.push((m.start(), m.end(), role, Some((n, ph))));
                }
            }
        }
    }
    for c in HEREAFTER.captures_iter(region) {
        let m = c.get(0).expect("match");
        if group_spans
            .iter()
            .any(|&(s, e)| m.start() >= s && m.end() <= e)
        {
            continue;
        }
        if let Some(role) = role_of(&c[1]) {
            marks.push((m.start(), m.end(), role, None));
        }
    }
    for c in AS_ROLE.captures_iter(region) {
        let m = c.get(0).expect("match");
        if let Some(role) = role_of(&c[1]) {
            marks.push((m.start(), m.end(), role, None));
        }
    }
    marks.sort_by_key(|m| m.0);
    let mut prev_end = 0usize;
    for &(start, end, role, ref given) in &marks {
        let (name, identifier, placeholder, source) = if let Some((n, ph)) = given {
            // The text just after the bracket may hold the number (`("X ApS"), CVR …`).
            let after = &region[end..];
            let after = head(after, 80);
            let after = after.split('\n').next().unwrap_or("");
            (
                n.clone(),
                identifier_in(after),
                *ph,
                PartySource::PartiesBlock,
            )
        } else {
            let from = prev_end.max(start.saturating_sub(400));
            let mut from = from;
            while !region.is_char_boundary(from) {
                from += 1;
            }
            let segment = &region[from..start];
            match read_segment(segment) {
                Some(r) => r,
                None => {
                    prev_end = end;
                    continue;
                }
            }
        };
        prev_end = end;
        out.push(Candidate {
            role,
            name,
            identifier,
            placeholder,
            source,
            at: start,
            person: false,
        });
    }
}

/// A role marker: its start and end, its role, and the name (and placeholder flag) given
/// inside its bracket, if any.
type Mark = (usize, usize, Role, Option<(Option<String>, bool)>);

type SegmentReading = (
    Option<String>,
    Option<(String, IdentifierKind)>,
    bool,
    PartySource,
);

/// The party in the text before a role marker: a slot of the parties block (after `mellem`,
/// `og`, `between`, `and`) read whole, or a name read backwards from the marker in prose.
fn read_segment(segment: &str) -> Option<SegmentReading> {
    let mut seg = segment;
    // A marker inside a bracket: the party stands before the bracket.
    if let Some(open) = seg.rfind('(') {
        if !seg[open..].contains(')') {
            seg = &seg[..open];
        }
    }
    let slot = if let Some(m) = BETWEEN.find_iter(seg).last() {
        Some(&seg[m.end()..])
    } else {
        AND_START.find(seg).map(|m| &seg[m.end()..])
    };
    if let Some(slot) = slot {
        let slot = slot.trim_start_matches([':', ' ', '\n', '\t']);
        if !SENTENCE_BREAK.is_match(slot) && slot.len() <= 400 {
            let first = slot
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("");
            let (name, ph) = clean_name(first);
            let blank_label = FIELD_LABEL.is_match(first);
            let placeholder = ph || blank_label || PLACEHOLDER.is_match(slot) || first.is_empty();
            return Some((
                name,
                identifier_in(slot),
                placeholder,
                PartySource::PartiesBlock,
            ));
        }
    }
    // Prose: `… foretaget af X ApS, CVR nr. 12345674 `.
    let line = seg.rsplit('\n').next().unwrap_or(seg);
    let (before_id, id_part) = match ID_LABEL.find_iter(line).last() {
        Some(m) => (&line[..m.start()], &line[m.start()..]),
        None => (line, ""),
    };
    let before_id = before_id.trim_end_matches(|c: char| c.is_whitespace() || c == ',');
    if before_id.ends_with(['.', '!', '?', ':']) {
        return None;
    }
    let words: Vec<&str> = before_id.split_whitespace().collect();
    let mut take = 0;
    for w in words.iter().rev() {
        let w = w.trim_matches(|c: char| matches!(c, '"' | '“' | '”' | '„'));
        if take >= 6 || !(NAME_TOKEN.is_match(w) || (take > 0 && COMPANY_FORM.is_match(w))) {
            break;
        }
        take += 1;
    }
    // `og`/`and` cannot start a name.
    while take > 0 && COMPANY_FORM.is_match(words[words.len() - take]) {
        take -= 1;
    }
    let name = words[words.len() - take..].join(" ");
    let (name, placeholder) = if take == 0 {
        (None, false)
    } else {
        clean_name(&name)
    };
    let name = name.filter(|n| !is_plain_word(n));
    if name.is_none() {
        // `på vegne af kunden (den "Dataansvarlige")`: a role noun, no name.
        let last = words.last().copied().unwrap_or("");
        role_of(last)?;
    }
    Some((
        name,
        identifier_in(id_part),
        placeholder,
        PartySource::Definition,
    ))
}

/// `X er databehandler`, `X is the processor`.
fn definitions(doc: &str, out: &mut Vec<Candidate>) {
    let region = head(doc, HEAD_BYTES * 2);
    for c in IS_ROLE.captures_iter(region) {
        let m = c.get(0).expect("match");
        let word = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
        let role = match role_of(word) {
            Some(r) => r,
            None => continue,
        };
        let line_start = region[..m.start()].rfind(['\n', '.']).map_or(0, |i| i + 1);
        let before = region[line_start..m.start()].trim();
        let (before_id, id_part) = match ID_LABEL.find_iter(before).last() {
            Some(i) => (&before[..i.start()], &before[i.start()..]),
            None => (before, ""),
        };
        let words: Vec<&str> = before_id
            .trim_end_matches([',', ' '])
            .split_whitespace()
            .collect();
        // The whole subject must be the name: `Acme ApS er databehandler`.
        if words.is_empty()
            || words.len() > 6
            || !words
                .iter()
                .all(|w| NAME_TOKEN.is_match(w) || COMPANY_FORM.is_match(w))
        {
            continue;
        }
        let (name, placeholder) = clean_name(&words.join(" "));
        if name.is_none() || name.as_deref().is_some_and(is_plain_word) {
            continue;
        }
        out.push(Candidate {
            role,
            name,
            identifier: identifier_in(id_part),
            placeholder,
            source: PartySource::Definition,
            at: m.start(),
            person: false,
        });
    }
}

/// The title and subtitle: `Databehandleraftale – X`, and `… mellem psykolog og X` where one
/// side is a common noun for the customer.
fn header(doc: &str, title: Option<&str>, out: &mut Vec<Candidate>) {
    if let Some(t) = title {
        if let Some((_, after)) = t.split_once(" – ").or_else(|| t.split_once(" - ")) {
            let after = after.trim();
            let lead = t.to_lowercase();
            if after.split_whitespace().count() <= 6
                && (lead.starts_with("databehandleraftale")
                    || lead.starts_with("data processing agreement"))
            {
                let (name, placeholder) = clean_name(after);
                if name.is_some() {
                    out.push(Candidate {
                        role: Role::Processor,
                        name,
                        identifier: None,
                        placeholder,
                        source: PartySource::Header,
                        at: 0,
                        person: false,
                    });
                }
            }
        }
    }
    let mut at = 0;
    for line in doc.lines().filter(|l| !l.trim().is_empty()).take(6) {
        at += line.len();
        if line.contains('(') || line.len() > 160 {
            continue;
        }
        let Some(c) = BETWEEN_LINE.captures(line.trim()) else {
            continue;
        };
        let (a, b) = (c[1].trim().to_string(), c[2].trim().to_string());
        let noun = |s: &str| role_of(s).is_some() || is_common_noun(s);
        let pick = |s: &str| clean_name(s);
        let (controller, processor) = match (noun(&a), noun(&b)) {
            (true, false) => (None, pick(&b)),
            (false, true) => (None, pick(&a)),
            (false, false) => (pick(&a).0, pick(&b)),
            (true, true) => continue,
        };
        if let Some(name) = controller {
            out.push(Candidate {
                role: Role::Controller,
                name: Some(name),
                identifier: None,
                placeholder: false,
                source: PartySource::Header,
                at,
                person: false,
            });
        }
        if processor.0.is_some() {
            out.push(Candidate {
                role: Role::Processor,
                name: processor.0,
                identifier: None,
                placeholder: processor.1,
                source: PartySource::Header,
                at,
                person: false,
            });
        }
    }
}

static NAMED_BEFORE_CVR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-ZÆØÅ][\p{L}0-9&.'\-]*(?:\s+[A-ZÆØÅ0-9][\p{L}0-9&.'\-]*){0,4}(?:\s+(?:A/S|ApS|I/S|P/S|AB|Ltd\.?|GmbH|Inc\.?))?),?\s+\(?CVR")
        .expect("valid regex")
});

/// Last resort: the first company named with a CVR number in the first clauses, when nothing
/// else names a processor (`foretaget af X, CVR nr. …` without a role beside it).
fn named_before_cvr(clauses: &[Clause], out: &mut Vec<Candidate>) {
    for c in clauses.iter().take(8) {
        let text = c.reading_text();
        if let Some(m) = NAMED_BEFORE_CVR.captures(text).and_then(|m| m.get(1)) {
            let (name, placeholder) = clean_name(m.as_str());
            if name.is_none() {
                continue;
            }
            out.push(Candidate {
                role: Role::Processor,
                name,
                identifier: identifier_in(head(&text[m.start()..], 60)),
                placeholder,
                source: PartySource::Definition,
                at: usize::MAX,
                person: false,
            });
            return;
        }
    }
}

fn rank(s: PartySource) -> u8 {
    match s {
        PartySource::PartiesBlock => 0,
        PartySource::Definition => 1,
        PartySource::Header => 2,
        PartySource::Signature => 3,
    }
}

/// Whether two readings name the same party (`LogicNodes ApS` and `LogicNodes`).
fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a == b || a.starts_with(&format!("{b} ")) || b.starts_with(&format!("{a} "))
}

/// The one party of `role`: the earliest reading of the most trusted kind that has a name,
/// its number from any reading of the same name or printed near the name, and the trade name
/// over an owner's name.
fn choose(role: Role, found: &[Candidate], doc: &str, not_id: Option<&str>) -> Option<Party> {
    let mut all: Vec<&Candidate> = found.iter().filter(|c| c.role == role).collect();
    if all.is_empty() {
        return None;
    }
    all.sort_by_key(|c| (rank(c.source), c.at));
    let named = all.iter().find(|c| c.name.is_some()).copied();
    let best = named.unwrap_or(all[0]);
    // A parties block that leaves the name out beats a name read from a less trusted place
    // only when the block marks it as a placeholder (an empty template).
    let block_placeholder = all
        .iter()
        .find(|c| c.source == PartySource::PartiesBlock)
        .filter(|c| c.name.is_none() && c.placeholder);
    let mut name = best.name.clone();
    let mut source = best.source;
    if let Some(b) = block_placeholder {
        if best.source != PartySource::PartiesBlock {
            name = None;
            source = b.source;
        }
    }
    let mut identifier = best.identifier.clone();
    if best.person {
        // A sole trader: the trade name printed elsewhere for the same role wins.
        if let Some(trade) = all
            .iter()
            .filter(|c| {
                !c.person && matches!(c.source, PartySource::Header | PartySource::Definition)
            })
            .filter_map(|c| c.name.as_ref())
            .find(|n| !same_name(n, best.name.as_deref().unwrap_or("")))
        {
            name = Some(trade.clone());
        }
    }
    if identifier.is_none() {
        identifier = all
            .iter()
            .filter(|c| {
                c.name.is_none() && c.source == best.source
                    || matches!((&c.name, &name), (Some(a), Some(b)) if same_name(a, b))
            })
            .find_map(|c| c.identifier.clone());
    }
    if identifier.is_none() {
        if let Some(n) = &name {
            identifier = near_name(doc, n);
        }
    }
    if identifier.as_ref().map(|i| i.0.as_str()) == not_id {
        identifier = None;
    }
    let placeholder = best.placeholder || (name.is_none() && all.iter().any(|c| c.placeholder));
    let (identifier, identifier_kind) = match identifier {
        Some((v, k)) => (Some(v), Some(k)),
        None => (None, None),
    };
    Some(Party {
        name,
        identifier,
        identifier_kind,
        placeholder,
        source,
    })
}

/// A company number printed within a short distance after the name, in the same paragraph
/// (`LogicNodes ApS … CVR: DK45318362`).
fn near_name(doc: &str, name: &str) -> Option<(String, IdentifierKind)> {
    // Case-insensitive on the document itself: lower-casing can change byte lengths.
    let needle = Regex::new(&format!("(?i){}", regex::escape(name))).ok()?;
    for m in needle.find_iter(doc) {
        let window = head(&doc[m.start()..], 160);
        let window = window.split("\n\n").next().unwrap_or(window);
        // The next party starts at its role bracket or at `og`/`and`.
        let name_end = m.len().min(window.len());
        let end = [" og ", " and ", "(", "\"", "“"]
            .iter()
            .filter_map(|s| window.get(name_end..).and_then(|w| w.find(s)))
            .min()
            .map_or(window.len(), |p| p + name_end);
        if let Some(id) = identifier_in(&window[..end]) {
            return Some(id);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parties of a text given as one preamble clause, the title its first line.
    fn read(text: &str) -> Parties {
        let title = text.lines().next();
        parties(&[Clause::new(None, None, text)], title)
    }

    fn processor(text: &str) -> Party {
        read(text).processor.expect("a processor")
    }

    fn digits(s: Option<&str>) -> String {
        s.unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect()
    }

    #[test]
    fn danish_template_between_and_hereafter() {
        let p = read(
            "Standardkontraktsbestemmelser\n\nmellem\n\nNordlys Kommune\nCVR-nr. 12345674\n\
             Torvet 1\n7400 Herning\n\nherefter \"den dataansvarlige\"\n\nog\n\n\
             Bølge Data ApS\nCVR-nr. 38120689\nHavnegade 3\n5000 Odense C\n\n\
             herefter \"databehandleren\"\n\nder hver især er en \"part\"",
        );
        let (c, d) = (p.controller.unwrap(), p.processor.unwrap());
        assert_eq!(c.name.as_deref(), Some("Nordlys Kommune"));
        assert_eq!(c.identifier.as_deref(), Some("12345674"));
        assert_eq!(d.name.as_deref(), Some("Bølge Data ApS"));
        assert_eq!(d.identifier.as_deref(), Some("38120689"));
        assert_eq!(d.source, PartySource::PartiesBlock);
        assert!(!d.placeholder && !c.placeholder);
    }

    #[test]
    fn an_empty_processor_slot_is_a_placeholder_not_the_controller() {
        let p = read(
            "Databehandleraftale\n\nmellem\n\nNordlys Kommune\nCVR-nummer 12345674\n\n\
             herefter ”den dataansvarlige”\n\nog\n\nCVR\n\nherefter ”databehandleren”\n",
        );
        let d = p.processor.unwrap();
        assert_eq!(d.name, None);
        assert!(d.placeholder);
        assert_eq!(
            p.controller.unwrap().name.as_deref(),
            Some("Nordlys Kommune")
        );
    }

    #[test]
    fn role_nouns_and_brackets_inside_the_slot() {
        let p = read(
            "Bilag 2\n\nmellem Kunden (som defineret i Vilkårene, herefter \"den dataansvarlige\")\n\n\
             og ruteplan.io (som defineret i Vilkårene, herefter \"databehandleren\")\n",
        );
        let c = p.controller.unwrap();
        assert_eq!((c.name, c.placeholder), (None, false));
        assert_eq!(p.processor.unwrap().name.as_deref(), Some("ruteplan.io"));
    }

    #[test]
    fn labelled_parties_block() {
        let p = read(
            "Databehandleraftale\n\nParterne\n\nDen dataansvarlige:\n[Kundens navn], CVR [CVR-nr.], \
             [adresse] (\"Kunden\")\n\nDatabehandleren:\nSkybro [selskabsform], CVR [CVR-nr.], \
             [adresse] (\"Leverandøren\")\n\n1. Præambel\n",
        );
        let (c, d) = (p.controller.unwrap(), p.processor.unwrap());
        assert_eq!((c.name, c.placeholder), (None, true));
        assert_eq!(d.name.as_deref(), Some("Skybro"));
        assert!(d.placeholder);
        assert_eq!(d.identifier, None);
    }

    #[test]
    fn labelled_lines_tables_and_fields() {
        let p = processor(
            "Aftale\n\n- Dataansvarlig: Den virksomhed der har oprettet en konto\n\
             - Databehandler: kvitto · CVR 38120689 · hej@kvitto.dk\n",
        );
        assert_eq!(p.name.as_deref(), Some("kvitto"));
        assert_eq!(p.identifier.as_deref(), Some("38120689"));
        let t = read(
            "Bilag\n\nDen dataansvarlige\t[Kundens juridiske navn], CVR [nr.]\n\
             Databehandleren\tFjordlys Software, CVR [nr.], [adresse]\n",
        );
        let c = t.controller.unwrap();
        assert_eq!((c.name, c.placeholder), (None, true));
        let d = t.processor.unwrap();
        assert_eq!(d.name.as_deref(), Some("Fjordlys Software"));
        assert!(d.placeholder);
        let f = processor(
            "Aftale\n\nParterne\nDataansvarlig\nDen klinik der opretter en konto.\nDatabehandler\n\
             Navn: Ravnsborg Regnskab\nCVR: 38120689\nAdresse: Vestergade 4, 8000 Aarhus C\n\n1. Formål\n",
        );
        assert_eq!(f.name.as_deref(), Some("Ravnsborg Regnskab"));
        assert_eq!(f.identifier.as_deref(), Some("38120689"));
    }

    #[test]
    fn a_wider_table_row_is_no_label() {
        let p = read(
            "Aftale\n\nLeverandør | Rolle | Region\nAlfa ApS | Betaling | Danmark\n\n\
             Databehandler: Beta Systemer ApS, CVR 38120689\n",
        );
        assert_eq!(
            p.processor.unwrap().name.as_deref(),
            Some("Beta Systemer ApS")
        );
    }

    #[test]
    fn english_between_controller_and_processor() {
        let p = read(
            "Data Processing Agreement\n\nThis Data Processing Agreement is entered into between \
             Harbour Clinics Ltd, registration number 09876543, 1 Quay Street, Bristol (the \
             \"Controller\") and Nordic Ledger ApS, CVR no. 38120689 (the \"Processor\").",
        );
        let (c, d) = (p.controller.unwrap(), p.processor.unwrap());
        assert_eq!(c.name.as_deref(), Some("Harbour Clinics Ltd"));
        assert_eq!(digits(c.identifier.as_deref()), "09876543");
        assert_eq!(d.name.as_deref(), Some("Nordic Ledger ApS"));
        assert_eq!(d.identifier.as_deref(), Some("38120689"));
    }

    #[test]
    fn customer_and_provider() {
        let p = read(
            "DPA\n\nThis agreement is made between Tidewater Foods Inc. (\"Customer\") and \
             Cloudharbor Ltd, company number 12345674 (\"Provider\").",
        );
        assert_eq!(
            p.controller.unwrap().name.as_deref(),
            Some("Tidewater Foods Inc.")
        );
        let d = p.processor.unwrap();
        assert_eq!(d.name.as_deref(), Some("Cloudharbor Ltd"));
        assert_eq!(digits(d.identifier.as_deref()), "12345674");
    }

    #[test]
    fn english_labels() {
        let p = read(
            "Data Processing Agreement\n\nController: Westbay Retail Ltd, company number 04567891\n\
             Processor: Lumen Analytics GmbH, VAT DE123456789\n",
        );
        assert_eq!(
            p.controller.unwrap().name.as_deref(),
            Some("Westbay Retail Ltd")
        );
        assert_eq!(
            p.processor.unwrap().name.as_deref(),
            Some("Lumen Analytics GmbH")
        );
    }

    #[test]
    fn sole_trader_trade_name_beats_the_owner() {
        let p = processor(
            "Databehandleraftale\n\nmellem Kunden (herefter \"den dataansvarlige\") og \
             Klar Tale Psykologi v/ Mette Holm, CVR 38120689 (herefter \"databehandleren\")",
        );
        assert_eq!(p.name.as_deref(), Some("Klar Tale Psykologi"));
        assert_eq!(p.identifier.as_deref(), Some("38120689"));
        let q = processor(
            "Databehandler: Hyttegaarden ved Søren Lund, CVR 38120689\nDataansvarlig: Kunden\n",
        );
        assert_eq!(q.name.as_deref(), Some("Hyttegaarden"));
        // The owner in a `Navn:` field with the owner's e-mail; the trade name in the subtitle.
        let r = processor(
            "Databehandleraftale\nDatabehandleraftale mellem tandlæge og NoteFlow\n\nParterne\n\
             Databehandler\nNavn: Mette Holm\nCVR: 38120689\nE-mail: mette@noteflow.dk\n\n1. Formål\n",
        );
        assert_eq!(r.name.as_deref(), Some("NoteFlow"));
        assert_eq!(r.identifier.as_deref(), Some("38120689"));
    }

    #[test]
    fn vendor_web_page_with_pronouns() {
        let p = read(
            "Databehandleraftale\n\nDenne aftale gælder mellem dig som kunde (\"du\") og \
             Bogholderiet ApS, CVR-nr. 38120689 (\"vi\", \"os\").",
        );
        let c = p.controller.unwrap();
        assert_eq!((c.name, c.placeholder), (None, false));
        let d = p.processor.unwrap();
        assert_eq!(d.name.as_deref(), Some("Bogholderiet ApS"));
        assert_eq!(d.identifier.as_deref(), Some("38120689"));
        let q = read(
            "DPA\n\nMellem:\n- Dataansvarlig (\"[KUNDE NAVN]\", \"Kunde\", \"du\")\n\
             - Databehandler (\"Pixelhavn ApS\", \"Pixelhavn\", \"vi\", \"os\")\n\n\
             Bilag: Dataimportør (Databehandler):\n- Navn: Pixelhavn ApS\n- CVR: DK38120689\n",
        );
        let c = q.controller.unwrap();
        assert_eq!((c.name, c.placeholder), (None, true));
        let d = q.processor.unwrap();
        assert_eq!(d.name.as_deref(), Some("Pixelhavn ApS"));
        assert_eq!(digits(d.identifier.as_deref()), "38120689");
    }

    #[test]
    fn definitions_in_prose() {
        let p = processor(
            "Aftale\n\n1.1. Denne aftale regulerer behandlingen foretaget af Mosegaard IT, CVR nr. \
             38120689 (\"Databehandleren\") på vegne af kunden (den \"Dataansvarlige\").",
        );
        assert_eq!(p.name.as_deref(), Some("Mosegaard IT"));
        assert_eq!(p.source, PartySource::Definition);
        assert_eq!(
            processor("Aftale\n\nLeverandøren (Solbær Hosting A/S) leverer driften.")
                .name
                .as_deref(),
            Some("Solbær Hosting A/S")
        );
        assert_eq!(
            processor("Aftale\n\nKlippe Data ApS er databehandler for kunden.")
                .name
                .as_deref(),
            Some("Klippe Data ApS")
        );
        // An inverted sentence is no definition.
        assert!(
            read("Aftale\n\nYdermere er den Dataansvarlige forpligtet til at sikre hjemmel.")
                .processor
                .is_none()
        );
    }

    #[test]
    fn som_roles_and_titles() {
        let p = read(
            "Databehandleraftale – Egebjerg Tømrer\n\n1.1. Aftalen er indgået mellem Egebjerg \
             Tømrer I/S som dataansvarlig og Timeklar Nord ApS som databehandler.",
        );
        assert_eq!(
            p.processor.unwrap().name.as_deref(),
            Some("Timeklar Nord ApS")
        );
        assert_eq!(
            p.controller.unwrap().name.as_deref(),
            Some("Egebjerg Tømrer I/S")
        );
        let t = processor("Databehandleraftale – Fyrtårn Cloud\n\n1. Formål\n");
        assert_eq!(t.name.as_deref(), Some("Fyrtårn Cloud"));
        assert_eq!(t.source, PartySource::Header);
    }

    #[test]
    fn signatures_name_the_company_not_the_signer() {
        let p =
            processor("Aftale\n\nUnderskrifter\n\nFor databehandleren: Stenbro Data ApS\nDato:\n");
        assert_eq!(p.name.as_deref(), Some("Stenbro Data ApS"));
        assert_eq!(p.source, PartySource::Signature);
        let q = read(
            "Aftale\n\nUnderskrifter\n\nFor databehandleren:\nNavn: Jens Hansen\nTitel: Direktør\n\
             Underskrift: ________\n",
        );
        assert!(q.processor.is_none_or(|p| p.name.is_none()));
        let r = processor(
            "Aftale\n\n12. Underskrifter\nHvidklit ApS (Databehandler):\nUnderskrift: ______\n\
             Navn: [UNDERSKRIVER]\nTitel: ______\n",
        );
        assert_eq!(r.name.as_deref(), Some("Hvidklit ApS"));
        assert!(!r.placeholder);
    }

    #[test]
    fn addresses_and_cities_are_never_names() {
        for s in [
            "Vestergade 4",
            "8000 Aarhus C",
            "Torvet 1, 7400 Herning",
            "hej@firma.dk",
        ] {
            assert!(!is_name(s), "{s}");
        }
        for s in [
            "Den virksomhed der har oprettet en konto",
            "Kunden",
            "databehandleren",
            "du",
        ] {
            assert!(!is_name(s), "{s}");
        }
        for s in [
            "Fenix Nordic",
            "systemklar",
            "A.P. Nielsen & Søn A/S",
            "Bølge IT ApS",
        ] {
            assert!(is_name(s), "{s}");
        }
    }

    #[test]
    fn letters_whose_lower_case_is_longer_do_not_break_the_search() {
        // `Ⱥ` (2 bytes) lower-cases to `ⱥ` (3 bytes), `İ` to two characters.
        let p = read(
            "Aftale\n\nmellem ȺİȺ Kommune (herefter \"den dataansvarlige\") og İȺ Data ApS \
             (herefter \"databehandleren\")\n\nİȺ Data ApS, Ⱥvej 2, CVR 38120689\n",
        );
        let d = p.processor.unwrap();
        assert_eq!(d.name.as_deref(), Some("İȺ Data ApS"));
        assert_eq!(d.identifier.as_deref(), Some("38120689"));
    }

    /// Generated parties blocks: name forms × company forms × CVR spellings × templates × the
    /// order of the parties. The processor's name and number always come back as printed.
    #[test]
    fn generated_variants() {
        let names = [
            "Nordlys Data",
            "Bølge IT",
            "Aarhus Cloud Services",
            "KLM Hosting",
            "vaerk",
        ];
        let forms = ["ApS", "A/S", "I/S", "", "Ltd"];
        let numbers = [
            ("CVR-nr. 38120689", "38120689"),
            ("CVR nr.: 38 12 06 89", "38120689"),
            ("CVR 38120689", "38120689"),
            ("momsnr. DK38120689", "38120689"),
            ("", ""),
        ];
        let controller = "Hedeby Kommune, CVR-nr. 12345674";
        let mut checked = 0;
        for (i, name) in names.iter().enumerate() {
            for (j, form) in forms.iter().enumerate() {
                let full = format!("{name} {form}").trim().to_string();
                let (printed, digits_of) = numbers[(i + j) % numbers.len()];
                let party = if printed.is_empty() {
                    full.clone()
                } else {
                    format!("{full}, {printed}")
                };
                let texts = [
                    format!(
                        "Databehandleraftale\n\nmellem {controller} (herefter \"den dataansvarlige\") \
                         og {party} (herefter \"databehandleren\")"
                    ),
                    format!(
                        "Databehandleraftale\n\nmellem {party} (herefter \"databehandleren\") \
                         og {controller} (herefter \"den dataansvarlige\")"
                    ),
                    format!(
                        "Databehandleraftale\n\nParterne\n\nDataansvarlig: {controller}\n\
                         Databehandler: {party}\n\n1. Formål\n"
                    ),
                    format!(
                        "Databehandleraftale\n\nParterne\n\nDatabehandler: {party}\n\
                         Dataansvarlig: {controller}\n\n1. Formål\n"
                    ),
                    format!(
                        "Data Processing Agreement\n\nThis agreement is entered into between \
                         {controller} (the \"Controller\") and {party} (the \"Processor\")."
                    ),
                ];
                for text in &texts {
                    let p = read(text);
                    let d = p.processor.as_ref().expect(text);
                    assert_eq!(d.name.as_deref(), Some(full.as_str()), "{text}");
                    assert_eq!(digits(d.identifier.as_deref()), digits_of, "{text}");
                    assert!(!d.placeholder, "{text}");
                    let c = p.controller.as_ref().expect(text);
                    assert_eq!(c.name.as_deref(), Some("Hedeby Kommune"), "{text}");
                    assert_eq!(c.identifier.as_deref(), Some("12345674"), "{text}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 125);
    }
}
