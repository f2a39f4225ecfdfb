"""Ink that is no digit is named so on the Digits page and left out on the Number page (issue 22)."""

import numpy as np

from app import protocol as P
from engine.digits.strokes import render_strokes


def test_the_digits_page_names_a_dot_not_a_digit_and_still_shows_the_cnns_maps(window, qtbot):
    dot = render_strokes([np.float32([[140, 140]])], 280, 16)
    window.client.post(P.ReadDigit(dot))
    page = window.digits
    qtbot.waitUntil(lambda: page.result is not None and page.result.status == "not_digit", timeout=20_000)
    assert page.pred_label.text() == "Not a digit"
    assert page.probs_plot.probs.any()  # the CNN's own bars, to compare
    seven = render_strokes([np.float32([[70, 50], [210, 50], [120, 240]])], 280, 16)
    window.client.post(P.ReadDigit(seven))
    qtbot.waitUntil(lambda: page.result is not None and page.result.label == 7, timeout=20_000)
    assert page.pred_label.text().startswith("7")


def test_the_number_page_leaves_out_a_dash_and_marks_it(window, qtbot):
    page = window.number
    dash = render_strokes([np.float32([[400, 140], [560, 145]])], (280, 960), 16)  # read "00000" before
    window.client.post(P.ReadNumber(dash))
    qtbot.waitUntil(lambda: page.result is not None and bool(page.result.marks), timeout=20_000)
    assert page.result.text == "" and len(page.result.marks) == 1
    x0, x1, read = page.result.marks[0]
    assert 380 <= x0 <= 400 and 560 <= x1 <= 580 and read
    assert "no digit read" in page.answer.text() and "× is no digit" in page.answer.text()
    one = [np.float32([[200, 50], [195, 230]])]
    two = [np.float32([[330, 90], [380, 50], [430, 90], [340, 230], [440, 230]])]
    dot = [np.float32([[600, 140]])]
    window.client.post(P.ReadNumber(render_strokes(one + two + dot, (280, 960), 16)))
    qtbot.waitUntil(lambda: page.result is not None and page.result.text == "12", timeout=20_000)
