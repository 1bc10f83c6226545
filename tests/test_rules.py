"""Every rule on its own, on small reports built for it."""
import pytest

from pipeline.check import budget as budget_rules
from pipeline.model import Budget, Figure
from pipeline.output.messages import verdict_note
from pipeline.quantity import parse_figure
from pipeline.settings import Settings
from conftest import build_department


def fig(s):
    return parse_figure(s)


def budget(adjusted, initial, actual, adjustment, rate, adj_rate):
    return Budget(initial=fig(initial), adjusted=fig(adjusted), actual=fig(actual), adjustment=fig(adjustment),
                  completion_rate=fig(rate), adjustment_rate=fig(adj_rate))


def statuses(findings):
    return {f.rule: f.status for f in findings}


# ---- budget arithmetic, with the form's own rounding
def test_budget_consistent_with_rounding():
    b = budget("2318.88", "2439.77", "2237.54", "-120.89", "96.5%", "-5.0%")
    assert statuses(budget_rules.check(b, "万元", Settings.resolve(None))) == {
        "budget.adjustment": "consistent", "budget.completion_rate": "consistent",
        "budget.adjustment_rate": "consistent"}


@pytest.mark.parametrize("field,value,rule", [
    ("adjustment", "-102.89", "budget.adjustment"),
    ("completion_rate", "95.6%", "budget.completion_rate"),
    ("adjustment_rate", "-3.0%", "budget.adjustment_rate"),
    ("actual", "2337.54", "budget.completion_rate"),
])
def test_budget_mismatch(field, value, rule):
    b = budget("2318.88", "2439.77", "2237.54", "-120.89", "96.5%", "-5.0%")
    setattr(b, field, fig(value))
    found = statuses(budget_rules.check(b, "万元", Settings.resolve(None)))
    assert found[rule] == "mismatch"
    assert list(found.values()).count("mismatch") == 1


def test_truncated_rate_is_accepted():
    # 99.26% written as 99.2 (truncated) is the form's rounding, not an error
    b = budget("45210.80", "41800.00", "44876.35", "3410.80", "99.2%", "8.1%")
    assert set(statuses(budget_rules.check(b, "万元", Settings.resolve(None))).values()) == {"consistent"}


def test_budget_part_exceeds_total():
    b = budget("100.00", "100.00", "90.00", "0.00", "90.0%", "0.0%")
    b.parts.append(("其中:一般公共预算", Figure(95.0, "95.00", 2)))
    assert statuses(budget_rules.check(b, "万元", Settings.resolve(None)))["budget.part"] == "mismatch"


@pytest.mark.parametrize("received,actual,balance,status", [
    ("1208.75", "991.51", "217.24", "consistent"),
    ("170", "179.6", "0", "mismatch"),       # spent beyond the funds received, nothing said of it
    (None, "80.25", "6.25", "consistent"),   # no 实际到位资金: what was planned less what was spent
])
def test_the_balance_is_what_came_in_less_what_was_spent(received, actual, balance, status):
    b = Budget(adjusted=fig("86.5" if received is None else received), received=fig(received),
               actual=fig(actual), balance=fig(balance))
    assert statuses(budget_rules.check(b, "万元", Settings.resolve(None))) == {"budget.balance": status}


def test_missing_figures_make_no_check():
    assert budget_rules.check(Budget(), "万元", Settings.resolve(None)) == []


# ---- key indicators against the narrative
def verdict(check_text, narrative, indicator, value):
    res = check_text(build_department([("测试任务", narrative, [(indicator, value)])]))
    return res.verdicts["I1"], res


@pytest.mark.parametrize("narrative,indicator,value,status", [
    ("全年举办培训班12期。", "举办培训班期数", "12期", "consistent"),          # exact
    ("全年举办培训班12期。", "举办培训班期数", "14期", "mismatch"),
    ("开展讲座3场、宣讲5场、培训4场。", "宣讲培训讲座场次", "12场", "consistent"),  # sum of listed parts
    ("开展讲座3场、宣讲5场、培训4场。", "宣讲培训讲座场次", "15场", "mismatch"),
    ("收集群众意见230多条。", "收集群众意见条数", "234条", "consistent"),      # within 多
    ("收集群众意见230多条。", "收集群众意见条数", "264条", "mismatch"),
    ("服务群众约5000人次。", "服务群众人次", "5100人次", "consistent"),        # 约 within 5%
    ("开展执法检查48次。", "执法检查场次", "48场", "consistent"),               # 场 vs 次
    ("投入资金4.56万元。", "投入资金", "45600元", "consistent"),                # 万元 vs 元
    ("群众满意率达到97%。", "群众满意度", "≥95%", "consistent"),               # comparator
    ("开展执法检查48次。", "普法宣传活动次数", "20次", "unverified"),          # nothing about it
    ("开展执法检查48次。", "执法效果", "良好", "qualitative"),
])
def test_indicator_status(check_text, narrative, indicator, value, status):
    v, _ = verdict(check_text, narrative, indicator, value)
    assert v.status == status, verdict_note(v)


