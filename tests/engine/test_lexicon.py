import gzip

import numpy as np
import pytest

from engine.text import lexicon as lexicon_module
from engine.text.lexicon import KNOWN, OTHER, TRUSTED, Lexicon, letter_signatures, save_lexicon, signature

ENTRIES = [("the", 7.7, TRUSTED), ("a", 7.4, TRUSTED), ("recieve", 2.1, OTHER), ("zymurgy", 1.0, KNOWN)]


def test_a_saved_lexicon_loads_back_as_built(tmp_path):
    path = save_lexicon(ENTRIES, tmp_path / "lex.tsv.gz")
    built, loaded = Lexicon(ENTRIES), Lexicon.load(path)
    assert loaded.words == built.words == ["a", "the", "recieve", "zymurgy"]  # by length, then word
    assert loaded.index == built.index
    for name in ("zipf", "status", "trusted", "known", "search_index", "signatures", "lengths", "starts"):
        a, b = getattr(loaded, name), getattr(built, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    assert loaded.is_trusted("the") and not loaded.is_trusted("recieve") and "zymurgy" in loaded
    assert list(loaded.search_words) == ["a", "the", "recieve"]  # dictionary-only words are not proposed


def test_an_unsorted_file_is_sorted_on_load(tmp_path):
    path = tmp_path / "lex.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("# header\nrecieve\t2.10\t0\nthe\t7.70\t2\na\t7.40\t2\n")
    lex = Lexicon.load(path)
    assert lex.words == ["a", "the", "recieve"]
    assert lex.zipf.tolist() == pytest.approx([7.4, 7.7, 2.1]) and lex.status.tolist() == [2, 2, 0]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("the\t7.70\t2\nrecieve\t2.10\n", "line 2"),  # a missing column
        ("the\t7.70\t2\nrecieve\tfrequent\t0\n", "frequent"),  # not a number
        ("the\t7.70\t7\n", "line 1"),  # no such status
        ("# only a header\n", "empty"),
    ],
)
def test_a_bad_lexicon_names_itself_and_its_problem(tmp_path, text, problem):
    path = tmp_path / "bad.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(text)
    with pytest.raises(ValueError, match=problem) as err:
        Lexicon.load(path)
    assert "bad.tsv.gz" in str(err.value)


def test_a_file_that_is_not_gzip_or_is_cut_short_names_itself(tmp_path):
    plain = tmp_path / "plain.tsv.gz"
    plain.write_text("the\t7.70\t2\n")
    with pytest.raises(ValueError, match="plain.tsv.gz: not a readable lexicon"):
        Lexicon.load(plain)
    good = save_lexicon(ENTRIES * 200, tmp_path / "good.tsv.gz")
    cut = tmp_path / "cut.tsv.gz"
    cut.write_bytes(good.read_bytes()[:-20])
    with pytest.raises(ValueError, match="cut.tsv.gz: not a readable lexicon"):
        Lexicon.load(cut)


def test_signatures_computed_in_pieces_match_one_by_one(monkeypatch):
    # Many words are done a slice at a time (no numpy call holds the GIL long): same result.
    monkeypatch.setattr(lexicon_module, "_SIGNATURE_CHUNK", 3)
    words = ["network", "networc", "a", "aardvark", "it's", "zzz", "letter", "e"]
    assert [int(s) for s in letter_signatures(words)] == [signature(w) for w in words]
