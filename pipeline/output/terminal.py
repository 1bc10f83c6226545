"""The terminal view: what a reviewer reads first. Mismatches lead, with why.

Every text that comes from a document reaches rich as a `Text` object, never
as a markup string: an indicator named `[/]` or `[bold]` prints as written.
"""
from __future__ import annotations

from typing import Optional

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model import CheckResult
from .messages import finding_message, rule_title, word

STYLE = {"consistent": "green", "mismatch": "bold red", "unverified": "yellow", "qualitative": "dim"}
WORDS = {
    "zh": {"dept": "部门", "year": "年度", "tpl": "模板", "unit": "金额单位", "ind": "关键指标", "sec": "任务/栏目",
           "name": "指标", "val": "指标值", "st": "状态", "ev": "依据", "mm": "需要复核的不符之处", "none": "未发现不符。",
           "chk": "核对项", "rule": "规则", "msg": "说明", "sum": "共 {n} 个指标：{c}；{m} 处不符",
           "sum0": "没有关键指标；{m} 处不符", "sep": "，"},
    "en": {"dept": "Department", "year": "Year", "tpl": "Template", "unit": "Money unit", "ind": "Key indicators",
           "sec": "Task / row", "name": "Indicator", "val": "Value", "st": "Status", "ev": "Evidence",
           "mm": "Mismatches to review", "none": "No mismatch found.", "chk": "Checks", "rule": "Rule",
           "msg": "Message", "sum": "{n} indicators: {c}; {m} {mismatches}", "sum0": "no key indicators; {m} {mismatches}",
           "sep": ", "},
}


def status_text(status: str, lang: str) -> Text:
    return Text(word("verdict", status, lang), style=STYLE.get(status, ""))


def _highlight(text: str, span: tuple[int, int], number: tuple[int, int]) -> Text:
    """The claim text with its figure in bold, as a reviewer scans for it."""
    t = Text(text)
    a, b = number[0] - span[0], number[1] - span[0]
    if 0 <= a < b <= len(text):
        t.stylize("bold cyan", a, b)
    return t


