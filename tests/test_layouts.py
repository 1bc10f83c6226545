"""Layouts real archives hold, and partial forms: each on a small report written for the test."""
from __future__ import annotations

import pytest

from pipeline.errors import TruncatedForm
from pipeline.read import tsv
from conftest import build_project

GOOD = [("产出指标", "数量指标", "举办培训班期数", "≥10期", "12期", "50", "50", ""),
        ("效益指标", "社会效益指标", "培训人次", "≥500人次", "620人次", "50", "50", "")]


def cell_lines(rows: list[list[str]], width: int) -> str:
    """A table as some pages serve it: each cell on a line ending with ' |', a row's blank tail as '|||'."""
    out = []
    for r in rows:
        out += [f"{c} |" if c else "|" for c in r]
        out.append("|" * (width - len(r)))
    return "\n".join(out) + "\n"


def test_cells_terminated_by_separators_are_rows_again():
    rows = [["项目名称", "测试项目"], ["主管部门", "", "实施单位", "测试中心"],
            ["年度资金总额", "50", "50", "45", "10", "90%", "9"], ["其他资金", "0", "0", "0"]]
    assert tsv.parse(cell_lines(rows, 9)) == [["项目名称", "测试项目"], ["主管部门", "", "实施单位", "测试中心"],
                                              ["年度资金总额", "50", "50", "45", "10", "90%", "9"],
                                              ["其他资金", "0", "0", "0"]]


def test_rows_run_together_are_cut_at_the_table_width():
    head = "\n".join(["a |", "b |", "c |", "||"] * 3)  # three rows of five cells ended by a run
    run = "\n".join(f"{c} |" for c in "defghijklm")  # two rows with no separator run between them
    rows = tsv.parse(head + "\n" + run + "\n||\n")
    assert rows[-2:] == [list("defgh"), list("ijklm")]


def test_markdown_rows_and_alignment_lines():
    text = "| 项目名称 | 测试 |\n|---|---|\n| 年度资金总额 | 20 |\n| 合计 |\n30 |\n|||\n" * 4 + "| 其他 | 1 |\n"
    rows = tsv.parse(text)
    assert ["年度资金总额", "20"] in rows and ["合计", "30"] in rows and not any("---" in c for r in rows for c in r)


def test_a_form_flattened_onto_one_line_is_split_into_cells():
    line = " ".join(["项目名称", "测试项目"] + [f"标签{k} {k}" for k in range(30)] + ["全年完成培训12期。"])
    rows = tsv.parse(line + "\n")
    assert rows[:2] == [["项目名称"], ["测试项目"]] and rows[-1] == ["全年完成培训12期。"]
    prose = "全年完成培训12期，参训人员620人次，满意度96%。 " * 3
    assert len(tsv.parse(prose)) == 1  # prose with a few spaces stays a line


def test_split_header_and_target_over_three_cells(check_text):
    text = "\n".join([
        "项目支出绩效自评表", "（2023年度）",
        "项目名称\t测试项目", "主管部门\t测试局\t实施单位\t测试中心",
        "项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        "年度资金总额\t20\t20\t20\t10\t100%\t10",
        "绩效指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位",
        "产出指标\t数量指标\t举办培训班期数\t≥\t10\t期\t12\t45\t45",
        "效益指标\t社会效益指标\t培训合格率\t﹦\t100\t%\t100\t45\t45",
        "总分\t\t\t\t\t\t\t100\t100"])
    res = check_text(text)
    first, second = res.report.indicators
    assert (first.name, first.target_raw, first.value, first.unit, first.weight.value) == ("举办培训班期数", "≥10期", 12, "期", 45)
    assert (second.target_raw, second.value, second.unit) == ("=100%", 100, "%")
    assert not res.mismatches


