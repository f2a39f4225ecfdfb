"""The Text page: type, get corrections as you go, and watch the RNN read letter by letter."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.formatting import percent
from app.letter_strips import InfluenceStrip, Row, UnitTrace
from app.painting import LiveText
from app.picture_files import is_picture_file
from app.plots import columns
from app.refresh import SlicedRefresh
from app.text_views import CharBars, HeatMap
from app.user_dictionary import UNDOS_TO_ADD
from app.user_words import WORD as WORD_ONLY
from engine.text.correct import CHANNEL_WEIGHT  # no torch
from engine.text.units import FEATURES  # no torch: plain Python and numpy

Found = dict[str, dict[str, dict]]  # per cell, feature: {"unit", "r"} (engine.text.units.read_units)
WORD_BEFORE = re.compile(r"[A-Za-z']+$")
BOUNDARY = set(' .,;:!?\n\t)"')
SENTENCE_END = re.compile(r"[.!?\n]")
HEAVY_MS = 66  # the heatmaps repaint at most this often (15 Hz)
SHOW_CHARS = 120  # the heatmaps show at most this many characters of the current sentence
CONTEXT_CHARS = 200  # the text before a word that the network reads for its context
# How much text before the caret a keystroke reads from the document: enough for the context and a
# long word, and no more (the whole of a pasted book cost 60 ms a keystroke).
BEFORE_CARET = 1024
# What the symbols under the heatmaps and bars stand for (see app/painting.py: shown_char).
SYMBOLS = "Letters as the network reads them: lower case; ␣ a space, ⏎ a line break, ~ a character it does not know."
CELL_NAMES = {"rnn": "Plain RNN", "lstm": "LSTM", "gru": "GRU"}
GATE_TIPS = {
    "input": "Input gate (LSTM): how much of the new candidate each unit writes into its memory cell.",
    "forget": "Forget gate (LSTM): how much of its memory each unit keeps from the previous letter (1 = all).",
    "output": "Output gate (LSTM): how much of the memory each unit shows as its hidden state.",
    "candidate": "Candidate (LSTM): the new value each unit proposes to write, from -1 to 1.",
    "reset": "Reset gate (GRU): how much of the previous hidden state is used to propose the new one.",
    "update": "Update gate (GRU): how much each unit moves to its new proposal (1) or keeps its old state (0).",
}


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


class TextPage(QWidget):
    """Posts requests through textRequest(word, context, sentence) and correctRequest(start, word, context)."""

    textRequest = Signal(dict)
    correctRequest = Signal(dict)
    influenceRequest = Signal(dict)
    cellChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cell = "lstm"
        self.alphabet = ""
        self._gate_panels: dict[str, HeatMap] = {}
        self._trace = None
        self._next_char: np.ndarray | None = None  # the bars at a new sentence (no trace of it yet)
        self._trace_cell: str | None = None  # which cell read the trace
        self.units: dict[str, int] = {}  # the unit followed, per cell (each cell's units are its own)
        self.found: Found = {}  # per cell, units that track a feature (engine.text.units)
        self.heavy = SlicedRefresh(self, self._heavy_steps, HEAVY_MS)  # before _build: it resets it
        self._build()
        # A timer owned by the page, so that it dies with it (no callback into a deleted editor).
        self._unflash = QTimer(self)
        self._unflash.setSingleShot(True)
        self._unflash.timeout.connect(lambda: self.editor.setExtraSelections([]))

    def _build(self) -> None:
        self.editor = Editor()
        self.setFocusProxy(self.editor)  # F2 and then type: the letters go into the editor
        self.editor.setPlaceholderText("Type here. Try: I think the networc is gret")
        self.editor.setToolTip(
            "Type text: the current word gets suggestions as you type, and a misspelt word is corrected "
            "when you type a space or punctuation. Ctrl+Z brings back what you typed."
        )
        f = self.editor.font()
        f.setPointSize(14)
        self.editor.setFont(f)
        self.cell_box = QComboBox()
        for key, name in CELL_NAMES.items():
            self.cell_box.addItem(name, key)
        self.cell_box.setCurrentIndex(1)
        self.cell_box.setToolTip("Which recurrent cell reads the text: plain RNN, LSTM or GRU (Ctrl+1/2/3).")
        for i, key in enumerate(CELL_NAMES, 1):
            QShortcut(QKeySequence(f"Ctrl+{i}"), self, lambda k=key: self.set_cell(k))
        self.cell_box.currentIndexChanged.connect(lambda _i: self._on_cell(self.cell_box.currentData()))
        self.find_box = QComboBox()
        # It takes the row's free width and, in a narrow window, shortens its text (it was cut).
        self.find_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.find_box.setMinimumContentsLength(14)
        self.find_box.activated.connect(lambda i: self._on_find(self.find_box.itemData(i)))
        for box in (self.cell_box, self.find_box):
            # Back to the editor once chosen: the letters typed next went to the list (a space
            # opened it again, a letter picked the item it begins).
            box.activated.connect(lambda _i: self.editor.setFocus())
        self.suggestions = QListWidget()
        self.suggestions.setToolTip(
            "Top-5 suggestions for the word at the caret (words it may be the start of, and corrections), "
            "each with the model's probability that it is the word you meant. Double-click or Alt+1..5 to use one."
        )
        self.suggestions.itemActivated.connect(self._apply_item)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(11)
        self.suggestions.setFont(mono)  # words and scores in columns
        # All five in view on a small screen: the editor gives up the room, not the list.
        row = QFontMetrics(mono).height() + 4  # an item's height: the font's, and Qt's padding
        self.suggestions.setMinimumHeight(5 * row + 2 * self.suggestions.frameWidth() + 2)
        for i in range(1, 6):
            QShortcut(QKeySequence(f"Alt+{i}"), self, lambda n=i: self.apply_suggestion(n - 1))
        self.info = LiveText("", lines=2, name="Correction")
        # What ranked the first suggestion (each one's in its tooltip): the page teaches why.
        self.why = LiveText("", name="Why the first suggestion")
        self.why.setToolTip(
            "What ranks a suggestion, in factors of ten: how common the word is (Zipf), how likely "
            "the typing is from it (the error model), how well it fits the sentence (the RNN)"
        )
        self.unit_view = UnitTrace()
        self.influence_view = InfluenceStrip()
        self._influence_source = ""  # the text of the newest influence request
        self.editor.addWordKey.connect(self.add_word_at_caret)
        QShortcut(QKeySequence("Alt+Up"), self, lambda: self.step_unit(-1))
        QShortcut(QKeySequence("Alt+Down"), self, lambda: self.step_unit(1))

        left = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(QLabel("Cell:"))
        top.addWidget(self.cell_box)
        top.addSpacing(12)
        top.addWidget(QLabel("Follow:"))
        top.addWidget(self.find_box, 1)
        left.addLayout(top)
        left.addWidget(self.editor, 3)
        left.addWidget(QLabel("Suggestions for the current word"))
        left.addWidget(self.suggestions, 1)
        left.addWidget(self.why)
        left.addWidget(self.info)
        left.addWidget(self.unit_view)
        left.addWidget(self.influence_view)

        self.hidden_panel = HeatMap(
            "hidden state",
            "The hidden state: one row per unit, one column per letter of the current sentence. It is all the "
            f"network remembers of what it has read so far. {SYMBOLS}",
            "CET-D1",
            (-1.0, 1.0),
        )
        self.hidden_panel.unitPicked.connect(self.follow_unit)
        self.gates_box = QVBoxLayout()
        self.next_plot = CharBars(
            "next character",
            "What the network expects the next character to be, at the caret: one bar per symbol it "
            f"knows, the likeliest brightest. {SYMBOLS}",
        )
        right = QVBoxLayout()
        right.addWidget(self.hidden_panel, 2)
        right.addLayout(self.gates_box, 3)
        right.addWidget(self.next_plot, 1)

        self.splitter = columns(self, [(left, 2), (right, 3)])
        for w, name in (
            (self.editor, "Text"),
            (self.cell_box, "Recurrent cell"),
            (self.find_box, "Unit to follow"),
            (self.suggestions, "Suggestions for the current word"),
        ):
            w.setAccessibleName(name)  # for a screen reader; each one's tooltip describes it

        # A keystroke fires both signals; a zero-delay single-shot timer turns them into one request.
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.timeout.connect(self._on_text)
        self.editor.textChanged.connect(lambda: self._text_timer.start(0))
        self.editor.cursorPositionChanged.connect(lambda: self._text_timer.start(0))
        self.editor.wordEnded.connect(self._on_word_ended)
        # (start, new word, what was typed) of the correction the info line names
        self._correction: tuple[int, str, str] | None = None
        self.dictionary = None  # the user's dictionary, set by the window
        self.editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.editor.customContextMenuRequested.connect(self._context_menu)
        self.editor.textChanged.connect(self._forget_gone_correction)
        self._set_gate_panels(self.cell)
        self._fill_find_box()

    # ---------------------------------------------------------------- requests
    def current(self) -> tuple[str, str, str]:
        """(word at the caret, text before it, the sentence up to the caret)."""
        _, before = self.editor.text_before_caret()
        m = WORD_BEFORE.search(before)
        word = m.group(0) if m else ""
        context = before[: len(before) - len(word)][-CONTEXT_CHARS:]
        ends = [mm.end() for mm in SENTENCE_END.finditer(before)]
        sentence = before[ends[-1] if ends else 0 :].lstrip()[-SHOW_CHARS:]
        return word, context, sentence

    def _on_text(self) -> None:
        word, context, sentence = self.current()
        self.textRequest.emit({"word": word, "context": context, "sentence": sentence})
        # Computed after the answer, when the worker has nothing else to do (a low request).
        self._influence_source = context + word
        self.influenceRequest.emit({"text": self._influence_source})

    def show_influence(self, r: dict) -> None:
        """Each letter's pull on the guess, if it is for the text and cell shown now."""
        if r.get("cell") != self.cell or r.get("source") != self._influence_source:
            return  # stale: typed or switched since; the newest request's answer follows
        inf = r["influence"]
        self.influence_view.set_influence(inf.text, inf.pull, inf.guess)

    def _on_word_ended(self, start: int, word: str, context: str) -> None:
        self.correctRequest.emit({"word": word, "context": context, "start": start})

    def _on_cell(self, key: str) -> None:
        if key and key != self.cell:
            self.cell = key
            self._set_gate_panels(key)
            self._fill_find_box()
            self._show_unit()
            self.cellChanged.emit(key)
            self._on_text()

    def set_cell(self, key: str) -> None:
        idx = self.cell_box.findData(key)
        if idx >= 0:
            self.cell_box.setCurrentIndex(idx)

    def _set_gate_panels(self, cell: str) -> None:
        self.heavy.cancel()
        for p in self._gate_panels.values():
            self.gates_box.removeWidget(p)
            p.deleteLater()
        self._gate_panels = {}
        names = {"lstm": ("input", "forget", "output", "candidate"), "gru": ("reset", "update")}.get(cell, ())
        if not names:
            note = HeatMap(
                "no gates",
                "A plain RNN has no gates: each letter simply mixes into the hidden "
                "state, which is why its memory fades fast (vanishing gradients).",
                "viridis",
                (0, 1),
                empty="a plain RNN has no gates: each letter mixes straight into its hidden state",
            )
            self._gate_panels["none"] = note
            self.gates_box.addWidget(note)
        for n in names:
            levels = (-1.0, 1.0) if n == "candidate" else (0.0, 1.0)
            p = HeatMap(
                f"{n} gate" if n != "candidate" else "candidate",
                f"{GATE_TIPS[n]} {SYMBOLS}",
                "CET-D1" if n == "candidate" else "viridis",
                levels,
            )
            self._gate_panels[n] = p
            self.gates_box.addWidget(p)
        for p in self._gate_panels.values():
            p.unitPicked.connect(self.follow_unit)
        self._mark_unit()

    # ---------------------------------------------------------------- results
    def show_text_result(self, r: dict) -> None:
        """Suggestions at once; the heatmaps and the next-character bars at most every HEAVY_MS."""
        self.suggestions.clear()
        why = r.get("why") or []
        for i, (w, sc) in enumerate(r.get("suggestions", [])):
            s = why[i] if i < len(why) else None
            item = QListWidgetItem(f"{w:<20} {percent(sc):>6}")
            item.setToolTip(ranked_by(s))
            item.setData(Qt.ItemDataRole.UserRole, w)
            self.suggestions.addItem(item)
        self.why.setText(f"{why[0].word}: {ranked_by(why[0], short=True)}" if why else "")
        if r.get("trace") is not None:
            self._trace, self._trace_cell = r["trace"], r.get("cell")
            self._next_char = r.get("next_char")  # after the text before, at a new sentence
            self.heavy.request()

    def _heavy_steps(self) -> list:
        """The heatmaps and the next-character bars, a panel or two per step (app/refresh.py)."""
        tr = self._trace
        if tr is None:
            return []
        panels = [(self.hidden_panel, tr.hidden)] + [
            (p, tr.gates.get(name, np.zeros((0, 0), np.float32))) for name, p in self._gate_panels.items()
        ]
        steps = [lambda p=p, m=m: p.set_data(m, tr.text) for p, m in panels]
        bars = tr.next_char[-1] if len(tr.next_char) else self._next_char
        if bars is None:
            bars = np.zeros(0)
        steps.append(lambda: self.next_plot.set_probs(tr.alphabet, bars))
        steps.append(self._show_unit)
        return steps

    # ---------------------------------------------------------------- the unit followed
    def units_shown(self) -> int:
        """How many units the heatmaps show now (0 before the first text)."""
        m = self.hidden_panel.matrix
        return 0 if m is None else m.shape[0]

    def follow_unit(self, unit: int | None) -> None:
        """Follow `unit` of the current cell in the strip and mark it on every heatmap."""
        if unit is None:
            self.units.pop(self.cell, None)
        else:
            self.units[self.cell] = int(unit)
        self._mark_unit()
        self._show_unit()

    def set_found_units(self, found: Found) -> None:
        """Units that track a feature, per cell, as engine.text.units.read_units gives them."""
        self.found = found
        self._fill_find_box()

    def _fill_find_box(self) -> None:
        box = self.find_box
        box.blockSignals(True)
        box.clear()
        box.addItem("a unit you click", None)
        found = self.found.get(self.cell, {})
        for name, e in found.items():
            box.addItem(f"{FEATURES[name][0]}: unit {e['unit']} (r {e['r']:+.2f})", e["unit"])
        box.blockSignals(False)
        box.setToolTip(
            "Follow a unit that tracks something you can name: of this network's units, the one whose "
            "value rises and falls most with it (Pearson r) over 36,000 characters of English it did not "
            "train on. Or click a row of any heatmap to follow that unit."
            if found
            else "No units to offer (the file of them was not loaded): click a row of any heatmap to follow that unit."
        )
        self._sync_find_box()

    def _sync_find_box(self) -> None:
        i = self.find_box.findData(self.units.get(self.cell))
        self.find_box.setCurrentIndex(max(0, i))

    def _on_find(self, unit: int | None) -> None:
        if unit is not None:
            self.follow_unit(unit)

    def set_units(self, units: dict[str, int]) -> None:
        """The units followed per cell (as saved): for each cell, a unit past its last is dropped
        when its first trace comes."""
        self.units = dict(units)
        self._mark_unit()
        self._show_unit()

    def step_unit(self, delta: int) -> None:
        """Alt+Up/Down: follow the unit above or below (the first one when none is followed)."""
        n = self.units_shown()
        if n:
            now = self.units.get(self.cell)
            self.follow_unit(0 if now is None else min(n - 1, max(0, now + delta)))

    def _mark_unit(self) -> None:
        unit = self.units.get(self.cell)
        for p in [self.hidden_panel, *self._gate_panels.values()]:
            p.set_selected(unit)
        self._sync_find_box()

    def _unit_rows(self, unit: int) -> list[Row]:
        tr = self._trace
        if tr is None or self._trace_cell != self.cell or unit >= tr.hidden.shape[1]:
            return []  # none yet, or the trace is still the previous cell's
        rows: list[Row] = [("hidden", tr.hidden[:, unit], self.hidden_panel.cmap, self.hidden_panel.levels)]
        for name, p in self._gate_panels.items():
            g = tr.gates.get(name)
            if g is not None and g.ndim == 2 and unit < g.shape[1]:
                rows.append((name, g[:, unit], p.cmap, p.levels))
        return rows

    def _show_unit(self) -> None:
        unit = self.units.get(self.cell)
        if unit is None:
            if self.unit_view.unit is not None:
                self.unit_view.set_unit(None, [], "")
            return  # none followed: nothing to redraw at each refresh
        tr = self._trace
        if tr is not None and self._trace_cell == self.cell and unit >= tr.hidden.shape[1]:
            self.follow_unit(None)  # saved for a network with more units than this one
            return
        rows = self._unit_rows(unit)
        self.unit_view.set_unit(unit, rows, tr.text if rows else "", self._about(unit))

    def _about(self, unit: int | None) -> str:
        """What the unit is known to track, if it is one of the units found for this cell."""
        for name, e in self.found.get(self.cell, {}).items():
            if e["unit"] == unit:
                return f"{FEATURES[name][0]}, r {e['r']:+.2f}"
        return ""

    def apply_correction(self, r: dict) -> bool:
        """Replace a just-finished word by the top suggestion if it differs and is still there."""
        sugg = r.get("suggestions") or []
        word, start = r.get("word", ""), int(r.get("start", -1))
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
        """The user's dictionary (app/user_dictionary.py), for the editor's context menu."""
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

    def _apply_item(self, item: QListWidgetItem) -> None:
        self._replace_current(item.data(Qt.ItemDataRole.UserRole))

    def apply_suggestion(self, n: int) -> None:
        item = self.suggestions.item(n)
        if item is not None:
            self._replace_current(item.data(Qt.ItemDataRole.UserRole))

    def _replace_current(self, new: str) -> None:
        word, _, _ = self.current()
        if not word or not new:
            return
        cur = self.editor.textCursor()
        cur.beginEditBlock()
        cur.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(word))
        cur.insertText(new)
        cur.endEditBlock()
        self.editor.setFocus()
