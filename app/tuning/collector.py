"""The garbage collector while the engines load: off, and what was loaded frozen after.

Full collections over the objects being imported (torch, the engines: about a million) stop every
thread of the process, the GUI thread's too. What is loaded lives as long as the app, so it is
frozen out of the collector's sight afterwards and a later full collection scans only what is new.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from app.tuning import enabled


@contextmanager
def collector_paused_while_loading() -> Iterator[bool]:
    """Yields whether the collector is paused (False where the item is off: nothing is changed)."""
    if not enabled("gc_freeze"):
        yield False
        return
    gc.disable()
    try:
        yield True
    finally:
        gc.freeze()
        gc.enable()
