"""The Digits page: draw on the left, the network's insides on the right."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app import protocol as P
from app.canvas import DrawingCanvas
from app.canvas_controls import CanvasControls, answer_label
from app.digits.answer_widgets import InputView, ProbBars
from app.digits.image_views import AtlasView, HistoryStrip, ImageView
from app.digits.map_detail import MapDetail
from app.digits.page_state import DigitsPageState
from app.digits.teaching import DigitsTeaching
from app.formatting import percent
from app.page import Page
from app.painting import LiveText, colour_image
from app.plots import columns, mosaic
from app.refresh import SlicedRefresh
from engine.digits.networks import CUSTOM, DEFAULT, SHIPPED

HISTORY = 200  # probability strip: the last this many updates
HEAVY_MS = 100  # the feature maps and the history strip repaint at most this often (10 Hz)

TIPS = {
    "kernels": "The first layer's 3x3 filters (blue weights subtract, red add): each one slides over "
    "the input and makes one conv1 map.",
    "conv": "Feature maps after a 3x3 convolution: each small square is one filter slid over the layer "
    "below; bright where the pattern it looks for is present.",
    "act": "The same maps after the activation function (ReLU keeps positives, sigmoid/tanh squash): "
    "the neuron outputs the next layer sees.",
    "pool": "Pooling keeps one value (max, min or average) of every 2x2 window: the maps get half as "
    "wide and a little shift no longer matters.",
    "fc1": "The fully connected layer: every unit looks at every pooled value of the last block.",
    "logits": "The ten class scores before softmax turns them into probabilities.",
}


NET_SCORE_TIP = (
    "How often this network was right, measured when it was trained: MNIST's 10,000 test digits, "
    "and digits drawn with a pen by writers it never saw"
)


def _tip(name: str) -> str:
    return next((t for k, t in TIPS.items() if name.startswith(k)), name)


class DigitsPage(DigitsPageState, DigitsTeaching, Page):
    """Emits canvasChanged(canvas copy) on every pointer move; show_result paints a DigitResult."""

    name = "digits"
    title = "&Digits"
    tip = "Draw a digit and watch a convolutional network read it (F1)"
    network = "CNN"
    answer_type = P.DigitRead

    canvasChanged = Signal(object)
    netChanged = Signal(str)  # a key of engine.digits.networks.SHIPPED, or CUSTOM

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = DrawingCanvas()
        self.setFocusProxy(self.canvas)  # the page's focus: its keys (Delete, Ctrl+Z) are the canvas's
        self.result = None
        self.net = DEFAULT  # the digit network reading (engine.digits.networks)
        self.history = np.full((HISTORY, 10), np.nan, np.float32)
        self.selected: tuple[str, int] | None = None
        self._layer_names: list[str] = []
        self._blank_images: dict[str, QImage] = {}  # each layer's mosaic with nothing drawn
        self._build()
        self.heavy = SlicedRefresh(self, self._heavy_steps, HEAVY_MS)
        self.canvas.changed.connect(self._on_canvas)

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        row = QHBoxLayout()
        controls = CanvasControls(self, self.canvas)
        self.clear_btn, self.undo_btn, self.pen = controls.widgets
        self.steps_box = QCheckBox("Preprocessing steps")
        self.steps_box.setToolTip(
            "Show how the canvas becomes the 28x28 input: crop, stroke width, fit, centre"
        )
        for w in (*controls.widgets, self.steps_box):
            row.addWidget(w)
        left.addLayout(row)
        self.pred_label = answer_label(
            "Draw a digit",
            "Prediction",
            "The network's top guess and its probability. 'Not a digit' when a second, smaller "
            "network (the digit check) finds the ink to be no digit: a dot, a dash, a scrawl, a "
            "letter. The CNN alone must pick one of ten whatever it is shown: the bars show its pick.",
        )
        left.addWidget(self.pred_label)
        self.steps_box.toggled.connect(self._show_steps)
        self.paste_key, self.copy_key = controls.paste_key, controls.copy_key  # the window connects them

        # Middle: what the network saw, probabilities, their history, preprocessing.
        mid = QVBoxLayout()
        self.input_panel = InputView()
        self.input_panel.setToolTip(
            "What the network saw: your drawing cropped, its stroke width evened out, fitted into 20x20 "
            "and centred in 28x28 like MNIST. The glow is the saliency map: the ink that added most to the "
            "top class's score (gradient x input)."
        )
        mid.addWidget(self.input_panel, 2)
        self.probs_plot = ProbBars()
        mid.addWidget(self.probs_plot, 2)
        mid.addWidget(self._set_up_teaching())  # under the bars, whose click keeps an example
        # The history strip is one heatmap (digit rows x updates), not ten curves: one image to
        # render per refresh instead of ten line items.
        self.hist_view = HistoryStrip(
            "How the ten probabilities changed while you drew: one row per digit (0 at the top), "
            "newest on the right, bright where the network was sure."
        )
        mid.addWidget(self.hist_view, 1)
        self.steps_panel = ImageView(
            "Preprocessing, left to right: the crop, stroke width normalised, fitted 20x20, centred 28x28.",
            title="preprocessing steps",
        )
        self.steps_panel.setVisible(False)
        mid.addWidget(self.steps_panel, 1)

        # Right: kernels and every layer's feature maps, one mosaic each.
        self.layers = AtlasView(
            "Every layer's feature maps, one mosaic per layer. Click a map to look closer; or, here, "
            "the arrow keys move over a layer's maps and Page Up / Page Down go to the layer before / after.",
            describe=_tip,
        )
        self._kernels_shown = None
        self.layers.mapClicked.connect(self.select_map)

        self.detail = MapDetail()
        # (the panels by name: the page's layout and its tests reach them so)
        self.detail_map, self.detail_kernel = self.detail.map, self.detail.kernel
        self.detail_window, self.detail_label = self.detail.window, self.detail.label

        # Which network reads: the same CNN trained with each activation and pooling.
        net_row = QHBoxLayout()
        self.net_box = QComboBox()
        for key, (_file, label) in SHIPPED.items():
            self.net_box.addItem(label, key)
        self.net_box.setToolTip(
            "Which network reads your digit: the same CNN trained with another activation (ReLU, sigmoid, "
            "tanh) or pooling (max, average, min). Swap it and watch the feature maps change."
        )
        self.net_box.setAccessibleName("Digit network")
        self.net_box.currentIndexChanged.connect(lambda _i: self._on_net(self.net_box.currentData()))
        self.net_score = LiveText("", name="Its accuracy")
        self.net_score.setToolTip(NET_SCORE_TIP)
        net_row.addWidget(QLabel("Network:"))
        net_row.addWidget(self.net_box)
        net_row.addWidget(self.net_score, 1)

        right = QVBoxLayout()
        right.addLayout(net_row)
        right.addWidget(self.layers, 4)
        right.addWidget(self.detail_label)
        right.addLayout(self.detail.row(), 1)
        right.addWidget(self.detail.arithmetic)

        self.splitter = columns(self, [(left, 3), (mid, 2), (right, 4)])
        for w, name in (
            (self.canvas, "Drawing canvas"),
            (self.input_panel, "What the network saw"),
            (self.probs_plot, "Digit probabilities"),
            (self.hist_view, "Probabilities while drawing"),
            (self.layers, "Feature maps"),
        ):
            w.setAccessibleName(name)  # for a screen reader; each one's tooltip describes it

    def plot_views(self) -> dict[str, QWidget]:
        """The views File > Save plots writes, by name."""
        out = {"input": self.input_panel, "probabilities": self.probs_plot, "history": self.hist_view}
        out["layers"] = self.layers
        if self.detail_map.image is not None:  # a map is shown large: it, its kernel, its input window
            out.update(
                detail_map=self.detail_map, detail_kernel=self.detail_kernel, detail_input=self.detail_window
            )
        return out

    def _ensure_layer_views(self, res) -> None:
        """Lay out every layer's mosaic (and the first layer's kernels) when the model changes."""
        names = [n for n in res.activations if n != "logits"]
        if names == self._layer_names:
            return
        self._layer_names = names
        # An MLP or a row-by-row RNN (the Train page's) has no kernels to show.
        shapes = {"kernels": (res.kernels["conv1"].shape[0], 3, 3)} if "conv1" in res.kernels else {}
        shapes.update({n: res.activations[n].shape for n in names})
        self.layers.set_layers(shapes, {"kernels": "kernels"}, pickable=names)
        self._kernels_shown = None
        # With nothing drawn each layer shows its maps empty (the layout stays, no stale digit).
        self._blank_images = {
            n: colour_image(
                mosaic(np.zeros(shapes[n]))
                if len(shapes[n]) == 3
                else self._vector_image(np.zeros(shapes[n])),
                "viridis",
            )
            for n in names
        }

    # ---------------------------------------------------------------- input and results
    def _on_canvas(self) -> None:
        self.canvasChanged.emit(self.canvas.image.copy())
        if self.canvas.is_empty():
            self.history[:] = np.nan

    def show_result(self, res) -> None:
        """Paint a DigitResult (from the worker).

        The answer (label, bars, input and saliency) is painted at once; the heavy visuals
        (every layer's mosaic, the history strip, the detail panel) follow at most every
        HEAVY_MS, in slices, always with the newest result (see app/refresh.py), so a 120 Hz pen
        never floods the GUI thread.
        """
        self.result = res
        if res.empty:
            self.pred_label.setText("Draw a digit" if res.status == "empty" else res.message)
        else:
            if res.status == "not_digit":  # the bars beside show what the CNN alone would pick
                self.pred_label.setText("Not a digit")
            else:
                self.pred_label.setText(f"{res.label}   {percent(res.confidence, 0)}")
            self.history = np.roll(self.history, -1, axis=0)
            self.history[-1] = res.probs
        self.input_panel.set_input(res.input, None if res.empty else res.saliency)
        # Nothing drawn: no bars (the engine's uniform 10% each would read as the network's answer).
        self.probs_plot.set_probs(np.zeros(10, np.float32) if res.empty else res.probs)
        self.heavy.request()

    def _on_net(self, key: str) -> None:
        if key and key != self.net:
            self.net = key
            self.net_score.setText("loading...")
            self.netChanged.emit(key)

    def set_net(self, key: str, emit: bool = True) -> None:
        """Choose the network `key` (engine.digits.networks); `emit=False`: it is already loaded."""
        i = self.net_box.findData(key)
        if i < 0:
            return
        if not emit:
            self.net = key
        self.net_box.setCurrentIndex(i)

    def add_custom_net(self, name: str) -> None:
        """The user's own weights file (--digits-weights), listed first."""
        if self.net_box.findData(CUSTOM) < 0:
            self.net_box.blockSignals(True)
            self.net_box.insertItem(0, f"your weights: {name}", CUSTOM)
            self.net_box.blockSignals(False)

    def show_net_score(self, metrics: dict) -> None:
        """The network's figures from its weights file (absent in a user's own file: said)."""
        mnist, pen = metrics.get("mnist_test_top1"), metrics.get("pendigits_heldout_top1")
        parts = [
            f"{what} {percent(v, 2)}" for what, v in (("MNIST test", mnist), ("pen, new writers", pen)) if v
        ]
        text = " · ".join(parts) if parts else "no figures in its file"
        self.net_score.setText(text)
        self.net_score.setToolTip(f"{text}\n\n{NET_SCORE_TIP}")  # whole, where a narrow window cuts it

    def prepare(self, res) -> None:
        """Build the layer views from a warm-up result, so the first drawing does not pay for it;
        they show empty until something is drawn (the warm-up's own digit is not the user's)."""
        self._ensure_layer_views(res)
        self._show_kernels(res)
        self._blank_layers()

    def _heavy_steps(self) -> list:
        """The heavy refresh in steps of a few milliseconds each, all from the newest result."""
        res = self.result
        if res is None:
            return []
        steps = [self._update_history]
        if res.empty:
            steps.append(self._blank_layers)
        elif res.activations:
            self._ensure_layer_views(res)
            names = self._layer_names
            steps += [
                lambda part=names[i : i + 2]: self._update_layers(part) for i in range(0, len(names), 2)
            ]
        return [*steps, self._update_steps, self._update_detail]

    def _update_history(self) -> None:
        self.hist_view.set_history(self.history.T)

    def _show_steps(self, on: bool) -> None:
        self.steps_panel.setVisible(on)
        if on and self.result is not None:  # the steps of what is drawn now, not of the next stroke
            self._update_steps()

    def _update_steps(self) -> None:
        res = self.result
        # Ticked, not "visible": a page not shown yet (a restart on another page) would skip it.
        if res is None or not self.steps_box.isChecked():
            return
        if res.steps:
            self.steps_panel.set_image(self._steps_strip(res.steps))
        else:  # nothing drawn (or all ink): no steps, rather than the last digit's
            self.steps_panel.clear()

    def _update_detail(self) -> None:
        res = self.result
        if not self.selected:
            return
        if res.empty:
            self.detail.blank(*self.selected)
        else:
            self.detail.show(self.result, *self.selected)

    def _blank_layers(self) -> None:
        for name in self._layer_names:
            self.layers.set_layer(name, self._blank_images[name])

    def _update_layers(self, names: list[str] | None = None) -> None:
        """Recolour these layers' mosaics (all by default) from the newest result."""
        res = self.result
        if res is None or not res.activations:
            return
        self._ensure_layer_views(res)
        for name in self._layer_names if names is None else names:
            a = res.activations.get(name)
            if a is None:
                continue
            img = mosaic(a) if a.ndim == 3 else self._vector_image(a)
            self.layers.set_layer(name, colour_image(img, "viridis"))
        self._show_kernels(res)

    def _show_kernels(self, res) -> None:
        k = res.kernels.get("conv1")
        if k is not None and self._kernels_shown is not k:
            self._kernels_shown = k  # the kernels change only with the model
            self.layers.set_layer("kernels", colour_image(mosaic(k[:, 0], "signed"), "CET-D1"))
            m = float(np.abs(k[:, 0]).max()) or 1.0  # "signed": -m white-blue ... 0 white ... +m red
            self.layers.set_kernel_levels((-m, m))

    @staticmethod
    def _vector_image(v: np.ndarray) -> np.ndarray:
        """A 1-D layer as a near-square block of cells."""
        n = len(v)
        cols = int(np.ceil(np.sqrt(n)))
        out = np.full(cols * int(np.ceil(n / cols)), np.nan, np.float32)
        lo, hi = float(v.min()), float(v.max())
        out[:n] = (v - lo) / max(hi - lo, 1e-8)
        return out.reshape(-1, cols)

    @staticmethod
    def _steps_strip(steps: dict[str, np.ndarray]) -> np.ndarray:
        import cv2

        imgs = [
            steps[k] for k in ("cropped", "width normalised", "fitted 20x20", "centred 28x28") if k in steps
        ]
        tiles = []
        for im in imgs:
            h, w = im.shape
            s = 64 / max(h, w)
            r = cv2.resize(im, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_NEAREST)
            tile = np.zeros((66, 66), np.float32)
            tile[1 : 1 + r.shape[0], 1 : 1 + r.shape[1]] = r
            tiles.append(tile)
        return np.hstack(tiles) if tiles else np.zeros((2, 2), np.float32)

    # ---------------------------------------------------------------- feature-map detail
    def select_map(self, layer: str, index: int) -> None:
        """Show this map large; with nothing drawn, say so, and show it once something is."""
        if layer not in self.layers.pickable:
            return  # the kernels (shown beside the maps they make), or a layer of units
        self.selected = (layer, index)
        self.layers.set_selected(layer, index)
        if self.result is None or self.result.empty:
            self.detail.blank(*self.selected)
        else:
            self.detail.show(self.result, layer, index)
