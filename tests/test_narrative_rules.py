"""Narrative arithmetic as a reviewer reads it: (text, rule, code or None, status) tables on
small texts. Each mismatch case has a twin that holds, so no rule passes by never firing."""
import pytest

from pipeline.check import narrative
from pipeline.model import Section
from pipeline.nlp.claims import extract
from pipeline.settings import Settings

SETTINGS = Settings.resolve(None)


def findings_of(text):
    found, _ = extract(Section("测试", "narrative", text), SETTINGS)
    return narrative.check(found, SETTINGS)


def statuses(text, rule):
    return [f.status for f in findings_of(text) if f.rule == rule]


# (text, rule, expected statuses of that rule, in order)
CASES = [
    # a 其中 after a balance divides the spending before it, not the balance; nor does last year's
    # figure a comparison names divide this year's parts
    ("实际支出1398.66万元，年末结转结余33.52万元。其中基本支出846.32万元，占实际支出的60.51%；项目支出552.34万元，占39.49%。",
     "narrative.share", ["consistent", "consistent"]),
    ("实际支出1398.66万元，年末结转结余33.52万元。其中基本支出846.32万元，占实际支出的62.51%；项目支出552.34万元，占39.49%。",
     "narrative.share", ["mismatch", "consistent"]),
    ("一般公共预算支出2845.7万元，较上年的2630.2万元增长8.19%。其中农林水支出1208.4万元，占42.46%。",
     "narrative.share", ["consistent"]),
    ("一般公共预算支出2845.7万元，较上年的2630.2万元增长8.19%。其中农林水支出1208.4万元，占45.94%。",
     "narrative.share", ["mismatch"]),
    # 分别占: the shares in the parts' order
    ("总投资4680万元，其中中央资金3120万元、省级资金936万元、区级配套资金624万元，分别占66.67%、20%、13.33%。",
     "narrative.share", ["consistent", "consistent", "consistent"]),
    ("总投资4680万元，其中中央资金3120万元、省级资金936万元、区级配套资金624万元，分别占66.67%、25%、13.33%。",
     "narrative.share", ["consistent", "mismatch", "consistent"]),
    # a fall however long its figure: 减少412.3万元 is last year's 10288.8
    ("支出总额9876.5万元，比上年减少412.3万元，下降4.01%。", "narrative.change", ["consistent"]),
    ("支出总额9876.5万元，比上年减少412.3万元，下降4.36%。", "narrative.change", ["mismatch"]),
    # a change in the sentence after a list changes the list's total, not its last part
    ("本年支出合计2268.94万元，其中基本支出1587.26万元，项目支出681.68万元。与上年相比，支出总额增加123.5万元，增长5.76%。",
     "narrative.change", ["consistent"]),
    ("本年支出合计2268.94万元，其中基本支出1587.26万元，项目支出681.68万元。与上年相比，支出总额增加123.5万元，增长22.13%。",
     "narrative.change", ["mismatch"]),
    # funds received before the items a spending total sums are no item of it
    ("医疗救助资金到位1250万元。资助金额823.5万元；救助金额412.3万元。合计支出1235.8万元。", "narrative.parts", ["consistent"]),
    ("医疗救助资金到位1250万元。资助金额823.5万元；救助金额412.3万元。合计支出1135.8万元。", "narrative.parts", ["mismatch"]),
    # a standard or an average among the items a total after them sums is none of them; 以上三项
    # makes the items the whole of it
    ("按每场演出补助1.2万元的标准，送戏补助资金384万元；放映补助按每场200元标准发放，计108万元；活动经费160.8万元，"
     "场均活动经费1,276.19元。以上三项支出合计652.8万元。", "narrative.parts", ["consistent"]),
    ("传承人补助20万元；进校园活动经费24万元，每场0.6万元；运行维护费34.4万元。以上三项合计78.4万元。",
     "narrative.parts", ["consistent"]),
    ("传承人补助20万元；进校园活动经费24万元，每场0.6万元；运行维护费34.4万元。以上三项合计88.4万元。",
     "narrative.parts", ["mismatch"]),
    # a daily average is no total of the year's parts
    ("热线全年受理168,000件，日均460.27件；其中咨询类10.08万件，占60%；求助类4.2万件，占25%；投诉类2.52万件，占15%。",
     "narrative.share", ["consistent", "consistent", "consistent"]),
    ("热线全年受理168,000件，日均460.27件；其中咨询类10.08万件，占65%；求助类4.2万件，占25%；投诉类2.52万件，占15%。",
     "narrative.share", ["mismatch", "consistent", "consistent"]),
    # a threshold with no upper bound holds any parts
    ("村集体经济收入全部达到10万元以上，其中50万元以上的村达到28个。", "narrative.parts", []),
    # a list its parts join with 、 ends at the ； after them
    ("筛查8000人，其中宫颈癌筛查5000人、乳腺癌筛查3000人；救助患病困难妇女42人。", "narrative.parts", ["consistent"]),
    ("筛查8000人，其中宫颈癌筛查5000人、乳腺癌筛查3500人；救助患病困难妇女42人。", "narrative.parts", ["mismatch"]),
    # parts whose own shares add up beyond 100% overlap (脱贫人口, 女性): no sum of them
    ("聘用护林员356名，其中脱贫人口312名，占87.64%；女性护林员58名，占护林员总数的16.29%。", "narrative.parts", []),
    # a named part's spending is no second statement of the whole's; a saving is no part
    ("全年实际支出1457.02万元，执行率98.16%。三公经费年初预算11.50万元，实际支出9.25万元。", "narrative.repeated", []),
    ("全年支出1361.25万元，预算执行率97.95%。其中项目支出预算420.00万元，实际支出398.76万元。", "narrative.repeated", []),
    ("三公经费实际支出9.25万元，其中公务接待费2.45万元，公务用车运行维护费6.80万元，因公出国（境）费0.00万元，“三公”经费节约2.25万元。",
     "narrative.parts", ["consistent"]),
    # households and people are summed apart
    ("保障低保对象1286户2143人，其中城市低保对象412户673人，农村低保对象874户1470人。", "narrative.parts", ["consistent"]),
    ("保障低保对象1286户2143人，其中城市低保对象412户673人，农村低保对象884户1470人。", "narrative.parts", ["mismatch"]),
    # the 其中 follows a figure of another measure: no total from the clause before it
    ("实现就业692人；开展职业技能培训8760人次，其中取得职业资格证书5128人。", "narrative.parts", []),
    # a change's brackets hold no parts
    ("优良中等路率达到85.6%，较上年提高2.3个百分点（上年为83.3%）。", "narrative.parts", []),
    # last year's figure named: the rate is the change over it
    ("本部门支出总计3478.92万元，比上年3215.60万元增加263.32万元，增长8.19%。", "narrative.change", ["consistent"]),
    ("本部门支出总计3478.92万元，比上年3215.60万元增加263.32万元，增长8.92%。", "narrative.change", ["mismatch"]),
    # two breakdowns of one whole (sex, age) overlap: no sum; one breakdown sums
    ("城镇新增就业4236人，其中女性2015人、35岁以下青年2680人。", "narrative.parts", []),
    ("城镇新增就业4236人，其中女性2015人、男性2321人。", "narrative.parts", ["mismatch"]),
    # the base of a rate after a figure is no part (4000人的105.9%)
    ("新增就业4236人，其中女性2015人，完成年度目标任务4000人的105.9%。", "narrative.parts", ["consistent"]),
    # rates of the parts do not add up to the whole's rate
    ("全年预算执行率97.13%，其中基本支出执行率99.64%、项目支出执行率93.19%。", "narrative.parts", []),
    # a share that names another base than the list's total is not held to the total
    ("全年实际支出971.60万元，其中公路养护支出585.60万元，占调整后预算的58.56%。", "narrative.share", []),
    ("全年实际支出971.60万元，其中公路养护支出585.60万元，占实际支出的62.27%。", "narrative.share", ["mismatch"]),
    # a total right after the items of its own sentence sums them all
    ("甲镇186.42万元、乙镇152.30万元、丙乡98.75万元、丁乡76.18万元，共计513.65万元。", "narrative.parts", ["consistent"]),
    ("甲镇186.42万元、乙镇152.30万元、丙乡98.75万元、丁乡76.18万元，共计523.65万元。", "narrative.parts", ["mismatch"]),
    ("甲项目40万元、乙项目30万元等，共计100万元。", "narrative.parts", ["consistent"]),   # 等: the list is open
    # each source its own spending and rate: no amount stated twice
    ("中央补助资金到位600万元，支出582.00万元，执行率97.00%；县级配套资金到位600万元，支出578.90万元，执行率96.48%。",
     "narrative.repeated", []),
    # a headcount of its own (实有) after the posts' parts is no part of them
    ("编制62人，其中行政编制28人、事业编制34人；实有59人。", "narrative.parts", ["consistent"]),
    ("编制62人，其中行政编制28人、事业编制36人；实有59人。", "narrative.parts", ["mismatch"]),
    # a partition by definition must add up, a shortfall included
    ("支出100万元，其中基本支出70万元，项目支出30万元。", "narrative.parts", ["consistent"]),
    ("支出100万元，其中基本支出60万元，项目支出30万元。", "narrative.parts", ["mismatch"]),
    ("基本支出80万元。其中：\n人员经费60万元，含工资。\n公用经费20万元，含办公费。", "narrative.parts", ["consistent"]),
    ("基本支出80万元。其中：\n人员经费55万元，含工资。\n公用经费20万元，含办公费。", "narrative.parts", ["mismatch"]),
    # a list that is no partition may leave items out, but never exceed its total
    ("基本支出80万元，其中工资福利支出50万元，商品和服务支出20万元。", "narrative.parts", ["consistent"]),
    ("基本支出80万元，其中工资福利支出50万元，商品和服务支出40万元。", "narrative.parts", ["mismatch"]),
    # a list closed by 其他 is complete
    ("收入90万元，其中财政拨款80万元，其他收入5万元。", "narrative.parts", ["mismatch"]),
    # as many parts as the sentence announces
    ("本单位有甲、乙二类支出，总预算50万元，其中甲支出20万元，乙支出25万元。", "narrative.parts", ["mismatch"]),
    ("本单位有甲、乙二类支出，总预算50万元，其中甲支出20万元，乙支出30万元。", "narrative.parts", ["consistent"]),
    # parts across a sentence break and ；
    ("本年共安排经费60万元。其中：20万元用于甲；25万元用于乙；25万元用于丙。", "narrative.parts", ["mismatch"]),
    # parts inside parentheses belong to the figure before them
    ("到位资金合计90万元。其中，市级资金60万元（一般预算：40万元；基金：25万元）；区级资金30万元。",
     "narrative.parts", ["consistent", "mismatch"]),
    ("资助学生500名（其中市直属学校200人，县区学校300人）。", "narrative.parts", ["consistent"]),
    ("资助学生500名（其中市直属学校200人，县区学校250人）。", "narrative.parts", ["mismatch"]),
    # levels of one hierarchy are not summed
    ("设置指标10个，其中一级指标3个，二级指标6个，三级指标10个。", "narrative.parts", []),
    # a balance is no part of what was spent; a part is no second statement of its total
    ("支出50万元，其中基本支出50万元，项目支出0万元，结余结转0万元。", "narrative.parts", ["consistent"]),
    ("支出50万元，其中基本支出50万元，项目支出0万元，结余结转0万元。", "narrative.repeated", []),
    # a money total stated after its items
    ("甲项目10万元；乙项目20万元；丙项目5万元。共计下达资金30万元。", "narrative.parts", ["mismatch"]),
    ("甲项目10万元；乙项目20万元；丙项目5万元。共计下达资金35万元。", "narrative.parts", ["consistent"]),
    # year-on-year change: the rate is the change over last year's figure
    ("收入240万元。同比增加40万元，增长20%。", "narrative.change", ["consistent"]),
    ("收入240万元。同比增加40万元，增长16.7%。", "narrative.change", ["mismatch"]),
    ("支出160万元，较上年减少40万元，下降20%。", "narrative.change", ["consistent"]),
    # an execution rate against the budget the executed amount names
    ("市级资金200万元，区级资金100万元。市级资金完成180万元，预算执行率90%；区级资金完成100万元，预算执行率100%。",
     "narrative.execution_rate", ["consistent", "consistent"]),
    ("市级资金200万元，区级资金100万元。市级资金完成180万元，预算执行率95%。",
     "narrative.execution_rate", ["mismatch"]),
    # … against the figure just before it in its sentence
    ("项目资金共400万元，截至年底已完成拨付380万元，执行率95%。", "narrative.execution_rate", ["consistent"]),
    ("项目资金共400万元，截至年底已完成拨付360万元，执行率95%。", "narrative.execution_rate", ["mismatch"]),
    # … against the sources listed before the spending
    ("财政拨入专项经费30.00万元；上级补助20.00万元。支出50.00万元，结余0.00万元，执行率100%。",
     "narrative.execution_rate", ["consistent"]),
    ("财政拨入专项经费30.00万元；上级补助25.00万元。支出50.00万元，结余0.00万元，执行率100%。",
     "narrative.execution_rate", ["mismatch"]),
    # a completion rate of counts: what was done over what was planned
    ("计划培训100人次，实际完成96人次，完成率96%。", "narrative.execution_rate", ["consistent"]),
    ("计划培训100人次，实际完成90人次，完成率96%。", "narrative.execution_rate", ["mismatch"]),
    # the adjusted budget wins when both are stated
    ("年初预算100万元，调整后预算120万元，执行数108万元，执行率90%。", "narrative.execution_rate", ["consistent"]),
    # a share beside a part
    ("抽查案件50件，其中优秀10件，占比20%；合格40件，占比80%。", "narrative.share", ["consistent", "consistent"]),
    ("抽查案件50件，其中优秀10件，占比25%；合格40件，占比80%。", "narrative.share", ["mismatch", "consistent"]),
    # counts each with its share, the shares adding up to 100%
    ("评估结果为：优秀6件，占比30%；良好10件，占比50%；合格4件，占比20%。", "narrative.share",
     ["consistent"] * 3),
    ("评估结果为：优秀6件，占比30%；良好12件，占比50%；合格4件，占比20%。", "narrative.share",
     ["mismatch", "mismatch", "mismatch"]),
    # a total after its items, with figures of other measures between
    ("一是繁育田300亩；二是采购种子50万粒，建成基地200亩，共计建成基地500亩。", "narrative.parts", ["consistent"]),
    ("一是繁育田300亩；二是采购种子50万粒，建成基地250亩，共计建成基地500亩。", "narrative.parts", ["mismatch"]),
    # a budget and its payment restated by 共支出 is no list of items; numbered projects are paragraphs
    ("1、甲项目：预算20万元，实际支付20万元，使用率100%。共支出成本20万元。", "narrative.parts", []),
    ("1、甲项目：预算30万元，实际支付30万元。2、乙项目：预算20万元，实际支付20万元。", "narrative.repeated", []),
    # 主要用于 lists what a sum was spent on
    ("专项资金100元，主要用于办公费30元，维修费80元。", "narrative.parts", ["mismatch"]),
    # one long subject given two amounts
    ("安排部门预算项目支出30万元，分别是甲10万元、乙20万元。\n二、其中部门预算项目支出35万元。",
     "narrative.restated", ["mismatch"]),
    ("安排部门预算项目支出30万元，分别是甲10万元、乙20万元。\n二、其中部门预算项目支出30万元。",
     "narrative.restated", []),
    # a short subject stated exactly twice
    ("全年下达资金100万元。此外，预拨资金20万元。\n二、到位120万元，其中下达资金100万元，预拨资金25万元。",
     "narrative.restated", []),  # within one section a short subject may name two things
    ("甲项目实际支付10万元。乙项目实际支付20万元。丙项目实际支付30万元。", "narrative.restated", []),
    ("甲项目实际支 付10万元。乙项目实际支 付20万元。", "narrative.restated", []),
    # two years are two things; a guessed budget that would give a rate over 100% is none
    ("2023年部门预算项目支出80万元。2024年部门预算项目支出90万元。", "narrative.restated", []),
    ("上年结转10万元，本年支出90万元，执行率90%。", "narrative.execution_rate", []),
    # a part's own parts (包括 after it) add up within it, and it with its siblings within the total
    ("馆藏资料共500卷，其中：档案400卷，包括纸质档案300卷、声像档案60盘、照片档案40盒；资料100册。",
     "narrative.parts", ["consistent", "consistent"]),
    ("馆藏资料共500卷，其中：档案400卷，包括纸质档案330卷、声像档案60盘、照片档案40盒；资料100册。",
     "narrative.parts", ["consistent", "mismatch"]),
    # standards per person are rates, never parts
    ("补助学生100人，补助标准为每人每月300元，其中寄宿生40人。", "narrative.parts", ["consistent"]),
]


