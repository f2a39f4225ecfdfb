"""The training code paths, run for real on tiny slices (the shipped weights come from the CLIs)."""

import numpy as np
import pytest
import torch

from engine.digits import DigitEngine
from engine.digits import train as dtrain
from engine.digits.model import DigitNetConfig
from engine.text import TextEngine
from engine.text import train as ttrain
from engine.text.data import read_corpus
from engine.text.lexicon import Lexicon


def test_digit_training_cli_writes_loadable_weights(tmp_path, mnist_available, pendigits):
    out = tmp_path / "d.safetensors"
    assert (
        dtrain.main(
            [
                "--out",
                str(out),
                "--epochs",
                "1",
                "--mnist-limit",
                "300",
                "--pen-limit",
                "60",
                "--channels",
                "4,8",
                "--device",
                "cpu",
            ]
        )
        == 0
    )
    eng = DigitEngine.load(out, device="cpu")
    assert eng.metadata["config"]["channels"] == [4, 8]
    assert "mnist_test_top1" in eng.metadata["metrics"]
    assert eng.predict(np.zeros((56, 56), np.uint8)).empty


def test_digit_training_is_seeded(mnist_available, pendigits):
    cfg = dtrain.TrainConfig(epochs=1, mnist_limit=200, pen_limit=20)
    net = DigitNetConfig(channels=[4], hidden=8)
    a, _ = dtrain.train(cfg, net, torch.device("cpu"), callbacks=dtrain.Callbacks(log=lambda s: None))
    b, _ = dtrain.train(cfg, net, torch.device("cpu"), callbacks=dtrain.Callbacks(log=lambda s: None))
    for (k, v), w in zip(a.state_dict().items(), b.state_dict().values(), strict=True):
        assert torch.equal(v, w), k


def test_text_training_writes_loadable_weights(tmp_path):
    try:
        text = read_corpus()[:1_100_000]  # holds two held-out chunks
    except FileNotFoundError as exc:
        pytest.skip(f"corpus not found: {exc}")
    steps = []
    cfg = ttrain.LMTrainConfig(steps=3, batch_size=4, seq_len=32, eval_chars=5000)
    model, metrics = ttrain.train_lm(
        "gru", text, cfg, torch.device("cpu"), lambda s, t, loss: steps.append(s)
    )
    assert steps == [1, 2, 3] and metrics["heldout_bpc"] > 0
    from engine.weights import save_weights

    path = tmp_path / "t.safetensors"
    save_weights(
        path, model.state_dict(), {"model": "CharRNN", "config": model.config.to_dict(), "metrics": metrics}
    )
    eng = TextEngine.load(cell="gru", path=path, lexicon=Lexicon([("cat", 5.0, True), ("car", 5.0, True)]))
    assert eng.suggest("cta")[0].word == "cat"
    assert eng.trace("a cat").hidden.shape == (5, model.config.hidden)
