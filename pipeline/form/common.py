"""Pieces every template parser needs: preamble, title, unit, year, indicators."""
from __future__ import annotations

import re
from typing import Iterator, Optional

from ..model import Indicator, Section
from ..quantity import parse_quantity
from .grid import Grid, label_key, matches

# an attachment's title: 附件6…, 附件：…
_ATTACHMENT = re.compile(r"\s{0,4}附件\s{0,2}[\d一二三四五六七八九十]{0,3}\s{0,2}[:：、.]?")
_UNIT = re.compile(r"(?:单位|金额单位)\s*+[:：]?\s*+(亿元|万元|千元|元)|[(（]\s*+(亿元|万元|千元|元)\s*+[)）]")  # possessive: linear
# a page's metadata and navigation, not its title: 发布时间：…, 首页 > 信息公开
_META = re.compile(r"^[\u4e00-\u9fff]{2,6}\s*[:：]|[>›»]|\d{4}-\d{1,2}-\d{1,2}")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NAME_UNIT = re.compile(r"[(（]\s*+([^()（）]{1,8})\s*+[)）]\s*+$")  # possessive: a '(' before spaces stays linear
# a comparator or a masked threshold inside the unit note: （≥**平方米）
# a report's own heading starting a line (二、绩效目标完成情况, （三）存在问题): the 自评报告 a page
# prints below a form's table, where the table ends
REPORT_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）])")
# the page number a doc-sharing site prints at the start of each page's text: 2、
PAGE_MARK = re.compile(r"^\s*\d{1,2}、")
# a note right after a label in a glued form's text: (A), (B/A), (40分), （%）
LABEL_NOTE = re.compile(r"[(（][^()（）]{0,8}[)）]")
# what a glued form's text loses: the spaces and line breaks an extraction put inside its cells
NO_SPACE = dict.fromkeys(map(ord, " \t\n\r\f\v\u3000\xa0"))


def find_all(text: str, key: str) -> Iterator[int]:
    """Every position where `key` starts in `text`."""
    i = text.find(key)
    while i >= 0:
        yield i
        i = text.find(key, i + 1)
_NOTE_MARKS = re.compile(r"[≥≤<>=＞＜*]+")
_SUFFIX_UNIT = (("人次", "人次"), ("次数", "次"), ("人数", "人"), ("件数", "件"), ("篇数", "篇"), ("期数", "期"),
                ("场次", "场次"), ("户数", "户"), ("家数", "家"), ("个数", "个"), ("项数", "项"), ("条数", "条"))


def money_unit(grid: Grid, rows: Optional[range] = None, attachments: bool = True) -> Optional[str]:
    """The unit money is stated in: 单位：万元 above the table, or （元） in a label. Not, unless
    `attachments`, the unit an attachment's title names (a report's list of them, 附件6…收入支出
    决算表（单位：元）, names its tables' unit; a form that is itself an attachment names its own)."""
    for r in rows if rows is not None else range(len(grid.rows)):
        for _, t in grid.nonempty(r):
            m = _UNIT.search(t)
            if m and (m.group(1) or len(t) <= 40) and (attachments or not _ATTACHMENT.match(t)):
                return m.group(1) or m.group(2)
    return None


def department_from_title(title: str, patterns: tuple[str, ...], suffixes: tuple[str, ...] = ()) -> Optional[str]:
    """The department a title names, by the template's title patterns (group 1 is the name): the
    name before the year it reports on (保山市档案局2017年度项目 is 保山市档案局), and, given the
    `suffixes` an organisation's name ends with (局, 中心, 委员会 …), the unit before a project's
    name (南湖区公共图书馆免费开放项目 is 南湖区公共图书馆), and none when no unit is named (农村项目)."""
    for pattern in patterns:
        m = re.search(pattern, title or "")
        if m and m.group(1).strip():
            name = _ABOUT.sub("", m.group(1).strip()).strip()
            year = _YEAR_AFTER_NAME.search(name)
            name = name[:year.start()].strip() if year and year.start() >= 2 else name
            if suffixes and not name.endswith(suffixes):
                # a project's name after its unit's (南湖区公共图书馆免费开放项目, 东岗区民政局社会救助项目): the unit, else none
                cut = min((i for i in range(3, len(name)) if name[:i].endswith(suffixes)), default=0)
                return name[:cut] or None
            return name or None
    return None


def department_from_fields(text: str, heading: dict) -> Optional[str]:
    """The department a form's head names in a labelled field (主管部门 中江县水利局, 填报单位（盖章）：
    宁乡市坝塘镇人民政府), where the cells ran together or the report is read as prose: after the
    first of the `heading` group's `department_fields` (in their order) that names one, within the
    text's first `_FIELDS_WITHIN` characters, the shortest name ending as an organisation's does
    (`org_suffixes`) that ends the run of characters or stands right before another field's label
    (`department_ends`: 主管部门中江县水利局实施单位…). A masked name (××局) is none."""
    ends, suffixes = heading.get("department_ends", ()), heading.get("org_suffixes", ())
    head = text[:_FIELDS_WITHIN]
    for label in heading.get("department_fields", ()):
        for m in re.finditer(re.escape(label) + _FIELD_TAIL, head):
            # with nothing between label and name (cells run together), the name must stand right
            # before the next field's label: prose (主管部门为…, 经主管部门审核后报送…) is no field
            name = _name_before_end(m.group(2), ends, suffixes, apart=bool(m.group(1)))
            if name:
                return name
    return None


