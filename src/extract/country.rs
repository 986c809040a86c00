//! Countries in Danish agreements: country names as Danes write them (`Danmark`, `Irland`,
//! `Nederlandene`, `Storbritannien`, `USA`), cities and postcode shapes in addresses, VAT
//! prefixes and company forms, mapped to ISO 3166-1 alpha-2 codes; and which of them are in the
//! EU/EEA (everything else is a third country under GDPR chapter V).

use std::sync::LazyLock;

use regex::Regex;

/// Country names (Danish and English, lower case) → ISO code.
const NAMES: &[(&str, &str)] = &[
    ("danmark", "DK"),
    ("denmark", "DK"),
    ("irland", "IE"),
    ("ireland", "IE"),
    ("nederlandene", "NL"),
    ("holland", "NL"),
    ("netherlands", "NL"),
    ("sverige", "SE"),
    ("sweden", "SE"),
    ("norge", "NO"),
    ("norway", "NO"),
    ("finland", "FI"),
    ("tyskland", "DE"),
    ("germany", "DE"),
    ("frankrig", "FR"),
    ("france", "FR"),
    ("belgien", "BE"),
    ("belgium", "BE"),
    ("luxembourg", "LU"),
    ("spanien", "ES"),
    ("spain", "ES"),
    ("italien", "IT"),
    ("italy", "IT"),
    ("polen", "PL"),
    ("poland", "PL"),
    ("litauen", "LT"),
    ("lithuania", "LT"),
    ("letland", "LV"),
    ("estland", "EE"),
    ("østrig", "AT"),
    ("austria", "AT"),
    ("schweiz", "CH"),
    ("switzerland", "CH"),
    ("rumænien", "RO"),
    ("romania", "RO"),
    ("portugal", "PT"),
    ("grækenland", "GR"),
    ("tjekkiet", "CZ"),
    ("ungarn", "HU"),
    ("island", "IS"),
    ("storbritannien", "GB"),
    ("england", "GB"),
    ("united kingdom", "GB"),
    ("uk", "GB"),
    ("skotland", "GB"),
    ("usa", "US"),
    ("united states", "US"),
    ("amerika", "US"),
    ("canada", "CA"),
    ("indien", "IN"),
    ("india", "IN"),
    ("pakistan", "PK"),
    ("kina", "CN"),
    ("china", "CN"),
    ("japan", "JP"),
    ("australien", "AU"),
    ("australia", "AU"),
    ("israel", "IL"),
    ("hongkong", "HK"),
    ("egypten", "EG"),
    ("ukraine", "UA"),
    ("serbien", "RS"),
    ("tyrkiet", "TR"),
    ("filippinerne", "PH"),
    ("singapore", "SG"),
];

/// Cities that name their country in an address.
const CITIES: &[(&str, &str)] = &[
    ("dublin", "IE"),
    ("cork", "IE"),
    ("amsterdam", "NL"),
    ("rotterdam", "NL"),
    ("utrecht", "NL"),
    ("helsinki", "FI"),
    ("espoo", "FI"),
    ("stockholm", "SE"),
    ("göteborg", "SE"),
    ("malmö", "SE"),
    ("oslo", "NO"),
    ("london", "GB"),
    ("bracknell", "GB"),
    ("berkshire", "GB"),
    ("reading", "GB"),
    ("berlin", "DE"),
    ("münchen", "DE"),
    ("hamburg", "DE"),
    ("paris", "FR"),
    ("aurillac", "FR"),
    ("bucharest", "RO"),
    ("bukarest", "RO"),
    ("warszawa", "PL"),
    ("vilnius", "LT"),
    ("luxembourg", "LU"),
    ("new york", "US"),
    ("san jose", "US"),
    ("mountain view", "US"),
    ("seattle", "US"),
    ("florida", "US"),
    ("san francisco", "US"),
    ("redmond", "US"),
    ("austin", "US"),
    ("oldsmar", "US"),
    ("clearwater", "US"),
];

/// EU and EEA member states.
const EEA: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

static US_STATE_ZIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:AL|AZ|CA|CO|FL|GA|IL|MA|NC|NJ|NY|OR|PA|TX|UT|VA|WA)\s+\d{5}\b|\b\d{5}\s+(?:CA|NY|TX|WA|FL)\b").expect("valid regex")
});
static DANISH_POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:DK-?)?[1-9]\d{3}\s+\p{Lu}\p{Ll}|\b\p{Lu}{3,}\s+[1-9]\d{3}\s*$")
        .expect("valid regex")
});

/// The country of an ISO 3166-1 alpha-2 code (upper case; `UK` is read as `GB`), if known.
pub fn by_code(code: &str) -> Option<&'static str> {
    let code = if code == "UK" { "GB" } else { code };
    NAMES
        .iter()
        .map(|(_, c)| *c)
        .chain(EEA.iter().copied())
        .find(|c| *c == code)
}

/// Is the country in the EU/EEA?
pub fn is_eea(code: &str) -> bool {
    EEA.contains(&code)
}

