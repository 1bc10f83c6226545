"""A 项目支出 form whose cells a doc-sharing site's text extraction ran together: the indicator
table is cut back into rows by its header's column order and what each column holds."""
from __future__ import annotations

import pytest

from pipeline import api
from pipeline.form import glued
from conftest import FIXTURES, PROJECT

GLUED = FIXTURES / "layouts" / "reading_room_2023_glued_cells.txt"


@pytest.fixture(scope="module")
def settings():
    return api.warm(None)


@pytest.fixture(scope="module")
def reader(settings):
    spec = glued._spec(settings.template("project"), settings)
    return lambda columns: glued._Reader(columns, spec, settings)


def test_a_glued_page_reads_its_indicator_table():
    """Levels and numbering mark the rows, a page number (2、) inside the table is dropped, the
    figures glued to 分值 are cut where the row reads as a form's row; the 借阅人次 row, whose
    得分 the extraction lost, is left out rather than guessed, and its reason with it. A level keeps
    the points its cell states (产出指标(50分)), as a form's own 一级指标 cell does."""
    res = api.check_path(GLUED)
    got = [(i.level1, i.level2, i.name, i.target_raw, i.raw, i.weight and i.weight.value, i.score and i.score.value)
           for i in res.report.indicators]
    assert got == [
        ("产出指标(50分)", "数量指标", "新增图书册数", "≥3000册", "3200册", 10, 10),
        ("产出指标(50分)", "数量指标", "开展读书活动场次", "10场", "15场", 10, 10),  # 1010场: 分值 10, not 101 or 1
        ("产出指标(50分)", "质量指标", "图书上架及时率", "≥95%", "98%", 10, 10),
        ("产出指标(50分)", "时效指标", "每周开放时长", "≥40小时", "42小时", 10, 10),
        ("产出指标(50分)", "成本指标", "购书成本控制", "≤12万元", "11.8万元", 10, 10),
        ("效益指标(30分)", "可持续影响指标", "阅读推广长效机制", "健全", "健全", 15, 15),
        ("满意度指标(10分)", "服务对象满意度指标", "读者满意度", "≥90%", "93%", 10, 10),
    ]
    status = {i.name: res.verdicts[i.id].status for i in res.report.indicators}
    assert status["新增图书册数"] == status["开展读书活动场次"] == status["读者满意度"] == "consistent"
    assert not [f for f in res.findings if f.status == "mismatch"]
    assert res.report.year == 2023


@pytest.mark.parametrize("text,columns,want", [
    # 分值 8 before 550万粒: the cut where 年度指标值 and 实际完成值 agree and 得分 equals 分值
    ("免费发放原原种8550万粒550万粒8", ["weight", "target", "actual", "score"],
     [{"name": "免费发放原原种", "weight": "8", "target": "550万粒", "actual": "550万粒", "score": "8"}]),
    # 10 | 20万元, not 1 | 0 … (a number never starts with 0) and not two rows of noise
    ("项目计划总投资1020万元20万元10", ["weight", "target", "actual", "score"],
     [{"name": "项目计划总投资", "weight": "10", "target": "20万元", "actual": "20万元", "score": "10"}]),
    # two rows under one mark, no 分值 column
    ("库存数量真实率100%100%储备粮专户管理率100%98%", ["target", "actual"],
     [{"name": "库存数量真实率", "target": "100%", "actual": "100%"},
      {"name": "储备粮专户管理率", "target": "100%", "actual": "98%"}]),
    # 得分 lost: no cut explains the figures, nothing is guessed
    ("一级种薯繁育基地8000亩8535.5亩", ["weight", "target", "actual", "score"], []),
    # a 0 that is the tail of 100%: 10 | 0% | 100% is no row
    ("2021年11月底前完成资金支付100%100%8", ["weight", "target", "actual", "score"], []),
])
def test_the_cut_that_reads_as_a_row(reader, text, columns, want):
    assert reader(columns).read(text) == want


def test_a_table_with_its_cells_is_not_glued(settings):
    """A form read with its cells (tabs) has its header labels one per cell: left to the parser."""
    from pipeline import read

    tpl = settings.template("project")
    for path in sorted(PROJECT.glob("*.txt")):
        assert not glued.is_glued(read.read_path(path).rows, tpl, settings), path.name


