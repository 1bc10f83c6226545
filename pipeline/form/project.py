"""项目支出绩效自评表 (and provincial variants) -> Report.

Blocks, each found by the labels of its template file:
- fields: 项目名称, 主管部门, 实施单位;
- funds: a header row naming 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分,
  then one row per source (年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金);
- the annual target: 预期目标 | 实际完成情况 (the narrative the indicators are checked against);
- indicators: 一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因; the level
  cells are merged down, so a blank carries the one above;
- 总分: the weight and score totals.
A cell that glues two figures (OCR: '12期10') is split when the split is
unambiguous; otherwise the report says what could not be read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Optional

from ..config import Template
from ..errors import TruncatedForm
from ..limits import Limits
from ..model import Budget, Document, Figure, FundRow, Indicator, Report, Section
from ..quantity import parse_figure, parse_quantity, scanner
from .common import REPORT_HEADING, department_from_fields, goal_section, money_unit, squash_label, title_of, unit_from_name, value_right, year_of
from .grid import Grid, label_key, matches, names_matching

FUND_COLS = ("initial", "budget", "executed", "weight", "rate", "score")
COLUMNS_MONEY = ("initial", "budget", "executed")
IND_COLS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation", "sense", "measure")
_BLANK = re.compile(r"^[\s—\-–/／\\]*$")
# the template's numbering before a name: 指标1：培训人次, or 指标1培训人次 where a PDF copy lost
# the colon (then only when a Chinese character follows, so 指标1 alone stays whole)
_NAME_PREFIX = re.compile(r"^\s*指标\s*\d+\s*(?:[:：]\s*|(?=[\u4e00-\u9fff]))")
# a name that is the template's numbering alone (指标2, 指标 3：), matched whole on the stripped name
# (one run of spaces at most before the colon: linear on any text)
_NUMBER_ONLY = re.compile(r"指标\s*\d+\s*[:：]?")
_GLUED = re.compile(r"^(?P<head>.*?\D)(?P<tail>\d+(?:\.\d+)?)$")
# a money cell with a bare multiplier: 150万, 125.25万元 (the form's unit is 万元 or 元)
_WAN = re.compile(r"^\s*(?P<num>\d+(?:\.\d+)?)\s*万元?\s*$")
_YEAR_OF_FORM = re.compile(r"((?:19|20)\d{2})\s*年度")
_PROSE_MIN = 40
_FORM_RESIDUE = 3  # labels of the form in one sparse paragraph: the form's cells run together
_PROSE_MARKS = 2.5  # sentence marks per 100 characters below which a paragraph is sparse
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TO_UNIT = {"万元": 1.0, "元": 10000.0, "千元": 10.0, "亿元": 0.0001}


def _fig(text: str, limits: Limits) -> Optional[Figure]:
    return None if _BLANK.match(text or "") else parse_figure(text, limits)


def _money(text: str, unit: str, limits: Limits) -> Optional[Figure]:
    """A fund cell: a plain figure, or one with a bare 万 (150万) read in the form's money unit."""
    fig = _fig(text, limits)
    m = _WAN.match(text or "") if fig is None else None
    if m is None:
        return fig
    base = parse_figure(m.group("num"), limits)
    if base is None:  # more digits than the limits allow: no figure, as for a plain cell
        return None
    value = round(base.value * _TO_UNIT.get(unit, 1.0), 6)
    return Figure(value, text.strip(), base.decimals if unit == "万元" else max(0, base.decimals - 4))


