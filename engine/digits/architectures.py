"""The Train page's other digit networks beside the CNN (engine/digits/model.py): the articles'
multi-layer perceptron, and a recurrent network that reads the 28x28 input one row per step (28
steps of 28 pixels). Each takes (B, 1, 28, 28) and returns (B, 10) logits, and records its stages
by name when asked, as DigitNet does."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from engine.digits.model import ACTIVATIONS, DigitNet, DigitNetConfig, activate
from engine.weights import StoredConfig, load_model, need_int, read_metadata

RECURRENT_CELLS = ("rnn", "lstm", "gru")


@dataclass
class DigitMLPConfig(StoredConfig):
    hidden: list[int] = field(default_factory=lambda: [256, 128])  # units per hidden layer
    activation: str = "relu"

    def __post_init__(self) -> None:
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {self.activation!r}")
        if not isinstance(self.hidden, list) or not 1 <= len(self.hidden) <= 6:
            raise ValueError("hidden must list 1 to 6 layer sizes")
        for n in self.hidden:
            need_int("hidden units", n, 1, 4096)


class DigitMLP(nn.Module):
    """Flatten the 784 pixels, then fully connected layers: every unit sees every pixel."""

    def __init__(self, config: DigitMLPConfig | None = None) -> None:
        super().__init__()
        self.config = config or DigitMLPConfig()
        sizes = [28 * 28, *self.config.hidden]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:], strict=False))
        self.out = nn.Linear(sizes[-1], 10)

    def forward(self, x: torch.Tensor, record: dict[str, torch.Tensor] | None = None) -> torch.Tensor:
        h = x.flatten(1)
        for i, layer in enumerate(self.layers):
            h = activate(layer(h), self.config.activation)
            if record is not None:
                record[f"fc{i + 1}"] = h
        logits = self.out(h)
        if record is not None:
            record["logits"] = logits
        return logits


@dataclass
class DigitRowRNNConfig(StoredConfig):
    cell: str = "gru"
    units: int = 128
    layers: int = 1

    def __post_init__(self) -> None:
        if self.cell not in RECURRENT_CELLS:
            raise ValueError(f"cell must be one of {RECURRENT_CELLS}, got {self.cell!r}")
        need_int("units", self.units, 1, 2048)
        need_int("layers", self.layers, 1, 4)


class DigitRowRNN(nn.Module):
    """Reads the input one row per step, top to bottom, carrying a hidden state; the last state
    gives the ten scores. Its stage "hidden" is the state after each row (B, 28, units)."""

    def __init__(self, config: DigitRowRNNConfig | None = None) -> None:
        super().__init__()
        self.config = config or DigitRowRNNConfig()
        c = self.config
        rnn_cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[c.cell]
        self.rnn = rnn_cls(28, c.units, num_layers=c.layers, batch_first=True)
        self.out = nn.Linear(c.units, 10)

    def forward(self, x: torch.Tensor, record: dict[str, torch.Tensor] | None = None) -> torch.Tensor:
        rows = x.reshape(x.shape[0], -1, 28)  # (B, rows, 28): any number of rows
        states, _ = self.rnn(rows)
        logits = self.out(states[:, -1])
        if record is not None:
            record["hidden"] = states
            record["logits"] = logits
        return logits


# Each kind a weights file can name in its metadata, and the classes that rebuild it.
MODEL_KINDS: dict[str, tuple[type, type[nn.Module]]] = {
    "DigitNet": (DigitNetConfig, DigitNet),
    "DigitMLP": (DigitMLPConfig, DigitMLP),
    "DigitRowRNN": (DigitRowRNNConfig, DigitRowRNN),
}
KIND_NAMES: dict[type[nn.Module], str] = {cls: kind for kind, (_, cls) in MODEL_KINDS.items()}


def arch_of(model: nn.Module) -> str:
    """The trainer's name for a network: cnn, mlp, or its recurrent cell."""
    if isinstance(model, DigitNet):
        return "cnn"
    if isinstance(model, DigitMLP):
        return "mlp"
    return model.config.cell


def load_network(path: str | Path) -> tuple[nn.Module, dict]:
    """A digit network of any kind from its weights file, as trained (batch norms not folded);
    raises WeightsError naming a bad file."""
    kind = read_metadata(path).get("model")
    config_cls, model_cls = MODEL_KINDS.get(kind, (DigitNetConfig, DigitNet))
    return load_model(path, model_cls.__name__, config_cls, model_cls)
