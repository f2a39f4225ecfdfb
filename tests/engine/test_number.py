"""The number engine (CRNN): its line input, CTC reading, the shipped network on held-out
writers' numbers, and its training path, all with the real code and weights."""

import numpy as np
import pytest
import torch

from benchmarks.number import edit_distance, scores
from engine.digits.strokes import render_strokes
from engine.digits.synth import split_writers
from engine.number import train as ntrain
from engine.number.cut import cut_and_classify
from engine.number.decode import greedy
from engine.number.line import HEIGHT, INK_HEIGHT, MAX_WIDTH, MIN_WIDTH, line_input
from engine.number.model import NumberNet, NumberNetConfig, columns_out
from engine.number.reader import NumberReader
from engine.number.synth import eval_pen_canvases, pen_line, place_strokes, render_line
from engine.weights import WeightsError

HELD_OUT = ntrain.TrainConfig().held_out_writers


@pytest.fixture(scope="module")
def reader():
    return NumberReader.load(device="cpu")


@pytest.fixture(scope="module")
def held(pendigits):
    return split_writers(pendigits, HELD_OUT)[1]


def test_line_input_shapes_and_states():
    empty = line_input(np.zeros((280, 960), np.uint8))
    assert empty.status == "empty" and empty.input.shape == (HEIGHT, MIN_WIDTH) and not empty.input.any()
    assert line_input(np.full((280, 960), 255, np.uint8)).status == "full"
    one = np.zeros((280, 960), np.uint8)
    one[60:220, 100:130] = 255  # a "1"
    three = one.copy()
    three[60:220, 300:330] = 255
    three[60:220, 500:530] = 255
    a, b = line_input(one), line_input(three)
    assert a.status == b.status == "ok"
    assert a.input.shape[0] == b.input.shape[0] == HEIGHT
    assert b.input.shape[1] > 3 * a.input.shape[1] / 2  # three digits make a wider line
    rows = np.flatnonzero(b.input.max(1) > 0.5)
    assert rows[-1] - rows[0] + 1 == pytest.approx(INK_HEIGHT, abs=2)  # 20 px of ink in 28
    # Where the line's ink lies on the canvas: its first and last inked columns map back to the
    # ink's ends (within a stroke's width of evening out).
    cols = np.flatnonzero(b.input.max(0) > 0.5)
    assert b.to_canvas_x(cols[0]) == pytest.approx(100, abs=12)
    assert b.to_canvas_x(cols[-1] + 1) == pytest.approx(530, abs=12)


def test_line_input_long_and_flat_lines_stay_bounded():
    dash = np.zeros((280, 2000), np.uint8)
    dash[140:146, 10:1990] = 255
    line = line_input(dash)
    assert line.input.shape[0] == HEIGHT and line.input.shape[1] <= MAX_WIDTH
    with pytest.raises(ValueError, match="2-D"):
        line_input(np.zeros((5, 40, 40, 2)))
    with pytest.raises(ValueError, match="at least"):
        line_input(np.zeros((10, 400)))


def test_greedy_reading_merges_repeats_and_needs_a_blank_between_equal_digits():
    def probs(classes):
        p = np.full((len(classes), 11), 0.01, np.float32)
        p[np.arange(len(classes)), classes] = 0.9
        return p

    # blank 1 1 blank 1 blank 7 7 -> "117"; digit d is class d + 1
    text, digits = greedy(probs([0, 2, 2, 0, 2, 0, 8, 8]))
    assert text == "117"
    assert [(d.first, d.last) for d in digits] == [(1, 2), (4, 4), (6, 7)]
    assert all(d.confidence == pytest.approx(0.9) for d in digits)
    assert greedy(probs([2, 2, 2]))[0] == "1"
    assert greedy(probs([0, 0]))[0] == "" and greedy(np.zeros((0, 11)))[0] == ""


@pytest.mark.parametrize("width", [28, 29, 30, 31, 97, 448])
def test_model_gives_one_output_column_per_four_input_columns(width):
    model = NumberNet(NumberNetConfig(channels=[2, 3, 4], hidden=5)).eval()
    assert model(torch.zeros(2, 1, HEIGHT, width)).shape == (2, columns_out(width), 11)


def test_shipped_crnn_reads_held_out_writers_numbers(reader, held):
    lines = eval_pen_canvases(held, 90, seed=11)
    read = [reader.read(c).text for c, _ in lines]
    exact, digit_errors = scores(read, [n for _, n in lines])
    assert exact >= 0.85, (exact, digit_errors)
    assert digit_errors <= 0.05


