"""What the pages ask of the engines and what comes back: one dataclass per request kind and one per
result kind. No Qt and no torch: a page, the engine client, the worker and a test's fake client
all speak these.

A request's `kind` is its mailbox slot (app/mailbox.py): a newer request of the same kind replaces
one not yet taken, except the kinds the worker queues. Results of the kinds in LATEST_ONLY are
delivered newest-only; the rest each once, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np


class Request:
    kind: ClassVar[str]


class Result:
    kind: ClassVar[str]


# ---------------------------------------------------------------- requests: control (first in the mailbox)
@dataclass(frozen=True)
class LoadEngines(Request):
    """Import torch and load every engine; answered by EnginesLoaded."""

    kind: ClassVar[str] = "load"
    device: str = "auto"
    cell: str = "lstm"
    digits_net: str | None = None  # a key of engine.digits.networks.SHIPPED
    digits_weights: str | None = None  # the user's own digit network, read instead


@dataclass(frozen=True)
class SetDevice(Request):
    kind: ClassVar[str] = "device"
    device: str  # "auto", "cpu", "cuda", "cuda:N", "mps"


@dataclass(frozen=True)
class SetCell(Request):
    kind: ClassVar[str] = "cell"
    cell: str  # "rnn", "lstm", "gru"


@dataclass(frozen=True)
class SetDigitNet(Request):
    kind: ClassVar[str] = "digit_net"
    net: str  # a key of engine.digits.networks.SHIPPED, or CUSTOM, or a network trained here
    path: str | None = None  # the weights of a network trained on the Train page


@dataclass(frozen=True)
class SetUserWords(Request):
    """The user's dictionary (lower case): words the autocorrect leaves alone."""

    kind: ClassVar[str] = "user_words"
    words: tuple[str, ...]


# ---------------------------------------------------------------- requests: work
@dataclass(frozen=True, eq=False)
class ReadDigit(Request):
    kind: ClassVar[str] = "digit"
    canvas: np.ndarray  # uint8, white ink on black, the page's own copy


@dataclass(frozen=True)
class ReadText(Request):
    """The word at the caret (suggestions) and the sentence so far (the trace)."""

    kind: ClassVar[str] = "text"
    word: str
    context: str
    sentence: str


@dataclass(frozen=True)
class Correct(Request):
    """A word just finished at `start`: answered by Corrected, each one (queued, in order)."""

    kind: ClassVar[str] = "correct"
    word: str
    context: str
    start: int


@dataclass(frozen=True)
class MeasurePull(Request):
    """Each letter's pull on the next-character guess (the gradient's size)."""

    kind: ClassVar[str] = "influence"
    text: str


@dataclass(frozen=True)
class ShowStep(Request):
    """Step `t` of the network reading `sentence`: its gates and states, recomputed."""

    kind: ClassVar[str] = "step"
    sentence: str
    t: int


@dataclass(frozen=True, eq=False)
class ReadNumber(Request):
    kind: ClassVar[str] = "number"
    canvas: np.ndarray


@dataclass(frozen=True, eq=False)
class CutNumber(Request):
    """The same drawing once it settles: cut at blank columns and read by the digit CNN alone."""

    kind: ClassVar[str] = "number_cut"
    canvas: np.ndarray


@dataclass(frozen=True, eq=False)
class ReadPicture(Request):
    """A picture (a file, or pasted pixels) made into a canvas of `size` on the worker."""

    kind: ClassVar[str] = "picture"
    size: tuple[int, int]  # the canvas's (width, height)
    name: str
    path: str | None = None
    qimage: Any = None  # a QImage, pasted
    for_number: bool = False  # for the Number page
    moved: int = 0  # moved to the Number page because it holds this many digits


# Control requests come before work; queued kinds keep every request; low kinds wait for the rest.
@dataclass(frozen=True, eq=False)
class ReadCompare(Request):
    """The Compare page's drawing, read by the digit CNN (all at once) and by the row-by-row
    recurrent network (one row per step); `tall`: the recurrent network reads the canvas's own rows."""

    kind: ClassVar[str] = "compare"
    canvas: np.ndarray
    tall: bool = False


