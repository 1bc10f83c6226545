"""Finished reports waiting for their corpus transaction, in whichever process writes the corpus
(the parent of a run, or each worker when the parent has no core of its own: `runner.workers_write`)."""
from __future__ import annotations

import sqlite3
import time

from .. import store


class Batch:
    """Finished reports committed together once `size` have come or the oldest has waited
    `seconds` (looked at as each arrives), and whenever the writer calls `flush` (the run ends,
    is interrupted, or a worker has nothing else to do). Committing is most of what writing
    costs (every touched page of the tables, indexes and search index is written again), and
    that time is taken from checking. A crash loses at most the waiting reports, which the next
    run checks again: none is stored twice or in part."""

    def __init__(self, conn: sqlite3.Connection, size: int, seconds: float) -> None:
        self.conn, self.size, self.seconds = conn, size, seconds
        self.waiting: list[tuple[store.Rows, store.Provenance]] = []
        self.since = 0.0

    def add(self, rows: store.Rows, prov: store.Provenance) -> bool:
        """Keep one report and commit when due; True when this committed the batch."""
        self.keep(rows, prov)
        return self.flush() if self.due() else False

    def keep(self, rows: store.Rows, prov: store.Provenance) -> None:
        if not self.waiting:
            self.since = time.monotonic()
        self.waiting.append((rows, prov.stamped()))  # stamped when checked, not when committed

    def due(self) -> bool:
        """Full, or its oldest report has waited long enough."""
        return bool(self.waiting) and (len(self.waiting) >= self.size
                                       or time.monotonic() - self.since >= self.seconds)

    def flush(self) -> bool:
        """Commit what waits; True when there was something."""
        if not self.waiting:
            return False
        store.write_many(self.conn, self.waiting)
        self.waiting.clear()
        return True
