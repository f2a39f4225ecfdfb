"""A small fully connected network in numpy for the neuron page: one neuron (no hidden layer) up to
four hidden layers of eight units, over the two coordinates of a point and optional features
(x1^2, x2^2, x1*x2, sin x1, sin x2). Every unit computes activation(weights . inputs + bias).

Training: the perceptron rule for a single neuron with the step activation; otherwise gradient
descent on cross-entropy (the output is the sigmoid of one score for two classes, the softmax of
three scores for three). For one neuron the class is 1 where its weighted sum is above 0: the
decision line is where the sum is 0, whatever the activation shows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ACTIVATIONS = ("step", "sigmoid", "tanh", "relu")
FEATURES = {
    "x1": lambda x: x[:, 0],
    "x2": lambda x: x[:, 1],
    "x1^2": lambda x: x[:, 0] ** 2,
    "x2^2": lambda x: x[:, 1] ** 2,
    "x1*x2": lambda x: x[:, 0] * x[:, 1],
    "sin x1": lambda x: np.sin(x[:, 0]),
    "sin x2": lambda x: np.sin(x[:, 1]),
}
MAX_LAYERS, MAX_UNITS = 4, 8


def activate(z: np.ndarray, kind: str) -> np.ndarray:
    if kind == "step":
        return (z > 0).astype(z.dtype)
    if kind == "sigmoid":
        return 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))
    if kind == "tanh":
        return np.tanh(z)
    return np.maximum(z, 0.0)


def slope(z: np.ndarray, a: np.ndarray, kind: str) -> np.ndarray:
    """d activation / d z, from z and the activation a."""
    if kind == "sigmoid":
        return a * (1 - a)
    if kind == "tanh":
        return 1 - a * a
    return (z > 0).astype(z.dtype)


@dataclass
class Forward:
    zs: list[np.ndarray]  # each layer's weighted sums (the last: the output scores)
    acts: list[np.ndarray]  # the inputs (features), then each hidden layer's outputs
    probs: np.ndarray  # (n, classes)


class Network:
    def __init__(
        self,
        hidden: list[int] | tuple[int, ...] = (),
        activation: str = "tanh",
        features: tuple[str, ...] = ("x1", "x2"),
        classes: int = 2,
        seed: int = 0,
    ) -> None:
        hidden = list(hidden)
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}")
        if len(hidden) > MAX_LAYERS or any(not 1 <= int(h) <= MAX_UNITS for h in hidden):
            raise ValueError(f"up to {MAX_LAYERS} hidden layers of 1 to {MAX_UNITS} units")
        if activation == "step" and (hidden or classes != 2):
            raise ValueError("the step activation is for one neuron and two classes (the perceptron rule)")
        unknown = [f for f in features if f not in FEATURES]
        if unknown or not features:
            raise ValueError(f"features are among {', '.join(FEATURES)}; got {unknown or 'none'}")
        if classes not in (2, 3):
            raise ValueError("two or three classes")
        self.hidden, self.activation, self.features, self.classes = (
            hidden,
            activation,
            tuple(features),
            classes,
        )
        rng = np.random.default_rng(seed)
        sizes = [len(features), *hidden, 1 if classes == 2 else classes]
        self.weights = [
            rng.normal(0, np.sqrt(1.0 / a), (a, b)) for a, b in zip(sizes, sizes[1:], strict=False)
        ]
        self.biases = [np.zeros(b) for b in sizes[1:]]
        self.updates = 0

    @property
    def single(self) -> bool:
        return not self.hidden

    def inputs(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, np.float64).reshape(-1, 2)
        return np.stack([FEATURES[f](x) for f in self.features], 1)

    def forward(self, x: np.ndarray) -> Forward:
        a = self.inputs(x)
        zs, acts = [], [a]
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = a @ w + b
            zs.append(z)
            if i < len(self.weights) - 1:
                a = activate(z, self.activation)
                acts.append(a)
        out = zs[-1]
        if self.classes == 2:
            p1 = activate(out[:, 0], "sigmoid")
            probs = np.stack([1 - p1, p1], 1)
        else:
            e = np.exp(out - out.max(1, keepdims=True))
            probs = e / e.sum(1, keepdims=True)
        return Forward(zs, acts, probs)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x).probs.argmax(1)

    def accuracy(self, x: np.ndarray, y: np.ndarray) -> float:
        return float((self.predict(x) == y).mean()) if len(y) else float("nan")

    def loss(self, x: np.ndarray, y: np.ndarray, l2: float = 0.0) -> float:
        if not len(y):
            return float("nan")
        p = self.forward(x).probs[np.arange(len(y)), y]
        return float(
            -np.log(np.clip(p, 1e-12, 1)).mean() + 0.5 * l2 * sum((w * w).sum() for w in self.weights)
        )

    # ---------------------------------------------------------------- learning
    def step(
        self, x: np.ndarray, y: np.ndarray, lr: float, l2: float = 0.0
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """One update on the batch (x, y); returns each layer's (weight change, bias change)."""
        if self.activation == "step":
            return self.perceptron_step(x, y, lr)
        f = self.forward(x)
        n = len(y)
        if self.classes == 2:
            g = (f.probs[:, 1] - y)[:, None] / n  # d cross-entropy / d score
        else:
            g = f.probs.copy()
            g[np.arange(n), y] -= 1
            g /= n
        changes = []
        for i in range(len(self.weights) - 1, -1, -1):
            gw = f.acts[i].T @ g + l2 * self.weights[i]
            gb = g.sum(0)
            if i > 0:
                g = (g @ self.weights[i].T) * slope(f.zs[i - 1], f.acts[i], self.activation)
            changes.append((-lr * gw, -lr * gb))
        changes.reverse()
        for (dw, db), w, b in zip(changes, self.weights, self.biases, strict=True):
            w += dw
            b += db
        self.updates += 1
        return changes

    def perceptron_step(self, x: np.ndarray, y: np.ndarray, lr: float) -> list[tuple[np.ndarray, np.ndarray]]:
        """Rosenblatt's rule, point by point: w += lr (target - output) x, b += lr (target - output)."""
        w, b = self.weights[0], self.biases[0]
        dw, db = np.zeros_like(w), np.zeros_like(b)
        for xi, yi in zip(self.inputs(x), y, strict=True):
            err = float(yi) - float(xi @ w[:, 0] + b[0] > 0)
            if err:
                w[:, 0] += lr * err * xi
                b[0] += lr * err
                dw[:, 0] += lr * err * xi
                db[0] += lr * err
        self.updates += 1
        return [(dw, db)]

    # ---------------------------------------------------------------- what the page shows
    def formula(self, point: tuple[float, float]) -> tuple[str, float]:
        """For one neuron: its arithmetic at `point` with its own numbers, and the output, e.g.
        '0.8*1.2 + (-0.5)*0.3 + 0.1 = 0.91 -> sigmoid -> 0.71'."""
        if not self.single or self.classes != 2:
            raise ValueError("the formula is shown for one neuron and two classes")
        xs = self.inputs(np.asarray(point, np.float64))[0]
        w, b = self.weights[0][:, 0], float(self.biases[0][0])
        z = float(xs @ w + b)
        a = float(activate(np.array([z]), self.activation)[0])
        terms = " + ".join(f"{_num(wi)}*{_num(xi)}" for wi, xi in zip(w, xs, strict=True))
        return f"{terms} + {_num(b)} = {z:.2f} -> {self.activation} -> {a:.2f}", a

    def surface(
        self, n: int = 48, extent: float = 3.0, units_n: int | None = None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Over an n x n grid of the plane (rows top to bottom, x2 falling): the probability of class 1
        (two classes) or each point's class scores (n, n, 3), and each hidden unit's output over a
        `units_n` grid (default n)."""
        f = self.forward(_grid(n, extent))
        probs = f.probs[:, 1].reshape(n, n) if self.classes == 2 else f.probs.reshape(n, n, self.classes)
        m = units_n or n
        acts = f.acts if m == n else self.forward(_grid(m, extent)).acts
        units = [a[:, j].reshape(m, m) for a in acts[1:] for j in range(a.shape[1])]
        return probs, units


def _num(v: float) -> str:
    """A number as the formula writes it: negative ones in brackets."""
    return f"({v:.2f})" if v < 0 else f"{v:.2f}"


def _grid(n: int, extent: float) -> np.ndarray:
    t = np.linspace(-extent, extent, n)
    gx, gy = np.meshgrid(t, t[::-1])
    return np.stack([gx.ravel(), gy.ravel()], 1)