@pytest.mark.parametrize("text,rule,expected", CASES)
def test_narrative_rule(text, rule, expected):
    assert statuses(text, rule) == expected


def test_partitions_are_data():
    """A partition added in the settings changes what must add up."""
    base = "用户100户，其中东片60户，西片30户。"
    assert statuses(base, "narrative.parts") == ["consistent"]
    s = Settings.resolve({"lexicon": {"partitions": [{"parts": [["东片"], ["西片"]]}]}})
    found, _ = extract(Section("测试", "narrative", base), s)
    assert [f.status for f in narrative.check(found, s) if f.rule == "narrative.parts"] == ["mismatch"]


def test_findings_render_in_both_languages():
    from pipeline.output.messages import finding_message

    for text in ("收入240万元。同比增加40万元，增长16.7%。", "抽查案件50件，其中优秀10件，占比25%。",
                 "安排部门预算项目支出30万元，分别是甲10万元、乙20万元。\n二、其中部门预算项目支出35万元。"):
        for f in findings_of(text):
            assert finding_message(f, "zh") and finding_message(f, "en")


@pytest.mark.parametrize("text,status", [
    ("低保标准提高到每人每月600元。全年发放低保资金650元。", "mismatch"),   # the standard, not the amount
    ("低保标准提高到每人每月650元。全年发放低保资金600元。", "consistent"),
    ("全年发放低保资金650元。", "unverified"),                                 # an amount is no standard
])
def test_standards_checked_only_against_standards(text, status):
    from pipeline.check import indicators
    from pipeline.model import Indicator, Report
    from pipeline.quantity import parse_quantity

    q = parse_quantity("650元", SETTINGS)
    ind = Indicator("I1", "测试", "低保标准(元/人·月)", "650元/人·月", 650, "元", q)
    report = Report(template="narrative", sections=[Section("测试", "narrative", text)], indicators=[ind])
    found, _ = extract(report.sections[0], SETTINGS)
    verdicts, _ = indicators.judge(report, found, SETTINGS)
    assert verdicts["I1"].status == status


