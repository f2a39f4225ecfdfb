"""The playground's window (Qt): the shell (window.py), its pages (pages.py) and the engine client."""
