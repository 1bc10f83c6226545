"""What the HTML and XLSX reports both need from a record: where evidence sits, how bad a report is.

Reads only the serialised record (the CONTRACT dict, decisions applied).
"""
from __future__ import annotations

import re
from typing import Any, Optional

from .reviewed import is_dismissed, is_open

SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
# worst first: open errors, then files that could not be read, open warnings, unverified only, clean
WORST = {"error": 4, "unreadable": 3, "warning": 2, "unverified": 1, "clean": 0}

# a sentence ends at 。！？；! ? ; or a line break; evidence is shown as its whole sentence
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
EVIDENCE_CHARS = 160


def locate(record: dict[str, Any], claim: dict[str, Any]) -> Optional[tuple[int, int, int]]:
    """(section index, start, end) of a claim's span in `sections`, or None when it points nowhere.

    Several sections can share a name; the one whose text at the span reads
    the claim's text wins, else the first long enough to hold the span.
    """
    span = claim.get("span") or []
    if len(span) != 2 or not all(isinstance(x, int) for x in span) or span[0] < 0 or span[1] < span[0]:
        return None
    start, end = span
    fallback = None
    for i, sec in enumerate(record.get("sections") or []):
        if sec.get("name") != claim.get("section"):
            continue
        text = sec.get("text") or ""
        if end > len(text):
            continue
        if text[start:end] == claim.get("text"):
            return i, start, end
        if fallback is None:
            fallback = (i, start, end)
    return fallback


def sentence(text: str, start: int, end: int, limit: int = EVIDENCE_CHARS) -> tuple[str, int, int]:
    """The sentence around text[start:end], and the span's offsets inside it (cut to `limit` chars)."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    m = _SENTENCE_END.search(text, end)
    right = m.end() if m else len(text)
    left = max(left, start - limit // 2)
    right = min(right, max(end + limit // 2, end))
    piece = text[left:right]
    lead = len(piece) - len(piece.lstrip())
    return piece.strip(), start - left - lead, end - left - lead


def evidence_text(record: dict[str, Any], finding: dict[str, Any]) -> str:
    """The narrative sentences a finding's claims stand in, joined; the claims' own text where a span is lost."""
    claims = {c.get("id"): c for c in record.get("claims") or []}
    sections = record.get("sections") or []
    out: list[str] = []
    for cid in finding.get("claims") or []:
        c = claims.get(cid)
        if c is None:
            continue
        where = locate(record, c)
        text = sentence(sections[where[0]].get("text") or "", where[1], where[2])[0] if where else (c.get("text") or "")
        if text and text not in out:
            out.append(text)
    return " … ".join(out)


def finding_section(record: dict[str, Any], finding: dict[str, Any]) -> Optional[str]:
    """The task or section a finding is about: its indicator's, else its first claim's."""
    ind = next((i for i in record.get("indicators") or [] if i.get("id") == finding.get("indicator")), None)
    if ind and ind.get("section"):
        return ind["section"]
    claims = {c.get("id"): c for c in record.get("claims") or []}
    for cid in finding.get("claims") or []:
        if cid in claims and claims[cid].get("section"):
            return claims[cid]["section"]
    return None


def summary(record: dict[str, Any]) -> dict[str, Any]:
    """Counts a reviewer sorts and filters by, and the report's place in the worst-first order."""
    if record.get("status") != "checked":
        return {"worst": "unreadable", "rank": WORST["unreadable"], "open": 0, "dismissed": 0,
                "unverified": 0, "rules": [], "severities": [], "n_findings": 0}
    findings = record.get("findings") or []
    open_f = [f for f in findings if is_open(f)]
    unverified = sum(f.get("status") == "unverified" for f in findings)
    severities = {f.get("severity") for f in open_f}
    worst = "error" if "error" in severities else "warning" if open_f else "unverified" if unverified else "clean"
    return {
        "worst": worst,
        "rank": WORST[worst],
        "open": len(open_f),
        "dismissed": sum(is_dismissed(f) and f.get("status") == "mismatch" for f in findings),
        "unverified": unverified,
        # what the rule and severity filters match: rules and severities of the findings that need attention
        "rules": sorted({f.get("rule") for f in findings if f.get("status") != "consistent" and f.get("rule")}),
        "severities": sorted({f.get("severity") for f in findings
                              if f.get("status") != "consistent" and f.get("severity")}),
        "n_findings": len(findings),
    }


def sort_key(record: dict[str, Any]) -> tuple:
    s = summary(record)
    src = record.get("source") or {}
    return (-s["rank"], -s["open"], -s["unverified"], src.get("path") or "")
