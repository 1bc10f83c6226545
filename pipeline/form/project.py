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
from typing import Optional

from ..config import Template
from ..errors import TruncatedForm
from ..model import Budget, Document, Figure, FundRow, Indicator, Report, Section
from ..quantity import parse_figure, parse_quantity, scanner
from .common import money_unit, text_below, title_of, unit_from_name, year_of
from .grid import Grid, label_key, matches

FUND_COLS = ("initial", "budget", "executed", "weight", "rate", "score")
IND_COLS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
_BLANK = re.compile(r"^[\s—\-–/／\\]*$")
_NAME_PREFIX = re.compile(r"^\s*指标\s*\d+\s*[:：]\s*")
_GLUED = re.compile(r"^(?P<head>.*?\D)(?P<tail>\d+(?:\.\d+)?)$")


def _fig(text: str) -> Optional[Figure]:
    return None if _BLANK.match(text or "") else parse_figure(text)


def _header(grid: Grid, spec: dict, names: tuple[str, ...], need: int, start: int = 0):
    """The first row naming at least `need` of the columns: (row, {column name: index})."""
    for r in range(start, len(grid.rows)):
        cols: dict[str, int] = {}
        for c, t in grid.nonempty(r):
            key = label_key(t)
            for n in names:
                if n not in cols and matches(key, spec.get(n, ())):
                    cols[n] = c
                    break
        if len(cols) >= need:
            return r, cols
    return None


def parse(doc: Document, tpl: Template, settings) -> Report:
    grid = Grid.from_rows(doc.rows)
    rep = Report(template=tpl.name, kind=tpl.kind)
    f = tpl.group("fields")
    fund_spec, goal_spec, ind_spec = tpl.group("funds"), tpl.group("goals"), tpl.group("indicators")
    funds_hdr = _header(grid, fund_spec, ("initial", "budget", "executed", "weight", "rate", "score"), 2)
    ind_hdr = _header(grid, ind_spec, IND_COLS, 4)
    first = min(x[0] for x in (funds_hdr, ind_hdr, (len(grid.rows), None)) if x is not None)
    label_rows = [r for r in range(first) if grid.find(tuple(a for v in f.values() for a in v), r, r + 1)]
    rep.title = title_of(grid, min(label_rows + [first]), tpl.group("preamble").get("skip", ()), tpl.title,
                         tpl.group("heading")["words"])
    rep.fields["project"] = _right(grid, f.get("project", ()), first)
    rep.fields["implementer"] = _right(grid, f.get("implementer", ()), first)
    rep.department = _right(grid, f.get("department", ()), first) or rep.fields["implementer"] or None
    rep.year = year_of(_right(grid, f.get("year", ()), first)) or year_of(rep.title) or year_of(grid.text()[:400])
    unit = money_unit(grid, range(0, (funds_hdr[0] + 1) if funds_hdr else first)) or money_unit(grid)
    if unit is None:
        rep.warnings.append("未注明金额单位，按万元处理")
    rep.money_unit = unit or "万元"
    if ind_hdr is None:
        raise TruncatedForm(doc.path, ("未找到绩效指标表", "no indicator table"))
    if funds_hdr is not None:
        rep.funds = _funds(grid, fund_spec, funds_hdr, ind_hdr[0], rep)
    total = next((fr for fr in rep.funds if fr.total), None)
    if total is not None:
        rep.budget = Budget(initial=total.initial, adjusted=total.budget, actual=total.executed,
                            completion_rate=total.rate)
    result = _goal_result(grid, tpl.group("goals").get("block", ()), goal_spec, ind_hdr[0])
    pool = None
    if result:
        pool = result[0]
        rep.sections.append(Section(result[0], "goal", result[1]))
    _indicators(grid, ind_spec, ind_hdr, tpl.group("total").get("label", ()), rep, pool, tpl.group("levels"), settings)
    if not rep.indicators:
        raise TruncatedForm(doc.path, ("绩效指标表中没有指标行", "no indicator rows"))
    return rep


def _right(grid: Grid, aliases, stop: int) -> str:
    at = grid.find(aliases, stop=stop)
    if at is None:
        return ""
    right = grid.right_of(*at)
    return right[0][1].strip() if right else ""


def _funds(grid: Grid, spec: dict, hdr, stop: int, rep: Report) -> list[FundRow]:
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
            for name, v in zip(sorted(cols, key=cols.get), grid.rows[r][1:n]):
                cells[cols[name]] = v
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
                fig = _fig(cell)
                if fig is None and cell.strip() and not _BLANK.match(cell):
                    rep.warnings.append(f"资金行“{label}”的“{cell.strip()}”无法读取")
                setattr(row, name, fig)
        out.append(row)
    return out


