"""Save as… for a network trained or taught in this session: its weights file (a temporary one)
copied where the user picks."""

from __future__ import annotations

import os
import shutil

from PySide6.QtWidgets import QFileDialog, QWidget


def save_network_as(parent: QWidget, source: str, title: str) -> str | None:
    """Ask where, copy `source` there; the sentence to show, or None when the user cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, "", "Weights (*.safetensors)")
    if not path:
        return None
    try:
        shutil.copyfile(source, path)
    except OSError as exc:
        return f"Could not save {path}: {exc.strerror or exc}"
    return f"Saved {path} (nn-playground --digits-weights {os.path.basename(path)} reads it)"
