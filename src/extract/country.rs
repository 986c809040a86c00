//! Countries in Danish agreements: every ISO 3166-1 country by its Danish and English names and
//! common variants (`Danmark`, `Irlands`, `Nederlandene`, `the Netherlands`, `Storbritannien`,
//! `UK`, `USA`, `U.S.`), US state and postcode shapes in addresses, VAT prefixes and company
//! forms, mapped to ISO 3166-1 alpha-2 codes; and which of them are in the EU/EEA (everything
//! else is a third country under GDPR chapter V). Countries come from data, never from the
//! cities of one document's addresses.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::record::{IdentifierKind, RowIdentifier};

/// Membership of the internal market.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Member {
    /// An EU member state.
    Eu,
    /// In the EEA, not in the EU (Iceland, Liechtenstein, Norway).
    Eea,
    /// Neither: a third country.
    Third,
}
/// Short names for the table's membership column.
const EU: Member = Member::Eu;
const EEA: Member = Member::Eea;
const N: Member = Member::Third;

/// Every ISO 3166-1 country: code, Danish names, English names and variants (native names,
/// short forms), and membership. A name is matched as a whole word and in any case, except:
/// `^Name` only with a capital first letter in the text (it is also a common word or first
/// name: `Turkey`, `Jordan`, `Island`), `=NAME` only exactly as written (`US`, `UK`). Danish
/// names are also matched in the genitive (`Irlands`, `USA's`). ISO codes are not names: they are
/// read only by [`by_code`].
#[rustfmt::skip]
const COUNTRIES: &[(&str, &[&str], &[&str], Member)] = &[
    ("AD", &["Andorra"], &[], N),
    ("AE", &["De Forenede Arabiske Emirater", "Forenede Arabiske Emirater", "Emiraterne"], &["United Arab Emirates", "the United Arab Emirates", "UAE", "U.A.E."], N),
    ("AF", &["Afghanistan"], &[], N),
    ("AG", &["Antigua og Barbuda"], &["Antigua and Barbuda", "Antigua"], N),
    ("AI", &["Anguilla"], &[], N),
    ("AL", &["Albanien"], &["Albania"], N),
    ("AM", &["Armenien"], &["Armenia"], N),
    ("AO", &["Angola"], &[], N),
    ("AQ", &["Antarktis"], &["Antarctica"], N),
    ("AR", &["Argentina"], &[], N),
    ("AS", &["Amerikansk Samoa"], &["American Samoa"], N),
    ("AT", &["Østrig"], &["Austria", "Österreich"], EU),
    ("AU", &["Australien"], &["Australia"], N),
    ("AW", &["Aruba"], &[], N),
    ("AX", &["Ålandsøerne", "Åland"], &["Åland Islands", "Aland Islands"], N),
    ("AZ", &["Aserbajdsjan"], &["Azerbaijan"], N),
    ("BA", &["Bosnien-Hercegovina", "Bosnien og Hercegovina", "Bosnien"], &["Bosnia and Herzegovina", "Bosnia-Herzegovina", "Bosnia"], N),
    ("BB", &["Barbados"], &[], N),
    ("BD", &["Bangladesh"], &[], N),
    ("BE", &["Belgien"], &["Belgium", "Belgique", "België"], EU),
    ("BF", &["Burkina Faso"], &[], N),
    ("BG", &["Bulgarien"], &["Bulgaria"], EU),
    ("BH", &["Bahrain"], &[], N),
    ("BI", &["Burundi"], &[], N),
    ("BJ", &["Benin"], &[], N),
    ("BL", &["Saint-Barthélemy"], &["Saint Barthélemy", "St. Barthélemy"], N),
    ("BM", &["^Bermuda"], &[], N),
    ("BN", &["Brunei"], &["Brunei Darussalam"], N),
    ("BO", &["Bolivia"], &[], N),
    ("BQ", &["Caribisk Nederlandene", "Bonaire"], &["Caribbean Netherlands", "Bonaire, Sint Eustatius and Saba"], N),
    ("BR", &["Brasilien"], &["Brazil", "Brasil"], N),
    ("BS", &["Bahamas"], &["the Bahamas"], N),
    ("BT", &["Bhutan"], &[], N),
    ("BV", &["Bouvetøen"], &["Bouvet Island"], N),
    ("BW", &["Botswana"], &[], N),
    ("BY", &["Hviderusland", "Belarus"], &[], N),
    ("BZ", &["Belize"], &[], N),
    ("CA", &["Canada"], &[], N),
    ("CC", &["Cocosøerne"], &["Cocos Islands", "Cocos (Keeling) Islands"], N),
    ("CD", &["Den Demokratiske Republik Congo", "Demokratiske Republik Congo", "DR Congo"], &["Democratic Republic of the Congo", "Democratic Republic of Congo"], N),
    ("CF", &["Den Centralafrikanske Republik", "Centralafrikanske Republik"], &["Central African Republic"], N),
    ("CG", &["Republikken Congo", "Congo", "Kongo"], &["Republic of the Congo", "Republic of Congo"], N),
    ("CH", &["Schweiz"], &["Switzerland", "Suisse", "Svizzera"], N),
    ("CI", &["Elfenbenskysten"], &["Côte d'Ivoire", "Côte d’Ivoire", "Cote d'Ivoire", "Ivory Coast"], N),
    ("CK", &["Cookøerne"], &["Cook Islands"], N),
    ("CL", &["^Chile"], &[], N),
    ("CM", &["Cameroun"], &["Cameroon"], N),
    ("CN", &["Kina", "Folkerepublikken Kina"], &["China", "People's Republic of China", "People’s Republic of China", "=PRC"], N),
    ("CO", &["Colombia"], &[], N),
    ("CR", &["Costa Rica"], &[], N),
    ("CU", &["Cuba"], &[], N),
    ("CV", &["Kap Verde"], &["Cape Verde", "Cabo Verde"], N),
    ("CW", &["Curaçao"], &["Curacao"], N),
    ("CX", &["Juleøen"], &["Christmas Island"], N),
    ("CY", &["Cypern"], &["Cyprus"], EU),
    ("CZ", &["Tjekkiet", "Den Tjekkiske Republik", "Tjekkiske Republik"], &["Czech Republic", "the Czech Republic", "Czechia"], EU),
    ("DE", &["Tyskland"], &["Germany", "Deutschland"], EU),
    ("DJ", &["Djibouti"], &[], N),
    ("DK", &["Danmark"], &["Denmark"], EU),
    ("DM", &["Dominica"], &[], N),
    ("DO", &["Den Dominikanske Republik", "Dominikanske Republik"], &["Dominican Republic", "the Dominican Republic"], N),
    ("DZ", &["Algeriet"], &["Algeria"], N),
    ("EC", &["Ecuador"], &[], N),
    ("EE", &["Estland"], &["Estonia"], EU),
    ("EG", &["Egypten"], &["Egypt"], N),
    ("EH", &["Vestsahara"], &["Western Sahara"], N),
    ("ER", &["Eritrea"], &[], N),
    ("ES", &["Spanien"], &["Spain", "España"], EU),
    ("ET", &["Etiopien"], &["Ethiopia"], N),
    ("FI", &["Finland"], &["Suomi"], EU),
    ("FJ", &["Fiji"], &[], N),
    ("FK", &["Falklandsøerne"], &["Falkland Islands"], N),
    ("FM", &["Mikronesien"], &["Micronesia", "Federated States of Micronesia"], N),
    ("FO", &["Færøerne"], &["Faroe Islands", "Faroes"], N),
    ("FR", &["Frankrig"], &["France"], EU),
    ("GA", &["Gabon"], &[], N),
    ("GB", &["Storbritannien", "Det Forenede Kongerige", "Forenede Kongerige", "England", "Skotland", "^Wales", "Nordirland"], &["United Kingdom", "the United Kingdom", "=UK", "=U.K.", "Great Britain", "Britain", "Scotland", "Northern Ireland"], N),
    ("GD", &["Grenada"], &[], N),
    ("GE", &["Georgien"], &["Republic of Georgia"], N),
    ("GF", &["Fransk Guyana"], &["French Guiana"], N),
    ("GG", &["^Guernsey"], &[], N),
    ("GH", &["Ghana"], &[], N),
    ("GI", &["Gibraltar"], &[], N),
    ("GL", &["Grønland"], &["Greenland"], N),
    ("GM", &["Gambia"], &["the Gambia"], N),
    ("GN", &["^Guinea"], &[], N),
    ("GP", &["Guadeloupe"], &[], N),
    ("GQ", &["Ækvatorialguinea"], &["Equatorial Guinea"], N),
    ("GR", &["Grækenland"], &["Greece", "Hellas"], EU),
    ("GS", &["South Georgia og South Sandwich Islands"], &["South Georgia and the South Sandwich Islands", "South Georgia"], N),
    ("GT", &["Guatemala"], &[], N),
    ("GU", &["Guam"], &[], N),
    ("GW", &["Guinea-Bissau"], &[], N),
    ("GY", &["Guyana"], &[], N),
    ("HK", &["Hongkong", "Hong Kong"], &[], N),
    ("HM", &["Heard- og McDonaldøerne"], &["Heard Island and McDonald Islands"], N),
    ("HN", &["Honduras"], &[], N),
    ("HR", &["Kroatien"], &["Croatia", "Hrvatska"], EU),
    ("HT", &["Haiti"], &[], N),
    ("HU", &["Ungarn"], &["Hungary", "Magyarország"], EU),
    ("ID", &["Indonesien"], &["Indonesia"], N),
    ("IE", &["Irland"], &["Ireland", "Republic of Ireland", "Éire"], EU),
    ("IL", &["Israel"], &[], N),
    ("IM", &["Isle of Man"], &[], N),
    ("IN", &["Indien"], &["India"], N),
    ("IO", &["Det Britiske Territorium i Det Indiske Ocean"], &["British Indian Ocean Territory"], N),
    ("IQ", &["Irak"], &["Iraq"], N),
    ("IR", &["Iran"], &[], N),
    ("IS", &["^Island"], &["Iceland"], EEA),
    ("IT", &["Italien"], &["Italy", "Italia"], EU),
    ("JE", &["^Jersey"], &[], N),
    ("JM", &["Jamaica"], &[], N),
    ("JO", &["^Jordan"], &[], N),
    ("JP", &["Japan"], &[], N),
    ("KE", &["Kenya"], &[], N),
    ("KG", &["Kirgisistan"], &["Kyrgyzstan"], N),
    ("KH", &["Cambodja"], &["Cambodia"], N),
    ("KI", &["Kiribati"], &[], N),
    ("KM", &["Comorerne"], &["Comoros"], N),
    ("KN", &["Saint Kitts og Nevis"], &["Saint Kitts and Nevis", "St. Kitts and Nevis"], N),
    ("KP", &["Nordkorea"], &["North Korea", "=DPRK"], N),
    ("KR", &["Sydkorea", "Korea"], &["South Korea", "Republic of Korea"], N),
    ("KW", &["Kuwait"], &[], N),
    ("KY", &["Caymanøerne"], &["Cayman Islands"], N),
    ("KZ", &["Kasakhstan"], &["Kazakhstan"], N),
    ("LA", &["Laos"], &[], N),
    ("LB", &["Libanon"], &["Lebanon"], N),
    ("LC", &["Saint Lucia"], &["St. Lucia"], N),
    ("LI", &["Liechtenstein"], &[], EEA),
    ("LK", &["Sri Lanka"], &[], N),
    ("LR", &["Liberia"], &[], N),
    ("LS", &["Lesotho"], &[], N),
    ("LT", &["Litauen"], &["Lithuania"], EU),
    ("LU", &["Luxembourg"], &["Luxemburg"], EU),
    ("LV", &["Letland"], &["Latvia"], EU),
    ("LY", &["Libyen"], &["Libya"], N),
    ("MA", &["Marokko"], &["Morocco"], N),
    ("MC", &["Monaco"], &[], N),
    ("MD", &["Moldova"], &["Moldavia"], N),
    ("ME", &["Montenegro"], &[], N),
    ("MF", &["Saint-Martin"], &["Saint Martin"], N),
    ("MG", &["Madagaskar"], &["Madagascar"], N),
    ("MH", &["Marshalløerne"], &["Marshall Islands"], N),
    ("MK", &["Nordmakedonien", "Makedonien"], &["North Macedonia", "Macedonia"], N),
    ("ML", &["^Mali"], &[], N),
    ("MM", &["Myanmar", "Burma"], &[], N),
    ("MN", &["Mongoliet"], &["Mongolia"], N),
    ("MO", &["Macao"], &["Macau"], N),
    ("MP", &["Nordmarianerne"], &["Northern Mariana Islands"], N),
    ("MQ", &["Martinique"], &[], N),
    ("MR", &["Mauretanien"], &["Mauritania"], N),
    ("MS", &["Montserrat"], &[], N),
    ("MT", &["Malta"], &[], EU),
    ("MU", &["Mauritius"], &[], N),
    ("MV", &["Maldiverne"], &["Maldives"], N),
    ("MW", &["Malawi"], &[], N),
    ("MX", &["Mexico"], &[], N),
    ("MY", &["Malaysia"], &[], N),
    ("MZ", &["Mozambique"], &[], N),
    ("NA", &["Namibia"], &[], N),
    ("NC", &["Ny Kaledonien", "Ny Caledonien"], &["New Caledonia"], N),
    ("NE", &["^Niger"], &[], N),
    ("NF", &["Norfolkøen"], &["Norfolk Island"], N),
    ("NG", &["Nigeria"], &[], N),
    ("NI", &["Nicaragua"], &[], N),
    ("NL", &["Nederlandene", "Holland"], &["Netherlands", "the Netherlands", "Nederland"], EU),
    ("NO", &["Norge"], &["Norway"], EEA),
    ("NP", &["Nepal"], &[], N),
    ("NR", &["Nauru"], &[], N),
    ("NU", &["Niue"], &[], N),
    ("NZ", &["New Zealand"], &[], N),
    ("OM", &["Oman"], &[], N),
    ("PA", &["^Panama"], &[], N),
    ("PE", &["^Peru"], &[], N),
    ("PF", &["Fransk Polynesien"], &["French Polynesia"], N),
    ("PG", &["Papua Ny Guinea"], &["Papua New Guinea"], N),
    ("PH", &["Filippinerne"], &["Philippines", "the Philippines"], N),
    ("PK", &["Pakistan"], &[], N),
    ("PL", &["Polen"], &["Poland", "Polska"], EU),
    ("PM", &["Saint-Pierre og Miquelon"], &["Saint Pierre and Miquelon"], N),
    ("PN", &["Pitcairn"], &["Pitcairn Islands"], N),
    ("PR", &["Puerto Rico"], &[], N),
    ("PS", &["Palæstina"], &["Palestine", "State of Palestine"], N),
    ("PT", &["Portugal"], &[], EU),
    ("PW", &["Palau"], &[], N),
    ("PY", &["Paraguay"], &[], N),
    ("QA", &["Qatar"], &[], N),
    ("RE", &["^Réunion"], &[], N),
    ("RO", &["Rumænien"], &["Romania", "România"], EU),
    ("RS", &["Serbien"], &["Serbia"], N),
    ("RU", &["Rusland"], &["Russia", "Russian Federation", "the Russian Federation"], N),
    ("RW", &["Rwanda"], &[], N),
    ("SA", &["Saudi-Arabien"], &["Saudi Arabia"], N),
    ("SB", &["Salomonøerne"], &["Solomon Islands"], N),
    ("SC", &["Seychellerne"], &["Seychelles"], N),
    ("SD", &["Sudan"], &[], N),
    ("SE", &["Sverige"], &["Sweden"], EU),
    ("SG", &["Singapore"], &[], N),
    ("SH", &["Sankt Helena"], &["Saint Helena"], N),
    ("SI", &["Slovenien"], &["Slovenia"], EU),
    ("SJ", &["Svalbard og Jan Mayen", "Svalbard"], &["Svalbard and Jan Mayen"], N),
    ("SK", &["Slovakiet"], &["Slovakia"], EU),
    ("SL", &["Sierra Leone"], &[], N),
    ("SM", &["San Marino"], &[], N),
    ("SN", &["Senegal"], &[], N),
    ("SO", &["Somalia"], &[], N),
    ("SR", &["Surinam"], &["Suriname"], N),
    ("SS", &["Sydsudan"], &["South Sudan"], N),
    ("ST", &["São Tomé og Príncipe"], &["São Tomé and Príncipe", "Sao Tome and Principe"], N),
    ("SV", &["El Salvador"], &[], N),
    ("SX", &["Sint Maarten"], &[], N),
    ("SY", &["Syrien"], &["Syria"], N),
    ("SZ", &["Eswatini", "Swaziland"], &[], N),
    ("TC", &["Turks- og Caicosøerne"], &["Turks and Caicos Islands"], N),
    ("TD", &["Tchad"], &["Republic of Chad"], N),
    ("TF", &["De Franske Sydlige Territorier"], &["French Southern Territories"], N),
    ("TG", &["^Togo"], &[], N),
    ("TH", &["Thailand"], &[], N),
    ("TJ", &["Tadsjikistan"], &["Tajikistan"], N),
    ("TK", &["Tokelau"], &[], N),
    ("TL", &["Østtimor"], &["Timor-Leste", "East Timor"], N),
    ("TM", &["Turkmenistan"], &[], N),
    ("TN", &["Tunesien"], &["Tunisia"], N),
    ("TO", &["^Tonga"], &[], N),
    ("TR", &["Tyrkiet"], &["^Turkey", "Türkiye", "Turkiye"], N),
    ("TT", &["Trinidad og Tobago"], &["Trinidad and Tobago"], N),
    ("TV", &["Tuvalu"], &[], N),
    ("TW", &["Taiwan"], &["Republic of China"], N),
    ("TZ", &["Tanzania"], &[], N),
    ("UA", &["Ukraine"], &[], N),
    ("UG", &["Uganda"], &[], N),
    ("UM", &["USA's mindre øbesiddelser"], &["United States Minor Outlying Islands"], N),
    ("US", &["USA", "De Forenede Stater", "Forenede Stater", "Amerikas Forenede Stater", "Amerika"], &["United States", "the United States", "United States of America", "the United States of America", "=US", "=U.S.", "U.S.A."], N),
    ("UY", &["Uruguay"], &[], N),
    ("UZ", &["Usbekistan"], &["Uzbekistan"], N),
    ("VA", &["Vatikanstaten"], &["Vatican City", "Vatican", "Holy See"], N),
    ("VC", &["Saint Vincent og Grenadinerne"], &["Saint Vincent and the Grenadines"], N),
    ("VE", &["Venezuela"], &[], N),
    ("VG", &["De Britiske Jomfruøer"], &["British Virgin Islands"], N),
    ("VI", &["De Amerikanske Jomfruøer"], &["U.S. Virgin Islands", "US Virgin Islands", "United States Virgin Islands"], N),
    ("VN", &["Vietnam"], &["Viet Nam"], N),
    ("VU", &["Vanuatu"], &[], N),
    ("WF", &["Wallis og Futuna"], &["Wallis and Futuna"], N),
    ("WS", &["Samoa"], &[], N),
    ("XK", &["Kosovo"], &[], N),
    ("YE", &["Yemen"], &[], N),
    ("YT", &["Mayotte"], &[], N),
    ("ZA", &["Sydafrika"], &["South Africa"], N),
    ("ZM", &["Zambia"], &[], N),
    ("ZW", &["Zimbabwe"], &[], N),
];

