"""Narrative 自评报告: sections under headings, arithmetic the prose states."""
import pytest

from pipeline import errors
from conftest import NARRATIVE

REPORT = """2024年度测试区测试局部门整体支出绩效自评报告
一、基本情况
本局下设事业单位3个：甲中心、乙中心和丙站。
二、资金情况
年初预算500万元，其中财政拨款300万元、其他资金200万元。调整后预算520万元，实际支出494万元，预算执行率95.00%。
三、绩效目标完成情况
（一）产出指标
全年开展培训20期。重点项目预算120万元，执行数86.4万元，完成预算的72.00%。
"""


def findings(check_text, text):
    res = check_text(text)
    return res, {(f.rule, f.status) for f in res.findings}


def test_clean_report(check_text):
    res, got = findings(check_text, REPORT)
    assert res.report.template == "narrative" and res.report.year == 2024
    assert [s.name for s in res.report.sections] == ["基本情况", "资金情况", "产出指标"]
    assert res.mismatches == []
    assert got >= {("narrative.members", "consistent"), ("narrative.parts", "consistent"),
                   ("budget.completion_rate", "consistent"), ("narrative.execution_rate", "consistent")}
    b = res.report.budget
    assert (b.initial.value, b.adjusted.value, b.actual.value, b.completion_rate.value) == (500, 520, 494, 95.0)


@pytest.mark.parametrize("find,replace,rule", [
    ("其他资金200万元", "其他资金210万元", "narrative.parts"),
    ("事业单位3个", "事业单位4个", "narrative.members"),
    ("完成预算的72.00%", "完成预算的78.00%", "narrative.execution_rate"),
    ("预算执行率95.00%", "预算执行率92.00%", "budget.completion_rate"),
])
def test_each_narrative_rule(check_text, find, replace, rule):
    res, got = findings(check_text, REPORT.replace(find, replace))
    assert [f.rule for f in res.mismatches] == [rule]


def test_members_is_a_warning(check_text):
    res, _ = findings(check_text, REPORT.replace("事业单位3个", "事业单位4个"))
    assert res.mismatches[0].severity == "warning"


@pytest.mark.parametrize("sentence,status", [
    ("内设机构7个：办公室、政治处、法治调研科、普法与依法治理科、人民参与和促进法治科、公共法律服务管理科、社区矫正管理科。",
     "consistent"),                                                       # 与/和 inside a unit's name
    ("内设机构4个：办公室、规划与建设股、财务股。", "mismatch"),
])
def test_a_word_inside_a_unit_name_does_not_split_it(check_text, sentence, status):
    res = check_text("某某县司法局2023年度部门整体支出绩效自评报告\n一、基本情况\n" + sentence + "\n")
    assert [f.status for f in res.findings if f.rule == "narrative.members"] == [status]


def test_open_lists_are_not_counted(check_text):
    res, _ = findings(check_text, REPORT.replace("甲中心、乙中心和丙站", "甲中心、乙中心等单位"))
    assert not [f for f in res.findings if f.rule == "narrative.members"]


@pytest.mark.parametrize("sentence,status", [
    ("由县文化馆、县图书馆、县博物馆3家下属单位负责实施。", "consistent"),
    ("由县文化馆、县图书馆、县博物馆5家下属单位负责实施。", "mismatch"),   # three names for 5家
    ("由县文化馆、县图书馆等5家下属单位负责实施。", None),                 # 等: an open list
    ("县文化馆、县图书馆共5家单位负责实施。", None),                       # 共: a total of what they name
    ("乡镇卫生院、村卫生室32家单位负责实施。", None),                      # kinds of what is counted
    ("县文化馆、县图书馆各2名工作人员负责实施。", None),                   # 各: so many each
    ("由县住房和城乡建设局、县自然资源局2家单位负责实施。", "consistent"), # 和 inside one unit's name
    ("由县文化馆、县图书馆和县博物馆4家下属单位负责实施。", "mismatch"),   # 和 between two names
    ("完成新建、改建3条道路。", None),                                    # no units: what was done to them
    ("完成县城、乡镇4个站点建设。", None),
])
def test_names_listed_before_a_count(check_text, sentence, status):
    head = "某某县文化和旅游局2023年度项目支出绩效自评报告\n一、基本情况\n"
    res = check_text(head + sentence + "全年开展文化活动12场。\n")
    got = [(f.status, f.code) for f in res.findings if f.rule == "narrative.members"]
    assert got == ([] if status is None else [(status, "narrative.members.before")])


