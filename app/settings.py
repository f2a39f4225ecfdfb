"""Persistent settings (QSettings, INI format). `NNPG_SETTINGS` names the file; tests point it at a temp file."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings


def open_settings(path: str | None = None) -> QSettings:
    path = path or os.environ.get("NNPG_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "nn-playground", "nn-playground")


# The file is the user's to edit (or to damage): a value that does not read as its type gives the
# default, never an exception at startup.
def read_int(settings: QSettings, key: str, default: int, lo: int, hi: int) -> int:
    """An int in [lo, hi]; anything else gives `default`."""
    try:
        v = int(settings.value(key, default))
    except (TypeError, ValueError):
        return default
    return v if lo <= v <= hi else default


def read_bool(settings: QSettings, key: str, default: bool) -> bool:
    """INI files give booleans back as the strings 'true' / 'false'; anything else gives `default`."""
    v = settings.value(key, default)
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("true", "false"):
        return v.strip().lower() == "true"
    return default


def read_choice(settings: QSettings, key: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (any case); anything else gives `default`."""
    v = settings.value(key, default)
    v = v.strip().lower() if isinstance(v, str) else default
    return v if v in choices else default
