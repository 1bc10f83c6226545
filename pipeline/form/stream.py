"""A 项目支出 form exported one cell per line (as copying from a PDF viewer gives it):
the cells are stacked back into the rows the project parser reads, using the
template's own labels to know where each block starts and how wide it is.

Blank cells are absent in such an export, so rows are rebuilt by what the
cells are: a fund row is its label and as many figures as the header has
columns; an indicator row is optional 一级/二级 values (from the template's
`levels`), a name, target, actual value, weight and score, and a reason when
the next cell reads as one.

A page that printed each row on one line with single spaces between its cells
(a spaced export: scraped HTML tables, plain-text mirrors) is read the same way,
its lines split at the spaces, except that a line ends its row: a row whose line
holds fewer cells than the header has columns lost its blank ones, and the
figures it holds are placed by what they are (an 执行率 is a percentage; an
indicator's two figures are its 分值 and 得分, the columns a form always fills).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Optional

from ..config import FormRules, Template
from ..limits import Limits
from ..model import Row
from ..quantity import parse_figure
from .grid import label_key, matches

_FIG = re.compile(r"^[\s—\-–/]*$")
# a note printed under a label: （万元）, （20分）, （20分*执行率）
_UNIT_NOTE = re.compile(r"^[(（][^()（）]{1,12}[)）]$")
_MONEY_NOTE = re.compile(r"^[(（]\s*(?:万元|元|千元|亿元)\s*[)）]$")
_MONEY = re.compile(r"^\d+(?:\.\d+)?万元?$")
_SENTENCE = re.compile(r"[，。；,;]")  # a clause mark: prose, not a label
# the rows a form leaves for more indicators: ……, …, ...
_PLACEHOLDER = re.compile(r"^\s*(?:…+|\.{3,}|。{3,})\s*$")
# an indicator name numbered as the template prints it: 指标2, 指标1：培训人次
_NUMBERED = re.compile(r"^\s*指标\s*\d+")
# a column name wrapped in its cell comes as at most this many pieces of at most this many characters
_WRAP_MAX, _WRAP_PIECE = 3, 6


def is_stream(rows: list[Row], rules: FormRules) -> bool:
    """Nearly every row holds one cell: the export lost its columns."""
    filled = [r for r in rows if any(c for c in r if c)]
    single = sum(1 for r in filled if sum(1 for c in r if c) == 1)
    return len(filled) >= rules.stream_min_rows and single / len(filled) >= rules.stream_single_share


def is_spaced(rows: list[Row], tpl: Template, rules: FormRules, limits: Limits) -> bool:
    """Nearly every row holds one cell, and one of them, split at its spaces, has a run of the
    form's column names (年初预算数 全年预算数 全年执行数 分值 执行率 得分): a spaced export."""
    filled = [r for r in rows if any(c for c in r if c)]
    single = sum(1 for r in filled if sum(1 for c in r if c) == 1)
    if not filled or single / len(filled) < rules.stream_single_share:
        return False
    lab = _Labels.of(tpl, rules, limits)
    return any(_column_run(c.split(), lab) >= rules.spaced_header_min for r in filled for c in r if c and " " in c)


def _column_run(pieces: list[str], lab: _Labels) -> int:
    """The longest run of consecutive pieces each naming a fund or indicator column."""
    best = run = 0
    for piece in pieces:
        run = run + 1 if lab.any_of(piece, lab.fund_cols) or lab.any_of(piece, lab.ind_cols) else 0
        best = max(best, run)
    return best


def _cells(rows: list[Row], keep_marked_blanks: bool) -> list[str]:
    """The rows' filled cells in order; an empty cell the export marked (a bare | line, read as a
    row of one empty cell) keeps its place as "" when asked."""
    out: list[str] = []
    for row in rows:
        if keep_marked_blanks and row == [""]:
            out.append("")
            continue
        out.extend(c.strip() for c in row if c and c.strip())
    return out


def restack(rows: list[Row], tpl: Template, rules: FormRules, limits: Limits, spaced: bool = False) -> list[Row]:
    """The rows back from the cells: each block read by the first reader that recognises its start.
    `spaced`: each cell is a line of cells separated by spaces, and a line ends its row."""
    cells = _cells(rows, keep_marked_blanks=not spaced)
    cur = _Cells.of_lines(cells) if spaced else _Cells(cells)
    lab = _Labels.of(tpl, rules, limits)
    out: list[Row] = []
    while cur.more():
        for reader in _READERS:
            got = reader(cur, lab)
            if got is not None:
                out.extend(got)
                break
        else:
            out.append([cur.take()])
    return out


