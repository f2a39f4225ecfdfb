"""The drawings on the Digits and Number pages are there at the next start, as the typed text is."""

import json

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from app.canvas import DrawingCanvas
from app.kept_drawing import MOST_POINTS, KeptDrawing, drawing_text, read_drawing
from engine.digits.data import load_pendigits
from engine.digits.strokes import fit_strokes


def draw(canvas: DrawingCanvas, strokes: list[np.ndarray], widths: list[float]) -> None:
    """Strokes as the pointer draws them, each point with its own pen width (a stylus)."""
    for s, w in zip(strokes, widths, strict=True):
        canvas.begin_stroke(*s[0], w)
        for i, (x, y) in enumerate(s[1:]):
            canvas.extend_stroke(x, y, w + (i % 3))
        canvas.end_stroke()


def test_a_drawing_comes_back_pixel_for_pixel_and_undoes_stroke_by_stroke(qtbot):
    a, b = DrawingCanvas(), DrawingCanvas()
    qtbot.addWidget(a)
    qtbot.addWidget(b)
    digit = next(d for d in load_pendigits() if len(d.strokes) >= 2)
    strokes = fit_strokes(digit.strokes, 280, 200)
    draw(a, strokes, [12.0 + i for i in range(len(strokes))])
    text = drawing_text(a)
    b.restore(*read_drawing(text, (280, 280)))
    assert np.array_equal(b.image, a.image) and b.image.any()
    assert b.strokes == a.strokes
    for _ in strokes:
        a.undo_stroke()
        b.undo_stroke()
        assert np.array_equal(b.image, a.image)
    assert b.is_empty() and not b.image.any()
    assert drawing_text(b) == ""


def test_a_picture_under_strokes_comes_back_on_a_wide_canvas(qtbot):
    a, b = DrawingCanvas(size=(960, 280)), DrawingCanvas(size=(960, 280))
    qtbot.addWidget(a)
    qtbot.addWidget(b)
    pic = np.zeros((280, 960), np.uint8)
    pic[100:180, 200:700] = np.arange(500, dtype=np.uint8)[None, :] // 2  # grey levels kept exactly
    a.set_picture(pic)
    draw(a, [np.array([[50.0, 50.0], [900.0, 250.0]])], [20.0])
    b.restore(*read_drawing(drawing_text(a), (960, 280)))
    assert np.array_equal(b.image, a.image) and np.array_equal(b.picture, pic)
    b.undo_stroke()  # the stroke goes; the picture stays under it
    assert np.array_equal(b.image, pic)


def test_a_very_long_drawing_is_kept_as_its_picture(qtbot):
    a, b = DrawingCanvas(), DrawingCanvas()
    qtbot.addWidget(a)
    qtbot.addWidget(b)
    t = np.linspace(0, 60 * np.pi, MOST_POINTS + 10)
    draw(a, [np.stack([140 + 100 * np.cos(t), 140 + 100 * np.sin(t / 7)], 1)], [10.0])
    text = drawing_text(a)
    assert json.loads(text)["strokes"] == [] and len(text) < 100_000
    b.restore(*read_drawing(text, (280, 280)))
    assert np.array_equal(b.image, a.image)


def huge_png_header() -> str:
    """A PNG that says it is 12,000 x 12,000 pixels (OpenCV's imdecode raised cv2.error over 120 MP)."""
    import base64
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", 12_000, 12_000, 8, 0, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return base64.b64encode(b"\x89PNG\r\n\x1a\n" + chunk + b"\0" * 64).decode()


def good() -> dict:
    return {"version": 1, "size": [280, 280], "strokes": [[[10, 10, 16], [50.5, 60, 16]]], "picture": None}


@pytest.mark.parametrize(
    "text, says",
    [
        ("{not json", "not JSON"),
        (json.dumps([1, 2]), "not a drawing of version 1"),
        (json.dumps({**good(), "version": 99}), "not a drawing of version 1"),
        (json.dumps({**good(), "size": [960, 280]}), "drawn on a [960, 280] canvas, this one is [280, 280]"),
        (json.dumps({**good(), "strokes": "abc"}), "no list of strokes"),
        (json.dumps({**good(), "strokes": [[]]}), "a stroke is not a list of points"),
        (json.dumps({**good(), "strokes": [[[1, 2]]]}), "a point is not [x, y, pen width]"),
        (json.dumps({**good(), "strokes": [[[1, "2", 3]]]}), "a point is not [x, y, pen width]"),
        (json.dumps({**good(), "strokes": [[[1, 2, 0]]]}), "has no pen width"),
        (json.dumps({**good(), "strokes": [[[1e9, 2, 16]]]}), "lies off the canvas"),
        ('{"version":1,"size":[280,280],"strokes":[[[NaN,2,16]]],"picture":null}', "lies off the canvas"),
        (json.dumps({**good(), "picture": "%%%"}), "the picture is not base64"),
        (json.dumps({**good(), "picture": "aGVsbG8="}), "the picture is not a 280x280 grey PNG"),
        (json.dumps({**good(), "picture": 5}), "the picture is not text"),
        # Found by a hostile tester: each stopped every start with a traceback.
        (json.dumps({**good(), "strokes": [[[10**400, 2, 16]]]}), "a point is not [x, y, pen width]"),
        ("[" * 100_000, "nested too deep"),
        (json.dumps({**good(), "picture": huge_png_header()}), "the picture is not a 280x280 grey PNG"),
        ("x" * (17 * 2**20), "more than a kept drawing can be"),
    ],
    ids=lambda v: v[:30] if isinstance(v, str) else v,
)
def test_a_damaged_drawing_says_what_is_wrong(text, says):
    with pytest.raises(ValueError) as e:
        read_drawing(text, (280, 280))
    assert says in str(e.value)


def test_a_damaged_setting_leaves_the_canvas_empty_and_names_itself(qtbot, tmp_path):
    ini = str(tmp_path / "s.ini")
    s = QSettings(ini, QSettings.Format.IniFormat)
    s.setValue("digits/drawing", "{broken")
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    notice = KeptDrawing(canvas, s, "digits/drawing").restore()
    assert canvas.is_empty()
    assert notice.startswith(f"the drawing kept in {ini} [digits/drawing] was left out: not JSON")
    assert KeptDrawing(canvas, s, "number/drawing").restore() == ""  # none kept: nothing to say


def test_a_drawing_is_written_out_only_when_it_changed(qtbot, tmp_path):
    s = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    kept = KeptDrawing(canvas, s, "digits/drawing")
    kept.store()
    assert s.value("digits/drawing", None) is None  # nothing drawn since: nothing written
    draw(canvas, [np.array([[50.0, 50.0], [200.0, 200.0]])], [16.0])
    kept.store()
    assert s.value("digits/drawing") == drawing_text(canvas)
    s.setValue("digits/drawing", "marker")
    kept.store()  # unchanged since: not made again
    assert s.value("digits/drawing") == "marker"
    canvas.begin_stroke(10.0, 10.0)  # closing mid-stroke: written whatever it is
    kept.store(always=True)
    assert s.value("digits/drawing") == drawing_text(canvas) and len(canvas.strokes) == 2
    canvas.undo_stroke()
    kept.store()
    assert len(json.loads(s.value("digits/drawing"))["strokes"]) == 1
    s.setValue("digits/drawing", "{broken")
    other = DrawingCanvas()
    qtbot.addWidget(other)
    again = KeptDrawing(other, s, "digits/drawing")
    assert again.restore() and again.changed  # damaged: written over at the next save
    again.store()
    assert s.value("digits/drawing") == ""
