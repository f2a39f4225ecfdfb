from app.text.parsing import CONTEXT_CHARS, SHOW_CHARS, at_caret


def test_the_word_the_context_and_the_sentence_at_the_caret():
    assert at_caret("It ended. The networ") == ("networ", "It ended. The ", "The networ")
    assert at_caret("a list:\nfirst ") == ("", "a list:\nfirst ", "first ")
    assert at_caret("") == ("", "", "")
    word, context, sentence = at_caret("x " * 500 + "word")
    assert word == "word" and len(context) == CONTEXT_CHARS and len(sentence) == SHOW_CHARS


def test_just_after_a_sentence_ends_the_sentence_shown_is_the_one_that_ended():
    assert at_caret("It was late. ") == ("", "It was late. ", "It was late. ")
    assert at_caret("One. Two! ")[2] == "Two! "
    assert at_caret("One. Two! Th")[2] == "Th"
    assert at_caret("   ")[2] == ""
