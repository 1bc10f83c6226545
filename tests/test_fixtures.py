"""The project's own gold: every fixture report scores fully, its real mismatches
are found, each mutation is caught or stays clean. A second set of eyes on
what ../shared/eval/jxeval.py measures, so that a clone without ../shared
still tests it."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from pipeline import api
from pipeline.output.contract import to_dict
from conftest import DEPARTMENT, FIXTURE_DIRS, SHARED, gold_files, load_gold

GOLDS = [g for d in FIXTURE_DIRS for g in gold_files(d)]


def mismatch_texts(obj) -> list[str]:
    claims = {c["id"]: c for c in obj["claims"]}
    out = []
    for i in obj["indicators"]:
        if i["status"] == "mismatch":
            out.append(json.dumps([i["raw"], i["value"]] + [claims[c] for c in i["evidence"]], ensure_ascii=False))
    flagged = {i["id"] for i in obj["indicators"] if i["status"] == "mismatch"}
    for f in obj["findings"]:
        if f["status"] == "mismatch" and f["indicator"] not in flagged:
            out.append(json.dumps([f["expected"], f["reported"], f["message"]] + [claims[c] for c in f["claims"]],
                                  ensure_ascii=False))
    return out


def names_number(texts: list[str], number: str) -> bool:
    n = number.lstrip("-")
    alts = {re.escape(n)}
    try:
        v = float(n)
        alts.add(re.escape(repr(v)))
        if v == int(v):
            alts.add(re.escape(str(int(v))))
    except ValueError:
        pass
    return any(re.search(rf"(?<![\d.]){a}(?!\d)", t.replace(",", "")) for t in texts for a in alts)


def run(path):
    return to_dict(api.check_path(path))


@pytest.fixture(scope="module", params=GOLDS, ids=[g.stem for g in GOLDS])
def case(request):
    gold = load_gold(request.param)
    return gold, run(request.param.parent.parent / gold["file"])


def test_budget_and_report(case):
    gold, obj = case
    for k, v in gold["budget"].items():
        assert obj["budget"][k] == (None if v is None else pytest.approx(v)), k
    for k, v in gold["report"].items():
        assert obj["report"][k] == v, k


def test_indicators(case):
    gold, obj = case
    got = {i["name"]: i for i in obj["indicators"]}
    assert len(obj["indicators"]) == len(gold["indicators"])
    for g in gold["indicators"]:
        p = got[g["name"]]
        assert (p["value"], p["unit"]) == (pytest.approx(g["value"]) if g["value"] is not None else None, g["unit"]), g["name"]
        assert p["status"] in g["status"], f"{g['name']}: {p['status']} ({p['note']})"


def test_claims(case):
    gold, obj = case
    pool = list(obj["claims"])
    missed = []
    for g in gold["claims"]:
        hit = next((c for c in pool if g["section"] in c["section"] and c["unit"] == g["unit"]
                    and c["value"] == pytest.approx(g["value"]) and g["key"] in c["subject"] + c["text"]), None)
        if hit is None:
            if not g.get("optional"):
                missed.append(f"{g['section']}/{g['key']} {g['value']}{g['unit']}")
            continue
        pool.remove(hit)
        if "range" in g:
            assert hit["range"] == [None if x is None else pytest.approx(x) for x in g["range"]], g
    assert not missed, missed
    assert not pool, [c["text"] for c in pool]


def test_real_mismatches_found_and_nothing_else(case):
    gold, obj = case
    texts = mismatch_texts(obj)
    expected = gold.get("expect_mismatches", [])
    for e in expected:
        assert names_number(texts, e["new"]), e
    stray = [t for t in texts if not any(names_number([t], e["new"]) for e in expected)]
    assert not stray, stray


MUTATIONS = [(g, m) for g in GOLDS for m in load_gold(g).get("mutations", [])]


def assert_mutation_verdict(tmp_path, path, gold, mutation):
    """One number of a report changed: a planted mismatch is reported, a neutral change raises nothing new."""
    src = path.read_text(encoding="utf-8")
    assert src.count(mutation["find"]) == 1
    clean = set(mismatch_texts(run(path)))
    p = tmp_path / gold["file"]
    p.write_text(src.replace(mutation["find"], mutation["replace"]), encoding="utf-8")
    texts = mismatch_texts(run(p))
    fresh = [t for t in texts if t not in clean]
    if mutation["expect"] == "mismatch":
        assert names_number(texts, mutation["new"]) or fresh
    else:
        allowed = gold.get("expect_mismatches", [])
        assert not [t for t in fresh if not any(names_number([t], e["new"]) for e in allowed)]


@pytest.mark.parametrize("gold_path,mutation", MUTATIONS, ids=[f"{g.stem}-{m['id']}" for g, m in MUTATIONS])
def test_mutation(tmp_path, gold_path, mutation):
    gold = load_gold(gold_path)
    assert_mutation_verdict(tmp_path, gold_path.parent.parent / gold["file"], gold, mutation)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_encodings_give_the_same_check(tmp_path, encoding):
    src = DEPARTMENT / "education_2022.txt"
    p = tmp_path / f"education.{encoding}.txt"
    p.write_bytes(src.read_text(encoding="utf-8").encode(encoding))
    a, b = run(src), run(p)
    for key in ("report", "budget", "indicators", "claims", "findings"):
        assert a[key] == b[key]


@pytest.mark.skipif(not (SHARED / "eval" / "jxeval.py").exists(), reason="../shared is not beside this clone")
def test_shared_gold_scores_fully():
    cmd = f"{sys.executable} -m pipeline.cli check {{file}} --format json"
    p = subprocess.run([sys.executable, str(SHARED / "eval" / "jxeval.py"), "--gold-dir", str(SHARED / "gold"),
                        "--data-root", str(SHARED), "--cmd", cmd, "--min-status", "1", "--min-claims-f1", "0.95",
                        "--min-budget", "1", "--min-indicators", "1", "--min-detect", "1", "--max-false", "0"],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
