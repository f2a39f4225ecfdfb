import numpy as np
import pytest
import torch

from engine.digits import DigitEngine
from engine.digits.model import DigitNet, DigitNetConfig
from engine.weights import WeightsError, load_weights, save_weights


def _save_net(path, config=None):
    torch.manual_seed(1)
    net = DigitNet(config or DigitNetConfig(channels=[4, 8], hidden=16)).eval()
    save_weights(
        path, net.state_dict(), {"model": "DigitNet", "config": net.config.to_dict(), "note": "test"}
    )
    return net


def test_round_trip_rebuilds_the_same_model(tmp_path):
    path = tmp_path / "w.safetensors"
    net = _save_net(path, DigitNetConfig(channels=[4, 8], hidden=16, activation="tanh", pooling="min"))
    eng = DigitEngine.load(path, device="cpu")
    assert eng.config.activation == "tanh" and eng.config.pooling == "min"
    x = torch.rand(2, 1, 28, 28)
    with torch.no_grad():
        assert torch.allclose(net(x), eng.model(x), atol=1e-5)  # batch norm is folded into the convs
    _, meta = load_weights(path)
    assert meta["note"] == "test"


def test_missing_file_is_named(tmp_path):
    with pytest.raises(WeightsError, match="nothing.safetensors"):
        DigitEngine.load(tmp_path / "nothing.safetensors")


def test_corrupt_file_is_named(tmp_path):
    path = tmp_path / "corrupt.safetensors"
    path.write_bytes(np.random.default_rng(0).integers(0, 255, 5000, dtype=np.uint8).tobytes())
    with pytest.raises(WeightsError, match="corrupt.safetensors"):
        DigitEngine.load(path)


def test_truncated_file_is_named(tmp_path):
    good = tmp_path / "good.safetensors"
    _save_net(good)
    bad = tmp_path / "truncated.safetensors"
    bad.write_bytes(good.read_bytes()[:-100])
    with pytest.raises(WeightsError, match="truncated.safetensors"):
        DigitEngine.load(bad)


def test_mismatched_weights_are_named(tmp_path):
    path = tmp_path / "mismatch.safetensors"
    net = DigitNet(DigitNetConfig(channels=[4, 8], hidden=16))
    save_weights(
        path, net.state_dict(), {"model": "DigitNet", "config": DigitNetConfig(channels=[4, 6]).to_dict()}
    )
    with pytest.raises(WeightsError, match="mismatch.safetensors"):
        DigitEngine.load(path)
    other = tmp_path / "other.safetensors"
    save_weights(other, {"x": torch.zeros(3)}, {"model": "CharRNN"})
    with pytest.raises(WeightsError, match="other.safetensors"):
        DigitEngine.load(other)


def test_nan_weights_are_refused(tmp_path):
    path = tmp_path / "nan.safetensors"
    net = DigitNet(DigitNetConfig(channels=[4, 8], hidden=16))
    sd = net.state_dict()
    sd["fc2.weight"][0, 0] = float("nan")
    save_weights(path, sd, {"model": "DigitNet", "config": net.config.to_dict()})
    with pytest.raises(WeightsError, match="NaN"):
        DigitEngine.load(path)


@pytest.mark.parametrize(
    "kind,ref",
    [
        ("max", torch.nn.functional.max_pool2d),
        ("avg", torch.nn.functional.avg_pool2d),
        ("min", lambda x, k: -torch.nn.functional.max_pool2d(-x, k)),
    ],
)
def test_pooling_kinds(kind, ref):
    from engine.digits.model import pool2x2

    x = torch.randn(1, 4, 7, 7)
    assert torch.allclose(pool2x2(x, kind), ref(x, 2), atol=1e-6)
    if kind == "min":
        assert (pool2x2(x, "min") <= pool2x2(x, "max")).all()
