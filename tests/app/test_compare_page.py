"""The Compare page (issue 27): what it asks for, and what it paints from the real networks' reading
(engine/compare, called here as the worker would), row by row; the table measured in its process."""

from __future__ import annotations

import numpy as np
import pytest
from fake_engine import FakeEngineClient

from app import protocol as P
from app.settings import open_settings


@pytest.fixture(scope="module")
def engine():
    from engine.compare import CompareEngine

    return CompareEngine.load("cpu")


@pytest.fixture
def page(qtbot, tmp_path):
    from app.compare.page import ComparePage

    client = FakeEngineClient()
    page = ComparePage()
    qtbot.addWidget(page)
    page.attach(client)
    page.restore(open_settings(str(tmp_path / "s.ini")))
    page.client_fake = client
    yield page
    page.close_down()


def draw_seven(canvas, height: int = 280) -> None:
    canvas.begin_stroke(70, 50, 16.0)
    for x, y in ((210, 50), (120, height - 40)):
        canvas.extend_stroke(x, y, 16.0)
    canvas.end_stroke()


def answer(page, engine) -> P.CompareRead:
    """Read the page's last request with the real networks, as the worker does, and paint it."""
    seq, req = page.client_fake.last(P.ReadCompare)
    cnn, rows = engine.read(req.canvas, req.tall, pull=False)
    result = P.CompareRead(cnn, rows, req.tall)
    page.client_fake.answer(result, seq)
    return result


def test_each_stroke_is_read_by_both_networks_and_painted_row_by_row(page, engine):
    draw_seven(page.canvas)
    r = answer(page, engine)
    assert r.rows.answer == 7 and page.reading is r
    assert page.row_slider.maximum() == 28 and page.row_slider.value() == 28
    assert page.strip_view.image.shape == (28, 10) and np.allclose(
        page.strip_view.image[-1], r.rows.probs[-1]
    )
    assert page.states_view.image.shape == (28, engine.rnn.config.units)
    assert page.rnn_answer.text().startswith("7 after all 28 rows")
    assert page.cnn_answer.text().startswith("7")
    assert [n for n, _ in page.cnn_fields.fields] == ["pool1", "pool2", "pool3"]
    page.row_slider.setValue(10)  # step back: the network as it was after row 10
    assert page.rows_view.step == 9 and page.strip_view.step == 9
    assert np.allclose(page.rnn_bars.probs, r.rows.probs[9])
    assert page.rnn_answer.text().startswith("after row 10 of 28")
    assert page.rows_view.image[20].max() < r.rows.rows[20].max()  # rows not yet read are dimmed


def test_each_rows_pull_is_asked_for_after_the_reading_and_painted_over_it(page, engine):
    draw_seven(page.canvas)
    r = answer(page, engine)
    assert page.pull_view.image is None  # not with every move: a backward pass through every row
    seq, asked = page.client_fake.last(P.MeasureRowPull)
    assert asked.rows is r.rows.rows
    pull = engine.row_pull(asked.rows)
    page.client_fake.answer(P.RowPullMeasured(asked.rows, pull), seq)
    assert page.pull_view.image.shape == (28, 1) and r.rows.pull is pull
    page.client_fake.answer(P.RowPullMeasured(np.zeros((28, 28), np.float32), pull * 0), seq + 1)
    assert r.rows.pull is pull  # the pull of other rows (a reading since replaced) is not painted


def test_play_walks_through_the_rows(qtbot, page, engine):
    draw_seven(page.canvas)
    answer(page, engine)
    page.play_btn.setChecked(True)
    assert page.row_slider.value() == 1
    qtbot.waitUntil(lambda: not page.play_btn.isChecked(), timeout=10_000)
    assert page.row_slider.value() == 28


def test_the_tall_canvas_is_read_with_more_steps(page, engine):
    page.tall.setChecked(True)
    assert page.canvas.height_px == 560
    draw_seven(page.canvas, height=560)
    seq, req = page.client_fake.last(P.ReadCompare)
    assert req.tall and req.canvas.shape == (560, 280)
    r = answer(page, engine)
    assert r.rows.steps == 56 and page.row_slider.maximum() == 56
    assert r.cnn.input.shape == (28, 28)
    # An answer for the square canvas arriving after the switch is not painted over it.
    page.client_fake.answer(P.CompareRead(r.cnn, None, False), seq + 1)
    assert page.reading is r


def test_the_table_is_measured_in_a_process_and_fills(qtbot, page):
    page.table.start(quick=True)
    qtbot.waitUntil(lambda: page.table.result is not None, timeout=120_000)
    t = page.table
    assert t.table.rowCount() == len(t.result["rows"]) and t.table.item(1, 0).text() == "parameters"
    assert t.table.item(1, 1).text() == f"{t.result['figures']['params'][0]:,}"
    assert len(t.cnn_curve.getData()[0]) == len(t.result["sizes"])
    assert t.state.text().startswith("Measured on")


def test_in_the_window_the_worker_reads_for_the_compare_page(window, qtbot):
    page = window.pages["compare"]
    window.tabs.setCurrentWidget(page)
    draw_seven(page.canvas)
    qtbot.waitUntil(lambda: page.reading is not None and page.reading.rows is not None, timeout=30_000)
    assert page.reading.rows.answer == 7 and page.cnn_answer.text().startswith("7")
    qtbot.waitUntil(lambda: "digits_rows.safetensors" in window.model_label.text(), timeout=10_000)
    assert window.model_label.text() == "CNN + RNN: digits.safetensors + digits_rows.safetensors"
    assert len(window.latency["compare"].values) >= 1  # stroke-to-painted timed, as on the other pages
    page.close_down()
