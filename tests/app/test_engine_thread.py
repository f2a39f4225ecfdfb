"""The worker's thread keeps one Python thread state for its life (app/worker.py, EngineThread)."""

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.worker import EngineThread


class _Probe(QObject):
    @Slot()
    def look(self) -> None:
        # threading.local lives in the thread state: a fresh state per call sees nothing.
        self.seen.append(getattr(self.local, "mark", None))
        self.local.mark = "set"


class _Trigger(QObject):
    fire = Signal()


def _calls_see(thread_class, qtbot) -> list:
    th = thread_class()
    probe, trigger = _Probe(), _Trigger()
    probe.local, probe.seen = threading.local(), []
    probe.moveToThread(th)
    trigger.fire.connect(probe.look)  # queued: the probe lives on the other thread
    th.start()
    try:
        for n in (1, 2, 3):
            trigger.fire.emit()
            qtbot.waitUntil(lambda n=n: len(probe.seen) == n, timeout=5_000)
    finally:
        th.quit()
        th.wait(5_000)
    return probe.seen


def test_slot_calls_share_one_thread_state(qtbot):
    assert _calls_see(EngineThread, qtbot) == [None, "set", "set"]


def test_a_plain_qthread_makes_a_state_per_call(qtbot):
    # What EngineThread is for, and proof that the probe tells the two apart. Should Qt for
    # Python ever keep the state itself, this fails and EngineThread may go.
    assert _calls_see(QThread, qtbot) == [None, None, None]
