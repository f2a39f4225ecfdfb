"""The temporal CNN and the Transformer: their state carried between calls, their windows, their
insides, and the text engine reading with them."""

import numpy as np
import pytest
import torch

from engine.text.attention_model import CharTransformer, CharTransformerConfig, distance_bias
from engine.text.conv_model import CharCNN, CharCNNConfig
from engine.text.engine import TextEngine
from engine.text.model import CharVocab
from engine.text.step import step_at
from engine.text.window_trace import banded, block_names
from engine.weights import WeightsError

SMALL = {
    "cnn": lambda: CharCNN(CharCNNConfig(hidden=16, embed=8, blocks=4)),
    "transformer": lambda: CharTransformer(CharTransformerConfig(hidden=16, layers=2, heads=2, window=12)),
}


@pytest.mark.parametrize("cell", SMALL)
def test_reading_in_pieces_gives_what_reading_at_once_gives(cell):
    """The state each returns (the CNN's input tails, the Transformer's rolling keys and values)
    is exact: typing a letter at a time reads as the whole text does."""
    torch.manual_seed(0)
    model = SMALL[cell]().eval()
    ids = torch.randint(0, 50, (1, 70))
    with torch.no_grad():
        whole, hidden, _ = model(ids)
        for cuts in ([1, 2, 3], [30], [5, 6, 40, 41, 69]):
            parts, state, start = [], None, 0
            for end in [*cuts, 70]:
                logits, _, state = model(ids[:, start:end], state)
                parts.append(logits)
                start = end
            assert torch.allclose(torch.cat(parts, 1), whole, atol=1e-5), cuts
        # One context's state for several readers, as the autocorrect reads its candidates.
        _, _, state = model(ids[:, :40])
        many = model.repeat_state(state, 3)
        logits, _, _ = model(ids[:, 40:45].expand(3, -1), many)
        assert torch.allclose(logits, whole[:, 40:45].expand(3, -1, -1), atol=1e-5)


def test_the_cnns_guess_depends_on_its_receptive_field_and_nothing_before():
    torch.manual_seed(0)
    model = SMALL["cnn"]()
    rf = model.config.receptive_field
    assert rf == 1 + 2 * (1 + 2 + 4 + 8) == 31
    x = model.embed(torch.randint(0, 50, (1, 50))).detach().requires_grad_(True)
    logits, _, _ = model.read_embedded(x)
    (g,) = torch.autograd.grad(logits[0, -1].sum(), x)
    size = g[0].norm(dim=-1)
    assert torch.all(size[: 50 - rf] == 0) and torch.all(size[50 - rf :] > 0)
    assert block_names(model.config) == [
        "block 1 (sees 3 letters)",
        "block 2 (sees 7 letters)",
        "block 3 (sees 15 letters)",
        "block 4 (sees 31 letters)",
    ]


def test_attention_is_causal_and_reaches_its_window_per_layer():
    bias = distance_bias(torch.tensor([0.5]), 4, 6, 3)[0]  # the last 4 of 6 letters, window 3
    seen = torch.isfinite(bias).int().tolist()
    assert seen == [[1, 1, 1, 0, 0, 0], [0, 1, 1, 1, 0, 0], [0, 0, 1, 1, 1, 0], [0, 0, 0, 1, 1, 1]]
    # a query's penalty grows with the distance back; the letter itself has none
    assert bias[3, 5] == 0 and bias[3, 4] == -0.5 and bias[3, 3] == -1.0
    torch.manual_seed(0)
    model = SMALL["transformer"]().eval()
    w = model.config.window
    ids = torch.randint(0, 50, (1, 40))
    with torch.no_grad():
        base, _, _ = model(ids)
        changed = ids.clone()
        changed[0, 39 - 2 * (w - 1) - 1] = (
            changed[0, 39 - 2 * (w - 1) - 1] + 1
        ) % 50  # past both layers' reach
        far, _, _ = model(changed)
        changed2 = ids.clone()
        changed2[0, 39 - (w - 1) - 3] = (
            changed2[0, 39 - (w - 1) - 3] + 1
        ) % 50  # past one window, within two
        near, _, _ = model(changed2)
    assert torch.allclose(far[0, -1], base[0, -1], atol=1e-6)
    assert not torch.allclose(near[0, -1], base[0, -1], atol=1e-6)
    assert model.config.receptive_field == 1 + 2 * (w - 1)


