"""部门整体支出绩效自评表 -> Report.

The form has a budget block of six figures, a 年度目标 block, a 主要任务
table where one task spans several indicator rows (its narrative and funds
sit in the first), and narrative rows (重点项目绩效情况, 部门整体绩效, 存在问题,
改进措施). Each block is found by its labels in configs/templates. Some
provinces (Chongqing) print no task column: one table of 指标名称, 年初指标值,
全年完成值, 指标权重, 指标得分, under a budget header row with its figures below.
"""
from __future__ import annotations

import re
from typing import Optional

from ..config import Template
from ..errors import TruncatedForm
from ..limits import Limits
from ..model import Budget, Document, Figure, Indicator, Report, Section, Task
from ..quantity import parse_figure, parse_quantity
from .common import (department_from_title, goal_section, make_indicator, money_unit, title_of,
                     value_right, year_of)
from .grid import Grid, label_key, match_prefix, matches, names_matching

BUDGET_KEYS = ("adjusted", "initial", "actual", "adjustment", "completion_rate", "adjustment_rate")
TASK_COLUMNS = ("task", "indicator", "value", "narrative", "expected", "funds", "target", "weight", "score")


def parse(doc: Document, tpl: Template, settings) -> Report:
    grid = Grid.from_rows(doc.rows)
    rep = Report(template=tpl.name, kind=tpl.kind)
    labels = settings.memo(f"form.department.labels.{tpl.name}", lambda: _all_labels(tpl))
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
            if "task" not in tasks_hdr[1]:  # no task narrates the indicators: the year's 完成情况 does
                for ind in rep.indicators:
                    ind.pool = goal.name
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
                setattr(b, name, _figure_right(cells, i, limits) or _figure_below(grid, r, i, limits))
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


def _figure_below(grid: Grid, r: int, i: int, limits: Limits) -> Optional[Figure]:
    """The figure under the i-th filled cell of a header row of labels (部门预算执行情况 | 年初预算数 |
    全年预算数 | 全年执行数 over 820 | 860 | 817) in the next filled row. A row with a figure under
    each label (the caption over nothing) is read right to left, as a flattened page, which drops
    the empty cell under the caption, still holds it; one with fewer, by column."""
    below = next((k for k in range(r + 1, min(r + 3, len(grid.rows))) if grid.nonempty(k)), None)
    if below is None:
        return None
    labels, figures = grid.nonempty(r), grid.nonempty(below)
    if len(labels) - 1 <= len(figures) <= len(labels):
        k = i - (len(labels) - len(figures))
        return parse_figure(figures[k][1], limits) if k >= 0 else None
    return parse_figure(grid.cell(below, labels[i][0]), limits)


# a rate as a budget header states it (76%, 100%), not the tail of a longer number
_RATE = re.compile(r"(?<![\d.])(?:100|[1-9]?\d)(?:\.\d{1,2})?%")
# how many different budget labels the run before it must hold to be the block's header run
# together, the longest run looked at, and the stray characters OCR may leave before the rate ('O76%')
_HEADER_LABELS, _HEADER_RUN, _STRAY = 3, 80, 2


def _glued_header_rate(b: Budget, spec: dict, text: str, limits: Limits) -> None:
    """The 执行率 of a budget header run together with its figures, as doc-sharing OCR serves
    Chongqing's form ('年初预算数全年预算数全年执行数执行率(%)执行率权重执行率得分(分)O76%107.6'): the
    amounts are often lost, the rate is the percentage right after the labels."""
    if b.completion_rate is not None:
        return
    rate_labels = [a for a in spec.get("completion_rate", ()) if len(a) >= 3]
    others = [a for k in ("initial", "adjusted", "actual") for a in spec.get(k, ()) if len(a) >= 4]
    for m in _RATE.finditer(text):
        run = label_key(_labels_before(text, m.start()))
        found = {a for a in others if a in run}
        if any(a in run for a in rate_labels) and len(found) + 1 >= _HEADER_LABELS:
            b.completion_rate = parse_figure(m.group(), limits)
            return


