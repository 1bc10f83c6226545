"""Budget arithmetic of the department form, with the form's own rounding.

调整数 = 调整预算 − 年初预算; 完成率 = 实际支出 ÷ 调整预算;
调整率 = 调整数 ÷ 年初预算; 结余 = 实际到位资金 (else 计划安排) − 实际支出;
a 其中 line never exceeds the total above it;
a key indicator that restates one of the block's rates (预算完成率 76%) states its figure.
"""
from __future__ import annotations

import re
from typing import Optional

from ..model import Budget, Figure, Finding, Indicator
from .compare import amount_agrees, rate_agrees


def _f(rule: str, ok: bool, expected: float, reported: float, params: dict, code: str = "") -> Finding:
    status = "consistent" if ok else "mismatch"
    return Finding(rule, status, "info" if ok else "error", None, [], expected, reported, code, params)


def rate_finding(rule: str, exp: float, stated: Figure, extra_ulps: int, **figures) -> Finding:
    """A stated rate against its computation; `figures` are the operands as the form states them."""
    ok = rate_agrees(exp, stated.value, stated.decimals, extra_ulps)
    return _f(rule, ok, round(exp, 2), stated.value, {**figures, "expected": exp, "stated": stated.raw})


def check(b: Budget, unit: str, settings) -> list[Finding]:
    rules = settings.rules
    out: list[Finding] = []
    adj = None
    if b.adjusted and b.initial:
        adj = b.adjusted.value - b.initial.value
    if adj is not None and b.adjustment is not None:
        ok = amount_agrees(adj, b.adjustment.value, b.adjustment.decimals, rules.money.sum_ulps)
        exp = round(adj, max(b.adjusted.decimals, b.initial.decimals))
        out.append(_f("budget.adjustment", ok, exp, b.adjustment.value,
                      {"adjusted": b.adjusted.raw, "initial": b.initial.raw, "expected": exp, "unit": unit,
                       "stated": b.adjustment.raw, "decimals": b.adjustment.decimals}))
    if b.actual and b.adjusted and b.completion_rate and b.adjusted.value:
        out.append(rate_finding("budget.completion_rate", b.actual.value / b.adjusted.value * 100,
                                b.completion_rate, rules.rates.extra_ulps,
                                actual=b.actual.raw, adjusted=b.adjusted.raw))
    # from the two budgets when both are stated, so that a wrong 调整数 is reported once
    base = adj if adj is not None else (b.adjustment.value if b.adjustment is not None else None)
    if base is not None and b.initial and b.adjustment_rate and b.initial.value:
        src = round(base, b.initial.decimals) if adj is not None else b.adjustment.raw
        out.append(rate_finding("budget.adjustment_rate", base / b.initial.value * 100, b.adjustment_rate,
                                rules.rates.extra_ulps, adjustment=src, initial=b.initial.raw))
    out.extend(_balance(b, unit, rules))
    total = b.actual
    for label, fig in b.parts:
        if total is None:
            break
        ok = fig.value <= total.value + 10.0 ** (-max(fig.decimals, total.decimals))
        out.append(_f("budget.part", ok, total.value, fig.value,
                      {"label": label, "amount": fig.raw, "unit": unit, "actual": total.raw}))
    return out


def _balance(b: Budget, unit: str, rules) -> list[Finding]:
    """What is left is what came in less what was spent: the funds received when the block states
    them, else the amount planned. Spending beyond the funds shows here too (结余 0 against
    170 − 179.6)."""
    base, field = (b.received, "received") if b.received is not None else (b.adjusted, "adjusted")
    if base is None or b.actual is None or b.balance is None:
        return []
    exp = base.value - b.actual.value
    ok = amount_agrees(exp, b.balance.value, b.balance.decimals, rules.money.sum_ulps)
    shown = round(exp, max(base.decimals, b.actual.decimals))
    return [_f("budget.balance", ok, shown, b.balance.value,
               {"base": base.raw, "field": field, "actual": b.actual.raw, "expected": shown,
                "stated": b.balance.raw, "unit": unit})]


# what an indicator name holds besides its words: spaces, punctuation, a bracketed note (（%）)
_NOTE = re.compile(r"[(（][^()（）]*[)）]|[^0-9A-Za-z\u4e00-\u9fff]")
_RESTATED = {"completion_rate": "restated_completion_rate", "adjustment_rate": "restated_adjustment_rate"}


def restated(b: Budget, indicators: list[Indicator], settings) -> list[Finding]:
    """Each key indicator named for one of the budget block's rates against the block's figure: two
    cells of one form that must agree (the indicator is often typed in separately, and goes stale)."""
    rules = settings.rules
    out = []
    for ind in indicators:
        key = _NOTE.sub("", ind.name)
        field = next((f for f, names in _RESTATED.items() if key in getattr(rules.budget, names)), None)
        block: Optional[Figure] = getattr(b, field) if field else None
        if block is None or ind.value is None or (ind.unit or "%") != "%":
            continue
        dec = ind.quantity.decimals if ind.quantity is not None else 0
        # the finer figure rounded to the coarser one's decimals
        ok = (rate_agrees(block.value, ind.value, dec, rules.rates.extra_ulps) if dec <= block.decimals
              else rate_agrees(ind.value, block.value, block.decimals, rules.rates.extra_ulps))
        out.append(Finding("budget.restated", "consistent" if ok else "mismatch", "info" if ok else "error",
                           ind.id, [], block.value, ind.value, "",
                           {"name": ind.name, "raw": ind.raw, "field": field, "stated": block.raw}))
    return out
