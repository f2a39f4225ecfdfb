"""Where the shipped weights and the development data live."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    """Folder of the shipped weights; `NNPG_ASSETS` overrides it."""
    return Path(os.environ.get("NNPG_ASSETS", REPO_ROOT / "assets"))


def data_dir(name: str, env_var: str | None = None) -> Path:
    """A data folder: `$env_var` when set, else ../shared/data/<name> beside the checkout."""
    if env_var and os.environ.get(env_var):
        return Path(os.environ[env_var])
    return REPO_ROOT.parent / "shared" / "data" / name
