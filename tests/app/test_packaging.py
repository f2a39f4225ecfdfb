"""What packaging/ ships: the frozen app's entry script and the desktop entry's icon."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_frozen_apps_entry_script_runs_the_app(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "launch.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0 and "--digits-weights" in out.stdout


def test_the_spec_bundles_every_shipped_file_the_app_loads():
    spec = (ROOT / "packaging" / "nn-playground.spec").read_text()
    assert '"assets"' in spec and 'collect_submodules("engine")' in spec
    shipped = {p.suffix for p in (ROOT / "assets").iterdir()}
    for suffix in shipped:
        assert f'"{suffix}"' in spec, f"{suffix} files in assets/ are not bundled"
