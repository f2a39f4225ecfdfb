"""Engines of the playground: torch, numpy and opencv only (never Qt).

Usable from a plain Python shell and from tests with no display.
"""
