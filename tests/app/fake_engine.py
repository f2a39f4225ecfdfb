"""A fake engine client for page tests: it records what a page asks and lets the test answer, so a
page runs without torch and without a worker thread. The answers a test gives are the real result
types (app/protocol.py) holding the engines' real result classes, built from numpy."""

from __future__ import annotations

import numpy as np

from app import protocol as P
from app.engine_client import Routing


class FakeEngineClient(Routing):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[int, P.Request]] = []
        self._seq = 0

    def post(self, request: P.Request) -> int:
        self._seq += 1
        self.requests.append((self._seq, request))
        self._posted(request, self._seq, 0.0)
        return self._seq

    def asked(self, request_type: type) -> list[P.Request]:
        return [r for _s, r in self.requests if isinstance(r, request_type)]

    def last(self, request_type: type) -> tuple[int, P.Request]:
        return next((s, r) for s, r in reversed(self.requests) if isinstance(r, request_type))

    def answer(self, result: P.Result, seq: int | None = None) -> None:
        self.route(self._seq if seq is None else seq, result)

    def fail(self, request_type: type, message: str) -> None:
        self.failed.emit(request_type.kind, message)


def digit_result(label: int, status: str = "ok", channels: int = 4):
    """A DigitResult of a small two-block network, sure of `label` (engine.digits.result)."""
    from engine.digits.result import DigitResult

    probs = np.full(10, 0.01, np.float32)
    probs[label] = 1 - 0.09
    rng = np.random.default_rng(label)
    maps = {
        "conv1": rng.random((channels, 28, 28), np.float32),
        "act1": rng.random((channels, 28, 28), np.float32),
        "pool1": rng.random((channels, 14, 14), np.float32),
        "fc1": rng.random(16, np.float32),
        "logits": np.log(probs),
    }
    kernels = {"conv1": rng.standard_normal((channels, 1, 3, 3)).astype(np.float32)}
    ink = np.zeros((28, 28), np.float32)
    ink[6:22, 13:15] = 1.0
    return DigitResult(probs, status, ink, {}, maps, kernels, ink * 0.5, None)
