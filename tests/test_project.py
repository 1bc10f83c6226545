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
