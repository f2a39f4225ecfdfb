"""Help > About: what the app is, which versions run it, and whose data its networks learnt from."""

from __future__ import annotations

import sys
from importlib import metadata

from PySide6.QtWidgets import QMessageBox, QWidget

from app.boxes import wide_box

# The shipped weights and lexicon derive from these (the README's "Data and licences").
CREDITS = [
    ("MNIST", "LeCun, Cortes, Burges", "CC BY-SA 3.0"),
    ("UCI pen-based handwritten digits", "Alpaydin, Alimoglu", "CC BY 4.0"),
    ("English books and texts", "Project Gutenberg, NLTK", "public domain"),
    ("SCOWL word lists", "Kevin Atkinson", "permissive"),
    ("wordfreq word frequencies", "Robyn Speer", "CC BY-SA 4.0"),
]


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def about_html(device: str, models: list[str]) -> str:
    import PySide6

    # torch only if the worker has imported it: importing it here would freeze the window.
    torch = sys.modules.get("torch")
    torch_version = getattr(torch, "__version__", None) or "still loading"
    credits = "".join(f"<li>{what} ({who}): {licence}</li>" for what, who, licence in CREDITS)
    return (
        f"<p><b>Neural-network playground</b> {_version('nn-playground')}</p>"
        "<p>Draw a digit for a convolutional network, type text for a recurrent one, write a number "
        "for the two together (a CRNN), and watch them work. The networks run on a background "
        "thread, on the GPU when there is one.</p>"
        f"<p>Running on: {device}<br>Networks: {'; '.join(models) or 'not loaded'}<br>"
        f"Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}, torch {torch_version}</p>"
        f"<p>The shipped networks and word list were made from:</p><ul>{credits}</ul>"
        "<p>The word list (lexicon.tsv.gz) is shared under CC BY-SA 4.0; the app's code under the MIT licence.</p>"
    )


def show_about(parent: QWidget, device: str, models: list[str]) -> QMessageBox:
    box = wide_box(parent, "About the neural-network playground", about_html(device, models), 480)
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.show()
    return box
