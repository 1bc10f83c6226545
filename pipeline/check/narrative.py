"""Figures inside the narrative that must agree with each other.

- narrative.execution_rate: 预算X, 执行数Y, 完成预算Z% in one paragraph: Z = Y ÷ X;
- narrative.repeated: the same amount (执行数, 支出; 预算) stated twice in one paragraph;
- narrative.parts: the parts under 其中 never exceed their total, and parts
  given as complete (分别为) add up to it.
"""
from __future__ import annotations

from itertools import groupby
from typing import Optional

from .. import config
from ..model import Claim, Finding
from .compare import amount_agrees, compatible, family, fmt, rate_agrees, to_unit


def strip_neutral(subject: str) -> str:
    """The subject without words that do not change what it refers to (项目全年预算 -> 预算)."""
    lex = config.lexicon()
    changed = True
    while changed and subject:
        changed = False
        for w in sorted(lex.role_neutral, key=len, reverse=True):
            if subject.startswith(w) and len(subject) > len(w):
                subject, changed = subject[len(w):], True
            elif subject.endswith(w) and len(subject) > len(w):
                subject, changed = subject[: -len(w)], True
    return subject


def role(c: Claim, loose: bool = False) -> Optional[str]:
    """budget | execution | rate, when the subject is nothing but that role (项目全年预算 -> budget);
    `loose` also takes a subject that ends in one (耕地地力保护补贴项目预算)."""
    lex = config.lexicon()
    fam = family(c.unit)
    subject = strip_neutral(c.subject)
    for name, words in lex.roles.items():
        if subject in words or c.subject in words or (loose and c.subject.endswith(words)):
            if (name == "rate") == (fam == "percent") and (name == "rate" or fam == "money"):
                return name
    return None


def _finding(rule: str, ok: bool, claims: list[Claim], expected: float, reported: float, zh: str, en: str) -> Finding:
    return Finding(rule, "consistent" if ok else "mismatch", zh, en, "info" if ok else "error", None,
                   [c.id for c in claims], expected, reported)


def _paragraphs(claims: list[Claim]):
    key = lambda c: (c.section, c.item)
    for _, group in groupby(sorted(claims, key=lambda c: (c.section, c.item, c.span[0])), key=key):
        yield list(group)


def check(claims: list[Claim], skip: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    """`skip`: claims another rule already checked as a triple (a narrative report's budget)."""
    out: list[Finding] = []
    rules = config.rules()
    for para in _paragraphs(claims):
        roles: dict[str, list[Claim]] = {}
        for c in para:
            r = role(c)
            if r:
                roles.setdefault(r, []).append(c)
        for name in ("execution", "budget"):
            found = roles.get(name, [])
            for other in found[1:]:
                first = found[0]
                v = to_unit(other.value, other.unit, first.unit)
                ok = amount_agrees(first.value, v, max(first.decimals, other.decimals), 0)
                label = "执行数（支出）" if name == "execution" else "预算数"
                out.append(_finding(
                    "narrative.repeated", ok, [first, other], first.value, other.value,
                    f"同一段落两次给出{label}：“{first.text}”与“{other.text}”，{'一致' if ok else '不一致'}",
                    f"the paragraph states the {name} twice: '{first.text}' and '{other.text}'"))
        budgets, execs, rates = roles.get("budget", []), roles.get("execution", []), roles.get("rate", [])
        if not (budgets and execs and rates):
            # one sentence naming a project's budget, spending and rate (X项目预算120万元，执行数86.4万元，完成预算的72%)
            for _, group in groupby(para, key=lambda c: c.sentence):
                found: dict[str, list[Claim]] = {}
                for c in group:
                    r = role(c, loose=True)
                    if r:
                        found.setdefault(r, []).append(c)
                if all(found.get(k) for k in ("budget", "execution", "rate")):
                    budgets, execs, rates = found["budget"], found["execution"], found["rate"]
                    break
        if budgets and execs and rates and rates[-1].id not in skip:
            b, e, r = budgets[-1], execs[-1], rates[-1]
            bv = to_unit(b.value, b.unit, e.unit)
            if bv:
                exp = e.value / bv * 100
                ok = rate_agrees(exp, r.value, r.decimals, rules.rates.extra_ulps)
                out.append(_finding(
                    "narrative.execution_rate", ok, [b, e, r], round(exp, 2), r.value,
                    f"“{r.text}”应为执行数{fmt(e.value)}{e.unit}÷预算{fmt(b.value)}{b.unit}={exp:.2f}%，"
                    f"{'一致' if ok else '不符'}",
                    f"'{r.text}' should be {fmt(e.value)} / {fmt(b.value)} = {exp:.2f}%"))
    out.extend(_parts(claims))
    out.extend(_members(claims))
    return out


def _members(claims: list[Claim]) -> list[Finding]:
    """A count against the names it lists (下设事业单位8个：followed by seven names)."""
    out = []
    for c in claims:
        if c.members is None or c.range is not None or c.approx:
            continue
        ok = abs(c.members - c.value) < 1e-9
        f = _finding("narrative.members", ok, [c], c.value, c.members,
                     f"“{c.text}”后列出{c.members}项，{'与所称数量一致' if ok else f'与所称{fmt(c.value)}{c.unit}不符'}",
                     f"'{c.text}' is followed by {c.members} names, {'as stated' if ok else 'not ' + fmt(c.value)}")
        if not ok:
            f.severity = "warning"
        out.append(f)
    return out


def _parts(claims: list[Claim]) -> list[Finding]:
    by_id = {c.id: c for c in claims}
    kids: dict[str, list[Claim]] = {}
    for c in claims:
        if c.role == "subset" and c.parent in by_id:
            kids.setdefault(c.parent, []).append(c)
    out = []
    for pid, parts in kids.items():
        parent = by_id[pid]
        if not all(compatible(parent.unit, c.unit) for c in parts):
            continue
        total = sum(to_unit(c.value, c.unit, parent.unit) for c in parts)
        high = parent.range[1] if parent.range and parent.range[1] is not None else parent.value
        # parts given as complete (分别为), or money itemised into two or more sources, must add up
        exhaustive = len(parts) >= 2 and (all(c.exhaustive for c in parts) or family(parent.unit) == "money")
        dec = max([parent.decimals] + [c.decimals for c in parts])
        if exhaustive and parent.range is None and not parent.approx:
            ok = amount_agrees(parent.value, total, dec, 0)
            zh_rel = "等于" if ok else "不等于"
        else:
            ok = total <= high + 10.0 ** (-dec) * 0.5
            zh_rel = "未超过" if ok else "超过了"
        terms = "+".join(fmt(c.value) for c in parts)
        listed = "、".join(f"“{c.text}”" for c in parts)
        sums = f"之和{terms}={fmt(total)}{parent.unit}，" if len(parts) > 1 else ""
        out.append(_finding(
            "narrative.parts", ok, [parent] + parts, parent.value, total,
            f"“{parent.text}”其中{listed}{sums}{zh_rel}总数",
            f"the parts of '{parent.text}' add up to {fmt(total)} ({terms}), "
            f"{'within' if ok else 'beyond'} the total {fmt(parent.value)}"))
    return out