def test_money_cells_with_a_bare_wan():
    funds = [("年度资金总额", "150万", "150万", "125.25万", "10", "83.5%", "8"),
             ("其中：当年财政拨款", "150万", "150万", "125.25万", "—", "—", "—")]
    from pipeline import api
    import tempfile, pathlib
    with tempfile.TemporaryDirectory() as d:
        p = pathlib.Path(d) / "r.txt"
        p.write_text(build_project(GOOD, funds), encoding="utf-8")
        res = api.check_path(p)
    total = res.report.funds[0]
    assert (total.budget.value, total.executed.value) == (150, 125.25) and not res.report.warnings


@pytest.mark.parametrize("actual,status", [("150万", "mismatch"), ("125万", "consistent"), ("1253000元", "consistent")])
def test_cost_indicator_against_the_executed_amount(check_text, actual, status):
    rows = [("成本指标", "经济成本指标", "运行维护费", "≤150万", actual, "20", "20", "")] + GOOD
    funds = [("年度资金总额", "150", "150", "125.3", "10", "83.53%", "8"),
             ("其中：当年财政拨款", "150", "150", "125.3", "—", "—", "—")]
    res = check_text(build_project(rows, funds, total=("120", "118")))
    assert [f.status for f in res.findings if f.rule == "project.cost"] == [status]


@pytest.mark.parametrize("actual,status", [("37.24", "consistent"), ("27.24", "mismatch")])
def test_an_amount_indicator_with_no_unit_is_in_the_form_money_unit(check_text, actual, status):
    """工程资金金额 | 43.2 | 37.24: the budget and what was executed, in the form's 万元."""
    rows = [("产出指标", "数量指标", "工程资金金额", "43.2", actual, "10", "9", "部分工程款未到结算期")] + GOOD
    funds = [("年度资金总额", "43.2", "43.2", "37.24", "10", "86.20%", "8.6"),
             ("其中：当年财政拨款", "43.2", "43.2", "37.24", "—", "—", "—")]
    res = check_text(build_project(rows, funds, total=("110", "108.6")))
    assert [f.status for f in res.findings if f.rule == "project.funds_indicator"] == [status]


@pytest.mark.parametrize("score,status", [("4", "consistent"), ("8", "mismatch")])
def test_a_fund_block_with_no_weight_column_takes_its_points_from_its_label(check_text, score, status):
    """预算执行情况（万元）（20分） over 预算数 | 执行数 | 执行率 | 得分（20分*执行率）: 得分 4 of 20 × 20%."""
    text = "\n".join([
        "2022年度项目支出绩效自评表", "单位名称:测试县供销合作社 填报日期:2023年4月15日",
        "项目名称\t测试项目", "主管部门\t测试县供销合作社",
        "预算执行情况（万元）\t（20分）",
        "\t预算数(A)\t执行数(B)\t执行率(B/A)\t得分\t（20分*执行率）",
        f"年度财政资金总额\t50\t10\t20%\t{score}",
        "年度绩效目标\t（80分）",
        "一级指标\t二级指标\t三级指标\t年初目标值(A)\t实际完成值(B)\t得分",
        "产出指标\t数量指标\t猪舍面积\t180平方米\t180平方米\t40",
        "效益指标\t社会效益指标\t带动农户\t20户\t20户\t40"]) + "\n"
    res = check_text(text)
    assert [f.status for f in res.findings if f.rule == "project.budget_score"] == [status]


def test_a_lone_total_of_100_in_a_cell_per_line_copy_is_the_whole_points(check_text):
    """总分 / 100 with the 得分 left blank (a copy drops blank cells): the 分值's whole, not a score
    the indicators' 得分 fall short of."""
    rows = [("产出指标", "数量指标", "举办培训班期数", "≥10期", "12期", "50", "", ""),
            ("效益指标", "社会效益指标", "培训人次", "≥500人次", "620人次", "40", "", "")]
    funds = [("年度资金总额", "100", "100", "95", "10", "95%", "")]
    cells = [c for line in build_project(rows, funds, total=("100", "")).splitlines() for c in line.split("\t") if c]
    res = check_text("\n".join(cells) + "\n")
    assert res.report.total_weight.value == 100 and res.report.total_score is None
    # (the rows' 分值 are not placed in such a copy: the fund's 10 alone is no sum of the table)
    assert not [f for f in res.findings if f.rule in ("project.score_total", "project.weights_total")]


