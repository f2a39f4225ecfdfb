"""The user's examples: drawings they told the Digits page the right digit for, kept in one file
beside the settings (read without pickle, written whole or not at all), exported as PNG files with a
labels.csv, and imported back. A damaged file is set aside under its own name and said, never
written over."""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import cv2
import numpy as np

FILE_NAME = "digit_examples.npz"
MAX_EXAMPLES = 5000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_SIDE = 2000  # an imported picture larger than this on a side is refused


class ExampleStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._canvases: list[np.ndarray | None] = []  # decoded when first asked for (not at start-up)
        self.labels: list[int] = []
        self._pngs: list[np.ndarray] = []  # each canvas as PNG bytes, made once: a save only writes them

    @property
    def canvases(self) -> list[np.ndarray]:
        """The drawings, white ink on black (decoded from their PNG the first time they are asked for)."""
        for i, c in enumerate(self._canvases):
            if c is None:
                img = cv2.imdecode(self._pngs[i], cv2.IMREAD_GRAYSCALE)
                self._canvases[i] = img if img is not None else np.zeros((28, 28), np.uint8)
        return self._canvases  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self.labels)

    def load(self) -> str | None:
        """Read the file (none yet: no examples). A damaged one is renamed aside and said."""
        if not self.path.exists():
            return None
        try:
            with np.load(self.path, allow_pickle=False) as z:
                labels = [int(v) for v in z["labels"]]
                pngs = [np.asarray(z[f"p{i}"], np.uint8) for i in range(len(labels))]
            if any(b[:8].tobytes() != PNG_SIGNATURE for b in pngs) or any(not 0 <= v <= 9 for v in labels):
                raise ValueError("an example that is no drawing of a digit")
        except Exception as exc:  # anything a damaged or foreign file makes numpy raise
            aside = self.path.with_name(
                f"{self.path.stem}.damaged-{time.strftime('%Y%m%d-%H%M%S')}{self.path.suffix}"
            )
            try:
                os.replace(self.path, aside)
                kept = f"kept as {aside.name}"
            except OSError:
                kept = "left where it is"
            return f"{self.path}: your examples could not be read ({type(exc).__name__}: {exc}); {kept}, starting with none"
        self._canvases, self.labels, self._pngs = [None] * len(pngs), labels, pngs
        return None

    def save(self) -> str | None:
        """Write them all (to a temporary file, then in place); a failure is said, not raised. The
        pictures are PNG already: it runs on the GUI thread at each example kept, in milliseconds."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.stem + ".tmp.npz")
            arrays = {f"p{i}": b for i, b in enumerate(self._pngs)}
            np.savez(tmp, labels=np.asarray(self.labels, np.int64), **arrays)
            os.replace(tmp, self.path)
        except OSError as exc:
            return f"Could not keep your examples in {self.path}: {exc.strerror or exc}"
        return None

    def add(self, canvas: np.ndarray, label: int) -> None:
        if not 0 <= int(label) <= 9:
            raise ValueError("a digit 0 to 9")
        if len(self) >= MAX_EXAMPLES:
            raise ValueError(f"at most {MAX_EXAMPLES:,} examples: remove some first")
        canvas = np.ascontiguousarray(canvas, np.uint8).copy()
        ok, png = cv2.imencode(".png", canvas)
        if not ok:
            raise ValueError("that drawing cannot be kept as a picture")
        self._canvases.append(canvas)
        self.labels.append(int(label))
        self._pngs.append(png.ravel())

    def remove(self, indices: list[int]) -> None:
        keep = [i for i in range(len(self)) if i not in set(indices)]
        self._canvases = [self._canvases[i] for i in keep]
        self.labels = [self.labels[i] for i in keep]
        self._pngs = [self._pngs[i] for i in keep]

    def export(self, folder: str | Path) -> int:
        """Each example as a PNG (white ink on black) and labels.csv (file,label); raises OSError."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for i, (png, v) in enumerate(zip(self._pngs, self.labels, strict=True)):
            name = f"example_{i + 1:04d}_{v}.png"
            png.tofile(folder / name)  # (cv2.imwrite cannot write to every path on Windows)
            rows.append((name, v))
        with open(folder / "labels.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(("file", "label"))
            w.writerows(rows)
        return len(rows)

    def import_from(self, csv_path: str | Path) -> tuple[int, list[str]]:
        """Examples from a labels.csv (file,label) and the PNGs beside it: (how many were added, the
        problems, one line each). A bad row is skipped and said; the rest are added."""
        csv_path = Path(csv_path)
        problems: list[str] = []
        added = 0
        try:
            with open(csv_path, newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            return 0, [f"{csv_path}: {exc}"]
        if rows and [c.strip().lower() for c in rows[0][:2]] == ["file", "label"]:
            rows = rows[1:]
        for n, row in enumerate(rows, start=2):
            if len(row) < 2:
                problems.append(f"{csv_path.name} line {n}: needs a file and a label")
                continue
            name, label = row[0].strip(), row[1].strip()
            if len(label) != 1 or label not in "0123456789":
                problems.append(f"{csv_path.name} line {n}: the label {label!r} is not a digit 0-9")
                continue
            picture = csv_path.parent / name
            if not picture.resolve().is_relative_to(csv_path.parent.resolve()):
                problems.append(f"{csv_path.name} line {n}: {name} is not beside labels.csv")
                continue
            img = _read_grey(picture) if picture.is_file() else None
            if img is None:
                problems.append(f"{picture}: missing or not a picture")
                continue
            if max(img.shape) > MAX_SIDE:
                problems.append(f"{picture}: {img.shape[1]}x{img.shape[0]} is too large (at most {MAX_SIDE})")
                continue
            try:
                self.add(img, int(label))
            except ValueError as exc:
                problems.append(str(exc))
                break
            added += 1
        return added, problems


def _read_grey(path: Path) -> np.ndarray | None:
    """A picture file as grey pixels, or None (read as bytes: cv2.imread cannot open every path on Windows)."""
    try:
        data = np.fromfile(path, np.uint8)
    except OSError:
        return None
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
