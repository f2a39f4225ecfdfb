import os
import threading

import pytest

from app.tuning.one_core import sharing_one_core

linux_two_cores = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs sched_setaffinity and two cores",
)


def _run_in_thread(fn):
    out = {}
    t = threading.Thread(target=lambda: out.update(fn()))
    t.start()
    t.join()
    return out


@linux_two_cores
def test_both_threads_share_one_core_then_get_their_cores_back():
    gui = threading.get_native_id()  # this thread plays the GUI thread
    before = os.sched_getaffinity(0)
    started = threading.Event()
    stop = threading.Event()
    born_inside: dict = {}

    def loader():
        with sharing_one_core(gui) as pinned:
            inside = (os.sched_getaffinity(0), os.sched_getaffinity(gui))

            def child():  # a thread started meanwhile inherits the pin
                born_inside["tid"] = threading.get_native_id()
                started.set()
                stop.wait(5)

            t = threading.Thread(target=child)
            t.start()
            started.wait(5)
            born_inside["inside"] = os.sched_getaffinity(born_inside["tid"])
        after_child = os.sched_getaffinity(born_inside["tid"])
        stop.set()
        t.join()
        return {"pinned": pinned, "inside": inside, "after": os.sched_getaffinity(0), "child": after_child}

    out = _run_in_thread(loader)
    assert out["pinned"]
    assert len(out["inside"][0]) == 1 and out["inside"][0] == out["inside"][1]
    assert born_inside["inside"] == out["inside"][0]
    assert out["after"] == before and out["child"] == before and os.sched_getaffinity(0) == before


@linux_two_cores
def test_a_thread_that_has_gone_leaves_the_caller_unpinned():
    before = os.sched_getaffinity(0)

    def loader():
        if threading.get_native_id() == gone:  # the kernel gave the gone thread's id to this one
            return {"reused": True}
        with sharing_one_core(gone) as pinned:
            return {"pinned": pinned, "after_enter": os.sched_getaffinity(0)}

    for _ in range(5):
        gone = _run_in_thread(lambda: {"tid": threading.get_native_id()})["tid"]
        out = _run_in_thread(loader)
        if not out.get("reused"):
            break
    assert out["pinned"] is False and out["after_enter"] == before


def test_nothing_changes_where_there_is_one_core_or_no_affinity(monkeypatch):
    if hasattr(os, "sched_getaffinity"):
        monkeypatch.setattr(os, "sched_getaffinity", lambda tid: {0})
    with sharing_one_core(threading.get_native_id()) as pinned:
        assert pinned is False
