"""A picture of a digit (a photo or scan of ink on paper, a screenshot) to a canvas the CNN reads.

The canvas is white ink on black, as drawn in the window. A picture may be dark ink on light
paper or the other way round, lit unevenly, noisy and any size. The recipe:

1. grey, at most WORK_SIDE pixels on its longer side (a 12-megapixel photo in a few ms);
2. ink is whichever of dark and light covers less of the picture's border: inverted if dark;
3. the paper's uneven light is estimated by a grey opening (the picture with every stroke
   thinner than the kernel removed) and taken away;
4. what is left is scaled so that the strongest ink is 1; strokes are the blobs above Otsu's
   threshold that are not specks (tiny beside the largest), kept with their soft edges;
5. fitted, aspect kept, into the square canvas; preprocess() then crops and centres it.

`python -m benchmarks.digits --pictures` measures it on MNIST test digits and pen digits
printed onto synthetic paper (uneven light, noise, blur, JPEG).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import cv2
import numpy as np

from engine import MAX_PICTURE_PIXELS
from engine.bad_file import BadFileError
from engine.digits.orientation import exif_orientation, upright

WORK_SIDE = 400  # pixels on the longer side while the ink is found
MAX_FILE_BYTES = 200 * 2**20  # a larger file is refused before it is read
MAX_METADATA = 2**20  # the EXIF Orientation is looked for in the file's first megabyte
BORDER = 0.06  # fraction of each side read as the picture's border (mostly paper)
OPEN_FRACTION = 1 / 6  # the opening's kernel, of the shorter side: wider than any stroke
SPECK_FRACTION = 0.03  # a blob of ink smaller than this part of the largest is a speck, dropped
MIN_BLOB = 6  # pixels (at WORK_SIDE): smaller blobs are specks whatever the largest


def read_picture(path: str | Path) -> np.ndarray:
    """The picture at `path` as a float32 grey image in [0, 1]; transparency reads as white paper.
    A missing, unreadable, empty or undecodable file raises BadFileError naming it."""
    p = Path(path)
    try:
        if not stat.S_ISREG(os.stat(p).st_mode):  # a FIFO or a device would block or never end
            raise BadFileError(f"{p}: not a regular file (a pipe, a device or a folder), not a picture")
        size = os.path.getsize(p)
        if size > MAX_FILE_BYTES:
            raise BadFileError(
                f"{p}: {size / 2**20:.0f} MB, more than a picture of a digit needs (the most is 200 MB)"
            )
        data = np.fromfile(p, np.uint8)
    except OSError as exc:
        raise BadFileError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    if data.size == 0:
        raise BadFileError(f"{p}: the file is empty")
    try:
        img = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    except cv2.error as exc:
        if "CV_IO_MAX_IMAGE_PIXELS" in str(exc):
            raise BadFileError(
                f"{p}: more than {MAX_PICTURE_PIXELS // 10**6} megapixels, too many to read"
            ) from exc
        raise BadFileError(f"{p}: damaged or not a picture ({str(exc).strip().splitlines()[-1]})") from exc
    if img is None or img.size == 0:
        raise BadFileError(f"{p}: not a picture that can be read (PNG, JPEG, BMP, TIFF, WebP, PNM)")
    img = upright(img, exif_orientation(data[:MAX_METADATA].tobytes()))
    return to_grey(shrunk(np.ascontiguousarray(img)))


def shrunk(img: np.ndarray) -> np.ndarray:
    """A decoded picture brought to at most 2 * WORK_SIDE on its longer side while still 8 or 16
    bit: turned into floats whole, a 108-megapixel photo would take 1.3 GB."""
    h, w = img.shape[:2]
    s = 2 * WORK_SIDE / max(h, w)
    if s >= 1:
        return img
    return cv2.resize(img, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)


def to_grey(img: np.ndarray) -> np.ndarray:
    """Any decoded picture (grey, BGR, BGRA; 8 or 16 bit or float) to float32 grey in [0, 1]."""
    a = np.asarray(img)
    if a.dtype == np.uint8:
        f = a.astype(np.float32) / 255.0
    elif a.dtype == np.uint16:
        f = a.astype(np.float32) / 65535.0
    else:
        f = np.nan_to_num(a.astype(np.float32))
        f = (f - f.min()) / max(float(f.max() - f.min()), 1e-8) if f.size else f
    if f.ndim == 3:
        alpha = f[..., 3:4] if f.shape[2] == 4 else None
        grey = f[..., :3].mean(axis=2, keepdims=True) if f.shape[2] >= 3 else f[..., :1]
        if alpha is not None:  # transparent is paper: composited over white
            grey = grey * alpha + (1.0 - alpha)
        f = grey[..., 0]
    if f.ndim != 2 or min(f.shape) < 1:
        raise ValueError(f"a picture must be a 2-D image, got shape {a.shape}")
    return np.clip(f, 0.0, 1.0)


def ink_image(grey: np.ndarray) -> np.ndarray:
    """Steps 1-4 of the recipe: a grey picture to its ink, float32 in [0, 1], paper 0."""
    g = np.asarray(grey, np.float32)
    h, w = g.shape
    s = WORK_SIDE / max(h, w)
    if s < 1:
        g = cv2.resize(g, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
    h, w = g.shape
    bh, bw = max(1, round(h * BORDER)), max(1, round(w * BORDER))
    border = np.concatenate([g[:bh].ravel(), g[-bh:].ravel(), g[:, :bw].ravel(), g[:, -bw:].ravel()])
    if np.median(border) > 0.5:  # light paper: the ink is the dark part
        g = 1.0 - g
    k = max(3, int(min(h, w) * OPEN_FRACTION) | 1)
    g = cv2.GaussianBlur(g, (0, 0), 0.8)  # grain and JPEG noise, below a stroke's width
    paper = cv2.morphologyEx(g, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    paper = cv2.GaussianBlur(paper, (0, 0), k / 4)  # the opening's blocky edges smoothed
    ink = np.clip(g - paper, 0.0, None)
    top = float(np.percentile(ink, 99.5))
    if top < 0.05:  # no stroke stands out from the paper: nothing drawn
        return np.zeros_like(ink)
    ink = np.clip(ink / top, 0.0, 1.0)
    t, strong = cv2.threshold((ink * 255).astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Strokes are the large blobs above Otsu's threshold; specks of noise or grain are small.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(strong, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    if n <= 1:
        return np.zeros_like(ink)
    keep = np.flatnonzero(areas >= max(MIN_BLOB, SPECK_FRACTION * areas.max())) + 1
    mask = np.isin(labels, keep).astype(np.uint8)
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8), iterations=2)  # the strokes' soft edges
    cut = 0.5 * t / 255.0
    return np.where(mask > 0, np.clip((ink - cut) / max(1.0 - cut, 1e-6), 0.0, 1.0), 0.0).astype(np.float32)


def picture_to_canvas(grey: np.ndarray, size: int | tuple[int, int] = 280) -> np.ndarray:
    """A grey picture (float in [0, 1]) to a uint8 canvas, white ink on black, `size` square or
    (width, height); the picture fitted inside, its shape kept."""
    cw, ch = (size, size) if isinstance(size, int) else size
    ink = ink_image(grey)
    h, w = ink.shape
    s = min(cw / w, ch / h)
    nw, nh = min(cw, max(1, round(w * s))), min(ch, max(1, round(h * s)))
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    fitted = cv2.resize(ink, (nw, nh), interpolation=interp)
    canvas = np.zeros((ch, cw), np.uint8)
    y0, x0 = (ch - nh) // 2, (cw - nw) // 2
    canvas[y0 : y0 + nh, x0 : x0 + nw] = np.round(np.clip(fitted, 0, 1) * 255).astype(np.uint8)
    return canvas


def photographed(digit: np.ndarray, rng: np.random.Generator, side: int = 360) -> np.ndarray:
    """A synthetic photo of a digit (float image, ink high, any size) printed dark on paper: placed
    at a random size and place on a side x side*4/3 sheet, lit unevenly, blurred, noisy, saved as
    JPEG at quality 70 and decoded again. For measuring the recipe on known digits."""
    d = np.asarray(digit, np.float32)
    d = d / max(float(d.max()), 1e-6)
    h, w = side, side * 4 // 3
    scale = rng.uniform(0.35, 0.7) * side / max(d.shape)
    dh, dw = max(1, round(d.shape[0] * scale)), max(1, round(d.shape[1] * scale))
    big = cv2.resize(d, (dw, dh), interpolation=cv2.INTER_CUBIC).clip(0, 1)
    sheet = np.zeros((h, w), np.float32)
    y0, x0 = int(rng.integers(0, h - dh + 1)), int(rng.integers(0, w - dw + 1))
    sheet[y0 : y0 + dh, x0 : x0 + dw] = big
    paper, ink = rng.uniform(0.75, 0.95), rng.uniform(0.05, 0.3)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    light = 1.0 + rng.uniform(0.1, 0.3) * ((np.cos(angle) * xx / w + np.sin(angle) * yy / h) - 0.5)
    img = (paper - (paper - ink) * sheet) * light
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.5))
    img = img + rng.normal(0, 0.03, img.shape).astype(np.float32)
    u8 = (np.clip(img, 0, 1) * 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", u8, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255.0
