"""The Number page in the real window: a number written with mouse events is read by the shipped
CRNN, and the page shows where each digit was read."""

import os

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication

from app import protocol as P
from app.formatting import percent
from app.replay import canvas_to_widget, draw

HELD_OUT_WRITER = 27  # one of the writers neither network trained on


@pytest.fixture(scope="module")
def numbers():
    """Strokes of numbers by a held-out writer, placed on the Number page's canvas: {text: strokes}."""
    from engine.digits.data import load_pendigits, pendigits_path
    from engine.number.synth import place_strokes

    if not pendigits_path().is_file():
        pytest.skip("pendigits data not found")
    mine = [d for d in load_pendigits() if d.writer == HELD_OUT_WRITER]
    out = {}
    for text in ("407", "2913", "58", "6"):
        digits = [next(d for d in mine if d.label == int(c)) for c in text]
        strokes, _, _ = place_strokes(
            [d.strokes for d in digits], [150.0] * len(text), [50.0] * len(text), [0.0] * len(text)
        )
        out[text] = [s + np.float32([60, 60]) for s in strokes]
    return out


def wait_read(window, qtbot):
    qtbot.waitUntil(
        lambda: window.number.result is not None and window.waiting(P.ReadNumber.kind) == 0,
        timeout=10_000,
    )
    return window.number.result


def test_a_number_written_with_the_mouse_is_read_whole(window, qtbot, numbers):
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.tabs.currentWidget() is window.number and window.number.canvas.hasFocus()
    page = window.number
    for text, strokes in numbers.items():
        page.canvas.clear()
        draw(page.canvas, strokes)
        res = wait_read(window, qtbot)
        assert res.text == text
        assert page.answer.text().startswith(text) and "%" in page.answer.text()
        assert [m[2] for m in page.canvas.marks] == list(text)  # where each digit was read
        xs = [(m[0] + m[1]) / 2 for m in page.canvas.marks]
        assert xs == sorted(xs) and xs[0] >= 60 and xs[-1] <= page.canvas.width_px
        assert page.view.accessibleName().startswith(
            f"The CRNN's columns: {len(res.probs)} columns read as “{text}”"
        )
    assert len(window.latency[P.ReadNumber.kind]) > 0  # each reading on screen is timed, for the status bar
    window._show_latency()
    assert "p95" in window.latency_label.text()


def test_clear_and_undo_on_the_number_page(window, qtbot, numbers):
    window.tabs.setCurrentWidget(window.number)
    page = window.number
    draw(page.canvas, numbers["58"])
    assert wait_read(window, qtbot).text == "58"
    qtbot.keyClick(page.canvas, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: page.result is None or page.result.status == "empty", timeout=10_000)
    assert page.answer.text() == "Write a number" and page.canvas.marks == [] and page.view.result is None
    qtbot.keyClick(page.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.result is not None and page.result.text == "58", timeout=10_000)
    strokes = len(page.canvas.strokes)
    page.undo_btn.click()  # the last stroke goes, and what is left is read again
    assert len(page.canvas.strokes) == strokes - 1
    assert wait_read(window, qtbot).status == "ok"


def test_pointing_at_a_column_reads_out_its_guess(window, qtbot, numbers):
    window.tabs.setCurrentWidget(window.number)
    page = window.number
    draw(page.canvas, numbers["407"])
    res = wait_read(window, qtbot)
    view = page.view
    band = view._bands()["probs"]
    d = res.digits[1]  # the "0"
    step = band.width() / len(res.probs)
    x = band.left() + (d.first + 0.5) * step
    qtbot.mouseMove(view, QPointF(x, band.center().y()).toPoint())
    qtbot.waitUntil(lambda: view.column is not None, timeout=5_000)
    assert view.readout().startswith(f"column {view.column} ") and "“0”" in view.readout()
    bands = view._bands()
    for key in ("line", "columns", "hidden", "probs"):  # one column, whichever band is pointed at
        assert view.hover_at(x, bands[key].center().y())[0] == view.column
    # Each band reads out what it holds under the pointer: a feature, a unit, a class's probability.
    t = view.column
    qtbot.mouseMove(view, QPointF(x, bands["columns"].top() + 1).toPoint())
    qtbot.waitUntil(lambda: view.hover[1] == "columns", timeout=5_000)
    f = view.hover[2]
    assert (
        view.readout() == f"column {t} (line x {4 * t}-{4 * t + 3}): CNN feature {f} {res.columns[t, f]:.2f}"
    )
    qtbot.mouseMove(view, QPointF(x, bands["hidden"].bottom() - 1).toPoint())
    qtbot.waitUntil(lambda: view.hover[1] == "hidden", timeout=5_000)
    u, half = view.hover[2], res.hidden.shape[1] // 2
    assert u >= half and view.readout().endswith(f"backward GRU unit {u - half} {res.hidden[t, u]:+.2f}")
    qtbot.mouseMove(view, QPointF(x, bands["probs"].bottom() - 1).toPoint())  # the row of "9"
    qtbot.waitUntil(lambda: view.hover[1] == "probs", timeout=5_000)
    assert (
        view.hover[2] == 10
        and "“9”" in view.readout()
        and view.readout().endswith(f"its guess “0” {percent(float(res.probs[t].max()), 0)}")
    )
    lit = page.canvas.highlight  # the canvas is lit under that column: within the "0"'s marks
    zero = page.canvas.marks[1]
    assert lit is not None and zero[0] - 1 <= lit[0] < lit[1] <= zero[1] + 1
    qtbot.mouseMove(view, QPointF(2, 2).toPoint())  # off the columns: nothing lit
    qtbot.waitUntil(lambda: page.canvas.highlight is None, timeout=5_000)


