import os

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication

from app import protocol as P
from app.replay import draw

CORES = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None  # before any window


@pytest.fixture(scope="module")
def pen_digits():
    from engine.digits.data import load_pendigits, pendigits_path
    from engine.digits.strokes import fit_strokes

    if not pendigits_path().is_file():
        pytest.skip("pendigits data not found")
    digits = load_pendigits()
    return [(d.label, fit_strokes(d.strokes, 280, 200)) for d in digits if d.writer == 27][:12]


def test_window_starts_with_its_pages(window):
    import torch

    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "&Digits",
        "&Text",
        "&Number",
        "T&rain",
        "C&ompare",
        "Ne&uron",
    ]
    assert window.device_label.text().startswith("CUDA" if torch.cuda.is_available() else "CPU")
    for page, model in ((0, "CNN: digits.safetensors"), (1, "Text: lstm"), (2, "CRNN: number.safetensors")):
        window.tabs.setCurrentIndex(page)  # the status bar names the network of the page shown
        assert window.model_label.text() == model
    if (
        CORES is not None
    ):  # the engines load on the GUI thread's core (app/tuning/one_core.py), then no thread stays pinned
        for tid in os.listdir("/proc/self/task"):
            assert os.sched_getaffinity(int(tid)) == CORES, f"thread {tid} left pinned"


def test_drawing_with_the_mouse_predicts_the_digit(window, qtbot, pen_digits):
    right = 0
    for label, strokes in pen_digits:
        window.digits.canvas.clear()
        painted = []
        window.digitPainted.connect(lambda s, lat, p=painted: p.append(s))
        draw(window.digits.canvas, strokes)
        qtbot.waitUntil(
            lambda: window.digits.result is not None and window.waiting("digit") == 0,
            timeout=10_000,
        )
        right += window.digits.result.label == label
        assert len(painted) >= 1  # predictions arrive while drawing, not only at the end
        window.digitPainted.disconnect()
    assert right >= len(pen_digits) - 1
    assert "%" in window.digits.pred_label.text()


def test_prediction_on_every_move(window, qtbot, pen_digits):
    c = window.digits.canvas
    c.clear()
    with qtbot.waitSignal(window.digitPainted, timeout=10_000):
        pass
    seen = []
    window.digitPainted.connect(lambda s, lat: seen.append(s))
    label, strokes = pen_digits[0]
    draw(c, [strokes[0][:5]])
    qtbot.waitUntil(lambda: len(seen) >= 1, timeout=10_000)
    # (the start of a stroke may well be no digit yet: the network ran all the same)
    assert window.digits.result.status in ("ok", "not_digit") and window.digits.result.activations


def test_undo_and_clear(window, qtbot, pen_digits):
    c = window.digits.canvas
    draw(c, pen_digits[1][1])
    n = len(c.strokes)
    c.undo_stroke()
    assert len(c.strokes) == n - 1
    c.clear()
    assert c.is_empty() and c.image.max() == 0
    qtbot.waitUntil(lambda: window.digits.result is not None and window.digits.result.empty, timeout=10_000)
    assert window.digits.pred_label.text() == "Draw a digit"


