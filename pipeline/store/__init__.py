"""The SQLite corpus: every record of a run (checked or unreadable) with its provenance, searchable.

- `open(path)`: a connection with the schema ensured (migrations run), WAL mode.
- `write(conn, record, Provenance(...))`: one report, one transaction; idempotent per
  (content hash, pipeline version, settings fingerprint). `rows(record)` prepares what
  `write_rows` inserts (a bulk worker does it, the parent only writes); `write_many` stores
  several in one transaction, each whole.
- `records(db)`: the stored CONTRACT dicts, each with a ``provenance`` object, in a stable order.
- `search`, `export` and `across` (cross-report rules) build on the same tables.
Other components add tables through `migrations.register` (see there).
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterator, Union

from ..errors import CorpusError, NotFound
from . import migrations, schema  # noqa: F401  (schema registers the corpus tables)
from . import decisions  # noqa: F401,E402  (registers the reviewer's decisions table)
from .write import (Provenance, Rows, delete_corpus_findings, done_keys, has, insert_findings, rows, write, write_many,
                    write_rows)

__all__ = ["open", "records", "write", "rows", "write_rows", "write_many", "Rows", "has", "done_keys", "Provenance", "migrations",
           "insert_findings", "delete_corpus_findings"]

DB = Union[str, os.PathLike, sqlite3.Connection]


def open(path: Union[str, os.PathLike], readonly: bool = False) -> sqlite3.Connection:  # noqa: A001 (the store's own open)
    """A connection to the corpus at `path`, created if need be, every registered migration run.

    A file that is no SQLite database (or cannot be written) is a coded `CorpusError` (E400)."""
    try:
        return _open(path, readonly)
    except sqlite3.DatabaseError as exc:
        raise CorpusError(str(path), str(exc)) from None


def _open(path: Union[str, os.PathLike], readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=30, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: a crash loses at most the last transactions, never corrupts
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        migrations.apply(conn)
    return conn


def _conn(db: DB) -> tuple[sqlite3.Connection, bool]:
    if isinstance(db, sqlite3.Connection):
        return db, False
    if not Path(db).is_file():
        raise NotFound(str(db))
    return open(db), True


def records(db: DB) -> Iterator[dict[str, Any]]:
    """Every stored record in the CONTRACT shape (status checked or unreadable), ordered by path then key.

    Each carries ``provenance`` (key, version, settings, file, member,
    checked_at, seconds) and, where the cross-report rules found something,
    ``corpus_findings`` in the shape of ``findings``.
    """
    conn, own = _conn(db)
    try:
        try:
            rows = conn.execute("SELECT id, record, key, version, settings, file, member, checked_at, seconds"
                                " FROM reports ORDER BY path, key, version, settings").fetchall()
            across = _corpus_findings(conn)
        except sqlite3.DatabaseError as exc:
            raise CorpusError(str(db), str(exc)) from None
        for rid, rec, key, version, settings, file, member, at, secs in rows:
            out = json.loads(rec)
            out["provenance"] = {"key": key, "version": version, "settings": settings, "file": file,
                                 "member": member, "checked_at": at, "seconds": secs}
            if rid in across:
                out["corpus_findings"] = across[rid]
            yield out
    finally:
        if own:
            conn.close()


def _corpus_findings(conn: sqlite3.Connection) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for rid, fid, rule, status, sev, ind, claims, exp, rep, msg, params in conn.execute(
            "SELECT report_id, id, rule, status, severity, indicator, claims, expected, reported, message, params"
            " FROM findings WHERE scope = 'corpus' ORDER BY report_id, ord"):
        out.setdefault(rid, []).append({"id": fid, "rule": rule, "status": status, "severity": sev, "indicator": ind,
                                        "claims": json.loads(claims or "[]"), "expected": exp, "reported": rep,
                                        "message": msg, "params": json.loads(params or "{}")})
    return out
