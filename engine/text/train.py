"""Train the text engine.

  python -m engine.text.train lexicon            # word list from the corpus + wordfreq
  python -m engine.text.train lm --cell lstm     # one character language model
  python -m engine.text.train all                # lexicon and all five cells
  python -m engine.text.train lm --cell gru --start OLD_GRU.safetensors --steps 4000 --lr 1.5e-3   # train on from a file

Language models read the corpus's books and modern English from documentation installed from
Debian's packages (engine/text/lm_data.py: which, their licences, each one's share of a batch).
Each source keeps a part held out; the held-out bits per character of each are written into the
model's metadata.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from engine.bad_file import run_command
from engine.device import configure_threads, pick_device
from engine.paths import assets_dir
from engine.text.data import corpus_dir, read_corpus, word_counts
from engine.text.lexicon import LEXICON_FILE, TRUSTED, build_lexicon, save_lexicon
from engine.text.lm_data import BOOKS, Source, sample_batch, training_sources
from engine.text.model import CELLS, RECURRENT_CELLS, CharVocab, model_kind
from engine.weights import load_model, save_weights

DEFAULT_DICTIONARIES = ("/usr/share/dict/american-english-large", "/usr/share/dict/british-english-large")


# Hidden units (a CNN's channels, a Transformer's width) and training steps per cell. The LSTM's
# recurrent matrix at 256 units (1 MB) does not stay in a core's 512 KB L2 cache: its
# 200-character trace() measured 7.7-11.4 ms against a 10 ms bar, 6.7 ms at 192 units; two passes
# over the corpus instead of one brought it level with the plain RNN. (docs/training.md)
HIDDEN = {"rnn": 256, "lstm": 192, "gru": 256, "cnn": 192, "transformer": 128}
STEPS = {"rnn": 2400, "lstm": 4800, "gru": 2400, "cnn": 2400, "transformer": 2400}
LEARNING_RATE = {"cnn": 2e-3, "transformer": 2e-3}  # the recurrent cells': LMTrainConfig.lr


@dataclass
class LMTrainConfig:
    hidden: int = 0  # 0: the cell's default (HIDDEN)
    steps: int = 0  # 0: the cell's default (STEPS)
    batch_size: int = 64
    seq_len: int = 128
    lr: float = 0.0  # 0: the cell's default (LEARNING_RATE, else 4e-3)
    seed: int = 0
    eval_chars: int = 200_000
    modern: bool = True  # modern English beside the books (lm_data.SHARES)

    def for_cell(self, cell: str) -> LMTrainConfig:
        """This configuration with the cell's defaults filled in."""
        return replace(
            self,
            hidden=self.hidden or HIDDEN[cell],
            steps=self.steps or STEPS[cell],
            lr=self.lr or LEARNING_RATE.get(cell, 4e-3),
        )


