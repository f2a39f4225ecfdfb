"""Words the autocorrect leaves as typed, whatever the lexicon says: an autocorrect that "fixes"
RNN to RUN or LeCun to Levin is one people switch off.

Never replaced when they end (suggestions may still be listed): an acronym (RNN) and its plural
(RNNs), any other word with a capital after its first letter (LeCun, NaN, ValueError), a
capitalised word the lexicon does not trust inside a sentence (a name: Yann), a word with a
digit, and the user's own words.
"""

from __future__ import annotations

SENTENCE_ENDS = ".!?:;\n"
CLOSERS = "\"')]”’»"


def at_sentence_start(context: str) -> bool:
    """Whether a word typed after `context` starts a sentence (or a line): there a capital says
    nothing about the word being a name."""
    tail = context.rstrip(" \t")
    if not tail or tail.endswith("\n"):
        return True
    tail = tail.rstrip(CLOSERS + " \t")
    return not tail or tail[-1] in SENTENCE_ENDS


def kept_reason(
    word: str, context: str, trusted: bool, user_words: frozenset[str] | set[str] = frozenset()
) -> str:
    """Why `word`, typed after `context`, must stay as it is ("" when it may be corrected).
    `trusted`: whether the lexicon trusts the word (in lower case)."""
    if not word:
        return ""
    if any(c.isdigit() for c in word):
        return "it has a digit"
    if word.lower() in user_words:
        return "it is in your dictionary"
    letters = word.replace("'", "")
    if len(letters) > 1 and letters.isupper():
        return "an acronym"
    if len(letters) > 2 and letters.endswith("s") and letters[:-1].isupper():
        return "an acronym's plural"
    if any(c.isupper() for c in letters[1:]):
        return "capitals inside it: a name or a code word"
    if word[0].isupper() and not trusted and not at_sentence_start(context):
        return "a capitalised word inside a sentence: a name"
    return ""
