"""One step of each recurrent cell recomputed from the state before it and its letter
(engine/text/step.py) equals what trace() computed there: the new state, the gates, the guess."""

import numpy as np
import pytest

from engine.text import TextEngine
from engine.text.step import step_at

TEXT = "the networ"


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_each_step_equals_the_trace(cell):
    eng = TextEngine.load(cell=cell)
    tr = eng.trace(TEXT, fresh=True)
    for t in range(len(tr.text)):
        s = step_at(eng, tr, t)
        assert s.char == tr.text[t] and s.before == tr.text[:t]
        np.testing.assert_allclose(s.hidden, tr.hidden[t], atol=2e-5)
        np.testing.assert_allclose(s.next_char, tr.next_char[t], atol=2e-5)
        if t:
            np.testing.assert_allclose(s.prev_hidden, tr.hidden[t - 1], atol=0)
        for name in ("input", "forget", "output", "candidate", "reset", "update"):
            if name in tr.gates and name in s.gates:
                np.testing.assert_allclose(s.gates[name], tr.gates[name][t], atol=2e-5)


def test_after_in_the_mornin_the_lstm_guesses_g():
    # (After "networ" today's networks, trained on 19th-century books, guess "t": issue 30.)
    eng = TextEngine.load(cell="lstm")
    s = step_at(eng, eng.trace("in the mornin", fresh=True), 12)
    assert s.char == "n" and s.best_guesses(1)[0][0] == "g"
    with pytest.raises(IndexError):
        step_at(eng, eng.trace("ab"), 2)
