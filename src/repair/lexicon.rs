//! The word list behind repair: a trie of lower-case words, each with a zipf frequency.
//!
//! A trie rather than a hash set because candidate generation walks it: undoing OCR confusions
//! letter by letter only follows branches that lead to real words, and reaching the end of a word
//! in the middle of a token is where a compound may continue with its next part.

/// Index of a node in [`Lexicon::nodes`]; the root is 0.
use std::collections::HashMap;
use std::sync::Arc;

pub(crate) type NodeId = u32;

pub(crate) const ROOT: NodeId = 0;

#[derive(Debug, Clone, Default)]
struct Node {
    /// Children sorted by character.
    children: Vec<(char, NodeId)>,
    /// Zipf frequency of the word ending here, or a negative number when no word ends here.
    zipf: f32,
}

/// Lower-case words with their zipf frequencies.
///
/// Copies are cheap: the nodes of the parsed list are shared, and a copy keeps only the nodes it
/// changed or added itself (copy on write). Every document adds its own words to a copy of the
/// Danish list ([`super::Repairer::with_words`]); copying all nodes each time was a tenth of
/// ingest time (issue 9). Node ids are those a single growing list would give.
#[derive(Debug, Clone)]
pub(crate) struct Lexicon {
    /// Nodes shared by all copies (ids `0..base.len()`).
    base: Arc<Vec<Node>>,
    /// Shared nodes this copy changed, by id, and a bit per shared node saying which.
    changed: HashMap<NodeId, Node>,
    changed_bits: Vec<u64>,
    /// Nodes this copy added (ids from `base.len()` on).
    added: Vec<Node>,
    words: usize,
}

impl Lexicon {
    pub(crate) fn new() -> Self {
        Lexicon {
            base: Arc::new(Vec::new()),
            changed: HashMap::new(),
            changed_bits: Vec::new(),
            added: vec![Node {
                children: Vec::new(),
                zipf: -1.0,
            }],
            words: 0,
        }
    }

