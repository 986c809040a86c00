//! Which clause of the old agreement became which clause of the new one.
//!
//! Order of evidence, strongest first:
//! 1. identical wording (heading and text): pairs whatever the numbers say, so that a clause
//!    inserted early, which renumbers everything after it, leaves the rest paired;
//! 2. the same place: between the same identical neighbours, clauses are paired in order
//!    (a weighted alignment) where number, heading, topics and wording together say they are
//!    one clause: a clause rewritten in place under its number and heading stays paired with
//!    its old self however few words survive, while a number that now holds a clause with
//!    another heading and other words is not a pair;
//! 3. similar wording elsewhere (a clause moved, or renumbered out of its place);
//! 4. one old clause whose words are spread over consecutive new clauses (split), or the other
//!    way round (merged);
//! 5. what is left was added or removed.
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
    /// The word keys of the heading alone, sorted.
    pub heading_bag: Vec<String>,
    /// The clause's topics (from the record), sorted; empty when unknown.
    pub topics: Vec<String>,
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
        let mut heading_bag: Vec<String> = heading.word_keys().map(str::to_string).collect();
        heading_bag.sort_unstable();
        Unit {
            number: number.map(str::to_string),
            heading,
            body,
            identity,
            bag,
            heading_bag,
            topics: Vec::new(),
        }
    }

    /// The same unit, knowing its clause's topics.
    pub fn with_topics(mut self, topics: &[String]) -> Unit {
        self.topics = topics.to_vec();
        self.topics.sort_unstable();
        self.topics.dedup();
        self
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

    // 2. The same place: an ordered alignment of what lies between the same identical
    //    neighbours.
    for (i, j) in in_place_pairs(old, new, &old_pair, &new_pair) {
        old_pair[i] = Some(j);
        new_pair[j] = Some(i);
    }

    // 3. Similar wording elsewhere.
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for i in (0..old.len()).filter(|&i| old_pair[i].is_none()) {
        for j in (0..new.len()).filter(|&j| new_pair[j].is_none()) {
            let same_number = old[i].number.is_some() && old[i].number == new[j].number;
            let sim = dice(&old[i].bag, &new[j].bag);
            let enough = if same_number {
                sim >= SAME_NUMBER_MIN
            } else {
                sim >= OTHER_NUMBER_MIN
            };
            if enough {
                candidates.push((sim + if same_number { 0.15 } else { 0.0 }, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in candidates {
        if old_pair[i].is_none() && new_pair[j].is_none() {
            old_pair[i] = Some(j);
            new_pair[j] = Some(i);
        }
    }

    // 4. Splits and merges.
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

    // 5. Order: pairs off the longest increasing run were moved.
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

/// Evidence needed for two clauses in the same place to be one clause (see [`kept_in_place`]).
const IN_PLACE_MIN: f64 = 0.5;

/// How strongly old clause `a` and new clause `b`, standing in the same place, read as one
/// clause: their wording, plus the same number, the same heading, the same topics, and being
/// the only two clauses between their neighbours. A heading that changed to other words
/// counts against. `None` below [`IN_PLACE_MIN`].
/// `sim` is the [`dice`] similarity of their words.
pub fn kept_in_place(a: &Unit, b: &Unit, sim: f64, alone_in_gap: bool) -> Option<f64> {
    let mut score = sim;
    let same_number = a.number.is_some() && a.number == b.number;
    if same_number {
        score += 0.15;
    }
    if !a.heading_bag.is_empty() && !b.heading_bag.is_empty() {
        let heading = heading_likeness(a, b);
        if heading >= 0.5 {
            score += 0.35;
        } else if heading < 0.25 {
            score -= 0.15;
        }
    } else if same_number && a.body.is_empty() && b.body.is_empty() {
        // A heading of its own (no text) renamed under the same number.
        score += 0.35;
    }
    if !a.topics.is_empty() && a.topics == b.topics {
        score += 0.1;
    }
    if alone_in_gap {
        score += 0.15;
    }
    (score >= IN_PLACE_MIN).then_some(score)
}

/// How alike two headings are, 0.0–1.0: shared words, or shared letters where a compound
/// changed one of its parts (`Regeringsadgang` → `Myndighedsadgang`).
fn heading_likeness(a: &Unit, b: &Unit) -> f64 {
    let words = dice(&a.heading_bag, &b.heading_bag);
    let (x, y) = (a.heading_bag.join(" "), b.heading_bag.join(" "));
    words.max(strsim::normalized_levenshtein(&x, &y))
}

/// Pairs of unpaired clauses that keep their place: between two consecutive pairs of
/// identical clauses (anchors), the old and new clauses are aligned in order, maximising the
/// summed evidence of [`kept_in_place`] (a weighted longest common subsequence).
fn in_place_pairs(
    old: &[Unit],
    new: &[Unit],
    old_pair: &[Option<usize>],
    new_pair: &[Option<usize>],
) -> Vec<(usize, usize)> {
    // Anchors: identical pairs that keep their order (a moved identical clause bounds nothing).
    let identical: Vec<(usize, usize)> = old_pair
        .iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| (i, j)))
        .collect();
    let in_order = longest_increasing(&identical.iter().map(|&(_, j)| j).collect::<Vec<_>>());
    let anchors: Vec<(usize, usize)> = identical
        .iter()
        .zip(&in_order)
        .filter(|(_, &keep)| keep)
        .map(|(&p, _)| p)
        .collect();
    // A clause whose wording is much closer to a clause elsewhere was moved, not kept.
    let free_old: Vec<usize> = (0..old.len()).filter(|&i| old_pair[i].is_none()).collect();
    let free_new: Vec<usize> = (0..new.len()).filter(|&j| new_pair[j].is_none()).collect();
    let mut best_old = vec![0.0f64; old.len()];
    let mut best_new = vec![0.0f64; new.len()];
    // Word similarity of each unpaired old clause (row) with each unpaired new one.
    let mut sims: HashMap<(usize, usize), f64> = HashMap::new();
    for &i in &free_old {
        for &j in &free_new {
            let d = dice(&old[i].bag, &new[j].bag);
            best_old[i] = best_old[i].max(d);
            best_new[j] = best_new[j].max(d);
            sims.insert((i, j), d);
        }
    }
    let closer_elsewhere = |i: usize, j: usize, sim: f64| -> bool {
        let better = |d: f64| d >= OTHER_NUMBER_MIN && d > sim + 0.2;
        better(best_old[i]) || better(best_new[j])
    };
    let mut bounds: Vec<(usize, usize)> = vec![(0, 0)];
    bounds.extend(anchors.iter().map(|&(i, j)| (i + 1, j + 1)));
    let mut ends: Vec<(usize, usize)> = anchors.clone();
    ends.push((old.len(), new.len()));
    let mut out = Vec::new();
    for (&(o0, n0), &(o1, n1)) in bounds.iter().zip(&ends) {
        let olds: Vec<usize> = (o0..o1.max(o0))
            .filter(|&i| old_pair[i].is_none())
            .collect();
        let news: Vec<usize> = (n0..n1.max(n0))
            .filter(|&j| new_pair[j].is_none())
            .collect();
        if olds.is_empty() || news.is_empty() {
            continue;
        }
        let alone = olds.len() == 1 && news.len() == 1;
        let (h, w) = (olds.len(), news.len());
        // best[x][y]: best summed evidence aligning olds[x..] with news[y..].
        let mut best = vec![vec![0.0f64; w + 1]; h + 1];
        let mut score = vec![vec![None; w]; h];
        for x in (0..h).rev() {
            for y in (0..w).rev() {
                let (i, j) = (olds[x], news[y]);
                let sim = sims.get(&(i, j)).copied().unwrap_or(0.0);
                score[x][y] = kept_in_place(&old[i], &new[j], sim, alone)
                    .filter(|_| !closer_elsewhere(i, j, sim));
                let take = score[x][y].map_or(f64::NEG_INFINITY, |s| s + best[x + 1][y + 1]);
                best[x][y] = take.max(best[x + 1][y]).max(best[x][y + 1]);
            }
        }
        let (mut x, mut y) = (0, 0);
        while x < h && y < w {
            match score[x][y] {
                Some(s) if best[x][y] == s + best[x + 1][y + 1] => {
                    out.push((olds[x], news[y]));
                    x += 1;
                    y += 1;
                }
                _ if best[x][y] == best[x + 1][y] => x += 1,
                _ => y += 1,
            }
        }
    }
    out
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