def test_the_keys_step_through_the_columns_as_the_pointer_does(window, qtbot, numbers):
    window.tabs.setCurrentWidget(window.number)
    page = window.number
    draw(page.canvas, numbers["407"])
    res = wait_read(window, qtbot)
    view = page.view
    unfocused = view.grab().toImage().pixelColor(1, view.height() // 2)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=5_000)
    frame = view.grab().toImage().pixelColor(1, view.height() // 2)
    assert frame.name() == "#60c0ff" and unfocused.name() != "#60c0ff"  # where the keys go
    qtbot.keyClick(view, Qt.Key.Key_Right)  # nothing pointed at yet: the first column
    assert view.column == 0 and view.readout().startswith("column 0 (line x 0-3): ")
    d = res.digits[1]  # the "0"
    for _ in range(d.first):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.column == d.first and "“0”" in view.readout()
    assert view.accessibleDescription() == view.readout()  # what a screen reader hears
    lit, zero = page.canvas.highlight, page.canvas.marks[1]
    assert lit is not None and zero[0] - 1 <= lit[0] < lit[1] <= zero[1] + 1
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.column == len(res.probs) - 1
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the last: stays
    assert view.column == len(res.probs) - 1
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.column == 0
    page.canvas.setFocus()  # the focus gone: as the pointer leaving, nothing lit
    qtbot.waitUntil(lambda: page.canvas.highlight is None, timeout=5_000)
    assert view.column is None


def test_number_page_plots_save_tooltips_and_repaint(window, qtbot, numbers, tmp_path):
    from app.number.views import BANDS

    window.tabs.setCurrentWidget(window.number)
    draw(window.number.canvas, numbers["2913"])
    wait_read(window, qtbot)
    paths = window.save_plots(str(tmp_path))
    assert {os.path.basename(p).split("-", 3)[-1] for p in paths} == {"columns.png", "canvas.png"}
    assert all(os.path.basename(p).startswith("number-") and os.path.getsize(p) > 1000 for p in paths)
    assert all(len(b.tip) > 60 for b in BANDS) and len({b.tip for b in BANDS}) == len(BANDS)
    for _ in range(300):  # the repaint crash class, on this page's views
        window.number.view.repaint()
        window.number.canvas.repaint()
        QApplication.processEvents()


def test_number_pen_width_persists(qtbot, tmp_path):
    from app.window import MainWindow

    ini = str(tmp_path / "s.ini")
    win = MainWindow(settings_path=ini)
    qtbot.addWidget(win)
    win.number.pen.setValue(22)
    win.tabs.setCurrentWidget(win.number)
    win.close()
    again = MainWindow(settings_path=ini)
    qtbot.addWidget(again)
    assert again.number.pen.value() == 22 and again.number.canvas.pen_width == 22.0
    assert again.tabs.currentWidget() is again.number
    again.close()


def test_the_canvas_keeps_its_shape_and_maps_the_pointer(window, qtbot):
    c = window.number.canvas
    window.tabs.setCurrentWidget(window.number)
    r = c._target()
    assert r.width() / r.height() == pytest.approx(c.width_px / c.height_px, rel=0.01)
    p = canvas_to_widget(c, 480, 140)
    assert c.to_canvas(p) == pytest.approx((480, 140), abs=0.01)


def test_a_picture_of_a_number_opened_or_pasted_on_the_number_page_is_read(
    window, qtbot, tmp_path, numbers, request
):
    request.addfinalizer(lambda: QApplication.clipboard().clear())  # (see the Digits page's picture test)
    import cv2
    from PySide6.QtGui import QImage

    from engine.digits.picture import photographed
    from engine.digits.strokes import render_strokes

    page = window.number
    window.tabs.setCurrentWidget(page)
    drawing = render_strokes(numbers["2913"], (280, 960), 16)
    photo = photographed(drawing.astype(np.float32), np.random.default_rng(1))
    path = tmp_path / "house number.jpg"
    cv2.imwrite(str(path), (photo * 255).astype(np.uint8))
    window.pictures.open(str(path))
    assert window.tabs.currentWidget() is page  # it stays here, and goes onto this page's canvas
    qtbot.waitUntil(lambda: page.canvas.picture is not None, timeout=10_000)
    qtbot.waitUntil(lambda: page.result is not None and page.result.text == "2913", timeout=10_000)
    assert window.statusBar().message() == "Opened house number.jpg"
    assert window.digits.canvas.picture is None  # not onto the Digits page
    page.canvas.clear()
    QApplication.clipboard().setImage(QImage(str(path)))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    page.canvas.setFocus()
    qtbot.keyClick(page.canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.result is not None and page.result.text == "2913", timeout=10_000)
    assert page.canvas.picture is not None
    page.canvas.undo_stroke()  # Ctrl+Z takes the pasted picture back (the canvas was cleared before it)
    assert page.canvas.picture is None


def test_a_drawing_copied_with_ctrl_c_pastes_onto_the_other_page_and_is_read_there(window, qtbot, request):
    request.addfinalizer(lambda: QApplication.clipboard().clear())  # (see the Digits page's picture test)
    from engine.digits.data import load_pendigits
    from engine.digits.strokes import fit_strokes

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    digits, number = window.digits, window.number
    seven = next(d for d in load_pendigits() if d.writer >= 25 and d.label == 7)
    digits.canvas.set_strokes(fit_strokes(seven.strokes, 280, 200))
    digits.canvas.setFocus()
    qtbot.keyClick(digits.canvas, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (280, 280)
    grey = np.array([[copied.pixelColor(x, y).red() for x in range(0, 280, 7)] for y in range(0, 280, 7)])
    assert np.array_equal(grey, digits.canvas.image[::7, ::7])  # the drawing as the network reads it
    assert window.statusBar().message() == "Copied the drawing to the clipboard (280 x 280 px)"
    assert window._notice_box is None  # it fits the status bar: no box was needed
    window.tabs.setCurrentWidget(number)
    number.canvas.setFocus()
    qtbot.keyClick(number.canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: number.result is not None and number.result.text == "7", timeout=10_000)
    number.canvas.clear()
    qtbot.keyClick(number.canvas, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().message() == "Nothing drawn to copy"
    window.tabs.setCurrentWidget(window.text)  # there Ctrl+C is the editor's: the clipboard gets its text
    window.text.editor.setPlainText("some words")
    window.text.editor.selectAll()
    qtbot.keyClick(window.text.editor, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "some words"


def test_a_canvas_all_ink_or_blank_says_so_and_shows_no_reading(window, qtbot):
    page = window.number
    window.tabs.setCurrentWidget(page)
    window.client.post(P.ReadNumber(np.full((280, 960), 255, np.uint8)))  # as a picture of solid ink would be
    qtbot.waitUntil(lambda: page.result is not None and page.result.status == "full", timeout=10_000)
    assert page.answer.text() == "the canvas is covered in ink: clear it and write a number"
    assert page.view.result is None and page.canvas.marks == []
    window.client.post(P.ReadNumber(np.zeros((280, 960), np.uint8)))
    qtbot.waitUntil(lambda: page.result.status == "empty", timeout=10_000)
    assert page.answer.text() == "Write a number"


def test_beside_the_crnn_the_digit_cnn_alone_reads_pieces_and_fails_where_digits_touch(
    window, qtbot, numbers
):
    from engine.digits.data import load_pendigits
    from engine.number.synth import place_strokes

    page = window.number
    window.tabs.setCurrentWidget(page)
    draw(page.canvas, numbers["407"])  # digits apart: both read it
    qtbot.waitUntil(lambda: page.cut_label.text().endswith(": 4 0 7   (3 pieces)"), timeout=10_000)
    assert "digits.safetensors" in page.cut_label.text()
    assert wait_read(window, qtbot).text == "407"
    mine = [d for d in load_pendigits() if d.writer == HELD_OUT_WRITER]
    pair = [next(d for d in mine if d.label == k) for k in (5, 8)]
    strokes, _, _ = place_strokes([d.strokes for d in pair], [150.0] * 2, [-6.0] * 2, [0.0] * 2)
    page.canvas.clear()
    assert page.cut_label.text() == ""
    draw(page.canvas, [s + np.float32([60, 60]) for s in strokes])  # touching: one piece
    qtbot.waitUntil(lambda: page.cut_label.text().endswith("(1 piece)"), timeout=10_000)
    assert wait_read(window, qtbot).text == "58"  # the CRNN reads both
