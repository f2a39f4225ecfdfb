"""How the window writes numbers for people."""

from __future__ import annotations


def percent(p: float, decimals: int = 1) -> str:
    """A probability as a percentage that never rounds to a certainty it is not.

    0.0003 -> "<0.1%" rather than "0.0%", and 0.9996 -> ">99.9%" rather than "100.0%": a suggestion
    the model thinks unlikely still reads as possible, and only a probability of exactly 1 reads 100%.
    """
    if p != p:  # NaN: nothing to say
        return "-"
    step = 10.0**-decimals
    pct = 100.0 * min(max(p, 0.0), 1.0)
    if 0.0 < pct < step / 2:
        return f"<{step:.{decimals}f}%"
    if pct < 100.0 and pct >= 100.0 - step / 2:
        return f">{100.0 - step:.{decimals}f}%"
    return f"{pct:.{decimals}f}%"
