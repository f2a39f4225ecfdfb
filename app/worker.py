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

from app.engine_loading import EngineLoading
from app.latency import now_ms
from app.mailbox import Mailbox
from engine.bad_file import UserError

# Request kinds. Control requests come before work in the same mailbox.
LOAD = "load"  # payload: {"device": str, "cell": str, "digits_weights": path|None}
DEVICE = "device"  # payload: "auto" | "cpu" | "cuda"
CELL = "cell"  # payload: "rnn" | "lstm" | "gru"
DIGIT_NET = "digit_net"  # payload: a key of engine.digits.networks.SHIPPED, or CUSTOM
DIGIT = "digit"  # payload: canvas (numpy uint8, a copy)
TEXT = "text"  # payload: {"word": str, "context": str, "sentence": str}
CORRECT = "correct"  # payload: {"word": str, "context": str, "start": int}
# PICTURE's payload: {"path": str} or {"qimage": QImage}, and "size" (the canvas's (w, h)), "name",
# "number" (True: for the Number page), "moved" (for the Number page because it holds this many digits).
PICTURE = "picture"
INFLUENCE = "influence"  # payload: {"text": str}: each letter's pull on the next-character guess
NUMBER = "number"  # payload: canvas (numpy uint8, a copy) with a written number
USER_WORDS = "user_words"  # payload: the user's dictionary, a list of lower-case words
NUMBER_CUT = "number_cut"  # payload: the same, once the drawing settles: read by the digit CNN alone
LATEST_ONLY = (DIGIT, TEXT, NUMBER)  # answers of which only the newest is worth painting


