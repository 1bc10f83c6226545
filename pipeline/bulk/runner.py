"""A bulk run: inputs -> jobs (hashed, already-stored ones skipped) -> an engine -> the corpus.

The parent process reads and hashes each file (cheap beside a check), so a
file already in the corpus is skipped before any worker sees it; workers
return records with their corpus rows ready (`store.rows`: the JSON, the search
columns); only the parent writes, a few reports per transaction (`_Batch`), each
report whole in one. A run killed at any point leaves every committed report
stored once, and the next run does the rest.
"""
from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional, Union

from .. import __version__, api, store
from ..errors import JixiaoError
from ..read import Input, source
from ..output.reviewed import apply_decisions
from ..settings import Settings, SettingsLike
from ..store import decisions
from . import work
from .summary import Summary


@dataclass
class Options:
    engine: str = "local"                  # local | dask
    jobs: int = 0                          # 0: the machine's cores
    lang: str = "zh"
    time_limit: Optional[float] = 120.0    # seconds per file (E115)
    recycle: int = 1000                    # renew a worker's spaCy pipeline after this many files (bounds its memory)
    scheduler: Optional[str] = None        # dask: a scheduler address; None starts a LocalCluster
    fail_on: str = "none"
    batch: int = 16                        # reports per corpus transaction (1: each its own)
    batch_seconds: float = 0.5             # ... or fewer, once the oldest waiting has waited this long

    def __post_init__(self) -> None:
        if self.batch < 1 or self.batch_seconds < 0:
            raise ValueError(f"batch must be >= 1 and batch_seconds >= 0 (got {self.batch}, {self.batch_seconds})")


@dataclass
class Progress:
    """What a progress display is told after each file."""

    summary: Summary
    total: Optional[int] = None
    peak_kb: dict[int, int] = field(default_factory=dict)  # worker pid -> its peak resident memory


class _Batch:
    """Finished reports waiting for their transaction: committed together once `size` have come
    or the oldest has waited `seconds` (looked at as each arrives), and when the run ends,
    finished or interrupted. Committing is most of what writing costs the parent (every touched
    page of the tables, indexes and search index is written again), and the parent's time is
    taken from the workers on a machine with as many cores as workers. A crash loses at most
    the waiting reports, which the next run checks again: none is stored twice or in part."""

    def __init__(self, conn: sqlite3.Connection, size: int, seconds: float) -> None:
        self.conn, self.size, self.seconds = conn, size, seconds
        self.waiting: list[tuple[store.Rows, store.Provenance]] = []
        self.since = 0.0

    def add(self, rows: store.Rows, prov: store.Provenance) -> None:
        if not self.waiting:
            self.since = time.monotonic()
        self.waiting.append((rows, prov.stamped()))  # stamped when checked, not when committed
        if len(self.waiting) >= self.size or time.monotonic() - self.since >= self.seconds:
            self.flush()

    def flush(self) -> None:
        if self.waiting:
            store.write_many(self.conn, self.waiting)
            self.waiting.clear()


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def plan(inputs: Iterable[Input], done: set[str], summary: Summary,
         on_unreadable: Callable[[work.Done], None], lang: str, limits=None) -> Iterator[work.Job]:
    """Jobs for the files not yet stored, in input order; a file whose bytes cannot even be read is recorded here."""
    seen = set(done)
    for item in inputs:
        try:
            content = source.data(item, limits)
        except JixiaoError as exc:
            key = "name:" + item.name
            if key in seen:
                summary.skip()
                continue
            seen.add(key)
            on_unreadable(work.Done(key, api.record(api.Outcome(item, error=exc), lang)))
            continue
        key = source.sha256(content)
        if key in seen:  # already in the corpus, or the same bytes met earlier in this run
            summary.skip()
            continue
        seen.add(key)
        yield work.Job(item.name, item.path, item.member, key, content)


def engine(opts: Options, settings: Settings) -> Callable[[Iterable[work.Job]], Iterator[work.Done]]:
    n = opts.jobs or cores()
    if opts.engine == "dask":
        from . import dask_engine
        return lambda jobs: dask_engine.run(jobs, settings, n, opts.lang, opts.scheduler, opts.time_limit)
    if opts.engine == "local":
        from . import local
        return lambda jobs: local.run(jobs, settings, n, opts.lang, opts.time_limit, opts.recycle)
    raise ValueError(f"unknown engine {opts.engine!r} (local, dask)")


def run(paths: Iterable[Union[str, os.PathLike]], db: Union[str, os.PathLike, sqlite3.Connection],
        settings: SettingsLike = None, opts: Options = Options(),
        on_progress: Optional[Callable[[Progress, Optional[dict]], None]] = None) -> Progress:
    """Check every report under `paths` into the corpus `db`; returns the run's counts.

    `on_progress(progress, record)` is called after each file (record None for a skip).
    On KeyboardInterrupt the workers are stopped, what was stored stays, and the
    exception propagates with the counts so far in `progress`.
    """
    s = Settings.resolve(settings)
    conn = db if isinstance(db, sqlite3.Connection) else store.open(db)
    summary = Summary(fail_on=opts.fail_on)
    prog = Progress(summary)
    # a reviewer's decisions kept in this corpus: a dismissed finding no longer fails the run
    decided = decisions.load(conn)

    batch = _Batch(conn, opts.batch, opts.batch_seconds)

    def keep(done: work.Done) -> None:
        prov = store.Provenance(done.key, __version__, s.fingerprint, done.seconds)
        batch.add(done.rows if done.rows is not None else store.rows(done.record), prov)  # rows: from the worker
        summary.add(apply_decisions([done.record], decided)[0] if decided else done.record)
        if done.pid:
            prog.peak_kb[done.pid] = max(prog.peak_kb.get(done.pid, 0), done.peak_kb)
        if on_progress:
            on_progress(prog, done.record)

    items = list(api.iter_inputs(list(paths), s))
    prog.total = len(items)
    if on_progress:
        on_progress(prog, None)  # the total is known before the first file is checked
    skipped_before = 0

    def jobs() -> Iterator[work.Job]:
        nonlocal skipped_before
        for job in plan(items, store.done_keys(conn, __version__, s.fingerprint), summary, keep, opts.lang, s.limits):
            if on_progress and summary.skipped != skipped_before:
                skipped_before = summary.skipped
                on_progress(prog, None)
            yield job

    from ..store import across

    try:
        try:
            for done in engine(opts, s)(jobs()):
                keep(done)
        finally:  # finished reports are kept whatever stopped the run (a failing commit raises again here)
            batch.flush()
        if on_progress and summary.skipped != skipped_before:
            on_progress(prog, None)
        summary.corpus_findings = across.apply(conn, __version__, s.fingerprint, opts.lang)
    finally:
        if not isinstance(db, sqlite3.Connection):
            conn.close()
    return prog
