"""Search the corpus: full text (see `fts`) and filters, as one parameterised query.

Clauses are fixed SQL fragments chosen by which filters are set; every value
the user gave travels as a parameter, never inside the SQL text.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any, Optional

from . import fts

KINDS = ("indicator", "claim", "section", "budget", "finding")
COLUMNS = ("kind", "path", "department", "year", "template", "name", "text", "value", "unit", "status",
           "rule", "severity", "scope")


@dataclass(frozen=True)
class Filters:
    """What `jixiao search` narrows by; None means no filter."""

    department: Optional[str] = None      # a substring of the department's name
    year: Optional[tuple[int, int]] = None  # inclusive range (one year: (y, y))
    template: Optional[str] = None
    unit: Optional[str] = None
    status: Optional[str] = None          # consistent | mismatch | unverified | qualitative; unreadable: files that failed
    min: Optional[float] = None           # value at least
    max: Optional[float] = None           # value at most
    rule: Optional[str] = None            # a rule name, or a glob (corpus.*)
    severity: Optional[str] = None
    kind: Optional[str] = None            # one of KINDS
    limit: int = 100                      # 0: all
    by_year: bool = False                 # order by department, year (sorts every match: slower on common words)


def parse_years(text: Optional[str]) -> Optional[tuple[int, int]]:
    """'2022' -> (2022, 2022); '2021-2023' -> (2021, 2023)."""
    if not text:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~]\s*(\d{4})\s*)?", text)
    if not m:
        raise ValueError(f"year must be YYYY or YYYY-YYYY, not {text!r}")
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    return (min(lo, hi), max(lo, hi))


def search(conn: sqlite3.Connection, query: str = "", f: Filters = Filters()) -> list[dict[str, Any]]:
    if f.status == "unreadable":
        return _unreadable(conn, query, f)
    if f.kind is not None and f.kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    match = fts.query(query) if query.strip() else ""
    if query.strip() and not match:
        return []
    where, params = [], []
    if match:
        sql = ("SELECT i.kind, r.path, r.department, r.year, r.template, i.name, i.text, i.value, i.unit, i.status,"
               " i.rule, i.severity, i.scope FROM items_fts JOIN items i ON i.id = items_fts.rowid"
               " JOIN reports r ON r.id = i.report_id")
        where.append("items_fts MATCH ?")
        params.append(match)
    else:
        sql = ("SELECT i.kind, r.path, r.department, r.year, r.template, i.name, i.text, i.value, i.unit, i.status,"
               " i.rule, i.severity, i.scope FROM items i JOIN reports r ON r.id = i.report_id")
    _filters(f, where, params)
    if where:
        sql += " WHERE " + " AND ".join(where)
    # FTS5 hands its matches over in rowid order (= items.id), so LIMIT stops early without sorting them all
    order = "items_fts.rowid" if match else "i.id"
    sql += f" ORDER BY r.department, r.year, {order}" if f.by_year else f" ORDER BY {order}"
    if f.limit:
        sql += " LIMIT ?"
        params.append(f.limit)
    return [dict(zip(COLUMNS, row)) for row in conn.execute(sql, params)]


def _filters(f: Filters, where: list[str], params: list[Any]) -> None:
    def add(clause: str, *values: Any) -> None:
        where.append(clause)
        params.extend(values)

    if f.department:
        add("instr(r.department, ?) > 0", f.department)
    if f.year:
        add("r.year BETWEEN ? AND ?", *f.year)
    if f.template:
        add("r.template = ?", f.template)
    if f.kind:
        add("i.kind = ?", f.kind)
    if f.unit:
        add("i.unit = ?", f.unit)
    if f.status:
        add("i.status = ?", f.status)
    if f.min is not None:
        add("i.value >= ?", f.min)
    if f.max is not None:
        add("i.value <= ?", f.max)
    if f.rule:
        add("i.rule GLOB ?", f.rule)
    if f.severity:
        add("i.severity = ?", f.severity)


def _unreadable(conn: sqlite3.Connection, query: str, f: Filters) -> list[dict[str, Any]]:
    """Files that could not be checked: the query is a substring of their path or error message."""
    sql = ("SELECT 'file', r.path, r.department, r.year, r.template, e.code, e.message, NULL, NULL, r.status,"
           " NULL, 'error', 'report' FROM reports r JOIN errors e ON e.report_id = r.id WHERE r.status = 'unreadable'")
    params: list[Any] = []
    if query.strip():
        sql += " AND (instr(r.path, ?) > 0 OR instr(e.message, ?) > 0)"
        params += [query.strip(), query.strip()]
    sql += " ORDER BY r.path"
    if f.limit:
        sql += " LIMIT ?"
        params.append(f.limit)
    return [dict(zip(COLUMNS, row)) for row in conn.execute(sql, params)]
