"""Teaching the Digits page your handwriting (issue 28): examples kept by key or click, kept on disk
across runs, a damaged file named, export and import, and Teach in its own process for real."""

from __future__ import annotations

import numpy as np
import pytest
from fake_engine import FakeEngineClient, digit_result
from PySide6.QtCore import Qt

from app import protocol as P
from app.digits.examples import FILE_NAME, ExampleStore
from app.settings import open_settings
from engine.digits import render_strokes

ONE = [np.float32([[140, 40], [140, 240]])]
SEVEN = [np.float32([[70, 50], [210, 50], [120, 240]])]


def make_page(qtbot, tmp_path):
    from app.digits.page import DigitsPage

    page = DigitsPage()
    qtbot.addWidget(page)
    client = FakeEngineClient()
    page.attach(client)
    notices = page.restore(open_settings(str(tmp_path / "s.ini")))
    return page, client, notices


def drawn(page, client, label: int) -> None:
    page.canvas.begin_stroke(100, 60, 16.0)
    page.canvas.extend_stroke(200, 60, 16.0)
    page.canvas.extend_stroke(130, 230, 16.0)
    page.canvas.end_stroke()
    seq, _ = client.last(P.ReadDigit)
    client.answer(P.DigitRead(digit_result(label), 1), seq)


def test_a_key_or_a_bar_keeps_the_drawing_and_the_examples_survive_a_restart(qtbot, tmp_path):
    page, client, notices = make_page(qtbot, tmp_path)
    assert notices == [] and len(page.examples) == 0
    said = []
    page.say.connect(lambda text, _ms: said.append(text))
    page.keep_example(3)  # nothing drawn yet
    assert len(page.examples) == 0 and said[-1].startswith("Draw a digit first")
    drawn(page, client, 7)
    page.keep_example(7)  # Ctrl+7 (the keys: the window's test below)
    assert page.examples.labels == [7] and said[-1].startswith("Kept as a 7 (it read it right)")
    page.probs_plot.resize(220, 120)
    x = page.probs_plot.LEFT + (page.probs_plot.width() - page.probs_plot.LEFT) / 10 * 1.5
    assert page.probs_plot.digit_at(x) == 1
    page.probs_plot.digitClicked.emit(1)  # a click on the 1's bar
    assert page.examples.labels == [7, 1] and "it read a 7" in said[-1]
    assert page.examples_btn.text() == "Examples (2)…"
    again, _, notices = make_page(qtbot, tmp_path)
    assert notices == [] and again.examples.labels == [7, 1]
    assert np.array_equal(again.examples.canvases[0], page.examples.canvases[0])


def test_a_damaged_examples_file_is_named_set_aside_and_nothing_else_is_lost(qtbot, tmp_path):
    (tmp_path / FILE_NAME).write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "s.ini").write_text("[digits]\npen=22\n")
    page, _client, notices = make_page(qtbot, tmp_path)
    assert len(notices) == 1 and str(tmp_path / FILE_NAME) in notices[0] and "could not be read" in notices[0]
    assert page.pen.value() == 22  # the other settings read as ever
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"PK")  # kept, not written over
    assert len(page.examples) == 0


def test_a_damaged_examples_file_is_said_in_the_status_bar(window_factory, qtbot):
    win = window_factory(damaged=True)
    qtbot.waitUntil(lambda: FILE_NAME in win.statusBar().message(), timeout=60_000)
    assert "could not be read" in win.statusBar().message()


