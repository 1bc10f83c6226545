"""Writing records (the CONTRACT dicts of checked or unreadable files) into the corpus, each whole in one transaction."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

from . import fts
from .migrations import transaction

BUDGET_LABELS = {
    "initial": "年初预算", "adjusted": "调整预算", "actual": "实际支出",
    "adjustment": "预算调整数", "completion_rate": "预算完成率", "adjustment_rate": "预算调整率",
    "received": "实际到位资金", "balance": "结余",
}


@dataclass(frozen=True)
class Provenance:
    """Where a record came from and what checked it: the corpus key is (key, version, settings)."""

    key: str
    version: str
    settings: str
    seconds: Optional[float] = None
    checked_at: str = ""

    def stamped(self) -> "Provenance":
        if self.checked_at:
            return self
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return Provenance(self.key, self.version, self.settings, self.seconds, now)


def has(conn: sqlite3.Connection, key: str, version: str, settings: str) -> bool:
    return conn.execute("SELECT 1 FROM reports WHERE key = ? AND version = ? AND settings = ?",
                        (key, version, settings)).fetchone() is not None


def done_keys(conn: sqlite3.Connection, version: str, settings: str) -> set[str]:
    """Every key already stored for this pipeline version and settings (what a resumed run skips)."""
    rows = conn.execute("SELECT key FROM reports WHERE version = ? AND settings = ?", (version, settings))
    return {r[0] for r in rows}


@dataclass(frozen=True)
class Rows:
    """One record as the corpus stores it, every value computed (the record's JSON, the search
    columns): what a worker prepares, so that the process writing the corpus only inserts.
    Plain tuples, without the report's id (given at insert) or its provenance."""

    report: tuple                               # the reports columns from status to money_unit, then the counts
    record: str                                 # the record as JSON (reports.record)
    tables: tuple[tuple[str, tuple[tuple, ...]], ...]  # (INSERT statement, rows after report_id), in insert order
    items: tuple[tuple, ...]                    # items rows after report_id (kind … scope), in id order
    search: tuple[tuple[str], ...]              # their items_fts columns (grams)