def test_delete_then_ctrl_z_brings_the_drawing_and_its_prediction_back(window, qtbot, pen_digits):
    window.tabs.setCurrentIndex(0)
    c = window.digits.canvas
    label, strokes = pen_digits[3]
    draw(c, strokes)
    drawn = c.image.copy()
    c.setFocus()
    qtbot.keyClick(c, Qt.Key.Key_Delete)
    assert c.is_empty()
    qtbot.keyClick(c, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert np.array_equal(c.image, drawn)
    qtbot.waitUntil(
        lambda: (
            window.digits.result is not None
            and not window.digits.result.empty
            and window.waiting("digit") == 0
        ),
        timeout=10_000,
    )
    assert window.digits.result.label == label
    qtbot.keyClick(c, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert c.is_empty()  # redo: cleared again


def test_clicking_a_feature_map_shows_it(window, qtbot, pen_digits):
    draw(window.digits.canvas, pen_digits[2][1])
    qtbot.waitUntil(
        lambda: window.digits.result is not None and not window.digits.result.empty, timeout=10_000
    )
    window.digits.select_map("act2", 5)
    assert "act2, map 5" in window.digits.detail_label.text()
    assert window.digits.detail_window.image is not None
    assert window.digits.layers.selected == ("act2", 5)  # framed in the atlas
    window.digits.layers.setFocus()  # the keys move on from it
    qtbot.keyClick(window.digits.layers, Qt.Key.Key_Right)
    assert "act2, map 6" in window.digits.detail_label.text()
    qtbot.keyClick(window.digits.layers, Qt.Key.Key_PageDown)
    assert window.digits.selected == ("pool2", 6) and "pool2, map 6" in window.digits.detail_label.text()
    window.digits.select_map("kernels", 3)  # a kernel clicked: the map shown stays (it froze there)
    assert window.digits.selected == ("pool2", 6)


def test_a_pooled_map_is_shown_beside_the_map_it_pools_and_the_other_poolings(window, qtbot, pen_digits):
    from engine.digits import pooling

    page = window.digits
    draw(page.canvas, pen_digits[4][1])
    qtbot.waitUntil(lambda: page.result is not None and not page.result.empty, timeout=10_000)
    acts = page.result.activations
    for layer, before in (("pool1", "act1"), ("pool3", "act3")):
        page.select_map(layer, 2)
        src, fmap = acts[before][2], acts[layer][2]
        lo, hi = float(src.min()), float(src.max())
        assert page.detail_map.title == "max pooling (the network's)"
        assert page.detail_kernel.title == f"before pooling ({before})"
        assert np.allclose(page.detail_kernel.image, (src - lo) / (hi - lo))
        assert np.allclose(page.detail_map.image, (fmap - lo) / (hi - lo))
        side = page.detail_window.image  # min | gap | average, on the same scale
        h, w = fmap.shape
        assert side.shape == (h, 2 * w + 1) and np.isnan(side[:, w]).all()
        assert np.allclose(side[:, :w], (pooling.pool2x2(src, "min") - lo) / (hi - lo))
        assert np.allclose(side[:, w + 1 :], (pooling.pool2x2(src, "avg") - lo) / (hi - lo))
        assert "largest value of each 2x2 block" in page.detail_label.text()
    assert "last row and column fit no block" in page.detail_label.text()  # act3 is 7x7
    page.select_map("conv2", 1)  # back to a map with a kernel
    assert (page.detail_kernel.title, page.detail_kernel.cmap) == ("its kernel", "CET-D1")
    assert page.detail_window.title == "what it sees" and "kernel of conv2" in page.detail_label.text()


def test_two_digits_drawn_side_by_side_are_named_once(window, qtbot, pen_digits):
    from engine.digits.strokes import fit_strokes

    page = window.digits
    one = fit_strokes(pen_digits[1][1], 120, 100)  # a digit in a 120 px box: two fit side by side
    two = one + [s + np.float32([150, 0]) for s in fit_strokes(pen_digits[2][1], 120, 100)]
    page.canvas.set_strokes(one)
    qtbot.waitUntil(lambda: page.result is not None and not page.result.empty, timeout=10_000)
    qtbot.wait(100)
    assert "side by side" not in window.statusBar().message()
    page.canvas.set_strokes(two)
    qtbot.waitUntil(
        lambda: "looks like 2 digits side by side" in window.statusBar().message(), timeout=10_000
    )
    window.statusBar().clearMessage()
    page.canvas.set_strokes(two)  # the same drawing again: said once, not on every stroke
    qtbot.wait(300)
    assert window.statusBar().message() == ""


def test_with_nothing_drawn_the_maps_show_empty_not_a_stale_digit(window, qtbot, pen_digits):
    page = window.digits
    layers = page.layers
    blank = page._blank_images
    assert blank and set(blank) == set(page._layer_names)
    # At start: the layout (from the worker's warm-up digit) with every map empty.
    for name, image in blank.items():
        assert layers.images[name] is image
        assert len({image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}) <= 2
    assert "kernels" in layers.images  # the kernels are weights: shown with nothing drawn
    assert not page.probs_plot.probs.any()
    page.select_map("act2", 5)  # clicked before drawing: named, shown once there is a digit
    assert page.detail_label.text() == "act2, map 5: draw a digit to see it"
    assert page.detail_map.image is None

    draw(page.canvas, pen_digits[2][1])
    qtbot.waitUntil(lambda: page.result is not None and not page.result.empty, timeout=10_000)
    qtbot.waitUntil(lambda: layers.images["act2"] is not blank["act2"], timeout=10_000)
    qtbot.waitUntil(lambda: page.detail_map.image is not None, timeout=10_000)
    assert "act2, map 5: 14x14" in page.detail_label.text()

    page.clear_btn.click()
    qtbot.waitUntil(lambda: all(layers.images[n] is blank[n] for n in blank), timeout=10_000)
    qtbot.waitUntil(lambda: page.detail_map.image is None, timeout=10_000)
    assert page.detail_kernel.image is None and page.detail_window.image is None
    assert page.detail_label.text() == "act2, map 5: draw a digit to see it"
    # No bars either: the engine's uniform 10% for "no ink" is not an answer of the network.
    assert page.result.empty and not page.probs_plot.probs.any()


def test_preprocessing_steps_show_the_drawing_there_when_ticked_and_go_with_it(window, qtbot, pen_digits):
    page = window.digits
    page.steps_box.setChecked(False)
    draw(page.canvas, pen_digits[4][1])
    qtbot.waitUntil(lambda: page.result is not None and not page.result.empty, timeout=10_000)
    qtbot.wait(300)  # the drawing's refreshes are over: nothing comes to fill the panel later
    page.steps_box.setChecked(True)  # (it stayed empty until the next stroke)
    assert page.steps_panel.image is not None and page.steps_panel.image.max() > 0
    page.clear_btn.click()
    qtbot.waitUntil(lambda: page.steps_panel.image is None, timeout=10_000)  # not the last digit's


def test_the_first_window_fits_a_small_screen(qtbot, tmp_path):
    from PySide6.QtGui import QGuiApplication

    from app.window import MainWindow
    from app.window_state import DEFAULT_SIZE

    free = QGuiApplication.primaryScreen().availableGeometry()  # offscreen: 800x800
    assert free.width() < DEFAULT_SIZE.width()
    win = MainWindow(settings_path=str(tmp_path / "first.ini"))  # no saved geometry
    qtbot.addWidget(win)
    size = win.size()
    assert size.width() <= max(free.width(), win.minimumSizeHint().width())
    assert size.height() <= max(free.height(), win.minimumSizeHint().height())
    assert free.contains(win.geometry().center())
    first = win.geometry()
    win.close()

    # A geometry Qt refuses (damaged here; also one from a larger screen) places it the same way.
    path = tmp_path / "damaged.ini"
    path.write_text("[window]\ngeometry=@ByteArray(not a geometry)\n")
    win = MainWindow(settings_path=str(path))
    qtbot.addWidget(win)
    assert win.geometry() == first
    win.close()


def test_every_visual_and_page_tab_says_what_it_is(window, qtbot, pen_digits):
    from app.digits.page import _tip

    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    for i, action in enumerate(view.actions()[: window.tabs.count()]):  # each tab names its shortcut
        assert action.shortcut().toString() in window.tabs.tabToolTip(i)
    draw(window.digits.canvas, pen_digits[3][1])
    qtbot.waitUntil(lambda: window.digits.layers.atlas is not None, timeout=10_000)
    for page in (0, 1, 2):
        window.tabs.setCurrentIndex(page)
        for name, widget in window.plot_widgets().items():
            assert len(widget.toolTip()) > 20, f"{name} has no tooltip"
            if page == 1:  # the text views label their letters with symbols: each says what they mean
                assert "~ a character it does not know" in widget.toolTip(), name
    for layer in window.digits.layers.atlas.places:  # hovering a layer's mosaic explains that layer
        assert _tip(layer) != layer, f"no tooltip for {layer}"


def test_after_f1_or_f2_the_keys_go_to_the_page_shown(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    window.tabs.setCurrentIndex(0)
    window.digits.pen.setFocus()  # the pen width box had the keys last
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F2)
    assert window.tabs.currentIndex() == 1 and window.text.editor.hasFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "typed")
    assert window.text.editor.toPlainText().endswith("typed")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    assert window.tabs.currentIndex() == 0 and window.digits.canvas.hasFocus()
    window.tabs.setCurrentIndex(1)  # the tab clicked
    assert window.text.editor.hasFocus()
    for box in (window.text.find_box, window.text.cell_box):  # a choice made in a list on the page
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Down)  # as the keys or the mouse choose an item
        assert window.text.editor.hasFocus()  # typing goes on in the editor, not into the list


