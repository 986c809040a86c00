//! The word list behind repair: a trie of lower-case words, each with a zipf frequency.
//!
//! A trie rather than a hash set because candidate generation walks it: undoing OCR confusions
//! letter by letter only follows branches that lead to real words, and reaching the end of a word
//! in the middle of a token is where a compound may continue with its next part.

/// Index of a node in [`Lexicon::nodes`]; the root is 0.
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
#[derive(Debug, Clone)]
pub(crate) struct Lexicon {
    nodes: Vec<Node>,
    words: usize,
}

impl Lexicon {
    pub(crate) fn new() -> Self {
        Lexicon {
            nodes: vec![Node {
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
        lexicon
    }

    /// Number of words.
    pub(crate) fn len(&self) -> usize {
        self.words
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
                    let next = self.nodes.len() as NodeId;
                    self.nodes.push(Node {
                        children: Vec::new(),
                        zipf: -1.0,
                    });
                    if let Some(parent) = self.nodes.get_mut(node as usize) {
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
        if let Some(n) = self.nodes.get_mut(node as usize) {
            if n.zipf < 0.0 {
                self.words += 1;
            }
            n.zipf = n.zipf.max(zipf.max(0.0));
        }
    }

    /// The child of `node` for character `c`.
    pub(crate) fn child(&self, node: NodeId, c: char) -> Option<NodeId> {
        let children = &self.nodes.get(node as usize)?.children;
        children
            .binary_search_by_key(&c, |&(k, _)| k)
            .ok()
            .and_then(|i| children.get(i))
            .map(|&(_, id)| id)
    }

    /// Zipf frequency of the word ending at `node`, if one does.
    pub(crate) fn word_at(&self, node: NodeId) -> Option<f32> {
        self.nodes
            .get(node as usize)
            .map(|n| n.zipf)
            .filter(|z| *z >= 0.0)
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
}
