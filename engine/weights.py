"""Weights files: .safetensors with JSON metadata, never pickle.

The metadata carries the model's config, so a file alone rebuilds its model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def load_model(path: str | Path, kind: str, config_cls, model_cls) -> tuple[torch.nn.Module, dict[str, Any]]:
    """Rebuild a model from a weights file whose metadata names `kind` and holds its config.

    Every problem (unreadable file, another model's weights, a bad config, tensors that do not fit)
    raises WeightsError naming the file.
    """
    tensors, meta = load_weights(path)
    if meta.get("model") != kind or "config" not in meta:
        raise WeightsError(f"{path}: not {kind} weights (its metadata names model {meta.get('model')!r})")
    try:
        config = config_cls.from_dict(meta["config"])
    except (TypeError, ValueError) as exc:
        raise WeightsError(f"{path}: bad model config in metadata ({exc})") from exc
    model = model_cls(config)
    check_state_dict(path, model, tensors)
    model.load_state_dict(tensors)
    return model, meta
