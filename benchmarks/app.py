"""GUI latency benchmark: `python -m benchmarks.app [--digits 40] [--keys 300] [--numbers 12] [--compare 0] [--runs 1] [--control S]`.

Replays pen-drawn digits (pendigits, writers held out of training) as mouse events at 120 Hz
into the real window (offscreen unless a display is set) with every visual on, types text at
15 keys a second, and writes numbers of 2-5 of those digits on the Number page at 120 Hz.
Prints stroke-to-painted-prediction (and -number) and keystroke-to-painted-suggestion latency
(p50 / p95), where that time went (waiting for the worker, computing, delivering the result to
the GUI thread, painting), and the GUI thread's longest block, measured by a 1 ms heartbeat timer
on the GUI thread. For each block it also gives how much of it the GUI thread spent running
(its CPU time) and how much the whole process did, sorts the blocks over 16 ms by what filled
them (the GUI thread's own work, the other threads, or the machine not running this VM), and
prints the CPU time the hypervisor took from this VM during each part (/proc/stat steal) and
around how many of the blocks it took some (against the share of all stretches of that length
that hold steal, the rate by coincidence). For a
block of the GUI thread's own work it also says how fast the worker computed meanwhile, and how
fast the GUI thread handled the replayed input (a pen move, a key): each is the same work every
time, so its CPU time gauges the speed of the machine, and of the core that thread ran on, then.

`python -m benchmarks.app --control 13 [--runs N]` runs the same heartbeat with no window while a
thread computes beside it on one core as the worker does: what it counts over 16 ms is the
machine's own, the floor against which the app's blocks are to be read.

Each run says whether the app held its CPU latency request (Device > Keep CPUs quick to wake while
in use, off by default); `--keep-awake` measures it with that setting on.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import deque

import numpy as np

from app.text.cells import CELL_NAMES  # no torch: the app loads it as it would
from benchmarks.app_perf import BLOCKS_ENV
from benchmarks.machine_load import RunQueueWait, StealCounter, cpus_kept_busy


def reset_stats(win, kind: str) -> None:
    """Keep every latency of the run (the window keeps only the last 100)."""
    win.latency[kind].values = deque(maxlen=1_000_000)
    for st in win.phases[kind].values():
        st.values = deque(maxlen=1_000_000)


def phases_line(win, kind: str) -> str:
    parts = []
    for name, st in win.phases[kind].items():
        a = np.fromiter(st.values, float)
        if len(a):
            parts.append(f"{name} {np.percentile(a, 50):.1f}/{np.percentile(a, 95):.1f}")
    return f"  where the time went, p50/p95 ms: {', '.join(parts)}"


def figures(lat: np.ndarray) -> str:
    if not len(lat):
        return "nothing painted"
    return f"p50 {np.percentile(lat, 50):.1f} ms  p95 {np.percentile(lat, 95):.1f} ms  max {lat.max():.1f} ms"


class Heartbeat:
    """A 1 ms timer on the GUI thread; a late beat means the thread was blocked that long.

    For each gap it also keeps the GUI thread's CPU time and the whole process's (all threads):
    a gap where the GUI thread did not run but the process did was a wait for the GIL or for the
    other core; one where neither ran was the machine. And at each beat the host's steal counter
    (~10 us a read), to say whether the host took the CPU around each block (StealCounter).
    """

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []  # ms between beats, minus the 1 ms period
        self.cpu: list[float] = []  # GUI thread CPU ms during each gap
        self.proc: list[float] = []  # process CPU ms (every thread) during each gap
        self.ends: list[float] = []  # when each gap ended, ms on app.latency's clock
        self.stolen: float | None = None  # host steal during the last part, ms
        self.computes: list[tuple[float, float, float]] = []  # the worker's (start, end, CPU ms)
        self.inputs: list[tuple[float, float, float]] = []  # the GUI thread's input handling, same
        self.steal: list[float] = []  # the host's steal counter at each beat, ms (NaN: not reported)
        # ms the GUI thread waited runnable for a CPU during each gap (NaN: not reported)
        self.queued: list[float] = []
        self._steal = StealCounter()
        self._queue = RunQueueWait()  # made here, on the GUI thread: it reads that thread's counter
        self.tid = threading.get_native_id()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        self.gaps.clear()
        self.cpu.clear()
        self.proc.clear()
        self.ends.clear()
        self.steal.clear()
        self.queued.clear()
        self.computes = []
        self.inputs = []
        self._stolen = self._steal.ms()
        self._last = (time.perf_counter(), time.thread_time(), time.process_time())
        self._queued = self._queue.ms()
        self._timer.start(1)

    def stop(self, label: str = "") -> None:
        self._timer.stop()
        now = self._steal.ms()
        self.stolen = None if now is None or self._stolen is None else now - self._stolen
        self._log_blocks(label)

    def _log_blocks(self, label: str) -> None:
        """Under `--perf` (benchmarks/app_perf.py), append this part's blocks over 16 ms to its file."""
        path = os.environ.get(BLOCKS_ENV)
        if not path:
            return
        rows = zip(self.ends, self.gaps, self.cpu, strict=True)
        blocks = [[round(e, 3), round(g, 3), round(c, 3)] for e, g, c in rows if g > 16.0]
        with open(path, "a") as f:
            f.write(json.dumps({"label": label, "tid": self.tid, "blocks": blocks}) + "\n")

    def _beat(self) -> None:
        now = (time.perf_counter(), time.thread_time(), time.process_time())
        self.gaps.append((now[0] - self._last[0]) * 1e3 - 1.0)
        self.cpu.append((now[1] - self._last[1]) * 1e3)
        self.proc.append((now[2] - self._last[2]) * 1e3)
        self.ends.append(now[0] * 1e3)
        steal = self._steal.ms()
        self.steal.append(np.nan if steal is None else steal)
        queued = self._queue.ms()
        self.queued.append(np.nan if queued is None or self._queued is None else queued - self._queued)
        self._queued = queued
        self._last = now

    # The kernel counts steal in 10 ms units at the tick (4 ms here) after it happened: a window
    # reaches this far past a block's end.
    STEAL_LAG_MS = 12.0

    def steal_around(self, over: float = 16.0) -> tuple[int, int, float] | None:
        """(blocks over `over` ms with steal counted around them, those blocks, the share of all
        stretches of the same length, `over` ms plus the lag, starting at any beat, that hold
        steal: the chance of it by coincidence); None where the kernel reports no steal."""
        st = np.asarray(self.steal, float)
        if len(st) < 2 or np.isnan(st).any():
            return None
        ends = np.asarray(self.ends)
        first = np.clip(np.arange(len(st)) - 1, 0, None)  # the beat before each gap
        blocks = np.flatnonzero(np.asarray(self.gaps) > over)
        last = np.minimum(np.searchsorted(ends, ends[blocks] + self.STEAL_LAG_MS), len(st) - 1)
        hit = int(((st[last] - st[first[blocks]]) > 0).sum())
        any_last = np.minimum(np.searchsorted(ends, ends[first] + over + self.STEAL_LAG_MS), len(st) - 1)
        share = float(((st[any_last] - st[first]) > 0).mean())
        return hit, len(blocks), share

    def worker_pace(self, start: float, end: float) -> float | None:
        """How much slower than its median the worker computed during [start, end] (ms, give or
        take 10 ms): it does the same computation for every request, so when it too ran several
        times slower, the whole machine was slow, not the GUI thread's work heavy."""
        return pace(self.computes, start - 10, end + 10)

    def gui_pace(self, start: float, end: float) -> float | None:
        """The same gauge on the GUI thread: how much slower than its median the GUI thread handled
        the replayed input (a pen move, a key: the same work each time) during [start, end], or
        within 35 ms of it when none came during it (keys come 66 ms apart)."""
        inside = pace(self.inputs, start, end)
        return inside if inside is not None else pace(self.inputs, start - 35, end + 35)

    def long_blocks(self, over: float = 16.0) -> dict[str, int]:
        """Blocks over `over` ms by what filled them: the GUI thread's own work (it ran for at least
        half the block), the other threads (they ran while it waited: the GIL or the second core),
        or the machine (no thread of this process ran: the VM was not scheduled)."""
        counts = {"GUI work": 0, "other threads": 0, "machine": 0}
        for gap, gui, proc in zip(self.gaps, self.cpu, self.proc, strict=True):
            if gap <= over:
                continue
            if gui >= gap / 2:
                counts["GUI work"] += 1
            elif proc - gui >= gap / 2:
                counts["other threads"] += 1
            else:
                counts["machine"] += 1
        return counts

    def gui_blocks(self, over: float = 16.0) -> list[str]:
        """Each block over `over` ms that the GUI thread ran for most of, with the worker's pace."""
        out = []
        for gap, gui, end in zip(self.gaps, self.cpu, self.ends, strict=True):
            if gap > over and gui >= gap / 2:
                paces = [
                    f"{who} {p:.1f}x its median"
                    for who, p in (
                        ("the GUI thread's input handling", self.gui_pace(end - gap, end)),
                        ("the worker's computation", self.worker_pace(end - gap, end)),
                    )
                    if p is not None
                ]
                out.append(
                    f"{gap:.1f} ms, GUI thread running {gui:.1f} ms"
                    + (f"; meanwhile {' and '.join(paces)}" if paces else "")
                )
        return out

    def summary(self) -> str:
        if not self.gaps:
            return "no heartbeat"
        i = int(np.argmax(self.gaps))
        busy = max(self.cpu)
        blocks = self.long_blocks()
        why = ", ".join(f"{k} {v}" for k, v in blocks.items() if v)
        stolen = (
            ""
            if self.stolen is None
            else f"\n  CPU stolen from this VM during the part: {self.stolen:.0f} ms"
        )
        gui = "".join(f"\n  GUI-work block: {b}" for b in self.gui_blocks())
        around = self.steal_around()
        steal = (
            f"\n  the host took CPU (steal) around {around[0]} of the {around[1]} blocks; around "
            f"{around[2]:.1%} of all stretches of their length"
            if around and around[1]
            else ""
        )
        return (
            f"GUI thread longest block {self.gaps[i]:.1f} ms (GUI thread running {self.cpu[i]:.1f} ms "
            f"of it, all threads {self.proc[i]:.1f} ms); longest running stretch {busy:.1f} ms; "
            f"blocks > 16 ms: {sum(blocks.values())}{f' ({why})' if why else ''}{gui}{steal}"
            f"{self.queued_line()}{stolen}"
        )

    def queued_line(self, over: float = 16.0) -> str:
        """How long, of the blocks over `over` ms, the GUI thread waited runnable for a CPU: near
        all of a block, a CPU busy elsewhere (another process, or the host running something else
        on it); near none, the thread asleep until woken (its timer, the GIL, the X server)."""
        gaps, queued = np.asarray(self.gaps, float), np.asarray(self.queued, float)
        if len(queued) != len(gaps) or not len(gaps):
            return ""
        big = gaps > over
        if not big.any() or np.isnan(queued[big]).any():
            return ""
        return (
            f"\n  in those blocks the GUI thread waited runnable for a CPU {queued[big].sum():.1f} of "
            f"{gaps[big].sum():.1f} ms (the rest it ran or slept until woken)"
        )


