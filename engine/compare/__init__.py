"""The CNN and the row-by-row recurrent network side by side: the recurrent network's reading row
by row (engine/compare/rows.py), both networks on one drawing (engine.py) and the articles'
comparison table, measured (table.py)."""

from engine.compare.engine import CompareEngine
from engine.compare.rows import ROWS_WEIGHTS, RowReading, load_row_network, read_rows, tall_rows

__all__ = ["ROWS_WEIGHTS", "CompareEngine", "RowReading", "load_row_network", "read_rows", "tall_rows"]