def test_banded_attention_puts_each_weight_under_its_letter():
    # 2 new letters after 3 read, their keys the last 4 letters (positions 1..4), window 3
    w = np.arange(1 * 1 * 2 * 4, dtype=np.float32).reshape(1, 1, 2, 4) + 1
    out = banded(w, 3)
    # query 3 (the first new) sees letters 1, 2, 3 -> keys 0, 1, 2; query 4 sees 2, 3, 4 -> keys 1, 2, 3
    assert out[0, 0, 0].tolist() == [1, 2, 3] and out[0, 0, 1].tolist() == [6, 7, 8]


@pytest.fixture(scope="module", params=["cnn", "transformer"])
def engine(request):
    return TextEngine.load(cell=request.param, device="cpu")


def test_the_shipped_window_cells_autocorrect_and_trace(engine):
    assert engine.suggest("networc", "I think the ")[0].word == "network"
    assert engine.correct("gret", "the results are ") == "great"
    text = "The network reads every letter at once, through its window."
    typed = [engine.trace(text[:k]) for k in range(1, len(text) + 1)]  # a letter at a time
    fresh = engine.trace(text, fresh=True)
    assert np.allclose(typed[-1].hidden, fresh.hidden, atol=1e-4)
    assert np.allclose(typed[-1].next_char, fresh.next_char, atol=1e-5)
    for name, m in fresh.maps.items():
        assert np.allclose(typed[-1].maps[name], m, atol=1e-4)
    if fresh.attention is not None:
        assert np.allclose(typed[-1].attention, fresh.attention, atol=1e-5)
    assert engine.trace(text) is typed[-1] or np.array_equal(engine.trace(text).hidden, fresh.hidden)
    engine.trace("")  # a sentence ended: the next is read from the start, not on from this one
    assert np.allclose(engine.trace("abc").next_char, engine.trace("abc", fresh=True).next_char, atol=1e-5)
    long = (text + " ") * 40  # longer than a window: read in pieces, the same numbers
    whole = engine.trace(long, fresh=True)
    if whole.attention is not None:
        assert np.allclose(whole.attention.sum(-1), 1, atol=1e-4)
    engine.trace(long[:-300])
    assert np.allclose(engine.trace(long).next_char, whole.next_char, atol=1e-5)
    edited = engine.trace(text[:-10] + "X")  # an edit, not an addition: read afresh
    assert np.allclose(edited.hidden[:-1], fresh.hidden[: len(text) - 10], atol=1e-4)
    step = step_at(engine, fresh, 20)
    rf = engine.model.config.receptive_field
    assert step.reads == fresh.text[max(0, 20 - rf + 1) : 21] and np.array_equal(
        step.hidden, fresh.hidden[20]
    )
    if engine.cell == "transformer":
        assert len(step.looks) == engine.model.config.layers
        assert all(0 <= back <= 20 and 0 < w <= 1 for _layer, back, w in step.looks)
    else:
        assert step.looks == () and step.gates == {}


def test_a_file_of_another_cell_is_refused_by_name(tmp_path):
    from engine.paths import assets_dir

    with pytest.raises(WeightsError, match="text_gru.safetensors.*not CharCNN"):
        TextEngine.load(cell="cnn", path=assets_dir() / "text_gru.safetensors")
    with pytest.raises(ValueError, match="cell must be one of"):
        TextEngine.load(cell="mamba")


def test_typographic_quotes_dashes_and_accents_read_as_plain_letters():
    v = CharVocab()
    text = "It’s “naïve” — café…\tX{"
    out = v.normalise(text)
    assert out == 'it\'s "naive" - cafe. x~' and len(out) == len(text)
