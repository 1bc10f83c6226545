"""Per-report summaries: every mismatch and the budget line, the extractive summary's properties,
the CLI; and that neither `jixiao check` nor `jixiao summarize` imports torch."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from typer.testing import CliRunner

from pipeline import api, summarize
from pipeline.cli import app
from pipeline.summarize import textrank
from pipeline.summarize.report import STATUSES, fmt_number
from pipeline.summarize.settings import SummarySettings

from conftest import FIXTURE_DIRS

FIXTURES = sorted(p for d in FIXTURE_DIRS for p in d.glob("*.txt"))


@pytest.fixture(scope="module")
def records():
    return {p.name: api.record(o) for p, o in zip(FIXTURES, api.check_many(FIXTURES))}


def _numbers(text: str) -> list[str]:
    return [m.group() for m in re.finditer(r"\d+(?:[.,]\d+)*%?", text)]


def _source_sentences(record) -> list[str]:
    kinds = SummarySettings.resolve().report.narrative_kinds
    return [s.text for s in textrank.sentences((x["name"], x["text"]) for x in record["sections"]
                                               if x["kind"] in kinds)]


# -- per report, on the fixtures ------------------------------------------------------------

@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_summary_holds_every_mismatch_and_the_budget(records, path):
    rec = records[path.name]
    s = summarize.report(rec)
    assert json.loads(json.dumps(s, ensure_ascii=False)) == s  # a block the CONTRACT object can carry
    assert summarize.report({**rec, "summary": s}) == s
    mismatches = [f for f in rec["findings"] if f["status"] == "mismatch"]
    assert len(s["mismatches"]) == len(mismatches)
    text = summarize.render_text(s)
    for f in mismatches:
        assert " ".join(f["message"].split()) in text
    b = rec["budget"]
    assert s["budget"].startswith("预算执行：") and s["budget"] in text
    for key in ("actual", "completion_rate"):
        if b.get(key) is not None:
            assert fmt_number(b[key]) in s["budget"]
    assert (s["department"], s["year"], s["template"]) == (rec["report"]["department"], rec["report"]["year"],
                                                           rec["report"]["template"])
    counts = s["indicators"]
    assert counts["total"] == len(rec["indicators"]) == sum(counts[k] for k in STATUSES)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("limit", [40, 120, 300])
def test_extract_keeps_order_numbers_and_length(records, path, limit):
    rec = records[path.name]
    s = summarize.report(rec, max_chars=limit)
    extract = s["extract"]
    assert len(extract) <= limit
    source = "".join(x["text"] for x in rec["sections"])
    for number in _numbers(extract):
        assert number in _numbers(source), number
    _assert_in_order(extract, _source_sentences(rec))


def _assert_in_order(extract: str, sentences: list[str]) -> None:
    """Each sentence of the extract is a source sentence (or the head of one), in source order."""
    pos = -1
    for piece in textrank.split(extract):
        body = piece.text.rstrip("。…").rstrip("；;，,：:、")
        hits = [i for i, s in enumerate(sentences) if s.startswith(body) and i > pos]
        assert hits, piece.text
        pos = hits[0]


def test_outputs_are_figures_with_units_deduplicated(records):
    for rec in records.values():
        outs = summarize.report(rec)["outputs"]
        keys = [(o["subject"], o["value"], o["unit"]) for o in outs]
        assert len(keys) == len(set(keys))
        assert all(o["unit"] and o["figure"].endswith(o["unit"]) for o in outs)
        assert len(outs) <= SummarySettings.resolve().report.outputs


def test_planned_figures_are_no_outputs():
    """A project's 预期目标 states what was to be done: its figures are not among the main outputs."""
    rec = {"status": "checked", "report": {"template": "project", "money_unit": "万元"}, "budget": {},
           "indicators": [], "findings": [],
           "sections": [{"name": "年度总体目标", "kind": "goal", "text": "全年举办培训班12期。"},
                        {"name": "年度总体目标 预期目标", "kind": "plan", "text": "计划举办讲座8场。"}],
           "claims": [{"id": "C1", "section": "年度总体目标", "subject": "培训班", "text": "培训班12期",
                       "value": 12, "unit": "期"},
                      {"id": "C2", "section": "年度总体目标 预期目标", "subject": "讲座", "text": "讲座8场",
                       "value": 8, "unit": "场"}]}
    assert [o["claim"] for o in summarize.report(rec)["outputs"]] == ["C1"]


