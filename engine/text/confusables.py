"""Confusion sets: real words that people write for one another (homophones and near-homophones).

A correctly spelt word is only ever replaced by a member of its own set, and only when the
sentence so far clearly prefers it: the classic way to catch real-word errors (Golding & Roth).
"""

from __future__ import annotations

_SETS = """
their there they're
then than
your you're
its it's
to too two
of off
hear here
whether weather
lose loose
piece peace
quiet quite
accept except
affect effect
form from
know no now
where were wear we're
whose who's
advice advise
breath breathe
loose lose
passed past
principal principle
stationary stationery
complement compliment
desert dessert
brake break
cite site sight
right write rite
threw through
buy by bye
four for
hole whole
knew new
know knows
meat meet
one won
sea see
son sun
tail tale
wait weight
weak week
which witch
wood would
aloud allowed
bare bear
board bored
course coarse
fair fare
flour flower
grate great
mail male
plain plane
role roll
steal steel
""".strip().splitlines()

# Pairs that are mostly a slip of a key or a letter, not a word people mix up ("to" for "too"):
# the sentence must prefer the other word far more clearly before one is replaced.
_SLIPS = """
to too
to two
too two
of off
form from
know no
know now
no now
one won
four for
by buy
by bye
buy bye
new knew
sea see
son sun
which witch
wood would
where were
where wear
were wear
""".strip().splitlines()
SLIPS = {frozenset(line.split()) for line in _SLIPS}
MARGIN = 3.0  # nats the language model must prefer a confusable word by to replace a correct one
SLIP_MARGIN = 9.0  # ... for a pair in SLIPS: strong evidence only

CONFUSABLE: dict[str, frozenset[str]] = {}
for line in _SETS:
    group = frozenset(line.split())
    for w in group:
        CONFUSABLE[w] = CONFUSABLE.get(w, frozenset()) | (group - {w})


def partners(word: str) -> frozenset[str]:
    """The words `word` is commonly confused with (empty when none)."""
    return CONFUSABLE.get(word, frozenset())


def margin(typed: str, rival: str) -> float:
    """How many nats the sentence must prefer `rival` by before it replaces `typed`."""
    return SLIP_MARGIN if frozenset((typed, rival)) in SLIPS else MARGIN
