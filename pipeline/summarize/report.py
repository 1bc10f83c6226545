"""The summary of one checked report, read from its serialised CONTRACT dict.

What a reviewer wants before the detail: who and which year, the budget in one
line, what was produced (the strongest figures), how the indicators fared,
every mismatch in one line, 存在问题 and 改进措施 condensed, and an extractive
summary of the narrative. Everything comes from the record, so a summary can
be made from the corpus as well as from a fresh check.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Optional

from . import textrank
from .settings import SettingsLike, SummarySettings

STATUSES = ("consistent", "mismatch", "unverified", "qualitative")
# an abstractive backend: (narrative text, max_chars) -> summary text
Generator = Callable[[str, int], str]


def report(record: Mapping[str, Any], max_chars: Optional[int] = None,
           settings: SettingsLike = None, generator: Optional[Generator] = None) -> dict[str, Any]:
    """The `summary` block for one CONTRACT record (an `unreadable` record gives its error only)."""
    s = SummarySettings.resolve(settings)
    limit = max_chars if max_chars is not None else s.report.max_chars
    if record.get("status") == "unreadable":
        return {"status": "unreadable", "error": record.get("error", {}).get("message", "")}
    rep = record.get("report", {})
    problems, next_steps, narrative = _partition(record.get("sections", []), s)
    out: dict[str, Any] = {
        "status": "checked",
        "department": rep.get("department"),
        "year": rep.get("year"),
        "template": rep.get("template"),
        "title": rep.get("title"),
        "budget": budget_line(record.get("budget", {}), rep.get("money_unit") or "", s.labels(rep.get("template"))),
        # what was planned (a project's 预期目标) is no output
        "outputs": outputs(record, s.report.outputs, exclude=_names(problems + next_steps + _plans(record)),
                           budget_words=s.report.budget_subjects),
        "indicators": indicator_counts(record.get("indicators", [])),
        "mismatches": mismatch_lines(record),
        "problems": _condense(problems, s.report.condensed_chars, s),
        "next_steps": _condense(next_steps, s.report.condensed_chars, s),
        "extract": textrank.summarize(_pairs(narrative), limit, s.textrank),
        "max_chars": limit,
    }
    if generator is not None:
        text = "".join(sec.get("text", "") for sec in narrative)
        out["abstract"] = generator(text, limit) if text.strip() else ""
    return out


# -- the parts ---------------------------------------------------------------------------

def fmt_number(x: Any) -> str:
    """A number as a reader expects it: 41800, 44876.35, 99.3 (no float noise, no exponent)."""
    if isinstance(x, bool) or x is None:
        return "—"
    if isinstance(x, int) or float(x).is_integer():
        return str(int(x))
    return f"{float(x):.6f}".rstrip("0").rstrip(".")


def budget_line(budget: Mapping[str, Any], unit: str, labels: Mapping[str, str]) -> str:
    """年初预算41800万元，调整预算45210.8万元，实际支出44876.35万元，预算完成率99.3%，预算调整率8.2%."""
    parts = []
    for key in ("initial", "adjusted", "actual"):
        if budget.get(key) is not None:
            parts.append(f"{labels[key]}{fmt_number(budget[key])}{unit}")
    for key in ("completion_rate", "adjustment_rate"):
        if budget.get(key) is not None:
            parts.append(f"{labels[key]}{fmt_number(budget[key])}%")
    return "预算执行：" + ("，".join(parts) if parts else "未填报") + "。"


def indicator_counts(indicators: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    counts = {k: 0 for k in STATUSES}
    n = 0
    for ind in indicators:
        n += 1
        st = ind.get("status", "unverified")
        counts[st] = counts.get(st, 0) + 1
    return {"total": n, **counts}


def mismatch_lines(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every finding with status mismatch, each as one line naming the indicator it concerns."""
    names = {i["id"]: i.get("name", "") for i in record.get("indicators", [])}
    out = []
    for f in record.get("findings", []):
        if f.get("status") != "mismatch":
            continue
        msg = " ".join(str(f.get("message", "")).split())
        ind = f.get("indicator")
        head = f"“{names[ind]}”（{ind}）：" if ind in names and names[ind] and names[ind] not in msg else ""
        out.append({"rule": f.get("rule"), "indicator": ind, "finding": f.get("id"),
                    "line": f"[{f.get('rule')}] {head}{msg}"})
    return out


