"""What the language models read: the books, and modern English from documentation (modern.py),
each a source with its own held-out part, and batches drawn from them in set shares.

The books hold out every HOLD_OUT_EVERY-th CHUNK-character chunk (as they always have, so their
held-out figure compares with earlier models'); a modern source holds out one document in
HOLD_OUT_DOCS whole, picked by its path's checksum, so its held-out figure is on pages the model
never read.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

from engine.text.data import fold_space
from engine.text.model import CharVocab
from engine.text.modern import PROSE_SOURCES, prose_documents

CHUNK = 10_000
HOLD_OUT_EVERY = 50
HOLD_OUT_DOCS = 10
MIN_CHARS = 10_000  # a source with less to train on or to measure is left out
BOOKS = "books"
# Each source's share of a training batch. The books keep the larger part: the page's
# autocorrect and the held-out books figure were built on them; the rest is English as people
# write it today (docs/training.md has the figures that set these shares).
SHARES = {
    BOOKS: 0.6,
    "python-docs": 0.12,
    "scikit-learn": 0.10,
    "scipy": 0.04,
    "scikit-image": 0.02,
    "statsmodels": 0.03,
    "debian-reference": 0.02,
    "manpages": 0.07,
}


@dataclass
class Source:
    name: str
    train: np.ndarray  # character ids (uint8) it trains on
    held: np.ndarray  # character ids held out
    share: float  # of each batch
    about: str  # what it is and its licence


def split_corpus(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(train ids, held-out ids): every HOLD_OUT_EVERY-th chunk is held out."""
    n_chunks = math.ceil(len(ids) / CHUNK)
    held = np.zeros(len(ids), bool)
    for k in range(HOLD_OUT_EVERY - 1, n_chunks, HOLD_OUT_EVERY):
        held[k * CHUNK : (k + 1) * CHUNK] = True
    return ids[~held], ids[held]


def book_source(text: str, vocab: CharVocab) -> Source:
    train, held = split_corpus(np.asarray(vocab.encode(text), np.uint8))
    about = f"the corpus's books, every {HOLD_OUT_EVERY}th {CHUNK}-character chunk held out"
    return Source(BOOKS, train, held, SHARES[BOOKS], about)


def held_out(path: str) -> bool:
    """Whether a document is held out: by its path's checksum, so the same documents are held out
    whatever else is installed and however many of them give prose."""
    return zlib.crc32(path.encode("utf-8", "surrogateescape")) % HOLD_OUT_DOCS == 0


def modern_source(name: str, vocab: CharVocab) -> Source | None:
    """A PROSE_SOURCES source with one document in HOLD_OUT_DOCS held out (held_out); None where it
    is not on this machine or too little of it is held out to measure."""
    parts: tuple[list[str], list[str]] = ([], [])
    for path, text in prose_documents(name):
        parts[held_out(path)].append(fold_space(text))
    train, held = (np.asarray(vocab.encode("\n".join(p)), np.uint8) for p in parts)
    if len(train) < MIN_CHARS or len(held) < MIN_CHARS:
        return None
    about = f"{PROSE_SOURCES[name][2]}; one document in {HOLD_OUT_DOCS} held out"
    return Source(name, train, held, SHARES.get(name, 0.05), about)


def training_sources(book_text: str, vocab: CharVocab, modern: bool = True) -> list[Source]:
    """The books and, with `modern`, each modern source found on this machine."""
    out = [book_source(book_text, vocab)]
    if modern:
        out += [s for name in PROSE_SOURCES if (s := modern_source(name, vocab)) is not None]
    return out


def sample_batch(sources: list[Source], rng: np.random.Generator, batch: int, span: int) -> np.ndarray:
    """(batch, span) character ids: each row from a source drawn by share, at a random place."""
    usable = [s for s in sources if len(s.train) > span]
    if not usable:
        raise ValueError(f"no source has more than {span} characters to train on")
    shares = np.array([s.share for s in usable])
    picks = rng.choice(len(usable), batch, p=shares / shares.sum())
    offs = np.arange(span)
    rows = np.empty((batch, span), np.uint8)
    for i, k in enumerate(picks):
        start = rng.integers(0, len(usable[k].train) - span)
        rows[i] = usable[k].train[start + offs]
    return rows
