"""Each letter's pull on the next-character guess: shape, meaning, and the vanishing gradient."""

import numpy as np
import pytest
import torch

from engine.text.engine import TextEngine
from engine.text.influence import MOST_CHARS, WINDOW_MOST_CHARS, influence, reach
from engine.text.model import CELLS, RECURRENT_CELLS

SENTENCE = "the network reads every letter as you type it and the hidden state carries what it"


@pytest.fixture(scope="module")
def engines():
    return {c: TextEngine.load(c, device="cpu") for c in CELLS}


@pytest.mark.parametrize("cell", CELLS)
def test_the_pull_of_each_of_the_last_letters_on_the_guess_the_page_shows(engines, cell):
    eng = engines[cell]
    most = MOST_CHARS if cell in RECURRENT_CELLS else WINDOW_MOST_CHARS
    text = "The Network " + SENTENCE * 3
    inf = influence(eng, text)
    assert inf.text == eng.vocab.normalise(text)[-most:] and len(inf.pull) == most
    assert inf.pull.max() == pytest.approx(1.0) and inf.pull.min() >= 0
    tr = eng.trace(inf.text, fresh=True)  # what the next-character bars show for the same letters
    assert inf.guess == tr.alphabet[int(np.argmax(tr.next_char[-1]))]
    short = influence(eng, "ab€")  # fewer letters than MOST_CHARS; an unknown one read as "~"
    assert short.text == "ab~" and len(short.pull) == 3
    empty = influence(eng, "")
    assert empty.text == "" and len(empty.pull) == 0 and empty.guess == ""


def test_a_strong_pull_means_the_letter_moves_the_guess(engines):
    """Swapping the letter with the strongest pull moves the guess's log-probability more than
    swapping the one with the weakest: the pull says what the guess depends on."""
    eng = engines["rnn"]
    text = eng.vocab.normalise(SENTENCE)[-MOST_CHARS:]
    inf = influence(eng, text)
    guess = eng.vocab.index[inf.guess]

    def logp(t: str) -> float:
        with torch.no_grad():
            logits, _, _ = eng.model(torch.tensor([eng.vocab.encode(t)]))
        return float(torch.log_softmax(logits[0, -1], -1)[guess])

    def moved(k: int) -> float:
        return max(abs(logp(text[:k] + c + text[k + 1 :]) - logp(text)) for c in "qzx" if c != text[k])

    strong, weak = int(np.argmax(inf.pull)), int(np.argmin(inf.pull))
    assert inf.pull[weak] < 1e-3 and moved(strong) > 100 * moved(weak)


def test_the_plain_rnns_pull_fades_fastest(engines):
    from engine.text.data import read_corpus
    from engine.text.units import held_out_sample

    try:
        sample = held_out_sample(read_corpus(), 12_000)
    except FileNotFoundError as exc:
        pytest.skip(f"corpus not found: {exc}")
    r = {c: reach(engines[c], sample, 30) for c in RECURRENT_CELLS}
    for c in RECURRENT_CELLS:
        assert r[c][1] > r[c][5] > r[c][10] > r[c][20]  # every cell's pull fades with distance
    # 20 letters back: RNN 0.0010, LSTM 0.0054, GRU 0.0128 (30 pieces; 200 pieces in the module's doc)
    assert r["rnn"][20] < r["lstm"][20] / 2 and r["rnn"][20] < r["gru"][20] / 2
    assert r["rnn"][30] < r["lstm"][30] / 5 and r["rnn"][30] < r["gru"][30] / 5


def test_the_cnns_pull_stops_at_its_receptive_field_and_the_transformers_goes_past_it(engines):
    """Letters further back than the CNN's window have no pull at all; the Transformer's stacked
    layers reach past one window of attention."""
    text = (SENTENCE + " ") * 3
    cnn = influence(engines["cnn"], text)
    rf = engines["cnn"].model.config.receptive_field
    assert cnn.reach == rf and len(cnn.pull) == WINDOW_MOST_CHARS > rf
    back = cnn.pull[::-1]  # back[k]: the letter k before the last
    assert np.all(back[rf:] == 0) and back[rf - 1] > 0
    tf = influence(engines["transformer"], text)
    assert tf.reach is None and tf.pull[::-1][rf:].max() > 0
