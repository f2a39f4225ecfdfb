"""Throttled, sliced refresh of the heavy visuals (feature maps, heatmaps).

The answer itself (probability bars, suggestions) paints at once; the heavy visuals follow at
most every `period_ms`, always from the newest result, and in slices: one small step per turn of
the event loop, `gap_ms` apart, so that the window paints, and the next result is taken in,
between them. Done in one go they kept the GUI thread busy 10-25 ms at a time on this 2-core
machine (measured with `python -m benchmarks.app`), longer than a 60 Hz frame.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class SlicedRefresh(QObject):
    def __init__(
        self, parent: QObject, steps: Callable[[], list[Callable[[], None]]], period_ms: int, gap_ms: int = 4
    ) -> None:
        """`steps()` lists the refresh's steps; it is called when a refresh starts, so the steps
        see the newest state."""
        super().__init__(parent)
        self._steps = steps
        self._queue: list[Callable[[], None]] = []
        self._again = False  # a request came in while a refresh was under way
        self._gap = gap_ms
        self._period = QTimer(self)
        self._period.setSingleShot(True)
        self._period.setInterval(period_ms)
        self._period.timeout.connect(self._begin)
        self._slice = QTimer(self)
        self._slice.setSingleShot(True)
        self._slice.timeout.connect(self._next)

    def request(self) -> None:
        """Something changed: refresh within `period_ms` (requests in between are merged). One
        that comes while a refresh is under way gets a fresh one after it: the steps of the one
        under way may have been made from older state."""
        if self._queue:
            self._again = True
        elif not self._period.isActive():
            self._period.start()

    def cancel(self) -> None:
        """Drop a refresh in progress (its steps may refer to widgets about to go)."""
        self._slice.stop()
        self._queue = []
        self._again = False

    def _begin(self) -> None:
        self._queue = list(self._steps())
        self._next()

    def _next(self) -> None:
        if self._queue:
            step = self._queue.pop(0)
            try:
                step()
            finally:  # a step that fails must not stop the refreshes to come
                if self._queue:
                    self._slice.start(self._gap)
                elif self._again:
                    self._again = False
                    self._period.start()
