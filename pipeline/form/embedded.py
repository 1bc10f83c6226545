"""A key-indicator table inside a narrative 自评报告 ('具体完成情况如下表：' and then 一级指标 |
二级指标 | 指标名称 | 目标值 | 实际完成值, as rows or one cell per line): its rows are the
report's indicators, read with the project form's labels, and checked against the prose
around them; its cells are no prose.

The table starts at the first row (or run of single cells) naming the indicator columns
and ends at the first cell that reads as prose (a sentence, or longer than any cell of
such a table) or is one of the report's headings, so that the text after it stays the
report's.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Optional

from ..model import Indicator, Row
from . import project, stream
from .grid import Grid, label_key, names_matching

# the columns that make an indicator header, and how many of them (a run of single cells, one
# per line, within the window)
_HEADER_MIN, _WINDOW = 3, 12
# a cell longer than this, or a sentence at least half as long, is prose: the table has ended
_CELL_MAX = 40
_SENTENCE = re.compile(r"[。；;，,]")


def table(rows: list[Row], settings, heading: Callable[[str], bool] = lambda s: False
          ) -> Optional[tuple[int, int, list[Indicator]]]:
    """(first row, row after the table, its indicators), or None when the report holds none;
    a row that is a `heading` of the report ends the table too."""
    tpl = settings.template("project")
    if tpl is None:
        return None
    spec = tpl.group("indicators")
    start = _header_start(rows, spec)
    if start is None:
        return None
    end = next((r for r in range(start + 1, len(rows))
                if any(_is_prose(c) or heading(c.strip()) for c in rows[r] if c)), len(rows))
    region = rows[start:end]
    if stream.is_stream(region, replace(settings.rules.form, stream_min_rows=1)):  # a table inside prose is short
        region = stream.restack(region, tpl, settings.rules.form, settings.limits)
    read = project.indicator_table(Grid.from_rows(region), tpl, settings)
    return (start, end, read[0].indicators) if read and read[0].indicators else None


def _header_start(rows: list[Row], spec: dict) -> Optional[int]:
    """The first row of the indicator header: one naming the name and a value column with at least
    `_HEADER_MIN` columns, in that row or in the single cells of the rows after it."""
    for r, row in enumerate(rows):
        cells = [c for c in row if c and c.strip()]
        if not cells or not _names(cells[0], spec):
            continue
        window = cells if len(cells) > 1 else [c for x in rows[r:r + _WINDOW] for c in x if c and c.strip()]
        kinds = {k for c in window for k in _names(c, spec)[:1]}
        if len(kinds) >= _HEADER_MIN and "name" in kinds and {"target", "actual"} & kinds:
            return r
    return None


def _names(cell: str, spec: dict) -> tuple[str, ...]:
    return names_matching(label_key(cell), spec, project.IND_COLS) if len(cell) <= 20 else ()


def _is_prose(cell: str) -> bool:
    t = cell.strip()
    return len(t) > _CELL_MAX or (len(t) >= _CELL_MAX // 2 and bool(_SENTENCE.search(t)))

