"""The Number page's dealings with the engines and the settings: the requests it sends, the results
it paints, and what it keeps between runs. A part of NumberPage (app/number/page.py)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from app import protocol as P
from app.engine_client import EngineClientLike
from app.kept_drawing import KeptDrawing
from app.settings import read_int


class NumberPageState:
    """See the module docstring."""

    def attach(self, client: EngineClientLike) -> None:
        self.client = client
        client.subscribe(P.DigitNetSet, lambda _s, _r: self.reread())  # the CNN-alone reading uses it
        client.subscribe(P.NumberRead, self._on_read)
        client.subscribe(P.NumberCut, lambda _s, r: self.show_cut(r))
        self.canvasChanged.connect(lambda c: client.post(P.ReadNumber(c)))
        self.canvasSettled.connect(lambda c: client.post(P.CutNumber(c)))

    def engines_ready(self, _loaded: P.EnginesLoaded) -> None:
        self.reread()  # what was written while loading

    def _on_read(self, seq: int, r: P.NumberRead) -> None:
        self.show_result(r.result)
        self.answer.repaint()  # on screen now, then timed
        self.answered.emit(seq)

    def restore(self, settings: QSettings) -> list[str]:
        pen = self.pen
        pen.setValue(read_int(settings, "number/pen", pen.value(), pen.minimum(), pen.maximum()))
        self._kept = KeptDrawing(self.canvas, settings, "number/drawing")
        self.canvas.settled.connect(self.edited)
        notice = self._kept.restore()
        return [notice] if notice else []

    def save(self, settings: QSettings, closing: bool = False) -> None:
        if closing:
            settings.setValue("number/pen", self.pen.value())
        self._kept.store(always=closing)

    def plots(self) -> dict:
        return {"columns": self.view, "canvas": self.canvas}
