"""The Text page's views of the window cells: the Transformer's attention for one letter, and the
temporal CNN's feature maps scaled for their heatmaps.

AttentionStrip draws, for the letter picked (the newest, or one clicked), one row per layer and
head over the letters up to it: how much that head of that layer looks at each letter. The top
row, with the letters, is the mean over every head.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy

from app.legend import legend_pixmap
from app.painting import shown_char
from app.text.letter_strips import LetterStrip, Row
from app.text.views import MARK

FEATURE_MAPS_SHOWN = 3  # of the CNN's blocks: evenly spaced, the last always


def maps_shown(names: list[str]) -> list[str]:
    """The CNN blocks whose feature maps get a heatmap: FEATURE_MAPS_SHOWN of them, evenly spaced,
    ending with the last (the first block's window is a few letters: the spread is the lesson)."""
    n = len(names)
    if n <= FEATURE_MAPS_SHOWN:
        return list(names)
    picks = sorted({round((i + 1) * n / FEATURE_MAPS_SHOWN) - 1 for i in range(FEATURE_MAPS_SHOWN)})
    return [names[i] for i in picks]


def scaled(m: np.ndarray) -> np.ndarray:
    """A feature map divided by its 99th percentile of size, to -1 .. 1 (a block's outputs are not
    bounded the way a recurrent state is)."""
    m = np.asarray(m, np.float32)
    if not m.size:
        return m
    top = float(np.percentile(np.abs(m), 99))
    return np.clip(m / top, -1.0, 1.0) if top > 0 else m


def attention_row(attention: np.ndarray, t: int) -> np.ndarray:
    """(layers, heads, t + 1): letter t's attention over letters 0 .. t, from the banded
    (layers, heads, T, window) array of engine/text/window_trace.py."""
    layers, heads, _t, window = attention.shape
    out = np.zeros((layers, heads, t + 1), np.float32)
    start = t - window + 1
    band = attention[:, :, t, :]
    if start >= 0:
        out[:, :, start:] = band
    else:
        out[:, :, :] = band[:, :, -start:]
    return out


class AttentionStrip(LetterStrip):
    """Where one letter looks: a row per layer and head over the letters before it."""

    ROW, GAP = 11, 1  # a row per head: its name (13 px of text) stays clear of the next one
    MIN_CELL = 9.0  # the letters stay written: which letter a head looks at is the point
    letterPicked = Signal(int)  # a letter clicked: show its row

    def __init__(self, layers: int, heads: int) -> None:
        super().__init__(
            "attention",
            "Self-attention: for the letter framed in yellow, how much each head of each layer looks at "
            "each letter before it (the letters after it are hidden from it: the Transformer is causal). "
            "Each row is scaled to its strongest letter; the top row is the mean of all heads. Click a "
            "letter here or on a heatmap to see its row. Many heads look at the last few letters; some "
            "look far back, at the start of the word or the letter before a space.",
            layers * heads,
        )
        self.layers, self.heads = layers, heads
        self.weights = np.zeros((layers, heads, 0), np.float32)
        self.t: int | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_attention(self, text: str, attention: np.ndarray | None, t: int | None) -> None:
        """Show letter t's attention (None: the newest) from a trace's text and attention."""
        if attention is None or not len(text) or attention.shape[2] != len(text):
            self.weights, self.t = np.zeros((self.layers, self.heads, 0), np.float32), None
            self.set_rows([], "")
            return
        t = len(text) - 1 if t is None else max(0, min(t, len(text) - 1))
        self.t = t
        self.weights = attention_row(attention, t)
        mean = self.weights.mean((0, 1))
        rows: list[Row] = [("all heads", mean / max(float(mean.max()), 1e-9), "inferno", (0.0, 1.0))]
        for layer in range(self.weights.shape[0]):
            for head in range(self.weights.shape[1]):
                w = self.weights[layer, head]
                rows.append(
                    (f"L{layer + 1} H{head + 1}", w / max(float(w.max()), 1e-9), "inferno", (0.0, 1.0))
                )
        self.set_rows(rows, text[: t + 1])
        self.setAccessibleName(self.readout())  # painted: a screen reader reads this instead

    def legends(self) -> list[QPixmap]:
        return [legend_pixmap("inferno", "0", "1", None, "of the row's strongest:")]

    def placeholder(self) -> str:
        return "type some text"

    def readout(self) -> str:
        if self.t is None or not self.chars:
            return "attention: where each letter looks"
        me = shown_char(self.chars[-1])
        if self.hover is None:
            mean = self.weights.mean((0, 1))
            k = int(np.argmax(mean[:-1])) if len(mean) > 1 else 0
            most = (
                f"; most (after itself) at “{shown_char(self.chars[k])}” {len(mean) - 1 - k} back"
                if len(mean) > 1
                else ""
            )
            return f"where “{me}” (letter {self.t + 1}) looks{most}"
        k = self.hover
        per = self.weights[:, :, k]
        layer, head = np.unravel_index(int(np.argmax(per)), per.shape)
        return (
            f"“{me}” looks at “{shown_char(self.chars[k])}” ({len(self.chars) - 1 - k} back): "
            f"mean {float(per.mean()):.1%}, most L{layer + 1} H{head + 1} {float(per.max()):.1%}"
        )

    def paint_over(self, p: QPainter, first: int, cell: float, bottom: float) -> None:
        """The letter whose attention is shown, framed."""
        k = len(self.chars) - 1
        if k < first:
            return
        x = self.LABEL + (k - first) * cell
        p.setPen(MARK)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(x, self.TOP + 1, max(1.0, cell - 1), bottom - self.TOP - self.GAP))

    def mousePressEvent(self, e: QMouseEvent) -> None:
        k = self.hover_at(e.position().x(), e.position().y())
        if e.button() == Qt.MouseButton.LeftButton and k is not None:
            self.letterPicked.emit(k)
        super().mousePressEvent(e)
