import os
import tempfile

# Qt runs without a display, and never touches the user's settings.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NNPG_SETTINGS", os.path.join(tempfile.mkdtemp(prefix="nnpg-test-"), "settings.ini"))
os.environ.setdefault("NNPG_DEVICE", "cpu")
