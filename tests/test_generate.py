"""The generator's gold is right by construction: checked here without the checker."""
import json
import re
from collections import Counter

import pytest

from pipeline.check.compare import Compare, rate_agrees
from pipeline.generate import generate, one
from pipeline.settings import Settings

compatible = Compare.of(Settings.resolve(None)).compatible

SAMPLE = [one(11, i, mismatch_rate=0.5) for i in range(150)]


def supports(ind, claims):
    """Do the evidence claims state the indicator's value (exactly, within a range, as a sum)?"""
    v = ind["value"]
    if not claims or not all(compatible(ind["unit"], c["unit"]) for c in claims):
        return False
    if len(claims) > 1:
        return abs(sum(c["value"] for c in claims) - v) < 1e-9
    c = claims[0]
    if "range" in c:
        lo, hi = c["range"]
        return (lo is None or v >= lo) and (hi is None or v < hi or (lo is None and v <= hi))
    return abs(c["value"] - v) <= 0.02 * max(abs(v), 1) + 1e-9


def planted(gold, word):
    return any(word in e["why"] for e in gold["expect_mismatches"])


def test_reproducible():
    a, b = one(11, 3), one(11, 3)
    assert a.text == b.text and a.gold == b.gold
    assert one(11, 3).text != one(12, 3).text


@pytest.mark.parametrize("g", SAMPLE, ids=[g.ident for g in SAMPLE])
def test_indicator_statuses_follow_from_the_claims(g):
    gold = g.gold
    for ind in gold["indicators"]:
        ev = [gold["claims"][k] for k in ind["evidence"]]
        if ind["status"] == ["consistent"]:
            assert supports(ind, ev), ind
        elif ind["status"] == ["mismatch"]:
            assert ev and not supports(ind, ev), ind
        else:
            assert ev == []
            assert ind["status"] == (["qualitative"] if ind["value"] is None else ["unverified"])


@pytest.mark.parametrize("g", SAMPLE, ids=[g.ident for g in SAMPLE])
def test_budget_arithmetic_holds_unless_planted(g):
    b = g.gold["budget"]
    adj_ok = abs(b["adjusted"] - b["initial"] - b["adjustment"]) < 0.011
    assert adj_ok != planted(g.gold, "adjustment is not")
    d = len(str(b["completion_rate"]).split(".")[1]) if "." in str(b["completion_rate"]) else 0
    rate_ok = rate_agrees(b["actual"] / b["adjusted"] * 100, b["completion_rate"], max(d, 1))
    assert rate_ok != planted(g.gold, "completion rate")
    assert rate_agrees((b["adjusted"] - b["initial"]) / b["initial"] * 100, b["adjustment_rate"], 2) or \
        rate_agrees((b["adjusted"] - b["initial"]) / b["initial"] * 100, b["adjustment_rate"], 1)


@pytest.mark.parametrize("g", SAMPLE, ids=[g.ident for g in SAMPLE])
def test_project_rate_and_parts_hold_unless_planted(g):
    claims = g.gold["claims"]
    proj = [c for c in claims if c["section"] == "重点项目"]
    budget, spent, rate = proj[0]["value"], proj[1]["value"], proj[2]["value"]
    from pipeline.read.text import simplify

    text_rate = re.search(r"(\d+\.\d+)%，项目自评", simplify(g.text)).group(1)
    ok = rate_agrees(spent / budget * 100, rate, len(text_rate.split(".")[1]))
    assert ok != planted(g.gold, "project's rate")
    totals = Counter()
    for c in claims:
        if "part_of" in c:
            totals[c["part_of"]] += c["value"]
    for k, s in totals.items():
        assert (s > claims[k]["value"]) == planted(g.gold, "exceeds the total")


