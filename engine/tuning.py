"""One switch for everything that changes how the process runs rather than what it computes:
`NNPG_TUNING=off` (or 0, false, no) turns all of it off, for a measurement or where an item does
harm. Each item checks `enabled()` where it acts:

| item | where | why (measured: docs/performance.md, docs/MEASUREMENTS.md) |
|---|---|---|
| Qt's GUI thread pool off | app/__init__.py | its hand-offs woke the other core ~2200 times a 13 s drawing run |
| the CPU latency request (off unless the user turns it on) | app/awake.py | a halted virtual CPU woke late |
| torch's libraries loaded through ctypes, GIL released | engine/torch_preload.py | the window froze for the 0.3 s of loading |
| torch's thread pools sized before it loads | engine/torch_preload.py | 64-117 ms GIL hold on 16 cores |
| the CUDA driver started before torch, GIL released (CUDA builds only) | engine/torch_preload.py | 417-593 ms blocks on an H100 |
| the load on the GUI thread's core | app/one_core.py | 80-220 ms blocks with a core idle |
| the collector off while loading, the heap frozen after | app/engine_loading.py | 60-150 ms full collections |
| PySide6's per-import source check swapped for a byte search (6.8-6.11 only) | app/pyside_imports.py | 57-64 ms of launch |
"""

from __future__ import annotations

import os

OFF = ("off", "0", "false", "no")


def enabled() -> bool:
    """False where NNPG_TUNING says off: every item then leaves the process as it would be."""
    return os.environ.get("NNPG_TUNING", "on").strip().lower() not in OFF
