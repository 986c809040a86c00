#!/usr/bin/env python3
"""Generate src/repair/lexicon.tsv, the Danish word list behind aftale's OCR repair.

Run from the crate root:

    pip install wordfreq==3.1.1
    python3 src/repair/make_lexicon.py

The output is deterministic for a given wordfreq version and vocabulary file: words are sorted by
descending zipf frequency, then alphabetically.

What goes in:

1. Every word of wordfreq's Danish list (`top_n_list('da', ...)`, which holds all Danish words
   with zipf frequency >= 3, about 29,000) that is written in lower-case Latin letters, with
   its zipf frequency, minus junk and minus words that are really OCR or ASCII damage of a more
   frequent Danish word (see `keep`): `pa`, `ma`, `sa`, `fa` are frequent in the raw list but
   in Danish text they are `på`, `må`, `så`, `få` without the ring, and repair must be free to
   fix them.
2. Vocabulary of data processing agreements that a general list lacks (databehandler,
   underdatabehandler, personoplysninger, tredjelandsoverførsel, ...): every word of the
   hand-written list dpa_vocabulary.txt beside this script that wordfreq does not have, with
   zipf 3.0. That list holds general DPA and GDPR language only; no words are taken from any
   agreement, so no vendor's names, streets or typos end up in the lexicon (a typo in the
   lexicon would never be repaired), and every agreement, the seeds included, stays held out for
   measuring repair.

The data of wordfreq is licensed CC BY-SA 4.0, so the generated list is too; the header of the
output says so.
"""

import os
import re
import sys

import wordfreq

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "lexicon.tsv")
VOCABULARY = os.path.join(HERE, "dpa_vocabulary.txt")

LETTERS = re.compile(r"[a-zæøåäöüéèêëáàíóúñç]+")
VOWEL = re.compile(r"[aeiouyæøåäöüéèêëáàíóú]")

# One-letter words kept (all others are letters of list items, units, junk).
ONE_LETTER = {"i", "å", "ø", "o"}

# Two-letter words kept: Danish words and common abbreviations. Everything else with two
# letters in the raw list is English, a symbol or an OCR form (pa, ma, sa, fa, na, ga, ar, ...).
TWO_LETTERS = set(
    """
    og er af at en på de du så et vi om nu ud da op se år få to jo må ja os gå ny tv kr én ét
    ca nr by kl al ok nå fx pr ad eu it el km ej ha bo ti øl dk lå åh ni ro hr æg dø sø pc mv
    is ur ku ry næ kø rå sy øv ve tå øm ål hø læ ør ed id be le fe ly bi si jf cv st hu gø mø
    lø rø tø
    """.split()
)

# Longer words of the raw list that are, in Danish text, almost always damage of another word:
# English words spelled like a Danish word without its æ/ø/å (made/måde, gore/gøre, ...), old
# or ASCII spellings (paa, vaere, ...), and a few rare Danish words whose damaged twin is far more
# common in agreements (nar/når, gar/går, mal/mål).
NEVER = {"nar", "gar", "mal", "rad", "ogsa", "sadan", "sadanne", "pagaeldende", "formal", "vilkar"}

# Forms that must never be words (checked at the end): the OCR damage repair has to undo.
DAMAGED = ["geeldende", "ngermere", "afggr", "pa", "ma", "sa", "fa", "bistd", "fglgende", "medfgr"]


def single_substitutions(word, subs):
    for a, b in subs:
        i = word.find(a)
        while i >= 0:
            yield word[: i] + b + word[i + len(a):]
            i = word.find(a, i + 1)


def keep(word, zipf):
    """Whether a word of the raw list goes into the lexicon."""
    if not LETTERS.fullmatch(word) or word in NEVER:
        return False
    if len(word) == 1:
        return word in ONE_LETTER
    if len(word) == 2:
        return word in TWO_LETTERS
    # Acronyms without a vowel (kgb, dsb, tdc) look like damaged words (kgb is `køb` with ø
    # read as g) and are not vocabulary.
    if not VOWEL.search(word):
        return False
    if re.search("[æøå]", word):
        return True
    # ASCII spellings of æ and å (vaere, paa, saaledes): dropped when the real word is more
    # frequent. `seer` (viewer) is a Danish word and stays.
    if word != "seer":
        for v in single_substitutions(word, [("ae", "æ"), ("ee", "æ"), ("aa", "å")]):
            if wordfreq.zipf_frequency(v, "da") >= zipf + 0.5:
                return False
    # English words that look like a Danish word without its diacritic (made/måde, star/står).
    en = wordfreq.zipf_frequency(word, "en")
    if en >= zipf:
        for v in single_substitutions(word, [("a", "å"), ("o", "ø"), ("a", "æ"), ("e", "æ")]):
            if wordfreq.zipf_frequency(v, "da") >= zipf + 1.0:
                return False
    return True


def vocabulary_words():
    """The words of dpa_vocabulary.txt: one a line, lower case; # comments and blank lines skipped."""
    words = set()
    with open(VOCABULARY, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            word = line.strip()
            if not word or word.startswith("#"):
                continue
            if not LETTERS.fullmatch(word) or not VOWEL.search(word) or word in NEVER:
                sys.exit(f"{VOCABULARY}:{number}: not a lower-case word: {word!r}")
            words.add(word)
    return words


def main():
    version = getattr(wordfreq, "__version__", None)
    if version is None:
        from importlib.metadata import version as pkg_version

        version = pkg_version("wordfreq")
    entries = {}
    raw = wordfreq.top_n_list("da", 10**6)
    for word in raw:
        zipf = wordfreq.zipf_frequency(word, "da")
        if keep(word, zipf):
            entries[word] = zipf
    from_wordfreq = len(entries)
    added = 0
    for word in sorted(vocabulary_words()):
        if word not in entries:
            entries[word] = 3.0
            added += 1
    bad = [w for w in DAMAGED if w in entries]
    if bad:
        sys.exit(f"damaged forms ended up in the lexicon: {bad}")
    rows = sorted(entries.items(), key=lambda kv: (-kv[1], kv[0]))
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(
            f"# Danish word list for aftale's OCR repair: {len(rows)} words, word<TAB>zipf frequency,"
            " most frequent first.\n"
            f"# Source: wordfreq {version} (Robyn Speer et al., https://github.com/rspeer/wordfreq),"
            f" Danish list; {from_wordfreq} of its {len(raw)} entries, filtered by"
            " src/repair/make_lexicon.py.\n"
            "# Licence: the wordfreq data is licensed CC BY-SA 4.0"
            " (https://creativecommons.org/licenses/by-sa/4.0/); this derived list is shared"
            " under the same licence.\n"
            f"# Plus {added} words (zipf 3.0) of general data processing agreement vocabulary from the"
            " hand-written list src/repair/dpa_vocabulary.txt.\n"
            "# Regenerate with: python3 src/repair/make_lexicon.py (deterministic).\n"
        )
        for word, zipf in rows:
            f.write(f"{word}\t{zipf:.2f}\n")
    print(f"wrote {OUT}: {len(rows)} words ({from_wordfreq} wordfreq, {added} curated)")


if __name__ == "__main__":
    main()