@pytest.mark.parametrize("g", SAMPLE, ids=[g.ident for g in SAMPLE])
def test_claims_and_anchors_are_in_the_text(g):
    from pipeline.read.text import simplify

    text = simplify(g.text)
    for c in g.gold["claims"]:
        assert c["key"] in text, c
    for m in g.gold["mutations"]:
        assert g.text.count(m["find"]) == 1, m
    neutral = {m["find"] for m in g.gold["mutations"] if m["expect"] == "clean"}
    evidence = {k for ind in g.gold["indicators"] for k in ind["evidence"]}
    for k, c in enumerate(g.gold["claims"]):
        if any(simplify(f) == f"{c['key']}{c['value']:g}{c['unit']}" for f in neutral) and k in evidence:
            pytest.fail(f"a neutral mutation changes evidence: {c}")


def test_at_most_one_planted_mismatch_at_the_rate_asked():
    counts = [len(g.gold["expect_mismatches"]) for g in SAMPLE]
    assert max(counts) <= 1
    assert 0.35 <= sum(counts) / len(counts) <= 0.65
    assert all(not one(5, i, mismatch_rate=0.0).gold["expect_mismatches"] for i in range(30))


def test_every_kind_is_planted():
    whys = " ".join(e["why"] for i in range(300) for e in one(9, i, mismatch_rate=1.0).gold["expect_mismatches"])
    for word in ("indicator", "outside", "parts add up", "completion rate", "adjustment is not", "project's rate",
                 "exceeds the total"):
        assert word in whys, word


def test_generate_writes_reports_and_gold(tmp_path):
    generate(5, 1, tmp_path)
    golds = sorted((tmp_path / "gold").glob("*.json"))
    assert len(golds) == 5
    for gp in golds:
        gold = json.loads(gp.read_text(encoding="utf-8"))
        assert (tmp_path / gold["file"]).is_file()
        assert set(gold) >= {"file", "report", "budget", "indicators", "claims", "mutations", "expect_mismatches"}


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError):
        generate(1, 1, tmp_path, formats=("odt",))


PROJECTS = [one(13, i, template="project", mismatch_rate=0.5) for i in range(80)]


@pytest.mark.parametrize("g", PROJECTS, ids=[g.ident for g in PROJECTS])
def test_project_gold_by_construction(g):
    """Weights make 100, scores make 总分, 执行率 follows the funds, missed targets give a
    reason, unless the one planted mismatch says otherwise."""
    from pipeline.form.grid import Grid
    from pipeline.quantity import parse_figure
    from pipeline.read.tsv import parse

    rows = Grid.from_rows(parse(g.text)).rows
    whys = " ".join(e["why"] for e in g.gold["expect_mismatches"])
    assert len(g.gold["expect_mismatches"]) <= 1
    head = next(k for k, r in enumerate(rows) if "指标名称" in r or "三级指标" in r)
    total_row = [c for c in next(r for r in rows if r[0] in ("总分", "综合得分")) if c]
    body = [r for r in rows[head + 1:] if r[0] == "" and r[rows[head].index("分值")]]
    w_col = rows[head].index("分值")
    s_col = rows[head].index("得分")
    weights = [float(r[w_col]) for r in body]
    scores = [float(r[s_col]) for r in body]
    fund_hdr = next(r for r in rows if "执行率" in r)
    fund = next(r for r in rows if len(r) > 2 and r[1] in ("年度资金总额", "合计"))
    fund_w = float(fund[fund_hdr.index("分值")])
    fund_s = float(fund[fund_hdr.index("得分")])
    assert sum(weights) + fund_w == 100
    stated_total = parse_figure(total_row[-1]).value
    assert (abs(sum(scores) + fund_s - stated_total) < 0.011) != ("scores add up" in whys)
    assert any(s > w for s, w in zip(scores, weights)) == ("above weight" in whys)
    budget, spent, rate = g.gold["budget"]["adjusted"], g.gold["budget"]["actual"], g.gold["budget"]["completion_rate"]
    assert rate_agrees(spent / budget * 100, rate, 2) != ("execution rate" in whys)
