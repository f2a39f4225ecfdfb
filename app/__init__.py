"""The playground's window (Qt). Importing it switches off Qt's GUI thread pool, see below."""

import os

# Qt's raster painter hands every fill or image blend of 96 rows or more to a pool of helper
# threads and waits for them. On a 2-core machine those threads compete with the engine worker,
# and each hand-off wakes a thread on the other core (in a VM, an exit to the hypervisor): the
# GUI thread woke pool threads ~2200 times in a 13 s drawing benchmark, and in the rare GUI-thread
# stalls of 20-90 ms that benchmarks.app found, a third to a half of perf's samples were in waking other
# threads or waiting for them. Serial fills are cheap at this window's sizes. Qt reads the
# variable when it first paints, so it is set here, before any entry point (app.main, benchmarks.app,
# the tests) creates the application.
from engine.tuning import enabled as _tuning  # noqa: E402 (no torch, no Qt)

if _tuning():
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
