"""Fingerprints and reviewers' decisions: stable across wording and numbering, new when a figure changes."""
from __future__ import annotations

import copy
import csv
import json

import pytest
from typer.testing import CliRunner

from conftest import DEPARTMENT, build_department
from pipeline.cli import app
from pipeline.output.fingerprint import basis, fingerprint, is_fingerprint
from pipeline.output.reviewed import apply_decisions, is_open, open_mismatches
from pipeline.store import decisions
from report_support import records

runner = CliRunner()


@pytest.fixture(scope="module")
def recs(tmp_path_factory):
    return records(tmp_path_factory.mktemp("unreadable"))


def _mismatch(recs):
    for r in recs:
        for f in r.get("findings") or []:
            if f["status"] == "mismatch" and f["rule"] == "indicator.narrative":
                return r, f
    raise AssertionError("fixtures have an indicator mismatch")


def test_fingerprint_ignores_wording_ids_and_language(recs):
    r, f = _mismatch(recs)
    fp = fingerprint(r, f)
    assert is_fingerprint(fp)
    g = dict(f, id="F99", message="reworded", params={"x": 1})
    r2 = copy.deepcopy(r)
    for c in r2["claims"]:  # renumbered claims keep the finding's fingerprint
        c["id"] = "X" + c["id"]
    g["claims"] = ["X" + c for c in f["claims"]]
    assert fingerprint(r2, g) == fp
    assert fingerprint(r, dict(f, expected=float(f["expected"]))) == fp  # 1900 == 1900.0


@pytest.mark.parametrize("change", [
    lambda r, f: f.update(expected=f["expected"] + 1),
    lambda r, f: f.update(reported=f["reported"] + 1),
    lambda r, f: f.update(rule="indicator.other"),
    lambda r, f: r["source"].update(sha256="0" * 64),
    lambda r, f: next(i for i in r["indicators"] if i["id"] == f["indicator"]).update(name="另一个指标"),
    lambda r, f: next(c for c in r["claims"] if c["id"] == f["claims"][0]).update(value=1234567),
])
def test_fingerprint_changes_with_what_was_compared(recs, change):
    r, f = _mismatch(recs)
    before = fingerprint(r, f)
    r, f = copy.deepcopy(r), copy.deepcopy(f)
    change(r, f)
    assert fingerprint(r, f) != before


def test_fingerprints_are_distinct_within_the_fixtures(recs):
    for r in recs:
        fps = [fingerprint(r, f) for f in r.get("findings") or []]
        assert len(set(fps)) == len(fps), r["source"]["path"]


def test_apply_decisions_dismiss_and_confirm(tmp_path, recs):
    r, f = _mismatch(recs)
    fp = fingerprint(r, f)
    conn = decisions.connect(tmp_path / "c.sqlite")
    decisions.record(conn, fp, "dismiss", "叙述为约数", "张三")
    out = apply_decisions(recs, decisions.load(conn))
    mine = next(x for x in out if x["source"] == r["source"])
    g = next(x for x in mine["findings"] if x["id"] == f["id"])
    assert g["decision"]["verdict"] == "dismissed" and g["decision"]["by"] == "张三"
    assert g["status"] == "mismatch" and not is_open(g)
    assert mine["review"]["dismissed"] == 1 and mine["review"]["open"] == open_mismatches(mine)
    # a later decision wins, and the log keeps both
    decisions.record(conn, fp, "confirmed", "复核属实", "李四")
    g = next(x for x in apply_decisions([r], decisions.load(conn))[0]["findings"] if x["id"] == f["id"])
    assert g["decision"]["verdict"] == "confirmed" and is_open(g)
    assert [d.verdict for d in decisions.history(conn, fp)] == ["dismissed", "confirmed"]
    assert "fingerprint" not in f  # inputs are not mutated


def test_schema_version_and_reopen(tmp_path):
    db = tmp_path / "c.sqlite"
    conn = decisions.connect(db)
    assert conn.execute("SELECT version FROM schema_version WHERE component='review'").fetchone()[0] == decisions.SCHEMA_VERSION
    conn.execute("UPDATE schema_version SET version = 99 WHERE component='review'")
    conn.close()
    with pytest.raises(Exception, match="newer"):
        decisions.connect(db)


