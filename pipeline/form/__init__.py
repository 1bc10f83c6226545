"""Form understanding: template recognition and parsing -> Report.

Template labels live in configs/templates/*.toml; the parser for a template
is chosen by its `kind`.
"""
from __future__ import annotations

from dataclasses import replace

from ..errors import NotAReport
from ..model import Document, Report
from . import department
from .recognize import recognise

PARSERS = {"department_overall": department.parse}


def _text(rows) -> str:
    return "\n".join("\t".join(c or "" for c in row) for row in rows)


def parse(doc: Document) -> Report:
    """The Report of the document's table that is a known form (a workbook's other sheets are notes)."""
    candidates = doc.parts or [("", doc.rows)]
    best = None
    for name, rows in candidates:
        tpl = recognise(_text(rows))
        if tpl is not None and tpl.kind in PARSERS:
            score = sum(1 for s in tpl.signals if s in _text(rows))
            if best is None or score > best[0]:
                best = (score, tpl, rows)
    if best is None:
        raise NotAReport(doc.path, "未识别出部门整体支出绩效自评表的栏目 / no known form labels")
    _, tpl, rows = best
    if rows is not doc.rows:
        doc = replace(doc, rows=rows)
    return PARSERS[tpl.kind](doc, tpl)
