"""Units of the text networks that track something you can name (a space, a vowel, ...).

  python -m engine.text.units                    # print, for each cell, the unit that tracks each
  python -m engine.text.units --write            # ... and save them to assets/text_units.json

A unit "tracks" a feature of the text when its hidden value after each character rises and falls
with it: the unit with the largest |Pearson r| over held-out text (the chunks the language models
did not train on). The Text page offers these units to follow (LSTMVis's way in: find a unit,
then watch it read). This module imports no torch at import: the window reads the file before
torch has loaded.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from engine.bad_file import BadFileError, run_command
from engine.paths import assets_dir

if TYPE_CHECKING:  # torch is imported only when they run
    from engine.text.engine import TextEngine

UNITS_FILE = "text_units.json"
VOWELS = frozenset("aeiou")
PUNCTUATION = frozenset(".,;:!?")
WORD_POS_CAP = 8  # letters into a word counted up to this; longer words are rare enough
SAMPLE_CHARS = 40_000  # of held-out text, read in pieces
PIECE, BURN_IN = 1_000, 100  # each piece read from a fresh state; its first characters not counted


def _word_pos(text: str) -> np.ndarray:
    out, n = np.zeros(len(text), np.float32), 0
    for i, c in enumerate(text):
        n = n + 1 if c.isalpha() else 0
        out[i] = min(n, WORD_POS_CAP)
    return out


def _of(chars: frozenset[str]) -> Callable[[str], np.ndarray]:
    return lambda text: np.fromiter((c in chars for c in text), np.float32, len(text))


# name: (what the Text page calls it, the feature's value after each character of normalised text)
FEATURES: dict[str, tuple[str, Callable[[str], np.ndarray]]] = {
    "space": ("spaces", _of(frozenset(" \n"))),
    "vowel": ("vowels", _of(VOWELS)),
    "word_pos": ("letters into a word", _word_pos),
    "punctuation": ("punctuation", _of(PUNCTUATION)),
}


def correlations(hidden: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """Pearson r of each unit's values (columns of (T, H) `hidden`) with `feature` (T,); 0 for a
    unit or a feature that never changes."""
    h = np.asarray(hidden, np.float64)
    f = np.asarray(feature, np.float64)
    h = h - h.mean(0)
    f = f - f.mean()
    den = np.sqrt((h * h).sum(0) * (f * f).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (h * f[:, None]).sum(0) / den
    return np.nan_to_num(r)


def held_out_sample(text: str, chars: int = SAMPLE_CHARS) -> str:
    """The first `chars` characters of the corpus's held-out chunks (as engine.text.train splits it)."""
    from engine.text.lm_data import CHUNK, HOLD_OUT_EVERY

    parts, n = [], 0
    for k in range(HOLD_OUT_EVERY - 1, math.ceil(len(text) / CHUNK), HOLD_OUT_EVERY):
        part = text[k * CHUNK : (k + 1) * CHUNK]
        parts.append(part)
        n += len(part)
        if n >= chars:
            break
    return "".join(parts)[:chars]


def read_hidden(engine: TextEngine, text: str) -> tuple[str, np.ndarray]:
    """(the characters counted, their hidden states (T, H)): `text` read in PIECE-long pieces, each
    from a fresh state, the first BURN_IN characters of each left out."""
    chars, states = [], []
    for i in range(0, len(text) - BURN_IN, PIECE):
        tr = engine.trace(text[i : i + PIECE], fresh=True)  # each piece from the start state
        chars.append(tr.text[BURN_IN:])
        states.append(tr.hidden[BURN_IN:])
    if not states:
        raise ValueError(f"the sample is too short: {len(text)} characters, need more than {BURN_IN}")
    return "".join(chars), np.concatenate(states)


def find_units(engine: TextEngine, text: str) -> dict[str, dict[str, float]]:
    """For each feature, the unit of `engine` that tracks it best: {name: {"unit": u, "r": r}}."""
    chars, hidden = read_hidden(engine, text)
    out = {}
    for name, (_label, feature) in FEATURES.items():
        r = correlations(hidden, feature(chars))
        u = int(np.argmax(np.abs(r)))
        out[name] = {"unit": u, "r": round(float(r[u]), 3)}
    return out


def read_units(path: str | Path | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """The shipped units per cell, {cell: {feature: {"unit", "r"}}}: features not in FEATURES are
    left out. A missing, corrupt or malformed file raises BadFileError naming it."""
    p = Path(path) if path else assets_dir() / UNITS_FILE
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadFileError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadFileError(f"{p}: not a JSON file ({exc})") from exc
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, dict):
        raise BadFileError(f'{p}: no "cells" object: not a file of engine.text.units')
    out: dict[str, dict[str, dict[str, float]]] = {}
    for cell, found in cells.items():
        if not isinstance(found, dict):
            raise BadFileError(f"{p}: cell {cell!r} is not an object")
        out[cell] = {}
        for name, entry in found.items():
            if name not in FEATURES:
                continue
            unit, r = (entry.get("unit"), entry.get("r")) if isinstance(entry, dict) else (None, None)
            if (
                not isinstance(unit, int)
                or isinstance(unit, bool)
                or unit < 0
                or not isinstance(r, (int, float))
            ):
                raise BadFileError(
                    f'{p}: {cell} {name}: want {{"unit": int >= 0, "r": number}}, got {entry!r}'
                )
            out[cell][name] = {"unit": unit, "r": float(r)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="corpus folder; default $NNPG_CORPUS or ../shared/data/corpus")
    ap.add_argument("--chars", type=int, default=SAMPLE_CHARS, help="held-out characters to read")
    ap.add_argument("--write", action="store_true", help=f"save the units to assets/{UNITS_FILE}")
    args = ap.parse_args(argv)
    from engine.device import configure_threads
    from engine.text.data import corpus_dir, read_corpus
    from engine.text.engine import TextEngine
    from engine.text.model import CELLS

    configure_threads(leave_for_gui=0)
    sample = held_out_sample(read_corpus(args.corpus), args.chars)
    cells = {}
    for cell in CELLS:
        found = find_units(TextEngine.load(cell, device="cpu"), sample)
        cells[cell] = found
        for name, e in found.items():
            print(f"{cell:5} {FEATURES[name][0]:20} unit {e['unit']:4}  r = {e['r']:+.3f}")
    if args.write:
        doc = {
            "about": "per cell, the unit whose hidden value tracks each feature best (largest |Pearson r|); "
            "python -m engine.text.units --write",
            "sample": f"{len(sample)} held-out characters of {corpus_dir(args.corpus).name}/*.txt, "
            f"in {PIECE}-character pieces, the first {BURN_IN} of each not counted",
            "cells": cells,
        }
        out = assets_dir() / UNITS_FILE
        out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        print(f"-> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
