"""The Edit menu: undo, redo, copy, paste and clear for whichever page is shown.

The keys themselves are the pages' own (the canvas pages' shortcuts, the editor's): the menu shows
them and does what they do, so that a user who does not know the keys finds the commands. A
second, window-wide shortcut for the same key would make both ambiguous, and neither would fire.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow


class EditMenu:
    def __init__(self, win: QMainWindow) -> None:  # the app's MainWindow (it imports this module)
        self.win = win
        menu = win.menuBar().addMenu("&Edit")
        menu.setToolTipsVisible(True)
        K = QKeySequence.StandardKey
        ed = win.text.editor
        # (text, key, on a drawing page (its canvas), on the Text page, tip)
        items = [
            ("&Undo", K.Undo, lambda c: c.undo_stroke(), ed.undo,
             "Take back the last stroke, clear or picture; on the Text page the last edit, a correction first"),
            ("&Redo", K.Redo, lambda c: c.redo(), ed.redo, "Put back what Undo took"),
            None,
            ("&Copy", K.Copy, lambda _c: win.pictures.copy(), ed.copy,
             "The drawing as a picture; on the Text page the selected text"),
            ("&Paste", K.Paste, lambda _c: win.pictures.paste(), ed.paste,
             "A picture onto the canvas (one copied, or a picture file copied in a file manager); "
             "on the Text page text"),
            None,
            ("C&lear canvas", Qt.Key.Key_Delete, lambda c: c.clear(), None, "Wipe the drawing (Undo brings it back)"),
        ]  # fmt: skip
        for item in items:
            if item is None:
                menu.addSeparator()
            else:
                self._item(menu, *item)
        self.clear = menu.actions()[-1]
        menu.addSeparator()
        words = menu.addAction("My &dictionary…")
        words.setToolTip("The words the autocorrect never replaces: edit, import, export")
        words.triggered.connect(lambda: win.text.dictionary.edit(win))
        win.tabs.currentChanged.connect(lambda _i: self._page_shown())
        self._page_shown()

    def _item(self, menu, text: str, key, on_canvas, on_editor, tip: str) -> QAction:
        a = QAction(text, menu)
        a.setShortcut(QKeySequence(key))
        a.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # shown, answered by the page's own
        a.setToolTip(tip)
        a.triggered.connect(lambda: self._do(on_canvas, on_editor))
        menu.addAction(a)
        return a

    def _canvas(self):
        """The shown page's canvas, or None on the Text page."""
        return getattr(self.win.tabs.currentWidget(), "canvas", None)

    def _do(self, on_canvas, on_editor) -> None:
        c = self._canvas()
        if c is not None:
            on_canvas(c)
        elif on_editor is not None:
            on_editor()

    def _page_shown(self) -> None:
        self.clear.setEnabled(self._canvas() is not None)
