"""The 项目支出 template: each rule on its own, variants, layouts, real-world messes."""
import pytest

from conftest import PROJECT, build_project

# 10 (funds) + 30 + 30 + 30 = 100 weights; scores 9.50 + 30 + 30 + 30 = 99.5
GOOD = [("产出指标", "数量指标", "举办培训班期数", "≥10期", "12期", "30", "30", ""),
        ("效益指标", "社会效益指标", "参训人员合格率", "≥90%", "95%", "30", "30", ""),
        ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", "96%", "30", "30", "")]


def rules(res):
    return {}.__class__((f.rule, f.status) for f in res.findings if f.status != "consistent")


def statuses(res, rule):
    return [f.status for f in res.findings if f.rule == rule]


def test_clean_form_has_no_mismatch(check_text):
    res = check_text(build_project(GOOD, result="全年举办培训班12期，参训人员合格率95%，满意度96%。", total=("100", "99.5")))
    assert res.report.template == "project" and res.report.kind == "project"
    assert res.mismatches == []
    assert {f.rule for f in res.findings} >= {"project.execution_rate", "project.fund_total", "project.budget_score",
                                              "project.score_le_weight", "project.weights_total", "project.score_total",
                                              "project.target", "indicator.narrative"}
    b = res.report.budget
    assert (b.initial.value, b.adjusted.value, b.actual.value, b.completion_rate.value) == (100, 100, 95, 95)


def test_execution_rate(check_text):
    funds = [("年度资金总额", "100.00", "100.00", "95.00", "10", "98.00%", "9.50"),
             ("其中：当年财政拨款", "100.00", "100.00", "95.00", "—", "—", "—")]
    assert statuses(check_text(build_project(GOOD, funds, total=("100", "99.5"))), "project.execution_rate") == ["mismatch"]


def test_fund_total_against_sources(check_text):
    funds = [("年度资金总额", "0", "0", "0", "10", "98.83%", "9.88"),
             ("其中：本年财政拨款", "120", "120", "118.6", "—", "—", "—")]
    res = check_text(build_project(GOOD, funds, total=("100", "99.88")))
    assert statuses(res, "project.fund_total") == ["mismatch"]


def test_score_above_weight(check_text):
    bad = GOOD[:2] + [("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", "96%", "30", "32", "")]
    res = check_text(build_project(bad, total=("100", "101.5")))
    assert statuses(res, "project.score_le_weight") == ["consistent", "consistent", "mismatch"]


def test_weights_and_scores_add_up(check_text):
    assert statuses(check_text(build_project(GOOD, total=("100", "98.5"))), "project.score_total") == ["mismatch"]
    assert statuses(check_text(build_project(GOOD, total=("90", "99.5"))), "project.weights_total") == ["mismatch"]


def test_budget_score_follows_rate(check_text):
    funds = [("年度资金总额", "100.00", "100.00", "80.00", "10", "80.00%", "10"),
             ("其中：当年财政拨款", "100.00", "100.00", "80.00", "—", "—", "—")]
    res = check_text(build_project(GOOD, funds, total=("100", "100")))
    assert statuses(res, "project.budget_score") == ["mismatch"]
    # 9 for 10 × 86% = 8.60 is within it once rounded to the score's precision, and says so
    funds = [("年度资金总额", "100.00", "100.00", "86.00", "10", "86%", "9"),
             ("其中：当年财政拨款", "100.00", "100.00", "86.00", "—", "—", "—")]
    res = check_text(build_project(GOOD, funds, total=("100", "99")))
    f = next(f for f in res.findings if f.rule == "project.budget_score")
    assert (f.status, f.code) == ("consistent", "project.budget_score.rounded")


def test_a_fund_row_holding_the_whole_total_is_not_a_part_of_it(check_text):
    """046: the fund row's 分值 100 / 得分 98 are the form's 总分 and 总得分 written in the wrong row."""
    funds = [("年度资金总额", "100.00", "100.00", "80.00", "100", "80.00%", "98"),
             ("其中：当年财政拨款", "100.00", "100.00", "80.00", "—", "—", "—")]
    text = build_project(GOOD, funds).split("总分")[0]  # an excerpt: no 总分 line
    res = check_text(text)
    assert not statuses(res, "project.weights_total") and not statuses(res, "project.budget_score")
    assert statuses(res, "project.execution_rate") == ["consistent"]


@pytest.mark.parametrize("row,status,severity", [
    (("产出指标", "数量指标", "举办培训班期数", "≥10期", "8期", "30", "30", ""), "unverified", "warning"),  # missed, full marks: leniency
    (("产出指标", "数量指标", "举办培训班期数", "≥10期", "8期", "30", "20", ""), "unverified", "warning"),  # missed, no reason
    (("产出指标", "数量指标", "举办培训班期数", "≥10期", "8期", "30", "20", "场地受限"), "consistent", "info"),
    (("产出指标", "数量指标", "举办培训班期数", "≥10期", "12期", "30", "25", ""), "unverified", "warning"),  # met, lost marks
    (("产出指标", "时效指标", "平均办结时间", "≤5天", "4天", "30", "30", ""), "consistent", "info"),         # 反向 indicator
    (("产出指标", "时效指标", "平均办结时间", "≤5天", "6天", "30", "30", ""), "unverified", "warning"),
    (("产出指标", "数量指标", "建成站点数", "=4个", "4个", "30", "30", ""), "consistent", "info"),
    (("成本指标", "经济成本指标", "单位成本", "≤2万元", "18000元", "30", "30", ""), "consistent", "info"),  # 万元 vs 元
])
def test_target_against_score(check_text, row, status, severity):
    res = check_text(build_project([row] + GOOD[1:], total=("100", "99.5")))
    f = next(f for f in res.findings if f.rule == "project.target" and f.indicator == "I1")
    assert (f.status, f.severity) == (status, severity)


def test_low_rate_needs_a_reason(check_text):
    funds = [("年度资金总额", "100.00", "100.00", "80.00", "10", "80.00%", "8.00"),
             ("其中：当年财政拨款", "100.00", "100.00", "80.00", "—", "—", "—")]
    res = check_text(build_project(GOOD, funds, total=("100", "98")))
    assert statuses(res, "project.low_rate") == ["unverified"]


def test_narrative_against_indicators_with_unit_conversion(check_text):
    rows = [("成本指标", "经济成本指标", "隐患整改资金", "=45600元", "45600元", "30", "30", "")] + GOOD[1:]
    res = check_text(build_project(rows, result="投入隐患整改资金4.56万元。", total=("100", "99.5")))
    assert res.verdicts["I1"].status == "consistent"
    res = check_text(build_project(rows, result="投入隐患整改资金5.46万元。", total=("100", "99.5")))
    assert res.verdicts["I1"].status == "mismatch"


def test_glued_cells_are_split_or_reported(check_text):
    glued = [("产出指标", "数量指标", "举办培训班期数", "≥10期", "12期30", "30", "", "")] + GOOD[1:]
    res = check_text(build_project(glued, total=("100", "99.5")))
    ind = res.report.indicators[0]
    assert (ind.value, ind.score.value) == (12, 30) and not res.report.warnings
    unreadable = [("产出指标", "数量指标", "举办培训班期数", "≥10期", "12期3030", "", "", "")] + GOOD[1:]
    res = check_text(build_project(unreadable, total=("100", "99.5")))
    assert res.report.indicators[0].value == 12 and res.report.warnings
    assert not [f for f in res.mismatches if f.rule.startswith("project.") and f.rule != "project.target"]


def test_variant_is_named_by_its_template(check_text):
    from pipeline import api

    res = api.check_path(PROJECT / "rural_water_2023.txt")
    assert res.report.template == "project_provincial" and res.report.kind == "project"
    assert res.mismatches == []


def test_one_cell_per_line_reads_like_the_table():
    from pipeline import api

    res = api.check_path(PROJECT / "library_2022_one_cell_per_line.txt")
    assert [(i.level1, i.level2, i.name, i.value, i.weight.value, i.score.value) for i in res.report.indicators][:2] == [
        ("产出指标", "数量指标", "接待读者人次", 286000, 20, 20), ("产出指标", "数量指标", "举办阅读推广活动场次", 120, 20, 20)]
    assert res.mismatches == []


def test_a_pdf_copy_with_wrapped_cells_reads_like_the_table():
    """Copied from a PDF viewer: narrow header cells wrapped over two lines (年初 / 预算数, 实际 /
    完成值) and a level's name too (社会效益 / 指标), rows left for more indicators (指标3, ……),
    blank cells absent, a numbering glued to its name (指标1设备按期到位率). A row with a cell
    missing mid-way keeps its target and guesses nothing after it; the last row, cut off by the
    excerpt, is read from the left."""
    from pipeline import api

    res = api.check_path(PROJECT / "clinic_equipment_2021_wrapped_cells.txt")
    b = res.report.budget
    assert (b.initial.value, b.adjusted.value, b.actual.value, b.completion_rate.value) == (120, 120, 108, 90)
    got = [(i.level2, i.name, i.target_raw, i.value, i.unit, i.weight and i.weight.value, i.score and i.score.value)
           for i in res.report.indicators]
    assert got == [
        ("数量指标", "更新诊疗设备台数", "46台", 46, "台", 20, 20),
        ("数量指标", "开展操作培训期数", "12期", 12, "期", 10, 10),
        ("质量指标", "设备验收合格率", "100%", None, None, None, None),  # 完成值 or 分值 blank: not guessed
        ("时效指标", "设备按期到位率", "100%", 100, "%", 10, 10),
        ("社会效益指标", "卫生院服务能力", "提升", None, None, 10, 10),
        ("服务对象满意度指标", "就诊群众满意度", "≥90%", 95, "%", None, None),
    ]
    assert res.mismatches == []


def test_a_merged_header_cell_and_the_rows_below_the_table():
    """A flattened page prints a merged header cell (年度预算数（万元） over 年初预算 | 调整后预算数 |
    预算执行数) in the row, so the figures below start one cell earlier; and the rows the form puts
    under its indicators (合计, 评价结论, 项目负责人) are no indicators."""
    from pipeline import api

    res = api.check_path(PROJECT / "legal_aid_2023_merged_header.txt")
    b = res.report.budget
    assert (b.initial.value, b.adjusted.value, b.actual.value, b.completion_rate.value) == (40, 45, 43.2, 96)
    assert [(i.name, i.value, i.unit) for i in res.report.indicators] == [
        ("办理法律援助案件数", 326, "件"), ("开展普法宣传活动场次", 18, "场"), ("受援群众满意度", 95, "%")]
    assert res.mismatches == []


def test_one_cell_per_line_threshold_is_a_setting():
    """rules.toml [form]: with more filled rows required than the export has, it is not restacked."""
    from pipeline import api

    path = PROJECT / "library_2022_one_cell_per_line.txt"
    strict = api.check_path(path, {"rules": {"form": {"stream_min_rows": 100_000}}})
    assert strict.report.indicators == [] and strict.fingerprint != api.check_path(path).fingerprint


def test_traditional_scraped_page_with_pinyin():
    from pipeline import api

    res = api.check_path(PROJECT / "street_lighting_2023_traditional.txt")
    assert res.report.title == "2023年度项目绩效自评表" and res.report.year == 2023
    assert [f.rule for f in res.mismatches] == ["indicator.narrative"]
    assert res.report.warnings and "98%1010" in res.report.warnings[0]


# -- the 预期目标 cell: what was planned, checked within itself, never against what was done ----------

PLAN = "计划举办培训班10期，申请预算资金100万元，其中：师资费60万元，场地费40万元。"


def test_the_plan_cell_is_a_section_of_its_own(check_text):
    res = check_text(build_project(GOOD, plan=PLAN, result="全年举办培训班12期，参训人员合格率95%，满意度96%。",
                                   total=("100", "99.5")))
    plans = [s for s in res.report.sections if s.kind == "plan"]
    assert [s.name for s in plans] == ["年度总体目标 预期目标"] and "申请预算资金100万元" in plans[0].text
    planned = [c for c in res.claims if c.section == plans[0].name]
    assert [(c.value, c.unit) for c in planned] == [(10, "期"), (100, "万元"), (60, "万元"), (40, "万元")]
    # 10期 planned and 12期 held are two statements: the indicator rests on what was done
    v = res.verdicts[res.report.indicators[0].id]
    assert v.status == "consistent" and [c.value for c in res.claims if c.id in v.evidence] == [12]
    assert res.mismatches == []


def test_a_planned_figure_supports_no_indicator(check_text):
    """12期 planned says nothing of the 12期 held: with no figure of what was done the indicator is unverified."""
    res = check_text(build_project(GOOD, plan="计划举办培训班12期。", result="全年完成各项任务。", total=("100", "99.5")))
    assert res.verdicts[res.report.indicators[0].id].status == "unverified"


@pytest.mark.parametrize("plan,status", [
    ("申请预算资金100万元，其中：师资费60万元，场地费40万元。", "consistent"),
    ("申请预算资金100万元，其中：师资费70万元，场地费40万元。", "mismatch"),
])
def test_the_plans_parts_do_not_exceed_its_total(check_text, plan, status):
    res = check_text(build_project(GOOD, plan=plan, total=("100", "99.5")))
    assert [f.status for f in res.findings if f.rule == "narrative.parts"] == [status]


def test_plan_and_result_side_by_side_in_a_flattened_row(check_text):
    """A page flattened into lines keeps the two cells of the target block, without the blank under its label."""
    text = build_project(GOOD, total=("100", "99.5")).replace(
        "年度总体目标\t预期目标\t\t\t实际完成情况\t\t\t\n\t完成年度任务。\t\t\t<p>全年完成各项任务。</p>\t\t\t",
        f"年度总体目标\t预期目标\t实际完成情况\n{PLAN}\t全年举办培训班12期，项目资金95万元。")
    res = check_text(text)
    kinds = {s.kind: s.text for s in res.report.sections}
    assert set(kinds) == {"goal", "plan"}
    assert "项目资金95万元" in kinds["goal"] and "申请预算资金100万元" in kinds["plan"]


def test_a_plan_and_its_outcome_may_differ(check_text):
    """40万元 planned for a thing and 38万元 spent on it are two statements, not one restated."""
    res = check_text(build_project(GOOD, plan="安排教师培训场地租赁经费40万元。", result="教师培训场地租赁经费38万元。",
                                   total=("100", "99.5")))
    assert not [f for f in res.findings if f.rule == "narrative.restated"]


# -- the project's funds stated as a whole in its own target cells ---------------------------------

@pytest.mark.parametrize("result,status", [
    ("项目资金95万元，用于举办培训班。", "consistent"),        # the amount executed
    ("本项目资金100万元。", "consistent"),                     # the budget
    ("全年使用资金950000元。", "consistent"),                  # in 元 against the table's 万元
    ("项目资金85万元，用于举办培训班。", "mismatch"),          # none of the table's figures
    ("共完成预算资金105万元。", "mismatch"),
])
def test_the_projects_funds_stated_as_a_whole_are_the_fund_tables(check_text, result, status):
    res = check_text(build_project(GOOD, result=result, total=("100", "99.5")))
    assert [f.status for f in res.findings if f.rule == "project.prose_funds"] == [status]


def test_a_part_of_the_funds_is_not_their_whole(check_text):
    res = check_text(build_project(GOOD, result="项目资金95万元，其中培训资金85万元。", total=("100", "99.5")))
    assert [f.status for f in res.findings if f.rule == "project.prose_funds"] == ["consistent"]


def test_a_planned_budget_against_the_sources_when_the_total_row_is_off(check_text):
    funds = [("年度资金总额", "0", "0", "0", "10", "0", "0"),
             ("其中：当年财政拨款", "90", "89.974", "89.974", "—", "—", "—")]
    ok = check_text(build_project(GOOD, funds, plan="本项目共申请预算资金90万元。", total=("100", "90")))
    assert [f.status for f in ok.findings if f.rule == "project.prose_funds"] == ["consistent"]
    bad = check_text(build_project(GOOD, funds, plan="本项目共申请预算资金95万元。", total=("100", "90")))
    f = next(f for f in bad.findings if f.rule == "project.prose_funds")
    assert (f.status, f.code, f.reported) == ("mismatch", "project.prose_funds.any", 95)
    from pipeline.output.messages import finding_message

    assert finding_message(f) == ("叙述中的“本项目共申请预算资金95万元”是项目资金的总数，却与资金表中的任何一个数都不符"
                                  "（年初预算数0、年初预算数90、全年预算数0、全年预算数89.974、全年执行数0、全年执行数89.974万元）")
    assert "none of the fund table's figures" in finding_message(f, "en")


# -- a money indicator whose target is the budget: the project's funds themselves ------------------

FUNDS_729 = [("年度资金总额", "7.29", "7.29", "7.29", "10", "100%", "10"),
             ("其中：当年财政拨款", "7.29", "7.29", "7.29", "—", "—", "—")]


@pytest.mark.parametrize("target,actual,status", [
    ("=72890元", "72890元", "consistent"),   # 7.289万元 is the table's 7.29, to its two decimals
    ("=7.29万元", "7.29万元", "consistent"),
    ("=72890元", "62890元", "mismatch"),     # 6.289万元 is no figure of the table
    ("≥72890元", "62890元", None),           # a threshold, not the funds themselves
    ("=50000元", "40000元", None),           # a target that is not the budget measures something else
])
def test_a_money_indicator_whose_target_is_the_budget(check_text, target, actual, status):
    rows = [("产出指标", "数量指标", "巡查补助经费", target, actual, "10", "10", "")] + GOOD[1:]
    res = check_text(build_project(rows, FUNDS_729, total=("70", "70")))
    assert [f.status for f in res.findings if f.rule == "project.funds_indicator"] == ([status] if status else [])


def test_a_cost_indicator_is_left_to_the_cost_rule(check_text):
    rows = [("成本指标", "经济成本指标", "巡查补助经费", "=72890元", "62890元", "10", "10", "")] + GOOD[1:]
    res = check_text(build_project(rows, FUNDS_729, total=("70", "70")))
    assert not [f for f in res.findings if f.rule == "project.funds_indicator"]
    assert [f.status for f in res.findings if f.rule == "project.cost"] == ["consistent"]


def test_a_fund_cell_with_too_many_digits_before_wan_is_unreadable_not_a_crash():
    from pipeline import api
    from pipeline.read import read_bytes

    text = build_project([("产出指标", "数量指标", "培训人次", "≥100人次", "120人次", "10", "10", "")],
                         funds=[("年度资金总额", "100.00", "1111111111111111111万", "95.00", "10", "95.00%", "9.50"),
                                ("其中：当年财政拨款", "100.00", "100.00", "95.00", "—", "—", "—")])
    result = api.check_document(read_bytes(text.encode(), "digits.txt"))
    total = next(f for f in result.report.funds if f.total)
    assert total.budget is None and total.executed.value == 95.0
    assert any("1111111111111111111万" in w for w in result.report.warnings)  # said, not guessed


def test_a_form_that_counts_the_budget_score_outside_its_total(check_text):
    """产出 50 and 效益 50 make the 总分 100 by themselves, and the fund row's 分值 10 comes on
    top: this form keeps the budget's score outside its 总分 (for the 得分 too), no mismatch.
    The same fund row under indicators of 40 and 40 falls short either way: a mismatch."""
    outside = [("产出指标", "数量指标", "举办培训班期数", "≥10期", "12期", "50", "50", ""),
               ("效益指标", "社会效益指标", "培训人次", "≥500人次", "620人次", "50", "50", "")]
    res = check_text(build_project(outside, result="全年举办培训班12期，培训620人次。", total=("100", "100")))
    assert not [f for f in res.findings if f.rule in ("project.weights_total", "project.score_total") and f.status == "mismatch"]
    short = [r[:5] + ("40", "40", "") for r in outside]
    res = check_text(build_project(short, result="全年举办培训班12期，培训620人次。", total=("100", "100")))
    assert [f.rule for f in res.findings if f.status == "mismatch"] == ["project.weights_total", "project.score_total"]


def test_a_numeric_target_with_a_blank_achieved_value_is_unverified(check_text):
    """A 完成值 left blank under a numeric target: a figure to check and none stated (unverified,
    saying so), not a qualitative indicator; a qualitative target stays qualitative."""
    rows = [GOOD[0], ("效益指标", "社会效益指标", "参训人员合格率", "≥90%", "", "30", "30", ""),
            ("满意度指标", "服务对象满意度指标", "群众评价", "良好", "", "30", "30", "")]
    res = check_text(build_project(rows, result="全年举办培训班12期。"))
    got = [(i.name, res.verdicts[i.id].status, res.verdicts[i.id].code) for i in res.report.indicators]
    assert got == [("举办培训班期数", "consistent", "indicator.exact"),
                   ("参训人员合格率", "unverified", "indicator.no_actual"),
                   ("群众评价", "qualitative", "indicator.qualitative")]
