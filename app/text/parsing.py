"""The text before the caret read as the Text page reads it, with no Qt: the word being typed,
the text before it (the network's context) and the current sentence (what the heatmaps show)."""

from __future__ import annotations

import re

from engine.text.context import CONTEXT_CHARS  # the one length of context (no torch at import)

WORD_BEFORE = re.compile(r"[A-Za-z']+$")
BOUNDARY = set(' .,;:!?\n\t)"')  # a character that ends a word
SENTENCE_END = re.compile(r"[.!?\n]")
SHOW_CHARS = 240  # the heatmaps hold at most this many characters of the current sentence


def at_caret(before: str) -> tuple[str, str, str]:
    """(the word at the caret, the text before it, the sentence up to the caret) of the text
    `before` the caret. Just after a sentence's end (". "), before a letter of the next, the
    sentence is the one that ended, with its end: the heatmaps show what was read, not nothing."""
    m = WORD_BEFORE.search(before)
    word = m.group(0) if m else ""
    context = before[: len(before) - len(word)][-CONTEXT_CHARS:]
    ends = [0] + [mm.end() for mm in SENTENCE_END.finditer(before)]
    sentence = before[ends[-1] :].lstrip()
    if not sentence.strip() and len(ends) > 1:
        sentence = before[ends[-2] :].lstrip()
    return word, context, sentence[-SHOW_CHARS:]