/// The first country named in a text (`Irland (EU)`, `Danmark`, `USA`).
pub fn named_in(text: &str) -> Option<&'static str> {
    first_named_at(text).map(|(_, code)| code)
}

/// Where the first country name in a text stands (byte offset in the text lower-cased), and
/// which country it names.
pub fn first_named_at(text: &str) -> Option<(usize, &'static str)> {
    let lower = text.to_lowercase();
    // Called for every line of every sub-processor table: names with a byte the text lacks are
    // not looked for, and once a name is found, later names are looked for only before it
    // (an earlier name wins a tie, as before). Same answer, a fraction of the searching
    // (issue 9).
    let mut present = [false; 256];
    for &b in lower.as_bytes() {
        present[usize::from(b)] = true;
    }
    let mut best: Option<(usize, &'static str)> = None;
    for (name, code) in NAMES {
        if !name.bytes().all(|b| present[usize::from(b)]) {
            continue;
        }
        let limit = best.map_or(usize::MAX, |(at, _)| at);
        if let Some(at) = find_word_before(&lower, name, limit) {
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, code));
            }
        }
    }
    best
}

/// All countries named in a text.
pub fn all_named_in(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    let mut out: Vec<&'static str> = Vec::new();
    for (name, code) in NAMES {
        if find_word(&lower, name).is_some() && !out.contains(code) {
            out.push(code);
        }
    }
    out
}

/// Byte offset of `word` in `haystack` as a whole word.
pub fn find_word(haystack: &str, word: &str) -> Option<usize> {
    find_word_before(haystack, word, usize::MAX)
}

/// [`find_word`] for a whole word that starts before byte `limit`.
fn find_word_before(haystack: &str, word: &str, limit: usize) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = haystack.get(from..)?.find(word) {
        let at = from + pos;
        if at >= limit {
            return None;
        }
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + word.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// The country of a postal address: a country name, a known city, a US state and ZIP, or a
/// Danish postcode and town.
pub fn of_address(address: &str) -> Option<&'static str> {
    if let Some(code) = named_in(address) {
        return Some(code);
    }
    let lower = address.to_lowercase();
    if let Some((_, code)) = CITIES
        .iter()
        .find(|(city, _)| find_word(&lower, city).is_some())
    {
        return Some(code);
    }
    if US_STATE_ZIP.is_match(address) {
        return Some("US");
    }
    DANISH_POSTCODE.is_match(address).then_some("DK")
}

/// The country a company form belongs to (`A/S` → DK, `AB` → SE, `GmbH` → DE, `LLC` → US).
pub fn of_company_form(name: &str) -> Option<&'static str> {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| c == ',' || c == '(' || c == ')')
                .to_lowercase()
        })
        .collect();
    let has = |form: &str| words.iter().any(|w| w == form);
    if has("a/s") || has("aps") || has("p/s") || has("i/s") || has("k/s") || has("amba") {
        Some("DK")
    } else if has("ab") {
        Some("SE")
    } else if has("oyj") || has("oy") {
        Some("FI")
    } else if has("gmbh") {
        Some("DE")
    } else if has("b.v.") || has("bv") {
        Some("NL")
    } else if has("llc") || has("inc") || has("inc.") || has("corp.") || has("corporation") {
        Some("US")
    } else {
        None
    }
}

/// The country of a VAT number's prefix (`IE8256796U` → IE; Greece writes EL).
pub fn of_vat(value: &str) -> Option<&'static str> {
    let prefix = value.get(..2)?.to_uppercase();
    let prefix = if prefix == "EL" {
        "GR".to_string()
    } else {
        prefix
    };
    EEA.iter()
        .chain(["GB", "CH"].iter())
        .find(|c| **c == prefix)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(of_address("Slotsmarken 18, 2970 Hørsholm"), Some("DK"));
        assert_eq!(of_address("Lyskær 8 A, HERLEV 2730"), Some("DK"));
        assert_eq!(of_address("5 Hanover Quay, D02 VY79 Dublin"), Some("IE"));
        assert_eq!(
            of_address("444 Castro Street, Suite 400, CA 94041 Mountain View"),
            Some("US")
        );
        assert_eq!(of_address("Rokin 113-115, 1012 KP Amsterdam"), Some("NL"));
        assert_eq!(of_address("Kungsgatan 38, 11357 Stockholm"), Some("SE"));
    }

    #[test]
    fn names_forms_and_vat() {
        assert_eq!(named_in("Irland (EU)"), Some("IE"));
        assert_eq!(named_in("Hele verden"), None);
        assert_eq!(named_in("EU og Pakistan"), Some("PK"));
        assert_eq!(
            of_company_form("Christie Electronics Nordic AB"),
            Some("SE")
        );
        assert_eq!(of_company_form("Uniqkey ApS"), Some("DK"));
        assert_eq!(of_vat("fi07055792"), Some("FI"));
        assert!(is_eea("NO") && !is_eea("GB") && !is_eea("US"));
    }
}
