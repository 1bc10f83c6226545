"""The JSON object of ../shared/CONTRACT.md (schema jixiao.check/1)."""
from __future__ import annotations

import json
from typing import Any, Optional

from ..model import CheckResult, Figure
from .messages import finding_message, verdict_note

SCHEMA = "jixiao.check/1"


def _num(x: Optional[float], decimals: Optional[int] = None) -> Any:
    """Whole numbers print as integers (123, not 123.0) unless the form wrote decimals."""
    if x is None:
        return None
    if (decimals is None or decimals == 0) and abs(x - round(x)) < 1e-9:
        return int(round(x))
    return round(x, 6)


def _fig(f: Optional[Figure]) -> Any:
    return None if f is None else _num(f.value, f.decimals)


def to_dict(res: CheckResult, lang: str = "zh") -> dict[str, Any]:
    rep, doc = res.report, res.document
    b = rep.budget
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "status": "checked",
        "source": {"path": doc.path, "sha256": doc.sha256, "format": doc.format},
        "pipeline": {"version": res.version, "settings": res.fingerprint},
        "report": {
            "title": rep.title,
            "department": rep.department,
            "year": rep.year,
            "template": rep.template,
            "money_unit": rep.money_unit,
        },
        "budget": {
            "initial": _fig(b.initial),
            "adjusted": _fig(b.adjusted),
            "actual": _fig(b.actual),
            "adjustment": _fig(b.adjustment),
            "completion_rate": _fig(b.completion_rate),
            "adjustment_rate": _fig(b.adjustment_rate),
            "received": _fig(b.received),
            "balance": _fig(b.balance),
        },
        "indicators": [],
        "claims": [],
        "findings": [],
        # the narrative texts claims' spans point into, for reports that highlight evidence in place
        "sections": [{"name": sec.name, "kind": sec.kind, "text": sec.text} for sec in rep.sections],
    }
    if rep.warnings:
        out["report"]["warnings"] = list(rep.warnings)
    if res.coverage is not None:
        out["coverage"] = res.coverage
    for ind in rep.indicators:
        v = res.verdicts.get(ind.id)
        row: dict[str, Any] = {
            "id": ind.id,
            "section": ind.section,
            "name": ind.name,
            "raw": ind.raw,
            "value": _num(ind.value, ind.quantity.decimals if ind.quantity else None),
            "unit": ind.unit if ind.value is not None else None,
            "status": v.status if v else "unverified",
            "evidence": list(v.evidence) if v else [],
            "note": verdict_note(v, lang) if v else "",
        }
        if ind.target is not None or ind.target_raw:
            row["target"] = ind.target_raw
        if ind.weight is not None:
            row["weight"] = _fig(ind.weight)
        if ind.score is not None:
            row["score"] = _fig(ind.score)
        out["indicators"].append(row)
    out["claims"] = [_claim(c) for c in res.claims]
    out["findings"] = [_finding(f, lang) for f in res.findings]
    return out


def _claim(c) -> dict[str, Any]:
    """A claim as the contract prints it: numbers with their own decimals, ranges as [low, high)."""
    row = {k: getattr(c, k) for k in ("id", "section", "text", "subject")}
    row.update(value=_num(c.value, c.decimals), unit=c.unit,
               range=None if c.range is None else [_num(c.range[0]), _num(c.range[1])],
               approx=c.approx, span=list(c.span))
    return row


def _finding(f, lang: str) -> dict[str, Any]:
    """A finding as data (rule, code, the figures compared, params) and its sentence in `lang`."""
    row = {k: getattr(f, k) for k in ("id", "rule", "status", "severity", "indicator")}
    row.update(claims=list(f.claims), expected=_num(f.expected), reported=_num(f.reported), code=f.code or f.rule,
               message=finding_message(f, lang), params=_params(f.params))
    return row


def _params(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as JSON: numbers as the contract prints them, lists and tables kept."""
    def conv(x: Any) -> Any:
        if isinstance(x, float):
            return _num(x)
        if isinstance(x, (list, tuple)):
            return [conv(y) for y in x]
        if isinstance(x, dict):
            return {k: conv(v) for k, v in x.items()}
        return x
    return {k: conv(v) for k, v in params.items()}


def dumps(res: CheckResult, lang: str = "zh", indent: Optional[int] = 2) -> str:
    return json.dumps(to_dict(res, lang), ensure_ascii=False, indent=indent)


def error_dict(item: Any, error: Any, lang: str = "zh") -> dict[str, Any]:
    """An input that could not be checked, as a record beside the checked ones (status `unreadable`)."""
    path = getattr(item, "path", str(item))
    member = getattr(item, "member", None)
    return {
        "schema": SCHEMA,
        "status": "unreadable",
        "source": {"path": getattr(item, "name", path), "file": path, "member": member, "sha256": None, "format": None},
        "error": {**error.record(), "message": error.line(lang)},
    }
