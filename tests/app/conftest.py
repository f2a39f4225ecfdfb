import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")


@pytest.fixture
def window(qtbot, tmp_path):
    from app.window import MainWindow

    win = MainWindow(settings_path=str(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.show()
    if not win.ready:
        with qtbot.waitSignal(win.engineReady, timeout=120_000):
            pass
    yield win
    win.close()
    # A test that leaves the engine thread running fails.
    assert not win.engine.thread.isRunning(), "the worker thread is still running after close"