def test_the_shortcuts_table_names_every_key_the_window_answers_to(window, qtbot):
    from PySide6.QtGui import QAction, QKeySequence, QShortcut

    from app.shortcuts_help import SHORTCUTS, shortcuts_html

    fmt = QKeySequence.SequenceFormat.PortableText
    keys = {s.key().toString(fmt) for s in window.findChildren(QShortcut)}
    keys |= {a.shortcut().toString(fmt) for a in window.findChildren(QAction) if not a.shortcut().isEmpty()}
    listed = {k for ks, _ in SHORTCUTS for k in ks}
    assert keys and keys <= listed, f"not in Help > Keyboard shortcuts: {keys - listed}"
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    action = next(a for a in help_menu.actions() if "shortcuts" in a.text().lower())
    action.trigger()
    box = next(w for w in QApplication.topLevelWidgets() if w.windowTitle() == "Keyboard shortcuts")
    assert box.isVisible() and box.text() == shortcuts_html() and "Ctrl+Z" in box.text()
    box.close()


def test_things_to_try_name_only_real_keys_and_every_page(window):
    import re

    from app.shortcuts_help import SHORTCUTS
    from app.things_to_try import THINGS, things_html

    listed = {k for ks, _ in SHORTCUTS for k in ks}
    named = set(re.findall(r"\b(?:Ctrl|Alt)\+\w+|\bF\d\b", things_html()))
    assert named and named <= listed, f"not keys of the window: {named - listed}"
    assert [page.split()[0] for page, _ in THINGS] == [
        window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())
    ]
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    next(a for a in help_menu.actions() if a.text() == "&Things to try").trigger()
    box = next(w for w in QApplication.topLevelWidgets() if w.windowTitle() == "Things to try")
    assert box.isVisible() and box.text() == things_html() and "networc" in box.text()
    box.close()


