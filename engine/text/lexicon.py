"""The lexicon: which words exist, how common each is, and which are trusted to be correct.

Built once by `python -m engine.text.train lexicon` from spell-checker word lists (SCOWL, as
Debian's wamerican-large and wbritish-large install them), the corpus's word counts and the
wordfreq package's English frequencies (the training extra); shipped as assets/lexicon.tsv.gz.

Trusted words are never "corrected" on their own: dictionary words, words common in modern English
(Zipf >= 3.4) and words seen ten times or more in the corpus. The rest (wordfreq's web vocabulary,
which includes misspellings such as "recieve") are candidates, but a typed one may be corrected.
"""

from __future__ import annotations

import gzip
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from engine.bad_file import BadFileError
from engine.paths import assets_dir

LEXICON_FILE = "lexicon.tsv.gz"
TRUST_ZIPF = 3.4
# A lexicon word's status. MODERN: trusted, and (nearly) absent from the books the language model
# read, so its opinion of the word is no evidence against it ("mnist", "pytorch", "iterator").
OTHER, KNOWN, TRUSTED, MODERN = 0, 1, 2, 3
_STATUS_TEXT = {str(v): v for v in (OTHER, KNOWN, TRUSTED, MODERN)}  # as a lexicon file writes it
DICTIONARY_ONLY_ZIPF = 1.0  # the frequency given to words that only a dictionary attests
PREFIX_KEY = 3  # completions are offered for a typed prefix of at least this many letters
TRUST_CORPUS_COUNT = 10
# A word of modern technical prose (engine/text/modern.py) in this many documents or more is
# trusted: at 10 none of the Birkbeck misspellings is (at 5, "familes" was: documentation has typos).
MODERN_TRUST_DOCS = 10
# A dictionary word this common (or more) is trusted: "hover" (3.3) became "over" while the bar
# was TRUST_ZIPF alone.
DICTIONARY_TRUST_ZIPF = 3.0
GLOSSARY_ZIPF = 5.0  # the words of neural networks: common where people type about them
ALPHA = frozenset("abcdefghijklmnopqrstuvwxyz'")


def read_dictionaries(paths: list[str | Path]) -> set[str]:
    """Lower-case alphabetic words (with an inner apostrophe) of plain word-list files."""
    words: set[str] = set()
    for p in paths:
        for line in Path(p).read_text(encoding="utf-8", errors="replace").splitlines():
            w = line.strip().lower()
            if w and set(w) <= ALPHA and w[0] != "'" and w[-1] != "'":
                words.add(w)
    return words


def build_lexicon(
    counts: Counter[str],
    dictionaries: list[str | Path] = (),
    top_n: int = 100000,
    min_corpus_count: int = 3,
    modern: tuple[Counter[str], Counter[str]] | None = None,
    glossary: Iterable[str] = (),
) -> list[tuple[str, float, int]]:
    """(word, zipf, status) for dictionary words, corpus words seen `min_corpus_count`+ times,
    common modern words (wordfreq, Zipf >= TRUST_ZIPF), words of modern technical prose (`modern`:
    word counts and document counts, engine/text/modern.py) and the `glossary`.

    Frequencies are wordfreq's; words it does not know get one from the corpus or the modern
    prose, or Zipf 1.0 for dictionary-only words. Common and well-attested words are TRUSTED
    (also: in MODERN_TRUST_DOCS or more documents of the modern prose, and the glossary, which is
    given at least GLOSSARY_ZIPF); other dictionary words KNOWN.
    """
    from wordfreq import top_n_list, zipf_frequency  # training-time dependency only

    total = sum(counts.values()) or 1
    m_counts, m_docs = modern or (Counter(), Counter())
    m_total = sum(m_counts.values()) or 1
    glossary = {w for w in glossary if w and set(w) <= ALPHA}
    dictionary = read_dictionaries(list(dictionaries))
    words = set(dictionary) | glossary
    words |= {w for w, c in counts.items() if c >= min_corpus_count}
    words |= {w for w in top_n_list("en", top_n) if w and set(w) <= ALPHA and w[0] != "'"}
    words |= {w for w, d in m_docs.items() if d >= MODERN_TRUST_DOCS and len(w) > 1 and set(w) <= ALPHA}
    out = []
    for w in sorted(words):
        z = zipf_frequency(w, "en")
        c = counts.get(w, 0)
        if z == 0.0 and m_counts.get(w, 0) >= MODERN_TRUST_DOCS:
            z = math.log10(m_counts[w] / m_total * 1e9) - 1.0  # technical prose's, a little rarer
        elif z == 0.0 and c:
            z = math.log10(c / total * 1e9) - 1.0  # only in old books: a little rarer than it looks
        elif z == 0.0:
            z = DICTIONARY_ONLY_ZIPF
        if w in glossary:
            z = max(z, GLOSSARY_ZIPF)
        if len(w) == 1 and w not in ("a", "i"):
            z = min(z, 2.0)  # single letters are common as tokens but rarely meant as words
        modern_word = m_docs.get(w, 0) >= MODERN_TRUST_DOCS and len(w) > 1
        modern_word |= w in dictionary and z >= DICTIONARY_TRUST_ZIPF and len(w) > 1
        if (
            (z >= TRUST_ZIPF and len(w) > 1)
            or c >= TRUST_CORPUS_COUNT
            or w in ("a", "i")
            or modern_word
            or w in glossary
        ):
            status = MODERN if c < min_corpus_count else TRUSTED
        elif w in dictionary and len(w) > 1:
            status = KNOWN
        else:
            status = OTHER
        out.append((w, round(z, 2), status))
    return out


