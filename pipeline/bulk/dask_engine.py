"""The Dask engine (extra ``jixiao[dask]``): the same jobs on a distributed cluster.

Workers check (jobs carry the file's bytes, so a worker needs no access to
the files) and return records; the client, in this process, writes the
corpus. Without a scheduler address a `LocalCluster` of `n_jobs` processes is
started for the run.

A Dask task cannot be stopped from outside, so the per-file time limit is
kept on the worker: the check runs in a thread that the task gives up on
after `time_limit` seconds, returning the file as unreadable (E115). The
client then restarts that worker (its nanny starts a fresh process), which
ends the runaway thread; the scheduler moves the worker's other tasks.
"""
from __future__ import annotations

import threading
from concurrent.futures import CancelledError
from typing import Iterable, Iterator, Optional

from ..errors import InternalError, TimeLimit, WorkerDied
from ..settings import Settings
from . import work
from .local import failed


def check_within(job: work.Job, lang: str, settings: Settings,
                 time_limit: Optional[float]) -> tuple[work.Done, Optional[str]]:
    """On a worker: the job's record, and the worker's address when the check overran (to restart it)."""
    if not time_limit:
        return work.check_job(job, lang, settings), None
    box: dict = {}

    def check() -> None:
        try:
            box["done"] = work.check_job(job, lang, settings)
        except BaseException as exc:  # check_job records errors itself: this is a bug, kept for the client
            box["error"] = exc

    t = threading.Thread(target=check, name=f"jixiao-check {job.name}", daemon=True)
    t.start()
    t.join(time_limit)
    if t.is_alive():
        return failed(job, TimeLimit(job.name, f"{time_limit:g} s"), lang), _worker_address()
    if "error" in box:
        raise box["error"]
    return box["done"], None


def _worker_address() -> Optional[str]:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):  # not inside a Dask worker (a test calling it directly)
        return None


def run(jobs: Iterable[work.Job], settings: Settings, n_jobs: int, lang: str = "zh",
        scheduler: Optional[str] = None, time_limit: Optional[float] = 120.0) -> Iterator[work.Done]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ModuleNotFoundError:
        raise RuntimeError("the dask engine needs dask.distributed: pip install 'jixiao[dask]' "
                           "(in a checkout: pip install '.[dask]')") from None

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=n_jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        # the settings, sent once; each worker keeps the rebuilt Settings (sent again after a restart,
        # which loses the worker's data and with it the tasks that depend on it)
        shared = [client.scatter(settings, broadcast=True, hash=False)]
        window = max(2, 4 * len(client.scheduler_info().get("workers", {}) or [1]))
        pending: dict = {}  # future -> (job, tries)
        queue = as_completed()

        def submit(job: work.Job, tries: int = 0) -> None:
            fut = client.submit(check_within, job, lang, shared[0], time_limit, pure=False)
            pending[fut] = (job, tries)
            queue.add(fut)

        def ready() -> Iterator[work.Done]:
            fut = next(queue)
            job, tries = pending.pop(fut)
            try:
                done, stuck = fut.result()
            except CancelledError:
                if tries < 3:  # lost with a worker restarted for another file: checked again
                    submit(job, tries + 1)
                    return
                done, stuck = failed(job, WorkerDied(job.name, "cancelled with its worker, 4 times"), lang), None
            except Exception as exc:  # a worker lost, a bug: recorded against the file
                done, stuck = failed(job, InternalError(job.name, f"{type(exc).__name__}: {str(exc)[:160]}"), lang), None
            fut.release()
            if stuck:
                _restart(client, stuck)
                shared[0] = client.scatter(settings, broadcast=True, hash=False)
            yield done

        for job in jobs:
            submit(job)
            if len(pending) >= window:
                yield from ready()
        while pending:
            yield from ready()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _restart(client, address: str) -> None:
    """Restart the worker whose check overran; a worker without a nanny cannot be, and keeps the thread."""
    try:
        client.restart_workers([address], raise_for_error=False)
    except Exception:  # noqa: BLE001 - no nanny, or the worker already gone: the batch goes on
        pass
