"""Close the window cleanly on Ctrl+C in the terminal (SIGINT), `kill` or a session ending
(SIGTERM), and the terminal going away (SIGHUP); a second one, later, ends the process at once.

Without this, SIGINT did nothing while Qt's event loop ran (Python runs a signal handler only
when Python code next runs) and SIGTERM ended the process at once, losing the settings and the
text typed since the last save. Here the handlers are set as soon as the app starts. CPython's
C-level handler writes each signal's number to a socket (signal.set_wakeup_fd) from whatever
thread the kernel picked; a small thread reads it, so it hears the signal even while the GUI
thread is busy or stuck, and asks the GUI thread, through a queued Qt signal, to close every
window: the main window's closeEvent saves and stops the worker, as when the user closes it.
If the window does not close, a second signal at least REPEAT_S later ends the process then and
there (a plain `kill` of a hung window works again, twice). Two that come together, as a closing
terminal and a session ending send them, count as one.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from types import FrameType

QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
REPEAT_S = 1.0  # a second signal this long after the first ends the process without closing
_STOP = 0  # the byte uninstall() sends the thread (no signal has number 0)


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    """The Python-level handler: the work is the thread's (it must be set, or the signal's default,
    ending the process, would apply)."""


class QuitOnSignals:
    """`install` the handlers at once; `connect` the action once a QApplication exists. A signal
    that comes before that is kept and acted on when connected."""

    def __init__(self) -> None:
        self.received: list[int] = []  # the signals heard, in order
        self._first_at: float | None = None
        self._lock = threading.Lock()
        self._request: Callable[[], None] | None = None  # posts the action to the GUI thread
        self._bridge = None
        self._old: dict[int, object] = {}
        self._old_fd = -1
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        self._thread: threading.Thread | None = None

    def install(self) -> QuitOnSignals:
        r, w = socket.socketpair()
        w.setblocking(False)  # the C handler must never block
        self._sockets = (r, w)
        self._old_fd = signal.set_wakeup_fd(w.fileno(), warn_on_full_buffer=False)
        for s in QUIT_SIGNALS:
            self._old[s] = signal.signal(s, _ignore)
        self._thread = threading.Thread(target=self._listen, name="quit-signals", daemon=True)
        self._thread.start()
        return self

    def connect(self, action: Callable[[], None]) -> None:
        """Run `action` on the GUI thread when one of QUIT_SIGNALS comes (soon, if one came)."""
        from PySide6.QtCore import QObject, QTimer, Signal

        class Bridge(QObject):  # lives on the GUI thread: emitted from the listener, it queues
            requested = Signal()

        self._bridge = Bridge()
        self._bridge.requested.connect(action)
        with self._lock:
            self._request = self._bridge.requested.emit
            pending = bool(self.received)
        if pending:  # on the event loop, once it runs: a quit before exec() would be lost
            QTimer.singleShot(0, self._request)

    def _listen(self) -> None:
        r = self._sockets[0]
        while True:
            try:
                data = r.recv(64)
            except OSError:
                return
            for signum in data:
                if signum == _STOP:
                    return
                if signum in QUIT_SIGNALS:
                    self._heard(signum)

    def _heard(self, signum: int) -> None:
        now = time.monotonic()
        with self._lock:
            self.received.append(signum)
            first, request = self._first_at, self._request
            if first is None:
                self._first_at = now
        if first is None:
            if request is not None:
                request()
        elif now - first >= REPEAT_S:  # asked again, and the window has not closed
            os._exit(128 + signum)

    def uninstall(self) -> None:
        """Put back the handlers there were before and end the thread (tests)."""
        for s, old in self._old.items():
            signal.signal(s, old)
        self._old = {}
        if self._sockets is not None:
            signal.set_wakeup_fd(self._old_fd)
            self._sockets[1].send(bytes([_STOP]))
            self._thread.join(5)
            for sock in self._sockets:
                sock.close()
            self._sockets = None
        with self._lock:
            self._request = None
        self._bridge = None
