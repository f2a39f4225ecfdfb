"""What a user's files and scribbles could do to the engines (issue 22): each test failed before
its fix and passes after."""

import os
import struct

import cv2
import numpy as np
import pytest

from engine.bad_file import BadFileError
from engine.digits import DigitEngine
from engine.digits.model import DigitNet, DigitNetConfig
from engine.digits.picture import picture_to_canvas, read_picture
from engine.digits.scribbles import scribble_canvas
from engine.digits.strokes import render_strokes
from engine.weights import WeightsError, save_weights


def save_digit_net(path, config: dict, net: DigitNet | None = None) -> None:
    net = net or DigitNet(DigitNetConfig(channels=[4, 8], hidden=16))
    save_weights(path, net.state_dict(), {"model": "DigitNet", "config": config})


@pytest.mark.parametrize(
    "change",
    [
        {"dropout": 2.0},
        {"dropout": "lots"},
        {"hidden": -1},
        {"hidden": 3e9},
        {"hidden": 3_000_000_000},
        {"channels": [4.5, 8]},
        {"channels": "4,8"},
        {"convs_per_block": 1.5},
        {"convs_per_block": True},
    ],
    ids=lambda c: repr(c),
)
def test_a_bad_config_is_a_weights_error_naming_the_file(tmp_path, change):
    path = tmp_path / "mine.safetensors"
    save_digit_net(path, {**DigitNetConfig(channels=[4, 8], hidden=16).to_dict(), **change})
    with pytest.raises(WeightsError, match="mine.safetensors"):
        DigitEngine.load(path, device="cpu")


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors")  # (five halvings: nothing left)
def test_a_self_consistent_five_block_network_is_a_weights_error(tmp_path):
    # Built past the config's own check: every tensor fits, but five halvings leave no pixel.
    cfg = object.__new__(DigitNetConfig)
    cfg.__dict__.update(
        channels=[2, 2, 2, 2, 2], convs_per_block=1, hidden=8, activation="relu", pooling="max", dropout=0.0
    )
    net = DigitNet(cfg)
    path = tmp_path / "five.safetensors"
    save_digit_net(path, dict(cfg.__dict__), net)
    with pytest.raises(WeightsError, match="five.safetensors"):
        DigitEngine.load(path, device="cpu")


def test_a_negative_batch_norm_variance_is_a_weights_error_not_nan(tmp_path):
    net = DigitNet(DigitNetConfig(channels=[4, 8], hidden=16))
    sd = net.state_dict()
    sd["norms.1.running_var"][3] = -7.2  # as flipped bytes made it
    path = tmp_path / "flipped.safetensors"
    save_weights(path, sd, {"model": "DigitNet", "config": net.config.to_dict()})
    with pytest.raises(WeightsError, match="flipped.safetensors.*negative variance"):
        DigitEngine.load(path, device="cpu")


def test_weights_that_compute_infinity_are_a_weights_error(tmp_path):
    net = DigitNet(DigitNetConfig(channels=[4, 8], hidden=16))
    sd = net.state_dict()
    sd["fc1.weight"].fill_(3e38)  # finite numbers whose sums overflow
    path = tmp_path / "huge.safetensors"
    save_weights(path, sd, {"model": "DigitNet", "config": net.config.to_dict()})
    with pytest.raises(WeightsError, match="huge.safetensors.*NaN or infinity"):
        DigitEngine.load(path, device="cpu")


