"""A bulk run: inputs -> jobs (hashed, already-stored ones skipped) -> an engine -> the corpus.

The parent process reads and hashes each file (cheap beside a check), so a
file already in the corpus is skipped before any worker sees it; workers
return records with their corpus rows ready (`store.rows`: the JSON, the search
columns). Whoever writes commits a few reports per transaction (`Batch`), each
report whole in one: the parent, while it has a core of its own (fewer workers
than cores), or else each local worker (`workers_write`), since the parent's
writing would take its time from checking. A run killed at any point leaves
every committed report stored once, and the next run does the rest.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional, Union

from .. import __version__, api, store
from ..errors import JixiaoError
from ..read import Input, source
from ..output.reviewed import apply_decisions
from ..settings import Settings, SettingsLike
from ..store import decisions
from . import work
from .batch import Batch
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
    writer: str = "auto"                   # who writes the corpus: parent | workers (local engine) | auto

    def __post_init__(self) -> None:
        if self.batch < 1 or self.batch_seconds < 0:
            raise ValueError(f"batch must be >= 1 and batch_seconds >= 0 (got {self.batch}, {self.batch_seconds})")
        if self.writer not in WRITERS:
            raise ValueError(f"writer must be one of {', '.join(WRITERS)} (got {self.writer!r})")
        if self.writer == "workers" and self.engine != "local":
            raise ValueError("only local workers can write the corpus (the dask client writes it)")


WRITERS = ("auto", "parent", "workers")


@dataclass
class Progress:
    """What a progress display is told after each file."""

    summary: Summary
    total: Optional[int] = None
    peak_kb: dict[int, int] = field(default_factory=dict)  # worker pid -> its peak resident memory


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


def workers_write(opts: Options, db_file: str) -> bool:
    """Whether the local workers write the corpus: asked for, or (auto) when there are at least as
    many workers as cores, so that no core is left for the parent's writing, which then costs a
    worker's time (the parent's own time falls from ~1.6 to ~0.5 ms a report, and no worker's
    corpus rows cross a pipe).
    A corpus with no file (in memory) is the parent's alone."""
    if opts.engine != "local" or not db_file or opts.writer == "parent":
        return False
    return opts.writer == "workers" or (opts.jobs or cores()) >= cores()


def engine(opts: Options, settings: Settings, writer: Optional[work.Writer] = None,
           rescue: Optional[Callable[[list[work.Done]], None]] = None
           ) -> Callable[[Iterable[work.Job]], Iterator[work.Done]]:
    n = opts.jobs or cores()
    if opts.engine == "dask":
        from . import dask_engine
        return lambda jobs: dask_engine.run(jobs, settings, n, opts.lang, opts.scheduler, opts.time_limit)
    if opts.engine == "local":
        from . import local
        return lambda jobs: local.run(jobs, settings, n, opts.lang, opts.time_limit, opts.recycle, writer,
                                      rescue=rescue)
    raise ValueError(f"unknown engine {opts.engine!r} (local, dask)")


def _file(conn: sqlite3.Connection) -> str:
    """The corpus's file ('' for one in memory)."""
    for _, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return file or ""
    return ""


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

    batch = Batch(conn, opts.batch, opts.batch_seconds)
    db_file = _file(conn)
    writer = (work.Writer(db_file, __version__, s.fingerprint, opts.batch, opts.batch_seconds)
              if workers_write(opts, db_file) else None)

    def keep(done: work.Done, show: bool = True) -> None:
        if not done.stored:  # rows: from the worker, or made here
            prov = store.Provenance(done.key, __version__, s.fingerprint, done.seconds)
            batch.add(done.rows if done.rows is not None else store.rows(done.record), prov)
        summary.add(apply_decisions([done.record], decided)[0] if decided else done.record)
        if done.pid:
            prog.peak_kb[done.pid] = max(prog.peak_kb.get(done.pid, 0), done.peak_kb)
        if on_progress and show:
            on_progress(prog, done.record)

    def rescue(dones: list[work.Done]) -> None:
        """A stopped run's reports that writing workers had not committed: kept like the rest
        (committed below), without calling on_progress again."""
        for done in dones:  # none is marked stored: only a committed result is
            keep(done, show=False)

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
            for done in engine(opts, s, writer, rescue)(jobs()):
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
