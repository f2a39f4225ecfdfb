"""Teaching the Digits page your handwriting: Ctrl+0 ... Ctrl+9 (or a click on a digit's bar) keeps
the drawing as an example of that digit; Ctrl+E opens your examples and Teach (app/digits/teach_dialog.py).
A part of DigitsPage (app/digits/page.py), which it is mixed into."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton

from app.digits.examples import FILE_NAME, ExampleStore
from engine.digits.networks import CUSTOM, SHIPPED
from engine.paths import assets_dir


class DigitsTeaching:
    """See the module docstring."""

    def _set_up_teaching(self) -> QPushButton:
        self.examples: ExampleStore | None = None
        self.teach_dialog = None
        for d in range(10):
            QShortcut(QKeySequence(f"Ctrl+{d}"), self, lambda d=d: self.keep_example(d))
        QShortcut(QKeySequence("Ctrl+E"), self, self.show_examples)
        self.probs_plot.digitClicked.connect(self.keep_example)
        self.examples_btn = QPushButton("Examples…")
        self.examples_btn.setToolTip("The drawings you told it the right digit for (Ctrl+0 ... Ctrl+9, or click "
                                     "that digit's bar), and Teach: fine-tune it on them (Ctrl+E)")  # fmt: skip
        self.examples_btn.clicked.connect(self.show_examples)
        return self.examples_btn

    def _restore_examples(self, settings: QSettings) -> str | None:
        folder = Path(settings.fileName()).parent if settings.fileName() else Path.home()
        self.examples = ExampleStore(folder / FILE_NAME)
        notice = self.examples.load()
        self._count_examples()
        return notice

    def _count_examples(self) -> None:
        n = len(self.examples) if self.examples is not None else 0
        self.examples_btn.setText(f"Examples ({n})…" if n else "Examples…")

    def keep_example(self, digit: int) -> None:
        """The drawing now, kept as an example of `digit`."""
        res = self.result
        if self.examples is None or res is None or res.empty:
            self.say.emit("Draw a digit first, then tell it which digit it is (Ctrl+0 ... Ctrl+9)", 6000)
            return
        try:
            self.examples.add(self.canvas.image.copy(), digit)
        except ValueError as exc:
            self.say.emit(str(exc), 8000)
            return
        problem = self.examples.save()
        read = int(res.probs.argmax())
        how = "it read it right" if read == digit else f"it read a {read}"
        self.say.emit(
            problem
            or f"Kept as a {digit} ({how}); {len(self.examples)} examples: Ctrl+E to see them and teach it",
            8000,
        )
        self._count_examples()
        if self.teach_dialog is not None:
            self.teach_dialog.refresh()

    def current_weights(self) -> Path:
        """The file of the network reading now."""
        key = self._net_reading
        if key in self._trained:
            return Path(self._trained[key])
        if key == CUSTOM and getattr(self, "_own_weights", None):
            return Path(self._own_weights)
        return assets_dir() / SHIPPED.get(key, SHIPPED["relu-max"])[0]

    def show_examples(self) -> None:
        from app.digits.teach_dialog import TeachDialog

        if self.examples is None:
            return
        if self.teach_dialog is None:
            self.teach_dialog = TeachDialog(self.examples, self.current_weights, self)
            self.teach_dialog.useNetwork.connect(lambda path, label: self.add_network(path, label, "taught"))
            self.teach_dialog.changed.connect(self._count_examples)
            self.teach_dialog.say.connect(self.say)
        self.teach_dialog.refresh()
        self.teach_dialog.show()
        self.teach_dialog.raise_()

    def close_down(self) -> None:
        if self.teach_dialog is not None:
            self.teach_dialog.close_down()  # quitting mid-teaching ends its process
