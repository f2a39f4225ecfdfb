"""Picture files and pixels on the Qt side, with no window and no worker: which files are
pictures, the one file a drag carries, and a QImage as grey pixels. The worker (which decodes
them) and the pages (which must not type a dropped picture's path) use these, as PictureInput
does (app/pictures.py)."""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QImage

# What OpenCV decodes (engine/digits/picture.py, on the worker: cv2 is not imported here).
SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pbm")
MOST_SIDE = 800  # a pasted picture is read at most this big (the ink is found at 400, picture.WORK_SIDE)
FILE_FILTER = f"Pictures ({' '.join('*' + s for s in SUFFIXES)});;All files (*)"


def dropped_file(mime: QMimeData) -> str | None:
    """The one local file a drag carries, or None (several files, a web link, text)."""
    if not mime.hasUrls():
        return None
    files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
    return files[0] if len(files) == 1 and os.path.isfile(files[0]) else None


def is_picture_file(mime: QMimeData) -> bool:
    """Whether a drag or the clipboard carries one local file named as a picture."""
    path = dropped_file(mime)
    return path is not None and path.lower().endswith(SUFFIXES)


def qimage_grey(img: QImage) -> np.ndarray | None:
    """A QImage (a pasted screenshot, say) as float32 grey in [0, 1], transparency as white
    paper; None for a null image."""
    if img.isNull():
        return None
    if max(img.width(), img.height()) > MOST_SIDE:  # a 4K screenshot: 165-780 ms to read whole here
        img = img.scaled(
            MOST_SIDE,
            MOST_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    from engine.digits.picture import to_grey  # the one home of grey-with-alpha-as-paper

    rgba = img.convertToFormat(QImage.Format.Format_RGBA8888)
    w, h = rgba.width(), rgba.height()
    a = np.frombuffer(rgba.constBits(), np.uint8, count=rgba.bytesPerLine() * h)
    return to_grey(a.reshape(h, rgba.bytesPerLine())[:, : 4 * w].reshape(h, w, 4))
