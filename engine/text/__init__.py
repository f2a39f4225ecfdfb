"""The text engine: plain RNN, LSTM and GRU that autocorrect as you type, with their insides exposed.

`from engine.text import TextEngine` (imported lazily, like engine.digits).
"""

from __future__ import annotations

import importlib

_NAMES = {
    "TextEngine": "engine.text.engine",
    "Trace": "engine.text.trace",
    "Suggestion": "engine.text.correct",
}
__all__ = sorted(_NAMES)


def __getattr__(name: str):
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'engine.text' has no attribute {name!r}")