def test_sources_without_a_prefix_and_a_form_whose_fund_rows_were_not_read(check_text):
    """省级财政资金 and 县级财政资金 are the total's sources as 其中：中央财政资金 is; and a form whose fund
    block was not read owes its 分值 short of 100 to it, no mismatch of the indicators'."""
    funds = [("年度资金总额", "3600", "3820", "3751.62", "10", "98.21%", "9.8"),
             ("其中：中央财政资金", "2400", "2400", "2400", "—", "—", "—"),
             ("省级财政资金", "800", "800", "786.50", "—", "—", "—"),
             ("县级财政资金", "400", "620", "565.12", "—", "—", "—")]
    res = check_text(build_project(GOOD, funds, total=("100", "100")))
    assert [f.status for f in res.findings if f.rule == "project.fund_total"] == ["consistent"]
    rows = [("产出指标", "数量指标", "举办培训班期数", "≥10期", "12期", "50", "50", ""),
            ("效益指标", "社会效益指标", "培训人次", "≥500人次", "620人次", "40", "40", "")]
    text = build_project(rows, total=("100", "99.5")).replace("年度资金总额", "资金说明", 1)
    res = check_text(text)
    assert not [f for f in res.findings if f.rule in ("project.weights_total", "project.score_total")
                and f.status == "mismatch"]


def test_a_claim_another_indicator_names_more_fully_is_that_one_s(check_text):
    """见习单位满意度96% states the 见习单位满意度 indicator; it neither supports nor contradicts the
    见习人员满意度 one (94%), which the text does not state."""
    rows = [("满意度指标", "服务对象满意度指标", "见习人员满意度", "≥90%", "94%", "50", "50", ""),
            ("满意度指标", "服务对象满意度指标", "见习单位满意度", "≥90%", "96%", "40", "40", "")]
    res = check_text(build_project(rows, result="见习单位满意度96%。"))
    assert [res.verdicts[i.id].status for i in res.report.indicators] == ["unverified", "consistent"]


def test_a_form_that_is_an_attachment_names_its_own_money_unit(check_text):
    text = build_project(GOOD, title="附件1：2024年度项目支出绩效自评表（单位：元）", unit="元").replace("单位：元\n", "")
    assert check_text(text).report.money_unit == "元"


def test_an_amount_per_head_with_no_unit_is_no_amount_of_the_form(check_text):
    """人均补助资金 | 1200: yuan per head, not the form's 万元 (no cost beyond what was spent)."""
    rows = [("成本指标", "经济成本指标", "人均补助资金", "1200", "1200", "20", "20", "")] + GOOD
    res = check_text(build_project(rows, total=("120", "120")))
    assert not [f for f in res.findings if f.rule in ("project.cost", "project.funds_indicator")]
    assert res.report.indicators[0].unit is None


@pytest.mark.parametrize("weight,status", [("30", ["consistent", "consistent"]), ("35", ["mismatch", "consistent"]),
                                           ("25", ["unverified", "consistent"])])  # short: a row may be unread
def test_the_weights_under_a_level_add_up_to_the_points_it_states(check_text, weight, status):
    rows = [("产出指标（60分）", "数量指标", "举办培训班期数", "≥10期", "12期", weight, weight, ""),
            ("产出指标（60分）", "质量指标", "培训合格率", "≥90%", "95%", "30", "30", ""),
            ("效益指标（30分）", "社会效益指标", "培训人次", "≥500人次", "620人次", "30", "30", "")]
    res = check_text(build_project(rows, total=("100", "99.5")))
    assert [f.status for f in res.findings if f.rule == "project.level_weights"] == status


def test_a_level_the_excerpt_cuts_is_not_held_to_its_points(check_text):
    rows = [("产出指标（60分）", "数量指标", "举办培训班期数", "≥10期", "12期", "30", "30", "")]
    text = build_project(rows).rsplit("总分", 1)[0]  # cut before the 总分 row
    assert not [f for f in check_text(text).findings if f.rule == "project.level_weights"]


