import os
import tempfile

# Qt runs without a display, and never touches the user's settings.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NNPG_SETTINGS", os.path.join(tempfile.mkdtemp(prefix="nnpg-test-"), "settings.ini"))
os.environ.setdefault("NNPG_DEVICE", "cpu")


# ---- tests that need ../shared/data skip where it is missing ----------------------------------
# Many tests read the development data (MNIST, pen digits, the corpus, the Birkbeck list) through
# the engines' own loaders. Where a data set is absent, the FileNotFoundError (or BadFileError) its
# loader raises names a path inside the data folder: such a test is reported as skipped, with the
# path, rather than failed. Any other error still fails.
import pytest  # noqa: E402

from engine.paths import data_dir  # noqa: E402

DATA_ROOT = str(data_dir("")).rstrip("/")
DATA_VARS = ("NNPG_MNIST", "NNPG_PENDIGITS", "NNPG_CORPUS")


def _missing_data(exc: BaseException | None) -> str:
    """The missing data path an exception names, or ""."""
    from engine.bad_file import BadFileError

    while exc is not None:
        if isinstance(exc, (FileNotFoundError, BadFileError)):
            text = str(exc)
            roots = [DATA_ROOT, *(os.environ[v] for v in DATA_VARS if os.environ.get(v))]
            for root in roots:
                if root and root in text and not os.path.exists(root):
                    return text
            for root in roots:
                if root and root in text:
                    missing = text.split(root, 1)[1].split("'")[0].split(":")[0]
                    if not os.path.exists(root + missing):
                        return text
        exc = exc.__cause__ or exc.__context__
    return ""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.excinfo is not None:
        missing = _missing_data(call.excinfo.value)
        if missing:
            report.outcome = "skipped"
            report.longrepr = (
                str(item.path),
                item.location[1] or 0,
                f"Skipped: data not here: {missing[:200]}",
            )