@pytest.mark.parametrize("sentence,status", [
    ("本项目对全县5宗（东坑、湖仔洋、迈往、新市、上湾塘）水库实施除险加固。", "consistent"),
    ("本项目对全县6宗（东坑、湖仔洋、迈往、新市、上湾塘）水库实施除险加固。", "mismatch"),
    ("馆藏档案共5000卷（册、盘、盒、件），均已数字化。", None),          # the units the count is in
    ("核定行政编制39名（含领导职数、专项编制），实有37名。", None),       # a note of what it includes
    ("核定行政编制39名（领导职数、专项编制），实有37名。", None),         # kinds of what it counts
    ("核定编制5名（行政编制、事业编制、工勤编制）。", None),
    ("配备专职人员6名（县级、乡级、村级）。", None),
    ("涉及部门2个（县住房和城乡建设局、县自然资源局）。", None),          # too few to tell from kinds
])
def test_a_count_with_its_names_in_brackets(check_text, sentence, status):
    res = check_text("某某县水务局2023年度项目支出绩效自评报告\n一、基本情况\n" + sentence + "\n")
    got = [f.status for f in res.findings if f.rule == "narrative.members"]
    assert got == ([] if status is None else [status])


def test_wrapped_lines_are_joined(check_text):
    wrapped = REPORT.replace("调整后预算520万元，", "调整后预\n算520万元，")
    res, _ = findings(check_text, wrapped)
    assert res.report.budget.adjusted.value == 520


@pytest.mark.parametrize("sentence,field,value", [
    ("实际下达预算520万元，全年度实际总支出494万元，预算执行率95.00%。", "adjusted", 520),
    ("实际下达预算520万元，全年度实际总支出494万元，预算执行率95.00%。", "actual", 494),
    ("指标金额是110万元，实际拨付金额是108万元。", "adjusted", 110),
    ("指标金额是110万元，实际拨付金额是108万元。", "received", 108),
    # 下达预算 and 指标金额 name the budget only as the whole subject: an addition or a part is not it
    ("年初预算100万元，年中追加下达预算20万元，调整后预算120万元，实际支出108万元。", "adjusted", 120),
    ("下达中央指标金额50万元、省级指标金额30万元，调整后预算80万元。", "adjusted", 80),
])
def test_budget_words_of_other_provinces(check_text, sentence, field, value):
    """下达预算 (the budget as issued), 指标金额 (Guangdong's word for it), 实际总支出 and
    实际拨付金额 (the funds paid over to the unit) fill the budget block as 调整后预算 does."""
    res = check_text("2023年度某某县司法局项目支出绩效自评报告\n一、资金情况\n" + sentence + "\n")
    assert getattr(res.report.budget, field).value == value


def test_text_that_is_no_report(check_text):
    with pytest.raises(errors.NotAReport):
        check_text("会议通知\n请各位同事于周五下午三点到三楼会议室开会。\n")


def test_fixture_reports():
    from pipeline import api

    bad = api.check_path(NARRATIVE / "agriculture_2023_report.txt")
    assert sorted(f.rule for f in bad.mismatches) == ["narrative.members", "narrative.parts"]
    assert api.check_path(NARRATIVE / "library_2022_report.txt").mismatches == []


EMBEDDED = """2023年度社区托育服务项目自评报告
一、项目基本情况
本项目年初预算80万元，全年支出78万元。
二、绩效目标完成情况
全年新增托位120个，开展育儿指导活动24场，家长满意度96%。具体完成情况如下表：
{table}
三、存在的问题
部分托育点师资不足，下一步将加强培训。
"""
CELLS = ["一级指标", "二级指标", "指标名称", "目标值", "实际完成值",
         "产出指标", "数量指标", "新增托位数", "100个", "120个",
         "产出指标", "数量指标", "育儿指导活动场次", "20场", "{sessions}",
         "满意度指标", "服务对象满意度指标", "家长满意度", "≥90%", "96%"]


