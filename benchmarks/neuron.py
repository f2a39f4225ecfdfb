"""The Neuron page while it trains: `python -m benchmarks.neuron [--seconds 10] [--hidden 8,8,8,8]`.

In the real window, a network of 4 hidden layers of 8 trains on 500 points (Play) while a click adds
a point to the plane every 50 ms (a press posted to the event queue, as a hand's would arrive) and a
right click takes one away. Prints the weight updates a second, the plane's redraws a second (each
redraw is the decision surface and every unit's picture) and click-to-painted latency p50/p95.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--hidden", default="8,8,8,8")
    ap.add_argument("--data", default="spiral")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from app.window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    win = MainWindow(settings_path=os.path.join(tempfile.mkdtemp(), "bench.ini"))
    win.resize(1400, 860)
    win.show()
    t_load = time.perf_counter()
    while not win.ready and time.perf_counter() - t_load < 120:  # the engines load first, on the worker
        app.processEvents()
        time.sleep(0.01)
    page = win.pages["neuron"]
    win.tabs.setCurrentWidget(page)
    page.data.setCurrentText(args.data)
    page.activation.setCurrentText("tanh")
    page.hidden.setText(args.hidden)
    page.reset()
    app.processEvents()
    plane = page.plane
    waiting: list[tuple[float, int]] = []  # (posted at, the number of points it makes)
    latencies: list[float] = []
    paints: list[float] = []

    def painted() -> None:
        now = time.perf_counter()
        paints.append(now)
        while waiting and len(plane.x) == waiting[0][1]:
            latencies.append((now - waiting.pop(0)[0]) * 1e3)

    plane.painted.connect(painted)
    unit_paints: list[float] = []
    original = page.net_view.set_network

    def counted(*a, **k) -> None:
        unit_paints.append(time.perf_counter())
        original(*a, **k)

    page.net_view.set_network = counted
    rng = np.random.default_rng(0)
    clicks = [0]

    def click() -> None:
        if waiting:
            return  # one at a time: each is timed from its own post to its own paint
        add = clicks[0] % 2 == 0
        clicks[0] += 1
        at = plane.to_screen(*rng.uniform(-2.5, 2.5, 2))
        button = Qt.MouseButton.LeftButton if add else Qt.MouseButton.RightButton
        ev = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(at), plane.mapToGlobal(at), button, button,
                         Qt.KeyboardModifier.NoModifier)  # fmt: skip
        waiting.append((time.perf_counter(), len(plane.x) + (1 if add else -1)))
        QApplication.postEvent(plane, ev)

    clicker = QTimer()
    clicker.timeout.connect(click)
    xt, yt, _, _ = page._split()
    probe = __import__("copy").deepcopy(page.net)
    t_probe = time.perf_counter()
    for _ in range(500):
        i = rng.integers(0, len(yt), 10)
        probe.step(xt[i], yt[i], 0.03)
    step_ms = (time.perf_counter() - t_probe) / 500 * 1e3
    page.play_btn.setChecked(True)
    t0 = time.perf_counter()
    u0 = page.net.updates
    clicker.start(50)
    while time.perf_counter() - t0 < args.seconds:
        app.processEvents()
        time.sleep(0.0005)
    clicker.stop()
    page.play_btn.setChecked(False)
    took = time.perf_counter() - t0
    updates = page.net.updates - u0
    frames = [t for t in paints if t >= t0]
    lat = np.asarray(latencies)
    xt, yt, xe, ye = page._split()
    print(f"{args.data}, hidden {args.hidden}, {len(page.y)} points, {took:.1f} s of Play on the Neuron page "
          f"(one update alone: {step_ms:.3f} ms here)")  # fmt: skip
    units = [t for t in unit_paints if t >= t0]
    print(f"  weight updates: {updates / took:,.0f} a second (batch {page.batch.value()}); the decision surface "
          f"redrawn {len(frames) / took:.0f} times a second, the {sum(page.net.hidden)} units' pictures "
          f"{len(units) / took:.0f} times")  # fmt: skip
    if len(lat):
        print(f"  click-to-painted, {len(lat)} clicks while training: p50 {np.percentile(lat, 50):.1f} ms  "
              f"p95 {np.percentile(lat, 95):.1f} ms  max {lat.max():.1f} ms")  # fmt: skip
    print(f"  train {page.net.accuracy(xt, yt):.3f}, test {page.net.accuracy(xe, ye):.3f}")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