def test_a_header_label_that_starts_an_unknown_one_leaves_the_table_alone(settings):
    """得分 read as the start of 得分计算方法 (a column the template does not know): the columns
    after it are unknown, so the table is not cut at all."""
    text = ("项目支出绩效自评表(2016年度)项目名称道路保洁主管部门街道办事处绩效指标一级指标二级指标三级指标分值"
            "年度指标值全年实际值得分计算方法得分未完成原因分析数量指标保洁道路条数12.52020条20条12.5")
    assert not glued.is_glued([[text]], settings.template("project"), settings)


def test_hostile_glued_text_stays_cheap(settings):
    """A long run of digits after a glued header: pieces too long to be rows are not cut."""
    head = "项目支出绩效自评表项目名称测试绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分产出指标"
    rows = [[head + "1" * 100_000]]
    out = glued.unglue(rows, settings.template("project"), settings)
    assert out == rows


def test_a_plain_text_layout_with_spaced_figures_is_not_cut(settings):
    """A header wrapped over lines (一级 / 指标) looks glued, but figures set apart by spaces
    (1 1 10 10) still say where the cells are: the text is left as it is."""
    rows = [["绩效指标 一级"], ["指标"], ["二级指标 三级指标 年度指标值 实际完成值 分值 得分"],
            ["产出指标 数量指标 指标1:完成灌区改造项目数量 1 1 10 10"],
            ["指标2:完成水价改革项目 1 1 10 10"], ["时效指标 指标1:资金支付完成率100% 10 10"]]
    assert not glued.is_glued(rows, settings.template("project"), settings)
    assert glued.is_glued([["".join(c for r in rows for c in r).replace(" ", "")]],
                          settings.template("project"), settings)


def test_the_goal_of_a_run_together_form_can_contradict_its_indicators(tmp_path, settings):
    """The 年度总体目标 read out of the run-together paragraph is the indicators' pool, as a form's
    goal block is: a figure there that disagrees with the table is a mismatch, not unverified."""
    page = tmp_path / "reading_room_goal_differs.txt"
    page.write_text(GLUED.read_text(encoding="utf-8").replace("开展读书活动15场", "开展读书活动12场"), encoding="utf-8")
    res = api.check_path(page, settings)
    by_name = {i.name: i for i in res.report.indicators}
    assert {i.pool for i in res.report.indicators} == {"年度总体目标"}
    assert res.verdicts[by_name["开展读书活动场次"].id].status == "mismatch"
    assert res.verdicts[by_name["新增图书册数"].id].status == "consistent"


def test_a_glued_row_that_reads_only_with_its_score_above_its_weight_is_read(tmp_path):
    """读者满意度10≥90%93%12: 得分 12 above 分值 10 is the one reading of the row; it is read, and
    the check reports it, rather than the row dropped as unreadable."""
    text = GLUED.read_text(encoding="utf-8").replace("读者满意度10≥90%93%10总分", "读者满意度10≥90%93%12总分", 1)
    p = tmp_path / "glued.txt"
    p.write_text(text, encoding="utf-8")
    res = api.check_path(p)
    got = [(f.status, f.reported) for f in res.findings if f.rule == "project.score_le_weight" and f.status != "consistent"]
    assert got == [("mismatch", 12)]


@pytest.mark.parametrize("total,status", [("总分10099.8", "consistent"), ("总分10097.8", "mismatch")])
def test_a_glued_total_line_is_cut_when_every_row_was_read(tmp_path, total, status):
    """总分10099.8 is 分值 100 and 得分 99.8 once every row of the table reads (the 借阅人次 row given
    its 得分 back); with a row left unread, as in the page itself, the 总分 is not held to the rows."""
    src = GLUED.read_text(encoding="utf-8")
    whole = src.replace("借阅人次15≥8000人次8650人次部分图书室装修停开两周,下年错峰安排", "借阅人次15≥8000人次8650人次15", 1)
    assert whole != src
    p = tmp_path / "glued.txt"
    p.write_text(whole.replace("总分10095", total, 1), encoding="utf-8")
    res = api.check_path(p)
    assert [f.status for f in res.findings if f.rule == "project.score_total"] == [status]
    page = api.check_path(GLUED)  # a row left unread: 10095 is neither cut nor read as one figure
    assert not [f for f in page.findings if f.rule in ("project.score_total", "project.weights_total")]
    assert page.report.total_score is None
