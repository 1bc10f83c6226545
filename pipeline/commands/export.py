"""`jixiao export --db corpus.sqlite --format parquet|csv|jsonl -o FILE`."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Optional

import typer

from ..errors import CorpusError, OutputError

from .common import choices, db_path, die, output, say


Format = choices("Format", "parquet csv jsonl")


Rows = choices("Rows", "indicators findings")


def export(
    db: Path = typer.Option(..., "--db", help="The corpus (SQLite) written by `jixiao run`."),
    format: Format = typer.Option(Format.jsonl, "--format", "-f", help="jsonl (one CONTRACT record per report), csv or parquet (one row per indicator or finding)."),
    out: Optional[str] = typer.Option(None, "-o", "--output", help="The file to write (stdout for csv and jsonl when omitted)."),
    rows: Rows = typer.Option(Rows.indicators, "--rows", help="csv/parquet: one row per indicator or per finding."),
) -> None:
    """Export the corpus; unreadable files are records (jsonl) or rows (csv, parquet) of their own."""
    from .. import store
    from ..store import export as ex

    if format is Format.parquet and (not out or out == "-"):
        raise die("--format parquet needs -o FILE")
    try:
        conn = store.open(db_path(db, must_exist=True))
        if format is Format.parquet:
            try:
                n = ex.write_parquet(conn, out, rows.value)
            except OSError as exc:
                raise die(OutputError(str(out), exc.strerror or str(exc)).line())
        else:
            with output(out) as fh:
                n = ex.write_jsonl(conn, fh) if format is Format.jsonl else ex.write_csv(conn, fh, rows.value)
    except sqlite3.Error as exc:
        raise die(CorpusError(str(db), str(exc)).line())
    except RuntimeError as exc:
        raise die(str(exc))
    if out and out != "-":
        say(f"{n} {'records' if format is Format.jsonl else rows.value} -> {out}")
