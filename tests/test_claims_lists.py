"""What a figure counts and which total it belongs to: lists of parts across a sentence break,
in blocks and parentheses; changes, balances, standards and shares; list numbers glued to
figures; bare 万 after money; the census of every number (coverage)."""
import pytest

from pipeline.model import Section
from pipeline.nlp.claims import extract
from pipeline.settings import Settings

SETTINGS = Settings.resolve(None)


def claims_of(text):
    found, doc = extract(Section("测试", "narrative", text), SETTINGS)
    return found, doc


def parent_map(found):
    """value -> value of its total (None when it is no part)."""
    by_id = {c.id: c for c in found}
    return [(c.value, by_id[c.parent].value if c.parent else None) for c in found]


# (text, [(value, value of its total or None)])
LISTS = [
    # a total and its parts across a sentence break, parts separated by ；
    ("本年共安排经费60万元。其中：20万元用于甲；25万元用于乙；15万元用于丙。",
     [(60, None), (20, 60), (25, 60), (15, 60)]),
    # 其中：closing a line opens a block of lines
    ("基本支出500万元。其中：\n人员经费420万元，主要是工资。\n公用经费80万元，主要是办公费。",
     [(500, None), (420, 500), (80, 500)]),
    # parentheses right after a figure hold its parts; the closing parenthesis ends them
    ("到位资金合计90万元。其中，市级资金60万元（一般预算：40万元；基金：20万元）；区级资金30万元。",
     [(90, None), (60, 90), (40, 60), (20, 60), (30, 90)]),
    ("核定编制20名（其中行政编制12名，事业编制8名），实有18人。",
     [(20, None), (12, 20), (8, 20), (18, None)]),
    # a 其中 before a colon may name its list and count it: the count is no total of the money parts
    ("部门预算总计100万元，其中项目资金两项：甲经费30万元，占30%；乙经费5万元，占5%。",
     [(100, None), (2, None), (30, 100), (30, None), (5, 100), (5, None)]),
    # a 其中 naming one part before the colon opens that part's parts, not the total's
    ("支出合计100万元，其中基本支出：人员经费60万元，公用经费20万元。",
     [(100, None), (60, None), (20, None)]),
    # a part that opens parts of its own (包括 after it): they end at the semicolon before the
    # next part of its total; archives count 卷, 盘 and 盒
    ("馆藏资料共500卷，其中：档案400卷，包括纸质档案300卷、声像档案60盘、照片档案40盒；资料100册。",
     [(500, None), (400, 500), (300, 400), (60, 400), (40, 400), (100, 500)]),
    # the sentence ends the list: what follows is no part
    ("收入80万元，其中财政拨款70万元，其他收入10万元。另有捐赠5万元。",
     [(80, None), (70, 80), (10, 80), (5, None)]),
    # a change against last year is neither a total nor a part
    ("收入120万元。同比增加20万元，增长20%。其中：财政拨款收入110万元，同比增加10万元。",
     [(120, None), (20, None), (20, None), (110, 120), (10, None)]),
    # a balance is no part of what was spent
    ("支出50万元，其中基本支出40万元，项目支出10万元，结余结转0万元。",
     [(50, None), (40, 50), (10, 50), (0, None)]),
    # a new total with its own 其中 ends the list before it
    ("收入100万元，其中拨款100万元；支出90万元，其中基本支出90万元。",
     [(100, None), (100, 100), (90, None), (90, 90)]),
]


@pytest.mark.parametrize("text,expected", LISTS)
def test_lists_of_parts(text, expected):
    found, _ = claims_of(text)
    assert [(pytest.approx(v), None if p is None else pytest.approx(p)) for v, p in expected] == parent_map(found)


# (text, value, kind)
KINDS = [
    ("本年收入300万元，较上年增加30万元。", 30, "change"),
    ("支出同比下降12%，主要是会议减少。", 12, "change"),
    ("年末结余5万元。", 5, "balance"),
    ("资助标准为3000元/人。", 3000, "standard"),
    ("按每人每月200元发放补贴。", 200, "standard"),
    ("优秀8件，占比40%。", 40, "share"),
    ("完成培训40期。", 40, None),
]


@pytest.mark.parametrize("text,value,kind", KINDS)
def test_kind_read_from_subject(text, value, kind):
    found, _ = claims_of(text)
    c = next(c for c in found if c.value == pytest.approx(value))
    assert c.kind == kind


def test_announced_parts_count():
    found, _ = claims_of("本局主要有甲支出、乙支出二类支出，总预算300万元，其中甲支出100万元，乙支出200万元。")
    total = next(c for c in found if c.value == 300)
    assert total.announced == 2