def _goal_result(grid: Grid, block, spec: dict, stop: int) -> Optional[tuple[str, str]]:
    """(label, text) of the 实际完成情况 cell of the annual-target block."""
    at = grid.find(block, stop=stop)
    hdr = _header(grid, spec, ("expected", "result"), 1, at[0] if at else 0)
    if hdr is None or hdr[0] >= stop or "result" not in hdr[1]:
        return None
    text = text_below(grid, hdr[0], hdr[1]["result"], stop)
    label = grid.first(at[0])[1].strip() if at else "年度总体目标"
    return (label, text) if text else None


def _split_glued(text: str, settings) -> tuple[str, Optional[str]]:
    """'12期10' -> ('12期', '10'); anything else is left whole."""
    q = scanner(settings).scan(text)
    m = _GLUED.match(text.strip())
    if not m or not q or q[0].start != 0 or q[0].unit is None:
        return text, None
    if q[0].end == len(text.strip()) - len(m.group("tail")):
        return text.strip()[: q[0].end], m.group("tail")
    return text, None


def _indicators(grid: Grid, spec: dict, hdr, total_labels, rep: Report, pool: Optional[str], levels: dict,
                settings) -> None:
    r0, cols = hdr
    level1 = level2 = ""
    width = grid.lengths[r0]
    lv1, lv2 = levels.get("level1", ()), levels.get("level2", ())

    def row_of(r: int) -> list[str]:
        """The row in header columns. A flattened page drops the cells a span covers and the
        blank ones at the end: such a row is read by what its cells are (levels, then the rest in order)."""
        n = grid.lengths[r] if r < len(grid.lengths) else width
        raw = [c for c in grid.rows[r][:n]]
        while raw and not raw[0].strip():
            raw.pop(0)
        if n >= width or not raw or not {"name", "target"} <= set(cols):
            return grid.rows[r] + [""] * max(0, width - len(grid.rows[r]))
        out = [""] * width
        k = 0
        # a value that is both 一级 and 二级 (成本指标) is 一级 only when another level follows it
        first_is_l1 = raw[0] in lv1 and (raw[0] not in lv2 or not level1 or (len(raw) > 1 and raw[1] in lv2))
        if k < len(raw) and first_is_l1 and "level1" in cols:
            out[cols["level1"]], k = raw[k], k + 1
        if k < len(raw) and raw[k] in lv2 and "level2" in cols:
            out[cols["level2"]], k = raw[k], k + 1
        order = [n for n in ("name", "target", "actual", "weight", "score", "deviation") if n in cols]
        for n, cell in zip(order, raw[k:]):
            out[cols[n]] = cell
        return out

    get = lambda r, n: row_of(r)[cols[n]].strip() if n in cols else ""
    for r in range(r0 + 1, len(grid.rows)):
        cells = grid.nonempty(r)
        if not cells:
            continue
        if any(matches(label_key(t), total_labels) for _, t in cells):
            figs = [(c, parse_figure(t)) for c, t in cells if parse_figure(t) is not None]
            by_col = dict(figs)
            rep.total_weight = by_col.get(cols.get("weight", -1)) or (figs[0][1] if len(figs) >= 2 else None)
            rep.total_score = by_col.get(cols.get("score", -1)) or (figs[-1][1] if figs else None)
            break
        level1 = get(r, "level1") or level1
        level2 = get(r, "level2") or level2
        name = _NAME_PREFIX.sub("", get(r, "name"))
        if not name or matches(label_key(name), spec.get("name", ())):
            continue
        actual, target = get(r, "actual"), get(r, "target")
        weight_txt, score_txt = get(r, "weight"), get(r, "score")
        weight = _fig(weight_txt)
        if not score_txt:
            head, tail = _split_glued(actual, settings)
            if tail is not None and weight is not None and float(tail) <= weight.value:
                actual, score_txt = head, tail  # '12期10': 实际完成值 and 得分 run together
            elif tail is not None:
                rep.warnings.append(f"指标“{name}”的“{actual}”像是完成值与分数粘连，无法可靠拆分，相关核对从略")
                actual = head
        score = _fig(score_txt)
        for what, txt, fig in (("分值", weight_txt, weight), ("得分", score_txt, score)):
            if txt and fig is None and not _BLANK.match(txt):
                rep.warnings.append(f"指标“{name}”的{what}“{txt}”无法读取，相关核对从略")
        q = parse_quantity(actual, settings)
        tq = parse_quantity(target, settings)
        unit = (q.unit if q else None) or (tq.unit if tq else None) or unit_from_name(name)
        if q is not None and q.unit is None and tq is not None and tq.unit:
            q = type(q)(q.value, tq.unit, q.raw, q.decimals, q.range, q.approx, q.comparator)
        ind = Indicator(f"I{len(rep.indicators) + 1}", " ".join(x for x in (level1, level2) if x) or "绩效指标",
                        name, actual, q.value if q else None, unit if q else None, q,
                        level1=level1 or None, level2=level2 or None, target_raw=target or None, target=tq,
                        weight=weight, score=score, deviation=get(r, "deviation") or None, pool=pool)
        rep.indicators.append(ind)
