"""Exporting the corpus: JSON lines in the CONTRACT shape, or flat rows (CSV, Parquet with typed columns).

Flat rows are one per indicator (``rows="indicators"``) or per finding
(``rows="findings"``, cross-report ones included with scope 'corpus'); a file
that could not be checked is one row of its own (status unreadable, its
error code), so a count over the export never misses it.
"""
from __future__ import annotations

import csv
import json
import sqlite3
from typing import IO, Any, Iterator

from . import records

REPORT_COLUMNS = [("path", "string"), ("file", "string"), ("member", "string"), ("key", "string"),
                  ("report_status", "string"), ("error_code", "string"), ("department", "string"),
                  ("year", "int64"), ("template", "string"), ("money_unit", "string"),
                  ("version", "string"), ("settings", "string"), ("checked_at", "string")]
ROW_COLUMNS = {
    "indicators": [("indicator_id", "string"), ("section", "string"), ("name", "string"), ("raw", "string"),
                   ("value", "float64"), ("unit", "string"), ("status", "string"), ("target", "string"),
                   ("weight", "float64"), ("score", "float64"), ("evidence", "string"), ("note", "string")],
    "findings": [("scope", "string"), ("finding_id", "string"), ("rule", "string"), ("status", "string"),
                 ("severity", "string"), ("indicator", "string"), ("expected", "float64"), ("reported", "float64"),
                 ("message", "string"), ("params", "string")],
}
_SELECT = {
    "indicators": "t.id, t.section, t.name, t.raw, t.value, t.unit, t.status, t.target, t.weight, t.score, t.evidence, t.note",
    "findings": "t.scope, t.id, t.rule, t.status, t.severity, t.indicator, t.expected, t.reported, t.message, t.params",
}
_ORDER = {"indicators": "t.ord", "findings": "t.scope DESC, t.ord"}


def columns(rows: str) -> list[tuple[str, str]]:
    if rows not in ROW_COLUMNS:
        raise ValueError(f"rows must be one of {', '.join(ROW_COLUMNS)}")
    return REPORT_COLUMNS + ROW_COLUMNS[rows]


def flat(conn: sqlite3.Connection, rows: str = "indicators") -> Iterator[tuple]:
    """One tuple per indicator or finding (in `columns(rows)` order), and one per unreadable file."""
    columns(rows)
    table = rows  # a fixed name from ROW_COLUMNS, never user text
    sql = ("SELECT r.path, r.file, r.member, r.key, r.status, r.error_code, r.department, r.year, r.template,"
           " r.money_unit, r.version, r.settings, r.checked_at, " + _SELECT[rows] +
           f" FROM reports r LEFT JOIN {table} t ON t.report_id = r.id"
           " WHERE t.report_id IS NOT NULL OR r.status = 'unreadable'"
           " ORDER BY r.path, r.key, r.version, r.settings, " + _ORDER[rows])
    yield from conn.execute(sql)


def write_jsonl(conn: sqlite3.Connection, out: IO[str]) -> int:
    n = 0
    for rec in records(conn):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(conn: sqlite3.Connection, out: IO[str], rows: str = "indicators") -> int:
    w = csv.writer(out)
    w.writerow([c for c, _ in columns(rows)])
    n = 0
    for row in flat(conn, rows):
        w.writerow(["" if v is None else v for v in row])
        n += 1
    return n


def write_parquet(conn: sqlite3.Connection, path: str, rows: str = "indicators", batch: int = 50_000) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ModuleNotFoundError:
        raise RuntimeError("parquet export needs pyarrow: pip install 'jixiao[parquet]' "
                           "(in a checkout: pip install '.[parquet]')") from None
    cols = columns(rows)
    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64()}
    schema = pa.schema([(c, types[t]) for c, t in cols])
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[tuple] = []
        for row in flat(conn, rows):
            chunk.append(row)
            if len(chunk) >= batch:
                writer.write_table(_table(pa, schema, cols, chunk))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(_table(pa, schema, cols, chunk))
            n += len(chunk)
    return n


def _table(pa: Any, schema: Any, cols: list[tuple[str, str]], chunk: list[tuple]) -> Any:
    data = {c: [r[i] for r in chunk] for i, (c, _) in enumerate(cols)}
    return pa.Table.from_pydict(data, schema=schema)
