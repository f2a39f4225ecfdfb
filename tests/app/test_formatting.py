import math

import pytest

from app.formatting import percent


@pytest.mark.parametrize(
    ("p", "decimals", "shown"),
    [
        (0.48, 1, "48.0%"),
        (0.012, 1, "1.2%"),
        (0.0, 1, "0.0%"),
        (1.0, 1, "100.0%"),
        (0.0003, 1, "<0.1%"),  # unlikely, not impossible
        (0.9996, 1, ">99.9%"),  # likely, not certain
        (0.9996, 0, ">99%"),
        (0.004, 0, "<1%"),
        (0.95, 0, "95%"),
        (1.7, 1, "100.0%"),  # out of range: clamped, not "170%"
        (-0.2, 1, "0.0%"),
        (math.nan, 1, "-"),
    ],
)
def test_percent_never_rounds_to_a_certainty_it_is_not(p, decimals, shown):
    assert percent(p, decimals) == shown