def test_subset_does_not_contradict_total(check_text):
    text = "共收到建议190件，其中围绕产业发展提交建议41件。"
    v, res = verdict(check_text, text, "收到建议件数", "190件")
    assert v.status == "consistent"
    v, _ = verdict(check_text, text.replace("41件", "43件"), "收到建议件数", "190件")
    assert v.status == "consistent"


def test_subset_can_support_its_own_indicator(check_text):
    v, _ = verdict(check_text, "累计签约居民5.2万人，其中重点人群签约3.1万人。", "重点人群签约人数", "3.1万人")
    assert v.status == "consistent"
    v, _ = verdict(check_text, "累计签约居民5.2万人，其中重点人群签约3.1万人。", "重点人群签约人数", "3.4万人")
    assert v.status == "mismatch"


def test_parts_do_not_hide_a_contradicting_total(check_text):
    v, _ = verdict(check_text, "受理法律援助案件462件，其中刑事案件138件、民事案件288件。", "法律援助案件受理数", "426件")
    assert v.status == "mismatch"


def test_mismatch_names_the_narrative_figure(check_text):
    v, res = verdict(check_text, "全年举办培训班12期。", "举办培训班期数", "14期")
    claims = {c.id: c for c in res.claims}
    assert [claims[c].value for c in v.evidence] == [12]
    assert "12期" in verdict_note(v) and "14期" in verdict_note(v)


# ---- narrative figures that must agree with each other
def narrative_findings(check_text, project):
    res = check_text(build_department([("测试任务", "开展培训3次。", [("培训次数", "3次")])], project=project))
    return [f for f in res.findings if f.rule.startswith("narrative.")]


def test_execution_rate(check_text):
    ok = narrative_findings(check_text, "项目全年预算为860.00万元，执行数为812.40万元，完成预算94.5%。")
    assert [(f.rule, f.status) for f in ok] == [("narrative.execution_rate", "consistent")]
    bad = narrative_findings(check_text, "项目全年预算为860.00万元，执行数为812.40万元，完成预算98.5%。")
    assert [(f.rule, f.status) for f in bad] == [("narrative.execution_rate", "mismatch")]


def test_amount_stated_twice(check_text):
    found = narrative_findings(check_text, "举办会议1次，共支出47.7万元。项目预算为47.7万元，执行数为45.7万元，完成预算100%。")
    got = {(f.rule, f.status) for f in found}
    assert ("narrative.repeated", "mismatch") in got
    assert ("narrative.execution_rate", "mismatch") in got


def test_parts_exceed_total(check_text):
    found = narrative_findings(check_text, "组织演出共计120次，其中送戏下乡72场、惠民演出56场。")
    assert [(f.rule, f.status, f.reported) for f in found] == [("narrative.parts", "mismatch", 128)]


def test_complete_parts_must_add_up(check_text):
    found = narrative_findings(check_text, "受理案件30件，其中刑事、民事案件分别为10件、15件。")
    assert [(f.rule, f.status) for f in found] == [("narrative.parts", "mismatch")]
    found = narrative_findings(check_text, "受理案件30件，其中刑事案件10件、民事案件15件。")
    assert [(f.rule, f.status) for f in found] == [("narrative.parts", "consistent")]


@pytest.mark.parametrize("narrative,value,status", [
    ("服务群众近9000人次。", "8800人次", "consistent"),
    ("服务群众近9000人次。", "199人次", "mismatch"),
    ("服务群众超过2万人次。", "2.6万人次", "consistent"),
    ("服务群众超过2万人次。", "9万人次", "mismatch"),
])
def test_open_ranges_support_values_near_their_bound(check_text, narrative, value, status):
    v, _ = verdict(check_text, narrative, "服务群众人次", value)
    assert v.status == status