def _labels_before(text: str, end: int) -> str:
    """The text without digits that ends right before `end`, past up to `_STRAY` stray characters
    (neither digits nor Chinese); at most `_HEADER_RUN` characters of it."""
    k = end
    while k > 0 and end - k < _STRAY and not text[k - 1].isdigit() and not "\u4e00" <= text[k - 1] <= "\u9fff":
        k -= 1
    start = k
    while start > 0 and k - start < _HEADER_RUN and not text[start - 1].isdigit():
        start -= 1
    return text[start:k]


def _glued_budget(b: Budget, spec: dict, text: str, limits: Limits) -> None:
    """A label and its figure in one cell ('预算完成率96.5%'), as OCR and some exports glue them."""
    _glued_header_rate(b, spec, text, limits)
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
    """The header of the task table (主要任务 | 关键指标 | …), or else of an indicator table with no
    task column (指标名称 | 年初指标值 | 全年完成值 | …: the whole department is its one task)."""
    spec = tpl.group("tasks")
    plain = None
    for r in range(len(grid.rows)):
        cols = _columns(grid, r, spec)
        if "task" in cols and "indicator" in cols and len(cols) >= 3:
            return r, cols
        if plain is None and "indicator" in cols and "value" in cols and len(cols) >= 3:
            plain = (r, cols)
    return plain


def _columns(grid: Grid, r: int, spec: dict) -> dict[str, int]:
    cols: dict[str, int] = {}
    for c, t in grid.nonempty(r):
        key = label_key(t)
        for name in names_matching(key, spec, TASK_COLUMNS):
            if name not in cols:
                cols[name] = c
                break
    return cols


def _tasks(grid: Grid, tpl: Template, hdr: tuple[int, dict[str, int]], rep: Report, settings) -> int:
    """Walk the task table; returns the row where the narrative rows begin."""
    r0, cols = hdr
    ends = tuple(a for aliases in tpl.group("sections").values() for a in aliases)
    heads = [c for c, _ in grid.nonempty(r0)]
    task: Optional[Task] = None
    r = r0 + 1
    while r < len(grid.rows):
        j, first = grid.first(r)
        if matches(label_key(first), ends):
            break
        row = _realigned(grid, r, heads, cols) if "task" not in cols else None
        get = lambda r, name: ((row.get(cols[name], "") if row is not None else grid.cell(r, cols[name])).strip()
                               if name in cols else "")
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
        if "task" not in cols and ind and not raw and not get(r, "target"):
            r += 1
            continue  # nothing but a name under a table of figures: a heading, the text below the table
        if ind or raw:
            if not ind and task.indicators and not task.indicators[-1].raw:
                prev = task.indicators.pop()
                rep.indicators.remove(prev)
                ind = prev.name
            iid = f"I{len(rep.indicators) + 1}"
            indicator = _with_columns(make_indicator(iid, task.name, ind, raw, settings),
                                      get(r, "target"), get(r, "weight"), get(r, "score"), settings)
            task.indicators.append(indicator)
            rep.indicators.append(indicator)
        r += 1
    return r


def _realigned(grid: Grid, r: int, heads: list[int], cols: dict[str, int]) -> Optional[dict[int, str]]:
    """A row of an indicator table without tasks that is shorter than its header, as a flattened
    page leaves it (the empty 调整指标值 and 计量单位 cells dropped): the name from the left, the
    rest from the right (得分系数, 权重, 得分 and 是否核心指标 are always filled), as {column: text};
    None for a row of the header's width."""
    cells = grid.nonempty(r)
    if not grid.lengths or grid.lengths[r] > heads[-1]:  # it reaches the header's last column: by column
        return None
    after = [c for c in heads if c > cols["indicator"]]
    if not cells or len(cells) - 1 > len(after):
        return None
    out = {cols["indicator"]: cells[0][1]}
    out.update(zip(after[len(after) - (len(cells) - 1):], (t for _, t in cells[1:])))
    return out


def _with_columns(ind: Indicator, target: str, weight: str, score: str, settings) -> Indicator:
    """The target, weight and score an indicator table without tasks states beside the value."""
    if target:
        ind.target_raw, ind.target = target, parse_quantity(target, settings)
    ind.weight = parse_figure(weight, settings.limits) if weight else None
    ind.score = parse_figure(score, settings.limits) if score else None
    return ind


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

