"""部门整体支出绩效自评表 -> Report.

The form has a budget block of six figures, a 年度目标 block, a 主要任务
table where one task spans several indicator rows (its narrative and funds
sit in the first), and narrative rows (重点项目绩效情况, 部门整体绩效, 存在问题,
改进措施). Each block is found by its labels in configs/templates.
"""
from __future__ import annotations

import re
from typing import Optional

from ..config import Template
from ..errors import TruncatedForm
from ..limits import Limits
from ..model import Budget, Document, Figure, Report, Section, Task
from ..quantity import parse_figure
from .common import (department_from_title, goal_section, make_indicator, money_unit, title_of,
                     value_right, year_of)
from .grid import Grid, label_key, match_prefix, matches, names_matching

BUDGET_KEYS = ("adjusted", "initial", "actual", "adjustment", "completion_rate", "adjustment_rate")
TASK_COLUMNS = ("task", "indicator", "value", "narrative", "expected", "funds")


def parse(doc: Document, tpl: Template, settings) -> Report:
    grid = Grid.from_rows(doc.rows)
    rep = Report(template=tpl.name, kind=tpl.kind)
    labels = _all_labels(tpl)
    first = next((r for r in range(len(grid.rows)) if any(matches(label_key(t), labels) for _, t in grid.nonempty(r))), 0)
    rep.title = title_of(grid, first, tpl.group("preamble").get("skip", ()), tpl.title, tpl.group("heading")["words"])

    tasks_hdr = _task_header(grid, tpl)
    goals_at = grid.find(tpl.group("goals").get("block", ()), first_only=True)
    head_stop = tasks_hdr[0] if tasks_hdr else len(grid.rows)

    f = tpl.group("fields")
    rep.department = value_right(grid, f.get("department", ()), stop=head_stop) or None
    rep.year = year_of(value_right(grid, f.get("year", ()), stop=head_stop)) or year_of(rep.title)
    if not rep.department and rep.title:
        rep.department = department_from_title(rep.title, tpl.group("heading").get("department", ()))
    unit = money_unit(grid, range(0, head_stop)) or money_unit(grid)
    if unit is None:
        rep.warnings.append("未注明金额单位，按万元处理")
    rep.money_unit = unit or "万元"

    if tasks_hdr is None:
        raise TruncatedForm(doc.path, ("未找到主要任务及关键指标表", "no key-indicator table"))
    end = _tasks(grid, tpl, tasks_hdr, rep, settings)
    # the budget block may stand anywhere outside the task table (blocks get reordered)
    outside = [r for r in range(len(grid.rows)) if not tasks_hdr[0] <= r < end]
    rep.budget = _budget(grid, tpl, outside, settings.limits)

    if goals_at:
        stop = next((r for r in range(goals_at[0] + 2, len(grid.rows))
                     if r == tasks_hdr[0] or grid.find(_budget_labels(tpl), r, r + 1)), len(grid.rows))
        goal = goal_section(grid, tpl.group("goals"), goals_at[0], stop, within=2)
        if goal:
            rep.sections.insert(0, goal)
    if not rep.indicators:
        raise TruncatedForm(doc.path, ("关键指标表中没有指标行", "no indicator rows"))
    for task in rep.tasks:
        if task.narrative:
            rep.sections.append(Section(task.name, "task", task.narrative))
    _narrative_rows(grid, tpl, outside, rep)
    if all(getattr(rep.budget, k) is None for k in BUDGET_KEYS):
        rep.warnings.append("未找到部门资金情况")
    return rep


def _all_labels(tpl: Template) -> tuple[str, ...]:
    out: list[str] = []
    for group in ("fields", "budget", "goals", "tasks", "sections"):
        for aliases in tpl.group(group).values():
            out.extend(a for a in aliases if not a.endswith("*"))
    return tuple(out)


def _budget_labels(tpl: Template) -> tuple[str, ...]:
    return tuple(a for k, aliases in tpl.group("budget").items() if k != "parts" for a in aliases)


