"""PySide6 looks at the source of every module imported after it; this makes that look cheap.

To know which modules may use its `__feature__` switches, PySide6 (6.4 and later) hooks the import
system and, for each newly imported module, reads the module's whole source with inspect.getsource
and searches it for "PySide6". Reading goes through linecache, which keeps every file's lines: once
the worker had imported torch, 821 files and 16.7 MB of source sat in memory for nothing, and the
import took longer with the GIL held for the splitting of each file. The same question is answered
here by searching the file's bytes, with nothing kept.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

from app.tuning import enabled as tuning_enabled

KNOWN_PYSIDE = ((6, 8), (6, 11))  # the versions whose private check this replaces was read in


def known_pyside() -> bool:
    """Whether the PySide6 imported is one whose private per-import check this module knows."""
    try:
        version = tuple(int(x) for x in sys.modules["PySide6"].__version__.split(".")[:2])
    except (KeyError, ValueError, AttributeError):
        return False
    return KNOWN_PYSIDE[0] <= version <= KNOWN_PYSIDE[1]


Check = Callable[[ModuleType], bool]


def _reads_bytes_instead(original: Check) -> Check:
    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)  # no plain source file: PySide6's own way

    mod_uses_pyside.replaces = original
    return mod_uses_pyside


def lighten_feature_check() -> bool:
    """Swap PySide6's per-import source check for the byte search. True when swapped now; False
    when PySide6 is not imported, has no such check (another version), or it is swapped already."""
    if not tuning_enabled("pyside_check"):
        return False
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or hasattr(original, "replaces") or not known_pyside():
        return False  # (a private function of PySide6: patched only in the versions it was read in)
    feature._mod_uses_pyside = _reads_bytes_instead(original)
    return True
