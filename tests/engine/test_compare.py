"""The Compare page's engine (engine/compare) with the shipped networks: the recurrent network's
reading row by row, the tall drawing, and the measured table's counts checked against the models."""

import numpy as np
import pytest
import torch

from engine.compare import CompareEngine, load_row_network, read_rows, tall_rows
from engine.compare.table import cnn_counts, measure, parameters, rnn_counts
from engine.digits import render_strokes
from engine.digits.architectures import DigitRowRNN, load_network
from engine.paths import assets_dir

SEVEN = [np.float32([[70, 50], [210, 50], [120, 240]])]


@pytest.fixture(scope="module")
def engine():
    return CompareEngine.load("cpu")


def test_the_strips_last_row_is_the_recurrent_networks_answer(engine):
    res, rows = engine.read(render_strokes(SEVEN, 280, 16))
    assert rows.steps == 28 and rows.states.shape == (28, engine.rnn.config.units)
    with torch.no_grad():
        direct = torch.softmax(engine.rnn(torch.from_numpy(res.input)[None, None]), 1)[0].numpy()
    assert np.allclose(rows.probs[-1], direct, atol=1e-5)
    assert rows.answer == int(direct.argmax()) == 7 == int(np.argmax(res.probs))
    assert np.allclose(rows.probs.sum(1), 1.0, atol=1e-5) and (rows.pull >= 0).all()
    assert 1 <= rows.knew_after() <= 28


def test_the_pull_is_left_out_when_not_asked_and_the_same_when_asked_later(engine):
    res, rows = engine.read(render_strokes(SEVEN, 280, 16), pull=False)
    assert rows.pull is None
    _, with_pull = engine.read(render_strokes(SEVEN, 280, 16))
    assert np.allclose(engine.row_pull(rows.rows), with_pull.pull) and np.allclose(
        rows.probs, with_pull.probs
    )


def test_a_tall_drawing_is_read_with_more_steps_and_the_cnn_resizes_it(engine):
    canvas = render_strokes([np.float32([[140, 60], [140, 500]])], (560, 280), 16)
    assert canvas.shape == (560, 280)
    res, rows = engine.read(canvas, tall=True)
    assert rows.steps == 56 and rows.rows.shape == (56, 28)  # its own rows, no resizing
    assert res.input.shape == (28, 28)  # the CNN's input: resized
    _, square = engine.read(canvas, tall=False)
    assert square.steps == 28


def test_nothing_drawn_gives_no_recurrent_reading(engine):
    res, rows = engine.read(np.zeros((280, 280), np.uint8))
    assert res.empty and rows is None


@pytest.mark.parametrize("bad", [np.zeros((28, 27)), np.zeros((0, 28)), np.zeros(28)])
def test_rows_of_the_wrong_shape_are_refused(engine, bad):
    with pytest.raises(ValueError, match="rows must be"):
        read_rows(engine.rnn, bad)


def test_a_drawing_too_tall_to_read_is_refused_in_words():
    with pytest.raises(ValueError, match="times as tall as it is wide"):
        tall_rows(np.zeros((3000, 100), np.uint8))


def test_knew_after_is_the_row_from_which_the_answer_stayed():
    from engine.compare.rows import RowReading

    probs = np.eye(10, dtype=np.float32)[[1, 1, 7, 3, 7, 7]]
    r = RowReading(np.zeros((6, 28)), np.zeros((6, 4)), probs, np.zeros(6))
    assert r.answer == 7 and r.knew_after() == 5


def test_the_shipped_row_network_is_a_recurrent_network_that_reads_new_writers(pendigits):
    from engine.digits.prepared import HELD_OUT_WRITERS
    from engine.digits.synth import eval_inputs, split_writers
    from engine.digits.trainer import accuracy

    model, meta = load_network(assets_dir() / "digits_rows.safetensors")
    assert isinstance(model, DigitRowRNN)
    assert meta["metrics"]["mnist_test_top1"] >= 0.988
    _, held = split_writers(pendigits, HELD_OUT_WRITERS)
    x, y = eval_inputs(held[:400])
    assert accuracy(model, x, y, torch.device("cpu")) >= 0.98


def test_the_tables_counts_are_the_models_own():
    cnn, _ = load_network(assets_dir() / "digits.safetensors")
    rnn = load_row_network()
    table = measure(cnn, rnn, "cpu", quick=True)
    assert table.figures["params"] == (sum(p.numel() for p in cnn.parameters()), parameters(rnn))
    assert [r.what for r in table.rows][:3] == [
        "data it takes",
        "parameters",
        "uses of each weight per image",
    ]
    assert table.rows[1].cnn == f"{parameters(cnn):,}"
    # The multiply-adds, counted again from the layers a forward pass runs.
    counted = [0]

    def hook(m, inp, out):
        if isinstance(m, torch.nn.Conv2d):
            counted[0] += out.shape[2] * out.shape[3] * m.weight.numel()
        elif isinstance(m, torch.nn.Linear):
            counted[0] += m.weight.numel()

    handles = [m.register_forward_hook(hook) for m in cnn.modules()]
    with torch.no_grad():
        cnn.eval()(torch.zeros(1, 1, 28, 28))
    for h in handles:
        h.remove()
    assert cnn_counts(cnn)[0] == counted[0] == table.figures["macs"][0]
    c = rnn.config
    assert rnn_counts(rnn)[0] == 28 * 3 * (28 * c.units + c.units * c.units) + 10 * c.units
    assert len(table.sizes) == len(table.cnn_ms) == len(table.rnn_ms) >= 3


def test_the_command_line_prints_the_table(capsys):
    import json

    from engine.compare.__main__ import main

    assert main(["--quick", "--json", "--device", "cpu"]) == 0
    table = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert table["device"] == "cpu" and table["figures"]["params"][1] == parameters(load_row_network())
    assert main(["--quick", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "CNN vs row-by-row RNN, measured on cpu" in out and "multiply-adds per image" in out
