"""What a worker process runs: warm once, then check one job (a file's bytes) at a time
(`serve`: the local engine's loop over its pipe).

Jobs carry the bytes, so a worker needs no access to the files (a Dask worker
on another machine, an archive member); the record a worker returns is the
CONTRACT dict of `api.record`, the same `jixiao check --format json` prints.
A local worker given a `Writer` also stores its reports in the corpus itself,
a few per transaction, and says when they are stored (`STORED`).
"""
from __future__ import annotations

import os
import resource
import signal
import sys
import time
from dataclasses import dataclass, replace
from typing import Any, Optional

from .. import api, store
from ..read import Input
from ..settings import Settings, SettingsLike


@dataclass(frozen=True)
class Job:
    """One file to check: where it came from, its content key (sha256) and its bytes."""

    name: str
    path: str
    member: Optional[str]
    key: str
    data: bytes

    @property
    def input(self) -> Input:
        return Input(self.name, self.path, self.member)


@dataclass(frozen=True)
class Done:
    """A job's record, with what the run reports about it (seconds in the worker, its peak memory)
    and, from a worker, the record as the corpus rows (`store.rows`), so that the parent only inserts."""

    key: str
    record: dict[str, Any]
    seconds: Optional[float] = None
    peak_kb: int = 0
    pid: int = 0
    rows: Optional[store.Rows] = None
    stored: bool = False  # already in the corpus (its worker wrote it): the parent only counts it


@dataclass(frozen=True)
class Writer:
    """What a local worker needs to store its own reports: the corpus, and what the parent's
    writes would stamp them with (the same provenance, the same transactions)."""

    db: str
    version: str
    fingerprint: str
    batch: int = 16
    batch_seconds: float = 0.5


_SETTINGS: Optional[Settings] = None
_RENEW_EVERY = 1000  # files between two renewals of the spaCy pipeline (0: never)
_CHECKED = 0


def init(settings: SettingsLike = None, ignore_sigint: bool = True, renew_every: int = 1000) -> None:
    """A worker's start: settings rebuilt from the pickled data, jieba and spaCy loaded once."""
    global _SETTINGS, _RENEW_EVERY
    if ignore_sigint:  # Ctrl-C is the parent's to handle: it stops the pool and keeps what is stored
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _RENEW_EVERY = renew_every
    _SETTINGS = api.warm(settings)
    _freeze()


def _freeze() -> None:
    """Keep what warm-up loaded (jieba's dictionary, spaCy, the settings) out of the garbage
    collector's full passes: they live as long as the worker, and each full pass walked all of
    them (~50 ms, every couple of hundred reports)."""
    import gc

    gc.collect()
    gc.freeze()


# a worker's exit status when it could not load settings, jieba or spaCy (the local engine gives up)
START_FAILED = 86
# ... and when its parent was gone for longer than the time limit while it was stuck in a check
ORPHANED = 87
# what a local-engine worker sends once warm (a pickled reply starts with b"\x80")
READY = b"ready"
# ... before each commit of a worker that writes (no job runs until STORED) ...
COMMITTING = b"committing"
# ... and after it: every report it replied with so far is stored
STORED = b"stored"
# ... when its commit failed (then it exits): this prefix, then the reason
STORE_FAILED = b"store-failed:"


