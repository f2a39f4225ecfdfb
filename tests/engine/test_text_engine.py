import time
from pathlib import Path

import numpy as np
import pytest

from engine.text import TextEngine
from engine.text.model import CELLS

CASES = Path(__file__).with_name("context_cases.tsv")


@pytest.fixture(scope="module")
def lstm():
    return TextEngine.load(cell="lstm", device="cpu")


def test_corrects_the_articles_example(lstm):
    assert lstm.suggest("networc")[0].word == "network"
    assert lstm.suggest("Networc")[0].word == "Network"
    # All capitals is an acronym, left as typed (issue 23); the correction is still offered.
    caps = [s.word for s in lstm.suggest("NETWORC")]
    assert caps[0] == "NETWORC" and "NETWORK" in caps


@pytest.mark.parametrize(
    "typed,right",
    [
        ("recieve", "receive"),
        ("seperate", "separate"),
        ("begining", "beginning"),
        ("acommodation", "accommodation"),
        ("teh", "the"),
        ("definately", "definitely"),
    ],
)
def test_common_misspellings(lstm, typed, right):
    assert lstm.suggest(typed)[0].word == right


def test_the_sentence_so_far_decides_between_two_near_words(lstm):
    # Alone, "evry" is "every" (a dropped vowel; a swap of the first two letters is rarer); after
    # "she was" the language model prefers "very".
    assert lstm.correct("evry") == "every"
    assert lstm.correct("evry", "The network reads") == "every"
    assert lstm.correct("evry", "she was") == "very"


def test_correct_words_stay_first(lstm):
    for w in ("network", "the", "Cake", "piece", "peace", "their", "there", "elizabeth", "a", "I"):
        s = lstm.suggest(w)
        assert s[0].word == w, w
        assert all(a.score >= b.score for a, b in zip(s, s[1:], strict=False))
        assert 0 < s[0].score <= 1


def test_suggestions_are_ranked_with_scores(lstm):
    s = lstm.suggest("helo")
    assert 1 <= len(s) <= 5 and len({x.word for x in s}) == len(s)
    assert "hello" in [x.word for x in s]
    assert abs(sum(x.score for x in s) - 1) < 1e-6 or sum(x.score for x in s) < 1


@pytest.mark.parametrize("text", ["", " ", "\t\n"])
def test_empty_input_gives_no_suggestions(lstm, text):
    assert lstm.suggest(text) == []


@pytest.mark.parametrize(
    "text", ["123", "3.14", "!!!", "e-mail", "café", "straße", "naïve", "🙂", "日本語", "a1b2"]
)
def test_non_words_are_left_alone(lstm, text):
    s = lstm.suggest(text)
    assert [x.word for x in s] == [text]


def test_huge_paste_is_bounded(lstm):
    blob = "networc " * 130_000  # about 1 MB
    t = time.perf_counter()
    assert lstm.suggest(blob)[0].word == blob.strip()
    assert lstm.suggest("x" * 1_000_000)[0].word == "x" * 1_000_000
    tr = lstm.trace(blob)
    assert tr.hidden.shape[0] <= 2000
    lstm.suggest("networc", context=blob)
    assert time.perf_counter() - t < 5


@pytest.mark.parametrize("cell", CELLS)
def test_trace_shapes_for_every_cell(cell):
    eng = TextEngine.load(cell=cell, device="cpu")
    tr = eng.trace("The networc is great!")
    t, h, v = len("The networc is great!"), eng.model.config.hidden, len(eng.vocab)
    assert tr.text == "the networc is great!"
    assert tr.hidden.shape == (t, h) and tr.next_char.shape == (t, v)
    assert np.allclose(tr.next_char.sum(1), 1, atol=1e-4)
    expected = {
        "rnn": set(),
        "lstm": {"input", "forget", "output", "candidate", "cell"},
        "gru": {"reset", "update"},
    }
    assert set(tr.gates) == expected.get(cell, set())
    if cell == "cnn":  # each block's feature maps, named with the letters each of its units sees
        assert [n.split(" (")[0] for n in tr.maps] == [
            f"block {i + 1}" for i in range(eng.model.config.blocks)
        ]
        assert list(tr.maps)[-1].endswith(f"(sees {eng.model.config.receptive_field} letters)")
        assert all(m.shape == (t, h) for m in tr.maps.values())
    if cell == "transformer":  # each letter's attention over the letters up to it, summing to one
        c = eng.model.config
        assert tr.attention.shape == (c.layers, c.heads, t, c.window)
        assert np.allclose(tr.attention.sum(-1), 1, atol=1e-4)
    else:
        assert tr.attention is None
    for name, g in tr.gates.items():
        assert g.shape == (t, h)
        if name not in ("candidate", "cell"):
            assert g.min() >= 0 and g.max() <= 1
    empty = eng.trace("")
    assert empty.hidden.shape == (0, h) and empty.next_char.shape == (0, v)
    assert eng.suggest("networc")[0].word == "network"


