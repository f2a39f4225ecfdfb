"""The /proc counters the benchmark reads at every heartbeat."""

import os
import threading

import pytest

from benchmarks.machine_load import RunQueueWait, StealCounter, _ProcFile

linux = pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="no /proc here")


@linux
def test_run_queue_wait_is_this_threads_and_only_grows():
    seen = {}

    def other() -> None:
        seen["other"] = RunQueueWait()._fd is not None

    t = threading.Thread(target=other)
    t.start()
    t.join()
    wait = RunQueueWait()
    first = wait.ms()
    sum(range(200_000))  # some work: the counter may rise, never fall
    assert first is not None and first >= 0 and wait.ms() >= first
    assert seen["other"]  # each thread reads its own
    wait.close()
    assert wait.ms() is None  # closed: nothing to say, no error


@linux
def test_steal_counter_reads_the_hosts_steal_field_in_ms(tmp_path, monkeypatch):
    # The "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal, in 10 ms ticks.
    stat = tmp_path / "stat"
    stat.write_text("cpu  4705 356 584 3699 23 23 0 1234 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n")
    monkeypatch.setattr(_ProcFile, "__init__", lambda self, _path: setattr(self, "_fd", os.open(stat, 0)))
    assert StealCounter().ms() == pytest.approx(1234 * 1e3 / os.sysconf("SC_CLK_TCK"))
    stat.write_text("cpu  4705 356 584\n")  # a kernel that does not report steal
    assert StealCounter().ms() is None


def test_a_proc_file_that_is_not_there_reads_none():
    assert _ProcFile("/proc/no-such-file").read() is None
