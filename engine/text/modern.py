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


# ---- prose for the language models -------------------------------------------------------------
# Each source: where its files are, how they are read, and its licence (from the package's
# /usr/share/doc/<package>/copyright). Only paragraphs and list items are taken: code, tables and
# signatures are not the English people type.
PROSE_SOURCES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "python-docs": (
        ("/usr/share/doc/python3.[0-9]*/html/**/*.html",),  # not python3-*: other packages' docs
        "html",
        "Python documentation (Debian python3-doc), PSF License Agreement",
    ),
    "scikit-learn": (
        ("/usr/share/doc/python-sklearn-doc/html/**/*.html",),
        "html",
        "scikit-learn documentation (Debian python-sklearn-doc), BSD-3-Clause",
    ),
    "scipy": (
        ("/usr/share/doc/python-scipy-doc/html/**/*.html",),
        "html",
        "SciPy documentation (Debian python-scipy-doc), BSD-3-Clause",
    ),
    "scikit-image": (
        ("/usr/share/doc/python-skimage-doc/html/**/*.html",),
        "html",
        "scikit-image documentation (Debian python-skimage-doc), BSD-3-Clause",
    ),
    "statsmodels": (
        ("/usr/share/doc/python-statsmodels-doc/html/**/*.html",),
        "html",
        "statsmodels documentation (Debian python-statsmodels-doc), BSD-3-Clause",
    ),
    "debian-reference": (
        ("/usr/share/doc/debian-reference-en/docs/*.en.html",),
        "html",
        "Debian Reference (Debian debian-reference-en), GPL-2+",
    ),
    "manpages": (
        tuple(f"/usr/share/man/man{i}/*.gz" for i in (1, 5, 7, 8)),
        "roff",
        "manual pages (Debian manpages and each package's own), each page under its package's free licence",
    ),
}
_PROSE = re.compile(r"<(p|li|dd)\b[^>]*>(.*?)</\1>", re.S | re.I)
_CODE = re.compile(r"<pre\b.*?</pre>|<(div|span) class=\"[^\"]*highlight[^\"]*\".*?</\1>", re.S | re.I)


def html_prose(raw: str) -> str:
    """The paragraphs and list items of an HTML page, one per line, code blocks left out."""
    raw = _CODE.sub(" ", raw)
    out = []
    for _tag, inner in _PROSE.findall(raw):
        text = " ".join(html_text(inner).split())
        if _sentence(text):
            out.append(text)
    return "\n".join(dict.fromkeys(out))  # a nested <li><p> would give the same text twice


# Requests that end a paragraph; the headings' own text (.SH NAME) is not prose.
_ROFF_BREAKS = frozenset(
    (".SH", ".SS", ".PP", ".P", ".LP", ".TP", ".IP", ".HP", ".sp", ".br", ".TH", ".RS", ".RE")
)


def roff_prose(raw: str) -> str:
    """A manual page's running text: its prose lines joined into paragraphs; headings and the
    unfilled blocks between .nf and .fi (examples, synopses) left out."""
    paras: list[str] = []
    cur: list[str] = []
    unfilled = False
    for line in raw.splitlines():
        request = line.split(None, 1)[0] if line.startswith(".") and line.strip() else ""
        if request in (".nf", ".EX"):
            unfilled = True
        elif request in (".fi", ".EE"):
            unfilled = False
        if request in _ROFF_BREAKS or request in (".nf", ".fi", ".EX", ".EE") or not line.strip():
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        text = " ".join(roff_text(line).split())
        if text and not unfilled:
            cur.append(text)
    if cur:
        paras.append(" ".join(cur))
    return "\n".join(p for p in paras if _sentence(p))


def _sentence(text: str) -> bool:
    """Running text, not a menu, a heading, a signature or a command's synopsis: six words or
    more, ending as a sentence does."""
    return len(text) >= 40 and text.count(" ") >= 5 and text[-1] in ".:?!)"


# Generated command-line references (thousands of near-identical pages) are not prose.
_SKIP_PAGES = re.compile(r"^(gcloud|bq|gsutil|perl\w*delta|x86_64-linux-gnu-)")


def source_files(source: str) -> list[Path]:
    """A source's files, each once (python3.11 and python3.11-doc are one folder), less any that an
    earlier source in PROSE_SOURCES already has (a package may link another's documentation)."""
    earlier: set[Path] = set()
    for name, (globs, _kind, _about) in PROSE_SOURCES.items():
        files = dict.fromkeys(q.resolve() for q in _paths(globs))
        if name == source:
            return [p for p in files if p not in earlier and not _SKIP_PAGES.match(p.name)]
        earlier.update(files)
    raise KeyError(source)


def prose_documents(source: str) -> Iterator[tuple[str, str]]:
    """(file path, its prose) for every readable document of a PROSE_SOURCES source."""
    _globs, kind, _licence = PROSE_SOURCES[source]
    seen: set[int] = set()
    for p in source_files(source):
        try:
            if kind == "html":
                text = html_prose(p.read_text(encoding="utf-8", errors="replace"))
            else:
                with gzip.open(p, "rt", encoding="utf-8", errors="replace") as fh:
                    text = roff_prose(fh.read())
        except (OSError, EOFError):
            continue
        # A paragraph another page already gave is a menu or boilerplate: kept once.
        fresh = [line for line in text.splitlines() if hash(line) not in seen]
        seen.update(hash(line) for line in fresh)
        if fresh:
            yield str(p), "\n".join(fresh)
