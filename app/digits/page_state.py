"""The Digits page's dealings with the engines and the settings: the requests it sends, the results
it paints, the digit network it reads with, and what it keeps between runs. A part of DigitsPage
(app/digits/page.py), which it is mixed into."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from app import protocol as P
from app.engine_client import EngineClientLike
from app.kept_drawing import KeptDrawing
from app.settings import read_bool, read_choice, read_int
from engine.digits.networks import CUSTOM, DEFAULT, SHIPPED


class DigitsPageState:
    """See the module docstring."""

    def attach(self, client: EngineClientLike) -> None:
        self.client = client
        self._net_reading, self._net_metrics = self.net, {}  # as the worker last confirmed
        self._trained: dict[str, str] = {}  # key -> weights file, of networks trained on the Train page
        self._saved_net = self.net  # the shipped network saved (the user's own file is named each run)
        self._shown_seq = 0  # the answer the bars paint next, timed when they have
        self._side_by_side_said = False  # the hint for two digits side by side is showing
        client.subscribe(P.DigitRead, self._on_read)
        client.subscribe(P.DigitNetSet, self._on_net_set)
        client.failed.connect(self._on_failed)
        self.canvasChanged.connect(lambda c: client.post(P.ReadDigit(c)))
        self.netChanged.connect(self._ask_for_net)
        self.probs_plot.painted.connect(self._on_screen)

    def use_own_weights(self, path: str) -> None:
        """The user's own network (--digits-weights): listed first, and the one that reads."""
        import os

        self.add_custom_net(os.path.basename(path))
        self._own_weights = path
        self.set_net(CUSTOM, emit=False)
        self._net_reading = CUSTOM

    def load_choices(self) -> dict:
        own = getattr(self, "_own_weights", None)
        return {"digits_net": self._saved_net, "digits_weights": own}

    # ---------------------------------------------------------------- results
    def engines_ready(self, loaded: P.EnginesLoaded) -> None:
        self.prepare(loaded.warmup)
        self._net_loaded(loaded.digits_net, loaded.digits_metrics)
        self._on_canvas()  # what was drawn while loading is read now

    def engines_failed(self) -> None:
        self.pred_label.setText("Not loaded")

    def _on_read(self, seq: int, r: P.DigitRead) -> None:
        # Timed when the probability bars have painted it (_on_screen), if the page is on screen.
        self._shown_seq = seq if self.isVisible() else 0
        self.show_result(r.result)
        if r.digits > 1 and not self._side_by_side_said:  # once per drawing that grows a second digit
            self.say.emit(
                f"That looks like {r.digits} digits side by side: this network reads one digit at a time "
                "(the Number page, F3, reads a whole number)",
                8000,
            )
        self._side_by_side_said = r.digits > 1

    def _on_screen(self) -> None:
        seq, self._shown_seq = self._shown_seq, 0
        if seq:
            self.answered.emit(seq)

    def _ask_for_net(self, key: str) -> None:
        self.loading.emit("loading...")
        self.client.post(P.SetDigitNet(key, self._trained.get(key)))

    def add_network(self, path: str, label: str, how: str = "trained here") -> None:
        """A network trained on the Train page (or taught your examples): listed, and the one that
        reads (not saved between runs: its file is a temporary one; Save as keeps it)."""
        key = f"trained-{len(self._trained) + 1}"
        self._trained[key] = path
        self.net_box.addItem(f"{how}: {label}", key)
        self.set_net(key)

    def _on_net_set(self, _seq: int, r: P.DigitNetSet) -> None:
        self.prepare(r.warmup)
        self._net_loaded(r.net, r.metrics)
        self._on_canvas()  # what is drawn, read by the new network

    def _net_loaded(self, key: str, metrics: dict) -> None:
        """The digit network `key` reads now: the list shows it (a saved one that failed to load
        fell back to the shipped one), with its figures."""
        self._net_reading, self._net_metrics = key, metrics
        self.set_net(key, emit=False)
        self.show_net_score(metrics)
        if key in SHIPPED:  # the user's own file is named each run; a trained one is the Train page's
            self._saved_net = key

    def _on_failed(self, kind: str, message: str) -> None:
        if kind == P.SetDigitNet.kind:  # its file missing or damaged: the one reading stays, listed again
            self.say.emit(f"Could not load that digit network: {message}", 15000)
            self.set_net(self._net_reading, emit=False)
            self.show_net_score(self._net_metrics)

    # ---------------------------------------------------------------- kept between runs
    def restore(self, settings: QSettings) -> list[str]:
        state = settings.value("digits/columns")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)  # False, and nothing changed, for a damaged one
        pen = self.pen
        pen.setValue(read_int(settings, "digits/pen", pen.value(), pen.minimum(), pen.maximum()))
        self.steps_box.setChecked(read_bool(settings, "digits/steps", False))
        self._saved_net = read_choice(settings, "digits/net", DEFAULT, tuple(SHIPPED))
        if getattr(self, "_own_weights", None) is None:
            self.set_net(self._saved_net, emit=False)
            self._net_reading = self._saved_net
        self._kept = KeptDrawing(self.canvas, settings, "digits/drawing")
        self.canvas.settled.connect(self.edited)
        notices = [self._kept.restore(), self._restore_examples(settings)]
        return [n for n in notices if n]

    def save(self, settings: QSettings, closing: bool = False) -> None:
        if closing:
            settings.setValue("digits/columns", self.splitter.saveState())
            settings.setValue("digits/pen", self.pen.value())
            settings.setValue("digits/steps", self.steps_box.isChecked())
            settings.setValue("digits/net", self._saved_net)
        self._kept.store(always=closing)

    def plots(self) -> dict:
        return self.plot_views()
