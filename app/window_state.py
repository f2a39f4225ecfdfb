"""What the window keeps between runs: its settings (geometry, page, columns, pens, cell, device), the
typed text and the drawings, restored at start, saved soon after an edit and on close, and what went
wrong doing so."""

from __future__ import annotations

import sys

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QTextCursor

from app.settings import read_bool, read_int
from app.text_page import CELL_NAMES

DEFAULT_SIZE = QSize(1400, 860)  # every view at a readable size, on a 1440x900 screen or larger


SCREEN_MARGIN = QSize(40, 60)  # room for the window's frame and title bar


KEEP_TEXT_CHARS = 100_000  # the editor's text kept between runs, its end (1 MB took 240 ms to restore)


MOST_UNITS = 4095  # a saved followed unit past this is damage, not a bigger network


class KeptState:
    """A part of MainWindow (app/window.py), which it is mixed into."""

    def _restore(self) -> None:
        geo = self.settings.value("window/geometry")
        # Qt refuses a damaged one, and one saved on a larger screen than this (a laptop taken off
        # its monitor), leaving a 640x480 window: place it as on a first launch then.
        if not (isinstance(geo, QByteArray) and not geo.isEmpty() and self.restoreGeometry(geo)):
            self._first_placement()
        self.tabs.setCurrentIndex(read_int(self.settings, "window/page", 0, 0, self.tabs.count() - 1))
        for key, page in (("digits", self.digits), ("text", self.text)):
            state = self.settings.value(f"{key}/columns")
            if isinstance(state, QByteArray):
                page.splitter.restoreState(state)  # False, and nothing changed, for a damaged one
        pen = self.digits.pen
        pen.setValue(read_int(self.settings, "digits/pen", pen.value(), pen.minimum(), pen.maximum()))
        self.digits.steps_box.setChecked(read_bool(self.settings, "digits/steps", False))
        pen = self.number.pen
        pen.setValue(read_int(self.settings, "number/pen", pen.value(), pen.minimum(), pen.maximum()))
        units = {c: read_int(self.settings, f"text/unit_{c}", -1, -1, MOST_UNITS) for c in CELL_NAMES}
        self.text.set_units({c: u for c, u in units.items() if u >= 0})
        text = self.settings.value("text/content", "")
        if isinstance(text, str) and text:  # what was typed last time, caret at its end
            self.text.editor.setPlainText(text)
            self.text.editor.moveCursor(QTextCursor.MoveOperation.End)
        self._restore_notices = [n for n in (kept.restore() for kept in self._drawings) if n]

    def _first_placement(self) -> None:
        """The first launch: DEFAULT_SIZE, shrunk to the screen's free area (a 1366x768 laptop
        would otherwise hide the status bar and the canvas's buttons below its edge), centred."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(DEFAULT_SIZE)
            return
        free = screen.availableGeometry()
        size = DEFAULT_SIZE.boundedTo(free.size() - SCREEN_MARGIN).expandedTo(self.minimumSizeHint())
        self.resize(size)
        # The frame (title bar, borders) is not known before the window is shown: centre the client
        # area and leave the margin for it.
        self.move(free.center() - QRect(QPoint(0, 0), size).center())

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/page", self.tabs.currentIndex())
        self.settings.setValue("text/cell", self.text.cell)
        for c in CELL_NAMES:
            self.settings.setValue(f"text/unit_{c}", self.text.units.get(c, -1))
        self.settings.setValue("digits/columns", self.digits.splitter.saveState())
        self.settings.setValue("text/columns", self.text.splitter.saveState())
        self.settings.setValue("digits/pen", self.digits.pen.value())
        self.settings.setValue("digits/steps", self.digits.steps_box.isChecked())
        self.settings.setValue("number/pen", self.number.pen.value())
        self.settings.setValue("digits/net", self._digit_net)
        self._store_work(closing=True)
        if not self._device_from_env:
            self.settings.setValue("device", self.device_pref)
        self.settings.setValue("keep_cpus_awake", self.awake.enabled)
        self._sync()

    def _store_work(self, closing: bool = False) -> None:
        self._save_soon.stop()
        self.settings.setValue("text/content", self.text.editor.toPlainText()[-KEEP_TEXT_CHARS:])
        for kept in self._drawings:
            kept.store(always=closing)

    def _save_work(self) -> None:
        """The editor's text (its end) and the drawings onto disk SAVE_SOON_MS after the last
        edit or stroke, not only on close: a crash or a power cut loses at most that. ~5 ms for
        100 kB of text, at a pause."""
        self._store_work()
        self._sync()

    def _sync(self) -> None:
        """Save, and name a failed save in the status bar (and on stderr: on close the window
        is going)."""
        problem = self.settings.save()
        if problem and problem != self._save_problem:
            self.say(problem, 0)
            print(f"nn-playground: {problem}", file=sys.stderr)
        elif self._save_problem and not problem:
            self.say(f"Saved to {self.settings.fileName()} again", 5000)
        self._save_problem = problem

    def _settings_notice(self) -> str:
        if self.settings.notice:
            return self.settings.notice
        if not self.settings.isWritable():
            return f"{self.settings.fileName()} is read-only: changed settings will not be kept"
        if self.settings_shared:
            return (
                f"Another window of the playground uses {self.settings.fileName()}: the one closed last "
                "keeps its typed text and settings (--settings FILE gives this one its own)"
            )
        return ""