def serve(conn, settings: SettingsLike = None, renew_every: int = 1000, writer: Optional[Writer] = None,
          time_limit: Optional[float] = None) -> None:
    """A local-engine worker: warm once (then say READY), then check each pickled (job, lang) the
    parent sends and send back (True, Done), or (False, "what went wrong") when even that failed;
    b"" ends it. With a `writer` it also stores each report, committing when its batch is full
    or old, or when no job waits in the pipe, between COMMITTING and STORED."""
    import pickle

    try:
        init(settings, ignore_sigint=True, renew_every=renew_every)
    except Exception:
        os._exit(START_FAILED)
    try:
        batch = _batch(writer)
    except Exception as exc:  # noqa: BLE001 - the corpus cannot be opened here: the parent stops the run
        _say(conn, STORE_FAILED + f"{type(exc).__name__}: {exc}".encode("utf-8", "replace"))
        return
    conn.send_bytes(READY)
    parent_alive = _parent_watch(conn, time_limit)
    while True:
        try:
            message = conn.recv_bytes() if parent_alive() else b""
        except (EOFError, OSError):  # the parent is gone: what was checked is stored all the same
            message = b""
        if not message:
            _store(conn, batch, None, writer, last=True)
            return
        job, lang = pickle.loads(message)
        try:
            done = check_job(job, lang)
            sent = done if batch is None else replace(done, rows=None)  # the parent needs only the record
            reply = pickle.dumps((True, sent), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # a bug past api.check_input, or a record that does not pickle
            done, reply = None, pickle.dumps((False, f"{type(exc).__name__}: {str(exc)[:160]}"),
                                             protocol=pickle.HIGHEST_PROTOCOL)
        if not _say(conn, reply) or not _store(conn, batch, done, writer):
            return


def _parent_watch(conn, grace: Optional[float]):
    """A test of whether the parent still lives, made while waiting for a job: a worker holds
    the parent's end of its own pipe (and forked after others, theirs too), so a parent killed
    outright (SIGKILL) may never show as the end of the pipe. True once a job (or the end) is
    there to read; False when the parent is gone with none. A check still running `grace`
    seconds after the parent went (the run's time limit, which nobody else enforces now) ends
    the process: the reports it had not committed are checked again by the next run."""
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:  # not started by multiprocessing (a test calling serve directly)
        return lambda: True
    sentinel = parent.sentinel

    def watchdog() -> None:
        wait([sentinel])
        time.sleep(grace)
        os._exit(ORPHANED)

    if grace:
        threading.Thread(target=watchdog, name="jixiao-parent-watch", daemon=True).start()
    return lambda: conn in wait([conn, sentinel])


def _batch(writer: Optional[Writer]):
    """The worker's own transactions, when it writes the corpus."""
    if writer is None:
        return None
    from .batch import Batch

    return Batch(store.open(writer.db), writer.batch, writer.batch_seconds)


def _store(conn, batch, done: Optional[Done], writer: Optional[Writer], last: bool = False) -> bool:
    """Keep a report for the corpus, commit when due (the batch is full or old, no job waits in
    the pipe, or the worker is ending) and say STORED; False when the worker must end (its
    commit failed, which the parent is told, or the parent is gone)."""
    if batch is None:
        return True
    if done is not None:
        batch.keep(done.rows, store.Provenance(done.key, writer.version, writer.fingerprint, done.seconds))
    job_waits = not last and conn.poll()
    if not batch.due() and not (batch.waiting and not job_waits):
        return True
    # with a job waiting and another worker committing, check the job rather than sleep on the
    # corpus's lock (up to a bound: a batch is not held back for ever); with none, wait for it
    wait = not job_waits or len(batch.waiting) >= _HOLD_BACK * batch.size
    try:
        # the parent may be gone: what was checked is committed all the same. A wait for the lock is
        # the commit's time, not a job's: COMMITTING goes first when the flush may wait
        if wait:
            _say(conn, COMMITTING)
        if not batch.flush(wait, on_locked=None if wait else lambda: _say(conn, COMMITTING)):
            return True  # the corpus was locked: the next report's turn tries again
    except Exception as exc:  # noqa: BLE001 - the corpus cannot be written: the parent stops the run
        _say(conn, STORE_FAILED + f"{type(exc).__name__}: {exc}".encode("utf-8", "replace"))
        return False
    return _say(conn, STORED)


# a writing worker that found the corpus locked keeps checking until its batch is this many times full
_HOLD_BACK = 4


def _say(conn, message: bytes) -> bool:
    try:
        conn.send_bytes(message)
        return True
    except OSError:  # the parent is gone
        return False


def _renew_if_due() -> None:
    """A fresh spaCy pipeline every `_RENEW_EVERY` files, when one was built (a check builds none;
    a caller reading `Annotation.doc` does): its StringStore keeps every token string it has seen,
    so a long-lived worker grows without it. jieba's dictionary is kept (it does not grow), and the
    next blank("zh") is built when it is next needed."""
    global _CHECKED
    _CHECKED += 1
    if _RENEW_EVERY and _CHECKED % _RENEW_EVERY == 0:
        import gc

        from ..nlp import segment

        if not segment.nlp.cache_info().currsize:
            return
        segment.nlp.cache_clear()
        gc.unfreeze()  # the old pipeline may have been frozen with the rest: let the collector free it
        gc.collect()
        _freeze()


def outcome(item: Input, content: bytes, settings: SettingsLike = None) -> api.Outcome:
    """`api.check_input` for bytes in hand (stdin, a job): errors recorded the same way, never raised."""
    return api.check_input(item, settings, content)


def check_job(job: Job, lang: str = "zh", settings: SettingsLike = None) -> Done:
    s = settings if settings is not None else _SETTINGS
    if s is None:
        init(None, ignore_sigint=False)
        s = _SETTINGS
    t = time.perf_counter()
    rec = api.record(outcome(job.input, job.data, s), lang)
    _renew_if_due()
    seconds = round(time.perf_counter() - t, 4)
    return Done(job.key, rec, seconds, peak_kb(), os.getpid(), store.rows(rec))


def peak_kb() -> int:
    """This process's peak resident memory in KiB (ru_maxrss is bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss
