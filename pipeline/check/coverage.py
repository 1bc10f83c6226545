"""Coverage you can see: of the numbers a report's narrative holds, how many became claims,
how many were set aside and why (date, ordinal, list number, document number, name …), how
many claims were checked against something, and how many numbers nothing explains.

A number left unexplained is how a blind spot shows itself, so the examples name them.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..model import Claim, Finding, Verdict

EXAMPLES = 8


def of(claims: list[Claim], docs: dict[str, Any], findings: list[Finding],
       verdicts: dict[str, Verdict]) -> dict[str, Any]:
    """The report's coverage as JSON-ready data, from the extractor's census of each section
    (`docs`: section name -> `nlp.Annotation`, as `nlp.annotate` returns them)."""
    numbers = 0
    reasons: Counter[str] = Counter()
    examples: list[str] = []
    for name, found in docs.items():
        text = found.text
        for start, end, why in found.census or ():
            numbers += 1
            if why == "claim":
                continue
            reasons[why] += 1
            if why == "unexplained" and len(examples) < EXAMPLES:
                examples.append(f"{name}：{text[max(0, start - 8):end + 4].strip()}")
    cited = {cid for f in findings for cid in f.claims} | {cid for v in verdicts.values() for cid in v.evidence}
    checked = sum(1 for c in claims if c.id in cited)
    unexplained = reasons.pop("unexplained", 0)
    return {
        "numbers": numbers,
        "claims": len(claims),
        "checked": checked,
        "unchecked": len(claims) - checked,
        "set_aside": dict(sorted(reasons.items())),
        "unexplained": unexplained,
        "unexplained_share": round(unexplained / numbers, 4) if numbers else 0.0,
        "unexplained_examples": examples,
    }
