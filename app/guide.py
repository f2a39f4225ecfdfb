"""The guide for a first visit (Help > Guide, and a welcome line on the first start) and the glossary
of the words the views use (act1, fc1, candidate, CTC, r, p50/p95, saturates...)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from app.boxes import sections_html, wide_box

# Plain words for the jargon on screen. The explain line (app/explain_line.py) adds the entries
# whose term appears in what it explains.
GLOSSARY: dict[str, str] = {
    "neuron": "a unit: it multiplies each input by a weight, adds them and a bias, and passes the sum "
    "through an activation function",
    "kernel": "a small grid of weights (3x3 here) slid over an image; at each place the unit's output is "
    "the sum of the weights times the pixels under them (a dot product), plus a bias",
    "conv": "a convolution layer: many kernels, each making one feature map (conv1 is the first)",
    "act": "the activation after a convolution (act1 after conv1): ReLU keeps positives and makes "
    "negatives 0; sigmoid squashes into 0..1; tanh into -1..1",
    "pool": "pooling: each 2x2 block of a map shrinks to one value, its largest (max), smallest (min) "
    "or average; maps get half as wide",
    "fc": "fully connected: every unit of fc1 looks at every value of the layer below",
    "logits": "the ten class scores before softmax",
    "softmax": "turns scores into probabilities that add up to 1",
    "saliency": "which pixels of ink pushed the top class's score up most (gradient x input)",
    "hidden state": "all an RNN remembers of the letters so far: one number per unit, carried from "
    "letter to letter",
    "unit": "one neuron of a layer; in an RNN one number of the hidden state",
    "gate": "in an LSTM or GRU, numbers from 0 to 1 that decide what to keep, forget or write",
    "candidate": "the new value an LSTM or GRU unit proposes to write, from -1 to 1",
    "forget": "the LSTM's forget gate: how much of its memory a unit keeps (1 = all)",
    "saturates": "an activation stuck at its end (sigmoid near 0 or 1): its gradient is then near 0, "
    "so learning stalls there",
    "vanishing gradient": "the pull of a letter on the guess shrinks with each step back; a plain RNN "
    "forgets within about 15 letters",
    "pull": "how much a letter changes the guess for the next letter (the gradient's size)",
    "r": "Pearson's correlation: +1 or -1 when a unit rises and falls exactly with a feature, 0 when not",
    "CTC": "connectionist temporal classification: each column guesses a digit or “–” (none); "
    "repeats merge and blanks drop to give the number",
    "CRNN": "a CNN that turns the writing into columns of features, then an RNN that reads the columns "
    "left to right (and right to left)",
    "GRU": "gated recurrent unit: a recurrent cell with a reset and an update gate",
    "LSTM": "long short-term memory: a recurrent cell with a memory cell and input, forget and output gates",
    "p50": "the median: half of the times were shorter",
    "p95": "95 of 100 times were shorter: the slow end that users notice",
    "latency": "the time from your input to the answer on screen",
    "loss": "how wrong the network is on average (cross-entropy): training lowers it",
    "epoch": "one pass over all the training examples",
    "overfitting": "learning the training examples by heart: training accuracy climbs, held-out accuracy does not",
    "confusion": "the confusion matrix: for each true digit (row), how often each answer (column) was given",
    "perceptron": "one neuron with a step activation, trained by Rosenblatt's rule: move the weights towards "
    "each point it gets wrong",
    "receptive": "a unit's receptive field: the part of the input it can see, growing with each layer",
    "dilated": "a dilated convolution skips letters between its taps (every 2nd, 4th, ...), so stacked "
    "blocks see exponentially further back",
    "attention": "each letter scores every letter before it, and takes a weighted mix of them: the "
    "weights add up to 1",
    "head": "one of several attentions side by side in a layer, each free to look for something else",
    "Transformer": "a network built of attention layers: every letter reads the letters before it at once, "
    "with no state carried from letter to letter",
}

# Two-word terms first; then a word with any digits after it (act1, p95).
TERM = re.compile(r"\b(hidden states?|vanishing gradients?)\b|\b([a-z]+\d*)\b", re.IGNORECASE)
_KEYS = {k.lower(): k for k in GLOSSARY}


def _term(word: str) -> str | None:
    """The glossary key a word stands for: itself (p95), without its digits (act1), without a
    plural's s (gates)."""
    w = word.lower()
    for candidate in (
        w,
        w.rstrip("0123456789"),
        w.removesuffix("s"),
        w.rstrip("0123456789").removesuffix("s"),
    ):
        if candidate in _KEYS:
            return _KEYS[candidate]
    return None


