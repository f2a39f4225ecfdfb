"""Receptive fields of the digit CNN's layers: how much of the 28x28 input one unit sees."""

from __future__ import annotations


def receptive_fields(names: list[str]) -> dict[str, tuple[int, int]]:
    """(size, stride) in input pixels of one unit of each conv/act/pool layer, in network order;
    other stages (fully connected, a recurrent network's states) have none."""
    rf, jump, out = 1, 1, {}
    for n in names:
        if not n.startswith(("conv", "act", "pool")):
            continue
        if n.startswith("conv"):
            rf += 2 * jump
        elif n.startswith("pool"):
            rf += jump
            jump *= 2
        out[n] = (rf, jump)
    return out