/// Phrases that contain a country name but name something else (`New Mexico`, `New Jersey`,
/// `Rhode Island`, `New South Wales`): matched like names, they hide the name inside them.
const NOT_COUNTRIES: &[&str] = &[
    "new mexico",
    "new jersey",
    "jersey city",
    "rhode island",
    "long island",
    "staten island",
    "prince edward island",
    "new south wales",
    "new england",
    "new guinea",
    "latin-amerika",
    "syd-amerika",
    "nord-amerika",
    "mellem-amerika",
];

/// How a name must be written in the text to count.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Case {
    /// In any case.
    Any,
    /// With a capital first letter.
    Capital,
    /// Exactly as in the table.
    Exact,
}

/// A name as looked for.
struct Name {
    /// The country, or `None` for a phrase of [`NOT_COUNTRIES`].
    code: Option<&'static str>,
    case: Case,
    /// The name as written in the table (for [`Case::Exact`]).
    written: String,
    /// Shorter names this one starts with, ending where a word may end (`guinea` in
    /// `guinea-bissau`): tried when the longer name is not a whole word at that place.
    prefixes: Vec<String>,
}

/// All names, lower-cased, and one search for all of them.
struct Names {
    by_lower: HashMap<String, Name>,
    /// The names, longest first, as one alternation: the leftmost match is the earliest name
    /// and, at that place, the longest.
    any: Regex,
}

