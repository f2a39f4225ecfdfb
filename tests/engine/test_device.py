"""Device choice and the cores the engines' threads may use."""

import os

import pytest
import torch

from engine.device import device_name, pick_device
from engine.machine import StealCounter, cpus_kept_busy, stolen_ms, usable_cores


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


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_cpus_kept_busy_by_a_lowest_priority_spinner_each_gone_after():
    cpus = sorted(os.sched_getaffinity(0))
    with cpus_kept_busy() as spinners:
        assert len(spinners) == len(cpus)
        for p, cpu in zip(spinners, cpus, strict=True):
            assert p.poll() is None  # running
            assert os.sched_getscheduler(p.pid) == os.SCHED_IDLE
            assert os.sched_getaffinity(p.pid) == {cpu}
    assert all(p.poll() is not None for p in spinners)
