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

from dataclasses import dataclass, field
from itertools import groupby
from typing import Optional

from ..model import Claim, Finding, Indicator, Report, Verdict
from .compare import EPS, Compare
from .embed_link import make_linker
from .link import Link, Linker


@dataclass
class Support:
    claims: list[Claim]
    kind: str  # exact | range | approx | sum | comparator
    total: float


@dataclass
class _Judge:
    """One report's indicators against its claims, with the settings' comparer and linker."""

    cmp: Compare
    linker: Linker  # or an EmbeddingLinker, which has the same interface
    max_parts: int
    common: frozenset[str] = frozenset()
    # claim id -> (the share of its strongest link to any indicator, that indicator's id)
    owner: dict[str, tuple[float, str]] = field(default_factory=dict)

    def agrees(self, ind: Indicator, c: Claim) -> Optional[str]:
        q = ind.quantity
        v = self.cmp.to_unit(c.value, c.unit, ind.unit) if ind.unit else c.value
        rng = None
        if c.range is not None:
            rng = tuple(None if x is None else self.cmp.to_unit(x, c.unit, ind.unit) for x in c.range)
        comp = q.comparator if q is not None else None
        dec_v = q.decimals if q is not None else 0
        if self.cmp.value_agrees(ind.value, dec_v, v, c.decimals, rng, c.approx, comp):
            return "comparator" if comp else "range" if rng else "approx" if c.approx else "exact"
        return None

    def sum_agrees(self, ind: Indicator, parts: list[Claim]) -> Optional[Support]:
        if len(parts) < 2 or len(parts) > self.max_parts:
            return None
        if any(c.range or c.approx for c in parts):
            return None
        total = sum(self.cmp.to_unit(c.value, c.unit, ind.unit) for c in parts)
        dec = max(c.decimals for c in parts)
        dec_v = ind.quantity.decimals if ind.quantity else 0
        if self.cmp.value_agrees(ind.value, dec_v, total, dec):
            return Support(parts, "sum", total)
        return None

    def support(self, ind: Indicator, links: list[Link]) -> Optional[Support]:
        ranked = sorted(links, key=lambda lk: (not lk.strong, lk.claim.role == "subset", -lk.share))
        for lk in ranked:
            kind = self.agrees(ind, lk.claim)
            if kind:
                return Support([lk.claim], kind, lk.claim.value)
        parts = [lk.claim for lk in links if lk.claim.role != "subset"]
        for _, group in groupby(parts, key=lambda c: c.sentence):
            s = self.sum_agrees(ind, list(group))
            if s:
                return s
        s = self.sum_agrees(ind, parts)
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
            s = self.sum_agrees(ind, kids)
            if s:
                return s
        return None

    def links(self, ind: Indicator, pool: list[Claim]) -> list[Link]:
        out = []
        standard = _is_standard(ind, self.linker.lex.standard)
        for c in pool:
            if not self.cmp.compatible(ind.unit, c.unit):
                continue
            if (c.kind == "standard") != standard or c.kind in ("change", "share"):
                continue  # 每人每月200元 is checked only against a standard, a change against nothing here
            lk = self.linker.link(ind, c, self.common)
            if lk.share > 0:
                out.append(lk)
        return out

    def judge_one(self, ind: Indicator, own: list[Claim], everything: list[Claim],
                  links: Optional[list[Link]] = None) -> tuple[Verdict, Optional[Finding]]:
        """`links`: the indicator's links to `own`, when the caller has them already."""
        if ind.value is None and ind.target is not None and ind.target.value is not None and not (ind.raw or "").strip():
            # a numeric target and a blank 完成值: a figure to check, and none stated
            params = {"name": ind.name, "target": ind.target_raw or ""}
            return Verdict(ind.id, "unverified", [], "indicator.no_actual", params), None
        if ind.value is None:
            return Verdict(ind.id, "qualitative", [], "indicator.qualitative", {"name": ind.name, "raw": ind.raw}), None
        links = self.links(ind, own) if links is None else links
        sup = self.support(ind, links)
        if sup is None:
            # a figure elsewhere in the report may state it (another task, the project rows)
            others = [c for c in everything if c.section != (ind.pool or ind.section)]
            strong_elsewhere = [lk for lk in self.links(ind, others) if lk.strong]
            sup = next((Support([lk.claim], k, lk.claim.value) for lk in strong_elsewhere
                        if (k := self.agrees(ind, lk.claim))), None)
        if sup is not None:
            return _verdict(ind, "consistent", sup.claims, sup.total, *_consistent(ind, sup))
        # a claim another indicator names more fully is that one's to contradict (见习单位满意度96% is
        # the 见习单位满意度 indicator's, not the 见习人员满意度 one's)
        strong_links = [lk for lk in links if lk.strong and not self._named_better(lk, ind)]
        best = max((lk.share for lk in strong_links), default=0.0)
        # the closest statements of the same thing; a part under 其中 only when its own words name it
        strong = [lk.claim for lk in strong_links if lk.share >= best - EPS]
        if strong:
            code, params, shown = self.mismatch(ind, strong, [lk.claim for lk in links])
            return _verdict(ind, "mismatch", strong, shown, code, params)
        return _verdict(ind, "unverified", [], None, "indicator.unverified", _base(ind))

    def _named_better(self, lk: Link, ind: Indicator) -> bool:
        share, other = self.owner.get(lk.claim.id, (0.0, None))
        return other is not None and other != ind.id and share > lk.share + EPS

    def mismatch(self, ind: Indicator, strong: list[Claim], linked: list[Claim]) -> tuple[str, dict, float]:
        params = {**_base(ind), "quoted": [c.text for c in strong[:4]]}
        shown = strong[0].value
        parts = [c for c in linked if c.role != "subset" and not c.range and not c.approx]
        if len(parts) >= 2:
            total = sum(self.cmp.to_unit(c.value, c.unit, ind.unit) for c in parts)
            params.update(count=len(parts), total=total)
            return "indicator.mismatch_parts", params, total
        return "indicator.mismatch", params, shown


