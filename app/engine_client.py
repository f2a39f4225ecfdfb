"""The GUI side of the engines: pages post typed requests (app/protocol.py) and subscribe to the
result types they paint; the client routes each result to its subscribers. The worker thread, its
mailbox and its priorities stay behind it (app/worker.py).

A page is handed the client and never the window: a test gives it a FakeEngineClient
(tests/app/fake_engine.py) with the same surface, and the page runs without torch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from app import protocol as P
from app.latency import now_ms

R = TypeVar("R", bound=P.Result)


class EngineClientLike(Protocol):
    """What a page may use of a client (the real one, or a test's fake)."""

    failed: Any  # Signal(str, str): request kind, message
    status: Any  # Signal(object): EngineStatus

    def post(self, request: P.Request) -> int: ...

    def subscribe(self, result_type: type[R], callback: Callable[[int, R], None]) -> None: ...


class Routing(QObject):
    """Subscribers per result type, and the hook that sees every request posted (the window's
    latency bookkeeping). Shared by the client and the fake."""

    failed = Signal(str, str)
    status = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._subscribers: dict[type, list[Callable[[int, Any], None]]] = defaultdict(list)
        self._newest: dict[str, int] = {}  # per LATEST_ONLY kind, the seq last routed
        self.on_post: list[Callable[[P.Request, int, float], None]] = []  # (request, seq, posted at)

    def subscribe(self, result_type: type[R], callback: Callable[[int, R], None]) -> None:
        self._subscribers[result_type].append(callback)

    def route(self, seq: int, result: P.Result) -> None:
        if result.kind in P.LATEST_ONLY:
            if seq < self._newest.get(result.kind, 0):
                return  # stale: a newer answer is already on screen
            self._newest[result.kind] = seq
        for callback in self._subscribers.get(type(result), ()):
            callback(seq, result)

    def _posted(self, request: P.Request, seq: int, t: float) -> None:
        for hook in self.on_post:
            hook(request, seq, t)


class EngineClient(Routing):
    """Owns the worker thread; see the module docstring."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from app.worker import WorkerThread  # the worker's module imports nothing of the client

        self._thread = WorkerThread()
        wk = self._thread.worker
        wk.resultReady.connect(self.route)
        wk.newestReady.connect(self._take_newest)
        wk.failed.connect(self.failed)
        wk.status.connect(self.status)

    @property
    def worker(self):  # for the benchmark's compute log and tests that ask the engines directly
        return self._thread.worker

    def post(self, request: P.Request) -> int:
        t = now_ms()  # before posting: the worker may start on it at once
        seq = self._thread.worker.post(request)
        self._posted(request, seq, t)
        return seq

    def _take_newest(self, _kind: str) -> None:
        got = self._thread.worker.take_newest(_kind)
        if got is not None:
            self.route(*got)

    def running(self) -> bool:
        return self._thread.thread.isRunning()

    def stop(self, timeout_ms: int = 60000) -> bool:
        return self._thread.stop(timeout_ms)
