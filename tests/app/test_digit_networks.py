"""The Digits page's network list: the same CNN trained with each activation and pooling, swapped
live by the real window, each one reading for real."""

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from app import protocol as P
from app.replay import draw
from engine.digits.networks import CUSTOM, SHIPPED

HELD_OUT_WRITER = 27


@pytest.fixture(scope="module")
def pen_digits():
    from engine.digits.data import load_pendigits, pendigits_path
    from engine.digits.strokes import fit_strokes

    if not pendigits_path().is_file():
        pytest.skip("pendigits data not found")
    mine = [d for d in load_pendigits() if d.writer == HELD_OUT_WRITER]
    return [(d.label, fit_strokes(d.strokes, 280, 200)) for d in mine[:6]]


def read_now(win, qtbot):
    qtbot.waitUntil(
        lambda: (
            win.digits.result is not None
            and not win.digits.result.empty
            and win.waiting(P.ReadDigit.kind) == 0
        ),
        timeout=20_000,
    )
    return win.digits.result


def switch(win, qtbot, key: str) -> None:
    page = win.digits
    page.net_box.setCurrentIndex(page.net_box.findData(key))  # as the list is used
    qtbot.waitUntil(lambda: win.model_label.text() == f"CNN: {SHIPPED[key][0]}", timeout=30_000)
    qtbot.waitUntil(lambda: "MNIST test" in page.net_score.text(), timeout=10_000)


def test_each_network_in_the_list_reads_the_drawing_with_its_own_activation(window, qtbot, pen_digits):
    page = window.digits
    assert [page.net_box.itemData(i) for i in range(page.net_box.count())] == list(SHIPPED)
    assert "MNIST test 99" in page.net_score.text() and "pen, new writers 99" in page.net_score.text()
    assert page.net_score.toolTip().startswith(page.net_score.text())  # whole, where a small window cuts it
    label, strokes = pen_digits[0]
    draw(page.canvas, strokes)
    assert read_now(window, qtbot).label == label
    for key, inside in (("sigmoid-max", (0.0, 1.0)), ("tanh-max", (-1.0, 1.0)), ("relu-min", (0.0, np.inf))):
        switch(window, qtbot, key)
        res = read_now(window, qtbot)  # the drawing is read again by the new network
        assert res.label == label, key
        act = res.activations["act1"]
        assert inside[0] <= act.min() and act.max() <= inside[1], key
        if key == "tanh-max":
            assert act.min() < -0.1  # tanh's outputs go negative, ReLU's and sigmoid's never
        if key == "relu-min":  # min pooling: each pooled value is its 2x2 window's smallest
            a, p = res.activations["act1"], res.activations["pool1"]
            h, w = p.shape[1:]
            windows = a[:, : 2 * h, : 2 * w].reshape(a.shape[0], h, 2, w, 2)
            assert np.allclose(p, windows.min(axis=(2, 4)), atol=1e-5)
    for label, strokes in pen_digits[1:]:  # the last one chosen reads the other digits too
        page.canvas.clear()
        draw(page.canvas, strokes)
        assert read_now(window, qtbot).label == label


def test_the_network_chosen_is_kept_and_loaded_at_the_next_start(qtbot, tmp_path, launch):
    ini = str(tmp_path / "s.ini")
    win = launch(ini)
    switch(win, qtbot, "relu-avg")
    win.close()
    assert QSettings(ini, QSettings.Format.IniFormat).value("digits/net") == "relu-avg"
    again = launch(ini)
    assert again.digits.net_box.currentData() == "relu-avg"
    assert again.model_label.text() == f"CNN: {SHIPPED['relu-avg'][0]}"
    again.close()


def test_a_damaged_network_file_is_named_and_the_one_reading_stays(window, qtbot, tmp_path, monkeypatch):
    from engine.digits import networks

    bad = tmp_path / "digits_tanh_max.safetensors"
    bad.write_bytes(b"\x00" * 64)
    monkeypatch.setitem(networks.SHIPPED, "tanh-max", (str(bad), "tanh, max pooling"))
    page = window.digits
    page.net_box.setCurrentIndex(page.net_box.findData("tanh-max"))
    qtbot.waitUntil(lambda: str(bad) in window.statusBar().message(), timeout=20_000)
    assert "Could not load that digit network" in window.statusBar().message()
    assert page.net_box.currentData() == "relu-max" and "MNIST test" in page.net_score.text()
    assert window.model_label.text() == "CNN: digits.safetensors"


def test_your_own_weights_are_listed_first_and_the_list_can_swap_back(qtbot, tmp_path, launch):
    import shutil

    from engine.paths import assets_dir

    mine = tmp_path / "my_cnn.safetensors"
    shutil.copy(assets_dir() / SHIPPED["sigmoid-max"][0], mine)
    ini = str(tmp_path / "s.ini")
    win = launch(ini, digits_weights=str(mine))
    box = win.digits.net_box
    assert box.itemData(0) == CUSTOM and box.currentData() == CUSTOM and "my_cnn" in box.itemText(0)
    assert win.model_label.text() == "CNN: my_cnn.safetensors"
    switch(win, qtbot, "relu-max")
    box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: win.model_label.text() == "CNN: my_cnn.safetensors", timeout=30_000)
    win.close()
    assert QSettings(ini, QSettings.Format.IniFormat).value("digits/net") == "relu-max"  # not the file
