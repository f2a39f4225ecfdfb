"""Help > Keyboard shortcuts: every key the window answers to, in one table."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.boxes import wide_box

# (keys, what they do). tests/app/test_window.py checks that this names every shortcut the window
# has, so that it cannot fall behind the menus and pages.
SHORTCUTS: list[tuple[tuple[str, ...], str]] = [
    (("F1", "F2", "F3", "F4", "F5", "F6"), "Digits / Text / Number / Train / Compare / Neuron page"),
    (("Ctrl+Return",), "Train: start training from random weights"),
    (("Shift+F1",), "Explain what I point at: the line above the status bar, on or off"),
    (
        ("Ctrl+Z",),
        "Digits and Number: undo the last stroke, clear or picture (or right-click the canvas). "
        "Text: undo, a correction first",
    ),
    (("Ctrl+Shift+Z", "Ctrl+Y"), "Redo what Ctrl+Z undid"),
    (("Del",), "Digits, Number and Compare: clear the canvas"),
    (
        ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5"),
        "Text: read with a plain RNN / an LSTM / a GRU / a temporal CNN / a Transformer",
    ),
    (("Alt+1", "Alt+2", "Alt+3", "Alt+4", "Alt+5"), "Text: use suggestion 1-5 (or double-click it)"),
    (("Alt+Up", "Alt+Down"), "Text: follow the unit above / below (or click a heatmap's row)"),
    (
        ("Alt+Left", "Alt+Right"),
        "Text: step to the letter before / after: the state, the gates and the guess (or click a heatmap). "
        "Compare: the row before / after",
    ),
    (
        ("Space",),
        "Compare: play through the rows as the recurrent network reads them. Neuron: play or pause training",
    ),
    (("S",), "Neuron: one training step (the weights it changed are shown)"),
    (("R",), "Neuron: new random weights"),
    (("Ctrl+T",), "Compare: a tall canvas (more rows for the recurrent network) or a square one"),
    (("Ctrl+D",), "Text: add the word at the caret to your dictionary (or right-click it)"),
    (
        tuple(f"Ctrl+{d}" for d in range(10)),
        "Digits: keep the drawing as an example of that digit (or click its bar), to teach it your hand",
    ),
    (("Ctrl+E",), "Digits: your examples, and Teach"),
    (
        ("Ctrl+O",),
        "Open a picture of a digit, or on the Number page of a number (a photo, scan or screenshot; "
        "or drop one on the window)",
    ),
    (("Ctrl+V",), "Digits and Number: paste a picture"),
    (("Ctrl+C",), "Digits and Number: copy the drawing as a picture"),
    (
        ("Arrows", "PgUp", "PgDown"),
        "Digits, in the feature maps (Tab to them): pick the map shown large; Page Up / Down: the "
        "layer before / after, Home / End: its first / last map",
    ),
    (("Ctrl+S",), "Save the current page's plots as PNG"),
    (("Ctrl+Q",), "Quit"),
]


def _keys_text(keys: tuple[str, ...]) -> str:
    return " / ".join(keys) if len(keys) <= 3 else f"{keys[0]} ... {keys[-1]}"


def shortcuts_html() -> str:
    rows = "".join(
        f"<tr><td style='padding: 2px 18px 2px 0; white-space: nowrap'><b>{_keys_text(keys)}</b></td>"
        f"<td style='padding: 2px 0'>{what}</td></tr>"
        for keys, what in SHORTCUTS
    )
    return f"<table>{rows}</table>"


def show_shortcuts(parent: QWidget) -> QMessageBox:
    # One line per shortcut, not a narrow column; open beside the window while trying the keys.
    box = wide_box(parent, "Keyboard shortcuts", shortcuts_html())
    box.show()
    return box
