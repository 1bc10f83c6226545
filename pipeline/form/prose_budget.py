"""A narrative report's budget block, read from its prose once claims exist.

This is form work (which figure of the text is the 年初预算), done with the
narrative template's labels, after the nlp stage has found the claims: the
api calls `complete` between nlp and check.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ..model import Claim, Figure, Report


def _figure(c: Claim) -> Figure:
    """The claim's value as a form figure, written with its own decimals."""
    return Figure(c.value, f"{c.value:.{c.decimals}f}" + ("%" if c.unit == "%" else ""), c.decimals)


def _names(c: Claim, labels: tuple[str, ...], lexicon) -> bool:
    subject = lexicon.strip_neutral(c.subject)
    # 项目全年预算 names 全年预算: a long label at the end of the subject counts, but for one marked
    # whole (^下达预算): 追加下达预算, 年初下达预算 and 中央指标金额 name other figures
    whole = {x[1:] for x in labels if x.startswith("^")}
    ends = [x for x in labels if not x.startswith("^")]
    return (subject in whole or c.subject in whole or subject in ends or c.subject in ends
            or any(len(x) >= 3 and c.subject.endswith(x) for x in ends))


def from_claims(claims: list[Claim], spec: dict[str, tuple[str, ...]], lexicon) -> dict[str, Claim]:
    """Budget key -> the first claim whose subject names it (a rate only for the rate key)."""
    found: dict[str, Claim] = {}
    for c in claims:
        if c.kind is not None:
            continue  # 较年初预算增加20万元: a change, a share or a standard states no budget figure
        for key, labels in spec.items():
            if key in found or not _names(c, labels, lexicon):
                continue
            if (key == "completion_rate") != (c.unit == "%"):
                continue
            found[key] = c
    return found


def complete(report: Report, claims: list[Claim], settings) -> Report:
    """The report with its budget filled from the prose, for a narrative report; others as they are."""
    if report.kind != "narrative":
        return report
    tpl: Optional[object] = next((t for t in settings.templates if t.name == report.template), None) \
        or settings.template("narrative")
    spec = tpl.group("budget") if tpl else {}
    found = from_claims(claims, spec, settings.lexicon)
    if not found:
        return report
    # a figure the form's own cells gave (`labelled`) stays: the prose fills what they left open
    b = report.budget
    found = {k: c for k, c in found.items() if getattr(b, k) is None}
    if not found:
        return report
    figs = {k: _figure(c) for k, c in found.items()}
    return replace(report, budget=replace(b, **figs), budget_claims={k: c.id for k, c in found.items()})
