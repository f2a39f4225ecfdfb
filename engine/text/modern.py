"""Words of modern English for the lexicon, beside the 19th-century books: technical prose as
people write it today, from documentation that installs from Debian's packages.

- Python's documentation (`apt-get install python3-doc`: /usr/share/doc/python3*/html/**/*.html)
- the manual pages (`apt-get install manpages manpages-dev`, and every package's own:
  /usr/share/man/man[1-8]/*.gz, English ones only)
- the words of neural networks and of this playground (engine/text/words/*.txt)

Each source is read as plain text (HTML tags and roff requests taken out); a word counts where
it appears in several documents, so one page's identifiers do not become words.
"""

from __future__ import annotations

import gzip
import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

WORDS_DIR = Path(__file__).resolve().parent / "words"
DOC_GLOBS = ("/usr/share/doc/python3*/html/**/*.html",)
MAN_GLOBS = tuple(f"/usr/share/man/man{i}/*.gz" for i in range(1, 9))
_TAG = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S | re.I)
_ROFF_ESCAPE = re.compile(r"\\(?:f\[?[A-Z0-9]*\]?|\(..|\[[^\]]*\]|\*.|s[-+]?\d|[-&|^ e0~.'`])")
# Words of letters with an inner apostrophe, not glued to digits, underscores or dots (identifiers,
# file names and options such as "--max-count" or "os.path" are not prose).
_WORD = re.compile(r"(?<![\w.\-/])[A-Za-z]+(?:'[A-Za-z]+)?(?![\w\-/]|\.\w)")


def _paths(globs: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for g in globs:
        root = Path("/")
        out += sorted(p for p in root.glob(g.lstrip("/")) if p.is_file())
    return out


def html_text(raw: str) -> str:
    return html.unescape(_TAG.sub(" ", raw))


def roff_text(raw: str) -> str:
    """A manual page's prose: request lines (".TH", ".B", comments) give only their arguments."""
    lines = []
    for line in raw.splitlines():
        if line.startswith(('.\\"', "'\\\"")):
            continue
        if line.startswith("."):
            parts = line.split(None, 1)
            line = (
                parts[1]
                if len(parts) > 1 and parts[0] in (".B", ".I", ".BR", ".IR", ".RB", ".SH", ".SS")
                else ""
            )
        lines.append(_ROFF_ESCAPE.sub(" ", line))
    return "\n".join(lines)


def documents(doc_globs: Iterable[str] = DOC_GLOBS, man_globs: Iterable[str] = MAN_GLOBS) -> Iterator[str]:
    """The plain text of every document found (unreadable ones skipped)."""
    for p in _paths(doc_globs):
        try:
            yield html_text(p.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    for p in _paths(man_globs):
        try:
            with gzip.open(p, "rt", encoding="utf-8", errors="replace") as fh:
                yield roff_text(fh.read())
        except (OSError, EOFError):
            continue


def count_words(texts: Iterable[str]) -> tuple[Counter[str], Counter[str], int]:
    """(lower-case word counts, in how many documents each word appears, documents read). Words
    written only in capitals (acronyms, constants) are not counted: they are never corrected."""
    counts: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        seen = [w for w in _WORD.findall(text) if not (w.isupper() and len(w) > 1)]
        low = [w.lower() for w in seen]
        counts.update(low)
        docs.update(set(low))
    return counts, docs, n


def glossary(folder: Path = WORDS_DIR) -> set[str]:
    """The word lists in engine/text/words/ (lines starting with # are comments)."""
    words: set[str] = set()
    for p in sorted(folder.glob("*.txt")):
        for line in p.read_text(encoding="utf-8").splitlines():
            w = line.strip().lower()
            if w and not w.startswith("#"):
                words.add(w)
    return words
