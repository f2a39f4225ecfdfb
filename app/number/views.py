"""The Number page's picture of the CRNN: the line it saw, then what it computed for each column
of that line, one band under the other on one shared x axis, painted with QPainter (see
app/painting.py for why)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip

from app.formatting import percent
from app.legend import levels_pixmap
from app.painting import (
    BACKGROUND,
    INK,
    PointerReadout,
    colour_image,
    draw_focus_frame,
    draw_text,
    small_font,
    text_pixmap,
)

STRIDE = 4  # input columns per output column (engine.number.model.STRIDE; no torch here)
SPAN_COLOURS = ("#ffd040", "#60c0ff")  # each read digit's bracket, alternating
NOT_DIGIT_COLOUR = "#a0a0a0"  # the bracket under a mark the digit check left out
BRACKETS = 16  # px under the line for the brackets of the digits read
CLASS_NAMES = ("–",) + tuple(str(d) for d in range(10))  # the guess band's classes: blank, 0-9
ROW_LABELS = ("blank",) + CLASS_NAMES[1:]  # their labels at the left


LABEL_PX = 11  # px a row label needs, top to bottom
STRETCH = 2.5  # how much wider than its shape the line may be drawn, so the bands fill the panel
LEGEND_PX = 30  # under the bands: the colour legends, and what the brackets' colours mean


def labelled_rows(row_px: float) -> list[tuple[int, int]]:
    """(row, lane) of each label of the guess band when each row is `row_px` tall: every row is
    labelled; where rows are thinner than a label, neighbours go to alternate lanes (0: nearest the
    band, 1: further left), so labels in one lane stay LABEL_PX apart."""
    lanes = 1 if row_px >= LABEL_PX else min(3, math.ceil(LABEL_PX / max(row_px, 0.5)))
    return [(i, i % lanes) for i in range(len(CLASS_NAMES))]


@dataclass(frozen=True)
class Band:
    key: str
    label: str  # at the left margin
    share: float  # of the plot's height
    tip: str


BANDS = (
    Band(
        "line",
        "saw",
        0.36,
        "What the network saw: your number cropped, its strokes evened out and scaled to 20 px tall in "
        "a 28 px line, as wide as it needs. The brackets under it show which columns read each digit.",
    ),
    Band(
        "columns",
        "CNN",
        0.13,
        "What the convolutions hand on: three 3x3 conv + pooling blocks turn every 4 px wide slice of the "
        "line into one column of features (one row per feature, bright = strong). A column sees about "
        "a digit's width, but not the whole number.",
    ),
    Band(
        "hidden",
        "GRU",
        0.17,
        "The recurrent part: a GRU reads the columns left to right (upper half) and another reads them "
        "right to left (lower half); each column's state carries what came before it in that direction. "
        "Blue negative, red positive.",
    ),
    Band(
        "probs",
        "guess",
        0.34,
        "Each column's guess (softmax over “–” = no digit here, and 0-9). The number is read off these: "
        "the likeliest class of each column, repeats merged, “–” dropped (CTC's greedy reading). "
        "Trained with CTC, the network names each digit in a column or two and says “–” in the rest; "
        "a digit written twice needs a “–” column between its two runs.",
    ),
)


Hover = tuple[int, str | None, int | None]  # the column pointed at, the band, the row in that band


class CrnnView(PointerReadout):
    """Set with show(result) (an engine NumberResult); reads out the column and the value under
    the pointer, and says which column (columnHovered: its index, -1 for none). With the focus,
    Left / Right (Home / End) step through the columns as the pointer would."""

    LEFT, TOP, GAP = 84, 16, 6
    columnHovered = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.result = None
        self._images: dict[str, QImage] = {}
        self.hover: Hover | None = None  # what is under the pointer
        self.setAccessibleName("The CRNN's columns")
        self.setToolTip(BANDS[0].tip)
        self.setMinimumSize(300, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it: the keys step the columns

    def keyPressEvent(self, e: QKeyEvent) -> None:
        K = Qt.Key
        if self.result is None or e.key() not in (K.Key_Left, K.Key_Right, K.Key_Home, K.Key_End):
            super().keyPressEvent(e)
            return
        last = len(self.result.probs) - 1
        t = self.column
        t = {
            K.Key_Left: last if t is None else t - 1,
            K.Key_Right: 0 if t is None else t + 1,
            K.Key_Home: 0,
            K.Key_End: last,
        }[e.key()]
        self.set_hover(min(max(t, 0), last), "probs", None)

    def focusInEvent(self, e) -> None:
        self.update()  # its focus frame
        super().focusInEvent(e)

    def focusOutEvent(self, e) -> None:
        self.set_hover(None)  # as the pointer leaving
        self.update()
        super().focusOutEvent(e)

    def show_result(self, result) -> None:
        self.result = result if result is not None and len(result.probs) else None
        self._images.clear()  # made when painted: at 120 Hz several results may share one paint
        if self.hover is not None and (self.result is None or self.column >= len(self.result.probs)):
            self.set_hover(None)
        # What a screen reader says of it (the painting is invisible to one).
        r = self.result
        self.setAccessibleName(
            "The CRNN's columns"
            if r is None
            else f"The CRNN's columns: {len(r.probs)} columns read as “{r.text}”, each digit named by "
            + ", ".join(f"columns {d.first}-{d.last}" for d in r.digits)
        )
        self.update()

    def _band_images(self) -> dict[str, QImage]:
        if not self._images:
            r = self.result
            t = len(r.probs)
            cols = r.columns.T
            top = float(cols.max()) if cols.size else 1.0
            self._images = {
                "line": colour_image(r.line.input[:, : t * STRIDE], "gray"),
                "columns": colour_image(cols, "viridis", (0.0, max(top, 1e-6))),
                "hidden": colour_image(r.hidden.T, "CET-D1", (-1.0, 1.0)),
                "probs": colour_image(r.probs.T, "inferno"),
            }
        return self._images

    @property
    def column(self) -> int | None:
        """The output column under the pointer."""
        return None if self.hover is None else self.hover[0]

    def set_hover(self, column: int | None, band: str | None = None, row: int | None = None) -> None:
        hover = None if column is None else (column, band, row)
        if hover != self.hover:
            self.hover = hover
            self.hover_changed()

    def hover_changed(self) -> None:
        self.columnHovered.emit(-1 if self.column is None else self.column)
        self.setAccessibleDescription(self.readout() if self.hover is not None else "")
        self.update()

    def _rows(self, band: str) -> int:
        """How many rows a band's matrix has (the line's are pixels: not read out one by one)."""
        r = self.result
        return {"columns": r.columns.shape[1], "hidden": r.hidden.shape[1], "probs": r.probs.shape[1]}.get(
            band, 0
        )

    # ---------------------------------------------------------------- geometry
    def _bands(self) -> dict[str, QRectF]:
        """Each band's rectangle: all share one x extent, one step per output column, as wide as
        keeps the line's own shape in its band (centred)."""
        h = max(1.0, self.height() - self.TOP - BRACKETS - self.GAP * (len(BANDS) - 1) - LEGEND_PX)
        avail = max(1.0, self.width() - self.LEFT - 6)
        t = len(self.result.probs) if self.result is not None else 1
        shaped = STRIDE * h * BANDS[0].share / 28.0  # the step that keeps the line's own shape
        step = min(avail / t, STRETCH * shaped)  # wider, within reason: the bands fill the panel
        x0 = self.LEFT + (avail - t * step) / 2
        out, y = {}, float(self.TOP)
        for b in BANDS:
            bh = 28.0 * min(step, shaped) / STRIDE if b.key == "line" else h * b.share
            out[b.key] = QRectF(x0, y, t * step, bh)
            y += bh + (BRACKETS if b.key == "line" else 0) + self.GAP
        return out

    def hover_at(self, x: float, y: float) -> Hover | None:
        if self.result is None:
            return None
        bands = self._bands()
        r = bands["probs"]
        if not (r.left() <= x < r.right()):
            return None
        column = min(len(self.result.probs) - 1, int((x - r.left()) * len(self.result.probs) / r.width()))
        for key, b in bands.items():
            rows = self._rows(key)
            if rows and b.top() <= y < b.bottom():
                return column, key, min(rows - 1, int((y - b.top()) * rows / b.height()))
        return column, None, None

    def readout(self) -> str:
        if self.result is None:
            return "write a number on the canvas"
        if self.hover is None:
            return f"{len(self.result.probs)} columns · point at one to read it"
        t, band, row = self.hover
        r = self.result
        where = f"column {t} (line x {t * STRIDE}-{t * STRIDE + STRIDE - 1})"
        if band == "columns":
            return f"{where}: CNN feature {row} {r.columns[t, row]:.2f}"
        if band == "hidden":
            half = r.hidden.shape[1] // 2
            way, unit = ("forward", row) if row < half else ("backward", row - half)
            return f"{where}: {way} GRU unit {unit} {r.hidden[t, row]:+.2f}"
        p = r.probs[t]
        best = int(np.argmax(p))
        guess = f"{f'“{CLASS_NAMES[best]}”' if best else 'no digit (–)'} {percent(float(p[best]), 0)}"
        if band == "probs" and row is not None and row != best:
            return f"{where}: “{CLASS_NAMES[row]}” {percent(float(p[row]), 0)}; its guess {guess}"
        return f"{where}: {guess}"

    # ---------------------------------------------------------------- painting
    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        draw_focus_frame(p, self)
        p.setFont(small_font())
        p.setPen(INK)
        p.drawText(QRectF(0, 1, self.width(), self.TOP), Qt.AlignmentFlag.AlignCenter, self.readout())
        if self.result is None:
            p.end()
            return
        bands, images = self._bands(), self._band_images()
        lanes = max(lane for _i, lane in labelled_rows(bands["probs"].height() / len(CLASS_NAMES))) + 1
        for b in BANDS:
            r = bands[b.key]
            x = r.left() - (6 + 30 * lanes if b.key == "probs" else 22)  # clear of the row labels
            x = max(x, text_pixmap(b.label).width() + 2.0)  # and inside the view
            draw_text(p, b.label, x, r.center().y() - 6, "right", "#aaaaaa")
            p.drawImage(r, images[b.key])
        self._label_classes(p, bands["probs"])
        self._brackets(p, bands["line"])
        self._legends(p)
        if self.hover is not None:
            step = bands["probs"].width() / len(self.result.probs)
            x = bands["probs"].left() + self.column * step
            p.setPen(QPen(QColor("#ffffff"), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            top, bottom = bands["line"].top(), bands["probs"].bottom()
            p.drawRect(QRectF(x, top, step, bottom - top))
        p.end()

    def _label_classes(self, p: QPainter, r: QRectF) -> None:
        row = r.height() / len(CLASS_NAMES)
        for i, lane in labelled_rows(row):
            x = r.left() - 4 - 30 * lane
            draw_text(p, ROW_LABELS[i], x, r.top() + (i + 0.5) * row - 6, "right", "#aaaaaa")

    def _legends(self, p: QPainter) -> None:
        """What the colours say: each band's scale, and the brackets' two colours."""
        r = self.result
        top_value = float(r.columns.max()) if r.columns.size else 1.0
        y = self.height() - LEGEND_PX + 2
        x = 6.0
        for cmap, levels, caption in (
            ("viridis", (0.0, max(top_value, 1e-6)), "CNN features:"),
            ("CET-D1", (-1.0, 1.0), "GRU state:"),
            ("inferno", (0.0, 1.0), "guess (probability):"),
        ):
            pm = levels_pixmap(cmap, levels, caption)
            if x + pm.width() > self.width():
                break
            p.drawPixmap(QPointF(x, y), pm)
            x += pm.width() + 16
        note = "brackets: yellow and blue take turns, so the columns of neighbouring digits stand apart; grey × ink that is no digit"
        draw_text(p, note, 6, y + 14, "left", "#aaaaaa")

    def _brackets(self, p: QPainter, r: QRectF) -> None:
        """Under the line: a bracket over the columns that read each digit, the digit beneath."""
        step = r.width() / len(self.result.probs)
        for i, d in enumerate(self.result.digits):
            colour = QColor(SPAN_COLOURS[i % 2])
            x0, x1 = r.left() + d.first * step, r.left() + (d.last + 1) * step
            y = r.bottom() + 2
            p.fillRect(QRectF(x0, y, max(2.0, x1 - x0), 3), colour)
            draw_text(p, str(d.digit), (x0 + x1) / 2, y + 3, "center", colour.name())

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            y = QPointF(e.pos()).y()
            bands = self._bands() if self.result is not None else {}
            tip = next(
                (
                    b.tip
                    for b in BANDS
                    if b.key in bands and bands[b.key].top() - 3 <= y < bands[b.key].bottom() + 3
                ),
                None,
            )
            QToolTip.showText(e.globalPos(), tip or self.toolTip(), self)
            return True
        return super().event(e)
