"""Form understanding: template recognition and parsing -> Report.

Template labels live in configs/templates/*.toml; the parser for a template
is chosen by its `kind`.
"""
from __future__ import annotations

from ..errors import NotAReport
from ..model import Document, Report
from . import department
from .recognize import recognise

PARSERS = {"department_overall": department.parse}


def parse(doc: Document) -> Report:
    text = "\n".join("\t".join(c or "" for c in row) for row in doc.rows)
    tpl = recognise(text)
    if tpl is None or tpl.kind not in PARSERS:
        raise NotAReport(doc.path, "未识别出部门整体支出绩效自评表的栏目 / no known form labels")
    return PARSERS[tpl.kind](doc, tpl)