def _budget(grid: Grid, tpl: Template, rows: list[int], limits: Limits) -> Budget:
    b = Budget()
    spec = tpl.group("budget")
    for r in rows:
        cells = grid.nonempty(r)
        for i, (c, t) in enumerate(cells):
            key = label_key(t)
            name = next(iter(names_matching(key, spec, BUDGET_KEYS)), None)
            if name is not None and getattr(b, name) is None:
                setattr(b, name, _figure_right(cells, i, limits))
                continue
            if name is None and matches(key, spec.get("parts", ())):
                fig = _figure_right(cells, i, limits)
                if fig is not None:
                    b.parts.append((t.strip(), fig))
                continue
            if name is None:
                _glued_budget(b, spec, t, limits)
    return b


def _figure_right(cells: list[tuple[int, str]], i: int, limits: Limits) -> Optional[Figure]:
    """The figure in the filled cell after the i-th, if it holds one."""
    return parse_figure(cells[i + 1][1], limits) if i + 1 < len(cells) else None


def _glued_budget(b: Budget, spec: dict, text: str, limits: Limits) -> None:
    """A label and its figure in one cell ('预算完成率96.5%'), as OCR and some exports glue them."""
    for k in BUDGET_KEYS:
        if getattr(b, k) is not None:
            continue
        hit = match_prefix(text, spec.get(k, ()))
        if hit:
            fig = parse_figure(hit[1], limits)
            if fig is not None:
                setattr(b, k, fig)
                return


def _task_header(grid: Grid, tpl: Template) -> Optional[tuple[int, dict[str, int]]]:
    spec = tpl.group("tasks")
    for r in range(len(grid.rows)):
        cols: dict[str, int] = {}
        for c, t in grid.nonempty(r):
            key = label_key(t)
            for name in names_matching(key, spec, TASK_COLUMNS):
                if name not in cols:
                    cols[name] = c
                    break
        if "task" in cols and "indicator" in cols and len(cols) >= 3:
            return r, cols
    return None


def _tasks(grid: Grid, tpl: Template, hdr: tuple[int, dict[str, int]], rep: Report, settings) -> int:
    """Walk the task table; returns the row where the narrative rows begin."""
    r0, cols = hdr
    ends = tuple(a for aliases in tpl.group("sections").values() for a in aliases)
    get = lambda r, name: grid.cell(r, cols[name]).strip() if name in cols else ""
    task: Optional[Task] = None
    r = r0 + 1
    while r < len(grid.rows):
        j, first = grid.first(r)
        if matches(label_key(first), ends):
            break
        name, ind, raw = get(r, "task"), get(r, "indicator"), get(r, "value")
        cells = grid.nonempty(r)
        if task is not None and len(cells) <= 2 and cells[-1][0] < min(2, cols.get("indicator", 99)):
            # a flattened page drops the merged cells: a short row is (indicator, value)
            name, ind, raw = "", cells[0][1].strip(), (cells[1][1].strip() if len(cells) > 1 else "")
        if name and (task is None or label_key(name) != label_key(task.name)):
            task = Task(re.sub(r"\s+", " ", name), get(r, "expected"), get(r, "narrative"),
                        parse_figure(get(r, "funds"), settings.limits))
            rep.tasks.append(task)
        elif task is not None and get(r, "narrative") and get(r, "narrative") not in task.narrative:
            task.narrative = (task.narrative + "\n" + get(r, "narrative")).strip()
        if task is None and (ind or raw):
            task = Task("", "", "", None)
            rep.tasks.append(task)
        if ind or raw:
            if not ind and task.indicators and not task.indicators[-1].raw:
                prev = task.indicators.pop()
                rep.indicators.remove(prev)
                ind = prev.name
            iid = f"I{len(rep.indicators) + 1}"
            indicator = make_indicator(iid, task.name, ind, raw, settings)
            task.indicators.append(indicator)
            rep.indicators.append(indicator)
        r += 1
    return r


def _narrative_rows(grid: Grid, tpl: Template, rows: list[int], rep: Report) -> None:
    kinds = tpl.group("sections")
    for r in rows:
        cells = grid.nonempty(r)
        if not cells:
            continue
        key = label_key(cells[0][1])
        kind = next(iter(names_matching(key, kinds)), None)
        if kind is None:
            continue
        text = "\n".join(t.strip() for _, t in cells[1:])
        if text:
            rep.sections.append(Section(cells[0][1].strip(), kind, text))