def test_the_edit_menu_does_what_the_shown_pages_keys_do(window, qtbot, request):
    request.addfinalizer(lambda: QApplication.clipboard().clear())  # (see the picture test)
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    items = {a.text(): a for a in edit.actions() if not a.isSeparator()}
    assert list(items) == ["&Undo", "&Redo", "&Copy", "&Paste", "C&lear canvas", "My &dictionary…"]
    fmt = QKeySequence.SequenceFormat.PortableText
    assert items["&Undo"].shortcut().toString(fmt) == "Ctrl+Z"
    assert items["C&lear canvas"].shortcut().toString(fmt) == "Del"
    c = window.digits.canvas
    c.set_strokes([np.array([[100.0, 60.0], [100.0, 220.0]]), np.array([[60.0, 100.0], [160.0, 100.0]])])
    items["&Undo"].trigger()
    assert len(c.strokes) == 1
    items["&Redo"].trigger()
    assert len(c.strokes) == 2
    items["&Copy"].trigger()
    assert QApplication.clipboard().image().width() == 280
    items["C&lear canvas"].trigger()
    assert c.is_empty()
    items["&Undo"].trigger()  # the clear taken back
    assert len(c.strokes) == 2
    # The keys themselves still reach the page: the menu's copies of them are not window-wide.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    c.setFocus()
    qtbot.keyClick(c, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(c.strokes) == 1
    window.tabs.setCurrentIndex(1)  # the Text page: the editor's own undo, copy and paste
    assert not items["C&lear canvas"].isEnabled()
    ed = window.text.editor
    ed.setFocus()
    qtbot.keyClicks(ed, "abc")
    ed.selectAll()
    items["&Copy"].trigger()
    assert QApplication.clipboard().text() == "abc"
    ed.moveCursor(QTextCursor.MoveOperation.End)
    items["&Paste"].trigger()
    assert ed.toPlainText() == "abcabc"
    items["&Undo"].trigger()
    assert ed.toPlainText() == "abc"
    qtbot.keyClick(ed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the key, still the editor's
    assert ed.toPlainText() == ""
    window.tabs.setCurrentIndex(2)
    assert items["C&lear canvas"].isEnabled()


def test_typing_networc_space_gives_network(window, qtbot):
    window.tabs.setCurrentIndex(1)
    ed = window.text.editor
    ed.setFocus()
    with qtbot.waitSignal(window.text.corrected, timeout=20_000, check_params_cb=lambda ok: ok):
        qtbot.keyClicks(ed, "networc ")
    assert ed.toPlainText() == "network "
    assert window.text.info.text() == "Corrected “networc” to “network” (Ctrl+Z to undo)"
    qtbot.keyClicks(ed, "is")
    assert "Corrected" in window.text.info.text()  # typing on leaves the correction there to undo
    ed.undo()
    qtbot.keyClick(ed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ed.toPlainText() == "networc "  # Ctrl+Z brings back what was typed
    assert ed.textCursor().position() == len("networc ")  # and the caret stays after it
    # no longer "Corrected ... (Ctrl+Z to undo)": it offers to stop correcting the word (issue 23)
    assert "Corrected" not in window.text.info.text() and "Kept “networc”" in window.text.info.text()
    qtbot.keyClicks(ed, "is")  # (it went to the document's start: "isnetworc ")
    assert ed.toPlainText() == "networc is"


def test_clearing_the_text_after_a_correction_forgets_it_quietly(window, qtbot, qtlog):
    # The correction's place lay past the end of the cleared text: Qt warned
    # "QTextCursor::setPosition: Position '254' out of range" on every keystroke after it.
    window.tabs.setCurrentIndex(1)
    ed = window.text.editor
    ed.setFocus()
    ed.insertPlainText("A long first sentence before the mistake. ")
    with qtbot.waitSignal(window.text.corrected, timeout=20_000, check_params_cb=lambda ok: ok):
        qtbot.keyClicks(ed, "networc ")
    assert "Corrected" in window.text.info.text()
    ed.clear()
    qtbot.keyClicks(ed, "ab")
    assert ed.toPlainText() == "ab" and window.text.info.text() == ""
    assert ed.text_between(40, 48) == "" and ed.text_between(0, 2) == "ab"
    assert not [r.message for r in qtlog.records if "out of range" in r.message]


def test_correction_lands_on_the_word_after_emoji_and_line_breaks(window, qtbot):
    # Qt counts an emoji as 2 positions, Python as 1: mixing them replaced the wrong letters
    # ("I like the networc " became "I like thnetworkrc ").
    window.tabs.setCurrentIndex(1)
    ed = window.text.editor
    ed.setFocus()
    ed.insertPlainText("\U0001f600\U0001f600 first line\nI like\u00a0the ")
    with qtbot.waitSignal(window.text.corrected, timeout=20_000, check_params_cb=lambda ok: ok):
        qtbot.keyClicks(ed, "networc ")
    assert ed.toPlainText() == "\U0001f600\U0001f600 first line\nI like the network "
    word, context, sentence = window.text.current()
    assert (word, sentence) == ("", "I like the network ") and context.endswith("line\nI like the network ")
    qtbot.keyClick(ed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ed.toPlainText().endswith("I like the networc ")


def test_a_pasted_book_reads_only_the_text_near_the_caret(window, qtbot):
    from app.text.parsing import CONTEXT_CHARS, SHOW_CHARS

    window.tabs.setCurrentIndex(1)
    ed = window.text.editor
    ed.setFocus()
    book = "It was the best of times. " * 20_000 + "it was the worst of tmes"  # 520 kB
    ed.insertPlainText(book)
    word, context, sentence = window.text.current()
    assert word == "tmes"
    assert context == book[: -len(word)][-CONTEXT_CHARS:]
    assert sentence == book[book.rindex(".") + 1 :].lstrip()[-SHOW_CHARS:]
    with qtbot.waitSignal(window.text.corrected, timeout=20_000, check_params_cb=lambda ok: ok):
        qtbot.keyClicks(ed, " ")
    assert ed.toPlainText() == book[: -len(word)] + "times "


def test_a_correction_for_text_since_cut_short_is_dropped(window, qtbot):
    window.tabs.setCurrentIndex(1)
    ed = window.text.editor
    ed.setPlainText("short")
    from dataclasses import replace

    from app import protocol as P

    stale = P.Corrected("lstm", "networc", [("network", 0.9)], [], start=40)
    assert window.text.apply_correction(stale) is False
    assert window.text.apply_correction(replace(stale, start=-3)) is False
    assert ed.toPlainText() == "short"


def test_suggestions_and_trace_while_typing(window, qtbot):
    window.tabs.setCurrentIndex(1)
    ed = window.text.editor
    ed.setFocus()
    qtbot.keyClicks(ed, "the quick brwn")
    qtbot.waitUntil(
        lambda: (
            window.text.suggestions.count() > 0
            and "brown"
            in [
                window.text.suggestions.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(window.text.suggestions.count())
            ]
        ),
        timeout=20_000,
    )
    first = window.text.suggestions.item(0).text().split()
    assert first[-1].endswith("%")  # the word, then the model's probability that it was meant
    # The heatmaps refresh on their own (throttled) timer, after the suggestions; until then
    # they may still show the text of an earlier test.
    panel = window.text.hidden_panel
    qtbot.waitUntil(lambda: panel.chars == "the quick brwn", timeout=5_000)
    assert panel.matrix.shape[1] == len("the quick brwn") and panel.chars == "the quick brwn"
    # The bars are the refresh's last slice: wait for the distribution after the last letter.
    bars, trace = window.text.next_plot, window.text._trace
    want = trace.next_char[-1][: len(trace.alphabet)]
    qtbot.waitUntil(
        lambda: bars.alphabet == trace.alphabet and np.array_equal(bars.probs, want), timeout=5_000
    )
    assert abs(float(bars.probs.sum()) - 1) < 1e-3


def test_at_a_new_sentence_the_views_show_the_sentence_that_ended_and_what_comes_next(window, qtbot):
    # After ". " the heatmaps show the sentence that ended (they said "type some text" with the
    # editor full), and the bars what the network expects after it: a letter.
    window.tabs.setCurrentIndex(1)
    page, ed = window.text, window.text.editor
    ed.setFocus()
    qtbot.keyClicks(ed, "It was late. ")
    qtbot.waitUntil(lambda: page.hidden_panel.chars == "it was late. ", timeout=20_000)
    bars = page.next_plot
    want = window.client.worker.text.next_char_after("It was late. ")  # (the worker is idle now)
    qtbot.waitUntil(
        lambda: bars.probs.size > 0 and np.allclose(bars.probs, want[: bars.probs.size], atol=1e-4),
        timeout=5_000,
    )
    assert bars.alphabet[int(np.argmax(bars.probs))].isalpha()
    qtbot.keyClicks(ed, "T")  # the sentence begins: the views follow it
    qtbot.waitUntil(lambda: page.hidden_panel.chars == "t", timeout=5_000)
    qtbot.waitUntil(
        lambda: np.allclose(bars.probs, page._trace.next_char[-1][: bars.probs.size]), timeout=5_000
    )


def test_a_word_half_typed_is_offered_its_completions(window, qtbot):
    window.tabs.setCurrentIndex(1)
    ed = window.text.editor
    ed.setFocus()
    qtbot.keyClicks(ed, "I think the netwo")
    listed = window.text.suggestions

    def words() -> list[str]:
        return [listed.item(i).data(Qt.ItemDataRole.UserRole) for i in range(listed.count())]

    qtbot.waitUntil(lambda: "network" in words(), timeout=20_000)  # (was: new, two, news, net, nato)
    window.text.apply_suggestion(words().index("network"))  # as Alt+1..5 do
    assert ed.toPlainText().endswith("the network")


def test_a_unit_picked_on_a_heatmap_is_followed_letter_by_letter_per_cell(window, qtbot):
    from PySide6.QtCore import QPoint

    page = window.text
    window.tabs.setCurrentIndex(1)
    page.editor.setPlainText("the cat sat on the mat")
    page.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.waitUntil(lambda: page.hidden_panel.chars == "the cat sat on the mat", timeout=20_000)
    assert page.unit_view.unit is None and not page.unit_view.rows  # the hint until a unit is picked
    panel = page.hidden_panel
    units, letters = panel.matrix.shape
    r = panel.plot_rect()
    y = int(r.top() + (37 + 0.5) * r.height() / units)
    unit = panel.cell_at(int(r.center().x()), y)[0]  # 37, or its neighbour where rows are under a pixel
    assert abs(unit - 37) <= 1
    qtbot.mouseClick(panel, Qt.MouseButton.LeftButton, pos=QPoint(int(r.center().x()), y))
    assert page.units == {"lstm": unit}
    assert all(p.selected == unit for p in [panel, *page._gate_panels.values()])  # marked on each

    def followed(u: int, names: list[str]) -> bool:
        tr, rows = page._trace, page.unit_view.rows
        return (
            page.unit_view.unit == u
            and [n for n, *_ in rows] == names
            and np.array_equal(rows[0][1], tr.hidden[:, u])
            and all(np.array_equal(v, tr.gates[n][:, u]) for n, v, *_ in rows[1:])
        )

    lstm_rows = ["hidden", "input", "forget", "output", "candidate"]
    assert followed(unit, lstm_rows) and page.unit_view.chars == "the cat sat on the mat"
    page.editor.setFocus()
    qtbot.keyClick(page.editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert followed(unit + 1, lstm_rows)
    assert page.editor.toPlainText() == "the cat sat on the mat"  # the keys went to no letter
    qtbot.keyClicks(page.editor, "s")  # the strip follows the text
    qtbot.waitUntil(lambda: page.unit_view.chars == "the cat sat on the mats", timeout=20_000)
    assert followed(unit + 1, lstm_rows)
    qtbot.waitUntil(
        lambda: {"unit", "pull"} <= set(window.plot_widgets()), timeout=5_000
    )  # Ctrl+S saves both

    from engine.text.units import FEATURES, read_units

    found = read_units()
    box = page.find_box  # units that track something nameable, offered to follow
    assert [box.itemData(i) for i in range(1, box.count())] == [e["unit"] for e in found["lstm"].values()]
    assert box.currentIndex() == 0  # the unit followed was clicked, not found
    i = 1 + list(found["lstm"]).index("space")
    box.activated.emit(i)  # as choosing it with the mouse or keys does
    space_unit = found["lstm"]["space"]["unit"]
    assert followed(space_unit, lstm_rows) and box.currentIndex() == i
    assert page.unit_view.about.startswith(FEATURES["space"][0])
    qtbot.keyClick(page.editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # off the found unit
    assert box.currentIndex() == 0 and page.unit_view.about == ""
    page.follow_unit(unit + 1)

    page.set_cell("gru")  # another network: the same unit number followed (a clicked unit, not a found one)
    assert page.units["gru"] == unit + 1 and panel.selected == unit + 1
    assert [box.itemData(i) for i in range(1, box.count())] == [e["unit"] for e in found["gru"].values()]
    qtbot.waitUntil(lambda: page._trace_cell == "gru" and panel.matrix.shape[0] == 256, timeout=30_000)
    page.follow_unit(None)
    page.step_unit(-1)  # Alt+Up with none followed: the first unit
    qtbot.waitUntil(lambda: followed(0, ["hidden", "reset", "update"]), timeout=5_000)
    page.set_cell("lstm")
    qtbot.waitUntil(lambda: page._trace_cell == "lstm", timeout=30_000)
    qtbot.waitUntil(lambda: followed(unit + 1, lstm_rows), timeout=5_000)  # the LSTM's unit again
    page.set_units({"lstm": 999, "gru": 3})  # saved for bigger networks, or damaged: dropped
    assert page.units == {"gru": 3} and page.unit_view.unit is None and panel.selected is None


def test_the_pull_of_each_letter_on_the_next_guess_follows_the_typing(window, qtbot):
    page, strip = window.text, window.text.influence_view
    window.tabs.setCurrentIndex(1)
    page.editor.setFocus()
    qtbot.keyClicks(page.editor, "The hidden state carries what it has seen so far from letter to lett")
    typed = "the hidden state carries what it has seen so far from letter to lett"
    qtbot.waitUntil(lambda: strip.chars == typed[-60:], timeout=20_000)
    assert len(strip.pull) == 60 and strip.pull.max() == pytest.approx(1.0)
    bars = page.next_plot  # the guess it explains is the one the next-character bars show
    qtbot.waitUntil(
        lambda: bars.probs.size and bars.alphabet[int(np.argmax(bars.probs))] == strip.guess, timeout=5_000
    )
    assert strip.readout().startswith(f"what the guess “{strip.guess}” depends on")
    from app import protocol as P

    page.show_influence(P.PullMeasured("lstm", "older text", None))  # stale: ignored
    assert strip.chars == typed[-60:]
    page.set_cell("rnn")
    qtbot.waitUntil(lambda: page._trace_cell == "rnn", timeout=30_000)
    qtbot.keyClicks(page.editor, "e")
    qtbot.waitUntil(lambda: strip.chars == (typed + "e")[-60:], timeout=20_000)
    from engine.text import TextEngine
    from engine.text.influence import influence

    want = influence(TextEngine.load("rnn", device="cpu"), typed + "e")  # the plain RNN's, not the LSTM's
    assert np.allclose(strip.pull, want.pull, atol=1e-4) and strip.guess == want.guess


def test_all_five_suggestions_are_in_view_in_a_window_on_a_laptop_screen(window, qtbot):
    window.resize(1326, 708)  # the window placed on a 1366x768 screen
    window.tabs.setCurrentIndex(1)
    page = window.text
    page.follow_unit(3)  # the unit strip at its full height too
    page.editor.setPlainText("I think the network is great at writ")
    page.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.waitUntil(lambda: page.suggestions.count() == 5, timeout=20_000)
    QApplication.processEvents()
    view = page.suggestions.viewport().rect()
    assert view.contains(page.suggestions.visualItemRect(page.suggestions.item(4)))


def test_switching_cells(window, qtbot):
    window.tabs.setCurrentIndex(1)
    for cell, gates in (
        ("gru", {"reset", "update"}),
        ("rnn", {"none"}),
        ("lstm", {"input", "forget", "output", "candidate"}),
    ):
        window.text.set_cell(cell)
        qtbot.waitUntil(lambda c=cell: f"Text: {c}" in window.model_label.text(), timeout=30_000)
        assert set(window.text._gate_panels) == gates
        if cell == "rnn":  # says why it is empty, not "type some text" under typed text
            assert "no gates" in window.text._gate_panels["none"].empty
    window.text.editor.setPlainText("hello ther")
    window.text.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.waitUntil(lambda: window.text.suggestions.count() > 0, timeout=20_000)


def test_the_window_cells_show_their_insides(window, qtbot):
    """The temporal CNN: its blocks' feature maps, each titled with its window, and a pull strip
    that marks where its window ends. The Transformer: each layer's and head's attention for the
    newest letter, and for a letter clicked."""
    window.tabs.setCurrentIndex(1)
    page = window.text
    sentence = "the network reads every letter of the text you type, and the temporal network reads a window"
    page.editor.setPlainText(sentence * 2)
    page.editor.moveCursor(QTextCursor.MoveOperation.End)
    page.set_cell("cnn")
    qtbot.waitUntil(lambda: "Text: cnn" in window.model_label.text(), timeout=30_000)
    qtbot.waitUntil(lambda: any(n.startswith("block") for n in page._gate_panels), timeout=20_000)
    names = list(page._gate_panels)
    assert len(names) == 3 and names[-1].endswith("(sees 127 letters)")
    qtbot.waitUntil(lambda: page._gate_panels[names[-1]].matrix is not None, timeout=20_000)
    assert page.hidden_panel.title == "last block's output"
    qtbot.waitUntil(lambda: page.influence_view.reach == 127, timeout=20_000)
    strip = page.influence_view
    assert len(strip.chars) == 160 and np.all(strip.pull[: 160 - 127] == 0)
    page.step_view.go_to(5)
    qtbot.waitUntil(lambda: "reads its 6 letters at once" in page.step_view.text(), timeout=20_000)

    page.set_cell("transformer")
    qtbot.waitUntil(lambda: "Text: transformer" in window.model_label.text(), timeout=30_000)
    qtbot.waitUntil(
        lambda: page.attention_view is not None and page.attention_view.t is not None, timeout=20_000
    )
    att = page.attention_view
    assert page._gate_panels == {} and page.hidden_panel.title == "last layer's output"
    assert att.weights.shape[:2] == (4, 4) and len(att.rows) == 1 + 16
    page.step_view.go_to(None)
    qtbot.waitUntil(lambda: att.t == len(page._trace.text) - 1, timeout=20_000)
    assert np.allclose(att.weights.sum(-1), 1, atol=1e-4)  # every head's weights over the letters before
    att.letterPicked.emit(10)  # a click on the 11th letter: its own row
    qtbot.waitUntil(lambda: att.t == 10 and len(att.chars) == 11, timeout=20_000)
    assert att.readout().startswith(f"where “{att.chars[-1]}” (letter 11) looks")
    page.set_cell("lstm")
    qtbot.waitUntil(lambda: "Text: lstm" in window.model_label.text(), timeout=30_000)
    assert page.attention_view is None and set(page._gate_panels) == {
        "input",
        "forget",
        "output",
        "candidate",
    }


def test_device_switch_cpu_and_back_to_cuda(window, qtbot, pen_digits):
    import torch

    if not torch.cuda.is_available():
        pytest.skip("no GPU here")
    label, strokes = pen_digits[1]
    for wanted, shown in (("cpu", "CPU"), ("cuda", "CUDA")):
        window.set_device(wanted)
        qtbot.waitUntil(lambda shown=shown: window.device_label.text().startswith(shown), timeout=20_000)
        window.digits.canvas.clear()
        draw(window.digits.canvas, strokes)
        qtbot.waitUntil(
            lambda: window.digits.result is not None and window.digits.result.label == label, timeout=20_000
        )


def test_cuda_request_falls_back_to_cpu(window, qtbot):
    import torch

    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    window.set_device("cuda")
    qtbot.waitUntil(lambda: "CUDA is not available" in window.statusBar().message(), timeout=10_000)
    assert window.device_label.text() == "CPU"


def test_worker_error_shows_and_app_keeps_running(window, qtbot, pen_digits):
    window.client.post(P.ReadDigit(np.zeros((3, 3, 3, 3))))
    qtbot.waitUntil(lambda: "Error" in window.statusBar().message(), timeout=10_000)
    draw(window.digits.canvas, pen_digits[0][1])
    qtbot.waitUntil(
        lambda: window.digits.result is not None and not window.digits.result.empty, timeout=10_000
    )


def test_save_plots_as_png(window, qtbot, tmp_path, pen_digits):
    draw(window.digits.canvas, pen_digits[0][1])
    qtbot.waitUntil(
        lambda: window.digits.result is not None and not window.digits.result.empty, timeout=10_000
    )
    paths = window.save_plots(str(tmp_path))
    assert paths and all(os.path.getsize(p) > 100 for p in paths)
    assert all(os.path.basename(p).startswith("digits-") for p in paths)
    names = {p.rsplit("-", 1)[1] for p in paths}
    assert names == {"input.png", "probabilities.png", "history.png", "layers.png"}  # no empty detail
    again = window.save_plots(str(tmp_path))  # a second save makes a new set, never over the first
    pngs = [f for f in os.listdir(tmp_path) if f.endswith(".png")]  # (the settings file's lock is there too)
    assert not set(again) & set(paths) and len(pngs) == 2 * len(paths)
    with pytest.raises(OSError, match="could not write"):
        window.save_plots(str(tmp_path / "not-there"))
    window.digits.select_map("conv1", 2)  # a map shown large: saved with its kernel and input window
    (tmp_path / "detail").mkdir()
    shown = {p.rsplit("-", 1)[1] for p in window.save_plots(str(tmp_path / "detail"))}
    assert shown == names | {"detail_map.png", "detail_kernel.png", "detail_input.png"}


def test_settings_persist(qtbot, tmp_path):
    from app.window import MainWindow

    ini = str(tmp_path / "s.ini")
    win = MainWindow(settings_path=ini)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.engineReady, timeout=120_000):
        win.show()
    win.tabs.setCurrentIndex(1)
    win.text.follow_unit(12)  # the LSTM's
    win.text.set_cell("gru")
    win.text.follow_unit(200)
    win.close()
    again = MainWindow(settings_path=ini)
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 1 and again.text.cell == "gru"
    assert again.text.units == {"lstm": 12, "gru": 200}
    again.close()
    assert not again.client.running()


def test_closing_with_work_in_flight(qtbot, tmp_path, pen_digits):
    from app.window import MainWindow

    win = MainWindow(settings_path=str(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    win.show()
    for _ in range(50):
        win.client.post(P.ReadDigit(np.random.default_rng(0).integers(0, 255, (280, 280), dtype=np.uint8)))
    win.text.editor.setPlainText("some text in flight")
    stop, seen = win.client.stop, []
    win.client.stop = lambda: (seen.append(win.isVisible()), stop())[1]  # a spy: it still stops
    win.close()  # maybe before the engines have even loaded
    assert not win.client.running()
    assert seen == [False]  # off the screen before waiting for the worker: no frozen window


def test_repaint_every_visual_300_times(window, qtbot, pen_digits):
    """The PySide6 6.12 crash class: repeated repaint of many ViewBoxes must hold."""
    draw(window.digits.canvas, pen_digits[3][1])
    qtbot.waitUntil(
        lambda: window.digits.result is not None and not window.digits.result.empty, timeout=10_000
    )
    res = window.digits.result
    window.text.editor.setPlainText("the networc reads")
    window.text.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.waitUntil(lambda: window.text.hidden_panel.matrix is not None, timeout=20_000)
    window.digits.steps_box.setChecked(True)
    window.digits.select_map("conv1", 0)
    for i in range(300):
        window.tabs.setCurrentIndex(i % 3)
        window.digits.show_result(res)
        for w in window.plot_widgets().values():
            w.repaint()
        window.repaint()
        QApplication.processEvents()


def test_screenshots_replay_the_demo_at_a_hands_pace(window, qtbot, tmp_path):
    """The README's screenshot command: the three pages saved, the digit drawn and the text typed as a
    user would (one event at a time), so the history strip has a column per update."""
    from PySide6.QtGui import QImage

    from app.screenshot import DEMO_LEAD, DEMO_NUMBER, DEMO_TEXT, schedule_screenshots

    prefix = str(tmp_path / "shot")
    schedule_screenshots(window, prefix)
    qtbot.waitUntil(lambda: os.path.exists(f"{prefix}-number.png"), timeout=60_000)
    assert not QImage(f"{prefix}-digits.png").isNull() and not QImage(f"{prefix}-text.png").isNull()
    from engine.digits.data import pendigits_path

    if pendigits_path().is_file():
        assert window.digits.result.label == 5  # the demo digit is a pen-drawn 5
    updates = int((~np.isnan(window.digits.history[:, 0])).sum())
    if pendigits_path().is_file():  # (without the data the demo digit is a 3-point stand-in)
        assert updates >= 10  # drawn stroke by stroke, not all at once
    typed = window.text.editor.toPlainText()
    assert typed.startswith(DEMO_LEAD + "the network reads ") and typed.endswith(DEMO_TEXT.split()[-1])
    assert len(typed) >= 190  # one long sentence: the heatmaps label every letter of it
    if pendigits_path().is_file():
        assert window.number.result.text == DEMO_NUMBER


def test_colour_maps_are_read_on_the_worker_before_the_first_result(qtbot, tmp_path, monkeypatch):
    # pyqtgraph builds a colour map in ~7 ms of Python: not on the GUI thread.
    import threading

    import pyqtgraph as pg

    from app import painting, plots
    from app.window import MainWindow

    plots.lut.cache_clear()
    painting.argb_table.cache_clear()
    reads = []
    real_get = pg.colormap.get
    monkeypatch.setattr(
        pg.colormap,
        "get",
        lambda name, *a, **k: reads.append((name, threading.get_ident())) or real_get(name, *a, **k),
    )
    win = MainWindow(settings_path=str(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    built = len(reads)  # the input view's glow is made with the window, before it shows
    win.show()
    with qtbot.waitSignal(win.engineReady, timeout=120_000):
        pass
    gui = threading.get_ident()
    assert all(thread != gui for _, thread in reads[built:]), "a colour map read on the GUI thread"
    assert {name for name, _ in reads} == {"CET-L1", "inferno", "viridis", "CET-D1"}  # "gray" is CET-L1
    n = len(reads)
    draw(win.digits.canvas, [np.float32([[90, 60], [190, 60], [120, 220]])])
    qtbot.waitUntil(lambda: win.digits.result is not None and not win.digits.result.empty, timeout=10_000)
    qtbot.wait(300)  # the heavy refresh (every layer's maps) too
    win.close()
    assert len(reads) == n


def test_cpus_kept_quick_to_wake_while_drawing_and_the_choice_persists(qtbot, tmp_path, pen_digits):
    from app.window import MainWindow

    ini = str(tmp_path / "s.ini")
    QSettings(ini, QSettings.Format.IniFormat).setValue("keep_cpus_awake", True)  # off by default (issue 24)
    win = MainWindow(settings_path=ini)
    qtbot.addWidget(win)
    action = win.awake_action
    if win.awake.why_not:  # this machine refuses the request: the menu says why, nothing is held
        assert not action.isEnabled() and win.awake.why_not in action.toolTip()  # and unticked
        assert not win.awake.held
        win.close()
        return
    assert action.isEnabled() and action.isChecked()
    assert win.awake.held  # while the engines load
    with qtbot.waitSignal(win.engineReady, timeout=120_000):
        win.show()
        draw(win.digits.canvas, pen_digits[0][1])  # drawing while they load does not start the
        assert win.awake.held and win.awake._linger.isActive() == win.ready  # linger before they are
    win.awake.release()
    draw(win.digits.canvas, pen_digits[0][1])
    assert win.awake.held and win.awake._linger.isActive()
    action.setChecked(False)
    assert not win.awake.held
    draw(win.digits.canvas, pen_digits[1][1])
    assert not win.awake.held
    win.close()
    again = MainWindow(settings_path=ini)
    qtbot.addWidget(again)
    assert not again.awake_action.isChecked() and not again.awake.held
    again.close()


def test_where_the_machine_refuses_the_cpu_request_the_menu_greys_it_and_says_why(
    qtbot, tmp_path, monkeypatch
):
    from app.tuning import awake
    from app.tuning.cpu_latency import CpuLatencyRequest
    from app.window import MainWindow

    missing = str(tmp_path / "no_such_device")
    monkeypatch.setattr(awake, "CpuLatencyRequest", lambda: CpuLatencyRequest(path=missing))
    QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat).setValue("keep_cpus_awake", True)
    win = MainWindow(settings_path=str(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    a = win.awake_action
    assert not a.isEnabled() and not a.isChecked() and not win.awake.held
    assert "Not available here" in a.toolTip() and missing in a.toolTip()
    assert win.awake.enabled  # the saved choice is kept for a machine that allows it
    win.close()
    assert (tmp_path / "s.ini").read_text().count("keep_cpus_awake=true") == 1


def test_window_carries_the_apps_icon_which_the_desktop_entry_names(window):
    from pathlib import Path

    from app.window import ICON_FILE

    icon = window.windowIcon()
    assert not icon.isNull()
    image = icon.pixmap(32, 32).toImage()
    assert image.width() == 32 and image.pixelColor(16, 16).alpha() == 255  # rendered, not blank
    entry = (Path(__file__).parents[2] / "packaging" / "nn-playground.desktop").read_text()
    assert f"Icon={Path(ICON_FILE).stem}\n" in entry


def test_about_names_the_versions_the_device_and_whose_data_the_networks_learnt_from(window):
    import torch
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMessageBox

    from app.about import CREDITS

    about = next(a for a in window.findChildren(QAction) if a.text() == "&About")
    about.trigger()
    box = next(b for b in window.findChildren(QMessageBox) if b.windowTitle().startswith("About"))
    text = box.text()
    assert "0.1.0" in text and f"torch {torch.__version__}" in text
    assert window.device_label.text() in text and "Text: lstm" in text and "CRNN: number.safetensors" in text
    for what, _who, licence in CREDITS:
        assert what in text and licence in text
    box.close()


def test_a_screen_reader_can_name_every_view_and_read_the_live_answers(window, qtbot):
    from PySide6.QtWidgets import QWidget

    for page in (0, 1, 2):
        window.tabs.setCurrentIndex(page)
        for key, w in window.plot_widgets().items():
            assert w.accessibleName(), f"{key} has no accessible name"
    for w in (window.digits.canvas, window.digits.pen, window.text.editor, window.text.cell_box):
        assert isinstance(w, QWidget) and w.accessibleName()
    # The painted answers are read out through their accessible names.
    window.tabs.setCurrentIndex(0)
    canvas = np.zeros((280, 280), np.uint8)
    canvas[60:220, 130:150] = 255  # a "1"
    window.client.post(P.ReadDigit(canvas))
    qtbot.waitUntil(
        lambda: window.digits.result is not None and not window.digits.result.empty, timeout=10_000
    )
    label = window.digits.pred_label
    assert label.accessibleName() == f"Prediction: {label.text()}" and "%" in label.text()
    window.tabs.setCurrentIndex(1)
    window.text.follow_unit(155)
    window.text.editor.setPlainText("the cat sat")
    window.text.editor.moveCursor(QTextCursor.MoveOperation.End)
    strip = window.text.influence_view
    qtbot.waitUntil(lambda: strip.chars == "the cat sat", timeout=20_000)
    from app.painting import shown_char  # a space guessed is named as the strip shows it: "␣"

    assert strip.accessibleName().startswith(f"what the guess “{shown_char(strip.guess)}” depends on: most “")
    assert "the last letter" in strip.accessibleName() or "back" in strip.accessibleName()
    assert window.text.unit_view.accessibleName().startswith("unit 155")


def test_a_picture_of_a_digit_opened_dropped_or_pasted_is_read(window, qtbot, tmp_path, pen_digits, request):
    # A QMimeData made in Python and left on the clipboard crashed the interpreter at exit (PySide6
    # frees it after Qt has): the clipboard is emptied after the test, pass or fail.
    request.addfinalizer(lambda: QApplication.clipboard().clear())
    import cv2
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent, QImage

    from engine.digits.picture import photographed
    from engine.digits.strokes import render_strokes

    page = window.digits
    label, strokes = pen_digits[5]
    draw(page.canvas, pen_digits[0][1])  # a drawing there first: the picture replaces it, undoably
    drawn = page.canvas.image.copy()
    photo = photographed(render_strokes(strokes, 280, 16).astype(np.float32), np.random.default_rng(0))
    path = tmp_path / "my digit.jpg"
    cv2.imwrite(str(path), (photo * 255).astype(np.uint8))
    window.tabs.setCurrentIndex(1)
    window.pictures.open(str(path))
    assert window.tabs.currentIndex() == 0  # the Digits page, where the picture goes
    qtbot.waitUntil(lambda: page.canvas.picture is not None, timeout=10_000)
    qtbot.waitUntil(lambda: page.result is not None and page.result.label == label, timeout=10_000)
    assert window.statusBar().message() == "Opened my digit.jpg; Ctrl+Z brings back what was drawn"
    page.canvas.undo_stroke()  # Ctrl+Z: the drawing before the picture
    assert page.canvas.picture is None and np.array_equal(page.canvas.image, drawn)

    pair = tmp_path / "twelve.png"  # two digits side by side: read on the Number page, which reads both
    two = np.hstack([render_strokes(pen_digits[i][1], 280, 16) for i in (1, 2)])
    cv2.imwrite(str(pair), 255 - two)
    before = page.canvas.image.copy()
    window.pictures.open(str(pair))
    number = window.number
    qtbot.waitUntil(lambda: number.canvas.picture is not None, timeout=10_000)
    assert window.tabs.currentWidget() is number and np.array_equal(page.canvas.image, before)
    assert (
        window.statusBar()
        .message()
        .startswith("twelve.png holds 2 digits side by side: read here on the Number page")
    )
    twelve = f"{pen_digits[1][0]}{pen_digits[2][0]}"
    qtbot.waitUntil(lambda: number.result is not None and number.result.text == twelve, timeout=10_000)
    number.canvas.undo_stroke()
    window.tabs.setCurrentWidget(page)

    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bad))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    pic_drag = QMimeData()
    pic_drag.setUrls([QUrl.fromLocalFile(str(path))])
    words = QMimeData()
    words.setText("some words")
    editor = window.text.editor  # a picture dropped on the editor is left to the window, not typed
    assert not editor.canInsertFromMimeData(pic_drag) and editor.canInsertFromMimeData(words)
    window.dropEvent(drop)  # as dropping the file on the window does
    qtbot.waitUntil(lambda: str(bad) in window.statusBar().message(), timeout=10_000)
    assert "not a picture" in window.statusBar().message()
    assert page.canvas.picture is None  # the drawing stays

    QApplication.clipboard().setImage(QImage(str(path)))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    window.tabs.setCurrentIndex(1)
    page_text = window.text.editor
    page_text.setPlainText("")
    page_text.setFocus()
    QApplication.clipboard().setText("pasted words")
    qtbot.keyClick(page_text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # the editor's paste
    assert page_text.toPlainText() == "pasted words" and page.canvas.picture is None
    QApplication.clipboard().setImage(QImage(str(path)))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    window.tabs.setCurrentIndex(0)
    assert page.canvas.hasFocus()
    qtbot.keyClick(page.canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # Ctrl+V on Digits
    qtbot.waitUntil(lambda: page.canvas.picture is not None, timeout=10_000)
    qtbot.waitUntil(lambda: page.result is not None and page.result.label == label, timeout=10_000)
    page.canvas.clear()
    copied = QMimeData()  # a file copied in a file manager: its picture is pasted
    copied.setUrls([QUrl.fromLocalFile(str(path))])
    QApplication.clipboard().setMimeData(copied)
    qtbot.keyClick(page.canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.canvas.picture is not None, timeout=10_000)
    assert window.statusBar().message() == "Opened my digit.jpg"  # nothing drawn to bring back


def test_switching_cell_keeps_following_the_same_feature(window, qtbot):
    from engine.text.units import read_units

    found = read_units()
    page = window.text
    window.tabs.setCurrentIndex(1)
    page.follow_unit(found["lstm"]["space"]["unit"])
    page.set_cell("gru")  # the GRU's unit for spaces, not the LSTM's number
    assert page.units["gru"] == found["gru"]["space"]["unit"]


def test_a_run_with_the_cpu_request_tuned_off_keeps_the_users_choice(qtbot, tmp_path, monkeypatch, launch):
    ini = str(tmp_path / "s.ini")
    QSettings(ini, QSettings.Format.IniFormat).setValue("keep_cpus_awake", True)
    monkeypatch.setenv("NNPG_TUNING", "-cpu_latency")
    win = launch(ini)
    assert not win.awake.enabled and not win.awake_action.isEnabled()
    assert "NNPG_TUNING" in win.awake_action.toolTip()
    win.close()
    assert QSettings(ini, QSettings.Format.IniFormat).value("keep_cpus_awake") in (True, "true")
