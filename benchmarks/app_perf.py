"""`python -m benchmarks.app --perf`: the benchmark under Linux `perf`, to tell the GUI thread's work from
a stalled virtual CPU in its blocks.

The heartbeat reads the GUI thread's CPU time from the kernel's scheduler. On a virtual machine that
counts, as the running thread's, time its virtual CPU did not execute at all when the host held it
without reporting steal: such a block looks like 20 ms of the app's work. perf's `cpu-clock` samples a
thread from a timer interrupt once per millisecond it executes (a 20 ms busy loop on the GUI thread:
19-20 samples), so a block the thread really filled holds about one sample per millisecond of its CPU
time, and a stalled one next to none. The benchmark runs as perf's child with `NNPG_BENCH_BLOCKS`
naming a file where each part writes its blocks (Heartbeat.stop); the two are joined on
CLOCK_MONOTONIC, which both use.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass

BLOCKS_ENV = "NNPG_BENCH_BLOCKS"
RATE_HZ = 997  # not 1000, so the samples do not march in step with the 1 ms heartbeat
OVER_MS = 16.0
SAMPLE_LINE = re.compile(r"^\s*(\d+)\s+(\d+\.\d+):")


@dataclass
class Block:
    end_ms: float
    gap_ms: float
    gui_cpu_ms: float
    samples: int = 0  # the GUI thread's
    other_samples: int = 0  # every other thread's together

    @property
    def executed_ms(self) -> float:
        return self.samples * 1000.0 / RATE_HZ

    @property
    def others_executed_ms(self) -> float:
        return self.other_samples * 1000.0 / RATE_HZ

    @property
    def filled_by_gui(self) -> bool:
        """The GUI thread executed for at least half the block: its work, not a stall."""
        return self.executed_ms >= self.gap_ms / 2


def sample_times(perf_script_out: str) -> dict[int, list[float]]:
    """Sample times in ms (CLOCK_MONOTONIC) per thread id, from `perf script -F tid,time`."""
    out: dict[int, list[float]] = {}
    for line in perf_script_out.splitlines():
        m = SAMPLE_LINE.match(line)
        if m:
            out.setdefault(int(m.group(1)), []).append(float(m.group(2)) * 1e3)
    return out


def count_samples(blocks: list[Block], times: dict[int, list[float]], gui_tid: int) -> None:
    """Set each block's samples within it (its end less its length and the 1 ms beat it was late
    for, to its end): the GUI thread's, and the other threads' together."""
    for b in blocks:
        start = b.end_ms - b.gap_ms - 1.0
        for tid, ts in times.items():
            n = sum(start <= t <= b.end_ms for t in ts)
            if tid == gui_tid:
                b.samples += n
            else:
                b.other_samples += n


def report(parts: list[dict], times: dict[int, list[float]]) -> list[str]:
    """One line per part that had blocks over 16 ms, then a total."""
    lines = []
    gui_cpu = filled = total = 0
    for i, part in enumerate(parts, 1):
        blocks = [Block(*b) for b in part["blocks"] if b[1] > OVER_MS]
        if not blocks:
            continue
        count_samples(blocks, times, part["tid"])
        total += len(blocks)
        gui_cpu += sum(b.gui_cpu_ms >= b.gap_ms / 2 for b in blocks)
        filled += sum(b.filled_by_gui for b in blocks)
        each = ", ".join(
            f"{b.gap_ms:.1f} ms (its CPU time {b.gui_cpu_ms:.1f}, executing {b.executed_ms:.0f}; "
            f"other threads executing {b.others_executed_ms:.0f})"
            for b in blocks
        )
        lines.append(f"  part {i} ({part['label']}): {each}")
    lines.append(
        f"  blocks over {OVER_MS:.0f} ms: {total}; the GUI thread's CPU time filled half or more of {gui_cpu}; "
        f"perf's samples show it executing for half or more of {filled}"
    )
    return lines


def run(argv: list[str]) -> int:
    """Run `python -m benchmarks.app argv` under perf record, then print what perf saw in its blocks."""
    perf = shutil.which("perf")
    if perf is None:
        print(
            "--perf needs Linux perf on PATH (Debian: apt-get install linux-perf; Ubuntu: linux-tools-generic)",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="nnpg-perf-") as tmp:
        data, blocks_file = os.path.join(tmp, "perf.data"), os.path.join(tmp, "blocks.jsonl")
        env = dict(os.environ, **{BLOCKS_ENV: blocks_file})
        cmd = [perf, "record", "-q", "-k", "CLOCK_MONOTONIC", "-F", str(RATE_HZ), "-o", data, "--"]
        rc = subprocess.run([*cmd, sys.executable, "-m", "benchmarks.app", *argv], env=env).returncode
        if rc != 0 or not os.path.exists(blocks_file):
            print(f"perf record or the benchmark failed (exit status {rc})", file=sys.stderr)
            return rc or 1
        with open(blocks_file) as f:
            parts = [json.loads(line) for line in f if line.strip()]
        script = subprocess.run(
            [perf, "script", "-i", data, "-F", "tid,time"], capture_output=True, text=True, check=False
        )
        if script.returncode != 0:
            print(f"perf script failed: {script.stderr.strip()}", file=sys.stderr)
            return script.returncode
    print(
        f"perf's samples ({RATE_HZ} Hz cpu-clock, about one per ms a thread executes) in the GUI thread's blocks, ms:"
    )
    print("\n".join(report(parts, sample_times(script.stdout))))
    return 0
