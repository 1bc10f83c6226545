"""Summaries across many checked reports: where the mismatches concentrate, which
indicators go unverified, and how comparable indicators move from year to year.

Pure functions over an iterable of CONTRACT records (what `pipeline.store.records`
yields, or `api.record` of fresh checks): one pass collects what every view
needs, so a corpus of any size is read once.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

BY = ("department", "year", "indicator")

# bracketed notes (（含…）, (万元)) and everything that is neither a letter nor a digit
_NOTE = re.compile(r"[(（【\[][^()（）【】\[\]]*[)）】\]]")
_NOISE = re.compile(r"[\W_]+")


def indicator_key(name: Optional[str], unit: Optional[str]) -> tuple[str, str]:
    """Two indicators are comparable when their names read the same once width, spacing,
    punctuation and bracketed notes are dropped, and their units are the same."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _NOISE.sub("", _NOTE.sub("", text))
    return text, unit or ""


@dataclass
class _Group:
    reports: int = 0
    unreadable: int = 0
    with_mismatch: int = 0
    indicators: int = 0
    statuses: Counter = field(default_factory=Counter)
    checks: Counter = field(default_factory=Counter)       # rule -> findings
    mismatches: Counter = field(default_factory=Counter)   # rule -> findings with status mismatch
    years: set = field(default_factory=set)
    departments: set = field(default_factory=set)

    def row(self, key: str, value: Any) -> dict[str, Any]:
        checked = self.reports - self.unreadable
        return {
            key: value,
            "reports": self.reports,
            "unreadable": self.unreadable,
            "with_mismatch": self.with_mismatch,
            "report_mismatch_rate": _rate(self.with_mismatch, checked),
            "indicators": self.indicators,
            **{f"indicators_{s}": self.statuses.get(s, 0) for s in ("consistent", "mismatch", "unverified", "qualitative")},
            "mismatches": sum(self.mismatches.values()),
            "rules": rule_rates(self.checks, self.mismatches),
            "years": sorted(self.years),
            "departments": len(self.departments),
        }


@dataclass
class _Series:
    """One comparable indicator (normalised name, unit) across the corpus."""

    names: Counter = field(default_factory=Counter)
    reports: int = 0
    statuses: Counter = field(default_factory=Counter)
    totals: dict = field(default_factory=lambda: defaultdict(float))    # year -> sum of values
    counts: Counter = field(default_factory=Counter)                     # year -> indicators summed
    departments: set = field(default_factory=set)


def _rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def rule_rates(checks: Mapping[str, int], mismatches: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """rule -> how many checks of it were made, how many found a mismatch, and the share."""
    return {rule: {"checks": n, "mismatches": mismatches.get(rule, 0), "rate": _rate(mismatches.get(rule, 0), n)}
            for rule, n in sorted(checks.items())}


MEAN_UNITS = ("%", "‰", "分")


def summarize(records: Iterable[Mapping[str, Any]], by: str = "department", top: int = 10,
              mean_units: Iterable[str] = MEAN_UNITS) -> dict[str, Any]:
    """The corpus summary: totals, mismatch rate per rule, most often unverified indicators,
    comparable indicators by year with year-on-year change, and one row per group of `by`.
    Indicators in `mean_units` (rates, scores) are compared by their mean, others by their total."""
    mean_units = tuple(mean_units)
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}")
    total = _Group()
    groups: dict[Any, _Group] = defaultdict(_Group)
    series: dict[tuple[str, str], _Series] = defaultdict(_Series)
    for rec in records:
        _add(total, rec)
        if by != "indicator":
            _add(groups[_group_value(rec, by)], rec)
        _add_series(series, rec)
    out: dict[str, Any] = {
        "by": by,
        "reports": total.reports,
        "checked": total.reports - total.unreadable,
        "unreadable": total.unreadable,
        "with_mismatch": total.with_mismatch,
        "rules": rule_rates(total.checks, total.mismatches),
        "most_unverified": most_unverified(series, top),
        "indicators": [series_row(key, s, mean_units) for key, s in _ordered(series)],
    }
    if by == "indicator":
        out["rows"] = out["indicators"]
    else:
        out["rows"] = [g.row(by, value) for value, g in sorted(groups.items(), key=lambda kv: _sort_key(kv[0]))]
    return out


def _group_value(rec: Mapping[str, Any], by: str) -> Any:
    return (rec.get("report") or {}).get(by)


def _sort_key(value: Any) -> tuple:
    return (value is None, str(value) if not isinstance(value, int) else f"{value:08d}")


