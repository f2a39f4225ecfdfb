"""Load torch's big shared libraries with the GIL released, before `import torch`.

Python loads an extension module's libraries (dlopen: relocations and static initialisers, about
0.3 s for libtorch_cpu here) while holding the GIL, so a thread that imports torch stops every
other thread of the process for that long: in the app, the window froze for 300-380 ms while the
engines loaded. ctypes releases the GIL around a foreign call, so dlopen called through it loads
the libraries while the other threads run; `import torch` then finds them loaded.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from pathlib import Path

from app.tuning import enabled as tuning_enabled

# In load order. libtorch_python brings the rest: libtorch, and on a CUDA build libtorch_cuda with
# NVIDIA's libraries (120-180 ms on the lent H100 machine, two blocks of 40-50 ms with the GIL held).
TORCH_LIBRARIES = ("libtorch_cpu", "libtorch_python")


def torch_library(name: str = "libtorch_cpu") -> Path | None:
    """Where one of torch's libraries is, found without importing torch; None when it is not there."""
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.origin:
        return None
    found = sorted((Path(spec.origin).parent / "lib").glob(f"{name}.*"))
    return found[0] if found else None


def torch_has_cuda() -> bool:
    """Whether the installed torch is a CUDA build (its libtorch_cuda is there), without importing it."""
    return torch_library("libtorch_cuda") is not None


def _dlopen_unlocked(name: str | bytes) -> int:
    """dlopen through a ctypes foreign call, which releases the GIL; 0 when it failed."""
    libc = ctypes.CDLL(None)
    dlopen = libc.dlopen
    dlopen.restype = ctypes.c_void_p
    dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    return dlopen(name, os.RTLD_NOW | os.RTLD_LOCAL) or 0


def start_cuda_driver(preference: str = "auto") -> bool:
    """Start the CUDA driver and the primary context of the device that `preference` ("auto",
    "cuda", "cuda:N"; see engine/device.py's pick_device) would give, with the GIL released.

    torch does both (cuInit, then the context its runtime uses) inside calls that hold the GIL:
    on the lent H100 machine the window's longest block while the engines loaded was 417-593 ms,
    and 76-104 ms with this done first, through ctypes, beside the GUI thread; torch then finds
    them done. The context is kept for the life of the process, as torch keeps it. False (nothing
    done) for another preference, without an NVIDIA driver or without that device.
    """
    pref = preference.strip().lower()
    if not (pref == "auto" or pref.startswith("cuda")) or os.name != "posix" or "torch" in sys.modules:
        return False
    if not tuning_enabled("cuda_driver") or not torch_has_cuda():
        return False  # a CPU-only torch would never use the context: it would hold GPU memory for nothing
    index = pref.partition(":")[2]  # a bad index is pick_device's to report
    index = int(index) if index.isdigit() else 0
    try:
        if not _dlopen_unlocked(b"libcuda.so.1"):
            return False
        cuda = ctypes.CDLL("libcuda.so.1")  # found loaded: no file is read here
        if cuda.cuInit(0) != 0:
            return False
        dev, ctx = ctypes.c_int(), ctypes.c_void_p()
        return cuda.cuDeviceGet(ctypes.byref(dev), index) == 0 and (
            cuda.cuDevicePrimaryCtxRetain(ctypes.byref(ctx), dev) == 0
        )
    except (OSError, AttributeError):
        return False


_THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS")


def preset_cpu_threads(n: int) -> bool:
    """Size torch's CPU thread pools before torch loads: OMP_NUM_THREADS and MKL_NUM_THREADS,
    read when its libraries load, where the user has not set them. True when set.

    Otherwise `torch.set_num_threads` (engine/device.py's configure_threads) resizes them after
    import, building its pool of n threads inside a call that holds the GIL: with the window up,
    the GUI thread's longest block while the engines loaded, 64-117 ms on a 16-core machine.
    """
    if (
        "torch" in sys.modules
        or any(os.environ.get(v) for v in _THREAD_VARIABLES)
        or not tuning_enabled("torch_threads")
    ):
        return False
    for variable in _THREAD_VARIABLES:
        os.environ[variable] = str(max(1, int(n)))
    return True


def preload_torch() -> bool:
    """dlopen torch's libraries (TORCH_LIBRARIES) with the GIL released. True when all were
    loaded; False where this does not apply (Windows, no torch, torch already imported) or a
    library did not load: `import torch` then loads what is missing as usual."""
    if os.name != "posix" or "torch" in sys.modules or not tuning_enabled("torch_preload"):
        return False
    libs = [torch_library(name) for name in TORCH_LIBRARIES]
    # The handles are kept open on purpose: torch uses the libraries for the life of the process.
    try:
        loaded = [bool(_dlopen_unlocked(os.fsencode(lib))) for lib in libs if lib is not None]
    except (OSError, AttributeError):
        return False
    return len(loaded) == len(TORCH_LIBRARIES) and all(loaded)
