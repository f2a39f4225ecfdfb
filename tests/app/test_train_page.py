"""The Train page (issue 26): a real training process from the page, its messages painted, pause and
stop, a killed process, and what it trained loads into DigitEngine."""

import numpy as np
import pytest


@pytest.fixture
def train_page(qtbot):
    from app.train.page import TrainPage

    page = TrainPage()
    qtbot.addWidget(page)
    page.show()  # (which starts a warm process)
    yield page
    page.close_down()  # no training process outlives its test


def test_a_short_training_fills_the_views_and_saves_a_network_digit_engine_reads(
    qtbot, train_page, mnist_available
):
    from engine.digits import DigitEngine, render_strokes

    page = train_page
    page.arch.setCurrentIndex(page.arch.findData("mlp"))
    page.seconds.setValue(3)
    page.subset.setCurrentIndex(page.subset.findData(5000))
    page.start()
    assert page.run.alive and not page.train_btn.isEnabled()
    qtbot.waitUntil(lambda: page.trained_path is not None, timeout=180_000)
    qtbot.waitUntil(lambda: page.save_btn.isEnabled(), timeout=10_000)
    assert page.state.text().startswith("Trained: MNIST test")
    assert len(page._loss) >= 3 and page._loss[-1][1] < page._loss[0][1]  # the loss fell
    assert (
        page.weights_view.image is not None and page.weights_view.image.shape[0] > 28
    )  # 64 units' 28x28 mosaic
    assert page._first_point is not None
    eng = DigitEngine.load(page.trained_path, device="cpu")
    r = eng.predict(render_strokes([np.float32([[140, 40], [140, 240]])], 280, 16))
    assert r.probs.sum() > 0.99


def test_pause_holds_the_training_and_stop_ends_it_keeping_what_it_learnt(qtbot, train_page, mnist_available):
    page = train_page
    page.arch.setCurrentIndex(page.arch.findData("mlp"))
    page.seconds.setValue(600)
    page.start()
    qtbot.waitUntil(lambda: len(page._loss) >= 2, timeout=180_000)
    page.pause_btn.setChecked(True)
    qtbot.wait(600)  # (what was sent before the pause arrives)
    seen = page._loss[-1][0]
    qtbot.wait(800)
    assert page._loss[-1][0] == seen  # paused: no examples seen
    page.pause_btn.setChecked(False)
    qtbot.waitUntil(lambda: page._loss[-1][0] > seen, timeout=10_000)
    page.stop()
    qtbot.waitUntil(lambda: page.trained_path is not None and page.train_btn.isEnabled(), timeout=60_000)


def test_a_killed_training_process_is_said_and_the_page_goes_on(qtbot, train_page):
    page = train_page
    page.arch.setCurrentIndex(page.arch.findData("gru"))
    said = []
    page.say.connect(lambda text, _ms: said.append(text))
    page.start()
    page.run.kill()
    qtbot.waitUntil(lambda: page.train_btn.isEnabled(), timeout=20_000)
    assert "ended without a network" in page.state.text() and said
    assert page.trained_path is None and not page.save_btn.isEnabled()


def test_absurd_settings_are_said_before_any_process_starts(qtbot, train_page):
    page = train_page
    page.lr.setValue(0.0)
    page.seconds.setValue(2)
    page.settings_chosen = lambda: {
        "arch": "mlp",
        "seconds": 2.0,
        "batch_size": 0,
    }  # as a damaged setting would
    page.start()
    assert page.run is None and page.state.text().startswith("Cannot train with these settings")


@pytest.mark.parametrize("arch, stage", [("mlp", "fc1"), ("gru", "hidden")])
def test_a_network_trained_here_reads_the_digits_pages_drawing(
    window, qtbot, tmp_path, mnist_available, arch, stage
):
    import torch

    from app.replay import draw
    from engine.digits.architectures import KIND_NAMES
    from engine.digits.prepared import prepared_data
    from engine.digits.trainer import RunSettings, train_run
    from engine.weights import save_trained

    s = RunSettings(arch=arch, seconds=2, subset=5000, extra={"units": 32} if arch == "gru" else {})
    model, metrics = train_run(s, prepared_data(log=lambda _m: None), torch.device("cpu"))
    path = str(tmp_path / f"{arch}.safetensors")
    save_trained(path, model, KIND_NAMES[type(model)], s.__dict__, metrics, "cpu")
    window.pages["train"].useNetwork.emit(path, f"{arch}, 2 s")
    digits = window.digits
    qtbot.waitUntil(lambda: digits._net_reading == "trained-1", timeout=20_000)
    assert window.tabs.currentWidget() is digits
    draw(digits.canvas, [np.float32([[140, 40], [140, 240]])])
    qtbot.waitUntil(lambda: digits.result is not None and stage in digits.result.activations, timeout=20_000)
    assert digits.result.probs.sum() > 0.99 and not digits.result.kernels  # no kernels to show
    if arch == "gru":  # its hidden state after each of the 28 rows: one map, units down, rows across
        assert digits.result.activations["hidden"].shape == (1, 32, 28)
    for layer in digits._layer_names:  # maps can be picked and shown large; a layer of units cannot
        digits.select_map(layer, 0)
        qtbot.wait(50)
    assert digits.layers.pickable == (["hidden"] if arch == "gru" else [])
    if arch == "gru":
        assert (
            digits.selected == ("hidden", 0)
            and "units (down) after each of the 28 rows" in digits.detail.label.text()
        )