@pytest.mark.parametrize("layout", ["one cell per line", "rows"])
def test_a_key_indicator_table_inside_the_report(check_text, layout):
    """Its rows are the report's indicators, checked against the prose they stand in; its cells
    are no claims of the prose; the text after it stays the report's."""
    def report(sessions: str) -> str:
        cells = [c.replace("{sessions}", sessions) for c in CELLS]
        table = "\n".join(cells) if layout == "one cell per line" else \
            "\n".join("\t".join(cells[k:k + 5]) for k in range(0, len(cells), 5))
        return EMBEDDED.format(table=table)

    res = check_text(report("24场"))
    assert [(i.name, i.value, res.verdicts[i.id].status) for i in res.report.indicators] == [
        ("新增托位数", 120, "consistent"), ("育儿指导活动场次", 24, "consistent"), ("家长满意度", 96, "consistent")]
    assert [c.value for c in res.claims] == [80, 78, 120, 24, 96]
    assert res.report.sections[-1].name == "存在的问题"
    res = check_text(report("30场"))
    assert [res.verdicts[i.id].status for i in res.report.indicators] == ["consistent", "mismatch", "consistent"]


def test_the_year_is_the_one_the_report_is_of_not_the_page_date(check_text):
    """A mirror's page puts its publication date above the report (发布日期 2024-03-25): the year
    is the 年度 the report names; with none named, a page's date gives no year."""
    body = "一、基本情况\n全年举办培训班12期，培训620人次。\n二、绩效目标完成情况\n绩效自评得分95分。\n"
    res = check_text("发布日期：2024-03-25 09:30\n某某局2023年度部门整体支出绩效自评报告\n" + body)
    assert res.report.year == 2023
    res = check_text("时间:2024-06-12 13:25:38 自评报告\n项目绩效自评报告\n" + body)
    assert res.report.year is None
    # a report's own date (报告日期) is written after the year it reports on
    res = check_text("项目绩效评价自评报告\n报告日期:2020 年3 月 20 日\n项目起止时间2019年1月起至2019年12月止\n" + body)
    assert res.report.year == 2019


def test_the_title_and_department_are_the_report_own_not_the_page_furniture(check_text):
    """当前位置 / 来源 / 发布日期 around the title are the mirror's; the department is the unit
    the title names before its year (县档案局2023年度…), before a project's name (…图书馆免费开放
    项目), and none when the title names no unit (农村项目绩效自评报告)."""
    body = "一、基本情况\n全年举办培训班12期，培训620人次。\n"
    res = check_text("当前位置: 首页 / 政务公开 / 绩效评价 / 稿件页\n某某县档案局2023年度部门整体支出绩效自评报告来源: 某某县财政局\n" + body)
    assert res.report.title.endswith("某某县档案局2023年度部门整体支出绩效自评报告")
    assert res.report.department == "某某县档案局"
    res = check_text("2022年度南湖区文化馆免费开放项目绩效自评报告\n" + body)
    assert res.report.department == "南湖区文化馆"
    res = check_text("农村项目绩效自评报告时间:2023-02-25 17:30:11\n" + body)
    assert (res.report.title, res.report.department) == ("农村项目绩效自评报告", None)
    # a page's data lines above the title, one with an empty value (- 文号:)
    res = check_text("预算绩效管理\n- 索引号: abc/2025-00002\n- 发布机构: 某某州数据中心\n- 文号:\n- 发布日期: 2025-04-29\n"
                     "某某州数据中心2024年度项目支出绩效单位自评报告\n" + body)
    assert (res.report.title, res.report.department) == ("某某州数据中心2024年度项目支出绩效单位自评报告", "某某州数据中心")
    # a data line that gives the title is the title's
    res = check_text("报告名称：某某县民政局2023年度项目支出绩效自评报告\n" + body)
    assert res.report.title == "某某县民政局2023年度项目支出绩效自评报告"