# a form's head fields (项目单位 南湖新区民政局) stand within this many characters of its start
_FIELDS_WITHIN = 3000
# what may stand between a field's label and its value (group 1): 及代码, （盖章）, a colon, a few
# spaces; group 2: the run of characters the name starts
_FIELD_TAIL = r"(?:及代码|编码)?((?:\s{0,3}[(（][^()（）\n]{1,6}[)）])?\s{0,3}[:：]?\s{0,3})([\u4e00-\u9fff()（）]{2,40})"
_NAME_MIN = 3


def _name_before_end(run: str, ends: tuple[str, ...], suffixes: tuple[str, ...], apart: bool) -> Optional[str]:
    if run.startswith(ends):
        return None  # the field is blank: the next one's label follows it
    for i in range(_NAME_MIN, len(run) + 1):
        name, rest = run[:i], run[i:]
        if not name.endswith(suffixes):
            continue
        if rest.startswith(ends) or apart and (not rest or rest[0] in "(（"):
            return name  # (a note after the name: 青溪县民政局（盖章）, （本级）)
    return None


def short_title(title: str, settings) -> str:
    """A title as long as a title is. A form whose cells ran together, or a page whose byline runs
    into its table, gives its whole head as the title (项目支出绩效自评表(2020年度)项目名称…主管部门…):
    the run a title pattern finds in it (with the 年度 note after it, without a list number before
    it) is the title, else its first characters."""
    limit = settings.rules.form.title_max_chars
    if not title or len(title) <= limit:
        return title
    fallback = settings.template("narrative")
    head = title[:_TITLE_SEARCH]  # (the patterns are bounded-lazy: searched over the head alone)
    for pattern in fallback.group("heading").get("title", ()) if fallback is not None else ():
        m = re.search(pattern, head)
        if m:
            year = _YEAR_NOTE.match(title, m.end())
            return _LIST_NUMBER.sub("", title[m.start():year.end() if year else m.end()]).strip()
    return title[:limit].rstrip() + "…"


# a title run together with the form's head starts within this many characters
_TITLE_SEARCH = 400
# the year a form's title notes after it: (2021年度), （2020年）
_YEAR_NOTE = re.compile(r"\s{0,2}[(（]\s{0,2}(?:19|20)\d{2}\s{0,2}年度?\s{0,2}[)）]")
# a list number before a title: 1、, 2.
_LIST_NUMBER = re.compile(r"^\s{0,4}\d{1,2}\s{0,2}[、.．]\s{0,2}")


# 关于 before a title's department and 的 after it: no part of the name
_ABOUT = re.compile(r"^关于|的$")
# the year a title reports on, after the department's name (2017年度, 2018绩效, 2023年)
_YEAR_AFTER_NAME = re.compile(r"(?:19|20)\d{2}(?=年|度|绩效|部门|项目|$)")


def value_right(grid: Grid, aliases, stop: Optional[int] = None, labels: tuple[str, ...] = ()) -> str:
    """The value right of a label (部门名称 | 测试局), shared by every form; "" when the cell is
    empty, so that the next label (one of `labels`) is never taken for the value."""
    at = grid.find(aliases, stop=stop)
    if at is None:
        return ""
    right = grid.right_of(*at)
    if not right or matches(label_key(right[0][1]), labels):
        return ""
    return right[0][1].strip()


# the year a report is of: 2024年度, (2022 年度); and a page's or a report's date, which is not
# (2025-03-10, 2019/07/11, 报告日期：2020年3月20日: written after the year it reports on)
_YEAR_OF_REPORT = re.compile(r"(?<!\d)((?:19|20)\d{2})\s{0,2}年度")
_DATE = re.compile(r"""(?<!\d)(?:19|20)\d{2}
    (?: [-/.]\d{1,2}[-/.]\d{1,2}                          # 2025-03-10
      | \s{0,2}年\s{0,2}\d{1,2}\s{0,2}月\s{0,2}\d{1,2}\s{0,2}日   # 2020年3月20日, 2017 年7 月 15  日
    )""", re.VERBOSE)
# a year its title names: 2023年部门整体支出…
_YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s{0,2}年")


def report_year(title: str, text: str, within: int = 1000) -> Optional[int]:
    """The year a report is of: a 年度 or 年 its title names, else a 年度 near its start, else a year
    in the title or the first lines outside a date; a page's publication date never."""
    m = _YEAR_OF_REPORT.search(title or "") or _YEAR_IN_TITLE.search(title or "") or _YEAR_OF_REPORT.search(text[:within])
    if m:
        return int(m.group(1))
    for source in (title, text[:300]):
        year = year_of(_DATE.sub("", source or ""))
        if year:
            return year
    return None


