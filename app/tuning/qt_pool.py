"""Qt's GUI thread pool, turned off.

Qt's raster painter hands every fill or image blend of 96 rows or more to a pool of helper threads
and waits for them. On a machine with few cores those threads compete with the engine worker, and
each hand-off wakes a thread on another core. Serial fills are cheap at this window's sizes. Qt
reads the variable when it first paints, so app/__init__.py calls this before any entry point (the
app, the benchmarks, the tests) creates the application.
"""

from __future__ import annotations

import os

from app.tuning import enabled


def turn_off_gui_thread_pool() -> bool:
    """Set QT_NO_GUI_THREADPOOL unless the item is off or the user set it; True if it is set now."""
    if not enabled("qt_pool"):
        return False
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    return True