class _Cells:
    """The stream of cells and the position of the reader in it."""

    def __init__(self, cells: list[str], line_ends: Optional[list[int]] = None) -> None:
        self.cells, self.i = cells, 0
        self.line_ends = line_ends  # a spaced export: the index after each line's last cell, ascending

    @classmethod
    def of_lines(cls, lines: list[str]) -> "_Cells":
        cells: list[str] = []
        ends: list[int] = []
        for line in lines:
            cells.extend(line.split())
            ends.append(len(cells))
        return cls(cells, ends)

    def line_left(self) -> Optional[int]:
        """How many cells this line has from here (None: the cells came without lines)."""
        if self.line_ends is None:
            return None
        k = bisect.bisect_right(self.line_ends, self.i)
        return self.line_ends[k] - self.i if k < len(self.line_ends) else len(self.cells) - self.i

    def more(self, k: int = 0) -> bool:
        return self.i + k < len(self.cells)

    def peek(self, k: int = 0) -> str:
        return self.cells[self.i + k] if self.more(k) else ""

    def take(self) -> str:
        cell, self.i = self.cells[self.i], self.i + 1
        return cell

    def join_next(self) -> None:
        """The next two cells as one (a label its cell wrapped)."""
        self.cells[self.i:self.i + 2] = ["".join(self.cells[self.i:self.i + 2])]
        if self.line_ends is not None:  # every line end after the pair moves back by one
            self.line_ends = [e - 1 if e > self.i + 1 else e for e in self.line_ends]

    def take_while(self, ok: Callable[[str], bool], at_most: Optional[int] = None) -> list[str]:
        got: list[str] = []
        while self.more() and (at_most is None or len(got) < at_most) and ok(self.peek()):
            got.append(self.take())
        return got


# the indicator columns a form fills left of the 完成值 (a short row is read up to them)
_LEFT_FILLED = frozenset({"name", "sense", "target", "measure"})
_FUND_COLS = ("initial", "budget", "executed", "weight", "rate", "score", "note")
_IND_COLS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation", "sense", "measure")


@dataclass(frozen=True)
class _Labels:
    """What of the template the restacker reads by."""

    tpl: Template
    rules: FormRules
    limits: Limits
    fields: tuple[str, ...]
    fund_block: tuple[str, ...]
    fund_cols: dict[str, tuple[str, ...]]
    fund_rows: tuple[str, ...]
    goal_block: tuple[str, ...]
    goal_cols: dict[str, tuple[str, ...]]
    ind_block: tuple[str, ...]
    ind_cols: dict[str, tuple[str, ...]]
    level1: frozenset[str]
    level2: frozenset[str]
    totals: tuple[str, ...]
    ends: tuple[str, ...]

    @classmethod
    def of(cls, tpl: Template, rules: FormRules, limits: Limits) -> "_Labels":
        g = tpl.group
        return cls(
            tpl=tpl,
            rules=rules,
            limits=limits,
            fields=tuple(a for v in g("fields").values() for a in v),
            fund_block=g("funds").get("block", ()),
            fund_cols={k: g("funds").get(k, ()) for k in _FUND_COLS},
            fund_rows=g("funds").get("total", ()) + g("funds").get("sources", ()),
            goal_block=g("goals").get("block", ()),
            goal_cols={k: g("goals").get(k, ()) for k in ("expected", "result")},
            ind_block=g("indicators").get("block", ()),
            ind_cols={k: g("indicators").get(k, ()) for k in _IND_COLS},
            # level values match as labels: 产出指标（50分） is 产出指标, 经济效益 指标 is 经济效益指标
            level1=frozenset(label_key(v) for v in g("levels").get("level1", ())),
            level2=frozenset(label_key(v) for v in g("levels").get("level2", ())),
            totals=g("total").get("label", ()),
            ends=g("total").get("end", ()),
        )

    def any_of(self, cell: str, groups: dict[str, tuple[str, ...]]) -> bool:
        return any(_is(cell, a) for a in groups.values())


