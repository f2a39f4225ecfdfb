"""The command line: `nn-playground` where no window can open says so, it does not abort."""

import os
import subprocess
import sys

import pytest

from app.main import display_problem

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check is Linux's")


@linux_only
@pytest.mark.parametrize(
    "env, args, ok",
    [
        ({}, [], False),
        ({"QT_QPA_PLATFORM": "xcb"}, [], False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, [], False),
        ({"DISPLAY": ":0"}, [], True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, [], True),
        ({"QT_QPA_PLATFORM": "offscreen"}, [], True),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, [], True),
        ({}, ["-platform", "offscreen"], True),
    ],
)
def test_a_missing_display_is_named_before_qt_aborts(env, args, ok):
    problem = display_problem(args, env)
    assert (problem == "") == ok
    if not ok:
        assert "DISPLAY" in problem and "Xvfb" in problem


@linux_only
def test_started_with_no_display_it_exits_with_a_sentence_not_a_core_dump(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run(
        [sys.executable, "-m", "app", "--settings", str(tmp_path / "s.ini")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2  # not 134 (SIGABRT)
    assert out.stderr.startswith("nn-playground: no display") and out.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "rest, picture, qt",
    [
        (["photo.jpg"], "photo.jpg", []),
        (["-platform", "offscreen"], None, ["-platform", "offscreen"]),  # not a picture: Qt's value
        (["-platform", "offscreen", "photo.jpg"], "photo.jpg", ["-platform", "offscreen"]),
        (["-platform=offscreen", "a.png"], "a.png", ["-platform=offscreen"]),
        (["-reverse", "a.png", "b.png"], "a.png", ["-reverse", "b.png"]),
        ([], None, []),
    ],
)
def test_a_picture_named_on_the_command_line_is_told_from_qts_arguments(rest, picture, qt):
    from app.main import picture_argument

    assert picture_argument(rest) == (picture, qt)
