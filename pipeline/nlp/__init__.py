"""Segmentation and claim extraction over the narrative sections of a Report."""
from __future__ import annotations

from ..model import Claim, Report
from . import claims as _claims
from .claims import Annotation, extract

# sections whose figures are outputs or amounts; plans of what is to be done next (改进措施) are not.
# A project's 预期目标 (kind plan) states what was planned: its budget and parts are claims, checked
# within the plan and against the fund rows, never against what was done
CLAIM_KINDS = ("task", "project", "overall", "goal", "problems", "narrative", "plan")


def warm(settings=None) -> None:
    """Build jieba's dictionary now, not on the first report (a worker's start). The spaCy
    pipeline is built when a section's Doc is first asked for (`Annotation.doc`): a check
    reads jieba's words and never needs one."""
    from . import segment

    segment.tokenizer()


def annotate(report: Report, settings) -> tuple[list[Claim], dict[str, Annotation]]:
    """Every claim of the report, numbered C1… in reading order, and each section's Annotation
    (its census of numbers; `.doc` the spaCy Doc with the claims as spans, built when read)."""
    claims: list[Claim] = []
    docs: dict[str, Annotation] = {}
    read = [s for s in report.sections if s.kind in CLAIM_KINDS]
    rubric = _claims.is_rubric("\n".join(s.text for s in read), settings.lexicon)
    for section in read:
        found = _claims.annotate(section, settings, len(claims) + 1, rubric)
        claims.extend(found.claims)
        docs[section.name] = found
    return claims, docs
