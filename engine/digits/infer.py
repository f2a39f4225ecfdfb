"""DigitEngine: a canvas in, the prediction and everything the network computed out (numpy)."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from engine.device import pick_device, resolve_device
from engine.digits.architectures import load_network
from engine.digits.check import DigitCheck, resolve_check
from engine.digits.model import DigitNet
from engine.digits.prepared import Prepared, prepared_if_here
from engine.digits.preprocess import Preprocessed, preprocess
from engine.digits.result import DigitResult
from engine.digits.stages import StagesAndGradient, stage_names
from engine.paths import assets_dir
from engine.weights import confirm_runs, plain_stroke

DEFAULT_WEIGHTS = "digits.safetensors"
SALIENCY_BLUR = 1.0  # px (sigma) on the 28x28 input: a smooth glow rather than speckle


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


class EagerStagesAndGradient(torch.nn.Module):
    """For a network with no traced stages: its recorded stages and d logit[top] / d input, by
    autograd (the MLP and the RNN are small: a millisecond or two). A 2-D stage, the RNN's state
    after each row (rows, units), is given as one map (1, units, rows) for the page's views."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model
        record: dict[str, torch.Tensor] = {}
        with torch.no_grad():
            model(torch.zeros(1, 1, 28, 28, device=next(model.parameters()).device), record)
        self.names = list(record)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        with torch.enable_grad():
            x = x.detach().requires_grad_(True)
            record: dict[str, torch.Tensor] = {}
            logits = self.model(x, record)
            (grad,) = torch.autograd.grad(logits[0, logits[0].argmax()], x)
        stages = [record[n].detach() for n in self.names]
        stages = [t.transpose(1, 2).unsqueeze(1) if t.dim() == 3 else t for t in stages]
        return (*stages, grad)


class DigitEngine:
    """Loads a DigitNet from .safetensors and predicts drawn digits.

    >>> eng = DigitEngine.load()
    >>> res = eng.predict(canvas)   # canvas: 2-D numpy array, white ink on black
    """

    def __init__(
        self,
        model: DigitNet,
        metadata: dict,
        device: torch.device,
        path: Path | None = None,
        check: DigitCheck | None = None,
    ) -> None:
        # As trained (batch norms not folded): what fine_tuned() starts from and what is saved.
        self.trained = copy.deepcopy(model).eval().cpu()
        self.model = (fold_batchnorm(model.eval()) if isinstance(model, DigitNet) else model.eval()).to(
            device
        )
        self.check = check.to(device) if check is not None else None
        self.metadata = metadata
        self.device = device
        self.path = path
        self.config = model.config
        self._trace()
        convs = list(model.convs) if isinstance(model, DigitNet) else []  # an MLP or RNN has none
        self.kernels = {
            f"conv{i + 1}": self._readonly(conv.weight.detach().cpu().numpy()) for i, conv in enumerate(convs)
        }
        self.biases = {
            f"conv{i + 1}": self._readonly(
                conv.bias.detach().cpu().numpy()
                if conv.bias is not None
                else np.zeros(conv.out_channels, np.float32)
            )
            for i, conv in enumerate(convs)
        }
        # What a result needs to redo a unit's arithmetic (engine/digits/arithmetic.py).
        self._parts = {
            "biases": self.biases,
            "activation": getattr(self.config, "activation", "tanh"),
            "pooling": getattr(self.config, "pooling", "max"),
        }
        for p in self.model.parameters():
            p.requires_grad_(False)

    @staticmethod
    def _readonly(a: np.ndarray) -> np.ndarray:
        a = np.ascontiguousarray(a)
        a.setflags(write=False)
        return a

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        device: str | torch.device | None = None,
        check: DigitCheck | bool | None = True,
    ) -> DigitEngine:
        """Load the shipped weights (or `path`); raises WeightsError naming a bad file.
        `check`: True loads the shipped digit check (engine/digits/check.py), which names ink
        that is no digit; a DigitCheck uses that one; None or False reads every mark as a digit."""
        path = Path(path) if path else assets_dir() / DEFAULT_WEIGHTS
        model, meta = load_network(path)
        dev = resolve_device(device)
        digit_check = resolve_check(check, dev)  # its own file: a bad one is named as itself
        engine = None

        def build():  # the constructor traces the network: a config that cannot run fails there
            nonlocal engine
            engine = cls(model, meta, dev, path, digit_check)
            with torch.no_grad():
                return engine._forward(plain_stroke(dev))

        confirm_runs(path, build)
        return engine

    def fine_tuned(
        self,
        canvases: Sequence[object],
        labels: Sequence[int],
        seconds: float = 30.0,
        replay: Prepared | None | bool = True,
        seed: int = 0,
        should_stop=None,
    ) -> DigitEngine:
        """A new engine taught these drawings (2-D arrays as predict() takes them, white ink on black,
        any size) and their digits, for `seconds`; this engine stays as it is. `replay`: True mixes in
        the network's own training data where it is on this machine (engine/digits/prepared.py), a
        Prepared mixes in that, False or None the user's examples alone. Bad input raises ValueError."""
        from engine.digits.teach import fine_tune

        if len(canvases) != len(labels):
            raise ValueError(f"{len(canvases)} drawings but {len(labels)} labels")
        inputs = (
            np.stack([preprocess(c, keep_steps=False).input for c in canvases])
            if len(canvases)
            else np.zeros((0, 28, 28), np.float32)
        )
        if replay is True:
            replay = prepared_if_here()
        model, done = fine_tune(self.trained, inputs, np.asarray(labels), seconds, self.device,
                                replay or None, seed, should_stop)  # fmt: skip
        meta = copy.deepcopy(self.metadata)
        meta["taught"] = {**done, "before": meta.get("taught")}
        engine = type(self)(model.cpu(), meta, self.device, self.path, self.check)
        return engine

    def to(self, device: str | torch.device) -> DigitEngine:
        """Move the model to another device (falls back to CPU when it is absent)."""
        self.device = device if isinstance(device, torch.device) else pick_device(device)
        self.model.to(self.device)
        if self.check is not None:
            self.check.to(self.device)
        self._trace()
        return self

    def _trace(self) -> None:
        """Trace every stage and the saliency gradient into one TorchScript call.

        One call instead of a Python call per layer and no autograd graph: faster, and it holds
        the GIL once rather than at every layer, which matters while the GUI thread paints.
        Eager is the fallback.
        """
        if not isinstance(self.model, DigitNet):  # the MLP and the row-by-row RNN: autograd, untraced
            self._forward = EagerStagesAndGradient(self.model)
            self._names = self._forward.names
            return
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
                np.full(10, 0.1, np.float32),
                pre.status,
                pre.input,
                pre.steps,
                {},
                self.kernels,
                **self._parts,
            )
        result = self._run(pre)
        if self.check is not None:
            result.not_digit = self.check.probability(pre)
            if result.not_digit > self.check.threshold:
                result.status = "not_digit"
        return result

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
            **self._parts,
        )
