"""The hand-written backward in engine.digits.stages against autograd on the same model."""

import pytest
import torch

from engine.digits.infer import fold_batchnorm
from engine.digits.model import DigitNet, DigitNetConfig
from engine.digits.preprocess import preprocess
from engine.digits.stages import StagesAndGradient, stage_names
from engine.digits.synth import render_digit


def _autograd(model: DigitNet, x: torch.Tensor) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    x = x.clone().requires_grad_(True)
    record: dict[str, torch.Tensor] = {}
    with torch.enable_grad():
        logits = model(x, record)
        (grad,) = torch.autograd.grad(logits[0, int(logits.argmax(1))], x)
    return record, grad


def _inputs(pendigits, n: int = 6) -> list[torch.Tensor]:
    return [torch.from_numpy(preprocess(render_digit(d, 16)).input).view(1, 1, 28, 28) for d in pendigits[:n]]


@pytest.mark.parametrize(
    "activation,pooling,convs_per_block,channels",
    [
        ("relu", "max", 1, [16, 32, 64]),
        ("relu", "min", 1, [8, 8, 8]),
        ("relu", "avg", 2, [4, 8]),
        ("sigmoid", "max", 1, [6, 6, 6]),
        ("tanh", "min", 2, [4, 4, 4]),
        ("tanh", "avg", 1, [5, 7, 9]),
    ],
)
def test_matches_autograd_for_every_configuration(pendigits, activation, pooling, convs_per_block, channels):
    torch.manual_seed(0)
    cfg = DigitNetConfig(
        channels=channels, convs_per_block=convs_per_block, activation=activation, pooling=pooling
    )
    model = DigitNet(cfg)
    model.train()
    with torch.no_grad():  # give the batch norms statistics that are not the identity
        for _ in range(3):
            model(torch.rand(8, 1, 28, 28))
    model = fold_batchnorm(model.eval())
    module = StagesAndGradient(model)
    names = stage_names(model)
    for x in _inputs(pendigits) + [torch.rand(1, 1, 28, 28) for _ in range(3)]:
        record, grad = _autograd(model, x)
        assert list(record) == names
        with torch.no_grad():
            *outs, got = module(x)
        for name, out in zip(names, outs, strict=True):
            assert torch.allclose(out, record[name], atol=1e-5), name
        _assert_same_saliency(got, grad, x)


def _assert_same_saliency(got: torch.Tensor, grad: torch.Tensor, x: torch.Tensor) -> None:
    """Same gradient x input. Over a flat background, pooling windows hold values equal up to
    rounding, and which one wins (where the gradient flows) depends on the kernel's rounding;
    that gradient lands on background pixels, which gradient x input multiplies by zero."""
    want, have = grad * x, got * x
    scale = float(want.abs().max()) or 1.0
    assert torch.allclose(have, want, atol=1e-4 * scale), float((have - want).abs().max()) / scale


def test_shipped_engine_saliency_is_the_autograd_gradient(digit_engine, pendigits):
    for x in _inputs(pendigits, 4):
        _, grad = _autograd(digit_engine.model, x)
        with torch.no_grad():
            *_, got = digit_engine._forward(x)
        _assert_same_saliency(got, grad, x)


def test_refuses_unfolded_batch_norm():
    with pytest.raises(ValueError, match="fold"):
        StagesAndGradient(DigitNet().eval())


def test_shipped_engine_runs_traced(digit_engine):
    # The eager fallback gives the same answers at twice the cost, so nothing else would notice.
    assert isinstance(digit_engine._forward, torch.jit.ScriptModule)