_INSERT = {
    "budget": "INSERT INTO budget VALUES (?, ?, ?, ?)",
    "indicators": "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "claims": "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "findings": "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "sections": "INSERT INTO sections VALUES (?, ?, ?, ?, ?)",
    "errors": "INSERT INTO errors VALUES (?, ?, ?, ?, ?, ?)",
}
_REPORT = ("INSERT INTO reports (key, version, settings, status, path, file, member, sha256, format, title, department,"
           " year, template, money_unit, n_indicators, n_mismatches, error_code, checked_at, seconds, record)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_ITEM = ("INSERT INTO items (id, report_id, kind, ord, scope, name, text, value, unit, status, rule, severity)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_SEARCH = "INSERT INTO items_fts (rowid, grams) VALUES (?, ?)"
# json.dumps(x, ensure_ascii=False[, sort_keys=True]) without building an encoder per value
_JSON = json.JSONEncoder(ensure_ascii=False).encode
_JSON_SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def write(conn: sqlite3.Connection, record: dict[str, Any], prov: Provenance) -> Optional[int]:
    """Store one record; returns its report id, or None when the same key was already stored."""
    return write_rows(conn, rows(record), prov)


def write_rows(conn: sqlite3.Connection, rows_: Rows, prov: Provenance) -> Optional[int]:
    """Store one record prepared by `rows`, in one transaction; None when the key is already stored."""
    return write_many(conn, [(rows_, prov)])[0]


def write_many(conn: sqlite3.Connection, batch: Iterable[tuple[Rows, Provenance]],
               begun: bool = False) -> list[Optional[int]]:
    """Store several prepared records in one transaction, each whole (a crash keeps all or none of
    them, never part of one); for each its report id, or None when its key was already stored.
    A bulk run commits a few at a time: a commit writes every touched page of the tables, the
    indexes and the search index, which costs the writing process more than the inserts.
    `begun`: the caller holds the write lock already (`migrations.begin`)."""
    with transaction(conn, begun):
        return [_insert(conn, rows_, prov.stamped()) for rows_, prov in batch]


def _insert(conn: sqlite3.Connection, rows_: Rows, prov: Provenance) -> Optional[int]:
    if has(conn, prov.key, prov.version, prov.settings):
        return None
    rid = int(conn.execute(_REPORT, (prov.key, prov.version, prov.settings, *rows_.report, prov.checked_at,
                                     prov.seconds, rows_.record)).lastrowid)
    for sql, table in rows_.tables:
        conn.executemany(sql, [(rid, *r) for r in table])
    _insert_items(conn, rid, rows_.items, rows_.search)
    return rid


def _insert_items(conn: sqlite3.Connection, rid: int, items: Iterable[tuple], search: Iterable[tuple[str, str]]) -> None:
    """Search items with their index rows, ids given here as SQLite would (one past the largest)."""
    items = list(items)
    if not items:
        return
    last = conn.execute("SELECT max(id) FROM items").fetchone()[0] or 0
    ids = range(last + 1, last + 1 + len(items))
    conn.executemany(_ITEM, [(i, rid, *it) for i, it in zip(ids, items)])
    conn.executemany(_SEARCH, [(i, *cols) for i, cols in zip(ids, search)])


def rows(record: dict[str, Any]) -> Rows:
    """A record (checked or unreadable) as the rows `write_rows` inserts."""
    src, rep = record.get("source") or {}, record.get("report") or {}
    inds, finds = record.get("indicators") or [], record.get("findings") or []
    head = (record.get("status", "checked"), src.get("path") or "", src.get("file") or src.get("path") or "",
            src.get("member"), src.get("sha256"), src.get("format"), rep.get("title"), rep.get("department"),
            rep.get("year"), rep.get("template"), rep.get("money_unit"), len(inds),
            sum(f.get("status") == "mismatch" for f in finds), (record.get("error") or {}).get("code"))
    items: list[tuple] = []
    tables: list[tuple[str, tuple[tuple, ...]]] = []
    if record.get("status") == "checked":
        tables.append(("budget", _budget(record.get("budget") or {}, items)))
        tables.append(("indicators", _indicators(inds, items)))
        tables.append(("claims", _claims(record.get("claims") or [], items)))
        tables.append(("findings", _findings(finds, "report", items)))
        tables.append(("sections", _sections(record.get("sections") or [], items)))
    else:
        e = record.get("error") or {}
        tables.append(("errors", ((e.get("code") or "E000", e.get("reason"), e.get("reason_en"), e.get("detail"),
                                   e.get("message")),)))
    return Rows(head, _JSON(record), tuple((_INSERT[t], r) for t, r in tables if r),
                tuple(it for it, _ in items), tuple(fts.columns(text) for _, text in items))


# what the search index holds of an item, from its name and text: an indicator by its name, a finding
# by its message, claims and sections by both (the index keeps no copy, so a row is deleted from these)
_SEARCHED = {"budget": "name", "indicator": "name", "finding": "text", "claim": "both", "section": "both"}


def searchable(kind: str, name: Optional[str], text: Optional[str]) -> str:
    """The text of an item that `fts.columns` splits into its index row."""
    part = _SEARCHED[kind]
    if part == "name":
        return name or ""
    if part == "text":
        return text or ""
    return f"{name or ''} {text or ''}"


def _item(items: list, kind: str, ord_: int, name: Optional[str], text: Optional[str],
          value: Any = None, unit: Optional[str] = None, status: Optional[str] = None,
          rule: Optional[str] = None, severity: Optional[str] = None, scope: str = "report") -> None:
    items.append(((kind, ord_, scope, name, text, _real(value), unit, status, rule, severity),
                  searchable(kind, name, text)))


def _real(x: Any) -> Optional[float]:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def _budget(budget: dict[str, Any], items: list) -> tuple[tuple, ...]:
    out = []
    for i, (field, label) in enumerate(BUDGET_LABELS.items()):
        value = budget.get(field)
        out.append((field, label, _real(value)))
        if value is not None:
            unit = "%" if field.endswith("rate") else None
            _item(items, "budget", i, label, f"{label} {value}", value, unit)
    return tuple(out)


def _indicators(rows_: Iterable[dict[str, Any]], items: list) -> tuple[tuple, ...]:
    out = []
    for i, r in enumerate(rows_):
        out.append((i, r.get("id"), r.get("section"), r.get("name"), r.get("raw"), _real(r.get("value")),
                    r.get("unit"), r.get("status"), _JSON(r.get("evidence") or []),
                    r.get("note"), r.get("target"), _real(r.get("weight")), _real(r.get("score"))))
        _item(items, "indicator", i, r.get("name"), r.get("raw"), r.get("value"), r.get("unit"), r.get("status"))
    return tuple(out)


def _claims(rows_: Iterable[dict[str, Any]], items: list) -> tuple[tuple, ...]:
    out = []
    for i, c in enumerate(rows_):
        lo, hi = (c.get("range") or [None, None])[:2]
        span = c.get("span") or [None, None]
        out.append((i, c.get("id"), c.get("section"), c.get("text"), c.get("subject"), _real(c.get("value")),
                    c.get("unit"), _real(lo), _real(hi), int(bool(c.get("approx"))), span[0], span[1]))
        _item(items, "claim", i, c.get("subject"), c.get("text"), c.get("value"), c.get("unit"))
    return tuple(out)


def _findings(rows_: Iterable[dict[str, Any]], scope: str, items: list) -> tuple[tuple, ...]:
    out = []
    for i, f in enumerate(rows_):
        out.append((scope, i, f.get("id"), f.get("rule"), f.get("status"), f.get("severity"), f.get("indicator"),
                    _JSON(f.get("claims") or []), _real(f.get("expected")),
                    _real(f.get("reported")), f.get("message"),
                    _JSON_SORTED(f.get("params") or {})))
        _item(items, "finding", i, f.get("rule"), f.get("message"), f.get("reported"), None, f.get("status"),
              f.get("rule"), f.get("severity"), scope)
    return tuple(out)


def insert_findings(conn: sqlite3.Connection, rid: int, rows_: Iterable[dict[str, Any]], scope: str) -> None:
    """Findings of one report (its own check's, or the corpus rules' with scope 'corpus'), indexed for search."""
    items: list = []
    conn.executemany(_INSERT["findings"], [(rid, *r) for r in _findings(rows_, scope, items)])
    _insert_items(conn, rid, (it for it, _ in items), [fts.columns(text) for _, text in items])


def _sections(rows_: Iterable[dict[str, Any]], items: list) -> tuple[tuple, ...]:
    out = []
    for i, s in enumerate(rows_):
        out.append((i, s.get("name"), s.get("kind"), s.get("text")))
        _item(items, "section", i, s.get("name"), s.get("text"))
    return tuple(out)


def unindex(conn: sqlite3.Connection, items: Iterable[tuple[int, str, Optional[str], Optional[str]]]) -> None:
    """Remove (id, kind, name, text) items from the search index, which keeps no copy of what it
    indexed (contentless FTS5): a row is deleted by giving the values it was built from again."""
    conn.executemany("INSERT INTO items_fts (items_fts, rowid, grams) VALUES ('delete', ?, ?)",
                     [(i, *fts.columns(searchable(kind, name, text))) for i, kind, name, text in items])


def delete_corpus_findings(conn: sqlite3.Connection) -> None:
    """Drop the cross-report findings (and their index rows) before they are computed again."""
    unindex(conn, conn.execute("SELECT id, kind, name, text FROM items WHERE scope = 'corpus'").fetchall())
    conn.execute("DELETE FROM items WHERE scope = 'corpus'")
    conn.execute("DELETE FROM findings WHERE scope = 'corpus'")
