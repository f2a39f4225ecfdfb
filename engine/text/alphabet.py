"""The symbols the text networks read (no torch: every model module names it)."""

# Lower-case letters, digits, space, newline and common punctuation; anything else reads as "~".
ALPHABET = "\n !\"'(),-.0123456789:;?abcdefghijklmnopqrstuvwxyz~"
UNKNOWN = "~"


def need_alphabet(alphabet: object) -> None:
    """Raise ValueError unless a config's alphabet is a string of 2 to 1024 symbols (configs come
    from files a user may have made)."""
    if not isinstance(alphabet, str) or not 2 <= len(alphabet) <= 1024:
        raise ValueError("alphabet must be a string of 2 to 1024 characters")
