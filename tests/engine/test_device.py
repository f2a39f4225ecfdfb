"""Device choice and the cores the engines' threads may use."""

import os

import pytest
import torch

from engine.device import device_name, pick_device
from engine.machine import StealCounter, stolen_ms, usable_cores


def test_cpu_and_unknown_devices():
    assert pick_device("cpu") == torch.device("cpu")
    assert device_name(torch.device("cpu")) == "CPU"
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        pick_device("tpu")


def test_cuda_falls_back_to_cpu_only_when_absent():
    want = "cuda" if torch.cuda.is_available() else "cpu"
    assert pick_device("cuda").type == want
    assert pick_device("auto").type in (want, "mps")


def test_env_preference(monkeypatch):
    monkeypatch.setenv("NNPG_DEVICE", "cpu")
    assert pick_device() == torch.device("cpu")


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux only")
def test_usable_cores_follow_the_affinity_not_the_machine(monkeypatch):
    # taskset or a container's cpuset: torch must not start a thread per core of the machine.
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {2, 3})
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert usable_cores() == 2


def test_the_open_steal_counter_reads_what_stolen_ms_reads():
    counter = StealCounter()
    before, fast, after = stolen_ms(), counter.ms(), stolen_ms()
    if before is None:  # a kernel without /proc/stat: both say so
        assert fast is None
    else:
        assert before <= fast <= after
    counter.close()
    assert counter.ms() is None
