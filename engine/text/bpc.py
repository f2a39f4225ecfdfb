"""Bits per character of each cell, on each source's held-out text and on files you give.

  python -m engine.text.bpc                         # every cell, the held-out part of every source
  python -m engine.text.bpc notes.txt --cell gru    # and a text of your own

Lower is better: 1 bit per character would mean the network narrows each next character to two
equally likely ones. A file is read as the page reads what you type (lower case, unknown
characters as "~"). Sources not on this machine are left out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.bad_file import BadFileError, run_command


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path, help="text files to measure besides the held-out sources")
    ap.add_argument("--cell", action="append", help="a cell (default: all five)")
    ap.add_argument(
        "--weights-dir", type=Path, help="where the text_<cell>.safetensors are (default: assets)"
    )
    ap.add_argument("--corpus", help="corpus folder; default $NNPG_CORPUS or ../shared/data/corpus")
    ap.add_argument("--chars", type=int, default=200_000, help="held-out characters per source")
    ap.add_argument("--no-sources", action="store_true", help="only the files given")
    args = ap.parse_args(argv)
    import numpy as np
    import torch

    from engine.device import configure_threads
    from engine.paths import assets_dir
    from engine.text.data import fold_space, read_corpus
    from engine.text.lm_data import training_sources
    from engine.text.model import CELLS, CharVocab, model_kind
    from engine.text.train import bits_per_char
    from engine.weights import load_model

    configure_threads(leave_for_gui=0)
    cells = args.cell or list(CELLS)
    for c in cells:
        if c not in CELLS:
            raise BadFileError(f"no cell {c!r}: choose from {', '.join(CELLS)}")
    vocab = CharVocab()
    held: dict[str, np.ndarray] = {}
    if not args.no_sources:
        try:
            books = read_corpus(args.corpus)
        except FileNotFoundError as exc:
            print(f"books left out: {exc}")
            books = ""
        for s in training_sources(books, vocab):
            if len(s.held) > 1024:
                held[f"{s.name} (held out)"] = s.held[: args.chars]
    for f in args.files:
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise BadFileError(f"{f}: cannot be read ({exc.strerror or exc})") from exc
        ids = np.asarray(vocab.encode(fold_space(text)), np.uint8)
        if len(ids) < 600:
            raise BadFileError(f"{f}: {len(ids)} characters; at least 600 are needed for a figure")
        held[f.name] = ids
    if not held:
        print("nothing to measure: no sources on this machine and no files given")
        return 2
    folder = args.weights_dir or assets_dir()
    width = max(len(n) for n in held)
    print(f"{'bits per character':<{width}}  " + "  ".join(f"{c:>11}" for c in cells))
    rows = {n: [] for n in held}
    for c in cells:
        kind, config_cls, model_cls = model_kind(c)
        model, _meta = load_model(folder / f"text_{c}.safetensors", kind, config_cls, model_cls)
        for n, ids in held.items():
            window = min(512, len(ids) - 1)
            rows[n].append(bits_per_char(model, ids, torch.device("cpu"), window=window))
    for n, vals in rows.items():
        print(f"{n:<{width}}  " + "  ".join(f"{v:>11.3f}" for v in vals))
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
