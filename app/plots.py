"""Plot helpers: mosaics of feature maps, colour maps, PNG export."""

from __future__ import annotations

import functools
import math

import numpy as np
import pyqtgraph as pg

pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)

GAP = 1  # pixels between maps in a mosaic


def grid_shape(n: int) -> tuple[int, int]:
    """(rows, cols) of a near-square grid for n maps."""
    cols = max(1, math.ceil(math.sqrt(n)))
    return math.ceil(n / cols), cols


def mosaic(maps: np.ndarray, normalise: str = "layer") -> np.ndarray:
    """(N, H, W) maps -> one (rows*(H+1)-1, cols*(W+1)-1) float32 image in [0, 1], NaN in the gaps.

    normalise: "layer" scales all maps by the layer's range (maps comparable), "map" each on its own,
    "signed" maps 0 to 0.5 so that negative weights show below the middle of a diverging colour map.
    """
    maps = np.asarray(maps, np.float32)
    if maps.ndim == 2:
        maps = maps[None]
    n, h, w = maps.shape
    if normalise == "map":
        lo = maps.reshape(n, -1).min(1)[:, None, None]
        hi = maps.reshape(n, -1).max(1)[:, None, None]
        maps = (maps - lo) / np.maximum(hi - lo, 1e-8)
    elif normalise == "signed":
        m = float(np.abs(maps).max()) or 1.0
        maps = 0.5 + 0.5 * maps / m
    else:
        lo, hi = float(maps.min()), float(maps.max())
        maps = (maps - lo) / max(hi - lo, 1e-8)
    rows, cols = grid_shape(n)
    padded = np.full((rows * cols, h + GAP, w + GAP), np.nan, np.float32)
    padded[:n, :h, :w] = maps
    img = (
        padded.reshape(rows, cols, h + GAP, w + GAP)
        .transpose(0, 2, 1, 3)
        .reshape(rows * (h + GAP), cols * (w + GAP))
    )
    return img[:-GAP, :-GAP]


def mosaic_index(x: float, y: float, n: int, h: int, w: int) -> int | None:
    """Which map of an n-map mosaic holds image point (x, y); None in a gap or outside."""
    rows, cols = grid_shape(n)
    if x < 0 or y < 0:
        return None
    c, r = int(x) // (w + GAP), int(y) // (h + GAP)
    if int(x) % (w + GAP) >= w or int(y) % (h + GAP) >= h or c >= cols or r >= rows:
        return None
    i = r * cols + c
    return i if i < n else None


@functools.cache
def lut(name: str) -> np.ndarray:
    """A 256-entry RGBA lookup table from one of pyqtgraph's colour maps ("gray" is CET-L1)."""
    cmap = pg.colormap.get({"gray": "CET-L1"}.get(name, name))
    if cmap is None:
        raise ValueError(f"unknown colour map {name!r}")
    return cmap.getLookupTable(0.0, 1.0, 256, alpha=True)


