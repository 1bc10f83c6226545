"""A 项目支出 form exported one cell per line (as copying from a PDF viewer gives it):
the cells are stacked back into the rows the project parser reads, using the
template's own labels to know where each block starts and how wide it is.

Blank cells are absent in such an export, so rows are rebuilt by what the
cells are: a fund row is its label and as many figures as the header has
columns; an indicator row is optional 一级/二级 values (from the template's
`levels`), a name, target, actual value, weight and score, and a reason when
the next cell reads as one.
"""
from __future__ import annotations

import re

from ..config import Template
from ..model import Row
from ..quantity import parse_figure
from .grid import label_key, matches

_FIG = re.compile(r"^[\s—\-–/]*$")
# a note printed under a label: （万元）, （20分）, （20分*执行率）
_UNIT_NOTE = re.compile(r"^[(（][^()（）]{1,12}[)）]$")
_MONEY_NOTE = re.compile(r"^[(（]\s*(?:万元|元|千元|亿元)\s*[)）]$")
_MONEY = re.compile(r"^\d+(?:\.\d+)?万元?$")


def is_stream(rows: list[Row]) -> bool:
    """Nearly every row holds one cell: the export lost its columns."""
    filled = [r for r in rows if any(c for c in r if c)]
    single = sum(1 for r in filled if sum(1 for c in r if c) == 1)
    return len(filled) >= 20 and single / len(filled) >= 0.85


def restack(rows: list[Row], tpl: Template) -> list[Row]:
    cells = [c.strip() for r in rows for c in r if c and c.strip()]
    g = tpl.group
    fields = tuple(a for v in g("fields").values() for a in v)
    fund_cols = ("initial", "budget", "executed", "weight", "rate", "score")
    fund_labels = {k: g("funds").get(k, ()) for k in fund_cols}
    fund_rows = g("funds").get("total", ()) + g("funds").get("sources", ())
    goal_cols = {k: g("goals").get(k, ()) for k in ("expected", "result")}
    ind_cols = {k: g("indicators").get(k, ()) for k in ("level1", "level2", "name", "target", "actual", "weight",
                                                          "score", "deviation", "sense", "measure")}
    # level values match as labels: 产出指标（50分） is 产出指标, 经济效益 指标 is 经济效益指标
    level1 = {label_key(v) for v in g("levels").get("level1", ())}
    level2 = {label_key(v) for v in g("levels").get("level2", ())}
    totals = g("total").get("label", ())
    is_ = lambda cell, aliases: matches(label_key(cell), aliases)
    out: list[Row] = []
    i = 0

    def header(groups: dict) -> list[str]:
        nonlocal i
        names = []
        while i < len(cells) and (any(is_(cells[i], a) for a in groups.values()) or (names and _UNIT_NOTE.match(cells[i]))):
            if not _UNIT_NOTE.match(cells[i]):
                names.append(cells[i])
            elif _MONEY_NOTE.match(cells[i]):
                names[-1] += cells[i]  # the money unit stays with the header (labels read past notes)
            i += 1
        return names

    while i < len(cells):
        c = cells[i]
        if is_(c, g("funds").get("block", ())) or any(is_(c, a) for a in fund_labels.values()):
            block = c if is_(c, g("funds").get("block", ())) else ""
            i += bool(block)
            names = header(fund_labels)
            while i < len(cells) and _UNIT_NOTE.match(cells[i]):
                block, i = block + cells[i], i + 1  # the block's unit, （万元）, printed under its label
            out.append([block, ""] + names)
            while i < len(cells) and is_(cells[i], fund_rows):
                label, i = cells[i], i + 1
                values = []
                # a source left blank has no cells at all: its figures end at the next label
                while i < len(cells) and len(values) < len(names) and _is_value(cells[i]):
                    values.append(cells[i])
                    i += 1
                out.append(["", label] + values)
            continue
        if is_(c, g("goals").get("block", ())):
            i += 1
            names = header(goal_cols)
            out.append([c] + names)
            texts = []
            while i < len(cells) and len(texts) < len(names) and not _is_label(cells[i], tpl):
                texts.append(cells[i])
                i += 1
            out.append([""] + texts)
            continue
        if any(is_(c, a) for a in ind_cols.values()) or (is_(c, g("indicators").get("block", ()))
                                                         and i + 1 < len(cells) and is_(cells[i + 1], ind_cols["level1"])):
            block = c if is_(c, g("indicators").get("block", ())) and not is_(c, ind_cols["name"]) else ""
            i += bool(block)
            names = header(ind_cols)
            kinds = [next(k for k, a in ind_cols.items() if is_(n, a)) for n in names]
            out.append([block] + names)
            l1 = l2 = ""
            seen_l1 = False
            while i < len(cells) and not is_(cells[i], totals):
                key = label_key(cells[i])
                ambiguous = key in level1 and key in level2
                nxt = label_key(cells[i + 1]) if i + 1 < len(cells) else ""
                if key in level1 and not (ambiguous and (l1 or seen_l1) and nxt not in level2):
                    l1, l2, i = cells[i], "", i + 1
                    seen_l1 = True
                    continue
                if key in level2:
                    l2, i = cells[i], i + 1
                    continue
                # the row's cells in the header's order (分值 may come before 年度指标值, a column be absent)
                row = [""] * (1 + len(kinds))
                for k, kind in enumerate(kinds):
                    row[1 + k] = {"level1": l1, "level2": l2}.get(kind, "")
                slots = [k for k, kind in enumerate(kinds) if kind not in ("level1", "level2", "deviation")]
                if not slots:
                    break  # a header of levels alone: nothing to read its rows by
                for k, cell in zip(slots, cells[i:i + len(slots)]):
                    row[1 + k] = cell
                i += len(slots)
                if "deviation" in kinds and i < len(cells) and _reads_as_reason(cells[i], tpl):
                    row[1 + kinds.index("deviation")], i = cells[i], i + 1
                out.append(row)
                l1 = l2 = ""
            continue
        if is_(c, totals):
            figs = []
            i += 1
            while i < len(cells) and parse_figure(cells[i]) is not None and len(figs) < 2:
                figs.append(cells[i])
                i += 1
            out.append([c] + figs)
            continue
        if is_(c, fields) and i + 1 < len(cells) and not _is_label(cells[i + 1], tpl):
            out.append([c, cells[i + 1]])
            i += 2
            continue
        out.append([c])
        i += 1
    return out


def _is_value(cell: str) -> bool:
    """A fund cell: a figure (200, 89.7%, 150万) or a dash for none."""
    return parse_figure(cell) is not None or bool(_FIG.match(cell)) or bool(_MONEY.match(cell))


def _is_label(cell: str, tpl: Template) -> bool:
    key = label_key(cell)
    return any(matches(key, aliases) for group in tpl.labels.values() for aliases in group.values())


def _reads_as_reason(cell: str, tpl: Template) -> bool:
    """A 偏差原因 is prose: long, or a sentence; an indicator name is a short label."""
    if _is_label(cell, tpl) or parse_figure(cell) is not None or _FIG.match(cell):
        return False
    return len(cell) > 14 or bool(re.search(r"[，。；,;]", cell))
