"""`jixiao review`: record a reviewer's decision on a finding, kept in the corpus file.

    jixiao review FINGERPRINT --dismiss --reason "…" --by NAME --db corpus.sqlite
    jixiao review FINGERPRINT --confirm --reason "…" --by NAME --db corpus.sqlite
    jixiao review --import decisions.csv --db corpus.sqlite     (fingerprint,decision,reason,by[,at])
    jixiao review --list --db corpus.sqlite

Fingerprints are shown in the HTML report and the XLSX workbook. Exit status
0 recorded, 2 refused (one line on stderr saying why; nothing is kept).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import JixiaoError


def review(
    fingerprint: Optional[str] = typer.Argument(None, help="The finding's fingerprint (from the report)."),
    dismiss: bool = typer.Option(False, "--dismiss", help="The finding is a false alarm: it no longer fails a run."),
    confirm: bool = typer.Option(False, "--confirm", help="The finding is real."),
    reason: str = typer.Option("", "--reason", help="Why (required)."),
    by: str = typer.Option("", "--by", help="The reviewer's name (required)."),
    db: Path = typer.Option(..., "--db", help="The corpus file (SQLite) that keeps decisions."),
    import_csv: Optional[Path] = typer.Option(None, "--import", help="A CSV of decisions: fingerprint,decision,reason,by[,at]."),
    list_: bool = typer.Option(False, "--list", help="Print every decision recorded, oldest first (CSV)."),
) -> None:
    """Dismiss or confirm a finding, import a CSV of decisions, or list them."""
    from rich.console import Console

    from ..store import decisions

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    modes = sum([bool(fingerprint), bool(import_csv), list_])
    if modes != 1 or (fingerprint and dismiss == confirm) or (not fingerprint and (dismiss or confirm)):
        err.print("jixiao review: give FINGERPRINT with one of --dismiss/--confirm, or --import FILE, or --list", markup=False)
        raise typer.Exit(2)
    try:
        conn = decisions.connect(db)
        if list_:
            _print_csv(decisions.history(conn))
        elif import_csv:
            if not import_csv.is_file():
                from ..errors import NotFound
                raise NotFound(str(import_csv))
            n = decisions.import_csv(conn, import_csv)
            err.print(f"{import_csv}: {n} decisions recorded in {db}", markup=False)
        else:
            d = decisions.record(conn, fingerprint, "dismissed" if dismiss else "confirmed", reason, by)
            err.print(f"{d.fingerprint}: {d.verdict} by {d.by} ({db})", markup=False)
    except JixiaoError as exc:
        err.print(exc.line(), markup=False)
        raise typer.Exit(2)
    except Exception as exc:  # sqlite3.DatabaseError on a file that is no SQLite database, and the like
        err.print(f"{db}: E999 {type(exc).__name__}: {exc}", markup=False)
        raise typer.Exit(2)


def _print_csv(rows) -> None:
    import csv

    w = csv.writer(sys.stdout)
    w.writerow(["fingerprint", "decision", "reason", "by", "at"])
    for d in rows:
        w.writerow([d.fingerprint, d.verdict, d.reason, d.by, d.at])
