"""A department form whose key-indicator table doc-sharing OCR ran together (Chongqing's layout:
指标名称 … 是否核心指标, each row ending in 是/否): cut back into rows, read from each row's end."""
from __future__ import annotations

import pytest

from pipeline import api
from pipeline.form import glued_core

GLUED = ("1、部门整体绩效自评表主管部门北塘区退役军人事务局自评总分(分)93.6部门联系人李某联系电话"
         "部门预算执行情况(万元)年初预算数全年(调整)预算数全年执行数执行率(%)执行率权重执行率得分(分)OO92%109.2"
         "当年绩效目标年初绩效目标全年(调整)绩效目标全年目标实际完成情况做好退役军人服务保障。\n"
         "2、指标名称计量单位指标性质年初指标值调整指标值全年完成值得分系数(%)指标权重(分)指标得分(分)是否核心指标"
         "预算完成率%定量指标90%92%100%1010是适应性培训期数期定量指标6期6期100%1010是"
         "帮扶就业人数人定量指标300人321人100%55否绩效指标\n"
         "3、优抚政策落实情况标定性指到位到位100%55否“三公经费控制率%100%22否走访慰问人次人次800人次860人次50%52.5否\n")


def rows_of(res):
    return [(i.name, i.target_raw, i.raw, i.weight.value, i.score.value) for i in res.report.indicators]


def test_the_glued_table_is_read_row_by_row(check_text):
    res = check_text(GLUED)
    assert res.report.template == "department_overall"
    assert rows_of(res) == [("预算完成率", "90%", "92%", 10, 10), ("适应性培训期数", "6期", "6期", 10, 10),
                            ("帮扶就业人数", "300人", "321人", 5, 5), ("优抚政策落实情况", "到位", "到位", 5, 5),
                            ("走访慰问人次", "800人次", "860人次", 5, 2.5)]
    # the row with no values (“三公经费控制率) is left out; the page marks and the merged 绩效指标 cell too
    assert res.verdicts[res.report.indicators[3].id].status == "qualitative"


def test_the_budget_rate_after_the_glued_header_checks_the_indicator(check_text):
    res = check_text(GLUED)
    assert res.report.budget.completion_rate.value == 92
    assert [(f.rule, f.status) for f in res.findings if f.rule == "budget.restated"] == [("budget.restated", "consistent")]
    bad = check_text(GLUED.replace("OO92%109.2", "OO96%109.6"), name="bad.txt")
    assert [f.status for f in bad.findings if f.rule == "budget.restated"] == ["mismatch"]
    assert bad.verdicts[bad.report.indicators[0].id].status == "mismatch"


@pytest.mark.parametrize("digits,coef,cut", [("1010", 100, ("10", "10")), ("22", 100, ("2", "2")),
                                             ("107.6", 76, ("10", "7.6")), ("105", 50, ("10", "5")),
                                             ("100", 0, ("10", "0")), ("7", 100, None)])
def test_weight_and_score_run_together(digits, coef, cut):
    assert glued_core._weight_score(digits, coef) == cut


def test_a_form_with_its_cells_apart_is_not_cut(tmp_path):
    text = ("指标名称\t计量单位\t指标性质\t年初指标值\t调整指标值\t全年完成值\t得分系数（%）\t指标权重（分）\t指标得分（分）\t是否核心指标\n"
            "预算完成率\t%\t定量指标\t90%\t\t92%\t100%\t10\t10\t是\n")
    s = api.warm(None)
    rows = [line.split("\t") for line in text.splitlines()]
    assert not glued_core.is_glued(rows, s.template("department_overall"), s)
