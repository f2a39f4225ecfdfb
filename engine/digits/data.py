"""Digit data: MNIST from IDX files and pen-drawn digits (UCI pendigits) as strokes.

Loaders take a directory or file argument; nothing here is shipped with the project.
"""

from __future__ import annotations

import gzip
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.bad_file import BadFileError
from engine.paths import data_dir

Stroke = np.ndarray  # (N, 2) float32 points, x right, y down (screen convention)


def mnist_dir(directory: str | Path | None = None) -> Path:
    """MNIST folder: the argument, else `$NNPG_MNIST`, else ../shared/data/mnist."""
    return Path(directory) if directory else data_dir("mnist", "NNPG_MNIST")


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (gzipped or not) into a numpy array; errors name the file."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            raw = fh.read()
    except (OSError, EOFError) as exc:
        raise BadFileError(f"{path}: cannot read IDX file ({exc})") from exc
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise BadFileError(f"{path}: not an unsigned-byte IDX file (bad magic number)")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise BadFileError(f"{path}: truncated IDX header")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    count = int(np.prod(shape))
    if len(raw) - header != count:
        raise BadFileError(
            f"{path}: expected {count} bytes of data for shape {shape}, found {len(raw) - header}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def _find(directory: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (directory / name).is_file():
            return directory / name
    raise FileNotFoundError(f"{directory}: no {stem} or {stem}.gz (set NNPG_MNIST or pass the MNIST folder)")


def load_mnist(split: str = "train", directory: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 28, 28) uint8 ink high, labels (N,) int64) for split "train" or "test"."""
    prefix = {"train": "train", "test": "t10k"}[split]
    d = mnist_dir(directory)
    images = read_idx(_find(d, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(_find(d, f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
    if images.ndim != 3 or len(images) != len(labels):
        raise BadFileError(f"{d}: {prefix} images {images.shape} and labels {labels.shape} do not match")
    return images, labels


@dataclass(frozen=True)
class PenDigit:
    label: int
    writer: int
    strokes: list[Stroke]  # tablet coordinates flipped to y down


def pendigits_path(path: str | Path | None = None) -> Path:
    """The pendigits-orig.tra file: the argument, else `$NNPG_PENDIGITS`, else ../shared/data/pendigits."""
    if path:
        p = Path(path)
        return p / "pendigits-orig.tra" if p.is_dir() else p
    return data_dir("pendigits", "NNPG_PENDIGITS") / "pendigits-orig.tra"


def load_pendigits(path: str | Path | None = None) -> list[PenDigit]:
    """Parse the UNIPEN-like pendigits file into digits with their strokes (y flipped to point down)."""
    p = pendigits_path(path)
    digits: list[PenDigit] = []
    label = writer = None
    strokes: list[Stroke] = []
    points: list[tuple[float, float]] | None = None

    def flush() -> None:
        if label is not None and strokes:
            digits.append(PenDigit(label, writer or 0, list(strokes)))

    with open(p, encoding="ascii", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            s = line.strip()
            if s.startswith(".SEGMENT"):
                flush()
                strokes = []
                try:
                    label = int(s.rsplit('"', 2)[-2])
                except (IndexError, ValueError) as exc:
                    raise BadFileError(f"{p}:{lineno}: cannot read the digit label in {s!r}") from exc
                writer = None
            elif s.startswith(".COMMENT") and label is not None:
                parts = s.split()
                if len(parts) >= 3 and parts[2].isdigit():
                    writer = int(parts[2])
            elif s.startswith(".PEN_DOWN"):
                points = []
            elif s.startswith(".PEN_UP"):
                if points:
                    arr = np.asarray(points, dtype=np.float32)
                    arr[:, 1] = -arr[:, 1]  # tablet y points up; screens point down
                    strokes.append(arr)
                points = None
            elif points is not None and s:
                xy = s.split()
                if len(xy) == 2:
                    points.append((float(xy[0]), float(xy[1])))
    flush()
    if not digits:
        raise BadFileError(f"{p}: no digits found (expected .SEGMENT / .PEN_DOWN blocks)")
    return digits
