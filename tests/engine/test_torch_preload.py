"""Loading torch's library with the GIL released (engine/torch_preload.py)."""

import subprocess
import sys
import textwrap

from engine.torch_preload import preload_torch, start_cuda_driver, torch_library


def test_torch_loads_and_works_after_the_preload():
    # A fresh interpreter: in this one torch is imported already.
    code = textwrap.dedent(
        """
        import sys
        from engine.torch_preload import preload_torch
        loaded = preload_torch()
        assert "torch" not in sys.modules
        import torch
        print(loaded, float(torch.ones(3).sum()), torch.nn.functional.relu(torch.tensor([-1.0, 2.0])).tolist())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.split() == ["True", "3.0", "[0.0,", "2.0]"]


def test_nothing_is_done_once_torch_is_imported():
    import torch  # noqa: F401

    assert torch_library() is not None and torch_library().is_file()
    assert preload_torch() is False


def test_cuda_driver_started_before_torch_where_there_is_a_gpu():
    # True exactly where torch then finds CUDA, and torch runs on it after; False, harmlessly, elsewhere.
    code = textwrap.dedent(
        """
        from engine.torch_preload import preload_torch, start_cuda_driver
        preload_torch()
        started = start_cuda_driver()
        import torch
        ok = torch.cuda.is_available()
        if ok:
            ok = float((torch.ones(3, device="cuda") * 2).sum().cpu()) == 6.0
        print(started, ok)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    started, works = out.stdout.split()
    assert started == works


def test_cuda_driver_is_left_to_torch_once_torch_is_imported():
    import torch  # noqa: F401

    assert start_cuda_driver() is False


def test_cuda_driver_left_alone_when_the_cpu_is_chosen():
    code = textwrap.dedent(
        """
        from engine.torch_preload import start_cuda_driver
        started = start_cuda_driver("cpu")
        print(started, "libcuda" in open("/proc/self/maps").read())
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["False", "False"]
