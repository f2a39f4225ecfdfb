"""Following one unit of the Text page's recurrent cell: the unit picked (a click on a heatmap's row,
the Follow list of units found to track a feature, Alt+Up/Down), marked on every heatmap and drawn
letter by letter in the unit strip. A part of TextPage (app/text/page.py), which it is mixed into."""

from __future__ import annotations

from app.text.letter_strips import Row
from engine.text.units import FEATURES  # no torch: plain Python and numpy

Found = dict[str, dict[str, dict]]  # cell -> feature -> {"unit", "r"} (engine.text.units.read_units)


class UnitFollowing:
    """See the module docstring."""

    def units_shown(self) -> int:
        """How many units the heatmaps show now (0 before the first text)."""
        m = self.hidden_panel.matrix
        return 0 if m is None else m.shape[0]

    def follow_unit(self, unit: int | None) -> None:
        """Follow `unit` of the current cell in the strip and mark it on every heatmap."""
        if unit is None:
            self.units.pop(self.cell, None)
        else:
            self.units[self.cell] = int(unit)
        self._mark_unit()
        self._show_unit()

    def set_found_units(self, found: Found) -> None:
        """Units that track a feature, per cell, as engine.text.units.read_units gives them."""
        self.found = found
        self._fill_find_box()

    def _fill_find_box(self) -> None:
        box = self.find_box
        box.blockSignals(True)
        box.clear()
        box.addItem("a unit you click", None)
        found = self.found.get(self.cell, {})
        for name, e in found.items():
            box.addItem(f"{FEATURES[name][0]}: unit {e['unit']} (r {e['r']:+.2f})", e["unit"])
        box.blockSignals(False)
        box.setToolTip(
            "Follow a unit that tracks something you can name: of this network's units, the one whose "
            "value rises and falls most with it (Pearson r) over 36,000 characters of English it did not "
            "train on. Or click a row of any heatmap to follow that unit."
            if found
            else "No units to offer (the file of them was not loaded): click a row of any heatmap to follow that unit."
        )
        self._sync_find_box()

    def _sync_find_box(self) -> None:
        i = self.find_box.findData(self.units.get(self.cell))
        self.find_box.setCurrentIndex(max(0, i))

    def _on_find(self, unit: int | None) -> None:
        if unit is not None:
            self.follow_unit(unit)

    def set_units(self, units: dict[str, int]) -> None:
        """The units followed per cell (as saved): for each cell, a unit past its last is dropped
        when its first trace comes."""
        self.units = dict(units)
        self._mark_unit()
        self._show_unit()

    def step_unit(self, delta: int) -> None:
        """Alt+Up/Down: follow the unit above or below (the first one when none is followed)."""
        n = self.units_shown()
        if n:
            now = self.units.get(self.cell)
            self.follow_unit(0 if now is None else min(n - 1, max(0, now + delta)))

    def _mark_unit(self) -> None:
        unit = self.units.get(self.cell)
        self.step_view.set_unit(unit)
        for p in [self.hidden_panel, *self._gate_panels.values()]:
            p.set_selected(unit)
        self._sync_find_box()

    def _unit_rows(self, unit: int) -> list[Row]:
        tr = self._trace
        if tr is None or self._trace_cell != self.cell or unit >= tr.hidden.shape[1]:
            return []  # none yet, or the trace is still the previous cell's
        rows: list[Row] = [("hidden", tr.hidden[:, unit], self.hidden_panel.cmap, self.hidden_panel.levels)]
        for name, p in self._gate_panels.items():
            g = tr.gates.get(name)
            if g is not None and g.ndim == 2 and unit < g.shape[1]:
                rows.append((name, g[:, unit], p.cmap, p.levels))
        return rows

    def _show_unit(self) -> None:
        unit = self.units.get(self.cell)
        if unit is None:
            if self.unit_view.unit is not None:
                self.unit_view.set_unit(None, [], "")
            return  # none followed: nothing to redraw at each refresh
        tr = self._trace
        if tr is not None and self._trace_cell == self.cell and unit >= tr.hidden.shape[1]:
            self.follow_unit(None)  # saved for a network with more units than this one
            return
        rows = self._unit_rows(unit)
        self.unit_view.set_unit(unit, rows, tr.text if rows else "", self._about(unit))

    def _carry_unit(self, old: str, new: str) -> None:
        """Switching cell keeps following: the new cell's unit for the same feature where the unit
        followed was one found for one, else the same unit number (each cell has its own units)."""
        unit = self.units.get(old)
        if unit is None or new in self.units:
            return
        feature = next((n for n, e in self.found.get(old, {}).items() if e["unit"] == unit), None)
        same = self.found.get(new, {}).get(feature) if feature else None
        self.units[new] = same["unit"] if same else unit

    def _about(self, unit: int | None) -> str:
        """What the unit is known to track, if it is one of the units found for this cell."""
        for name, e in self.found.get(self.cell, {}).items():
            if e["unit"] == unit:
                return f"{FEATURES[name][0]}, r {e['r']:+.2f}"
        return ""
