"""What the window keeps between runs: its settings (geometry, page, columns, pens, cell, device), the
typed text and the drawings, restored at start, saved soon after an edit and on close, and what went
wrong doing so."""

from __future__ import annotations

import sys

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication

from app.settings import read_int

DEFAULT_SIZE = QSize(1400, 860)  # every view at a readable size, on a 1440x900 screen or larger


SCREEN_MARGIN = QSize(40, 60)  # room for the window's frame and title bar


class KeptState:
    """A part of MainWindow (app/window.py), which it is mixed into."""

    def _restore(self) -> None:
        geo = self.settings.value("window/geometry")
        # Qt refuses a damaged one, and one saved on a larger screen than this (a laptop taken off
        # its monitor), leaving a 640x480 window: place it as on a first launch then.
        if not (isinstance(geo, QByteArray) and not geo.isEmpty() and self.restoreGeometry(geo)):
            self._first_placement()
        self.tabs.setCurrentIndex(read_int(self.settings, "window/page", 0, 0, self.tabs.count() - 1))
        self._restore_notices = [n for page in self.pages.values() for n in page.restore(self.settings)]

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
        self._store_work(closing=True)
        if not self._device_from_env:
            self.settings.setValue("device", self.device_pref)
        self.settings.setValue("keep_cpus_awake", self.keep_awake_choice)
        self._sync()

    def _store_work(self, closing: bool = False) -> None:
        self._save_soon.stop()
        for page in self.pages.values():
            page.save(self.settings, closing)

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
