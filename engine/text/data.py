"""Text data: the corpus as characters and words, and the Birkbeck misspelling test set.

Loaders take a folder; nothing here is shipped with the project.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from engine.bad_file import BadFileError
from engine.paths import data_dir

WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")


def corpus_dir(directory: str | Path | None = None) -> Path:
    """Corpus folder: the argument, else `$NNPG_CORPUS`, else ../shared/data/corpus."""
    return Path(directory) if directory else data_dir("corpus", "NNPG_CORPUS")


def corpus_files(directory: str | Path | None = None) -> list[Path]:
    d = corpus_dir(directory)
    files = sorted(p for p in d.glob("*.txt") if p.is_file())
    if not files:
        raise FileNotFoundError(f"{d}: no .txt files (set NNPG_CORPUS or pass the corpus folder)")
    return files


def read_corpus(directory: str | Path | None = None) -> str:
    """All corpus texts joined, lower-cased, with runs of white space folded to one space or newline."""
    parts = []
    for p in corpus_files(directory):
        parts.append(fold_space(p.read_text(encoding="utf-8", errors="replace")))
    return "\n".join(parts)


def fold_space(text: str) -> str:
    """Lower case, runs of blanks as one space, blank lines gone: text as the models read it."""
    text = re.sub(r"[ \t\r\f\v]+", " ", text.lower())
    return re.sub(r"\n\s*\n+", "\n", text)


def word_counts(text: str) -> Counter[str]:
    return Counter(WORD_RE.findall(text))


def load_misspellings(path: str | Path | None = None) -> list[tuple[str, str]]:
    """(wrong, right) pairs from a Birkbeck-style file of lines `right: wrong1 wrong2 ...`."""
    p = Path(path) if path else data_dir("spelling", "NNPG_SPELLING") / "spell-testset1.txt"
    if p.is_dir():
        p = p / "spell-testset1.txt"
    pairs = []
    for lineno, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        if ":" not in line:
            raise BadFileError(f"{p}:{lineno}: expected 'right: wrong1 wrong2 ...', got {line!r}")
        right, wrongs = line.split(":", 1)
        pairs.extend((w, right.strip()) for w in wrongs.split())
    return pairs
