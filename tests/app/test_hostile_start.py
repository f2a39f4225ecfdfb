"""What a user's files could do to the window (issue 22): each case failed before its fix.

The launches run the real app in a process of its own: it must start, stay up, and exit 0
within 3 s of SIGTERM, whatever it was given.
"""

import os
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from app import protocol as P
from app.settings import SettingsFile
from engine.digits.model import DigitNet, DigitNetConfig
from engine.weights import save_weights

UP_S = 8.0  # long enough for the engines to load (or for a hang to show)


def run_and_terminate(args: list[str], tmp_path) -> tuple[int | None, float, str]:
    """(exit status, seconds from SIGTERM to exit, stderr) of `nn-playground ARGS`, or (None, ...)
    when it had exited by itself before the signal or did not exit within 3 s of it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NNPG_SETTINGS": str(tmp_path / "default.ini")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(UP_S)
    if proc.poll() is not None:
        return None, 0.0, proc.communicate()[1]
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=3.0)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        return None, time.monotonic() - t0, err
    return proc.returncode, time.monotonic() - t0, err


def bad_config_weights(path) -> None:
    net = DigitNet(DigitNetConfig(channels=[4, 8], hidden=16))
    save_weights(
        path, net.state_dict(), {"model": "DigitNet", "config": {**net.config.to_dict(), "dropout": 2.0}}
    )


def test_a_damaged_kept_drawing_does_not_stop_the_start(tmp_path):
    ini = tmp_path / "s.ini"
    s = QSettings(str(ini), QSettings.Format.IniFormat)
    s.setValue("digits/drawing", "[" * 100_000)  # RecursionError in json.loads
    huge = '{"version":1,"size":[960,280],"strokes":[[[' + "9" * 400 + ',1,16]]],"picture":null}'
    s.setValue("number/drawing", huge)  # OverflowError in float()
    s.sync()
    rc, took, err = run_and_terminate(["--settings", str(ini)], tmp_path)
    assert rc == 0 and took <= 3.0, err
    assert "Traceback" not in err


def test_a_custom_network_with_a_bad_config_does_not_stop_the_start(tmp_path):
    bad = tmp_path / "mine.safetensors"
    bad_config_weights(bad)
    rc, took, err = run_and_terminate(
        ["--settings", str(tmp_path / "s.ini"), "--digits-weights", str(bad)], tmp_path
    )
    assert rc == 0 and took <= 3.0, err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_for_a_picture_or_the_settings_never_hangs(tmp_path):
    fifo = tmp_path / "p.png"
    os.mkfifo(fifo)
    rc, took, err = run_and_terminate(["--settings", str(tmp_path / "s.ini"), str(fifo)], tmp_path)
    assert rc == 0 and took <= 3.0, err
    rc, took, err = run_and_terminate(["--settings", str(fifo)], tmp_path)
    assert rc == 0 and took <= 3.0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # left as it was


def test_settings_on_a_device_never_replace_it(tmp_path):
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of the test's own
    except (OSError, AttributeError):
        pytest.skip("cannot make a device node here (needs root on Linux)")
    rc, took, err = run_and_terminate(["--settings", str(node)], tmp_path)
    assert rc == 0 and took <= 3.0, err
    assert stat.S_ISCHR(os.stat(node).st_mode)  # before: replaced by a regular file
    assert not (tmp_path / "null.in-use").exists() and not (tmp_path / "null.lock").exists()


def test_a_custom_network_with_a_bad_config_is_named_and_the_other_pages_work(qtbot, tmp_path, launch):
    bad = tmp_path / "mine.safetensors"
    bad_config_weights(bad)
    win = launch(str(tmp_path / "s.ini"), digits_weights=str(bad))
    msg = win.statusBar().message()
    assert str(bad) in msg and "bad model config" in msg and "using the shipped digit weights" in msg
    canvas = np.zeros((280, 280), np.uint8)
    canvas[80:200, 130:150] = 255
    win.client.post(P.ReadDigit(canvas))
    qtbot.waitUntil(lambda: win.digits.result is not None and win.digits.result.label == 1, timeout=20_000)
    wide = np.zeros((280, 960), np.uint8)
    wide[80:200, 300:320] = 255
    win.client.post(P.ReadNumber(wide))
    qtbot.waitUntil(lambda: win.number.result is not None and win.number.result.text == "1", timeout=20_000)
    win.text.editor.setFocus()
    qtbot.keyClicks(win.text.editor, "the networ")
    qtbot.waitUntil(lambda: win.text.suggestions.count() > 0, timeout=20_000)
    win.close()


def test_a_damaged_shipped_digit_network_falls_back_to_another_shipped_one(
    qtbot, tmp_path, monkeypatch, launch
):
    import shutil

    from engine.paths import assets_dir

    mine = tmp_path / "assets"
    shutil.copytree(assets_dir(), mine)
    bad_config_weights(mine / "digits.safetensors")
    monkeypatch.setenv("NNPG_ASSETS", str(mine))
    win = launch(str(tmp_path / "s.ini"))
    msg = win.statusBar().message()
    assert str(mine / "digits.safetensors") in msg and "network instead" in msg
    canvas = np.zeros((280, 280), np.uint8)
    canvas[80:200, 130:150] = 255
    win.client.post(P.ReadDigit(canvas))
    qtbot.waitUntil(lambda: win.digits.result is not None and win.digits.result.label == 1, timeout=20_000)
    win.close()


def test_a_failed_save_is_named_and_the_file_is_left_as_it_was(qtbot, tmp_path, monkeypatch, launch):
    import app.window

    monkeypatch.setattr(app.window, "SAVE_SOON_MS", 100)
    ini = tmp_path / "s.ini"
    QSettings(str(ini), QSettings.Format.IniFormat).setValue("text/content", "kept before")
    win = launch(str(ini))
    before = ini.read_bytes()
    (tmp_path / "s.ini.saving").mkdir()  # where the new file is written: it cannot be now
    win.text.editor.setFocus()
    qtbot.keyClicks(win.text.editor, " and more")
    qtbot.waitUntil(lambda: "could not be saved" in win.statusBar().message(), timeout=10_000)
    assert str(ini) in win.statusBar().message()
    assert ini.read_bytes() == before
    (tmp_path / "s.ini.saving").rmdir()
    qtbot.keyClicks(win.text.editor, "!")
    qtbot.waitUntil(lambda: win.statusBar().message().startswith("Saved to"), timeout=10_000)
    assert "and more!" in ini.read_text()  # (the file read: this process's QSettings keep a cache)
    win.close()


def full_disk(tmp_path, size: str = "12k"):
    """A tiny tmpfs mounted in tmp_path (root on Linux), or a skip."""
    where = tmp_path / "small"
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    return where


def test_on_a_full_disk_nothing_worse_than_before_is_written(tmp_path):
    where = full_disk(tmp_path)
    try:
        path = str(where / "s.ini")
        s = SettingsFile(path)
        s.setValue("text/content", "x" * 40_000)  # more than the disk holds
        s.setValue("window/page", 1)
        problem = s.save()
        assert "could not be saved" in problem and path in problem
        assert not os.path.exists(path)  # before: a file cut at 8 kB, every key after the text gone
        s.setValue("text/content", "short")
        assert s.save() == ""
        back = QSettings(path, QSettings.Format.IniFormat)
        assert back.value("text/content") == "short" and int(back.value("window/page")) == 1
        s.setValue("text/content", "y" * 40_000)
        assert "could not be saved" in s.save()
        assert (
            QSettings(path, QSettings.Format.IniFormat).value("text/content") == "short"
        )  # the old one, whole
    finally:
        subprocess.run(["umount", str(where)], capture_output=True)


def test_settings_through_a_symlink_are_written_to_the_file_it_names(tmp_path):
    real = tmp_path / "real.ini"
    real.write_text("[text]\ncontent=before\n")
    link = tmp_path / "link.ini"
    link.symlink_to(real)
    s = SettingsFile(str(link))
    assert s.value("text/content") == "before"
    s.setValue("text/content", "after")
    assert s.save() == ""
    assert link.is_symlink() and "content=after" in real.read_text()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_settings_on_a_fifo_are_neither_read_nor_written(tmp_path):
    fifo = tmp_path / "s.ini"
    os.mkfifo(fifo)
    s = SettingsFile(str(fifo))  # before: blocked here for good, holding the GIL
    assert "is a pipe, not a regular file" in s.notice and not s.isWritable()
    s.setValue("text/content", "typed")
    assert s.save() == ""  # nothing kept, as the notice said
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