static NAMES: LazyLock<Names> = LazyLock::new(|| {
    let mut by_lower: HashMap<String, Name> = HashMap::new();
    let mut add = |raw: &str, code: Option<&'static str>| {
        let (case, written) = if let Some(w) = raw.strip_prefix('^') {
            (Case::Capital, w)
        } else if let Some(w) = raw.strip_prefix('=') {
            (Case::Exact, w)
        } else {
            (Case::Any, raw)
        };
        // The first entry of a name wins (the table has no name of two countries: see tests).
        by_lower.entry(lower(written)).or_insert(Name {
            code,
            case,
            written: written.to_string(),
            prefixes: Vec::new(),
        });
    };
    for (code, danish, english, _) in COUNTRIES {
        for name in danish.iter().copied() {
            add(name, Some(*code));
            // The Danish genitive: `Irlands`, `Tysklands`, `USA's` (the `'s` needs no entry).
            if !name.ends_with('s') && !name.starts_with('=') {
                add(&format!("{name}s"), Some(*code));
            }
        }
        for name in english.iter().copied() {
            add(name, Some(*code));
        }
    }
    for phrase in NOT_COUNTRIES {
        add(phrase, None);
    }
    let lowers: Vec<String> = by_lower.keys().cloned().collect();
    for (key, name) in &mut by_lower {
        name.prefixes = lowers
            .iter()
            .filter(|p| {
                p.len() < key.len()
                    && key.starts_with(p.as_str())
                    && !key[p.len()..].starts_with(char::is_alphanumeric)
            })
            .cloned()
            .collect();
        name.prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
    }
    let mut sorted = lowers;
    sorted.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    let alternation = sorted
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|");
    let any = Regex::new(&alternation).expect("valid regex");
    Names { by_lower, any }
});