def pace(log: list[tuple[float, float, float]], start: float, end: float) -> float | None:
    """The median CPU time of the entries of `log` ((start, end, CPU ms), the same work each)
    that overlap [start, end], over the median of all: 1 is the usual pace, 3 three times slower."""
    if not log:
        return None
    med = float(np.median([c for _, _, c in log]))
    near = [c for t0, t1, c in log if t1 > start and t0 < end]
    return float(np.median(near)) / med if near and med > 0 else None


def timed_input(step, heart: Heartbeat, kinds=None):
    """`step` that also logs, for the steps `kinds(i)` says to, when it ran and its CPU time."""

    def run(i: int) -> None:
        t0, c0 = time.perf_counter() * 1e3, time.thread_time()
        step(i)
        if kinds is None or kinds(i):
            heart.inputs.append((t0, time.perf_counter() * 1e3, (time.thread_time() - c0) * 1e3))

    return run


def run_timed(n: int, period_ms: float, step) -> None:
    """Call step(i) at its due time from a 1 ms timer inside a real event loop (which sleeps
    between events, as the app's does), then let the last results arrive."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    loop = QEventLoop()
    start = time.perf_counter()
    done = [0]

    def tick() -> None:
        while done[0] < n and time.perf_counter() >= start + done[0] * period_ms / 1e3:
            step(done[0])
            done[0] += 1
        if done[0] >= n:
            driver.stop()
            QTimer.singleShot(500, loop.quit)

    driver = QTimer()
    driver.setTimerType(Qt.TimerType.PreciseTimer)
    driver.timeout.connect(tick)
    driver.start(1)
    loop.exec()


def measure(win, kind: str, n: int, period_ms: float, step, heart: Heartbeat, what: str) -> None:
    """Run step(0..n-1) on time with the heartbeat on, then print `what`, the latency figures,
    where the time went, and the GUI thread's longest block."""
    reset_stats(win, kind)
    heart.start()
    t0 = time.perf_counter() * 1e3
    run_timed(n, period_ms, step)
    heart.stop(what.split(":")[0])
    log = list(win.client.worker.compute_log)
    heart.computes = [(a, b, c) for k, a, b, c in log if k == kind and a >= t0]
    lat = np.array(win.latency[kind].values)
    answer = {"digit": "stroke-to-painted-prediction", "number": "stroke-to-painted-number",
              "compare": "stroke-to-painted-comparison"}  # fmt: skip
    print(f"{what}, {len(lat)} painted: {answer.get(kind, 'keystroke-to-painted-suggestion')} {figures(lat)}")
    print(phases_line(win, kind))
    print(f"  {heart.summary()}")


