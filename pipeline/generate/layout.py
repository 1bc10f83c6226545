"""Where a form's cells merge, derived from the export's rows.

The tab-separated export flattens merged cells into blanks. A real form merges
them: a task's name, target, narrative and funds span its indicator rows; the
title spans the table; a label's blank neighbour widens it. The writers use
these spans to produce the merged cells readers must undo.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


def _line(row: list[str]) -> bool:
    """A line outside the table (title, unit note): one non-blank cell, in the first column."""
    return bool(row[0].strip()) and all(not c.strip() for c in row[1:])


def spans(rows: list[list[str]]) -> tuple[list[Span], int]:
    """Anchor cells with their spans, in reading order, and the table's width."""
    width = max((len(r) for r in rows), default=1)
    grid = [list(r) + [""] * (width - len(r)) for r in rows]
    covered = [[False] * width for _ in grid]
    out: list[Span] = []

    def take(r: int, c: int, down: int, across: int) -> None:
        out.append(Span(r, c, down, across, grid[r][c]))
        for k in range(r, r + down):
            for j in range(c, c + across):
                covered[k][j] = True

    r = 0
    while r < len(grid):
        if _line(grid[r]):
            take(r, 0, 1, width)
            r += 1
            continue
        end = r + 1  # rows continuing this one: first cell blank
        while end < len(grid) and not grid[end][0].strip() and not _line(grid[end]):
            end += 1
        for c in range(width):
            if covered[r][c]:
                continue
            blank_below = all(not grid[k][c].strip() for k in range(r + 1, end))
            down = end - r if grid[r][c].strip() and blank_below else 1
            across = 1
            while grid[r][c].strip() and c + across < width and not covered[r][c + across] and \
                    all(not grid[k][c + across].strip() for k in range(r, r + down)):
                across += 1
            take(r, c, down, across)
        for k in range(r + 1, end):
            for c in range(width):
                if not covered[k][c]:
                    take(k, c, 1, 1)
        r = end
    out.sort(key=lambda s: (s.row, s.col))
    return out, width


def paragraphs(cell: str) -> list[str]:
    """A cell's paragraphs: <p> fragments, or lines."""
    import re

    parts = re.findall(r"<p>(.*?)</p>", cell, flags=re.S)
    if parts:
        return [p.strip() for p in parts if p.strip()]
    return [x for x in cell.split("\n") if x.strip()] or [cell]