def test_ctrl_and_a_digit_keep_the_drawing_in_the_window(window_factory, qtbot):
    from app.replay import draw

    win = window_factory()
    qtbot.waitUntil(lambda: win.ready, timeout=120_000)
    digits = win.digits
    draw(digits.canvas, SEVEN)
    qtbot.waitUntil(lambda: digits.result is not None and not digits.result.empty, timeout=20_000)
    qtbot.keyClick(digits.canvas, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert digits.examples.labels == [7]
    qtbot.keyClick(digits.canvas, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert digits.teach_dialog is not None and digits.teach_dialog.isVisible()
    assert digits.teach_dialog.gallery.count() == 1
    digits.teach_dialog.close()


@pytest.fixture
def window_factory(qtbot, tmp_path):
    from app.window import MainWindow

    made = []

    def make(damaged: bool = False):
        if damaged:
            (tmp_path / FILE_NAME).write_bytes(b"garbage")
        win = MainWindow(settings_path=str(tmp_path / "settings.ini"))
        qtbot.addWidget(win)
        win.show()
        made.append(win)
        return win

    yield make
    for w in made:
        w.close()


def test_examples_export_and_import_back_and_bad_rows_are_said(tmp_path):
    store = ExampleStore(tmp_path / "a.npz")
    store.add(render_strokes(SEVEN, 280, 16), 7)
    store.add(render_strokes(ONE, 200, 12), 1)
    assert store.export(tmp_path / "out") == 2
    back = ExampleStore(tmp_path / "b.npz")
    added, problems = back.import_from(tmp_path / "out" / "labels.csv")
    assert (added, problems) == (2, []) and back.labels == [7, 1]
    assert all(np.array_equal(a, b) for a, b in zip(back.canvases, store.canvases, strict=True))
    csv = tmp_path / "out" / "labels.csv"
    csv.write_text(
        csv.read_text()
        + "nothing.png,3\nexample_0001_7.png,x\n../secret.png,2\nshort\nexample_0001_7.png,\u00b2\n"
    )
    added, problems = back.import_from(csv)
    assert added == 2 and len(problems) == 5 and "not a digit" in problems[4]
    assert "missing or not a picture" in problems[0] and "not a digit" in problems[1]
    assert "not beside labels.csv" in problems[2] and "needs a file and a label" in problems[3]
    assert back.import_from(tmp_path / "none.csv")[1][0].startswith(str(tmp_path / "none.csv"))


def test_teach_in_its_own_process_then_use_the_taught_network(qtbot, tmp_path, mnist_available):
    from app.digits.teach_dialog import TeachDialog

    store = ExampleStore(tmp_path / FILE_NAME)
    rng = np.random.default_rng(0)
    for i in range(10):  # ones and sevens, drawn a little differently each time
        dx = rng.integers(-20, 20)
        store.add(
            render_strokes([s + np.float32([dx, 0]) for s in (SEVEN if i % 2 else ONE)], 280, 16),
            7 if i % 2 else 1,
        )
    from engine.paths import assets_dir

    dialog = TeachDialog(store, lambda: assets_dir() / "digits.safetensors")
    qtbot.addWidget(dialog)
    used = []
    dialog.useNetwork.connect(lambda path, label: used.append((path, label)))
    assert dialog.gallery.count() == 10 and dialog.count.text().startswith("10 examples (1: 5, 7: 5)")
    dialog.seconds.setValue(5)
    dialog.teach()
    assert not dialog.teach_btn.isEnabled() and dialog.stop_btn.isEnabled()
    qtbot.waitUntil(lambda: dialog.run is None, timeout=180_000)
    assert dialog.result.text().startswith("Taught. On 2 of your examples held out"), dialog.result.text()
    assert "MNIST test:" in dialog.result.text()
    dialog.use_btn.click()
    from engine.digits import DigitEngine

    eng = DigitEngine.load(used[0][0], device="cpu", check=False)
    assert (
        eng.metadata["taught_from"] == "digits.safetensors"
        and eng.metadata["train"]["taught"]["examples"] == 10
    )
    assert int(np.argmax(eng.predict(store.canvases[1]).probs)) == 7
    dialog.gallery.item(0).setSelected(True)
    dialog.remove_selected()
    assert len(store) == 9 and ExampleStore(store.path).load() is None
    dialog.close_down()