def _is(cell: str, aliases: tuple[str, ...]) -> bool:
    return matches(label_key(cell), aliases)


def _header(cur: _Cells, groups: dict[str, tuple[str, ...]], lab: _Labels) -> list[str]:
    """A header's column names, one cell each; a unit note under one (（万元）) stays with it."""
    names: list[str] = []
    while cur.more():
        cell = cur.peek()
        if lab.any_of(cell, groups):
            names.append(cur.take())
        elif names and _UNIT_NOTE.match(cell):
            cur.take()
            if _MONEY_NOTE.match(cell):
                names[-1] += cell  # the money unit stays with the header (labels read past notes)
        else:
            wrapped = _wrapped_label(cur, groups, lab)
            if wrapped is None:
                break
            names.append(wrapped)
    return names


def _wrapped_label(cur: _Cells, groups: dict[str, tuple[str, ...]], lab: _Labels) -> Optional[str]:
    """A column name its narrow cell wrapped over two or three lines (年初 / 预算数, 实际 / 完成值),
    which a copy from a PDF viewer gives as cells of their own: taken whole when the pieces
    together name a column and the first alone does not."""
    for k in range(2, _WRAP_MAX + 1):
        parts = [cur.peek(j) for j in range(k)]
        if not all(parts) or any(len(p) > _WRAP_PIECE or parse_figure(p, lab.limits) is not None for p in parts):
            return None
        if lab.any_of("".join(parts), groups):
            for _ in parts:
                cur.take()
            return "".join(parts)
    return None


def _fund_block(cur: _Cells, lab: _Labels) -> Optional[list[Row]]:
    """项目资金: the block label (optional), its header, then each source label and its figures."""
    c = cur.peek()
    if not (_is(c, lab.fund_block) or lab.any_of(c, lab.fund_cols)):
        return None
    block = cur.take() if _is(c, lab.fund_block) else ""
    names = _header(cur, lab.fund_cols, lab)
    block += "".join(cur.take_while(_UNIT_NOTE.match))  # the block's unit, （万元）, printed under its label
    out: list[Row] = [[block, ""] + names]
    note = next((k for k, n in enumerate(names) if _is(n, lab.fund_cols["note"])), None)
    while cur.more() and _is(cur.peek(), lab.fund_rows):
        label = cur.take()
        left = cur.line_left()
        if left is not None and left < len(names):  # a spaced export's row without its blank cells
            out.append(["", label] + _placed_funds(cur.take_while(lambda cell: _is_value(cell, lab.limits), at_most=left),
                                                    names, lab))
            continue
        # a source left blank has no cells at all: its figures end at the next label
        values = cur.take_while(lambda cell: _is_value(cell, lab.limits), at_most=len(names))
        if note is not None and len(values) <= note and cur.more() and _reads_as_reason(cur.peek(), lab):
            # the 原因 column's prose (often the form's own instructions), after a blank 得分: in its
            # column when the row's cells reach it, else passed over so that the next source is read
            reason = cur.take()
            if len(values) == note:
                values.append(reason)
        out.append(["", label] + values)
    return out


def _placed_funds(values: list[str], names: list[str], lab: _Labels) -> list[str]:
    """A fund row's figures, fewer than its columns, in the header's order. The 执行率 column takes
    only a percentage; a row that states one has its figures before it end at the column before
    the rate (the blank is an earlier one, most often 年初预算数) and those after it start after it."""
    rate = next((k for k, n in enumerate(names) if _is(n, lab.fund_cols["rate"])), None)
    pct = next((k for k, v in enumerate(values) if "%" in v), None)
    out = [""] * len(names)
    if rate is not None and pct is not None and pct <= rate and len(values) - pct - 1 <= len(names) - rate - 1:
        for k, v in enumerate(reversed(values[:pct])):
            out[rate - 1 - k] = v
        out[rate] = values[pct]
        for k, v in enumerate(values[pct + 1:]):
            out[rate + 1 + k] = v
        return out
    rest = [v for v in values if "%" not in v] if rate is None or pct is None else list(values)
    for i in range(len(names)):
        if not rest:
            break
        if i == rate and not _FIG.match(rest[0]):
            continue  # no percentage for the 执行率: the figure is the next column's
        out[i] = rest.pop(0)
    return out


