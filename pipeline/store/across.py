"""Rules across reports, stored as findings with scope 'corpus' (rules ``corpus.*``).

- ``corpus.indicator_unchanged``: a department's indicator (same name, unit and
  template) states the same value as the year before;
- ``corpus.indicator_jump``: it moves by more than `jump_factor` times;
- ``corpus.narrative_copied``: a narrative paragraph repeats another report's
  word for word (the earliest report, by year then path, is the source).

Thresholds are data in configs/corpus.toml. The rules see the reports of one
pipeline version and settings fingerprint (a run's), and are recomputed as a
whole after each run, so the result does not depend on the order files were
checked in.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Optional

from .. import config
from ..errors import ConfigError
from .migrations import transaction
from .write import delete_corpus_findings, insert_findings


@dataclass(frozen=True)
class CorpusRules:
    jump_factor: float = 3.0
    unchanged: bool = True
    skip_units: tuple[str, ...] = ("%", "分")
    min_chars: int = 40

    @classmethod
    def load(cls, path=None) -> "CorpusRules":
        data = config.load_toml(path or config.data_dir("configs") / "corpus.toml")
        trend, copy = data.get("indicator_trend", {}), data.get("narrative_copy", {})
        unknown = (set(data) - {"indicator_trend", "narrative_copy"}) | (set(trend) - {"jump_factor", "unchanged", "skip_units"}) \
            | (set(copy) - {"min_chars"})
        if unknown:
            raise ConfigError("corpus.toml", f"unknown keys: {', '.join(sorted(unknown))}")
        rules = cls(float(trend.get("jump_factor", 3.0)), bool(trend.get("unchanged", True)),
                    tuple(trend.get("skip_units", ("%", "分"))), int(copy.get("min_chars", 40)))
        if rules.jump_factor <= 1 or rules.min_chars < 1:
            raise ConfigError("corpus.toml", "jump_factor must be > 1 and min_chars >= 1")
        return rules


def trends(conn: sqlite3.Connection, version: str, settings: str, rules: CorpusRules, lang: str) -> list[tuple[int, dict]]:
    rows = conn.execute(
        "SELECT r.id, r.path, r.department, r.template, r.year, i.id, i.name, i.unit, i.value"
        " FROM indicators i JOIN reports r ON r.id = i.report_id"
        " WHERE r.status = 'checked' AND r.version = ? AND r.settings = ? AND r.department IS NOT NULL"
        " AND r.year IS NOT NULL AND i.value IS NOT NULL AND i.name IS NOT NULL", (version, settings))
    series: dict[tuple, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for rid, path, dept, tpl, year, iid, name, unit, value in rows:
        series[(dept, tpl, name, unit or "")][year].append((rid, path, iid, value))
    out = []
    for (dept, tpl, name, unit), years in series.items():
        for year in sorted(years):
            prev, cur = _one(years.get(year - 1)), _one(years[year])
            if prev is None or cur is None:  # missing, or ambiguous (two reports of one year disagree)
                continue
            (_, ppath, _, pv), (rid, _, iid, v) = prev, cur
            params = {"name": name, "unit": unit, "year": year, "previous_year": year - 1,
                      "previous_path": ppath, "previous": pv, "value": v}
            if v == pv and rules.unchanged and unit not in rules.skip_units:
                out.append((rid, _finding("corpus.indicator_unchanged", iid, pv, v, params, lang)))
            elif pv > 0 and v > 0 and max(v / pv, pv / v) > rules.jump_factor:
                out.append((rid, _finding("corpus.indicator_jump", iid, pv, v,
                                          {**params, "factor": round(v / pv, 4)}, lang)))
    return out


def _one(entries: Optional[list]) -> Optional[tuple]:
    """The one value a department states for an indicator in a year: the same report kept in several
    files (formats, re-publications) states it several times alike; values that differ are ambiguous."""
    if not entries or len({e[3] for e in entries}) != 1:
        return None
    return min(entries, key=lambda e: e[1])


_SPACE = re.compile(r"\s+")


def _paragraphs(text: str) -> list[str]:
    """A section's paragraphs (split at line breaks), whitespace removed; a str split, linear on any text."""
    return [_SPACE.sub("", p) for p in text.split("\n")]


def copies(conn: sqlite3.Connection, version: str, settings: str, rules: CorpusRules, lang: str) -> list[tuple[int, dict]]:
    rows = conn.execute(
        "SELECT r.id, r.path, r.department, r.year, s.name, s.text FROM sections s JOIN reports r ON r.id = s.report_id"
        " WHERE r.status = 'checked' AND r.version = ? AND r.settings = ?", (version, settings))
    seen: dict[str, list[tuple]] = defaultdict(list)
    for rid, path, dept, year, name, text in rows:
        for para in _paragraphs(text or ""):
            if len(para) >= rules.min_chars:
                digest = hashlib.sha256(para.encode("utf-8")).hexdigest()
                seen[digest].append((year if year is not None else 9999, path, rid, dept, name, len(para)))
    out = []
    for digest, places in seen.items():
        places = sorted(set(places))
        if len({p[2] for p in places}) < 2:
            continue
        syear, spath, srid, sdept, _, _ = places[0]
        for year, path, rid, dept, name, chars in places[1:]:
            if rid == srid or (dept is not None and (dept, year) == (sdept, syear)):
                continue  # the same report of the same department and year, kept in another file
            params = {"section": name, "chars": chars, "source_path": spath, "source_year": syear,
                      "source_department": sdept, "same_department": dept == sdept, "paragraph_sha256": digest}
            out.append((rid, _finding("corpus.narrative_copied", None, None, None, params, lang)))
    return out


def _finding(rule: str, indicator: Optional[str], expected: Any, reported: Any,
             params: dict[str, Any], lang: str) -> dict[str, Any]:
    """A cross-report finding in the shape of a report's own; its sentence from the message catalogue."""
    from ..output.messages import render

    return {"id": "", "rule": rule, "code": rule, "status": "mismatch", "severity": "warning",
            "indicator": indicator, "claims": [], "expected": expected, "reported": reported,
            "message": render(rule, "mismatch", params, lang), "params": params}


def apply(conn: sqlite3.Connection, version: str, settings: str, lang: str = "zh",
          rules: Optional[CorpusRules] = None) -> int:
    """Recompute every cross-report finding of (version, settings); returns how many there are."""
    rules = rules or CorpusRules.load()
    with transaction(conn):
        delete_corpus_findings(conn)
        found = trends(conn, version, settings, rules, lang) + copies(conn, version, settings, rules, lang)
        by_report: dict[int, list[dict]] = defaultdict(list)
        for rid, f in found:
            by_report[rid].append(f)
        for rid, fs in sorted(by_report.items()):
            fs.sort(key=lambda f: (f["rule"], f["indicator"] or "", f["message"]))
            for n, f in enumerate(fs, 1):
                f["id"] = f"X{n}"
            insert_findings(conn, rid, fs, "corpus")
    return len(found)
