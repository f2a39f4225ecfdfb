"""Ctrl+C, kill and a closed terminal reach a running Qt event loop (the whole app's answer to
them is tested in test_launch_choices.py)."""

import os
import signal
import threading

from PySide6.QtCore import QEventLoop, QTimer

from app.quit_signals import QuitOnSignals


def test_a_signal_wakes_the_event_loop_where_no_python_runs(qtbot):
    q = QuitOnSignals().install()
    try:
        loop = QEventLoop()
        how = []
        q.connect(lambda: (how.append("signal"), loop.quit()))
        # Only Qt's C++ runs in loop.exec(): without the wake-up socket the handler would wait
        # for the fallback timer, the next Python code to run.
        QTimer.singleShot(20_000, lambda: (how.append("fallback"), loop.quit()))
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM)).start()
        loop.exec()
        assert how == ["signal"] and q.received == [signal.SIGTERM]
    finally:
        q.uninstall()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # as it was


def test_a_signal_before_the_window_exists_is_kept_and_acted_on(qtbot):
    q = QuitOnSignals().install()
    try:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C while the app was still importing
        assert q.received == [signal.SIGINT]
        acted = []
        q.connect(lambda: acted.append(True))
        qtbot.waitUntil(lambda: acted == [True], timeout=5_000)
    finally:
        q.uninstall()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
