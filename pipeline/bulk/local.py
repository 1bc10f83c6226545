"""The local engine: worker processes, each warmed once, fed over a pipe, stopped when stuck.

concurrent.futures cannot stop a worker stuck on one file. Here the parent's
one thread keeps, per worker, the jobs it was sent (one running, a few (`AHEAD`)
waiting in the pipe, so the worker does not wait while the parent commits a
batch of reports) and when the
running one started; it waits on the pipes and the processes at once, and a
job past its time limit has its worker killed and replaced (E115), a worker
that dies has its job recorded (E116); jobs that were waiting behind either
go to the next worker. No threads, no futures: a report costs the parent one
pickled job out and one pickled result in. Each worker renews its spaCy
pipeline every `recycle` files (`work._renew_if_due`), which bounds the
growth of spaCy's StringStore in a long run. Results come back in completion
order.

Given a `work.Writer`, the workers store their reports themselves (the parent
then only hands out jobs and counts): a worker's results are held here until
it says they are committed (`work.STORED`) and come back marked `stored`; those
of a worker stopped or dead before its commit come back unmarked, for the
parent to store, so that a report counted is a report kept.
"""
from __future__ import annotations

import multiprocessing
import pickle
import time
from collections import deque
from itertools import islice
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterable, Iterator, Optional

from .. import api
from ..errors import InternalError, JixiaoError, TimeLimit, WorkerDied
from ..settings import Settings
from . import work

# jobs wait in a worker's pipe behind the running one only while together they are this small:
# the pipe then holds them whole and sending never blocks the parent
QUEUE_BYTES = 32 * 1024
# at most this many wait behind the running one: enough work to cover a commit of the parent's
# (`batch.Batch`, 16 reports: a worker that ran dry during it made 1 worker 9% slower at 4),
# few enough that a worker stopped at its time limit hands little back, and that workers
# which write themselves (the parent never pauses) finish together (8 made 2 of them 3% slower)
AHEAD = {"parent writes": 8, "workers write": 4}
# workers that fail to start (work.START_FAILED), one after another: the pool cannot start
START_FAILURES = 3


def failed(job: work.Job, error: JixiaoError, lang: str) -> work.Done:
    """A job that produced no record of its own (stopped, or its process died), as an unreadable record."""
    return work.Done(job.key, api.record(api.Outcome(job.input, error=error), lang))


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    jobs: deque = field(default_factory=deque)  # (job, its pickled message) in the order sent
    unstored: list = field(default_factory=list)  # results of a writing worker, not yet committed by it
    committing: bool = False                    # between its COMMITTING and STORED: no job runs
    started: float = 0.0                        # when the first of `jobs` began (as the parent saw it)
    finished: int = 0
    ready: bool = False                         # warmed up (work.READY came): its time limits run

    def send(self, job: work.Job, message: bytes) -> None:
        self.conn.send_bytes(message)
        if not self.jobs:
            self.started = time.monotonic()
        self.jobs.append((job, message))

    def can_take(self, size: int, ahead: int) -> bool:
        waiting = sum(len(m) for _, m in islice(self.jobs, 1, None))  # behind the running one
        return not self.jobs or (len(self.jobs) <= ahead and waiting + size <= QUEUE_BYTES)

    @property
    def busy(self) -> bool:
        """Running a job, or about to commit (a writing worker commits as soon as its pipe is empty)."""
        return bool(self.jobs or self.unstored)


class _Pool:
    def __init__(self, n_jobs: int, settings: Settings, recycle: int, writer: Optional[work.Writer] = None,
                 time_limit: Optional[float] = None) -> None:
        self.ctx = multiprocessing.get_context()
        self.args = (settings, max(0, recycle), writer, time_limit)
        self.workers_write = writer is not None
        self.ahead = AHEAD["workers write" if self.workers_write else "parent writes"]
        self.workers: list[_Worker] = []
        self.leftover: deque = deque()  # results of stopped writing workers, not yet handed on
        self.start_failures = 0
        for _ in range(n_jobs):
            self.workers.append(self._start())

    def _start(self) -> _Worker:
        mine, theirs = self.ctx.Pipe()
        proc = self.ctx.Process(target=work.serve, args=(theirs, *self.args), daemon=True)
        proc.start()
        theirs.close()
        return _Worker(proc, mine)

    def replace(self, w: _Worker, kill: bool) -> None:
        """Stop a worker (kill: it is stuck) and start another in its place."""
        if kill and w.process.is_alive():
            w.process.kill()
        w.process.join()
        w.conn.close()
        if w.process.exitcode == work.START_FAILED or not w.ready:  # it died before it was warm
            self.start_failures += 1
            if self.start_failures >= START_FAILURES:
                raise RuntimeError("the worker processes could not start (settings, jieba or spaCy failed to load)")
        elif w.finished:
            self.start_failures = 0
        self.workers[self.workers.index(w)] = self._start()

    def stop(self) -> None:
        for w in self.workers:
            if w.process.is_alive():
                w.process.kill()
        for w in self.workers:
            w.process.join()
            w.conn.close()

    def close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send_bytes(b"")  # the end: the worker returns
            except OSError:
                pass
        for w in self.workers:
            w.process.join(timeout=10)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()


