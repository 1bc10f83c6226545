"""The tab-separated export archives publish: one table row per line.

Cells may hold `<p>` fragments; blank lines separate blocks; rows are ragged.
Lines without a tab are text outside the table (attachment number, title,
unit line) and become one-cell rows, unless they hold '|'-separated cells.
"""
from __future__ import annotations

from ..model import Row
from .text import clean_cell


def parse(text: str) -> list[Row]:
    rows: list[Row] = []
    for line in text.splitlines():
        if "\t" not in line and line.count("|") >= 2:  # a table flattened into '|'-separated lines
            line = line.strip().strip("|").replace("|", "\t")
        cells = [clean_cell(c) for c in line.split("\t")]
        if any(cells):
            rows.append(cells)
    return rows
