"""Each page on its own, through a fake engine client (tests/app/fake_engine.py): what it asks of the
engines and what it paints from their answers, with no torch and no worker thread."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from fake_engine import FakeEngineClient, digit_result

from app import protocol as P
from app.settings import open_settings


def make(qtbot, page_type, tmp_path):
    client = FakeEngineClient()
    page = page_type()
    qtbot.addWidget(page)
    page.attach(client)
    notices = page.restore(open_settings(str(tmp_path / "s.ini")))
    return page, client, notices


def stroke(canvas, points) -> None:
    canvas.begin_stroke(*points[0], 16.0)
    for x, y in points[1:]:
        canvas.extend_stroke(x, y, 16.0)
    canvas.end_stroke()


def loaded(warmup=None) -> P.EnginesLoaded:
    return P.EnginesLoaded(
        "auto", "CPU", "digits.safetensors", "lstm", "number.safetensors", "relu-max", {}, "", {}, warmup
    )


def test_the_digits_page_asks_for_each_drawing_and_paints_the_answer(qtbot, tmp_path):
    from app.digits.page import DigitsPage

    page, client, _ = make(qtbot, DigitsPage, tmp_path)
    page.engines_ready(loaded(digit_result(7)))
    stroke(page.canvas, [(100, 60), (200, 60), (130, 230)])
    seq, asked = client.last(P.ReadDigit)
    assert asked.canvas.shape == (page.canvas.height_px, page.canvas.width_px) and asked.canvas.max() == 255
    assert asked.canvas is not page.canvas.image  # a copy: the next stroke does not change it
    client.answer(P.DigitRead(digit_result(7), 1), seq)
    assert page.pred_label.text() == "7   91%"
    assert np.argmax(page.probs_plot.probs) == 7
    client.answer(P.DigitRead(digit_result(1), 1), seq - 1)  # older than the one shown: not painted
    assert page.pred_label.text() == "7   91%"
    client.answer(P.DigitRead(digit_result(3, "not_digit"), 1), seq + 1)
    assert page.pred_label.text() == "Not a digit"


def test_the_digits_page_says_two_digits_side_by_side_once_per_drawing(qtbot, tmp_path):
    from app.digits.page import DigitsPage

    page, client, _ = make(qtbot, DigitsPage, tmp_path)
    said = []
    page.say.connect(lambda text, _ms: said.append(text))
    for seq in (1, 2):
        client.answer(P.DigitRead(digit_result(4), 2), seq)
    client.answer(P.DigitRead(digit_result(4), 1), 3)
    client.answer(P.DigitRead(digit_result(4), 2), 4)
    assert len(said) == 2 and "2 digits side by side" in said[0]


def test_a_digit_network_that_fails_to_load_leaves_the_one_reading_listed(qtbot, tmp_path):
    from app.digits.page import DigitsPage

    page, client, _ = make(qtbot, DigitsPage, tmp_path)
    page.engines_ready(loaded(digit_result(0)))
    said = []
    page.say.connect(lambda text, _ms: said.append(text))
    page.net_box.setCurrentIndex(page.net_box.findData("sigmoid-max"))
    assert client.last(P.SetDigitNet)[1] == P.SetDigitNet("sigmoid-max")
    client.fail(P.SetDigitNet, "sigmoid.safetensors: damaged")
    assert page.net_box.currentData() == "relu-max" and "Could not load" in said[-1]


def test_the_text_page_asks_for_the_word_at_the_caret_and_corrects_a_finished_word(qtbot, tmp_path):
    from app.text.page import TextPage

    page, client, _ = make(qtbot, TextPage, tmp_path)
    qtbot.keyClicks(page.editor, "the networc")
    qtbot.waitUntil(lambda: bool(client.asked(P.ReadText)) and client.last(P.ReadText)[1].word == "networc")
    seq, asked = client.last(P.ReadText)
    assert asked == P.ReadText("networc", "the ", "the networc")
    assert client.last(P.MeasurePull)[1] == P.MeasurePull("the networc")
    client.answer(P.TextRead("lstm", "networc", [("network", 0.9), ("networks", 0.05)], []), seq)
    assert [page.suggestions.item(i).text().split()[0] for i in range(2)] == ["network", "networks"]
    qtbot.keyClicks(page.editor, " ")
    seq, finished = client.last(P.Correct)
    assert finished == P.Correct("networc", "the ", 4)
    with qtbot.waitSignal(page.corrected) as done:
        client.answer(P.Corrected("lstm", "networc", [("network", 0.9)], [], 4), seq)
    assert done.args == [True] and page.editor.toPlainText() == "the network "


def test_the_text_page_asks_for_another_cell_and_keeps_the_users_words(qtbot, tmp_path):
    from app.text.page import TextPage

    page, client, _ = make(qtbot, TextPage, tmp_path)
    assert client.asked(P.SetUserWords)[-1] == P.SetUserWords(())
    page.set_cell("gru")
    assert client.last(P.SetCell)[1] == P.SetCell("gru")
    page.dictionary.add("Crnn")
    assert client.asked(P.SetUserWords)[-1] == P.SetUserWords(("crnn",))


def test_the_number_page_asks_twice_and_shows_the_cut_reading(qtbot, tmp_path):
    from app.number.page import NumberPage

    page, client, _ = make(qtbot, NumberPage, tmp_path)
    stroke(page.canvas, [(100, 60), (100, 220)])
    assert client.asked(P.ReadNumber) and client.asked(P.CutNumber)
    client.answer(P.NumberCut("1", 1, "digits.safetensors"))
    assert "1   (1 piece)" in page.cut_label.text()
    page.canvas.clear()
    client.answer(P.NumberCut("1", 1, "digits.safetensors"))  # late, for a cleared canvas: not shown
    assert page.cut_label.text() == ""


def test_the_pages_import_no_torch():
    code = (
        "import sys; import app.pages, app.window; from tests.app.fake_engine import digit_result; "
        "digit_result(1); print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_saved_cell_comes_with_the_first_load_not_before_it(qtbot, tmp_path):
    from app.text.page import TextPage

    settings = open_settings(str(tmp_path / "s.ini"))
    settings.setValue("text/cell", "gru")
    client = FakeEngineClient()
    page = TextPage()
    qtbot.addWidget(page)
    page.attach(client)
    page.restore(settings)
    # Asked for before LoadEngines, the worker imported torch outside the load's tuned path.
    assert page.cell == "gru" and not client.asked(P.SetCell) and page.load_choices() == {"cell": "gru"}


def test_a_cell_that_fails_to_load_gives_way_to_the_one_that_reads(qtbot, tmp_path):
    from app.text.page import TextPage

    page, client, _ = make(qtbot, TextPage, tmp_path)
    said = []
    page.say.connect(lambda text, _ms: said.append(text))
    page.set_cell("gru")
    assert client.last(P.SetCell)[1] == P.SetCell("gru")
    client.fail(P.SetCell, "text_gru.safetensors: damaged")
    assert page.cell == "lstm" and page.cell_box.currentData() == "lstm" and "Could not load" in said[-1]
    assert len(client.asked(P.SetCell)) == 1  # going back asks for nothing: the LSTM still reads


def test_the_heatmaps_scroll_by_small_wheel_steps_both_ways(qtbot):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent

    from app.text.views import HeatMap

    hm = HeatMap("hidden state", "", "CET-D1", (-1.0, 1.0))
    qtbot.addWidget(hm)
    hm.resize(400, 200)
    hm.set_data(np.zeros((200, 8), np.float32), "x" * 200)

    def wheel(dy: int) -> None:
        e = QWheelEvent(
            QPointF(100, 50), QPointF(100, 50), QPoint(0, 0), QPoint(0, dy),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        hm.wheelEvent(e)

    for _ in range(8):  # a touchpad: 8 x 10 = 80, two steps back
        wheel(10)
    assert hm.back == 2
    for _ in range(8):
        wheel(-10)
    assert hm.back == 0
    hm.scroll_to(5)
    hm.set_data(np.zeros((150, 8), np.float32), "y" * 150)  # another sentence: its newest letters
    assert hm.back == 0


def test_a_network_trained_here_is_listed_and_asked_for_with_its_file(qtbot, tmp_path):
    from app.digits.page import DigitsPage

    page, client, _ = make(qtbot, DigitsPage, tmp_path)
    page.engines_ready(loaded(digit_result(0)))
    page.add_network("/somewhere/trained.safetensors", "MLP, 30 s, MNIST 98.4%")
    assert client.last(P.SetDigitNet)[1] == P.SetDigitNet("trained-1", "/somewhere/trained.safetensors")
    assert page.net_box.currentText() == "trained here: MLP, 30 s, MNIST 98.4%"
    client.fail(P.SetDigitNet, "trained.safetensors: not found")  # the one reading stays
    assert page.net_box.currentData() == "relu-max"
