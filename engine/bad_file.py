"""Exceptions for what the user gave that cannot be used (a file, a device name), and how command
lines report them."""

from __future__ import annotations

import sys
from collections.abc import Callable


class UserError(ValueError):
    """Something the user gave (a path, a name, a setting) that cannot be used: theirs to fix, not
    a bug. Its message says which and why."""


class BadFileError(UserError):
    """A data, weights or lexicon file that is missing, corrupt or of the wrong kind.

    Its message starts with the file's path and says what is wrong with it.
    """


def run_command(main: Callable[[], int]) -> int:
    """Run a command line's main(): a bad or missing file or an unknown device is one line on
    stderr and exit status 2, not a traceback (it is the user's to fix, not a bug). Anything else
    still raises."""
    try:
        return main()
    except (UserError, OSError) as exc:
        prog = sys.argv[0].rsplit("/", 1)[-1] if sys.argv and sys.argv[0] else "nn-playground"
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