def status_counts(res: CheckResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in res.verdicts.values():
        counts[v.status] = counts.get(v.status, 0) + 1
    return counts


def summary_line(res: CheckResult, lang: str) -> str:
    """共 12 个指标：一致 9，未核实 3；0 处不符 (no empty fragment when there are no indicators)."""
    w = WORDS[lang]
    counts = status_counts(res)
    m = len(res.mismatches)
    plural = "mismatch" if m == 1 else "mismatches"  # English only; the Chinese template has no such slot
    if not res.report.indicators:
        return w["sum0"].format(m=m, mismatches=plural)
    parts = [f"{word('verdict', k, lang)} {n}" if lang == "zh" else f"{n} {word('verdict', k, lang)}"
             for k, n in counts.items()]
    return w["sum"].format(n=len(res.report.indicators), c=w["sep"].join(parts), m=m, mismatches=plural)


def coverage_line(cov: dict, lang: str = "zh") -> str:
    """叙述中数字N个：成为陈述C个（已核对K个），排除S个（日期…），未解释U个."""
    aside = sum(cov["set_aside"].values())
    why = "、".join(f"{k} {n}" for k, n in cov["set_aside"].items()) if lang == "zh" else \
        ", ".join(f"{k} {n}" for k, n in cov["set_aside"].items())
    if lang == "zh":
        line = (f"叙述中的数字{cov['numbers']}个：成为陈述{cov['claims']}个（已核对{cov['checked']}个），"
                f"排除{aside}个（{why or '无'}），未解释{cov['unexplained']}个")
    else:
        line = (f"numbers in the narrative: {cov['numbers']}; claims {cov['claims']} (checked {cov['checked']}), "
                f"set aside {aside} ({why or 'none'}), unexplained {cov['unexplained']}")
    for ex in cov.get("unexplained_examples", [])[:5]:
        line += "\n    ? " + ex
    return line


def render(res: CheckResult, lang: str = "zh", console: Optional[Console] = None, verbose: bool = False) -> None:
    console = console or Console()
    w = WORDS[lang]
    rep = res.report
    head = Table.grid(padding=(0, 2))
    head.add_row(Text(rep.title or res.document.path, style="bold"))
    meta = f"{w['dept']}: {rep.department or '—'}   {w['year']}: {rep.year or '—'}   " \
           f"{w['tpl']}: {rep.template}   {w['unit']}: {rep.money_unit}"
    head.add_row(Text(meta, style="dim"))
    for warn in rep.warnings:
        head.add_row(Text("⚠ " + warn, style="yellow"))
    console.print(Panel(head, title=Text(res.document.path), title_align="left"))

    claims = {c.id: c for c in res.claims}
    if rep.indicators:
        table = Table(title=w["ind"], show_lines=False, expand=False)
        for col in (w["sec"], w["name"], w["val"], w["st"], w["ev"]):
            table.add_column(col, overflow="fold")
        for ind in rep.indicators:
            v = res.verdicts.get(ind.id)
            ev = Text()
            for cid in (v.evidence if v else [])[:8]:
                c = claims.get(cid)
                if c:
                    if ev:
                        ev.append("；")
                    ev.append_text(_highlight(c.text, c.span, c.number_span))
            table.add_row(Text(ind.section), Text(ind.name), Text(ind.raw),
                          status_text(v.status if v else "unverified", lang), ev)
        console.print(table)

    mism = res.mismatches
    if mism:
        rows = []
        for f in mism:
            line = Text(f"[{f.id}] {rule_title(f.rule, lang)}  ", style="bold red")
            line.append(finding_message(f, lang))
            for cid in f.claims[:6]:
                c = claims.get(cid)
                if c:
                    line.append("\n    ").append(f"{c.section}：", style="dim")
                    line.append_text(_highlight(c.text, c.span, c.number_span))
            rows.append(line)
        console.print(Panel(Group(*rows), title=w["mm"], border_style="red", title_align="left"))
    else:
        console.print(Text(w["none"], style="green"))
    if verbose:
        t2 = Table(title=w["chk"])
        for col in ("ID", w["rule"], w["st"], w["msg"]):
            t2.add_column(col, overflow="fold")
        for f in res.findings:
            t2.add_row(f.id, Text(rule_title(f.rule, lang)), status_text(f.status, lang), Text(finding_message(f, lang)))
        console.print(t2)
        if res.coverage:
            console.print(Text(coverage_line(res.coverage, lang), style="dim"))
    console.print(Text(summary_line(res, lang), style="bold"))


_BATCH_COLUMNS = {
    "zh": ("文件", "部门", "年度", "指标", "一致", "不符", "警告", "首要问题"),
    "en": ("File", "Department", "Year", "Indicators", "Consistent", "Mismatches", "Warnings", "First problem"),
}


def batch_table(title: str, rows: list, summary, lang: str, console: Console) -> None:
    """The table of a batch (one line a file, bulk.summary.Row) and its summary line."""
    zh = lang == "zh"
    t = Table(title=Text(f"{title}：{summary.seen} 份报告" if zh else f"{title}: {summary.seen} reports"))
    for col in _BATCH_COLUMNS["zh" if zh else "en"]:
        t.add_column(col, overflow="fold")
    for r in rows:
        bad = r.status == "unreadable"
        counts = ("—",) * 4 if bad else (str(r.indicators), str(r.consistent), str(r.mismatches), str(r.warnings))
        problem = f"{r.error_code} {r.first_problem}" if bad else r.first_problem
        # document text reaches rich as Text, never as markup ([/] in a name prints as written)
        t.add_row(*(Text(x) for x in (r.path, r.department or "—", str(r.year or "—"), *counts, problem[:60])))
    console.print(t)
    console.print(summary.line(lang), markup=False)
