"""The user's dictionary in the window: the words the autocorrect never replaces, added from the
editor's context menu or by undoing a correction twice, edited, exported and imported in a small
dialog, and kept beside the settings (app/text/user_words.py)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.text.user_words import WORD, parse_words, read_words, write_words

UNDOS_TO_ADD = 2  # a correction undone this many times adds the word


class UserDictionary(QObject):
    """The words, where they are kept (None: nowhere, the settings are not written), and what
    went wrong reading or writing them (`problem`, for the status bar)."""

    changed = Signal(list)  # the words, sorted: for the worker
    problem = Signal(str)

    def __init__(self, path: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.words: set[str] = set()
        self.load_problem = ""
        self._undone: dict[str, int] = {}
        if path:
            # A damaged file is named; the words that read well are kept, and it is written over
            # only when the user changes the dictionary.
            self.words, self.load_problem = read_words(path)

    def set_words(self, words: set[str]) -> None:
        self.words = {w.lower() for w in words}
        self.changed.emit(sorted(self.words))
        if self.path:
            err = write_words(self.path, self.words)
            if err:
                self.problem.emit(err)

    def add(self, word: str) -> bool:
        w = word.strip().lower()
        if not WORD.match(w) or w in self.words:
            return False
        self.set_words(self.words | {w})
        return True

    def remove(self, word: str) -> None:
        self.set_words(self.words - {word.lower()})

    def undone(self, word: str) -> int:
        """A correction of `word` was undone: how many times now (UNDOS_TO_ADD adds it)."""
        n = self._undone.get(word.lower(), 0) + 1
        self._undone[word.lower()] = n
        if n >= UNDOS_TO_ADD:
            self.add(word)
        return n

    def edit(self, parent: QWidget) -> None:
        """The dialog: one word a line; import and export plain word lists."""
        dlg = QDialog(parent)
        dlg.setWindowTitle("My dictionary")
        lay = QVBoxLayout(dlg)
        lay.addWidget(
            QLabel(
                "Words the autocorrect never replaces, one a line. Right-click a word in the editor to add it."
            )
        )
        box = QPlainTextEdit("\n".join(sorted(self.words)))
        box.setToolTip("One word a line (letters and an inner apostrophe)")
        lay.addWidget(box)
        imp, exp = QPushButton("Import…"), QPushButton("Export…")
        imp.setToolTip("Add the words of a plain word list (one a line)")
        exp.setToolTip("Write these words to a plain word list")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.addButton(imp, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(exp, QDialogButtonBox.ButtonRole.ActionRole)
        note = QLabel("")
        lay.addWidget(note)
        lay.addWidget(buttons)

        def do_import() -> None:
            path, _ = QFileDialog.getOpenFileName(
                dlg, "Import a word list", "", "Word lists (*.txt);;All files (*)"
            )
            if path:
                words, err = read_words(path)
                box.setPlainText("\n".join(sorted(set(box.toPlainText().split()) | words)))
                note.setText(err or f"{len(words)} words read from {path}")

        def do_export() -> None:
            path, _ = QFileDialog.getSaveFileName(
                dlg, "Export the word list", "my-words.txt", "Word lists (*.txt)"
            )
            if path:
                words, _ = parse_words(box.toPlainText())
                note.setText(write_words(path, words) or f"{len(words)} words written to {path}")

        imp.clicked.connect(do_import)
        exp.clicked.connect(do_export)
        buttons.accepted.connect(dlg.accept)
        buttons.rejected.connect(dlg.reject)
        dlg.resize(420, 420)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            words, bad = parse_words(box.toPlainText())
            self.set_words(words)
            if bad:
                self.problem.emit(
                    f"{bad} line{'s' * (bad > 1)} of the dictionary that {'are' if bad > 1 else 'is'} no word left out"
                )
