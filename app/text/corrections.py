"""The Text page's corrections in the editor: a finished word replaced by the top suggestion (one
undo step), the correction flashed and named; an undone correction offers to stop correcting the
word, and a second undo adds it to the user's dictionary; Ctrl+D and the context menu add a word."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from app import protocol as P
from app.painting import LiveText
from app.text.editor import Editor
from app.text.user_dictionary import UNDOS_TO_ADD
from app.text.user_words import WORD as WORD_ONLY


class Corrections(QObject):
    """`apply` a CORRECT answer to the editor; `info` is the line that says what happened."""

    def __init__(self, editor: Editor, info: LiveText, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editor, self.info = editor, info
        self._correction: tuple[int, str, str] | None = None  # (start, new word, what was typed)
        self.dictionary = None  # the user's dictionary, set by the window
        editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        editor.customContextMenuRequested.connect(self._context_menu)
        editor.textChanged.connect(self._forget_gone_correction)
        editor.addWordKey.connect(self.add_word_at_caret)
        # A timer owned here, so that it dies with the page (no callback into a deleted editor).
        self._unflash = QTimer(self)
        self._unflash.setSingleShot(True)
        self._unflash.timeout.connect(lambda: self.editor.setExtraSelections([]))

    def apply(self, r: P.Corrected) -> bool:
        """Replace a just-finished word by the top suggestion if it differs and is still there."""
        sugg = r.suggestions
        word, start = r.word, r.start
        if not sugg or not word or sugg[0][0] == word:
            return False
        end = start + len(word)
        if self.editor.text_between(start, end) != word:
            return False  # the user has edited it since, or cut the text short
        new = sugg[0][0]
        cur = QTextCursor(self.editor.document())
        # Undo puts the caret back where this cursor was at beginEditBlock: the user's caret then
        # (it was at the document's start, and the letters typed after Ctrl+Z went there).
        cur.setPosition(self.editor.textCursor().position())
        cur.beginEditBlock()  # one undo step: Ctrl+Z brings back what was typed
        cur.setPosition(start)
        cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cur.insertText(new)
        cur.endEditBlock()
        self._flash(start, len(new))
        self.info.setText(f"Corrected “{word}” to “{new}” (Ctrl+Z to undo)")
        self._correction = (start, new, word)
        return True

    def _forget_gone_correction(self) -> None:
        """The info line names the last correction while it is there to undo: once it is undone,
        or the text is cleared or edited over it, the line goes (it said Ctrl+Z would undo it)."""
        if self._correction is None:
            return
        start, new, old = self._correction
        if self.editor.text_between(start, start + len(new)) != new:
            self._correction = None
            self.info.setText("")
            if self.dictionary is not None and self.editor.text_between(start, start + len(old)) == old:
                self._undone(old)

    def _undone(self, word: str) -> None:
        """A correction undone: once, the page offers to stop correcting the word; twice, it is
        added to the user's dictionary."""
        if self.dictionary.undone(word) >= UNDOS_TO_ADD:
            self.info.setText(
                f"“{word}” is in your dictionary now: never corrected again (Edit > My dictionary…)"
            )
        else:
            self.info.setText(
                f"Kept “{word}”. Undo its correction once more, or right-click it, and it is never corrected again"
            )

    def set_dictionary(self, dictionary) -> None:
        """The user's dictionary (app/text/user_dictionary.py), for the editor's context menu."""
        self.dictionary = dictionary

    def add_word_at_caret(self) -> None:
        """Ctrl+D: the word at (or just before) the caret joins the user's dictionary."""
        cur = self.editor.textCursor()
        cur.select(QTextCursor.SelectionType.WordUnderCursor)
        word = cur.selectedText()
        if not WORD_ONLY.match(word):
            _, before = self.editor.text_before_caret()
            m = re.search(r"[A-Za-z]+(?:'[A-Za-z]+)?\W*$", before)
            word = re.match(r"[A-Za-z']+", m.group()).group() if m else ""
        if self.dictionary is not None and WORD_ONLY.match(word):
            added = self.dictionary.add(word)
            self.info.setText(
                f"“{word}” {'added to' if added else 'is already in'} your dictionary: never corrected"
            )

    def _context_menu(self, pos) -> None:
        menu = self.editor.createStandardContextMenu(pos)
        cur = self.editor.cursorForPosition(pos)
        cur.select(QTextCursor.SelectionType.WordUnderCursor)
        word = cur.selectedText()
        if self.dictionary is not None and WORD_ONLY.match(word):
            menu.addSeparator()
            if word.lower() in self.dictionary.words:
                a = menu.addAction(f"Remove “{word}” from my dictionary")
                a.triggered.connect(lambda: self.dictionary.remove(word))
            else:
                a = menu.addAction(f"Add “{word}” to my dictionary")
                a.setToolTip("The autocorrect never replaces a word of your dictionary")
                a.triggered.connect(lambda: self.dictionary.add(word))
        menu.exec(self.editor.mapToGlobal(pos))
        menu.deleteLater()

    def _flash(self, start: int, length: int) -> None:
        sel = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#ffe080"))
        fmt.setForeground(QColor("#000000"))
        sel.format = fmt
        cur = QTextCursor(self.editor.document())
        cur.setPosition(start)
        cur.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur
        self.editor.setExtraSelections([sel])
        self._unflash.start(900)
