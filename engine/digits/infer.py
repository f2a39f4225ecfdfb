"""DigitEngine: a canvas in, the prediction and everything the network computed out (numpy)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from engine.device import pick_device, resolve_device
from engine.digits.model import DigitNet, DigitNetConfig
from engine.digits.preprocess import Preprocessed, preprocess
from engine.digits.stages import StagesAndGradient, stage_names
from engine.paths import assets_dir
from engine.weights import load_model

DEFAULT_WEIGHTS = "digits.safetensors"
SALIENCY_BLUR = 1.0  # px (sigma) on the 28x28 input: a smooth glow rather than speckle
_MESSAGES = {
    "empty": "no ink: draw a digit",
    "full": "the canvas is covered in ink: clear it and draw a digit",
}


@dataclass
class DigitResult:
    """One prediction. `probs` always has 10 entries summing to 1 (uniform when there is no digit)."""

    probs: np.ndarray  # (10,) float32
    status: str  # "ok", "empty" or "full"
    input: np.ndarray  # (28, 28) the network's input
    steps: dict[str, np.ndarray] = field(default_factory=dict)  # preprocessing stages, for display
    activations: dict[str, np.ndarray] = field(default_factory=dict)  # in network order: conv, act, pool, fc
    kernels: dict[str, np.ndarray] = field(default_factory=dict)  # conv name -> (out, in, 3, 3)
    saliency: np.ndarray = field(
        default_factory=lambda: np.zeros((28, 28), np.float32)
    )  # grad x input, [0, 1]
    to_input: np.ndarray | None = None  # 2x3 affine from canvas (x, y) to input (x, y)

    @property
    def empty(self) -> bool:
        return self.status != "ok"

    @property
    def label(self) -> int | None:
        """The predicted digit, or None when there is nothing to read."""
        return None if self.empty else int(np.argmax(self.probs))

    @property
    def confidence(self) -> float:
        return 0.0 if self.empty else float(np.max(self.probs))

    @property
    def message(self) -> str:
        if self.empty:
            return _MESSAGES[self.status]
        return f"{self.label} ({self.confidence:.0%})"


@torch.no_grad()
def fold_batchnorm(model: DigitNet) -> DigitNet:
    """Fold each eval-mode batch norm into the convolution before it: same outputs, fewer ops per predict."""
    for i, (conv, bn) in enumerate(zip(model.convs, model.norms, strict=True)):
        if not isinstance(bn, torch.nn.BatchNorm2d):
            continue
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        fused = torch.nn.Conv2d(conv.in_channels, conv.out_channels, 3, padding=1, bias=True)
        fused.weight.copy_(conv.weight * scale[:, None, None, None])
        bias = conv.bias if conv.bias is not None else torch.zeros_like(bn.running_mean)
        fused.bias.copy_((bias - bn.running_mean) * scale + bn.bias)
        model.convs[i] = fused
        model.norms[i] = torch.nn.Identity()
    return model


class DigitEngine:
    """Loads a DigitNet from .safetensors and predicts drawn digits.

    >>> eng = DigitEngine.load()
    >>> res = eng.predict(canvas)   # canvas: 2-D numpy array, white ink on black
    """

    def __init__(
        self, model: DigitNet, metadata: dict, device: torch.device, path: Path | None = None
    ) -> None:
        self.model = fold_batchnorm(model.eval()).to(device)
        self.metadata = metadata
        self.device = device
        self.path = path
        self.config = model.config
        self._trace()
        self.kernels = {
            f"conv{i + 1}": self._readonly(conv.weight.detach().cpu().numpy())
            for i, conv in enumerate(model.convs)
        }
        for p in self.model.parameters():
            p.requires_grad_(False)

    @staticmethod
    def _readonly(a: np.ndarray) -> np.ndarray:
        a = np.ascontiguousarray(a)
        a.setflags(write=False)
        return a

    @classmethod
    def load(cls, path: str | Path | None = None, device: str | torch.device | None = None) -> DigitEngine:
        """Load the shipped weights (or `path`); raises WeightsError naming a bad file."""
        path = Path(path) if path else assets_dir() / DEFAULT_WEIGHTS
        model, meta = load_model(path, "DigitNet", DigitNetConfig, DigitNet)
        return cls(model, meta, resolve_device(device), path)

    def to(self, device: str | torch.device) -> DigitEngine:
        """Move the model to another device (falls back to CPU when it is absent)."""
        self.device = device if isinstance(device, torch.device) else pick_device(device)
        self.model.to(self.device)
        self._trace()
        return self

    def _trace(self) -> None:
        """Trace every stage and the saliency gradient into one TorchScript call.

        One call instead of a Python call per layer and no autograd graph: faster, and it holds
        the GIL once rather than at every layer, which matters while the GUI thread paints.
        Eager is the fallback.
        """
        module = StagesAndGradient(self.model)
        self._names = stage_names(self.model)
        example = torch.zeros(1, 1, 28, 28, device=self.device)
        try:
            # torch.jit is deprecated in favour of torch.compile, which costs seconds to start and
            # needs a compiler; tracing still works and is what makes one call of the forward.
            with torch.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self._forward = torch.jit.trace(module, example, check_trace=False)
        except Exception as exc:  # tracing is an optimisation only, but say so: it costs 2x
            warnings.warn(f"digit engine runs untraced (slower): {exc}", RuntimeWarning, stacklevel=2)
            self._forward = module

    def predict(self, canvas: object, keep_steps: bool = True) -> DigitResult:
        """Classify a canvas (2-D array, white ink on black); see DigitResult. Bad input raises ValueError."""
        pre = preprocess(canvas, keep_steps=keep_steps)
        if pre.empty:
            return DigitResult(
                np.full(10, 0.1, np.float32), pre.status, pre.input, pre.steps, {}, self.kernels
            )
        return self._run(pre)

    def _run(self, pre: Preprocessed) -> DigitResult:
        x = torch.from_numpy(pre.input).to(self.device).view(1, 1, 28, 28)
        with torch.no_grad():
            *outs, grad = self._forward(x)
            record = dict(zip(self._names, outs, strict=True))
            # Gradient x input: how much each pixel of ink added to the top class's score.
            sal = F.relu(grad * x)[0, 0].cpu().numpy()
            sal = cv2.GaussianBlur(sal, (0, 0), SALIENCY_BLUR)
            peak = float(sal.max())
            sal = sal / peak if peak > 0 else sal
            probs = torch.softmax(record["logits"][0].float(), 0)
            acts = {k: v.cpu().numpy()[0] for k, v in record.items()}  # numpy's [0] costs less
        return DigitResult(
            probs=probs.cpu().numpy().astype(np.float32),
            status="ok",
            input=pre.input,
            steps=pre.steps,
            activations=acts,
            kernels=self.kernels,
            saliency=sal.astype(np.float32),
            to_input=pre.to_input,
        )