# (text, [(value, unit)]): glued list numbers, bare 万 after money, new units
READINGS = [
    ("1.开展宣传；\n2.完成建设；\n3.12个站点投入使用。", [(12, "个")]),
    ("省级资金45.5万（含结转）。", [(45.5, "万元")]),
    ("送书下乡3200册次，编印文集30万字，发放良种200万粒。", [(3200, "册次"), (300000, "字"), (2000000, "粒")]),
    ("推荐精选5篇范文。", []),
    ("落实十五字方针，金额单位：万元。", []),
    ("项目预算35. 3万元，实际支付35. 3万元。", [(35.3, "万元"), (35.3, "万元")]),
    ("工作如下：\n2. 3个站点建成。", [(3, "个")]),
]


@pytest.mark.parametrize("text,expected", READINGS)
def test_readings(text, expected):
    found, _ = claims_of(text)
    assert [(c.value, c.unit) for c in found] == [(pytest.approx(v), u) for v, u in expected]


# (text, {reason: count}) for the numbers set aside
CENSUS = [
    ("根据〔2023〕12号文件，2023年5月召开会议3次。", {"document_number": 2, "date": 2, "claim": 1}),
    ("1.加强学习。\n2.开展培训5期。", {"list_number": 2, "claim": 1}),
    ("开通“12345”热线，服务群众800人次。", {"name": 1, "claim": 1}),
    ("开展“五个一”活动，获评第3名。", {"name": 1, "ordinal": 1}),
    ("合计支出约为3500，见附表。", {"unexplained": 1}),
    ("发布时间：2022-04-15 14:54，见附件2。", {"date": 3, "time": 2, "ordinal": 1}),
    ("得分；3；2；合计", {"table_cell": 2}),
    ("产出指标(50分)数量指标", {"weight": 1}),
    ("核查数据120条; 2、数据完整", {"claim": 1, "list_number": 1}),
    ("数据真实(1分); 2、数据完整", {"weight": 1, "list_number": 1}),  # a rubric's point in brackets
]


@pytest.mark.parametrize("text,expected", CENSUS)
def test_census(text, expected):
    _, doc = claims_of(text)
    got: dict[str, int] = {}
    for _, _, why in doc.user_data["census"]:
        got[why] = got.get(why, 0) + 1
    assert got == expected


def test_visits_are_not_people():
    from pipeline.check.compare import Compare

    cmp = Compare.of(SETTINGS)
    assert not cmp.compatible("人", "人次")
    assert not cmp.compatible("个", "人")
    assert cmp.compatible("人", "名") and cmp.compatible("个", "所") and cmp.compatible("次", "场")


def test_one_word_of_a_list_is_no_strong_link():
    from pipeline.check.link import Linker
    from pipeline.model import Indicator

    ind = Indicator("I1", "测试", "调研活动次数", "20次", 20, "次")
    found, _ = claims_of("开展培训、宣传、调研活动20次。开展调研活动15次。")
    links = [Linker.of(SETTINGS).link(ind, c) for c in found]
    assert [lk.strong for lk in links] == [False, True]


@pytest.mark.parametrize("name,sentence,strong", [
    ("报告按时上报率", "检测报告合格率100%。", False),      # 报告 shared, 上报 against 合格
    ("乡村医生满意度", "乡村医生培训合格率97%。", False),
    ("检测报告合格率", "检测报告合格率100%。", True),
    ("乡村医生满意度", "乡村医生满意度93%。", True),
])
def test_a_rate_is_linked_strongly_only_where_what_it_measures_is_named(name, sentence, strong):
    from pipeline.check.link import Linker
    from pipeline.model import Indicator

    ind = Indicator("I1", "测试", name, "95%", 95, "%")
    found, _ = claims_of(sentence)
    assert [Linker.of(SETTINGS).link(ind, c).strong for c in found] == [strong]


def test_measures_of_one_dimension_convert_and_others_do_not_compare():
    from pipeline.check.compare import Compare

    cmp = Compare.of(SETTINGS)
    assert cmp.compatible("公里", "米") and cmp.to_unit(42.6, "公里", "米") == 42600
    assert cmp.compatible("亩", "公顷") and cmp.to_unit(360000, "亩", "公顷") == 24000
    assert cmp.compatible("分钟", "小时") and cmp.to_unit(0.4, "小时", "分钟") == 24
    assert not cmp.compatible("台", "辆") and not cmp.compatible("米", "吨") and cmp.compatible("辆", "辆")


def test_a_large_chinese_numeral_is_one_figure_and_a_village_clinic_no_township_hospital():
    from pipeline.check.link import Linker
    from pipeline.model import Indicator

    found, _ = claims_of("惠及学生三万一千二百名。")   # 万一 inside the numeral is no name
    assert [(c.value, c.unit) for c in found] == [(31200, "名")]
    ind = Indicator("I1", "测试", "补助村卫生室数量", "216个", 216, "个")
    found, _ = claims_of("全县18个乡镇卫生院和216个村卫生室全部实施基本药物制度。")
    links = {c.value: Linker.of(SETTINGS).link(ind, c).strong for c in found}
    assert links[18] is False
