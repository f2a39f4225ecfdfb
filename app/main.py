"""Start the playground: `nn-playground` or `python -m app`."""

from __future__ import annotations

import argparse
import os
import sys


def display_problem(qt_args: list[str], env: dict[str, str] | None = None) -> str:
    """Why no window can open here, or "". Qt aborts the process when it finds no display (status
    134, a core dump, and a hint about libxcb-cursor0 that is beside the point); say it plainly."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux") or "-platform" in qt_args:
        return ""
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if platform and not platform.startswith(("xcb", "wayland")):
        return ""  # offscreen, vnc, eglfs... need no desktop
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return ""
    return (
        "no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not set). Start it from a "
        "desktop session, or give it one: under Xvfb (see the README), or with "
        "QT_QPA_PLATFORM=offscreen for --screenshot."
    )


# Qt's own options that take a value ("-platform offscreen"): their values are not a picture.
QT_VALUE_OPTIONS = {
    "-platform",
    "-platformpluginpath",
    "-platformtheme",
    "-plugin",
    "-qwindowgeometry",
    "-qwindowicon",
    "-qwindowtitle",
    "-session",
    "-display",
    "-geometry",
    "-style",
    "-stylesheet",
    "-title",
    "-name",
}


def picture_argument(rest: list[str]) -> tuple[str | None, list[str]]:
    """(the picture to open, Qt's arguments) from what argparse left: the first word that is
    neither an option nor the value of one of Qt's (`nn-playground photo.jpg`, as a file manager's
    "Open with" runs it)."""
    qt, picture, after_option = [], None, False
    for a in rest:
        if picture is None and not a.startswith("-") and not after_option:
            picture = a
        else:
            qt.append(a)
        after_option = a.split("=", 1)[0] in QT_VALUE_OPTIONS and "=" not in a
    return picture, qt


def window_size(text: str) -> tuple[int, int]:
    """ "1024x600" -> (1024, 600); a clear error for anything else (argparse says it)."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, for instance 1024x600") from None
    if not (320 <= w <= 16384 and 240 <= h <= 16384):
        raise argparse.ArgumentTypeError(f"{text!r}: a window from 320x240 to 16384x16384")
    return w, h


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Desktop neural-network playground",
        usage="%(prog)s [options] [PICTURE] [Qt options]",
        epilog="PICTURE: a photo, scan or screenshot of a digit to open on the Digits page.",
    )
    ap.add_argument("--settings", help="settings INI file (default: the user's)")
    ap.add_argument("--digits-weights", help="digit CNN .safetensors (default: the shipped one)")
    ap.add_argument("--screenshot", help="save a screenshot of each page to this prefix and quit")
    ap.add_argument(
        "--size",
        type=window_size,
        help="the window's size for --screenshot, WIDTHxHEIGHT (default 1400x860)",
    )
    ap.add_argument(
        "--report-startup",
        action="store_true",
        help="print seconds from $NNPG_T0 to a responsive window, then quit",
    )
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen app (PyInstaller) starts its training processes here
    args, rest = ap.parse_known_args(argv)
    # Not an argparse positional: it would take the value of Qt's "-platform offscreen" for one.
    picture, qt_args = picture_argument(rest)
    problem = display_problem(qt_args)
    if problem:
        print(f"nn-playground: {problem}", file=sys.stderr)
        return 2
    from app.quit_signals import QuitOnSignals

    quit_signals = QuitOnSignals().install()  # before the slow imports: a Ctrl+C then is kept

    from PySide6.QtWidgets import QApplication

    from app.tuning.pyside_imports import lighten_feature_check

    lighten_feature_check()  # before pyqtgraph and the window's modules are imported
    from app.window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("nn-playground")
    app.setDesktopFileName("nn-playground")  # Wayland: ties the window to packaging/'s desktop entry
    settings = args.settings
    if args.screenshot and not settings:  # screenshots neither read nor change the user's settings
        import tempfile

        settings = os.path.join(tempfile.mkdtemp(), "screenshot.ini")
    win = MainWindow(settings, args.digits_weights)
    win.show()
    if picture:
        win.pictures.open(os.path.abspath(picture))  # read once the engines are up; a bad one is named
    quit_signals.connect(app.closeAllWindows)  # the window's closeEvent saves and stops the worker
    if args.report_startup:
        import time

        from PySide6.QtCore import QTimer

        def report() -> None:  # runs once the event loop turns: the window is up and responsive
            t0 = float(os.environ.get("NNPG_T0", time.time()))
            print(f"startup {time.time() - t0:.3f} s", flush=True)
            win.close()

        QTimer.singleShot(0, report)
    if args.screenshot:
        from app.screenshot import schedule_screenshots

        schedule_screenshots(win, args.screenshot, args.size)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
