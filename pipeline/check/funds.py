"""The narrative's statement of a project's funds against the form's fund rows.

A 项目支出 form states the year's budget and the amount executed in its fund rows; the
narrative of the year (年度总体目标完成情况) often states them again (救助资金30万元, 执行数为
125.25万元). Such a figure must be one of the two, to the narrative's own rounding. Only a
claim that names funds as a whole is read so: no part (其中), change, balance or standard.
"""
from __future__ import annotations

from typing import Optional

from ..model import Claim, Finding, FundRow, Report
from .compare import Compare

# subjects that name a project's funds as a whole
FUND_WORDS = ("资金", "经费", "执行数", "预算数", "支出", "预算")
SECTION_KINDS = ("goal", "project")


def check(report: Report, claims: list[Claim], settings) -> list[Finding]:
    row = _total_row(report.funds)
    if row is None or (row.budget is None and row.executed is None):
        return []
    cmp = Compare.of(settings)
    kinds = {s.name: s.kind for s in report.sections}
    stated = [(k, f) for k, f in (("budget", row.budget), ("initial", row.initial), ("executed", row.executed))
              if f is not None and f.value]
    if not stated:
        return []
    out = []
    for c in claims:
        if kinds.get(c.section) not in SECTION_KINDS or not _names_funds(c, cmp):
            continue
        v = cmp.to_unit(c.value, c.unit, report.money_unit)
        ok = any(abs(f.value - v) <= 0.5 * 10.0 ** (-min(c.decimals, f.decimals)) + 1e-9 for _, f in stated)
        out.append(Finding("narrative.funds", "consistent" if ok else "mismatch", "info" if ok else "error", None,
                           [c.id], stated[-1][1].value, c.value, "narrative.funds",
                           {"claim": c.text, "budget": row.budget.value if row.budget else None,
                            "executed": row.executed.value if row.executed else None, "unit": report.money_unit}))
    return out


def _total_row(funds: list[FundRow]) -> Optional[FundRow]:
    row = next((r for r in funds if r.total), None)
    if row is not None and (row.budget and row.budget.value or row.executed and row.executed.value):
        return row
    sources = [r for r in funds if not r.total and (r.budget or r.executed)]
    return sources[0] if len(sources) == 1 else row


def _names_funds(c: Claim, cmp: Compare) -> bool:
    if cmp.family(c.unit) != "money" or c.role == "subset" or c.kind is not None or c.range or c.approx:
        return False
    return c.subject.endswith(FUND_WORDS)
