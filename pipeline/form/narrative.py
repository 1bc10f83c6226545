"""自评报告 written as prose: sections under headings (一、基本情况; （二）…; 1. …).

Every line that is only a heading opens a section named by the heading
(numbering dropped). Lines that a PDF or a scraper wrapped are joined back
into paragraphs: a line that does not end a sentence continues into the next.
Budget figures stated in prose (年初预算1200万元, 预算执行率98.5%) fill the
budget block when a claim's subject names them exactly; a fund block printed as
label and figure cells (计划安排资金（万元） | 170) is read here (`labelled`).
"""
from __future__ import annotations

import re

from ..config import Template
from ..errors import NotAReport
from ..model import Budget, Document, Report, Section
from . import embedded, labelled
from .common import department_from_fields, department_from_title, money_unit, report_year
from .grid import Grid, label_key, matches

_ENDS = "。；;：:！!？?"
# where the key-indicator table stood among the lines (a character no text holds)
_TABLE = "\x00table"
# a heading's numbering, dropped from the section's name
_NUMBERING = re.compile(r"""
    ^\s*
    (?: [一二三四五六七八九十]{1,3}[、.．]             # 一、
      | [(（][一二三四五六七八九十]{1,3}[)）]           # （二）
      | 第[一二三四五六七八九十]{1,3}[部章节]分?        # 第三部分
      | \d{1,2}[、.．]                              # 1.
    )\s*""", re.VERBOSE)


def parse(doc: Document, tpl: Template, settings, tables: bool = True) -> Report:
    """`tables`: read a key-indicator table inside the prose (not when a form none of whose blocks
    could be read is checked for its prose alone)."""
    grid = Grid.from_rows(doc.rows)
    heads = [re.compile(p) for p in tpl.group("headings").get("patterns", ())]
    # (the grid's rows: the lines below are counted in them, and it drops the empty ones)
    emb = embedded.table(grid.rows, settings, lambda s: any(h.match(s) for h in heads)) if tables else None
    skipped = range(emb[0], emb[1]) if emb else range(0)
    lines = [_TABLE if r == skipped.start and emb else "；".join(t.strip() for _, t in grid.nonempty(r))
             for r in range(len(grid.rows)) if r not in skipped or r == skipped.start]
    lines = [x for line in lines for x in line.split("\n") if x.strip()]
    flat = "".join(lines)
    terms = tpl.group("vocabulary").get("terms", ())
    if sum(1 for t in terms if t in flat) < int(tpl.options.get("min_terms", 3)):
        raise NotAReport(doc.path, ("既不是已知表格，也不像自评报告", "neither a known form nor a self-evaluation report"))
    skip = tpl.group("preamble").get("skip", ())
    rep = Report(template=tpl.name, kind=tpl.kind)
    rep.money_unit = money_unit(grid, attachments=False) or "万元"
    block = labelled.amounts(grid.rows, tpl.group("amounts"), rep.money_unit, settings.limits)
    if block:
        rep.budget = Budget(adjusted=block.get("adjusted"), actual=block.get("actual"),
                            received=block.get("received"), balance=block.get("balance"))
    title: list[str] = []
    head = tpl.group("heading")
    title_patterns = head.get("title", ())
    name, body = "", []
    for line in lines:
        s = line.strip()
        if s == _TABLE:  # the key-indicator table: checked against the prose it stands in
            for ind in emb[2]:
                ind.pool = name or "正文"
            rep.indicators = emb[2]
            continue
        if any(h.match(s) for h in heads):
            _close(rep, name, body)
            name, body = _NUMBERING.sub("", s).rstrip("：:。").strip() or s, []
            continue
        if not name and not rep.sections:
            if matches(label_key(s), skip) or not body and _page_meta(s, title_patterns):
                continue  # (a mirror's page data above the title: - 文号:, - 发布日期: 2025-04-29)
            if not body and len(s) <= 60 and not s.endswith(tuple(_ENDS)):
                title.append(s)  # lines above the first heading that read as a title
                continue
        body.append(s)
    _close(rep, name or "正文", body)
    rep.title = _own_title(title, title_patterns, head.get("org_suffixes", ()))
    rep.year = report_year(rep.title, flat)
    rep.department = (department_from_title(rep.title, head.get("department", ()), head.get("org_suffixes", ()))
                      or department_from_fields("\n".join(lines), head))
    if not rep.sections:
        raise NotAReport(doc.path, ("没有正文", "no text"))
    return rep


def _own_title(lines: list[str], patterns: tuple[str, ...], units: tuple[str, ...] = ()) -> str:
    """The report's own title among the lines above its first heading (a mirror's page puts its
    furniture there: 当前位置: 首页 / …, 来源:, 发布日期): the first run a title pattern finds in
    one line (with the line before it when that is a unit's name, 青川县司法局 / 关于…的自评报告),
    else in the lines joined, else the lines as they are."""
    for k, text in enumerate([*lines, "".join(lines)]):
        for pattern in patterns:
            m = re.search(pattern, text)
            if m and m.group().strip():
                found = _CLOCK_LEFT.sub("", m.group().strip())
                before = lines[k - 1].strip() if 0 < k < len(lines) and m.start() == 0 else ""
                if before and units and before.endswith(units) and not _FURNITURE_MARK.search(before):
                    found = before + found
                return found
    return "".join(lines)


def _page_meta(line: str, title_patterns: tuple[str, ...]) -> bool:
    """A line of a page's data above the report (- 文号:, 发布机构：…), not one that gives its
    title (报告名称：…绩效自评报告)."""
    return (len(line) <= _META_CHARS and bool(_PAGE_META.match(line))
            and not any(re.search(p, line) for p in title_patterns))


# a line of a page's data above the report (- 索引号: …, - 文号:, 发布机构：…): a short label and a colon
_PAGE_META = re.compile(r"[-•·*]?\s{0,2}[\u4e00-\u9fff]{2,6}\s{0,2}[:：]")
_META_CHARS = 40
# what a page's furniture line holds and a title does not: 当前位置: 首页 / … > …, • menus
_FURNITURE_MARK = re.compile(r"[:：/>|•]")


# what a page's clock (…13:25) leaves before the title the pattern found: 10施甸县… (a year stays)
_CLOCK_LEFT = re.compile(r"^(?:\d{1,2}|\d{5,})(?=[\u4e00-\u9fff])")


def _close(rep: Report, name: str, body: list[str]) -> None:
    """Join wrapped lines into paragraphs and keep the section if it has text."""
    paras: list[str] = []
    for line in body:
        if paras and not paras[-1].endswith(tuple(_ENDS)):
            paras[-1] += line
        else:
            paras.append(line)
    text = "\n".join(paras).strip()
    if text:
        rep.sections.append(Section(name, "narrative", text))
