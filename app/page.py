"""What the window asks of a page, and what a page may ask of the window.

A page is one package in app/ (app/digits, app/text, app/number) whose widget subclasses Page and is
named once in app/pages.py. The window is a shell: it makes a tab of each page, hands it the engine
client (app/engine_client.py), the settings and the places to say things, and otherwise knows
nothing of it. A page talks to the engines through the client alone.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QWidget

from app import protocol as P
from app.engine_client import EngineClientLike


class Page(QWidget):
    """A page of the window. Subclasses set the class attributes and override what they need."""

    name: ClassVar[str] = ""  # its settings group and its saved plots' prefix: "digits"
    title: ClassVar[str] = ""  # the tab's text, with its Alt key: "&Digits"
    tip: ClassVar[str] = ""  # the tab's tooltip
    network: ClassVar[str] = ""  # the kind of network it runs, for the status bar: "CNN"
    answer_type: ClassVar[type[P.Result] | None] = None  # the answer whose input-to-screen time is shown

    say = Signal(str, int)  # a notice for the status bar, and how long it stays (ms; 0: until replaced)
    answered = Signal(int)  # the `answer_type` request of this seq (and those before it) is on screen
    loading = Signal(str)  # the status bar's network label while the page's network loads
    edited = Signal()  # something the page keeps between runs changed: the window saves soon
    named = Signal(str)  # the network the page shows now, for the status bar (pages that run their own)

    def attach(self, client: EngineClientLike) -> None:
        """Subscribe to the results the page paints; keep the client to post its requests."""
        self.client = client

    def load_choices(self) -> dict:
        """This page's fields of the first LoadEngines request (the cell, the digit network)."""
        return {}

    def engines_ready(self, loaded: P.EnginesLoaded) -> None:
        """The engines are loaded: build what needs them and read what was drawn or typed meanwhile."""

    def engines_failed(self) -> None:
        """The engines could not load: nothing will answer; say so where the user looks."""

    def restore(self, settings: QSettings) -> list[str]:
        """Take back what the page kept between runs; the problems met, one line each."""
        return []

    def save(self, settings: QSettings, closing: bool = False) -> None:
        """Keep what the page keeps between runs (`closing`: all of it, written or not since)."""

    def close_down(self) -> None:
        """The window is closing: end what the page runs beside it (a training process)."""

    def plots(self) -> dict[str, QWidget]:
        """The views File > Save plots writes, by file name stem."""
        return {}