def _owners(links: dict[str, list[Link]]) -> dict[str, tuple[float, str]]:
    """Each claim's strongest link over all the indicators (indicator id -> its links)."""
    out: dict[str, tuple[float, str]] = {}
    for ind_id, found in links.items():
        for lk in found:
            if lk.strong and lk.share > out.get(lk.claim.id, (0.0, ""))[0]:
                out[lk.claim.id] = (lk.share, ind_id)
    return out


def judge(report: Report, claims: list[Claim], settings) -> tuple[dict[str, Verdict], list[Finding]]:
    by_section: dict[str, list[Claim]] = {}
    for c in claims:
        by_section.setdefault(c.section, []).append(c)
    linker = make_linker(settings)
    texts = [s.text for s in report.sections]
    common = linker.common_words(texts, [i.name for i in report.indicators])
    j = _Judge(Compare.of(settings), linker, settings.rules.link.max_parts, common)
    verdicts: dict[str, Verdict] = {}
    findings: list[Finding] = []
    # a plan (预期目标) states targets: it never supports nor contradicts what an indicator achieved
    plans = {s.name for s in report.sections if s.kind == "plan"}
    done = [c for c in claims if c.section not in plans]
    pool = {ind.id: by_section.get(ind.pool or ind.section, []) for ind in report.indicators}
    links = {ind.id: j.links(ind, pool[ind.id]) for ind in report.indicators if ind.value is not None}
    j.owner = _owners(links)
    for ind in report.indicators:
        v, f = j.judge_one(ind, pool[ind.id], done, links.get(ind.id))
        verdicts[ind.id] = v
        if f is not None:
            findings.append(f)
    return verdicts, findings


def _is_standard(ind: Indicator, words: tuple[str, ...] = ()) -> bool:
    """An indicator that states a standard (低保标准, 元/人·月) or an average (平均响应时间) rather
    than an amount: as a claim is one (`words`: the lexicon's standard words)."""
    text = f"{ind.name}{ind.raw}{ind.target_raw or ''}"
    return ("标准" in ind.name or "/" in (ind.raw or "") or "每人" in text or "人均" in ind.name
            or any(w in ind.name for w in words if not w.startswith("每")))


def _base(ind: Indicator) -> dict:
    return {"name": ind.name, "raw": ind.raw, "unit": ind.unit or ""}


def _verdict(ind: Indicator, status: str, claims: list[Claim], expected: Optional[float],
             code: str, params: dict) -> tuple[Verdict, Finding]:
    ids = [c.id for c in claims]
    finding = Finding("indicator.narrative", status, "error" if status == "mismatch" else "info", ind.id, ids,
                      expected, ind.value, code, params)
    return Verdict(ind.id, status, ids, code, params), finding


def _consistent(ind: Indicator, sup: Support) -> tuple[str, dict]:
    c = sup.claims[0]
    params = {**_base(ind), "claim": c.text}
    if sup.kind == "sum":
        params.update(count=len(sup.claims), terms=[x.value for x in sup.claims], total=sup.total)
        return "indicator.sum", params
    if sup.kind in ("range", "approx", "comparator"):
        return f"indicator.{sup.kind}", params
    if c.section not in (ind.section, ind.pool):
        params["where"] = c.section
        return "indicator.exact_elsewhere", params
    return "indicator.exact", params
