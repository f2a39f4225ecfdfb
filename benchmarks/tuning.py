"""Each machine-tuning item measured on its own: `python -m benchmarks.tuning [--repeats 2]`.

Runs `python -m benchmarks.app` and `python -m benchmarks.startup` in fresh processes with every
item on, with NNPG_TUNING=off, and with each item of app/tuning turned off alone
(NNPG_TUNING=-item), then prints one table: engines ready, the GUI thread's longest block while they
load (and how many blocks over 16 ms), drawing, typing and number p95 and the longest GUI block
while drawing, memory with the engines loaded, and launch to a responsive window. An item earns
its place where turning it off makes a figure worse beyond the spread of the all-on runs.
The CPU latency request is a setting, off by default: its row is the app with `--keep-awake`.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

# (label in the table, regex over benchmarks.app's output, the part it belongs to)
FIGURES = (
    ("ready s", r"engines ready after ([0-9.]+) s"),
    ("load block ms", r"while they loaded: GUI thread longest block ([0-9.]+) ms"),
    ("load >16", r"while they loaded: .*?blocks > 16 ms: (\d+)"),
    ("draw p95 ms", r"stroke-to-painted-prediction p50 [0-9.]+ ms\s+p95 ([0-9.]+) ms"),
    ("draw block ms", r"stroke-to-painted-prediction.*\n.*\n\s+GUI thread longest block ([0-9.]+) ms"),
    ("type p95 ms", r"keystroke-to-painted-suggestion p50 [0-9.]+ ms\s+p95 ([0-9.]+) ms"),
    ("number p95 ms", r"stroke-to-painted-number p50 [0-9.]+ ms\s+p95 ([0-9.]+) ms"),
    ("MiB", r"memory with the engines loaded: ([0-9.]+) MiB"),
)


def configurations(items: list[str]) -> list[tuple[str, dict[str, str], list[str]]]:
    """(row label, environment changes, extra benchmarks.app arguments) for each row."""
    rows = [("all on", {"NNPG_TUNING": "on"}, []), ("NNPG_TUNING=off", {"NNPG_TUNING": "off"}, [])]
    for item in items:
        if item == "cpu_latency":
            rows.append(("cpu_latency ON (a setting)", {"NNPG_TUNING": "on"}, ["--keep-awake"]))
        else:
            rows.append((f"-{item}", {"NNPG_TUNING": f"-{item}"}, []))
    return rows


def run_once(env_changes: dict[str, str], extra: list[str], quick: bool) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"), **env_changes}
    sizes = ["--digits", "20", "--keys", "150", "--numbers", "6"] if quick else []
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.app", *sizes, *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    ).stdout
    got: dict[str, float] = {}
    for label, pattern in FIGURES:
        m = re.search(pattern, out)
        if m:
            got[label] = float(m.group(1))
    start = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup", "--runs", "3"], env=env, capture_output=True, text=True
    ).stdout
    m = re.search(r"median ([0-9.]+) s", start)
    if m:
        got["launch s"] = float(m.group(1))
    return got


def cell(values: list[float]) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:g}"
    return f"{statistics.median(values):g} ({min(values):g}-{max(values):g})"


def main(argv: list[str] | None = None) -> int:
    from app.tuning import ITEMS

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=2, help="launches per row (rows interleaved)")
    ap.add_argument("--items", default=",".join(ITEMS), help="which items to turn off one at a time")
    ap.add_argument("--quick", action="store_true", help="half the digits, keys and numbers per launch")
    args = ap.parse_args(argv)
    rows = configurations([i for i in args.items.split(",") if i])
    results: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in rows}
    t0 = time.time()
    for r in range(args.repeats):  # interleaved, so a slow spell of the machine hits every row alike
        for label, env_changes, extra in rows:
            results[label].append(run_once(env_changes, extra, args.quick))
            print(f"[{time.time() - t0:5.0f} s] repeat {r + 1}, {label}: {results[label][-1]}", flush=True)
    columns = [label for label, _ in FIGURES] + ["launch s"]
    print()
    print("| row | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for label, _, _ in rows:
        runs = results[label]
        print(f"| {label} | " + " | ".join(cell([g[c] for g in runs if c in g]) for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
