"""Each key indicator against the narrative of its task.

consistent  a linked claim states the value (exactly, within its own
            approximation, or as the sum of listed parts);
mismatch    a strongly linked claim gives another figure for the same thing
            and nothing in the narrative supports the indicator;
unverified  numeric, but the narrative gives no figure for it;
qualitative nothing numeric to check.
A part under 其中 can support an indicator but never contradicts a total.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Optional

from .. import config
from ..model import Claim, Finding, Indicator, Report, Verdict
from .compare import compatible, fmt, to_unit, value_agrees
from .link import Link, common_words, link


@dataclass
class Support:
    claims: list[Claim]
    kind: str  # exact | range | approx | sum | comparator
    total: float


def _agrees(ind: Indicator, c: Claim) -> Optional[str]:
    q = ind.quantity
    v = to_unit(c.value, c.unit, ind.unit) if ind.unit else c.value
    rng = None
    if c.range is not None:
        rng = tuple(None if x is None else to_unit(x, c.unit, ind.unit) for x in c.range)
    comp = q.comparator if q is not None else None
    dec_v = q.decimals if q is not None else 0
    if value_agrees(ind.value, dec_v, v, c.decimals, rng, c.approx, comp):
        return "comparator" if comp else "range" if rng else "approx" if c.approx else "exact"
    return None


def _sum_agrees(ind: Indicator, parts: list[Claim]) -> Optional[Support]:
    if len(parts) < 2 or len(parts) > config.rules().link.max_parts:
        return None
    total = sum(to_unit(c.value, c.unit, ind.unit) for c in parts)
    dec = max(c.decimals for c in parts)
    dec_v = ind.quantity.decimals if ind.quantity else 0
    if any(c.range or c.approx for c in parts):
        return None
    if value_agrees(ind.value, dec_v, total, dec):
        return Support(parts, "sum", total)
    return None


def _support(ind: Indicator, links: list[Link]) -> Optional[Support]:
    ranked = sorted(links, key=lambda lk: (not lk.strong, lk.claim.role == "subset", -lk.share))
    for lk in ranked:
        kind = _agrees(ind, lk.claim)
        if kind:
            return Support([lk.claim], kind, lk.claim.value)
    parts = [lk.claim for lk in links if lk.claim.role != "subset"]
    for _, group in groupby(parts, key=lambda c: c.sentence):
        s = _sum_agrees(ind, list(group))
        if s:
            return s
    s = _sum_agrees(ind, parts)
    if s:
        return s
    # parts under 其中 add up to the indicator only when their own total does not
    # state the same thing (a stated total that disagrees is the narrative's word)
    stated = {lk.claim.id for lk in links if lk.strong}
    by_parent: dict[str, list[Claim]] = {}
    for lk in links:
        if lk.claim.role == "subset" and lk.claim.parent and lk.claim.parent not in stated:
            by_parent.setdefault(lk.claim.parent, []).append(lk.claim)
    for kids in by_parent.values():
        s = _sum_agrees(ind, kids)
        if s:
            return s
    return None


def judge(report: Report, claims: list[Claim]) -> tuple[dict[str, Verdict], list[Finding]]:
    by_section: dict[str, list[Claim]] = {}
    for c in claims:
        by_section.setdefault(c.section, []).append(c)
    texts = [s.text for s in report.sections]
    common = common_words(texts, [i.name for i in report.indicators])
    verdicts: dict[str, Verdict] = {}
    findings: list[Finding] = []
    for ind in report.indicators:
        v, f = _judge_one(ind, by_section.get(ind.pool or ind.section, []), claims, common)
        verdicts[ind.id] = v
        if f is not None:
            findings.append(f)
    return verdicts, findings


def _links(ind: Indicator, pool: list[Claim], common: frozenset[str]) -> list[Link]:
    out = []
    for c in pool:
        if not compatible(ind.unit, c.unit):
            continue
        lk = link(ind, c, common)
        if lk.share > 0:
            out.append(lk)
    return out


def _judge_one(ind: Indicator, own: list[Claim], everything: list[Claim],
               common: frozenset[str]) -> tuple[Verdict, Optional[Finding]]:
    if ind.value is None:
        return Verdict(ind.id, "qualitative", [], "定性指标，没有可核对的数字", "qualitative: nothing numeric to check"), None
    links = _links(ind, own, common)
    sup = _support(ind, links)
    if sup is None:
        # a figure elsewhere in the report may state it (another task, the project rows)
        others = [c for c in everything if c.section != (ind.pool or ind.section)]
        strong_elsewhere = [lk for lk in _links(ind, others, common) if lk.strong]
        sup = next((Support([lk.claim], k, lk.claim.value) for lk in strong_elsewhere
                    if (k := _agrees(ind, lk.claim))), None)
    if sup is not None:
        zh, en = _consistent_note(ind, sup)
        return (Verdict(ind.id, "consistent", [c.id for c in sup.claims], zh, en),
                _finding(ind, "consistent", sup.claims, sup.total, zh, en))
    strong_links = [lk for lk in links if lk.strong]
    best = max((lk.share for lk in strong_links), default=0.0)
    # the closest statements of the same thing; a part under 其中 only when its own words name it
    strong = [lk.claim for lk in strong_links if lk.share >= best - 1e-9]
    if strong:
        zh, en, shown = _mismatch_note(ind, strong, [lk.claim for lk in links])
        ev = [c.id for c in strong]
        return (Verdict(ind.id, "mismatch", ev, zh, en),
                _finding(ind, "mismatch", strong, shown, zh, en))
    zh = f"叙述中没有“{ind.name}”的数字，无法核对指标值{ind.raw}"
    en = f"the narrative gives no figure for '{ind.name}' ({ind.raw})"
    return Verdict(ind.id, "unverified", [], zh, en), _finding(ind, "unverified", [], None, zh, en)


def _finding(ind: Indicator, status: str, claims: list[Claim], expected: Optional[float], zh: str, en: str) -> Finding:
    return Finding("indicator.narrative", status, zh, en, "error" if status == "mismatch" else "info",
                   ind.id, [c.id for c in claims], expected, ind.value)


def _consistent_note(ind: Indicator, sup: Support) -> tuple[str, str]:
    c = sup.claims[0]
    if sup.kind == "sum":
        terms = "+".join(fmt(x.value) for x in sup.claims)
        return (f"叙述所列{len(sup.claims)}项之和 {terms}={fmt(sup.total)}{ind.unit or ''}，与指标值{ind.raw}一致",
                f"the {len(sup.claims)} parts listed add up to {fmt(sup.total)} ({terms}), as the indicator states")
    if sup.kind == "range":
        return (f"叙述中“{c.text}”的范围涵盖指标值{ind.raw}", f"'{c.text}' covers the indicator's {ind.raw}")
    if sup.kind == "approx":
        return (f"叙述中“{c.text}”为约数，与指标值{ind.raw}相符", f"'{c.text}' is approximate and agrees with {ind.raw}")
    if sup.kind == "comparator":
        return (f"叙述中“{c.text}”满足指标{ind.raw}", f"'{c.text}' meets the indicator's {ind.raw}")
    where = "" if c.section in (ind.section, ind.pool) else f"（见“{c.section}”）"
    return (f"叙述中“{c.text}”{where}与指标值{ind.raw}一致", f"'{c.text}' states the indicator's {ind.raw}")


def _mismatch_note(ind: Indicator, strong: list[Claim], linked: list[Claim]) -> tuple[str, str, float]:
    quoted = "、".join(f"“{c.text}”" for c in strong[:4])
    shown = strong[0].value
    extra_zh = extra_en = ""
    parts = [c for c in linked if c.role != "subset" and not c.range and not c.approx]
    if len(parts) >= 2:
        total = sum(to_unit(c.value, c.unit, ind.unit) for c in parts)
        extra_zh = f"；所列{len(parts)}项合计{fmt(total)}{ind.unit or ''}"
        extra_en = f"; the {len(parts)} parts listed add up to {fmt(total)}"
        shown = total
    zh = f"指标值{ind.raw}与叙述不符：叙述为{quoted}{extra_zh}"
    en = f"indicator {ind.raw} contradicts the narrative: {', '.join(c.text for c in strong[:4])}{extra_en}"
    return zh, en, shown
