"""Input-to-screen times of the answers the pages paint: per page's answer kind, split into waiting,
computing, delivering and painting (for the status bar and benchmarks/app.py)."""

from __future__ import annotations

from app import protocol as P
from app.latency import PHASES, LatencyStats, now_ms
from app.page import Page


class AnswerTiming:
    """A part of MainWindow (app/window.py), which it is mixed into."""

    def _set_up_timing(self) -> None:
        kinds = [p.answer_type.kind for p in self.pages.values() if p.answer_type is not None]
        self.latency = {k: LatencyStats() for k in kinds}
        # Where the time of each painted update went (PHASES), for the latency benchmark.
        self.phases = {k: {p: LatencyStats() for p in PHASES} for k in kinds}
        self._timing: dict[str, tuple[int, float, float, float]] = {}
        self._posted: dict[str, dict[int, float]] = {k: {} for k in kinds}
        self.client.on_post.append(self._note_posted)
        for page in self.pages.values():
            if page.answer_type is not None:
                # Subscribed before the page (attached after): received is before it paints.
                self.client.subscribe(page.answer_type, lambda seq, r, p=page: self._received(p, seq, r))
                page.answered.connect(lambda seq, p=page: self._on_screen(p, seq))

    def _note_posted(self, request: P.Request, seq: int, t: float) -> None:
        if not self.ready:  # the load's hold() stands until its result; the wait is the engines loading
            return
        self.awake.poke()
        if request.kind in self._posted:
            self._posted[request.kind][seq] = t

    def _received(self, page: Page, seq: int, r: P.Timed) -> None:
        kind = page.answer_type.kind
        self._timing[kind] = (seq, r.started_ms, r.done_ms, now_ms())
        if not page.isVisible():
            # Read for a page not on screen (a kept drawing read once the engines load): no
            # input-to-screen time. Timed, the Digits page's waited for its next paint, when
            # the user turned to it seconds later ("p95 7115 ms").
            for s in [s for s in self._posted[kind] if s <= seq]:
                del self._posted[kind][s]

    def _on_screen(self, page: Page, seq: int) -> None:
        lat = self._record_latency(page.answer_type.kind, seq)
        if page.name == "digits":
            self.digitPainted.emit(seq, lat)

    def waiting(self, kind: str) -> int:
        """How many requests of `kind` (a page's answer kind) wait for their answer on screen."""
        return len(self._posted[kind])

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

    def _show_latency(self) -> None:
        page = self.tabs.currentWidget()
        st = self.latency.get(page.answer_type.kind) if page.answer_type is not None else None
        if st is not None and len(st):
            p50, p95 = st.percentiles()
            self.latency_label.setText(f"latency p50 {p50:.1f} ms  p95 {p95:.1f} ms")
