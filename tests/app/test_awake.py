"""The CPU latency request the window holds while the user draws or types."""

import pytest

from app.tuning.awake import LINGER_MS, AwakeWhileActive
from app.tuning.cpu_latency import CpuLatencyRequest


@pytest.fixture
def awake(qtbot, tmp_path):
    f = tmp_path / "qos"
    f.write_bytes(b"")
    a = AwakeWhileActive(request=CpuLatencyRequest(path=str(f)))
    a._linger.setInterval(100)  # LINGER_MS in use; short here
    yield a
    a.release()


def test_a_poke_holds_until_the_linger_after_the_last_one(awake, qtbot):
    assert LINGER_MS >= 1000  # longer than the pause between two strokes
    awake.poke()
    assert awake.held
    for _ in range(3):  # inputs keep it standing past one linger
        qtbot.wait(60)
        awake.poke()
        assert awake.held
    qtbot.waitUntil(lambda: not awake.held, timeout=2000)


def test_hold_stands_until_a_poke_then_lingers(awake, qtbot):
    awake.hold()
    qtbot.wait(250)
    assert awake.held
    awake.poke()
    qtbot.waitUntil(lambda: not awake.held, timeout=2000)


def test_switched_off_it_holds_nothing(awake):
    awake.poke()
    awake.set_enabled(False)
    assert not awake.held
    awake.poke()
    awake.hold()
    assert not awake.held


def test_where_the_request_cannot_stand_it_says_why(qtbot, tmp_path):
    a = AwakeWhileActive(request=CpuLatencyRequest(path=str(tmp_path / "none")))
    a.poke()
    assert not a.held and "does not exist" in a.why_not
