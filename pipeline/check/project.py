"""Rules of the 项目支出 form: funds, scores, targets.

- project.execution_rate  执行率 = 全年执行数 ÷ 全年预算数, to the form's rounding;
- project.fund_total      年度资金总额 = the sum of its sources, in each column;
- project.budget_score    the budget-execution score is at most 分值 × 执行率;
- project.score_le_weight 得分 ≤ 分值 on every indicator row;
- project.weights_total   the 分值 add up to the form's total (100 when it states none);
- project.score_total     the 得分 add up to 总分;
- project.target          a target met or not against the score and the 偏差原因
                          (正向 ≥, 反向 ≤, = within rounding).
"""
from __future__ import annotations

from typing import Optional

from .. import config
from ..model import Figure, Finding, FundRow, Indicator, Report
from .budget import rate_finding
from .compare import amount_agrees, fmt, to_unit

COLUMNS = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数"}
LOW_RATE = 90.0


def _f(rule: str, ok: bool, zh: str, en: str, expected=None, reported=None, indicator=None,
       severity: Optional[str] = None) -> Finding:
    # a warning notes how the form was filled in (a score, a missing reason), not figures that
    # contradict each other: it is shown for review but is no mismatch
    bad = "unverified" if severity == "warning" else "mismatch"
    return Finding(rule, "consistent" if ok else bad, zh, en,
                   "info" if ok else (severity or "error"), indicator, [], expected, reported)


def check(rep: Report) -> list[Finding]:
    out: list[Finding] = []
    total = _total_row(rep)
    if total is not None:
        out += _execution(total)
        out += _fund_sum(rep, total)
    out += _scores(rep, total)
    for ind in rep.indicators:
        out += _target(ind)
        if total is not None:
            out += _cost(rep, ind, total)
    out += low_rate_without_reason(rep)
    return out


def _total_row(rep: Report) -> Optional[FundRow]:
    return next((r for r in rep.funds if r.total), None)


def _execution(row: FundRow) -> list[Finding]:
    if not (row.budget and row.executed and row.rate) or not row.budget.value:
        return []
    return [rate_finding("project.execution_rate", "执行率", "execution rate",
                         row.executed.value / row.budget.value * 100,
                         f"全年执行数{row.executed.raw}÷全年预算数{row.budget.raw}",
                         f"{row.executed.raw} / {row.budget.raw}", row.rate)]


def _fund_sum(rep: Report, total: FundRow) -> list[Finding]:
    """年度资金总额 against the sum of its sources, column by column; one finding for the row."""
    sources = [r for r in rep.funds if not r.total]
    checked, wrong = [], []
    for col, zh in COLUMNS.items():
        parts = [getattr(s, col) for s in sources if getattr(s, col) is not None]
        stated: Optional[Figure] = getattr(total, col)
        if not parts or stated is None:
            continue
        s = sum(p.value for p in parts)
        dec = max([stated.decimals] + [p.decimals for p in parts])
        ok = amount_agrees(s, stated.value, dec, config.rules().money.sum_ulps)
        checked.append((zh, stated, s, dec, "+".join(p.raw for p in parts)))
        if not ok:
            wrong.append(checked[-1])
    if not checked:
        return []
    if wrong:
        zh = "；".join(f"{c}：年度资金总额{st.raw}，各来源之和{terms}={fmt(v, d)}" for c, st, v, d, terms in wrong)
        en = "; ".join(f"{c}: total {st.raw}, sources {terms} = {fmt(v, d)}" for c, st, v, d, terms in wrong)
        _, st, v, d, _ = wrong[0]
        return [_f("project.fund_total", False, f"年度资金总额与各来源之和不符——{zh}", f"fund total differs from its sources: {en}",
                   round(v, d), st.value)]
    cols = "、".join(c for c, *_ in checked)
    return [_f("project.fund_total", True, f"年度资金总额等于各来源之和（{cols}）",
               f"the fund total equals its sources ({len(checked)} columns)")]


