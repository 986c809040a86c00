//! Which clause of the old agreement became which clause of the new one.
//!
//! Order of evidence, strongest first:
//! 1. identical wording (heading and text): pairs whatever the numbers say, so that a clause
//!    inserted early, which renumbers everything after it, leaves the rest paired;
//! 2. similar wording, where the same number and a place between the same identical neighbours
//!    weigh in: a reworded clause stays paired with its old self;
//! 3. one old clause whose words are spread over consecutive new clauses (split), or the other
//!    way round (merged);
//! 4. what is left was added or removed.
//!
//! Pairs that break the order of the others (off the longest increasing run of new positions)
//! were moved.

use std::collections::HashMap;

use super::words::Wording;

/// A clause prepared for comparison.
#[derive(Debug, Clone)]
pub struct Unit {
    pub number: Option<String>,
    pub heading: Wording,
    pub body: Wording,
    /// Heading and body keys joined; equal identities are equal wordings.
    pub identity: String,
    /// The word keys of heading and body, sorted (a multiset).
    pub bag: Vec<String>,
}

impl Unit {
    pub fn new(number: Option<&str>, heading: Option<&str>, body: &str, ignore_ocr: bool) -> Unit {
        let heading = Wording::new(heading.unwrap_or(""), ignore_ocr);
        let body = Wording::new(body, ignore_ocr);
        let identity = if ignore_ocr {
            super::words::skeleton(heading.keys.iter().chain(&body.keys).map(String::as_str))
        } else {
            format!("{} {}", heading.joined(), body.joined())
        };
        let mut bag: Vec<String> = heading
            .word_keys()
            .chain(body.word_keys())
            .map(str::to_string)
            .collect();
        bag.sort_unstable();
        Unit {
            number: number.map(str::to_string),
            heading,
            body,
            identity,
            bag,
        }
    }
}

impl Unit {
    /// Heading and text as one wording.
    pub fn full(&self) -> Wording {
        let mut w = self.heading.clone();
        w.tokens.extend(self.body.tokens.iter().cloned());
        w.keys.extend(self.body.keys.iter().cloned());
        w
    }
}

/// Size of the intersection of two sorted multisets.
fn common(a: &[String], b: &[String]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Dice similarity of two word multisets, 0.0–1.0.
pub fn dice(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * common(a, b) as f64 / (a.len() + b.len()) as f64
}

/// Share of `part`'s words found in `whole`.
fn containment(part: &[String], whole: &[String]) -> f64 {
    if part.is_empty() {
        return 0.0;
    }
    common(part, whole) as f64 / part.len() as f64
}

fn merged_bag<'a>(units: impl Iterator<Item = &'a Unit>) -> Vec<String> {
    let mut bag: Vec<String> = units.flat_map(|u| u.bag.iter().cloned()).collect();
    bag.sort_unstable();
    bag
}

/// How the clauses correspond.
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    /// Old clause `.0` is new clause `.1`; `moved` when the pair breaks the order of the others.
    Pair {
        old: usize,
        new: usize,
        moved: bool,
    },
    /// One old clause became several consecutive new ones.
    Split {
        old: usize,
        new: Vec<usize>,
    },
    /// Several consecutive old clauses became one new one.
    Merged {
        old: Vec<usize>,
        new: usize,
    },
    Removed(usize),
    Added(usize),
}

/// Similarity needed to pair clauses that keep their number, and clauses that do not.
const SAME_NUMBER_MIN: f64 = 0.5;
const OTHER_NUMBER_MIN: f64 = 0.6;
/// A split or merge must explain the old wording at least this well.
const SPLIT_MIN: f64 = 0.8;

/// Align the clauses of two agreements.
pub fn align(old: &[Unit], new: &[Unit]) -> Vec<Link> {
    let mut old_pair: Vec<Option<usize>> = vec![None; old.len()];
    let mut new_pair: Vec<Option<usize>> = vec![None; new.len()];

    // 1. Identical wording.
    let mut by_identity: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, u) in new.iter().enumerate() {
        by_identity.entry(u.identity.as_str()).or_default().push(j);
    }
    for (i, u) in old.iter().enumerate() {
        let Some(candidates) = by_identity.get(u.identity.as_str()) else {
            continue;
        };
        let free = || {
            candidates
                .iter()
                .copied()
                .filter(|&j| new_pair[j].is_none())
        };
        let chosen = free()
            .find(|&j| new[j].number == u.number)
            .or_else(|| free().next());
        if let Some(j) = chosen {
            old_pair[i] = Some(j);
            new_pair[j] = Some(i);
        }
    }

    // 2. Similar wording, the same number and the same neighbourhood weighing in.
    let anchors: Vec<(usize, usize)> = old_pair
        .iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| (i, j)))
        .collect();
    let window = |i: usize| -> (Option<usize>, Option<usize>) {
        let before = anchors.iter().rev().find(|(a, _)| *a < i).map(|&(_, j)| j);
        let after = anchors.iter().find(|(a, _)| *a > i).map(|&(_, j)| j);
        (before, after)
    };
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for i in (0..old.len()).filter(|&i| old_pair[i].is_none()) {
        let (before, after) = window(i);
        for j in (0..new.len()).filter(|&j| new_pair[j].is_none()) {
            let same_number = old[i].number.is_some() && old[i].number == new[j].number;
            let sim = dice(&old[i].bag, &new[j].bag);
            // A heading of its own (no text) renamed under the same number.
            let renamed_heading = same_number && old[i].body.is_empty() && new[j].body.is_empty();
            let enough = if same_number {
                sim >= SAME_NUMBER_MIN || renamed_heading
            } else {
                sim >= OTHER_NUMBER_MIN
            };
            if !enough {
                continue;
            }
            let in_place = before.is_none_or(|b| j > b) && after.is_none_or(|a| j < a);
            let score =
                sim + if same_number { 0.15 } else { 0.0 } + if in_place { 0.1 } else { 0.0 };
            candidates.push((score, i, j));
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in candidates {
        if old_pair[i].is_none() && new_pair[j].is_none() {
            old_pair[i] = Some(j);
            new_pair[j] = Some(i);
        }
    }

    // 3. Splits and merges.
    let mut links = Vec::new();
    let mut old_done = vec![false; old.len()];
    let mut new_done = vec![false; new.len()];
    for i in 0..old.len() {
        if let Some(parts) = spread(i, old, new, &old_pair, &new_pair) {
            for &j in &parts {
                if let Some(other) = new_pair[j] {
                    old_pair[other] = None;
                }
                new_pair[j] = None;
                new_done[j] = true;
            }
            if let Some(j) = old_pair[i].take() {
                new_pair[j] = None;
            }
            old_done[i] = true;
            links.push(Link::Split { old: i, new: parts });
        }
    }
    for j in 0..new.len() {
        if new_done[j] {
            continue;
        }
        if let Some(parts) = spread(j, new, old, &new_pair, &old_pair) {
            if parts.iter().any(|&i| old_done[i]) {
                continue;
            }
            for &i in &parts {
                if let Some(other) = old_pair[i] {
                    new_pair[other] = None;
                }
                old_pair[i] = None;
                old_done[i] = true;
            }
            if let Some(i) = new_pair[j].take() {
                old_pair[i] = None;
            }
            new_done[j] = true;
            links.push(Link::Merged { old: parts, new: j });
        }
    }

    // 4. Order: pairs off the longest increasing run were moved.
    let pairs: Vec<(usize, usize)> = old_pair
        .iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| (i, j)))
        .collect();
    let in_order = longest_increasing(&pairs.iter().map(|&(_, j)| j).collect::<Vec<_>>());
    for (k, &(i, j)) in pairs.iter().enumerate() {
        old_done[i] = true;
        new_done[j] = true;
        links.push(Link::Pair {
            old: i,
            new: j,
            moved: !in_order[k],
        });
    }
    links.extend((0..old.len()).filter(|&i| !old_done[i]).map(Link::Removed));
    links.extend((0..new.len()).filter(|&j| !new_done[j]).map(Link::Added));
    links
}