def exif_jpeg(grey: np.ndarray, orientation: int) -> bytes:
    """A JPEG of `grey` with an EXIF Orientation tag, as a phone writes it."""
    ok, jpg = cv2.imencode(".jpg", grey, [cv2.IMWRITE_JPEG_QUALITY, 95])
    assert ok
    tiff = b"MM" + struct.pack(">HI", 42, 8) + struct.pack(">H", 1)
    tiff += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
    body = b"Exif\x00\x00" + tiff
    jpg = jpg.tobytes()
    return jpg[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + jpg[2:]


def photographed(digit: np.ndarray) -> np.ndarray:
    """A 28x28 digit as dark ink on light paper, 10x larger."""
    big = cv2.resize(digit, (280, 280), interpolation=cv2.INTER_CUBIC)
    return (235 - big.astype(np.float32) * 0.8).clip(0, 255).astype(np.uint8)


@pytest.mark.parametrize("orientation, turn", [(6, 1), (8, -1), (3, 2)])
def test_a_phone_photo_with_exif_orientation_reads_as_the_upright_one(
    tmp_path, mnist_available, digit_engine, orientation, turn
):
    from engine.digits.data import load_mnist

    images, labels = load_mnist("test", mnist_available)
    for i in range(8):
        upright = photographed(images[i])
        # The sensor's pixels: the upright picture turned back; the tag says how to stand it up.
        stored = np.ascontiguousarray(np.rot90(upright, turn))
        path = tmp_path / f"photo{i}.jpg"
        path.write_bytes(exif_jpeg(stored, orientation))
        plain = tmp_path / f"upright{i}.jpg"
        plain.write_bytes(exif_jpeg(upright, 1))
        a = digit_engine.predict(picture_to_canvas(read_picture(path), (280, 280)))
        b = digit_engine.predict(picture_to_canvas(read_picture(plain), (280, 280)))
        assert a.label == b.label == labels[i]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_no_picture_and_never_blocks(tmp_path):
    fifo = tmp_path / "p.png"
    os.mkfifo(fifo)
    with pytest.raises(BadFileError, match="p.png: not a regular file"):
        read_picture(fifo)  # before: blocked for good waiting for a writer


def test_a_float_canvas_scaled_up_with_cubic_interpolation_reads_the_same(digit_engine, pendigits):
    from engine.digits.synth import render_digit

    for d in pendigits[:40]:
        small = render_digit(d, 10, canvas=140, height=100).astype(np.float32) / 255.0
        big = cv2.resize(small, (280, 280), interpolation=cv2.INTER_CUBIC)
        assert big.max() > 1.0  # the overshoot that made it read as 0-255 (and as no ink)
        a, b = digit_engine.predict(small), digit_engine.predict(big)
        assert b.status == a.status == "ok" and b.label == a.label


def test_a_dot_a_dash_and_a_scrawl_are_not_digits_and_say_so(digit_engine):
    dot = render_strokes([np.float32([[140, 140]])], 280, 16)
    dash = render_strokes([np.float32([[60, 140], [220, 150]])], 280, 16)
    scrawl = render_strokes(
        [np.float32([[40, 200], [80, 60], [120, 220], [160, 50], [200, 230], [240, 70]])], 280, 12
    )
    for canvas in (dot, dash, scrawl):
        res = digit_engine.predict(canvas)
        assert res.status == "not_digit" and res.label is None and res.message == "not a digit"
        assert abs(float(res.probs.sum()) - 1.0) < 1e-5 and res.activations  # the CNN's own, to look at
    one = render_strokes([np.float32([[140, 40], [135, 240]])], 280, 16)  # a stroke upright is a "1"
    assert digit_engine.predict(one).label == 1


def test_most_generated_marks_are_named_and_held_out_pen_digits_are_not(digit_engine, pendigits):
    from engine.digits.scribbles import KINDS
    from engine.digits.synth import EVAL_PEN_WIDTHS, render_digit
    from engine.digits.train_check import HELD_OUT_WRITERS

    rng = np.random.default_rng(2024)  # neither training's seeds nor the evaluation's
    marks = [scribble_canvas(k, rng) for k in KINDS for _ in range(15)]
    named = np.mean([digit_engine.predict(m, keep_steps=False).status == "not_digit" for m in marks])
    assert named >= 0.9
    held = [d for d in pendigits if d.writer in HELD_OUT_WRITERS][::10]
    results = [
        digit_engine.predict(render_digit(d, pw), keep_steps=False) for d in held for pw in EVAL_PEN_WIDTHS
    ]
    assert np.mean([r.status == "not_digit" for r in results]) <= 0.02


def test_without_the_check_every_mark_is_read_as_a_digit(tmp_path):
    eng = DigitEngine.load(device="cpu", check=None)
    dot = render_strokes([np.float32([[140, 140]])], 280, 16)
    assert eng.predict(dot).status == "ok"
