"""The window's status bar: notices and errors (with a box for what does not fit), the networks and the
device that read, a failed request named."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app import worker as W
from app.boxes import wide_box
from engine.paths import assets_dir


class StatusLine:
    """A part of MainWindow (app/window.py), which it is mixed into."""

    def _say_side_by_side(self, n: int) -> None:
        """Once per drawing that grows a second digit beside the first: the network reads one."""
        if n > 1 and not self.side_by_side_said:
            self.statusBar().showMessage(
                f"That looks like {n} digits side by side: this network reads one digit at a time "
                "(the Number page, F3, reads a whole number)",
                8000,
            )
        self.side_by_side_said = n > 1

    def _on_failed(self, kind: str, message: str) -> None:
        if kind == W.PICTURE:
            self.pictures.failed(message)
            return
        if kind == W.DIGIT_NET:  # its file missing or damaged: the one reading stays, listed again
            self.say(f"Could not load that digit network: {message}", 15000)
            self.digits.set_net(self._net_reading, emit=False)
            self.digits.show_net_score(self._net_metrics)
            self._show_model()
            return
        if kind != W.LOAD:
            self.say(f"Error ({kind}): {message}", 15000)
            return
        # Nothing will answer a stroke or a keystroke: say so where the user looks, and how to mend it.
        self.load_failed = True
        self.device_label.setText("engines failed to load")
        self.awake.release()
        self.digits.pred_label.setText("Not loaded")
        self.text.editor.setPlaceholderText("The networks could not be loaded: nothing reads what you type.")
        assets = str(assets_dir())
        mend = (
            f"\nThe shipped weights are looked for in {assets}: reinstall the app, or set NNPG_ASSETS "
            "to a folder that holds digits.safetensors, number.safetensors, lexicon.tsv.gz and "
            "text_*.safetensors."
            if assets in message
            else ""
        )
        self.say(f"The networks could not be loaded.\n{message}{mend}", 0, box=True)

    def _models(self) -> list[str]:
        """The networks loaded ("CNN: <file>", "RNN: <cell>", "CRNN: <file>"), for the status bar and About."""
        names = (
            ("CNN", getattr(self, "_digits_name", None)),
            ("RNN", getattr(self, "_text_name", None)),
            ("CRNN", getattr(self, "_number_name", None)),
        )
        return [f"{label}: {name}" for label, name in names if name]

    def _show_model(self) -> None:
        """The status bar names the network of the page shown (Help > About names them all): all
        three did not leave room for a notice beside them."""
        label = self._page_roles[self.tabs.currentWidget()][2]
        self.model_label.setText(next((m for m in self._models() if m.startswith(f"{label}:")), ""))

    def _on_status(self, info: dict) -> None:
        if info.get("device") and not self.load_failed:
            self.device_label.setText(info["device"])
        if info.get("digits"):
            self._digits_name = info["digits"]
        if info.get("text"):
            self._text_name = info["text"]
        if info.get("number"):
            self._number_name = info["number"]
        self._show_model()
        if info.get("notice"):
            self.say(info["notice"], 10000)

    def say(self, text: str, ms: int, box: bool = False) -> None:
        """A notice or an error (one line per item) in the status bar for `ms` (0: until replaced);
        where it does not fit beside the status bar's labels (a file's path and its problem), or
        `box` asks, also in a box that stays until closed, so that it can be read whole. One box,
        updated: never a pile of them."""
        sb = self.statusBar()
        items = text.split("\n")
        line = "; ".join([i.removesuffix(".") for i in items[:-1]] + items[-1:])
        sb.showMessage(line, ms)
        labels = sum(w.width() for w in (self.model_label, self.device_label, self.latency_label))
        if not box and sb.fontMetrics().horizontalAdvance(line) <= sb.width() - labels - 24:
            return
        if self._notice_box is None:
            self._notice_box = wide_box(self, "Neural-network playground", icon=QMessageBox.Icon.Warning)
        self._notice_box.setText(text.replace("\n", "\n\n"))
        self._notice_box.show()
