//! Company names as compared across rows and agreements: one key per name (case, Danish
//! letters, punctuation and company forms left out) and the rule for when two names are one
//! company. The register, the comparison and the web app's filters read these.

use super::words::is_legal_form;

/// A name as compared: lower case, Danish letters folded, punctuation and company forms out.
pub fn name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    lower
        .split_whitespace()
        .filter(|w| {
            let bare = w.trim_matches(|c: char| c == ',' || c == '(' || c == ')');
            !is_legal_form(bare)
        })
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .replace('æ', "ae")
                .replace('ø', "o")
                .replace('å', "a")
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two names are one company: the same [`name_key`], or one name is the other with
/// words added after it (`Nordlys` / `Nordlys Inc.`, `Nordlys` / `Nordlys Data Platform`), the
/// shared words making at least four letters. A name written as two names with a slash
/// (`Moder / Nordlys`, a parent and its brand) is either.
pub fn same_company(a: &str, b: &str) -> bool {
    let names = |s: &str| -> Vec<String> {
        let mut out = vec![s.to_string()];
        out.extend(
            s.split(" / ")
                .filter(|_| s.contains(" / "))
                .map(str::to_string),
        );
        out
    };
    names(a)
        .iter()
        .any(|x| names(b).iter().any(|y| same_name(x, y)))
}

fn same_name(a: &str, b: &str) -> bool {
    let (x, y) = (name_key(a), name_key(b));
    if x.is_empty() || y.is_empty() {
        return false;
    }
    if x == y {
        return true;
    }
    let (short, long) = if x.len() <= y.len() {
        (&x, &y)
    } else {
        (&y, &x)
    };
    let shared = short.split(' ').count();
    long.split(' ').take(shared).eq(short.split(' '))
        && short.chars().filter(|c| c.is_alphanumeric()).count() >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_company_under_longer_and_shorter_names() {
        assert!(same_company("Nordlys", "Nordlys Data ApS"));
        assert!(same_company("Nordlys Data A/S", "nordlys data"));
        assert!(same_company("Kvasir Corp.", "Kvasir"));
        // A shared first word is not enough, nor a short one.
        assert!(!same_company("Nordlys Data", "Nordlys Energi"));
        assert!(!same_company("Ab", "Ab Cloud"));
        assert!(!same_company("", "Nordlys"));
        assert!(same_company("Moder / Nordlys Data Inc.", "Nordlys"));
    }
}
