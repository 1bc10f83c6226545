"""Claim extraction: (text, expected claims) tables, decoys, and the spaCy layer."""
import pytest

from pipeline.model import Section
from pipeline.nlp.claims import extract
from pipeline.settings import Settings

SETTINGS = Settings.resolve(None)


def claims_of(text, kind="task"):
    found, doc = extract(Section("测试", kind, text), SETTINGS)
    return found, doc


# (text, [(key in subject, value, unit, range)])
CASES = [
    ("共开展全体会议1次，主席会议专题学习11次。", [("全体会议", 1, "次", None), ("主席会议", 11, "次", None)]),
    ("收集反馈意见建议230多条。", [("意见建议", 230, "条", (230, 240))]),
    ("依托十个商务楼宇设立十个“政协委员工作室”。", [("商务楼宇", 10, "个", None), ("政协委员工作室", 10, "个", None)]),
    ("10多位省市区领导、12个专委会先后到我区调研。", [("领导", 10, "位", (10, 20)), ("专委会", 12, "个", None)]),
    ("项目全年预算为47.7万元，执行数为47.7万元，完成预算100%。",
     [("预算", 47.7, "万元", None), ("执行数", 47.7, "万元", None), ("完成预算", 100, "%", None)]),
    ("参会人数300余人。", [("参会人数", 300, "人", (300, 400))]),
    ("召开2次会议，培训三百人次。", [("会议", 2, "次", None), ("培训", 300, "人次", None)]),
    ("保障低保对象5612户8935人。", [("低保对象", 5612, "户", None), ("低保对象", 8935, "人", None)]),
    ("累计签约居民5.2万人，其中重点人群签约3.1万人。", [("签约居民", 52000, "人", None), ("重点人群", 31000, "人", None)]),
    ("全区127所中小学课后服务覆盖率达到100%。", [("中小学", 127, "所", None), ("覆盖率", 100, "%", None)]),
    ("发放宣传资料约1.5万份。", [("宣传资料", 15000, "份", None)]),
    ("培训教师超过2万人次。", [("教师", 20000, "人次", (20000, None))]),
    ("惠及困难群众近九千人。", [("困难群众", 9000, "人", (None, 9000))]),
    ("开展執法檢查48次。", [("检查", 48, "次", None)]),
    ("项目自评得分:95分。", [("自评得分", 95, "分", None)]),  # a score after a colon is no clock time
    ("配备督查员3名。", [("督查员", 3, "名", None)]),  # a leading verb is not stripped down to one character
    # a score earned stays a claim in brackets, after a reason, or beside one rubric word
    ("自评结果为优秀（自评得分95分）。", [("自评得分", 95, "分", None)]),
    ("满意度指标因个别服务点未达标，得9分。", [("得", 9, "分", None)]),
    ("综合得分95分，偏差之处酌情扣分。", [("综合得分", 95, "分", None)]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_claims(text, expected):
    from pipeline.read.text import clean_cell

    found, _ = claims_of(clean_cell(text))
    got = [(c.subject, c.value, c.unit, c.range) for c in found]
    assert len(found) == len(expected), got
    for c, (key, value, unit, rng) in zip(found, expected):
        assert key in c.subject + c.text, got
        assert c.value == pytest.approx(value)
        assert c.unit == unit
        assert c.range == (None if rng is None else tuple(rng))


# text that holds figures none of which is a claim
DECOYS = [
    "2022年，区政协九届二次全会以来，深入学习党的二十大精神。",
    "严格落实中央八项规定及其实施细则精神。",
    "制订委员学习培训五年计划。",
    "抓好“两支队伍”建设，为“四个出新出彩”作表率。",
    "1. 加强学习。2、强化宣传。（三）狠抓落实。",
    "会议是一次团结民主的大会，是一次凝心聚力的大会。",
    "这项工作十分重要，要进一步统一思想。",
    "第三届论坛于9时30分开幕，咨询电话0791-86123456。",
    "每季度召开1次例会。",
    "全区65岁以上老年人健康水平提升，人均预期寿命82.3岁。",
    # a scoring rubric's points and a rate's formula
    "预算编制（10分）：编制科学合理（5分），测算依据充分（5分）。",
    "资料不全的扣0.5分，逾期报送扣1分。",
    "若单位无项目，得2分。",
    "预算执行率=（预算执行数/预算数）×100%。",
    "数字城管二期建设项目已验收。",  # a phase of a project
    "年度资金总额309100%。",  # table cells run together into an impossible rate
]


@pytest.mark.parametrize("text", DECOYS)
def test_decoys_are_not_claims(text):
    from pipeline.read.text import clean_cell

    found, _ = claims_of(clean_cell(text))
    assert found == [], [(c.text, c.value, c.unit) for c in found]


def test_subset_and_total_roles():
    found, _ = claims_of("共开展培训20次，其中线上培训8次、线下培训12次。")
    total, on, off = found
    assert total.role == "total"
    assert on.role == off.role == "subset" and on.parent == off.parent == total.id


def test_exhaustive_parts():
    found, _ = claims_of("受理案件30件，其中刑事、民事案件分别为10件、20件。")
    assert [(c.value, c.role, c.exhaustive) for c in found] == [(30, None, False), (10, "subset", True), (20, "subset", True)]


def test_spans_point_at_the_text():
    text = "1. 共开展全体会议1次，党组学习20次。"
    found, doc = claims_of(text)
    for c in found:
        assert text[c.span[0]:c.span[1]] == c.text
        assert text[c.number_span[0]:c.number_span[1]].startswith(("1", "20"))


def test_claims_are_spacy_spans():
    found, doc = claims_of("共开展全体会议1次，党组学习20次。")
    spans = doc.spans["claims"]
    assert len(spans) == 2
    assert [sp._.quantity.id for sp in spans] == [c.id for c in found]
    assert all(sp.text.endswith("次") for sp in spans)


def test_ids_continue_from_first_id():
    found, _ = extract(Section("测试", "task", "举办讲座3场，展览2场。"), SETTINGS, first_id=7)
    assert [c.id for c in found] == ["C7", "C8"]


def test_postposed_yi_is_a_count():
    found, _ = claims_of("组织党组专题学习7次、常委会议专题学习一次、主席会议专题学习13次。")
    assert [c.value for c in found] == [7, 1, 13]


def test_a_rubric_report_gives_points_not_claims():
    """A report that is a scoring rubric (两处 不得分 / 扣完为止): its 分 figures are points to be
    given, even in items the report cut into sections of their own; the score earned, right
    after its label, is still a claim."""
    from pipeline.model import Report
    from pipeline.nlp import annotate
    from pipeline.read.text import clean_cell

    rep = Report(template="narrative", kind="narrative")
    rep.sections = [Section(name, "narrative", clean_cell(text)) for name, text in [
        ("评分标准", "1、有年度工作计划计 2 分，没有不得分。"),
        ("管理制度", "2、单位财务管理制度 1 分；项目管理制度 1 分，扣完为止。"),
        ("自评结果", "经自评，项目自评得分 92 分，培训学员 300 人次。")]]
    claims, _ = annotate(rep, SETTINGS)
    assert [(c.value, c.unit) for c in claims] == [(92, "分"), (300, "人次")]
