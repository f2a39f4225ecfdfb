"""Launch-to-responsive-window time: `python -m benchmarks.startup [--runs 5]`.

Starts `python -m app --report-startup` as a fresh process (offscreen unless a display is set) and
reads how long it took from the launch to the first turn of the event loop with the window shown.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    times = []
    for _ in range(args.runs):
        env["NNPG_T0"] = repr(time.time())
        env["NNPG_SETTINGS"] = os.path.join(tempfile.mkdtemp(), "s.ini")
        out = subprocess.run(
            [sys.executable, "-m", "app", "--report-startup"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        m = re.search(r"startup ([0-9.]+) s", out.stdout)
        if not m:
            print(out.stdout, out.stderr, file=sys.stderr)
            return 1
        times.append(float(m.group(1)))
    print(
        f"launch to responsive window: median {np.median(times):.2f} s, worst {max(times):.2f} s "
        f"over {len(times)} launches"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
