"""Start the playground: `nn-playground` or `python -m app`."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Desktop neural-network playground")
    ap.add_argument("--settings", help="settings INI file (default: the user's)")
    ap.add_argument("--digits-weights", help="digit CNN .safetensors (default: the shipped one)")
    ap.add_argument("--screenshot", help="save a screenshot of each page to this prefix and quit")
    args, qt_args = ap.parse_known_args(argv)

    from PySide6.QtWidgets import QApplication

    from app.window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("nn-playground")
    win = MainWindow(args.settings, args.digits_weights)
    win.show()
    if args.screenshot:
        from app.screenshot import schedule_screenshots

        schedule_screenshots(win, args.screenshot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