/// The text lower-cased character by character where that keeps the character's length in
/// bytes, so that a byte offset in it is the same offset in the text.
fn lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let mut l = c.to_lowercase();
        match (l.next(), l.next()) {
            (Some(lc), None) if lc.len_utf8() == c.len_utf8() => out.push(lc),
            _ => out.push(c),
        }
    }
    out
}

/// Calls `on_country` with the byte offset and code of each country named in a text, in the
/// order they stand, until it returns `false`.
fn scan(text: &str, mut on_country: impl FnMut(usize, &'static str) -> bool) {
    let names = &*NAMES;
    let lowered = lower(text);
    let is_word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    // The name `key` stands at `at` as a whole word written as the table requires.
    let stands = |at: usize, key: &str| -> Option<&Name> {
        let name = names.by_lower.get(key)?;
        let end = at + key.len();
        if is_word_char(lowered[..at].chars().next_back())
            || is_word_char(lowered[end..].chars().next())
        {
            return None;
        }
        let ok = match name.case {
            Case::Any => true,
            Case::Capital => text[at..].starts_with(char::is_uppercase),
            Case::Exact => text.get(at..end) == Some(name.written.as_str()),
        };
        ok.then_some(name)
    };
    let mut from = 0;
    while let Some(m) = names.any.find_at(&lowered, from) {
        let at = m.start();
        let found = stands(at, m.as_str()).map(|n| (m.as_str(), n)).or_else(|| {
            let prefixes = &names.by_lower.get(m.as_str())?.prefixes;
            prefixes
                .iter()
                .find_map(|p| stands(at, p).map(|n| (p.as_str(), n)))
        });
        match found {
            Some((key, name)) => {
                if let Some(code) = name.code {
                    if !on_country(at, code) {
                        return;
                    }
                }
                from = at + key.len();
            }
            None => {
                from = at + lowered[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
}

const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
];

/// A US state, by postal code or name, before a ZIP code (`CA 94041`, `Redmond, WA 98052-6399`,
/// `California 94043`), or a state name closing the address (`Atlanta, Georgia`); or a ZIP code
/// before a state code (`94041 CA`).
static US_STATE_ZIP: LazyLock<Regex> = LazyLock::new(|| {
    let codes = US_STATES
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join("|");
    let names = US_STATES
        .iter()
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(
        r"\b(?:{codes}|{names})\s*,?\s+\d{{5}}(?:-\d{{4}})?\b|,\s*(?:{names})\s*\.?\s*$|\b\d{{5}}\s+(?:{codes})\b"
    ))
    .expect("valid regex")
});
/// An Irish Eircode (`D02 X525`, `D6W 1234`).
static EIRCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?[0-9AC-FHKNPRTV-Y]{4}\b").expect("valid regex")
});
/// A UK postcode (`EC1A 1BB`, `RG12 1HN`, `M1 1AE`).
static UK_POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b").expect("valid regex")
});
/// A Dutch postcode (`1012 KP`): four digits and two capitals (never SA, SD or SS).
static DUTCH_POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[1-9]\d{3}\s?(?:[A-RT-Z][A-Z]|S[BCE-RT-Z])\b").expect("valid regex")
});
static DANISH_POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:DK-?)?[1-9]\d{3}\s+\p{Lu}\p{Ll}|\b\p{Lu}{3,}\s+[1-9]\d{3}\s*$")
        .expect("valid regex")
});

