"""Pictures of digits into the Digits page, or of numbers into the Number page (when it is shown,
or when the picture holds several digits side by side): File > Open picture, a file dropped on
the window, a picture pasted (Ctrl+V on either page); and a drawing copied out (Ctrl+C). The
worker decodes and reads them (engine/digits/picture.py); this module holds the Qt side: which
files, pixels from Qt, and the requests and answers."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog, QMainWindow

from app import protocol as P
from app.picture_files import FILE_FILTER, dropped_file


class PictureInput(QObject):
    """Posts pictures to the worker (ReadPicture) and puts what it reads on the canvas.
    `win` is the main window: its Digits and Number pages, settings and status bar."""

    def __init__(self, win: QMainWindow, client) -> None:  # the app's MainWindow (it imports this module)
        super().__init__(win)
        self.win, self.client = win, client
        client.subscribe(P.PictureRead, lambda _seq, r: self.read(r))
        client.failed.connect(lambda kind, message: kind == P.ReadPicture.kind and self.failed(message))

    def open_dialog(self) -> None:
        start = str(self.win.settings.value("open/folder", ""))
        what = "a number" if self.win.tabs.currentWidget() is self.win.number else "a digit"
        path, _ = QFileDialog.getOpenFileName(self.win, f"Open a picture of {what}", start, FILE_FILTER)
        if path:
            self.win.settings.setValue("open/folder", os.path.dirname(path))
            self.open(path)

    def _page(self):
        """Where a picture goes: the Number page when it is shown, else the Digits page (shown)."""
        if self.win.tabs.currentWidget() is not self.win.number:
            self.win.tabs.setCurrentWidget(self.win.digits)
        return self.win.tabs.currentWidget()

    def open(self, path: str) -> None:
        """Read the picture at `path` onto the canvas (on the worker; the answer follows)."""
        self.win.statusBar().showMessage(f"Opening {os.path.basename(path)}...")
        self._post(path=path, name=os.path.basename(path))

    def paste(self) -> None:
        """The clipboard's picture onto the canvas, or the picture file copied in a file manager."""
        clip = QGuiApplication.clipboard()
        path = dropped_file(clip.mimeData())
        if path:
            self.open(path)
            return
        image = clip.image()
        if image.isNull():
            self.win.say("No picture on the clipboard to paste (copy one, or a screenshot, first)", 8000)
            return
        # The pixels are read on the worker: a 4K screenshot's take 14-19 ms even scaled down
        # first (qimage_grey), more than a frame.
        self._post(qimage=image, name="the pasted picture")

    def copy(self) -> None:
        """The shown page's drawing onto the clipboard as a picture, as the network reads it
        (white ink on black): for slides and notes, or Ctrl+V on the other page."""
        page = self.win.tabs.currentWidget()
        if page not in (self.win.digits, self.win.number):
            self.win.say("Show the Digits or Number page (F1, F3) to copy its drawing", 5000)
            return
        c = page.canvas
        if c.is_empty():
            self.win.say("Nothing drawn to copy", 5000)
            return
        fmt = QImage.Format.Format_Grayscale8
        image = QImage(c.image.data, c.width_px, c.height_px, c.width_px, fmt).copy()  # its own pixels
        QGuiApplication.clipboard().setImage(image)
        # Short: beside the status bar's labels a longer line was cut off mid-word.
        self.win.say(f"Copied the drawing to the clipboard ({c.width_px} x {c.height_px} px)", 8000)

    def _post(self, **picture) -> None:
        page = self._page()
        canvas = page.canvas
        size = (canvas.width_px, canvas.height_px)
        self.client.post(P.ReadPicture(size=size, for_number=page is self.win.number, **picture))

    def read(self, r: P.PictureRead) -> None:
        """The worker's answer: the picture's canvas, onto the page it was opened on. A picture
        of several digits opened for the Digits page, whose network reads one, is read on the
        Number page instead."""
        asked = r.request
        if not asked.for_number and r.digits > 1:
            self.win.tabs.setCurrentWidget(self.win.number)  # _post then sends it there
            self._post(path=asked.path, qimage=asked.qimage, name=asked.name, moved=r.digits)
            return
        canvas = (self.win.number if asked.for_number else self.win.digits).canvas
        undo = "" if canvas.is_empty() else "; Ctrl+Z brings back what was drawn"
        canvas.set_picture(r.canvas)
        if asked.moved:
            self.win.say(
                f"{asked.name} holds {asked.moved} digits side by side: read here on the Number page, "
                f"whose CNN + RNN reads all of them (F1: the Digits page){undo}",
                15000,
            )
        elif r.canvas.any():
            self.win.statusBar().showMessage(f"Opened {asked.name}{undo}", 8000)
        else:
            self.win.say(f"{asked.name}: no digit found (no stroke stands out from the paper){undo}", 15000)

    def failed(self, message: str) -> None:
        self.win.say(f"Could not open the picture: {message}", 15000)