def test_coverage_in_the_json(check_text):
    from pipeline.output.contract import to_dict

    text = ("2024年度测试局部门整体支出绩效自评报告\n一、基本情况\n根据〔2024〕3号文件，本局2024年5月开展培训12期。\n"
            "二、资金情况\n支出100万元，其中基本支出60万元，项目支出40万元，执行率98%。另见附件2。\n")
    cov = to_dict(check_text(text))["coverage"]
    assert cov["claims"] >= 4 and cov["checked"] >= 3
    assert cov["set_aside"].get("document_number") == 2 and cov["set_aside"].get("ordinal") == 1
    assert cov["numbers"] == cov["claims"] + sum(cov["set_aside"].values()) + cov["unexplained"]


@pytest.mark.parametrize("second,expected", [("到位125万元，其中下达资金100万元，预拨资金25万元。", ["mismatch"]),
                                             ("到位120万元，其中下达资金100万元，预拨资金20万元。", [])])
def test_short_subject_restated_across_sections(second, expected):
    one, _ = extract(Section("下达情况", "narrative", "全年下达资金100万元。此外，预拨资金20万元。"), SETTINGS)
    two, _ = extract(Section("到位情况", "narrative", second), SETTINGS, len(one) + 1)
    got = [f.status for f in narrative.check(one + two, SETTINGS) if f.rule == "narrative.restated"]
    assert got == expected