/// Consecutive clauses of `to` that together are clause `k` of `from`, when clause `k`
/// matches them much better than it matches its pair alone. Used both ways: old → new finds
/// splits, new → old merges.
fn spread(
    k: usize,
    from: &[Unit],
    to: &[Unit],
    from_pair: &[Option<usize>],
    to_pair: &[Option<usize>],
) -> Option<Vec<usize>> {
    let unit = &from[k];
    let alone = from_pair[k].map_or(0.0, |j| dice(&unit.bag, &to[j].bag));
    if alone >= 0.9 || unit.bag.len() < 6 {
        return None;
    }
    let part_of =
        |j: usize| to[j].bag.len() >= 3 && containment(&to[j].bag, &unit.bag) >= SPLIT_MIN;
    // Parts: the pair (if any) and unpaired clauses wholly made of this clause's words.
    let mut parts: Vec<usize> = (0..to.len())
        .filter(|&j| (to_pair[j].is_none() || from_pair[k] == Some(j)) && part_of(j))
        .collect();
    if parts.len() < 2 {
        return None;
    }
    // Keep the longest consecutive run.
    let mut best: (usize, usize) = (0, 1);
    let mut start = 0;
    for x in 1..=parts.len() {
        if x == parts.len() || parts[x] != parts[x - 1] + 1 {
            if x - start > best.1 - best.0 {
                best = (start, x);
            }
            start = x;
        }
    }
    parts = parts[best.0..best.1].to_vec();
    if parts.len() < 2 {
        return None;
    }
    let together = dice(&unit.bag, &merged_bag(parts.iter().map(|&j| &to[j])));
    (together >= SPLIT_MIN && together > alone + 0.15).then_some(parts)
}

/// For each element, whether it belongs to one longest strictly increasing subsequence.
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    // tails[l] = index of the smallest tail of an increasing run of length l + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; values.len()];
    for (k, &v) in values.iter().enumerate() {
        let pos = tails.partition_point(|&t| values[t] < v);
        prev[k] = pos.checked_sub(1).map(|p| tails[p]);
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut keep = vec![false; values.len()];
    let mut cursor = tails.last().copied();
    while let Some(k) = cursor {
        keep[k] = true;
        cursor = prev[k];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(clauses: &[(&str, &str)]) -> Vec<Unit> {
        clauses
            .iter()
            .map(|(n, t)| Unit::new(Some(n), None, t, false))
            .collect()
    }

    const A: &str = "Databehandleren behandler alene personoplysninger efter dokumenteret instruks fra den dataansvarlige";
    const B: &str =
        "Databehandleren sikrer at personer med adgang til oplysningerne har tavshedspligt";
    const C: &str = "Underdatabehandlere må kun benyttes med forudgående skriftlig godkendelse";
    const D: &str =
        "Sikkerhedsbrud meddeles den dataansvarlige uden unødig forsinkelse efter opdagelsen";

    #[test]
    fn an_insertion_leaves_the_rest_paired_under_new_numbers() {
        let old = units(&[("1", A), ("2", B), ("3", C)]);
        let new = units(&[("1", A), ("2", D), ("3", B), ("4", C)]);
        let links = align(&old, &new);
        assert!(links.contains(&Link::Added(1)));
        assert!(links.contains(&Link::Pair {
            old: 1,
            new: 2,
            moved: false
        }));
        assert!(links.contains(&Link::Pair {
            old: 2,
            new: 3,
            moved: false
        }));
        assert_eq!(links.len(), 4);
    }

    #[test]
    fn a_reworded_clause_keeps_its_pair_and_a_moved_one_is_seen() {
        let old = units(&[("1", A), ("2", B), ("3", C), ("4", D)]);
        let b2 = B.replace("har tavshedspligt", "er underlagt tavshedspligt");
        let new = units(&[("1", A), ("2", &b2), ("3", D), ("4", C)]);
        let links = align(&old, &new);
        assert!(links.contains(&Link::Pair {
            old: 1,
            new: 1,
            moved: false
        }));
        let moved = links
            .iter()
            .filter(|l| matches!(l, Link::Pair { moved: true, .. }))
            .count();
        assert_eq!(moved, 1);
    }

    #[test]
    fn splits_and_merges() {
        let joined = format!("{A} og {C}");
        let old = units(&[("1", &joined), ("2", B)]);
        let new = units(&[("1", A), ("2", C), ("3", B)]);
        let links = align(&old, &new);
        assert!(
            links.contains(&Link::Split {
                old: 0,
                new: vec![0, 1]
            }),
            "{links:?}"
        );
        let links = align(&new, &old);
        assert!(
            links.contains(&Link::Merged {
                old: vec![0, 1],
                new: 0
            }),
            "{links:?}"
        );
    }

    #[test]
    fn longest_increasing_marks_the_odd_one_out() {
        assert_eq!(
            longest_increasing(&[0, 1, 5, 2, 3, 4]),
            [true, true, false, true, true, true]
        );
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
    }
}
