import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from engine.digits import DigitEngine
from engine.digits.data import load_mnist
from engine.digits.networks import SHIPPED
from engine.digits.synth import render_digit


def test_shipped_weights_record_what_they_are(digit_engine):
    meta = digit_engine.metadata
    assert meta["model"] == "DigitNet"
    assert meta["metrics"]["mnist_test_top1"] >= 0.99
    assert meta["data"]["held_out_writers"]


def test_reads_held_out_writers(digit_engine, pendigits):
    held = set(digit_engine.metadata["data"]["held_out_writers"])
    digits = [d for d in pendigits if d.writer in held][::10]
    hits = [digit_engine.predict(render_digit(d, pw)).label == d.label for d in digits for pw in (10, 24)]
    assert np.mean(hits) >= 0.97


def test_reads_mnist(digit_engine, mnist_available):
    x, y = load_mnist("test", mnist_available)
    hits = [digit_engine.predict(im).label == lab for im, lab in zip(x[:300], y[:300], strict=True)]
    assert np.mean(hits) >= 0.98


def test_result_carries_the_insides(digit_engine, pendigits):
    res = digit_engine.predict(render_digit(pendigits[0], 16))
    assert res.status == "ok" and res.label == pendigits[0].label
    assert res.probs.shape == (10,) and abs(res.probs.sum() - 1) < 1e-5
    assert res.input.shape == (28, 28)
    names = list(res.activations)
    assert names[:3] == ["conv1", "act1", "pool1"] and names[-2:] == ["fc1", "logits"]
    assert res.activations["conv1"].shape[1:] == (28, 28) and res.activations["pool1"].shape[1:] == (14, 14)
    assert set(res.kernels) == {f"conv{i}" for i in range(1, len(digit_engine.model.convs) + 1)}
    assert res.kernels["conv1"].shape[1:] == (1, 3, 3)
    assert res.saliency.shape == (28, 28) and res.saliency.min() >= 0 and res.saliency.max() <= 1
    assert res.saliency.max() > 0  # some ink counted for the top class
    for a in res.activations.values():
        assert isinstance(a, np.ndarray) and np.isfinite(a).all()


def test_saliency_lies_on_the_ink(digit_engine, pendigits):
    res = digit_engine.predict(render_digit(pendigits[2], 16))
    ink = res.input > 0.2
    assert res.saliency[ink].mean() > res.saliency[~ink].mean()


def test_empty_canvas_says_no_ink(digit_engine):
    res = digit_engine.predict(np.zeros((280, 280), np.uint8))
    assert res.empty and res.label is None and "no ink" in res.message
    assert abs(res.probs.sum() - 1) < 1e-6
    full = digit_engine.predict(np.full((280, 280), 255, np.uint8))
    assert full.empty and full.status == "full"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    arrays(
        dtype=st.sampled_from([np.uint8, np.float32, np.float64, np.int32]),
        shape=st.tuples(st.integers(1, 90), st.integers(1, 90)),
        elements=st.one_of(st.just(0), st.integers(0, 255)),
    )
    | arrays(
        np.float64,
        st.tuples(st.integers(20, 60), st.integers(20, 60)),
        elements=st.floats(allow_nan=True, allow_infinity=True, width=64),
    )
)
def test_fuzz_predict_never_crashes(digit_engine, canvas):
    try:
        res = digit_engine.predict(canvas)
    except ValueError as exc:
        assert "canvas" in str(exc)
        return
    assert res.probs.shape == (10,) and np.isfinite(res.probs).all() and abs(res.probs.sum() - 1) < 1e-4
    assert res.status in ("ok", "not_digit", "empty", "full")


def test_traced_forward_matches_the_model(digit_engine, pendigits):
    import torch

    res = digit_engine.predict(render_digit(pendigits[5], 16))
    x = torch.from_numpy(res.input).view(1, 1, 28, 28)
    record = {}
    with torch.no_grad():
        digit_engine.model(x, record)
    assert list(record) == list(res.activations)
    for name, t in record.items():
        assert np.allclose(t[0].numpy(), res.activations[name], atol=1e-5), name


@pytest.mark.parametrize("key", list(SHIPPED))
def test_each_shipped_network_is_what_its_name_says_and_reads_new_writers(key, pendigits):
    """The Digits page's list: the same CNN with each activation and pooling, each trained well."""
    from engine.digits.prepared import HELD_OUT_WRITERS
    from engine.digits.synth import eval_inputs, split_writers
    from engine.digits.trainer import accuracy
    from engine.paths import assets_dir

    file, label = SHIPPED[key]
    eng = DigitEngine.load(assets_dir() / file, device="cpu")
    activation, pooling = key.split("-")
    assert (eng.config.activation, eng.config.pooling) == (activation, pooling)
    assert (
        activation.lower() in label.lower()
        and {"max": "max", "avg": "average", "min": "min"}[pooling] in label
    )
    _, held = split_writers(pendigits, HELD_OUT_WRITERS)
    x, y = eval_inputs(held[:300])
    assert accuracy(eng.model, x, y, eng.device) >= 0.98
    assert eng.metadata["metrics"]["mnist_test_top1"] >= 0.98
