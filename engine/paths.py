"""Where the shipped weights and the development data live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    """Folder of the shipped weights: `$NNPG_ASSETS`, the checkout's assets/, or the installed copy."""
    if os.environ.get("NNPG_ASSETS"):
        return Path(os.environ["NNPG_ASSETS"])
    local = REPO_ROOT / "assets"
    if local.is_dir():
        return local
    return Path(sys.prefix) / "share" / "nn-playground" / "assets"


def data_dir(name: str, env_var: str | None = None) -> Path:
    """A data folder: `$env_var` when set, else ../shared/data/<name> beside the checkout."""
    if env_var and os.environ.get(env_var):
        return Path(os.environ[env_var])
    return REPO_ROOT.parent / "shared" / "data" / name