def test_cost_against_sources_when_the_total_row_is_off(check_text):
    rows = [("成本指标", "经济成本指标", "项目总成本", "≤90万元", "89万元", "20", "20", "")] + GOOD
    funds = [("年度资金总额", "0", "0", "0", "10", "0", "0"),
             ("其中：当年财政拨款", "90", "90", "89.97", "—", "—", "—")]
    res = check_text(build_project(rows, funds, total=("120", "110")))
    assert [f.status for f in res.findings if f.rule == "project.cost"] == ["consistent"]
    assert [f.status for f in res.findings if f.rule == "project.fund_total"] == ["mismatch"]


def test_budget_score_is_read_to_its_own_precision(check_text):
    funds = [("年度资金总额", "200", "200", "179.43", "10", "89.7%", "9"),
             ("其中：当年财政拨款", "200", "200", "179.43", "—", "—", "—")]
    res = check_text(build_project(GOOD, funds, total=("110", "109")))
    assert [f.status for f in res.findings if f.rule == "project.budget_score"] == ["consistent"]


def test_lenient_scores_are_warnings_not_mismatches(check_text):
    rows = [("产出指标", "数量指标", "举办培训班期数", "≥10期", "8期", "50", "50", "")] + GOOD[1:]
    res = check_text(build_project(rows, total=("110", "109.5")))
    f = next(f for f in res.findings if f.rule == "project.target")
    assert (f.status, f.severity) == ("unverified", "warning") and not res.mismatches


def _cut(rows_text: list[str]) -> str:
    return "\n".join(["项目支出绩效自评表", "（2024年度）", "项目名称\t测试项目", "主管部门\t测试区测试局"] + rows_text)


def test_a_form_cut_before_its_indicators_is_checked_for_what_it_holds(check_text):
    res = check_text(_cut(["项目资金\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
                           "\t年度资金总额\t100\t100\t80\t10\t85%\t8",
                           "\t其中：当年财政拨款\t100\t100\t80\t—\t—\t—"]))
    assert res.report.indicators == [] and any("绩效指标表" in w for w in res.report.warnings)
    assert [f.status for f in res.findings if f.rule == "project.execution_rate"] == ["mismatch"]
    assert not [f for f in res.findings if f.rule == "project.weights_total"]  # a cut table is not summed


def test_prose_above_the_form_is_narrative(check_text):
    summary = "项目自评综述：全年预算数为100万元，执行数为80万元，完成预算的80%；举办培训班12期。"
    res = check_text(summary + "\n" + _cut(["项目资金\t\t全年预算数\t全年执行数\t执行率",
                                            "\t年度资金总额\t100\t80\t80%"]))
    assert [s.name for s in res.report.sections] == ["项目自评综述"]
    assert {(c.value, c.unit) for c in res.claims} >= {(100, "万元"), (80, "万元"), (12, "期")}


def test_nothing_checkable_is_refused(tmp_path):
    from pipeline import api

    p = tmp_path / "empty.txt"
    p.write_text(_cut(["实施单位\t测试中心", "项目负责人\t张三"]), encoding="utf-8")
    with pytest.raises(TruncatedForm):
        api.check_path(p)


def test_a_form_glued_into_one_line_is_read_with_the_report_below_it(check_text):
    glued = ("项目名称测试项目主管部门测试局一级指标二级指标三级指标年度指标值实际完成值分值得分产出指标数量指标"
             "培训期数10期12期5050效益指标社会效益指标培训人次500人次620人次5050")
    res = check_text(glued + "\n\n二、绩效目标完成情况\n"
                     "全年共举办基层干部业务培训班12期，累计培训乡镇和村两级干部620人次，项目资金执行率达到100%。\n")
    rows = [(i.level1, i.level2, i.name, i.target_raw, i.raw, i.weight.value, i.score.value)
            for i in res.report.indicators]
    assert rows == [("产出指标", "数量指标", "培训期数", "10期", "12期", 50, 50),
                    ("效益指标", "社会效益指标", "培训人次", "500人次", "620人次", 50, 50)]
    assert {(c.value, c.unit) for c in res.claims} == {(12, "期"), (620, "人次"), (100, "%")}