def glossary_for(text: str, most: int = 3) -> list[tuple[str, str]]:
    """The glossary entries whose term appears in `text`, in order of appearance (at most `most`)."""
    found: dict[str, str] = {}
    for m in TERM.finditer(text):
        key = _term(m.group(1) or m.group(2))
        if key is not None and key not in found:
            found[key] = GLOSSARY[key]
        if len(found) == most:
            break
    return list(found.items())


WELCOME = (
    "Welcome. Digits (F1): draw a digit and watch a convolutional network read it. Text (F2): type and "
    "watch a recurrent network (or a temporal CNN, or a Transformer) read it. Number (F3): a CNN + RNN reads "
    "a whole number. "
    "Train (F4) one yourself, Compare (F5) a CNN with an RNN, start from one Neuron (F6). "
    "Point at anything: the line at the bottom says what it is."
)

GUIDE = [
    (
        "What you are looking at",
        [
            "A <b>neuron</b> multiplies its inputs by weights, adds them and a bias, and passes the sum "
            "through an activation function. Networks are layers of them.",
            "A <b>convolutional network</b> (Digits) slides small 3x3 kernels over the whole picture at "
            "once: the same weights everywhere (shared across space). Its maps light where a kernel's "
            "pattern is; pooling shrinks them; fully connected layers and softmax give ten probabilities.",
            "A <b>recurrent network</b> (Text) reads one letter at a time and carries a hidden state from "
            "letter to letter: the same weights at every step (shared across time). That memory is how it "
            "can tell that “networc” was meant to be “network”. Its gates (LSTM, GRU) decide what to keep.",
            "On the Text page a <b>temporal CNN</b> reads a fixed window of letters through stacked "
            "dilated convolutions (no memory past the window), and a <b>Transformer</b> lets every letter "
            "attend to the letters before it at once: the alternative the articles name to both.",
            "A <b>CRNN</b> (Number) does both: a CNN turns the writing into columns, an RNN reads them in "
            "order, so it reads numbers of any length.",
            "<b>Training</b> (Train) starts from random weights: backpropagation moves each weight a little "
            "against its gradient, batch after batch, and the first layer's weights turn from noise into strokes.",
            "The <b>Compare</b> page puts a CNN (all pixels at once) beside an RNN reading the same digit one "
            "row at a time, and measures the two on your machine.",
            "The <b>Neuron</b> page starts from one neuron: its weighted sum is a line across the plane, "
            "which can never separate XOR; hidden layers bend it.",
        ],
    ),
    (
        "Reading the colours",
        [
            "Every coloured view has a legend: its colour bar, the values at its ends and, on a signed scale, "
            "a white tick at zero. Blue is negative and red positive on the kernels, the hidden state and "
            "the candidate; the maps and gates go from dark (low) to yellow (high).",
            "Click a feature map, then a unit in the large map: the unit's arithmetic is spelled out, the "
            "kernel's numbers times the window it reads, plus the bias, through the activation.",
            "On the Text page, ◀ ▶ (Alt+Left / Alt+Right, or a click on a heatmap) step through the letters: "
            "the state before, the letter, the gates, the state after, and the guess for the next letter.",
        ],
    ),
]


def guide_html() -> str:
    return sections_html([*GUIDE, ("Glossary", [f"<b>{t}</b>: {m}" for t, m in GLOSSARY.items()])])


def show_guide(parent: QWidget) -> QMessageBox:
    # Not modal: open beside the window while trying things.
    box = wide_box(parent, "Guide", guide_html(), min_width=720)
    box.show()
    return box


class WelcomeBar(QFrame):
    """The first start's welcome, at the top of the window until closed (not a dialog: it takes
    neither the keyboard nor a click from the page). `closed`: the user has read it."""

    closed = Signal()

    def __init__(self, open_guide) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        text = QLabel(WELCOME)
        text.setWordWrap(True)
        guide = QPushButton("Open the guide")
        guide.setToolTip("What the pages show, how to read their colours, and a glossary (Help > Guide)")
        guide.clicked.connect(open_guide)
        done = QPushButton("Got it")
        done.setToolTip("Hide this welcome (Help > Guide has it all)")
        done.clicked.connect(self._close)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(text, 1)
        lay.addWidget(guide)
        lay.addWidget(done)
        for b in (guide, done):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the page

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
