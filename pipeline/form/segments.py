"""The forms a document holds one after another: a page that begins inside the form before
it (its last indicator rows, 评价结论, the signatures) and then prints the whole next one, or a
mirror that serves two projects' forms on one page. Each form is read on its own, and the one
with most to check is the report (`form._most_complete`)."""
from __future__ import annotations

from typing import Optional

from ..config import Template
from ..model import Report, Row
from .grid import label_key, matches

# a title row is short: the form's name, its year, perhaps the department before it
_TITLE_MAX = 60
_GROUPS = ("fields", "funds", "indicators")


def forms(rows: list[Row], tpl: Template) -> list[tuple[int, int]]:
    """Row ranges, one per form: a row whose first cell is the form's title (部门预算项目支出绩效自评表
    (2023年度)) starts a form, when rows of the form's own labels stand before it."""
    title = label_key(tpl.title)
    continued = tuple(tpl.group("heading").get("continued", ()))
    starts = [r for r, row in enumerate(rows) if r > 0 and _is_title(_first(row), title, continued)]
    if not starts:
        return [(0, len(rows))]
    labels = tuple(a for g in _GROUPS for v in tpl.group(g).values() for a in v)
    first = _labels_seen(rows, labels)
    cuts = [r for r in starts if first is not None and r > first]
    bounds = [0] + cuts + [len(rows)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _first(row: Row) -> str:
    return next((c for c in row if c and c.strip()), "").strip()


def _is_title(cell: str, title: str, continued: tuple[str, ...]) -> bool:
    """The form's title row; a continuation's (…自评表（续表）: a `continued` word) goes on with the
    same form."""
    return 0 < len(cell) <= _TITLE_MAX and title in label_key(cell) and not any(w in cell for w in continued)


def _labels_seen(rows: list[Row], labels: tuple[str, ...]) -> Optional[int]:
    """The row by which two cells have been the form's labels (a table, not a page's heading and
    lead): a title row after it starts another form; None when there are not two."""
    found = 0
    for r, row in enumerate(rows):
        for cell in row:
            if cell and len(cell) <= 30 and matches(label_key(cell), labels):
                found += 1
                if found >= 2:
                    return r
    return None


def completeness(rep: Report) -> tuple[int, int]:
    """What a form gives to check: its indicators (twice) and fund figures, then its prose."""
    funds = sum(getattr(fr, c) is not None for fr in rep.funds
                for c in ("initial", "budget", "executed", "weight", "rate", "score"))
    return 2 * len(rep.indicators) + funds, sum(1 for s in rep.sections if s.text.strip())
