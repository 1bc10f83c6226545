"""The workbook reviewers pass around: one row per finding, one row per report.

Every text cell comes from an untrusted document, so none may start a
formula: a leading = + - @ tab or carriage return gets an apostrophe in
front (OWASP's CSV-injection advice, which also holds when the sheet is
saved as CSV), and control characters Excel refuses are dropped. Figures
are written as numbers, never as text.
"""
from __future__ import annotations

import os
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import digest, labels
from .reviewed import reviewed

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
HEADER_FONT = Font(bold=True)
HEADER_ALIGN = Alignment(vertical="center", wrap_text=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def safe_text(value: Any) -> Any:
    """A cell value that cannot run: text starting a formula is prefixed, numbers stay numbers."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def _finding_columns(lang: str) -> list[tuple[str, int]]:
    L = labels.labels(lang)
    return [(L["file"], 36), (L["report_title"], 30), (L["department"], 20), (L["year"], 7),
            (L["section"], 18), (L["indicator"], 22), (L["reported"], 14), (L["expected"], 14),
            (L["unit"], 7), (L["status"], 9), (L["rule"], 30), (L["rule_code"], 22), (L["severity"], 8),
            (L["message"], 60), (L["evidence"], 60), (L["decision"], 9), (L["decision_reason"], 24),
            (L["decision_by"], 12), (L["fingerprint"], 22)]


def _report_columns(lang: str) -> list[tuple[str, int]]:
    L = labels.labels(lang)
    return [(L["file"], 36), (L["report_title"], 34), (L["department"], 20), (L["year"], 7), (L["template"], 22),
            (L["status"], 10), (L["worst"], 9), (L["mismatches"], 8), (L["dismissed"], 8), (L["unverified_n"], 8),
            (L["n_indicators"], 8), (L["n_findings"], 8), (L["error_code"], 9), (L["error_reason"], 40),
            (L["sha256"], 20)]


def finding_rows(record: dict[str, Any], lang: str) -> list[list[Any]]:
    L = labels.labels(lang)
    if record.get("status") != "checked":
        return []
    rep, src = record.get("report") or {}, record.get("source") or {}
    indicators = {i.get("id"): i for i in record.get("indicators") or []}
    rows = []
    for f in record.get("findings") or []:
        ind = indicators.get(f.get("indicator")) or {}
        d = f.get("decision") or {}
        unit = ind.get("unit") or next((c.get("unit") for c in record.get("claims") or []
                                        if c.get("id") in (f.get("claims") or [])), None)
        rows.append([
            src.get("path"), rep.get("title"), rep.get("department"), rep.get("year"),
            digest.finding_section(record, f) or (L["budget"] if (f.get("rule") or "").startswith("budget.") else None),
            ind.get("name"), f.get("reported"), f.get("expected"), unit,
            L["statuses"].get(f.get("status"), f.get("status")), labels.rule_title(f.get("rule") or "", lang),
            f.get("rule"), L["severities"].get(f.get("severity"), f.get("severity")), f.get("message"),
            digest.evidence_text(record, f) or None,
            L[d["verdict"]] if d.get("verdict") in ("dismissed", "confirmed") else None,
            d.get("reason"), d.get("by"), f.get("fingerprint"),
        ])
    return rows


def report_row(record: dict[str, Any], lang: str) -> list[Any]:
    L = labels.labels(lang)
    rep, src, err = record.get("report") or {}, record.get("source") or {}, record.get("error") or {}
    s = digest.summary(record)
    worst = {"error": L["severities"]["error"], "warning": L["severities"]["warning"],
             "unreadable": L["unreadable"], "unverified": L["statuses"]["unverified"], "clean": L["clean"]}[s["worst"]]
    return [src.get("path"), rep.get("title"), rep.get("department"), rep.get("year"),
            L["templates"].get(rep.get("template"), rep.get("template")),
            L["statuses"].get(record.get("status"), record.get("status")), worst, s["open"], s["dismissed"],
            s["unverified"], len(record.get("indicators") or []) if record.get("status") == "checked" else None,
            s["n_findings"] if record.get("status") == "checked" else None, err.get("code"),
            error_reason(err, lang), src.get("sha256")]


def error_reason(err: dict[str, Any], lang: str) -> Any:
    """The coded error's reason in the report's language, with its detail."""
    reason = err.get("reason_en") if lang == "en" else err.get("reason")
    return " ".join(x for x in (reason, err.get("detail") and f"({err['detail']})") if x) or None


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, int]], rows: list[list[Any]], wrap: set[int]) -> None:
    """One sheet, streamed (write-only: a 1,000-report batch is tens of thousands of cells)."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    head = []
    for name, _ in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
        head.append(cell)
    ws.append(head)
    for row in rows:
        values = [safe_text(v) for v in row]
        for i in wrap:  # long texts wrap, top-aligned
            if values[i - 1]:
                cell = WriteOnlyCell(ws, value=values[i - 1])
                cell.alignment = WRAP
                values[i - 1] = cell
        ws.append(values)


def _finding_order(record: dict[str, Any]):
    """Within a report: open mismatches, then unverified, dismissed, consistent; by severity."""
    def key(row_and_f):
        f = row_and_f[1]
        state = 0 if f.get("status") == "mismatch" and not (f.get("decision") or {}).get("verdict") == "dismissed" \
            else 1 if f.get("status") == "unverified" else 2 if f.get("status") == "mismatch" else 3
        return state, -digest.SEVERITY_RANK.get(f.get("severity"), 0)
    return key


def workbook(records: Iterable[dict[str, Any]], lang: str = "zh") -> Workbook:
    records = sorted(reviewed(records), key=digest.sort_key)
    L = labels.labels(lang)
    wb = Workbook(write_only=True)
    rows = []
    for rec in records:
        pairs = list(zip(finding_rows(rec, lang), rec.get("findings") or []))
        rows.extend(r for r, _ in sorted(pairs, key=_finding_order(rec)))
    _sheet(wb, L["sheet_findings"], _finding_columns(lang), rows, wrap={14, 15})
    _sheet(wb, L["sheet_reports"], _report_columns(lang), [report_row(r, lang) for r in records], wrap=set())
    return wb


def write(records: Iterable[dict[str, Any]], path: str | os.PathLike, lang: str = "zh") -> None:
    workbook(records, lang).save(path)
