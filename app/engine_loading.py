"""Loading the engines on the worker thread, the slow part of a start: torch and its libraries,
the networks (falling back where a file is bad, each named), the warm-up the pages build their
views from. A mixin of EngineWorker (app/worker.py), which runs it for the LOAD request.

The window is up and may be drawn on while this runs: what holds the GIL here stops it (see
docs/performance.md for what was measured and cut).
"""

from __future__ import annotations

from typing import Any

from app import protocol as P
from app.painting import read_colour_maps
from app.tuning.collector import collector_paused_while_loading
from app.tuning.one_core import sharing_one_core


class EngineLoading:
    """The worker's loading steps; they set the worker's digits, text, number and device."""

    def _load(self, req: P.LoadEngines) -> P.EnginesLoaded:
        # The window is up and may be drawn on while this runs: what holds the GIL here stops it.
        # Each step marked (tuning) is an item of app/tuning, which NNPG_TUNING can turn off.
        from app.tuning.pyside_imports import lighten_feature_check
        from app.tuning.torch_preload import preload_torch, preset_cpu_threads, start_cuda_driver
        from engine.machine import engine_threads, usable_cores

        lighten_feature_check()  # (tuning) where app.main did not already: torch is ~870 modules
        cores = usable_cores()  # before the pin, which makes it 1
        with collector_paused_while_loading():  # (tuning)
            try:
                preset_cpu_threads(engine_threads(cores))  # (tuning)
                # Not on the GUI thread's core: the NVIDIA driver starts in long kernel calls that the
                # GUI thread cannot preempt there.
                start_cuda_driver(req.device)  # (tuning)
                with sharing_one_core(self._gui_tid):  # (tuning)
                    preload_torch()  # (tuning)
                    info = self._load_engines(req, cores)
                # Off the one core: the first predictions may start torch's thread pool.
                warmup = self._warm_up()
                self.text.lexicon.completions("the")  # builds its prefix index (~100 ms of Python) now
                read_colour_maps()  # for the first paints, here rather than on the GUI thread
                info.warmup = warmup
                return info
            except Exception:
                # All or nothing: the window says nothing was loaded, so nothing may answer (the digit
                # engine, loaded before a damaged lexicon, would answer strokes under that message).
                self.digits, self.text, self.number = None, None, None
                self._text_engines.clear()
                self._digit_engines.clear()
                raise

    def _load_engines(self, req: P.LoadEngines, cores: int) -> P.EnginesLoaded:
        from engine.device import DeviceError, configure_threads, device_name, pick_device

        configure_threads(cores=cores)
        notices = []
        wanted = req.device or "auto"
        try:
            self.device = pick_device(wanted)
        except DeviceError as exc:  # a hand-edited setting or $NNPG_DEVICE: run, and say so
            notices.append(f"{exc}; using Auto")
            wanted = "auto"
            self.device = pick_device(wanted)
        notices.append(self._fallback_notice(wanted))
        from engine.digits.networks import CUSTOM, DEFAULT

        self._custom_weights = req.digits_weights or None
        self._digit_check = self._load_digit_check(notices)
        net = CUSTOM if self._custom_weights else req.digits_net or DEFAULT
        net = self._first_digit_net_that_loads(net, notices)
        from engine.number.reader import NumberReader

        self.number = NumberReader.load(device=self.device, check=self._digit_check)
        self._set_cell(req.cell or "lstm", emit=False)
        found = self._found_units(notices)
        notice = "\n".join(n for n in notices if n)  # one line each
        info = P.EnginesLoaded(
            device_pref=wanted,
            device=device_name(self.device),
            digits=self.digits.path.name if self.digits.path else "digits",
            text=self.text.cell if self.text else None,
            number=self.number.path.name,
            digits_net=net,
            digits_metrics=self.digits.metadata.get("metrics", {}),
            notice=notice,
            found_units=found,
            warmup=None,
            device_type=self.device.type,
        )
        networks = {"digits": info.digits, "text": info.text, "number": info.number}
        self.status.emit(P.EngineStatus(info.device, {k: v for k, v in networks.items() if v}, info.notice))
        return info

    def _first_digit_net_that_loads(self, net: str, notices: list[str]) -> str:
        """Use `net`, or where its file is bad (named in a notice) the shipped default, or another
        shipped variant: a damaged digit network leaves the other pages and the rest working. Raises
        the first WeightsError when none loads."""
        from engine.digits.networks import DEFAULT, SHIPPED
        from engine.weights import WeightsError

        tried, first_error = [], None
        for key in dict.fromkeys([net, DEFAULT, *SHIPPED]):
            try:
                self._use_digit_net(key)
            except WeightsError as exc:
                first_error = first_error or exc
                tried.append(str(exc))
                continue
            if tried:
                instead = (
                    "using the shipped digit weights"
                    if key == DEFAULT
                    else f"using the shipped {SHIPPED[key][1]} network instead"
                )
                notices.append(f"{'; '.join(tried)}; {instead}")
            return key
        raise first_error

    def _load_digit_check(self, notices: list[str]):
        """The digit check that names ink that is no digit; a bad file is a notice (the networks
        still read, every mark as a digit), not a failed load."""
        from engine.digits.check import DigitCheck
        from engine.weights import WeightsError

        try:
            return DigitCheck.load(device=self.device)
        except WeightsError as exc:
            notices.append(f"{exc}; every mark is read as a digit")
            return None

    @staticmethod
    def _found_units(notices: list[str]) -> dict:
        """The units the Text page offers to follow; a bad file is a notice, not a failed load
        (everything else works without them)."""
        from engine.bad_file import BadFileError
        from engine.text.units import read_units

        try:
            return read_units()
        except BadFileError as exc:
            notices.append(f"{exc}; no units to find")
            return {}

    def _warm_up(self, number: bool = True) -> Any:
        """A warm-up prediction: first calls are slow, and the page builds its layer views from it."""
        import numpy as np

        from engine.digits import render_strokes

        stroke = np.float32([[90, 60], [190, 60], [120, 220]])
        canvas = render_strokes([stroke], 280, 16)
        for _ in range(3):  # TorchScript settles its graph over the first few calls
            warm = self.digits.predict(canvas)
        if number:
            self.number.read(np.hstack([canvas, canvas]))
        return warm

    def _fallback_notice(self, wanted: str) -> str:
        if wanted and wanted.startswith("cuda") and self.device.type != "cuda":
            return "CUDA is not available here: running on the CPU"
        if wanted == "mps" and self.device.type != "mps":
            return "Apple MPS is not available here: running on the CPU"
        return ""
