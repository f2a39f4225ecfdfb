"""The main window: Digits and Text pages, menus, status bar, and the engine worker."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QByteArray, QLockFile, QPoint, QRect, QSize, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QTextCursor,
)
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from app import worker as W
from app.about import show_about
from app.awake import AwakeWhileActive
from app.boxes import wide_box
from app.digits_page import DigitsPage
from app.edit_menu import EditMenu
from app.kept_drawing import KeptDrawing
from app.latency import PHASES, LatencyStats, now_ms
from app.number_page import NumberPage
from app.painting import LiveText
from app.picture_files import dropped_file
from app.pictures import PictureInput
from app.settings import open_settings, read_bool, read_choice, read_int
from app.shortcuts_help import show_shortcuts
from app.text_page import CELL_NAMES, TextPage
from app.things_to_try import show_things_to_try
from app.user_dictionary import UserDictionary
from app.user_words import words_path
from engine.digits.networks import CUSTOM as CUSTOM_NET
from engine.digits.networks import DEFAULT as DEFAULT_NET
from engine.digits.networks import SHIPPED as SHIPPED_NETS
from engine.paths import assets_dir

DEFAULT_SIZE = QSize(1400, 860)  # every view at a readable size, on a 1440x900 screen or larger
SCREEN_MARGIN = QSize(40, 60)  # room for the window's frame and title bar

DEVICES = (("Auto", "auto"), ("CPU", "cpu"), ("CUDA", "cuda"))
SAVE_SOON_MS = 2000  # the typed text and the drawings are saved this long after the last edit (and on close)
KEEP_TEXT_CHARS = 100_000  # the editor's text kept between runs, its end (1 MB took 240 ms to restore)
MOST_UNITS = 4095  # a saved followed unit past this is damage, not a bigger network
ICON_FILE = "nn-playground.svg"  # also the desktop entry's Icon= name (packaging/)


class MainWindow(QMainWindow):
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
        self.awake.set_enabled(read_bool(self.settings, "keep_cpus_awake", True))
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
    def _build_menus(self) -> None:
        m = self.menuBar().addMenu("&File")
        open_ = QAction("&Open picture...", self, shortcut=QKeySequence.StandardKey.Open)
        open_.setToolTip(
            "Read a photo, scan or screenshot of a digit (or drop one on the window); on the Number "
            "page, of a number"
        )
        open_.triggered.connect(lambda: self.pictures.open_dialog())
        m.addAction(open_)
        save = QAction("&Save plots as PNG...", self, shortcut=QKeySequence.StandardKey.Save)
        save.setToolTip("Save every plot of the current page as PNG files")
        save.triggered.connect(self.save_plots_dialog)
        m.addAction(save)
        m.addSeparator()
        # Ctrl+Q, not StandardKey.Quit: that is empty on some Linux desktops (and offscreen).
        quit_ = QAction("&Quit", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_.triggered.connect(self.close)
        m.addAction(quit_)

        self.edit_menu = EditMenu(self)  # undo, redo, copy, paste, clear: the shown page's

        v = self.menuBar().addMenu("&View")
        for i, name in enumerate(("&Digits", "&Text", "&Number")):
            a = QAction(name, self, shortcut=QKeySequence(f"F{i + 1}"))
            a.triggered.connect(lambda _=False, k=i: self.tabs.setCurrentIndex(k))
            v.addAction(a)

        d = self.menuBar().addMenu("De&vice")
        self.device_group = QActionGroup(self)
        # $NNPG_DEVICE picks the device for this run only: saved once the user picks from the menu.
        self._device_from_env = bool(os.environ.get("NNPG_DEVICE", "").strip())
        self.device_pref = (
            os.environ["NNPG_DEVICE"].strip().lower()
            if self._device_from_env
            else str(self.settings.value("device", "auto"))
        )
        for name, key in DEVICES:
            a = QAction(name, self, checkable=True)
            a.setData(key)
            a.setChecked(key == self.device_pref)
            a.triggered.connect(lambda _=False, k=key: self.set_device(k))
            self.device_group.addAction(a)
            d.addAction(a)
        d.addSeparator()
        self.awake_action = QAction("&Keep CPUs quick to wake while in use", self, checkable=True)
        self.awake_action.setChecked(self.awake.enabled)
        self.awake_action.toggled.connect(self.set_keep_awake)
        d.addAction(self.awake_action)
        d.setToolTipsVisible(True)
        self._show_awake_state()

        h = self.menuBar().addMenu("&Help")
        things = QAction("&Things to try", self)
        things.triggered.connect(lambda: show_things_to_try(self))
        h.addAction(things)
        keys = QAction("&Keyboard shortcuts", self)
        keys.triggered.connect(lambda: show_shortcuts(self))
        h.addAction(keys)
        about = QAction("&About", self)
        about.triggered.connect(lambda: show_about(self, self.device_label.text(), self._models()))
        h.addAction(about)

    def _restore(self) -> None:
        geo = self.settings.value("window/geometry")
        # Qt refuses a damaged one, and one saved on a larger screen than this (a laptop taken off
        # its monitor), leaving a 640x480 window: place it as on a first launch then.
        if not (isinstance(geo, QByteArray) and not geo.isEmpty() and self.restoreGeometry(geo)):
            self._first_placement()
        self.tabs.setCurrentIndex(read_int(self.settings, "window/page", 0, 0, self.tabs.count() - 1))
        for key, page in (("digits", self.digits), ("text", self.text)):
            state = self.settings.value(f"{key}/columns")
            if isinstance(state, QByteArray):
                page.splitter.restoreState(state)  # False, and nothing changed, for a damaged one
        pen = self.digits.pen
        pen.setValue(read_int(self.settings, "digits/pen", pen.value(), pen.minimum(), pen.maximum()))
        self.digits.steps_box.setChecked(read_bool(self.settings, "digits/steps", False))
        pen = self.number.pen
        pen.setValue(read_int(self.settings, "number/pen", pen.value(), pen.minimum(), pen.maximum()))
        units = {c: read_int(self.settings, f"text/unit_{c}", -1, -1, MOST_UNITS) for c in CELL_NAMES}
        self.text.set_units({c: u for c, u in units.items() if u >= 0})
        text = self.settings.value("text/content", "")
        if isinstance(text, str) and text:  # what was typed last time, caret at its end
            self.text.editor.setPlainText(text)
            self.text.editor.moveCursor(QTextCursor.MoveOperation.End)
        self._restore_notices = [n for n in (kept.restore() for kept in self._drawings) if n]

    def _first_placement(self) -> None:
        """The first launch: DEFAULT_SIZE, shrunk to the screen's free area (a 1366x768 laptop
        would otherwise hide the status bar and the canvas's buttons below its edge), centred."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(DEFAULT_SIZE)
            return
        free = screen.availableGeometry()
        size = DEFAULT_SIZE.boundedTo(free.size() - SCREEN_MARGIN).expandedTo(self.minimumSizeHint())
        self.resize(size)
        # The frame (title bar, borders) is not known before the window is shown: centre the client
        # area and leave the margin for it.
        self.move(free.center() - QRect(QPoint(0, 0), size).center())

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/page", self.tabs.currentIndex())
        self.settings.setValue("text/cell", self.text.cell)
        for c in CELL_NAMES:
            self.settings.setValue(f"text/unit_{c}", self.text.units.get(c, -1))
        self.settings.setValue("digits/columns", self.digits.splitter.saveState())
        self.settings.setValue("text/columns", self.text.splitter.saveState())
        self.settings.setValue("digits/pen", self.digits.pen.value())
        self.settings.setValue("digits/steps", self.digits.steps_box.isChecked())
        self.settings.setValue("number/pen", self.number.pen.value())
        self.settings.setValue("digits/net", self._digit_net)
        self._store_work(closing=True)
        if not self._device_from_env:
            self.settings.setValue("device", self.device_pref)
        self.settings.setValue("keep_cpus_awake", self.awake.enabled)
        self._sync()

    def _store_work(self, closing: bool = False) -> None:
        self._save_soon.stop()
        self.settings.setValue("text/content", self.text.editor.toPlainText()[-KEEP_TEXT_CHARS:])
        for kept in self._drawings:
            kept.store(always=closing)

    def _save_work(self) -> None:
        """The editor's text (its end) and the drawings onto disk SAVE_SOON_MS after the last
        edit or stroke, not only on close: a crash or a power cut loses at most that. ~5 ms for
        100 kB of text, at a pause."""
        self._store_work()
        self._sync()

    def _sync(self) -> None:
        """Save, and name a failed save in the status bar (and on stderr: on close the window
        is going)."""
        problem = self.settings.save()
        if problem and problem != self._save_problem:
            self.say(problem, 0)
            print(f"nn-playground: {problem}", file=sys.stderr)
        elif self._save_problem and not problem:
            self.say(f"Saved to {self.settings.fileName()} again", 5000)
        self._save_problem = problem

    def _settings_notice(self) -> str:
        if self.settings.notice:
            return self.settings.notice
        if not self.settings.isWritable():
            return f"{self.settings.fileName()} is read-only: changed settings will not be kept"
        if self.settings_shared:
            return (
                f"Another window of the playground uses {self.settings.fileName()}: the one closed last "
                "keeps its typed text and settings (--settings FILE gives this one its own)"
            )
        return ""

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

    def _say_side_by_side(self, n: int) -> None:
        """Once per drawing that grows a second digit beside the first: the network reads one."""
        if n > 1 and not self.side_by_side_said:
            self.statusBar().showMessage(
                f"That looks like {n} digits side by side: this network reads one digit at a time "
                "(the Number page, F3, reads a whole number)",
                8000,
            )
        self.side_by_side_said = n > 1

    def _record_latency(self, kind: str, seq: int) -> float:
        """Input-to-screen time of every request answered by result `seq` (newest last)."""
        t = now_ms()
        posted = self._posted[kind]
        tseq, started, done, received = self._timing.get(kind, (0, 0.0, 0.0, 0.0))
        if tseq == seq and seq in posted and started:
            for name, ms in zip(
                PHASES, (started - posted[seq], done - started, received - done, t - received), strict=True
            ):
                self.phases[kind][name].add(ms)
        lat = 0.0
        for s in [s for s in posted if s <= seq]:
            lat = t - posted.pop(s)
            self.latency[kind].add(lat)
        return lat

    def _digit_on_screen(self) -> None:
        seq, self._digit_shown = self._digit_shown, 0
        if seq:
            self.digitPainted.emit(seq, self._record_latency(W.DIGIT, seq))

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

    def _show_latency(self) -> None:
        st = self.latency[self._page_roles[self.tabs.currentWidget()][1]]
        if len(st):
            p50, p95 = st.percentiles()
            self.latency_label.setText(f"latency p50 {p50:.1f} ms  p95 {p95:.1f} ms")

    # ---------------------------------------------------------------- export and close
    def plot_widgets(self) -> dict[str, QWidget]:
        page = self.tabs.currentWidget()
        if page is self.digits:
            d = self.digits
            out = {
                "input": d.input_panel,
                "probabilities": d.probs_plot,
                "history": d.hist_view,
                "layers": d.layers,
            }
            if d.detail_map.image is not None:  # a map is shown large: it, its kernel, its input window
                out.update(
                    detail_map=d.detail_map, detail_kernel=d.detail_kernel, detail_input=d.detail_window
                )
            return out
        if page is self.number:
            return {"columns": self.number.view, "canvas": self.number.canvas}
        out = {"hidden": self.text.hidden_panel, "next_char": self.text.next_plot}
        out.update({f"gate_{k}": p for k, p in self.text._gate_panels.items()})
        if self.text.unit_view.rows:  # a unit is followed
            out["unit"] = self.text.unit_view
        if self.text.influence_view.rows:  # each letter's pull on the next guess, once there is text
            out["pull"] = self.text.influence_view
        return out

    # A picture of a digit dropped anywhere on the window is read (app/pictures.py).
    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if dropped_file(e.mimeData()):
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        path = dropped_file(e.mimeData())
        if path:
            e.acceptProposedAction()
            self.pictures.open(path)

    def save_plots(self, folder: str) -> list[str]:
        """Save the current page's plots as `<page>-<date>-<time>-<plot>.png`: a new set each time,
        never over an earlier one."""
        page = self._page_roles[self.tabs.currentWidget()][0]
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
