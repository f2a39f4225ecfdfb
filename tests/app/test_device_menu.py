"""The Device menu's choices (issue 24: MPS where torch may have it)."""

import sys


def test_apple_mps_is_offered_on_macos_only_and_falls_back_with_a_notice():
    import torch

    from app.engine_loading import EngineLoading
    from app.window_menus import DEVICES

    assert ("mps" in [k for _, k in DEVICES]) == (sys.platform == "darwin")
    loader = EngineLoading()
    loader.device = torch.device("cpu")
    assert loader._fallback_notice("mps") == "Apple MPS is not available here: running on the CPU"
    loader.device = torch.device("mps") if torch.backends.mps.is_available() else torch.device("cpu")
    assert loader._fallback_notice("auto") == ""


def test_the_device_menu_ticks_what_runs(window, qtbot):
    import torch

    def ticked() -> str:
        return next(a.data() for a in window.device_group.actions() if a.isChecked())

    auto = next(a for a in window.device_group.actions() if a.data() == "auto")
    assert ticked() == "auto" and auto.text() == f"Auto ({window.client.worker.device.type.upper()})"
    if torch.cuda.is_available():
        return  # CUDA would run: nothing to fall back from here
    window.set_device("cuda")  # no GPU here: the CPU runs, and the menu says so
    qtbot.waitUntil(lambda: ticked() == "cpu", timeout=10_000)
    assert window.device_pref == "cpu"
