"""Non-modal message boxes wide enough to hold a line whole (a file's path, a shortcut and what it
does): the notices, Help > Keyboard shortcuts and Help > About."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def wide_box(
    parent: QWidget,
    title: str,
    text: str = "",
    min_width: int = 520,
    icon: QMessageBox.Icon = QMessageBox.Icon.NoIcon,
    keep: bool = False,
) -> QMessageBox:
    """A message box that stays open beside the window (not modal), shown by the caller. Deleted
    when closed (each Help item makes a new one) unless `keep`: the caller reuses it."""
    box = QMessageBox(icon, title, text, parent=parent)
    if not keep:
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # The text label only, by Qt's object name: a rule for every QLabel widened the icon's too.
    box.setStyleSheet(f"QLabel#qt_msgbox_label {{ min-width: {min_width}px; }}")
    box.setModal(False)
    return box


def sections_html(sections) -> str:
    """(title, [items]) pairs as HTML: a bold title over a bullet list, for the Help boxes."""
    return "".join(
        f"<p><b>{title}</b></p><ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
        for title, items in sections
    )
