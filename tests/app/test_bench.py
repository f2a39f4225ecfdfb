"""The latency benchmark command: its gauges, and one short real run through the window."""

import re

import pytest

from benchmarks import app as bench


def test_pace_is_the_median_nearby_over_the_median_of_all():
    log = [(t, t + 1.0, 1.0) for t in range(0, 100, 10)] + [(200.0, 201.0, 4.0), (210.0, 211.0, 5.0)]
    assert bench.pace(log, 0, 50) == pytest.approx(1.0)
    assert bench.pace(log, 195, 215) == pytest.approx(4.5)  # the machine ran 4.5x slower there
    assert bench.pace(log, 500, 600) is None  # nothing ran nearby
    assert bench.pace([], 0, 10) is None


def test_a_block_of_gui_work_reports_both_threads_pace(qtbot):
    heart = bench.Heartbeat()
    heart.gaps = [0.5, 30.0, 20.0]  # ms late, per beat
    heart.cpu = [0.4, 25.0, 1.0]  # the GUI thread's CPU ms meanwhile
    heart.proc = [0.5, 26.0, 1.0]  # the process's
    heart.ends = [10.0, 40.0, 60.0]
    heart.inputs = [(-100.0, -99.0, 0.5), (20.0, 21.0, 1.5), (100.0, 101.0, 0.5)]
    heart.computes = [(15.0, 18.0, 6.0), (100.0, 103.0, 3.0), (110.0, 113.0, 3.0)]
    assert heart.long_blocks() == {"GUI work": 1, "other threads": 0, "machine": 1}
    (line,) = heart.gui_blocks()
    assert "30.0 ms, GUI thread running 25.0 ms" in line
    assert "input handling 3.0x its median" in line and "computation 2.0x its median" in line
    assert heart.gui_pace(50.0, 52.0) == pytest.approx(3.0)  # none during it: the nearest within 35 ms
    assert heart.gui_pace(95.0, 105.0) == pytest.approx(1.0)  # one during it: that one


def test_steal_counted_around_a_block_and_the_chance_of_it(qtbot):
    heart = bench.Heartbeat()
    ends = [float(t) for t in range(1, 101)]  # a beat every ms...
    ends += [130.0] + [131.0 + t for t in range(100)]  # ...then a 28 ms block, then beats again
    heart.ends = ends
    heart.gaps = [0.0] + [b - a - 1.0 for a, b in zip(ends, ends[1:], strict=False)]
    # The host's steal counter rises by one 10 ms tick at 135 ms, 5 ms after the block ended.
    heart.steal = [0.0 if t < 135 else 10.0 for t in ends]
    hit, blocks, share = heart.steal_around()
    assert (hit, blocks) == (1, 1)
    # Of the stretches of 16 + 12 ms starting at each beat, those that start at 130-134 ms hold
    # the tick (the beats up to 100 ms reach only 130 ms, before it): 5 of 201.
    assert share == pytest.approx(5 / 201)
    heart.steal = [float("nan")] * len(ends)  # not reported here
    assert heart.steal_around() is None
    heart.steal = [0.0] * len(ends)  # reported, none taken
    assert heart.steal_around()[:2] == (0, 1)


def test_blocks_say_how_long_the_gui_thread_waited_for_a_cpu(qtbot):
    heart = bench.Heartbeat()
    heart.gaps = [0.5, 30.0, 20.0, 0.4]
    heart.queued = [0.0, 24.0, 0.5, 0.0]  # kept off a busy CPU in the first block, asleep in the second
    assert heart.queued_line() == (
        "\n  in those blocks the GUI thread waited runnable for a CPU 24.5 of 50.0 ms "
        "(the rest it ran or slept until woken)"
    )
    heart.queued = [0.0, float("nan"), 0.5, 0.0]  # not reported: nothing said
    assert heart.queued_line() == ""
    heart.gaps = [0.5, 3.0, 2.0, 0.4]  # no block: nothing said
    assert heart.queued_line() == ""


def test_the_benchmark_runs_the_real_window_and_prints_its_figures(qtbot, capsys):
    assert bench.main(["--digits", "2", "--keys", "12", "--numbers", "2"]) == 0
    out = capsys.readouterr().out
    assert re.search(
        r"digits: 2 pen digits, \d+ mouse events at 120 Hz, \d+ painted: .*p50 [\d.]+ ms  p95", out
    )
    assert re.search(r"text \(lstm\): 12 keys at 15/s, \d+ painted: .*p95 [\d.]+ ms", out)
    assert re.search(
        r"numbers: 2 written numbers, \d+ mouse events at 120 Hz, \d+ painted: stroke-to-painted-number .*p95",
        out,
    )
    assert re.search(r"read right when the pen lifted from the last digit: [12] of 2", out)
    assert out.count("GUI thread longest block") == 4  # while the engines loaded, drawing, typing, numbers
    assert "  while they loaded: GUI thread longest block" in out
    # (off by default: issue 24)
    assert "CPUs kept quick to wake while in use: no (the setting is off)" in out
    assert re.search(r"memory with the engines loaded: \d+ MiB resident\n", out)
    grown = re.search(
        r"memory after run 1 of 1: (\d+) MiB resident, ([+-][\d.]+) MiB since the engines loaded", out
    )
    assert grown and 100 < int(grown.group(1)) < 4000 and abs(float(grown.group(2))) < 1000


def test_the_benchmark_measures_the_app_with_keep_awake_on_when_asked(qtbot, capsys):
    assert bench.main(["--digits", "0", "--keys", "3", "--numbers", "0", "--keep-awake"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"CPUs kept quick to wake while in use: (yes \(a CPU latency request|no, )", out)
    assert "text (lstm): 3 keys at 15/s" in out


def test_the_control_runs_the_heartbeat_alone(qtbot, capsys):
    assert bench.main(["--control", "0.5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("control, 0.5 s with no window: GUI thread longest block")


def test_the_busy_cpus_diagnostic_says_what_it_is(qtbot, capsys):
    assert bench.main(["--control", "0.3", "--busy-cpus"]) == 0
    out = capsys.readouterr().out
    assert re.match(r"diagnostic run: \d+ CPUs kept from idling .*\(not the app's own figures\)\n", out)
    assert "control, 0.3 s with no window: GUI thread longest block" in out
