"""Run the engines' load on the GUI thread's core, so the GUI thread is not starved of the GIL.

While the worker imports torch it runs Python and drops the GIL around every file system call
(imports stat and read hundreds of files). A GUI thread that wants the GIL is woken by each drop,
but on another core it takes a while to run, and by then the worker has taken the GIL back;
CPython only forces a hand-over after 5 ms with no switch at all, which these short drops keep
resetting. Measured with a 1 ms heartbeat while the engines loaded: blocks of 80-220 ms. With
both threads on one core the woken GUI thread preempts the worker at once (the kernel favours a
thread that has slept), so the worker's next drop hands the GIL over: longest block 33-48 ms,
the rest of it torch's one long C call registering its bindings. The load itself is not slower:
it is single-threaded anyway.

Linux only (sched_setaffinity); elsewhere, or with one core allowed, nothing changes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from app.tuning import enabled as tuning_enabled


def _thread_ids() -> list[int]:
    try:
        return [int(t) for t in os.listdir("/proc/self/task")]
    except OSError:
        return []


def _set(tid: int, cpus: set[int]) -> bool:
    try:
        os.sched_setaffinity(tid, cpus)
        return True
    except OSError:  # the thread has ended, or this is not allowed here
        return False


@contextlib.contextmanager
def sharing_one_core(other_tid: int) -> Iterator[bool]:
    """Pin the calling thread and thread `other_tid` to one core for the block; yields whether it did.

    Afterwards every thread of the process left on that one core (the two, and any thread started
    meanwhile, which inherits the pin) gets back the cores it had before.
    """
    if not hasattr(os, "sched_setaffinity") or not tuning_enabled("one_core"):
        yield False
        return
    try:
        allowed = os.sched_getaffinity(0)
    except OSError:
        yield False
        return
    if len(allowed) < 2:
        yield False
        return
    one = {min(allowed)}
    pinned = _set(other_tid, one) and _set(0, one)  # the other first: if it has gone, pin nothing
    try:
        yield pinned
    finally:
        for tid in _thread_ids():
            try:
                if os.sched_getaffinity(tid) == one:
                    _set(tid, allowed)
            except OSError:
                pass
        _set(0, allowed)
