"""A bad file given to a command line is one line naming it, exit status 2; a bug still raises."""

import subprocess
import sys
from functools import partial

import pytest

from engine.bad_file import BadFileError, run_command
from engine.weights import WeightsError


def test_weights_and_data_problems_are_bad_files():
    assert issubclass(WeightsError, BadFileError) and issubclass(BadFileError, ValueError)


@pytest.mark.parametrize(
    ("module", "args", "said"),
    [
        ("benchmarks.digits", ["--mnist", "{tmp}", "--limit", "5"], "no t10k-images-idx3-ubyte"),
        ("benchmarks.digits", ["--weights", "{tmp}/w.safetensors", "--bench-only"], "not a readable"),
        ("benchmarks.text", ["--misspellings", "{tmp}/missing.txt"], "No such file"),
        ("benchmarks.text", ["--corpus", "{tmp}"], "no .txt files"),
        ("engine.text.units", ["--corpus", "{tmp}"], "no .txt files"),
        ("engine.text.influence", ["--corpus", "{tmp}"], "no .txt files"),
    ],
)
def test_command_lines_name_the_bad_file_in_one_line(tmp_path, capsys, module, args, said):
    import importlib

    (tmp_path / "w.safetensors").write_bytes(b"\x00" * 64)
    main = importlib.import_module(module).main
    code = run_command(partial(main, [a.format(tmp=tmp_path) for a in args]))
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err  # one line, whatever is missing
    from engine.paths import data_dir

    if not data_dir("").is_dir():
        pytest.skip("../shared/data not here: another data set is missing first (said in one line)")
    assert said in err and str(tmp_path) in err


def test_a_bug_is_not_dressed_as_a_bad_file():
    def buggy() -> int:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        run_command(buggy)


def test_the_module_entry_point_uses_it(tmp_path):
    # `python -m benchmarks.digits` itself: no traceback, status 2.
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.digits", "--pendigits", str(tmp_path), "--limit", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr and str(tmp_path) in out.stderr


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("benchmarks.digits", ["--device", "tpu", "--bench-only"]),
        ("benchmarks.text", ["--device", "cuda:x"]),
    ],
)
def test_an_unknown_device_is_one_line_too(capsys, module, args):
    import importlib

    code = run_command(partial(importlib.import_module(module).main, args))
    err = capsys.readouterr().err.strip()
    assert code == 2 and f"unknown device '{args[1]}'" in err and "\n" not in err
