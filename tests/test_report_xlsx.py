"""The workbook read back: one row per finding, numbers typed, no cell that starts a formula."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from pipeline.output import xlsx
from pipeline.output.reviewed import apply_decisions
from report_support import hostile, records


@pytest.fixture(scope="module")
def recs(tmp_path_factory):
    return records(tmp_path_factory.mktemp("unreadable"))


def _formula_start(v) -> bool:
    return isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r")


def test_one_row_per_finding_typed(tmp_path, recs):
    out = tmp_path / "r.xlsx"
    xlsx.write(recs, out)
    wb = load_workbook(out)
    ws = wb["问题"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == sum(len(r.get("findings") or []) for r in recs)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:S{ws.max_row}"
    assert all(ws.column_dimensions[c].width for c in "ABCDEFGHIJKLMNOPQRS")
    for r in rows:
        assert r["年度"] is None or isinstance(r["年度"], int)
        for k in ("表中填报值", "核对值（叙述或计算）"):
            assert r[k] is None or isinstance(r[k], (int, float)), (k, r[k])
    # the fixtures' mismatches, with their figures and the narrative sentence
    bad = [r for r in rows if r["状态"] == "不符"]
    want = sum(f["status"] == "mismatch" for r in recs for f in r.get("findings") or [])
    assert len(bad) == want and rows[0]["状态"] == "不符"  # worst report first, its mismatches on top
    health = [r for r in bad if r["指标"] == "重点人群签约人数"]
    assert health and health[0]["表中填报值"] == 34000 and health[0]["核对值（叙述或计算）"] == 31000
    assert "3.1万人" in health[0]["依据原文"]
    reports = wb["报告"]
    rrows = list(reports.iter_rows(min_row=2, values_only=True))
    assert len(rrows) == len(recs)
    assert any(r[5] == "无法读取" and r[12] == "E102" for r in rrows)


def test_no_formula_cells_even_from_hostile_text(tmp_path, recs):
    evil = [hostile(r, i) for i, r in enumerate(recs) if r["status"] == "checked"]
    for r in evil:  # text that would start a formula or carries control characters
        r["report"]["title"] = "=HYPERLINK(\"http://example.com\",\"x\")"
        r["report"]["department"] = "@SUM(A1:A9)\x01\x07"
        r["findings"][0]["message"] = "+cmd|' /C calc'!A0"
        for ind in r["indicators"][:1]:
            ind["name"] = "-2+3"
        r["source"]["path"] = "\tpath"
    out = tmp_path / "evil.xlsx"
    xlsx.write(evil, out)
    wb = load_workbook(out)
    seen = 0
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert not _formula_start(cell.value), (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith("'="):
                    seen += 1
    assert seen >= len(evil)
    assert xlsx.safe_text(-5.5) == -5.5 and xlsx.safe_text("-5.5") == "'-5.5" and xlsx.safe_text("a\x00b") == "ab"


def test_decisions_and_english(tmp_path, recs):
    from pipeline.output.fingerprint import fingerprint

    r = next(r for r in recs if any(f["status"] == "mismatch" for f in r.get("findings") or []))
    f = next(f for f in r["findings"] if f["status"] == "mismatch")
    done = apply_decisions(recs, {fingerprint(r, f): {"verdict": "dismissed", "reason": "ok", "by": "Li", "at": "t"}})
    out = tmp_path / "en.xlsx"
    xlsx.write(done, out, "en")
    wb = load_workbook(out)
    ws = wb["Findings"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, x)) for x in ws.iter_rows(min_row=2, values_only=True)]
    row = next(x for x in rows if x["Fingerprint"] == fingerprint(r, f))
    assert row["Decision"] == "Dismissed" and row["By"] == "Li" and row["Status"] == "mismatch"
    assert wb.sheetnames == ["Findings", "Reports"]
