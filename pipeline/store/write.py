"""Writing one record (the CONTRACT dict of a checked or unreadable file) into the corpus, in one transaction."""
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


def write(conn: sqlite3.Connection, record: dict[str, Any], prov: Provenance) -> Optional[int]:
    """Store one record; returns its report id, or None when the same key was already stored."""
    prov = prov.stamped()
    with transaction(conn):
        if has(conn, prov.key, prov.version, prov.settings):
            return None
        rid = _report(conn, record, prov)
        if record.get("status") == "checked":
            _budget(conn, rid, record.get("budget") or {})
            _indicators(conn, rid, record.get("indicators") or [])
            _claims(conn, rid, record.get("claims") or [])
            insert_findings(conn, rid, record.get("findings") or [], "report")
            _sections(conn, rid, record.get("sections") or [])
        else:
            e = record.get("error") or {}
            conn.execute("INSERT INTO errors VALUES (?, ?, ?, ?, ?, ?)",
                         (rid, e.get("code") or "E000", e.get("reason"), e.get("reason_en"), e.get("detail"), e.get("message")))
    return rid


def _report(conn: sqlite3.Connection, rec: dict[str, Any], prov: Provenance) -> int:
    src, rep = rec.get("source") or {}, rec.get("report") or {}
    inds, finds = rec.get("indicators") or [], rec.get("findings") or []
    cur = conn.execute(
        "INSERT INTO reports (key, version, settings, status, path, file, member, sha256, format, title, department,"
        " year, template, money_unit, n_indicators, n_mismatches, error_code, checked_at, seconds, record)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (prov.key, prov.version, prov.settings, rec.get("status", "checked"), src.get("path") or "",
         src.get("file") or src.get("path") or "", src.get("member"), src.get("sha256"), src.get("format"),
         rep.get("title"), rep.get("department"), rep.get("year"), rep.get("template"), rep.get("money_unit"),
         len(inds), sum(f.get("status") == "mismatch" for f in finds), (rec.get("error") or {}).get("code"),
         prov.checked_at, prov.seconds, json.dumps(rec, ensure_ascii=False)))
    return int(cur.lastrowid)


def _item(conn: sqlite3.Connection, rid: int, kind: str, ord_: int, name: Optional[str], text: Optional[str],
          searchable: str, value: Any = None, unit: Optional[str] = None, status: Optional[str] = None,
          rule: Optional[str] = None, severity: Optional[str] = None, scope: str = "report") -> None:
    cur = conn.execute("INSERT INTO items (report_id, kind, ord, scope, name, text, value, unit, status, rule, severity)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (rid, kind, ord_, scope, name, text, _real(value), unit, status, rule, severity))
    uni, bi = fts.columns(searchable)
    conn.execute("INSERT INTO items_fts (rowid, uni, bi) VALUES (?, ?, ?)", (cur.lastrowid, uni, bi))


def _real(x: Any) -> Optional[float]:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def _budget(conn: sqlite3.Connection, rid: int, budget: dict[str, Any]) -> None:
    for i, (field, label) in enumerate(BUDGET_LABELS.items()):
        value = budget.get(field)
        conn.execute("INSERT INTO budget VALUES (?, ?, ?, ?)", (rid, field, label, _real(value)))
        if value is not None:
            unit = "%" if field.endswith("rate") else None
            _item(conn, rid, "budget", i, label, f"{label} {value}", label, value, unit)


def _indicators(conn: sqlite3.Connection, rid: int, rows: Iterable[dict[str, Any]]) -> None:
    for i, r in enumerate(rows):
        conn.execute("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (rid, i, r.get("id"), r.get("section"), r.get("name"), r.get("raw"), _real(r.get("value")),
                      r.get("unit"), r.get("status"), json.dumps(r.get("evidence") or [], ensure_ascii=False),
                      r.get("note"), r.get("target"), _real(r.get("weight")), _real(r.get("score"))))
        _item(conn, rid, "indicator", i, r.get("name"), r.get("raw"), r.get("name") or "",
              r.get("value"), r.get("unit"), r.get("status"))


def _claims(conn: sqlite3.Connection, rid: int, rows: Iterable[dict[str, Any]]) -> None:
    for i, c in enumerate(rows):
        lo, hi = (c.get("range") or [None, None])[:2]
        span = c.get("span") or [None, None]
        conn.execute("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (rid, i, c.get("id"), c.get("section"), c.get("text"), c.get("subject"), _real(c.get("value")),
                      c.get("unit"), _real(lo), _real(hi), int(bool(c.get("approx"))), span[0], span[1]))
        _item(conn, rid, "claim", i, c.get("subject"), c.get("text"),
              f"{c.get('subject') or ''} {c.get('text') or ''}", c.get("value"), c.get("unit"))


def insert_findings(conn: sqlite3.Connection, rid: int, rows: Iterable[dict[str, Any]], scope: str) -> None:
    """Findings of one report (its own check's, or the corpus rules' with scope 'corpus'), indexed for search."""
    for i, f in enumerate(rows):
        conn.execute("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (rid, scope, i, f.get("id"), f.get("rule"), f.get("status"), f.get("severity"), f.get("indicator"),
                      json.dumps(f.get("claims") or [], ensure_ascii=False), _real(f.get("expected")),
                      _real(f.get("reported")), f.get("message"),
                      json.dumps(f.get("params") or {}, ensure_ascii=False, sort_keys=True)))
        _item(conn, rid, "finding", i, f.get("rule"), f.get("message"), f.get("message") or "",
              f.get("reported"), None, f.get("status"), f.get("rule"), f.get("severity"), scope)


def _sections(conn: sqlite3.Connection, rid: int, rows: Iterable[dict[str, Any]]) -> None:
    for i, s in enumerate(rows):
        conn.execute("INSERT INTO sections VALUES (?, ?, ?, ?, ?)", (rid, i, s.get("name"), s.get("kind"), s.get("text")))
        _item(conn, rid, "section", i, s.get("name"), s.get("text"), f"{s.get('name') or ''} {s.get('text') or ''}")


def delete_corpus_findings(conn: sqlite3.Connection) -> None:
    """Drop the cross-report findings (and their index rows) before they are computed again."""
    ids = [r[0] for r in conn.execute("SELECT id FROM items WHERE scope = 'corpus'")]
    conn.executemany("DELETE FROM items_fts WHERE rowid = ?", [(i,) for i in ids])
    conn.execute("DELETE FROM items WHERE scope = 'corpus'")
    conn.execute("DELETE FROM findings WHERE scope = 'corpus'")
