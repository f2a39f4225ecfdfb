"""Machine tuning: everything that changes how the process runs rather than what it computes, in
this package, behind one switch.

`NNPG_TUNING=off` (or 0, false, no) turns every item off; `NNPG_TUNING=-one_core,-gc_freeze` turns
the items named off and leaves the rest on (how `python -m benchmarks.tuning` measures each). Each
item asks `enabled(its name)` where it acts. Why each is kept, and what it was measured to buy with
and without it, is in docs/performance.md ("Machine tuning").
"""

from __future__ import annotations

import os
import sys

OFF = ("off", "0", "false", "no")

# name: (module, what it does). Import-free: read before Qt or torch load.
ITEMS: dict[str, tuple[str, str]] = {
    "torch_preload": ("torch_preload", "torch's libraries loaded through ctypes, the GIL released"),
    "torch_threads": (
        "torch_preload",
        "torch's thread pools sized (one core left to the GUI) before it loads",
    ),
    "cuda_driver": ("torch_preload", "the CUDA driver started before torch, GIL released (CUDA builds only)"),
    "one_core": ("one_core", "the engines' load run on the GUI thread's core"),
    "gc_freeze": ("collector", "the collector off while loading, the loaded heap frozen after"),
    "pyside_check": ("pyside_imports", "PySide6's per-import source check swapped for a byte search"),
    "cpu_latency": ("awake", "idle CPUs kept polling while in use (a setting, off unless turned on)"),
}

_warned: set[str] = set()


def _turned_off() -> set[str] | None:
    """The items NNPG_TUNING turns off; None for all of them."""
    value = os.environ.get("NNPG_TUNING", "on").strip().lower()
    if value in OFF:
        return None
    names = {n.strip().lstrip("-") for n in value.split(",") if n.strip().startswith("-")}
    for name in names - ITEMS.keys() - _warned:  # a typo says so once rather than measuring nothing
        _warned.add(name)
        print(
            f"nn-playground: NNPG_TUNING names no item {name!r} (items: {', '.join(ITEMS)})", file=sys.stderr
        )
    return names


def enabled(item: str | None = None) -> bool:
    """Whether `item` (or, with None, tuning as a whole) is on: every item is unless NNPG_TUNING
    turns it off. An item that is off leaves the process as it would be without the app's tuning."""
    if item is not None and item not in ITEMS:
        raise KeyError(f"no tuning item {item!r}")
    off = _turned_off()
    if off is None:
        return False
    return item not in off
