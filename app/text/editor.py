"""The Text page's editor: it says when a word ends (for its correction), reads the text before
the caret in Qt's positions, and keeps a dropped picture for the window; and `ranked_by`, what
ranked a suggestion, as the page shows it."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from app.picture_files import is_picture_file
from app.text.parsing import BOUNDARY, CONTEXT_CHARS, WORD_BEFORE
from engine.text.correct import CHANNEL_WEIGHT  # no torch

# How much text before the caret a keystroke reads from the document: enough for the context and a
# long word, and no more (the whole of a pasted book cost 60 ms a keystroke).
BEFORE_CARET = 1024


def ranked_by(s, short: bool = False) -> str:
    """What ranked a suggestion (engine.text.correct.Suggestion): how common the word is, how
    likely the typing is from it (the error model), how the sentence moved it (the RNN)."""
    if s is None:
        return ""
    if s.kept:
        return f"kept: {s.kept}"
    if short:
        typo = CHANNEL_WEIGHT * s.cost
        return f"common {s.zipf:.1f} · typo {f'−{typo:.1f}' if typo >= 0.05 else '0'} · sentence {s.fit:+.1f}"
    return (
        f"How common the word is: Zipf {s.zipf:.1f} (10^{s.zipf:.1f} uses per billion words). "
        f"How likely the typing is from it (the error model): −{CHANNEL_WEIGHT * s.cost:.1f}. "
        f"How well it fits the sentence so far (the RNN): {s.fit:+.1f}. "
        "Each in factors of ten; their sum ranks the list."
    )


class Editor(QPlainTextEdit):
    """Emits wordEnded(start, word, context) when a boundary is typed right after a word."""

    wordEnded = Signal(int, str, str)
    addWordKey = Signal()  # Ctrl+D: the editor's own (X11's delete-forward) would take it first

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt's name)
        # A picture dropped on the editor goes to the window, which opens it on the Digits page;
        # the editor would have typed its path into the text.
        return not is_picture_file(source) and super().canInsertFromMimeData(source)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() == Qt.Key.Key_D and e.modifiers() == Qt.KeyboardModifier.ControlModifier:
            self.addWordKey.emit()
            return
        text = e.text()
        pos, before = self.text_before_caret()
        super().keyPressEvent(e)
        if text and text in BOUNDARY:
            m = WORD_BEFORE.search(before)
            if m:  # the word is ASCII and ends at the caret: it starts len(word) positions back
                word = m.group(0)
                self.wordEnded.emit(pos - len(word), word, before[: m.start()][-CONTEXT_CHARS:])

    def text_before_caret(self, limit: int = BEFORE_CARET) -> tuple[int, str]:
        """(the caret's position, the document's text over the `limit` positions before it).

        Positions are Qt's (UTF-16 units: an emoji counts 2), as QTextCursor takes them; only
        offsets counted back from the caret over ASCII words are turned into positions.
        """
        pos = self.textCursor().position()
        return pos, self.text_between(max(0, pos - limit), pos)

    def text_between(self, start: int, end: int) -> str:
        """The text from position `start` to `end`; "" where that lies outside the document (a
        place remembered from before the text was cleared or cut)."""
        if start < 0 or end < start or end > self.document().characterCount() - 1:
            return ""
        cur = QTextCursor(self.document())
        cur.setPosition(start)
        cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        # selectedText() writes line breaks as U+2029 and keeps no-break spaces, unlike toPlainText().
        return cur.selectedText().replace("\u2029", "\n").replace("\u00a0", " ")
