"""A one-slot-per-kind mailbox: the GUI posts its newest request, the worker takes the newest.

Posting never blocks and never queues a backlog: a request that has not been taken yet is simply
replaced. Only kinds named `queued` keep every request, in order (corrections: one per finished
word, each must be answered). Kinds named `low` are taken only when nothing else waits (a visual
that may lag, never ahead of an answer the user waits for). `post` tells the caller whether the
worker needs waking.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any


@dataclass
class Request:
    kind: str
    seq: int
    payload: Any


class Mailbox:
    def __init__(
        self, priority: tuple[str, ...] = (), queued: tuple[str, ...] = (), low: tuple[str, ...] = ()
    ) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, Request] = {}
        self._queues: dict[str, list[Request]] = {k: [] for k in queued}
        self._seq = 0
        self._wake_pending = False
        self._priority = priority  # kinds taken first, e.g. control requests before work
        self._low = low  # kinds taken last

    def post(self, kind: str, payload: Any) -> tuple[int, bool]:
        """Store the newest request of its kind; returns (sequence number, whether to wake the worker)."""
        with self._lock:
            self._seq += 1
            req = Request(kind, self._seq, payload)
            if kind in self._queues:
                self._queues[kind].append(req)
            else:
                self._slots[kind] = req
            wake = not self._wake_pending
            self._wake_pending = True
            return self._seq, wake

    def take(self) -> Request | None:
        """The next request to compute (control kinds first, then the oldest posted, low kinds last),
        or None when empty.

        When it returns None the wake flag is cleared, so the next post wakes the worker again.
        """
        with self._lock:
            heads = dict(self._slots)
            heads.update({k: q[0] for k, q in self._queues.items() if q})
            if not heads:
                self._wake_pending = False
                return None
            kind = next((k for k in self._priority if k in heads), None)
            if kind is None:
                rest = [k for k in heads if k not in self._low] or list(heads)
                kind = min(rest, key=lambda k: heads[k].seq)
            if kind in self._queues:
                return self._queues[kind].pop(0)
            return self._slots.pop(kind)

    def clear(self) -> None:
        with self._lock:
            self._slots.clear()
            for q in self._queues.values():
                q.clear()
            self._wake_pending = False

    def __len__(self) -> int:
        with self._lock:
            return len(self._slots) + sum(len(q) for q in self._queues.values())