/// The country of an ISO 3166-1 alpha-2 code (upper case; `UK` is read as `GB`, `EL` as `GR`),
/// if it is one.
pub fn by_code(code: &str) -> Option<&'static str> {
    let code = match code {
        "UK" => "GB",
        "EL" => "GR",
        c => c,
    };
    COUNTRIES.iter().map(|(c, ..)| *c).find(|c| *c == code)
}

/// The country's Danish name (`IN` → `Indien`), for a reader.
pub fn danish_name(code: &str) -> Option<&'static str> {
    let code = by_code(code)?;
    COUNTRIES
        .iter()
        .find(|(c, ..)| *c == code)
        .and_then(|(_, danish, english, _)| danish.first().or(english.first()).copied())
}

/// Is the country in the EU/EEA? (`EL`, Greece in VAT numbers, is.)
pub fn is_eea(code: &str) -> bool {
    let code = if code == "EL" { "GR" } else { code };
    COUNTRIES
        .iter()
        .any(|(c, _, _, member)| *c == code && *member != N)
}

/// The first country named in a text (`Irland (EU)`, `Danmark`, `USA`).
pub fn named_in(text: &str) -> Option<&'static str> {
    first_named_at(text).map(|(_, code)| code)
}

/// Where the first country name in a text stands (byte offset in the text lower-cased, which is
/// its offset in the text too for all but a few exotic letters), and which country it names.
/// The earliest name wins, and the longest at the same place (`Northern Ireland` is GB).
pub fn first_named_at(text: &str) -> Option<(usize, &'static str)> {
    // Called for every line of every sub-processor table: one pass over the text for all the
    // names at once (issue 9 asked for a cheap search; a few hundred names keep it one pass).
    let mut first = None;
    scan(text, |at, code| {
        first = Some((at, code));
        false
    });
    first
}

