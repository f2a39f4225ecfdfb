"""Benchmarks and diagnostics: how fast the window answers and why (`python -m benchmarks.app`),
how long it takes to start (`python -m benchmarks.startup`). Not part of the product: the wheel
and the frozen app hold none of it. The engines' accuracy benchmarks are `python -m
engine.<digits|text|number>.evaluate` (see docs/benchmarks.md)."""
