"""Words the autocorrect leaves as typed (issue 23): acronyms, their plurals, names inside a
sentence, code words, words with digits, the user's own words; and the technical words it knows."""

import pytest

from engine.text.engine import TextEngine
from engine.text.keep import at_sentence_start, kept_reason


@pytest.fixture(scope="module")
def lstm():
    return TextEngine.load(cell="lstm", device="cpu")


@pytest.mark.parametrize(
    "word, context",
    [
        ("RNN", "an "),
        ("RNNs", "two "),
        ("CNNs", "and "),
        ("GRU", "a "),
        ("LeCun", "by Yann "),
        ("Yann", "a talk by "),
        ("NaN", "every value is "),
        ("ValueError", "raises "),
        ("mnist2", "the "),
    ],
)
def test_these_words_are_never_replaced(lstm, word, context):
    assert lstm.correct(word, context) == word
    if not lstm.lexicon.is_trusted(word.lower()):  # ("yann" is a word of the manual pages)
        assert kept_reason(word, context, False)
        assert lstm.suggest(word, context)[0].kept  # the list says why


def test_a_capitalised_word_at_a_sentence_start_may_still_be_corrected(lstm):
    assert at_sentence_start("") and at_sentence_start("It ended. ") and at_sentence_start("a list:\n")
    assert not at_sentence_start("in the middle ")
    assert lstm.correct("Networc", "It ended. ") == "Network"


def test_the_users_words_are_never_replaced(lstm):
    assert lstm.correct("crnnish", "a ") != "crnnish"
    lstm.user_words.add("crnnish")
    try:
        assert lstm.correct("crnnish", "a ") == "crnnish"
    finally:
        lstm.user_words.discard("crnnish")


@pytest.mark.parametrize(
    "word",
    [
        "relu",
        "mnist",
        "perceptron",
        "overfitting",
        "softmax",
        "dropout",
        "backpropagation",
        "pytorch",
        "dataset",
        "embedding",
        "neuron",
        "crnn",
        "sigmoid",
    ],
)
def test_the_words_of_neural_networks_are_known(lstm, word):
    assert lstm.correct(word, "we use ") == word


@pytest.mark.parametrize(
    "typed, meant, context",
    [
        ("sigmiod", "sigmoid", "the "),
        ("nural", "neural", "a "),
        ("convloutional", "convolutional", "a "),
        ("recurent", "recurrent", "a "),
        ("backpropogation", "backpropagation", "by "),
    ],
)
def test_misspelt_technical_words_come_back(lstm, typed, meant, context):
    assert lstm.correct(typed, context) == meant


def test_a_slip_pair_needs_strong_evidence(lstm):
    # "too" for "to" is mostly a slip of a key: the sentence must be very clear.
    assert lstm.correct("too", "it is far ") == "too"
