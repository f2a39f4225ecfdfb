"""The Neuron page (issue 29): points added and removed with the mouse, the formula at the pointer
with the model's own numbers, Step's changes, the sliders, CSV files (a bad one loses nothing), and
Play learning XOR with hidden layers where one neuron cannot."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


@pytest.fixture
def page(qtbot):
    from app.neuron.page import NeuronPage

    page = NeuronPage()
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    yield page
    page.close_down()


def at(page, x1, x2) -> QPoint:
    return page.plane.to_screen(x1, x2).toPoint()


def test_a_left_click_adds_a_point_and_a_right_click_removes_the_nearest(page):
    n = len(page.y)
    page.click_class.setCurrentIndex(1)
    QTest.mouseClick(page.plane, Qt.MouseButton.LeftButton, pos=at(page, 2.0, 2.0))
    assert len(page.y) == n + 1 and page.y[-1] == 1 and np.allclose(page.x[-1], (2.0, 2.0), atol=0.05)
    assert not page.is_test[-1] and len(page.plane.x) == n + 1
    QTest.mouseClick(page.plane, Qt.MouseButton.RightButton, pos=at(page, 2.0, 2.0))
    assert len(page.y) == n and not np.any(np.all(np.isclose(page.x, (2.0, 2.0), atol=0.05), 1))


def test_the_formula_at_the_pointer_is_the_models_arithmetic(page):
    page.hidden.setText("")
    page.reset()
    page.sliders["w1"].setValue(80)
    page.sliders["w2"].setValue(-50)
    page.sliders["b"].setValue(10)
    assert np.allclose(page.net.weights[0][:, 0], (0.8, -0.5)) and page.net.biases[0][0] == pytest.approx(0.1)
    assert page.plane.line == pytest.approx((0.8, -0.5, 0.1))
    QTest.mouseMove(page.plane, at(page, 1.2, 0.3))
    text = page.formula.text()
    expected, _ = page.net.formula(page.plane.pointer)
    assert text.endswith(expected) and "-> sigmoid ->" in text and "0.80*" in text and "(-0.50)*" in text


def test_step_says_which_weights_it_changed_by_how_much(page):
    page.hidden.setText("")
    page.reset()
    before = (*page.net.weights[0][:, 0], page.net.biases[0][0])
    page.step()
    after = (*page.net.weights[0][:, 0], page.net.biases[0][0])
    said = page.changes.text()
    for name, b, a in zip(("w x1", "w x2", "b"), before, after, strict=True):
        assert f"{name} {a - b:+.3f}" in said
    page.hidden.setText("3,2")
    page.reset()
    page.step()
    assert page.changes.text().startswith("Changed ") and page.net_view.changes is not None
    assert not page.sliders["w1"].isEnabled()


def test_points_round_trip_and_a_malformed_csv_loses_nothing(page, tmp_path):
    from engine.neuron.data import save_csv

    save_csv(tmp_path / "p.csv", page.x, page.y)
    shown = page.x.copy()
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n0.1,0.2,1\n0.3,oops,0\n")
    said = []
    page.say.connect(lambda text, _ms: said.append(text))
    assert not page.load_points(str(bad))
    assert np.array_equal(page.x, shown) and "line 3" in said[-1] and str(bad) in said[-1]
    page.new_points(seed=5)
    assert page.load_points(str(tmp_path / "p.csv")) and np.allclose(page.x, shown, atol=1e-5)


def test_play_learns_xor_with_hidden_layers_and_a_single_neuron_does_not(qtbot, page):
    page.data.setCurrentText("xor")
    page.hidden.setText("")
    page.activation.setCurrentText("sigmoid")
    page.reset()
    page.play_btn.setChecked(True)
    qtbot.wait(1500)
    page.play_btn.setChecked(False)
    xt, yt, _, _ = page._split()
    assert page.net.updates > 1000 and page.net.accuracy(xt, yt) <= 0.8
    page.hidden.setText("4,4")
    page.activation.setCurrentText("tanh")
    page.reset()
    page.play_btn.setChecked(True)
    qtbot.waitUntil(lambda: page.net.accuracy(*page._split()[:2]) >= 0.98, timeout=20_000)
    assert "updates/s" in page.state.text() and "redraws/s" in page.state.text()
    page.play_btn.setChecked(False)
    assert len(page.net_view.units) == 8 and len(page.curve) > 2


def test_a_network_that_cannot_be_built_is_said_and_none_runs_until_one_can(page):
    page.hidden.setText("4,x")
    page.reset()
    assert page.net is None and "Cannot build that network" in page.state.text()
    page.step()  # nothing to step: no error
    page.hidden.setText("")
    page.activation.setCurrentText("step")
    page.classes.setValue(3)  # new points with a third class: the step neuron cannot take them
    assert page.net is None and "step activation is for one neuron and two classes" in page.state.text()
    page.activation.setCurrentText("sigmoid")
    assert page.net is not None and page.net.classes == 3
    assert not page.sliders["w1"].isEnabled() and page.plane.line is None  # three scores: no one line
    page.step()
    assert page.changes.text().startswith("Changed ")


def test_the_test_share_splits_the_same_points_again(page):
    page.click_class.setCurrentIndex(0)
    QTest.mouseClick(page.plane, Qt.MouseButton.LeftButton, pos=at(page, 1.0, 1.0))
    x = page.x.copy()
    page.test_share.setValue(0.2)
    assert np.array_equal(page.x, x) and page.is_test.sum() == round(0.2 * len(x))
