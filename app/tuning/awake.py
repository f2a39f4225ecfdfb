"""Keep the CPUs quick to wake while the user draws or types, and let them sleep after."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from app.tuning.cpu_latency import CpuLatencyRequest

# How long after the last input the request stands: longer than the pause between two strokes
# of a digit or two words of typing, short enough that an idle window costs nothing.
LINGER_MS = 2000


class AwakeWhileActive(QObject):
    """Holds a CpuLatencyRequest from an input until LINGER_MS after the last one.

    `poke()` on every input (a pen move, a keystroke); `hold()` for a stretch of unknown length
    (the engines loading) until the next `poke()` or `release()`. Switched off, it holds nothing.
    """

    def __init__(self, parent: QObject | None = None, request: CpuLatencyRequest | None = None) -> None:
        super().__init__(parent)
        self.request = request or CpuLatencyRequest()
        self.enabled = True
        self._linger = QTimer(self)
        self._linger.setSingleShot(True)
        self._linger.setInterval(LINGER_MS)
        self._linger.timeout.connect(self.release)

    @property
    def held(self) -> bool:
        return self.request.held

    @property
    def why_not(self) -> str | None:
        """Why the request cannot be held on this machine (None: it can, or was not tried yet)."""
        return self.request.why_not

    def poke(self) -> None:
        if self.enabled and self.request.hold():
            self._linger.start()  # restarts: LINGER_MS from now

    def hold(self) -> None:
        if self.enabled and self.request.hold():
            self._linger.stop()

    def release(self) -> None:
        self._linger.stop()
        self.request.release()

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        if not on:
            self.release()
