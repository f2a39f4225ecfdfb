"""The throttled, sliced refresh of the heavy visuals (app/refresh.py)."""

import pytest
from PySide6.QtCore import QObject

from app.refresh import SlicedRefresh


def test_a_request_during_a_refresh_gets_the_newest_state_painted(qtbot):
    owner = QObject()
    state = {"value": 1}
    painted: list[tuple[str, int]] = []

    def steps():
        v = state["value"]  # the steps are made from the state when the refresh starts
        return [lambda: painted.append(("a", v)), lambda: painted.append(("b", v))]

    refresh = SlicedRefresh(owner, steps, period_ms=10, gap_ms=5)
    refresh.request()
    qtbot.waitUntil(lambda: painted == [("a", 1)], timeout=2_000)
    state["value"] = 2  # a newer result comes while the refresh of the older one is under way
    refresh.request()
    qtbot.waitUntil(lambda: len(painted) == 4, timeout=2_000)
    assert painted == [("a", 1), ("b", 1), ("a", 2), ("b", 2)]
    qtbot.wait(60)
    assert len(painted) == 4  # and then it rests


def test_a_failing_step_does_not_stop_the_rest(qtbot):
    owner = QObject()
    calls: list[str] = []

    def boom() -> None:
        calls.append("boom")
        raise RuntimeError("a step failed")

    refresh = SlicedRefresh(owner, lambda: [boom, lambda: calls.append("next")], period_ms=5, gap_ms=2)
    with pytest.raises(RuntimeError):
        refresh._begin()  # what the period timer calls; Qt would print the error and go on
    qtbot.waitUntil(lambda: calls == ["boom", "next"], timeout=2_000)
