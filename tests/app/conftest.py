import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    from app.window import MainWindow

    monkeypatch.delenv("NNPG_DEVICE", raising=False)  # the device the user's settings pick (Auto)

    win = MainWindow(settings_path=str(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.show()
    if not win.ready:
        with qtbot.waitSignal(win.engineReady, timeout=120_000):
            pass
    yield win
    win.close()
    # A test that leaves the engine thread running fails.
    assert not win.client.running(), "the worker thread is still running after close"


@pytest.fixture
def launch(qtbot):
    """Start a window on settings file `ini` (and keyword arguments) and wait for its engines."""

    def start(ini: str, **kw):
        from app.window import MainWindow

        win = MainWindow(settings_path=ini, **kw)
        qtbot.addWidget(win)
        with qtbot.waitSignal(win.engineReady, timeout=120_000):
            win.show()
        return win

    return start


@pytest.fixture
def mnist_available():
    from engine.paths import data_dir

    d = data_dir("mnist", "NNPG_MNIST")
    if not d.is_dir():
        pytest.skip("MNIST not found (../shared/data/mnist)")
    return d
