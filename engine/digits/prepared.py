"""The training data as the networks read it (MNIST and the training writers' pen digits through the
app's own preprocessing), computed once and cached on disk: preprocessing 60,000 MNIST images takes
longer than a short training run. The cache is keyed by the data files, the preprocessing version and
the settings, and read without pickle."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.digits.data import load_mnist, load_pendigits, mnist_dir, pendigits_path
from engine.digits.preprocess import preprocess
from engine.digits.synth import augmented_inputs, eval_inputs, split_writers

PREPROCESS_VERSION = 1  # bump when preprocess() changes what it makes of a picture
HELD_OUT_WRITERS = tuple(range(25, 31))


@dataclass
class Prepared:
    x_train: np.ndarray  # (N, 28, 28) float32
    y_train: np.ndarray  # (N,) int64
    x_test: np.ndarray  # MNIST test
    y_test: np.ndarray
    x_val: np.ndarray  # the held-out writers' pen digits, at each evaluation pen width
    y_val: np.ndarray
    mnist_train: int  # how many of x_train are MNIST (the rest pen renders)

    def limited(self, mnist: int = 0, pen: int = 0) -> Prepared:
        """The first `mnist` MNIST images (of train and of test) and the first `pen` pen renders (of
        training and of held out), for quick runs; 0 keeps all of that part."""
        m = mnist or self.mnist_train
        pens_x, pens_y = self.x_train[self.mnist_train :], self.y_train[self.mnist_train :]
        p = pen or len(pens_x)
        t, v = mnist or len(self.x_test), pen or len(self.x_val)
        return Prepared(
            np.concatenate([self.x_train[:m], pens_x[:p]]),
            np.concatenate([self.y_train[:m], pens_y[:p]]),
            self.x_test[:t],
            self.y_test[:t],
            self.x_val[:v],
            self.y_val[:v],
            min(m, self.mnist_train),
        )


def cache_dir() -> Path:
    """$NNPG_CACHE, else the platform's user cache folder."""
    env = os.environ.get("NNPG_CACHE")
    if env:
        return Path(env)
    base = (
        os.environ.get("XDG_CACHE_HOME")
        or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
        or str(Path.home() / ".cache")
    )
    return Path(base) / "nn-playground"


def mnist_inputs(images: np.ndarray) -> np.ndarray:
    """MNIST images through the app's own preprocessing, so training sees what predict() feeds."""
    return np.stack([preprocess(im, keep_steps=False).input for im in images]).astype(np.float32)


def _key(mnist: str | Path | None, pendigits: str | Path | None, pen_copies: int, seed: int) -> str:
    h = hashlib.sha256()
    folder = mnist_dir(mnist)
    for f in sorted(folder.glob("*")) + [pendigits_path(pendigits)]:
        if f.is_file():
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{int(st.st_mtime)};".encode())
    h.update(f"v{PREPROCESS_VERSION}:{pen_copies}:{seed}:{HELD_OUT_WRITERS}".encode())
    return h.hexdigest()[:16]


def prepared_data(
    mnist: str | Path | None = None,
    pendigits: str | Path | None = None,
    pen_copies: int = 5,
    seed: int = 0,
    log=print,
) -> Prepared:
    """The whole training set, read from the cache or made (and cached: a failed write is said and
    costs only the next run's time)."""
    path = cache_dir() / f"digits-{_key(mnist, pendigits, pen_copies, seed)}.npz"
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as z:
                return Prepared(**{k: z[k] for k in Prepared.__dataclass_fields__ if k != "mnist_train"},
                                mnist_train=int(z["mnist_train"]))  # fmt: skip
        except Exception as exc:  # a damaged cache is made again
            log(f"{path}: unreadable cache ({type(exc).__name__}), preparing the data again")
    log("preparing the data once (cached for the next runs) ...")
    mx, my = load_mnist("train", mnist)
    tx, ty = load_mnist("test", mnist)
    pen_train, pen_val = split_writers(load_pendigits(pendigits), HELD_OUT_WRITERS)
    none = (np.zeros((0, 28, 28), np.float32), np.zeros(0, np.int64))
    px, py = augmented_inputs(pen_train, pen_copies, seed) if pen_copies and pen_train else none
    vx, vy = eval_inputs(pen_val) if pen_val else none
    out = Prepared(
        np.concatenate([mnist_inputs(mx), px]).astype(np.float32),
        np.concatenate([my, py]).astype(np.int64),
        mnist_inputs(tx),
        ty.astype(np.int64),
        vx.astype(np.float32),
        vy.astype(np.int64),
        len(mx),
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")  # two processes may prepare at once
        np.savez(tmp, **{k: getattr(out, k) for k in Prepared.__dataclass_fields__})
        os.replace(tmp, path)
    except OSError as exc:
        log(f"could not cache the prepared data in {path.parent}: {exc.strerror or exc}")
    return out


def prepared_if_here() -> Prepared | None:
    """The prepared training data where MNIST and the pen digits are on this machine, else None."""
    try:
        return prepared_data(log=lambda _m: None)
    except (OSError, ValueError):
        return None