@pytest.mark.parametrize("fp,verdict,reason,by,why", [
    ("xyz", "dismiss", "r", "b", "fingerprint"),
    ("a" * 20, "maybe", "r", "b", "dismiss or confirm"),
    ("a" * 20, "dismiss", " ", "b", "reason"),
    ("a" * 20, "dismiss", "r", "", "name"),
])
def test_bad_decisions_are_refused(tmp_path, fp, verdict, reason, by, why):
    conn = decisions.connect(tmp_path / "c.sqlite")
    with pytest.raises(decisions.DecisionError, match=why):
        decisions.record(conn, fp, verdict, reason, by)
    assert decisions.load(conn) == {}


def test_csv_import_all_or_nothing(tmp_path):
    db = tmp_path / "c.sqlite"
    good = tmp_path / "ok.csv"
    with open(good, "w", newline="", encoding="utf-8-sig") as fh:  # Excel's UTF-8 with BOM
        w = csv.writer(fh)
        w.writerow(["fingerprint", "decision", "reason", "by"])
        w.writerow(["a" * 20, "忽略", "口径不同", "王五"])
        w.writerow(["b" * 20, "confirm", "属实", "王五"])
    r = runner.invoke(app, ["review", "--import", str(good), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert {k: d.verdict for k, d in decisions.load(db).items()} == {"a" * 20: "dismissed", "b" * 20: "confirmed"}
    bad = tmp_path / "bad.csv"
    bad.write_text("fingerprint,decision,reason,by\n" + "c" * 20 + ",dismiss,ok,x\nnot-a-fp,dismiss,ok,x\n", encoding="utf-8")
    r = runner.invoke(app, ["review", "--import", str(bad), "--db", str(db)])
    assert r.exit_code == 2 and "E601" in r.output and "bad.csv:3" in r.output
    assert "c" * 20 not in decisions.load(db)
    r = runner.invoke(app, ["review", "--list", "--db", str(db)])
    assert r.exit_code == 0 and r.output.count("\n") == 3


def _report_json(tmp_path, db, *paths):
    out = tmp_path / "r.xlsx"
    res = runner.invoke(app, ["report", *map(str, paths), "--db", str(db), "-o", str(out)])
    return res


def test_dismiss_rerun_and_changed_figure_comes_back(tmp_path):
    """The acceptance path: dismiss, re-run, re-report shows it dismissed; change the figure and it is back."""
    from openpyxl import load_workbook

    def write(value: str):
        text = build_department([("社区服务", "全年举办技能培训班12期，培训居民860人次。",
                                  [("技能培训班期数", value), ("培训居民人次", "860人次")])])
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / "community.txt").write_text(text, encoding="utf-8")

    def rows():
        ws = load_workbook(tmp_path / "r.xlsx")["问题"]
        head = [c.value for c in ws[1]]
        return [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]

    db = tmp_path / "corpus.sqlite"
    write("15期")
    res = _report_json(tmp_path, db, tmp_path / "in")
    assert res.exit_code == 1, res.output           # an open mismatch fails the run
    bad = [r for r in rows() if r["状态"] == "不符"]
    assert len(bad) == 1 and bad[0]["表中填报值"] == 15 and bad[0]["核对值（叙述或计算）"] == 12
    fp = bad[0]["指纹"]

    res = runner.invoke(app, ["review", fp, "--dismiss", "--reason", "另有3期在下年度举办", "--by", "张三", "--db", str(db)])
    assert res.exit_code == 0, res.output
    res = _report_json(tmp_path, db, tmp_path / "in")
    assert res.exit_code == 0, res.output           # dismissed: no longer fails
    again = [r for r in rows() if r["指纹"] == fp]
    assert again and again[0]["复核决定"] == "已忽略" and again[0]["复核人"] == "张三"

    write("16期")                                   # the compared figure changes
    res = _report_json(tmp_path, db, tmp_path / "in")
    assert res.exit_code == 1, res.output
    back = [r for r in rows() if r["状态"] == "不符"]
    assert len(back) == 1 and back[0]["指纹"] != fp and back[0]["复核决定"] is None


def test_review_cli_refusals(tmp_path):
    db = str(tmp_path / "c.sqlite")
    for argv in (["review", "--db", db],
                 ["review", "a" * 20, "--dismiss", "--confirm", "--reason", "r", "--by", "b", "--db", db],
                 ["review", "a" * 20, "--dismiss", "--by", "b", "--db", db],
                 ["review", "--import", str(tmp_path / "none.csv"), "--db", db]):
        r = runner.invoke(app, argv)
        assert r.exit_code == 2, argv
        assert "Traceback" not in r.output
    notdb = tmp_path / "not.sqlite"
    notdb.write_bytes(b"this is no database" * 100)
    r = runner.invoke(app, ["review", "a" * 20, "--dismiss", "--reason", "r", "--by", "b", "--db", str(notdb)])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_report_from_corpus_records(tmp_path, monkeypatch, recs):
    """`report --db` reads `pipeline.store.records(db)` (the corpus's reader); a stand-in here, latest check per file."""
    import types

    from pipeline.output.fingerprint import fingerprints

    db = tmp_path / "corpus.sqlite"
    conn = decisions.connect(db)
    r, f = _mismatch(recs)
    decisions.record(conn, fingerprint(r, f), "dismiss", "ok", "a")
    old = dict(copy.deepcopy(recs[0]), provenance={"checked_at": "2020-01-01T00:00:00+00:00"})
    old["report"]["title"] = "an older check"
    stored = [old] + [dict(x, provenance={"checked_at": "2026-01-01T00:00:00+00:00"}) for x in recs]
    across = {"id": "X1", "rule": "corpus.duplicate_text", "status": "mismatch", "severity": "warning", "indicator": None,
              "claims": [], "expected": None, "reported": None, "message": "cross-report finding here", "params": {}}
    stored[1]["corpus_findings"] = [across]
    fake = types.ModuleType("pipeline.store")
    fake.records = lambda path: iter(json.loads(json.dumps(stored)))
    fake.decisions = decisions
    import pipeline
    monkeypatch.setitem(__import__("sys").modules, "pipeline.store", fake)
    monkeypatch.setattr(pipeline, "store", fake, raising=False)
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", "--db", str(db), "-o", str(out)])
    assert res.exit_code in (0, 1), res.output
    page = out.read_text(encoding="utf-8")
    assert "an older check" not in page
    assert "cross-report finding here" in page
    assert fingerprint(r, f) in page and all(fp in page for fp in fingerprints(r))
    res = runner.invoke(app, ["report", "--db", str(tmp_path / "missing.sqlite"), "-o", str(out)])
    assert res.exit_code == 2 and "E101" in res.output


def test_a_run_honours_dismissals_kept_in_its_corpus(tmp_path):
    """A later run (here with other settings, so the file is checked again) no longer fails on a
    mismatch a reviewer dismissed in the same corpus file."""
    from conftest import build_department
    from pipeline import store
    from pipeline.cli import app as cli_app
    from pipeline.output.fingerprint import fingerprints
    from typer.testing import CliRunner

    report = tmp_path / "r.txt"
    report.write_text(build_department([("学习", "共开展学习12次。", [("学习次数", "15次")])]), encoding="utf-8")
    db = tmp_path / "c.sqlite"
    run = CliRunner().invoke(cli_app, ["run", str(report), "--db", str(db), "--jobs", "1", "--fail-on", "error"])
    assert run.exit_code == 1, run.output
    (rec,) = list(store.records(db))
    fps = [fp for f, fp in zip(rec["findings"], fingerprints(rec)) if f["status"] == "mismatch"]
    for fp in fps:
        r = CliRunner().invoke(cli_app, ["review", fp, "--dismiss", "--reason", "表述口径不同", "--by", "审核员",
                                         "--db", str(db)])
        assert r.exit_code == 0, r.output
    other = tmp_path / "other.toml"
    other.write_text("[rules.approx]\nrelative = 0.06\n", encoding="utf-8")
    again = CliRunner().invoke(cli_app, ["run", str(report), "--db", str(db), "--jobs", "1", "--fail-on", "error",
                                          "--settings", str(other)])
    assert again.exit_code == 0, again.output
