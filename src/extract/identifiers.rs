//! Company identifiers written with a label: Danish CVR numbers (`CVR nr. 38120689`,
//! `CVR-nr.: 38 12 06 89`) and Danish VAT numbers (`DK38120689`), checked with the CVR
//! modulus-11 rule (weights 2,7,6,5,4,3,2,1). Foreign identifiers, table columns and OCR digit
//! repair come with the identifier issue; this covers the labelled Danish forms.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::{Clause, Identifier, IdentifierKind, RowIdentifier};

/// A registration number after its label: `CVR nr. 38120689`, `CVR-nr.: 38 12 06 89`,
/// `momsnr. DK38120689`, `EIN: 46-3725915`, `org.nr. 556482-3333`, `VAT IE8256796U`.
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<label>cvr|se|vat|moms|momsnr|ein|org|orgnr|organisationsnummer)(?:[\s.\-]*(?:nr|nummer|no|number))?\.?\s*[:.]?\s*(?P<id>[A-Z]{2}\s?\d[0-9A-Z]{7,12}\b|\d{2}-\d{7}\b|\d{6}-\d{4}\b|[0-9OlIS]{2}\s?[0-9OlIS]{2}\s?[0-9OlIS]{2}\s?[0-9OlIS]{2}\b|\d{8,10}\b)",
    )
    .expect("valid regex")
});
/// A VAT number standing without a label (`DK38120689`, `NL815919402B01`): taken only when its
/// format is valid for its country.
static BARE_VAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:DK|NL|IE|FI|GB|FR|SE|DE|BE|NO|ES|IT|PL|AT|LU)\d[0-9A-Z]{7,12}\b")
        .expect("valid regex")
});

/// Template fillers that look like numbers but identify nobody.
const PLACEHOLDERS: &[&str] = &["12345678", "00000000", "11111111", "99999999"];

/// True when an 8-digit CVR number passes the modulus-11 check.
pub fn cvr_is_valid(digits: &str) -> bool {
    const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    values.len() == 8
        && digits.chars().all(|c| c.is_ascii_digit())
        && values[0] != 0
        && values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum::<u32>() % 11 == 0
}

/// EU (and a few other European) VAT number formats, by country prefix.
const VAT_FORMATS: &[(&str, &str)] = &[
    ("AT", r"^U\d{8}$"),
    ("BE", r"^[01]?\d{9}$"),
    ("BG", r"^\d{9,10}$"),
    ("CH", r"^E?\d{9}(MWST|TVA|IVA)?$"),
    ("CY", r"^\d{8}[A-Z]$"),
    ("CZ", r"^\d{8,10}$"),
    ("DE", r"^\d{9}$"),
    ("DK", r"^\d{8}$"),
    ("EE", r"^\d{9}$"),
    ("EL", r"^\d{9}$"),
    ("ES", r"^[0-9A-Z]\d{7}[0-9A-Z]$"),
    ("FI", r"^\d{8}$"),
    ("FR", r"^[0-9A-Z]{2}\d{9}$"),
    ("GB", r"^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$"),
    ("HR", r"^\d{11}$"),
    ("HU", r"^\d{8}$"),
    ("IE", r"^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$"),
    ("IT", r"^\d{11}$"),
    ("LT", r"^(\d{9}|\d{12})$"),
    ("LU", r"^\d{8}$"),
    ("LV", r"^\d{11}$"),
    ("MT", r"^\d{8}$"),
    ("NL", r"^\d{9}B\d{2}$"),
    ("NO", r"^\d{9}(MVA)?$"),
    ("PL", r"^\d{10}$"),
    ("PT", r"^\d{9}$"),
    ("RO", r"^\d{2,10}$"),
    ("SE", r"^\d{10}01$"),
    ("SI", r"^\d{8}$"),
    ("SK", r"^\d{10}$"),
];

static VAT_RULES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    VAT_FORMATS
        .iter()
        .filter_map(|(cc, re)| Regex::new(re).ok().map(|r| (*cc, r)))
        .collect()
});
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:cvr|se|vat|ein|moms|momsnr|org|orgnr|organisationsnummer|registration|reg)(?:[\s.\-:]*(?:nr|no|nummer|number))?[\s.:\-]+")
        .expect("valid regex")
});

/// OCR misreads of digits inside a number, undone only when the result passes its check.
fn ocr_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'O' | 'o' | 'D' => '0',
            'l' | 'I' | '|' => '1',
            'S' | 's' => '5',
            'B' => '8',
            'Z' => '2',
            other => other,
        })
        .collect()
}

/// Luhn check, as used by Swedish organisation numbers.
fn luhn_ok(digits: &str) -> bool {
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    !values.is_empty()
        && values
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &d)| {
                if i % 2 == 1 {
                    if d * 2 > 9 {
                        d * 2 - 9
                    } else {
                        d * 2
                    }
                } else {
                    d
                }
            })
            .sum::<u32>()
            % 10
            == 0
}

