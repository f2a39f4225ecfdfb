"""Units that track a nameable feature: the features, the correlation, the shipped file and its reader."""

import json

import numpy as np
import pytest

from engine.bad_file import BadFileError
from engine.text import units as U


def test_features_of_a_short_text():
    text = "a cat, sat.\nno"
    assert U.FEATURES["space"][1](text).tolist() == [c in " \n" for c in text]
    assert U.FEATURES["vowel"][1](text).tolist() == [c in "aeiou" for c in text]
    assert U.FEATURES["punctuation"][1](text).tolist() == [c in ".," for c in text]
    assert U.FEATURES["word_pos"][1](text).tolist() == [1, 0, 1, 2, 3, 0, 0, 1, 2, 3, 0, 0, 1, 2]
    assert U.FEATURES["word_pos"][1]("a" * 20).max() == U.WORD_POS_CAP


def test_correlations_per_unit():
    f = np.array([0, 1, 0, 1, 1, 0], np.float32)
    hidden = np.stack([f, -2 * f + 3, np.ones(6), [0.1, 0.2, 0.3, 0.1, 0.2, 0.3]], 1)
    r = U.correlations(hidden, f)
    assert r[0] == pytest.approx(1) and r[1] == pytest.approx(-1)
    assert r[2] == 0  # a unit that never changes tracks nothing (not NaN)
    assert abs(r[3]) < 1
    assert np.all(U.correlations(hidden, np.ones(6)) == 0)


def test_the_sample_is_the_held_out_chunks():
    from engine.text.lm_data import CHUNK, HOLD_OUT_EVERY

    text = "".join(chr(ord("a") + k % 26) * CHUNK for k in range(3 * HOLD_OUT_EVERY))
    sample = U.held_out_sample(text, CHUNK + 10)
    k = HOLD_OUT_EVERY - 1
    assert sample == chr(ord("a") + k % 26) * CHUNK + chr(ord("a") + (2 * HOLD_OUT_EVERY - 1) % 26) * 10


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"\xff\xfe not text", "not a JSON file"),
        (b"{ nope", "not a JSON file"),
        (b"[1, 2]", 'no "cells" object'),
        (b'{"cells": {"lstm": [1]}}', "cell 'lstm' is not an object"),
        (b'{"cells": {"lstm": {"space": {"unit": -3, "r": 0.5}}}}', "lstm space"),
        (b'{"cells": {"lstm": {"space": {"unit": "7", "r": 0.5}}}}', "lstm space"),
        (b'{"cells": {"lstm": {"space": {"unit": true, "r": 0.5}}}}', "lstm space"),
    ],
)
def test_a_bad_units_file_names_itself_and_its_problem(tmp_path, content, said):
    p = tmp_path / "units.json"
    p.write_bytes(content)
    with pytest.raises(BadFileError, match=said) as err:
        U.read_units(p)
    assert str(err.value).startswith(str(p))
    with pytest.raises(BadFileError, match="cannot be read"):
        U.read_units(tmp_path / "missing.json")


def test_a_feature_the_app_does_not_know_is_left_out(tmp_path):
    p = tmp_path / "units.json"
    p.write_text(json.dumps({"cells": {"gru": {"space": {"unit": 3, "r": -0.5}, "rhyme": {"unit": 1}}}}))
    assert U.read_units(p) == {"gru": {"space": {"unit": 3, "r": -0.5}}}


def test_the_shipped_units_still_track_their_features_in_the_shipped_networks():
    """Retrained weights without `python -m engine.text.units --write` fail here: the file would
    name units of the old networks."""
    from engine.text.data import read_corpus
    from engine.text.engine import TextEngine
    from engine.text.model import CELLS

    shipped = U.read_units()
    assert set(shipped) == set(CELLS) and all(set(f) == set(U.FEATURES) for f in shipped.values())
    try:
        sample = U.held_out_sample(read_corpus(), 6_000)  # the first part of the sample written
    except FileNotFoundError as exc:
        pytest.skip(f"corpus not found: {exc}")
    for cell in CELLS:
        eng = TextEngine.load(cell, device="cpu")
        chars, hidden = U.read_hidden(eng, sample)
        assert hidden.shape == (len(chars), eng.model.config.hidden)
        for name, e in shipped[cell].items():
            r = U.correlations(hidden, U.FEATURES[name][1](chars))
            assert abs(r[e["unit"]]) >= 0.3, (cell, name)
            assert np.sign(r[e["unit"]]) == np.sign(e["r"]), (cell, name)
            assert abs(r[e["unit"]]) >= 0.8 * np.abs(r).max(), (cell, name)  # still (near) the best
