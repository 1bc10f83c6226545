"""Segmentation and claim extraction over the narrative sections of a Report."""
from __future__ import annotations

from ..model import Claim, Report
from .claims import extract

# sections whose figures are outputs or amounts; plans of what is to be done next (改进措施) are not.
# A project's 预期目标 (kind plan) states what was planned: its budget and parts are claims, checked
# within the plan and against the fund rows, never against what was done
CLAIM_KINDS = ("task", "project", "overall", "goal", "problems", "narrative", "plan")


def warm(settings=None) -> None:
    """Build jieba's dictionary and the spaCy pipeline now, not on the first report (a worker's start)."""
    from . import segment

    segment.tokenizer()
    segment.nlp()


def annotate(report: Report, settings) -> tuple[list[Claim], dict[str, object]]:
    """Every claim of the report, numbered C1… in reading order, and each section's spaCy Doc."""
    claims: list[Claim] = []
    docs: dict[str, object] = {}
    for section in report.sections:
        if section.kind not in CLAIM_KINDS:
            continue
        found, doc = extract(section, settings, len(claims) + 1)
        claims.extend(found)
        docs[section.name] = doc
    return claims, docs
