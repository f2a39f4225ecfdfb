"""Stepping through the recurrent cell letter by letter: the state the letters before left, the
letter, each gate, the new state and the guess for the next letter (engine/text/step.py), for the
unit followed and in summary. Follows the newest letter unless the user steps back (Alt+Left /
Alt+Right, or a click on a heatmap's column); typing follows the newest again."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from app.formatting import percent
from app.painting import LiveText, shown_char


def _guesses(step) -> str:
    return "  ".join(f"“{shown_char(c)}” {percent(p, 0)}" for c, p in step.best_guesses(3))


def step_lines(step, unit: int | None) -> str:
    """Three lines: the step, the unit followed, all units (for the view and a screen reader)."""
    if step.reads is not None:
        return window_lines(step, unit)
    before = step.before[-16:]
    guesses = _guesses(step)
    head = (
        f"step {step.t + 1}: state after “{before}” + “{shown_char(step.char)}” → new state → next: {guesses}"
    )
    if unit is not None and unit < len(step.hidden):
        gates = "  ".join(f"{n} {g[unit]:.2f}" for n, g in step.gates.items() if n != "candidate")
        cand = f"  candidate {step.gates['candidate'][unit]:+.2f}" if "candidate" in step.gates else ""
        memory = (
            f"  memory {step.prev_cell[unit]:+.2f} → {step.cell[unit]:+.2f}" if step.cell is not None else ""
        )
        mid = (
            f"unit {unit}: before {step.prev_hidden[unit]:+.2f}  {gates}{cand}{memory}  "
            f"→ after {step.hidden[unit]:+.2f}"
        )
    else:
        mid = "follow a unit (click a heatmap's row) to see its own numbers"
    change = step.hidden - step.prev_hidden
    most = np.argsort(np.abs(change))[::-1][:2]
    moved = ", ".join(f"unit {int(u)} {change[u]:+.2f}" for u in most)
    means = "  ".join(f"{n} {float(g.mean()):.2f}" for n, g in step.gates.items() if n != "candidate")
    tail = (
        f"all {len(step.hidden)} units: mean |state| {float(np.abs(step.prev_hidden).mean()):.2f} → "
        f"{float(np.abs(step.hidden).mean()):.2f}; moved most: {moved}"
        + (f"; gates on average: {means}" if means else " (a plain RNN has no gates)")
    )
    return "\n".join((head, mid, tail))


def window_lines(step, unit: int | None) -> str:
    """A window cell's step: what it reads (no state carried), where its layers look, the guess."""
    guesses = _guesses(step)
    last = "".join(shown_char(c) for c in step.reads[-12:])
    head = (
        f"letter {step.t + 1} “{shown_char(step.char)}”: reads its {len(step.reads)} letters at once "
        f"(…“{last}”) → next: {guesses}"
    )
    if step.looks:
        mid = "  ".join(
            f"layer {layer} looks most at “{shown_char(step.reads[-1 - back])}” "
            f"{'itself' if back == 0 else f'{back} back'} ({w:.0%})"
            for layer, back, w in step.looks
            if back < len(step.reads)
        )
    else:
        mid = "no state is carried from the letter before: each guess is computed from the window afresh"
    if unit is not None and unit < len(step.hidden):
        tail = (
            f"unit {unit}: {step.hidden[unit]:+.2f} here, {step.prev_hidden[unit]:+.2f} at the letter before"
        )
    else:
        tail = f"all {len(step.hidden)} units: mean |value| {float(np.abs(step.hidden).mean()):.2f}"
    return "\n".join((head, mid, tail))


IDLE = "Type: each letter is one step of the network (◀ ▶ or Alt+Left / Alt+Right step through them)"


class StepView(QWidget):
    """◀ ▶ and three lines of the step shown. `stepWanted(t)`: the page asks the worker for it."""

    stepWanted = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.t: int | None = None  # the letter stepped to; None: follow the newest
        self.letters = 0
        self.step = None
        self.unit: int | None = None
        self.back_btn, self.next_btn = QToolButton(), QToolButton()
        self.back_btn.setText("◀")
        self.next_btn.setText("▶")
        self.back_btn.setToolTip("The letter before (Alt+Left)")
        self.next_btn.setToolTip("The letter after (Alt+Right); typing follows the newest letter again")
        self.back_btn.clicked.connect(lambda: self.move(-1))
        self.next_btn.clicked.connect(lambda: self.move(1))
        # Three lines, each cut with "…" where the column is narrow, never wrapped away.
        self.lines = LiveText(IDLE, lines=3, name="One step", wrap=False)
        tip = (
            "One step of the recurrent network: it takes the state the letters before left and the "
            "current letter, its gates decide what to keep and what to write, and the new state "
            "gives its guess for the next letter."
        )
        self.lines.setToolTip(tip)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.back_btn)
        lay.addWidget(self.next_btn)
        lay.addWidget(self.lines, 1)

    def shown_step(self) -> int | None:
        """The letter to show: the one stepped to, else the newest."""
        if not self.letters:
            return None
        return self.letters - 1 if self.t is None else min(self.t, self.letters - 1)

    def set_letters(self, n: int) -> None:
        """The sentence now has n letters: ask for the step shown (the newest, unless stepped back)."""
        self.letters = n
        t = self.shown_step()
        if t is None:
            self.step = None
            self.show_lines(IDLE)
        else:
            self.stepWanted.emit(t)

    def move(self, delta: int) -> None:
        t = self.shown_step()
        if t is None:
            return
        self.go_to(t + delta)

    def go_to(self, t: int | None) -> None:
        """Step to letter t (None or past the last: follow the newest)."""
        self.t = None if t is None or t >= self.letters - 1 else max(0, t)
        self.set_letters(self.letters)

    def show_step(self, step, unit: int | None) -> None:
        self.step, self.unit = step, unit
        self.show_lines(step_lines(step, unit))

    def show_lines(self, text: str) -> None:
        self.lines.setText(text)

    def text(self) -> str:
        """What it shows, its lines joined."""
        return self.lines.text()

    def set_unit(self, unit: int | None) -> None:
        if self.step is not None and unit != self.unit:
            self.show_step(self.step, unit)