def outputs(record: Mapping[str, Any], limit: int, exclude: frozenset[str] = frozenset(),
            budget_words: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The strongest figures the narrative states: those an indicator rests on first, then the
    rest in reading order; one per thing counted (the same figure stated twice counts once).
    Claims about the budget itself (its subject names 预算, 支出 …) are left to the budget line."""
    claims = [c for c in record.get("claims", []) if c.get("section") not in exclude
              and not any(w in (c.get("subject") or "") for w in budget_words)]
    by_id = {c["id"]: c for c in claims}
    backing: dict[str, str] = {}
    for ind in record.get("indicators", []):
        if ind.get("status") == "consistent":
            for cid in ind.get("evidence", []):
                backing.setdefault(cid, ind["id"])
    ordered = [by_id[cid] for cid in backing if cid in by_id]
    ordered += [c for c in claims if c["id"] not in backing]
    out: list[dict[str, Any]] = []
    seen: list[tuple[str, Any, str]] = []
    for c in ordered:
        if len(out) >= limit:
            break
        key = (str(c.get("subject") or ""), c.get("value"), str(c.get("unit") or ""))
        if any(_same(key, k) for k in seen):
            continue
        seen.append(key)
        out.append({
            "claim": c["id"], "indicator": backing.get(c["id"]), "subject": c.get("subject"),
            "text": textrank.strip_numbering(c.get("text") or ""), "value": c.get("value"), "unit": c.get("unit"),
            "figure": f"{fmt_number(c.get('value'))}{c.get('unit') or ''}",
        })
    return out


def _same(a: tuple[str, Any, str], b: tuple[str, Any, str]) -> bool:
    """The same figure of the same thing: equal value and unit, one subject holding the other."""
    if a[1] != b[1] or a[2] != b[2]:
        return False
    return a[0] == b[0] or (bool(a[0]) and bool(b[0]) and (a[0] in b[0] or b[0] in a[0]))


# -- sections ----------------------------------------------------------------------------

def _partition(sections: list[Mapping[str, Any]], s: SummarySettings):
    """(存在问题 sections, 改进措施 sections, narrative sections), by kind or by heading."""
    problems, steps, narrative = [], [], []
    for sec in sections:
        kind, name = sec.get("kind", ""), sec.get("name", "")
        if kind == "problems" or (kind != "next_steps" and any(w in name for w in s.sections.problems)):
            problems.append(sec)
        elif kind == "next_steps" or any(w in name for w in s.sections.next_steps):
            steps.append(sec)
        elif kind in s.report.narrative_kinds:
            narrative.append(sec)
    return problems, steps, narrative


def _pairs(sections: list[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return [(sec.get("name", ""), sec.get("text", "")) for sec in sections]


def _plans(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [sec for sec in record.get("sections", []) if sec.get("kind") == "plan"]


def _names(sections: list[Mapping[str, Any]]) -> frozenset[str]:
    return frozenset(sec.get("name", "") for sec in sections)


def _condense(sections: list[Mapping[str, Any]], limit: int, s: SummarySettings) -> Optional[str]:
    """None when the report has no such section; its text condensed otherwise."""
    if not sections:
        return None
    return textrank.summarize(_pairs(sections), limit, s.textrank)


# -- text --------------------------------------------------------------------------------

LABELS = {
    "zh": {"year": "年度", "template": "模板", "outputs": "主要产出", "indicators": "指标",
           "mismatches": "不符", "none": "无", "problems": "存在问题", "next_steps": "改进措施",
           "extract": "摘要", "abstract": "生成摘要", "unreadable": "无法读取",
           "consistent": "一致", "mismatch": "不符", "unverified": "未核实", "qualitative": "定性",
           "total": "共"},
    "en": {"year": "year", "template": "template", "outputs": "main outputs", "indicators": "indicators",
           "mismatches": "mismatches", "none": "none", "problems": "problems", "next_steps": "next steps",
           "extract": "summary", "abstract": "generated summary", "unreadable": "unreadable",
           "consistent": "consistent", "mismatch": "mismatch", "unverified": "unverified",
           "qualitative": "qualitative", "total": "total"},
}


def render_text(summary: Mapping[str, Any], name: str = "", lang: str = "zh") -> str:
    """The summary as plain lines for a terminal (labels in Chinese, or English with lang=en)."""
    en = lang == "en"
    L = LABELS["en" if en else "zh"]
    colon, comma, gap = (": ", ", ", " ") if en else ("：", "，", "")
    if summary.get("status") == "unreadable":
        return f"{name}{colon}{L['unreadable']} {summary.get('error', '')}\n"
    year = f"{L['year']} {summary.get('year') or '—'}" if en else f"{summary.get('year') or '—'}{L['year']}"
    head = " · ".join((summary.get("department") or "—", year, f"{L['template']} {summary.get('template') or '—'}"))
    lines = [f"{name}  {head}" if name else head, summary.get("budget", "")]
    outs = summary.get("outputs") or []
    if outs:
        shown = [o["text"] if o.get("text") and o["figure"] in o["text"] else f"{o.get('text')}（{o['figure']}）"
                 for o in outs]
        lines.append(f"{L['outputs']}{colon}" + "；".join(shown))
    c = summary.get("indicators", {})
    lines.append(f"{L['indicators']}{colon}{L['total']}{gap}{c.get('total', 0)}{comma}" +
                 comma.join(f"{L[k]}{gap}{c.get(k, 0)}" for k in STATUSES))
    mm = summary.get("mismatches") or []
    lines.append(f"{L['mismatches']}{colon}{len(mm) if mm else L['none']}")
    lines.extend(f"  - {m['line']}" for m in mm)
    for key in ("problems", "next_steps"):
        if summary.get(key):
            lines.append(f"{L[key]}{colon}{summary[key]}")
    if summary.get("extract"):
        lines.append(f"{L['extract']}{colon}{summary['extract']}")
    if summary.get("abstract"):
        lines.append(f"{L['abstract']}{colon}{summary['abstract']}")
    return "\n".join(lines) + "\n"
