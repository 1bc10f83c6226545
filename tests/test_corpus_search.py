"""Search over the corpus: the analysts' questions, every filter, and the command."""
import csv
import io
import json

import pytest
from typer.testing import CliRunner

from pipeline import store
from pipeline.cli import app
from pipeline.store.search import Filters, search

from corpus_fixtures import base_corpus

runner = CliRunner()


@pytest.fixture(scope="module")
def conn():
    return store.open(base_corpus())


def test_short_words_and_words_inside_longer_ones(conn):
    inds = search(conn, "提案", Filters(kind="indicator", limit=0))
    assert inds and all("提案" in r["name"] for r in inds)
    assert {r["name"] for r in search(conn, "培训", Filters(kind="indicator", limit=0))} >= {"业务培训期数"}
    # 农业 inside 农业农村局, in the narrative
    secs = search(conn, "农业", Filters(kind="section", limit=0))
    assert secs and all("农业" in r["text"] or "农业" in (r["name"] or "") for r in secs)
    assert any("农业农村局" in r["text"] for r in secs)
    assert search(conn, "高标准农田建设", Filters(limit=0))  # a phrase
    assert search(conn, "农业 挪用", Filters(kind="section", limit=0))  # all terms
    assert not search(conn, "并不存在的词语", Filters())


def test_analysts_questions(conn):
    # every 提案 indicator of 2023
    rows = search(conn, "提案", Filters(kind="indicator", year=(2023, 2023), limit=0))
    assert rows and {r["year"] for r in rows} == {2023}
    # reports whose 预算完成率 is below 95%
    low = search(conn, "预算完成率", Filters(kind="budget", max=95, limit=0))
    assert low and all(r["value"] <= 95 and r["name"] == "预算完成率" for r in low)
    # how 接待人次 moved over the years, for one department
    series = search(conn, "接待人次", Filters(kind="indicator", department="农业农村", by_year=True, limit=0))
    assert [(r["year"], r["value"]) for r in series] == [(2021, 1200), (2022, 1200), (2023, 6000)]
    # cross-report findings are shown by search
    jumps = search(conn, "", Filters(rule="corpus.*", limit=0))
    assert {r["rule"] for r in jumps} == {"corpus.indicator_unchanged", "corpus.indicator_jump", "corpus.narrative_copied"}
    assert search(conn, "接待人次", Filters(rule="corpus.indicator_jump"))


FILTERS = {  # filter -> (Filters kwargs, what every row must satisfy)
    "department": ({"department": "农业农村"}, lambda r: "农业农村" in r["department"]),
    "year": ({"year": (2021, 2022)}, lambda r: 2021 <= r["year"] <= 2022),
    "template": ({"template": "department_overall"}, lambda r: r["template"] == "department_overall"),
    "unit": ({"unit": "人次"}, lambda r: r["unit"] == "人次"),
    "status": ({"status": "mismatch"}, lambda r: r["status"] == "mismatch"),
    "min": ({"min": 100}, lambda r: r["value"] >= 100),
    "max": ({"max": 10}, lambda r: r["value"] <= 10),
    "rule": ({"rule": "budget.*"}, lambda r: r["rule"].startswith("budget.")),
    "severity": ({"severity": "warning"}, lambda r: r["severity"] == "warning"),
    "kind": ({"kind": "claim"}, lambda r: r["kind"] == "claim"),
}


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_every_filter_is_respected(conn, name):
    kwargs, ok = FILTERS[name]
    for query in ("", "人次"):
        everything = search(conn, query, Filters(limit=0))
        got = search(conn, query, Filters(limit=0, **kwargs))
        if query and not got:
            continue  # the filter leaves nothing for this word (rules and severities on 人次, say)
        assert got and all(ok(r) for r in got), name
        assert len(got) < len(everything), f"{name} filtered nothing"


def test_unreadable_files_are_found_too(conn):
    rows = search(conn, "", Filters(status="unreadable", limit=0))
    assert len(rows) == 6 and all(r["status"] == "unreadable" and r["name"].startswith("E") for r in rows)
    assert [r["name"] for r in search(conn, "empty", Filters(status="unreadable"))] == ["E102"]


def test_limit_and_parameters_are_not_sql(conn):
    assert len(search(conn, "", Filters(limit=5))) == 5
    # quotes and SQL in the query or a filter are data
    assert search(conn, "提案\" OR 1=1 --", Filters()) == []
    assert search(conn, "", Filters(department="' OR '1'='1")) == []


def test_search_command_formats_and_output_file(tmp_path):
    db = str(base_corpus())
    r = runner.invoke(app, ["search", "提案", "--db", db, "--kind", "indicator", "--year", "2023", "-f", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows and all(x["year"] == 2023 and "提案" in x["name"] for x in rows)
    out = tmp_path / "hits.csv"
    r = runner.invoke(app, ["search", "培训", "--db", db, "-f", "csv", "-o", str(out), "--unit", "期"])
    assert r.exit_code == 0 and r.stdout == ""
    got = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert got and all(x["unit"] == "期" for x in got)
    r = runner.invoke(app, ["search", "接待人次", "--db", db, "--department", "农业农村", "--kind", "indicator"])
    assert r.exit_code == 0 and "6000" in r.stdout
    assert runner.invoke(app, ["search", "并不存在的词语", "--db", db]).exit_code == 1
    assert runner.invoke(app, ["search", "x", "--db", str(tmp_path / "none.sqlite")]).exit_code == 2
    assert runner.invoke(app, ["search", "x", "--db", db, "--year", "twenty"]).exit_code == 2
