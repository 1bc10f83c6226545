"""`jixiao search QUERY --db corpus.sqlite`: indicators, claims, narrative, budget lines and findings."""
from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Optional

import typer

from ..errors import CorpusError

from .common import choices, console_for, db_path, die, output


Format = choices("Format", "table json csv")


Kind = choices("Kind", "indicator claim section budget finding")


def search(
    query: str = typer.Argument("", help="Words to find (Chinese of any length, phrases; terms separated by spaces all required). Empty: filters only."),
    db: Path = typer.Option(..., "--db", help="The corpus (SQLite) written by `jixiao run`."),
    kind: Optional[Kind] = typer.Option(None, "--kind", help="Only indicators, claims, sections (narrative), budget lines or findings."),
    department: Optional[str] = typer.Option(None, "--department", help="Part of the department's name."),
    year: Optional[str] = typer.Option(None, "--year", help="A year (2022) or a range (2021-2023)."),
    template: Optional[str] = typer.Option(None, "--template", help="department_overall, project, …"),
    unit: Optional[str] = typer.Option(None, "--unit", help="The unit as written (次, 人次, 万元, %)."),
    status: Optional[str] = typer.Option(None, "--status", help="consistent, mismatch, unverified, qualitative; unreadable: files that failed."),
    min_value: Optional[float] = typer.Option(None, "--min", help="Value at least."),
    max_value: Optional[float] = typer.Option(None, "--max", help="Value at most."),
    rule: Optional[str] = typer.Option(None, "--rule", help="A finding's rule, or a glob: 'corpus.*'."),
    severity: Optional[str] = typer.Option(None, "--severity", help="info, warning or error."),
    by_year: bool = typer.Option(False, "--by-year", help="Order by department then year (a series over years)."),
    limit: int = typer.Option(100, "--limit", min=0, help="At most this many rows (0: all)."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table, json (an array) or csv."),
    out: Optional[str] = typer.Option(None, "-o", "--output", help="Write to this file instead of stdout."),
) -> None:
    """Find in the corpus. Exit 0 with rows, 1 when nothing matched, 2 on a bad corpus or option."""
    from .. import store
    from ..store import search as find

    try:
        years = find.parse_years(year)
    except ValueError as exc:
        raise die(f"--year: {exc}")
    filters = find.Filters(department=department, year=years, template=template, unit=unit, status=status,
                           min=min_value, max=max_value, rule=rule, severity=severity,
                           kind=kind.value if kind else None, limit=limit, by_year=by_year)
    try:
        conn = store.open(db_path(db, must_exist=True))
        rows = find.search(conn, query, filters)
    except sqlite3.Error as exc:
        raise die(CorpusError(str(db), str(exc)).line())
    with output(out) as fh:
        if format is Format.json:
            fh.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        elif format is Format.csv:
            w = csv.writer(fh)
            w.writerow(find.COLUMNS)
            for r in rows:
                w.writerow(["" if r[c] is None else r[c] for c in find.COLUMNS])
        else:
            _table(rows, console_for(fh), query)
    raise typer.Exit(0 if rows else 1)


def _table(rows: list[dict], con, query: str) -> None:
    from rich.table import Table

    t = Table(title=f"{query or '—'}: {len(rows)}")
    for col in ("kind", "path", "department", "year", "name", "text", "value", "unit", "status", "rule"):
        t.add_column(col, overflow="fold")
    for r in rows:
        value = "" if r["value"] is None else f"{r['value']:g}"
        text = (r["text"] or "")
        t.add_row(r["kind"], r["path"], r["department"] or "", str(r["year"] or ""), r["name"] or "",
                  text[:80] + ("…" if len(text) > 80 else ""), value, r["unit"] or "", r["status"] or "", r["rule"] or "")
    con.print(t)
