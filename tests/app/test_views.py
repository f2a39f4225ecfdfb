"""The painted views on their own: colouring, clicks on the atlas, labels that never relayout."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.digits.image_views import AtlasView, HistoryStrip, ImageView
from app.painting import LiveText, argb_table, colour_image
from app.plots import mosaic
from app.text.letter_strips import HINT, UnitTrace
from app.text.views import CharBars, HeatMap


def test_colour_image_maps_levels_and_makes_nan_transparent(qtbot):
    img = np.array([[0.0, 0.5, 1.0, np.nan], [-3.0, 9.0, 0.25, 0.75]], np.float32)
    q = colour_image(img, "viridis")
    assert (q.width(), q.height()) == (4, 2)
    table = argb_table("viridis")
    assert q.pixel(0, 0) == int(table[0]) and q.pixel(2, 0) == int(table[255])
    assert q.pixel(0, 1) == int(table[0]) and q.pixel(1, 1) == int(table[255])  # clipped
    assert q.pixelColor(3, 0).alpha() == 0  # NaN: a gap between maps
    shifted = colour_image(img * 2 - 1, "viridis", levels=(-1.0, 1.0))
    assert shifted.pixel(2, 0) == q.pixel(2, 0)


def test_colour_image_of_nothing_is_a_blank_pixel(qtbot):
    q = colour_image(np.zeros((0, 5), np.float32), "gray")
    assert (q.width(), q.height()) == (1, 1) and q.pixelColor(0, 0).alpha() == 0


class _Count(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def eventFilter(self, _obj, ev) -> bool:
        if ev.type() == QEvent.Type.LayoutRequest:
            self.n += 1
        return False


@pytest.mark.parametrize("cls, relayouts", [(QLabel, True), (LiveText, False)])
def test_live_text_changes_never_ask_for_a_new_layout(qtbot, cls, relayouts):
    """QLabel.setText makes the layout recompute (and the window repaint whole); LiveText not."""
    parent = QWidget()
    qtbot.addWidget(parent)
    lay = QVBoxLayout(parent)
    label = cls("5   95%")
    lay.addWidget(label)
    lay.addWidget(QWidget())
    parent.resize(300, 200)
    parent.show()
    qtbot.waitExposed(parent)
    qtbot.wait(50)  # the layout requests of showing it are over
    counter = _Count()
    parent.installEventFilter(counter)
    for i in range(20):
        label.setText(f"{i % 10}   {50 + i}%" + " wide" * (i % 3))
        qtbot.wait(1)
    assert (counter.n >= 10) if relayouts else (counter.n == 0)
    assert label.text().startswith("9   69%")


def test_clicking_a_map_in_the_atlas_names_it(qtbot):
    view = AtlasView("maps")
    qtbot.addWidget(view)
    shapes = {"conv1": (9, 28, 28), "fc1": (16,)}
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_layers(shapes)
    view.set_layer("conv1", colour_image(mosaic(np.random.rand(9, 28, 28)), "viridis"))
    # the centre of map 4, the middle of a 3x3 grid of 28x28 maps
    x0, y0, f = view.atlas.places["conv1"]
    s, ox, oy = view._frame()
    centre = QPoint(int(ox + (x0 + (29 + 14) * f) * s), int(oy + (y0 + (29 + 14) * f) * s))
    with qtbot.waitSignal(view.mapClicked) as sig:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre)
    assert sig.args == ["conv1", 4]
    img = view.grab().toImage()
    assert img.pixelColor(centre) != img.pixelColor(2, 2)  # the map is painted there


def test_the_keys_pick_maps_in_the_atlas_and_the_selected_one_is_framed(qtbot):
    view = AtlasView("maps")
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    shapes = {"kernels": (8, 3, 3), "conv1": (9, 28, 28), "pool1": (9, 14, 14), "fc1": (16,)}
    view.set_layers(shapes, pickable=["conv1", "pool1", "fc1"])
    assert view.pickable == ["conv1", "pool1"]  # maps only: not the kernels, not a vector
    picked = []
    view.mapClicked.connect(lambda layer, i: (picked.append((layer, i)), view.set_selected(layer, i)))
    view.setFocus()
    K = Qt.Key
    for key, want in [
        (K.Key_Right, ("conv1", 0)),  # nothing selected yet: the first map of the first layer
        (K.Key_Right, ("conv1", 1)),
        (K.Key_Down, ("conv1", 4)),  # a 3x3 grid: down one row
        (K.Key_Down, ("conv1", 7)),
        (K.Key_Down, ("conv1", 7)),  # the last row: stays
        (K.Key_End, ("conv1", 8)),
        (K.Key_Right, ("conv1", 8)),  # the last map: stays
        (K.Key_PageDown, ("pool1", 8)),
        (K.Key_PageDown, ("pool1", 8)),  # the last layer: stays
        (K.Key_Home, ("pool1", 0)),
        (K.Key_Left, ("pool1", 0)),
        (K.Key_PageUp, ("conv1", 0)),
    ]:
        qtbot.keyClick(view, key)
        assert picked[-1] == want, (key, picked[-1], want)
    assert view.accessibleDescription() == "conv1, map 0 selected"
    view.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=5_000)
    assert view.grab().toImage().pixelColor(1, 100).name() == "#60c0ff"  # the focus frame
    view.set_selected("conv1", 4)
    img = view.grab().toImage()
    frame = view._selected_rect()
    edge = frame.topLeft().toPoint() + QPoint(int(frame.width() / 2), 0)
    assert img.pixelColor(edge).lightness() > 200  # the white frame around map 4
    view.set_layers({"conv2": (4, 10, 10)})  # another network: the selection went with its layers
    assert view.selected is None and view._selected_rect() is None


@pytest.mark.parametrize("size", [(900, 700), (330, 260), (250, 200)])
def test_atlas_labels_keep_clear_of_the_row_above_at_any_size(qtbot, size):
    from app.digits.image_views import LABEL_PX

    view = AtlasView("maps")
    qtbot.addWidget(view)
    shapes = {f"conv{i}": (16, 26, 26) for i in range(6)} | {"fc1": (128,)}
    view.set_layers(shapes)
    view.resize(*size)
    s, ox, oy = view._frame()
    rows: dict[int, list[str]] = {}
    for name, (_x0, y0, _f) in view.atlas.places.items():
        rows.setdefault(y0, []).append(name)
    tops = sorted(rows)
    for upper, lower in zip(tops, tops[1:], strict=False):
        bottom = max(
            upper + view.atlas.mosaic_size(shapes[n])[0] * view.atlas.places[n][2] for n in rows[upper]
        )
        assert oy + lower * s - LABEL_PX >= oy + bottom * s - 0.5  # the label sits below the mosaics above
    assert oy + tops[0] * s - LABEL_PX >= -0.5  # and the first row's inside the view


def test_views_paint_empty_and_full(qtbot):
    heat = HeatMap("hidden state", "tip", "CET-D1", (-1.0, 1.0))
    bars = CharBars("next character", "tip")
    image = ImageView("tip", title="map")
    for w in (heat, bars, image):
        qtbot.addWidget(w)
        w.resize(300, 150)
        w.grab()  # empty: paints a placeholder, no error
    heat.set_data(np.tanh(np.random.randn(12, 64)).astype(np.float32), "hello world!")
    assert heat.matrix.shape == (64, 12)
    heat.set_data(np.zeros(5, np.float32), "x")  # not a matrix: shown as empty
    assert heat.matrix is None
    bars.set_probs("ab ", np.array([0.2, 0.7, 0.1], np.float32))
    image.set_image(np.random.rand(7, 5).astype(np.float32))
    for w in (heat, bars, image):
        assert not w.grab().isNull()


def test_history_strip_puts_each_digit_on_its_row_newest_right(qtbot):
    strip = HistoryStrip("tip")
    qtbot.addWidget(strip)
    strip.resize(420, 120)
    strip.grab()  # before any history: background and labels only
    hist = np.full((10, 200), np.nan, np.float32)
    hist[:, -50:] = 0.0
    hist[7, -50:] = 1.0  # the network sure of a 7 over the last 50 updates
    strip.set_history(hist)
    img = strip.grab().toImage()
    box = strip._image_rect()
    row_h = box.height() / 10

    def at(col: int, row: int):
        x = int(box.left() + (col + 0.5) * box.width() / 200)
        return img.pixelColor(x, int(box.top() + (row + 0.5) * row_h))

    table = argb_table("inferno")
    assert at(190, 7).rgb() == int(table[255]) & 0xFFFFFFFF  # sure: the bright end, on row 7
    assert at(190, 3).rgb() == int(table[0]) & 0xFFFFFFFF  # the other rows dark
    assert at(20, 7) == img.pixelColor(2, int(box.top()) + 1)  # no update yet: background


def test_a_heatmap_reads_out_the_cell_under_the_pointer_and_a_click_picks_its_unit(qtbot):
    heat = HeatMap("forget gate", "tip", "viridis", (0.0, 1.0))
    qtbot.addWidget(heat)
    heat.resize(400, 200)
    heat.show()
    mat = np.linspace(0, 1, 5 * 8, dtype=np.float32).reshape(5, 8)  # 5 letters, 8 units
    heat.set_data(mat, "ab cd")
    r = heat.plot_rect()

    def centre(unit: int, col: int) -> QPoint:
        return QPoint(
            int(r.left() + (col + 0.5) * r.width() / 5), int(r.top() + (unit + 0.5) * r.height() / 8)
        )

    assert heat.cell_at(r.left() - 5, r.top() + 5) is None  # the margin with the unit numbers
    # (from elsewhere first: a move to where the pointer already is, left by an earlier test,
    # sends no event; with the data absent the tests before differ and this one hung)
    qtbot.mouseMove(heat, QPoint(1, 1))
    qtbot.mouseMove(heat, centre(6, 2))
    qtbot.waitUntil(lambda: heat.hover == (6, 2), timeout=2_000)
    assert heat.readout() == f"forget gate · unit 6 at “␣”: {mat[2, 6]:.2f}"  # a gate: unsigned
    with qtbot.waitSignal(heat.unitPicked, check_params_cb=lambda u: u == 3):
        qtbot.mouseClick(heat, Qt.MouseButton.LeftButton, pos=centre(3, 4))
    heat.set_selected(3)
    assert not heat.grab().isNull()  # the mark painted
    heat.set_data(mat[:2], "ab")  # shorter text: the pointer's old column is gone
    assert heat.hover is None and heat.readout() == "forget gate"
    heat.set_data(mat, "ab cd")
    heat.hover = (7, 1)
    heat.set_data(mat[:, :4], "ab cd")  # a network with fewer units: the pointer's row is gone
    assert heat.hover is None and not heat.grab().isNull()
    signed = HeatMap("hidden state", "tip", "CET-D1", (-1.0, 1.0))
    qtbot.addWidget(signed)
    signed.set_data(-mat, "ab cd")
    signed.hover = (1, 0)
    assert signed.readout().endswith(f"{-mat[0, 1]:+.2f}")


def test_the_unit_strip_shows_the_newest_letters_that_fit_and_reads_out_every_row(qtbot):
    strip = UnitTrace()
    qtbot.addWidget(strip)
    strip.resize(strip.LABEL + 10 * strip.CELL + 4, strip.height())
    strip.show()
    assert strip.readout() == HINT
    strip.grab()
    text = "the cat sat on the mat"
    hidden = np.linspace(-1, 1, len(text), dtype=np.float32)
    gate = np.linspace(0, 1, len(text), dtype=np.float32)
    strip.set_unit(
        5, [("hidden", hidden, "CET-D1", (-1.0, 1.0)), ("update", gate, "viridis", (0.0, 1.0))], text
    )
    assert strip.first_shown() == len(text) - 10  # room for 10 letters: the last 10
    assert strip.readout() == "unit 5, letter by letter"
    qtbot.mouseMove(strip, QPoint(1, 1))  # from elsewhere first (see the heatmap's test)
    qtbot.mouseMove(strip, QPoint(strip.LABEL + 2 * strip.CELL + 3, strip.height() // 2))
    k = len(text) - 10 + 2
    qtbot.waitUntil(lambda: strip.hover == k, timeout=2_000)
    assert text[k] == " "  # shown as the symbol under the heatmaps
    assert strip.readout() == f"unit 5 at “␣”: hidden {hidden[k]:+.2f} · update {gate[k]:.2f}"
    assert not strip.grab().isNull()
    strip.set_unit(5, [], "")  # no text: no row to read
    assert strip.hover is None and not strip.grab().isNull()


def test_a_one_line_live_text_too_narrow_is_cut_with_an_ellipsis_not_wrapped(qtbot):
    text = "MNIST test 99.55% · pen, new writers 99.53%"
    one, two = LiveText(text), LiveText(text, lines=2)
    for w in (one, two):
        qtbot.addWidget(w)
        w.resize(120, w.height())
    assert one.shown().endswith("…") and text.startswith(one.shown()[:-1])
    assert one.fontMetrics().horizontalAdvance(one.shown()) <= 116
    assert two.shown() == text  # two lines: wrapped, whole
    one.resize(1000, one.height())
    assert one.shown() == text and one.accessibleName() == text  # a screen reader hears it whole


@pytest.mark.parametrize("row_px", [4.0, 4.5, 6.0, 7.0, 9.9, 10.5, 11.0, 20.0])
def test_every_row_of_the_guess_band_is_labelled_and_no_two_labels_overlap(row_px):
    from app.number.views import CLASS_NAMES, LABEL_PX, labelled_rows

    rows = labelled_rows(row_px)
    assert [i for i, _lane in rows] == list(range(len(CLASS_NAMES)))  # every row, "blank" and 0-9
    for lane in {lane for _i, lane in rows}:
        mine = [i for i, ln in rows if ln == lane]
        assert all((b - a) * row_px >= LABEL_PX - 1e-9 for a, b in zip(mine, mine[1:], strict=False))
    if row_px >= LABEL_PX:
        assert {lane for _i, lane in rows} == {0}


def test_the_attention_strip_puts_each_heads_weights_under_the_letters_before_the_one_picked(qtbot):
    from app.text.window_views import AttentionStrip, attention_row, maps_shown, scaled

    text = "abcdefgh"
    window = 4
    att = np.zeros((2, 3, len(text), window), np.float32)
    for t in range(len(text)):  # head h of layer l puts all its weight h letters back (or on the first)
        for layer in range(2):
            for h in range(3):
                att[layer, h, t, window - 1 - min(h, t)] = 1.0
    row = attention_row(att, 5)
    assert row.shape == (2, 3, 6) and row[0, 0, 5] == 1 and row[1, 2, 3] == 1 and row.sum() == 6
    early = attention_row(att, 1)  # before a whole window of letters: the band's start is cut
    assert early.shape == (2, 3, 2) and early[0, 2, 0] == 1
    strip = AttentionStrip(2, 3)
    qtbot.addWidget(strip)
    strip.resize(400, strip.height())
    strip.show()
    strip.set_attention(text, att, None)  # the newest letter
    assert strip.t == 7 and strip.chars == text and len(strip.rows) == 1 + 6
    assert strip.readout().startswith("where “h” (letter 8) looks")
    with qtbot.waitSignal(strip.letterPicked) as picked:
        x = strip.LABEL + 2.5 * strip.cell_px()
        qtbot.mouseMove(strip, QPoint(1, 1))
        qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(int(x), strip.height() // 2))
    assert picked.args == [2]
    strip.set_attention(text, att, 2)
    assert strip.chars == "abc" and not strip.grab().isNull()
    strip.set_attention("", None, None)  # nothing typed (or another cell's trace): empty, not an error
    assert strip.t is None and not strip.grab().isNull()
    names = [f"block {i}" for i in range(1, 7)]
    assert maps_shown(names) == ["block 2", "block 4", "block 6"] and maps_shown(names[:2]) == names[:2]
    m = scaled(np.array([[0.0, 10.0], [-200.0, 5.0]], np.float32))
    assert m.min() >= -1 and m.max() <= 1 and m[0, 0] == 0


def test_the_pull_strip_marks_the_end_of_a_window_and_can_show_every_letter(qtbot):
    from app.text.letter_strips import InfluenceStrip

    strip = InfluenceStrip()
    qtbot.addWidget(strip)
    strip.resize(strip.LABEL + 4 + 160 * 3, strip.height())
    strip.show()
    pull = np.r_[np.zeros(33), np.linspace(0.01, 1, 127)].astype(np.float32)
    strip.set_influence("x" * 160, pull, "e", reach=127, wide=True)
    assert strip.first_shown() == 0 and strip.cell_px() < strip.CELL  # all 160 letters, narrower
    assert not strip.grab().isNull()
    strip.set_influence("x" * 60, pull[-60:], "e")  # a recurrent cell: the newest letters at full width
    assert strip.reach is None and strip.cell_px() == strip.CELL and strip.first_shown() > 0
