"""The Train page's settings: which network and its own shape (a CNN's blocks, channels, activation,
pooling and dropout; an MLP's layers; a recurrent network's units and layers), where it starts
(random weights or a shipped network), for how long (seconds or epochs), on how many digits, and
the optimiser. `chosen()` gives them as the trainer's RunSettings fields."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from app.settings import read_choice, read_int
from engine.paths import assets_dir

ARCH_NAMES = {"cnn": "CNN (convolutions)", "mlp": "MLP (fully connected)", "rnn": "plain RNN, row by row",
              "lstm": "LSTM, row by row", "gru": "GRU, row by row"}  # fmt: skip
SUBSETS = {"500": 500, "5,000": 5000, "all (about 90,000)": 0}
ACTIVATIONS = {"ReLU": "relu", "sigmoid": "sigmoid", "tanh": "tanh"}
POOLINGS = {"max": "max", "average": "avg", "min": "min"}
# The networks shipped in assets/ that a run may start from, by arch.
SHIPPED_START = {"cnn": "digits.safetensors", "gru": "digits_rows.safetensors"}


def sizes(text: str, what: str, example: str) -> list[int]:
    """'16, 32,64' -> [16, 32, 64]; anything else is said in words."""
    try:
        out = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        out = []
    if not out:
        raise ValueError(f"{what}: write whole numbers separated by commas, like {example}")
    return out


def combo(items: dict[str, str], tip: str) -> QComboBox:
    box = QComboBox()
    for label, key in items.items():
        box.addItem(label, key)
    box.setToolTip(tip)
    return box


class TrainControls(QWidget):
    changed = Signal()  # the network or its shape changed (the status bar names it)

    def __init__(self) -> None:
        super().__init__()
        self.arch = combo({v: k for k, v in ARCH_NAMES.items()},
                          "Which network learns: a CNN slides 3x3 kernels over the picture; an MLP connects every "
                          "pixel to every unit; a recurrent network reads the picture one row per step.")  # fmt: skip
        self.shape = QStackedWidget()
        self.shape.addWidget(self._cnn_settings())
        self.shape.addWidget(self._mlp_settings())
        self.shape.addWidget(self._rnn_settings())
        self.start_from = QComboBox()
        self.start_from.setToolTip(
            "Random weights (noise), or the network shipped with the app, to train it further"
        )
        self.until = combo({"seconds": "seconds", "epochs": "epochs"},
                           "Train for a time (the learning rate falls over it) or for a number of passes over the digits")  # fmt: skip
        self.seconds = QDoubleSpinBox()
        self.seconds.setRange(2, 3600)
        self.seconds.setValue(30)
        self.seconds.setSuffix(" s")
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 100)
        self.epochs.setSuffix(" epochs")
        self.epochs.setVisible(False)
        length = QHBoxLayout()
        length.setContentsMargins(0, 0, 0, 0)
        for w in (self.seconds, self.epochs, self.until):
            length.addWidget(w)
        self.subset = QComboBox()
        for label, n in SUBSETS.items():
            self.subset.addItem(label, n)
        self.subset.setCurrentIndex(2)
        self.subset.setToolTip("How many training digits: with 500 it learns them by heart (overfits): the "
                               "training accuracy reaches 100% while the held-out one stays low")  # fmt: skip
        self.optimiser = combo({"Adam": "adam", "SGD with momentum": "sgd"},
                               "How each step uses the gradient")  # fmt: skip
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(4)
        self.lr.setRange(0.0, 1.0)
        self.lr.setSingleStep(0.0005)
        self.lr.setSpecialValueText("the network's default")
        self.lr.setToolTip("Learning rate: how big a step each update takes (0: the network's default)")
        self.batch = QSpinBox()
        self.batch.setRange(0, 4096)
        self.batch.setSpecialValueText("the network's default")
        self.batch.setToolTip("Digits per update (0: the network's default)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 10**6)
        self.seed.setToolTip("The random seed: the same seed, the same starting weights")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for label, w in (("Network", self.arch), ("", self.shape), ("Start from", self.start_from),
                         ("Train for", length), ("Training digits", self.subset), ("Optimiser", self.optimiser),
                         ("Learning rate", self.lr), ("Batch size", self.batch), ("Seed", self.seed)):  # fmt: skip
            form.addRow(label, w)
        self.arch.currentIndexChanged.connect(self._arch_changed)
        self.until.currentIndexChanged.connect(self._until_changed)
        self.start_from.currentIndexChanged.connect(self._start_changed)
        self._arch_changed()

    # ---------------------------------------------------------------- each network's shape
    def _cnn_settings(self) -> QWidget:
        w = QWidget()
        f = QFormLayout(w)
        f.setContentsMargins(0, 0, 0, 0)
        self.channels = QLineEdit("16,32,64")
        self.channels.setToolTip("One block (3x3 convolution, activation, 2x2 pooling) per number: its "
                                 "channels. 1 to 4 blocks.")  # fmt: skip
        self.cnn_activation = combo(ACTIVATIONS, "The activation after each convolution")
        self.pooling = combo(
            POOLINGS, "How each block halves its maps: the largest, the mean or the smallest of each 2x2"
        )
        self.dropout = QDoubleSpinBox()
        self.dropout.setRange(0.0, 0.9)
        self.dropout.setSingleStep(0.1)
        self.dropout.setValue(0.3)
        self.dropout.setToolTip(
            "The share of the fully connected layer's units switched off at random in training"
        )
        for label, x in (("Channels", self.channels), ("Activation", self.cnn_activation),
                         ("Pooling", self.pooling), ("Dropout", self.dropout)):  # fmt: skip
            f.addRow(label, x)
        return w

    def _mlp_settings(self) -> QWidget:
        w = QWidget()
        f = QFormLayout(w)
        f.setContentsMargins(0, 0, 0, 0)
        self.hidden = QLineEdit("256,128")
        self.hidden.setToolTip("Units per hidden layer, separated by commas (1 to 6 layers)")
        self.mlp_activation = combo(
            ACTIVATIONS, "The activation of each hidden unit (sigmoid shows the vanishing gradient)"
        )
        f.addRow("Hidden layers", self.hidden)
        f.addRow("Activation", self.mlp_activation)
        return w

    def _rnn_settings(self) -> QWidget:
        w = QWidget()
        f = QFormLayout(w)
        f.setContentsMargins(0, 0, 0, 0)
        self.units = QSpinBox()
        self.units.setRange(1, 1024)
        self.units.setValue(128)
        self.units.setToolTip("The hidden state's size: what it carries from one row to the next")
        self.layers = QSpinBox()
        self.layers.setRange(1, 4)
        self.layers.setToolTip("Recurrent layers stacked: each reads the states of the one below")
        f.addRow("Units", self.units)
        f.addRow("Layers", self.layers)
        return w

    def extra(self) -> dict:
        """The chosen network's own settings, as its config takes them."""
        arch = self.arch.currentData()
        if arch == "cnn":
            return {"channels": sizes(self.channels.text(), "Channels", "16,32,64"),
                    "activation": self.cnn_activation.currentData(), "pooling": self.pooling.currentData(),
                    "dropout": round(float(self.dropout.value()), 2)}  # fmt: skip
        if arch == "mlp":
            return {"hidden": sizes(self.hidden.text(), "Hidden layers", "256,128"),
                    "activation": self.mlp_activation.currentData()}  # fmt: skip
        return {"units": int(self.units.value()), "layers": int(self.layers.value())}

    def describe(self) -> str:
        """The network in a few words, for the status bar."""
        arch = self.arch.currentData()
        if self.start_from.currentData():
            return f"{ARCH_NAMES[arch].split(' (')[0]}, from the shipped network"
        if arch == "cnn":
            return f"CNN, channels {self.channels.text()}, {self.cnn_activation.currentText()}, {self.pooling.currentText()} pooling"
        if arch == "mlp":
            return f"MLP, layers {self.hidden.text()}, {self.mlp_activation.currentText()}"
        return f"{arch.upper()} reading rows, {self.units.value()} units x {self.layers.value()}"

    def _arch_changed(self) -> None:
        arch = self.arch.currentData()
        self.shape.setCurrentIndex({"cnn": 0, "mlp": 1}.get(arch, 2))
        self.start_from.blockSignals(True)
        self.start_from.clear()
        self.start_from.addItem("random weights", "")
        shipped = SHIPPED_START.get(arch)
        if shipped and (assets_dir() / shipped).is_file():
            self.start_from.addItem(f"the shipped network ({shipped})", str(assets_dir() / shipped))
        self.start_from.blockSignals(False)
        self._start_changed()

    def _start_changed(self) -> None:
        self.shape.setEnabled(not self.start_from.currentData())  # a shipped network brings its own shape
        self.changed.emit()

    def _until_changed(self) -> None:
        by_time = self.until.currentData() == "seconds"
        self.seconds.setVisible(by_time)
        self.epochs.setVisible(not by_time)

    # ---------------------------------------------------------------- what the trainer takes
    def chosen(self) -> dict:
        """The RunSettings fields; raises ValueError with a sentence for what cannot be read."""
        by_time = self.until.currentData() == "seconds"
        start = self.start_from.currentData() or ""
        return {
            "arch": self.arch.currentData(),
            "seconds": float(self.seconds.value()) if by_time else None,
            "epochs": int(self.epochs.value()),
            "subset": int(self.subset.currentData()),
            "optimiser": self.optimiser.currentData(),
            "lr": float(self.lr.value()) or None,
            "batch_size": int(self.batch.value()) or None,
            "seed": int(self.seed.value()),
            "extra": {} if start else self.extra(),
            "start": start,
        }

    def restore(self, settings: QSettings) -> None:
        i = self.arch.findData(read_choice(settings, "train/arch", "cnn", tuple(ARCH_NAMES)))
        self.arch.setCurrentIndex(max(0, i))
        self.seconds.setValue(read_int(settings, "train/seconds", 30, 2, 3600))
        self.until.setCurrentIndex(max(0, self.until.findData(
            read_choice(settings, "train/until", "seconds", ("seconds", "epochs")))))  # fmt: skip
        self.epochs.setValue(read_int(settings, "train/epochs", 1, 1, 100))

    def save(self, settings: QSettings) -> None:
        settings.setValue("train/arch", self.arch.currentData())
        settings.setValue("train/seconds", int(self.seconds.value()))
        settings.setValue("train/until", self.until.currentData())
        settings.setValue("train/epochs", int(self.epochs.value()))
