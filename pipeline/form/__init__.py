"""Form understanding: template recognition and parsing -> Report.

Template labels live in configs/templates/*.toml; the parser for a template
is chosen by its `kind`.
"""
from __future__ import annotations

from dataclasses import replace

from ..errors import NotAReport
from ..model import Document, Report
from . import department, narrative, project, stream
from .prose_budget import complete
from .recognize import recognise

__all__ = ["parse", "complete", "recognise"]

PARSERS = {"department_overall": department.parse, "project": project.parse, "narrative": narrative.parse}


def _text(rows) -> str:
    return "\n".join("\t".join(c or "" for c in row) for row in rows)


def parse(doc: Document, settings) -> Report:
    """The Report of the document's table that is a known form (a workbook's other sheets are notes)."""
    candidates = doc.parts or [("", doc.rows)]
    best = None
    for name, rows in candidates:
        tpl = recognise(_text(rows), settings.templates)
        if tpl is not None and tpl.kind in PARSERS:
            score = sum(1 for s in tpl.signals if s in _text(rows))
            if best is None or score > best[0]:
                best = (score, tpl, rows)
    if best is None:
        # no known form: read it as a narrative report (which refuses text that is not one)
        fallback = settings.template("narrative")
        if fallback is None:
            raise NotAReport(doc.path, ("未识别出已知表格的栏目", "no known form labels"))
        return narrative.parse(doc, fallback, settings)
    _, tpl, rows = best
    if tpl.options.get("restack") and stream.is_stream(rows):
        rows = stream.restack(rows, tpl)  # exported one cell per line: stack the cells back into rows
    if rows is not doc.rows:
        doc = replace(doc, rows=rows)
    return PARSERS[tpl.kind](doc, tpl, settings)
