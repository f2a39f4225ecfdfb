"""The recurrent cells the Text page offers, by key, with the names it shows and what each gate does."""

CELL_NAMES = {"rnn": "Plain RNN", "lstm": "LSTM", "gru": "GRU"}
GATE_TIPS = {
    "input": "Input gate (LSTM): how much of the new candidate each unit writes into its memory cell.",
    "forget": "Forget gate (LSTM): how much of its memory each unit keeps from the previous letter (1 = all).",
    "output": "Output gate (LSTM): how much of the memory each unit shows as its hidden state.",
    "candidate": "Candidate (LSTM): the new value each unit proposes to write, from -1 to 1.",
    "reset": "Reset gate (GRU): how much of the previous hidden state is used to propose the new one.",
    "update": "Update gate (GRU): how much each unit moves to its new proposal (1) or keeps its old state (0).",
}
