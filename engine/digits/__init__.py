"""The digit engine: a CNN that reads drawn digits, with its insides exposed.

`from engine.digits import DigitEngine`. Names are imported lazily so that the app can use the
stroke renderer before torch has finished importing.
"""

from __future__ import annotations

import importlib

_NAMES = {
    "DigitEngine": "engine.digits.infer",
    "DigitResult": "engine.digits.result",
    "Preprocessed": "engine.digits.preprocess",
    "preprocess": "engine.digits.preprocess",
    "draw_segment": "engine.digits.strokes",
    "fit_strokes": "engine.digits.strokes",
    "render_strokes": "engine.digits.strokes",
}
__all__ = sorted(_NAMES)


def __getattr__(name: str):
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'engine.digits' has no attribute {name!r}")