def test_next_char_after_a_text_is_the_traces_last_and_reads_only_its_end(lstm):
    text = "It was late. The network reads every letter. "
    after = lstm.next_char_after(text)
    assert after.shape == (len(lstm.vocab),) and abs(float(after.sum()) - 1) < 1e-4
    assert np.allclose(after, lstm.trace(text, fresh=True).next_char[-1], atol=1e-5)
    assert lstm.vocab.alphabet[int(np.argmax(after))].isalpha()  # a sentence starts with a letter
    long = "x" * 5000 + text  # a pasted book: only its last CONTEXT_CHARS are read
    from engine.text.context import CONTEXT_CHARS

    assert np.allclose(lstm.next_char_after(long), lstm.next_char_after(long[-CONTEXT_CHARS:]), atol=1e-6)
    uniform = lstm.next_char_after("")
    assert np.allclose(uniform, 1 / len(lstm.vocab))
    assert np.allclose(lstm.next_char_after(None), uniform)  # bad input: a defined result


def test_trace_gates_match_the_real_cell():
    """The gates recomputed in one shot must reproduce the hidden states torch computed."""
    import torch

    eng = TextEngine.load(cell="lstm", device="cpu")
    tr = eng.trace("hello world")
    h = tr.gates["output"] * np.tanh(tr.gates["cell"])
    assert np.allclose(h, tr.hidden, atol=1e-4)
    gru = TextEngine.load(cell="gru", device="cpu")
    assert isinstance(gru.model.rnn, torch.nn.GRU)


def test_language_models_learned_english():
    metrics = {c: TextEngine.load(cell=c, device="cpu").metadata["metrics"] for c in CELLS}
    bpc = {c: m["heldout_bpc"] for c, m in metrics.items()}
    assert bpc["lstm"] < bpc["rnn"] and bpc["gru"] < bpc["rnn"]
    assert all(b < 2.2 for b in bpc.values())  # uniform over the alphabet would be 5.6
    for c, m in metrics.items():  # and modern English, on documents none of them read
        modern = {k: v for k, v in m["heldout_bpc_by_source"].items() if k != "books"}
        assert len(modern) >= 5 and all(v < 2.5 for v in modern.values()), c


def test_next_character_makes_sense(lstm):
    tr = lstm.trace("the cat sat on th")
    assert tr.alphabet[int(np.argmax(tr.next_char[-1]))] == "e"


def test_context_changes_the_ranking(lstm, capsys):
    rows = [line.split("\t") for line in CASES.read_text().splitlines() if line and not line.startswith("#")]
    with_ctx = sum(lstm.correct(typed, ctx) == right for ctx, typed, right in rows)
    without = sum(lstm.correct(typed) == right for ctx, typed, right in rows)
    with capsys.disabled():
        print(f"\ncontext cases: {with_ctx}/{len(rows)} right with the sentence so far, {without} without")
    assert with_ctx > without


@pytest.mark.parametrize("cell", CELLS)
def test_incremental_trace_equals_a_fresh_one(cell):
    eng = TextEngine.load(cell=cell, device="cpu")
    text = "the networc reads every letter"
    for n in (5, 12, 11, 20, len(text)):  # typing, a backspace, typing on
        eng.trace(text[:n])
    warm = eng.trace(text)
    cold = eng.trace(text, fresh=True)
    assert np.allclose(warm.hidden, cold.hidden, atol=1e-5)
    assert np.allclose(warm.next_char, cold.next_char, atol=1e-5)
    for k in cold.gates:
        assert np.allclose(warm.gates[k], cold.gates[k], atol=1e-5)
    other = eng.trace("something else entirely")
    assert other.text == "something else entirely" and other.hidden.shape[0] == len(other.text)


