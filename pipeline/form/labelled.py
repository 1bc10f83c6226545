"""A fund block printed as label and figure cells inside a narrative 自评报告: 计划安排资金（万元） |
170 | 实际到位资金（万元） | 170 | 实际支出（万元） | 179.6 | 结余（万元） | 0, the 项目基本概况 of
a 财政支出项目绩效评价自评报告 (one cell per line, or a row of them).

A figure there has no unit of its own, so it never becomes a claim, and the prose budget reader
cannot see it. Here a label of the template's `[amounts]` group, standing alone in its cell,
takes the bare number in the cell after it (a unit note such as （万元） on a line of its own
between them is skipped). The first figure a label takes is the block's; a label whose unit is
not the report's money unit is left unread rather than converted.
"""
from __future__ import annotations

import re
from typing import Optional

from ..model import Figure, Row
from ..quantity import parse_figure
from .grid import label_key, matches

# a unit note in or after the label: （万元）, (元)
_UNIT_NOTE = re.compile(r"[(（]\s*(亿元|万元|千元|元)\s*[)）]")
# a bare amount: digits, one decimal point, perhaps a minus or thousands separators (no unit, no %)
_BARE = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")
# how far after its label a figure may stand (the label's unit note between them)
_REACH = 2


def amounts(rows: list[Row], spec: dict[str, tuple[str, ...]], money_unit: str, limits=None
            ) -> dict[str, Figure]:
    """Budget key -> the figure its label cell is followed by, for each key of `spec` found."""
    cells = [c.strip() for row in rows for c in row if c and c.strip()]
    found: dict[str, Figure] = {}
    for i, cell in enumerate(cells):
        key = _key_of(cell, spec)
        if key is None or key in found:
            continue
        unit = _unit_of(cell)
        fig, unit = _figure_after(cells, i, unit, limits)
        if fig is not None and (unit or money_unit) == money_unit:
            found[key] = fig
    return found


def _key_of(cell: str, spec: dict[str, tuple[str, ...]]) -> Optional[str]:
    """The key a label cell names, its unit note aside; a longer text is no label."""
    text = _UNIT_NOTE.sub("", cell)
    if len(text) > 12:
        return None
    k = label_key(text)
    return next((key for key, labels in spec.items() if matches(k, labels)), None)


def _unit_of(cell: str) -> Optional[str]:
    m = _UNIT_NOTE.search(cell)
    return m.group(1) if m else None


def _figure_after(cells: list[str], i: int, unit: Optional[str], limits) -> tuple[Optional[Figure], Optional[str]]:
    """The bare number in one of the next cells, past the label's unit note; none when another
    label or text comes first."""
    for cell in cells[i + 1:i + 1 + _REACH]:
        note = _UNIT_NOTE.fullmatch(cell)
        if note:
            unit = unit or note.group(1)
            continue
        if _BARE.fullmatch(cell.replace(" ", "")):
            return parse_figure(cell.replace(",", ""), limits), unit
        break
    return None, unit