def lut_index(img: np.ndarray, levels: tuple[float, float] = (0.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """(uint8 index into a 256-entry table, NaN mask) for a float image; `levels` map to the
    table's ends."""
    img = np.asarray(img, np.float32)
    lo, hi = levels
    nan = np.isnan(img)
    idx = ((np.where(nan, lo, img) - lo) * (255.0 / (hi - lo))).clip(0.0, 255.0).astype(np.uint8)
    return idx, nan


def columns(parent, parts: list[tuple[object, int]]):
    """Lay out (QLayout, stretch) pairs side by side in a splitter that fills `parent`; returns the
    QSplitter (the window keeps where the user dragged its handles)."""
    from PySide6.QtWidgets import QHBoxLayout, QSplitter, QWidget

    split = QSplitter()
    for lay, stretch in parts:
        w = QWidget()
        w.setLayout(lay)
        split.addWidget(w)
        split.setStretchFactor(split.count() - 1, stretch)
    # Start in proportion to the stretch factors (QSplitter would start from size hints).
    split.setSizes([1000 * stretch for _lay, stretch in parts])
    outer = QHBoxLayout(parent)
    outer.setContentsMargins(4, 4, 4, 4)
    outer.addWidget(split)
    return split


class Atlas:
    """The layout of many mosaics in one view (one ViewBox, one ImageItem per layer).

    Cells sit in a grid, in order; each mosaic is enlarged by a whole factor to roughly fill its
    cell, with a band above it for the layer's label.
    """

    CELL = 180  # atlas units per cell side
    LABEL = 16  # atlas units above each mosaic for its label, at least (see AtlasView._relayout)

    def __init__(self, shapes: dict[str, tuple[int, ...]], cols: int = 4, label: int = LABEL) -> None:
        self.shapes = shapes
        self.label = label
        self.places: dict[str, tuple[int, int, int]] = {}  # name -> (x0, y0, factor)
        for k, (name, shape) in enumerate(shapes.items()):
            mh, mw = self.mosaic_size(shape)
            f = max(1, self.CELL // max(mh, mw))
            r, c = divmod(k, cols)
            x0 = c * (self.CELL + 8) + (self.CELL - mw * f) // 2
            y0 = r * (self.CELL + label + 8) + label
            self.places[name] = (x0, y0, f)
        rows = (len(shapes) + cols - 1) // cols
        self.height = rows * (self.CELL + label + 8)
        self.width = cols * (self.CELL + 8)

    @staticmethod
    def mosaic_size(shape: tuple[int, ...]) -> tuple[int, int]:
        if len(shape) == 3:
            n, h, w = shape
            rows, cols = grid_shape(n)
            return rows * (h + GAP) - GAP, cols * (w + GAP) - GAP
        n = int(np.prod(shape))
        cols = max(1, math.ceil(math.sqrt(n)))
        return math.ceil(n / cols), cols

    def rect(self, name: str, shape: tuple[int, int]) -> tuple[int, int, int, int]:
        """(x, y, width, height) in atlas coordinates of layer `name`'s mosaic image of `shape`.

        Each mosaic stays at its own resolution in its own ImageItem and is scaled by the view:
        colouring the enlarged atlas pixel by pixel cost 16 ms a refresh, the mosaics 1 ms.
        """
        x0, y0, f = self.places[name]
        return x0, y0, shape[1] * f, shape[0] * f

    def cell_at(self, x: float, y: float) -> str | None:
        """The layer whose mosaic (or its label) is at atlas point (x, y), or None."""
        for name, (x0, y0, f) in self.places.items():
            mh, mw = self.mosaic_size(self.shapes[name])
            if x0 <= x < x0 + mw * f and y0 - self.label <= y < y0 + mh * f:
                return name
        return None

    def map_rect(self, name: str, index: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) in atlas coordinates of map `index` of layer `name` (3-D)."""
        x0, y0, f = self.places[name]
        n, h, w = self.shapes[name]
        r, c = divmod(index, grid_shape(n)[1])
        return x0 + c * (w + GAP) * f, y0 + r * (h + GAP) * f, w * f, h * f

    def locate(self, x: float, y: float) -> tuple[str, int] | None:
        """(layer name, map index) at atlas point (x, y), or None."""
        for name, (x0, y0, f) in self.places.items():
            shape = self.shapes[name]
            if len(shape) != 3:
                continue
            mh, mw = self.mosaic_size(shape)
            if x0 <= x < x0 + mw * f and y0 <= y < y0 + mh * f:
                idx = mosaic_index((x - x0) / f, (y - y0) / f, *shape)
                return (name, idx) if idx is not None else None
        return None


def scrolling(layout):
    """A column of controls (a QLayout) in a QScrollArea: it scrolls when the window is short, rather
    than making the window's least height that of all the controls."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

    inner = QWidget()
    inner.setLayout(layout)
    area = QScrollArea()
    area.setWidget(inner)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumWidth(inner.minimumSizeHint().width() + 16)
    return area
