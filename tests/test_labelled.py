"""A narrative report's fund block printed as label and figure cells (form/labelled.py)."""
from __future__ import annotations

import pytest

from pipeline import api
from pipeline.form import labelled

SPEC = {"adjusted": ("计划安排资金",), "received": ("实际到位资金",), "actual": ("实际支出",), "balance": ("结余",)}


def values(rows, unit="万元"):
    return {k: f.value for k, f in labelled.amounts(rows, SPEC, unit).items()}


def test_a_label_takes_the_bare_number_after_it_past_its_unit_note():
    rows = [["计划安排资金"], ["(万元)"], ["170"], ["实际到位资金 (万元)", "170"], ["实际支出（万元）"], ["179.6"],
            ["结余(万元)"], ["0"]]
    assert values(rows) == {"adjusted": 170, "received": 170, "actual": 179.6, "balance": 0}


@pytest.mark.parametrize("rows", [
    [["实际支出"], ["项目单位"], ["80.25"]],                 # another label first: no figure of its own
    [["实际支出"], ["80.25万元"]],                           # a figure with a unit is a claim's, not this block's
    [["实际支出情况良好，全年支出80.25"], ["80.25"]],        # prose, not a label
    [["实际支出（元）"], ["802500"]],                        # another money unit than the report's: not converted
])
def test_what_is_not_a_labelled_figure(rows):
    assert values(rows) == {}


def test_the_first_figure_a_label_takes_is_the_block_s():
    rows = [["实际支出"], ["80.25"], ["支出明细"], ["实际支出"], ["42.8"]]
    assert values(rows) == {"actual": 80.25}


def test_prose_fills_only_what_the_cells_left_open(tmp_path):
    text = ("项目绩效评价自评报告\n一、项目基本概况\n计划安排资金\n(万元)\n86.5\n实际支出\n(万元)\n80.25\n"
            "二、项目绩效自评情况\n全年实际支出80.25万元，预算执行率92.77%，慰问优抚对象612人次。\n")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    res = api.check_path(p)
    b = res.report.budget
    assert (b.adjusted.value, b.actual.value, b.completion_rate.value) == (86.5, 80.25, 92.77)
    assert {f.rule: f.status for f in res.findings if f.rule.startswith("budget.")} == {
        "budget.completion_rate": "consistent"}
