"""The user's dictionary (issue 23): kept beside the settings, never corrected, added by undoing
a correction twice, and a damaged word list is named without losing anything else."""

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence

from app.text.user_dictionary import UserDictionary
from app.text.user_words import read_words, words_path, write_words


def test_a_word_list_round_trips_and_a_damaged_one_is_named(tmp_path):
    p = str(tmp_path / "w.txt")
    assert write_words(p, {"crnnish", "relu"}) == ""
    assert read_words(p) == ({"crnnish", "relu"}, "")
    (tmp_path / "w.txt").write_bytes(b"good\n\xff\xfe\x00bad")
    words, problem = read_words(p)
    assert words == set() and p in problem and "not a UTF-8 word list" in problem
    (tmp_path / "w.txt").write_text("good\nno good!\n# a comment\nfine\n")
    words, problem = read_words(p)
    assert words == {"good", "fine"} and "1 line that is no word left out" in problem


def test_the_dictionary_survives_a_restart_and_its_words_are_never_corrected(qtbot, tmp_path, launch):
    ini = str(tmp_path / "s.ini")
    win = launch(ini)
    assert win.text.dictionary.add("Networc")
    win.text.editor.setFocus()
    done = []
    win.text.corrected.connect(done.append)
    qtbot.keyClicks(win.text.editor, "a networc ")
    qtbot.waitUntil(lambda: len(done) >= 2, timeout=10_000)
    assert win.text.editor.toPlainText() == "a networc " and not any(done)
    win.close()
    assert read_words(words_path(ini))[0] == {"networc"}
    again = launch(ini)
    assert "networc" in again.text.dictionary.words
    again.text.editor.setFocus()
    corrected = []
    again.text.corrected.connect(corrected.append)
    qtbot.keyClicks(again.text.editor, " the networc is ")  # three words end: three answers
    qtbot.waitUntil(lambda: len(corrected) >= 3, timeout=10_000)
    assert "the networc is" in again.text.editor.toPlainText() and not any(corrected)
    again.close()


def test_a_damaged_dictionary_is_named_and_the_settings_are_kept(qtbot, tmp_path, launch):
    ini = str(tmp_path / "s.ini")
    QSettings(ini, QSettings.Format.IniFormat).setValue("text/content", "what was typed")
    with open(words_path(ini), "wb") as fh:
        fh.write(b"\x00\xff" * 100)
    win = launch(ini)
    assert words_path(ini) in win.statusBar().message()
    assert win.text.editor.toPlainText() == "what was typed"
    win.close()


def test_undoing_a_correction_twice_adds_the_word(qtbot, tmp_path, launch):
    win = launch(str(tmp_path / "s.ini"))
    ed = win.text.editor
    ed.setFocus()
    for n in (1, 2):
        with qtbot.waitSignal(win.text.corrected, timeout=10_000):
            qtbot.keyClicks(ed, "networc ")
        assert "network" in ed.toPlainText()
        qtbot.keySequence(ed, QKeySequence.StandardKey.Undo)
        qtbot.waitUntil(lambda: ed.toPlainText().endswith("networc "), timeout=5_000)
        if n == 1:
            assert "Undo its correction once more" in win.text.info.text()
    assert "networc" in win.text.dictionary.words and "in your dictionary" in win.text.info.text()
    win.close()


def test_added_words_reach_the_engines(qtbot, tmp_path):
    d = UserDictionary(str(tmp_path / "w.txt"))
    got = []
    d.changed.connect(got.append)
    assert d.add("Softmaxx") and not d.add("Softmaxx") and not d.add("two words")
    assert got == [["softmaxx"]]
    d.remove("softmaxx")
    assert got[-1] == [] and read_words(str(tmp_path / "w.txt"))[0] == set()


def test_ctrl_d_adds_the_word_at_the_caret(qtbot, tmp_path, launch):
    win = launch(str(tmp_path / "s.ini"))
    ed = win.text.editor
    ed.setFocus()
    ed.setPlainText("we like crnnish ")
    ed.moveCursor(ed.textCursor().MoveOperation.End)
    qtbot.keyClick(ed, "d", modifier=Qt.KeyboardModifier.ControlModifier)
    assert "crnnish" in win.text.dictionary.words and "added to your dictionary" in win.text.info.text()
    win.close()
