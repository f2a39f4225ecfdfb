"""The main window, a shell: a tab for each page of app/pages.py, the menus, the status bar and the
engine client the pages talk through."""

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
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from app import protocol as P
from app.answer_timing import AnswerTiming
from app.engine_client import EngineClient
from app.explain_line import ExplainLine
from app.guide import WelcomeBar, show_guide
from app.page import Page
from app.pages import PAGES
from app.painting import LiveText
from app.picture_files import dropped_file
from app.pictures import PictureInput
from app.plot_saving import PlotSaving
from app.settings import open_settings, read_bool
from app.status_bar import StatusBar
from app.tuning import enabled as tuning_enabled
from app.tuning.awake import AwakeWhileActive
from app.window_menus import WindowMenus
from app.window_state import KeptState
from app.window_status import StatusLine
from engine.paths import assets_dir

SAVE_SOON_MS = 2000  # the typed text and the drawings are saved this long after the last edit (and on close)
ICON_FILE = "nn-playground.svg"  # also the desktop entry's Icon= name (packaging/)


class MainWindow(WindowMenus, KeptState, PlotSaving, AnswerTiming, StatusLine, QMainWindow):
    """Signals `digitPainted(seq, latency_ms)` once a digit result is on screen."""

    digitPainted = Signal(int, float)
    engineReady = Signal(object)  # EnginesLoaded

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
        self.ready = False
        self._loaded: dict[str, str] = {}  # page name -> the network it reads with (EngineStatus)
        self.load_failed = False  # the engines' load raised: nothing answers (_on_failed)
        self._notice_box: QMessageBox | None = None  # see say()

        self.client = EngineClient(self)
        self.client.failed.connect(self._on_failed)
        self.client.status.connect(self._on_status)
        self.client.subscribe(P.EnginesLoaded, self._on_loaded)
        self.client.subscribe(P.DeviceSet, self._on_device_set)
        self.tabs = QTabWidget()
        self.pages: dict[str, Page] = {}
        for make in PAGES:
            page = make()
            self.pages[page.name] = page
            i = self.tabs.addTab(page, page.title)
            self.tabs.setTabToolTip(i, page.tip)
            page.say.connect(self.say)
            page.loading.connect(self.model_label_loading)
            page.named.connect(lambda text, name=page.name: self._network_named(name, text))
        # The three first pages by name, for the features that span them (pictures, the Edit menu).
        self.digits, self.text, self.number = self.pages["digits"], self.pages["text"], self.pages["number"]
        # The tabs, with a first start's welcome above and what the pointer is at below.
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.welcome = WelcomeBar(lambda: show_guide(self))
        self.welcome.closed.connect(lambda: self.settings.setValue("guide/welcomed", True))
        self.welcome.setVisible(not read_bool(self.settings, "guide/welcomed", False))
        self.explain = ExplainLine(self)
        self.explain.set_on(read_bool(self.settings, "view/explain", True))
        lay.addWidget(self.welcome)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.explain)
        self.setCentralWidget(central)
        if "train" in self.pages:  # a network trained there reads the Digits page's drawing
            self.pages["train"].useNetwork.connect(self._use_trained)
            self.pages["train"].drawing_source = self._digits_input

        self.device_label = QLabel("device: starting...")
        self.model_label = QLabel("")
        self.latency_label = LiveText("", name="Latency")
        self.device_label.setToolTip("Where the networks run: the CPU or a CUDA GPU")
        self.model_label.setToolTip("The network this page runs (Help > About names them all)")
        self.latency_label.setToolTip("Time from your input to the painted result, p50 / p95 of the last 100")
        self.latency_label.setMinimumWidth(
            self.latency_label.fontMetrics().horizontalAdvance("latency p50 000.0 ms  p95 000.0 ms")
        )
        sb = StatusBar()
        self.setStatusBar(sb)
        sb.addPermanentWidget(self.model_label)
        sb.addPermanentWidget(self.device_label)
        sb.addPermanentWidget(self.latency_label)
        sb.showMessage("Loading the networks...")
        # Idle CPUs polled rather than halted while the engines load and while the user is at it
        # (app/tuning/awake.py). Off unless the user turns it on: it helps a virtual machine's idle
        # CPUs, not a desktop's.
        self.awake = AwakeWhileActive(self)
        # The user's choice, kept as it is while NNPG_TUNING turns the item off for a run.
        self.keep_awake_choice = read_bool(self.settings, "keep_cpus_awake", False)
        self.awake.set_enabled(self.keep_awake_choice and tuning_enabled("cpu_latency"))
        self.awake.hold()
        self._set_up_timing()  # before the pages subscribe: an answer is timed as received first
        for page in self.pages.values():
            page.attach(self.client)
        self.pictures = PictureInput(self, self.client)  # File > Open picture, a file dropped, Ctrl+V
        self.setAcceptDrops(True)
        for page in (self.digits, self.number):
            page.paste_key.activated.connect(self.pictures.paste)
            page.copy_key.activated.connect(self.pictures.copy)
        self._save_soon = QTimer(self)
        self._save_soon.setSingleShot(True)
        self._save_soon.setInterval(SAVE_SOON_MS)
        self._save_soon.timeout.connect(self._save_work)
        digits_weights = digits_weights or os.environ.get("NNPG_DIGITS_WEIGHTS")
        if digits_weights:  # the user's own network, listed first and reading (the list can swap it)
            self.digits.use_own_weights(digits_weights)
        self._build_menus()
        self._restore()
        # A page shown by F1/F2, its tab or the saved settings takes the keyboard at once (after F2
        # the letters typed went nowhere: the focus stayed on the hidden page).
        self.tabs.currentChanged.connect(lambda i: self.tabs.widget(i).setFocus())
        self.tabs.currentChanged.connect(lambda _i: self._show_model())
        self.tabs.currentWidget().setFocus()
        for page in self.pages.values():
            page.edited.connect(self._save_soon.start)  # after the restore's own changes
        choices: dict = {}
        for page in self.pages.values():
            choices.update(page.load_choices())
        self.client.post(P.LoadEngines(device=self.device_pref, **choices))
        self._latency_timer = QTimer(self)
        self._latency_timer.timeout.connect(self._show_latency)
        self._latency_timer.start(500)

    # ---------------------------------------------------------------- menus and settings
    def page(self, name: str) -> Page:
        return self.pages[name]

    def set_device(self, key: str) -> None:
        self._device_from_env = False  # the user's own choice from now on
        self._check_device(key)
        self.client.post(P.SetDevice(key))

    def _check_device(self, key: str) -> None:
        self.device_pref = key
        for a in self.device_group.actions():
            a.setChecked(a.data() == key)

    def _tick_running(self, wanted: str, running: str) -> None:
        """The Device menu ticks what runs: Auto says what it picked; a device asked for and not
        had here (CUDA without a GPU) gives way to the one that runs, which is then saved."""
        auto = next(a for a in self.device_group.actions() if a.data() == "auto")
        auto.setText(f"Auto ({running.upper() if running != 'cuda' else 'CUDA'})")
        if wanted != "auto" and wanted.split(":")[0] != running:
            wanted = running
        self._check_device(wanted)

    def _on_device_set(self, _seq: int, r: P.DeviceSet) -> None:
        self._tick_running(self.device_pref, r.device_type)

    def set_keep_awake(self, on: bool) -> None:
        self.keep_awake_choice = on
        self.awake.set_enabled(on)
        if on:
            self.awake.poke()
        self._show_awake_state()

    def _show_awake_state(self) -> None:
        why = self.awake.why_not
        if not tuning_enabled("cpu_latency"):
            why = "NNPG_TUNING turns it off for this run (your choice is kept)"
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

    def _digits_input(self):
        """The Digits page's drawing as its network read it (28x28), or None with nothing drawn."""
        res = self.digits.result
        return None if res is None or res.empty else res.input

    def _use_trained(self, path: str, label: str) -> None:
        self.tabs.setCurrentWidget(self.digits)
        self.digits.add_network(path, label)

    def _network_named(self, page: str, text: str) -> None:
        self._loaded[page] = text
        self._show_model()

    def model_label_loading(self, text: str) -> None:
        self.model_label.setText(text)

    # ---------------------------------------------------------------- the engines loaded
    def _on_loaded(self, _seq: int, loaded: P.EnginesLoaded) -> None:
        self.ready = True
        self.awake.poke()  # the load's hold lapses unless the user is at it
        self._tick_running(loaded.device_pref, loaded.device_type)  # "auto" for a bad one
        notices = [n for n in (loaded.notice, self._settings_notice(), *self._restore_notices) if n]
        if notices:  # what was asked for and could not be had stays readable
            self.say("\n".join(notices), 15000)
        else:
            self.statusBar().showMessage("Ready: draw a digit, type some text or write a number", 5000)
        for page in self.pages.values():  # each builds what needs the engines, reads what waited
            page.engines_ready(loaded)
        self.engineReady.emit(loaded)

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
        for page in self.pages.values():
            page.close_down()
        self._latency_timer.stop()
        self.awake.release()
        # Closed while the engines load, the worker finishes importing torch first (2-3 s here):
        # gone from the screen at once, the wait is not a frozen window.
        self.hide()
        QGuiApplication.sync()
        self.client.stop()
        self._settings_lock.unlock()  # (a no-op for a window that did not hold it)
        super().closeEvent(e)
