"""Issue 25: what the views show, said on screen: the explain line, the glossary, the welcome, the
legends' numbers, the letter axes, the step view."""

import numpy as np
import pytest


def test_the_glossary_explains_the_jargon_in_a_text():
    from app.guide import glossary_for

    found = dict(glossary_for("act1 after conv1, then fc1 and the CTC reading", most=4))
    assert list(found) == ["act", "conv", "fc", "CTC"]
    assert "ReLU" in found["act"] and "blank" not in found["act"]
    assert [k for k, _ in glossary_for("The hidden state of each unit", most=5)] == ["hidden state", "unit"]
    assert [k for k, _ in glossary_for("latency p50 3.1 ms p95 4.2 ms", most=5)] == ["latency", "p50", "p95"]
    assert [k for k, _ in glossary_for("its gates and units, vanishing gradients", most=5)] == [
        "gate",
        "unit",
        "vanishing gradient",
    ]


def test_the_explain_line_says_what_a_view_shows_with_its_jargon(window, qtbot):
    from PySide6.QtWidgets import QLabel

    from app.explain_line import explanation

    assert explanation(window.digits.layers, window).startswith("Every layer's feature maps")
    label = QLabel()
    qtbot.addWidget(label)
    label.setToolTip("<b>act1</b> after conv1")
    text = explanation(label, None)
    assert text.startswith("act1 after conv1  [act: the activation after a convolution")
    assert "; conv: a convolution layer" in text
    assert explanation(window.text.hidden_panel, window).startswith("The hidden state")
    window.explain._explain(window.number.view)
    assert window.explain.text().startswith("What the network saw")
    window.explain_action.setChecked(False)  # Shift+F1: off, and kept off
    assert not window.explain.isVisible() and window.settings.value("view/explain") in (False, "false")


def test_the_welcome_shows_once(qtbot, tmp_path, launch):
    ini = str(tmp_path / "s.ini")
    win = launch(ini)
    assert win.welcome.isVisible()
    win.welcome._close()
    win.close()
    again = launch(ini)
    assert not again.welcome.isVisible()
    again.close()


@pytest.mark.parametrize(
    "v, text", [(0, "0"), (1.0, "1"), (-1.0, "-1"), (0.5, "0.5"), (0.123, "0.12"), (12.5, "12.5")]
)
def test_legend_ends_read_short(v, text):
    from app.legend import level_text

    assert level_text(v) == text


def test_every_letter_of_a_long_sentence_gets_its_own_labelled_column(qtbot):
    from app.painting import char_width
    from app.text.views import HeatMap, unit_ticks

    hm = HeatMap("hidden state", "", "CET-D1", (-1.0, 1.0))
    qtbot.addWidget(hm)
    chars = ("the network reads every letter " * 7)[:200]
    hm.set_data(np.zeros((200, 192), np.float32), chars)
    for width in (500, 1000, 2600):
        hm.resize(width, 200)
        first, n = hm.shown_columns()
        assert hm.plot_rect().width() / n >= char_width()  # no letter skipped
        assert first + n == 200  # the newest letters, nearest the caret
    hm.resize(500, 200)
    first, n = hm.shown_columns()
    hm.scroll_to(10_000)  # the wheel, as far back as it goes: the first letter
    assert hm.shown_columns() == (0, n)
    assert unit_ticks(192, 150)[0] == 0 and unit_ticks(192, 150)[-1] == 191 and len(unit_ticks(192, 150)) > 3


def test_the_heatmaps_show_the_sentence_that_ended_after_a_full_stop(window, qtbot):
    window.tabs.setCurrentIndex(1)
    ed = window.text.editor
    ed.setFocus()
    qtbot.keyClicks(ed, "It was late. ")
    panel = window.text.hidden_panel
    qtbot.waitUntil(lambda: panel.matrix is not None and panel.chars.endswith(". "), timeout=10_000)
    assert panel.chars == "it was late. "


def test_the_step_view_steps_through_the_letters_with_the_networks_numbers(window, qtbot):
    window.tabs.setCurrentIndex(1)
    page = window.text
    page.editor.setFocus()
    qtbot.keyClicks(page.editor, "the networ")
    view = page.step_view
    qtbot.waitUntil(lambda: view.step is not None and view.step.t == 9, timeout=10_000)
    assert view.text().startswith("step 10: state after “the netwo” + “r” → new state → next:")
    page.follow_unit(5)
    view.move(-1)
    qtbot.waitUntil(lambda: view.step.t == 8, timeout=10_000)
    tr = window.client.worker.text.trace("the networ")
    np.testing.assert_allclose(view.step.hidden, tr.hidden[8], atol=2e-5)
    assert f"after {tr.hidden[8][5]:+.2f}" in view.text()


def test_a_units_arithmetic_is_shown_for_the_unit_clicked(window, qtbot):
    from app.replay import draw

    window.tabs.setCurrentIndex(0)
    page = window.digits
    draw(page.canvas, [np.float32([[90, 60], [190, 60], [120, 220]])])
    qtbot.waitUntil(lambda: page.result is not None and not page.result.empty, timeout=10_000)
    page.select_map("conv1", 2)
    view = page.detail.arithmetic
    qtbot.waitUntil(lambda: view.arithmetic is not None, timeout=5_000)
    page.detail_map.pixelClicked.emit(3, 4)
    a = view.arithmetic
    assert (a.conv, a.channel, a.y, a.x) == ("conv1", 2, 3, 4)
    assert a.total == pytest.approx(float(page.result.activations["conv1"][2, 3, 4]), abs=1e-4)
    assert "conv1 map 2, unit (x 4, y 3)" in view.accessibleDescription()


def test_a_long_status_message_is_cut_before_the_labels_and_kept_whole(window, qtbot):
    sb = window.statusBar()
    long = "Could not open " + "/very/long/folder" * 12 + "/photo.jpg: not a picture this playground can read"
    window.say(long, 0)
    assert sb.message() == long
    assert (
        sb.currentMessage().endswith("…")
        and sb.fontMetrics().horizontalAdvance(sb.currentMessage()) <= sb.room()
    )
    assert window._notice_box.isVisible()  # and whole in the box
    window._notice_box.close()