def new_model(cell: str, hidden: int) -> torch.nn.Module:
    """An untrained model of `cell` with `hidden` units (channels, width)."""
    _kind, config_cls, model_cls = model_kind(cell)
    extra = {"heads": max(1, hidden // 32)} if cell == "transformer" else {}
    return model_cls(config_cls(cell=cell, hidden=hidden, **extra))


@torch.inference_mode()
def bits_per_char(
    model: torch.nn.Module, ids: np.ndarray, device: torch.device, window: int = 512, burn_in: int = 64
) -> float:
    """Held-out bits per character; each window's first `burn_in` predictions are not counted."""
    model.eval()
    n = (len(ids) - 1) // window
    if n <= 0:
        return float("nan")
    x = torch.from_numpy(ids[: n * window].astype(np.int64)).view(n, window)
    y = torch.from_numpy(ids[1 : n * window + 1].astype(np.int64)).view(n, window)
    total, count = 0.0, 0
    for i in range(0, n, 32):
        logits, _, _ = model(x[i : i + 32].to(device))
        nll = F.cross_entropy(logits.flatten(0, 1), y[i : i + 32].to(device).flatten(), reduction="none")
        nll = nll.view(-1, window)[:, burn_in:]
        total += float(nll.sum())
        count += nll.numel()
    return total / count / math.log(2)


def train_lm(
    cell: str,
    text: str | list[Source],
    cfg: LMTrainConfig,
    device: torch.device,
    on_batch_end: Callable[[int, int, float], None] | None = None,
    start: torch.nn.Module | None = None,
) -> tuple[torch.nn.Module, dict]:
    """Train `cell` on the books `text` (or the sources given) from random weights, or on from
    `start` (a trained model of the same cell). Returns the model on the CPU and its metrics:
    held-out bits per character on the books (heldout_bpc) and on each source (heldout_bpc_by_source)."""
    cfg = cfg.for_cell(cell)
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    model = start if start is not None else new_model(cell, cfg.hidden)
    if model.config.cell != cell:
        raise ValueError(f"the start model is a {model.config.cell}, not a {cell}")
    model = model.to(device)
    vocab = CharVocab(model.config.alphabet)
    sources = text if isinstance(text, list) else training_sources(text, vocab, modern=False)
    opt = torch.optim.AdamW(
        model.parameters(), lr=cfg.lr, weight_decay=0.0 if cell in RECURRENT_CELLS else 0.01
    )
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=cfg.steps, pct_start=0.1)
    t0 = time.perf_counter()
    for step in range(1, cfg.steps + 1):
        model.train()
        rows = sample_batch(sources, rng, cfg.batch_size, cfg.seq_len + 1)
        batch = torch.from_numpy(rows.astype(np.int64)).to(device)
        logits, _, _ = model(batch[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1), batch[:, 1:].flatten())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if on_batch_end:
            on_batch_end(step, cfg.steps, loss.item())
    seconds = time.perf_counter() - t0
    by_source = {s.name: round(bits_per_char(model, s.held[: cfg.eval_chars], device), 4) for s in sources}
    books = next(s for s in sources if s.name == BOOKS)
    metrics = {
        "heldout_bpc": by_source[BOOKS],
        "heldout_bpc_by_source": by_source,
        "heldout_chars": int(min(len(books.held), cfg.eval_chars)),
        "train_chars": {s.name: int(len(s.train)) for s in sources},
        "seconds": round(seconds, 1),
    }
    model.eval()
    return model.cpu(), metrics


def _progress(prefix: str) -> Callable[[int, int, float], None]:
    last = [0.0]

    def show(step: int, total: int, loss: float) -> None:
        now = time.perf_counter()
        if now - last[0] > 2 or step == total:
            last[0] = now
            bar = "#" * int(30 * step / total)
            sys.stdout.write(f"\r{prefix} [{bar:<30}] {step}/{total} loss {loss / math.log(2):.3f} bpc")
            sys.stdout.flush()

    return show


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["lexicon", "lm", "all"])
    ap.add_argument("--cell", choices=CELLS, action="append", help="with lm: the cell(s) to train")
    ap.add_argument("--corpus", help="corpus folder; default $NNPG_CORPUS or ../shared/data/corpus")
    ap.add_argument("--out-dir", type=Path, default=assets_dir())
    ap.add_argument(
        "--dictionary",
        action="append",
        help="word-list file(s) for the lexicon (default: /usr/share/dict/{american,british}-english-large)",
    )
    ap.add_argument("--hidden", type=int, default=0, help="hidden units (default: per cell, HIDDEN)")
    ap.add_argument("--steps", type=int, default=0, help="training steps (default: per cell, STEPS)")
    ap.add_argument("--batch-size", type=int, default=LMTrainConfig.batch_size)
    ap.add_argument("--lr", type=float, default=0.0, help="peak learning rate (default: per cell)")
    ap.add_argument(
        "--start", help="with lm: train on from this weights file (same cell) instead of from random"
    )
    ap.add_argument("--books-only", action="store_true", help="with lm: the books only, no modern English")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default=None)
    args = ap.parse_args(argv)
    device = pick_device(args.device)
    if device.type == "cpu":
        configure_threads(leave_for_gui=0)
    text = read_corpus(args.corpus)
    print(f"corpus: {len(text) / 1e6:.1f} M characters from {corpus_dir(args.corpus)}")
    if args.what in ("lexicon", "all"):
        dicts = args.dictionary or [p for p in DEFAULT_DICTIONARIES if Path(p).is_file()]
        if not dicts:
            print("no word list found: apt-get install wamerican-large wbritish-large, or pass --dictionary")
            return 2
        from engine.text.modern import count_words, documents, glossary

        m_counts, m_docs, n_docs = count_words(documents())
        if not n_docs:
            print(
                "no modern documentation found (apt-get install python3-doc manpages manpages-dev): books only"
            )
        else:
            print(f"modern prose: {n_docs} documents, {sum(m_counts.values()) / 1e6:.1f} M words")
        entries = build_lexicon(word_counts(text), dicts, modern=(m_counts, m_docs), glossary=glossary())
        path = save_lexicon(entries, args.out_dir / LEXICON_FILE)
        n_trusted = sum(e[2] == TRUSTED for e in entries)
        print(f"lexicon: {len(entries)} words, {n_trusted} trusted -> {path}")
    if args.what in ("lm", "all"):
        cells = args.cell or list(CELLS)
        if args.start and len(cells) != 1:
            print("--start trains one cell on from its file: name that cell with --cell")
            return 2
        cfg = LMTrainConfig(
            hidden=args.hidden,
            steps=args.steps,
            batch_size=args.batch_size,
            seed=args.seed,
            lr=args.lr,
            modern=not args.books_only,
        )
        sources = training_sources(text, CharVocab(), modern=cfg.modern)
        for s in sources:
            print(f"  {s.name}: {len(s.train) / 1e6:.1f} M characters, share {s.share:.2f} ({s.about})")
        for cell in cells:
            start = None
            if args.start:
                kind, config_cls, model_cls = model_kind(cell)
                start, _meta = load_model(args.start, kind, config_cls, model_cls)
            model, metrics = train_lm(cell, sources, cfg, device, _progress(cell), start=start)
            meta = {
                "model": model_kind(cell)[0],
                "config": model.config.to_dict(),
                "train": asdict(cfg.for_cell(cell))
                | ({"start": Path(args.start).name} if args.start else {}),
                "data": "; ".join(f"{s.name}: {s.about}" for s in sources),
                "metrics": metrics,
                "device": str(device),
                "torch": torch.__version__,
            }
            out = save_weights(args.out_dir / f"text_{cell}.safetensors", model.state_dict(), meta)
            by = "  ".join(f"{k} {v:.3f}" for k, v in metrics["heldout_bpc_by_source"].items())
            print(f"\n{cell}: held-out bits/char {by} in {metrics['seconds']} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
