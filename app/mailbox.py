"""A one-slot-per-kind mailbox: the GUI posts its newest request, the worker takes the newest.

Posting never blocks and never queues a backlog: a request that has not been taken yet is simply
replaced. `post` tells the caller whether the worker needs waking (no wake already pending).
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
    def __init__(self, priority: tuple[str, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, Request] = {}
        self._seq = 0
        self._wake_pending = False
        self._priority = priority  # kinds taken first, e.g. control requests before work

    def post(self, kind: str, payload: Any) -> tuple[int, bool]:
        """Store the newest request of its kind; returns (sequence number, whether to wake the worker)."""
        with self._lock:
            self._seq += 1
            self._slots[kind] = Request(kind, self._seq, payload)
            wake = not self._wake_pending
            self._wake_pending = True
            return self._seq, wake

    def take(self) -> Request | None:
        """The next request to compute (control kinds first, then the oldest posted), or None when empty.

        When it returns None the wake flag is cleared, so the next post wakes the worker again.
        """
        with self._lock:
            if not self._slots:
                self._wake_pending = False
                return None
            for kind in self._priority:
                if kind in self._slots:
                    return self._slots.pop(kind)
            kind = min(self._slots, key=lambda k: self._slots[k].seq)
            return self._slots.pop(kind)

    def clear(self) -> None:
        with self._lock:
            self._slots.clear()
            self._wake_pending = False

    def __len__(self) -> int:
        with self._lock:
            return len(self._slots)
