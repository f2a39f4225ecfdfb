"""Pictures of digits (photos, scans, screenshots) to the canvas the CNN reads."""

import cv2
import numpy as np
import pytest

from engine.bad_file import BadFileError
from engine.digits.picture import ink_image, photographed, picture_to_canvas, read_picture, to_grey


def digit_sheet(dark_ink: bool = True, light: float = 0.0) -> np.ndarray:
    """A "7" drawn on a 300x400 sheet: dark on light paper (or light on dark), with a brightness ramp."""
    sheet = np.zeros((300, 400), np.uint8)
    cv2.line(sheet, (150, 80), (250, 80), 255, 9)
    cv2.line(sheet, (250, 80), (180, 230), 255, 9)
    ink = sheet.astype(np.float32) / 255
    img = (0.85 - 0.7 * ink) if dark_ink else (0.1 + 0.7 * ink)
    return np.clip(img * (1 + light * (np.linspace(-0.5, 0.5, 400)[None, :])), 0, 1).astype(np.float32)


def test_dark_ink_on_light_paper_and_light_on_dark_read_alike():
    a, b = picture_to_canvas(digit_sheet(True)), picture_to_canvas(digit_sheet(False))
    assert a.shape == (280, 280) and a.dtype == np.uint8
    assert a.max() == 255 and (a > 128).mean() < 0.1  # white strokes on black, not the paper
    assert np.abs(a.astype(int) - b.astype(int)).mean() < 3


def test_uneven_light_is_taken_away_and_blank_paper_has_no_ink():
    ramp = ink_image(digit_sheet(True, light=0.6))
    assert ramp[:, :60].max() == 0 and ramp[:, -60:].max() == 0  # the bright and dim edges: paper
    assert (ramp > 0.5).sum() > 500  # the strokes stay
    paper = np.clip(0.8 + np.random.default_rng(0).normal(0, 0.02, (300, 400)), 0, 1).astype(np.float32)
    assert picture_to_canvas(paper * np.linspace(0.7, 1, 400)[None, :]).max() == 0


def test_pictures_of_any_kind_are_grey_with_transparency_as_paper():
    bgra = np.zeros((40, 50, 4), np.uint8)
    bgra[..., 3] = 0  # fully transparent: paper
    bgra[10:30, 20:25] = (0, 0, 0, 255)  # an opaque black stroke
    g = to_grey(bgra)
    assert g.shape == (40, 50) and g[0, 0] == 1.0 and g[15, 22] == 0.0
    assert to_grey(np.full((5, 6), 65535, np.uint16)).max() == 1.0
    assert to_grey(np.zeros((5, 6, 3), np.uint8)).shape == (5, 6)
    assert np.isfinite(to_grey(np.array([[np.nan, 1.0], [2.0, np.inf]]))).all()


def test_bad_files_name_themselves(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    for path, said in (
        (text, "not a picture"),
        (empty, "the file is empty"),
        (tmp_path / "gone.png", "cannot be read"),
    ):
        with pytest.raises(BadFileError, match=said) as err:
            read_picture(path)
        assert str(err.value).startswith(str(path))
    good = tmp_path / "seven.png"
    cv2.imwrite(str(good), (digit_sheet() * 255).astype(np.uint8))
    assert read_picture(good).shape == (300, 400)


def test_photographed_digits_read_back_as_they_were_drawn(digit_engine, mnist_available):
    from engine.digits.data import load_mnist

    x, y = load_mnist("test")
    rng = np.random.default_rng(3)
    pick = rng.choice(len(y), 150, replace=False)
    hits = sum(
        digit_engine.predict(picture_to_canvas(photographed(x[i].astype(np.float32), rng))).label == y[i]
        for i in pick
    )
    assert hits / len(pick) >= 0.97  # 0.990 on 1,000 (benchmarks.digits --pictures), 0.993 clean


def test_a_picture_of_too_many_pixels_is_refused_before_it_is_decoded(tmp_path):
    """A small PNG can declare 11000x11000 pixels (121 MP): refused from its header, as the app
    reads it (engine sets OpenCV's limit before OpenCV loads: checked in a fresh process)."""
    import struct
    import subprocess
    import sys
    import zlib

    side = 11_000
    rows = zlib.compress((b"\x00" + bytes(side)) * side, 1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    bomb = tmp_path / "bomb.png"
    head = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    bomb.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
    assert bomb.stat().st_size < 1_000_000
    code = f"from engine.digits.picture import read_picture\nread_picture({str(bomb)!r})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "more than 120 megapixels, too many to read" in out.stderr
    assert str(bomb) in out.stderr


def test_a_large_photo_is_shrunk_while_still_8_bit():
    from engine.digits.picture import WORK_SIDE, shrunk

    big = np.zeros((3000, 4000, 3), np.uint8)
    small = shrunk(big)
    assert small.dtype == np.uint8 and max(small.shape[:2]) == 2 * WORK_SIDE and small.shape[2] == 3
    assert shrunk(np.zeros((300, 400), np.uint16)).shape == (300, 400)


def test_digits_side_by_side_are_counted_and_one_digit_is_one(mnist_available):
    from engine.digits.data import load_mnist
    from engine.digits.preprocess import side_by_side

    x, _ = load_mnist("test")
    rng = np.random.default_rng(7)
    gap = np.zeros((28, 6), np.float32)
    singles = [side_by_side(picture_to_canvas(photographed(x[i].astype(np.float32), rng))) for i in range(60)]
    pairs = [
        side_by_side(
            picture_to_canvas(photographed(np.hstack([x[i], gap, x[i + 1]]).astype(np.float32), rng))
        )
        for i in range(60, 100, 2)
    ]
    assert singles == [1] * 60 and pairs == [2] * 20  # 400/400 and 100/100 on larger samples
    assert side_by_side(np.zeros((280, 280), np.uint8)) == 0
    three = np.zeros((100, 300), np.uint8)
    for x0 in (10, 110, 210):
        three[20:80, x0 : x0 + 30] = 255
    assert side_by_side(three) == 3
    assert (
        side_by_side(np.dstack([three] * 3)) == 3 and side_by_side(three / 255.0) == 3
    )  # as predict() reads
    speck = three.copy()
    speck[:, 110:] = 0
    speck[50, 200] = 255  # a stray mark: not a second digit
    assert side_by_side(speck) == 1


def test_a_picture_fits_a_wide_canvas_keeping_its_shape():
    grey = np.ones((100, 400), np.float32)  # light paper with a dark bar across most of it
    grey[40:60, 40:360] = 0.1
    canvas = picture_to_canvas(grey, (960, 280))
    assert canvas.shape == (280, 960) and canvas.dtype == np.uint8
    ys, xs = np.nonzero(canvas > 128)
    assert xs.max() - xs.min() > 4 * (ys.max() - ys.min())  # still a long, flat bar
    assert picture_to_canvas(grey, 280).shape == (280, 280)
