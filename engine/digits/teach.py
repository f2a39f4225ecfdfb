"""Teaching a digit network the user's handwriting: a short fine-tune on their examples mixed with the
network's own training data (so that it does not forget everyone else's digits), every layer, with
the batch norms' statistics kept as they were (a hundred examples would move them) and small random
moves of each example. Used by DigitEngine.fine_tuned."""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from engine.digits.prepared import Prepared
from engine.digits.trainer import random_affine

USER_SHARE = 32  # of each batch: the user's examples (drawn again and again, each moved a little)
REPLAY_SHARE = 96  # and the network's own training data
LR = 5e-4
LABEL_SMOOTHING = 0.05
MAX_EXAMPLES = 5000


def check_examples(inputs: np.ndarray, labels: np.ndarray) -> None:
    if len(inputs) == 0:
        raise ValueError("teach it at least one example")
    if len(inputs) != len(labels):
        raise ValueError(f"{len(inputs)} drawings but {len(labels)} labels")
    if len(inputs) > MAX_EXAMPLES:
        raise ValueError(f"at most {MAX_EXAMPLES:,} examples at once, got {len(inputs):,}")
    if labels.dtype.kind not in "iu" or labels.min() < 0 or labels.max() > 9:
        raise ValueError("labels must be whole numbers 0 to 9")


def fine_tune(
    model: torch.nn.Module,
    inputs: np.ndarray,
    labels: np.ndarray,
    seconds: float,
    device: torch.device,
    replay: Prepared | None = None,
    seed: int = 0,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[torch.nn.Module, dict]:
    """A copy of `model` fine-tuned for `seconds` on `inputs` (N, 28, 28) and `labels` (N,), mixed with
    `replay`'s training data where given (without it, the user's examples alone).
    Returns the copy (eval mode, on `device`) and what was done."""
    labels = np.asarray(labels)
    check_examples(inputs, labels)
    if not 0 < seconds <= 3600:
        raise ValueError("seconds must be more than 0 and at most an hour")
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    tuned = copy.deepcopy(model).to(device)
    for p in tuned.parameters():
        p.requires_grad_(True)
    tuned.train()
    for m in tuned.modules():  # the statistics stay those of the whole training set
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.eval()
    opt = torch.optim.AdamW(tuned.parameters(), lr=LR, weight_decay=1e-4)
    xu = torch.from_numpy(np.asarray(inputs, np.float32)).unsqueeze(1)
    yu = torch.from_numpy(labels.astype(np.int64))
    if replay is not None:
        xr, yr = torch.from_numpy(replay.x_train).unsqueeze(1), torch.from_numpy(replay.y_train)
    t0 = time.perf_counter()
    steps = 0
    while True:
        fraction = (time.perf_counter() - t0) / seconds
        if fraction >= 1 or (should_stop is not None and should_stop()):
            break
        for g in opt.param_groups:  # a cosine fall over the time given
            g["lr"] = LR * 0.5 * (1 + math.cos(math.pi * fraction))
        pick = torch.randint(0, len(xu), (USER_SHARE,), generator=gen)
        xb, yb = xu[pick], yu[pick]
        if replay is not None:
            more = torch.randint(0, len(xr), (REPLAY_SHARE,), generator=gen)
            xb, yb = torch.cat([xb, xr[more]]), torch.cat([yb, yr[more]])
        xb = random_affine(xb, gen).to(device)
        loss = F.cross_entropy(tuned(xb), yb.to(device), label_smoothing=LABEL_SMOOTHING)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        steps += 1
    tuned.eval()
    for p in tuned.parameters():
        p.requires_grad_(False)
    return tuned, {
        "examples": len(inputs),
        "seconds": round(time.perf_counter() - t0, 1),
        "steps": steps,
        "replay": replay is not None,
    }