def test_a_form_run_together_keeps_the_annual_target_as_prose(check_text):
    run = ("测试项目绩效目标自评表(2023年度)项目名称测试项目主管部门测试局资金情况(万元)年度资金总额全年预算数300"
           "年度总体目标全年举办基层干部业务能力提升培训班12期，培训乡镇和村两级干部620人次，建成乡村治理示范点4个绩效指标一级指标二级指标三级指标分值"
           "年度指标值全年实际值得分产出指标(40分)数量指标培训期数812期12期8质量指标合格率8100%100%8")
    res = check_text(run + "\n")
    goals = [s for s in res.report.sections if s.kind == "goal"]
    assert [s.name for s in goals] == ["年度总体目标"] and goals[0].text.startswith("全年举办基层干部")
    assert {(c.value, c.unit) for c in res.claims} == {(12, "期"), (620, "人次"), (4, "个")}


def test_an_excerpt_cut_inside_an_indicator_name_keeps_the_rows_before_it(check_text):
    text = build_project(GOOD).split("总分")[0] + "\t效益指标\t社会效益指标\t岗\n"
    res = check_text(text)
    assert [i.name for i in res.report.indicators] == ["举办培训班期数", "培训人次"]


SPACED = """项目支出绩效自评表
(2023年度)
项目名称 测试项目
主管部门 实施单位 测试局
项目资金
(万元)
年初预算数 全年预算数 全年执行数 分值 执行率 得分
年度资金总额: 50 50 50 10 10
其中:本年财政拨款 50 50 50 - -
二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
(50分)
数量指标 指标1:举办培训班期数 10期 12期 40 40
质量指标 指标1:培训合格 10 10
时效指标 指标1:按期完成 100% 10 10
(40分)
社会效益指标 指标1:培训人次 500人次 620人次 40 40
总分 100 100
"""


def test_a_row_per_line_with_spaces_between_cells(check_text):
    """A spaced export: a line ends its row and its blank cells are absent. 执行率 takes only a
    percentage, an indicator's two figures are its 分值 and 得分, three figures are not placed,
    and a level's weight alone on its line (（40分）) is no indicator."""
    res = check_text(SPACED)
    b = res.report.budget
    assert (b.initial.value, b.adjusted.value, b.actual.value, b.completion_rate) == (50, 50, 50, None)
    total = next(fr for fr in res.report.funds if fr.total)
    assert (total.weight.value, total.score.value) == (10, 10)
    got = [(i.level2, i.name, i.target_raw, i.raw, i.weight and i.weight.value, i.score and i.score.value)
           for i in res.report.indicators]
    assert got == [("数量指标", "举办培训班期数", "10期", "12期", 40, 40),
                   ("质量指标", "培训合格", None, "", 10, 10),
                   ("时效指标", "按期完成", None, "", None, None),
                   ("社会效益指标", "培训人次", "500人次", "620人次", 40, 40)]


def test_one_cell_per_line_without_spaced_rows_is_no_spaced_export():
    from pipeline import api
    from pipeline.form import stream

    s = api.warm(None)
    tpl = s.template("project")
    lines = [[c] for c in SPACED.replace(" ", "\n").split("\n") if c]
    assert stream.is_spaced([[line] for line in SPACED.splitlines()], tpl, s.rules.form, s.limits)
    assert not stream.is_spaced(lines, tpl, s.rules.form, s.limits)


