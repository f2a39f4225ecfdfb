"""The user's dictionary: words the autocorrect never replaces, kept beside the settings as a
plain word list (one word a line, UTF-8), which is also how it is exported and imported."""

from __future__ import annotations

import contextlib
import os
import re

WORD = re.compile(r"^[A-Za-z]+(?:'[A-Za-z]+)?$")
MOST_BYTES = 4 * 2**20  # a word list larger than this is no dictionary of the user's typing
MOST_WORDS = 100_000


def words_path(settings_file: str) -> str:
    """The word list's path beside a settings file: `<name>-words.txt`."""
    stem, _ = os.path.splitext(settings_file)
    return stem + "-words.txt"


def read_words(path: str) -> tuple[set[str], str]:
    """(the words in a word-list file, in lower case; what was wrong with it or ""). A missing
    file is an empty list; a damaged one gives the words that read well and says what it held."""
    try:
        if os.path.getsize(path) > MOST_BYTES:
            return set(), f"{path}: over {MOST_BYTES // 2**20} MB, not a word list; left out"
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return set(), ""
    except OSError as exc:
        return set(), f"{path}: cannot be read ({exc.strerror or exc})"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return set(), f"{path}: not a UTF-8 word list; left out"
    words, bad = parse_words(text)
    if len(words) > MOST_WORDS:
        return set(), f"{path}: over {MOST_WORDS:,} words, not a word list; left out"
    return words, (
        f"{path}: {bad} line{'s' * (bad > 1)} that {'are' if bad > 1 else 'is'} no word left out"
        if bad
        else ""
    )


def parse_words(text: str) -> tuple[set[str], int]:
    """(the words of a one-word-a-line text in lower case, how many lines were no word); blank
    lines and lines starting with # are neither."""
    words, bad = set(), 0
    for line in text.splitlines():
        w = line.strip()
        if not w or w.startswith("#"):
            continue
        if WORD.match(w) and len(w) <= 40:
            words.add(w.lower())
        else:
            bad += 1
    return words, bad


def write_words(path: str, words: set[str]) -> str:
    """Write the list whole or not at all (a new file renamed over the old); "" or what went wrong."""
    part = path + ".saving"
    try:
        with open(part, "w", encoding="utf-8") as fh:
            fh.write("".join(f"{w}\n" for w in sorted(words)))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.remove(part)
        return f"your dictionary could not be saved to {path} ({exc.strerror or exc})"
    return ""