def run(jobs: Iterable[work.Job], settings: Settings, n_jobs: int, lang: str = "zh",
        time_limit: Optional[float] = 120.0, recycle: int = 1000,
        writer: Optional[work.Writer] = None,
        rescue: Optional[Callable[[list[work.Done]], None]] = None) -> Iterator[work.Done]:
    """Each job's Done in completion order; `writer`: the workers store the reports. When the run
    is stopped (Ctrl-C, an error), what writing workers had checked and not committed goes to
    `rescue`."""
    pool = _Pool(n_jobs, settings, recycle, writer, time_limit)
    try:
        yield from _serve(pool, iter(jobs), lang, time_limit)
    except BaseException:
        pool.stop()
        if rescue is not None:  # checked by writing workers, not committed: the caller may store them
            rescue([*pool.leftover, *(d for w in pool.workers for d in w.unstored)])
        raise
    pool.close()


def _serve(pool: _Pool, jobs: Iterator[work.Job], lang: str, time_limit: Optional[float]) -> Iterator[work.Done]:
    again: deque = deque()  # (job, message) sent to a worker that was stopped before starting it
    exhausted = False

    def next_job() -> Optional[tuple[work.Job, bytes]]:
        nonlocal exhausted
        if again:
            return again.popleft()
        if exhausted:
            return None
        job = next(jobs, None)
        if job is None:
            exhausted = True
            return None
        return job, pickle.dumps((job, lang), protocol=pickle.HIGHEST_PROTOCOL)

    held: Optional[tuple[work.Job, bytes]] = None  # a job no worker can take yet
    while True:
        for w in list(pool.workers):
            while True:
                held = held or next_job()
                if held is None or not w.can_take(len(held[1]), pool.ahead):
                    break
                try:
                    w.send(*held)
                except OSError:  # the worker is gone: what it was sent goes to the next one
                    again.extend(w.jobs)
                    pool.replace(w, kill=True)
                    yield from _unstored(pool, w)
                    break
                held = None
        busy = [w for w in pool.workers if w.busy]
        if not busy:
            if held is None and not again and exhausted:
                return
            continue  # every send failed (the workers had died): their replacements take the jobs
        timed = [w for w in busy if w.ready and w.jobs and not w.committing] if time_limit else []
        timeout = max(0.0, min(w.started for w in timed) + time_limit - time.monotonic()) if timed else None
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
        for w in busy:
            if w.conn in ready or w.conn.poll():
                yield from _results(pool, w, again, lang)
            elif w.process.sentinel in ready:
                yield from _died(pool, w, again, lang)
            elif w in timed and time.monotonic() - w.started >= time_limit:
                job, _ = w.jobs.popleft()
                again.extendleft(reversed(w.jobs))
                pool.replace(w, kill=True)
                yield from _unstored(pool, w)
                yield failed(job, TimeLimit(job.name, f"{time_limit:g} s"), lang)


def _results(pool: _Pool, w: _Worker, again: deque, lang: str) -> Iterator[work.Done]:
    """Every result waiting in a worker's pipe; a pipe that closed is the worker's death."""
    while w.busy:
        try:
            if not w.conn.poll():
                return
            message = w.conn.recv_bytes()
        except (EOFError, OSError):
            yield from _died(pool, w, again, lang)
            return
        if message == work.READY:  # warmed up: its first job starts now
            w.ready, w.started = True, time.monotonic()
            continue
        if message == work.COMMITTING:  # its commit's time is no job's
            w.committing = True
            continue
        if message == work.STORED:  # everything it sent so far is committed; its next job starts now
            w.committing, w.started = False, time.monotonic()
            while w.unstored:  # each taken off before it is handed on: a run stopped meanwhile rescues the rest
                yield replace(w.unstored.pop(0), stored=True)
            continue
        if message.startswith(work.STORE_FAILED):
            why = message[len(work.STORE_FAILED):].decode("utf-8", "replace")
            raise RuntimeError(f"a worker could not write the corpus: {why}")
        ok, value = pickle.loads(message)
        job, _ = w.jobs.popleft()
        w.finished += 1
        w.started = time.monotonic()  # the next job began when this one ended
        if not ok:  # a check that raised where api.check_input does not catch (pickling, a bug): recorded against the file
            yield failed(job, InternalError(job.name, value), lang)
        elif pool.workers_write:  # its worker stores it: counted once committed
            w.unstored.append(value)
        else:
            yield value


def _unstored(pool: _Pool, w: _Worker) -> Iterator[work.Done]:
    """What a stopped or dead worker had checked but not committed: the parent stores it (a report
    it did commit after all is not stored twice, `store.write_many` skips a key already there).
    Kept by the pool until handed on, each taken off first, so that a run stopped meanwhile
    rescues the rest (and counts none twice)."""
    pool.leftover.extend(w.unstored)
    w.unstored.clear()
    while pool.leftover:
        yield pool.leftover.popleft()


def _died(pool: _Pool, w: _Worker, again: deque, lang: str) -> Iterator[work.Done]:
    """A worker that exited: the job it was running is recorded (E116), the one waiting goes on."""
    w.process.join()
    # no job had started: it was not warm yet (pool.replace counts the failed start), or it died committing
    if w.process.exitcode == work.START_FAILED or not w.ready or w.committing or not w.jobs:
        again.extendleft(reversed(w.jobs))
        pool.replace(w, kill=False)
        yield from _unstored(pool, w)
        return
    job, _ = w.jobs.popleft()
    again.extendleft(reversed(w.jobs))
    pool.replace(w, kill=False)
    yield from _unstored(pool, w)
    yield failed(job, WorkerDied(job.name, f"exit code {w.process.exitcode}"), lang)
