"""Checks: one module per family of rules, each returning Findings.

Checks read the Report and the Claims; they never reach back to readers.
Which families run depends on the template's kind.
"""
from __future__ import annotations

from dataclasses import replace

from ..model import Claim, Finding, Report, Verdict
from . import budget, indicators, narrative, project


def run(report: Report, claims: list[Claim]) -> tuple[Report, dict[str, Verdict], list[Finding]]:
    """The report as checked (a narrative report's budget comes from its prose), verdicts, findings."""
    findings: list[Finding] = []
    used: set[str] = set()
    if report.kind == "narrative":
        stated, used = budget.from_claims(claims, report.budget)
        report = replace(report, budget=stated)
    if report.kind == "project":
        findings.extend(project.check(report))
    else:
        findings.extend(budget.check(report.budget, report.money_unit))
    verdicts, ind_findings = indicators.judge(report, claims)
    findings.extend(ind_findings)
    findings.extend(narrative.check(claims, skip=used))
    for k, f in enumerate(findings, 1):
        f.id = f"F{k}"
    return report, verdicts, findings
