"""A 部门整体绩效自评表 whose key-indicator table a text extraction ran together, as doc-sharing
sites serve Chongqing's forms: '…指标名称计量单位指标性质年初指标值调整指标值全年完成值得分系数(%)
指标权重(分)指标得分(分)是否核心指标财政供养人员控制率%定量指标100%92%100%22否预算完成率…'.

The table's last column (是否核心指标) ends every row with 是 or 否 right after the 指标得分
figure, so the rows are cut there, and each row is read from its right end, where the cells
are always filled: 指标权重 and 指标得分 run together ('1010' is 10 and 10; of the cuts, the one
whose 得分 is nearest 权重 × 得分系数), the 得分系数 percentage before them, then the
全年完成值 (the last figure, or a qualitative word) and the 年初指标值 before it; what comes
first is the name, with the 计量单位 and 指标性质 cells glued to it taken off. The table is
handed on as rows under a header of the template's own labels; what is not a row (the text
below the table) stays as it was. OCR noise in a target ('到0次') is left as read: only the
values at the end of a row are relied on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..config import Template
from ..model import Row
from .common import PAGE_MARK

# a row's right end: 得分系数 (a percentage, 100% or under) and then 权重 and 得分 run together
_TAIL = re.compile(r"(?P<coef>(?:100|[1-9]?\d)(?:\.\d{1,2})?)%(?P<ws>\d{1,3}(?:\.\d{1,2})?\d{1,3}(?:\.\d{1,2})?)$")
# a number as a form cell holds it: no leading zero (0100 is 0 and 100), at most 2 decimals
_CELL_NUMBER = re.compile(r"(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?")
# a value cell: a number and its unit (%, or up to two characters: 次, 人次, 篇)
_VALUE = re.compile(r"(?:0(?![\d.])|[1-9]\d{0,8})(?:\.\d{1,2})?(?:%|[\u4e00-\u9fff]{1,2}(?![\u4e00-\u9fff]))?")
# the name: the Chinese (and quoted) text a row starts with, up to its first other character
_NAME = re.compile(r"^[“”\"《》()（）\u4e00-\u9fff]+")
# the most characters one row may hold, and the most between the header and the first row's end
_MAX_ROW = 120


@dataclass(frozen=True)
class _Spec:
    header: tuple[str, ...]      # where the glued header starts (指标名称)
    row_end: tuple[str, ...]     # its last label, a 是/否 column (是否核心指标)
    nature: tuple[str, ...]      # the 指标性质 values (定量指标, 定性指标)
    qualitative: tuple[str, ...]  # qualitative values, longest first
    skip: tuple[str, ...]        # labels of merged cells that a row may start with (绩效指标)
    columns: tuple[str, str, str, str, str]  # the template's labels for name, target, value, weight, score

    @classmethod
    def of(cls, tpl: Template) -> "_Spec":
        g, t = tpl.group("glued"), tpl.group("tasks")
        return cls(tuple(g.get("header", ())), tuple(g.get("row_end", ())), tuple(g.get("nature", ())),
                   tuple(sorted(g.get("qualitative", ()), key=len, reverse=True)), tuple(g.get("skip", ())),
                   tuple(t[k][0] for k in ("indicator", "target", "value", "weight", "score")))


def _spec(tpl: Template, settings) -> _Spec:
    return settings.memo(f"form.glued_core.{tpl.name}", lambda: _Spec.of(tpl))


def _flat(rows: list[Row]) -> str:
    """The cells one after another, lines kept (a page's number at a line start dropped)."""
    return "\n".join(PAGE_MARK.sub("", "".join(c or "" for c in row)) for row in rows)


def _header(text: str, spec: _Spec) -> Optional[tuple[int, int]]:
    """(start, end) of the glued header: its first label, then its last within a line's reach."""
    for first in spec.header:
        at = text.find(first)
        while at >= 0:
            window = text[at:at + _MAX_ROW]
            for last in spec.row_end:
                k = window.find(last)
                if k > 0 and "\n" not in window[:k]:
                    return at, at + k + len(last)
            at = text.find(first, at + 1)
    return None


def is_glued(rows: list[Row], tpl: Template, settings) -> bool:
    """The header is glued when its first and last labels share one cell."""
    spec = _spec(tpl, settings)
    if not spec.header or not spec.row_end:
        return False
    return any(_header(c or "", spec) is not None for row in rows for c in row)


def unglue(rows: list[Row], tpl: Template, settings) -> list[Row]:
    """The rows with the glued table cut back into a header and one row per indicator."""
    spec = _spec(tpl, settings)
    text = _flat(rows)
    span = _header(text, spec)
    if span is None:
        return rows
    body = text[span[1]:].replace("\n", "")
    table, used = _rows(body, spec)
    if not table:
        return rows
    before = [[line] for line in text[:span[0]].split("\n") if line.strip()]
    after = [[line] for line in [body[used:]] if line.strip()]
    return before + [list(spec.columns)] + table + after


def _rows(body: str, spec: _Spec) -> tuple[list[Row], int]:
    """The rows cut at each 是/否 after a figure, while they read as rows; how much of body they used."""
    out: list[Row] = []
    pos = 0
    for m in re.finditer(r"(?<=\d)[是否]", body):
        piece = body[pos:m.start()]
        if len(piece) > _MAX_ROW:
            break
        row = _row(_strip_labels(piece, spec), spec)
        pos = m.end()
        if row is not None:
            out.append(row)
    return out, pos


def _strip_labels(piece: str, spec: _Spec) -> str:
    for label in spec.skip:
        if piece.startswith(label):
            return piece[len(label):]
    return piece


def _row(piece: str, spec: _Spec) -> Optional[Row]:
    """[name, target, value, weight, score] of one row's text, None when it holds no value."""
    tail = _TAIL.search(piece)
    if tail is None:
        return None
    coef = float(tail["coef"])
    split = _weight_score(tail["ws"], coef)
    if split is None:
        return None
    rest = piece[:tail.start()]
    values = list(_VALUE.finditer(rest))
    if values:
        head, actual = rest[:values[0].start()], values[-1].group()
        target = values[-2].group() if len(values) > 1 else ""
        unit = re.sub(r"[\d.]", "", actual)
    else:
        words = _qualitative_end(rest, spec)
        if not words:
            return None  # no figure and no qualitative value: a row the form left empty
        head, target, actual = words
        unit = ""
    name = _name(head, unit, spec)
    return [name, target, actual, *split] if name else None


def _weight_score(ws: str, coef: float) -> Optional[tuple[str, str]]:
    """权重 and 得分 from their digits run together: the cut whose 得分 is nearest 权重 × 系数."""
    best = None
    for i in range(1, len(ws)):
        w, s = ws[:i], ws[i:]
        if not (_CELL_NUMBER.fullmatch(w) and _CELL_NUMBER.fullmatch(s)) or float(s) > float(w):
            continue
        off = abs(float(s) - float(w) * coef / 100)
        if best is None or off < best[0]:
            best = (off, w, s)
    return (best[1], best[2]) if best else None


def _qualitative_end(rest: str, spec: _Spec) -> Optional[tuple[str, str, str]]:
    """(head, target, actual) of a row ending in qualitative values (高高, 好好)."""
    actual = next((w for w in spec.qualitative if rest.endswith(w)), None)
    if actual is None:
        return None
    rest = rest[:-len(actual)]
    target = next((w for w in spec.qualitative if rest.endswith(w)), "")
    return rest[:len(rest) - len(target)], target, actual


def _name(head: str, unit: str, spec: _Spec) -> str:
    """The name a row starts with, without the 计量单位 and 指标性质 glued after it."""
    m = _NAME.match(head)
    name = m.group() if m else ""
    for nature in spec.nature:  # 定性指标, or the same characters in an OCR's order (性标定指)
        k = len(nature)
        if len(name) > k and sorted(name[-k:]) == sorted(nature):
            name = name[:-k]
            break
    if unit and not unit.startswith("%"):
        for cut in (len(unit), len(unit) + 1):  # the unit, or the unit and one stray character
            if len(name) > cut + 1 and name[-cut:].startswith(unit):
                name = name[:-cut]
                break
    return name
