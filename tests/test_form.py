"""The department form parser: blocks by label, not by position."""
import pytest

from pipeline import errors
from conftest import DEPARTMENT, build_department

TASKS = [("学习教育", "共开展学习12次。", [("学习次数", "12次"), ("学习效果", "良好")]),
         ("调研视察", "开展调研8次。", [("调研次数", "8次")])]


def test_basic_form(check_text):
    res = check_text(build_department(TASKS))
    rep = res.report
    assert rep.template == "department_overall"
    assert rep.department == "测试区测试局" and rep.year == 2024 and rep.money_unit == "万元"
    assert [(i.id, i.section, i.name, i.value, i.unit) for i in rep.indicators] == [
        ("I1", "学习教育", "学习次数", 12, "次"), ("I2", "学习教育", "学习效果", None, None),
        ("I3", "调研视察", "调研次数", 8, "次")]
    assert rep.budget.completion_rate.value == 90.0 and rep.budget.completion_rate.decimals == 1


def test_extra_empty_columns(check_text):
    text = build_department(TASKS)
    wide = "\n".join(l.replace("\t", "\t\t", 1) if "\t" in l else l for l in text.splitlines())
    a, b = check_text(text), check_text(wide, "wide.txt")
    assert [(i.name, i.value) for i in a.report.indicators] == [(i.name, i.value) for i in b.report.indicators]
    assert a.report.budget == b.report.budget


def test_yuan_unit(check_text):
    res = check_text(build_department(TASKS, unit="元", budget=("1100000.00", "1000000.00", "990000.00",
                                                              "100000.00", "90.0%", "10.0%")))
    assert res.report.money_unit == "元"
    assert {f.rule: f.status for f in res.findings if f.rule.startswith("budget")} == {
        "budget.adjustment": "consistent", "budget.completion_rate": "consistent", "budget.adjustment_rate": "consistent"}


def test_split_title_and_reordered_blocks():
    from pipeline import api

    res = api.check_path(DEPARTMENT / "justice_2021.txt")
    assert res.report.title == "2021年度临江县司法局部门整体支出绩效自评表"
    assert res.report.budget.adjusted.value == 32456780.00  # budget block after the goals block
    assert res.report.money_unit == "元"


def test_glued_budget_cell(check_text):
    text = build_department(TASKS).replace("\t预算完成率\t90.0%\t", "\t预算完成率90.0%\t\t")
    res = check_text(text)
    assert res.report.budget.completion_rate.value == 90.0


def test_no_task_table_is_truncated(check_text):
    text = "\n".join(build_department(TASKS).splitlines()[:6])
    with pytest.raises(errors.TruncatedForm):
        check_text(text)


def test_prose_is_not_a_report(check_text):
    with pytest.raises(errors.NotAReport):
        check_text("今天天气很好，我们去公园散步，共走了3公里。")