def bench_digits(win, events: list, hz: float, heart: Heartbeat, n_digits: int) -> None:
    from app.replay import send_stroke_event

    win.tabs.setCurrentIndex(0)
    selected = [False]

    def digit_step(i: int) -> None:
        kind, pos = events[i]
        if kind == "clear":
            win.digits.canvas.clear()
            if not selected[0] and win.digits.result is not None and not win.digits.result.empty:
                win.digits.select_map("act2", 1)  # the detail panel is on too
                selected[0] = True
        else:
            send_stroke_event(win.digits.canvas, kind, pos)

    what = f"digits: {n_digits} pen digits, {len(events)} mouse events at {hz:.0f} Hz"
    step = timed_input(digit_step, heart, lambda i: events[i][0] == "move")
    measure(win, "digit", len(events), 1000.0 / hz, step, heart, what)


def bench_compare(win, events: list, hz: float, heart: Heartbeat, n_digits: int) -> None:
    """The same pen digits on the Compare page: both networks and every view on each move."""
    from PySide6.QtWidgets import QApplication

    from app.replay import send_stroke_event

    page = win.pages["compare"]
    win.tabs.setCurrentWidget(page)
    # Its table is measured once, in a process of its own, when the page is first shown: the
    # replay starts when it is on screen, "every view on".
    t0 = time.perf_counter()
    while page.table.result is None and time.perf_counter() - t0 < 120:
        QApplication.processEvents()
        time.sleep(0.01)
    print(f"  the comparison table measured and shown {time.perf_counter() - t0:.1f} s after the page")

    def compare_step(i: int) -> None:
        kind, pos = events[i]
        if kind == "clear":
            page.canvas.clear()
        else:
            send_stroke_event(page.canvas, kind, pos)

    what = f"compare: {n_digits} pen digits, {len(events)} mouse events at {hz:.0f} Hz"
    step = timed_input(compare_step, heart, lambda i: events[i][0] == "move")
    measure(win, "compare", len(events), 1000.0 / hz, step, heart, what)


