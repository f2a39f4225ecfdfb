"""Device choice, the cores the engines' threads may use, and what the machine is asked or told."""

import os
import struct
import time

import pytest
import torch

from app.tuning.cpu_latency import CpuLatencyRequest
from benchmarks.machine_load import StealCounter, cpus_kept_busy, stolen_ms
from engine.device import device_name, pick_device
from engine.machine import usable_cores


def test_cpu_and_unknown_devices():
    assert pick_device("cpu") == torch.device("cpu")
    assert device_name(torch.device("cpu")) == "CPU"
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        pick_device("tpu")


def test_cuda_falls_back_to_cpu_only_when_absent():
    want = "cuda" if torch.cuda.is_available() else "cpu"
    assert pick_device("cuda").type == want
    assert pick_device("auto").type in (want, "mps")


@pytest.mark.parametrize("name", ["cudax", "cuda:", "cuda:one", "cuda:-1"])
def test_a_misspelt_cuda_device_is_an_unknown_device_not_a_torch_error(name):
    with pytest.raises(ValueError, match="unknown device"):
        pick_device(name)


def test_a_cuda_index_past_the_machines_gpus_is_refused_with_their_count(monkeypatch):
    # What a one-GPU machine answers (this needs no GPU: torch.device does not open the device).
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert pick_device("cuda:0") == torch.device("cuda:0")
    assert pick_device("CUDA") == torch.device("cuda")
    with pytest.raises(ValueError, match=r"no CUDA device 1: this machine has 1 \(cuda:0 to cuda:0\)"):
        pick_device("cuda:1")


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


def test_cpu_latency_request_writes_its_value_and_stands_while_open(tmp_path):
    f = tmp_path / "qos"
    f.write_bytes(b"")
    req = CpuLatencyRequest(us=0, path=str(f))
    assert req.hold() and req.held and req.why_not is None
    assert req.hold()  # already held: no second write
    assert struct.unpack("i", f.read_bytes()) == (0,)
    req.release()
    assert not req.held
    req.release()  # twice: harmless


@pytest.mark.parametrize("where, says", [("missing", "does not exist"), ("a_dir", "cannot open")])
def test_cpu_latency_request_says_why_it_cannot_be_held(tmp_path, where, says):
    (tmp_path / "a_dir").mkdir()
    path = str(tmp_path / where)
    req = CpuLatencyRequest(path=path)
    assert not req.hold() and not req.held
    assert says in req.why_not and path in req.why_not
    assert not req.hold()  # refused once: not tried again on every input


def _poll_entries() -> int | None:
    """How often the CPUs have entered the polling idle state; None where there is none to read."""
    total = 0
    for cpu in sorted(os.sched_getaffinity(0)):
        d = f"/sys/devices/system/cpu/cpu{cpu}/cpuidle/state0"
        try:
            with open(f"{d}/name") as n, open(f"{d}/usage") as u:
                if n.read().strip() != "POLL":
                    return None
                total += int(u.read())
        except OSError:
            return None
    return total


def test_the_real_cpu_latency_request_makes_idle_cpus_poll():
    before = _poll_entries()
    if before is None:
        pytest.skip("no cpuidle polling state to watch here (no cpuidle driver, or state0 is not POLL)")
    req = CpuLatencyRequest(us=0)
    if not req.hold():
        pytest.skip(f"the request was refused: {req.why_not}")
    try:
        time.sleep(0.3)  # idle: the CPUs now poll instead of halting
        during = _poll_entries() - before
    finally:
        req.release()
    assert during > 10, f"the CPUs entered their polling state {during} times in 0.3 s idle"
