"""The Edit menu: undo, redo, copy, paste and clear for whichever page is shown.

The keys themselves are the pages' own (the canvas pages' shortcuts, the editor's): the menu shows
them and does what they do, so that a user who does not know the keys finds the commands. A
second, window-wide shortcut for the same key would make both ambiguous, and neither would fire.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from app.window import MainWindow


class EditMenu:
    def __init__(self, win: MainWindow) -> None:
        self.win = win
        menu = win.menuBar().addMenu("&Edit")
        menu.setToolTipsVisible(True)
        K = QKeySequence.StandardKey
        self.undo = self._item(
            menu,
            "&Undo",
            K.Undo,
            self._undo,
            "Take back the last stroke, clear or picture; on the Text page the last edit, a correction first",
        )
        self.redo = self._item(menu, "&Redo", K.Redo, self._redo, "Put back what Undo took")
        menu.addSeparator()
        self.copy = self._item(
            menu, "&Copy", K.Copy, self._copy, "The drawing as a picture; on the Text page the selected text"
        )
        self.paste = self._item(
            menu,
            "&Paste",
            K.Paste,
            self._paste,
            "A picture onto the canvas (one copied, or a picture file copied in a file manager); on the Text page text",
        )
        menu.addSeparator()
        self.clear = self._item(
            menu,
            "C&lear canvas",
            QKeySequence(Qt.Key.Key_Delete),
            self._clear,
            "Wipe the drawing (Undo brings it back)",
        )
        win.tabs.currentChanged.connect(lambda _i: self._page_shown())
        self._page_shown()

    @staticmethod
    def _item(menu, text: str, key, slot, tip: str) -> QAction:
        a = QAction(text, menu)
        a.setShortcut(QKeySequence(key))
        a.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # shown, answered by the page's own
        a.setToolTip(tip)
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    def _canvas(self):
        """The shown page's canvas, or None on the Text page."""
        page = self.win.tabs.currentWidget()
        return getattr(page, "canvas", None)

    def _page_shown(self) -> None:
        self.clear.setEnabled(self._canvas() is not None)

    def _undo(self) -> None:
        c = self._canvas()
        if c is not None:
            c.undo_stroke()
        else:
            self.win.text.editor.undo()

    def _redo(self) -> None:
        c = self._canvas()
        if c is not None:
            c.redo()
        else:
            self.win.text.editor.redo()

    def _copy(self) -> None:
        if self._canvas() is not None:
            self.win.pictures.copy()
        else:
            self.win.text.editor.copy()

    def _paste(self) -> None:
        if self._canvas() is not None:
            self.win.pictures.paste()
        else:
            self.win.text.editor.paste()

    def _clear(self) -> None:
        c = self._canvas()
        if c is not None:
            c.clear()
