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
