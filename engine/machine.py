"""The machine the engines run on: the cores a thread may use and how many threads the engines take.
What the app asks of the machine to run quicker is app/tuning's; how busy the machine was during a
measurement is the benchmarks' (benchmarks/machine_load.py)."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """Cores this thread may run on: a container's or taskset's limit, not the machine's count.

    Read it before app/tuning/one_core.py pins a thread, or it says 1.
    """
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def engine_threads(cores: int | None = None, leave_for_gui: int = 1) -> int:
    """How many CPU threads the engines get: the cores this process may use less the GUI thread's."""
    return max(1, (cores or usable_cores()) - leave_for_gui)
