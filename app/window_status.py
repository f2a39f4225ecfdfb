"""The window's status bar: notices and errors (with a box for what does not fit), the networks and the
device that read, a failed request named."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app import protocol as P
from app.boxes import wide_box
from engine.paths import assets_dir


class StatusLine:
    """A part of MainWindow (app/window.py), which it is mixed into."""

    def _on_failed(self, kind: str, message: str) -> None:
        if kind in (P.ReadPicture.kind, P.SetDigitNet.kind):  # said by the picture input, the page
            self._show_model()
            return
        if kind != P.LoadEngines.kind:
            self.say(f"Error ({kind}): {message}", 15000)
            return
        # Nothing will answer a stroke or a keystroke: say so where the user looks, and how to mend it.
        self.load_failed = True
        self.device_label.setText("engines failed to load")
        self.awake.release()
        for page in self.pages.values():
            page.engines_failed()
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
        """The networks loaded ("CNN: <file>", "Text: <cell>", "CRNN: <file>"), for the status bar and About."""
        return [f"{p.network}: {self._loaded[n]}" for n, p in self.pages.items() if self._loaded.get(n)]

    def _show_model(self) -> None:
        """The status bar names the network of the page shown (Help > About names them all): all
        three did not leave room for a notice beside them."""
        name = self.tabs.currentWidget().name
        loaded = self._loaded.get(name)
        self.model_label.setText(f"{self.pages[name].network}: {loaded}" if loaded else "")

    def _on_status(self, info: P.EngineStatus) -> None:
        """What the worker has loaded now: the network of each page by the page's name."""
        if info.device and not self.load_failed:
            self.device_label.setText(info.device)
        self._loaded.update({n: v for n, v in info.networks.items() if n in self.pages and v})
        self._show_model()
        if info.notice:
            self.say(info.notice, 10000)

    def say(self, text: str, ms: int, box: bool = False) -> None:
        """A notice or an error (one line per item) in the status bar for `ms` (0: until replaced);
        where it does not fit beside the status bar's labels (a file's path and its problem), or
        `box` asks, also in a box that stays until closed, so that it can be read whole. One box,
        updated: never a pile of them."""
        sb = self.statusBar()
        items = text.split("\n")
        line = "; ".join([i.removesuffix(".") for i in items[:-1]] + items[-1:])
        labels = sum(w.width() for w in (self.model_label, self.device_label, self.latency_label))
        room = sb.width() - labels - 24
        fits = sb.fontMetrics().horizontalAdvance(line) <= room
        sb.showMessage(line, ms)
        if not box and fits:
            return
        if self._notice_box is None:
            self._notice_box = wide_box(
                self, "Neural-network playground", icon=QMessageBox.Icon.Warning, keep=True
            )
        self._notice_box.setText(text.replace("\n", "\n\n"))
        self._notice_box.show()