def year_of(text: Optional[str]) -> Optional[int]:
    m = _YEAR.search(text or "")
    return int(m.group(1)) if m else None


def title_of(grid: Grid, stop: int, skip: tuple[str, ...], marker: str,
             words: tuple[str, ...] = ("绩效", "自评", "评价")) -> str:
    """The lines above the table that are not attachment numbers or unit notes, joined:
    a title split over two lines reads as one. `words` are what a title line of the genre holds
    (the template's [title] words), the first of them the one every such title has."""
    parts = []
    for r in range(stop):
        cells = grid.nonempty(r)
        if len(cells) != 1:
            continue
        t = cells[0][1].replace("\n", "")
        if matches(label_key(t), skip) or _UNIT.fullmatch(t.strip()) or _META.search(t):
            continue
        parts.append(t.strip())
    if not parts:
        return ""
    # keep the run of lines that ends with the form's name, when it is there
    for k in range(len(parts) - 1, -1, -1):
        if marker[-3:] in parts[k] or words[0] in parts[k]:
            start = k
            while start > 0 and words[0] not in parts[start] and len(parts[start - 1]) < 60:
                start -= 1
            if start > 0 and not any(w in parts[start] for w in words) and len(parts[start - 1]) < 60:
                start -= 1
            return join_title(parts[max(0, start - 1) if _is_head(parts, start) else start: k + 1])
    return join_title(parts)


def _is_head(parts: list[str], start: int) -> bool:
    """Does the line before `start` open the title (a year, a department)?"""
    return start > 0 and bool(_YEAR.search(parts[start - 1])) and "绩效" not in parts[start - 1]


def join_title(parts: list[str]) -> str:
    return "".join(parts) if all(len(p) < 60 for p in parts) else " ".join(parts)


def unit_from_name(name: str) -> Optional[str]:
    """A unit an indicator name carries: 培训人数（人）, 召开会议次数 -> 次."""
    m = _NAME_UNIT.search(name)
    unit = _NOTE_MARKS.sub("", m.group(1)).strip() if m else ""
    if unit and len(unit) <= 4 and not re.search(r"\d", unit):
        return unit
    for suffix, unit in _SUFFIX_UNIT:
        if name.endswith(suffix):
            return unit
    if name.endswith("率"):
        return "%"
    return None


def make_indicator(iid: str, section: str, name: str, raw: str, settings) -> Indicator:
    """An indicator row: its stated figure and unit, or a qualitative value (良好)."""
    name = re.sub(r"\s+", "", name) if re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", name) else name.strip()
    raw = raw.strip()
    q = parse_quantity(raw, settings)
    unit = None
    value = None
    if q is not None:
        value = q.value
        unit = q.unit or unit_from_name(name)
    return Indicator(iid, section, name, raw, value, unit, q)


# a label a page broke over lines reads as one word: 年度 总体 目标 is 年度总体目标
_BROKEN_LABEL = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def goal_section(grid: Grid, spec: dict[str, tuple[str, ...]], at: Optional[int], stop: int,
                 within: Optional[int] = None, label: str = "年度总体目标") -> Optional[Section]:
    """The annual-target block's 实际完成情况 / 目标完成情况 text, as a goal section (what was done,
    not the targets, which are plans). Its header is the first row from the block's row `at` (in
    the next `within` rows, if given) naming either column; with no 完成情况 cell in that row there
    is none to read (text under a lone 预期目标 is the plan). Both templates read the block so."""
    start = at if at is not None else 0
    end = min(stop, start + within) if within else stop
    heads = spec.get("expected", ()) + spec.get("result", ())
    hdr = grid.find(heads, start=start, stop=end)
    col = hdr and grid.find(spec.get("result", ()), start=hdr[0], stop=hdr[0] + 1)
    if not col:
        return None
    text = text_below(grid, col[0], col[1], stop)
    if at is not None:
        label = squash_label(grid.first(at)[1])
    return Section(label, "goal", text) if text else None


def squash_label(text: str) -> str:
    """A label a page broke over lines reads as one word: 年度 总体 目标 is 年度总体目标."""
    return _BROKEN_LABEL.sub("", text.strip())


def text_below(grid: Grid, r0: int, col: int, stop: int) -> str:
    """The text under a header cell (目标完成情况, 实际完成情况) until the next labelled row.

    A flattened page lost the spans that put the text under its header: then the
    text is the row's last cell."""
    texts = []
    for r in range(r0 + 1, stop):
        j, first = grid.first(r)
        if r > r0 + 1 and j == 0 and first.strip():
            break
        cell = grid.cell(r, col)
        cells = grid.nonempty(r)
        if not cell.strip() and len(cells) >= 2:
            cell = cells[-1][1]
        if cell.strip():
            texts.append(cell.strip())
        elif cells and r > r0 + 1:
            break
    return "\n".join(texts)