def _goal_block(cur: _Cells, lab: _Labels) -> Optional[list[Row]]:
    """年度总体目标: the block label, its header (预期目标, 实际完成情况), then one text per column."""
    if not _is(cur.peek(), lab.goal_block):
        return None
    c = cur.take()
    names = _header(cur, lab.goal_cols, lab)
    # an empty cell marked before as many texts as the header has columns is the row's blank label
    # cell (under 年度总体目标), not a blank 预期目标
    blanks = 0
    while cur.peek(blanks) == "" and cur.more(blanks):
        blanks += 1
    if blanks and all(cur.peek(blanks + j) for j in range(len(names))):
        for _ in range(blanks):
            cur.take()
    # a bare figure is no goal's text (a page's flow may put the table's figures here)
    texts = cur.take_while(lambda cell: not _is_label(cell, lab.tpl) and parse_figure(cell, lab.limits) is None,
                           at_most=len(names))
    return [[c] + names, [""] + texts]


def _indicator_block(cur: _Cells, lab: _Labels) -> Optional[list[Row]]:
    """绩效指标: the header, then rows of 一级/二级 values and indicator cells up to the 总分 line."""
    c = cur.peek()
    starts_block = _is(c, lab.ind_block) and _is(cur.peek(1), lab.ind_cols["level1"])
    if not (lab.any_of(c, lab.ind_cols) or starts_block):
        return None
    block = cur.take() if _is(c, lab.ind_block) and not _is(c, lab.ind_cols["name"]) else ""
    names = _header(cur, lab.ind_cols, lab)
    kinds = [next(k for k, a in lab.ind_cols.items() if _is(n, a)) for n in names]
    if _rows_outnumber_header(cur, lab, kinds):
        # the header lost columns the numbered rows fill: they are read in the form's own order
        kinds = [k for k in kinds if k in ("level1", "level2")] + ["name", *_ROW_VALUES]
        names = [lab.ind_cols[k][0] for k in kinds]
        return [[block] + names] + _indicator_rows(cur, lab, kinds, _numbered_row)
    return [[block] + names] + _indicator_rows(cur, lab, kinds)


# an indicator row's figures in the form's own column order
_ROW_VALUES = ("target", "actual", "weight", "score")


def _rows_outnumber_header(cur: _Cells, lab: _Labels, kinds: list[str]) -> bool:
    """A stream's indicator header names fewer of the value columns than its numbered rows fill:
    the extraction scrambled the header (年度 实际 / 指标值 完成值, and 分值 得分 dropped among
    the rows), and most numbered rows (指标6:name 12次 96次 1 1) hold one cell per column of the
    form's own order and read as such a row."""
    if cur.line_ends is not None or {"name", *_ROW_VALUES} <= set(kinds):
        return False
    widths = [(n, _reads_as_row(cur.cells[at + 1:at + 1 + n], lab, scored=True)) for at, n in _numbered_gaps(cur, lab)]
    regular = sum(1 for n, ok in widths if n == len(_ROW_VALUES) and ok)
    return regular >= lab.rules.numbered_min_rows and regular >= lab.rules.numbered_share * len(widths)


def _numbered_gaps(cur: _Cells, lab: _Labels) -> list[tuple[int, int]]:
    """Where each numbered name ahead stands and how many cells follow it before the next row
    starts, up to the 总分 line or the end of the rows."""
    probe = _Cells(cur.cells)
    probe.i = cur.i
    gaps: list[tuple[int, int]] = []
    while probe.more() and not _is(probe.peek(), lab.totals) and not _is(probe.peek(), lab.ends):
        if not _NUMBERED.match(probe.peek()):
            if not _starts_row(probe, lab):
                break  # a cell between rows that opens none: the rows ended
            probe.take()
            continue
        at = probe.i
        probe.take()
        while probe.more() and not _starts_row(probe, lab):
            probe.take()
        gaps.append((at, probe.i - at - 1))
    return gaps


