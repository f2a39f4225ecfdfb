"""The panels under the Text page's hidden-state heatmap, which depend on the cell: an LSTM's or
GRU's gates, the temporal CNN's feature maps, the Transformer's attention, or a note saying why
there are none. A part of TextPage (app/text/page.py), which it is mixed into."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.text.cells import GATE_TIPS
from app.text.views import HeatMap
from app.text.window_views import AttentionStrip

# What the symbols under the heatmaps stand for (see app/painting.py: shown_char).
SYMBOLS = "Letters as the network reads them: lower case; ␣ a space, ⏎ a line break, ~ a character it does not know."


class InsidePanels:
    """See the module docstring."""

    def _set_gate_panels(self, cell: str, shape: list[str] | tuple[int, int] | None = None) -> None:
        """The panels under the hidden state: the gates of an LSTM or GRU, the feature maps of the
        CNN's blocks named in `shape`, or the Transformer's attention with `shape` (layers, heads).
        Without `shape` a window cell's panel says what will come (its trace brings the shape)."""
        self.heavy.cancel()
        for p in self._gate_panels.values():
            self.gates_box.removeWidget(p)
            p.deleteLater()
        self._gate_panels = {}
        if self.attention_view is not None:
            self.gates_box.removeWidget(self.attention_view)
            self.attention_view.deleteLater()
            self.attention_view = None
        if cell == "transformer" and shape:
            self.attention_view = AttentionStrip(*shape)
            self.attention_view.letterPicked.connect(self.step_view.go_to)
            # At the top of the gates' room (its height is fixed): no spacer to remove later.
            self.gates_box.addWidget(self.attention_view, 0, Qt.AlignmentFlag.AlignTop)
            return
        for name, tip, empty in _notes(cell, shape):
            note = HeatMap(name, tip, "viridis", (0, 1), empty=empty)
            self._gate_panels["none"] = note
            self.gates_box.addWidget(note)
        names = {"lstm": ("input", "forget", "output", "candidate"), "gru": ("reset", "update")}.get(cell, ())
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
        if cell == "cnn" and shape:
            for n in shape:
                p = HeatMap(
                    f"{n}, scaled",
                    "A block of the temporal CNN after each letter: one row per channel (feature map), "
                    "scaled to its largest values. Each block's kernel reads 3 letters of the block below, "
                    "spaced further apart block by block, so each block sees a wider window of the text: "
                    f"the number in its title. Nothing outside the last block's window reaches it. {SYMBOLS}",
                    "CET-D1",
                    (-1.0, 1.0),
                )
                self._gate_panels[n] = p
                self.gates_box.addWidget(p)
        for p in self._gate_panels.values():
            p.unitPicked.connect(self.follow_unit)
            p.letterPicked.connect(self.step_view.go_to)
            p.scrolled.connect(self._scroll_all)
        self._mark_unit()

    def _show_attention(self, t: int | None = None) -> None:
        """The Transformer's attention for letter t (None: the step shown, else the newest)."""
        tr = self._trace
        if self.attention_view is None or tr is None or self._trace_cell != self.cell:
            return
        self.attention_view.set_attention(
            tr.text, tr.attention, self.step_view.shown_step() if t is None else t
        )


def _notes(cell: str, shape) -> list[tuple[str, str, str]]:
    """(title, tooltip, what it says) of the panel in the gates' place, for a cell with none to show."""
    if cell == "rnn":
        return [
            (
                "no gates",
                "A plain RNN has no gates: each letter simply mixes into the hidden "
                "state, which is why its memory fades fast (vanishing gradients).",
                "a plain RNN has no gates: each letter mixes straight into its hidden state",
            )
        ]
    if cell in ("cnn", "transformer") and not shape:
        what = "the feature maps of its blocks" if cell == "cnn" else "its attention"
        return [(what, f"Type some text to see {what}.", "type some text")]
    return []
