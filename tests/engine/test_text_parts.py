import random

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from engine.text.confusables import partners
from engine.text.correct import Corrector
from engine.text.errors import error_cost, make_typo
from engine.text.lexicon import Lexicon, letter_signatures, signature

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz'", min_size=1, max_size=14)


@given(st.lists(WORDS, min_size=1, max_size=20))
def test_vectorised_signatures_match(words):
    assert [int(s) for s in letter_signatures(words)] == [signature(w) for w in words]


@given(WORDS, WORDS)
def test_signature_filter_never_drops_a_near_word(a, b):
    d = OSA.distance(a, b)
    assert bin(signature(a) ^ signature(b)).count("1") <= 2 * d


def test_error_costs_follow_how_people_misspell():
    assert error_cost("word", "word") == 0
    assert error_cost("beginning", "begining") < error_cost("beginning", "bexinning")  # a dropped double
    assert error_cost("receive", "recieve") < 1.0  # a swap
    assert error_cost("separate", "seperate") < error_cost("separate", "sesarate")  # vowel vs consonant
    assert error_cost("cat", "bat") > error_cost("cat", "cst")  # first letters are rarely wrong
    # ... also when the first two are swapped: "evry" is "every" with a letter dropped, not "very"
    assert error_cost("very", "evry") > error_cost("form", "from") == error_cost("from", "form")
    assert error_cost("every", "evry") < error_cost("very", "evry")


def test_make_typo_is_seeded_and_changes_the_word():
    a = [make_typo("accommodation", random.Random(3)) for _ in range(5)]
    b = [make_typo("accommodation", random.Random(3)) for _ in range(5)]
    assert a == b and all(t != "accommodation" for t in a)


def test_corrector_on_a_tiny_lexicon():
    lex = Lexicon([("network", 4.5, 2), ("networks", 4.0, 2), ("notwork", 1.0, 1), ("newt", 3.0, 2)])
    cor = Corrector(lex)
    assert cor.candidates("networc")[0][0] == "network"
    assert cor.candidates("network")[0][0] == "network"  # a trusted word ranks itself first
    assert "notwork" not in [c for c, _, _ in cor.candidates("notwerk")]  # dictionary-only: never proposed
    assert cor.candidates("zzzzzz") == []


def test_confusion_sets_are_symmetric():
    assert "there" in partners("their") and "their" in partners("there")
    assert partners("network") == frozenset()
    for w in ("then", "your", "its", "to"):
        for p in partners(w):
            assert w in partners(p)
