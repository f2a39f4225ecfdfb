"""The symbols the text networks read (no torch: every model module names it)."""

# Lower-case letters, digits, space, newline and common punctuation; anything else reads as "~".
ALPHABET = "\n !\"'(),-.0123456789:;?abcdefghijklmnopqrstuvwxyz~"
UNKNOWN = "~"
