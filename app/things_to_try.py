"""Help > Things to try: a short guide for a first visit, or for a class, page by page."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.boxes import sections_html, wide_box

# (page, [what to try]). The keys named here are the window's own (a test checks them against
# Help > Keyboard shortcuts).
THINGS: list[tuple[str, list[str]]] = [
    (
        "Digits (F1): a convolutional network",
        [
            "Draw a digit slowly: the strip under the bars shows the network's guess changing stroke by stroke.",
            "Tick <i>Preprocessing steps</i> to see your drawing become the 28x28 input the network reads.",
            "Click a feature map (or Tab to the maps and use the arrows): beside it, its 3x3 kernel and the "
            "patch of the input its strongest unit sees. Click a pooled map to compare max, average and min "
            "pooling.",
            "Pick another <i>Network</i>: the same CNN with sigmoid or tanh, or average or min pooling. "
            "Watch act1: sigmoid saturates, tanh goes negative, min pooling keeps little.",
            "Draw two digits side by side: this network reads one; the Number page (F3) reads both.",
            "Teach it your hand: when it misreads your digit, press Ctrl and the right digit (Ctrl+7), "
            "gather a few of each, then Ctrl+E and Teach: it says how many of your examples held out it "
            "read wrong before and after, and what became of its MNIST score.",
        ],
    ),
    (
        "Text (F2): a recurrent network, a temporal CNN and a Transformer",
        [
            "Type <i>networc</i> and a space: it is corrected to <i>network</i>, highlighted; Ctrl+Z brings "
            "back what you typed.",
            "Type half a word: the list offers completions and corrections; Alt+1 takes the first.",
            "In <i>Follow</i>, pick the unit that tracks spaces, then type a sentence: its row in the strip "
            "below changes at every space, and the rows under it show that unit's gates at each letter.",
            "Switch to a plain RNN (Ctrl+1) and watch the bottom strip: a letter's pull on the next guess "
            "fades within about 15 letters, the vanishing gradient; an LSTM (Ctrl+2) or a GRU (Ctrl+3) "
            "reaches further back.",
            "Type a long sentence and switch to the temporal CNN (Ctrl+4): the pull strip stops dead at a "
            "yellow line, its window of 127 letters; nothing before it can change the guess. The panels "
            "show its blocks, each seeing twice as far as the one below.",
            "Switch to the Transformer (Ctrl+5) and click a letter on a heatmap: the attention panel shows "
            "which letters before it each head of each layer looks at, all at once, no state carried.",
        ],
    ),
    (
        "Number (F3): a CNN + RNN hybrid (CRNN)",
        [
            "Write a year with its digits touching: the CRNN reads it; the digit CNN alone, cutting the ink "
            "at blank columns, reads one digit for two.",
            "Point at a column of the guess band (or click the view and use the arrows): the canvas lights "
            "the slice of your writing that column reads.",
            "Write 77: between the two runs of “7” the network says “–” (no digit), as CTC must to "
            "write a digit twice.",
            "Copy a digit from the Digits page (Ctrl+C) and paste it here (Ctrl+V), or paste a photo of "
            "a house number.",
        ],
    ),
    (
        "Train (F4): watch a network learn",
        [
            "Press Train (Ctrl+Return) with the CNN: within seconds the loss falls, the held-out accuracy "
            "climbs past 95% and the 3x3 kernels turn from noise into edges.",
            "Pick 500 training digits and a few epochs: the training accuracy reaches 100% while the "
            "held-out one stays lower, which is overfitting.",
            "Train an MLP with sigmoid and several layers, or a plain RNN: the first layers' gradient bars "
            "fall far below the last, the vanishing gradient.",
            "Click a bright cell off the diagonal of the confusion matrix to see the digits it mixes up.",
        ],
    ),
    (
        "Compare (F5): a CNN and an RNN on one drawing",
        [
            "Draw a 7 and play the rows (Space): the recurrent network's guess changes row by row; the "
            "strip of probabilities shows the row from which it knew.",
            "Step through the rows (Alt+Left, Alt+Right) and watch the hidden state fill in, while the CNN "
            "answered once, from all the pixels at once.",
            "Compare the pull strip with the CNN's saliency: the recurrent network's early rows pull less.",
            "Tick Tall canvas (Ctrl+T): the recurrent network reads 56 rows with no resizing; the CNN must "
            "shrink the drawing to 28x28.",
            "Read the table: where this machine contradicts what the articles claim, it says so.",
        ],
    ),
    (
        "Neuron (F6): one neuron, and why hidden layers",
        [
            "With no hidden layer, drag w1, w2 and b: the dashed line moves; point at the plane to read the "
            "neuron's arithmetic there with its own numbers.",
            "Pick XOR and press Play (Space): one neuron never gets past about 70%, whatever it tries.",
            "Type 4,4 in Hidden layers and Play again: within a second it splits XOR; each hidden unit "
            "shows what it learnt to see.",
            "Tick x1*x2: now one neuron solves XOR, because the feature did the work. Press S to step once "
            "and see which weights moved.",
        ],
    ),
]


def things_html() -> str:
    return sections_html(THINGS)


def show_things_to_try(parent: QWidget) -> QMessageBox:
    # Not modal: open beside the window while trying them.
    box = wide_box(parent, "Things to try", things_html(), min_width=640)
    box.show()
    return box
