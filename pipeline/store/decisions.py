"""Reviewers' decisions on findings, kept in the corpus file so that they outlast re-runs.

A decision (``dismissed`` or ``confirmed``, with a reason and a name) is
attached to a finding's fingerprint (pipeline/output/fingerprint.py), not to
a row id: a re-run that finds the same thing with the same figures meets the
same decision, and a finding whose figures changed has a new fingerprint and
comes back for review. Every decision is kept (the log is the audit trail);
the latest one per fingerprint is in force.

`apply_decisions` is a plain function over serialised records, so `report`,
`check` and the corpus builder honour decisions the same way: a dismissed
mismatch is shown as dismissed and no longer fails the run.
"""
from __future__ import annotations

import csv
import os
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Optional

from ..errors import DecisionError
from . import migrations
from ..output.fingerprint import is_fingerprint
from ..output.reviewed import apply_decisions, is_dismissed, is_open, open_mismatches  # noqa: F401  (re-exported)

COMPONENT = "review"   # its row in schema_version (the corpus's per-component schema table)
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    id          INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,                 -- pipeline.output.fingerprint of the finding
    verdict     TEXT NOT NULL CHECK (verdict IN ('dismissed', 'confirmed')),
    reason      TEXT NOT NULL,
    by          TEXT NOT NULL,                 -- the reviewer's name
    at          TEXT NOT NULL,                 -- UTC, ISO 8601
    rule        TEXT,                          -- context for a human reading the table
    report      TEXT,
    source      TEXT                           -- cli | import:FILE
);
CREATE INDEX IF NOT EXISTS decisions_fingerprint ON decisions (fingerprint, id);
"""


def _create(conn: sqlite3.Connection) -> None:
    for stmt in _SCHEMA.split(";"):
        if stmt.strip() and "schema_version" not in stmt:
            conn.execute(stmt)


# the corpus store creates the table too, like its own (store.open runs every registered migration)
migrations.register(COMPONENT, [_create])  # SCHEMA_VERSION steps

# words a CSV may use for the verdict, Chinese or English
VERDICTS = {
    "dismiss": "dismissed", "dismissed": "dismissed", "忽略": "dismissed", "驳回": "dismissed", "误报": "dismissed",
    "confirm": "confirmed", "confirmed": "confirmed", "确认": "confirmed",
}
CSV_COLUMNS = ("fingerprint", "decision", "reason", "by")


@dataclass(frozen=True)
class Decision:
    fingerprint: str
    verdict: str          # dismissed | confirmed
    reason: str
    by: str
    at: str
    rule: Optional[str] = None
    report: Optional[str] = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "fingerprint"}


def connect(db_path: str | os.PathLike) -> sqlite3.Connection:
    """Open (or create) the corpus file and make sure the decisions table exists, at our version."""
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    ensure(conn)
    return conn


def ensure(conn: sqlite3.Connection) -> None:
    for stmt in _SCHEMA.split(";"):
        if stmt.strip():
            conn.execute(stmt)
    row = conn.execute("SELECT version FROM schema_version WHERE component = ?", (COMPONENT,)).fetchone()
    if row is None:
        conn.execute("INSERT INTO schema_version (component, version) VALUES (?, ?)", (COMPONENT, SCHEMA_VERSION))
    elif row[0] > SCHEMA_VERSION:
        raise DecisionError(COMPONENT, f"decisions schema version {row[0]} is newer than this jixiao ({SCHEMA_VERSION})")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _validated(fp: str, verdict: str, reason: str, by: str, where: str) -> tuple[str, str, str, str]:
    fp = (fp or "").strip().lower()
    if not is_fingerprint(fp):
        raise DecisionError(where, f"not a finding fingerprint: {fp!r}")
    v = VERDICTS.get((verdict or "").strip().lower())
    if v is None:
        raise DecisionError(where, f"decision must be dismiss or confirm, not {verdict!r}")
    reason, by = (reason or "").strip(), (by or "").strip()
    if not reason:
        raise DecisionError(where, "a decision needs a reason")
    if not by:
        raise DecisionError(where, "a decision needs the reviewer's name")
    return fp, v, reason, by


def record(conn: sqlite3.Connection, fp: str, verdict: str, reason: str, by: str, *,
           at: Optional[str] = None, rule: Optional[str] = None, report: Optional[str] = None,
           source: str = "cli") -> Decision:
    """Record one decision (it supersedes earlier ones on the same fingerprint)."""
    fp, v, reason, by = _validated(fp, verdict, reason, by, fp or "decision")
    d = Decision(fp, v, reason, by, at or _now(), rule, report)
    conn.execute("INSERT INTO decisions (fingerprint, verdict, reason, by, at, rule, report, source) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (d.fingerprint, d.verdict, d.reason, d.by, d.at, rule, report, source))
    return d


def import_csv(conn: sqlite3.Connection, path: str | os.PathLike) -> int:
    """Every row of a decisions CSV (fingerprint, decision, reason, by[, at]), all or none.

    UTF-8 with or without BOM (what Excel writes); a bad row names its line and nothing is kept.
    """
    name = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
            header = [h.strip().lower() for h in (rows[0].keys() if rows else [])]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DecisionError(name, str(exc)) from None
    missing = [c for c in CSV_COLUMNS if rows and c not in header]
    if not rows:
        raise DecisionError(name, "no decisions in the file")
    if missing:
        raise DecisionError(name, f"missing columns: {', '.join(missing)}")
    parsed = []
    for line, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
        parsed.append((*_validated(row["fingerprint"], row["decision"], row["reason"], row["by"], f"{name}:{line}"),
                       row.get("at", "").strip() or _now()))
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("INSERT INTO decisions (fingerprint, verdict, reason, by, at, source) VALUES (?, ?, ?, ?, ?, ?)",
                         [(*p, f"import:{Path(name).name}") for p in parsed])
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return len(parsed)


def load(conn_or_path: sqlite3.Connection | str | os.PathLike) -> dict[str, Decision]:
    """The decision in force for each fingerprint: the latest one recorded."""
    conn = conn_or_path if isinstance(conn_or_path, sqlite3.Connection) else connect(conn_or_path)
    rows = conn.execute("SELECT fingerprint, verdict, reason, by, at, rule, report FROM decisions ORDER BY id").fetchall()
    return {r[0]: Decision(*r) for r in rows}


def history(conn: sqlite3.Connection, fp: Optional[str] = None) -> list[Decision]:
    sql = "SELECT fingerprint, verdict, reason, by, at, rule, report FROM decisions"
    rows = conn.execute(sql + (" WHERE fingerprint = ? ORDER BY id" if fp else " ORDER BY id"),
                        (fp,) if fp else ()).fetchall()
    return [Decision(*r) for r in rows]
