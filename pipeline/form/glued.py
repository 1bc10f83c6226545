"""A 项目支出 form whose cells a text extraction ran together, as doc-sharing sites serve
their pages ('…三级指标分值年度指标值全年实际值得分…数量指标指标1免费发放原原种8550万粒550万粒8…'):
the indicator table is cut back into the rows the project parser reads.

Nothing separates the cells, so they are found by what each column holds. The header
names the columns in order (the template's labels, glued); the 一级/二级 values and the
template's numbering (指标1) mark where rows start; between two marks a row is a name
followed by one value per column, and of the ways to cut the figures ('8550万粒' is
分值 8 and 年度指标值 550万粒, or 85 and 50万粒) the one that reads most like a form
wins: 得分 not above 分值 (best equal to it), 年度指标值 and 实际完成值 alike, no
number with a leading zero, no unit that is not one. What reads as no row is left out
(a reason, OCR noise), and the rows are never guessed from fewer figures than columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

from ..config import Template
from ..model import Row
from ..quantity import scanner
from .common import LABEL_NOTE, NO_SPACE, PAGE_MARK, REPORT_HEADING, find_all
from .grid import label_key

# the value columns this reader cuts; a header naming others (指标性质, 度量单位) is left alone
_VALUE_KINDS = ("target", "actual", "weight", "score", "deviation")
_HEADER_KINDS = ("level1", "level2", "name") + _VALUE_KINDS
# at least this many column labels glued one after another make a header
_MIN_HEADER = 4
# the end of a reason column's label the template may not list (未完成原因 | 及改进措施): it is no
# 改进措施 block below the table
_MEASURES = re.compile(r"[及和与]?(?:拟采取的)?改进措施")
# a number as a form cell holds it: no leading zero (020 is 0 and 20 glued), at most 2 decimals
_NUMBER = re.compile(r"(?:0|[1-9]\d{0,8})(?:\.\d{1,2})?")
# the template's numbering before a name: 指标1, 指标 2：; one digit unless a colon follows, so
# that 指标12021年… is 指标1 and 2021年…
_NUMBERING = re.compile(r"指标(?:\d{1,2}[:：]|\d)[:：]?")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# a figure in a text read as no row: a row's figures (2020: 分值 20, 得分 20) may be in it, unread
_FIGURE = re.compile(r"\d+(?:\.\d+)?")
# a level's points, as its 一级指标 cell states them: (70分)
_POINTS = re.compile(r"[(（]\d{1,3}(?:\.\d{1,2})?分[)）]")
# the longest text looked at (a hostile cell stays cheap), and the longest name tried
_MAX_BODY, _MAX_NAME = 20_000, 60
# two figures with only spaces between them (10 10, 95% ≥90%), and how many make a spaced layout
_SPACED = re.compile(r"\d%?[ \t\u3000]+[≥≤<>]?\d")
_SPACED_MIN = 3
# the longest text between two marks that is cut into rows (a few rows under one 二级指标)
_MAX_PIECE = 400
# what a row is worth before how well it reads (`_plausible`): explaining text beats leaving it,
# and one row that reads well beats two that read badly
_ROW = 1.0
# what a reading whose 得分 is above its 分值 costs: below any row that reads as a form's (−3 at
# worst), above leaving the piece unread (−2 against a row's +1)
_ABOVE_WEIGHT = 2.5
# a figure's characters: text starting with one cannot follow a row's last figure
_CONTINUES = frozenset("0123456789.%")
# what a value of 0 right after a digit costs a cut (see `_Reader._zeros`)
_ZERO_AFTER_DIGIT = 4.0


@dataclass(frozen=True)
class _Spec:
    labels: tuple[tuple[str, str], ...]  # (label key, column kind), longest first
    level1: tuple[str, ...]
    level2: tuple[str, ...]
    ends: tuple[str, ...]
    qualitative: tuple[str, ...]
    totals: tuple[str, ...] = ()  # the 总分 labels (of `ends`)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(key for key, kind in self.labels if kind == "name")

    @classmethod
    def of(cls, tpl: Template) -> "_Spec":
        ind = tpl.group("indicators")
        labels = {(label_key(a), k) for k in _HEADER_KINDS for a in ind.get(k, ()) if label_key(a)}
        others = {label_key(a) for k, v in ind.items() if k not in _HEADER_KINDS and k != "block" for a in v}
        labels |= {(o, "other") for o in others if o}
        lv = tpl.group("levels")
        total = tpl.group("total")
        ends = tuple(label_key(a.rstrip("*")) for a in total.get("label", ()) + total.get("end", ()))
        ends += tuple(label_key(a) for a in (tpl.title, *tpl.group("fields").get("project", ())))
        return cls(tuple(sorted(labels, key=lambda x: -len(x[0]))),
                   tuple(sorted((label_key(a) for a in lv.get("level1", ())), key=len, reverse=True)),
                   tuple(sorted((label_key(a) for a in lv.get("level2", ())), key=len, reverse=True)),
                   tuple(e for e in ends if e),
                   tuple(sorted(tpl.group("glued").get("qualitative", ()), key=len, reverse=True)),
                   tuple(k for k in (label_key(a.rstrip("*")) for a in total.get("label", ())) if k))


@dataclass(frozen=True)
class _Flat:
    """The document's cells one after another without the spaces inside them, and where each
    row begins and each cell ends in that text."""

    text: str
    row_starts: tuple[int, ...]
    cell_ends: frozenset[int]

    @classmethod
    def of(cls, rows: list[Row]) -> "_Flat":
        parts, starts, ends, pos = [], [], set(), 0
        for row in rows:
            starts.append(pos)
            for cell in row:
                t = _squash(cell or "")
                parts.append(t)
                pos += len(t)
                ends.add(pos)
        return cls("".join(parts), tuple(starts), frozenset(ends))

    def row_at(self, pos: int) -> int:
        return max(r for r, p in enumerate(self.row_starts) if p <= pos)


def _spec(tpl: Template, settings) -> _Spec:
    return settings.memo(f"form.glued.{tpl.name}", lambda: _Spec.of(tpl))


def is_glued(rows: list[Row], tpl: Template, settings) -> bool:
    """The indicator header's labels run together: inside one cell, or over cells that do not
    begin and end where the labels do (a page that broke its text at random)."""
    spec = _spec(tpl, settings)
    return (_may_be_glued(rows, spec) and not _spaced(rows)
            and _header_in(_Flat.of(rows), spec) is not None)


def _spaced(rows: list[Row]) -> bool:
    """Figures set apart by spaces (1 1 10 10): a plain-text layout whose cells the spaces still
    separate, which cutting by content would only make worse."""
    count = 0
    for row in rows:
        for cell in row:
            count += len(_SPACED.findall(cell or ""))
            if count >= _SPACED_MIN:
                return True
    return False


def _may_be_glued(rows: list[Row], spec: _Spec) -> bool:
    """A cell holds the 三级指标 label and more (a table's own header cell holds only it): the
    cheap test every form passes through before the whole text is looked at."""
    whole = "\x00" + "\x00".join(c for r in rows for c in r if c).translate(NO_SPACE) + "\x00"
    for key in spec.names:
        at = whole.find(key)
        while at >= 0:
            if whole[at - 1] != "\x00" or whole[at + len(key)] != "\x00":
                return True
            at = whole.find(key, at + 1)
    return False


def unglue(rows: list[Row], tpl: Template, settings) -> list[Row]:
    """The rows with the glued indicator table cut into header and indicator rows; the text
    before it (title, funds, goals) and after it (总分, 评价结论) stays, as one cell where the
    table began in its row."""
    spec, flat = _spec(tpl, settings), _Flat.of(rows)
    head = None if _spaced(rows) else _header_in(flat, spec)
    if head is None:
        return rows
    start, end, kinds = head
    r = flat.row_at(start)
    below = next((k for k in range(r + 1, len(rows)) if REPORT_HEADING.match(_first(rows[k]))), len(rows))
    stop = flat.row_starts[below] if below < len(rows) else len(flat.text)
    table, rest = _cut_end(flat.text[end:min(stop, end + _MAX_BODY)], spec)
    unread: list[str] = []
    found = list(_rows(table, kinds, spec, settings, unread))
    if not found:
        return rows
    # the 总分 is held to the rows only when every row of the table was read (a row left unread,
    # its figures with it, would make the sums short of a 总分 that is right)
    rest = _total_cells(rest, spec, whole=not any(_FIGURE.search(t) for t in unread))
    before = rows[:r] + ([[flat.text[flat.row_starts[r]:start]]] if start > flat.row_starts[r] else [])
    header = [_HEADER_TEXT[k] for k in kinds]
    return before + [header] + found + ([rest] if rest else []) + rows[below:]


def _first(row: Row) -> str:
    return next((c for c in row if c and c.strip()), "").strip()


# the header row written back, one label per kind (the parser matches them as its own labels)
_HEADER_TEXT = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值",
                "actual": "实际完成值", "weight": "分值", "score": "得分", "deviation": "偏差原因分析"}


def _squash(text: str) -> str:
    """The text with the spaces and line breaks an extraction put inside cells taken out (and a
    page number at its start)."""
    t = text.translate(NO_SPACE)
    return PAGE_MARK.sub("", t) if t[:1].isdigit() else t




def _label_at(text: str, pos: int, spec: _Spec) -> Optional[tuple[str, str]]:
    for key, kind in spec.labels:
        if text.startswith(key, pos):
            return key, kind
    return None


def _label_before(text: str, pos: int, spec: _Spec) -> Optional[tuple[str, str]]:
    for key, kind in spec.labels:
        if text.endswith(key, 0, pos):
            return key, kind
    return None


def _header_in(flat: _Flat, spec: _Spec) -> Optional[tuple[int, int, list[str]]]:
    """(start, end, column kinds) of the first run of column labels, around a 三级指标 label, that
    names the target or value and at least `_MIN_HEADER` columns, only of the kinds cut here,
    is glued (some label ends where no cell does) and is followed by the first row."""
    text = flat.text
    for at in sorted({i for key in spec.names for i in find_all(text, key)}):
        start, before = at, []
        got = _label_before(text, start, spec)
        while got is not None:
            before.append(got[1])
            start -= len(got[0])
            got = _label_before(text, start, spec)
        kinds, p, ends = before[::-1], at, []
        got = _label_at(text, p, spec)
        while got is not None:
            kinds.append(got[1])
            p += len(got[0])
            note = LABEL_NOTE.match(text, p)
            p = note.end() if note else p
            ends.append(p)
            got = _label_at(text, p, spec)
        tail = _MEASURES.match(text, p) if kinds and kinds[-1] == "deviation" else None
        p = tail.end() if tail else p
        glued = any(e not in flat.cell_ends for e in ends[:-1]) or start not in flat.cell_ends | {0}
        # the table's first row follows (产出指标, 数量指标, 指标1): a label read as the start of a
        # longer one the template does not know (得分 of 得分计算方法) leaves the columns unknown
        if (glued and _mark_at(text, p, spec) is not None and len(kinds) >= _MIN_HEADER and "name" in kinds and {"target", "actual"} & set(kinds)
                and "other" not in kinds and len(set(kinds)) == len(kinds)):
            return start, p, kinds
    return None



def _cut_end(body: str, spec: _Spec) -> tuple[str, list[str]]:
    """The table, up to the first label of what follows it (总分, 评价结论, the next form's title),
    and that label and the rest, as two cells (the parser knows the label)."""
    found = [(i, e) for i, e in ((body.find(e), e) for e in spec.ends) if i >= 0]
    if not found:
        return body, []
    at, label = min(found, key=lambda x: (x[0], -len(x[1])))
    return body[:at], [label, body[at + len(label):]]


def _total_cells(rest: list[str], spec: _Spec, whole: bool) -> list[str]:
    """The 总分 line with its glued figures cut into 分值 and 得分 (总分10098: 100 | 98) when they
    part one way only and the table was read `whole`; otherwise without them (10098 read as one
    figure is no 总分 at all)."""
    if not rest or rest[0] not in spec.totals:
        return rest
    glued = _TOTAL_FIGURES.match(rest[1])
    if glued is None:
        return rest
    pair = _total_pair(glued.group(1)) if whole else None
    return [rest[0], *(pair or ("", "")), rest[1][glued.end():]]


# a form's whole points (总分's 分值) are at least this
_WHOLE_MIN = 50
# the figures glued after 总分: 10098 (分值 100, 得分 98), 100100
_TOTAL_FIGURES = re.compile(r"[:：]?(\d{2,6}(?:\.\d{1,2})?)")


def _total_pair(digits: str) -> Optional[tuple[str, str]]:
    """总分's 分值 and 得分 when the digits part one way only into two points (no leading zero, a
    form's whole of 50 to 100, 得分 not above it): 10098 is 100 | 98, 9998 is 99 | 98; a 总分 of
    100 alone (10 | 0) is no pair."""
    pairs = [(digits[:i], digits[i:]) for i in range(1, len(digits))
             if _NUMBER.fullmatch(digits[:i]) and _NUMBER.fullmatch(digits[i:])
             and float(digits[i:]) <= float(digits[:i]) and _WHOLE_MIN <= float(digits[:i]) <= 100]
    return pairs[0] if len(pairs) == 1 else None


def _rows(table: str, kinds: list[str], spec: _Spec, settings, unread: Optional[list[str]] = None) -> Iterator[Row]:
    """The indicator rows: the table cut at its marks (levels, numbering), each piece read by
    `_Reader`; the text it reads as no row goes to `unread`."""
    values = [k for k in kinds if k in _VALUE_KINDS]
    reader = _Reader(values, spec, settings, unread if unread is not None else [])
    l1 = l2 = ""
    for kind, text in _pieces(table, spec):
        if kind == "level1":
            l1, l2 = text, ""
        elif kind == "level2":
            l2 = text
        elif kind == "text":
            for cells in reader.read(text):
                row = {"level1": l1, "level2": l2, **cells}
                yield [row.get(k, "") for k in kinds]


def _pieces(table: str, spec: _Spec) -> Iterator[tuple[str, str]]:
    """The table as marks (level1, level2, numbering) and the texts between them."""
    pos, since = 0, 0
    while pos < len(table):
        mark = _mark_at(table, pos, spec)
        if mark is None:
            pos += 1
            continue
        kind, end = mark
        if since < pos:
            yield "text", table[since:pos]
        # a level keeps the points its cell states (产出指标(70分)): project.level_weights reads them
        keep = _POINTS.fullmatch if kind == "level1" else (lambda _: None)
        yield kind, LABEL_NOTE.sub(lambda n: n.group() if keep(n.group()) else "", table[pos:end])
        pos = since = end
    if since < len(table):
        yield "text", table[since:]


def _mark_at(text: str, pos: int, spec: _Spec) -> Optional[tuple[str, int]]:
    for level in spec.level1:
        if text.startswith(level, pos):
            end = pos + len(level)
            note = LABEL_NOTE.match(text, end)
            # a value that is both (满意度指标, 成本指标) is 一级 only when a 二级 follows it
            nxt = note.end() if note else end
            if level not in spec.level2 or any(text.startswith(l2, nxt) for l2 in spec.level2):
                return "level1", nxt
    for level in spec.level2:
        if text.startswith(level, pos):
            note = LABEL_NOTE.match(text, pos + len(level))
            return "level2", note.end() if note else pos + len(level)
    m = _NUMBERING.match(text, pos)
    if m:
        return "numbering", m.end()
    return None


class _Reader:
    """Cuts one piece of the table (one or more rows under the same marks) into rows: a name,
    then one value per column, the best-reading cut of all (a small dynamic programme)."""

    def __init__(self, values: list[str], spec: _Spec, settings, unread: Optional[list[str]] = None) -> None:
        self.values = [v for v in values if v != "deviation"]
        self.unread = unread if unread is not None else []  # the texts read as no row
        self.spec = spec
        self.sc = scanner(settings)
        # where a value can begin: a name ends only before one of these
        self.starts = frozenset("0123456789") | {sym[0] for sym, _ in self.sc.comparators} | {
            w[0] for w in spec.qualitative}

    def read(self, text: str) -> list[dict[str, str]]:
        if len(text) > _MAX_PIECE:
            return []  # no run of rows under one mark is this long: prose, not a table
        _, rows, unread = self._best(text)(0)
        self.unread.extend(unread)
        return rows

    def _best(self, text: str):
        @lru_cache(maxsize=None)
        def best(i: int) -> tuple[float, list[dict[str, str]], tuple[str, ...]]:
            """(how well, the rows, the text read as no row) of the best reading from i on."""
            if i >= len(text):
                return 0.0, [], ()
            # the rest read as no row (a reason, noise); right after a row's last figure a digit
            # means that row was cut inside a number, which only another row may explain
            split = self._inside_figure(text, i)
            options = [(-15.0 if split else -2.0, [], (text[i:],) if text[i:].strip() else ())]
            for j in range(i + 1, min(len(text), i + _MAX_NAME) + 1):
                name = text[i:j]
                if j >= len(text) or text[j] not in self.starts or not _good_name(name):
                    continue
                short = len(_CJK.findall(name)) < 4  # 万元 is no name
                for score, cells, k in self._values(text, j, 0, {}):
                    tail_score, tail, unread = best(k)
                    options.append((score + _ROW - 5 * split - short + tail_score, [{"name": name, **cells}] + tail,
                                    unread))
            return max(options, key=lambda o: o[0])

        return best

    def _inside_figure(self, text: str, i: int) -> bool:
        """Position i goes on with the figure before it (its digits, its %, its unit): a row that
        ended there was cut inside a number."""
        return bool(i) and text[i - 1].isdigit() and (text[i] in _CONTINUES or self.sc.unit_at(text, i) is not None)

    def _values(self, text: str, pos: int, n: int, cells: dict[str, str]) -> Iterator[tuple[float, dict[str, str], int]]:
        """Every way the columns from the n-th on can be read from `pos`: (how well, cells, end)."""
        if n == len(self.values):
            yield _plausible(cells) - _ZERO_AFTER_DIGIT * self._zeros(text, pos, cells), dict(cells), pos
            return
        kind = self.values[n]
        tokens = self._scores(text, pos) if kind in ("weight", "score") else self._quantities(text, pos)
        for end in tokens:
            cells[kind] = text[pos:end]
            yield from self._values(text, end, n + 1, cells)
            del cells[kind]

    def _zeros(self, text: str, end: int, cells: dict[str, str]) -> int:
        """Values that are a 0 glued to a digit before it ('100%' read as 10 and 0%): a cut
        inside one number far more often than a 0 in the form (unless both values are 0)."""
        if cells.get("target") is not None and cells.get("target") == cells.get("actual"):
            return 0
        pos, count = end - sum(len(v) for v in cells.values() if v is not None), 0
        for kind in self.values:
            v = cells[kind]
            count += v[:1] == "0" and pos > 0 and text[pos - 1].isdigit()
            pos += len(v)
        return count

    def _scores(self, text: str, pos: int) -> list[int]:
        """Ends of a 分值/得分 at pos: every prefix of the digits there that is a number up to 100."""
        m = _NUMBER.match(text, pos)
        if not m:
            return []
        out = []
        for end in range(pos + 1, m.end() + 1):
            t = text[pos:end]
            if _NUMBER.fullmatch(t) and float(t) <= 100 and not t.endswith("."):
                out.append(end)
        return out

    def _quantities(self, text: str, pos: int) -> list[int]:
        """Ends of a 年度指标值/实际完成值 at pos: a comparator, a number and a unit the settings
        know (or none), or one of the template's qualitative values (是, 合格, 显著提升)."""
        out = [pos + len(w) for w in self.spec.qualitative if text.startswith(w, pos)]
        p = pos
        for sym, _ in self.sc.comparators:
            if text.startswith(sym, p):
                p += len(sym)
                break
        m = _NUMBER.match(text, p)
        if not m:
            return out
        for end in range(p + 1, m.end() + 1):
            t = text[p:end]
            if not _NUMBER.fullmatch(t):
                continue
            out.append(end)
            rest = end + 1 if text.startswith("万", end) and not text.startswith("万元", end) else end
            unit = self.sc.unit_at(text, rest)
            if unit:
                out.append(rest + len(unit))
        return out


def _good_name(name: str) -> bool:
    """A name holds two Chinese characters and ends as a name does, not in a figure."""
    return len(_CJK.findall(name)) >= 2 and not name[-1].isdigit() and name[-1] not in _NOT_LAST


# what a name does not end in: a figure's sign or a mark that goes on to more of the name
_NOT_LAST = frozenset("%.≥≤<>=＞＜≧≦、，,；;：:（(")


def _plausible(cells: dict[str, str]) -> float:
    """How much a cut reads like a form's row. 得分 above 分值 costs more than any other reading of
    the piece, and more than all but leaving it unread: a row that reads only so is read (the
    checks report the score), not dropped."""
    score = 0.0
    w, s = _num(cells.get("weight")), _num(cells.get("score"))
    if w is not None and s is not None:
        if s > w:
            return -_ABOVE_WEIGHT
        score += 3 if s == w else 0
    target, actual = cells.get("target"), cells.get("actual")
    if target is not None and actual is not None:
        if target.lstrip("≥≤<>=＞＜≧≦") == actual.lstrip("≥≤<>=＞＜≧≦"):
            score += 2
        elif _unit(target) and _unit(actual) and _unit(target) != _unit(actual):
            score -= 3
    return score


def _num(text: Optional[str]) -> Optional[float]:
    return float(text) if text and _NUMBER.fullmatch(text) else None


def _unit(text: str) -> str:
    return re.sub(r"^[^\d]*[\d.]+", "", text)
