"""PySide6's per-import source check made cheap (app/tuning/pyside_imports.py), in a fresh interpreter."""

import subprocess
import sys
import textwrap

CODE = """
import linecache, sys
from pathlib import Path
from app.tuning.pyside_imports import lighten_feature_check
before = lighten_feature_check()  # PySide6 not imported yet: nothing to swap
import PySide6.QtCore
import shibokensupport.feature as feature
swapped, again = lighten_feature_check(), lighten_feature_check()
folder = Path(sys.argv[1])
(folder / "uses_qt.py").write_text("from PySide6 import QtCore\\n")
(folder / "plain.py").write_text("import math\\n")
sys.path.insert(0, str(folder))
import plain, uses_qt
print(before, swapped, again, feature.pyside_feature_dict["uses_qt"], feature.pyside_feature_dict["plain"],
      any("plain.py" in name for name in linecache.cache))
"""


def test_the_check_answers_as_pysides_own_and_keeps_no_source(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CODE), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    # 0: a module that uses PySide6 (features may be switched for it); -1: one PySide6 ignores.
    assert out.stdout.split() == ["False", "True", "False", "0", "-1", "False"]
