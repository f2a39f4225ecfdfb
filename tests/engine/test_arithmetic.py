"""The arithmetic of one unit (engine/digits/arithmetic.py) equals the network's own value there,
for every shipped network (each activation and pooling) and units across every map."""

import numpy as np
import pytest

from engine.digits import DigitEngine, render_strokes
from engine.digits.arithmetic import ConvArithmetic, PoolArithmetic, unit_arithmetic
from engine.digits.networks import SHIPPED
from engine.paths import assets_dir


@pytest.fixture(scope="module")
def seven():
    return render_strokes([np.float32([[90, 60], [190, 60], [120, 220]])], 280, 16)


@pytest.mark.parametrize("net", list(SHIPPED))
def test_a_units_arithmetic_is_the_networks_own_value(net, seven):
    eng = DigitEngine.load(assets_dir() / SHIPPED[net][0])
    res = eng.predict(seven)
    rng = np.random.default_rng(0)
    checked = 0
    for stage, maps in res.activations.items():
        if maps.ndim != 3:
            continue
        # The strongest unit of a few maps, and random ones (edges included: the zero padding).
        for c in rng.choice(len(maps), size=min(3, len(maps)), replace=False):
            y, x = np.unravel_index(int(np.argmax(maps[c])), maps[c].shape)
            units = [(y, x), (0, 0), (maps.shape[1] - 1, maps.shape[2] - 1)]
            for y, x in units:
                a = unit_arithmetic(res, stage, int(c), int(y), int(x))
                want = float(maps[c, y, x])
                if stage.startswith("conv"):
                    assert isinstance(a, ConvArithmetic)
                    assert a.total == pytest.approx(want, rel=1e-3, abs=1e-4), (net, stage, c, y, x)
                elif stage.startswith("act"):
                    assert a.output == pytest.approx(want, rel=1e-3, abs=1e-4), (net, stage, c, y, x)
                else:
                    assert isinstance(a, PoolArithmetic) and a.kind == eng.config.pooling
                    assert a.output == pytest.approx(want, rel=1e-4, abs=1e-5), (net, stage, c, y, x)
                checked += 1
    assert checked > 50


def test_conv1_reads_nine_pixels_of_the_input_and_pooling_names_its_winner(seven):
    res = DigitEngine.load().predict(seven)
    a = unit_arithmetic(res, "conv1", 0, 14, 14)
    assert a.source == "input" and a.window.shape == (1, 3, 3) and a.products.shape == (1, 3, 3)
    assert np.array_equal(a.window[0], res.input[13:16, 13:16])
    p = unit_arithmetic(res, "pool1", 0, 5, 5)
    dy, dx = p.winner
    assert p.block[dy, dx] == p.output == p.block.max()


def test_a_unit_off_the_map_or_a_stage_without_maps_is_refused(seven):
    res = DigitEngine.load().predict(seven)
    with pytest.raises(ValueError, match="no unit"):
        unit_arithmetic(res, "conv1", 0, 28, 0)
    with pytest.raises(ValueError, match="no unit"):
        unit_arithmetic(res, "fc1", 0, 0, 0)
    with pytest.raises(ValueError, match="no stage"):
        unit_arithmetic(res, "conv9", 0, 0, 0)
