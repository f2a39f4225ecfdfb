"""Screenshots of both pages for the README: `python -m app --screenshot docs/screenshot`."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

DEMO_TEXT = "The networc reads evry letter as you type"


def _demo_strokes():
    from engine.digits.data import load_pendigits, pendigits_path
    from engine.digits.strokes import fit_strokes

    if pendigits_path().is_file():
        d = next(d for d in load_pendigits() if d.label == 5)
        return fit_strokes(d.strokes, 280, 200)
    import numpy as np  # a hand-made 7 when the data is not here

    return [np.float32([[80, 60], [200, 60], [120, 230]])]


def schedule_screenshots(win, prefix: str) -> None:
    from app.replay import draw

    def go() -> None:
        if not win.ready:
            QTimer.singleShot(200, go)
            return
        win.tabs.setCurrentIndex(0)
        draw(win.digits.canvas, _demo_strokes())
        QTimer.singleShot(1500, shot_digits)

    def shot_digits() -> None:
        win.digits.select_map("act2", 3)
        QApplication.processEvents()
        win.grab().save(f"{prefix}-digits.png")
        win.tabs.setCurrentIndex(1)
        win.text.editor.setFocus()
        from PySide6.QtTest import QTest

        QTest.keyClicks(win.text.editor, DEMO_TEXT)
        QTimer.singleShot(2500, shot_text)

    def shot_text() -> None:
        win.grab().save(f"{prefix}-text.png")
        win.close()

    QTimer.singleShot(100, go)