def number_strokes(n: int, seed: int = 0) -> list[tuple[str, list[np.ndarray]]]:
    """`n` numbers of 2-5 digits by the held-out writers, placed on the Number page's canvas as a
    hand writes them there (digits 150 px tall): (the number, its strokes)."""
    from engine.digits.data import load_pendigits
    from engine.number.line import CANVAS
    from engine.number.synth import place_strokes

    held_out = [d for d in load_pendigits() if d.writer >= 25]
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        pick = [held_out[i] for i in rng.integers(0, len(held_out), rng.integers(2, 6))]
        k = len(pick)
        strokes, w, h = place_strokes([d.strokes for d in pick], [150.0] * k, [40.0] * k, [0.0] * k)
        scale = min(1.0, (CANVAS[0] - 80) / w)  # five wide digits are shrunk to fit
        out.append(
            (
                "".join(str(d.label) for d in pick),
                [s * np.float32(scale) + np.float32([40, 60]) for s in strokes],
            )
        )
    return out


def bench_numbers(win, numbers: list, hz: float, heart: Heartbeat) -> None:
    from PySide6.QtWidgets import QApplication

    from app.replay import send_stroke_event, stroke_events

    win.tabs.setCurrentWidget(win.number)
    QApplication.processEvents()  # laid out: the canvas's place on screen is known
    events = []
    for _, strokes in numbers:
        events.extend(stroke_events(win.number.canvas, strokes))
        events.append(("clear", None))
    read = []

    def number_step(i: int) -> None:
        kind, pos = events[i]
        if kind == "clear":
            res = win.number.result
            read.append(res.text if res is not None else "")
            win.number.canvas.clear()
        else:
            send_stroke_event(win.number.canvas, kind, pos)

    what = f"numbers: {len(numbers)} written numbers, {len(events)} mouse events at {hz:.0f} Hz"
    step = timed_input(number_step, heart, lambda i: events[i][0] == "move")
    measure(win, "number", len(events), 1000.0 / hz, step, heart, what)
    right = sum(r == t for r, (t, _) in zip(read, numbers, strict=False))
    print(f"  read right when the pen lifted from the last digit: {right} of {len(numbers)}")


