"""DigitEngine.fine_tuned (issue 28) with the shipped CNN, for real: the engine it was called on is
unchanged, the new one reads a style it was taught better, and bad input is refused in words."""

import numpy as np
import pytest
import torch

from engine.digits import DigitEngine


@pytest.fixture(scope="module")
def base():
    return DigitEngine.load(device="cpu", check=False)


@pytest.fixture(scope="module")
def style(pendigits):
    """The held-out writers' digits drawn one consistent odd way (narrow and rotated)."""
    from benchmarks.teach import render_style
    from engine.digits.prepared import HELD_OUT_WRITERS

    held = [d for d in pendigits if d.writer in HELD_OUT_WRITERS][::3]
    return render_style(held, (0.0, 0.5, 25.0, 16))


def test_the_engine_taught_from_is_unchanged(base, style):
    canvases, labels = style
    before = {k: v.clone() for k, v in base.model.state_dict().items()}
    trained = {k: v.clone() for k, v in base.trained.state_dict().items()}
    probs = base.predict(canvases[0]).probs.copy()
    tuned = base.fine_tuned(canvases[:20], labels[:20], seconds=1.0, replay=False)
    assert tuned is not base and tuned.model is not base.model
    for k, v in base.model.state_dict().items():
        assert torch.equal(v, before[k]), k
    for k, v in base.trained.state_dict().items():
        assert torch.equal(v, trained[k]), k
    assert np.array_equal(base.predict(canvases[0]).probs, probs)
    assert "taught" not in base.metadata and tuned.metadata["taught"]["examples"] == 20


def test_teaching_a_style_cuts_its_errors_and_keeps_mnist(base, style, mnist_available):
    from benchmarks.teach import errors
    from engine.digits.prepared import prepared_data
    from engine.digits.trainer import accuracy

    canvases, labels = style
    rng = np.random.default_rng(0)
    taught = np.concatenate([rng.choice(np.flatnonzero(labels == k), 10, replace=False) for k in range(10)])
    rest = np.setdiff1d(np.arange(len(labels)), taught)
    data = prepared_data(log=lambda _m: None)
    tuned = base.fine_tuned([canvases[i] for i in taught], labels[taught], seconds=8, replay=data)
    test_c, test_y = [canvases[i] for i in rest], labels[rest]
    before, after = errors(base, test_c, test_y), errors(tuned, test_c, test_y)
    assert before >= 10 and after <= 0.8 * before  # an odd style: many errors, and fewer after
    assert accuracy(tuned.trained, data.x_test[:3000], data.y_test[:3000], torch.device("cpu")) >= 0.985


def test_a_taught_engine_saves_and_loads_back(base, style, tmp_path):
    from engine.digits.prepared import PREPROCESS_VERSION
    from engine.weights import save_trained

    canvases, labels = style
    tuned = base.fine_tuned(canvases[:10], labels[:10], seconds=0.5, replay=False)
    path = tmp_path / "taught.safetensors"
    save_trained(path, tuned.trained, "DigitNet", {}, {}, "cpu", preprocess_version=PREPROCESS_VERSION)
    again = DigitEngine.load(path, device="cpu", check=False)
    assert np.allclose(again.predict(canvases[0]).probs, tuned.predict(canvases[0]).probs, atol=1e-5)


@pytest.mark.parametrize(
    "canvases, labels, said",
    [
        ([], [], "at least one example"),
        ([np.zeros((280, 280), np.uint8)], [1, 2], "1 drawings but 2 labels"),
        ([np.zeros((280, 280), np.uint8)], [10], "0 to 9"),
        ([np.zeros((280, 280), np.uint8)], [1.5], "whole numbers"),
        ([np.zeros((2, 2, 2, 2))], [1], "canvas"),
    ],
)
def test_bad_examples_are_refused_in_words(base, canvases, labels, said):
    with pytest.raises(ValueError, match=said):
        base.fine_tuned(canvases, labels, seconds=0.5, replay=False)