def test_a_target_table_with_a_second_header_row_and_a_signature_line(check_text):
    """A 绩效目标批复表: the value column split over a second header row (2022年实际实现值 |
    预期2023年实现值) and the form's signature line under the table are no indicators."""
    text = "\n".join([
        "项目支出绩效目标批复表", "(2023年度)",
        "项目名称\t社区托育服务\t项目负责人", "项目主管部门\t实施单位\t测试县卫生健康局",
        "年度绩效目标(文字)\t新增托位120个，开展育儿指导活动24场。",
        "绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t指标标准或依据",
        "2022年实际实现值\t预期2023年实现值",
        "产出指标\t数量指标\t新增托位数\t120个",
        "\t\t育儿指导活动场次\t24场",
        "满意度指标\t服务对象满意度指标\t家长满意度\t≥90%",
        "财政资金管理科室(盖章) 年 月 日\t财政绩效管理科室(盖章) 年 月 日",
    ]) + "\n"
    res = check_text(text)
    assert [i.name for i in res.report.indicators] == ["新增托位数", "育儿指导活动场次", "家长满意度"]
    # the year's target in a cell of its own, with no 预期目标 | 实际完成情况 header: a plan
    assert [(s.kind, s.text) for s in res.report.sections] == [("plan", "新增托位120个,开展育儿指导活动24场。")]
    assert [(c.value, c.unit) for c in res.claims] == [(120, "个"), (24, "场")]
    # a table without a 实际完成值 column states its 指标值, checked against that target text
    assert [(i.value, res.verdicts[i.id].status) for i in res.report.indicators] == [
        (120, "consistent"), (24, "consistent"), (90, "unverified")]


def test_what_was_done_in_a_numbered_cell_of_its_own(check_text):
    """Sichuan's form says what was done right of 2.项目实施内容及过程概述: narrative to check."""
    text = build_project(GOOD, result="完成").replace(
        "绩效指标\t", "2.项目实施内容及过程概述\t全年举办培训班12期，培训620人次。\n绩效指标\t", 1)
    res = check_text(text)
    assert ("goal", "全年举办培训班12期,培训620人次。") in [(s.kind, s.text) for s in res.report.sections]
    assert {(c.value, c.unit) for c in res.claims} >= {(12, "期"), (620, "人次")}


def test_a_run_together_form_with_prose_like_punctuation_keeps_only_its_target(check_text):
    """A run-together form whose target text has the marks of prose (not sparse) is still the
    form: its annual target is the prose, its glued fund figures (6060541090%) are no claims."""
    run = ("测试项目绩效自评表(2023年度)项目名称社区食堂补助主管部门测试县民政局项目资金(万元)年初预算数全年预算数"
           "全年执行数分值执行率得分年度资金总额6060541090%9其中:财政拨款6060541090%年度总体目标预期目标"
           "实际完成情况新建社区食堂、老年助餐点，为辖区老人提供助餐服务，改善老年人生活条件。"
           "全年新建社区食堂6个，提供助餐服务21000人次。绩效指标一级指标二级指标三级指标")
    res = check_text(run + "\n")
    assert [s.kind for s in res.report.sections] == ["goal"]
    assert {(c.value, c.unit) for c in res.claims} == {(6, "个"), (21000, "人次")}


def test_a_page_that_begins_inside_the_form_before_reads_the_whole_next_one(check_text):
    """The tail of another project's form (its last indicator row, 总分, 评价结论, signatures),
    then a whole form: the whole one is the report, and the report says there were two."""
    tail = "\n".join(["绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
                      "\t产出指标\t成本指标\t成本控制数\t≤30万元\t完成\t90\t90",
                      "总分\t\t\t\t\t\t100\t100", "评价结论\t按期完成。", "项目负责人：张三\t财务负责人：李四"])
    res = check_text(tail + "\n" + build_project(GOOD, result="全年举办培训班12期，培训620人次。"))
    assert [i.name for i in res.report.indicators] == ["举办培训班期数", "培训人次"]
    assert res.report.budget.adjusted.value == 100 and "2张表" in res.report.warnings[0]
    alone = check_text(build_project(GOOD, result="全年举办培训班12期，培训620人次。"))
    assert not any("张表" in w for w in alone.report.warnings)


def test_a_bare_separator_line_is_an_empty_cell():
    assert tsv.parse("项目名称 |\n|\n测试项目 |\n") == [["项目名称"], [""], ["测试项目"]]


