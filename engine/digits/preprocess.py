"""Canvas (any size, white ink on black) to the 28x28 network input, the way MNIST was made.

MNIST's recipe: bounding box, fit into 20x20 keeping the aspect ratio, centre of mass at the
centre of 28x28. Drawn input differs from MNIST mostly in stroke width relative to the digit
(a 10 px pen on a 200 px digit is a hairline after scaling), so the crop is brought to a
working size and its stroke width is normalised to MNIST's before the final fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

MIN_SIDE = 28
MAX_SIDE = 2048
FLOAT_ONE_MAX = 2.0  # a float canvas whose values stay at or under this is on the 0-1 scale
INK_LEVEL = 0.15  # a pixel at or above this much ink counts towards the bounding box
WORK_SIZE = 80  # longer side of the crop while the stroke width is normalised
TARGET_WIDTH = 9.0  # MNIST's median stroke width at WORK_SIZE (measured by tools in train.py)
FULL_FRACTION = 0.9  # ink over this fraction of the canvas is not a drawing
SIDE_INK = 0.25  # side_by_side(): a canvas pixel this inked or more counts
GAP_FRACTION = 0.15  # ... blank columns this much of the ink's height apart make separate groups
SMALL_GROUP = 0.1  # ... a group with less than this part of the ink is a stray mark, not a digit


@dataclass
class Preprocessed:
    """The 28x28 input and how it was made."""

    input: np.ndarray  # (28, 28) float32 in [0, 1]
    status: str  # "ok", "empty" (no ink) or "full" (the canvas is all ink)
    steps: dict[str, np.ndarray] = field(default_factory=dict)  # cropped ... centred 28x28, float32 in [0, 1]
    box: tuple[int, int, int, int] | None = None  # ink bounding box on the canvas: x0, y0, x1, y1
    stroke_width: float = 0.0  # estimated stroke width, canvas pixels
    to_input: np.ndarray | None = None  # 2x3 affine: canvas (x, y) -> input (x, y)

    @property
    def empty(self) -> bool:
        return self.status != "ok"


def as_canvas(canvas: object) -> np.ndarray:
    """Validate and convert any canvas-like input to a uint8 (H, W) image, ink high.

    Floats in [0, 1] (overshoot to FLOAT_ONE_MAX clipped; beyond it: taken as 0-255), integers, bools, RGB(A) and (H, W, 1) are
    accepted; NaN and infinities count as no ink; sides over MAX_SIDE are scaled down.
    Raises ValueError with a plain message for input that cannot be a canvas.
    """
    arr = np.asarray(canvas)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"canvas must be a numeric 2-D array, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise ValueError("canvas must be a real-valued 2-D array, got complex numbers")
    if arr.ndim == 3 and arr.shape[2] in (1, 3, 4):
        arr = arr[..., :3].mean(axis=2) if arr.shape[2] >= 3 else arr[..., 0]
    if arr.ndim != 2:
        raise ValueError(f"canvas must be a 2-D grey image (H, W), got shape {arr.shape}")
    h, w = arr.shape
    if min(h, w) < MIN_SIDE:
        raise ValueError(f"canvas is {w}x{h} px; each side must be at least {MIN_SIDE} px")
    if arr.dtype == np.uint8:
        img = arr
    elif arr.dtype == bool:
        img = arr.astype(np.uint8) * np.uint8(255)
    else:
        f = np.nan_to_num(arr.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
        # Integer images, and float images reaching above FLOAT_ONE_MAX, are on the 0-255 scale.
        # Not "above 1": a 0-1 drawing resized with cubic interpolation overshoots to ~1.15 and
        # read as a nearly black 0-255 image (no ink); a 0-255 image whose ink stays under 2
        # holds no ink that counts (INK_LEVEL) either way.
        on_255 = np.issubdtype(arr.dtype, np.integer) or f.max(initial=0.0) > FLOAT_ONE_MAX
        scale = 1.0 if on_255 else 255.0
        img = np.clip(np.clip(f, 0.0, 1e6) * scale + 0.5, 0, 255).astype(np.uint8)
    if max(h, w) > MAX_SIDE:
        s = MAX_SIDE / max(h, w)
        img = cv2.resize(
            img, (max(MIN_SIDE, round(w * s)), max(MIN_SIDE, round(h * s))), interpolation=cv2.INTER_AREA
        )
    return np.ascontiguousarray(img)


def estimate_stroke_width(img: np.ndarray) -> float:
    """Mean stroke width of the ink in img: 2 * area / perimeter of the binarised strokes."""
    mask = (img >= 0.5).astype(np.uint8)
    area = float(mask.sum())
    if area == 0:
        return 0.0
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    perimeter = sum(cv2.arcLength(c, True) for c in contours)
    return 2.0 * area / perimeter if perimeter > 0 else 0.0


def normalise_width(img: np.ndarray, width: float) -> np.ndarray:
    """Thicken or thin the strokes of a WORK_SIZE crop (stroke width `width`) towards TARGET_WIDTH."""
    if width <= 0:
        return img
    delta = TARGET_WIDTH - width
    k = int(round(abs(delta)))
    if k < 2:
        return img
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 1, k + 1))
    pad = k + 1  # room for the strokes to grow
    padded = cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    if delta > 0:
        return cv2.dilate(padded, kernel)
    thinned = cv2.erode(padded, kernel)
    # Thinning must never wipe out a stroke: keep it only if most of the shape survives.
    if (thinned >= 0.5).sum() < 0.35 * (padded >= 0.5).sum():
        return padded
    return thinned


def ink_mask(img: np.ndarray) -> np.ndarray:
    """uint8 mask of the pixels that count as ink (at or above INK_LEVEL)."""
    if img.dtype == np.uint8:
        return cv2.threshold(img, int(INK_LEVEL * 255) - 1, 255, cv2.THRESH_BINARY)[1]
    return (img >= INK_LEVEL).astype(np.uint8)


def ink_box(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    x, y, w, h = cv2.boundingRect(mask)
    if w == 0 or h == 0:
        return None
    return x, y, x + w, y + h


def resize(img: np.ndarray, w: int, h: int) -> np.ndarray:
    shrink = w <= img.shape[1] and h <= img.shape[0]
    return cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def preprocess(canvas: object, keep_steps: bool = True) -> Preprocessed:
    """Turn a canvas into the 28x28 input; `steps` holds the intermediate images for display."""
    img = as_canvas(canvas)
    steps: dict[str, np.ndarray] = {}
    blank = np.zeros((28, 28), np.float32)
    mask = ink_mask(img)
    box = ink_box(mask)
    if box is None:
        return Preprocessed(blank, "empty", steps)
    if cv2.countNonZero(mask) > FULL_FRACTION * mask.size:
        return Preprocessed(blank, "full", steps, box)
    x0, y0, x1, y1 = box
    crop = img[y0:y1, x0:x1].astype(np.float32) * np.float32(1.0 / 255.0)
    h, w = crop.shape
    s1 = WORK_SIZE / max(h, w)
    work = resize(crop, max(1, round(w * s1)), max(1, round(h * s1)))
    width_work = estimate_stroke_width(work)
    normed = normalise_width(work, width_work)
    pad = (normed.shape[0] - work.shape[0]) // 2
    nbox = ink_box(ink_mask(normed)) or (0, 0, normed.shape[1], normed.shape[0])
    bx0, by0, bx1, by1 = nbox
    tight = normed[by0:by1, bx0:bx1]
    th, tw = tight.shape
    s2 = 20.0 / max(th, tw)
    fw, fh = max(1, round(tw * s2)), max(1, round(th * s2))
    fitted = np.clip(resize(tight, fw, fh), 0.0, 1.0)
    m = cv2.moments(fitted)
    if m["m00"] > 1e-6:
        cx, cy = m["m10"] / m["m00"], m["m01"] / m["m00"]
    else:
        cx, cy = fw / 2.0, fh / 2.0
    tx, ty = 14.0 - cx, 14.0 - cy
    shift = np.float32([[1, 0, tx], [0, 1, ty]])
    out = cv2.warpAffine(fitted, shift, (28, 28), flags=cv2.INTER_LINEAR, borderValue=0)
    out = np.clip(out, 0.0, 1.0).astype(np.float32)
    # canvas -> work: (p - box0) * s1; work -> normed: + pad; normed -> tight: - nbox0; * s2; + shift.
    scale = s1 * s2
    off_x = ((-x0) * s1 + pad - bx0) * s2 + tx
    off_y = ((-y0) * s1 + pad - by0) * s2 + ty
    to_input = np.array([[scale, 0.0, off_x], [0.0, scale, off_y]], np.float64)
    if keep_steps:
        steps["cropped"] = np.clip(work, 0, 1)
        steps["width normalised"] = np.clip(normed, 0, 1)
        steps["fitted 20x20"] = fitted
        steps["centred 28x28"] = out
    return Preprocessed(out, "ok", steps, box, width_work / s1, to_input)


def ink_groups(canvas: object, gap: int | None = None, strays: bool = False) -> list[tuple[int, int]]:
    """The column ranges [c0, c1) of the groups of ink that stand side by side on a canvas, apart
    by a gap of blank columns (stray marks left out unless `strays`): one for a digit, more for a
    number. The gap is GAP_FRACTION of the ink's height unless given (in columns)."""
    ink = as_canvas(canvas) > SIDE_INK * 255  # any canvas preprocess() takes, as it reads it
    rows, cols = np.flatnonzero(ink.any(1)), ink.sum(0)
    if len(rows) == 0:
        return []
    if gap is None:
        gap = max(4, int(GAP_FRACTION * (rows[-1] - rows[0] + 1)))
    groups: list[list[int]] = []  # [first column, last column + 1, ink]
    blank = gap
    for c, n in enumerate(cols.tolist()):
        if n:
            if blank >= gap:
                groups.append([c, c + 1, 0])
            groups[-1][1] = c + 1
            groups[-1][2] += n
            blank = 0
        else:
            blank += 1
    total = sum(g[2] for g in groups)
    return [(c0, c1) for c0, c1, n in groups if strays or n >= SMALL_GROUP * total]


def side_by_side(canvas: object) -> int:
    """How many groups of ink stand side by side on a canvas: 1 for one digit, 2 or more for a
    number (the digit network reads one; the window says so). About 0.05 ms for 280x280."""
    return len(ink_groups(canvas))