def test_crnn_reads_touching_digits_where_cutting_at_gaps_cannot(reader, held, digit_engine):
    """Digits written touching: no blank column between them, so the CNN alone cannot be handed
    one digit at a time; the CRNN reads them anyway."""
    rng = np.random.default_rng(3)
    right_crnn = right_cut = 0
    trials = 40
    for _ in range(trials):
        pick = [held[i] for i in rng.integers(0, len(held), 3)]
        strokes, w, h = place_strokes([d.strokes for d in pick], [150.0] * 3, [-4.0] * 3, [0.0] * 3)
        canvas = render_line(strokes, w, h, 16)
        truth = "".join(str(d.label) for d in pick)
        right_crnn += reader.read(canvas).text == truth
        right_cut += cut_and_classify(canvas, digit_engine)[0] == truth
    assert right_crnn >= 0.75 * trials
    assert right_cut < right_crnn


def test_reading_says_where_each_digit_is_on_the_canvas(reader, held):
    pick = [next(d for d in held if d.label == k) for k in (4, 0, 7)]
    strokes, w, h = place_strokes([d.strokes for d in pick], [150.0] * 3, [80.0] * 3, [0.0] * 3)
    canvas = render_line(strokes, w, h, 16)
    res = reader.read(canvas)
    assert res.text == "407" and res.status == "ok"
    assert 0.5 < res.confidence <= 1.0 and "407" in res.message
    t = len(res.probs)
    assert res.probs.shape == (t, 11) and np.allclose(res.probs.sum(1), 1, atol=1e-4)
    assert res.hidden.shape[0] == res.columns.shape[0] == t
    # Each digit's columns lie over that digit's ink: the ink of digit i spans these canvas x.
    pad = 16 + 8
    edges, x = [], 0.0
    for d in pick:
        pts = np.concatenate(d.strokes)
        width = (pts[:, 0].max() - pts[:, 0].min()) * 150.0 / (pts[:, 1].max() - pts[:, 1].min())
        edges.append((x + pad, x + pad + width))
        x += width + 80.0
    for d, (lo, hi) in zip(res.digits, edges, strict=True):
        a, b = res.canvas_span(d)
        assert lo - 30 <= (a + b) / 2 <= hi + 30


def test_single_digit_and_empty_canvas(reader, held):
    d = next(d for d in held if d.label == 3)
    empty = reader.read(render_strokes([], (280, 960)))
    assert empty.text == "" and empty.status == "empty" and empty.message == "no ink: write a number"
    assert len(empty.probs) == 0 and empty.confidence == 0.0
    strokes, w, h = place_strokes([d.strokes], [150.0], [0.0], [0.0])
    assert reader.read(render_line(strokes, w, h, 16)).text == "3"
    one = pen_line([d], np.random.default_rng(0), 150, 16, jittered=False)
    assert reader.read(one).text == "3"


def test_weights_of_another_network_are_refused_by_name(tmp_path):
    from engine.paths import assets_dir

    with pytest.raises(WeightsError, match="digits.safetensors.*not NumberNet"):
        NumberReader.load(assets_dir() / "digits.safetensors", device="cpu")
    bad = tmp_path / "number.safetensors"
    bad.write_bytes(b"\x00" * 40)
    with pytest.raises(WeightsError, match="number.safetensors"):
        NumberReader.load(bad, device="cpu")


def test_edit_distance_and_scores():
    assert edit_distance("407", "407") == 0
    assert edit_distance("47", "407") == 1 and edit_distance("4077", "407") == 1
    assert edit_distance("", "12") == 2
    assert scores(["12", "3"], ["12", "4"]) == (0.5, pytest.approx(1 / 3))


def test_training_cli_writes_loadable_weights(tmp_path, mnist_available, pendigits):
    out = tmp_path / "n.safetensors"
    args = ["--out", str(out), "--epochs", "1", "--pen-lines", "64", "--mnist-lines", "64", "--device", "cpu"]
    assert ntrain.main(args) == 0
    reader = NumberReader.load(out, device="cpu")
    assert reader.metadata["train"]["pen_lines"] == 64
    canvas = np.zeros((280, 960), np.uint8)
    canvas[60:220, 100:130] = 255
    res = reader.read(canvas)  # an untrained network reads something, of the right shape
    assert res.probs.shape[1] == 11 and isinstance(res.text, str)
