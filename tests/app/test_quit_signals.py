"""Ctrl+C, kill and a closed terminal reach a running Qt event loop (the whole app's answer to
them is tested in test_launch_choices.py)."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

from PySide6.QtCore import QEventLoop, QTimer

from app.quit_signals import QuitOnSignals


def test_a_signal_wakes_the_event_loop_where_no_python_runs(qtbot):
    q = QuitOnSignals().install()
    try:
        loop = QEventLoop()
        how = []
        q.connect(lambda: (how.append("signal"), loop.quit()))
        # Only Qt's C++ runs in loop.exec(): the handler's Python would wait for the fallback.
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
        qtbot.waitUntil(lambda: q.received == [signal.SIGINT], timeout=5_000)
        loop = QEventLoop()
        acted = []
        q.connect(lambda: (acted.append(True), loop.quit()))
        # Acted on once the event loop runs (a quit before app.exec() would be lost, and exec hang).
        assert acted == []
        QTimer.singleShot(20_000, loop.quit)
        loop.exec()
        assert acted == [True]
    finally:
        q.uninstall()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# A program whose "window" takes `close_s` to close, or never closes when the GUI thread is stuck.
PROGRAM = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QCoreApplication, QTimer
    from app.quit_signals import QuitOnSignals

    q = QuitOnSignals().install()
    app = QCoreApplication([])
    close_s = float(sys.argv[1])

    def close():
        print("closing", flush=True)
        if close_s < 0:
            time.sleep(600)  # the GUI thread stuck
        QTimer.singleShot(int(close_s * 1000), app.quit)

    q.connect(close)
    print("ready", flush=True)
    sys.exit(app.exec())
    """
)


def run(close_s: float, signals: list[tuple[float, int]]) -> subprocess.CompletedProcess:
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.Popen(
        [sys.executable, "-c", PROGRAM, str(close_s)],
        cwd=root,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    for wait_s, signum in signals:
        time.sleep(wait_s)
        proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_a_second_kill_ends_a_window_that_does_not_close():
    done = run(-1, [(0.0, signal.SIGTERM), (1.5, signal.SIGTERM)])
    assert done.returncode == 128 + signal.SIGTERM and done.stdout.count("closing") == 1


def test_signals_that_come_together_close_once_and_let_it_finish():
    # A closing terminal (SIGHUP) and a session ending (SIGTERM) at once, the close taking 2 s.
    done = run(2.0, [(0.0, signal.SIGHUP), (0.0, signal.SIGTERM)])
    assert done.returncode == 0 and done.stdout.count("closing") == 1, done.stderr
