"""Checks: one module per family of rules, each returning Findings.

Checks read the Report and the Claims; they never reach back to readers.
"""
from __future__ import annotations

from ..model import Claim, Finding, Report, Verdict
from . import budget, indicators, narrative


def run(report: Report, claims: list[Claim]) -> tuple[dict[str, Verdict], list[Finding]]:
    findings: list[Finding] = []
    findings.extend(budget.check(report.budget, report.money_unit))
    verdicts, ind_findings = indicators.judge(report, claims)
    findings.extend(ind_findings)
    findings.extend(narrative.check(claims))
    for k, f in enumerate(findings, 1):
        f.id = f"F{k}"
    return verdicts, findings
