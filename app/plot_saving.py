"""Saving the shown page's plots as PNG files (Ctrl+S): one file per plot, named for the page, the time
and the plot."""

from __future__ import annotations

import os
import time

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class PlotSaving:
    """A part of MainWindow (app/window.py), which it is mixed into."""

    def plot_widgets(self) -> dict[str, QWidget]:
        return self.tabs.currentWidget().plots()

    # A picture of a digit dropped anywhere on the window is read (app/pictures.py).

    def save_plots(self, folder: str) -> list[str]:
        """Save the current page's plots as `<page>-<date>-<time>-<plot>.png`: a new set each time,
        never over an earlier one."""
        page = self.tabs.currentWidget().name
        widgets = self.plot_widgets()
        stem = f"{page}-{time.strftime('%Y%m%d-%H%M%S')}"
        base, n = stem, 1
        while any(os.path.exists(os.path.join(folder, f"{base}-{name}.png")) for name in widgets):
            n += 1
            base = f"{stem}-{n}"
        paths = []
        for name, w in widgets.items():
            path = os.path.join(folder, f"{base}-{name}.png")
            if not w.grab().save(path):
                raise OSError(f"could not write {path}")
            paths.append(path)
        return paths

    def save_plots_dialog(self) -> None:
        start = str(self.settings.value("save/folder", ""))
        folder = QFileDialog.getExistingDirectory(self, "Save plots as PNG into", start)
        if folder:
            self.settings.setValue("save/folder", folder)
            try:
                paths = self.save_plots(folder)
                self.statusBar().showMessage(
                    f"Saved {len(paths)} PNG files to {folder} ({os.path.basename(paths[0]).rsplit('-', 1)[0]}-*)",
                    8000,
                )
            except Exception as exc:
                QMessageBox.warning(self, "Save failed", f"Could not save the plots: {exc}")
