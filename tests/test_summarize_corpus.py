"""Corpus summaries agree with plain SQL over the same records; the CLI's --db, formats and --plot.

The corpus is the real store (`pipeline.store`), written from generated reports checked
with `api.check_many` + `api.record`; the SQL reads its tables directly.
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from typer.testing import CliRunner

from pipeline import api, store
from pipeline.cli import app
from pipeline.generate import one
from pipeline.summarize import corpus

N = 30


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gen")
    for i in range(N):
        g = one(21, i, "project" if i % 3 == 0 else "department_overall", mismatch_rate=0.5)
        (folder / f"{g.ident}.txt").write_text(g.text, encoding="utf-8")
    (folder / "zz_not_a_report.txt").write_text("会议纪要。", encoding="utf-8")
    return [api.record(o) for o in api.check_many([folder])]


@pytest.fixture(scope="module")
def db(records, tmp_path_factory):
    """The real corpus store, written from the same records (one transaction per report)."""
    path = tmp_path_factory.mktemp("db") / "corpus.sqlite"
    conn = store.open(path)
    for rec in records:
        key = rec["source"].get("sha256") or "name:" + rec["source"]["path"]
        pipe = rec.get("pipeline", {})
        store.write(conn, rec, store.Provenance(key, pipe.get("version", ""), pipe.get("settings", "")))
    yield path, conn
    conn.close()


def test_reports_and_rule_rates_agree_with_sql(records, db):
    _, conn = db
    s = corpus.summarize(records, "department")
    assert s["reports"] == conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == N + 1
    assert s["unreadable"] == conn.execute("SELECT COUNT(*) FROM reports WHERE status='unreadable'").fetchone()[0] == 1
    rules = {r: (n, m) for r, n, m in conn.execute(
        "SELECT rule, COUNT(*), SUM(status = 'mismatch') FROM findings WHERE scope = 'report' GROUP BY rule")}
    assert {r: (v["checks"], v["mismatches"]) for r, v in s["rules"].items()} == rules
    assert any(m for _, m in rules.values())
    for rule, (n, m) in rules.items():
        assert s["rules"][rule]["rate"] == pytest.approx(m / n, abs=1e-4)


@pytest.mark.parametrize("by", ["department", "year"])
def test_groups_agree_with_sql(records, db, by):
    _, conn = db
    s = corpus.summarize(records, by)
    got = {r[by]: (r["reports"], r["with_mismatch"], r["indicators"], r["indicators_unverified"]) for r in s["rows"]}
    want = {}
    for key, n in conn.execute(f"SELECT {by}, COUNT(*) FROM reports GROUP BY {by}"):
        mism = conn.execute(f"SELECT COUNT(DISTINCT r.id) FROM reports r JOIN findings f ON f.report_id = r.id "
                            f"WHERE f.status = 'mismatch' AND r.{by} IS ?", (key,)).fetchone()[0]
        inds, unv = conn.execute(f"SELECT COUNT(i.ord), COALESCE(SUM(i.status = 'unverified'), 0) FROM reports r "
                                 f"LEFT JOIN indicators i ON i.report_id = r.id WHERE r.{by} IS ?", (key,)).fetchone()
        want[key] = (n, mism, inds, unv)
    assert got == want


def test_unverified_and_yearly_totals_agree_with_sql(records, db):
    _, conn = db
    s = corpus.summarize(records, "indicator", top=5)
    unverified = conn.execute("SELECT name, COALESCE(unit, ''), COUNT(*) AS n FROM indicators WHERE status='unverified' "
                              "GROUP BY name, unit ORDER BY n DESC").fetchall()
    assert unverified, "the generated corpus should leave some indicators unverified"
    assert [r["unverified"] for r in s["most_unverified"]] == [n for _, _, n in unverified[:5]]
    totals = {(name, unit or "", year): total for name, unit, year, total in conn.execute(
        "SELECT i.name, i.unit, r.year, SUM(i.value) FROM indicators i JOIN reports r ON r.id = i.report_id "
        "WHERE i.value IS NOT NULL GROUP BY i.name, i.unit, r.year")}
    means = {(name, unit or "", year): avg for name, unit, year, avg in conn.execute(
        "SELECT i.name, i.unit, r.year, AVG(i.value) FROM indicators i JOIN reports r ON r.id = i.report_id "
        "WHERE i.value IS NOT NULL GROUP BY i.name, i.unit, r.year")}
    got = {(r["indicator"], r["unit"], p["year"]): p for r in s["rows"] for p in r["by_year"]}
    assert got.keys() == totals.keys()
    for key, total in totals.items():
        assert got[key]["total"] == pytest.approx(total) and got[key]["mean"] == pytest.approx(means[key])
    assert {r["measure"] for r in s["rows"]} == {"total", "mean"}  # counts summed, rates averaged
    assert all(r["measure"] == ("mean" if r["unit"] == "%" else "total") for r in s["rows"] if r["unit"] in ("%", "个"))
    # year-on-year: the change from the year before, where both years are there
    changed = 0
    for r in s["rows"]:
        per = {p["year"]: p[r["measure"]] for p in r["by_year"]}
        for p in r["by_year"]:
            if p["year"] - 1 in per:
                changed += 1
                assert p["change"] == pytest.approx(per[p["year"]] - per[p["year"] - 1])
            else:
                assert p["change"] is None and p["change_pct"] is None
    assert changed, "some comparable indicator should span consecutive years"


def test_comparable_names_ignore_width_spacing_and_notes():
    assert corpus.indicator_key("服务对象满意度（%）", "%") == corpus.indicator_key("服务对象 满意度", "%")
    assert corpus.indicator_key("培训人次", "人次") != corpus.indicator_key("培训人次", "次")


runner = CliRunner()


@pytest.mark.parametrize("by", ["department", "year", "indicator"])
def test_cli_db_formats(db, by):
    path, _ = db
    r = runner.invoke(app, ["summarize", "--db", str(path), "--by", by, "-f", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["by"] == by and data["reports"] == N + 1
    r = runner.invoke(app, ["summarize", "--db", str(path), "--by", by, "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert r.exit_code == 0 and len(rows) == len(data["rows"])
    r = runner.invoke(app, ["summarize", "--db", str(path), "--by", by])
    assert r.exit_code == 0 and "各规则的不符率" in r.stdout


def test_cli_db_errors(tmp_path):
    r = runner.invoke(app, ["summarize", "--db", str(tmp_path / "none.sqlite")])
    assert r.exit_code == 2 and "E101" in r.stderr
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 50)
    r = runner.invoke(app, ["summarize", "--db", str(junk)])
    assert r.exit_code == 2 and "E400" in r.stderr and "Traceback" not in r.stderr
    r = runner.invoke(app, ["summarize", "--db", str(junk), "--by", "month"])
    assert r.exit_code == 2


def test_plot_is_written(db, records, tmp_path):
    path, _ = db
    s = corpus.summarize(records, "indicator")
    row = max(s["rows"], key=lambda r: len(r["by_year"]))
    out = tmp_path / "plot.png"
    r = runner.invoke(app, ["summarize", "--db", str(path), "--plot", row["indicator"], "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 5000
    r = runner.invoke(app, ["summarize", "--db", str(path), "--plot", "没有这个指标", "-o", str(out)])
    assert r.exit_code == 2


def test_plot_falls_back_without_a_cjk_font(records, tmp_path):
    from pipeline.summarize import plot

    s = corpus.summarize(records, "indicator")
    out = tmp_path / "fallback.png"
    warning = plot.draw(s["rows"][0], out, fonts=["No Such Font Family"])
    assert warning and "no CJK font" in warning and out.stat().st_size > 0
