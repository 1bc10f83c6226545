"""Summaries: of one checked report (`report`), and of a corpus of them (`corpus`).

Both read the serialised CONTRACT dict, never the pipeline's objects, so the
same code summarises a fresh check and a stored corpus.
"""
from __future__ import annotations

from .report import render_text, report

__all__ = ["report", "render_text"]
