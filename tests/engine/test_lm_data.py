"""What the language models read: prose taken from documentation, held-out parts, batch shares,
and the bits-per-character command."""

import subprocess
import sys

import numpy as np
import pytest

from engine.text import lm_data
from engine.text.model import CharVocab
from engine.text.modern import PROSE_SOURCES, html_prose, roff_prose


def test_prose_is_taken_from_paragraphs_not_code_menus_or_signatures():
    page = """<html><body><nav><li><a href="x">Tutorial</a></li></nav>
    <p>A convolutional network slides small kernels over the picture, the same weights everywhere.</p>
    <div class="highlight-python"><pre>model = Net()  # code is not the English people type</pre></div>
    <ul><li><p>Each block sees twice as far back as the one below it, so six see far.</p></li></ul>
    <dd>numpy.ndarray of shape (n_samples,)</dd>
    <p>A convolutional network slides small kernels over the picture, the same weights everywhere.</p>
    </body></html>"""
    assert html_prose(page).splitlines() == [
        "A convolutional network slides small kernels over the picture, the same weights everywhere.",
        "Each block sees twice as far back as the one below it, so six see far.",
    ]
    man = """.TH GREP 1
.SH DESCRIPTION
.B grep
searches for patterns in each file and prints each line that
matches a pattern.
.SH SYNOPSIS
grep [OPTION...] PATTERNS [FILE...]
"""
    assert (
        roff_prose(man)
        == "grep searches for patterns in each file and prints each line that matches a pattern."
    )


def test_every_source_says_what_it_is_and_its_licence():
    for name, (globs, kind, about) in PROSE_SOURCES.items():
        assert globs and kind in ("html", "roff")
        assert "Debian" in about and any(w in about for w in ("License", "BSD", "GPL", "licence")), name
    assert abs(sum(lm_data.SHARES.values()) - 1) < 1e-9
    assert set(lm_data.SHARES) == {lm_data.BOOKS, *PROSE_SOURCES}


def test_the_books_hold_out_every_fiftieth_chunk_and_batches_follow_the_shares():
    vocab = CharVocab()
    text = "".join(chr(ord("a") + k % 26) * lm_data.CHUNK for k in range(2 * lm_data.HOLD_OUT_EVERY))
    books = lm_data.book_source(text, vocab)
    k = lm_data.HOLD_OUT_EVERY - 1
    assert len(books.held) == 2 * lm_data.CHUNK and books.held[0] == vocab.index[chr(ord("a") + k % 26)]
    other = lm_data.Source("other", np.full(5000, vocab.unknown, np.uint8), np.zeros(0, np.uint8), 0.25, "")
    books.share = 0.75
    rows = lm_data.sample_batch([books, other], np.random.default_rng(0), 4000, 20)
    from_other = np.mean((rows == vocab.unknown).all(1))  # the books have letters only
    assert rows.shape == (4000, 20) and rows.dtype == np.uint8
    assert 0.22 < from_other < 0.28  # a quarter of the rows, as the shares say
    with pytest.raises(ValueError, match="no source has more than"):
        lm_data.sample_batch([other], np.random.default_rng(0), 4, 6000)


def test_the_bpc_command_measures_a_file_and_names_a_bad_one(tmp_path):
    good = tmp_path / "notes.txt"
    good.write_text("A recurrent network reads one letter at a time and carries its state along. " * 20)
    out = subprocess.run(
        [sys.executable, "-m", "engine.text.bpc", str(good), "--cell", "gru", "--no-sources"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    line = out.stdout.strip().splitlines()[-1].split()
    assert line[0] == "notes.txt" and 0.5 < float(line[1]) < 3.5  # uniform over the alphabet: 5.6
    short = tmp_path / "short.txt"
    short.write_text("too short")
    bad = subprocess.run(
        [sys.executable, "-m", "engine.text.bpc", str(short), "--no-sources"], capture_output=True, text=True
    )
    assert bad.returncode != 0 and "short.txt" in bad.stderr and "600" in bad.stderr


def test_no_document_is_in_two_sources_and_the_held_out_ones_do_not_move():
    from engine.text.modern import source_files

    owner: dict = {}
    for name in PROSE_SOURCES:
        for p in source_files(name):  # on a machine without the packages: none, and nothing to check
            assert p not in owner, f"{p} is in {owner[p]} and {name}"
            owner[p] = name
    names = [f"/usr/share/doc/pkg/html/page{i}.html" for i in range(5000)]
    held = [lm_data.held_out(n) for n in names]
    assert held == [lm_data.held_out(n) for n in names]  # by the name alone: stable
    assert 0.08 < np.mean(held) < 0.12  # one in HOLD_OUT_DOCS
