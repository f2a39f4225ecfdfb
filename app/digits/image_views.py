"""The Digits page's image visuals, painted with QPainter (see app/painting.py for why).

Measured offscreen here: the feature-map atlas as a pyqtgraph scene (ten ImageItems and eleven
TextItems in a ViewBox) cost 3.7 ms a repaint on the GUI thread, plus 0.5 ms for each of the
three detail panels; as plain widgets they cost a fraction of that.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.legend import draw_legend, fitted_legend, levels_pixmap
from app.painting import (
    BACKGROUND,
    colour_image,
    draw_focus_frame,
    draw_text,
    draw_title,
    fit_rect,
    small_font,
    text_pixmap,
)
from app.plots import Atlas, grid_shape

LABEL_PX = 16  # widget pixels above each mosaic of the atlas for its label


class ImageView(QWidget):
    """One image (or mosaic), aspect kept, nearest neighbour, with an optional title, and under it a
    colour legend of the values it shows (`set_image(..., values=(lo, hi))`). A click on the image
    says which pixel (pixelClicked(row, column))."""

    pixelClicked = Signal(int, int)

    def __init__(
        self, tooltip: str, cmap: str = "gray", levels: tuple[float, float] = (0.0, 1.0), title: str = ""
    ) -> None:
        super().__init__()
        self.title = title
        self.setAccessibleName(title)  # what a screen reader calls it; the tooltip describes it
        self.levels = levels
        self.cmap = cmap
        self.image: np.ndarray | None = None  # the last image set (float), None before any
        self.values: tuple[float, float] | None = None  # what the colour map's ends stand for
        self._qimage: QImage | None = None
        self.setToolTip(tooltip)
        self.setMinimumSize(80, 80)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_image(
        self,
        img: np.ndarray,
        levels: tuple[float, float] | None = None,
        values: tuple[float, float] | None = None,
    ) -> None:
        """Show `img` coloured over `levels`; `values`: the real values the map's ends stand for
        (the image may be scaled), for the legend (default: the levels themselves)."""
        self.image = np.asarray(img, np.float32)
        self._qimage = colour_image(self.image, self.cmap, levels or self.levels)
        self.values = values or levels or self.levels
        self.update()

    def clear(self) -> None:
        """Show no image (the background, and the title)."""
        self.image = None
        self._qimage = None
        self.update()

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        if self.title:
            self._draw_title(p)
        if self._qimage is not None and self.values is not None and self.height() > 60:
            pm = levels_pixmap(self.cmap, self.values, room=self.width() - 4)
            p.drawPixmap(QPointF(max(0.0, (self.width() - pm.width()) / 2), self.height() - 14.0), pm)
        if self._qimage is not None:
            p.drawImage(self._image_rect(), self._qimage)
        p.end()

    def _draw_title(self, p: QPainter) -> None:
        """The title, whole where it fits, else cut with "…" (a narrow window cut it mid-word)."""
        if text_pixmap(self.title).width() <= self.width() - 4:
            draw_text(p, self.title, self.width() / 2, 0, "center")
            return
        p.setFont(small_font())
        p.setPen(QColor("#dddddd"))
        shown = p.fontMetrics().elidedText(self.title, Qt.TextElideMode.ElideRight, self.width() - 4)
        p.drawText(QRectF(2, 0, self.width() - 4, 14), Qt.AlignmentFlag.AlignCenter, shown)

    def _image_rect(self) -> QRectF:
        q = self._qimage
        top = 14.0 if self.title else 0.0
        bottom = 14.0 if self.values is not None and self.height() > 60 else 0.0
        box = QRectF(4, top + 2, self.width() - 8, self.height() - top - bottom - 6)
        return fit_rect(q.width(), q.height(), box)

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if self._qimage is not None and e.button() == Qt.MouseButton.LeftButton:
            r = self._image_rect()
            x, y = e.position().x(), e.position().y()
            if r.contains(QPointF(x, y)):
                col = int((x - r.left()) * self._qimage.width() / r.width())
                row = int((y - r.top()) * self._qimage.height() / r.height())
                self.pixelClicked.emit(
                    min(row, self._qimage.height() - 1), min(col, self._qimage.width() - 1)
                )
        super().mousePressEvent(e)


class HistoryStrip(QWidget):
    """The ten class probabilities over the last updates: one row per digit (0 at the top),
    newest on the right, stretched to fill the widget; NaN (before the first update) shows the
    background. One drawImage a refresh: as a pyqtgraph PlotWidget it cost 2.5-5 ms of the GUI
    thread per refresh, through the scene's queued update and a nested repaint of the window.
    """

    LABELS = 14  # pixels of the left margin that hold the digit labels

    def __init__(self, tooltip: str, cmap: str = "inferno") -> None:
        super().__init__()
        self.cmap = cmap
        self.history: np.ndarray | None = None  # (10, updates), the last set
        self._qimage: QImage | None = None
        self.setToolTip(tooltip)
        self.setMinimumSize(120, 60)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_history(self, history: np.ndarray) -> None:
        """(classes, updates) probabilities in [0, 1]; NaN where there was no update yet."""
        self.history = np.asarray(history, np.float32)
        self._qimage = colour_image(self.history, self.cmap)
        self.update()

    TOP = 14  # the title and the legend

    def _image_rect(self) -> QRectF:
        return QRectF(
            self.LABELS,
            self.TOP,
            max(self.width() - self.LABELS - 2, 1),
            max(self.height() - self.TOP - 2, 1),
        )

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        right = draw_legend(p, self.width() - 2, 0, self.cmap, (0.0, 1.0), room=self.width() / 2)
        draw_title(p, "digit × update, newest right", 2, right - 4)
        box = self._image_rect()
        rows = 10 if self.history is None else max(self.history.shape[0], 1)
        row_h = box.height() / rows
        # Label every row when they fit, else every other one.
        every = 1 if row_h >= 9 else 2
        for i in range(0, rows, every):
            half = text_pixmap(str(i)).height() / 2  # centred on its row
            draw_text(p, str(i), self.LABELS - 3, box.top() + (i + 0.5) * row_h - half, "right")
        if self._qimage is not None:
            p.drawImage(box, self._qimage)  # nearest neighbour: one column per update
        p.end()


LEGEND_PX = 16  # the band under the atlas that says what its colours mean


class AtlasView(QWidget):
    """Every layer's mosaic in one widget, laid out by an Atlas and scaled to fit.

    Emits mapClicked(layer, index) when a feature map is clicked, or picked with the keys: the
    arrows move over a layer's maps, Page Up / Page Down to the layer before / after, Home / End
    to its first / last map. The selected map (set_selected) is framed. The tooltip over a layer
    says what that kind of layer is (via `describe`, a function of the layer name).
    """

    mapClicked = Signal(str, int)

    def __init__(self, tooltip: str, describe=None) -> None:
        super().__init__()
        self.atlas: Atlas | None = None
        self.images: dict[str, QImage] = {}  # layer name -> its mosaic, coloured
        self.labels: dict[str, str] = {}
        self._describe = describe
        self.pickable: list[str] = []  # the layers whose maps can be picked, in order
        self.selected: tuple[str, int] | None = None
        self.kernel_levels: tuple[float, float] | None = None  # the kernels' scale, for the legend
        self.setToolTip(tooltip)
        self.setAccessibleName("Feature maps")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it: the keys pick maps
        self.setMinimumSize(240, 160)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_layers(
        self,
        shapes: dict[str, tuple[int, ...]],
        labels: dict[str, str] | None = None,
        pickable: list[str] | None = None,
    ) -> None:
        """Lay out mosaics of these shapes (name -> (n, h, w) or (n,)), in order; the maps of
        `pickable` (by default every (n, h, w) layer) are picked by click and keys."""
        self._shapes = shapes
        self.images = {}
        self.labels = labels or {}
        self.pickable = [n for n in (pickable or shapes) if len(shapes.get(n, ())) == 3]
        if self.selected and self.selected[0] not in self.pickable:
            self.selected = None
        self._relayout()

    def set_selected(self, layer: str, index: int) -> None:
        """Frame this map (the one shown large)."""
        if (layer, index) != self.selected:
            self.selected = (layer, index)
            self.setAccessibleDescription(f"{layer}, map {index} selected")
            self.update()

    def _selected_rect(self) -> QRectF | None:
        if self.atlas is None or self.selected is None or self.selected[0] not in self.atlas.places:
            return None
        if len(self.atlas.shapes[self.selected[0]]) != 3:  # a layer of units, not of maps
            return None
        s, ox, oy = self._frame()
        x, y, w, h = self.atlas.map_rect(*self.selected)
        return QRectF(ox + x * s, oy + y * s, w * s, h * s).adjusted(-1.5, -1.5, 1.5, 1.5)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        picked = self._step(e.key())
        if picked is None:
            super().keyPressEvent(e)
            return
        self.mapClicked.emit(*picked)

    def _step(self, key: int) -> tuple[str, int] | None:
        """The map a key moves the selection to (None: not a key of ours, or no maps)."""
        K = Qt.Key
        moves = (
            K.Key_Left,
            K.Key_Right,
            K.Key_Up,
            K.Key_Down,
            K.Key_PageUp,
            K.Key_PageDown,
            K.Key_Home,
            K.Key_End,
        )
        if key not in moves or not self.pickable:
            return None
        if self.selected is None or self.selected[0] not in self.pickable:
            return self.pickable[0], 0
        layer, i = self.selected
        n = self._shapes[layer][0]
        cols = grid_shape(n)[1]
        if key in (K.Key_PageUp, K.Key_PageDown):
            k = self.pickable.index(layer) + (1 if key == K.Key_PageDown else -1)
            layer = self.pickable[min(max(k, 0), len(self.pickable) - 1)]
            return layer, min(i, self._shapes[layer][0] - 1)
        i = {
            K.Key_Left: i - 1,
            K.Key_Right: i + 1,
            K.Key_Up: i - cols if i >= cols else i,
            K.Key_Down: i + cols if i + cols < n else i,
            K.Key_Home: 0,
            K.Key_End: n - 1,
        }[key]
        return layer, min(max(i, 0), n - 1)

    def _relayout(self) -> None:
        """Pick the number of columns that shows the mosaics largest in the widget's shape."""
        if not getattr(self, "_shapes", None):
            return
        box_w, box_h = max(self.width() - 8, 1), max(self.height() - 8 - LEGEND_PX, 1)

        def fitted(cols: int) -> tuple[float, Atlas]:
            # The labels are drawn LABEL_PX high whatever the scale: shrunk with the mosaics, their
            # band left them over the row above in a small window. Widen it until it holds them.
            label = Atlas.LABEL
            for _ in range(4):
                atlas = Atlas(self._shapes, cols, label)
                scale = min(box_w / atlas.width, box_h / atlas.height)
                need = math.ceil(LABEL_PX / scale)
                if need <= label:
                    break
                label = need
            return scale, atlas

        self.atlas = max((fitted(cols) for cols in range(2, 7)), key=lambda sa: sa[0])[1]
        self.update()

    def resizeEvent(self, e) -> None:
        self._relayout()
        super().resizeEvent(e)

    def set_layer(self, name: str, image: QImage) -> None:
        self.images[name] = image
        if self.atlas is not None and name in self.atlas.places:
            self.update(self._widget_rect(name, image).toAlignedRect().adjusted(-1, -1, 1, 1))

    def _widget_rect(self, name: str, image: QImage) -> QRectF:
        s, ox, oy = self._frame()
        x, y, w, h = self.atlas.rect(name, (image.height(), image.width()))
        return QRectF(ox + x * s, oy + y * s, w * s, h * s)

    def _frame(self) -> tuple[float, float, float]:
        """(scale, x offset, y offset) from atlas coordinates to widget pixels."""
        a = self.atlas
        r = fit_rect(a.width, a.height, QRectF(4, 4, self.width() - 8, self.height() - 8 - LEGEND_PX))
        return r.width() / a.width, r.left(), r.top()

    def to_atlas(self, pos: QPointF) -> tuple[float, float]:
        s, ox, oy = self._frame()
        return (pos.x() - ox) / s, (pos.y() - oy) / s

    def paintEvent(self, e: QPaintEvent) -> None:
        # Only what was exposed: a refresh updates one layer's rectangle at a time.
        p = QPainter(self)
        exposed = QRectF(e.rect())
        p.fillRect(exposed, BACKGROUND)
        if self.atlas is None:
            p.end()
            return
        s, ox, oy = self._frame()
        for name, (x0, y0, f) in self.atlas.places.items():
            mh, mw = self.atlas.mosaic_size(self.atlas.shapes[name])
            cell = QRectF(ox + x0 * s, oy + y0 * s - LABEL_PX, mw * f * s, mh * f * s + LABEL_PX)
            if not cell.intersects(exposed):
                continue
            draw_text(
                p,
                self.labels.get(name, name),
                ox + (x0 + mw * f / 2) * s,
                oy + y0 * s - LABEL_PX + 2,
                "center",
            )
            image = self.images.get(name)
            if image is not None:
                p.drawImage(self._widget_rect(name, image), image)
        if exposed.bottom() >= self.height() - LEGEND_PX:
            self._paint_legend(p)
        frame = self._selected_rect()
        if frame is not None:
            p.setPen(QPen(QColor("#ffffff"), 1.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(frame)
        draw_focus_frame(p, self)
        p.end()

    def set_kernel_levels(self, levels: tuple[float, float]) -> None:
        if levels != self.kernel_levels:
            self.kernel_levels = levels
            self.update(0, self.height() - LEGEND_PX, self.width(), LEGEND_PX)

    def _paint_legend(self, p: QPainter) -> None:
        """Under the mosaics: what their colours mean. Each layer is coloured from its own lowest
        value to its highest (its maps compare with each other, not with another layer's); the
        kernels on a signed scale, zero white."""
        top = self.height() - LEGEND_PX + 1
        right = float(self.width() - 6)
        if self.kernel_levels is not None:
            right = (
                draw_legend(p, right, top, "CET-D1", self.kernel_levels, "kernel weights:", right / 2) - 12
            )
        pm = fitted_legend("viridis", "low", "high", None, "maps, each layer its own range:", right - 6)
        if pm.width() <= right - 6:
            p.drawPixmap(QPointF(6, top), pm)

    def focusInEvent(self, e) -> None:
        self.update()
        super().focusInEvent(e)

    def focusOutEvent(self, e) -> None:
        self.update()
        super().focusOutEvent(e)

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if self.atlas is not None:
            hit = self.atlas.locate(*self.to_atlas(e.position()))
            if hit is not None:
                self.mapClicked.emit(*hit)
        super().mousePressEvent(e)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and self.atlas is not None and self._describe:
            name = self.atlas.cell_at(*self.to_atlas(QPointF(e.pos())))
            if name is not None:
                QToolTip.showText(e.globalPos(), self._describe(name), self)
                return True
        return super().event(e)