def save_lexicon(entries: list[tuple[str, float, int]], path: str | Path | None = None) -> Path:
    path = Path(path) if path else assets_dir() / LEXICON_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(
            "# word\tzipf\ttrusted  (frequencies from wordfreq, CC BY-SA 4.0, and public-domain books)\n"
        )
        for w, z, t in sorted(entries, key=lambda e: (len(e[0]), e[0])):
            fh.write(f"{w}\t{z:.2f}\t{int(t)}\n")
    return path


class Lexicon:
    """Words with their Zipf frequency and trust flag, laid out for fast candidate search."""

    def __init__(self, entries: Iterable[tuple[str, float, int]]) -> None:
        entries = sorted(entries, key=lambda e: (len(e[0]), e[0]))
        self._build(
            [e[0] for e in entries],
            np.array([e[1] for e in entries], np.float32),
            np.array([int(e[2]) for e in entries], np.int8),
        )

    def _build(self, words: list[str], zipf: np.ndarray, status: np.ndarray) -> None:
        # The app builds this on its worker thread while the window is up: Python loops hand the
        # GIL over every 5 ms, and no numpy call here is long (see letter_signatures). The index's
        # last resize is the longest single step left (13-18 ms measured here).
        self.words = words
        self.zipf = zipf
        self._by_prefix: dict[str, list[int]] | None = None  # completions' index, built when first asked
        self.status = status
        self.trusted = self.status >= TRUSTED
        self.modern = self.status == MODERN
        self.known = self.status >= KNOWN
        self.index = {w: i for i, w in enumerate(self.words)}
        lengths_all = np.fromiter((len(w) for w in self.words), np.int64, len(self.words))
        # Candidates come only from attested words (in wordfreq or the corpus): dictionary-only words
        # (Zipf 1.0) are accepted when typed but never proposed, which keeps the search a third smaller.
        self.search_index = np.flatnonzero(self.zipf > DICTIONARY_ONLY_ZIPF)
        search = [self.words[i] for i in self.search_index]
        self.search_words = np.array(search, dtype=object)
        self.signatures = letter_signatures(search)
        self.lengths = lengths_all[self.search_index]
        max_len = int(self.lengths.max(initial=0))
        # starts[n] is the first search position of a word of length n (words are sorted by length).
        self.starts = np.searchsorted(self.lengths, np.arange(max_len + 3)).astype(np.int64)

    def completions(self, prefix: str, n: int = 8) -> list[tuple[str, float]]:
        """(word, zipf) of the n commonest trusted words that extend a lower-case `prefix` of at
        least PREFIX_KEY letters, commonest first; [] for a shorter prefix."""
        if len(prefix) < PREFIX_KEY:
            return []
        if self._by_prefix is None:
            self._by_prefix = self._prefix_buckets()
        words = self.words
        typed = len(prefix)  # not `n`, the number asked for (reusing it cut the list to the prefix's length)
        hits = [
            i
            for i in self._by_prefix.get(prefix[:PREFIX_KEY], ())
            if len(words[i]) > typed and words[i].startswith(prefix)
        ]
        if not hits:
            return []
        zipf = self.zipf[hits]
        order = np.argsort(-zipf, kind="stable")[:n]
        return [(words[hits[i]], float(zipf[i])) for i in order]

    def _prefix_buckets(self) -> dict[str, list[int]]:
        # Trusted words only: the web-only entries hold common misspellings ("recieved").
        # A Python loop (~100 ms here), not one long C call: it hands the GIL over every 5 ms
        # when built on the worker thread while the window is up (see _build).
        buckets: dict[str, list[int]] = {}
        trusted = self.trusted
        for i, w in enumerate(self.words):
            if len(w) > PREFIX_KEY and trusted[i]:
                buckets.setdefault(w[:PREFIX_KEY], []).append(i)
        return buckets

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def is_trusted(self, word: str) -> bool:
        i = self.index.get(word)
        return i is not None and bool(self.trusted[i])

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        """Search positions of the words whose length is in [lo, hi]."""
        n = len(self.starts) - 1
        lo, hi = max(0, min(lo, n)), max(0, min(hi + 1, n))
        return int(self.starts[lo]), int(self.starts[hi])

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        """Read a lexicon file (word, zipf, status per line; gzip); a bad file raises BadFileError (a ValueError) naming it.

        Read line by line into columns: a list of 200,000 rows, freed in one go when done, held
        the GIL for 40 ms (the window, already up, froze for as long).
        """
        path = Path(path) if path else assets_dir() / LEXICON_FILE
        words: list[str] = []
        zipf, status = array("f"), array("b")
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    if line.startswith("#"):
                        continue
                    row = line.rstrip("\n").split("\t")
                    if len(row) != 3 or row[2] not in _STATUS_TEXT:
                        raise ValueError(f"line {n}: expected word, zipf and status 0, 1, 2 or 3")
                    words.append(row[0])
                    zipf.append(float(row[1]))
                    status.append(_STATUS_TEXT[row[2]])
        except (OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
            raise BadFileError(f"{path}: not a readable lexicon ({exc})") from exc
        if not words:
            raise BadFileError(f"{path}: the lexicon is empty")
        z, st = np.frombuffer(zipf, np.float32).copy(), np.frombuffer(status, np.int8).copy()
        lengths = np.fromiter((len(w) for w in words), np.int64, len(words))
        if np.any(lengths[1:] < lengths[:-1]):  # saved files are already sorted by length, then word
            order = sorted(range(len(words)), key=lambda i: (len(words[i]), words[i]))
            words, z, st = [words[i] for i in order], z[order], st[order]
        lex = cls.__new__(cls)
        lex._build(words, z, st)
        return lex


_SIGNATURE_CHUNK = 32768  # words per numpy pass: each pass is ~1-2 ms of GIL held, not ~40 ms


def letter_signatures(words: list[str]) -> np.ndarray:
    """54-bit letter signatures of many words, vectorised (see signature())."""
    n = len(words)
    if not n:
        return np.zeros(0, np.uint64)
    if n > _SIGNATURE_CHUNK:
        parts = range(0, n, _SIGNATURE_CHUNK)
        return np.concatenate([letter_signatures(words[i : i + _SIGNATURE_CHUNK]) for i in parts])
    lengths = np.fromiter((len(w) for w in words), np.int64, n)
    codes = np.frombuffer("".join(words).encode("latin-1"), np.uint8).astype(np.int64) - 97
    codes[(codes < 0) | (codes > 25)] = 26  # the apostrophe
    flat = np.repeat(np.arange(n) * 27, lengths) + codes
    counts = np.bincount(flat, minlength=n * 27).reshape(n, 27)
    bits = np.arange(27, dtype=np.uint64)
    once = ((counts >= 1).astype(np.uint64) << bits).sum(1, dtype=np.uint64)
    twice = ((counts >= 2).astype(np.uint64) << (bits + np.uint64(27))).sum(1, dtype=np.uint64)
    return once | twice


def signature(word: str) -> int:
    """Bits for each letter present once and present twice or more (apostrophe as a 27th letter).

    One edit flips at most two bits, so words within d edits differ in at most 2d bits: a cheap
    necessary test before the exact distance.
    """
    counts: dict[int, int] = {}
    for ch in word:
        o = ord(ch) - 97
        k = o if 0 <= o < 26 else 26
        counts[k] = counts.get(k, 0) + 1
    sig = 0
    for k, c in counts.items():
        sig |= 1 << k
        if c >= 2:
            sig |= 1 << (27 + k)
    return sig
