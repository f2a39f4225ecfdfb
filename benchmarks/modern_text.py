"""How the autocorrect treats modern English: `python -m benchmarks.modern_text FILE... [--cell lstm]`.

Each file is typed word by word as the Text page does it: at each word's end,
`TextEngine.correct(word, the text before it)`. Prints
- the share of its words that would be changed (the files are taken to be spelt right: use
  edited prose, such as documentation, the README or the project's issues);
- for the technical words in it (the glossary's, engine/text/words/), every one-typo misspelling
  (a letter dropped, doubled, swapped with the next or replaced by a neighbour on the keyboard)
  typed in the same place: how often the word comes back (top-1).
Words with digits, underscores or slashes, and file names, are skipped, as the page leaves them.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from engine.bad_file import BadFileError, run_command
from engine.text.modern import glossary

WORD = re.compile(r"(?<![\w./\-@])[A-Za-z]+(?:'[A-Za-z]+)?(?![\w/@]|[.\-]\w)")
KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbours(c: str) -> str:
    """The letters beside `c` on a QWERTY keyboard."""
    for r, row in enumerate(KEYBOARD):
        if c in row:
            i = row.index(c)
            near = row[max(0, i - 1) : i] + row[i + 1 : i + 2]
            for other in (r - 1, r + 1):
                if 0 <= other < len(KEYBOARD):
                    near += KEYBOARD[other][max(0, i - 1) : i + 1]
            return near
    return ""


def one_typo(word: str) -> list[str]:
    """Misspellings one slip away: a letter dropped, doubled, swapped with the next, replaced by a
    keyboard neighbour (the first letter kept: people rarely miss it)."""
    out = set()
    for i in range(1, len(word)):
        out.add(word[:i] + word[i + 1 :])
        out.add(word[:i] + word[i] + word[i:])
        if i < len(word) - 1:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        for c in neighbours(word[i]):
            out.add(word[:i] + c + word[i + 1 :])
    out.discard(word)
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--cell", default="lstm")
    ap.add_argument("--typos", type=int, default=4, help="misspellings tried per technical word in place")
    ap.add_argument("--show", type=int, default=25, help="print this many of the changed words")
    args = ap.parse_args(argv)
    from engine.text.engine import TextEngine

    eng = TextEngine.load(cell=args.cell, device="cpu")
    tech = glossary()
    t0 = time.perf_counter()
    words = changed = 0
    shown: list[str] = []
    typo_tries = typo_right = 0
    missed: list[str] = []
    for path in args.files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise BadFileError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
        for m in WORD.finditer(text):
            word, context = m.group(), text[max(0, m.start() - 200) : m.start()]
            words += 1
            out = eng.correct(word, context)
            if out != word:
                changed += 1
                if len(shown) < args.show:
                    shown.append(f"{word} -> {out}")
            low = word.lower()
            if low in tech and len(low) >= 4:
                typos = one_typo(low)
                step = max(1, len(typos) // args.typos)
                for typo in typos[::step][: args.typos]:
                    typo_tries += 1
                    got = eng.correct(typo, context).lower()
                    typo_right += got == low
                    if got != low and len(missed) < args.show:
                        missed.append(f"{typo} -> {got} (meant {low})")
    print(f"{words} words typed ({args.cell}): {changed} changed, {changed / max(words, 1):.2%}")
    if shown:
        print("  changed: " + ", ".join(shown))
    print(
        f"one-typo misspellings of technical words, in place: top-1 {typo_right / max(typo_tries, 1):.1%} of {typo_tries}"
    )
    if missed:
        print("  missed: " + ", ".join(missed))
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
