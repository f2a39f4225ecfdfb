"""The Text page's dealings with the engines and the settings: the requests it sends, the results it
paints, the user's dictionary, and what it keeps between runs (the text typed, the cell, the units
followed). A part of TextPage (app/text/page.py), which it is mixed into."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QTextCursor

from app import protocol as P
from app.engine_client import EngineClientLike
from app.settings import read_choice, read_int
from app.text.cells import CELL_NAMES
from app.text.user_dictionary import UserDictionary
from app.text.user_words import words_path

KEEP_TEXT_CHARS = 100_000  # the editor's text kept between runs, its end (1 MB took 240 ms to restore)
MOST_UNITS = 4095  # a saved followed unit past this is damage, not a bigger network


class TextPageState:
    """See the module docstring."""

    def attach(self, client: EngineClientLike) -> None:
        self.client = client
        client.subscribe(P.TextRead, self._on_read)
        client.subscribe(P.Corrected, lambda _s, r: self.corrected.emit(self.apply_correction(r)))
        client.subscribe(P.PullMeasured, lambda _s, r: self.show_influence(r))
        client.subscribe(P.StepShown, self._on_step)
        self.request.connect(client.post)
        self.cellChanged.connect(self._ask_for_cell)
        self._confirmed_cell = self.cell  # the cell the engines read with, as they last said
        client.subscribe(P.CellSet, self._on_cell_set)
        client.failed.connect(self._on_failed)

    def load_choices(self) -> dict:
        return {"cell": self.cell}

    def engines_ready(self, loaded: P.EnginesLoaded) -> None:
        self.set_found_units(loaded.found_units)
        self._on_text()  # what was typed while loading is read now

    def engines_failed(self) -> None:
        self.editor.setPlaceholderText("The networks could not be loaded: nothing reads what you type.")

    def _on_read(self, seq: int, r: P.TextRead) -> None:
        self.show_text_result(r)
        self.suggestions.viewport().repaint()  # on screen now, then timed
        self.answered.emit(seq)

    def _on_cell_set(self, _seq: int, r: P.CellSet) -> None:
        self._confirmed_cell = r.text

    def _on_failed(self, kind: str, message: str) -> None:
        if kind == P.SetCell.kind:  # its weights missing or damaged: the cell that reads stays, shown again
            self.say.emit(f"Could not load that cell: {message}", 15000)
            self.set_cell(self._confirmed_cell, ask=False)

    def _on_step(self, _seq: int, r: P.StepShown) -> None:
        if r.cell == self.cell and r.sentence == self._step_sentence:  # else stale: the newest follows
            self.step_view.show_step(r.step, self.units.get(self.cell))

    def _ask_for_cell(self, cell: str) -> None:
        self.loading.emit(f"loading {cell}...")
        self.client.post(P.SetCell(cell))

    # ---------------------------------------------------------------- kept between runs
    def restore(self, settings: QSettings) -> list[str]:
        self.dictionary = UserDictionary(None if settings.problem else words_path(settings.fileName()), self)
        self.set_dictionary(self.dictionary)
        self.dictionary.problem.connect(lambda m: self.say.emit(m, 8000))
        self.dictionary.changed.connect(lambda words: self.client.post(P.SetUserWords(tuple(words))))
        self.client.post(P.SetUserWords(tuple(sorted(self.dictionary.words))))
        # Quietly: the first LoadEngines brings it (load_choices); asked for before it, the worker
        # imported torch outside the load's tuned path.
        self.set_cell(read_choice(settings, "text/cell", "lstm", tuple(CELL_NAMES)), ask=False)
        self._confirmed_cell = self.cell
        state = settings.value("text/columns")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)  # False, and nothing changed, for a damaged one
        units = {c: read_int(settings, f"text/unit_{c}", -1, -1, MOST_UNITS) for c in CELL_NAMES}
        self.set_units({c: u for c, u in units.items() if u >= 0})
        text = settings.value("text/content", "")
        if isinstance(text, str) and text:  # what was typed last time, caret at its end
            self.editor.setPlainText(text)
            self.editor.moveCursor(QTextCursor.MoveOperation.End)
        self.editor.textChanged.connect(self.edited)  # after the restore's own change
        return [self.dictionary.load_problem] if self.dictionary.load_problem else []

    def save(self, settings: QSettings, closing: bool = False) -> None:
        settings.setValue("text/content", self.editor.toPlainText()[-KEEP_TEXT_CHARS:])
        if closing:
            settings.setValue("text/cell", self.cell)
            for c in CELL_NAMES:
                settings.setValue(f"text/unit_{c}", self.units.get(c, -1))
            settings.setValue("text/columns", self.splitter.saveState())

    def plots(self) -> dict:
        out = {"hidden": self.hidden_panel, "next_char": self.next_plot}
        out.update({f"gate_{k}": p for k, p in self._gate_panels.items()})
        if self.unit_view.rows:  # a unit is followed
            out["unit"] = self.unit_view
        if self.influence_view.rows:  # each letter's pull on the next guess, once there is text
            out["pull"] = self.influence_view
        return out
