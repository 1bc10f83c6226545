"""Numerals and quantities as CONTRACT.md defines them."""
import pytest

from pipeline import quantity
from pipeline.quantity import cn_to_number, parse_figure, step_range
from pipeline.settings import Settings

SETTINGS = Settings.resolve(None)


def scanner():
    return quantity.scanner(SETTINGS)


def parse_quantity(cell):
    return quantity.parse_quantity(cell, SETTINGS)


@pytest.mark.parametrize("text,value,unit,rng,approx", [
    ("1次", 1, "次", None, False),
    ("230多条", 230, "条", (230, 240), False),
    ("300余人", 300, "人", (300, 400), False),
    ("10多位", 10, "位", (10, 20), False),
    ("26000余人", 26000, "人", (26000, 27000), False),
    ("近200人", 200, "人", (None, 200), False),
    ("不到50家", 50, "家", (None, 50), False),
    ("超过1000人", 1000, "人", (1000, None), False),
    ("3000人以上", 3000, "人", (3000, None), False),
    ("约50场", 50, "场", None, True),
    ("80人左右", 80, "人", None, True),
    ("1.2万元", 1.2, "万元", None, False),
    ("45600元", 45600, "元", None, False),
    ("5000余万元", 5000, "万元", (5000, 6000), False),
    ("320万株", 3200000, "株", None, False),
    ("3万人次", 30000, "人次", None, False),
    ("45.2万平方米", 452000, "平方米", None, False),
    ("1.5万余人", 15000, "人", (15000, 16000), False),
    ("十个", 10, "个", None, False),
    ("两次", 2, "次", None, False),
    ("一千零五十人", 1050, "人", None, False),
    ("四百二十六件", 426, "件", None, False),
    ("五万元", 5, "万元", None, False),
    ("八百余人次", 800, "人次", (800, 900), False),
    ("3,260人次", 3260, "人次", None, False),
    ("96.5%", 96.5, "%", None, False),
    ("百分之九十五", 95, "%", None, False),
    ("2.3个百分点", 2.3, "个百分点", None, False),
    ("500平方 米", 500, "平方米", None, False),  # a PDF's line wrap inside the unit
    ("12公 里", 12, "公里", None, False),
    ("约3.5万平方 米", 35000, "平方米", None, True),
])
def test_scan(text, value, unit, rng, approx):
    found = scanner().scan(text)
    assert len(found) == 1, found
    m = found[0]
    assert (m.start, m.end) == (0, len(text))
    assert m.value == pytest.approx(value)
    assert m.unit == unit
    assert m.range == (None if rng is None else tuple(rng))
    assert m.approx == approx


@pytest.mark.parametrize("text", ["2022年", "2022年9月1日", "三分之一", "人民", "5G网络", "部门", "电话0791-86123456"])
def test_scan_finds_no_quantity(text):
    assert scanner().scan(text) == []


def test_a_space_splits_a_unit_only_inside_it():
    assert [(m.value, m.unit, m.end) for m in scanner().scan("培训120人 次")] == [(120, "人", 6)]  # 人 is a unit
    assert scanner().scan("5万 元") == []  # a space before the unit is a gap, not a wrap inside it


@pytest.mark.parametrize("value,decimals,rng", [(230, 0, (230, 240)), (300, 0, (300, 400)), (10, 0, (10, 20)),
                                               (1, 0, (1, 2)), (1.5, 1, (1.5, 1.6))])
def test_step_range(value, decimals, rng):
    assert step_range(value, decimals) == pytest.approx(rng)


@pytest.mark.parametrize("text,value", [("两", 2), ("十", 10), ("二十", 20), ("一千零五", 1005), ("两千", 2000),
                                        ("百", 100), ("三万", 30000), ("〇", 0)])
def test_cn_to_number(text, value):
    assert cn_to_number(text) == value


@pytest.mark.parametrize("text", ["一流", "两个", "万一", ""])
def test_cn_to_number_rejects_words(text):
    assert cn_to_number(text) is None


@pytest.mark.parametrize("cell,value,unit,comp", [
    ("123次", 123, "次", None), ("≥95%", 95, "%", ">="), ("≤5天", 5, "天", "<="), ("3期", 3, "期", None),
    ("1520.38万元", 1520.38, "万元", None), ("2.3万人次", 23000, "人次", None), ("100%", 100, "%", None),
    ("2318.88", 2318.88, None, None), ("-5.0%", -5.0, "%", None),
])
def test_parse_quantity(cell, value, unit, comp):
    q = parse_quantity(cell)
    assert q.value == pytest.approx(value) and q.unit == unit and q.comparator == comp


@pytest.mark.parametrize("cell", ["良好", "达标", "完成", "", None, "是"])
def test_qualitative_cells(cell):
    assert parse_quantity(cell) is None


@pytest.mark.parametrize("cell,value,decimals", [("2318.88", 2318.88, 2), ("-120.89", -120.89, 2), ("96.5%", 96.5, 1),
                                                 ("-5.0%", -5.0, 1), ("(12.50)", -12.5, 2), ("1,234.5", 1234.5, 1)])
def test_parse_figure(cell, value, decimals):
    f = parse_figure(cell)
    assert f.value == pytest.approx(value) and f.decimals == decimals


@pytest.mark.parametrize("cell", ["abc", "12次", "", None, "约5"])
def test_parse_figure_refuses(cell):
    assert parse_figure(cell) is None


@pytest.mark.parametrize("cell", ["2023年11月20日", "2023年11月底前", "≤2023年6月"])
def test_a_date_cell_is_no_amount(cell):
    """完工时间 | 2023年11月20日: a point in time, not 2023 of nothing (which would meet a target of
    2023年8月25日 as 2023 does 2023)."""
    from pipeline.quantity import parse_quantity
    from pipeline.settings import Settings

    assert parse_quantity(cell, Settings.resolve(None)) is None
