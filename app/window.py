"""The main window: Digits and Text pages, menus, status bar, and the engine worker."""

from __future__ import annotations

import os

from PySide6.QtCore import QLockFile, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
)
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget

from app import worker as W
from app.answer_timing import AnswerTiming
from app.digits_page import DigitsPage
from app.kept_drawing import KeptDrawing
from app.latency import PHASES, LatencyStats, now_ms
from app.number_page import NumberPage
from app.painting import LiveText
from app.picture_files import dropped_file
from app.pictures import PictureInput
from app.plot_saving import PlotSaving
from app.settings import open_settings, read_bool, read_choice
from app.text_page import CELL_NAMES, TextPage
from app.tuning import enabled as tuning_enabled
from app.tuning.awake import AwakeWhileActive
from app.user_dictionary import UserDictionary
from app.user_words import words_path
from app.window_menus import WindowMenus
from app.window_state import KeptState
from app.window_status import StatusLine
from engine.digits.networks import CUSTOM as CUSTOM_NET
from engine.digits.networks import DEFAULT as DEFAULT_NET
from engine.digits.networks import SHIPPED as SHIPPED_NETS
from engine.paths import assets_dir

SAVE_SOON_MS = 2000  # the typed text and the drawings are saved this long after the last edit (and on close)
ICON_FILE = "nn-playground.svg"  # also the desktop entry's Icon= name (packaging/)