def test_problems_and_next_steps_condensed(records):
    s = summarize.report(records["health_2023.txt"], max_chars=200)
    assert s["problems"] and s["next_steps"]
    for sec in records["health_2023.txt"]["sections"]:
        if sec["kind"] in ("problems", "next_steps"):  # condensed on their own, not in the extract
            assert all(x.text.rstrip("。") not in s["extract"] for x in textrank.split(sec["text"]))
    narrative = summarize.report(records["library_2022_report.txt"])  # headed 存在的问题 / 下一步工作计划
    assert narrative["problems"] and narrative["next_steps"]
    limit = SummarySettings.resolve().report.condensed_chars
    assert len(narrative["problems"]) <= limit


def test_unreadable_record_summarises_to_its_error():
    rec = {"status": "unreadable", "error": {"message": "x.pdf: E109 没有可用的文字层"}}
    assert summarize.report(rec) == {"status": "unreadable", "error": "x.pdf: E109 没有可用的文字层"}


def test_settings_reject_unknown_keys():
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError):
        SummarySettings.resolve({"report": {"max_char": 3}})
    with pytest.raises(ConfigError):
        SummarySettings.resolve({"textrank": {"damping": 1.5}})
    assert SummarySettings.resolve({"report": {"max_chars": 50}}).report.max_chars == 50


# -- the extractive summary as properties ---------------------------------------------------

CLAUSE = st.builds(lambda w, n, u: f"{w}{n}{u}",
                   st.sampled_from(["新建学校", "培训教师", "开展检查", "整改隐患", "发放资金", "服务群众", "举办活动"]),
                   st.one_of(st.integers(1, 99999).map(str),
                             st.floats(0.1, 9999, allow_nan=False).map(lambda x: f"{x:.2f}"),
                             st.integers(1000, 999999).map(lambda x: f"{x:,}")),
                   st.sampled_from(["所", "人次", "次", "处", "万元", "%", "场"]))
SENTENCE = st.lists(CLAUSE, min_size=1, max_size=4).map(lambda cs: ",".join(cs) + "。")
TEXT = st.lists(SENTENCE, min_size=1, max_size=8).map(lambda ss: "".join(ss))


@hsettings(max_examples=60, deadline=None)
@given(TEXT, st.integers(min_value=1, max_value=200))
def test_textrank_properties(text, limit):
    out = textrank.summarize([("s", text)], limit)
    assert len(out) <= limit
    for number in _numbers(out):
        assert number in _numbers(text)
    _assert_in_order(out, [s.text for s in textrank.split(text)])


def test_a_long_sentence_is_cut_at_a_clause_outside_numbers():
    text = "全年完成不可移动文物安全巡查1,260次,修缮文物建筑6处,投入修缮资金385.6万元,开展宣传活动9场。"
    out = textrank.summarize([("s", text)], 25)
    assert out.endswith("…") and len(out) <= 25 and "1,260" in out


def test_sentences_keep_decimal_numbering_apart():
    items = textrank.split("1.2万个家庭参与活动。\n2. 新增学位300个。")
    assert [s.text for s in items] == ["1.2万个家庭参与活动。", "新增学位300个。"]


# -- the command -----------------------------------------------------------------------------

runner = CliRunner()


def test_cli_text_and_json():
    path = str(FIXTURES[0])
    r = runner.invoke(app, ["summarize", path, "--max-chars", "80"])
    assert r.exit_code == 0 and "预算执行：" in r.stdout
    r = runner.invoke(app, ["summarize", path, "-f", "json"])
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and data["path"] == path and "extract" in data and "budget" in data


def test_cli_bad_input_is_one_line_exit_2(tmp_path):
    r = runner.invoke(app, ["summarize", str(tmp_path / "nope.txt")])
    assert r.exit_code == 2 and "E101" in r.stderr and r.stdout == ""
    bad = tmp_path / "bad.txt"
    bad.write_text("这不是一份报告。", encoding="utf-8")
    r = runner.invoke(app, ["summarize", str(bad)])
    assert r.exit_code == 2 and "E2" in r.stderr and "Traceback" not in r.stderr


def test_check_and_summarize_never_import_torch(tmp_path, records):
    from pipeline import store

    db = tmp_path / "corpus.sqlite"
    conn = store.open(db)
    for k, r in records.items():
        store.write(conn, r, store.Provenance(r["source"]["sha256"], r["pipeline"]["version"], r["pipeline"]["settings"]))
    conn.close()
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from pipeline.cli import app\n"
        f"p, db = {str(FIXTURES[0])!r}, {str(db)!r}\n"
        "r1 = CliRunner().invoke(app, ['check', p, '--format', 'json'])\n"
        "r2 = CliRunner().invoke(app, ['summarize', p])\n"
        "r3 = CliRunner().invoke(app, ['summarize', '--db', db, '--by', 'year'])\n"
        "assert r1.exit_code in (0, 1) and r2.exit_code == 0 and r3.exit_code == 0, (r1.output, r2.output, r3.output)\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
