"""Bulk runs: many files checked in worker processes (local pool or Dask) into the corpus."""
from .runner import Options, Progress, cores, run
from .summary import Row, Summary

__all__ = ["run", "Options", "Progress", "Summary", "Row", "cores"]
