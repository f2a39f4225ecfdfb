"""Every stage of DigitNet's forward pass and the top class's input gradient, in one traceable call.

The gradient is written out layer by layer instead of asking autograd for it: tracing this
module gives one TorchScript call with no autograd graph to build and walk, which is where
about half of predict()'s time went (measured: 1.2 ms forward + autograd vs 0.65 ms this way).
The backward steps call the same aten kernels autograd would, so the gradient is the same.

Layout, measured on a 2-core CPU at batch 1: the first convolution (and its transpose, 2-3x
faster than the flipped-kernel convolution) is fastest in the default layout, the later ones
and every 2x2 max pooling (3x faster) in channels-last.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from engine.digits.model import DigitNet, activate

_CL = torch.channels_last
_K2 = [2, 2]  # pooling window and stride
_NO_PAD = [0, 0]
_ONE = [1, 1]


def stage_names(model: DigitNet) -> list[str]:
    """The names of the stages, in the order DigitNet.forward records them."""
    c = model.config
    names: list[str] = []
    i = 0
    for b in range(len(c.channels)):
        for _ in range(c.convs_per_block):
            i += 1
            names += [f"conv{i}", f"act{i}"]
        names.append(f"pool{b + 1}")
    return names + ["fc1", "logits"]


def _activation_backward(g: torch.Tensor, pre: torch.Tensor, post: torch.Tensor, kind: str) -> torch.Tensor:
    if kind == "relu":
        return torch.ops.aten.threshold_backward(g, pre, 0)
    if kind == "sigmoid":
        return torch.ops.aten.sigmoid_backward(g, post)
    return torch.ops.aten.tanh_backward(g, post)


class StagesAndGradient(nn.Module):
    """forward(x) -> (every stage in stage_names order..., d logit[top] / d x).

    Needs a model in eval mode (dropout off) whose batch norms are folded into the convolutions
    (or absent); call it under torch.no_grad().
    """

    def __init__(self, model: DigitNet) -> None:
        super().__init__()
        if any(not isinstance(n, nn.Identity) for n in model.norms):
            raise ValueError("fold the batch norms into the convolutions first")
        self.config = model.config
        self.fc1 = model.fc1
        self.fc2 = model.fc2
        self.biases = [None if conv.bias is None else conv.bias.detach() for conv in model.convs]
        self.weights = [
            conv.weight.detach().contiguous(memory_format=torch.contiguous_format if i == 0 else _CL)
            for i, conv in enumerate(model.convs)
        ]

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        c = self.config
        kind = c.activation
        stages: list[torch.Tensor] = []
        convs: list[tuple[torch.Tensor, torch.Tensor]] = []  # (pre, post) per conv
        pools: list[tuple[torch.Tensor, torch.Tensor | None]] = []  # (pool input, indices)
        h = x
        i = 0
        for _ in c.channels:
            for _ in range(c.convs_per_block):
                pre = F.conv2d(h, self.weights[i], self.biases[i], padding=1)
                post = activate(pre, kind)
                stages += [pre, post]
                convs.append((pre, post))
                h = post
                i += 1
            h = h.contiguous(memory_format=_CL)
            if c.pooling == "max":
                out, idx = F.max_pool2d(h, 2, return_indices=True)
            elif c.pooling == "min":  # as in DigitNet: -max(-x), so the same element wins ties
                neg, idx = F.max_pool2d(-h, 2, return_indices=True)
                out = -neg
            else:
                out, idx = F.avg_pool2d(h, 2), None
            stages.append(out)
            pools.append((h, idx))
            h = out
        f_pre = self.fc1(h.flatten(1))
        f = activate(f_pre, kind)
        logits = self.fc2(f)
        stages += [f, logits]

        # Backward from the top logit to the input, the chain rule one layer at a time.
        g = torch.index_select(self.fc2.weight, 0, logits.argmax(1))
        g = _activation_backward(g, f_pre, f, kind)
        g = (g @ self.fc1.weight).view(h.shape)
        for pool_in, idx in reversed(pools):
            g = g.contiguous(memory_format=_CL)
            if idx is None:
                g = F.interpolate(g, scale_factor=2.0, mode="nearest") * 0.25
                # An odd side's last row/column fed no window: padded back with zero gradient
                # (a no-op pad on even sides; no Python test of a traced size).
                g = F.pad(g, (0, pool_in.shape[3] - g.shape[3], 0, pool_in.shape[2] - g.shape[2]))
            else:
                g = torch.ops.aten.max_pool2d_with_indices_backward(
                    g, pool_in, _K2, _K2, _NO_PAD, _ONE, False, idx
                )
            for _ in range(c.convs_per_block):
                i -= 1
                pre, post = convs[i]
                g = _activation_backward(g, pre, post, kind)
                if i == 0:
                    g = g.contiguous()
                # The input gradient of a 'same' 3x3 convolution is its transposed convolution.
                g = F.conv_transpose2d(g, self.weights[i], padding=1)
        return (*stages, g)