    /// Parses the `word<TAB>zipf` lines of `lexicon.tsv`; lines starting with `#` and blank
    /// lines are skipped, a missing or unreadable frequency counts as 3.0.
    pub(crate) fn parse(data: &str) -> Self {
        let mut lexicon = Lexicon::new();
        for line in data.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, zipf) = match line.split_once('\t') {
                Some((word, zipf)) => (word, zipf.trim().parse::<f32>().unwrap_or(3.0)),
                None => (line, 3.0),
            };
            lexicon.insert(word, zipf);
        }
        lexicon.share();
        lexicon
    }

    /// Make every node of this list shared, so that copies of it are cheap.
    fn share(&mut self) {
        let mut nodes: Vec<Node> = self.base.as_ref().clone();
        for (id, node) in self.changed.drain() {
            if let Some(slot) = nodes.get_mut(id as usize) {
                *slot = node;
            }
        }
        nodes.append(&mut self.added);
        self.base = Arc::new(nodes);
        self.changed_bits.clear();
    }

    /// Number of words.
    pub(crate) fn len(&self) -> usize {
        self.words
    }

    fn node(&self, id: NodeId) -> Option<&Node> {
        let i = id as usize;
        match i.checked_sub(self.base.len()) {
            Some(j) => self.added.get(j),
            None if self.is_changed(i) => self.changed.get(&id),
            None => self.base.get(i),
        }
    }

    fn is_changed(&self, i: usize) -> bool {
        self.changed_bits
            .get(i / 64)
            .is_some_and(|bits| bits >> (i % 64) & 1 == 1)
    }

    /// The node `id`, to change: a shared node is copied first.
    fn node_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        let i = id as usize;
        if let Some(j) = i.checked_sub(self.base.len()) {
            return self.added.get_mut(j);
        }
        if !self.is_changed(i) {
            let node = self.base.get(i)?.clone();
            if self.changed_bits.is_empty() {
                self.changed_bits = vec![0; self.base.len().div_ceil(64)];
            }
            if let Some(bits) = self.changed_bits.get_mut(i / 64) {
                *bits |= 1 << (i % 64);
            }
            self.changed.insert(id, node);
        }
        self.changed.get_mut(&id)
    }

    /// Adds `word` (lower-cased) with `zipf`, keeping the higher frequency if it is present.
    pub(crate) fn insert(&mut self, word: &str, zipf: f32) {
        if word.is_empty() || !zipf.is_finite() {
            return;
        }
        let mut node = ROOT;
        for c in word.chars().flat_map(char::to_lowercase) {
            node = match self.child(node, c) {
                Some(next) => next,
                None => {
                    let next = (self.base.len() + self.added.len()) as NodeId;
                    self.added.push(Node {
                        children: Vec::new(),
                        zipf: -1.0,
                    });
                    if let Some(parent) = self.node_mut(node) {
                        let at = parent
                            .children
                            .binary_search_by_key(&c, |&(k, _)| k)
                            .unwrap_or_else(|at| at);
                        parent.children.insert(at, (c, next));
                    }
                    next
                }
            };
        }
        let was_word = self.node(node).is_some_and(|n| n.zipf >= 0.0);
        if let Some(n) = self.node_mut(node) {
            n.zipf = n.zipf.max(zipf.max(0.0));
            if !was_word {
                self.words += 1;
            }
        }
    }

    /// The child of `node` for character `c`.
    pub(crate) fn child(&self, node: NodeId, c: char) -> Option<NodeId> {
        let children = &self.node(node)?.children;
        children
            .binary_search_by_key(&c, |&(k, _)| k)
            .ok()
            .and_then(|i| children.get(i))
            .map(|&(_, id)| id)
    }

    /// Zipf frequency of the word ending at `node`, if one does.
    pub(crate) fn word_at(&self, node: NodeId) -> Option<f32> {
        self.node(node).map(|n| n.zipf).filter(|z| *z >= 0.0)
    }

    /// Zipf frequency of `word` (exact, lower case), if it is in the list.
    pub(crate) fn zipf_chars(&self, word: &[char]) -> Option<f32> {
        let mut node = ROOT;
        for &c in word {
            node = self.child(node, c)?;
        }
        self.word_at(node)
    }

    /// Zipf frequency of `word` (lower-cased here), if it is in the list.
    #[cfg(test)]
    pub(crate) fn zipf(&self, word: &str) -> Option<f32> {
        let chars: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
        self.zipf_chars(&chars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_parse_and_look_up() {
        let lex = Lexicon::parse("# header\nog\t7.46\npå\t7.18\n\nfor\nOg\t2.0\n");
        assert_eq!(lex.len(), 3);
        assert_eq!(lex.zipf("og"), Some(7.46));
        assert_eq!(lex.zipf("OG"), Some(7.46));
        assert_eq!(lex.zipf("på"), Some(7.18));
        assert_eq!(lex.zipf("for"), Some(3.0));
        assert_eq!(lex.zipf("fo"), None);
        assert_eq!(lex.zipf("p"), None);
        assert_eq!(lex.zipf(""), None);
    }

    /// A copy that learns words changes neither the list it was copied from nor other copies,
    /// and reads like a list built with all the words at once.
    #[test]
    fn copies_learn_on_their_own() {
        let base = Lexicon::parse("og\t7.46\npå\t7.18\nfor\t6.0\n");
        let mut a = base.clone();
        a.insert("fo", 2.0);
        a.insert("forår", 4.0);
        a.insert("og", 9.0);
        let mut b = base.clone();
        b.insert("pære", 3.0);
        let whole = Lexicon::parse("og\t7.46\npå\t7.18\nfor\t6.0\nfo\t2.0\nforår\t4.0\nog\t9.0\n");
        for w in ["og", "på", "for", "fo", "forår", "pære", "f", ""] {
            assert_eq!(a.zipf(w), whole.zipf(w), "{w}");
        }
        assert_eq!((a.len(), b.len(), base.len()), (5, 4, 3));
        assert_eq!(base.zipf("fo"), None);
        assert_eq!(base.zipf("og"), Some(7.46));
        assert_eq!(b.zipf("pære"), Some(3.0));
        assert_eq!(a.zipf("pære"), None);
    }
}