TYPED = "The networc reads evry letter as you tpye it and the hiden state carries what it has seen so far. "


def bench_text(win, keys: int, kps: float, heart: Heartbeat) -> None:
    from PySide6.QtTest import QTest

    win.tabs.setCurrentIndex(1)
    if win.text.units.get(win.text.cell) is None:  # every visual on: the strip follows a unit
        win.text.follow_unit(0)
    ed = win.text.editor
    ed.clear()
    ed.setFocus()
    text = TYPED * 20
    n = min(keys, len(text))
    what = f"text ({win.text.cell}): {n} keys at {kps:.0f}/s"
    step = timed_input(lambda i: QTest.keyClicks(ed, text[i]), heart)
    measure(win, "text", n, 1000.0 / kps, step, heart, what)
    print(f"  text now reads: {ed.toPlainText()[:90]!r}")


def control(seconds: float, runs: int) -> int:
    """The heartbeat in a bare event loop while another thread computes in bursts on one core, as
    the worker does (single-threaded numpy, the GIL released, ~3 ms of work then a 5 ms pause):
    the app's work taken away, what is left over 16 ms is the machine's."""
    import threading

    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    heart = Heartbeat()
    a = np.random.default_rng(0).random(100_000)
    out = np.empty_like(a)
    for _ in range(runs):
        stop = threading.Event()

        def compute(stop: threading.Event = stop) -> None:
            while not stop.is_set():
                for _ in range(2):
                    np.sin(a, out=out)
                time.sleep(0.005)

        busy = threading.Thread(target=compute, daemon=True)
        busy.start()
        heart.start()
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        heart.stop("control")
        stop.set()
        busy.join()
        print(f"control, {seconds:g} s with no window: {heart.summary()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--digits", type=int, default=40, help="how many pen digits to replay (0: none)")
    ap.add_argument("--keys", type=int, default=300, help="how many keystrokes to type (0: none)")
    ap.add_argument("--numbers", type=int, default=12, help="how many written numbers to replay (0: none)")
    ap.add_argument(
        "--compare", type=int, default=0, help="how many pen digits to replay on the Compare page"
    )
    ap.add_argument("--hz", type=float, default=120.0)
    ap.add_argument("--kps", type=float, default=15.0, help="keys per second")
    ap.add_argument("--runs", type=int, default=1, help="repeat both parts this many times")
    ap.add_argument(
        "--cell", choices=tuple(CELL_NAMES), default="lstm", help="the cell that reads the typing"
    )
    ap.add_argument(
        "--control",
        type=float,
        default=0.0,
        help="instead: run the heartbeat alone for this many seconds, with no window and a thread "
        "computing beside it, to show the blocks this machine makes without the app",
    )
    ap.add_argument(
        "--busy-cpus",
        action="store_true",
        help="a diagnostic for virtual machines: keep every CPU from idling with a lowest-priority "
        "spinner process each while measuring, to show which blocks are an idle virtual CPU "
        "waiting for its host to run it again (the app's own 'Keep CPUs quick to wake' setting "
        "gets the same from the kernel, without extra processes)",
    )
    ap.add_argument(
        "--keep-awake",
        action="store_true",
        help="measure the app with its 'Keep CPUs quick to wake while in use' setting on (it is off "
        "by default), to show what that setting does here",
    )
    ap.add_argument("--no-keep-awake", action="store_true", help="the setting off (the default)")
    ap.add_argument(
        "--perf",
        action="store_true",
        help="run the benchmark under Linux perf and say, for each block over 16 ms, how long perf's "
        "1 kHz samples saw the GUI thread executing: on a virtual machine its CPU time can count a "
        "stall of its virtual CPU as work (benchmarks/app_perf.py)",
    )
    ap.add_argument(
        "--training",
        action="store_true",
        help="the same with the Train page's trainer running a CNN in its own process the whole time",
    )
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.training:
        return with_training_behind(args)
    if args.perf:
        from benchmarks import app_perf as bench_perf

        return bench_perf.run([a for a in (sys.argv[1:] if argv is None else argv) if a != "--perf"])
    if not args.busy_cpus:
        return measure_all(args)
    with cpus_kept_busy() as spinners:
        print(
            f"diagnostic run: {len(spinners)} CPUs kept from idling by lowest-priority spinners "
            "(not the app's own figures)"
        )
        return measure_all(args)