class EngineWorker(EngineLoading, QObject):
    """Lives on its own thread; see the module docstring."""

    wake = Signal()
    resultReady = Signal(str, int, object)  # kind, seq, result (numpy copies / plain data)
    newestReady = Signal(str)  # a LATEST_ONLY answer of this kind waits: take it with take_newest
    failed = Signal(str, str)  # kind, message
    status = Signal(dict)  # {"device": ..., "digits": ..., "text": ..., "notice": ...}

    def __init__(self) -> None:
        super().__init__()
        self.mailbox = Mailbox(
            priority=(LOAD, DEVICE, CELL, DIGIT_NET),
            queued=(USER_WORDS, CORRECT, PICTURE),
            low=(INFLUENCE, NUMBER_CUT),
        )
        self.digits = None
        self.text = None
        self.number = None
        self.device = None
        self._abort = False
        self._text_engines: dict[str, Any] = {}
        self._digit_engines: dict[str, Any] = {}  # per engine.digits.networks key, loaded on first use
        self._custom_weights: str | None = None  # the user's digit weights file, if one was given
        self._digit_check = None  # names ink that is no digit, for every digit network and the CRNN
        self._user_words: set[str] = set()  # shared by every cell's engine; changed here only
        self._outbox: dict[str, tuple[int, Any]] = {}
        self._outbox_lock = threading.Lock()
        # (kind, started, done, CPU ms of this thread) of recent drawing and typing requests: the
        # same computation every time, so its CPU time gauges the machine's speed (benchmarks.app).
        self.compute_log: deque[tuple[str, float, float, float]] = deque(maxlen=20_000)
        self.wake.connect(self._drain)  # queued: the signal is emitted from the GUI thread
        self._gui_tid = threading.get_native_id()  # built on the GUI thread (see _load)

    def post(self, kind: str, payload: Any) -> int:
        """Called from the GUI thread: store the newest request and wake the worker if needed."""
        seq, wake = self.mailbox.post(kind, payload)
        if wake:
            self.wake.emit()
        return seq

    def take_newest(self, kind: str) -> tuple[int, Any] | None:
        """Called from the GUI thread: (seq, result) of the newest answer of `kind` not yet taken."""
        with self._outbox_lock:
            return self._outbox.pop(kind, None)

    def _deliver(self, kind: str, seq: int, result: Any) -> None:
        if kind not in LATEST_ONLY:
            self.resultReady.emit(kind, seq, result)
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
                result = self._handle(req.kind, req.payload)
                if result is not None and not self._abort:
                    if isinstance(result, dict):  # when, on the shared clock: the bench splits latency
                        result.setdefault("started_ms", t0)
                        result.setdefault("done_ms", now_ms())
                    if req.kind in LATEST_ONLY:
                        self.compute_log.append((req.kind, t0, now_ms(), (time.thread_time() - cpu0) * 1e3))
                    self._deliver(req.kind, req.seq, result)
            except Exception as exc:  # the app must keep running: report and go on
                if isinstance(exc, UserError):  # a bad file or device name: it says itself, no traceback
                    print(f"nn-playground: {exc}", file=sys.stderr)
                    self.failed.emit(req.kind, str(exc))
                else:
                    traceback.print_exc()
                    self.failed.emit(req.kind, f"{type(exc).__name__}: {exc}")

    def _handle(self, kind: str, payload: Any) -> Any:
        if kind == LOAD:
            return self._load(payload)
        if kind == DEVICE:
            return self._set_device(payload)
        if kind == CELL:
            return self._set_cell(payload)
        if kind == USER_WORDS:
            self._user_words.clear()
            self._user_words.update(payload)
            return None
        if kind == DIGIT_NET:
            return self._set_digit_net(payload)
        if kind == DIGIT:
            if self.digits is None:
                return None
            from engine.digits.preprocess import side_by_side

            # How many digits stand side by side (0.05 ms): the network reads one; the window says so.
            return {"result": self.digits.predict(payload), "digits": side_by_side(payload)}
        if kind == NUMBER:
            return None if self.number is None else {"result": self.number.read(payload)}
        if kind == NUMBER_CUT:
            if self.digits is None:
                return None
            from engine.number.cut import cut_and_classify

            text, pieces = cut_and_classify(payload, self.digits)
            return {"text": text, "pieces": pieces, "network": self.digits.path.name}
        if kind in (TEXT, CORRECT):
            if self.text is None:
                return None
            return self._text_request(kind, payload)
        if kind == PICTURE:
            return self._picture(payload)
        if kind == INFLUENCE:
            if self.text is None:
                return None
            from engine.text.influence import influence

            text = payload.get("text", "")
            return {"cell": self.text.cell, "source": text, "influence": influence(self.text, text)}
        raise ValueError(f"unknown request kind {kind!r}")

    @staticmethod
    def _picture(p: dict) -> dict:
        """A picture (a file, or pasted pixels) to a canvas: decoding a photo takes 10-100 ms,
        so it is done here, never on the GUI thread. A bad file raises BadFileError naming it."""
        from app.picture_files import qimage_grey
        from engine.digits.picture import picture_to_canvas, read_picture
        from engine.digits.preprocess import side_by_side

        grey = read_picture(p["path"]) if "path" in p else qimage_grey(p["qimage"])
        if grey is None:
            raise ValueError("the pasted picture is empty")
        canvas = picture_to_canvas(grey, p["size"])
        out = {k: p[k] for k in ("name", "number", "moved") if k in p}  # number: for the Number page
        out["source"] = {k: p[k] for k in ("path", "qimage") if k in p}  # to read it again elsewhere
        return {**out, "canvas": canvas, "digits": side_by_side(canvas)}

    def _set_device(self, wanted: str) -> dict:
        from engine.device import device_name, pick_device

        self.device = pick_device(wanted)
        for eng in self._digit_engines.values():
            eng.to(self.device)
        if self.number is not None:
            self.number.to(self.device)
        for eng in self._text_engines.values():
            eng.to(self.device)
        info = {"device": device_name(self.device), "notice": self._fallback_notice(wanted)}
        self.status.emit(info)
        return info

    def _use_digit_net(self, key: str) -> None:
        """Make the digit network `key` the one that reads (loaded once, on the current device)."""
        from engine.digits import DigitEngine
        from engine.digits.networks import CUSTOM, SHIPPED
        from engine.paths import assets_dir

        if key not in self._digit_engines:
            if key == CUSTOM and self._custom_weights:
                path = self._custom_weights
            elif key in SHIPPED:
                path = assets_dir() / SHIPPED[key][0]
            else:
                raise ValueError(f"no digit network {key!r}")
            self._digit_engines[key] = DigitEngine.load(path, device=self.device, check=self._digit_check)
        self.digits = self._digit_engines[key]

    def _set_digit_net(self, key: str) -> dict:
        """Swap the digit network; the page rebuilds its views from the warm-up."""
        self._use_digit_net(key)
        warm = self._warm_up(number=False)
        self.status.emit({"digits": self.digits.path.name})
        return {"net": key, "warmup": warm, "metrics": self.digits.metadata.get("metrics", {})}

    def _set_cell(self, cell: str, emit: bool = True) -> dict:
        from engine.text import TextEngine

        if cell not in self._text_engines:
            self._text_engines[cell] = TextEngine.load(cell=cell, device=self.device)
            self._text_engines[cell].user_words = self._user_words
        self.text = self._text_engines[cell]
        info = {"text": cell, "hidden": self.text.model.config.hidden}
        if emit:
            self.status.emit(info)
        return info

    def _text_request(self, kind: str, p: dict) -> dict:
        eng = self.text
        word, context = p.get("word", ""), p.get("context", "")
        # While typing the word may be unfinished: its completions compete; at its end, not.
        sugg = eng.suggest(word, context, complete=kind != CORRECT) if word else []
        out = {"cell": eng.cell, "word": word, "suggestions": [(s.word, s.score) for s in sugg], "why": sugg}
        if kind == CORRECT:
            out["start"] = p.get("start", 0)
            return out
        tr = eng.trace(p.get("sentence", ""))
        out["trace"] = tr
        if not len(tr.text) and context.strip():
            # A sentence just ended: none of the new one to trace, but the network, having read
            # the text before, still expects a next character at the caret (the bars were blank).
            out["next_char"] = eng.next_char_after(context)
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
        # With Qt's GUI thread pool off (app/__init__.py), 6 benchmarks.app pairs at 1 ms vs 5 ms:
        # the GUI thread woke the worker ~2800 vs ~800 times in a drawing run, p95 the same
        # (digits median 8.8 vs 8.6 ms, typing 9.6 vs 9.7 ms), 7 vs 3 blocks over 16 ms.
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
