"""Rules of the 项目支出 form: funds, scores, targets.

- project.execution_rate  执行率 = 全年执行数 ÷ 全年预算数, to the form's rounding;
- project.fund_total      年度资金总额 = the sum of its sources, in each column;
- project.budget_score    the budget-execution score is at most 分值 × 执行率;
- project.score_le_weight 得分 ≤ 分值 on every indicator row;
- project.weights_total   the 分值 add up to the form's total (100 when it states none);
- project.score_total     the 得分 add up to 总分;
- project.level_weights   the 分值 under a level add up to the weight its cell states (产出指标（50分）);
- project.target          a target met or not against the score and the 偏差原因
                          (正向 ≥, 反向 ≤, = within rounding);
- project.cost            a money 成本指标's actual cost is at most what the project spent;
- project.funds_indicator a money indicator whose target is the budget reaches one of the fund figures;
- project.prose_funds     the 预算数, 执行数 and 执行率 the narrative states are the fund rows'.
A warning notes how the form was filled in (a lenient score, a missing reason):
it is shown for review with status `unverified`, for no figures contradict
each other.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Optional

from ..model import Figure, Finding, FundRow, Indicator, Report
from .budget import rate_finding
from .compare import EPS, Compare, amount_agrees, fmt, half_unit

# the fund columns summed against 年度资金总额 (their names are in the message catalogue's [words.column])
COLUMNS = ("initial", "budget", "executed")
NO_REASON = ("无", "/", "—", "-")


def _f(rule: str, ok: bool, params: dict, expected=None, reported=None, indicator=None,
       severity: Optional[str] = None, code: str = "") -> Finding:
    bad = "unverified" if severity == "warning" else "mismatch"
    return Finding(rule, "consistent" if ok else bad, "info" if ok else (severity or "error"),
                   indicator, [], expected, reported, code, params)


def check(rep: Report, settings) -> list[Finding]:
    rules = settings.rules
    out: list[Finding] = []
    total = _total_row(rep)
    if total is not None:
        out += _execution(total, rules.rates.extra_ulps, rep.funds)
        out += _fund_sum(rep, total, rules.money.sum_ulps)
    out += _scores(rep, total, rules.project.score_slack)
    out += _level_weights(rep)
    cmp = Compare.of(settings)
    table = _fund_figures(rep) if rep.money_unit in cmp.units.money_scale else []
    for ind in rep.indicators:
        out += _target(ind, cmp)
        if total is not None:
            out += _cost(rep, ind, total, cmp)
        out += _funds_indicator(rep, ind, table, cmp)
    out += low_rate_without_reason(rep, rules.project.low_rate)
    return out


def _total_row(rep: Report) -> Optional[FundRow]:
    return next((r for r in rep.funds if r.total), None)


def _execution(row: FundRow, extra_ulps: int, funds: list[FundRow]) -> list[Finding]:
    """执行率 = 全年执行数 / 全年预算数; of the 年初预算数 on a form with no 全年预算数 column
    (Beijing's 2016 form: 年初预算数(A), 全年执行数(B), 执行率(B/A))."""
    base, code = row.budget, ""
    if base is None and row.initial is not None and not any(r.budget for r in funds):
        base, code = row.initial, "project.execution_rate.initial"
    if not (base and row.executed and row.rate) or not base.value:
        return []
    found = rate_finding("project.execution_rate", row.executed.value / base.value * 100, row.rate, extra_ulps,
                         executed=row.executed.raw, budget=base.raw)
    return [replace(found, code=code) if code else found]


def _fund_sum(rep: Report, total: FundRow, sum_ulps: int) -> list[Finding]:
    """年度资金总额 against the sum of its sources, column by column; one finding for the row."""
    sources = [r for r in rep.funds if not r.total]
    checked, wrong = [], []
    for col in COLUMNS:
        parts = [getattr(s, col) for s in sources if getattr(s, col) is not None]
        stated: Optional[Figure] = getattr(total, col)
        if not parts or stated is None:
            continue
        s = sum(p.value for p in parts)
        dec = max([stated.decimals] + [p.decimals for p in parts])
        item = {"column": col, "stated": stated.raw, "terms": [p.raw for p in parts], "sum": round(s, dec),
                "code": "project.fund_total.column" if len(parts) > 1 else "project.fund_total.one"}
        checked.append(item)
        if not amount_agrees(s, stated.value, dec, sum_ulps):
            wrong.append((item, stated, s, dec))
    if not checked:
        return []
    if wrong:
        item, st, v, d = wrong[0]
        return [_f("project.fund_total", False, {"wrong": [w[0] for w in wrong]}, round(v, d), st.value)]
    return [_f("project.fund_total", True, {"columns": [c["column"] for c in checked]})]


def _scores(rep: Report, total: Optional[FundRow], score_slack: float) -> list[Finding]:
    out = []
    weights: list[Figure] = []
    scores: list[Figure] = []
    whole = rep.total_weight.value if rep.total_weight is not None else 100.0
    # a fund row whose 分值 is the whole form's (100) holds the form's 总分 and 总得分 in the wrong
    # row, not the budget's part of them: neither added to the indicators' nor held to 分值 × 执行率
    if total is not None and total.weight is not None and not (rep.indicators and abs(total.weight.value - whole) < EPS):
        weights.append(total.weight)
        if total.score is not None:
            scores.append(total.score)
            if total.rate is not None:
                cap = total.weight.value * min(total.rate.value, 100.0) / 100
                # the score is stated to its own precision: 9 for 10 × 89.7% = 8.97 is a rounding
                ok = total.score.value <= cap + half_unit(total.score.decimals) + score_slack
                rounded = ok and total.score.value > cap + EPS  # 9 for 8.60: within it once rounded, say so
                out.append(_f("project.budget_score", ok,
                              {"score": total.score.raw, "weight": total.weight.raw, "rate": total.rate.raw,
                               "cap": cap}, round(cap, 2), total.score.value,
                              code="project.budget_score.rounded" if rounded else ""))
    for ind in rep.indicators:
        if ind.weight is not None:
            weights.append(ind.weight)
        if ind.score is not None:
            scores.append(ind.score)
        if ind.weight is not None and ind.score is not None:
            ok = ind.score.value <= ind.weight.value + EPS
            out.append(_f("project.score_le_weight", ok,
                          {"name": ind.name, "score": ind.score.raw, "weight": ind.weight.raw},
                          ind.weight.value, ind.score.value, ind.id))
    unread_w = [i.name for i in rep.indicators if i.weight is None] if any(i.weight for i in rep.indicators) else []
    unread_s = [i.name for i in rep.indicators if i.score is None] if any(i.score for i in rep.indicators) else []
    if unread_w or unread_s:
        # a row whose 分值 or 得分 could not be read: the totals cannot be checked, say so
        names = list(dict.fromkeys(unread_w + unread_s))
        out.append(Finding("project.score_total", "unverified", "warning", code="project.score_total.unread",
                           params={"names": names}))
        return out
    stated = rep.total_weight.value if rep.total_weight is not None else 100.0
    if _funds_outside(weights, rep.indicators, total, stated):
        # the indicators alone make the total (产出70 效益20 满意度10) and the budget's 分值 comes
        # on top of it: this form counts the budget's score outside its 总分, for the scores too
        weights = weights[1:]
        scores = scores[1:] if total.score is not None else scores
    # a table whose indicators have no 分值 (or no 得分) read gives no sum of them, only the fund's;
    # a form whose fund row was not read may owe the shortfall to it (its 分值 and 得分 are missing)
    table_weights = not rep.indicators or any(i.weight for i in rep.indicators)
    table_scores = not rep.indicators or any(i.score for i in rep.indicators)
    no_funds = total is None and rep.kind == "project"
    s = sum(w.value for w in weights)
    if no_funds and weights and s < stated - EPS:
        table_weights = False
    if no_funds and scores and rep.total_score is not None and sum(x.value for x in scores) < rep.total_score.value - EPS:
        table_scores = False
    if weights and table_weights and (rep.total_weight is not None or s > 100.0):
        # with no total stated the weights should make 100; falling short of it, the table may be cut
        dec = max(w.decimals for w in weights)
        ok = amount_agrees(s, stated, dec, 1)
        params = {"sum": round(s, dec), "total": rep.total_weight.raw if rep.total_weight is not None else 100,
                  "decimals": dec}
        out.append(_f("project.weights_total", ok, params, round(s, dec), stated,
                      code="" if rep.total_weight is not None else "project.weights_total.assumed"))
    if scores and table_scores and rep.total_score is not None:
        s = sum(x.value for x in scores)
        dec = max([rep.total_score.decimals] + [x.decimals for x in scores])
        ok = amount_agrees(s, rep.total_score.value, dec, 1)
        out.append(_f("project.score_total", ok, {"sum": round(s, dec), "stated": rep.total_score.raw,
                                                  "decimals": dec},
                      round(s, dec), rep.total_score.value))
    return out


# the weight a 一级指标 cell states for its level: 产出指标（50分）
_LEVEL_WEIGHT = re.compile(r"[(（]\s{0,2}(\d{1,3}(?:\.\d{1,2})?)\s{0,2}分\s{0,2}[)）]")


def _level_weights(rep: Report) -> list[Finding]:
    """产出指标（50分）: the 分值 of the level's indicators add up to the weight its cell states. A
    level is held to it only once it is closed (the next level, or the 总分 row, follows it) and
    every indicator in it has its 分值 read: a form cut short is no contradiction. Falling short of
    the points is a warning (a garbled table's row may be unread); exceeding them, a mismatch."""
    groups: list[tuple[str, list[Indicator]]] = []
    for ind in rep.indicators:
        if groups and groups[-1][0] == (ind.level1 or ""):
            groups[-1][1].append(ind)
        else:
            groups.append((ind.level1 or "", [ind]))
    out = []
    for k, (level, inds) in enumerate(groups):
        m = _LEVEL_WEIGHT.search(level)
        closed = k + 1 < len(groups) or rep.total_weight is not None or rep.total_score is not None
        if not m or not closed or any(i.weight is None for i in inds):
            continue
        stated = float(m.group(1))
        dec = max(i.weight.decimals for i in inds)
        s = sum(i.weight.value for i in inds)
        name = _LEVEL_WEIGHT.sub("", level).strip()
        ok = amount_agrees(s, stated, dec, 1)
        # short of the points: a row a garbled table left unread may hold the rest (a warning);
        # beyond them no missing row explains it
        short = not ok and s < stated
        out.append(_f("project.level_weights", ok,
                      {"level": name, "sum": round(s, dec), "stated": m.group(1), "decimals": dec,
                       "terms": [i.weight.raw or fmt(i.weight.value, i.weight.decimals) for i in inds]},
                      round(s, dec), stated, severity="warning" if short else None,
                      code="project.level_weights.short" if short else ""))
    return out


def _funds_outside(weights: list[Figure], indicators: list[Indicator], total: Optional[FundRow], whole: float) -> bool:
    """The fund row's 分值 (first of `weights`) is added, but only the indicators' make the
    form's 100 (a 总分 of another figure is held to all of them)."""
    if total is None or total.weight is None or not weights or weights[0] is not total.weight or abs(whole - 100) > EPS:
        return False
    dec = max(w.decimals for w in weights)
    with_funds = sum(w.value for w in weights)
    alone = sum(i.weight.value for i in indicators if i.weight is not None)
    return not amount_agrees(with_funds, whole, dec, 1) and amount_agrees(alone, whole, dec, 1)


def met(ind: Indicator, cmp: Compare) -> Optional[bool]:
    """Is the target met? None when either side is not a figure (良好, 按期完成)."""
    t, a = ind.target, ind.quantity
    if t is None or a is None or ind.value is None:
        return None
    tv = cmp.to_unit(t.value, t.unit, a.unit) if t.unit and a.unit else t.value
    v = ind.value
    slack = half_unit(max(t.decimals, a.decimals)) if max(t.decimals, a.decimals) > 0 else EPS
    comp = t.comparator or ">="
    if comp in (">=", ">"):
        return v >= tv - slack if comp == ">=" else v > tv
    if comp in ("<=", "<"):
        return v <= tv + slack if comp == "<=" else v < tv
    return abs(v - tv) <= slack


def _has_reason(text: Optional[str]) -> bool:
    return bool(text and text.strip() not in NO_REASON)


def _target(ind: Indicator, cmp: Compare) -> list[Finding]:
    ok = met(ind, cmp)
    if ok is None or ind.weight is None or ind.score is None:
        return []
    full = ind.score.value >= ind.weight.value - EPS
    reason = _has_reason(ind.deviation)
    params = {"name": ind.name, "target": ind.target_raw, "actual": ind.raw, "score": ind.score.raw,
              "weight": ind.weight.raw}
    if not ok and full:
        # scoring leniency, not figures that contradict each other
        return [_f("project.target", False, params, ind.target.value, ind.value, ind.id, "warning",
                   code="project.target.full_marks")]
    if not ok and not reason:
        return [_f("project.target", False, params, ind.target.value, ind.value, ind.id, "warning",
                   code="project.target.no_reason")]
    if ok and not full and not reason:
        return [_f("project.target", False, params, ind.weight.value, ind.score.value, ind.id, "warning",
                   code="project.target.marked_down")]
    return [_f("project.target", True, params, ind.target.value, ind.value, ind.id,
               code="project.target.met" if ok else "project.target.explained")]


COST_LEVEL = "成本"


def _cost(rep: Report, ind: Indicator, total: FundRow, cmp: Compare) -> list[Finding]:
    """A money 成本指标's actual cost against the most the project can have spent: the total row's
    全年执行数, or its sources' where the total row is off (project.fund_total says so)."""
    if ind.quantity is None or ind.value is None or not ind.unit or ind.quantity.comparator or ind.quantity.range:
        return []
    if COST_LEVEL not in f"{ind.level1 or ''}{ind.level2 or ''}":
        return []
    scale = cmp.units.money_scale
    if ind.unit not in scale or rep.money_unit not in scale:
        return []
    sources = [r.executed for r in rep.funds if not r.total and r.executed is not None]
    spent = [f for f in [total.executed] + sources if f is not None]
    if sources:
        spent.append(Figure(sum(f.value for f in sources), "", max(f.decimals for f in sources)))
    if not spent:
        return []
    executed = max(spent, key=lambda f: f.value)
    cost = cmp.to_unit(ind.value, ind.unit, rep.money_unit)
    ok = cost <= executed.value + half_unit(min(ind.quantity.decimals, executed.decimals))
    params = {"name": ind.name, "actual": ind.raw, "executed": fmt(executed.value, executed.decimals),
              "unit": rep.money_unit}
    return [_f("project.cost", ok, params, executed.value, round(cost, 6), ind.id)]


def _funds_indicator(rep: Report, ind: Indicator, table: list[tuple[str, Figure]], cmp: Compare) -> list[Finding]:
    """A money indicator whose target is the project's budget (卫片执法补助经费 =72890元 beside a
    全年预算数 of 7.29万元) measures the project's funds themselves: what it reached is one of the fund
    table's figures (what was executed, or the budget itself). A 成本指标 is project.cost's: a cost
    may be less than what was spent."""
    q, t = ind.quantity, ind.target
    scale = cmp.units.money_scale
    if not table or q is None or t is None or q.range or q.approx or ind.unit not in scale or t.unit not in scale:
        return []
    if t.comparator not in (None, "=") or t.range or COST_LEVEL in f"{ind.level1 or ''}{ind.level2 or ''}":
        return []
    # of figures equally close, the 全年预算数 is the budget and the 全年执行数 what was reached
    budget = _restated(t.value, t.unit, t.decimals, rep, [x for x in table if x[0] == "budget"]
                       + [x for x in table if x[0] == "initial"], cmp)
    if budget is None:
        return []
    hit = _restated(q.value, ind.unit, q.decimals, rep, sorted(table, key=lambda x: x[0] != "executed"), cmp)
    params = {"name": ind.name, "target": ind.target_raw, "actual": ind.raw, "budget_column": budget[0],
              "budget": budget[1].raw or fmt(budget[1].value, budget[1].decimals)}
    if hit is not None:
        params.update(column=hit[0], stated=hit[1].raw or fmt(hit[1].value, hit[1].decimals))
    else:
        params.update(_none_of(table, rep))
    return [_f("project.funds_indicator", hit is not None, params, hit[1].value if hit else None, q.value, ind.id)]


# the prose budget key -> the fund row column it restates
PROSE_COLUMNS = {"initial": "initial", "adjusted": "budget", "actual": "executed", "completion_rate": "rate"}


def against_prose(rep: Report, claims: list, settings) -> list[Finding]:
    """The fund total row against the same figures stated in the form's narrative (执行数为…万元)."""
    from ..form.prose_budget import from_claims

    total = _total_row(rep)
    tpl = settings.template("narrative")
    if total is None or tpl is None:
        return []
    cmp = Compare.of(settings)
    out = []
    named = from_claims(claims, tpl.group("budget"), settings.lexicon)
    for key, claim in named.items():
        stated: Optional[Figure] = getattr(total, PROSE_COLUMNS[key], None)
        if stated is None or claim.range or claim.approx:
            continue
        if key == "completion_rate":
            value = claim.value
        elif claim.unit in cmp.units.money_scale and rep.money_unit in cmp.units.money_scale:
            value = cmp.to_unit(claim.value, claim.unit, rep.money_unit)
        else:
            continue
        # the coarser of the two writings decides: 83.50% restates 83.5%, 7.29万元 restates 72890元
        dec = min(claim.decimals, stated.decimals) if key == "completion_rate" else stated.decimals
        ok = abs(value - stated.value) <= half_unit(dec)
        params = {"column": PROSE_COLUMNS[key], "text": claim.text, "stated": stated.raw}
        f = _f("project.prose_funds", ok, params, stated.value, claim.value)
        f.claims = [claim.id]
        out.append(f)
    checked = {c.id for c in named.values()}
    return out + _prose_whole(rep, [c for c in claims if c.id not in checked], settings.lexicon, cmp)


# sections of a project form that speak of this project's funds: its 实际完成情况 and 预期目标
OWN_SECTIONS = ("goal", "plan")


def _fund_figures(rep: Report) -> list[tuple[str, Figure]]:
    """Every money figure of the fund table, with its column: each row's 年初预算数, 全年预算数 and
    全年执行数, and the sources' sum where there are several (the total row may be off)."""
    table: list[tuple[str, Figure]] = []
    for col in COLUMNS:
        figs = [(r.total, getattr(r, col)) for r in rep.funds if getattr(r, col) is not None]
        table += [(col, f) for _, f in figs]
        sources = [f for total, f in figs if not total]
        if len(sources) > 1:
            table.append((col, Figure(sum(f.value for f in sources), "", max(f.decimals for f in sources))))
    return table


def _restated(value: float, unit: str, decimals: int, rep: Report, table: list[tuple[str, Figure]],
              cmp: Compare) -> Optional[tuple[str, Figure]]:
    """The fund figure an amount restates, or None. The coarser writing decides (7.29万元 restates
    72890元); of several, the closest."""
    scale = cmp.units.money_scale
    v = cmp.to_unit(value, unit, rep.money_unit)
    dec = decimals + round(math.log10(scale[rep.money_unit] / scale[unit]))
    near = [(abs(v - f.value), k) for k, (_, f) in enumerate(table)
            if abs(v - f.value) <= half_unit(min(dec, f.decimals))]
    return table[min(near)[1]] if near else None


def _none_of(table: list[tuple[str, Figure]], rep: Report) -> dict:
    shown = list(dict.fromkeys((col, fmt(f.value, f.decimals)) for col, f in table))
    return {"unit": rep.money_unit, "figures": [{"column": col, "value": v} for col, v in shown]}


def _whole_funds(subject: str, lexicon) -> bool:
    """项目资金, 本项目经费: a fund word (lexicon [roles] funds) with nothing but neutral words before it."""
    neutral = sorted(lexicon.role_neutral, key=len, reverse=True)
    for w in lexicon.funds:
        if not subject.endswith(w):
            continue
        rest = subject[: -len(w)]
        while rest:
            n = next((x for x in neutral if rest.startswith(x)), None)
            if n is None:
                break
            rest = rest[len(n):]
        if not rest:
            return True
    return False


def _prose_whole(rep: Report, claims: list, lexicon, cmp: Compare) -> list[Finding]:
    """The project's funds stated as a whole in the form's own target cells (项目资金30万元, 共申请
    预算资金90万元, 完成预算资金89.97万元), where the subject does not say which column it restates:
    the figure must be one of the fund table's. A part (其中), a change, a standard or a balance is none."""
    from .narrative import NOT_AMOUNTS, role

    own = {s.name for s in rep.sections if s.kind in OWN_SECTIONS}
    scale = cmp.units.money_scale
    table = _fund_figures(rep)
    if not table or rep.money_unit not in scale:
        return []
    out = []
    for c in claims:
        if c.section not in own or c.unit not in scale or c.range or c.approx or c.role == "subset" \
                or c.kind in NOT_AMOUNTS + ("balance",):
            continue
        if role(c, lexicon, cmp, loose=True) not in ("budget", "execution") and not _whole_funds(c.subject, lexicon):
            continue
        hit = _restated(c.value, c.unit, c.decimals, rep, table, cmp)
        if hit is not None:
            params = {"text": c.text, "column": hit[0], "stated": hit[1].raw or fmt(hit[1].value, hit[1].decimals)}
        else:
            params = {"text": c.text, **_none_of(table, rep)}
        f = _f("project.prose_funds", hit is not None, params, hit[1].value if hit else None, c.value,
               code="" if hit else "project.prose_funds.any")
        f.claims = [c.id]
        out.append(f)
    return out


def low_rate_without_reason(rep: Report, threshold: float) -> list[Finding]:
    """执行率 below the threshold and no 偏差原因 anywhere on the form."""
    total = _total_row(rep)
    if total is None or total.rate is None or total.rate.value >= threshold:
        return []
    ok = any(_has_reason(i.deviation) for i in rep.indicators)
    return [_f("project.low_rate", ok, {"rate": total.rate.raw, "threshold": threshold},
               threshold, total.rate.value, None, "warning")]
