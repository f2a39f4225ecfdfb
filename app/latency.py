"""Latency bookkeeping: one clock for the GUI and the worker, and p50 / p95 over recent updates."""

from __future__ import annotations

import time
from collections import deque

import numpy as np

PHASES = ("wait", "compute", "deliver", "paint")  # input -> worker start -> done -> GUI -> on screen


def now_ms() -> float:
    """Milliseconds on a monotonic clock shared by every thread."""
    return time.perf_counter() * 1e3


class LatencyStats:
    """p50 / p95 of the last `size` latencies, in milliseconds."""

    def __init__(self, size: int = 100) -> None:
        self.values: deque[float] = deque(maxlen=size)

    def add(self, ms: float) -> None:
        self.values.append(ms)

    def percentiles(self) -> tuple[float, float]:
        if not self.values:
            return 0.0, 0.0
        a = np.fromiter(self.values, float)
        return float(np.percentile(a, 50)), float(np.percentile(a, 95))

    def __len__(self) -> int:
        return len(self.values)
