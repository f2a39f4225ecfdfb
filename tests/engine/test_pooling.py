"""The numpy pooling the window shows agrees with the network's torch pooling, every kind."""

import numpy as np
import pytest
import torch

from engine.digits import pooling
from engine.digits.model import POOLINGS, pool2x2


@pytest.mark.parametrize("kind", POOLINGS)
@pytest.mark.parametrize("shape", [(28, 28), (7, 7), (6, 9)])
def test_numpy_pooling_is_the_networks(kind, shape):
    a = np.random.default_rng(0).normal(size=shape).astype(np.float32)
    want = pool2x2(torch.from_numpy(a)[None, None], kind)[0, 0].numpy()
    got = pooling.pool2x2(a, kind)
    assert got.shape == want.shape and np.allclose(got, want, atol=1e-6)
    assert pooling.which_pooling(a, want) == kind


def test_pooling_by_hand_and_what_no_pooling_explains():
    a = np.array([[1, 2, 9], [3, 4, 9], [9, 9, 9]], np.float32)  # the last row and column are dropped
    assert pooling.pool2x2(a, "max").tolist() == [[4]] and pooling.pool2x2(a, "min").tolist() == [[1]]
    assert pooling.pool2x2(a, "avg").tolist() == [[2.5]]
    assert pooling.which_pooling(a, np.array([[3.0]], np.float32)) is None
    assert pooling.which_pooling(a, np.zeros((2, 2), np.float32)) is None
    assert set(pooling.KINDS) == set(POOLINGS)
    with pytest.raises(ValueError, match="pooling must be one of"):
        pooling.pool2x2(a, "median")
