"""Input-to-screen times of the answers the window paints: per request kind, split into waiting,
computing, delivering and painting (for the status bar and benchmarks/app.py)."""

from __future__ import annotations

from app import worker as W
from app.latency import PHASES, now_ms


class AnswerTiming:
    """A part of MainWindow (app/window.py), which it is mixed into."""

    def _record_latency(self, kind: str, seq: int) -> float:
        """Input-to-screen time of every request answered by result `seq` (newest last)."""
        t = now_ms()
        posted = self._posted[kind]
        tseq, started, done, received = self._timing.get(kind, (0, 0.0, 0.0, 0.0))
        if tseq == seq and seq in posted and started:
            for name, ms in zip(
                PHASES, (started - posted[seq], done - started, received - done, t - received), strict=True
            ):
                self.phases[kind][name].add(ms)
        lat = 0.0
        for s in [s for s in posted if s <= seq]:
            lat = t - posted.pop(s)
            self.latency[kind].add(lat)
        return lat

    def _digit_on_screen(self) -> None:
        seq, self._digit_shown = self._digit_shown, 0
        if seq:
            self.digitPainted.emit(seq, self._record_latency(W.DIGIT, seq))

    def _show_latency(self) -> None:
        st = self.latency[self._page_roles[self.tabs.currentWidget()][1]]
        if len(st):
            p50, p95 = st.percentiles()
            self.latency_label.setText(f"latency p50 {p50:.1f} ms  p95 {p95:.1f} ms")

    # ---------------------------------------------------------------- export and close
