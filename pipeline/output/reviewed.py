"""Reviewers' decisions laid over serialised records: which mismatches are still open.

Plain functions over the CONTRACT dicts, so the report, `check` and the
corpus builder honour decisions alike; the decisions themselves are stored
by pipeline/store/decisions.py (anything with verdict/reason/by/at will do).
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from .fingerprint import fingerprints


def _as_dict(d: Any) -> dict[str, Any]:
    get = d.get if isinstance(d, Mapping) else (lambda k: getattr(d, k, None))
    return {"verdict": get("verdict"), "reason": get("reason"), "by": get("by"), "at": get("at")}


def apply_decisions(records: Iterable[dict[str, Any]], decisions: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Copies of the records with each finding's `fingerprint` and `decision` (None when undecided).

    Statuses are left as the check found them; each checked record gains
    `review`: {"open", "dismissed", "confirmed"} counts of its mismatches, and
    a run fails on `open` only.
    """
    out = []
    for rec in records:
        rec = dict(rec)  # the record and its findings are copied; the rest is shared, never written
        rec["findings"] = [dict(f) for f in rec.get("findings") or []]
        counts = {"open": 0, "dismissed": 0, "confirmed": 0}
        for f, fp in zip(rec["findings"], fingerprints(rec)):
            d = decisions.get(fp)
            f["fingerprint"] = fp
            f["decision"] = None if d is None else _as_dict(d)
            if f.get("status") == "mismatch":
                counts["dismissed" if is_dismissed(f) else "open"] += 1
                counts["confirmed"] += bool(f["decision"] and f["decision"]["verdict"] == "confirmed")
        if rec.get("status") == "checked":
            rec["review"] = counts
        else:
            rec.pop("findings")
        out.append(rec)
    return out


def is_dismissed(finding: dict[str, Any]) -> bool:
    d = finding.get("decision")
    return bool(d) and d.get("verdict") == "dismissed"


def is_open(finding: dict[str, Any]) -> bool:
    """A mismatch no reviewer has dismissed: what fails a run."""
    return finding.get("status") == "mismatch" and not is_dismissed(finding)


def open_mismatches(record: dict[str, Any]) -> int:
    return sum(is_open(f) for f in record.get("findings") or [])


def reviewed(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records as given when decisions were applied already, else with none applied (fingerprints added)."""
    records = list(records)
    if all("review" in r or r.get("status") != "checked" for r in records) and \
            all("fingerprint" in f for r in records for f in r.get("findings") or []):
        return records
    return apply_decisions(records, {})
