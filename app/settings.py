"""Persistent settings (QSettings, INI format). `NNPG_SETTINGS` names the file; tests point it at a temp file."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings


def open_settings(path: str | None = None) -> QSettings:
    path = path or os.environ.get("NNPG_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "nn-playground", "nn-playground")
