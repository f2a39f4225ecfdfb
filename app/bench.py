"""GUI latency benchmark: `python -m app.bench [--digits 40] [--keys 300]`.

Replays pen-drawn digits (pendigits) as mouse events at 120 Hz into the real window (offscreen
unless a display is set) with every visual on, and types text at 15 keys a second. Prints
stroke-to-painted-prediction and keystroke-to-painted-suggestion latency (p50 / p95), and the GUI
thread's longest block, measured by a 1 ms heartbeat timer on the GUI thread.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np


def reset_stats(win, kind: str) -> None:
    """Keep every latency of the run (the window keeps only the last 100)."""
    from collections import deque

    win.latency[kind].values = deque(maxlen=1_000_000)
    for st in win.phases[kind].values():
        st.values = deque(maxlen=1_000_000)


def print_phases(win, kind: str) -> None:
    parts = []
    for name, st in win.phases[kind].items():
        a = np.fromiter(st.values, float)
        if len(a):
            parts.append(f"{name} {np.percentile(a, 50):.1f}/{np.percentile(a, 95):.1f}")
    print(f"  where the time went, p50/p95 ms: {', '.join(parts)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--digits", type=int, default=40, help="how many pen digits to replay")
    ap.add_argument("--keys", type=int, default=300, help="how many keystrokes to type")
    ap.add_argument("--hz", type=float, default=120.0)
    ap.add_argument("--kps", type=float, default=15.0, help="keys per second")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import tempfile

    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from app.replay import stroke_events
    from app.window import MainWindow
    from engine.digits.data import load_pendigits
    from engine.digits.strokes import fit_strokes

    app = QApplication.instance() or QApplication([sys.argv[0]])
    t_launch = time.perf_counter()
    win = MainWindow(settings_path=os.path.join(tempfile.mkdtemp(), "bench.ini"))
    win.show()
    app.processEvents()
    shown = time.perf_counter() - t_launch
    while not win.ready:
        app.processEvents()
        time.sleep(0.005)
    ready = time.perf_counter() - t_launch
    print(f"window shown {shown * 1e3:.0f} ms after start of construction; engines ready after {ready:.2f} s")

    digits = [d for d in load_pendigits() if d.writer >= 25][:: max(1, 1500 // max(args.digits, 1))][
        : args.digits
    ]
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

    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def beat() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    heart = QTimer()
    heart.setTimerType(Qt.TimerType.PreciseTimer)
    heart.timeout.connect(beat)

    def run_timed(n: int, period_ms: float, step) -> None:
        """Call step(i) at its due time from a 1 ms timer inside a real event loop (which sleeps
        between events, as the app's does), then let the last results arrive."""
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

    if events:
        bench_digits(win, events, args.hz, run_timed, heart, gaps, clock, last, len(digits))
    if args.keys > 0:
        bench_text(win, args.keys, args.kps, run_timed, heart, gaps, clock, last)
    win.close()
    return 0


def _figures(lat: np.ndarray) -> str:
    if not len(lat):
        return "nothing painted"
    return f"p50 {np.percentile(lat, 50):.1f} ms  p95 {np.percentile(lat, 95):.1f} ms  max {lat.max():.1f} ms"


def _beating(heart, gaps, clock, last) -> None:
    gaps.clear()
    last[0] = clock.nsecsElapsed()
    heart.start(1)


def bench_digits(win, events, hz, run_timed, heart, gaps, clock, last, n_digits) -> None:
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

    from app.replay import send_stroke_event

    reset_stats(win, "digit")
    _beating(heart, gaps, clock, last)
    run_timed(len(events), 1000.0 / hz, digit_step)
    heart.stop()
    lat = np.array(win.latency["digit"].values)
    block = max(gaps) - 1.0 if gaps else 0.0
    print(
        f"digits: {n_digits} pen digits, {len(events)} mouse events at {hz:.0f} Hz, {len(lat)} painted: "
        f"stroke-to-painted-prediction {_figures(lat)}; GUI thread longest block {block:.1f} ms "
        f"(heartbeat gaps p99 {np.percentile(gaps, 99):.1f} ms)"
    )
    if len(lat):
        print(f"  slowest updates: #{sorted(np.argsort(lat)[::-1][:6].tolist())} of {len(lat)}")
    print_phases(win, "digit")


def bench_text(win, keys, kps, run_timed, heart, gaps, clock, last) -> None:
    from PySide6.QtTest import QTest

    win.tabs.setCurrentIndex(1)
    ed = win.text.editor
    ed.setFocus()
    text = (
        "The networc reads evry letter as you tpye it and the hiden state carries what it has seen so far. "
        * 20
    )
    n = min(keys, len(text))
    reset_stats(win, "text")

    def key_step(i: int) -> None:
        QTest.keyClicks(ed, text[i])

    _beating(heart, gaps, clock, last)
    run_timed(n, 1000.0 / kps, key_step)
    heart.stop()
    lat = np.array(win.latency["text"].values)
    block = max(gaps) - 1.0 if gaps else 0.0
    print(
        f"text ({win.text.cell}): {n} keys at {kps:.0f}/s, {len(lat)} painted: "
        f"keystroke-to-painted-suggestion {_figures(lat)}; GUI thread longest block {block:.1f} ms"
    )
    print_phases(win, "text")
    print(f"text now reads: {ed.toPlainText()[:90]!r}")


if __name__ == "__main__":
    sys.exit(main())