def test_a_cell_per_line_export_that_marks_its_empty_cells(check_text):
    """Each cell on a line ending with ' |' and an empty cell as a bare '|' line: the empty 完成值
    keeps its place, so the 权重 after it is read as the 权重 (not left unread as a shifted cell)."""
    cells = ["项目支出绩效自评表", "（2023年度）", "项目名称", "测试项目", "主管部门", "测试局",
             "项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率",
             "年度资金总额", "50", "50", "50", "100%",
             "绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
             "产出指标", "数量指标", "培训覆盖率", "=", "100", "%", "", "60", "",
             "效益指标", "社会效益指标", "群众知晓率", "≥", "90", "%", "", "40", ""]
    res = check_text("\n".join(f"{c} |" if c else "|" for c in cells) + "\n")
    got = [(i.name, i.target_raw, i.weight and i.weight.value, i.score) for i in res.report.indicators]
    assert got == [("培训覆盖率", "=100%", 60, None), ("群众知晓率", "≥90%", 40, None)]


@pytest.mark.parametrize("source,status", [("40", "consistent"), ("35", "mismatch")])
def test_a_fund_reason_cell_after_a_blank_score_keeps_the_sources_below_it(check_text, source, status):
    """Sichuan's form: the 总额 row's 得分 left blank ('|'), then the 原因 column's instructions as
    prose; the 其中 rows after them are the total's sources still."""
    cells = ["项目支出绩效自评表", "（2023年度）", "项目名称", "测试项目", "主管部门", "测试局",
             "预算执行情况(10分)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因",
             "总额", "50", "50", "50", "100.00%", "10", "",
             "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内)。",
             "其中:财政资金", source, source, source, "100.00%", "/", "/",
             "单位资金", "10", "10", "10", "100.00%", "/", "/",
             "绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
             "产出指标", "数量指标", "培训覆盖率", "=", "100", "%", "100", "90", "90"]
    res = check_text("\n".join(f"{c} |" if c else "|" for c in cells) + "\n")
    assert [f.status for f in res.findings if f.rule == "project.fund_total"] == [status]


def test_a_marked_blank_label_cell_before_the_goal_texts_keeps_them_in_their_columns(check_text):
    """年度总体目标 | 预期目标 | 实际完成情况, then the row's blank label cell ('|') and the two texts:
    the second text is what was done (the first, the plan, restates no indicator)."""
    cells = ["项目支出绩效自评表", "（2023年度）", "项目名称", "测试项目", "主管部门", "测试局",
             "项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率",
             "年度资金总额", "50", "50", "50", "100%",
             "年度总体目标", "预期目标", "实际完成情况", "",
             "计划举办培训班10期。", "全年举办培训班12期。",
             "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "产出指标", "数量指标", "举办培训班期数", "≥10期", "12期", "90", "90"]
    res = check_text("\n".join(f"{c} |" if c else "|" for c in cells) + "\n")
    assert res.verdicts["I1"].status == "consistent"
    assert not res.mismatches


def test_a_continuation_title_inside_the_table_is_no_new_form(check_text):
    text = build_project(GOOD, result="全年举办培训班12期，培训620人次。").replace(
        "\t效益指标", "项目支出绩效自评表（续表）\n\t效益指标", 1)
    res = check_text(text)
    assert [i.name for i in res.report.indicators] == ["举办培训班期数", "培训人次"]
    assert not any("张表" in w for w in res.report.warnings)


def test_a_spaced_fund_row_keeps_its_percentage_for_the_rate_column(check_text):
    res = check_text(SPACED.replace("年度资金总额: 50 50 50 10 10", "年度资金总额: 50 45 10 90% 9"))
    total = next(fr for fr in res.report.funds if fr.total)
    # the blank is before the figures that end at the rate: 年初预算数
    assert (total.initial, total.budget.value, total.executed.value, total.weight.value, total.rate.value,
            total.score.value) == (None, 50, 45, 10, 90, 9)