def test_context_read_word_by_word_ranks_like_a_fresh_read(lstm):
    """The context state is carried on as words are added; the ranking must match a fresh read."""
    sentence = "yesterday i went to the shop and bought a piece of cake for my sister and her frend"
    words = sentence.split()
    typos = {"friend": "frend", "piece": "peice"}
    cases = [(" ".join(words[:i]) + " ", typos.get(words[i], words[i])) for i in range(1, len(words))]
    lstm._ctx_key = None
    carried = [lstm.suggest(typed, context)[0].word for context, typed in cases]  # word by word
    fresh = []
    for context, typed in cases:
        lstm._ctx_key = None  # forget the carried state: read the whole context afresh
        fresh.append(lstm.suggest(typed, context)[0].word)
    assert carried == fresh
    assert lstm._ctx_run == len(cases[-1][0])
    state, logp = lstm._context_state("no overlap with anything before ")
    assert lstm._ctx_run == len("no overlap with anything before ")


def test_numpy_gru_trace_equals_torch():
    """trace() runs the GRU step by step in numpy: same hidden states, gates and next characters
    as torch's GRU and the model's read-out, from a fresh state and from a carried one."""
    import torch

    eng = TextEngine.load(cell="gru", device="cpu")
    text = "the hidden state carries what it has seen"
    tr = eng.trace(text)
    ids = torch.tensor([eng.vocab.encode(text)])
    with torch.inference_mode():
        logits, hs, _ = eng.model(ids)
        gates = eng._gates(ids[0], hs[0])
    assert np.allclose(tr.hidden, hs[0].numpy(), atol=1e-4)
    assert np.allclose(tr.next_char, torch.softmax(logits[0], -1).numpy(), atol=1e-4)
    for name in ("reset", "update"):
        assert np.allclose(tr.gates[name], gates[name].numpy(), atol=1e-4)
    # carried on from the cached state: the same as all at once
    longer = eng.trace(text + " so far")
    fresh = eng.trace(text + " so far", fresh=True)
    assert np.allclose(longer.hidden, fresh.hidden, atol=1e-5)
    assert np.allclose(longer.gates["update"], fresh.gates["update"], atol=1e-5)


def test_a_word_being_typed_gets_its_completions(lstm):
    assert "network" not in [s.word for s in lstm.suggest("netwo")]  # as a whole word: new, two...
    typing = [s.word for s in lstm.suggest("netwo", complete=True)]
    assert typing[0] == "network"
    assert [s.word for s in lstm.suggest("Beautif", "it is ", complete=True)][0] == "Beautiful"  # cased
    # A finished word reads the same either way (the app asks without completions at its end).
    for word, ctx in (("networc", ""), ("the", ""), ("recieve", "I did not "), ("net", "the fishing ")):
        assert lstm.suggest(word, ctx, complete=True)[0].word == lstm.suggest(word, ctx)[0].word


def test_completions_are_common_trusted_words_that_extend_the_prefix(lstm):
    lex = lstm.lexicon
    got = lex.completions("reci", 8)
    words = [w for w, _ in got]
    assert words and all(w.startswith("reci") and len(w) > 4 for w in words)
    assert all(lex.is_trusted(w) for w in words)  # not the web's "recieved"
    assert [z for _, z in got] == sorted((z for _, z in got), reverse=True)
    assert lex.completions("ne") == [] and lex.completions("zzzq") == []
    for prefix in ("the", "con", "inte"):  # as many as asked for, whatever the prefix's length
        assert len(lex.completions(prefix, 8)) == 8 and len(lex.completions(prefix, 2)) == 2


def test_the_webs_misspellings_are_never_proposed(lstm):
    """wordfreq's web vocabulary holds misspellings ("wich", "thier", "writting"): a word typed may
    be one, but none is offered in its place or beside a correct word."""
    lex = lstm.lexicon
    for word in ("which", "their", "little", "should", "people", "always", "something", "writing"):
        offered = [s.word for s in lstm.suggest(word, "I think ", complete=True)]
        assert offered[0] == word
        assert all(lex.known[lex.index[w]] for w in offered[1:]), offered
    assert [s.word for s in lstm.suggest("recieved")][0] == "received"
    assert "wich" not in [s.word for s in lstm.suggest("wihch")]