/// All countries named in a text, in the order they are first named.
pub fn all_named_in(text: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    scan(text, |_, code| {
        if !out.contains(&code) {
            out.push(code);
        }
        true
    });
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

/// The country of a postal address: a country name in it, a US state and ZIP code, an Irish,
/// UK or Dutch postcode, or a Danish postcode and town when nothing else says otherwise. A city
/// alone says nothing.
pub fn of_address(address: &str) -> Option<&'static str> {
    if let Some(code) = named_in(address) {
        return Some(code);
    }
    // Every postcode shape has a digit; most text has none and skips the regexes.
    if !address.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    [
        (&*US_STATE_ZIP, "US"),
        (&*EIRCODE, "IE"),
        (&*UK_POSTCODE, "GB"),
        (&*DUTCH_POSTCODE, "NL"),
        (&*DANISH_POSTCODE, "DK"),
    ]
    .into_iter()
    .find(|(shape, _)| shape.is_match(address))
    .map(|(_, code)| code)
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

/// The country a registration number tells: a VAT number by its prefix, a CVR number Denmark,
/// a US EIN the United States.
pub fn of_identifier(id: &RowIdentifier) -> Option<&'static str> {
    match id.kind {
        IdentifierKind::Vat => of_vat(&id.value),
        IdentifierKind::Cvr => Some("DK"),
        IdentifierKind::Ein => Some("US"),
        IdentifierKind::Other | IdentifierKind::Foreign => None,
    }
}