def test_the_digits_pages_drawing_is_read_by_the_network_in_training(qtbot, train_page, mnist_available):
    from engine.digits import DigitEngine, render_strokes

    one = DigitEngine.load(device="cpu").predict(
        render_strokes([np.float32([[140, 40], [140, 240]])], 280, 16)
    )
    page = train_page
    page.drawing_source = lambda: one.input  # as the window gives it: the Digits page's input
    page.arch.setCurrentIndex(page.arch.findData("mlp"))
    page.seconds.setValue(6)
    page.start()
    qtbot.waitUntil(lambda: page.drawing_note.text().startswith("it reads your drawing as"), timeout=180_000)
    qtbot.waitUntil(lambda: page.trained_path is not None, timeout=60_000)
    assert page.drawing_bars.probs.sum() == pytest.approx(1.0, abs=1e-4)
    assert int(np.argmax(page.drawing_bars.probs)) == 1  # a straight stroke, read as a 1 once it has learnt


def test_each_networks_own_settings_reach_the_network_trained(qtbot, train_page, mnist_available):
    from engine.digits import DigitEngine

    page = train_page
    c = page.controls
    c.arch.setCurrentIndex(c.arch.findData("mlp"))
    c.hidden.setText("32, 16")
    c.mlp_activation.setCurrentIndex(c.mlp_activation.findData("tanh"))
    c.until.setCurrentIndex(c.until.findData("epochs"))
    c.epochs.setValue(1)
    c.subset.setCurrentIndex(c.subset.findData(500))
    assert page.settings_chosen()["seconds"] is None and page.settings_chosen()["epochs"] == 1
    page.start()
    qtbot.waitUntil(lambda: page.trained_path is not None, timeout=180_000)
    eng = DigitEngine.load(page.trained_path, device="cpu")
    assert eng.metadata["config"] == {"hidden": [32, 16], "activation": "tanh"}
    assert eng.metadata["train"]["seconds"] is None and eng.metadata["metrics"]["examples_seen"] == 500


def test_a_shape_that_cannot_be_built_is_said_in_words(qtbot, train_page):
    page = train_page
    c = page.controls
    c.arch.setCurrentIndex(c.arch.findData("cnn"))
    for text, said in (("16,x", "write whole numbers separated by commas"), ("8,8,8,8,8", "1 to 4 blocks")):
        c.channels.setText(text)
        page.start()
        assert page.run is None and said in page.state.text(), page.state.text()


def test_the_shipped_network_is_a_start_and_brings_its_own_shape(qtbot, train_page):
    from engine.paths import assets_dir

    c = train_page.controls
    c.arch.setCurrentIndex(c.arch.findData("mlp"))
    assert c.start_from.count() == 1  # no MLP is shipped: random weights only
    c.arch.setCurrentIndex(c.arch.findData("cnn"))
    c.start_from.setCurrentIndex(1)
    chosen = train_page.settings_chosen()
    assert chosen["start"] == str(assets_dir() / "digits.safetensors") and chosen["extra"] == {}
    assert not c.shape.isEnabled()


def test_a_confusion_cell_clicked_shows_its_digits():
    from app.train.views import ConfusionPanel

    panel = ConfusionPanel()
    truth = np.array([4, 4, 4, 9, 1], np.uint8)
    digits = np.zeros((5, 28, 28), np.uint8)
    digits[1, 5:20, 10:12] = 255
    panel.set_digits(digits, truth)
    panel.set_answers(np.array([4, 9, 9, 9, 1], np.uint8))
    assert panel.matrix[4, 9] == 2 and panel.matrix.sum() == 5
    panel.show_cell(4, 9)
    assert list(panel.cell_digits(4, 9)) == [1, 2]
    assert panel.cell_view.title == "4s read as 9: 2" and panel.cell_view.image.shape == (28, 57)
    panel.show_cell(7, 1)
    assert panel.cell_view.image is None and panel.cell_view.title.endswith(": 0")


def test_the_status_bar_names_the_train_pages_network(window, qtbot):
    page = window.pages["train"]
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: window.model_label.text().startswith("Training: CNN"), timeout=10_000)
    page.controls.arch.setCurrentIndex(page.controls.arch.findData("gru"))
    assert window.model_label.text() == "Training: GRU reading rows, 128 units x 1"
    page.close_down()


def test_save_as_copies_the_network_or_says_why_not(tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from app.save_network import save_network_as

    source = tmp_path / "trained.safetensors"
    source.write_bytes(b"weights")
    target = tmp_path / "mine.safetensors"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    said = save_network_as(None, str(source), "Save")
    assert (
        target.read_bytes() == b"weights"
        and said.startswith(f"Saved {target}")
        and "mine.safetensors" in said
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "no" / "x.safetensors"), "")
    )
    assert save_network_as(None, str(source), "Save").startswith("Could not save")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert save_network_as(None, str(source), "Save") is None  # cancelled
