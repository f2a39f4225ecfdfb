"""NNPG_TUNING=off turns every machine-tuning item off (issue 24): each leaves the process as it
would be without the app's tuning."""

import os
import sys
import threading

import pytest

from app.tuning import enabled


@pytest.mark.parametrize(
    "value, on", [(None, True), ("on", True), ("off", False), ("0", False), ("False", False)]
)
def test_the_switch_reads_the_environment(monkeypatch, value, on):
    if value is None:
        monkeypatch.delenv("NNPG_TUNING", raising=False)
    else:
        monkeypatch.setenv("NNPG_TUNING", value)
    assert enabled() is on


def test_with_tuning_off_no_item_acts(monkeypatch):
    from app.tuning.one_core import sharing_one_core
    from app.tuning.pyside_imports import lighten_feature_check
    from app.tuning.torch_preload import preset_cpu_threads, start_cuda_driver

    monkeypatch.setenv("NNPG_TUNING", "off")
    for v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(v, raising=False)
    with sharing_one_core(threading.get_native_id()) as pinned:
        assert pinned is False
    assert preset_cpu_threads(2) is False and "OMP_NUM_THREADS" not in os.environ
    assert start_cuda_driver("auto") is False and lighten_feature_check() is False


def test_no_cuda_context_is_started_for_a_cpu_only_torch(monkeypatch):
    from app.tuning import torch_preload

    monkeypatch.setattr(torch_preload, "torch_has_cuda", lambda: False)
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    assert torch_preload.start_cuda_driver("auto") is False


def test_one_item_can_be_turned_off_and_the_rest_stay_on(monkeypatch):
    from app.tuning import ITEMS

    monkeypatch.setenv("NNPG_TUNING", "-one_core, -gc_freeze")
    assert enabled() is True
    assert {name for name in ITEMS if not enabled(name)} == {"one_core", "gc_freeze"}
    with sharing_one_core_off() as pinned:
        assert pinned is False


def sharing_one_core_off():
    from app.tuning.one_core import sharing_one_core

    return sharing_one_core(threading.get_native_id())


def test_a_misspelt_item_is_named_once_and_turns_nothing_off(monkeypatch, capsys):
    from app.tuning import ITEMS

    monkeypatch.setenv("NNPG_TUNING", "-one_cor")
    assert all(enabled(name) for name in ITEMS)
    assert all(enabled(name) for name in ITEMS)
    assert capsys.readouterr().err.count("names no item 'one_cor'") == 1


def test_asking_for_an_item_that_does_not_exist_is_a_programming_error():
    with pytest.raises(KeyError):
        enabled("turbo")


def test_the_collector_is_left_alone_with_its_item_off(monkeypatch):
    import gc

    from app.tuning.collector import collector_paused_while_loading

    monkeypatch.setenv("NNPG_TUNING", "-gc_freeze")
    frozen = gc.get_freeze_count()
    with collector_paused_while_loading() as paused:
        assert paused is False and gc.isenabled()
    assert gc.get_freeze_count() == frozen
    monkeypatch.setenv("NNPG_TUNING", "on")
    with collector_paused_while_loading() as paused:
        assert paused is True and not gc.isenabled()
    assert gc.isenabled()
    gc.unfreeze()  # leave the test process as it was