def test_review_cases_of_year_department_and_an_embedded_table_after_blank_rows(check_text):
    body = "一、基本情况\n承接2022年度结转项目，全年举办培训班12期，培训620人次。\n"
    res = check_text("测试县民政局2023年部门整体支出绩效自评报告\n" + body)
    assert (res.report.year, res.report.department) == (2023, "测试县民政局")
    res = check_text("东岗区民政局社会救助项目绩效自评报告\n" + body)
    assert res.report.department == "东岗区民政局"
    cells = [c.replace("{sessions}", "24场") for c in CELLS]
    res = check_text(EMBEDDED.format(table="\n".join(cells)).replace("一、项目基本情况", "|\n|\n一、项目基本情况"))
    assert res.report.sections[-1].name == "存在的问题" and [c.value for c in res.claims] == [80, 78, 120, 24, 96]


@pytest.mark.parametrize("head,department", [
    # cells run together: the name ends right before the next field's label
    ("项目名称水毁工程修复主管部门青溪县水利局实施单位青溪县水利局资金情况(万元)", "青溪县水利局"),
    ("主管部门及代码青溪县人民政府城关街道办事处实施单位:青溪县城关街道城市服务中心", "青溪县人民政府城关街道办事处"),
    # a label, its stamp note and a colon; the name ends with the run
    ("填报单位(盖章):青溪县城关镇人民政府 项目名称 镇域道路养护", "青溪县城关镇人民政府"),
    ("项目单位 青溪县民政局\n主管部门\n", "青溪县民政局"),
    # a masked name, a blank field before the next label, a name no organisation's ending closes
    ("主管部门:××县××局 实施单位:××中心", None),
    ("主管部门\t\t实施单位\t青溪县水利站", None),
    ("主管部门青溪县某某项目负责人", None),
    # prose naming the field is no field; a note after the name ends it
    ("本项目主管部门为青溪县教育局。", None),
    ("项目资金经主管部门审核后报送县财政局。", None),
    ("项目单位：青溪县民政局（盖章）", "青溪县民政局"),
])
def test_department_from_the_form_head_fields(head, department):
    from pipeline.form.common import department_from_fields
    from pipeline.settings import Settings

    h = Settings.resolve(None).template("narrative").group("heading")
    assert department_from_fields(head, h) == department


def test_a_report_whose_title_names_no_unit_takes_it_from_the_head_fields(check_text):
    res = check_text("优抚对象慰问项目绩效自评报告\n项目单位 青溪县退役军人事务局\n一、基本情况\n全年慰问优抚对象612人次。\n")
    assert res.report.department == "青溪县退役军人事务局"


@pytest.mark.parametrize("title,short", [
    # a form's head run together: the title pattern's run, its 年度 note, no list number
    ("1、项目支出绩效自评表(2021年度)项目名称社区图书室运行经费主管部门东岗区文化和旅游局实施单位东岗区图书馆项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分",
     "项目支出绩效自评表(2021年度)"),
    ("现已完成2022年衔接资金项目绩效目标自评,意见收集人:某某联系电话:0000-1234567附件:2022年财政衔接资金实施项目绩效自评表青溪县水利局2022年12月30日",
     "2022年财政衔接资金实施项目绩效自评表"),
    ("青溪县文化和旅游局2023年度部门整体支出绩效自评报告", "青溪县文化和旅游局2023年度部门整体支出绩效自评报告"),
])
def test_a_title_as_long_as_a_title_is(title, short):
    from pipeline.form.common import short_title
    from pipeline.settings import Settings

    assert short_title(title, Settings.resolve(None)) == short


def test_a_long_title_with_no_title_in_it_is_cut():
    from pipeline.form.common import short_title
    from pipeline.settings import Settings

    byline = "编辑: 某某；2019-07-11 20分)项目决策(10分)科学决策必要性 (政策依据)5 5 可行性 (政策完善)5 5 (10 ) 绩效目标明确性5 5 合理性5 5 资金分配3 3"
    short = short_title(byline, Settings.resolve(None))
    assert short.endswith("…") and byline.startswith(short[:-1]) and len(short) < len(byline)


def test_an_attachment_title_names_its_own_money_unit(check_text):
    res = check_text("某某县档案馆2023年部门整体支出绩效自评报告\n附件：\n附件6 某某县档案馆2023年收入支出决算表(单位:元)\n"
                     "一、基本情况\n年初预算120万元，实际支出118万元。\n")
    assert res.report.money_unit == "万元"
