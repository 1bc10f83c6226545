"""The tab-separated export archives publish: one table row per line.

Cells may hold `<p>` fragments; blank lines separate blocks; rows are ragged.
Lines without a tab are text outside the table (attachment number, title,
unit line) and become one-cell rows, unless they hold '|'-separated cells.

Web pages and document mirrors also serve a table as '|'-terminated cells
(`cell |`), one or several to a line, a markdown row opening with '| ', and a
run of bare separators (`|||||`) for the empty cells that end a row. Where
such row ends are there, the cells are put back into rows of the table's
width; where they are not, each line stays a row of its own and the form
parser stacks the cells back by what they are.
"""
from __future__ import annotations

import re
from collections import Counter

from ..model import Row
from .text import clean_cell

# a markdown alignment row: | --- | :---: |
_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")
# a markdown row's opening separator followed by a cell's text
_OPENER = re.compile(r"^\|\s*[^|\s]")


def parse(text: str) -> list[Row]:
    lines = text.splitlines()
    if _cell_terminated(lines):
        return _pipe_rows(lines)
    spaced = _space_separated(lines)
    if spaced is not None:
        return spaced
    rows: list[Row] = []
    for line in lines:
        if _RULE.match(line.strip()):
            continue  # a markdown alignment row
        if line.strip() == "|":
            rows.append([""])  # a cell-per-line export's empty cell: kept, so that the cells after it stand where they did
            continue
        if "\t" not in line and line.count("|") >= 2:  # a table flattened into '|'-separated lines
            line = line.strip().strip("|").replace("|", "\t")
        elif "\t" not in line and line.rstrip().endswith("|"):
            line = line.rstrip()[:-1]  # one cell and its separator
        cells = [clean_cell(c) for c in line.split("\t")]
        if any(cells):
            rows.append(cells)
    return rows


def _space_separated(lines: list[str]) -> list[Row] | None:
    """A table a mirror flattened into a line or two of space-separated cells: one cell a row.
    None when the text is not that (prose has few spaces, and long runs between them)."""
    content = [x for x in lines if x.strip()]
    if not content or len(content) > 5 or any("\t" in x or "|" in x for x in content):
        return None
    tokens = [t for x in content for t in x.split()]
    if len(tokens) < 40 or sorted(len(t) for t in tokens)[len(tokens) // 2] > 12:
        return None
    return [[c] for c in (clean_cell(t) for t in tokens) if c]


def _cell_terminated(lines: list[str]) -> bool:
    """Most lines end with a separator, and some end a row with a run of empty cells."""
    content = [x.strip() for x in lines if x.strip() and "\t" not in x]
    if len(content) < 8:
        return False
    ended = sum(1 for x in content if x.endswith("|"))
    runs = sum(1 for x in content if re.search(r"\|\s*\|\s*$", x))
    single = sum(1 for x in content if x.endswith("|") and x.count("|") == 1)
    return ended >= 0.5 * len(content) and runs >= 3 and single >= 3


def _pipe_rows(lines: list[str]) -> list[Row]:
    """Cells gathered into rows: a row ends at a run of two or more empty cells, or with a
    line that is a whole row by itself; rows the export ran together are cut at the usual width."""
    markdown = sum(1 for x in lines if _OPENER.match(x.strip())) >= 3
    rows: list[tuple[list[str], bool]] = []  # (cells, ended by a separator run)
    cur: list[str] = []
    for line in lines:
        s = line.strip()
        if not s or _RULE.match(s):
            continue
        if not s.endswith("|"):
            if cur:
                rows.append((cur, False))
                cur = []
            rows.append(([s], False))  # text outside the table: title, metadata, a cut-off cell
            continue
        if markdown and s.startswith("|"):
            s = s[1:]  # the row's opening separator, not an empty cell
        cells = [c.strip() for c in s.split("|")[:-1]] if s else []
        trailing = len(cells) - len(_rstrip(cells))
        whole = not cur and len(_rstrip(cells)) >= 2
        cur.extend(cells)
        if trailing >= 2 or whole:
            rows.append((cur, trailing >= 2))
            cur = []
    if cur:
        rows.append((cur, False))
    width = _width(rows)
    out: list[Row] = []
    for cells, _ in rows:
        chunks = [cells[k:k + width] for k in range(0, len(cells), width)] if width and len(cells) > width else [cells]
        for chunk in chunks:
            row = [clean_cell(c) for c in _rstrip(chunk)]
            if any(row):
                out.append(row)
    return out


def _rstrip(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _width(rows: list[tuple[list[str], bool]]) -> int:
    """The table's width: the cell count most rows ended by a separator run share (0: none)."""
    counts = Counter(len(cells) for cells, ended in rows if ended and len(cells) >= 3)
    if not counts:
        return 0
    width, n = counts.most_common(1)[0]
    return width if n >= 3 else 0