/// What a registration number printed in a sub-processor list (a CVR column, a `VAT` label)
/// is: a CVR number (modulus-11 checked, OCR digit damage repaired only when the repair
/// passes), an EU VAT number (format checked by country), a US EIN, a Swedish organisation
/// number (Luhn), or `None` when the token is no identifier at all. `us_company` says whether
/// the row looks American, which decides what a bare 9-digit number is.
pub fn classify(token: &str, us_company: bool) -> Option<RowIdentifier> {
    let raw = token.trim();
    let is_ein_label = raw.to_lowercase().starts_with("ein");
    let body = LABEL.replace(raw, "");
    let compact: String = body
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    if compact.is_empty() {
        return None;
    }
    let id = |kind: IdentifierKind, value: String, valid: bool| {
        Some(RowIdentifier { kind, value, valid })
    };
    let digits: String = compact.chars().filter(char::is_ascii_digit).collect();
    // US EIN: 12-3456789.
    if is_ein_label
        || (compact.len() == 10 && compact.as_bytes().get(2) == Some(&b'-') && digits.len() == 9)
    {
        let valid = digits.len() == 9;
        let value = if valid {
            format!("{}-{}", &digits[..2], &digits[2..])
        } else {
            compact.clone()
        };
        return id(IdentifierKind::Ein, value, valid);
    }
    // `lE8256796U`: OCR read the I of a country prefix as l, | or 1.
    let compact = match compact.chars().collect::<Vec<_>>().as_slice() {
        ['l' | '|' | '1', second, ..] if second.is_ascii_uppercase() => {
            format!("I{}", &compact[1..])
        }
        _ => compact,
    };
    let upper = compact.to_uppercase();
    let prefix = upper.get(..2).unwrap_or("");
    if prefix.chars().all(|c| c.is_ascii_uppercase()) && upper.len() > 4 {
        let rest = &upper[2..];
        let rule = VAT_RULES.iter().find(|(cc, _)| *cc == prefix)?;
        if !rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == 'U' || c == 'E')
        {
            return None;
        }
        let valid = |body: &str| rule.1.is_match(body) && (prefix != "DK" || cvr_is_valid(body));
        if valid(rest) {
            return id(IdentifierKind::Vat, upper, true);
        }
        // OCR letters for digits (`NL815919402BO1`): taken only when the reading is valid.
        let repaired: String = rest
            .chars()
            .map(|c| match c {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        if repaired != rest && valid(&repaired) {
            return id(IdentifierKind::Vat, format!("{prefix}{repaired}"), true);
        }
        return id(IdentifierKind::Vat, upper, false);
    }
    let all_digits = compact.chars().all(|c| c.is_ascii_digit() || c == '-');
    if !all_digits {
        // OCR damage inside a CVR number: accept the reading only when it passes the check.
        let repaired = ocr_digits(&compact);
        let valid = repaired.len() == 8 && cvr_is_valid(&repaired);
        return valid.then_some(RowIdentifier {
            kind: IdentifierKind::Cvr,
            value: repaired,
            valid: true,
        });
    }
    match digits.len() {
        8 if !PLACEHOLDERS.contains(&digits.as_str()) => {
            let valid = cvr_is_valid(&digits);
            id(IdentifierKind::Cvr, digits, valid)
        }
        9 if us_company => id(
            IdentifierKind::Ein,
            format!("{}-{}", &digits[..2], &digits[2..]),
            true,
        ),
        9 => id(IdentifierKind::Cvr, digits, false),
        10 => {
            let valid = luhn_ok(&digits);
            id(IdentifierKind::Other, digits, valid)
        }
        _ => None,
    }
}

/// Company identifiers written in the clauses (labelled ones, and VAT numbers whose format is
/// valid), each once per clause. Template placeholders (`CVR [nr.]`, `12345678`) are left out.
pub fn identifiers(clauses: &[Clause]) -> Vec<Identifier> {
    let mut found: Vec<Identifier> = Vec::new();
    for clause in clauses {
        let text = match &clause.heading {
            Some(h) => format!("{h}\n{}", clause.text),
            None => clause.text.clone(),
        };
        let labelled = LABELLED.captures_iter(&text).filter_map(|c| {
            let (all, id, label) = (c.get(0)?, c.name("id")?, c.name("label")?);
            let label = label.as_str().to_lowercase();
            // A Danish number after `CVR`/`SE` is a CVR; the label says which kind otherwise.
            let token = if label == "ein" {
                format!("EIN {}", id.as_str())
            } else {
                id.as_str().to_string()
            };
            Some((all.start(), all.end(), token, label == "ein"))
        });
        let bare = BARE_VAT
            .find_iter(&text)
            .map(|m| (m.start(), m.end(), m.as_str().to_string(), false));
        for (start, end, token, us) in labelled.chain(bare).collect::<Vec<_>>() {
            if text[end..].starts_with(']') || text[..start].ends_with('[') {
                continue;
            }
            let Some(id) = classify(&token, us) else {
                continue;
            };
            if PLACEHOLDERS.contains(&id.value.as_str())
                || (!id.valid && id.kind == IdentifierKind::Vat && !token.contains(' '))
            {
                continue;
            }
            if found
                .iter()
                .any(|i| i.value == id.value && i.clause == clause.number)
            {
                continue;
            }
            found.push(Identifier {
                kind: id.kind,
                value: id.value,
                valid: id.valid,
                clause: clause.number.clone(),
                context: context(&text, start, end),
            });
        }
    }
    found
}

/// Up to 60 characters either side of a match, on char boundaries, on one line.
fn context(text: &str, start: usize, end: usize) -> String {
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(59)
        .map_or(0, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .nth(60)
        .map_or(text.len(), |(i, _)| end + i);
    text[from..to]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(text: &str) -> Clause {
        Clause::new(Some("1.1"), None, text)
    }

    #[test]
    fn modulus_11() {
        assert!(cvr_is_valid("38120689"));
        assert!(!cvr_is_valid("38120688"));
        assert!(!cvr_is_valid("3812068"));
    }

    proptest::proptest! {
        /// Any CVR number built with a correct check digit passes, and every change of one of
        /// its digits fails (the weights make modulus 11 catch all single-digit errors).
        #[test]
        fn valid_cvrs_pass_and_single_digit_changes_fail(first in 1u32..10, body in proptest::collection::vec(0u32..10, 6)) {
            const WEIGHTS: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
            let digits: Vec<u32> = std::iter::once(first).chain(body).collect();
            let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
            let check = (11 - sum % 11) % 11;
            proptest::prop_assume!(check < 10);
            let cvr: String = digits.iter().chain(std::iter::once(&check)).map(|d| char::from(b'0' + *d as u8)).collect();
            proptest::prop_assert!(cvr_is_valid(&cvr), "{cvr}");
            for i in 0..8 {
                for d in '0'..='9' {
                    let mut changed: Vec<char> = cvr.chars().collect();
                    if changed[i] == d {
                        continue;
                    }
                    changed[i] = d;
                    let changed: String = changed.into_iter().collect();
                    proptest::prop_assert!(!cvr_is_valid(&changed), "{changed} from {cvr}");
                }
            }
        }
    }

    #[test]
    fn table_identifiers_are_classified() {
        let c = |t: &str, us: bool| classify(t, us).map(|i| (i.kind, i.value, i.valid));
        assert_eq!(
            c("34453179", false),
            Some((IdentifierKind::Cvr, "34453179".into(), true))
        );
        assert_eq!(
            c("fi07055792", false),
            Some((IdentifierKind::Vat, "FI07055792".into(), true))
        );
        assert_eq!(
            c("NL815919402B01", false),
            Some((IdentifierKind::Vat, "NL815919402B01".into(), true))
        );
        assert_eq!(
            c("NL821987276", false),
            Some((IdentifierKind::Vat, "NL821987276".into(), false))
        );
        assert_eq!(
            c("IE8256796U", false),
            Some((IdentifierKind::Vat, "IE8256796U".into(), true))
        );
        assert_eq!(
            c("EIN: 46-3725915", true),
            Some((IdentifierKind::Ein, "46-3725915".into(), true))
        );
        assert_eq!(
            c("990385461", true),
            Some((IdentifierKind::Ein, "99-0385461".into(), true))
        );
        assert_eq!(
            c("409277360", false),
            Some((IdentifierKind::Cvr, "409277360".into(), false))
        );
        assert_eq!(
            c("5564823333", false),
            Some((IdentifierKind::Other, "5564823333".into(), true))
        );
        assert_eq!(
            c("CVR 87568938", false),
            Some((IdentifierKind::Cvr, "87568938".into(), true))
        );
        assert_eq!(
            c("3812O689", false),
            Some((IdentifierKind::Cvr, "38120689".into(), true)),
            "OCR O for 0"
        );
        assert_eq!(
            c("SE559412873601", false),
            Some((IdentifierKind::Vat, "SE559412873601".into(), true))
        );
        assert_eq!(
            c("CVR-nr.: 38 12 06 89", false),
            Some((IdentifierKind::Cvr, "38120689".into(), true))
        );
        assert_eq!(c("EU og", false), None);
        assert_eq!(c("'", false), None);
    }

    #[test]
    fn labelled_foreign_and_damaged_forms() {
        let ids = identifiers(&[clause(
            "Leverandør: Acme Inc., EIN: 46-3725915; Norrsken AB, org.nr. 556482-3333; Contoso Ltd, VAT IE8256796U; \
             Tulpen B.V. NL859301442B01; scannet: CVR nr. 3812O689; skabelon: CVR [nr.] og [12345678]",
        )]);
        let values: Vec<_> = ids
            .iter()
            .map(|i| (i.kind, i.value.as_str(), i.valid))
            .collect();
        assert_eq!(
            values,
            vec![
                (IdentifierKind::Ein, "46-3725915", true),
                (IdentifierKind::Other, "5564823333", true),
                (IdentifierKind::Vat, "IE8256796U", true),
                (IdentifierKind::Cvr, "38120689", true),
                (IdentifierKind::Vat, "NL859301442B01", true),
            ]
        );
    }

    #[test]
    fn law_numbers_are_not_cvr() {
        assert!(
            identifiers(&[clause("lov nr. 502 af 23. maj 2018 og forordning 2016/679")]).is_empty()
        );
    }
}