def _scores(rep: Report, total: Optional[FundRow]) -> list[Finding]:
    out = []
    weights: list[Figure] = []
    scores: list[Figure] = []
    if total is not None and total.weight is not None:
        weights.append(total.weight)
        if total.score is not None:
            scores.append(total.score)
            if total.rate is not None:
                cap = total.weight.value * min(total.rate.value, 100.0) / 100
                # the score is stated to its own precision: 9 for 10 × 89.7% = 8.97 is a rounding
                ok = total.score.value <= cap + 0.5 * 10.0 ** (-total.score.decimals) + 1e-9
                out.append(_f("project.budget_score", ok,
                              f"预算执行得分{total.score.raw}{'未超过' if ok else '超过了'}分值{total.weight.raw}×执行率"
                              f"{total.rate.raw}={cap:.2f}",
                              f"the budget score {total.score.raw} is {'within' if ok else 'above'} "
                              f"weight {total.weight.raw} x rate {total.rate.raw} = {cap:.2f}", round(cap, 2),
                              total.score.value))
    for ind in rep.indicators:
        if ind.weight is not None:
            weights.append(ind.weight)
        if ind.score is not None:
            scores.append(ind.score)
        if ind.weight is not None and ind.score is not None:
            ok = ind.score.value <= ind.weight.value + 1e-9
            out.append(_f("project.score_le_weight", ok,
                          f"“{ind.name}”得分{ind.score.raw}{'未超过' if ok else '超过了'}分值{ind.weight.raw}",
                          f"'{ind.name}': score {ind.score.raw} {'within' if ok else 'exceeds'} weight {ind.weight.raw}",
                          ind.weight.value, ind.score.value, ind.id))
    unread_w = [i.name for i in rep.indicators if i.weight is None] if any(i.weight for i in rep.indicators) else []
    unread_s = [i.name for i in rep.indicators if i.score is None] if any(i.score for i in rep.indicators) else []
    if unread_w or unread_s:
        # a row whose 分值 or 得分 could not be read: the totals cannot be checked, say so
        names = "、".join(dict.fromkeys(unread_w + unread_s))
        out.append(Finding("project.score_total", "unverified", f"“{names}”的分值或得分未能读取，总分无法核对",
                           f"the weight or score of '{names}' could not be read; totals not checked", "warning"))
        return out
    s = sum(w.value for w in weights)
    if weights and (rep.total_weight is not None or s > 100.0):
        # with no total stated the weights should make 100; falling short of it, the table may be cut
        stated = rep.total_weight.value if rep.total_weight is not None else 100.0
        dec = max(w.decimals for w in weights)
        ok = amount_agrees(s, stated, dec, 1)
        src = rep.total_weight.raw if rep.total_weight is not None else "100（未注明，按惯例）"
        out.append(_f("project.weights_total", ok,
                      f"各项分值之和为{fmt(s, dec)}，{'等于' if ok else '不等于'}总分值{src}",
                      f"the weights add up to {fmt(s, dec)}, {'equal to' if ok else 'not'} the total {src}",
                      round(s, dec), stated))
    if scores and rep.total_score is not None:
        s = sum(x.value for x in scores)
        dec = max([rep.total_score.decimals] + [x.decimals for x in scores])
        ok = amount_agrees(s, rep.total_score.value, dec, 1)
        out.append(_f("project.score_total", ok,
                      f"各项得分之和为{fmt(s, dec)}，总分填报{rep.total_score.raw}，{'一致' if ok else '不符'}",
                      f"the scores add up to {fmt(s, dec)}; the form's total is {rep.total_score.raw}",
                      round(s, dec), rep.total_score.value))
    return out


def met(ind: Indicator) -> Optional[bool]:
    """Is the target met? None when either side is not a figure (良好, 按期完成)."""
    t, a = ind.target, ind.quantity
    if t is None or a is None or ind.value is None:
        return None
    tv = to_unit(t.value, t.unit, a.unit) if t.unit and a.unit else t.value
    v = ind.value
    slack = 0.5 * 10.0 ** (-max(t.decimals, a.decimals, 0)) if max(t.decimals, a.decimals) else 1e-9
    comp = t.comparator or ">="
    if comp in (">=", ">"):
        return v >= tv - slack if comp == ">=" else v > tv
    if comp in ("<=", "<"):
        return v <= tv + slack if comp == "<=" else v < tv
    return abs(v - tv) <= slack


