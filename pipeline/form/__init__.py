"""Form understanding: template recognition and parsing -> Report.

Template labels live in configs/templates/*.toml; the parser for a template
is chosen by its `kind`.
"""
from __future__ import annotations

from dataclasses import replace

from ..errors import NotAReport, TruncatedForm
from ..config import Template
from ..model import Document, Report
from .common import short_title
from . import department, glued, glued_core, glued_funds, narrative, project, segments, stream
from .prose_budget import complete
from .grid import label_key
from .recognize import recognise

__all__ = ["parse", "complete", "recognise"]

# a paragraph holding this many of a form's labels is the form's cells run together, not prose
FORM_RESIDUE = 3

PARSERS = {"department_overall": department.parse, "project": project.parse, "narrative": narrative.parse}
# the reader that cuts a kind's glued indicator table back into rows
UNGLUE = {"project": glued, "department_overall": glued_core}


def _text(rows) -> str:
    return "\n".join("\t".join(c or "" for c in row) for row in rows)


def parse(doc: Document, settings) -> Report:
    """The Report of the document's table that is a known form (a workbook's other sheets are notes)."""
    rep = _parse(doc, settings)
    rep.title = short_title(rep.title, settings)
    return rep


def _parse(doc: Document, settings) -> Report:
    candidates = doc.parts or [("", doc.rows)]
    best = None
    for name, rows in candidates:
        text = _text(rows)
        tpl = recognise(text, settings.templates)
        if tpl is not None and tpl.kind in PARSERS:
            score = sum(1 for s in tpl.signals if s in text)
            if best is None or score > best[0]:
                best = (score, tpl, rows)
    if best is None:
        # no known form: read it as a narrative report (which refuses text that is not one)
        fallback = settings.template("narrative")
        if fallback is None:
            raise NotAReport(doc.path, ("未识别出已知表格的栏目", "no known form labels"))
        return narrative.parse(doc, fallback, settings)
    _, tpl, rows = best
    spans = segments.forms(rows, tpl) if tpl.kind == "project" else [(0, len(rows))]
    if len(spans) == 1:
        return _read(doc, rows, tpl, settings)
    return _most_complete(doc, [rows[a:b] for a, b in spans], tpl, settings)


def _most_complete(doc: Document, parts: list, tpl: Template, settings) -> Report:
    """A document holding several forms one after another (a page that starts inside the form
    before, a mirror that serves two): each is read, and the one with most to check is the
    report, saying so; a form none of whose blocks reads is passed over."""
    reports, first_error = [], None
    for k, rows in enumerate(parts):
        try:
            reports.append((segments.completeness(rep := _read(doc, rows, tpl, settings)), -k, rep))
        except (TruncatedForm, NotAReport) as exc:
            first_error = first_error or exc
    if not reports:
        raise first_error
    _, k, rep = max(reports, key=lambda x: x[:2])
    rep.warnings.insert(0, f"文档含有{len(parts)}张表，核对了其中最完整的第{1 - k}张")
    return rep


def _read(doc: Document, rows, tpl: Template, settings) -> Report:
    """One form's rows (cut back into cells first when the export ran them together) as a Report."""
    reader = UNGLUE.get(tpl.kind)
    if tpl.options.get("unglue") and reader is not None and reader.is_glued(rows, tpl, settings):
        rows = reader.unglue(rows, tpl, settings)  # cells run together: cut the indicator table back into rows
    elif tpl.options.get("restack") and stream.is_spaced(rows, tpl, settings.rules.form, settings.limits):
        rows = stream.restack(rows, tpl, settings.rules.form, settings.limits, spaced=True)  # a row per line, cells split by spaces
    elif tpl.options.get("restack") and stream.is_stream(rows, settings.rules.form):
        rows = stream.restack(rows, tpl, settings.rules.form, settings.limits)  # exported one cell per line: stack the cells back into rows
    if tpl.options.get("unglue") and tpl.kind == "project":
        rows = glued_funds.unglue(rows, tpl, settings)  # a fund block run together: its rows cut back into cells
    if rows is not doc.rows:
        doc = replace(doc, rows=rows)
    try:
        return PARSERS[tpl.kind](doc, tpl, settings)
    except TruncatedForm as cut:
        return _as_text(doc, tpl, settings, cut)


def _as_text(doc: Document, tpl: Template, settings, cut: TruncatedForm) -> Report:
    """A form with none of its blocks readable (a cut excerpt, a garbled export) is checked for the
    figures its prose states, as a narrative report, saying so. The form's own cells run together
    are no prose (a paragraph holding several of its labels); with no prose left it is refused."""
    fallback = settings.template("narrative")
    if fallback is None:
        raise cut
    try:
        rep = narrative.parse(doc, fallback, settings, tables=False)
    except NotAReport:
        raise cut from None
    labels = {label_key(a) for group in tpl.labels.values() for aliases in group.values() for a in aliases
              if not a.endswith("*") and len(label_key(a)) >= 3}
    for sec in rep.sections:
        paras = [p for p in sec.text.split("\n") if sum(1 for a in labels if a in label_key(p)) < FORM_RESIDUE]
        sec.text = "\n".join(paras)
    rep.sections = [sec for sec in rep.sections if sec.text.strip()]
    if not rep.sections:
        raise cut
    if any(getattr(rep.budget, k) is not None for k in ("adjusted", "received", "actual", "balance")):
        # the form's blocks were not read, but a fund block of label and figure cells was (`labelled`)
        rep.warnings.insert(0, f"{cut.zh}，按文字及其中的资金栏核对")
    else:
        rep.warnings.insert(0, f"{cut.zh}（{cut.detail_zh}），仅按文字核对" if cut.detail_zh else f"{cut.zh}，仅按文字核对")
    return rep