/// The country of a VAT number's prefix (`IE8256796U` → IE; Greece writes EL, Northern Ireland
/// XI): EU/EEA members, the UK and Switzerland.
pub fn of_vat(value: &str) -> Option<&'static str> {
    let prefix = value.get(..2)?.to_uppercase();
    let prefix = match prefix.as_str() {
        "EL" => "GR",
        "XI" => "GB",
        p => p,
    };
    by_code(prefix).filter(|c| is_eea(c) || ["GB", "CH"].contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EU27: &[&str] = &[
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ];

    #[test]
    fn table_is_iso_and_unambiguous() {
        let mut codes: Vec<&str> = COUNTRIES.iter().map(|(c, ..)| *c).collect();
        assert!(codes.len() >= 249);
        assert!(codes
            .iter()
            .all(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase())));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), COUNTRIES.len(), "a code twice");
        // No name (lower-cased, genitive included) of two countries.
        let mut seen: HashMap<String, &str> = HashMap::new();
        for (code, danish, english, _) in COUNTRIES {
            let genitives = danish.iter().map(|n| format!("{n}s"));
            for name in danish
                .iter()
                .map(|n| n.to_string())
                .chain(genitives)
                .chain(english.iter().map(|n| n.to_string()))
            {
                let key = lower(name.trim_start_matches(['^', '=']));
                if let Some(other) = seen.insert(key.clone(), code) {
                    assert_eq!(other, *code, "{key} names {other} and {code}");
                }
            }
        }
    }

    #[test]
    fn danish_names() {
        for (text, code) in [
            ("Danmark", "DK"),
            ("Kroatien", "HR"),
            ("Bulgarien", "BG"),
            ("Cypern", "CY"),
            ("Malta", "MT"),
            ("Slovakiet", "SK"),
            ("Slovenien", "SI"),
            ("Brasilien", "BR"),
            ("Sydkorea", "KR"),
            ("Tjekkiet", "CZ"),
            ("Storbritannien", "GB"),
            ("De Forenede Stater", "US"),
            ("De Forenede Arabiske Emirater", "AE"),
            ("Færøerne", "FO"),
            ("Østrig", "AT"),
            ("Filippinerne", "PH"),
            ("Sydafrika", "ZA"),
            ("Rusland", "RU"),
        ] {
            assert_eq!(named_in(text), Some(code), "{text}");
        }
        // Genitive.
        assert_eq!(named_in("Irlands datatilsyn"), Some("IE"));
        assert_eq!(named_in("Tysklands lovgivning"), Some("DE"));
        assert_eq!(named_in("USA's myndigheder"), Some("US"));
    }

    #[test]
    fn english_names() {
        for (text, code) in [
            ("Croatia", "HR"),
            ("Brazil", "BR"),
            ("Argentina", "AR"),
            ("South Korea", "KR"),
            ("New Zealand", "NZ"),
            ("United Arab Emirates", "AE"),
            ("Viet Nam", "VN"),
            ("Czechia", "CZ"),
            ("Switzerland", "CH"),
            ("India", "IN"),
            ("Nigeria", "NG"),
            ("Mexico", "MX"),
        ] {
            assert_eq!(named_in(text), Some(code), "{text}");
        }
    }

    #[test]
    fn variants() {
        for (text, code) in [
            ("USA", "US"),
            ("hosted in the US", "US"),
            ("U.S.", "US"),
            ("U.S.A.", "US"),
            ("United States of America", "US"),
            ("Amerika", "US"),
            ("UK", "GB"),
            ("England", "GB"),
            ("Great Britain", "GB"),
            ("Northern Ireland", "GB"),
            ("Holland", "NL"),
            ("Nederlandene", "NL"),
            ("the Netherlands", "NL"),
            ("Schweiz", "CH"),
            ("Czech Republic", "CZ"),
            ("Deutschland", "DE"),
            ("Guinea-Bissau", "GW"),
            ("Papua New Guinea", "PG"),
            ("Türkiye", "TR"),
        ] {
            assert_eq!(named_in(text), Some(code), "{text}");
        }
        // The earliest name wins, the longest at one place; the offset is the text's.
        assert_eq!(
            first_named_at("Kontor i Dublin, Irland og USA"),
            Some((17, "IE"))
        );
        assert_eq!(first_named_at("Ørestad, Danmark"), Some((10, "DK")));
        assert_eq!(
            all_named_in("Irland, Tyskland,USA og Irland"),
            vec!["IE", "DE", "US"]
        );
    }

    #[test]
    fn codes() {
        assert_eq!(by_code("DK"), Some("DK"));
        assert_eq!(by_code("BR"), Some("BR"));
        assert_eq!(by_code("ZW"), Some("ZW"));
        assert_eq!(by_code("UK"), Some("GB"));
        assert_eq!(by_code("EL"), Some("GR"));
        assert_eq!(by_code("XX"), None);
        assert_eq!(by_code("dk"), None);
        // Codes are not names: `IT`, `DE` and `IN` in a text are words, not countries.
        assert_eq!(named_in("IT-drift og support"), None);
        assert_eq!(named_in("DE"), None);
        assert_eq!(of_vat("fi07055792"), Some("FI"));
        assert_eq!(of_vat("EL123456789"), Some("GR"));
        assert_eq!(of_vat("HR12345678901"), Some("HR"));
        assert_eq!(of_vat("GB123456789"), Some("GB"));
        assert_eq!(of_vat("CHE-123.456.789"), Some("CH"));
        assert_eq!(of_vat("US123"), None);
    }

    #[test]
    fn membership() {
        for code in EU27 {
            assert!(is_eea(code), "{code}");
        }
        for code in ["IS", "LI", "NO", "EL"] {
            assert!(is_eea(code), "{code}");
        }
        let members = COUNTRIES.iter().filter(|(.., m)| *m != N).count();
        assert_eq!(members, 30);
        for code in ["CH", "GB", "US", "GL", "FO", "TR", "RS", "UA", "XX"] {
            assert!(!is_eea(code), "{code}");
        }
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(named_in("Romania"), Some("RO"));
        assert_eq!(all_named_in("Romania"), vec!["RO"]);
        assert_eq!(named_in("Indianapolis, Indiana"), None);
        assert_eq!(named_in("Chad Smith, Support Lead"), None);
        assert_eq!(named_in("Tchad"), Some("TD"));
        assert_eq!(named_in("Omanisk"), None);
        assert_eq!(named_in("Indianer"), None);
        assert_eq!(named_in("let us know"), None);
        assert_eq!(named_in("a remote island"), None);
        assert_eq!(named_in("Island"), Some("IS"));
        assert_eq!(named_in("roast turkey"), None);
        assert_eq!(named_in("Turkey"), Some("TR"));
        assert_eq!(named_in("Santa Fe, New Mexico"), None);
        assert_eq!(named_in("Newark, New Jersey, USA"), Some("US"));
        assert_eq!(named_in("Providence, Rhode Island"), None);
        assert_eq!(named_in("Sydney, New South Wales, Australia"), Some("AU"));
        assert_eq!(named_in("Latinamerika"), None);
        assert_eq!(named_in("Hele verden"), None);
    }

    #[test]
    fn addresses() {
        assert_eq!(of_address("Slotsmarken 18, 2970 Hørsholm"), Some("DK"));
        assert_eq!(of_address("Lyskær 8 A, HERLEV 2730"), Some("DK"));
        assert_eq!(of_address("5 Hanover Quay, D02 VY79 Dublin"), Some("IE"));
        assert_eq!(
            of_address("One Microsoft Place, Leopardstown, D18 P521"),
            Some("IE")
        );
        assert_eq!(of_address("1 Angel Lane, London EC4R 3AB"), Some("GB"));
        assert_eq!(of_address("Rokin 113-115, 1012 KP Amsterdam"), Some("NL"));
        assert_eq!(
            of_address("Rokin 113-115, Amsterdam, Nederland"),
            Some("NL")
        );
        // A city alone says nothing.
        assert_eq!(of_address("Kungsgatan 38, 11357 Stockholm"), None);
        assert_eq!(of_address("Dublin"), None);
        // A country name beats the Danish postcode shape.
        assert_eq!(of_address("Hauptstraße 1, 1234 Wien, Østrig"), Some("AT"));
    }

    #[test]
    fn us_addresses() {
        assert_eq!(
            of_address("444 Castro Street, Suite 400, CA 94041 Mountain View"),
            Some("US")
        );
        assert_eq!(
            of_address("One Microsoft Way, Redmond, WA 98052-6399"),
            Some("US")
        );
        assert_eq!(
            of_address("350 Fifth Avenue, New York, NY 10118"),
            Some("US")
        );
        assert_eq!(
            of_address("1600 Pennsylvania Ave NW, Washington, DC 20500"),
            Some("US")
        );
        assert_eq!(of_address("1 Main St, Cheyenne, WY 82001"), Some("US"));
        assert_eq!(
            of_address("1600 Amphitheatre Parkway, Mountain View, California 94043"),
            Some("US")
        );
        assert_eq!(of_address("100 Peachtree St, Atlanta, Georgia"), Some("US"));
        assert_eq!(
            of_address("200 Main St, Santa Fe, New Mexico 87501"),
            Some("US")
        );
        // Every state by code and by name.
        for (code, name) in US_STATES {
            assert_eq!(
                of_address(&format!("1 Main St, Town, {code} 12345")),
                Some("US"),
                "{code}"
            );
            assert_eq!(
                of_address(&format!("1 Main St, Town, {name} 12345")),
                Some("US"),
                "{name}"
            );
        }
        assert_eq!(US_STATES.len(), 51);
        // A state's name inside a street is no state.
        assert_eq!(of_address("1 Washington Road, Dublin, Ireland"), Some("IE"));
    }

    #[test]
    fn forms() {
        assert_eq!(named_in("Irland (EU)"), Some("IE"));
        assert_eq!(named_in("EU og Pakistan"), Some("PK"));
        assert_eq!(
            of_company_form("Christie Electronics Nordic AB"),
            Some("SE")
        );
        assert_eq!(of_company_form("Uniqkey ApS"), Some("DK"));
    }
}
