"""Close the window cleanly on Ctrl+C in the terminal (SIGINT), `kill` or a session ending
(SIGTERM), and the terminal going away (SIGHUP).

Without this, SIGINT did nothing while Qt's event loop ran (Python runs a signal handler only
when Python code next runs) and SIGTERM ended the process at once, losing the settings and the
text typed since the last save. Here the handlers are set as soon as the app starts; once Qt is
up, the C-level handler's wake-up byte lands on a socket that a QSocketNotifier watches, so the
event loop wakes at once, Python runs the handler, and the handler closes every window on the
next turn of the loop: the main window's closeEvent saves and stops the worker, as when the user
closes it.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable
from types import FrameType

QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class QuitOnSignals:
    """Set the handlers at once (`install`); `connect` the action once a QApplication exists. A
    signal that comes before that is kept and acted on when connected."""

    def __init__(self) -> None:
        self.received: list[int] = []  # the signals seen, in order
        self._action: Callable[[], None] | None = None
        self._old: dict[int, object] = {}
        self._old_fd: int | None = None
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        self._notifier = None

    def install(self) -> QuitOnSignals:
        for s in QUIT_SIGNALS:
            self._old[s] = signal.signal(s, self._handle)
        return self

    def connect(self, action: Callable[[], None]) -> None:
        """Run `action` on the Qt event loop when one of QUIT_SIGNALS comes (at once if one came)."""
        from PySide6.QtCore import QSocketNotifier

        self._action = action
        r, w = socket.socketpair()
        r.setblocking(False)
        w.setblocking(False)
        self._sockets = (r, w)
        self._old_fd = signal.set_wakeup_fd(w.fileno(), warn_on_full_buffer=False)
        self._notifier = QSocketNotifier(r.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)  # Python code runs, so the handler does
        if self.received:
            self._schedule()

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.received.append(signum)
        if self._action is not None:
            self._schedule()

    def _schedule(self) -> None:
        from PySide6.QtCore import QTimer

        # Not from inside the handler: it may interrupt any Python code, a paint step included.
        QTimer.singleShot(0, self._action)

    def _drain(self) -> None:
        with contextlib.suppress(BlockingIOError, InterruptedError):  # nothing left to read
            self._sockets[0].recv(256)

    def uninstall(self) -> None:
        """Put back the handlers there were before (tests)."""
        for s, old in self._old.items():
            signal.signal(s, old)
        self._old = {}
        if self._sockets is not None:
            signal.set_wakeup_fd(self._old_fd if self._old_fd is not None else -1)
            self._notifier.setEnabled(False)
            self._notifier = None
            for sock in self._sockets:
                sock.close()
            self._sockets = None
        self._action = None
