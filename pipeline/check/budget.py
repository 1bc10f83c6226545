"""Budget arithmetic of the department form, with the form's own rounding.

调整数 = 调整预算 − 年初预算; 完成率 = 实际支出 ÷ 调整预算;
调整率 = 调整数 ÷ 年初预算; a 其中 line never exceeds the total above it.
"""
from __future__ import annotations

from .. import config
from ..model import Budget, Claim, Figure, Finding
from .compare import amount_agrees, fmt, rate_agrees


def _f(rule: str, ok: bool, expected: float, reported: float, zh: str, en: str) -> Finding:
    status = "consistent" if ok else "mismatch"
    return Finding(rule, status, zh, en, "info" if ok else "error", None, [], expected, reported)


def rate_finding(rule: str, zh_name: str, en_name: str, exp: float, zh_how: str, en_how: str, stated: Figure) -> Finding:
    ok = rate_agrees(exp, stated.value, stated.decimals, config.rules().rates.extra_ulps)
    return _f(rule, ok, round(exp, 2), stated.value,
              f"{zh_name}应为{zh_how}={exp:.2f}%，表中填报{stated.raw}，{'一致' if ok else '不符'}",
              f"{en_name} should be {en_how} = {exp:.2f}%; the form states {stated.raw}")


def check(b: Budget, unit: str) -> list[Finding]:
    rules = config.rules()
    out: list[Finding] = []
    adj = None
    if b.adjusted and b.initial:
        adj = b.adjusted.value - b.initial.value
    if adj is not None and b.adjustment is not None:
        ok = amount_agrees(adj, b.adjustment.value, b.adjustment.decimals, rules.money.sum_ulps)
        exp = round(adj, max(b.adjusted.decimals, b.initial.decimals))
        verdict = "一致" if ok else "不符"
        out.append(_f(
            "budget.adjustment", ok, exp, b.adjustment.value,
            f"年度预算调整数应为调整预算{b.adjusted.raw}−年初预算{b.initial.raw}={fmt(exp, b.adjustment.decimals)}{unit}，"
            f"表中填报{b.adjustment.raw}，{verdict}",
            f"adjustment should be {b.adjusted.raw} - {b.initial.raw} = {fmt(exp, b.adjustment.decimals)}; "
            f"the form states {b.adjustment.raw}"))
    if b.actual and b.adjusted and b.completion_rate and b.adjusted.value:
        out.append(rate_finding("budget.completion_rate", "预算完成率", "completion rate", b.actual.value / b.adjusted.value * 100,
                         f"实际支出{b.actual.raw}÷调整预算{b.adjusted.raw}", f"{b.actual.raw} / {b.adjusted.raw}",
                         b.completion_rate))
    # from the two budgets when both are stated, so that a wrong 调整数 is reported once
    base = adj if adj is not None else (b.adjustment.value if b.adjustment is not None else None)
    if base is not None and b.initial and b.adjustment_rate and b.initial.value:
        src = fmt(base, b.initial.decimals) if adj is not None else b.adjustment.raw
        out.append(rate_finding("budget.adjustment_rate", "预算调整率", "adjustment rate", base / b.initial.value * 100,
                         f"调整数{src}÷年初预算{b.initial.raw}", f"{src} / {b.initial.raw}", b.adjustment_rate))
    total = b.actual
    for label, fig in b.parts:
        if total is None:
            break
        ok = fig.value <= total.value + 10.0 ** (-max(fig.decimals, total.decimals))
        out.append(_f(
            "budget.part", ok, total.value, fig.value,
            f"“{label}”{fig.raw}{unit}{'未超过' if ok else '超过了'}实际支出数{total.raw}{unit}",
            f"'{label}' {fig.raw} {'is within' if ok else 'exceeds'} actual spending {total.raw}"))
    return out


def from_claims(claims: list[Claim], stated: Budget) -> tuple[Budget, set[str]]:
    """A narrative report's budget: the first claim whose subject names each figure exactly
    (年初预算1200万元, 调整后预算…, 实际支出…, 预算执行率98.5%), labels from the narrative template;
    and the ids of the claims used, so that the same figures are not checked twice."""
    from .. import config
    from .narrative import strip_neutral

    tpl = next((t for t in config.templates() if t.kind == "narrative"), None)
    spec = tpl.group("budget") if tpl else {}
    found = {}
    for c in claims:
        subject = strip_neutral(c.subject)
        for key, labels in spec.items():
            named = subject in labels or c.subject in labels or \
                any(len(x) >= 3 and c.subject.endswith(x) for x in labels)  # 项目全年预算 names 全年预算
            if key in found or not named:
                continue
            if (key == "completion_rate") != (c.unit == "%"):
                continue
            found[key] = (Figure(c.value, fmt(c.value, c.decimals) + ("%" if c.unit == "%" else ""), c.decimals), c.id)
    if not found:
        return stated, set()
    figs = {k: v[0] for k, v in found.items()}
    return (Budget(initial=figs.get("initial"), adjusted=figs.get("adjusted"), actual=figs.get("actual"),
                   completion_rate=figs.get("completion_rate")), {v[1] for v in found.values()})
