"""A canvas's drawing kept in the settings between runs, as the typed text is: its strokes (each
point's x, y and pen width, so that undo takes them back one by one as before) and an opened
picture under them, in one line of JSON; read back onto the canvas at the next start."""

from __future__ import annotations

import base64
import binascii
import json
import math

import cv2
import numpy as np
from PySide6.QtCore import QSettings

from app.canvas import DrawingCanvas, Stroke

VERSION = 1
# Past this many points (about 40 s of drawing without a pause) the drawing is kept as its
# picture: writing its strokes out would take longer than a frame at each pause.
MOST_POINTS = 5000
MOST_PEN = 400.0  # px: wider than any pen the canvas draws with (40 px at 1.5x pressure)
# Far more than MOST_POINTS points or a canvas's PNG take: a longer value is damage, not a drawing.
MOST_TEXT = 16 * 2**20


def drawing_text(canvas: DrawingCanvas) -> str:
    """The drawing as one line of JSON ("" for an empty canvas)."""
    if canvas.is_empty():
        return ""
    strokes, picture = canvas.strokes, canvas.picture
    if sum(len(s) for s in strokes) > MOST_POINTS:
        strokes, picture = [], canvas.image
    return json.dumps(
        {
            "version": VERSION,
            "size": [canvas.width_px, canvas.height_px],
            "strokes": [[list(p) for p in s] for s in strokes],
            "picture": None if picture is None else picture_text(picture),
        },
        separators=(",", ":"),
    )


def picture_text(picture: np.ndarray) -> str:
    ok, png = cv2.imencode(".png", picture)
    if not ok:  # (a uint8 image always encodes)
        raise ValueError("the picture could not be written as PNG")
    return base64.b64encode(png.tobytes()).decode("ascii")


def read_drawing(text: str, size: tuple[int, int]) -> tuple[list[Stroke], np.ndarray | None]:
    """(strokes, picture) from drawing_text's JSON for a canvas of `size` (width, height).
    Raises ValueError saying what is wrong with it, whatever the text holds."""
    if not isinstance(text, str):
        raise ValueError("not text")
    if len(text) > MOST_TEXT:
        raise ValueError(f"{len(text) / 2**20:.0f} MB, more than a kept drawing can be")
    try:
        d = json.loads(text)
    except (json.JSONDecodeError, TypeError) as e:
        raise ValueError(f"not JSON ({e})") from None
    except RecursionError:  # "[[[[...": nested deeper than Python's parser goes
        raise ValueError("not JSON (nested too deep)") from None
    if not isinstance(d, dict) or d.get("version") != VERSION:
        raise ValueError(f"not a drawing of version {VERSION}")
    if d.get("size") != list(size):
        raise ValueError(f"drawn on a {d.get('size')} canvas, this one is {list(size)}")
    strokes = d.get("strokes")
    if not isinstance(strokes, list):
        raise ValueError("no list of strokes")
    out = [read_stroke(s, size) for s in strokes]
    pic = d.get("picture")
    return out, None if pic is None else read_picture(pic, size)


def read_stroke(s: object, size: tuple[int, int]) -> Stroke:
    if not isinstance(s, list) or not s:
        raise ValueError("a stroke is not a list of points")
    far = 10.0 * max(size)  # a pen dragged off the canvas keeps going a little way, not this far
    points = []
    for p in s:
        if not (isinstance(p, list) and len(p) == 3 and all(isinstance(v, (int, float)) for v in p)):
            raise ValueError(f"a point is not [x, y, pen width]: {str(p)[:40]}")
        try:
            x, y, w = (float(v) for v in p)
        except OverflowError:  # an integer of hundreds of digits
            raise ValueError(f"a point is not [x, y, pen width]: {str(p)[:40]}") from None
        if not all(math.isfinite(v) and abs(v) <= far for v in (x, y)) or not 0.0 < w <= MOST_PEN:
            raise ValueError(f"a point lies off the canvas or has no pen width: {p}")
        points.append((x, y, w))
    return points


def read_picture(text: object, size: tuple[int, int]) -> np.ndarray:
    if not isinstance(text, str):
        raise ValueError("the picture is not text")
    try:
        png = np.frombuffer(base64.b64decode(text, validate=True), np.uint8)
    except (binascii.Error, ValueError):
        raise ValueError("the picture is not base64") from None
    if png_size(png) != size:  # read from the header: a huge PNG is refused before it is decoded
        raise ValueError(f"the picture is not a {size[0]}x{size[1]} grey PNG")
    try:
        pic = cv2.imdecode(png, cv2.IMREAD_UNCHANGED)
    except cv2.error:
        pic = None
    if pic is None or pic.dtype != np.uint8 or pic.shape != (size[1], size[0]):
        raise ValueError(f"the picture is not a {size[0]}x{size[1]} grey PNG")
    return pic


def png_size(data: np.ndarray) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, None for anything that is not a PNG."""
    head = data[:24].tobytes()
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


class KeptDrawing:
    """One canvas's drawing kept under `key` in `settings`."""

    def __init__(self, canvas: DrawingCanvas, settings: QSettings, key: str) -> None:
        self.canvas, self.settings, self.key = canvas, settings, key
        # Written out only when changed: a pause in typing saves too, and a big drawing's JSON (or
        # its PNG) need not be made again for nothing. `settled` follows every whole change.
        self.changed = False
        canvas.settled.connect(self._mark)

    def _mark(self) -> None:
        self.changed = True

    def restore(self) -> str:
        """Put the kept drawing on the canvas; "" when done or none was kept, else what was wrong
        (the canvas is left empty: a damaged setting costs the drawing, not the start)."""
        text = self.settings.value(self.key, "")
        if not text:
            return ""
        try:
            strokes, picture = read_drawing(text, (self.canvas.width_px, self.canvas.height_px))
        except (ValueError, MemoryError) as e:
            self.changed = True  # written over at the next save: said once, not at every start
            return f"the drawing kept in {self.settings.fileName()} [{self.key}] was left out: {e}"
        self.canvas.restore(strokes, picture)
        self.changed = False  # as kept
        return ""

    def store(self, always: bool = False) -> None:
        """Write the drawing out if it changed since (`always`: whatever it is, as on close, where
        a stroke may be under way)."""
        if self.changed or always:
            self.settings.setValue(self.key, drawing_text(self.canvas))
            self.changed = False
