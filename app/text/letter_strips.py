"""The Text page's letter strips: the newest letters of the text, each on a cell coloured by a value.

- UnitTrace follows one unit of the RNN along the sentence. A heatmap of 192 units reads as a
  texture; one unit followed along the text shows what it responds to (LSTMVis's idea). The
  letters sit on the unit's hidden value, its gates run beneath, one thin row each.
- InfluenceStrip shows how far back the network's guess for the next character looks: each
  letter on its pull on that guess (engine/text/influence.py), on a log scale.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy

from app.legend import legend_pixmap, levels_pixmap
from app.painting import BACKGROUND, INK, PointerReadout, colour_image, draw_text, shown_char, small_font
from app.plots import lut, lut_index
from app.text.views import MARK, value_text

# (row name, a value per letter (T,), colour map, levels)
Row = tuple[str, np.ndarray, str, tuple[float, float]]

HINT = "click a row of a heatmap to follow that unit here (Alt+Up/Down step)"
PULL_FLOOR = 1e-4  # the influence strip's darkest: a pull of this or less (log scale)


def ink_for(values: np.ndarray, cmap: str, levels: tuple[float, float]) -> list[str]:
    """Black or white, whichever reads better on each value's colour."""
    idx, _ = lut_index(np.asarray(values, np.float32), levels)
    rgb = lut(cmap)[idx, :3].astype(np.float32)
    luma = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    return ["#000000" if v > 140 else "#ffffff" for v in luma.tolist()]


