"""The feature-map detail on the Digits page: the map picked in the atlas shown large, beside its
kernel and the patch of input its strongest unit sees; a pooled map beside the map it pooled and
that map pooled the other ways."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QHBoxLayout

from app.digits.arithmetic_view import ArithmeticView
from app.digits.image_views import ImageView
from app.painting import LiveText
from engine.digits import pooling
from engine.digits.arithmetic import unit_arithmetic
from engine.digits.receptive import receptive_fields

DETAIL_TIPS = {
    "map": "The selected feature map, large.",
    "kernel": "The 3x3 kernel behind the selected map (averaged over its input channels beyond the "
    "first layer). Blue is negative, red positive.",
    "window": "The patch of the 28x28 input that the selected unit (its strongest point) can see.",
    "pooled": "The selected pooled map, large: half the size of the map it pools, each pixel one 2x2 "
    "block of it.",
    "before": "The map this pooling shrinks, on the same colour scale: compare its strokes with the "
    "pooled map's.",
    "others": "The same map pooled the other two ways, for comparison. Average pooling keeps weak "
    "strokes and blurs them; min pooling keeps a block only where all four pixels fired, which after "
    "ReLU is little; max pooling keeps a stroke if any of the four saw it.",
}


class MapDetail:
    """Three image panels and a line of text; `show` a map of a result, or `blank` (nothing drawn)."""

    def __init__(self) -> None:
        self._roles: tuple = ()  # the panels' (title, colour map, tooltip) as set
        self.map = ImageView(DETAIL_TIPS["map"], cmap="viridis", title="map")
        self.kernel = ImageView(DETAIL_TIPS["kernel"], cmap="CET-D1", title="its kernel")
        self.window = ImageView(DETAIL_TIPS["window"], title="what it sees")
        self.label = LiveText(
            "Click a feature map (or Tab to the maps and use the arrow keys)", lines=2, name="Selected map"
        )
        self.arithmetic = ArithmeticView()
        self.map.pixelClicked.connect(self._pick_unit)
        self._shown: tuple | None = None  # (result, layer, index) shown large
        self._unit: tuple[str, int, int, int] | None = None  # (layer, index, y, x) picked by a click

    def row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for w in (self.map, self.kernel, self.window):
            row.addWidget(w)
        return row

    def blank(self, layer: str, index: int) -> None:
        """Nothing drawn (or all ink): no images; the map picked stays, shown once there is ink."""
        self.roles()
        self.arithmetic.show_arithmetic(None)
        for w in (self.map, self.kernel, self.window):
            w.clear()
        self.label.setText(f"{layer}, map {index}: draw a digit to see it")

    def roles(self, pool: str | None = None, before: str = "") -> None:
        """What the three detail panels show: for a conv or activation map, the map, its kernel and
        the input patch its strongest unit sees; for a pooled map (its kind in `pool`), the map,
        the map it pooled (`before`) and that map pooled the other two ways, for comparison."""
        if pool is None:
            roles = (
                ("map", "viridis", DETAIL_TIPS["map"]),
                ("its kernel", "CET-D1", DETAIL_TIPS["kernel"]),
                ("what it sees", "gray", DETAIL_TIPS["window"]),
            )
        else:
            a, b = (pooling.NAMES[k] for k in pooling.KINDS if k != pool)
            roles = (
                (f"{pooling.NAMES[pool]} pooling (the network's)", "viridis", DETAIL_TIPS["pooled"]),
                (f"before pooling ({before})", "viridis", DETAIL_TIPS["before"]),
                (f"{a} | {b} pooling", "viridis", DETAIL_TIPS["others"]),
            )
        if roles == self._roles:
            return  # as shown: the detail repaints with every refresh while drawing
        self._roles = roles
        for view, (title, cmap, tip) in zip((self.map, self.kernel, self.window), roles, strict=True):
            view.title, view.cmap = title, cmap
            view.setToolTip(tip)
            view.setAccessibleName(title)

    def _show_pool(self, res, layer: str, index: int) -> bool:
        """A pooled map beside the map it pooled and that map pooled the other ways; False when the
        layer before it is not a map this pooling explains (then it is shown as any map)."""
        names = list(res.activations)
        before = names[names.index(layer) - 1] if names.index(layer) > 0 else ""
        src = res.activations.get(before)
        fmap = res.activations[layer][index]
        if src is None or src.ndim != 3 or index >= len(src):
            return False
        kind = pooling.which_pooling(src[index], fmap)
        if kind is None:
            return False
        lo, hi = float(src[index].min()), float(src[index].max())

        def scaled(m: np.ndarray) -> np.ndarray:  # one scale for all: the maps compare
            return (m - lo) / max(hi - lo, 1e-8)

        others = [pooling.pool2x2(src[index], k) for k in pooling.KINDS if k != kind]
        gap = np.full((fmap.shape[0], 1), np.nan, np.float32)
        self.roles(kind, before)
        self.map.set_image(scaled(fmap), values=(lo, hi))
        self.kernel.set_image(scaled(src[index]), values=(lo, hi))
        self.window.set_image(np.hstack([scaled(others[0]), gap, scaled(others[1])]), values=(lo, hi))
        h, w = src[index].shape
        left_out = " and ".join(n for n, size in (("row", h), ("column", w)) if size % 2)
        verbs = "fit no block and are" if " and " in left_out else "fits no block and is"
        odd = f"; its last {left_out} {verbs} dropped" if left_out else ""
        self.label.setText(
            f"{layer}, map {index}: {fmap.shape[1]}x{fmap.shape[0]}, the {pooling.KEEPS[kind]} value of each "
            f"2x2 block of {before}'s map {index} ({w}x{h}{odd}). Right: the blocks pooled the other ways."
        )
        return True

    def _pick_unit(self, y: int, x: int) -> None:
        """A click on the large map: that unit's arithmetic (until another map is shown)."""
        if self._shown is not None:
            _res, layer, index = self._shown
            self._unit = (layer, index, y, x)
            self._show_arithmetic()

    def _show_arithmetic(self) -> None:
        res, layer, index = self._shown
        fmap = res.activations[layer][index]
        if self._unit is not None and self._unit[:2] == (layer, index):
            y, x = self._unit[2:]
        else:
            y, x = np.unravel_index(int(np.argmax(fmap)), fmap.shape)
        try:
            self.arithmetic.show_arithmetic(unit_arithmetic(res, layer, index, int(y), int(x)))
        except ValueError:  # a stage with no unit arithmetic here
            self.arithmetic.show_arithmetic(None)

    def show(self, res, layer: str, index: int) -> None:
        """Map `index` of `layer` of a DigitResult, large, with its kernel and what it sees."""
        if res is None or res.empty or layer not in res.activations:
            return
        self._shown = (res, layer, index)
        if res.activations[layer].ndim == 3:
            self._show_arithmetic()
        if layer.startswith("pool") and self._show_pool(res, layer, index):
            return
        self.roles()
        fmap = res.activations[layer][index]
        lo, hi = float(fmap.min()), float(fmap.max())
        self.map.set_image((fmap - lo) / max(hi - lo, 1e-8), values=(lo, hi))
        conv = "conv" + "".join(ch for ch in layer if ch.isdigit())
        if layer.startswith("pool"):
            # The pool of block b follows the last conv of that block.
            names = list(res.activations)
            conv = next(n for n in reversed(names[: names.index(layer)]) if n.startswith("conv"))
        kern = res.kernels.get(conv)
        if kern is not None:
            k = kern[index].mean(0)
            m = float(np.abs(k).max()) or 1.0
            self.kernel.set_image(0.5 + 0.5 * k / m, values=(-m, m))
        fields = receptive_fields(list(res.activations))
        if layer not in fields:  # a recurrent network's states (units x rows): no window of its own
            self.window.set_image(res.input)
            self.label.setText(
                f"{layer}: its {fmap.shape[0]} units (down) after each of the {fmap.shape[1]} rows read "
                "(across); each column has seen every row above it, through the hidden state."
            )
            return
        rf, jump = fields[layer]
        y, x = np.unravel_index(int(np.argmax(fmap)), fmap.shape)
        cx, cy = x * jump + (jump - 1) / 2, y * jump + (jump - 1) / 2
        x0, y0 = int(round(cx - (rf - 1) / 2)), int(round(cy - (rf - 1) / 2))
        window = np.zeros((rf, rf), np.float32)
        sx0, sy0, sx1, sy1 = max(0, x0), max(0, y0), min(28, x0 + rf), min(28, y0 + rf)
        if sx1 > sx0 and sy1 > sy0:
            window[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0] = res.input[sy0:sy1, sx0:sx1]
        self.window.set_image(window)
        self.label.setText(
            f"{layer}, map {index}: {fmap.shape[1]}x{fmap.shape[0]}, strongest at ({x}, {y}); "
            f"kernel of {conv}; that unit sees a {rf}x{rf} window of the input."
        )