def _reads_as_row(cells: list[str], lab: _Labels, scored: bool = False) -> bool:
    """年度指标值, 实际完成值, 分值, 得分: no column label among them, the last two figures, and
    (`scored`, when telling the layout) 得分 not above 分值. A row placed is not held to that:
    a score above its weight is what the checks are there to find."""
    if len(cells) != len(_ROW_VALUES) or any(_is_label(c, lab.tpl) for c in cells):
        return False
    weight, score = (parse_figure(c, lab.limits) for c in cells[2:])
    if weight is None or score is None:
        return False
    return not scored or 0 < weight.value and score.value <= weight.value


def _numbered_row(cur: _Cells, lab: _Labels, kinds: list[str], l1: str, l2: str) -> Optional[Row]:
    """A numbered row read in the form's own column order: its cells up to the next row, placed
    when they are one per column and read as a row; otherwise (cells the scrambled header left
    among them, a name wrapped past its figures) only the name is kept, its figures not guessed."""
    if not _NUMBERED.match(cur.peek()):
        return None  # a cell that opens no numbered row: the table ended
    row = [""] + [{"level1": l1, "level2": l2}.get(kind, "") for kind in kinds]
    row[1 + kinds.index("name")] = cur.take()
    cells: list[str] = []
    while cur.more() and not _starts_row(cur, lab):
        cells.append(cur.take())
    if _reads_as_row(cells, lab):
        for kind, cell in zip(_ROW_VALUES, cells):
            row[1 + kinds.index(kind)] = cell
    return row


def _indicator_rows(cur: _Cells, lab: _Labels, kinds: list[str],
                    read_row: Callable[..., Optional[Row]] = None) -> list[Row]:
    read_row = read_row or _indicator_row
    out: list[Row] = []
    l1 = l2 = ""
    seen_l1 = False
    while cur.more() and not _is(cur.peek(), lab.totals) and not _is(cur.peek(), lab.ends):
        if not cur.peek():
            cur.take()  # a marked empty cell where a row would start: the last row's blank tail
            continue
        if _PLACEHOLDER.match(cur.peek()) or _UNIT_NOTE.match(cur.peek()):
            cur.take()  # …… : the rows the form leaves for more indicators; （30分）: a level's weight, its name lost
            continue
        if _wrapped_level(cur, lab):
            cur.join_next()  # 经济效益 / 指标: the level's name wrapped in its cell
        key, nxt = label_key(cur.peek()), label_key(cur.peek(1))
        ambiguous = key in lab.level1 and key in lab.level2
        # a value of both levels (成本指标) is the 一级 one unless one came before it, or the table has no 一级 column
        if key in lab.level1 and not (ambiguous and (l1 or seen_l1 or "level1" not in kinds) and nxt not in lab.level2):
            l1, l2, seen_l1 = cur.take(), "", True
            continue
        if key in lab.level2:
            l2 = cur.take()
            continue
        row = read_row(cur, lab, kinds, l1, l2)
        if row is None:
            break  # a header of levels alone: nothing to read its rows by
        out.append(row)
        l1 = l2 = ""
    return out


def _indicator_row(cur: _Cells, lab: _Labels, kinds: list[str], l1: str, l2: str) -> Optional[Row]:
    """One indicator's cells in the header's order (分值 may come before 年度指标值, a column be absent)."""
    row = [""] + [{"level1": l1, "level2": l2}.get(kind, "") for kind in kinds]
    slots = [k for k, kind in enumerate(kinds) if kind not in ("level1", "level2", "deviation")]
    if not slots:
        return None
    left = cur.line_left()
    if left is not None and left != len(slots):
        return _line_row(cur, lab, kinds, slots, row, left)
    taken: list[int] = []
    cut_short = False
    for n, k in enumerate(slots[: len(cur.cells) - cur.i]):
        if n and _starts_row(cur, lab):
            cut_short = True  # blank cells are absent: the next level or numbered name begins the next row
            break
        row[1 + k] = cur.take()
        taken.append(k)
    if cut_short:
        # some cells of the row were blank, and which ones is unknown: the cells from the left
        # are kept up to the target (name, 指标性质, 指标值, 度量单位, which a form fills), the rest
        # (a 完成值, 分值 or 得分, one of which is missing) are not guessed. A row the excerpt cuts
        # off is read from the left as it stands.
        for k in taken:
            if kinds[k] not in _LEFT_FILLED:
                row[1 + k] = ""
    # (a spaced export's row ends with its line: a reason on it went to `_line_row`)
    if "deviation" in kinds and cur.more() and cur.line_ends is None and _reads_as_reason(cur.peek(), lab):
        row[1 + kinds.index("deviation")] = cur.take()
    return row


