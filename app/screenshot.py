"""Screenshots of the pages for the README: `python -m app --screenshot docs/screenshot`."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

# Typed after DEMO_LEAD, which is put in at once: one sentence of about 200 letters, so the
# screenshots show how the heatmaps label every letter of a long one.
DEMO_LEAD = (
    "A recurrent network carries its hidden state from one letter to the next, and its gates decide "
    "at every step what to keep and what to forget, which is how "
)
DEMO_TEXT = "The networc reads evry letter as you type"
DEMO_NUMBER = "2026"


def _demo_strokes():
    from engine.digits.data import load_pendigits, pendigits_path
    from engine.digits.strokes import fit_strokes

    if pendigits_path().is_file():
        d = next(d for d in load_pendigits() if d.label == 5)
        return fit_strokes(d.strokes, 280, 200)
    import numpy as np  # a hand-made 7 when the data is not here

    return [np.float32([[80, 60], [200, 60], [120, 230]])]


def _demo_number_strokes():
    """The demo number written by one pen-data writer, on the Number page's canvas."""
    import numpy as np

    from engine.digits.data import load_pendigits, pendigits_path
    from engine.number.synth import place_strokes

    if not pendigits_path().is_file():  # hand-made ones when the data is not here
        one = np.float32([[0, 0], [0, 150]])
        return [one + np.float32([60 + 90 * i, 60]) for i in range(3)]
    mine = [d for d in load_pendigits() if d.writer == 27]
    digits = [next(d for d in mine if d.label == int(c)) for c in DEMO_NUMBER]
    n = len(digits)
    strokes, _, _ = place_strokes([d.strokes for d in digits], [150.0] * n, [45.0] * n, [0.0] * n)
    return [s + np.float32([60, 60]) for s in strokes]


def schedule_screenshots(win, prefix: str, size: tuple[int, int] | None = None) -> None:
    """Draw the demo digit at 120 Hz and type the demo text at 15 keys a second, as benchmarks.app does,
    so the history strip and the status bar's latency show what a user would see."""
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    from app.replay import at_pace, send_stroke_event, stroke_events
    from app.window_state import DEFAULT_SIZE

    running: list[QTimer] = []  # keeps the replay timers alive
    # The README's size, whatever the screen (offscreen's screen is 800x800), or the one asked for.
    win.resize(*size) if size else win.resize(DEFAULT_SIZE)

    def go() -> None:
        if win.load_failed:  # nothing would ever be drawn: say so and end, rather than wait forever
            print("nn-playground: no screenshots: the networks could not be loaded", file=sys.stderr)
            win.close()
            QApplication.instance().exit(1)
            return
        if not win.ready:
            QTimer.singleShot(200, go)
            return
        win.tabs.setCurrentIndex(0)
        events = list(stroke_events(win.digits.canvas, _demo_strokes()))
        steps = [lambda k=k, p=p: send_stroke_event(win.digits.canvas, k, p) for k, p in events]
        running.append(at_pace(steps, 1000 / 120, lambda: QTimer.singleShot(1000, shot_digits)))

    def shot_digits() -> None:
        win.digits.select_map("act2", 3)
        QApplication.processEvents()
        win.grab().save(f"{prefix}-digits.png")
        win.tabs.setCurrentIndex(1)
        space = win.text.found.get(win.text.cell, {}).get("space")
        if space:  # the strip under the suggestions follows the unit that tracks spaces
            win.text.follow_unit(space["unit"])
        win.text.editor.setFocus()
        win.text.editor.setPlainText(DEMO_LEAD)
        win.text.editor.moveCursor(QTextCursor.MoveOperation.End)
        steps = [lambda c=c: QTest.keyClicks(win.text.editor, c) for c in DEMO_TEXT.lower()]
        running.append(at_pace(steps, 1000 / 15, lambda: QTimer.singleShot(1000, shot_text)))

    def shot_text() -> None:
        win.grab().save(f"{prefix}-text.png")
        shot_window_cells(["cnn", "transformer"])

    def shot_window_cells(cells: list[str]) -> None:
        """The same sentence read by the temporal CNN and the Transformer, each in its own picture."""
        if not cells:
            win.text.set_cell("lstm")
            shot_number_start()
            return
        win.text.set_cell(cells[0])
        QTimer.singleShot(
            2500,
            win,
            lambda: (win.grab().save(f"{prefix}-text-{cells[0]}.png"), shot_window_cells(cells[1:])),
        )

    def shot_number_start() -> None:
        win.tabs.setCurrentWidget(win.number)
        QApplication.processEvents()  # laid out: the canvas's place on screen is known
        canvas = win.number.canvas
        steps = [
            lambda k=k, p=p: send_stroke_event(canvas, k, p)
            for k, p in stroke_events(canvas, _demo_number_strokes())
        ]
        running.append(at_pace(steps, 1000 / 120, lambda: QTimer.singleShot(1000, shot_number)))

    def shot_number() -> None:
        res = win.number.result
        if res is not None and res.digits:  # the pointer on the second digit's column, read out
            win.number.view.set_hover(res.digits[min(1, len(res.digits) - 1)].first)
        win.grab().save(f"{prefix}-number.png")
        compare = win.pages.get("compare")
        if compare is None:
            win.close()
            return
        win.tabs.setCurrentWidget(compare)
        QApplication.processEvents()
        steps = [
            lambda k=k, p=p: send_stroke_event(compare.canvas, k, p)
            for k, p in stroke_events(compare.canvas, _demo_strokes())
        ]
        # Bound to the window: a caller may close it once it has the pages it wanted.
        running.append(at_pace(steps, 1000 / 120, lambda: QTimer.singleShot(1000, win, shot_compare), win))

    def shot_compare(waited: float = 0.0) -> None:
        compare = win.pages["compare"]
        if compare.table.result is None and waited < 60:  # the table is measured in its own process
            QTimer.singleShot(500, win, lambda: shot_compare(waited + 0.5))
            return
        compare.row_slider.setValue(max(1, compare.row_slider.maximum() * 2 // 3))
        QApplication.processEvents()
        win.grab().save(f"{prefix}-compare.png")
        win.close()

    QTimer.singleShot(100, go)
