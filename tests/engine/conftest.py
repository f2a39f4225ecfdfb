from pathlib import Path

import pytest

from engine.paths import data_dir


@pytest.fixture(scope="session")
def pendigits():
    from engine.digits.data import load_pendigits, pendigits_path

    if not pendigits_path().is_file():
        pytest.skip("pendigits data not found (../shared/data/pendigits)")
    return load_pendigits()


@pytest.fixture(scope="session")
def digit_engine():
    from engine.digits import DigitEngine

    return DigitEngine.load(device="cpu")


@pytest.fixture(scope="session")
def mnist_available() -> Path:
    d = data_dir("mnist", "NNPG_MNIST")
    if not d.is_dir():
        pytest.skip("MNIST not found (../shared/data/mnist)")
    return d
