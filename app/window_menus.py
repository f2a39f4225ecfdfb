"""The window's menus: File, View, Device and Help (the Edit menu is app/edit_menu.py)."""

from __future__ import annotations

import os
import sys

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from app.about import show_about
from app.edit_menu import EditMenu
from app.guide import show_guide
from app.shortcuts_help import show_shortcuts
from app.things_to_try import show_things_to_try

# Apple's GPUs (MPS) are offered on macOS, where torch may have them; elsewhere never.
DEVICES = (("Auto", "auto"), ("CPU", "cpu"), ("CUDA", "cuda")) + (
    (("Apple MPS", "mps"),) if sys.platform == "darwin" else ()
)


class WindowMenus:
    """A part of MainWindow (app/window.py), which it is mixed into."""

    def _set_explain(self, on: bool) -> None:
        self.explain.set_on(on)
        self.settings.setValue("view/explain", on)

    def _build_menus(self) -> None:
        m = self.menuBar().addMenu("&File")
        open_ = QAction("&Open picture...", self, shortcut=QKeySequence.StandardKey.Open)
        open_.setToolTip(
            "Read a photo, scan or screenshot of a digit (or drop one on the window); on the Number "
            "page, of a number"
        )
        open_.triggered.connect(lambda: self.pictures.open_dialog())
        m.addAction(open_)
        save = QAction("&Save plots as PNG...", self, shortcut=QKeySequence.StandardKey.Save)
        save.setToolTip("Save every plot of the current page as PNG files")
        save.triggered.connect(self.save_plots_dialog)
        m.addAction(save)
        m.addSeparator()
        # Ctrl+Q, not StandardKey.Quit: that is empty on some Linux desktops (and offscreen).
        quit_ = QAction("&Quit", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_.triggered.connect(self.close)
        m.addAction(quit_)

        self.edit_menu = EditMenu(self)  # undo, redo, copy, paste, clear: the shown page's

        v = self.menuBar().addMenu("&View")
        for i, name in enumerate(p.title for p in self.pages.values()):
            a = QAction(name, self, shortcut=QKeySequence(f"F{i + 1}"))
            a.triggered.connect(lambda _=False, k=i: self.tabs.setCurrentIndex(k))
            v.addAction(a)
        v.addSeparator()
        self.explain_action = QAction("&Explain what I point at", self, checkable=True)
        # Not F4: the F-keys are the pages' (a fourth page takes F4).
        self.explain_action.setShortcut(QKeySequence("Shift+F1"))
        self.explain_action.setChecked(self.explain.isVisibleTo(self))
        self.explain_action.toggled.connect(self._set_explain)
        v.addAction(self.explain_action)

        d = self.menuBar().addMenu("De&vice")
        self.device_group = QActionGroup(self)
        # $NNPG_DEVICE picks the device for this run only: saved once the user picks from the menu.
        self._device_from_env = bool(os.environ.get("NNPG_DEVICE", "").strip())
        self.device_pref = (
            os.environ["NNPG_DEVICE"].strip().lower()
            if self._device_from_env
            else str(self.settings.value("device", "auto"))
        )
        for name, key in DEVICES:
            a = QAction(name, self, checkable=True)
            a.setData(key)
            a.setChecked(key == self.device_pref)
            a.triggered.connect(lambda _=False, k=key: self.set_device(k))
            self.device_group.addAction(a)
            d.addAction(a)
        d.addSeparator()
        self.awake_action = QAction("&Keep CPUs quick to wake while in use", self, checkable=True)
        self.awake_action.setChecked(self.awake.enabled)
        self.awake_action.toggled.connect(self.set_keep_awake)
        d.addAction(self.awake_action)
        d.setToolTipsVisible(True)
        self._show_awake_state()

        h = self.menuBar().addMenu("&Help")
        guide = QAction("&Guide and glossary", self)
        guide.triggered.connect(lambda: show_guide(self))
        h.addAction(guide)
        things = QAction("&Things to try", self)
        things.triggered.connect(lambda: show_things_to_try(self))
        h.addAction(things)
        keys = QAction("&Keyboard shortcuts", self)
        keys.triggered.connect(lambda: show_shortcuts(self))
        h.addAction(keys)
        about = QAction("&About", self)
        about.triggered.connect(lambda: show_about(self, self.device_label.text(), self._models()))
        h.addAction(about)