def _add(g: _Group, rec: Mapping[str, Any]) -> None:
    g.reports += 1
    if rec.get("status") == "unreadable":
        g.unreadable += 1
        return
    rep = rec.get("report") or {}
    if rep.get("year") is not None:
        g.years.add(rep["year"])
    if rep.get("department"):
        g.departments.add(rep["department"])
    inds = rec.get("indicators") or []
    g.indicators += len(inds)
    g.statuses.update(i.get("status", "unverified") for i in inds)
    any_mismatch = False
    for f in rec.get("findings") or []:
        rule = f.get("rule", "")
        g.checks[rule] += 1
        if f.get("status") == "mismatch":
            g.mismatches[rule] += 1
            any_mismatch = True
    g.with_mismatch += any_mismatch


def _add_series(series: dict[tuple[str, str], _Series], rec: Mapping[str, Any]) -> None:
    if rec.get("status") == "unreadable":
        return
    rep = rec.get("report") or {}
    year = rep.get("year")
    seen: set[tuple[str, str]] = set()
    for ind in rec.get("indicators") or []:
        key = indicator_key(ind.get("name"), ind.get("unit"))
        if not key[0]:
            continue
        s = series[key]
        s.names[ind.get("name") or key[0]] += 1
        s.statuses[ind.get("status", "unverified")] += 1
        if key not in seen:
            s.reports += 1
            seen.add(key)
        if rep.get("department"):
            s.departments.add(rep["department"])
        if year is not None and isinstance(ind.get("value"), (int, float)) and not isinstance(ind.get("value"), bool):
            s.totals[year] += ind["value"]
            s.counts[year] += 1


def _ordered(series: Mapping[tuple[str, str], _Series]):
    return sorted(series.items(), key=lambda kv: (-kv[1].reports, kv[0]))


def by_year(s: _Series, measure: str = "total") -> list[dict[str, Any]]:
    """The indicator per year (its total, and its mean), with the change of `measure` from
    the year before when that year is there: totals for counts and money, means for rates."""
    out = []
    value = {y: (s.totals[y] if measure == "total" else s.totals[y] / s.counts[y]) for y in s.totals}
    for year in sorted(s.totals):
        v, prev = value[year], value.get(year - 1)
        change = None if prev is None else round(v - prev, 6)
        pct = None if prev in (None, 0) else round((v - prev) / prev * 100, 2)
        out.append({"year": year, "total": round(s.totals[year], 6), "mean": round(value[year] if measure == "mean"
                    else s.totals[year] / s.counts[year], 6), "indicators": s.counts[year],
                    "change": change, "change_pct": pct})
    return out


def series_row(key: tuple[str, str], s: _Series, mean_units: Iterable[str] = ()) -> dict[str, Any]:
    measure = "mean" if key[1] in set(mean_units) else "total"
    return {
        "indicator": s.names.most_common(1)[0][0],
        "key": key[0],
        "unit": key[1],
        "reports": s.reports,
        "departments": len(s.departments),
        **{s_: s.statuses.get(s_, 0) for s_ in ("consistent", "mismatch", "unverified", "qualitative")},
        "unverified_rate": _rate(s.statuses.get("unverified", 0), sum(s.statuses.values())),
        "measure": measure,
        "by_year": by_year(s, measure),
    }


def most_unverified(series: Mapping[tuple[str, str], _Series], top: int) -> list[dict[str, Any]]:
    """The indicators most often left unverified (most times first, then the highest share)."""
    rows = [series_row(k, s) for k, s in series.items() if s.statuses.get("unverified")]
    rows.sort(key=lambda r: (-r["unverified"], -(r["unverified_rate"] or 0), r["key"], r["unit"]))
    return [{k: r[k] for k in ("indicator", "unit", "unverified", "reports", "unverified_rate")} for r in rows[:top]]


def plot_series(summary: Mapping[str, Any], indicator: str) -> Optional[dict[str, Any]]:
    """The row of `summary["indicators"]` an indicator name (as written or normalised) refers to."""
    key = indicator_key(indicator, None)[0]
    matches = [r for r in summary.get("indicators", []) if r["key"] == key or r["indicator"] == indicator]
    if not matches:
        return None
    return max(matches, key=lambda r: (r["reports"], len(r["by_year"])))


def records_from_db(db: str) -> Iterable[Mapping[str, Any]]:
    """The stored records of a corpus file, through `pipeline.store.records`.

    Until the store package is present (it lands from the corpus branch), the
    records are read straight from its ``reports.record`` column, the CONTRACT
    object as JSON, which is where the store keeps them.
    """
    import os

    from ..errors import NotFound

    if not os.path.isfile(db):
        raise NotFound(db)
    try:
        from ..store import records  # type: ignore[attr-defined]
    except ImportError:
        return _plain_records(db)
    return records(db)


def _plain_records(db: str) -> Iterable[Mapping[str, Any]]:
    import json
    import sqlite3

    from ..errors import Unsupported

    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        rows = conn.execute("SELECT record FROM reports ORDER BY path").fetchall()
    except sqlite3.DatabaseError as exc:
        raise Unsupported(db, f"not a Jixiao corpus ({exc})") from None
    conn.close()
    return (json.loads(r[0]) for r in rows)