def _line_row(cur: _Cells, lab: _Labels, kinds: list[str], slots: list[int], row: Row, left: int) -> Row:
    """An indicator row of a spaced export whose line holds more or fewer cells than the row has
    columns. More: the name had spaces in it (its first pieces are joined), or a 偏差原因 ends
    the line. Fewer: the blank cells are absent; two figures after the name are the 分值 and
    得分, any other count is not guessed beyond the name."""
    pieces = [cur.take() for _ in range(left)]
    if "deviation" in kinds and len(pieces) > 1 and _reads_as_reason(pieces[-1], lab):
        row[1 + kinds.index("deviation")] = pieces.pop()
    extra = len(pieces) - len(slots)
    if extra > 0 and not any(parse_figure(p, lab.limits) is not None for p in pieces[:extra + 1]):
        pieces[:extra + 1] = ["".join(pieces[:extra + 1])]
    if len(pieces) == len(slots):
        for k, piece in zip(slots, pieces):
            row[1 + k] = piece
        return row
    row[1 + slots[0]] = pieces[0]
    tail = [k for k in slots[1:] if kinds[k] in ("weight", "score")]
    figures = pieces[1:]
    if len(figures) == 2 == len(tail) and all(parse_figure(p, lab.limits) is not None for p in figures):
        for k, piece in zip(tail, figures):
            row[1 + k] = piece
    return row


def _wrapped_level(cur: _Cells, lab: _Labels) -> str:
    """The 一级 or 二级 value the next two cells make together, when the first alone is none."""
    key = label_key(cur.peek())
    if not key or not cur.more(1) or key in lab.level1 or key in lab.level2:
        return ""  # (an empty cell wraps no label)
    joined = label_key(cur.peek() + cur.peek(1))
    return joined if joined in lab.level1 or joined in lab.level2 else ""


def _starts_row(cur: _Cells, lab: _Labels) -> bool:
    """The next cell opens another indicator row: a level value, a placeholder, a numbered name
    (指标2), the 总分 line or a row that ends the table."""
    cell = cur.peek()
    key = label_key(cell)
    return (key in lab.level1 or key in lab.level2 or bool(_wrapped_level(cur, lab)) or bool(_PLACEHOLDER.match(cell))
            or bool(_NUMBERED.match(cell)) or _is(cell, lab.totals) or _is(cell, lab.ends))


def _total_row(cur: _Cells, lab: _Labels) -> Optional[list[Row]]:
    """总分 and up to two figures (分值, 得分)."""
    if not _is(cur.peek(), lab.totals):
        return None
    c = cur.take()
    return [[c] + cur.take_while(lambda cell: parse_figure(cell, lab.limits) is not None, at_most=2)]


def _field_row(cur: _Cells, lab: _Labels) -> Optional[list[Row]]:
    """A label of the form's head (项目名称, 主管部门 …) and its value in the next cell."""
    if not (_is(cur.peek(), lab.fields) and cur.more(1) and not _is_label(cur.peek(1), lab.tpl)):
        return None
    return [[cur.take(), cur.take()]]


# tried in this order at each cell; a cell none recognises is a row of its own
_READERS = (_fund_block, _goal_block, _indicator_block, _total_row, _field_row)


def _is_value(cell: str, limits: Limits) -> bool:
    """A fund cell: a figure (200, 89.7%, 150万) or a dash for none."""
    return parse_figure(cell, limits) is not None or bool(_FIG.match(cell)) or bool(_MONEY.match(cell))


def _is_label(cell: str, tpl: Template) -> bool:
    key = label_key(cell)
    return any(matches(key, aliases) for group in tpl.labels.values() for aliases in group.values())


def _reads_as_reason(cell: str, lab: _Labels) -> bool:
    """A 偏差原因 is prose: long, or a sentence; an indicator name is a short label."""
    if _is_label(cell, lab.tpl) or parse_figure(cell, lab.limits) is not None or _FIG.match(cell):
        return False
    return len(cell) > lab.rules.reason_min_chars or bool(_SENTENCE.search(cell))