def with_training_behind(args: argparse.Namespace) -> int:
    """measure_all while a CNN trains in its own process (as the Train page runs it)."""
    import tempfile

    from engine.digits.train_process import TrainingProcess

    run = TrainingProcess(
        {"arch": "cnn", "seconds": 3600.0}, os.path.join(tempfile.mkdtemp(), "t.safetensors")
    )
    t0 = time.perf_counter()
    while not any(kind == "progress" for kind, _ in run.poll()):  # training, not still loading
        if not run.alive or time.perf_counter() - t0 > 180:
            print("the training process did not start", file=sys.stderr)
            return 1
        time.sleep(0.1)
    print(f"a CNN trains in its own process (started {time.perf_counter() - t0:.1f} s ago)")
    try:
        return measure_all(args)
    finally:
        seen = [b for k, b in run.poll(100_000) if k == "progress"]
        if seen:
            print(f"it saw {seen[-1]['examples']:,} examples meanwhile")
        run.kill()


def memory_mb() -> float | None:
    """This process's resident memory now, in MiB (Linux's /proc; None elsewhere)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def memory_line(label: str, base: float | None) -> str:
    now = memory_mb()
    if now is None:
        return f"memory {label}: not known on this system"
    grown = f", {now - base:+.1f} MiB since the engines loaded" if base is not None else ""
    return f"memory {label}: {now:.0f} MiB resident{grown}"


def keep_awake_line(win) -> str:
    if not win.awake.enabled:
        return "CPUs kept quick to wake while in use: no (the setting is off)"
    if win.awake.why_not:
        return f"CPUs kept quick to wake while in use: no, {win.awake.why_not}"
    return "CPUs kept quick to wake while in use: yes (a CPU latency request of 0 us while drawing or typing)"


def measure_all(args: argparse.Namespace) -> int:
    if args.control > 0:
        return control(args.control, args.runs)
    import tempfile

    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    from app.replay import stroke_events
    from app.window import MainWindow
    from engine.digits.data import load_pendigits
    from engine.digits.strokes import fit_strokes

    # The pen digits first: without them there is nothing to replay, and no window is left open.
    held_out = (
        [d for d in load_pendigits() if d.writer >= 25] if args.digits or args.numbers or args.compare else []
    )
    app = QApplication.instance() or QApplication([sys.argv[0]])
    t_launch = time.perf_counter()
    ini = os.path.join(tempfile.mkdtemp(), "bench.ini")
    preset = QSettings(ini, QSettings.Format.IniFormat)
    preset.setValue("text/cell", args.cell)
    preset.setValue("keep_cpus_awake", bool(args.keep_awake and not args.no_keep_awake))
    preset.sync()
    win = MainWindow(settings_path=ini)
    win.show()
    app.processEvents()
    shown = time.perf_counter() - t_launch
    # The window is up while torch and the engines load on the worker: it must stay responsive.
    heart = Heartbeat()
    heart.start()
    if not win.ready:
        loop = QEventLoop()
        win.engineReady.connect(loop.quit)
        loop.exec()
    heart.stop("loading")
    ready = time.perf_counter() - t_launch
    print(f"window shown {shown * 1e3:.0f} ms after start of construction; engines ready after {ready:.2f} s")
    print(f"  {keep_awake_line(win)}")
    print(f"  while they loaded: {heart.summary()}")

    digits = held_out[:: max(1, len(held_out) // max(args.digits, 1))][: args.digits]
    events = []
    for d in digits:
        events.extend(stroke_events(win.digits.canvas, fit_strokes(d.strokes, 280, 200)))
        events.append(("clear", None))
    win.digits.steps_box.setChecked(True)  # every visual on
    win.resize(1400, 860)
    # Let the requests posted when the engines became ready come back before measuring; they
    # would otherwise count the time spent above reading the pen digits.
    settle = time.perf_counter() + 0.5
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.005)

    # Memory after each run, against after loading: a leak per stroke, key or result grows it run by run.
    base = memory_mb()
    print(memory_line("with the engines loaded", None))
    for run in range(args.runs):
        if events:
            bench_digits(win, events, args.hz, heart, len(digits))
        if args.keys > 0:
            bench_text(win, args.keys, args.kps, heart)
        if args.numbers > 0:
            bench_numbers(win, number_strokes(args.numbers), args.hz, heart)
        if args.compare > 0:
            picked = held_out[:: max(1, len(held_out) // args.compare)][: args.compare]
            compare_events = []
            for d in picked:
                compare_events.extend(
                    stroke_events(win.pages["compare"].canvas, fit_strokes(d.strokes, 280, 200))
                )
                compare_events.append(("clear", None))
            bench_compare(win, compare_events, args.hz, heart, len(picked))
        print(memory_line(f"after run {run + 1} of {args.runs}", base))
    win.close()
    return 0


if __name__ == "__main__":
    from engine.bad_file import run_command

    sys.exit(run_command(main))  # missing data: one line and status 2, not a traceback
