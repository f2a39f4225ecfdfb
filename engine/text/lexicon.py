"""The lexicon: which words exist, how common each is, and which are trusted to be correct.

Built once by `python -m engine.text.train lexicon` from the corpus's word counts and the
wordfreq package's English list (the training extra), then shipped as assets/lexicon.tsv.gz.

Trusted words are never "corrected" on their own: common in modern English (Zipf >= 3.4) or seen
ten times or more in the corpus. The rest of the lexicon (rare wordfreq entries, which include
web misspellings such as "recieve") are candidates, but a typed one may still be corrected.
"""

from __future__ import annotations

import gzip
import math
from collections import Counter
from pathlib import Path

import numpy as np

from engine.paths import assets_dir

LEXICON_FILE = "lexicon.tsv.gz"
TRUST_ZIPF = 3.4
TRUST_CORPUS_COUNT = 10
ALPHA = frozenset("abcdefghijklmnopqrstuvwxyz'")


def build_lexicon(
    counts: Counter[str], top_n: int = 100000, min_corpus_count: int = 3
) -> list[tuple[str, float, bool]]:
    """(word, zipf, trusted) for the wordfreq top `top_n` and corpus words seen `min_corpus_count`+ times."""
    from wordfreq import top_n_list, zipf_frequency  # training-time dependency only

    total = sum(counts.values()) or 1
    words = {w for w in top_n_list("en", top_n) if w and set(w) <= ALPHA and w[0] != "'"}
    words |= {w for w, c in counts.items() if c >= min_corpus_count}
    out = []
    for w in sorted(words):
        z = zipf_frequency(w, "en")
        c = counts.get(w, 0)
        if z == 0.0 and c:
            z = math.log10(c / total * 1e9) - 1.0  # only in old books: a little rarer than it looks
        if len(w) == 1 and w not in ("a", "i"):
            z = min(z, 2.0)  # single letters are common as tokens but rarely meant as words
        trusted = (z >= TRUST_ZIPF and (len(w) > 1 or w in ("a", "i"))) or c >= TRUST_CORPUS_COUNT
        out.append((w, round(z, 2), trusted))
    return out


def save_lexicon(entries: list[tuple[str, float, bool]], path: str | Path | None = None) -> Path:
    path = Path(path) if path else assets_dir() / LEXICON_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(
            "# word\tzipf\ttrusted  (frequencies from wordfreq, CC BY-SA 4.0, and public-domain books)\n"
        )
        for w, z, t in entries:
            fh.write(f"{w}\t{z:.2f}\t{int(t)}\n")
    return path


class Lexicon:
    """Words with their Zipf frequency and trust flag, laid out for fast candidate search."""

    def __init__(self, entries: list[tuple[str, float, bool]]) -> None:
        entries = sorted(entries, key=lambda e: (len(e[0]), e[0]))
        self.words = [e[0] for e in entries]
        self.zipf = np.array([e[1] for e in entries], np.float32)
        self.trusted = np.array([e[2] for e in entries], bool)
        self.index = {w: i for i, w in enumerate(self.words)}
        self.lengths = np.array([len(w) for w in self.words], np.int32)
        self.masks = np.array([letter_mask(w) for w in self.words], np.uint32)
        max_len = int(self.lengths.max(initial=0))
        # starts[n] is the first index of a word of length n (words are sorted by length).
        self.starts = np.searchsorted(self.lengths, np.arange(max_len + 3)).astype(np.int64)
        self.array = np.array(self.words, dtype=object)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def is_trusted(self, word: str) -> bool:
        i = self.index.get(word)
        return i is not None and bool(self.trusted[i])

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        """Index range of words whose length is in [lo, hi]."""
        n = len(self.starts) - 1
        lo, hi = max(0, min(lo, n)), max(0, min(hi + 1, n))
        return int(self.starts[lo]), int(self.starts[hi])

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        path = Path(path) if path else assets_dir() / LEXICON_FILE
        entries = []
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                for lineno, line in enumerate(fh, 1):
                    if line.startswith("#"):
                        continue
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) != 3:
                        raise ValueError(f"line {lineno}: expected word, zipf, trusted")
                    entries.append((parts[0], float(parts[1]), parts[2] == "1"))
        except (OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not a readable lexicon ({exc})") from exc
        if not entries:
            raise ValueError(f"{path}: the lexicon is empty")
        return cls(entries)


def letter_mask(word: str) -> int:
    """A 27-bit set of the letters (and apostrophe) in a word."""
    m = 0
    for ch in word:
        o = ord(ch) - 97
        m |= 1 << (o if 0 <= o < 26 else 26)
    return m
