from app.mailbox import Mailbox


def test_latest_wins_and_one_wake():
    mb = Mailbox(priority=("load",))
    seq1, wake1 = mb.post("digit", "a")
    seq2, wake2 = mb.post("digit", "b")
    assert wake1 and not wake2 and seq2 > seq1
    mb.post("text", "t")
    mb.post("load", "l")
    assert mb.take().kind == "load"  # control first
    r = mb.take()
    assert (r.kind, r.payload, r.seq) == ("digit", "b", seq2)  # the newest digit; then the older text
    assert mb.take().payload == "t"
    assert mb.take() is None
    _, wake = mb.post("digit", "c")
    assert wake  # the worker emptied the box, so the next post wakes it again


def test_queued_kinds_keep_every_request_in_order():
    mb = Mailbox(queued=("correct",))
    mb.post("correct", "first")
    mb.post("digit", "d1")
    mb.post("correct", "second")
    mb.post("digit", "d2")
    got = []
    while (r := mb.take()) is not None:
        got.append(r.payload)
    assert got == ["first", "second", "d2"]
    assert len(mb) == 0


def test_atlas_places_and_finds_maps():
    import numpy as np

    from app.plots import Atlas, mosaic

    shapes = {"kernels": (8, 3, 3), "conv1": (8, 28, 28), "pool1": (8, 14, 14), "fc1": (16,)}
    atlas = Atlas(shapes)
    img = mosaic(np.random.rand(8, 28, 28))
    x0, y0, f = atlas.places["conv1"]
    x, y, w, h = atlas.rect("conv1", img.shape)
    assert (x, y, w, h) == (x0, y0, img.shape[1] * f, img.shape[0] * f)
    assert x + w <= atlas.width and y + h <= atlas.height
    # map 4 of a 3x3 grid of 28x28 maps sits in the middle cell
    assert atlas.locate(x0 + (29 + 5) * f, y0 + (29 + 5) * f) == ("conv1", 4)
    assert atlas.locate(-5, -5) is None
    for name, n in (("conv1", 8), ("pool1", 8), ("kernels", 8)):  # map_rect is locate's inverse
        for i in range(n):
            mx, my, mw, mh = atlas.map_rect(name, i)
            assert atlas.locate(mx + mw / 2, my + mh / 2) == (name, i)
            assert (
                atlas.locate(mx + 0.01, my + 0.01)
                == (name, i)
                == atlas.locate(mx + mw - 0.01, my + mh - 0.01)
            )


def test_answers_latest_wins_one_signal_per_take(qtbot):
    """Answers to drawing and typing queue no backlog on the way back either: the GUI, woken
    once, takes the newest; the next answer after a take signals again. Others keep every one."""
    from app import protocol as P
    from app.worker import EngineWorker

    wk = EngineWorker()
    signals, results = [], []
    wk.newestReady.connect(signals.append)
    wk.resultReady.connect(lambda seq, res: results.append((seq, res)))
    wk._deliver(P.ReadDigit.kind, 1, "old")
    wk._deliver(P.ReadDigit.kind, 2, "new")
    wk._deliver(P.ReadText.kind, 3, "t")
    assert signals == [P.ReadDigit.kind, P.ReadText.kind]
    assert wk.take_newest(P.ReadDigit.kind) == (2, "new")
    assert wk.take_newest(P.ReadDigit.kind) is None
    wk._deliver(P.ReadDigit.kind, 4, "next")
    assert signals == [P.ReadDigit.kind, P.ReadText.kind, P.ReadDigit.kind]
    wk._deliver(P.Correct.kind, 5, "c1")
    wk._deliver(P.Correct.kind, 6, "c2")
    assert results == [(5, "c1"), (6, "c2")]  # every correction answered


def test_low_kinds_wait_until_nothing_else_does():
    mb = Mailbox(priority=("load",), low=("influence",))
    mb.post("influence", "i1")
    mb.post("text", "t1")
    mb.post("influence", "i2")  # replaces i1: latest wins for low kinds too
    assert mb.take().payload == "t1"  # posted after the first influence, taken before it
    mb.post("load", "l")
    assert mb.take().kind == "load"
    assert mb.take().payload == "i2"  # nothing else waits now
    assert mb.take() is None