def _target(ind: Indicator) -> list[Finding]:
    ok = met(ind)
    if ok is None or ind.weight is None or ind.score is None:
        return []
    full = ind.score.value >= ind.weight.value - 1e-9
    reason = bool(ind.deviation and ind.deviation.strip() not in ("无", "/", "—", "-"))
    what = f"“{ind.name}”目标{ind.target_raw}，完成{ind.raw}"
    if not ok and full:
        # scoring leniency, not figures that contradict each other: for review, as a warning
        return [_f("project.target", False, f"{what}，未达到目标却得满分{ind.score.raw}",
                   f"'{ind.name}' misses its target {ind.target_raw} ({ind.raw}) yet takes full marks",
                   ind.target.value, ind.value, ind.id, "warning")]
    if not ok and not reason:
        return [_f("project.target", False, f"{what}，未达到目标且未填写偏差原因",
                   f"'{ind.name}' misses its target {ind.target_raw} ({ind.raw}) and gives no reason",
                   ind.target.value, ind.value, ind.id, "warning")]
    if ok and not full and not reason:
        return [_f("project.target", False, f"{what}，已达到目标却扣分（{ind.score.raw}/{ind.weight.raw}），未说明原因",
                   f"'{ind.name}' meets its target yet loses marks ({ind.score.raw}/{ind.weight.raw}) with no reason",
                   ind.weight.value, ind.score.value, ind.id, "warning")]
    return [_f("project.target", True, f"{what}，{'达到目标' if ok else '未达到目标，已说明原因'}，得分{ind.score.raw}/{ind.weight.raw}",
               f"'{ind.name}' {'meets' if ok else 'misses (reason given)'} its target; score {ind.score.raw}/{ind.weight.raw}",
               ind.target.value, ind.value, ind.id)]


COST_LEVEL = "成本"


def _cost(rep: Report, ind: Indicator, total: FundRow) -> list[Finding]:
    """project.cost: a money 成本指标's actual cost cannot exceed what the project spent (全年执行数)."""
    # the most the project can have spent: the total row, or its sources where the total is off
    spent = [f for f in [total.executed] + [r.executed for r in rep.funds if not r.total] if f is not None]
    parts = [r.executed for r in rep.funds if not r.total and r.executed is not None]
    if parts:
        spent.append(Figure(sum(p.value for p in parts), "", max(p.decimals for p in parts)))
    executed = max(spent, key=lambda f: f.value, default=None)
    if executed is None or ind.quantity is None or ind.value is None or not ind.unit:
        return []
    if COST_LEVEL not in f"{ind.level1 or ''}{ind.level2 or ''}" or ind.quantity.comparator or ind.quantity.range:
        return []
    scale = config.units().money_scale
    if ind.unit not in scale or rep.money_unit not in scale:
        return []
    cost = to_unit(ind.value, ind.unit, rep.money_unit)
    dec = max(ind.quantity.decimals, executed.decimals)
    ok = cost <= executed.value + 0.5 * 10.0 ** (-min(ind.quantity.decimals, executed.decimals)) + 1e-9
    verb = "未超过" if ok else "超过了"
    return [_f("project.cost", ok, f"成本指标“{ind.name}”实际完成值{ind.raw}{verb}全年执行数{fmt(executed.value, executed.decimals)}{rep.money_unit}",
               f"cost indicator '{ind.name}' {ind.raw} is {'within' if ok else 'above'} the executed "
               f"{executed.raw} {rep.money_unit}", executed.value, round(cost, dec), ind.id)]


def low_rate_without_reason(rep: Report) -> list[Finding]:
    """执行率 below 90% and no 偏差原因 anywhere on the form."""
    total = _total_row(rep)
    if total is None or total.rate is None or total.rate.value >= LOW_RATE:
        return []
    reasons = [i.deviation for i in rep.indicators if i.deviation and i.deviation.strip() not in ("无", "/", "—", "-")]
    ok = bool(reasons)
    return [_f("project.low_rate", ok,
               f"执行率{total.rate.raw}低于{LOW_RATE:g}%，{'已说明偏差原因' if ok else '未填写偏差原因'}",
               f"execution rate {total.rate.raw} is below {LOW_RATE:g}% {'with' if ok else 'and no'} reason given",
               LOW_RATE, total.rate.value, None, "warning")]
