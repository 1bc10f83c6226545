"""The local engine: a pool of worker processes, each warmed once, that can be stopped.

concurrent.futures cannot stop a worker stuck on one file; pebble's pool
kills a task past its time limit (the worker is replaced). Each worker
renews its spaCy pipeline every `recycle` files (`work._renew_if_due`), which
bounds the growth of spaCy's StringStore in a long run. Results come back in completion order.
"""
from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, TimeoutError, wait
from typing import Iterable, Iterator, Optional

from .. import api
from ..errors import InternalError, JixiaoError, TimeLimit, WorkerDied
from ..settings import Settings
from . import work


def failed(job: work.Job, error: JixiaoError, lang: str) -> work.Done:
    """A job that produced no record of its own (stopped, or its process died), as an unreadable record."""
    return work.Done(job.key, api.record(api.Outcome(job.input, error=error), lang))


def run(jobs: Iterable[work.Job], settings: Settings, n_jobs: int, lang: str = "zh",
        time_limit: Optional[float] = 120.0, recycle: int = 1000) -> Iterator[work.Done]:
    from pebble import ProcessExpired, ProcessPool

    window = max(2, 4 * n_jobs)  # jobs in flight: enough to keep workers busy, few enough to hold in memory
    pool = ProcessPool(max_workers=n_jobs, initializer=work.init, initargs=(settings, True, max(0, recycle)))
    pending: dict = {}

    def ready() -> Iterator[work.Done]:
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for fut in done:
            job = pending.pop(fut)
            try:
                yield fut.result()
            except TimeoutError:
                yield failed(job, TimeLimit(job.name, f"{time_limit:g} s"), lang)
            except ProcessExpired as exc:
                yield failed(job, WorkerDied(job.name, f"exit code {exc.exitcode}"), lang)
            except Exception as exc:  # pickling trouble or a bug: recorded against the file, the batch goes on
                yield failed(job, InternalError(job.name, f"{type(exc).__name__}: {str(exc)[:160]}"), lang)

    try:
        for job in jobs:
            pending[pool.schedule(work.check_job, args=(job, lang), timeout=time_limit)] = job
            if len(pending) >= window:
                yield from ready()
        while pending:
            yield from ready()
    except BaseException:
        pool.stop()
        pool.join()
        raise
    pool.close()
    pool.join()
