"""Numbers bounded end to end, and the text paths never raise (Hypothesis)."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile_cases as hc
from pipeline import api
from pipeline import quantity
from pipeline.quantity import cn_to_number, parse_figure, sane_arabic
from pipeline.settings import Settings

SETTINGS = Settings.resolve(None)


def scanner():
    return quantity.scanner(SETTINGS)


def parse_quantity(text):
    return quantity.parse_quantity(text, SETTINGS)
from pipeline.read.text import clean_cell

# the alphabet of report text: digits, numerals, units, brackets, punctuation, spaces, markup
_ALPHABET = st.sampled_from(list("0123456789.,%-—()（）<>/pbr&;：:、，。 \t\n约近多余万亿千百十一二两三四五六七八九零〇元次人个项件年月日率≥≤")
                            + ["百分之", "万元", "人次", "<p>", "</p>", "&nbsp;", "9" * 30, "一二三" * 10])
TEXT = st.lists(_ALPHABET, max_size=80).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _finite(x) -> bool:
    return x is None or (isinstance(x, (int, float)) and math.isfinite(x))


@pytest.mark.parametrize("raw", ["9" * 400, "1" + "0" * 300 + ".5", "0." + "0" * 400 + "1", "1" * 19, "1e400"])
def test_figures_beyond_bounds_are_not_numbers(raw):
    assert parse_figure(raw) is None
    q = parse_quantity(raw + "次")
    assert q is None or _finite(q.value)


def test_figures_within_bounds_still_read():
    assert parse_figure("2318.88").value == 2318.88
    assert parse_figure("999999999999999").value == 999999999999999
    assert parse_quantity("3万人次").value == 30000
    assert sane_arabic("123,456.78") == (123456.78, 2)


def test_long_chinese_numerals_are_not_numbers():
    assert cn_to_number("九千九百九十九万" * 800) is None
    assert cn_to_number("亿" * 500) is None
    assert cn_to_number("一千零五") == 1005
    assert cn_to_number("三万") == 30000


def test_scanner_on_numeral_runs_gives_finite_values():
    text = "投入" + "九千九百九十九万" * 800 + "元，培训" + "9" * 500 + "次，完成百分之" + "一" * 3000
    for m in scanner().scan(text):
        assert math.isfinite(m.value)


@pytest.mark.parametrize("case", ["huge_arabic", "cn_numerals", "tiny_decimal"])
def test_reports_with_huge_figures_check_and_serialise(tmp_path, case):
    outcome = api.check_input(next(iter(api.iter_inputs(hc.build(case, tmp_path)))))
    assert outcome.error is None or outcome.error.code != "E999", outcome.error
    record = api.record(outcome)
    json.dumps(record, allow_nan=False)  # no inf, no NaN anywhere in the record


@FAST
@given(TEXT)
def test_quantity_paths_never_raise_and_stay_finite(text):
    for m in scanner().scan(text):
        assert math.isfinite(m.value)
        assert m.range is None or all(_finite(x) for x in m.range)
    f = parse_figure(text)
    assert f is None or math.isfinite(f.value)
    q = parse_quantity(text)
    assert q is None or math.isfinite(q.value)


@FAST
@given(TEXT)
def test_clean_cell_never_raises(text):
    out = clean_cell(text)
    assert isinstance(out, str)
    assert clean_cell(out) == clean_cell(out)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_claim_extraction_of_random_narrative_never_raises(check_text, parts):
    narrative = "。".join(parts)
    res = check_text(hc.good_report(narrative=narrative or "无"))
    for c in res.claims:
        assert _finite(c.value)
    json.dumps(api.record(api.Outcome(api.Input("r.txt", "r.txt"), result=res)), allow_nan=False)


def test_a_runs_own_number_limits_reach_every_reader_of_figures():
    """max_digits, max_magnitude and max_numeral_chars from the run's settings, not the shipped ones:
    the budget cells, the indicator cells and the narrative's numerals all obey them."""
    from conftest import build_department
    from pipeline.read import read_bytes

    text = build_department([("培训", "举办培训十二期，参训人员一千零五人。", [("培训期数", "12期")])],
                            budget=("2318.88", "2000.00", "2237.54", "318.88", "96.49%", "15.94%"))
    doc = read_bytes(text.encode(), "limits.txt")
    shipped = api.check_document(doc)
    assert shipped.report.budget.adjusted.value == 2318.88
    assert {c.value for c in shipped.claims} >= {12, 1005}
    tight = Settings.resolve({"limits": {"max_digits": 4, "max_numeral_chars": 2}})
    assert parse_figure("2318.88", tight.limits) is None and parse_figure("23.5", tight.limits).value == 23.5
    assert cn_to_number("一千零五", tight.limits) is None and cn_to_number("十二", tight.limits) == 12
    checked = api.check_document(doc, tight)
    assert checked.report.budget.adjusted is None  # six digits: not a figure under these limits
    assert 1005 not in {c.value for c in checked.claims} and 12 in {c.value for c in checked.claims}
    small = Settings.resolve({"limits": {"max_magnitude": 100}})
    assert sane_arabic("2318.88", small.limits) is None and cn_to_number("一千零五", small.limits) is None
    assert api.check_document(doc, small).report.budget.adjusted is None
