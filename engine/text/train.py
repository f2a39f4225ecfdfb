"""Train the text engine.

  python -m engine.text.train lexicon            # word list from the corpus + wordfreq
  python -m engine.text.train lm --cell lstm     # one character language model
  python -m engine.text.train all                # lexicon and all three cells

Language models are trained on the corpus with every 50th 10,000-character chunk held out; the
held-out bits per character are written into each model's metadata.
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
from engine.text.model import CELLS, CharRNN, CharRNNConfig, CharVocab
from engine.weights import save_weights

DEFAULT_DICTIONARIES = ("/usr/share/dict/american-english-large", "/usr/share/dict/british-english-large")
CHUNK = 10_000
HOLD_OUT_EVERY = 50


# Hidden units and training steps per cell. The LSTM's recurrent matrix at 256 units (1 MB) does
# not stay in a core's 512 KB L2 cache: its 200-character trace() measured 7.7-11.4 ms against a
# 10 ms bar, 6.7 ms at 192 units. At 192 units and 2400 steps it read 2.089 bits per character, not
# better than the plain RNN's 2.049; two passes over the corpus instead of one close that gap.
HIDDEN = {"rnn": 256, "lstm": 192, "gru": 256}
STEPS = {"rnn": 2400, "lstm": 4800, "gru": 2400}


@dataclass
class LMTrainConfig:
    hidden: int = 0  # 0: the cell's default (HIDDEN)
    steps: int = 0  # 0: the cell's default (STEPS)
    batch_size: int = 64
    seq_len: int = 128
    lr: float = 4e-3
    seed: int = 0
    eval_chars: int = 200_000

    def for_cell(self, cell: str) -> LMTrainConfig:
        """This configuration with the cell's defaults filled in."""
        return replace(self, hidden=self.hidden or HIDDEN[cell], steps=self.steps or STEPS[cell])


def split_corpus(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(train ids, held-out ids): every HOLD_OUT_EVERY-th chunk is held out."""
    n_chunks = math.ceil(len(ids) / CHUNK)
    held = np.zeros(len(ids), bool)
    for k in range(HOLD_OUT_EVERY - 1, n_chunks, HOLD_OUT_EVERY):
        held[k * CHUNK : (k + 1) * CHUNK] = True
    return ids[~held], ids[held]


@torch.inference_mode()
def bits_per_char(
    model: CharRNN, ids: np.ndarray, device: torch.device, window: int = 512, burn_in: int = 64
) -> float:
    """Held-out bits per character; each window's first `burn_in` predictions are not counted."""
    model.eval()
    n = (len(ids) - 1) // window
    if n <= 0:
        return float("nan")
    x = torch.from_numpy(ids[: n * window].astype(np.int64)).view(n, window)
    y = torch.from_numpy(ids[1 : n * window + 1].astype(np.int64)).view(n, window)
    total, count = 0.0, 0
    for i in range(0, n, 64):
        logits, _, _ = model(x[i : i + 64].to(device))
        nll = F.cross_entropy(logits.flatten(0, 1), y[i : i + 64].to(device).flatten(), reduction="none")
        nll = nll.view(-1, window)[:, burn_in:]
        total += float(nll.sum())
        count += nll.numel()
    return total / count / math.log(2)


def train_lm(
    cell: str,
    text: str,
    cfg: LMTrainConfig,
    device: torch.device,
    on_batch_end: Callable[[int, int, float], None] | None = None,
) -> tuple[CharRNN, dict]:
    cfg = cfg.for_cell(cell)
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    model_cfg = CharRNNConfig(cell=cell, hidden=cfg.hidden)
    vocab = CharVocab(model_cfg.alphabet)
    ids = np.asarray(vocab.encode(text), np.uint8)
    train_ids, held_ids = split_corpus(ids)
    model = CharRNN(model_cfg).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=cfg.steps, pct_start=0.1)
    t0 = time.perf_counter()
    span = cfg.seq_len + 1
    offs = np.arange(span)
    for step in range(1, cfg.steps + 1):
        model.train()
        starts = rng.integers(0, len(train_ids) - span, cfg.batch_size)
        batch = torch.from_numpy(train_ids[starts[:, None] + offs].astype(np.int64)).to(device)
        logits, _, _ = model(batch[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1), batch[:, 1:].flatten())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if on_batch_end:
            on_batch_end(step, cfg.steps, loss.item())
    held = held_ids[: cfg.eval_chars]
    bpc = bits_per_char(model, held, device)
    metrics = {
        "heldout_bpc": round(bpc, 4),
        "heldout_chars": int(len(held)),
        "train_chars": int(len(train_ids)),
        "seconds": round(time.perf_counter() - t0, 1),
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
        cfg = LMTrainConfig(hidden=args.hidden, steps=args.steps, batch_size=args.batch_size, seed=args.seed)
        for cell in cells:
            model, metrics = train_lm(cell, text, cfg, device, _progress(cell))
            meta = {
                "model": "CharRNN",
                "config": model.config.to_dict(),
                "train": asdict(cfg.for_cell(cell)),
                "data": f"{len(text)} characters of {corpus_dir(args.corpus).name}/*.txt, "
                f"every {HOLD_OUT_EVERY}th {CHUNK}-character chunk held out",
                "metrics": metrics,
                "device": str(device),
                "torch": torch.__version__,
            }
            out = save_weights(args.out_dir / f"text_{cell}.safetensors", model.state_dict(), meta)
            print(
                f"\n{cell}: held-out {metrics['heldout_bpc']:.3f} bits/char in {metrics['seconds']} s -> {out}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