class LetterStrip(PointerReadout):
    """Rows of cells over the same letters, the newest that fit; rows[0] carries the letters.
    Subclasses say what the title and the pointer's readout are."""

    CELL = 14  # pixels per letter: the letters stay readable; the newest letters are shown
    MIN_CELL = 14.0  # a strip that narrows its letters to show more of them sets this lower
    LETTER_MIN = 9.0  # narrower than this, the letters are not written (the readout names them)
    LABEL = 64  # pixels for the row names
    TOP, LETTERS, ROW, GAP = 16, 18, 12, 2

    def __init__(self, name: str, tooltip: str, extra_rows: int) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.rows: list[Row] = []
        self.chars = ""
        self.hover: int | None = None  # index into chars of the column under the pointer (PointerReadout)
        self.setToolTip(tooltip)
        # A fixed height, whichever rows are shown: the page's layout does not move as one types.
        self.full_height = self.TOP + self.LETTERS + extra_rows * (self.ROW + self.GAP) + 4
        self.setFixedHeight(self.full_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(160)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paints every pixel

    def set_rows(self, rows: list[Row], chars: str) -> None:
        self.rows, self.chars = rows, chars
        if self.hover is not None and self.hover >= len(chars):
            self.hover = None
        self.update()

    def cell_px(self) -> float:
        """Pixels per letter: CELL, narrowed down to MIN_CELL where that shows every letter."""
        room = max(1.0, self.width() - self.LABEL - 4.0)
        return max(self.MIN_CELL, min(float(self.CELL), room / max(1, len(self.chars))))

    def first_shown(self) -> int:
        """Index of the first letter that fits (the newest are shown)."""
        fit = max(1, int((self.width() - self.LABEL - 4) // self.cell_px()))
        return max(0, len(self.chars) - fit)

    def readout(self) -> str:
        raise NotImplementedError

    def placeholder(self) -> str:
        """What the strip says in place of rows ("" for nothing)."""
        return ""

    def hover_at(self, x: float, y: float) -> int | None:
        """Index into chars of the letter column under the pointer."""
        col = int((x - self.LABEL) // self.cell_px())
        k = self.first_shown() + col
        return k if col >= 0 and k < len(self.chars) and self.rows else None

    def legends(self) -> list[QPixmap]:
        """The colour legends of the rows shown, one per colour scale, for the title row."""
        seen: dict[tuple, QPixmap] = {}
        for name, _values, cmap, levels in self.rows:
            key = (cmap, tuple(levels))
            if key not in seen:
                seen[key] = levels_pixmap(cmap, levels, f"{name}:" if not seen else "gates:")
        return list(seen.values())

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        right = self.width() - 4.0
        if self.rows and self.chars:
            for pm in reversed(self.legends()):
                if right - pm.width() < self.width() / 2:  # the title keeps at least half the row
                    break
                right -= pm.width()
                p.drawPixmap(QPointF(right, 2), pm)
                right -= 8
        p.setFont(small_font())
        p.setPen(INK)
        # Drawn afresh, not through text_pixmap's cache, which would keep every value read out.
        title = p.fontMetrics().elidedText(self.readout(), Qt.TextElideMode.ElideRight, int(right - 8))
        p.drawText(QRectF(4, 1, right - 4, self.TOP), Qt.AlignmentFlag.AlignLeft, title)
        if not self.rows or not self.chars:
            if self.placeholder():
                y = self.TOP + (self.height() - self.TOP) / 2 - 7
                draw_text(p, self.placeholder(), self.width() / 2, y, "center", "#888888")
            p.end()
            return
        first = self.first_shown()
        n = len(self.chars) - first
        cell = self.cell_px()
        y = float(self.TOP + 2)
        for i, (name, values, cmap, levels) in enumerate(self.rows):
            h = self.LETTERS if i == 0 else self.ROW
            draw_text(p, name, self.LABEL - 4, y + (h - 13) / 2, "right", "#aaaaaa")
            shown = np.asarray(values, np.float32)[first:]
            p.drawImage(QRectF(self.LABEL, y, n * cell, h), colour_image(shown[None, :], cmap, levels))
            if i == 0 and cell >= self.LETTER_MIN:
                inks = ink_for(shown, cmap, levels)
                for k, (c, ink) in enumerate(zip(self.chars[first:], inks, strict=False)):
                    draw_text(p, shown_char(c), self.LABEL + (k + 0.5) * cell, y + 2, "center", ink)
            y += h + self.GAP
        self.paint_over(p, first, cell, y)
        if self.hover is not None and self.hover >= first:
            x = self.LABEL + (self.hover - first) * cell
            p.setPen(INK)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(x, self.TOP + 1, max(1.0, cell - 1), y - self.TOP - self.GAP))
        p.end()

    def paint_over(self, p: QPainter, first: int, cell: float, bottom: float) -> None:
        """Marks over the rows (a subclass's), the letters from `first` on `cell` pixels each."""


class UnitTrace(LetterStrip):
    MOST_GATES = 4  # an LSTM's; the strip keeps this height whichever cell reads

    def __init__(self) -> None:
        super().__init__(
            "followed unit",
            "One unit of the network followed along the sentence: each letter on the colour of the "
            "unit's hidden value after reading it (blue below zero, red above), and the unit's gates "
            "beneath (dark shut, yellow open). Some units switch at spaces, others inside words.",
            self.MOST_GATES,
        )
        self.unit: int | None = None
        self.about = ""
        self.setFixedHeight(self.TOP + 4)  # only the hint until a unit is followed: room for the rest

    def set_unit(self, unit: int | None, rows: list[Row], chars: str, about: str = "") -> None:
        """Follow `unit`: rows[0] is its hidden state (drawn with the letters), the rest its gates;
        `about` says what it is known to track."""
        if (unit is None) != (self.unit is None):
            self.setFixedHeight(self.TOP + 4 if unit is None else self.full_height)
        self.unit, self.about = unit, about
        self.setAccessibleName(self.title())  # painted: a screen reader reads this instead
        self.set_rows(rows, chars)

    def title(self) -> str:
        """The strip's title with no pointer over it: which unit, and what it is known to track."""
        if self.unit is None:
            return HINT
        about = f" ({self.about})" if self.about else ""
        return f"unit {self.unit}{about}, letter by letter"

    def placeholder(self) -> str:
        return "" if self.unit is None else "type some text"  # no unit: only the hint's row

    def readout(self) -> str:
        if self.unit is None or self.hover is None or not self.rows:
            return self.title()
        k = self.hover
        values = " · ".join(f"{n} {value_text(float(v[k]), lv)}" for n, v, _c, lv in self.rows if k < len(v))
        return f"unit {self.unit} at “{shown_char(self.chars[k])}”: {values}"


class InfluenceStrip(LetterStrip):
    def __init__(self) -> None:
        super().__init__(
            "what the guess depends on",
            "How much each letter before the caret pulls on the network's guess for the next "
            "character: the size of the guess's gradient with respect to that letter, on a log scale "
            "(bright: the strongest; dark: a ten-thousandth of it or less). Through a plain RNN the "
            "pull fades within about 15 letters (the vanishing gradient); an LSTM's or GRU's gates "
            "carry it further. The temporal CNN's stops dead at the edge of its window (the yellow "
            "line): it cannot see further back. The Transformer's reaches across its whole context. "
            "(For those two it is measured when you pause typing: it takes a pass back through 160 letters.)",
            0,
        )
        self.pull = np.zeros(0, np.float32)
        self.guess = ""
        self.reach: int | None = None  # the letters a window cell can see, marked on the strip

    def set_influence(
        self, chars: str, pull: np.ndarray, guess: str, reach: int | None = None, wide: bool = False
    ) -> None:
        """`reach`: mark where the network's window ends; `wide`: narrow the letters to show them all
        (the window cells' pull is measured further back than fits at full width)."""
        self.pull, self.guess, self.reach = np.asarray(pull, np.float32), guess, reach
        self.MIN_CELL = 2.5 if wide else float(self.CELL)
        self.setAccessibleName(self.summary(chars))  # painted: a screen reader reads this instead
        logs = np.log10(np.maximum(self.pull, PULL_FLOOR)) if len(self.pull) else self.pull
        rows: list[Row] = (
            [("pull", logs, "inferno", (float(np.log10(PULL_FLOOR)), 0.0))] if len(chars) else []
        )
        self.set_rows(rows, chars)

    def placeholder(self) -> str:
        return "type some text"

    def paint_over(self, p: QPainter, first: int, cell: float, bottom: float) -> None:
        """The window's edge: letters left of the line are outside what the network can see."""
        if not self.reach or len(self.chars) <= self.reach:
            return
        edge = len(self.chars) - self.reach
        if edge < first:
            return
        x = self.LABEL + (edge - first) * cell
        p.fillRect(QRectF(x - 1, self.TOP, 2, bottom - self.TOP), MARK)
        p.setFont(small_font())
        for label in (f"outside its {self.reach}-letter window", f"{self.reach}◂", ""):
            if (
                p.fontMetrics().horizontalAdvance(label) <= x - self.LABEL - 6
            ):  # left of the line, in the strip
                break
        if label:
            draw_text(p, label, x - 4, self.TOP + 3, "right", MARK.name())

    def legends(self) -> list[QPixmap]:
        return [legend_pixmap("inferno", "10⁻⁴", "1", None, "pull, of the strongest:")]

    def summary(self, chars: str) -> str:
        """The strip in words: the guess and the three letters that pull on it most."""
        if not chars or not len(self.pull):
            return "what the guess depends on"
        top = np.argsort(-self.pull)[:3]
        named = ", ".join(f"“{shown_char(chars[k])}” {_back(len(chars) - 1 - int(k))}" for k in top)
        return f"what the guess “{shown_char(self.guess)}” depends on: most {named}"

    def readout(self) -> str:
        if not self.chars:
            return "what the next guess depends on"
        if self.hover is None:
            return f"what the guess “{shown_char(self.guess)}” depends on: each letter's pull, log scale"
        k = self.hover
        where = _back(len(self.chars) - 1 - k)
        return f"“{shown_char(self.chars[k])}”, {where}: pull {self.pull[k]:.2%} of the strongest"


def _back(n: int) -> str:
    """Where a letter is, counted back from the last one read (as engine/text/influence.py counts)."""
    return "the last letter" if n == 0 else f"{n} letter{'s' if n > 1 else ''} back"
