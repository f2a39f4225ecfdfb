"""How busy the shared machine was during a measurement: CPU time the hypervisor gave elsewhere.

This VM's speed swings by up to 1.7x within the hour; in its slow spells /proc/stat's 'steal'
counter (time this VM's CPUs were ready to run but not given the hardware) climbs to a fifth of
the CPU time. The benchmarks print it beside their figures so a figure can be read for what it is.
Also a diagnostic that keeps every CPU from idling (spinner processes at the lowest priority).
Not part of the product.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator


def _steal_field(stat: bytes) -> float:
    """The steal column of /proc/stat's first line (all CPUs), in ms."""
    return int(stat.split(None, 9)[8]) * 1e3 / os.sysconf("SC_CLK_TCK")


def stolen_ms() -> float | None:
    """Total steal of all CPUs so far, in ms; None where the kernel does not report it."""
    try:
        with open("/proc/stat", "rb") as f:
            return _steal_field(f.readline())
    except (OSError, IndexError, ValueError, AttributeError):
        return None


class _ProcFile:
    """A /proc file kept open for reading every millisecond: one pread takes ~10 us (opening it
    each time, ~40). read() gives None where the file is not there (not Linux, a kernel without it)."""

    def __init__(self, path: str) -> None:
        try:
            self._fd: int | None = os.open(path, os.O_RDONLY)
        except (OSError, AttributeError):
            self._fd = None

    def read(self, size: int = 256) -> bytes | None:
        if self._fd is None:
            return None
        try:
            return os.pread(self._fd, size, 0)
        except OSError:
            return None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.close()


class StealCounter(_ProcFile):
    """ms(): the host's steal so far, for sampling every millisecond. The kernel counts steal in
    10 ms ticks, at the tick after it."""

    def __init__(self) -> None:
        super().__init__("/proc/stat")

    def ms(self) -> float | None:
        raw = self.read()
        try:
            return None if raw is None else _steal_field(raw)
        except (IndexError, ValueError):
            return None


class RunQueueWait(_ProcFile):
    """ms(): how long the thread that made this has waited, runnable, for a CPU so far (the second
    field of its /proc schedstat). Across a stall it tells a thread kept off a busy CPU (it rises)
    from one asleep, waiting to be woken (it does not)."""

    def __init__(self) -> None:
        super().__init__(f"/proc/self/task/{threading.get_native_id()}/schedstat")

    def ms(self) -> float | None:
        raw = self.read(128)
        try:
            return None if raw is None else int(raw.split()[1]) / 1e6
        except (IndexError, ValueError):
            return None


class StealMeter:
    """`with StealMeter() as m: ...` then `m.line()`: the steal during the block, as a share of
    the CPU time the machine had in that time."""

    def __enter__(self) -> StealMeter:
        self._t0, self._s0 = time.perf_counter(), stolen_ms()
        self.stolen = self.seconds = None
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t0
        s1 = stolen_ms()
        self.stolen = None if s1 is None or self._s0 is None else s1 - self._s0

    def line(self) -> str:
        if self.stolen is None or not self.seconds:
            return "CPU stolen from this VM: not reported here"
        share = self.stolen / (self.seconds * 1e3 * (os.cpu_count() or 1))
        return (
            f"CPU stolen from this VM by its host during the measurement: {self.stolen:.0f} ms ({share:.1%})"
        )


# Each spinner: lowest scheduling class (SCHED_IDLE: it runs only when nothing else wants the
# CPU, and any woken thread preempts it at once), pinned to one CPU, counting until killed.
_SPIN = """
import os, sys
cpu = int(sys.argv[1])
os.sched_setaffinity(0, {cpu})
os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
print("spinning", flush=True)
x = 0
while True:
    x += 1
"""


@contextlib.contextmanager
def cpus_kept_busy() -> Iterator[list[subprocess.Popen]]:
    """Keep every usable CPU from idling for the block: one lowest-priority spinner process each.

    A diagnostic for virtual machines (the app itself holds a CpuLatencyRequest, the kernel's way
    to the same end): an idle virtual CPU is handed back to the host, and a thread woken on it
    waits until the host runs that CPU again. With the CPUs never idle the wait is gone, so what a
    benchmark still shows is not it. Linux only
    (SCHED_IDLE); elsewhere, or where a spinner cannot start, it yields the ones that did (maybe none).
    """
    procs: list[subprocess.Popen] = []
    try:
        cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "SCHED_IDLE") else []
        for cpu in cpus:
            p = subprocess.Popen(
                [sys.executable, "-c", _SPIN, str(cpu)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
            if p.stdout is not None and p.stdout.readline().strip() == b"spinning":
                procs.append(p)
            else:  # it could not set its CPU or class
                p.kill()
                p.wait()
        yield procs
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()
            if p.stdout is not None:
                p.stdout.close()
