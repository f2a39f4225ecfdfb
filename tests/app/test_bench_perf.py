"""`benchmarks.app --perf`: joining perf's samples with the heartbeat's blocks."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from benchmarks import app as bench
from benchmarks import app_perf as bench_perf

# `perf script -F tid,time` as perf prints it: the GUI thread 100, the worker 101.
PERF_OUT = "\n".join(
    [f"   100  {1.000 + i / 1000:.6f}: " for i in range(20)]  # 20 ms of GUI work from 1.000 s
    + ["   100  2.001000: "]  # one sample in a 21 ms "block of GUI work" ending at 2.021 s
    + [f"   101  {3.000 + i / 1000:.6f}: " for i in range(25)]  # the worker, during a third block
)


def test_sample_times_per_thread_in_ms():
    times = bench_perf.sample_times(PERF_OUT + "\nsome other line\n")
    assert sorted(times) == [100, 101]
    assert len(times[100]) == 21 and times[100][0] == pytest.approx(1000.0)
    assert len(times[101]) == 25


def test_a_block_is_the_gui_threads_work_only_where_perf_saw_it_executing():
    parts = [
        {"label": "loading", "tid": 100, "blocks": [[3025.0, 25.0, 0.1]]},
        {
            "label": "digits",
            "tid": 100,
            "blocks": [[1020.0, 20.0, 19.8], [2021.0, 21.0, 21.2], [5000.0, 9.0, 9.0]],
        },
        {"label": "text (lstm)", "tid": 100, "blocks": []},
    ]
    lines = bench_perf.report(parts, bench_perf.sample_times(PERF_OUT))
    assert lines[0].startswith(
        "  part 1 (loading): 25.0 ms (its CPU time 0.1, executing 0; other threads executing 25)"
    )
    # the second part: real work (20 samples), then a block its CPU time calls work that perf saw
    # only once; the 9 ms one is not a block over 16 ms
    assert "part 2 (digits): 20.0 ms (its CPU time 19.8, executing 20;" in lines[1]
    assert "21.0 ms (its CPU time 21.2, executing 1;" in lines[1] and "9.0 ms" not in lines[1]
    assert len(lines) == 3  # the part with no blocks has no line
    assert lines[-1].endswith(
        "blocks over 16 ms: 3; the GUI thread's CPU time filled half or more of 2; "
        "perf's samples show it executing for half or more of 1"
    )


def test_the_heartbeat_logs_its_blocks_for_perf_only_when_asked(qtbot, tmp_path, monkeypatch):
    heart = bench.Heartbeat()
    heart.ends, heart.gaps, heart.cpu = [10.0, 40.0, 60.0], [0.5, 30.0, 20.0], [0.4, 25.0, 1.0]
    monkeypatch.delenv(bench_perf.BLOCKS_ENV, raising=False)
    heart._log_blocks("digits")  # nothing asked: nothing written
    log = tmp_path / "blocks.jsonl"
    monkeypatch.setenv(bench_perf.BLOCKS_ENV, str(log))
    heart._log_blocks("digits")
    (part,) = [json.loads(line) for line in log.read_text().splitlines()]
    assert part == {"label": "digits", "tid": heart.tid, "blocks": [[40.0, 30.0, 25.0], [60.0, 20.0, 1.0]]}


def test_without_perf_it_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(bench_perf.shutil, "which", lambda name: None)
    assert bench_perf.run(["--digits", "1"]) == 2
    assert "linux-perf" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("perf") is None, reason="Linux perf not installed")
def test_a_short_run_under_perf_reports_its_blocks(tmp_path):
    from engine.digits.data import pendigits_path

    if not pendigits_path().is_file():
        pytest.skip("pendigits data not found (../shared/data/pendigits): the benchmark draws its digits")
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.app", "--perf", "--digits", "2", "--keys", "10", "--numbers", "0"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if "Permission" in out.stderr or "perf_event_paranoid" in out.stderr:
        pytest.skip("perf may not sample here")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "perf's samples" in out.stdout and "blocks over 16 ms:" in out.stdout
