"""Torch device selection and thread set-up, shared by both engines."""

from __future__ import annotations

import os
import re

import torch

from engine.bad_file import UserError
from engine.machine import engine_threads

_threads_configured = False


class DeviceError(UserError):
    """A device name that is not one, or a GPU this machine does not have."""


def pick_device(preference: str | None = None) -> torch.device:
    """The device to run on.

    `preference` (or `$NNPG_DEVICE`) is "auto", "cpu", "cuda", "cuda:N" or "mps".
    Auto takes CUDA when present, else MPS, else CPU. Asking for CUDA or MPS where there is
    none falls back to CPU rather than failing (the app shows a notice); a name that is not a
    device, or a `cuda:N` past this machine's GPUs, raises DeviceError.
    """
    pref = (preference or os.environ.get("NNPG_DEVICE") or "auto").strip().lower()
    cuda = re.fullmatch(r"cuda(?::(\d+))?", pref)
    if cuda:
        if not torch.cuda.is_available():
            return torch.device("cpu")
        index, count = cuda.group(1), torch.cuda.device_count()
        if index is not None and int(index) >= count:  # else it fails later, deep in the load
            raise DeviceError(
                f"no CUDA device {index}: this machine has {count} (cuda:0 to cuda:{count - 1})"
            )
        return torch.device(pref)
    if pref == "mps":
        return torch.device("mps") if _mps_available() else torch.device("cpu")
    if pref == "cpu":
        return torch.device("cpu")
    if pref != "auto":
        raise DeviceError(f"unknown device {preference!r}: use auto, cpu, cuda, cuda:N or mps")
    if torch.cuda.is_available():
        return torch.device("cuda")
    if _mps_available():
        return torch.device("mps")
    return torch.device("cpu")


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def device_name(device: torch.device) -> str:
    """Human-readable device name for the status bar."""
    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "Apple MPS"
    return "CPU"


def configure_threads(leave_for_gui: int = 1, cores: int | None = None) -> int:
    """Set torch's and OpenCV's threads once per process, leaving cores for the GUI thread.

    `cores`: how many this process may use (default: usable_cores() now, which is 1 on a thread
    pinned to one core).
    """
    global _threads_configured
    if not _threads_configured:
        n = engine_threads(cores, leave_for_gui)
        # set_num_threads builds torch's thread pool there and then with the GIL held (64-117 ms
        # on a 16-core machine); where preset_cpu_threads sized it before torch loaded, skip it.
        if torch.get_num_threads() != n:
            torch.set_num_threads(n)
        # OpenCV's own pool: on 2 cores its wake-ups cost more than small images gain
        # (predict() p50 -9%, p95 3.2 -> 2.2 ms with one thread, interleaved A/B).
        import cv2

        cv2.setNumThreads(n)
        _threads_configured = True
    return torch.get_num_threads()


def resolve_device(device: str | torch.device | None) -> torch.device:
    """A torch.device from a preference; the CPU gets its threads configured once."""
    dev = device if isinstance(device, torch.device) else pick_device(device)
    if dev.type == "cpu":
        configure_threads()
    return dev
