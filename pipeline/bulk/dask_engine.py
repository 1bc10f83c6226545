"""The Dask engine (extra ``jixiao[dask]``): the same jobs on a distributed cluster.

Workers check (jobs carry the file's bytes, so a worker needs no access to
the files) and return records; the client, in this process, writes the
corpus. Without a scheduler address a `LocalCluster` of `n_jobs` processes is
started for the run. The per-file time limit is the local engine's: a Dask
task cannot be stopped from outside.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

from ..errors import InternalError
from ..settings import Settings
from . import work
from .local import failed


def run(jobs: Iterable[work.Job], settings: Settings, n_jobs: int, lang: str = "zh",
        scheduler: Optional[str] = None) -> Iterator[work.Done]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ModuleNotFoundError:
        raise RuntimeError("the dask engine needs dask.distributed: pip install 'jixiao[dask]'") from None

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=n_jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        shared = client.scatter(settings, broadcast=True)  # sent once; each worker keeps the rebuilt Settings
        window = max(2, 4 * len(client.scheduler_info().get("workers", {}) or [1]))
        pending: dict = {}
        queue = as_completed()

        def ready() -> Iterator[work.Done]:
            fut = next(queue)
            job = pending.pop(fut)
            try:
                yield fut.result()
            except Exception as exc:  # a worker lost, a bug: recorded against the file
                yield failed(job, InternalError(job.name, f"{type(exc).__name__}: {str(exc)[:160]}"), lang)
            fut.release()

        for job in jobs:
            fut = client.submit(work.check_job, job, lang, shared, pure=False)
            pending[fut] = job
            queue.add(fut)
            if len(pending) >= window:
                yield from ready()
        while pending:
            yield from ready()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
