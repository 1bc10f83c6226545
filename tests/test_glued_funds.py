"""The fund block of a 项目支出 form whose cells a text extraction ran together: each row's
glued figures are cut so that 全年执行数 / 全年预算数 is the stated 执行率; when no cut agrees, the
one that contradicts least, if it stands out, is read (the checks report it); left unread when
more than one cut explains them, or none stands out."""
from __future__ import annotations

import pytest

from pipeline import api
from pipeline.form import glued_funds
from conftest import FIXTURES

GLUED = FIXTURES / "layouts" / "reading_room_2023_glued_cells.txt"
HEAD = "项目名称社区食堂补助主管部门测试县民政局项目资金(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分"


@pytest.fixture(scope="module")
def settings():
    return api.warm(None)


def cut(text, settings):
    tpl = settings.template("project")
    return glued_funds._block(text, glued_funds.spec(tpl, settings))


def test_the_rate_decides_where_the_glued_amounts_part(settings):
    """605410 is 60 | 54 | 10 (54 / 60 = 90.00%), and 得分 9 follows the %; a source row has no
    分值, and its figures are cut so that none is above the total's (5048 is 50 | 48, not 504 | 8)."""
    rows = cut(HEAD + "年度资金总额:60541090.00%9其中:财政拨款5048上年结转资金106其他资金年度总体目标…", settings)
    assert rows == [["项目资金", "", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                    ["", "年度资金总额", "60", "54", "10", "90.00%", "9"],
                    ["", "其中:财政拨款", "50", "48", "", "", ""],
                    ["", "上年结转资金", "10", "6", "", "", ""],
                    ["", "其他资金", "", "", "", "", ""]]


def test_a_row_no_cut_agrees_with_is_read_as_it_contradicts_least(settings, check_text):
    """The same amounts under a rate they do not give (95%): every reading contradicts itself, and
    60 | 54 | 10 far the least (90% against 95%; 605 | 4 would be 0.66%), so the check can say so."""
    rows = cut(HEAD + "年度资金总额:60541095.00%9其他资金年度总体目标", settings)
    assert rows[1] == ["", "年度资金总额", "60", "54", "10", "95.00%", "9"]
    res = check_text("项目支出绩效自评表(2023年度)" + HEAD + "年度资金总额:60541095.00%9其他资金年度总体目标"
                         "预期目标实际完成情况保障食堂运行。已完成。绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分"
                         "产出指标数量指标供餐人次≥5000人次5200人次9090总分10099")
    assert [(f.rule, f.status) for f in res.findings if f.rule == "project.execution_rate"] == [
        ("project.execution_rate", "mismatch")]


def test_a_row_no_reading_stands_out_from_is_left_unread(settings):
    """333350%3: 3 | 3 | 33 under 50% and 3 | 3 | 3 under 350% contradict alike: no row is guessed."""
    rows = cut(HEAD + "年度资金总额:333350%3其他资金年度总体目标", settings)
    assert rows is None


def test_zeros_at_a_seam_lose_to_the_cut_without_them(settings):
    """202010 under 100.00% reads 20 | 20 | 10, not 20201 | 0 under a rate of 0.00%."""
    rows = cut(HEAD + "年度资金总额:202010100.00%10其他资金年度总体目标", settings)
    assert rows[1] == ["", "年度资金总额", "20", "20", "10", "100.00%", "10"]


def test_a_form_whose_header_cells_are_there_is_left_alone(settings):
    tpl = settings.template("project")
    rows = [["项目资金（万元）", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", "60", "54", "10", "90%", "9"]]
    assert glued_funds.unglue(rows, tpl, settings) is rows


def test_a_glued_page_reads_its_fund_rows():
    res = api.check_path(GLUED)
    b = res.report.budget
    assert (b.initial.value, b.adjusted.value, b.actual.value, b.completion_rate.value) == (36.5, 36.5, 35.8, 98.08)
    total = next(fr for fr in res.report.funds if fr.total)
    assert (total.weight.value, total.score.value) == (10, 9.8)
    assert [(f.rule, f.status) for f in res.findings if f.rule == "project.fund_total"] == [
        ("project.fund_total", "consistent")]


def test_a_run_too_long_or_a_block_too_long_is_no_fund_block_to_guess_at(settings):
    """Thirty digits and decimal points have thousands of cuts: the row is left unread rather
    than guessed (and its reading stays cheap); a block is a few rows, not hundreds."""
    run = "".join(str(k * 7 % 10) for k in range(30)) + ".1.1.1.1.1%9"
    rows = cut(HEAD + "年度资金总额" + run + "其他资金", settings)
    assert rows is None or rows[1][2:] == [""] * 5
    many = cut(HEAD + "年度资金总额60541090.00%9" + "其他资金50" * 300, settings)
    assert 2 <= len(many) <= 1 + glued_funds._MAX_ROWS


def test_two_readings_that_both_give_the_rate_leave_the_row_unread(settings):
    """14481556% under 年初预算数 | 全年预算数 | 全年执行数 | 分值: 144 | 81 | 5 | 56% (年初 blank)
    and 144 | 81 | 5 | 5 | 6% both give their rate; neither is guessed."""
    head = "项目名称测试项目项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分"
    rows = cut(head + "年度资金总额14481556%2.8其他资金年度总体目标", settings)
    assert rows is None or rows[1][2:] == [""] * 6


@pytest.mark.parametrize("rate,status", [("50%", "consistent"), ("60%", "mismatch")])
def test_a_form_with_no_full_year_budget_column_has_its_rate_of_the_initial_budget(check_text, rate, status):
    """Beijing's 2016 form: 年初预算数(A), 全年执行数(B), 执行率(B/A); 154.74 / 310.2 = 49.88%."""
    head = "项目名称道路保洁主管部门测试区街道办事处项目资金(万元)年初预算数(A)全年执行数(B)分值(10分)执行率(B/A)得分"
    res = check_text("项目支出绩效自评表(2016年度)" + head + f"年度资金总额:310.2154.7410{rate}5其他资金"
                     "年度总体目标通过规范道路保洁,保持辖区环境整洁。")
    assert [(f.code, f.status) for f in res.findings if f.rule == "project.execution_rate"] == [
        ("project.execution_rate.initial", status)]


def test_dashes_in_a_source_row_blank_cells_do_not_end_the_block(settings):
    """当年财政拨款300300292.4——上年结转资金其他资金1008080——: the dashes mark the source's blank
    分值, 执行率 and 得分; the rows after them are read (and 300 + 80 under 380 adds up)."""
    rows = cut(HEAD.replace("全年预算数(A)", "年初预算数全年预算数(A)") + "年度资金总额400380372.41098%9.8其中：当年财政拨款"
               "300300292.4——上年结转资金其他资金1008080——年度总体目标", settings)
    assert [r[1:5] for r in rows[1:]] == [["年度资金总额", "400", "380", "372.4"], ["其中：当年财政拨款", "300", "300", "292.4"],
                                         ["上年结转资金", "", "", ""], ["其他资金", "100", "80", "80"]]


def test_a_source_row_no_cut_reads_leaves_the_sources_unsummed(settings):
    """其他资金05038 is 0 | 50 | 38 or 0 | 503 | 8: unread, and with it the sources (a blank row beside it
    would sum short of a total that is right); the total row stays."""
    rows = cut(HEAD.replace("全年预算数(A)", "年初预算数全年预算数(A)") + "年度资金总额5006505981092%9.2其中：当年财政拨款"
               "400500460—92%—上年结转资金100100100——其他资金05038——年度总体目标", settings)
    assert [r[1] for r in rows[1:]] == ["年度资金总额"]


def test_a_source_row_is_cut_to_the_total_row_decimal_places(settings):
    """102.4102.4100.41 under 122.4 | 122.4 | 120.41 is 102.4 | 102.4 | 100.41, not 102.410 | 2.4 | 100.41."""
    rows = cut(HEAD.replace("全年预算数(A)", "年初预算数全年预算数(A)") + "年度资金总额122.4122.4120.411098.37%9.83其中：当年财政拨款"
               "102.4102.4100.41——上年结转资金202020——其他资金000——年度总体目标", settings)
    assert rows[2][1:5] == ["其中：当年财政拨款", "102.4", "102.4", "100.41"]
