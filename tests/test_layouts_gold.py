"""The layout fixtures (tests/fixtures/layouts, reports written in the layouts real archives hold)
against their gold, as tests/test_fixtures.py scores the others. They are text layouts, so they are
not rendered into the other formats."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, gold_files, load_gold
from test_fixtures import assert_mutation_verdict, mismatch_texts, names_number, run

LAYOUTS = FIXTURES / "layouts"
GOLDS = gold_files(LAYOUTS)
MUTATIONS = [(g, m) for g in GOLDS for m in load_gold(g).get("mutations", [])]


@pytest.fixture(scope="module", params=GOLDS, ids=[g.stem for g in GOLDS])
def case(request):
    gold = load_gold(request.param)
    return gold, run(LAYOUTS / gold["file"])


def test_report_budget_indicators_and_claims(case):
    gold, obj = case
    for k, v in gold["report"].items():
        assert obj["report"][k] == v, k
    for k, v in gold["budget"].items():
        assert obj["budget"][k] == (None if v is None else pytest.approx(v)), k
    got = {i["name"]: i for i in obj["indicators"]}
    assert len(obj["indicators"]) == len(gold["indicators"])
    for g in gold["indicators"]:
        assert (got[g["name"]]["value"], got[g["name"]]["unit"]) == (pytest.approx(g["value"]), g["unit"])
        assert got[g["name"]]["status"] in g["status"], g["name"]
    pool = list(obj["claims"])
    for g in gold["claims"]:
        hit = next(c for c in pool if g["section"] in c["section"] and c["unit"] == g["unit"]
                   and c["value"] == pytest.approx(g["value"]) and g["key"] in c["subject"] + c["text"])
        pool.remove(hit)
    assert not pool, [c["text"] for c in pool]


def test_real_mismatches_found_and_nothing_else(case):
    gold, obj = case
    texts = mismatch_texts(obj)
    expected = gold.get("expect_mismatches", [])
    assert all(names_number(texts, e["new"]) for e in expected)
    assert not [t for t in texts if not any(names_number([t], e["new"]) for e in expected)]


@pytest.mark.parametrize("gold_path,mutation", MUTATIONS, ids=[f"{g.stem}-{m['id']}" for g, m in MUTATIONS])
def test_mutation(tmp_path, gold_path, mutation):
    gold = load_gold(gold_path)
    assert_mutation_verdict(tmp_path, LAYOUTS / gold["file"], gold, mutation)
