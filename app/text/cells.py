"""The cells the Text page offers, by key, with the names it shows and what each gate does."""

from engine.text.cell_kinds import RECURRENT_CELLS as RECURRENT  # noqa: F401 (the page's name for them)

CELL_NAMES = {
    "rnn": "Plain RNN",
    "lstm": "LSTM",
    "gru": "GRU",
    "cnn": "Temporal CNN",
    "transformer": "Transformer",
}
# What the heatmap of each cell's last layer is, in its title and tooltip.
HIDDEN_TITLES = {
    "cnn": (
        "last block's output",
        "The temporal CNN's last block, after each letter: one row per channel. It is computed from "
        "the letters in its window only (its receptive field), not from a state carried along.",
    ),
    "transformer": (
        "last layer's output",
        "The Transformer's last layer, after each letter: one row per unit of its width. Each letter's "
        "column is computed from the letters before it at once, through attention.",
    ),
}
GATE_TIPS = {
    "input": "Input gate (LSTM): how much of the new candidate each unit writes into its memory cell.",
    "forget": "Forget gate (LSTM): how much of its memory each unit keeps from the previous letter (1 = all).",
    "output": "Output gate (LSTM): how much of the memory each unit shows as its hidden state.",
    "candidate": "Candidate (LSTM): the new value each unit proposes to write, from -1 to 1.",
    "reset": "Reset gate (GRU): how much of the previous hidden state is used to propose the new one.",
    "update": "Update gate (GRU): how much each unit moves to its new proposal (1) or keeps its old state (0).",
}
