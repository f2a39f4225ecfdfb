"""The text cells by kind. No torch at import: the app reads them before torch has loaded."""

RECURRENT_CELLS = ("rnn", "lstm", "gru")  # a state carried from letter to letter
WINDOW_CELLS = ("cnn", "transformer")  # each guess reads a fixed window of letters before it
CELLS = RECURRENT_CELLS + WINDOW_CELLS