def _header(grid: Grid, spec: dict, names: tuple[str, ...], need: int, start: int = 0, spans: bool = False):
    """The first row naming at least `need` of the columns: (row, {column name: index}).

    With `spans`, a cell naming a column that a later cell of the row names again is the label
    of a merged cell over the ones after it (年度预算数（万元） over 年初预算 | 调整后预算数 |
    预算执行数), which a flattened page prints in the row: the figures below start one cell
    earlier, so the columns after it move left by one."""
    for r in range(start, len(grid.rows)):
        found: list[tuple[int, str]] = []
        for c, t in grid.nonempty(r):
            found.extend((c, n) for n in names_matching(label_key(t), spec, names)[:1])
        if spans:
            found = _without_span(found)
        cols: dict[str, int] = {}
        for c, n in found:
            cols.setdefault(n, c)
        if len(cols) >= need:
            return r, cols
    return None


def _without_span(found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    kinds = [n for _, n in found]
    for i, n in enumerate(kinds):
        if n in kinds[i + 1:]:
            at = found[i][0]
            return found[:i] + [(c - 1 if c > at else c, k) for c, k in found[i + 1:]]
    return found


def _department_in_text(grid: Grid, settings) -> Optional[str]:
    """The department a head field names when its cells ran together (主管部门中江县水利局实施单位…)
    or stand apart from its label, read as the prose reader reads a form's head."""
    fallback = settings.template("narrative")
    return department_from_fields(grid.text(), fallback.group("heading") if fallback is not None else {})


def parse(doc: Document, tpl: Template, settings) -> Report:
    grid = Grid.from_rows(doc.rows)
    rep = Report(template=tpl.name, kind=tpl.kind)
    f = tpl.group("fields")
    fund_spec, goal_spec, ind_spec = tpl.group("funds"), tpl.group("goals"), tpl.group("indicators")
    funds_hdr = _header(grid, fund_spec, FUND_COLS, 2, spans=True)
    ind_hdr = _ind_header(grid, ind_spec)
    first = min(x[0] for x in (funds_hdr, ind_hdr, (len(grid.rows), None)) if x is not None)
    label_rows = [r for r in range(first) if grid.find(tuple(a for v in f.values() for a in v), r, r + 1)]
    rep.title = title_of(grid, min(label_rows + [first]), tpl.group("preamble").get("skip", ()), tpl.title,
                         tpl.group("heading")["words"])
    labels = tuple(a for v in f.values() for a in v)
    rep.fields["project"] = value_right(grid, f.get("project", ()), first, labels)
    rep.fields["implementer"] = value_right(grid, f.get("implementer", ()), first, labels)
    rep.department = (value_right(grid, f.get("department", ()), first, labels) or rep.fields["implementer"]
                      or _department_in_text(grid, settings))
    rep.year = (year_of(value_right(grid, f.get("year", ()), first)) or year_of(rep.title)
                or _evaluated_year(grid, first) or year_of(grid.text()[:400]))
    unit = money_unit(grid, range(0, (funds_hdr[0] + 1) if funds_hdr else first)) or money_unit(grid)
    if unit is None:
        rep.warnings.append("未注明金额单位，按万元处理")
    rep.money_unit = unit or "万元"
    ind_stop = ind_hdr[0] if ind_hdr is not None else len(grid.rows)
    if funds_hdr is not None:
        rep.funds = _funds(grid, fund_spec, funds_hdr, ind_stop, rep, settings.limits)
    total = next((fr for fr in rep.funds if fr.total), None)
    if total is not None and total.weight is None and "weight" not in funds_hdr[1]:
        total.weight = _points_in_head(grid, funds_hdr[0])
    if total is not None:
        rep.budget = Budget(initial=total.initial, adjusted=total.budget, actual=total.executed,
                            completion_rate=total.rate)
    goal_at = grid.find(goal_spec.get("block", ()), stop=ind_stop)
    goal = goal_section(grid, goal_spec, goal_at[0] if goal_at else None, ind_stop)
    pool = None
    if goal:
        pool = goal.name
        rep.sections.append(goal)
    plan = _goal_plan(grid, goal_at, goal_spec, ind_stop)
    if plan:
        rep.sections.append(Section(plan[0], "plan", plan[1]))
    rep.sections.extend(_lone_texts(grid, goal_spec, goal_at if not (goal or plan) else None, ind_stop))
    # with no indicator table, the prose may go on after the fund block (a page of a glued form)
    below = funds_hdr[0] + 1 if funds_hdr is not None and ind_hdr is None else len(grid.rows)
    above = _prose(grid, range(min(label_rows + [first])), tpl)
    # a form run together states its 年度总体目标 in the paragraph above its table: the indicators' pool
    pool = pool or next((s.name for s in above if s.kind == "goal"), None)
    if ind_hdr is not None:
        total = tpl.group("total")
        if "actual" not in ind_hdr[1] and "target" in ind_hdr[1]:
            # a target table (绩效目标批复表): its 指标值 is the value stated, checked against the target text
            pool = pool or next((s.name for s in rep.sections if s.kind == "plan"), None)
        below = _indicators(grid, ind_spec, ind_hdr, total, rep, pool,
                            tpl.group("levels"), settings, tpl.title)
    rep.sections[:0] = above
    rep.sections.extend(_prose(grid, range(below, len(grid.rows)), tpl))
    _partial(doc, rep, ind_hdr is not None)
    return rep


def _prose(grid: Grid, rows: range, tpl: Template) -> list[Section]:
    """Paragraphs above the form (a 自评综述 a page prints before its table) or below it (the
    自评报告 that follows it): narrative to check.

    A paragraph holding several of the form's labels is the form run together (an OCR or a
    mirror's export): only the text between the 年度总体目标 label and the indicator table is prose."""
    labels = sorted({a for g in ("fields", "funds", "goals", "indicators", "total", "levels") for v in tpl.group(g).values()
                     for a in v if not a.endswith("*") and len(a) >= 3}, key=len, reverse=True)
    notes = tpl.group("total").get("notes", ())
    out = []
    for r in rows:
        cells = grid.nonempty(r)
        text = cells[0][1].strip() if len(cells) == 1 else ""
        if len(text) < _PROSE_MIN or not re.search(r"[。；;，,]", text) or not re.search(r"\d", text):
            continue
        if any(text.startswith(n) and text[len(n):len(n) + 1] in (":", "：") for n in notes):
            continue  # 注：… the form's footnote on how it is filled in
        if sum(1 for a in labels if a in text) >= _FORM_RESIDUE:
            # the form run together: its annual target is the prose in it; without one, text with
            # the sentence marks of prose is kept, the cells of a sparse one are not
            goal = _goal_in_run(text, tpl)
            if goal:
                out.append(Section(goal[0], "goal", goal[1]))
            if goal or _sparse(text):
                continue
        head = re.match(r"^([^，。；:：,]{2,20})[:：]", text)
        out.append(Section(head.group(1) if head else "综述", "narrative", text))
    return out


def _lone_texts(grid: Grid, spec: dict, goal_at: Optional[tuple[int, int]], stop: int) -> list[Section]:
    """Texts a form gives a label's cell to itself, without a 预期目标 | 实际完成情况 header: the
    year's target (年度绩效目标（文字） | 主体班培训280人次；…, a plan) when no goal block was read,
    and what was done (项目实施内容及过程概述 | 购买13台电脑…, `[goals] summary`)."""
    out = []
    for at, kind in ((goal_at, "plan"), (_numbered_label(grid, spec.get("summary", ()), stop), "goal")):
        if at is None or at[0] >= stop:
            continue
        right = grid.right_of(*at)
        text = right[0][1].strip() if right else ""
        if len(text) >= _LONE_MIN and re.search(r"\d", text) and not matches(label_key(text), spec.get("expected", ()) + spec.get("result", ())):
            out.append(Section(squash_label(grid.cell(*at)), kind, text))
    return out


_LONE_MIN = 8


def _numbered_label(grid: Grid, aliases: tuple[str, ...], stop: int) -> Optional[tuple[int, int]]:
    """The first cell naming one of the labels, its list number (2.) aside."""
    if not aliases:
        return None
    for r in range(min(stop, len(grid.rows))):
        for c, t in grid.nonempty(r):
            if len(t) <= 30 and matches(_LEADING_NUMBER.sub("", label_key(t)), aliases):
                return r, c
    return None


_LEADING_NUMBER = re.compile(r"^\d{1,2}")


def _sparse(text: str) -> bool:
    """Few sentence marks for its length: cells run together, not sentences (prose has 3 or more per 100)."""
    return len(re.findall(r"[，,。；;、]", text)) * 100 < _PROSE_MARKS * len(text)


def _goal_in_run(text: str, tpl: Template) -> Optional[tuple[str, str]]:
    """(label, text) of the annual target in a form run together: after its label, before the indicators."""
    blocks = [a for a in tpl.group("goals").get("block", ()) if a in text]
    if not blocks:
        return None
    label = max(blocks, key=len)
    start = text.index(label) + len(label)
    ends = [text.find(a, start) for g in ("indicators",) for v in tpl.group(g).values() for a in v
            if not a.endswith("*") and text.find(a, start) > 0]
    body = text[start:min(ends)] if ends else ""
    body = re.sub(r"^(?:" + "|".join(map(re.escape, tpl.group("goals").get("expected", ()) + tpl.group("goals").get("result", ()))) + r")+", "", body) if body else body
    return (label, body.strip()) if len(body) >= _PROSE_MIN and re.search(r"[，,。；]", body) else None


def _partial(doc: Document, rep: Report, has_table: bool) -> None:
    """An excerpt cut short is checked for what it holds; say what is missing, refuse only an empty one."""
    funds = any(getattr(fr, c) is not None for fr in rep.funds for c in FUND_COLS)
    if not has_table:
        rep.warnings.append("未找到绩效指标表，仅核对资金和文字部分")
    elif not rep.indicators:
        rep.warnings.append("绩效指标表中没有指标行")
    if not funds:
        rep.warnings.append("未找到项目资金情况")
    if not (rep.indicators or funds or rep.sections):
        raise TruncatedForm(doc.path, ("没有可核对的资金、指标或文字", "nothing to check: no funds, indicators or text"))


def _evaluated_year(grid: Grid, stop: int) -> Optional[int]:
    """The year a line above the form names as the one evaluated, （2021年度）, not a page's date."""
    for r in range(min(stop + 1, len(grid.rows))):
        m = _YEAR_OF_FORM.search(" ".join(t for _, t in grid.nonempty(r)))
        if m:
            return int(m.group(1))
    return None


def indicator_table(grid: Grid, tpl: Template, settings, pool: Optional[str] = None
                    ) -> Optional[tuple[Report, int]]:
    """A grid's indicator table read on its own (a key-indicator table inside a narrative report):
    a report holding its indicators and 总分 line, and the row after the table; None when the grid
    has no indicator header."""
    spec = tpl.group("indicators")
    hdr = _ind_header(grid, spec)
    if hdr is None:
        return None
    rep = Report(template=tpl.name, kind=tpl.kind)
    end = _indicators(grid, spec, hdr, tpl.group("total"), rep, pool, tpl.group("levels"), settings, tpl.title)
    return rep, end


def _ind_header(grid: Grid, spec: dict):
    """The indicator header; one split over two rows (绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分
    above 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位) is read as one row: the lower
    row's columns, then the upper row's columns the lower one does not split."""
    hdr = _header(grid, spec, IND_COLS, 4)
    if hdr is None or "name" in hdr[1] or hdr[0] + 1 >= len(grid.rows):
        return hdr
    below = _header(grid, spec, IND_COLS, 2, hdr[0] + 1)
    if below is None or below[0] != hdr[0] + 1 or "name" not in below[1]:
        return hdr
    cols = dict(below[1])
    start = grid.lengths[below[0]]
    for name in sorted(hdr[1], key=hdr[1].get):
        if name not in cols:
            cols[name], start = start, start + 1
    return below[0], cols


def _points_in_head(grid: Grid, r0: int) -> Optional[Figure]:
    """The 分值 of a fund block with no 分值 column, as its label or its 得分 label states it
    (预算执行情况（万元）（20分）, 得分（20分*执行率）): in the header row or the row above it."""
    for r in (r0 - 1, r0):
        if r < 0:
            continue
        for _, t in grid.nonempty(r):
            m = _BLOCK_POINTS.search(t)
            if m:
                return Figure(float(m.group(1)), m.group(1), 0)
    return None


# a block's points in its label: （20分）, （20分*执行率）
_BLOCK_POINTS = re.compile(r"[(（]\s{0,2}([1-9]\d?)\s{0,2}分\s{0,2}(?:[*×xX]\s{0,2}执行率\s{0,2})?[)）]")


def _funds(grid: Grid, spec: dict, hdr, stop: int, rep: Report, limits: Limits) -> list[FundRow]:
    r0, cols = hdr
    first_col = min(cols.values())
    width = grid.lengths[r0]
    labels = spec.get("total", ()) + spec.get("sources", ())
    out: list[FundRow] = []
    for r in range(r0 + 1, stop):
        cells = grid.rows[r] + [""] * max(0, width - len(grid.rows[r]))
        n = grid.lengths[r]
        if n < width and cells[0].strip() and matches(label_key(cells[0]), labels):
            # a flattened page: the label, then the figures in column order
            cells = [""] * width
            cells[first_col - 1] = grid.rows[r][0]
            _place(cells, cols, [v for v in grid.rows[r][1:n]])
        left = [(c, t) for c, t in enumerate(cells) if t.strip() and c < first_col]
        label = next((t.strip() for c, t in reversed(left) if matches(label_key(t), labels)), None)
        if label is None:
            if any(matches(label_key(t), spec.get("block", ())) for _, t in left) or not left:
                continue
            break
        row = FundRow(label, total=matches(label_key(label), spec.get("total", ())))
        for name in FUND_COLS:
            if name in cols:
                cell = cells[cols[name]]
                fig = _money(cell, rep.money_unit, limits) if name in COLUMNS_MONEY else _fig(cell, limits)
                if fig is None and cell.strip() and not _BLANK.match(cell):
                    rep.warnings.append(f"资金行“{label}”的“{cell.strip()}”无法读取")
                setattr(row, name, fig)
        out.append(row)
    return out


def _wan_yuan(text: str) -> str:
    return text.strip() + "元" if _WAN.match(text) and not text.strip().endswith("元") else text


def _place(cells: list[str], cols: dict[str, int], values: list[str]) -> None:
    """A fund row that lost its blank cells: figures in column order, but a rate (a figure with %)
    goes to the 执行率 column and what precedes it to the money columns before it."""
    order = sorted(cols, key=cols.get)
    pct = [k for k, v in enumerate(values) if v.strip().endswith("%")]
    if "rate" in cols and len(pct) == 1 and len(values) < len(order):
        k = pct[0]
        before = [n for n in order if cols[n] < cols["rate"]]
        after = [n for n in order if cols[n] > cols["rate"]]
        pairs = list(zip(before, values[:k])) + [("rate", values[k])] + list(zip(after, values[k + 1:]))
    else:
        pairs = list(zip(order, values))
    for name, v in pairs:
        cells[cols[name]] = v


def _goal_plan(grid: Grid, at: Optional[tuple[int, int]], spec: dict, stop: int) -> Optional[tuple[str, str]]:
    """(name, text) of the 预期目标 cell beside 实际完成情况: what was planned (its budget, its parts),
    checked within itself and against the fund rows, never against what was done. Its name is the
    block's label and the column's (年度总体目标 预期目标)."""
    hdr = _header(grid, spec, ("expected", "result"), 2, at[0] if at else 0)
    if hdr is None or hdr[0] >= stop or hdr[1]["expected"] > hdr[1]["result"]:
        return None
    r0, col = hdr[0], hdr[1]["expected"]
    texts = []
    for r in range(r0 + 1, stop):
        cells = grid.nonempty(r)
        if r > r0 + 1 and cells and cells[0][0] == 0:
            break  # the next labelled row
        if len(cells) == 2:
            cell = cells[0][1]  # a plan and a result side by side (a flattened page keeps only those two)
        elif len(cells) == 1:
            # a lone cell is the plan only where it stands under it in a row as wide as the header
            cell = cells[0][1] if cells[0][0] == col and grid.lengths[r] >= grid.lengths[r0] else ""
        else:
            cell = grid.cell(r, col)
        if not cell.strip():
            break
        texts.append(cell.strip())
    text = "\n".join(texts)
    head = re.sub(r"\s+", "", grid.cell(r0, col))
    label = squash_label(grid.first(at[0])[1]) if at else "年度总体目标"
    return (f"{label} {head}", text) if text else None


def _split_glued(text: str, settings) -> tuple[str, Optional[str]]:
    """'12期10' -> ('12期', '10'); anything else is left whole."""
    q = scanner(settings).scan(text)
    m = _GLUED.match(text.strip())
    if not m or not q or q[0].start != 0 or q[0].unit is None:
        return text, None
    if q[0].end == len(text.strip()) - len(m.group("tail")):
        return text.strip()[: q[0].end], m.group("tail")
    return text, None


@dataclass
class _Table:
    """The indicator table: its header's columns, and the 一级/二级 values of the template."""

    grid: Grid
    cols: dict[str, int]
    width: int
    lv1: frozenset[str]
    lv2: frozenset[str]

    @classmethod
    def of(cls, grid: Grid, hdr, levels: dict) -> "_Table":
        r0, cols = hdr
        return cls(grid, cols, max(grid.lengths[r0], max(cols.values()) + 1),
                   frozenset(label_key(v) for v in levels.get("level1", ())),
                   frozenset(label_key(v) for v in levels.get("level2", ())))

    def row(self, r: int, level1: str) -> list[str]:
        """The row in header columns. A flattened page drops the cells a span covers and the
        blank ones at the end: such a row is read by what its cells are (levels, then the rest in order)."""
        grid, cols, width = self.grid, self.cols, self.width
        n = grid.lengths[r] if r < len(grid.lengths) else width
        raw = list(grid.rows[r][:n])
        while raw and not raw[0].strip():
            raw.pop(0)
        is1, is2 = (lambda t: label_key(t) in self.lv1), (lambda t: label_key(t) in self.lv2)
        if (n >= width and not self._shifted(r, is1, is2)) or not raw or not {"name", "target"} <= set(cols):
            return grid.rows[r] + [""] * max(0, width - len(grid.rows[r]))
        out = [""] * width
        k = 0
        # a value that is both 一级 and 二级 (成本指标) is 一级 only when another level follows it
        first_is_l1 = is1(raw[0]) and (not is2(raw[0]) or not level1 or (len(raw) > 1 and is2(raw[1])))
        if k < len(raw) and first_is_l1 and "level1" in cols:
            out[cols["level1"]], k = raw[k], k + 1
        if k < len(raw) and is2(raw[k]) and "level2" in cols:
            out[cols["level2"]], k = raw[k], k + 1
        order = sorted((n for n in cols if n not in ("level1", "level2")), key=cols.get)
        for n, cell in zip(order, raw[k:]):
            out[cols[n]] = cell
        return out

    def _shifted(self, r: int, is1: Callable[[str], bool], is2: Callable[[str], bool]) -> bool:
        """A full-width row whose 一级/二级 value stands left of the header's first column: the
        header's left cell (绩效指标) spanned the rows below, the page dropped it from them, and
        a rendering padded the row at its end instead, so its cells sit one or more to the left."""
        first = min(self.cols.values())
        lead = next(((c, t) for c, t in self.grid.nonempty(r)), None)
        return lead is not None and lead[0] < first and (is1(lead[1]) or is2(lead[1]))


def _indicators(grid: Grid, spec: dict, hdr, total: dict, rep: Report, pool: Optional[str],
                levels: dict, settings, title: str = "") -> int:
    """Each row under the header an indicator, up to the 总分 line (whose figures are the totals),
    a label that ends the form, its signature line, or a report heading alone on its line; the
    row where the table ended. `total`: the template's [total] labels."""
    total_labels, end_labels = total.get("label", ()), total.get("end", ())
    signature = tuple(label_key(m) for m in total.get("signature", ()))
    tab = _Table.of(grid, hdr, levels)
    level1 = level2 = ""
    for r in range(hdr[0] + 1, len(grid.rows)):
        cells = grid.nonempty(r)
        if not cells:
            continue
        if any(matches(label_key(t), total_labels) for _, t in cells):
            _total_line(cells, tab.cols, rep, settings.limits)
            return r + 1
        if matches(label_key(cells[0][1]), end_labels):
            return r  # 评价结论, 存在问题, 项目负责人: the form goes on below its table
        if any(m in label_key(t) for _, t in cells for m in signature):
            return r  # 财政资金管理科室（盖章） 年 月 日: the form's signature line
        if _sub_header(cells, settings.limits):
            continue
        if len(cells) == 1 and REPORT_HEADING.match(cells[0][1]) and not _is_level(cells[0][1], levels):
            return r
        if len(cells) == 1 and title and label_key(title) in label_key(cells[0][1]):
            continue  # the form's title again over the rest of its table (…自评表（续表）)
        row = tab.row(r, level1)
        # a target table has no 实际完成值 column: the 指标值 is what it states
        value_of = {"actual": "target"} if "actual" not in tab.cols else {}
        get = lambda n: row[tab.cols[value_of.get(n, n)]].strip() if value_of.get(n, n) in tab.cols else ""
        level1, level2 = get("level1") or level1, get("level2") or level2
        name = _NAME_PREFIX.sub("", get("name"))
        if not _CJK.search(name) or matches(label_key(name), spec.get("name", ())):
            continue  # no name, the header repeated, or a cut-off figure
        if _NUMBER_ONLY.fullmatch(name.strip()) and not (get("target") or get("actual")):
            continue  # 指标2 with nothing in it: a row the form leaves for one more indicator
        if len(name.strip()) < 2 and not any(get(k) for k in ("target", "actual", "weight", "score")):
            continue  # one character and nothing else: an excerpt cut inside a name (社会效益指标 | 岗)
        rep.indicators.append(_indicator(get, name, level1, level2, rep, pool, settings))
    return len(grid.rows)


# a year in a column name: 2021年实际实现值, 预期2022年实现值
_YEAR_IN_LABEL = re.compile(r"(?:19|20)\d{2}\s*年度?")


def _sub_header(cells: list[tuple[int, str]], limits: Limits) -> bool:
    """A second header row under the value column (2021年实际实现值 | 预期2022年实现值): every
    cell a column name ending in 值, no figure but the years in them."""
    keys = [label_key(_YEAR_IN_LABEL.sub("", t)) for _, t in cells]
    return len(keys) >= 2 and all(k.endswith("值") and len(k) <= 8 and not re.search(r"\d", k) for k in keys)


def _is_level(text: str, levels: dict) -> bool:
    """（一）产出指标 on a line of its own: a level of the table, not a heading of the report."""
    return any(a in text for v in levels.values() for a in v)


def _total_line(cells: list[tuple[int, str]], cols: dict[str, int], rep: Report, limits: Limits) -> None:
    """总分: 分值 and 得分 by their columns, else the first and last figures of the line."""
    figs = [(c, fig) for c, fig in ((c, parse_figure(t, limits)) for c, t in cells) if fig is not None]
    by_col = dict(figs)
    weight_col, score_col = cols.get("weight", -1), cols.get("score", -1)
    lone = figs[0] if len(figs) == 1 else None
    # a lone figure is the whole's points, not its score, in the 分值 column, or out of any column
    # (a copy that dropped the blank 得分: 总分 | 100) when it is the customary 100
    whole = lone is not None and (lone[0] == weight_col or lone[0] != score_col and abs(lone[1].value - 100) < 1e-9)
    rep.total_weight = by_col.get(weight_col) or (figs[0][1] if len(figs) >= 2 or whole else None)
    rep.total_score = by_col.get(score_col) or (figs[-1][1] if figs and not whole else None)


def _target_actual(get: Callable[[str], str], limits: Limits) -> tuple[str, str]:
    """年度指标值 and 实际完成值; 指标性质 | 指标值 | 度量单位 is a target written over three cells."""
    actual, target = get("actual"), get("target")
    if get("sense") or get("measure"):
        measure = get("measure")
        target = get("sense").replace("﹦", "=") + target + measure
        if measure and parse_figure(actual, limits) is not None:
            actual += measure
    return target, actual


def _unglue_score(actual: str, weight: Optional[Figure], name: str, rep: Report, settings) -> tuple[str, str]:
    """'12期10' with no 得分 column filled: 实际完成值 and 得分 run together, split when the tail fits 分值."""
    head, tail = _split_glued(actual, settings)
    if tail is not None and weight is not None and float(tail) <= weight.value:
        return head, tail
    if tail is not None:
        rep.warnings.append(f"指标“{name}”的“{actual}”像是完成值与分数粘连，无法可靠拆分，相关核对从略")
        return head, ""
    return actual, ""


def _indicator(get: Callable[[str], str], name: str, level1: str, level2: str, rep: Report, pool: Optional[str],
               settings) -> Indicator:
    target, actual = _target_actual(get, settings.limits)
    weight_txt, score_txt = get("weight"), get("score")
    weight = _fig(weight_txt, settings.limits)
    if not score_txt:
        actual, score_txt = _unglue_score(actual, weight, name, rep, settings)
    score = _fig(score_txt, settings.limits)
    for what, txt, fig in (("分值", weight_txt, weight), ("得分", score_txt, score)):
        if txt and fig is None and not _BLANK.match(txt):
            rep.warnings.append(f"指标“{name}”的{what}“{txt}”无法读取，相关核对从略")
    if _WAN.match(actual) and (_WAN.match(target) or "成本" in level1 + level2):
        # a money cell with a bare 万 (150万): 万元, as the fund rows write it
        actual, target = _wan_yuan(actual), _wan_yuan(target)
    q = parse_quantity(actual, settings)
    tq = parse_quantity(target, settings)
    unit = (q.unit if q else None) or (tq.unit if tq else None) or unit_from_name(name)
    lex = settings.lexicon
    if (unit is None and name.endswith(lex.money_names) and not any(w in name for w in lex.money_names_per)
            and rep.money_unit):
        # 工程资金金额 | 43.2 | 37.24: an amount with no unit written is in the form's money unit
        unit = rep.money_unit
        tq = tq and replace(tq, unit=unit)
        q = q and replace(q, unit=unit)
    if q is not None and q.unit is None and tq is not None and tq.unit:
        q = replace(q, unit=tq.unit)
    return Indicator(f"I{len(rep.indicators) + 1}", " ".join(x for x in (level1, level2) if x) or "绩效指标",
                     name, actual, q.value if q else None, unit if q else None, q,
                     level1=level1 or None, level2=level2 or None, target_raw=target or None, target=tq,
                     weight=weight, score=score, deviation=get("deviation") or None, pool=pool)
