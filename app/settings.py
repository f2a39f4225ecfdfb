"""Persistent settings (QSettings, INI format). `NNPG_SETTINGS` names the file; tests point it at a temp file."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import stat
import tempfile

from PySide6.QtCore import QFileInfo, QSettings


def unusable_path(path: str) -> str:
    """Why a settings file must be neither read nor written at `path`, or "" when it may.

    QSettings saves by writing a new file and renaming it over the old one: pointed at /dev/null
    (a common "keep nothing") by a user who may write /dev, it replaced the device with a regular
    file, and on a FIFO it blocked the start for good. A symlink to a regular file is fine.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return ""  # made at the first save
    except OSError as exc:
        return f"cannot be looked at ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return ""
    what = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "a device or socket"
    return f"is {what}, not a regular file"


class SettingsFile(QSettings):
    """The settings (INI), kept where QSettings can write as it likes, and saved to the user's
    file by `save()` alone, whole or not at all.

    QSettings writes its own file: on a full disk with no file there before it reported no error
    and left one cut short at 8 kB (every key after the typed text gone), and pointed at a path
    that is no regular file it replaced a device or blocked on a pipe. Here QSettings works on a
    private copy in a temporary folder; `save()` writes that copy next to the user's file and
    renames it over (os.replace), so the user's file is either the old one or the new one whole,
    and every failure is an error with its reason. `fileName()` names the user's file.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.notice = ""  # what to tell the user about this file at start, "" for nothing
        self._scratch_dir = tempfile.mkdtemp(prefix="nn-playground-")
        atexit.register(shutil.rmtree, self._scratch_dir, ignore_errors=True)
        scratch = os.path.join(self._scratch_dir, "settings.ini")
        self.problem = unusable_path(path)
        if self.problem:
            self.notice = (
                f"{path} {self.problem}: it was left untouched, and nothing will be kept from this session"
            )
        elif os.path.isfile(path):
            try:
                shutil.copyfile(path, scratch)
            except OSError as exc:
                self.notice = f"{path} could not be read ({exc.strerror or exc}): the settings start afresh"
        super().__init__(scratch, QSettings.Format.IniFormat)

    def scratch_lock(self) -> str:
        """A lock file's path in the private folder (for a path that must not be written beside)."""
        return os.path.join(self._scratch_dir, "settings.ini.in-use")

    def fileName(self) -> str:
        return self.path

    def isWritable(self) -> bool:
        """Whether save() writes the user's file: not for a path that is no regular file, nor
        for a file marked read-only (by its permission bits, as Qt reads them: root too)."""
        if self.problem:
            return False
        target = os.path.realpath(self.path)
        if os.path.exists(target):
            return QFileInfo(target).isWritable()
        folder = os.path.dirname(target) or "."
        while not os.path.exists(folder):  # made at the first save
            folder = os.path.dirname(folder)
        try:  # tried, not read from the bits: root may write anywhere but /proc and the like
            with tempfile.TemporaryFile(dir=folder):
                return True
        except OSError:
            return False

    def save(self) -> str:
        """Write the settings to the user's file: "" when done (or when the path is one that is
        not written), else what went wrong, for the status bar. The file is then as it was."""
        self.sync()
        if not self.isWritable():  # said once at start: "changed settings will not be kept"
            return ""
        if self.status() != QSettings.Status.NoError:
            return (
                f"The settings and typed text could not be saved ({self.status().name} in a temporary folder)"
            )
        target = os.path.realpath(self.path)  # through a symlink to the file it names
        part = target + ".saving"
        try:
            with open(os.path.join(self._scratch_dir, "settings.ini"), "rb") as fh:
                data = fh.read()
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            with open(part, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if os.path.exists(target):
                shutil.copymode(target, part)
            os.replace(part, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.remove(part)
            return (
                f"The settings and typed text could not be saved to {self.path} ({exc.strerror or exc}); "
                "they are kept in the window and tried again at the next pause"
            )
        return ""


def open_settings(path: str | None = None) -> SettingsFile:
    """`path`, else $NNPG_SETTINGS, else the user's own settings file."""
    path = path or os.environ.get("NNPG_SETTINGS")
    if not path:
        user = QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, "nn-playground", "nn-playground"
        )
        path = user.fileName()
    return SettingsFile(path)


# The file is the user's to edit (or to damage): a value that does not read as its type gives the
# default, never an exception at startup.
def read_int(settings: QSettings, key: str, default: int, lo: int, hi: int) -> int:
    """An int in [lo, hi]; anything else gives `default`."""
    try:
        v = int(settings.value(key, default))
    except (TypeError, ValueError):
        return default
    return v if lo <= v <= hi else default


def read_bool(settings: QSettings, key: str, default: bool) -> bool:
    """INI files give booleans back as the strings 'true' / 'false'; anything else gives `default`."""
    v = settings.value(key, default)
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("true", "false"):
        return v.strip().lower() == "true"
    return default


def read_choice(settings: QSettings, key: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (any case); anything else gives `default`."""
    v = settings.value(key, default)
    v = v.strip().lower() if isinstance(v, str) else default
    return v if v in choices else default
