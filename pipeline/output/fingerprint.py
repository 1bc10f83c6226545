"""A finding's stable fingerprint: what a reviewer's decision is attached to.

Built from what the finding is about, never from how it is worded or
numbered: the report's content hash (`source.sha256`), the rule, the figures
compared (`expected`, `reported`), the indicator's name and stated value, and
the claims it rests on (their section, value, unit and range). Re-rendering
messages, renumbering F3 to F4 or checking in another language keeps it; a
changed figure (or a changed file) gives a new one, so the finding comes back
for review.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Optional

LENGTH = 20  # hex digits shown and stored: 80 bits, short enough to paste


def _figure(x: Any) -> Any:
    """Numbers compared by value (2133 == 2133.0), to 6 decimals like the CONTRACT."""
    if isinstance(x, bool) or x is None:
        return x
    if isinstance(x, (int, float)):
        r = round(float(x), 6)
        return int(r) if r == int(r) else r
    return str(x)


def _claim_key(claim: dict[str, Any]) -> list[Any]:
    rng = claim.get("range")
    return [claim.get("section") or "", _figure(claim.get("value")), claim.get("unit") or "",
            None if rng is None else [_figure(v) for v in rng], bool(claim.get("approx"))]


def _maps(record: dict[str, Any]) -> tuple[dict, dict]:
    return ({i.get("id"): i for i in record.get("indicators") or []},
            {c.get("id"): c for c in record.get("claims") or []})


def basis(record: dict[str, Any], finding: dict[str, Any], maps: Optional[tuple[dict, dict]] = None) -> dict[str, Any]:
    """The parts a fingerprint is made of, as plain data (shown when a reviewer asks why)."""
    indicators, claims = maps or _maps(record)
    ind = indicators.get(finding.get("indicator")) if finding.get("indicator") else None
    rests_on = sorted((_claim_key(claims[cid]) for cid in finding.get("claims") or [] if cid in claims),
                      key=lambda k: json.dumps(k, ensure_ascii=False))
    src = record.get("source") or {}
    return {
        "report": src.get("sha256") or src.get("path") or "",
        "rule": finding.get("rule") or "",
        "expected": _figure(finding.get("expected")),
        "reported": _figure(finding.get("reported")),
        "indicator": None if ind is None else [ind.get("section") or "", ind.get("name") or "",
                                               _figure(ind.get("value")), ind.get("unit") or ""],
        "claims": rests_on,
    }


def fingerprint(record: dict[str, Any], finding: dict[str, Any], maps: Optional[tuple[dict, dict]] = None) -> str:
    text = json.dumps(basis(record, finding, maps), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:LENGTH]


def fingerprints(record: dict[str, Any]) -> list[str]:
    """One per finding of the record, in order (none for an unreadable record)."""
    maps = _maps(record)
    return [fingerprint(record, f, maps) for f in record.get("findings") or []]


def is_fingerprint(text: Optional[str]) -> bool:
    return bool(text) and len(text) == LENGTH and all(ch in "0123456789abcdef" for ch in text)


def find(records: Iterable[dict[str, Any]], fp: str) -> Optional[tuple[dict[str, Any], dict[str, Any]]]:
    """The (record, finding) a fingerprint names, or None."""
    for rec in records:
        for f in rec.get("findings") or []:
            if fingerprint(rec, f) == fp:
                return rec, f
    return None
