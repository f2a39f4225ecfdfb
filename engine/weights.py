"""Weights files: .safetensors with JSON metadata, never pickle.

The metadata carries the model's config, so a file alone rebuilds its model.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, Self

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from engine.bad_file import BadFileError


class WeightsError(BadFileError):
    """A weights file that is missing, corrupt, truncated or for another model."""


def save_weights(path: str | Path, tensors: dict[str, torch.Tensor], metadata: dict[str, Any]) -> Path:
    """Write tensors and metadata (each value JSON-encoded) to a .safetensors file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = {k: v.detach().to("cpu").contiguous() for k, v in tensors.items()}
    save_file(flat, str(path), metadata={k: json.dumps(v) for k, v in metadata.items()})
    return path


def save_trained(
    path: str | Path, model: torch.nn.Module, kind: str, train: dict, metrics: dict, device, **more: Any
) -> Path:
    """Write a trained model with the metadata every trainer records: its kind and config (which
    rebuild it), the training settings, the data (`metrics["data"]`, moved out of the figures),
    the figures, the device and torch's version, and anything in `more`."""
    metrics = dict(metrics)
    meta = {
        "model": kind,
        "config": model.config.to_dict(),
        **more,
        "train": train,
        "data": metrics.pop("data", None),
        "metrics": metrics,
        "device": str(device),
        "torch": torch.__version__,
    }
    return save_weights(path, model.state_dict(), meta)


def confirm_runs(path: str | Path, run: Callable[[], Any]) -> None:
    """Raise WeightsError naming `path` if `run()` (a model's forward on a plain input) raises or
    returns a NaN or infinity: weights that load but compute nothing (a .safetensors file has no
    checksum) and configs the constructor took that still cannot run."""
    try:
        out = run()
    except Exception as exc:
        raise WeightsError(f"{path}: the network cannot run ({type(exc).__name__}: {exc})") from exc
    outs = out if isinstance(out, (tuple, list)) else [out]
    if not all(bool(torch.isfinite(o).all()) for o in outs):
        raise WeightsError(f"{path}: the network computes NaN or infinity (damaged weights)")


def plain_stroke(device: torch.device, width: int = 28) -> torch.Tensor:
    """A (1, 1, 28, width) input holding one upright stroke: what confirm_runs feeds."""
    x = torch.zeros(1, 1, 28, width, device=device)
    x[0, 0, 4:24, width // 2 - 2 : width // 2 + 2] = 1.0
    return x


def load_weights(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """Read a .safetensors file; any problem raises WeightsError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise WeightsError(f"{path}: weights file not found")
    try:
        tensors = load_file(str(path), device="cpu")
        with open(path, "rb") as fh:
            header_len = int.from_bytes(fh.read(8), "little")
            header = json.loads(fh.read(header_len))
        raw_meta = header.get("__metadata__", {}) or {}
        metadata = {k: json.loads(v) for k, v in raw_meta.items()}
    except (SafetensorError, OSError, ValueError, json.JSONDecodeError) as exc:
        raise WeightsError(f"{path}: not a readable .safetensors weights file ({exc})") from exc
    return tensors, metadata


def read_metadata(path: str | Path) -> dict[str, Any]:
    """A .safetensors file's metadata alone (which model it holds), without its tensors; an unreadable
    file gives {} here and is named by the full load that follows."""
    try:
        with open(path, "rb") as fh:
            header_len = int.from_bytes(fh.read(8), "little")
            if not 0 < header_len <= 100_000_000:
                return {}
            header = json.loads(fh.read(header_len))
        raw = header.get("__metadata__", {}) or {}
        return {k: json.loads(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def check_state_dict(path: str | Path, model: torch.nn.Module, tensors: dict[str, torch.Tensor]) -> None:
    """Raise WeightsError if the tensors don't fit the model exactly (names and shapes)."""
    expected = model.state_dict()
    missing = sorted(set(expected) - set(tensors))
    extra = sorted(set(tensors) - set(expected))
    if missing or extra:
        raise WeightsError(
            f"{path}: weights do not match the model (missing {missing[:3]}, unexpected {extra[:3]})"
        )
    for name, t in tensors.items():
        if tuple(t.shape) != tuple(expected[name].shape):
            raise WeightsError(
                f"{path}: tensor {name} has shape {tuple(t.shape)}, the model expects {tuple(expected[name].shape)}"
            )
        if t.is_floating_point() and not torch.isfinite(t).all():
            raise WeightsError(f"{path}: tensor {name} holds NaN or infinite values")
        # safetensors has no checksum: a flipped byte can make a variance negative, and every
        # output NaN after the square root of it.
        if name.endswith("running_var") and (t < 0).any():
            raise WeightsError(f"{path}: tensor {name} holds a negative variance ({float(t.min()):.3g})")


def load_model(path: str | Path, kind: str, config_cls, model_cls) -> tuple[torch.nn.Module, dict[str, Any]]:
    """Rebuild a model from a weights file whose metadata names `kind` and holds its config.

    Every problem (unreadable file, another model's weights, a bad config, tensors that do not fit)
    raises WeightsError naming the file.
    """
    tensors, meta = load_weights(path)
    if meta.get("model") != kind or "config" not in meta:
        raise WeightsError(f"{path}: not {kind} weights (its metadata names model {meta.get('model')!r})")
    try:
        # Each config bounds its sizes: a hand-made one asking for billions of weights is refused
        # here, before they take the machine's memory. (Building on torch's meta device instead
        # imported torch._dynamo for the recurrent layers: +80 MiB resident in the app.)
        config = config_cls.from_dict(meta["config"])
        model = model_cls(config)
    except Exception as exc:  # whatever a hand-made config makes the constructor raise
        raise WeightsError(f"{path}: bad model config in metadata ({type(exc).__name__}: {exc})") from exc
    check_state_dict(path, model, tensors)
    try:
        model.load_state_dict(tensors)
    except Exception as exc:
        raise WeightsError(
            f"{path}: the weights do not load into the model ({type(exc).__name__}: {exc})"
        ) from exc
    return model, meta


def need_int(name: str, value: object, lo: int, hi: int) -> None:
    """Raise ValueError unless `value` is an integer (not a bool) in [lo, hi]: configs come from
    files a user may have made."""
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(f"{name} must be a whole number in {lo}..{hi}, got {value!r}")


def need_fraction(name: str, value: object) -> None:
    """Raise ValueError unless `value` is a number in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be a number from 0 up to (not including) 1, got {value!r}")


class StoredConfig:
    """For a network's config dataclass: what a weights file's metadata records of it, and back
    (keys it does not know are ignored; its own checks refuse bad values)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Self:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})  # type: ignore[attr-defined]
