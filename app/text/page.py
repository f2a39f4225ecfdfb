"""The Text page: type, get corrections as you go, and watch the RNN read letter by letter."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QFontDatabase,
    QFontMetrics,
    QKeySequence,
    QShortcut,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import protocol as P
from app.formatting import percent
from app.page import Page
from app.painting import LiveText
from app.plots import columns
from app.refresh import SlicedRefresh
from app.text.cells import CELL_NAMES, HIDDEN_TITLES, RECURRENT
from app.text.corrections import Corrections
from app.text.editor import Editor, ranked_by
from app.text.inside_panels import SYMBOLS, InsidePanels
from app.text.letter_strips import InfluenceStrip, UnitTrace
from app.text.page_state import TextPageState
from app.text.parsing import at_caret
from app.text.step_view import StepView
from app.text.unit_following import Found, UnitFollowing
from app.text.views import CharBars, HeatMap
from app.text.window_views import AttentionStrip, maps_shown, scaled

HIDDEN_TITLE = "hidden state"
HIDDEN_TIP = (
    "The hidden state: one row per unit, one column per letter of the current sentence. It is all the "
    "network remembers of what it has read so far."
)
PULL_PAUSE_MS = 150  # the window cells' pull is measured once the typing has paused this long
HEAVY_MS = 66  # the heatmaps repaint at most this often (15 Hz)


class TextPage(TextPageState, UnitFollowing, InsidePanels, Page):
    """Asks through `request` (ReadText, Correct, MeasurePull); paints the answers (page_state.py)."""

    name = "text"
    title = "&Text"
    tip = "Type text and watch a recurrent network, a temporal CNN or a Transformer read it letter by letter (F2)"
    network = "Text"
    answer_type = P.TextRead

    request = Signal(object)  # a protocol Request
    cellChanged = Signal(str)
    corrected = Signal(bool)  # a finished word's answer applied: True where the word was replaced

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cell = "lstm"
        self._ask = True  # a change of cell asks the engines for it (not while restoring)
        self.alphabet = ""
        self._gate_panels: dict[str, HeatMap] = {}
        self.attention_view: AttentionStrip | None = None  # the Transformer's, in the gates' place
        self._trace = None
        self._next_char: np.ndarray | None = None  # the bars at a new sentence (no trace of it yet)
        self._trace_cell: str | None = None  # which cell read the trace
        self.units: dict[str, int] = {}  # the unit followed, per cell (each cell's units are its own)
        self.found: Found = {}  # per cell, units that track a feature (engine.text.units)
        self.heavy = SlicedRefresh(self, self._heavy_steps, HEAVY_MS)  # before _build: it resets it
        self._build()
        # Corrections applied, undone, and the words kept (app/text/corrections.py).
        self.corrections = Corrections(self.editor, self.info, self)
        self.apply_correction = self.corrections.apply
        self.set_dictionary = self.corrections.set_dictionary

    def _build(self) -> None:
        self.editor = Editor()
        self.editor.setMinimumHeight(48)  # two lines: a 1024x600 window keeps the views below
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
        self.cell_box.setToolTip(
            "Which network reads the text: a plain RNN, LSTM or GRU carry a state from letter to letter; "
            "the temporal CNN reads a fixed window of letters; the Transformer attends to all the "
            "letters before at once (Ctrl+1 to Ctrl+5)."
        )
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
        self.info = LiveText("", name="Correction", tip_whole=True)  # one line; its tooltip has it whole
        # What ranked the first suggestion (each one's in its tooltip): the page teaches why.
        self.why = LiveText("", name="Why the first suggestion")
        self.why.setToolTip(
            "What ranks a suggestion, in factors of ten: how common the word is (Zipf), how likely "
            "the typing is from it (the error model), how well it fits the sentence (the RNN)"
        )
        self.unit_view = UnitTrace()
        self.influence_view = InfluenceStrip()
        self.step_view = StepView()
        self._step_sentence = ""  # the sentence the step view steps through
        self.step_view.stepWanted.connect(lambda t: self.request.emit(P.ShowStep(self._step_sentence, t)))
        self.step_view.stepWanted.connect(self._show_attention)
        QShortcut(QKeySequence("Alt+Left"), self, lambda: self.step_view.move(-1))
        QShortcut(QKeySequence("Alt+Right"), self, lambda: self.step_view.move(1))
        self._influence_source = ""  # the text of the newest influence request
        self._pull_timer = QTimer(self)
        self._pull_timer.setSingleShot(True)
        self._pull_timer.setInterval(PULL_PAUSE_MS)
        self._pull_timer.timeout.connect(lambda: self.request.emit(P.MeasurePull(self._influence_source)))
        QShortcut(QKeySequence("Alt+Up"), self, lambda: self.step_unit(-1))
        QShortcut(QKeySequence("Alt+Down"), self, lambda: self.step_unit(1))

        left = QVBoxLayout()
        left.setSpacing(3)  # a 1024x600 window holds the column with a unit followed
        top = QHBoxLayout()
        top.addWidget(QLabel("Cell:"))
        top.addWidget(self.cell_box)
        top.addSpacing(12)
        top.addWidget(QLabel("Follow:"))
        top.addWidget(self.find_box, 1)
        left.addLayout(top)
        left.addWidget(self.editor, 3)
        left.addWidget(QLabel("Suggestions for the current word (Alt+1..5 or double-click to use one)"))
        left.addWidget(self.suggestions, 1)
        left.addWidget(self.why)
        left.addWidget(self.info)
        left.addWidget(self.unit_view)
        left.addWidget(self.influence_view)
        left.addWidget(self.step_view)

        self.hidden_panel = HeatMap(
            HIDDEN_TITLE,
            f"{HIDDEN_TIP} {SYMBOLS}",
            "CET-D1",
            (-1.0, 1.0),
        )
        self.hidden_panel.unitPicked.connect(self.follow_unit)
        self.hidden_panel.letterPicked.connect(self.step_view.go_to)
        self.hidden_panel.scrolled.connect(self._scroll_all)
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
        self.editor.textChanged.connect(lambda: setattr(self.step_view, "t", None))  # follow the newest
        self.editor.cursorPositionChanged.connect(lambda: self._text_timer.start(0))
        self.editor.wordEnded.connect(self._on_word_ended)
        # (start, new word, what was typed) of the correction the info line names
        self._set_gate_panels(self.cell)
        self._fill_find_box()

    # ---------------------------------------------------------------- requests
    def current(self) -> tuple[str, str, str]:
        """(word at the caret, text before it, the sentence up to the caret)."""
        return at_caret(self.editor.text_before_caret()[1])

    def _on_text(self) -> None:
        word, context, sentence = self.current()
        self.request.emit(P.ReadText(word, context, sentence))
        self._step_sentence = sentence
        self.step_view.set_letters(len(sentence))
        # Computed after the answer, when the worker has nothing else to do (a low request).
        self._influence_source = context + word
        if self.cell in RECURRENT:
            self.request.emit(P.MeasurePull(self._influence_source))
        else:  # a pass back through 160 letters: asked for when the typing pauses, not between keys
            self._pull_timer.start()

    def show_influence(self, r: P.PullMeasured) -> None:
        """Each letter's pull on the guess, if it is for the text and cell shown now."""
        if r.cell != self.cell or r.source != self._influence_source:
            return  # stale: typed or switched since; the newest request's answer follows
        inf = r.influence
        self.influence_view.set_influence(
            inf.text, inf.pull, inf.guess, inf.reach, self.cell not in RECURRENT
        )

    def _on_word_ended(self, start: int, word: str, context: str) -> None:
        self.request.emit(P.Correct(word, context, start))

    def _on_cell(self, key: str) -> None:
        if key and key != self.cell:
            self._carry_unit(self.cell, key)
            self.cell = key
            title, tip = HIDDEN_TITLES.get(key, (HIDDEN_TITLE, HIDDEN_TIP))
            self.hidden_panel.title = title
            self.hidden_panel.setToolTip(f"{tip} {SYMBOLS}")
            self._set_gate_panels(key)
            self._fill_find_box()
            self._show_unit()
            if self._ask:
                self.cellChanged.emit(key)
            self._on_text()

    def set_cell(self, key: str, ask: bool = True) -> None:
        """Read with the cell `key`; `ask=False`: the engines have (or will load) it already."""
        idx = self.cell_box.findData(key)
        if idx >= 0:
            self._ask = ask
            try:
                self.cell_box.setCurrentIndex(idx)
            finally:
                self._ask = True

    # ---------------------------------------------------------------- results
    def show_text_result(self, r: P.TextRead) -> None:
        """Suggestions at once; the heatmaps and the next-character bars at most every HEAVY_MS."""
        self.suggestions.clear()
        why = r.why or []
        for i, (w, sc) in enumerate(r.suggestions):
            s = why[i] if i < len(why) else None
            item = QListWidgetItem(f"{w:<20} {percent(sc):>6}")
            item.setToolTip(ranked_by(s))
            item.setData(Qt.ItemDataRole.UserRole, w)
            self.suggestions.addItem(item)
        self.why.setText(f"{why[0].word}: {ranked_by(why[0], short=True)}" if why else "")
        if r.trace is not None:
            self._trace, self._trace_cell = r.trace, r.cell
            self._next_char = r.next_char  # after the text before, at a new sentence
            self.heavy.request()

    def _heavy_steps(self) -> list:
        """The heatmaps and the next-character bars, a panel or two per step (app/refresh.py)."""
        tr = self._trace
        if tr is None:
            return []
        mine = self._trace_cell == self.cell
        if mine and tr.maps and list(self._gate_panels) != maps_shown(list(tr.maps)):
            self._set_gate_panels("cnn", maps_shown(list(tr.maps)))
        if mine and tr.attention is not None and self.attention_view is None:
            self._set_gate_panels("transformer", tr.attention.shape[:2])
        # The CNN's maps are scaled in their panel's own step: a percentile over each is not free.
        insides = {n: (scaled, m) for n, m in tr.maps.items() if n in self._gate_panels} if mine else {}
        insides.update({n: (None, g) for n, g in tr.gates.items()})
        empty = (None, np.zeros((0, 0), np.float32))
        panels = [(self.hidden_panel, (None, tr.hidden))] + [
            (p, insides.get(name, empty)) for name, p in self._gate_panels.items()
        ]
        steps = [lambda p=p, f=f, m=m: p.set_data(f(m) if f else m, tr.text) for p, (f, m) in panels]
        if self.attention_view is not None:
            steps.append(self._show_attention)
        bars = tr.next_char[-1] if len(tr.next_char) else self._next_char
        if bars is None:
            bars = np.zeros(0)
        steps.append(lambda: self.next_plot.set_probs(tr.alphabet, bars))
        steps.append(self._show_unit)
        return steps

    def _scroll_all(self, back: int) -> None:
        """Every heatmap shows the same letters: one scrolled back, all are."""
        for p in [self.hidden_panel, *self._gate_panels.values()]:
            p.scroll_to(back)

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
