"""The Train page's trainer (engine/digits/trainer.py) for real, on small slices of the prepared data:
each network learns, stops when asked, refuses absurd settings, and what it saves loads back."""

import numpy as np
import pytest
import torch

from engine.digits import DigitEngine, render_strokes
from engine.digits import train as dtrain
from engine.digits.trainer import ARCHS, Callbacks, RunSettings, train_run


@pytest.fixture(scope="module")
def data():
    from engine.digits.prepared import prepared_data

    return prepared_data(log=lambda _m: None)  # made once, then read from the cache


@pytest.mark.parametrize("arch", ["cnn", "mlp", "gru"])
def test_each_network_learns_on_a_small_subset(data, arch):
    losses = []
    s = RunSettings(
        arch=arch,
        seconds=None,
        epochs=3,
        subset=1500,
        seed=1,
        extra={"channels": [8, 16]} if arch == "cnn" else {},
    )
    _model, metrics = train_run(
        s, data, torch.device("cpu"), callbacks=Callbacks(on_progress=lambda p, _m: losses.append(p.loss))
    )
    assert metrics["examples_seen"] == 4500 and metrics["steps"] >= 3
    assert losses[-1] < 0.7 * losses[0]  # the loss falls
    assert metrics["mnist_test_top1"] > 0.5  # chance is 0.1


def test_a_run_stops_when_asked_and_keeps_to_its_time(data):
    asked = []
    s = RunSettings(arch="mlp", seconds=60, subset=5000)
    _m, metrics = train_run(
        s,
        data,
        torch.device("cpu"),
        callbacks=Callbacks(should_stop=lambda: asked.append(1) or len(asked) > 5),
    )
    assert metrics["steps"] == 5
    _m, metrics = train_run(RunSettings(arch="mlp", seconds=1.0), data, torch.device("cpu"))
    assert 1.0 <= metrics["seconds"] < 5.0


@pytest.mark.parametrize(
    "bad",
    [
        {"arch": "transformer"},
        {"seconds": 0},
        {"seconds": -3},
        {"batch_size": 0},
        {"lr": 100.0},
        {"optimiser": "lbfgs"},
        {"subset": -1},
        {"schedule": "onecycle"},  # over epochs, not a time budget
        {"schedule": "step"},
        {"label_smoothing": 1.0},
    ],
)
def test_absurd_settings_are_refused_with_a_clear_message(bad):
    with pytest.raises(ValueError):
        RunSettings(**bad)


@pytest.mark.parametrize("arch", ARCHS)
def test_the_command_line_saves_what_digit_engine_loads(tmp_path, data, capsys, arch):
    out = tmp_path / f"{arch}.safetensors"
    args = ["--arch", arch, "--seconds", "1.5", "--subset", "800", "--out", str(out), "--device", "cpu"]
    assert dtrain.main(args + (["--channels", "4,8"] if arch == "cnn" else [])) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("MNIST test ") and "held-out pen" in last
    eng = DigitEngine.load(out, device="cpu")
    r = eng.predict(render_strokes([np.float32([[140, 40], [140, 240]])], 280, 16))
    assert r.probs.shape == (10,) and r.probs.sum() == pytest.approx(1.0, abs=1e-5)
    assert r.saliency.shape == (28, 28) and "logits" in r.activations


def test_a_timed_run_never_writes_over_the_shipped_network(capsys):
    with pytest.raises(SystemExit):
        dtrain.main(["--arch", "mlp", "--seconds", "1"])
    assert "give --out FILE" in capsys.readouterr().err


def test_a_run_can_start_from_the_shipped_network_and_keeps_what_it_knew(data):
    from engine.paths import assets_dir

    evals = []
    s = RunSettings(arch="cnn", seconds=None, epochs=1, subset=256, lr=1e-4, eval_every=0.0,
                    start=str(assets_dir() / "digits.safetensors"))  # fmt: skip
    model, metrics = train_run(
        s, data.limited(mnist=2000, pen=500), torch.device("cpu"),
        callbacks=Callbacks(on_eval=lambda m, _m: evals.append(m), training_accuracy=True),
    )  # fmt: skip
    assert model.config.channels == [16, 32, 64]  # the file's own settings, not the page's
    assert evals[0]["mnist_test_2000"] > 0.97  # from the first evaluation: it did not start from noise
    assert evals[0]["train_2000"] > 0.97
    assert metrics["mnist_test_top1"] > 0.97


def test_a_start_file_of_another_network_is_refused_by_name(data):
    from engine.digits.trainer import starting_network
    from engine.paths import assets_dir

    with pytest.raises(ValueError, match="holds a cnn network, not a gru"):
        starting_network(RunSettings(arch="gru", start=str(assets_dir() / "digits.safetensors")))


def test_the_confusion_matrix_counts_each_answer_once(data):
    from engine.digits.confusion import confusion
    from engine.digits.trainer import build, predictions

    torch.manual_seed(0)
    answers = predictions(build("mlp"), data.x_test[:300], torch.device("cpu"))
    matrix = confusion(data.y_test[:300], answers)
    assert answers.shape == (300,) and matrix.sum() == 300
    assert (matrix.sum(1) == np.bincount(data.y_test[:300], minlength=10)).all()  # rows: the true digits
    assert (matrix.sum(0) == np.bincount(answers, minlength=10)).all()


def test_the_shipped_recipe_runs_through_the_one_loop(data):
    cfg = dtrain.TrainConfig(epochs=2, mnist_limit=300, pen_limit=60)
    epochs = []
    model, metrics = dtrain.train(
        cfg, dtrain.DigitNetConfig(channels=[4], hidden=8), torch.device("cpu"),
        callbacks=Callbacks(on_epoch=lambda e, m: epochs.append(e), log=lambda _m: None),
    )  # fmt: skip
    assert epochs == [1, 2] and metrics["steps"] == 2 * 3  # 360 inputs in batches of 128
    assert metrics["settings"]["schedule"] == "onecycle" and metrics["settings"]["label_smoothing"] == 0.05
