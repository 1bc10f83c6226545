"""Checks: one module per family of rules, each returning Findings as data.

Checks read the Report and the Claims; they never reach back to readers, and
they never write prose: the output layer renders each finding's code and
parameters. Which families run depends on the template's kind.
"""
from __future__ import annotations

from ..model import Claim, Finding, Report, Verdict
from . import budget, indicators, narrative, project


# the form's own cross-checks of one indicator that decide it where the narrative says nothing:
# the statuses of each rule's findings that become the indicator's verdict (a cost within the
# executed amount is no proof of the figure, so only its mismatch does)
SETTLING = {"budget.restated": ("consistent", "mismatch"), "project.cost": ("mismatch",),
            "project.funds_indicator": ("consistent", "mismatch")}


def run(report: Report, claims: list[Claim], settings) -> tuple[dict[str, Verdict], list[Finding]]:
    """Verdicts per indicator and every finding, numbered F1…"""
    findings: list[Finding] = []
    if report.kind == "project":
        findings.extend(project.check(report, settings))
        findings.extend(project.against_prose(report, claims, settings))
    else:
        findings.extend(budget.check(report.budget, report.money_unit, settings))
        findings.extend(budget.restated(report.budget, report.indicators, settings))
    verdicts, ind_findings = indicators.judge(report, claims, settings)
    settled = _settle(verdicts, findings)
    findings.extend(f for f in ind_findings if f.indicator not in settled)  # its form finding says it
    # the claims a narrative report's budget was read from are checked by the budget rules already
    skip = set(report.budget_claims.values())
    # what was planned (预期目标) and what was done are two statements: each is checked within itself
    plans = {s.name for s in report.sections if s.kind == "plan"}
    done = [c for c in claims if c.section not in plans]
    findings.extend(narrative.check(done, settings, skip=skip))
    if len(done) < len(claims):
        findings.extend(narrative.check([c for c in claims if c.section in plans], settings, skip=skip))
    for k, f in enumerate(findings, 1):
        f.id = f"F{k}"
    return verdicts, findings


def _settle(verdicts: dict[str, Verdict], form: list[Finding]) -> set[str]:
    """An indicator the narrative says nothing about takes the form's word (预算完成率 76% is the
    budget block's 执行率 76%, or contradicts it); one the narrative decided keeps that verdict.
    The indicators settled so; their note is the form finding's sentence."""
    settled = set()
    for f in form:
        v = verdicts.get(f.indicator or "")
        if v is not None and v.status == "unverified" and f.status in SETTLING.get(f.rule, ()):
            verdicts[v.indicator] = Verdict(v.indicator, f.status, [], f.code or f.rule, dict(f.params))
            settled.add(v.indicator)
    return settled
