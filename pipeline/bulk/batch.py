"""Finished reports waiting for their corpus transaction, in whichever process writes the corpus
(the parent of a run, or each worker when the parent has no core of its own: `runner.workers_write`)."""
from __future__ import annotations

import sqlite3
import time
from typing import Callable, Optional

from .. import store
from ..store import migrations


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

    def flush(self, wait: bool = True, on_locked: Optional[Callable[[], object]] = None) -> bool:
        """Commit what waits; True when there was something. Without `wait`, nothing is written
        (False) while another process holds the corpus's write lock, so that the caller can do
        other work meanwhile rather than sleep; `on_locked` is called once the lock is held."""
        if not self.waiting or not migrations.begin(self.conn, wait):
            return False
        if on_locked is not None:
            on_locked()
        try:
            store.write_many(self.conn, self.waiting, begun=True)
        except BaseException:
            if self.conn.in_transaction:  # the lock was taken but nothing inserted yet (on_locked raised)
                self.conn.execute("ROLLBACK")
            raise
        self.waiting.clear()
        return True
