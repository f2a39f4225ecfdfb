"""The canvas's undo and redo: strokes and clears, nothing a slip of Delete wipes is lost."""

import numpy as np
import pytest

from app.canvas import MAX_CLEARS, DrawingCanvas


@pytest.fixture
def canvas(qtbot):
    c = DrawingCanvas()
    qtbot.addWidget(c)
    return c


def stroke(c: DrawingCanvas, x: float) -> None:
    c.begin_stroke(x, 40)
    c.extend_stroke(x, 200)
    c.end_stroke()


def test_undo_takes_back_strokes_and_clears_in_order_and_redo_puts_them_back(canvas):
    stroke(canvas, 60)
    stroke(canvas, 120)
    drawn = canvas.image.copy()
    canvas.clear()
    stroke(canvas, 200)
    after = canvas.image.copy()
    canvas.undo_stroke()  # the stroke after the clear
    assert canvas.is_empty() and canvas.image.max() == 0
    canvas.undo_stroke()  # the clear: both strokes come back
    assert len(canvas.strokes) == 2 and np.array_equal(canvas.image, drawn)
    canvas.undo_stroke()
    assert len(canvas.strokes) == 1
    canvas.redo()
    assert np.array_equal(canvas.image, drawn)
    canvas.redo()  # the clear again
    assert canvas.is_empty()
    canvas.redo()
    assert np.array_equal(canvas.image, after)
    canvas.redo()  # nothing left to redo: nothing happens
    assert np.array_equal(canvas.image, after)
    for _ in range(10):  # and undo past the start is harmless
        canvas.undo_stroke()
    assert canvas.is_empty()


def test_a_new_stroke_ends_what_redo_could_put_back(canvas):
    stroke(canvas, 60)
    stroke(canvas, 120)
    canvas.undo_stroke()
    stroke(canvas, 200)
    canvas.redo()
    assert [s[0][0] for s in canvas.strokes] == [60, 200]


def test_clearing_an_empty_canvas_is_not_an_undo_step(canvas):
    stroke(canvas, 60)
    canvas.clear()
    canvas.clear()
    canvas.undo_stroke()
    assert len(canvas.strokes) == 1


def test_undo_reaches_back_only_so_many_clears(canvas):
    for i in range(MAX_CLEARS + 5):
        stroke(canvas, 20 + i)
        canvas.clear()
    restored = 0  # each undo of a clear brings its one stroke back
    for _ in range(4 * MAX_CLEARS):
        canvas.undo_stroke()
        restored += len(canvas.strokes) == 1
    assert restored == MAX_CLEARS and canvas.is_empty()


def test_set_strokes_starts_a_fresh_history(canvas):
    stroke(canvas, 60)
    canvas.clear()
    canvas.set_strokes([np.float32([[10, 10], [100, 100]])])
    canvas.undo_stroke()
    assert canvas.is_empty()
    canvas.undo_stroke()  # the earlier clear is not reachable any more
    assert canvas.is_empty()


def test_a_picture_replaces_the_drawing_strokes_add_to_it_and_undo_walks_back_through_both(canvas):
    stroke(canvas, 60)
    drawn = canvas.image.copy()
    pic = np.zeros_like(canvas.image)
    pic[100:180, 130:150] = 200  # a picture's "1"
    canvas.set_picture(pic)
    assert canvas.strokes == [] and np.array_equal(canvas.image, pic) and not canvas.is_empty()
    stroke(canvas, 220)  # drawn on the picture
    on_pic = canvas.image.copy()
    assert on_pic[100:180, 130:150].min() == 200 and on_pic[:, 210:230].max() == 255
    canvas.clear()
    assert canvas.is_empty() and canvas.picture is None
    canvas.undo_stroke()  # the clear: picture and stroke back
    assert np.array_equal(canvas.image, on_pic)
    canvas.undo_stroke()  # the stroke
    assert np.array_equal(canvas.image, pic)
    canvas.undo_stroke()  # the picture: the drawing before it
    assert canvas.picture is None and np.array_equal(canvas.image, drawn)
    canvas.redo()
    assert np.array_equal(canvas.image, pic)
    canvas.redo()
    canvas.redo()
    assert canvas.is_empty()
    canvas.undo_stroke()
    assert np.array_equal(canvas.image, on_pic)
    with pytest.raises(ValueError, match="280x280"):
        canvas.set_picture(np.zeros((10, 10), np.uint8))
    canvas.set_strokes([np.float32([[50, 50], [60, 200]])])  # replaces the picture too
    assert canvas.picture is None


def test_pictures_count_with_clears_towards_what_undo_keeps(canvas):
    pic = np.full_like(canvas.image, 9)
    for _ in range(MAX_CLEARS + 5):
        canvas.set_picture(pic)
    assert sum(k != "stroke" for k, _ in canvas._done) == MAX_CLEARS
