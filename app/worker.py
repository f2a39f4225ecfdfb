"""The engine worker: one QObject on one QThread that owns the engines and the torch device.

The GUI never calls the engines. It posts requests into a Mailbox (latest wins per kind) and the
worker, woken by one queued signal, computes the newest and emits (kind, seq, result). Answers to
drawing and typing go back the same way, latest wins: when the GUI falls behind (a slow spell of
the machine), it paints only the newest answer, not every one queued behind it. Torch is
imported inside the worker thread, so the window is up before torch has finished importing.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import deque
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app import protocol as P
from app.engine_loading import EngineLoading
from app.latency import now_ms
from app.mailbox import Mailbox
from engine.bad_file import UserError


class EngineWorker(EngineLoading, QObject):
    """Lives on its own thread; see the module docstring."""

    wake = Signal()
    resultReady = Signal(int, object)  # seq, a protocol Result (numpy copies / plain data)
    newestReady = Signal(str)  # a LATEST_ONLY answer of this kind waits: take it with take_newest
    failed = Signal(str, str)  # request kind, message
    status = Signal(object)  # a protocol EngineStatus

    def __init__(self) -> None:
        super().__init__()
        self.mailbox = Mailbox(priority=P.PRIORITY, queued=P.QUEUED, low=P.LOW)
        self.digits = None
        self.text = None
        self.number = None
        self.device = None
        self._abort = False
        self._text_engines: dict[str, Any] = {}
        self._digit_engines: dict[str, Any] = {}  # per engine.digits.networks key, loaded on first use
        self._custom_weights: str | None = None  # the user's digit weights file, if one was given
        self._digit_check = None  # names ink that is no digit, for every digit network and the CRNN
        self._compare = None  # the Compare page's two networks, loaded on its first drawing
        self._user_words: set[str] = set()  # shared by every cell's engine; changed here only
        self._outbox: dict[str, tuple[int, Any]] = {}
        self._outbox_lock = threading.Lock()
        # (kind, started, done, CPU ms of this thread) of recent drawing and typing requests: the
        # same computation every time, so its CPU time gauges the machine's speed (benchmarks.app).
        self.compute_log: deque[tuple[str, float, float, float]] = deque(maxlen=20_000)
        self.wake.connect(self._drain)  # queued: the signal is emitted from the GUI thread
        self._gui_tid = threading.get_native_id()  # built on the GUI thread (see _load)

    def post(self, request: P.Request) -> int:
        """Called from the GUI thread: store the newest request and wake the worker if needed."""
        seq, wake = self.mailbox.post(request.kind, request)
        if wake:
            self.wake.emit()
        return seq

    def take_newest(self, kind: str) -> tuple[int, Any] | None:
        """Called from the GUI thread: (seq, result) of the newest answer of `kind` not yet taken."""
        with self._outbox_lock:
            return self._outbox.pop(kind, None)

    def _deliver(self, kind: str, seq: int, result: P.Result) -> None:
        if kind not in P.LATEST_ONLY:
            self.resultReady.emit(seq, result)
            return
        with self._outbox_lock:
            waiting = kind in self._outbox  # its signal is queued already and will take this one
            self._outbox[kind] = (seq, result)
        if not waiting:
            self.newestReady.emit(kind)

    def abort(self) -> None:
        self._abort = True
        self.mailbox.clear()

    @Slot()
    def _drain(self) -> None:
        # Engines (and torch) are first imported here, on the worker thread.
        while not self._abort:
            req = self.mailbox.take()
            if req is None:
                return
            try:
                t0, cpu0 = now_ms(), time.thread_time()
                result = self._handle(req.payload)
                if result is not None and not self._abort:
                    # When, on the shared clock: the benchmark splits latency into its phases.
                    result.started_ms, result.done_ms = t0, now_ms()
                    if req.kind in P.LATEST_ONLY:
                        self.compute_log.append((req.kind, t0, now_ms(), (time.thread_time() - cpu0) * 1e3))
                    self._deliver(req.kind, req.seq, result)
            except Exception as exc:  # the app must keep running: report and go on
                if isinstance(exc, UserError):  # a bad file or device name: it says itself, no traceback
                    print(f"nn-playground: {exc}", file=sys.stderr)
                    self.failed.emit(req.kind, str(exc))
                else:
                    traceback.print_exc()
                    self.failed.emit(req.kind, f"{type(exc).__name__}: {exc}")

    def _handle(self, req: P.Request) -> P.Result | None:
        handler = self._handlers().get(type(req))
        if handler is None:
            raise ValueError(f"unknown request {type(req).__name__}")
        return handler(req)

    def _handlers(self) -> dict[type, Any]:
        """One handler per request kind; each returns its result, or None where the engine it needs
        is not loaded (a request made while the load failed)."""
        return {
            P.LoadEngines: self._load,
            P.SetDevice: lambda r: self._set_device(r.device),
            P.SetCell: lambda r: self._set_cell(r.cell),
            P.SetDigitNet: lambda r: self._set_digit_net(r.net, r.path),
            P.SetUserWords: self._set_user_words,
            P.ReadDigit: self._read_digit,
            P.ReadNumber: lambda r: None if self.number is None else P.NumberRead(self.number.read(r.canvas)),
            P.CutNumber: self._cut_number,
            P.ReadText: self._text_request,
            P.Correct: self._text_request,
            P.ReadPicture: self._picture,
            P.MeasurePull: self._measure_pull,
            P.ShowStep: self._show_step,
            P.ReadCompare: self._read_compare,
            P.MeasureRowPull: lambda r: (
                None
                if self._compare is None or isinstance(self._compare, Exception)
                else P.RowPullMeasured(r.rows, self._compare.row_pull(r.rows))
            ),
        }

    def _set_user_words(self, req: P.SetUserWords) -> None:
        self._user_words.clear()
        self._user_words.update(req.words)

    def _read_digit(self, req: P.ReadDigit) -> P.DigitRead | None:
        if self.digits is None:
            return None
        from engine.digits.preprocess import side_by_side

        # How many digits stand side by side (0.05 ms): the network reads one; the window says so.
        return P.DigitRead(self.digits.predict(req.canvas), side_by_side(req.canvas))

    def _read_compare(self, req: P.ReadCompare) -> P.CompareRead | None:
        if self.device is None:
            return None
        from engine.compare.engine import CompareEngine

        if isinstance(self._compare, Exception):
            raise self._compare  # a bad file is said once per drawing, not looked for again
        if self._compare is None:
            try:
                self._compare = CompareEngine.load(self.device)  # every mark read: no digit check
            except Exception as exc:
                self._compare = exc
                raise
            self.status.emit(P.EngineStatus(networks={"compare": self._compare.names}))
        cnn, rows = self._compare.read(req.canvas, req.tall, pull=False)  # the pull: when it pauses
        return P.CompareRead(cnn, rows, req.tall)

    def _cut_number(self, req: P.CutNumber) -> P.NumberCut | None:
        if self.digits is None:
            return None
        from engine.number.cut import cut_and_classify

        text, pieces = cut_and_classify(req.canvas, self.digits)
        return P.NumberCut(text, pieces, self.digits.path.name)

    def _measure_pull(self, req: P.MeasurePull) -> P.PullMeasured | None:
        if self.text is None:
            return None
        from engine.text.influence import influence

        return P.PullMeasured(self.text.cell, req.text, influence(self.text, req.text))

    def _show_step(self, req: P.ShowStep) -> P.StepShown | None:
        if self.text is None:
            return None
        from engine.text.step import step_at

        trace = self.text.trace(req.sentence)
        if not 0 <= req.t < len(trace.text):
            return None  # typed over since: the newest request follows
        return P.StepShown(self.text.cell, req.sentence, step_at(self.text, trace, req.t))

    @staticmethod
    def _picture(req: P.ReadPicture) -> P.PictureRead:
        """A picture (a file, or pasted pixels) to a canvas: decoding a photo takes 10-100 ms,
        so it is done here, never on the GUI thread. A bad file raises BadFileError naming it."""
        from app.picture_files import qimage_grey
        from engine.digits.picture import picture_to_canvas, read_picture
        from engine.digits.preprocess import side_by_side

        grey = read_picture(req.path) if req.path is not None else qimage_grey(req.qimage)
        if grey is None:
            raise ValueError("the pasted picture is empty")
        canvas = picture_to_canvas(grey, req.size)
        return P.PictureRead(req, canvas, side_by_side(canvas))

    def _set_device(self, wanted: str) -> dict:
        from engine.device import device_name, pick_device

        self.device = pick_device(wanted)
        for eng in self._digit_engines.values():
            eng.to(self.device)
        if self.number is not None:
            self.number.to(self.device)
        if self._compare is not None and not isinstance(self._compare, Exception):
            self._compare.to(self.device)
        for eng in self._text_engines.values():
            eng.to(self.device)
        info = P.DeviceSet(device_name(self.device), self._fallback_notice(wanted), self.device.type)
        self.status.emit(P.EngineStatus(device=info.device, notice=info.notice))
        return info

    def _use_digit_net(self, key: str, trained: str | None = None) -> None:
        """Make the digit network `key` the one that reads (loaded once, on the current device);
        `trained`: its weights file, for a network trained on the Train page."""
        from engine.digits import DigitEngine
        from engine.digits.networks import CUSTOM, SHIPPED
        from engine.paths import assets_dir

        if key not in self._digit_engines:
            if trained:
                path = trained
            elif key == CUSTOM and self._custom_weights:
                path = self._custom_weights
            elif key in SHIPPED:
                path = assets_dir() / SHIPPED[key][0]
            else:
                raise ValueError(f"no digit network {key!r}")
            self._digit_engines[key] = DigitEngine.load(path, device=self.device, check=self._digit_check)
        self.digits = self._digit_engines[key]

    def _set_digit_net(self, key: str, trained: str | None = None) -> P.DigitNetSet:
        """Swap the digit network; the page rebuilds its views from the warm-up."""
        self._use_digit_net(key, trained)
        warm = self._warm_up(number=False)
        self.status.emit(P.EngineStatus(networks={"digits": self.digits.path.name}))
        return P.DigitNetSet(key, warm, self.digits.metadata.get("metrics", {}))

    def _set_cell(self, cell: str, emit: bool = True) -> P.CellSet:
        from engine.text import TextEngine

        if cell not in self._text_engines:
            self._text_engines[cell] = TextEngine.load(cell=cell, device=self.device)
            self._text_engines[cell].user_words = self._user_words
        self.text = self._text_engines[cell]
        if emit:
            self.status.emit(P.EngineStatus(networks={"text": cell}))
        return P.CellSet(cell, self.text.model.config.hidden)

    def _text_request(self, req: P.ReadText | P.Correct) -> P.TextRead | P.Corrected | None:
        eng = self.text
        if eng is None:
            return None
        finished = isinstance(req, P.Correct)
        # While typing the word may be unfinished: its completions compete; at its end, not.
        sugg = eng.suggest(req.word, req.context, complete=not finished) if req.word else []
        pairs = [(s.word, s.score) for s in sugg]
        if finished:
            return P.Corrected(eng.cell, req.word, pairs, sugg, req.start)
        out = P.TextRead(eng.cell, req.word, pairs, sugg, trace=eng.trace(req.sentence))
        if not len(out.trace.text) and req.context.strip():
            # A sentence just ended: none of the new one to trace, but the network, having read
            # the text before, still expects a next character at the caret (the bars were blank).
            out.next_char = eng.next_char_after(req.context)
        return out


class EngineThread(QThread):
    """A QThread whose event loop runs inside a Python call, so the thread has one Python thread
    state for its whole life.

    With a plain QThread the loop runs in C++, and every slot call into Python makes a new thread
    state and deletes it on return. On a GPU machine (torch 2.11+cu130, Python 3.12) the app then
    hung (CUDA) or crashed (CPU) at the first strokes of benchmarks.app: the worker waited for the GIL
    inside torch's device check (pybind11 taking the GIL) with no thread holding it. With one
    thread state for the thread's life the same runs went through.
    """

    def run(self) -> None:
        self.exec()


class WorkerThread:
    """Owns the QThread and the worker; stop() is safe to call more than once."""

    def __init__(self) -> None:
        # The GUI thread and the worker share the GIL. Python's switch interval (5 ms) is kept:
        # each hand-over wakes the other thread, on this 2-core VM an exit to the hypervisor.
        # At 1 ms the GUI thread woke the worker about 3.5x as often, for no gain in latency
        # (docs/performance.md).
        self.thread = EngineThread()
        self.thread.setObjectName("engine-worker")
        self.worker = EngineWorker()
        self.worker.moveToThread(self.thread)
        self.thread.start()

    def stop(self, timeout_ms: int = 60000) -> bool:
        if not self.thread.isRunning():
            return True
        self.worker.abort()
        self.thread.quit()
        # A request in progress (at worst the first load, importing torch) finishes before the thread ends.
        return self.thread.wait(timeout_ms)
