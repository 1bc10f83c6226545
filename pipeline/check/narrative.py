"""Figures inside the narrative that must agree with each other.

- narrative.execution_rate: 预算X, 执行数Y, 完成预算Z% in one paragraph: Z = Y ÷ X;
- narrative.repeated: the same amount (执行数, 支出; 预算) stated twice in one paragraph;
- narrative.parts: the parts under 其中 never exceed their total, and parts
  given as complete (分别为) add up to it.
"""
from __future__ import annotations

from itertools import groupby
from typing import Optional

from ..model import Claim, Finding
from .compare import Compare, amount_agrees, rate_agrees


def role(c: Claim, lexicon, cmp: Compare, loose: bool = False) -> Optional[str]:
    """budget | execution | rate, when the subject is nothing but that role (项目全年预算 -> budget);
    `loose` also takes a subject that ends in one (耕地地力保护补贴项目预算)."""
    fam = cmp.family(c.unit)
    subject = lexicon.strip_neutral(c.subject)
    for name, words in lexicon.roles.items():
        if subject in words or c.subject in words or (loose and c.subject.endswith(words)):
            if (name == "rate") == (fam == "percent") and (name == "rate" or fam == "money"):
                return name
    return None


def _finding(rule: str, ok: bool, claims: list[Claim], expected: float, reported: float, params: dict,
             code: str = "", severity: str = "error") -> Finding:
    return Finding(rule, "consistent" if ok else "mismatch", "info" if ok else severity, None,
                   [c.id for c in claims], expected, reported, code, params)


def _paragraphs(claims: list[Claim]):
    key = lambda c: (c.section, c.item)
    for _, group in groupby(sorted(claims, key=lambda c: (c.section, c.item, c.span[0])), key=key):
        yield list(group)


def check(claims: list[Claim], settings, skip: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    """`skip`: claims another rule already checked as a triple (a narrative report's budget)."""
    cmp = Compare.of(settings)
    out: list[Finding] = []
    for para in _paragraphs(claims):
        roles = _roles(para, settings.lexicon, cmp)
        out.extend(_repeated(roles, cmp))
        triple = _rate_triple(para, roles, settings.lexicon, cmp)
        if triple and triple[2].id not in skip:
            out.extend(_execution_rate(*triple, cmp, settings.rules.rates.extra_ulps))
    out.extend(_parts(claims, cmp))
    out.extend(_members(claims))
    return out


def _roles(para: list[Claim], lexicon, cmp: Compare) -> dict[str, list[Claim]]:
    roles: dict[str, list[Claim]] = {}
    for c in para:
        r = role(c, lexicon, cmp)
        if r:
            roles.setdefault(r, []).append(c)
    return roles


def _repeated(roles: dict[str, list[Claim]], cmp: Compare) -> list[Finding]:
    """The same amount (执行数, 支出; 预算) stated twice in one paragraph must agree."""
    out = []
    for name in ("execution", "budget"):
        found = roles.get(name, [])
        first = found[0] if found else None
        for other in found[1:]:
            v = cmp.to_unit(other.value, other.unit, first.unit)
            ok = amount_agrees(first.value, v, max(first.decimals, other.decimals), 0)
            out.append(_finding("narrative.repeated", ok, [first, other], first.value, other.value,
                                {"role": name, "first": first.text, "other": other.text}))
    return out


def _rate_triple(para: list[Claim], roles: dict[str, list[Claim]], lexicon, cmp: Compare):
    """(budget, execution, rate) claims of a paragraph, or of one sentence that names a project's three
    (X项目预算120万元，执行数86.4万元，完成预算的72%); None when the three are not all there."""
    budgets, execs, rates = roles.get("budget", []), roles.get("execution", []), roles.get("rate", [])
    if not (budgets and execs and rates):
        for _, group in groupby(para, key=lambda c: c.sentence):
            found: dict[str, list[Claim]] = {}
            for c in group:
                r = role(c, lexicon, cmp, loose=True)
                if r:
                    found.setdefault(r, []).append(c)
            if all(found.get(k) for k in ("budget", "execution", "rate")):
                budgets, execs, rates = found["budget"], found["execution"], found["rate"]
                break
    if budgets and execs and rates:
        return budgets[-1], execs[-1], rates[-1]
    return None


def _execution_rate(b: Claim, e: Claim, r: Claim, cmp: Compare, extra_ulps: int) -> list[Finding]:
    bv = cmp.to_unit(b.value, b.unit, e.unit)
    if not bv:
        return []
    exp = e.value / bv * 100
    ok = rate_agrees(exp, r.value, r.decimals, extra_ulps)
    return [_finding("narrative.execution_rate", ok, [b, e, r], round(exp, 2), r.value,
                     {"rate": r.text, "executed": e.value, "executed_unit": e.unit, "budget": b.value,
                      "budget_unit": b.unit, "expected": exp})]


def _members(claims: list[Claim]) -> list[Finding]:
    """A count against the names it lists (下设事业单位8个：followed by seven names)."""
    out = []
    for c in claims:
        if c.members is None or c.range is not None or c.approx:
            continue
        ok = abs(c.members - c.value) < 1e-9
        out.append(_finding("narrative.members", ok, [c], c.value, c.members,
                            {"claim": c.text, "listed": c.members, "stated": c.value, "unit": c.unit},
                            severity="warning"))
    return out


def _parts(claims: list[Claim], cmp: Compare) -> list[Finding]:
    by_id = {c.id: c for c in claims}
    kids: dict[str, list[Claim]] = {}
    for c in claims:
        if c.role == "subset" and c.parent in by_id:
            kids.setdefault(c.parent, []).append(c)
    out = []
    for pid, parts in kids.items():
        parent = by_id[pid]
        if not all(cmp.compatible(parent.unit, c.unit) for c in parts):
            continue
        total = sum(cmp.to_unit(c.value, c.unit, parent.unit) for c in parts)
        high = parent.range[1] if parent.range and parent.range[1] is not None else parent.value
        # parts given as complete (分别为), or money itemised into two or more sources, must add up
        exhaustive = len(parts) >= 2 and (all(c.exhaustive for c in parts) or cmp.family(parent.unit) == "money")
        dec = max([parent.decimals] + [c.decimals for c in parts])
        if exhaustive and parent.range is None and not parent.approx:
            ok = amount_agrees(parent.value, total, dec, 0)
            code = "narrative.parts.complete"
        else:
            ok = total <= high + 10.0 ** (-dec) * 0.5
            code = "narrative.parts.within" if len(parts) > 1 else "narrative.parts.one"
        out.append(_finding("narrative.parts", ok, [parent] + parts, parent.value, total,
                            {"total_claim": parent.text, "parts": [c.text for c in parts],
                             "terms": [c.value for c in parts], "sum": total, "total": parent.value,
                             "unit": parent.unit}, code))
    return out