@dataclass(frozen=True, eq=False)
class MeasureRowPull(Request):
    """Each row's pull on the recurrent network's answer to the rows it read (a backward pass through
    every step: asked once the drawing pauses, as the Text page's pull is)."""

    kind: ClassVar[str] = "row_pull"
    rows: np.ndarray


PRIORITY = (LoadEngines.kind, SetDevice.kind, SetCell.kind, SetDigitNet.kind)
QUEUED = (SetUserWords.kind, Correct.kind, ReadPicture.kind)
LOW = (MeasurePull.kind, CutNumber.kind, ShowStep.kind, MeasureRowPull.kind)


# ---------------------------------------------------------------- results
@dataclass
class Timed(Result):
    """When the worker started and finished it, on the shared clock (app/latency.now_ms)."""

    started_ms: float = field(default=0.0, kw_only=True)
    done_ms: float = field(default=0.0, kw_only=True)


@dataclass
class EnginesLoaded(Timed):
    kind: ClassVar[str] = LoadEngines.kind
    device_pref: str
    device: str
    digits: str  # the digit network's file name
    text: str | None
    number: str
    digits_net: str
    digits_metrics: dict
    notice: str
    found_units: dict
    warmup: Any  # a digit Prediction the Digits page builds its views from
    device_type: str = "cpu"  # what runs: "cpu", "cuda" or "mps"


@dataclass
class DeviceSet(Timed):
    kind: ClassVar[str] = SetDevice.kind
    device: str
    notice: str
    device_type: str = "cpu"  # what runs: "cpu", "cuda" or "mps"


@dataclass
class CellSet(Timed):
    kind: ClassVar[str] = SetCell.kind
    text: str
    hidden: int


@dataclass
class DigitNetSet(Timed):
    kind: ClassVar[str] = SetDigitNet.kind
    net: str
    warmup: Any
    metrics: dict


@dataclass
class DigitRead(Timed):
    kind: ClassVar[str] = ReadDigit.kind
    result: Any  # engine.digits Prediction
    digits: int  # how many digits stand side by side


@dataclass
class TextRead(Timed):
    kind: ClassVar[str] = ReadText.kind
    cell: str
    word: str
    suggestions: list[tuple[str, float]]
    why: list  # engine.text Suggestion, best first
    trace: Any = None  # engine.text Trace of the sentence
    next_char: Any = None  # the guess after the text before, at a new sentence


@dataclass
class Corrected(Timed):
    kind: ClassVar[str] = Correct.kind
    cell: str
    word: str
    suggestions: list[tuple[str, float]]
    why: list
    start: int


@dataclass
class PullMeasured(Timed):
    kind: ClassVar[str] = MeasurePull.kind
    cell: str
    source: str
    influence: Any


@dataclass
class StepShown(Timed):
    kind: ClassVar[str] = ShowStep.kind
    cell: str
    sentence: str
    step: Any  # engine.text.step.Step


@dataclass
class NumberRead(Timed):
    kind: ClassVar[str] = ReadNumber.kind
    result: Any  # engine.number reading


@dataclass
class NumberCut(Timed):
    kind: ClassVar[str] = CutNumber.kind
    text: str
    pieces: int  # how many pieces of ink between blank columns
    network: str


@dataclass
class PictureRead(Timed):
    kind: ClassVar[str] = ReadPicture.kind
    request: ReadPicture  # to read it again elsewhere
    canvas: np.ndarray
    digits: int


@dataclass
class CompareRead(Timed):
    kind: ClassVar[str] = ReadCompare.kind
    cnn: Any  # engine.digits DigitResult
    rows: Any  # engine.compare RowReading
    tall: bool


@dataclass
class RowPullMeasured(Timed):
    kind: ClassVar[str] = MeasureRowPull.kind
    rows: np.ndarray  # the rows it was measured for (the page paints it only over that reading)
    pull: np.ndarray


# Answers of which only the newest is worth painting.
LATEST_ONLY = (DigitRead.kind, TextRead.kind, NumberRead.kind, CompareRead.kind)


@dataclass(frozen=True)
class EngineStatus:
    """What the worker has loaded now, for the status bar: the device, each page's network by the
    page's name ("digits": "digits.safetensors"), a notice. None or absent: unchanged."""

    device: str | None = None
    networks: dict[str, str] = field(default_factory=dict)
    notice: str | None = None
