"""Measure the text bars: `python -m benchmarks.text [--cell lstm]`.

- Birkbeck misspellings (each word alone): top-1 and top-5 of suggest().
- False corrections: of the corpus's 10,000 most frequent words, how many suggest(w)[0] changes.
- suggest() latency p50 / p95 (misspellings and correct words, no context; and with context);
  trace() of 200 characters.
- Words being typed: is the word meant in the top 1 / top 5 with half of it typed, and with 3/5 of
  a Birkbeck misspelling typed, without and with completions (what the app shows mid-word).
- Held-out bits per character of every cell, from the weights' metadata.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time

import numpy as np

from benchmarks.machine_load import StealMeter
from engine.bad_file import run_command
from engine.device import device_name
from engine.text.data import load_misspellings, read_corpus, word_counts
from engine.text.engine import TextEngine
from engine.text.model import CELLS


def _pct(times: list[float]) -> tuple[float, float]:
    ms = np.array(times) * 1e3
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def bare_recurrence_ms(eng: TextEngine, steps: int = 200, repeats: int = 60) -> float:
    """p50 of the engine's own recurrent layer alone over `steps` characters: the floor under
    trace() (which adds the gates, the read-out and the copies), and a reading of how fast the
    shared machine is at the moment (the same code has measured up to 1.7x apart within an hour)."""
    import torch

    rnn = getattr(eng.model, "rnn", None)  # the window cells: their whole model, one parallel pass
    x = (
        torch.zeros(1, steps, eng.model.config.embed, device=eng.device)
        if rnn is not None
        else torch.zeros(1, steps, dtype=torch.long, device=eng.device)
    )
    run = rnn if rnn is not None else eng.model
    times = []
    with torch.inference_mode():
        for i in range(repeats + 5):
            t = time.perf_counter()
            run(x)
            if i >= 5:
                times.append(time.perf_counter() - t)
    return _pct(times)[0]


def misspelling_accuracy(eng: TextEngine, pairs: list[tuple[str, str]]) -> tuple[float, float, list[float]]:
    top1 = top5 = 0
    times = []
    for wrong, right in pairs:
        t = time.perf_counter()
        s = [x.word for x in eng.suggest(wrong)]
        times.append(time.perf_counter() - t)
        top1 += bool(s) and s[0] == right
        top5 += right in s[:5]
    return top1 / len(pairs), top5 / len(pairs), times


def typing_cases(text: str, n: int = 400, seed: int = 1) -> list[tuple[str, str]]:
    """(word, the text before it) for n words of 5+ letters spread over the end of the corpus."""
    rng = random.Random(seed)
    tail = text[-2_000_000:]
    out = []
    for m in re.finditer(r"[a-z]{5,}", tail):
        if rng.random() < 0.004:
            out.append((m.group(), tail[max(0, m.start() - 160) : m.start()]))
            if len(out) == n:
                break
    return out


def midword_accuracy(
    eng: TextEngine, cases: list[tuple[str, str, str]], complete: bool
) -> tuple[float, float]:
    """Top-1 / top-5 share of (typed so far, context, word meant) cases."""
    top1 = top5 = 0
    for typed, context, meant in cases:
        s = [x.word.lower() for x in eng.suggest(typed, context, complete=complete)]
        top1 += s[:1] == [meant]
        top5 += meant in s[:5]
    return top1 / len(cases), top5 / len(cases)


def false_corrections(eng: TextEngine, words: list[str]) -> tuple[float, list[str], list[float]]:
    changed, times = [], []
    for w in words:
        t = time.perf_counter()
        s = eng.suggest(w)
        times.append(time.perf_counter() - t)
        if s and s[0].word != w:
            changed.append(f"{w}->{s[0].word}")
    return len(changed) / len(words), changed, times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cell", default="lstm", choices=CELLS)
    ap.add_argument(
        "--misspellings", help="Birkbeck-style file (default ../shared/data/spelling/spell-testset1.txt)"
    )
    ap.add_argument("--corpus", help="corpus folder for the 10,000 most frequent words")
    ap.add_argument("--show", type=int, default=0, help="print this many misses")
    ap.add_argument("--device", default="cpu", help="cpu, cuda, cuda:N or auto (default cpu)")
    args = ap.parse_args(argv)
    eng = TextEngine.load(cell=args.cell, device=args.device)
    print(f"device: {device_name(eng.device)}")
    pairs = load_misspellings(args.misspellings)
    for w in ("networc", "recieve", "the"):  # warm-up
        eng.suggest(w)
    top1, top5, t_miss = misspelling_accuracy(eng, pairs)
    print(f"{args.cell}: misspellings ({len(pairs)}): top-1 {top1:.3f}  top-5 {top5:.3f}")
    if args.show:
        for wrong, right in pairs:
            s = [x.word for x in eng.suggest(wrong)]
            if s[:1] != [right] and args.show > 0:
                args.show -= 1
                print(f"   {wrong} -> {s[:3]} (want {right})")
    corpus = read_corpus(args.corpus)
    counts = word_counts(corpus)
    common = [w for w, _ in counts.most_common(10000)]
    rate, changed, t_common = false_corrections(eng, common)
    print(
        f"false corrections among the corpus's 10,000 most frequent words: {rate:.2%} ({len(changed)}) "
        f"{' '.join(changed[:15])}"
    )
    p50, p95 = _pct(t_miss + t_common)
    m50, m95 = _pct(t_miss)
    print(
        f"suggest() latency, no context: p50 {p50:.3f} ms  p95 {p95:.3f} ms "
        f"(misspellings alone: p50 {m50:.3f} ms  p95 {m95:.3f} ms)"
    )
    half = [(w[: math.ceil(len(w) / 2)], ctx, w) for w, ctx in typing_cases(corpus)]
    wrong_start = [(a[: math.ceil(len(a) * 0.6)], "", b) for a, b in pairs if len(a) >= 5 and a.isalpha()]
    for name, cases in (
        ("corpus words, half typed", half),
        ("Birkbeck misspellings, 3/5 typed", wrong_start),
    ):
        without, with_ = midword_accuracy(eng, cases, False), midword_accuracy(eng, cases, True)
        print(
            f"while typing, {name} ({len(cases)}): top-1/top-5 {without[0]:.3f}/{without[1]:.3f} "
            f"as whole words, {with_[0]:.3f}/{with_[1]:.3f} with completions"
        )
    mid_times = []
    for typed, ctx, _ in half:
        t = time.perf_counter()
        eng.suggest(typed, ctx, complete=True)
        mid_times.append(time.perf_counter() - t)
    h50, h95 = _pct(mid_times)
    print(
        f"suggest() latency while typing (completions, the sentence so far): p50 {h50:.3f} ms  p95 {h95:.3f} ms"
    )
    ctx_times = []
    for wrong, _ in pairs:
        t = time.perf_counter()
        eng.suggest(wrong, context="I think that the")
        ctx_times.append(time.perf_counter() - t)
    c50, c95 = _pct(ctx_times)
    print(f"suggest() latency with a sentence of context: p50 {c50:.3f} ms  p95 {c95:.3f} ms")
    text = ("The quick brown fox jumps over the lazy dog while the networc reads every letter. " * 3)[:200]
    cold, typing = [], []
    with StealMeter() as steal:
        for _ in range(50):
            t = time.perf_counter()
            eng.trace(text, fresh=True)  # a cold trace: the whole 200 characters
            cold.append(time.perf_counter() - t)
        for n in range(100, 201):  # typing: the same text one more character each time
            t = time.perf_counter()
            eng.trace(text[:n])
            typing.append(time.perf_counter() - t)
    t50, t95 = _pct(cold)
    k50, k95 = _pct(typing)
    print(
        f"trace() of 200 characters, cold: p50 {t50:.2f} ms  p95 {t95:.2f} ms; "
        f"while typing (one more character): p50 {k50:.2f} ms  p95 {k95:.2f} ms"
    )
    print(f"  {steal.line()}")
    # The GRU's trace runs its own numpy loop, faster than torch's layer: no floor for it then.
    own_loop = eng.cell == "gru" and eng.device.type == "cpu"
    role = "torch's layer, which trace() does not use" if own_loop else "trace()'s floor"
    what = f"{eng.cell.upper()} layer" if hasattr(eng.model, "rnn") else f"{eng.cell} model, one pass,"
    print(
        f"machine speed during the run: torch's bare {what} over 200 characters "
        f"({role}) p50 {bare_recurrence_ms(eng):.2f} ms"
    )
    for cell in CELLS:
        try:
            m = TextEngine.load(cell=cell, device="cpu").metadata["metrics"]
            print(
                f"{cell}: held-out {m['heldout_bpc']:.3f} bits per character ({m['heldout_chars']} characters)"
            )
        except Exception as exc:  # a missing cell is reported, not fatal
            print(f"{cell}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(main))
