"""What is done before `import torch` (app/tuning/torch_preload.py): its libraries loaded with the GIL
released, the CUDA driver started, its CPU thread pools sized."""

import os
import subprocess
import sys
import textwrap

from app.tuning.torch_preload import (
    TORCH_LIBRARIES,
    preload_torch,
    preset_cpu_threads,
    start_cuda_driver,
    torch_library,
)


def _fresh_python(code: str, env: dict | None = None, timeout: int = 120) -> list[str]:
    """Run code in a new interpreter (in this one torch is imported already); its printed words."""
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
        env=env,
    )
    return out.stdout.split()


def test_torch_loads_and_works_after_the_preload():
    words = _fresh_python(
        """
        import sys
        from app.tuning.torch_preload import preload_torch
        loaded = preload_torch()
        assert "torch" not in sys.modules
        import torch
        print(loaded, float(torch.ones(3).sum()), torch.nn.functional.relu(torch.tensor([-1.0, 2.0])).tolist())
        """
    )
    assert words == ["True", "3.0", "[0.0,", "2.0]"]


def test_all_of_torchs_libraries_are_loaded_before_the_import():
    # libtorch_python brings libtorch (and on a CUDA build libtorch_cuda): all of it off the GIL.
    words = _fresh_python(
        """
        import sys
        from app.tuning.torch_preload import preload_torch
        loaded = preload_torch()
        maps = open("/proc/self/maps").read()
        print(loaded, "torch" in sys.modules, *(name in maps for name in ("libtorch_cpu", "libtorch_python", "libtorch.")))
        """
    )
    assert words == ["True", "False", "True", "True", "True"]
    assert all(torch_library(name).is_file() for name in TORCH_LIBRARIES)


def _env_without_thread_variables() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}


def test_threads_preset_before_torch_loads_need_no_resize_after():
    # configure_threads finds the pool sized already and leaves set_num_threads alone (it builds the
    # pool holding the GIL); set_num_threads is made to fail here to prove it is not called.
    words = _fresh_python(
        """
        import os
        from app.tuning.torch_preload import preset_cpu_threads, preload_torch
        print(preset_cpu_threads(1), os.environ["OMP_NUM_THREADS"], os.environ["MKL_NUM_THREADS"])
        preload_torch()
        import torch
        def refuse(n):
            raise AssertionError("set_num_threads called")
        torch.set_num_threads = refuse
        from engine.device import configure_threads
        print(configure_threads(cores=2), torch.get_num_threads())
        """,
        env=_env_without_thread_variables(),
    )
    assert words == ["True", "1", "1", "1", "1"]


def test_the_users_own_thread_setting_is_kept():
    env = {**_env_without_thread_variables(), "OMP_NUM_THREADS": "3"}
    words = _fresh_python(
        """
        import os
        from app.tuning.torch_preload import preset_cpu_threads
        print(preset_cpu_threads(1), os.environ["OMP_NUM_THREADS"], os.environ.get("MKL_NUM_THREADS"))
        """,
        env=env,
    )
    assert words == ["False", "3", "None"]


def test_threads_are_not_preset_once_torch_is_imported(monkeypatch):
    import torch  # noqa: F401

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    assert preset_cpu_threads(1) is False
    assert "OMP_NUM_THREADS" not in os.environ


def test_nothing_is_done_once_torch_is_imported():
    import torch  # noqa: F401

    assert torch_library() is not None and torch_library().is_file()
    assert preload_torch() is False


def test_cuda_driver_started_before_torch_where_there_is_a_gpu():
    # True exactly where torch then finds CUDA, and torch runs on it after; False, harmlessly, elsewhere.
    started, works = _fresh_python(
        """
        from app.tuning.torch_preload import preload_torch, start_cuda_driver
        preload_torch()
        started = start_cuda_driver()
        import torch
        ok = torch.cuda.is_available()
        if ok:
            ok = float((torch.ones(3, device="cuda") * 2).sum().cpu()) == 6.0
        print(started, ok)
        """
    )
    assert started == works


def test_cuda_driver_is_left_to_torch_once_torch_is_imported():
    import torch  # noqa: F401

    assert start_cuda_driver() is False


def test_cuda_driver_left_alone_when_the_cpu_is_chosen():
    words = _fresh_python(
        """
        from app.tuning.torch_preload import start_cuda_driver
        started = start_cuda_driver("cpu")
        print(started, "libcuda" in open("/proc/self/maps").read())
        """
    )
    assert words == ["False", "False"]