class MainWindow(WindowMenus, KeptState, PlotSaving, AnswerTiming, StatusLine, QMainWindow):
    """Signals `digitPainted(seq, latency_ms)` once a digit result is on screen."""

    digitPainted = Signal(int, float)
    corrected = Signal(bool)
    engineReady = Signal(dict)

    def __init__(self, settings_path: str | None = None, digits_weights: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Neural-network playground")
        # The application's icon, so the dialogs and message boxes carry it too (if the file is
        # missing: the desktop's default, nothing worse).
        icon = assets_dir() / ICON_FILE
        if icon.is_file():
            QGuiApplication.setWindowIcon(QIcon(str(icon)))
        self.settings = open_settings(settings_path)
        self._save_problem = ""  # what went wrong at the last save, "" when it went well
        # A second window on the same settings file (a second launch) is told so: both save the
        # typed text and the settings, and the one closed last wins.
        # Not "<file>.lock": QSettings takes that one for each write, and waited on this forever.
        # Beside a path that is not written (/dev/null), the lock goes into the private folder.
        lock_path = self.settings.fileName() + ".in-use"
        self._settings_lock = QLockFile(
            lock_path if not self.settings.problem else self.settings.scratch_lock()
        )
        self._settings_lock.setStaleLockTime(0)  # a crashed owner's lock is taken over (its PID is gone)
        self.settings_shared = (
            not self._settings_lock.tryLock(0)
            and self._settings_lock.error() == QLockFile.LockError.LockFailedError  # not: no right to write
        )
        kinds = (W.DIGIT, W.TEXT, W.NUMBER)
        self.latency = {k: LatencyStats() for k in kinds}
        # Where the time of each painted update went (PHASES), for the latency benchmark.
        self.phases = {k: {p: LatencyStats() for p in PHASES} for k in kinds}
        self._timing: dict[str, tuple[int, float, float, float]] = {}
        self._posted: dict[str, dict[int, float]] = {k: {} for k in kinds}
        self._painted = dict.fromkeys(kinds, 0)
        self.ready = False
        self.load_failed = False  # the engines' load raised: nothing answers (_on_failed)
        self._notice_box: QMessageBox | None = None  # see say()

        self.digits = DigitsPage()
        self.text = TextPage()
        self.number = NumberPage()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.digits, "&Digits")
        self.tabs.addTab(self.text, "&Text")
        self.tabs.addTab(self.number, "&Number")
        # The shortcuts named here are the View menu's (_build_menus).
        self.tabs.setTabToolTip(0, "Draw a digit and watch a convolutional network read it (F1)")
        self.tabs.setTabToolTip(1, "Type text and watch a recurrent network read it letter by letter (F2)")
        self.tabs.setTabToolTip(
            2, "Write a number and watch a CNN + RNN hybrid (CRNN) read all of its digits (F3)"
        )
        # Each page's name (saved plots), request kind (latency) and network (the status bar).
        self._page_roles = {
            self.digits: ("digits", W.DIGIT, "CNN"),
            self.text: ("text", W.TEXT, "RNN"),
            self.number: ("number", W.NUMBER, "CRNN"),
        }
        self.setCentralWidget(self.tabs)
        self.pictures = PictureInput(self)  # File > Open picture, a file dropped, Ctrl+V
        self.setAcceptDrops(True)
        self.digits.paste_key.activated.connect(self.pictures.paste)
        self.number.paste_key.activated.connect(self.pictures.paste)
        self.digits.copy_key.activated.connect(self.pictures.copy)
        self.number.copy_key.activated.connect(self.pictures.copy)

        self.device_label = QLabel("device: starting...")
        self.model_label = QLabel("")
        self.latency_label = LiveText("", name="Latency")
        self.device_label.setToolTip("Where the networks run: the CPU or a CUDA GPU")
        self.model_label.setToolTip("The network this page runs (Help > About names them all)")
        self.latency_label.setToolTip("Time from your input to the painted result, p50 / p95 of the last 100")
        self.latency_label.setMinimumWidth(
            self.latency_label.fontMetrics().horizontalAdvance("latency p50 000.0 ms  p95 000.0 ms")
        )
        sb = self.statusBar()
        sb.addPermanentWidget(self.model_label)
        sb.addPermanentWidget(self.device_label)
        sb.addPermanentWidget(self.latency_label)
        sb.showMessage("Loading the networks...")
        # Idle CPUs polled rather than halted while the engines load and while the user is at it:
        # see engine/machine.py's CpuLatencyRequest.
        self.awake = AwakeWhileActive(self)
        # Off unless the user turns it on: it helps a virtual machine's idle CPUs, not a desktop's.
        self.awake.set_enabled(
            read_bool(self.settings, "keep_cpus_awake", False) and tuning_enabled("cpu_latency")
        )
        self.awake.hold()
        self._save_soon = QTimer(self)
        self._save_soon.setSingleShot(True)
        self._save_soon.setInterval(SAVE_SOON_MS)
        self._save_soon.timeout.connect(self._save_work)
        # The drawings on the Digits and Number pages are kept as the typed text is.
        self._drawings = [
            KeptDrawing(self.digits.canvas, self.settings, "digits/drawing"),
            KeptDrawing(self.number.canvas, self.settings, "number/drawing"),
        ]
        self._restore_notices: list[str] = []
        self.dictionary = UserDictionary(
            None if self.settings.problem else words_path(self.settings.fileName()), self
        )
        self.text.set_dictionary(self.dictionary)
        self.dictionary.problem.connect(lambda m: self.say(m, 8000))
        self._build_menus()
        self._restore()
        # A page shown by F1/F2, its tab or the saved settings takes the keyboard at once (after F2
        # the letters typed went nowhere: the focus stayed on the hidden page).
        self.tabs.currentChanged.connect(lambda i: self.tabs.widget(i).setFocus())
        self.tabs.currentChanged.connect(lambda _i: self._show_model())
        self.tabs.currentWidget().setFocus()
        self.text.editor.textChanged.connect(self._save_soon.start)  # after the restore's own change
        for kept in self._drawings:
            kept.canvas.settled.connect(self._save_soon.start)

        self.engine = W.WorkerThread()
        wk = self.engine.worker
        wk.resultReady.connect(self._on_result)
        wk.newestReady.connect(self._on_newest)
        wk.failed.connect(self._on_failed)
        wk.status.connect(self._on_status)
        self.digits.canvasChanged.connect(lambda c: self._post(W.DIGIT, c))
        self.number.canvasChanged.connect(lambda c: self._post(W.NUMBER, c))
        self.number.canvasSettled.connect(lambda c: self._post(W.NUMBER_CUT, c))
        self._digit_shown = 0
        self.side_by_side_said = False  # the hint for two digits drawn side by side is showing
        self.digits.probs_plot.painted.connect(self._digit_on_screen)
        self.text.textRequest.connect(lambda p: self._post(W.TEXT, p))
        self.text.correctRequest.connect(lambda p: self._post(W.CORRECT, p))
        self.text.influenceRequest.connect(lambda p: self._post(W.INFLUENCE, p))
        self.text.cellChanged.connect(self._on_cell)
        self.text.set_cell(read_choice(self.settings, "text/cell", "lstm", tuple(CELL_NAMES)))
        self.digits.netChanged.connect(self._on_digit_net)
        digits_weights = digits_weights or os.environ.get("NNPG_DIGITS_WEIGHTS")
        if digits_weights:  # the user's own network, listed first and reading (the list can swap it)
            self.digits.add_custom_net(os.path.basename(digits_weights))
        self._digit_net = read_choice(self.settings, "digits/net", DEFAULT_NET, tuple(SHIPPED_NETS))
        self._net_reading, self._net_metrics = self._digit_net, {}  # as the worker last confirmed
        self.digits.set_net(CUSTOM_NET if digits_weights else self._digit_net, emit=False)
        wk.post(
            W.LOAD,
            {
                "device": self.device_pref,
                "cell": self.text.cell,
                "digits_weights": digits_weights,
                "digits_net": self._digit_net,
            },
        )
        # The user's dictionary goes to the worker now (answered after the load) and at each change.
        self.dictionary.changed.connect(lambda words: self._post(W.USER_WORDS, words))
        wk.post(W.USER_WORDS, sorted(self.dictionary.words))
        self._latency_timer = QTimer(self)
        self._latency_timer.timeout.connect(self._show_latency)
        self._latency_timer.start(500)

    # ---------------------------------------------------------------- menus and settings
    def set_device(self, key: str) -> None:
        self._device_from_env = False  # the user's own choice from now on
        self._check_device(key)
        self.engine.worker.post(W.DEVICE, key)

    def _check_device(self, key: str) -> None:
        self.device_pref = key
        for a in self.device_group.actions():
            a.setChecked(a.data() == key)

    def set_keep_awake(self, on: bool) -> None:
        self.awake.set_enabled(on)
        if on:
            self.awake.poke()
        self._show_awake_state()

    def _show_awake_state(self) -> None:
        why = self.awake.why_not
        a = self.awake_action
        if why:  # greyed and unticked, quietly: most desktops refuse it, and the saved choice stays
            a.blockSignals(True)
            a.setChecked(False)
            a.blockSignals(False)
            a.setEnabled(False)
            a.setToolTip(f"Not available here: {why}.")
        else:
            a.setToolTip(
                "While you draw or type (and 2 s after), idle CPUs poll instead of sleeping, so the "
                "window answers without waiting for a CPU to wake. Costs power while in use."
            )

    def _on_digit_net(self, key: str) -> None:
        self.model_label.setText("loading...")
        self.engine.worker.post(W.DIGIT_NET, key)

    def _on_cell(self, cell: str) -> None:
        self.model_label.setText(f"loading {cell}...")
        self.engine.worker.post(W.CELL, cell)

    # ---------------------------------------------------------------- requests and results
    def _post(self, kind: str, payload) -> int:
        t = now_ms()  # before posting: the worker may start on it at once
        if self.ready:  # while the engines load, the load's hold() stands until their result
            self.awake.poke()
        seq = self.engine.worker.post(kind, payload)
        if kind in self._posted and self.ready:  # before that, the wait is the engines loading
            self._posted[kind][seq] = t
        return seq

    def _on_newest(self, kind: str) -> None:
        got = self.engine.worker.take_newest(kind)
        if got is not None:
            self._on_result(kind, *got)

    def _on_result(self, kind: str, seq: int, result) -> None:
        if kind == W.LOAD:
            self.digits.prepare(result["warmup"])
            self._digit_net_loaded(result.get("digits_net", DEFAULT_NET), result.get("digits_metrics", {}))
            self.text.set_found_units(result.get("found_units", {}))
            self.ready = True
            self.awake.poke()  # the load's hold lapses unless the user is at it
            self._check_device(result.get("device_pref", self.device_pref))  # "auto" for a bad one
            notices = [
                n
                for n in (
                    result.get("notice"),
                    self._settings_notice(),
                    *self._restore_notices,
                    self.dictionary.load_problem,
                )
                if n
            ]
            if notices:  # what was asked for and could not be had stays readable
                self.say("\n".join(notices), 15000)
            else:
                self.statusBar().showMessage("Ready: draw a digit, type some text or write a number", 5000)
            self.engineReady.emit(result)
            # Whatever was drawn or typed while loading is computed now.
            self.digits._on_canvas()
            self.text._on_text()
            self.number.reread()
            return
        if kind in W.LATEST_ONLY:
            if seq < self._painted[kind]:
                return  # stale: a newer result is already on screen
            self._painted[kind] = seq
            self._timing[kind] = (seq, result.get("started_ms", 0.0), result.get("done_ms", 0.0), now_ms())
            shown = next(p for p, role in self._page_roles.items() if role[1] == kind).isVisible()
            if not shown:
                # Read for a page not on screen (a kept drawing read once the engines load): no
                # input-to-screen time. Timed, the Digits page's waited for its next paint, when
                # the user turned to it seconds later ("p95 7115 ms").
                for s in [s for s in self._posted[kind] if s <= seq]:
                    del self._posted[kind][s]
            # Paint the answer itself now (the rest repaints on the next turn of the event loop), so
            # that the latency below is input-to-answer-on-screen.
            if kind == W.DIGIT:
                # Timed when the probability bars have painted it (see _digit_on_screen).
                self._digit_shown = seq if shown else 0
                self.digits.show_result(result["result"])
                self._say_side_by_side(result.get("digits", 1))
            elif kind == W.NUMBER:
                self.number.show_result(result["result"])
                self.number.answer.repaint()  # on screen now, then timed
                self._record_latency(W.NUMBER, seq)
            else:
                self.text.show_text_result(result)
                self.text.suggestions.viewport().repaint()  # on screen now, then timed
                self._record_latency(W.TEXT, seq)
        elif kind == W.DIGIT_NET:
            self.digits.prepare(result["warmup"])
            self._digit_net_loaded(result["net"], result["metrics"])
            self.digits._on_canvas()  # what is drawn, read by the new network
            self.number.reread()  # its CNN-alone reading uses the digit network too
        elif kind == W.CORRECT:
            self.corrected.emit(self.text.apply_correction(result))
        elif kind == W.NUMBER_CUT:
            self.number.show_cut(result)
        elif kind == W.INFLUENCE:
            self.text.show_influence(result)
        elif kind == W.PICTURE:
            self.pictures.read(result)

    def _digit_net_loaded(self, key: str, metrics: dict) -> None:
        """The digit network `key` reads now: the list shows it (a saved one that failed to load
        fell back to the shipped one), with its figures."""
        self._net_reading, self._net_metrics = key, metrics
        self.digits.set_net(key, emit=False)
        self.digits.show_net_score(metrics)
        if key != CUSTOM_NET:
            self._digit_net = key  # saved: the user's own file is named on the command line each time

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if dropped_file(e.mimeData()):
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        path = dropped_file(e.mimeData())
        if path:
            e.acceptProposedAction()
            self.pictures.open(path)

    def closeEvent(self, e: QCloseEvent) -> None:
        self.save_settings()
        self._latency_timer.stop()
        self.awake.release()
        # Closed while the engines load, the worker finishes importing torch first (2-3 s here):
        # gone from the screen at once, the wait is not a frozen window.
        self.hide()
        QGuiApplication.sync()
        self.engine.stop()
        self._settings_lock.unlock()  # (a no-op for a window that did not hold it)
        super().closeEvent(e)
