import numpy as np
import pytest

from engine.digits.preprocess import estimate_stroke_width, preprocess
from engine.digits.strokes import fit_strokes, render_strokes


def _similar(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two 28x28 inputs (1 = identical up to brightness)."""
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


@pytest.mark.parametrize("index", [0, 1, 5, 17, 40])
def test_shift_scale_and_thickness_give_nearly_the_same_input(pendigits, index):
    d = pendigits[index]
    base = preprocess(render_strokes(fit_strokes(d.strokes, 280, 200), 280, 16)).input
    variants = {
        "shifted": render_strokes(
            [s + np.float32([-50, 30]) for s in fit_strokes(d.strokes, 280, 160)], 280, 16
        ),
        "small": render_strokes(fit_strokes(d.strokes, 280, 90), 280, 8),
        "thin pen": render_strokes(fit_strokes(d.strokes, 280, 200), 280, 8),
        "thick pen": render_strokes(fit_strokes(d.strokes, 280, 200), 280, 28),
        "big canvas": render_strokes(fit_strokes(d.strokes, 1000, 700), 1000, 56),
    }
    for name, canvas in variants.items():
        got = preprocess(canvas).input
        assert _similar(base, got) > 0.85, name


def test_input_is_mnist_like(pendigits):
    res = preprocess(render_strokes(fit_strokes(pendigits[0].strokes, 280, 200), 280, 16))
    assert res.status == "ok" and res.input.shape == (28, 28) and res.input.dtype == np.float32
    ys, xs = np.nonzero(res.input > 0.1)
    assert ys.min() >= 2 and ys.max() <= 25  # fits the central 20x20 (plus blur)
    m = res.input.sum()
    cy, cx = (res.input.sum(1) * np.arange(28)).sum() / m, (res.input.sum(0) * np.arange(28)).sum() / m
    assert abs(cx - 14) < 0.6 and abs(cy - 14) < 0.6  # centre of mass at the centre
    for name in ("cropped", "width normalised", "fitted 20x20", "centred 28x28"):
        assert name in res.steps


def test_transform_maps_canvas_ink_onto_input_ink(pendigits):
    canvas = render_strokes(fit_strokes(pendigits[3].strokes, 280, 200), 280, 16)
    res = preprocess(canvas)
    ys, xs = np.nonzero(canvas > 200)
    pts = np.stack([xs, ys, np.ones_like(xs)], 1) @ res.to_input.T
    inside = res.input[
        np.clip(pts[:, 1].round().astype(int), 0, 27), np.clip(pts[:, 0].round().astype(int), 0, 27)
    ]
    assert (inside > 0.05).mean() > 0.9


def test_stroke_width_estimate():
    canvas = render_strokes([[(50, 140), (230, 140)]], 280, 12)
    assert 10 < estimate_stroke_width(canvas.astype(np.float32) / 255) < 14


def test_empty_and_full_canvases_are_defined():
    assert preprocess(np.zeros((280, 280), np.uint8)).status == "empty"
    assert preprocess(np.full((100, 100), 255, np.uint8)).status == "full"
    assert preprocess(np.full((100, 100), np.nan)).status == "empty"


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((1, 1)),
        np.zeros((280, 280, 5)),
        np.zeros((4, 280, 280)),
        np.zeros(280),
        np.array("text"),
        np.zeros((10, 300)),
    ],
)
def test_bad_shapes_raise_clear_errors(bad):
    with pytest.raises(ValueError, match="canvas"):
        preprocess(bad)


def test_odd_but_valid_inputs():
    c = render_strokes([[(60, 60), (200, 220)]], 280, 20)
    rgb = np.repeat(c[..., None], 3, axis=2)
    assert preprocess(rgb).status == "ok"
    assert preprocess(c.astype(bool)).status == "ok"
    assert preprocess(c.astype(np.float64)).status == "ok"  # 0-255 floats
    assert preprocess(c.astype(np.float32) / 255).status == "ok"
    nan = c.astype(np.float32) / 255
    nan[:10] = np.nan
    assert preprocess(nan).status == "ok"
    huge = np.zeros((4000, 4000), np.uint8)
    huge[1000:3000, 1900:2100] = 255
    res = preprocess(huge)
    assert res.status == "ok" and res.input.shape == (28, 28)
