"""TextEngine: autocorrect with a character language model (plain RNN, LSTM, GRU, temporal CNN or
Transformer), and the network's insides letter by letter.

Suggestions come from a noisy channel (lexicon frequency x error model, correct.py). The RNN, a
character language model, reads the sentence so far and re-ranks the candidates by how well each
continues it ("I want to go th..." -> "there", not "their"), which no dictionary-only tool does.
"""

from __future__ import annotations

from pathlib import Path

import torch

from engine.device import pick_device, resolve_device
from engine.paths import assets_dir
from engine.text.context import LanguageModelContext
from engine.text.correct import Corrector
from engine.text.lexicon import LEXICON_FILE, Lexicon
from engine.text.model import CELLS, CharVocab, model_kind
from engine.text.ranking import Ranking
from engine.text.trace import Trace, Tracing  # noqa: F401 (Trace: engine.text.Trace)
from engine.weights import WeightsError, load_model


class TextEngine(Ranking, LanguageModelContext, Tracing):
    """One character language model (rnn / lstm / gru / cnn / transformer) with the lexicon and error model.

    >>> eng = TextEngine.load(cell="lstm")
    >>> eng.suggest("networc")[0].word
    'network'
    """

    def __init__(
        self, model: torch.nn.Module, lexicon: Lexicon, metadata: dict, device: torch.device
    ) -> None:
        self.model = model.to(device).eval()
        self.cell = model.config.cell
        self.lexicon = lexicon
        self.corrector = Corrector(lexicon)
        # The user's own words (lower case), never replaced: the app shares one set between the
        # cells' engines and changes it on the worker thread only.
        self.user_words: set[str] = set()
        self.metadata = metadata
        self.device = device
        self.vocab = CharVocab(model.config.alphabet)
        self._space = self.vocab.index[" "]
        # Symbols that can end a word: a candidate's probability includes one of them coming next.
        self._enders = torch.tensor([self.vocab.index[c] for c in ' \n.,;:!?")-'], dtype=torch.long)
        self._ctx_key: str | None = None
        self._ctx_state = None
        self._ctx_logp: torch.Tensor | None = None
        self._ctx_run = 0  # characters read into the cached context state since a fresh start
        self._trace_cache: Trace | None = None
        self._window_state = None  # a window cell's state after the cached trace's text
        self._gate_weights: tuple[torch.Tensor, torch.Tensor] | None = None  # per-symbol input part, W_hh
        self._gru_numpy = None  # GRU trace in numpy: (GRUTrace, embedding, read-out weights, bias)

    @classmethod
    def load(
        cls,
        cell: str = "lstm",
        path: str | Path | None = None,
        lexicon: str | Path | Lexicon | None = None,
        device: str | torch.device | None = None,
    ) -> TextEngine:
        """Load the shipped weights for `cell` (or `path`); a bad file raises WeightsError naming it."""
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {CELLS}, got {cell!r}")
        path = Path(path) if path else assets_dir() / f"text_{cell}.safetensors"
        model, meta = load_model(path, *model_kind(cell))
        if model.config.cell != cell:
            raise WeightsError(f"{path}: holds a {model.config.cell} network, not a {cell}")
        lex = lexicon if isinstance(lexicon, Lexicon) else _shared_lexicon(lexicon)
        return cls(model, lex, meta, resolve_device(device))

    def to(self, device: str | torch.device) -> TextEngine:
        self.device = device if isinstance(device, torch.device) else pick_device(device)
        self.model.to(self.device)
        self._ctx_key = None
        self._trace_cache = None
        self._window_state = None
        self._gate_weights = None
        self._gru_numpy = None
        return self

    # ---- autocorrect -------------------------------------------------------------------------


_LEXICONS: dict[str, Lexicon] = {}


def _shared_lexicon(path: str | Path | None) -> Lexicon:
    """One lexicon per file per process: the three cells share it."""
    key = str(Path(path) if path else assets_dir() / LEXICON_FILE)
    if key not in _LEXICONS:
        try:
            _LEXICONS[key] = Lexicon.load(key)
        except ValueError as exc:
            raise WeightsError(str(exc)) from exc
    return _LEXICONS[key]
