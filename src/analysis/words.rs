//! The word lists every stage reads, one list per kind of word. Words are written lower case;
//! a stage compares a word lower-cased (or [`super::fold`]ed) against them.

/// Words after which a full stop does not end a sentence (folded, without the dot): Danish and
/// English abbreviations of agreements. Every stage that cuts text into sentences reads this one
/// list.
pub const ABBREVIATIONS: &[&str] = &[
    "jf", "pkt", "nr", "stk", "bl", "a", "m", "v", "mv", "evt", "inkl", "ekskl", "f", "eks", "fx",
    "ca", "dvs", "mht", "iht", "ift", "pga", "vedr", "art", "kap", "min", "max", "maks", "kr",
    "ifm", "hhv", "resp", "tlf", "att", "ang", "el", "osv", "etc", "sept", "okt", "nov", "dec",
    "jan", "feb", "aug", "st", "pr", "ff", "litra", "lign", "no", "cf", "incl", "para", "sec",
    "vs", "e", "g", "i", "ie", "eg", "ref",
];

/// Conjunctions that join two names or two halves of a compound (`udviklings- og driftsmiljø`,
/// `A og B`), Danish and English.
pub const CONJUNCTIONS: [&str; 5] = ["og", "eller", "samt", "and", "or"];

/// Company forms (Danish, Nordic, European, American), written as a name ends with them,
/// without a final full stop (`inc`, `b.v`): compare with [`is_legal_form`].
pub const LEGAL_FORMS: &[&str] = &[
    "a/s",
    "aps",
    "p/s",
    "i/s",
    "k/s",
    "amba",
    "ab",
    "asa",
    "as",
    "oy",
    "oyj",
    "gmbh",
    "ggmbh",
    "ag",
    "b.v",
    "bv",
    "n.v",
    "nv",
    "s.a",
    "sa",
    "sarl",
    "sas",
    "s.r.l",
    "srl",
    "se",
    "ltd",
    "limited",
    "llc",
    "l.l.c",
    "inc",
    "corp",
    "corporation",
    "co",
    "pbc",
    "plc",
    "l",
    "lp",
];

/// Whether `word` (lower case, brackets and commas already trimmed) is a company form of
/// [`LEGAL_FORMS`], with or without a final full stop.
pub fn is_legal_form(word: &str) -> bool {
    LEGAL_FORMS.contains(&word.strip_suffix('.').unwrap_or(word))
}
