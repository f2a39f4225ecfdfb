"""What DigitEngine.predict returns: plain numpy data, no torch, so a page and its tests can hold one."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

_MESSAGES = {
    "empty": "no ink: draw a digit",
    "full": "the canvas is covered in ink: clear it and draw a digit",
    "not_digit": "not a digit",
}


@dataclass
class DigitResult:
    """One prediction. `probs` always has 10 entries summing to 1 (uniform when there is no ink).

    `status` "not_digit": the digit check found ink that is no digit (a dot, a dash, a scrawl, a
    letter); `label` is None, and `probs` and every layer's maps are still the CNN's, to look at.
    """

    probs: np.ndarray  # (10,) float32
    status: str  # "ok", "not_digit", "empty" or "full"
    input: np.ndarray  # (28, 28) the network's input
    steps: dict[str, np.ndarray] = field(default_factory=dict)  # preprocessing stages, for display
    activations: dict[str, np.ndarray] = field(default_factory=dict)  # in network order: conv, act, pool, fc
    kernels: dict[str, np.ndarray] = field(default_factory=dict)  # conv name -> (out, in, 3, 3)
    saliency: np.ndarray = field(
        default_factory=lambda: np.zeros((28, 28), np.float32)
    )  # grad x input, [0, 1]
    to_input: np.ndarray | None = None  # 2x3 affine from canvas (x, y) to input (x, y)
    not_digit: float = 0.0  # the digit check's P(not a digit); 0 where no check ran
    biases: dict[str, np.ndarray] = field(default_factory=dict)  # conv name -> (out,), batch norm folded in
    activation: str = "relu"  # the network's activation function ("relu", "sigmoid", "tanh")
    pooling: str = "max"  # its pooling ("max", "avg", "min")

    @property
    def empty(self) -> bool:
        """No ink to read (or all ink): no network ran."""
        return self.status in ("empty", "full")

    @property
    def label(self) -> int | None:
        """The predicted digit, or None when there is none to read."""
        return None if self.status != "ok" else int(np.argmax(self.probs))

    @property
    def confidence(self) -> float:
        return 0.0 if self.status != "ok" else float(np.max(self.probs))

    @property
    def message(self) -> str:
        if self.status != "ok":
            return _MESSAGES[self.status]
        return f"{self.label} ({self.confidence:.0%})"
