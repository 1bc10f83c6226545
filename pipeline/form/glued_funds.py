"""The fund block of a 项目支出 form whose cells a text extraction ran together, as
doc-sharing sites serve their pages ('…全年预算数(A)全年执行数(B)分值执行率(B/A)得分
年度资金总额:202010100.00%10其中:本年财政拨款2020其他资金…'): the header and each fund
row cut back into the cells the project parser reads.

The header names the columns in order (the template's fund labels, glued, notes such
as (A) or (10分) between them). A row is a total or source label and the figures glued
after it: the 执行率 ends with '%' and the 得分 follows it. The figures before the rate
are cut into numbers (no leading zero) and given to the columns before it in order,
a column the row leaves blank skipped, so that 全年执行数 / 全年预算数 is the 执行率 to
its precision; a source row has no 分值 or 得分, and without a rate its figures are
cut so that none is above the total's. A row that no cut, or more than one, explains
is left unread: a fund row is never guessed.

The cut rests on the rate agreeing with the amounts. A glued row that no cut reads as
agreeing contradicts itself however it is read: the reading that contradicts least is
taken when it stands far out from the others (so the checks report the contradiction),
and the row stays unread when none does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from typing import Iterator, Optional

from ..config import Template
from ..model import Row
from .common import LABEL_NOTE, NO_SPACE, find_all
from .grid import label_key, matches

_KINDS = ("initial", "budget", "executed", "weight", "rate", "score")
_MONEY = ("initial", "budget", "executed")
# a row's glued figures: digits and decimal points, a rate's %, and the 得分 after it
_RUN = re.compile(r"[:：]?(?P<left>[0-9.]{1,40})(?:(?P<pct>%)(?P<right>[0-9.]{0,6}))?")
# a number as a cell holds it: no leading zero (020 is 0 and 20 glued); money to 4 decimals
_AMOUNT = re.compile(r"(?:0|[1-9]\d{0,9})(?:\.\d{1,4})?")
_RATE = re.compile(r"(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?")
_POINTS = re.compile(r"(?:0|[1-9]\d?|100)(?:\.\d{1,2})?")
# a fund row's 分值: whole points, below the form's 100
_WEIGHT = re.compile(r"[1-9]\d?")
# the header's labels at least, and the text between its last label and the first row at most
_MIN_HEADER, _MAX_GAP = 3, 12
# a source row's label: 其中: and a name of its own (其中:中央、省、市补助县级资金)
_WITHIN = re.compile(r"其中[:：]?")
_NAME = re.compile(r"[^\d.%:：]{1,20}")
_MAX_TEXT = 20_000
# dashes a form writes in a row's blank cells, between one row's figures and the next label
_BLANKS = re.compile(r"(?:[—\-–/／]{1,6}(?:\d{1,3}(?:\.\d{1,2})?%)?){0,4}")  # (—92%—: a source's own rate)
# a cell number's longest text (10606.7522 is ten); the ways of cutting one row tried, and the
# readings kept, at most: a run that gives more is too ambiguous to cut, and stays cheap
_PIECE_MAX, _MAX_TRIES, _MAX_CUTS = 15, 2000, 50
_MAX_ROWS = 12
_MAX_STEPS = 3_000  # pieces looked at for one row's run (a real one needs a few hundred)
_MAX_BLOCKS = 3  # cells holding a glued fund header tried, at most


@dataclass(frozen=True)
class _Spec:
    labels: tuple[tuple[str, str], ...]  # (label as printed, kind), longest first
    totals: tuple[str, ...]
    sources: tuple[str, ...]
    header_text: dict
    executed: tuple[str, ...]

    @classmethod
    def of(cls, tpl: Template) -> "_Spec":
        funds = tpl.group("funds")
        labels = {(a, k) for k in _KINDS for a in funds.get(k, ()) if not a.endswith("*")}
        rows = lambda key: tuple(sorted((a for a in funds.get(key, ()) if not a.endswith("*")), key=len, reverse=True))
        return cls(tuple(sorted(labels, key=lambda x: -len(x[0]))), rows("total"), rows("sources"),
                   {k: funds[k][0] for k in _KINDS if funds.get(k)}, rows("executed"))


def spec(tpl: Template, settings) -> _Spec:
    return settings.memo(f"form.glued_funds.{tpl.name}", lambda: _Spec.of(tpl))


def unglue(rows: list[Row], tpl: Template, settings) -> list[Row]:
    """The rows with the fund block that a cell holds run together written out after that
    cell's row as a header and one row per source; the rows as they were when none is (or
    when a cell of its own names the 执行数: the header's cells are there)."""
    sp = spec(tpl, settings)
    if any(matches(label_key(c), sp.executed) for row in rows for c in row if c and len(c) <= 20):
        return rows
    tried = 0
    for r, row in enumerate(rows):
        for cell in row:
            if not cell or not any(a in cell for a in sp.executed):
                continue
            got = _block(cell.translate(NO_SPACE)[:_MAX_TEXT], sp)
            if got:
                return rows[: r + 1] + got + rows[r + 1:]
            tried += 1
            if tried >= _MAX_BLOCKS:
                return rows
    return rows




def _block(text: str, sp: _Spec) -> Optional[list[Row]]:
    head = _header(text, sp)
    if head is None:
        return None
    kinds, pos = head
    out: list[Row] = []
    total: Optional[dict[str, float]] = None
    places: dict[str, int] = {}
    unread_source, is_totals = False, []
    for label, cells, is_total in _rows(text, pos, kinds, sp):
        values = _cut(cells, kinds, is_total, total, places)
        if is_total and total is None:
            total = {k: float(v) for k, v in (values or {}).items() if k in _MONEY}
            places = {k: _decimals(v) for k, v in (values or {}).items() if k in _MONEY}
        unread_source = unread_source or (not is_total and cells is not None and values is None)
        is_totals.append(is_total)
        out.append(["", label] + [(values or {}).get(k, "") + ("%" if k == "rate" and values and k in values else "")
                                  for k in kinds])
    if not out or not any(c for row in out for c in row[2:]):
        return None
    if unread_source:
        # a source row no cut reads, or more than one: the sources are not all known, and blank
        # rows beside it would sum short of a total that is right; the total row stays
        out = [row for row, total_row in zip(out, is_totals) if total_row]
    return [["项目资金"] + [""] + [sp.header_text.get(k, k) for k in kinds]] + out


def _header(text: str, sp: _Spec) -> Optional[tuple[list[str], int]]:
    """(column kinds, where the rows begin) of the first run of fund labels naming the amounts,
    found from each 执行数 label: back to the run's first label, then on to its last (a label
    whose column came already starts text the template does not know: 得分 of 得分计算方法)."""
    for at in sorted({i for a in sp.executed for i in find_all(text, a)}):
        start = at
        for _ in range(len(_KINDS)):  # a header names each column once
            got = _label_before(text, start, sp)
            if got is None:
                break
            start = got
        kinds, p = [], start
        got = _label_at(text, p, sp)
        while got is not None and got[1] not in kinds:
            kinds.append(got[1])
            p += len(got[0])
            note = LABEL_NOTE.match(text, p)
            p = note.end() if note else p
            got = _label_at(text, p, sp)
        if (len(kinds) >= _MIN_HEADER and len(set(kinds)) == len(kinds) and "executed" in kinds
                and {"budget", "initial"} & set(kinds)):
            first = next((q for q in range(p, min(len(text), p + _MAX_GAP + 1)) if _row_label(text, q, sp)), None)
            if first is not None:
                return kinds, first
    return None



# a note that ends where the next label starts: 全年预算数(A)|全年执行数
_NOTE_BEFORE = re.compile(r"[(（][^()（）]{0,8}[)）]$")


def _label_before(text: str, pos: int, sp: _Spec) -> Optional[int]:
    """Where the label (and its note) that ends at `pos` starts, or None."""
    note = _NOTE_BEFORE.search(text, max(0, pos - 10), pos)
    end = note.start() if note else pos
    for label, _ in sp.labels:
        if text.endswith(label, 0, end):
            return end - len(label)
    return None


def _label_at(text: str, pos: int, sp: _Spec) -> Optional[tuple[str, str]]:
    for label, kind in sp.labels:
        if text.startswith(label, pos):
            return label, kind
    return None


def _row_label(text: str, pos: int, sp: _Spec) -> Optional[tuple[str, bool]]:
    """(label, is the total) of a fund row starting at `pos`."""
    for label in sp.totals:
        if text.startswith(label, pos):
            return label, True
    within = _WITHIN.match(text, pos)
    at = within.end() if within else pos
    for label in sp.sources:
        if text.startswith(label, at):
            return text[pos:at + len(label)], False
    if within:
        name = _NAME.match(text, at)
        if name:
            return text[pos:name.end()], False
    return None


def _rows(text: str, pos: int, kinds: list[str], sp: _Spec) -> Iterator[tuple[str, Optional[re.Match], bool]]:
    """Each fund row from `pos`: its label, its glued figures (None: the row is blank), is it the
    total; a block holds a few (a text of thousands is no fund block, and stays cheap)."""
    for _ in range(_MAX_ROWS):
        pos = _BLANKS.match(text, pos).end()  # a row's blank cells marked with dashes (292.4——上年结转…)
        if pos >= len(text):
            return
        got = _row_label(text, pos, sp)
        if got is None:
            return
        label, is_total = got
        pos += len(label)
        run = _RUN.match(text, pos)
        if run:
            pos = run.end()
        yield label, run, is_total


def _decimals(v: str) -> int:
    return len(v.partition(".")[2])


def _cut(run: Optional[re.Match], kinds: list[str], is_total: bool,
         total: Optional[dict[str, float]], places: Optional[dict[str, int]] = None) -> Optional[dict[str, str]]:
    """The row's cells by column kind, when exactly one cut explains its figures."""
    if run is None:
        return {}
    cuts: set = set()
    for n, c in enumerate(_cuts(run, kinds, is_total, total)):
        if n >= _MAX_CUTS:
            return None  # a run that many ways read it is no row to guess at (and stays cheap)
        cuts.add(tuple(sorted(c.items())))
    if not cuts:
        return _closest(run, kinds, is_total, total)
    # the cuts with fewest zeros (a 0 after a digit is most often the seam of two numbers: 20201|0
    # of 202010, and a rate of 0 follows); of those, the ones with a 全年预算数 (the 执行率 is of it)
    # over a 年初预算数 alone. Two readings that differ otherwise leave the row unread
    # and of those, for a source row, the ones written to the total's decimal places (102.4 | 102.4
    # | 100.41 under 122.4 | 122.4 | 120.41, not 102.410 | 2.4)
    places = places or {}
    rank = lambda c: (-sum(float(v) == 0 for _, v in c),
                      sum(_decimals(v) == places[k] for k, v in c if k in places),
                      any(k == "budget" for k, _ in c))
    best = max(map(rank, cuts))
    cuts = {c for c in cuts if rank(c) == best}
    return dict(cuts.pop()) if len(cuts) == 1 else None


def _closest(run: re.Match, kinds: list[str], is_total: bool,
             total: Optional[dict[str, float]]) -> Optional[dict[str, str]]:
    """A row no cut reads as agreeing (its 执行率 is not its 执行数 / 预算数, its 得分 above its 分值):
    every reading of its figures contradicts itself, so the one that contradicts least, when it is
    the only one and far the least (20|20|10|90.00%|10 of 20201090.00%10: 90% against 100%), is
    read, and the checks say what is wrong with it. None when no reading stands out."""
    scored: list[tuple[float, tuple]] = []
    for n, cells in enumerate(_cuts(run, kinds, is_total, total, agreeing=False)):
        if n >= _MAX_CUTS:
            return None
        scored.append((_contradiction(cells), tuple(sorted(cells.items()))))
    scored = sorted(set(scored))
    if not scored or len(scored) > 1 and scored[1][0] < _STANDS_OUT * scored[0][0]:
        return None
    return dict(scored[0][1])


# the least contradicting reading stands out when the next one contradicts this many times more
_STANDS_OUT = 3


def _contradiction(cells: dict[str, str]) -> float:
    """How far a reading is from agreeing, each relation measured on its own scale: the stated rate
    against 执行数 / 预算数 (relative to the larger), a 得分 above its 分值 and above 分值 × 执行率
    (relative to the 分值)."""
    num = {k: float(v) for k, v in cells.items()}
    far = 0.0
    base = num.get("budget", num.get("initial"))
    if "rate" in num and base and "executed" in num:
        got, stated = num["executed"] / base, num["rate"] / 100
        far += abs(got - stated) / max(got, stated, 1e-9)
    if "score" in num and num.get("weight"):
        w = num["weight"]
        far += max(0.0, num["score"] - w) / w
        if "rate" in num:
            far += max(0.0, num["score"] - w * min(num["rate"], 100) / 100) / w
    return far


def _cuts(run: re.Match, kinds: list[str], is_total: bool,
          total: Optional[dict[str, float]], agreeing: bool = True) -> Iterator[dict[str, str]]:
    left, right = run.group("left"), run.group("right") or ""
    has_rate = bool(run.group("pct")) and "rate" in kinds
    before = [k for k in kinds[: kinds.index("rate")]] if has_rate else [k for k in kinds if k in _MONEY]
    if not is_total:
        before = [k for k in before if k in _MONEY]
    after = [k for k in kinds[kinds.index("rate") + 1:] if k == "score"] if has_rate else []
    # the rate is the few characters before the % (100.00 at most)
    tails = [(left[:i], left[i:]) for i in range(max(0, len(left) - 6), len(left))] if has_rate else [(left, "")]
    tried, budget = 0, [_MAX_STEPS]  # one budget for the whole row, every tail's search included
    for head, rate in tails:
        if has_rate and not _RATE.fullmatch(rate):
            continue
        for numbers in _numbers(head, len(before), budget):
            tried += 1
            if tried > _MAX_TRIES:
                return
            for cols in combinations(before, len(numbers)):
                cells = dict(zip(cols, numbers))
                if has_rate:
                    cells["rate"] = rate
                if right and after and is_total:
                    cells[after[0]] = right
                elif right:
                    continue  # figures after the rate and no column for them
                if _reads(cells, total, agreeing):
                    yield cells


def _numbers(text: str, parts: int, budget: list[int]) -> Iterator[list[str]]:
    """Every way to cut the text into at most `parts` cell numbers, within `budget` steps (shared
    by the whole search, dead branches counted too: hostile text stays cheap)."""
    if not text:
        yield []
        return
    if parts <= 0:
        return
    for m in range(1, min(len(text), _PIECE_MAX) + 1):
        budget[0] -= 1
        if budget[0] < 0:
            return
        piece = text[:m]
        if _AMOUNT.fullmatch(piece):
            for rest in _numbers(text[m:], parts - 1, budget):
                yield [piece] + rest


def _reads(cells: dict[str, str], total: Optional[dict[str, float]], agreeing: bool = True) -> bool:
    """A fund row: the rate is 执行数 / 预算数 to its precision, a 分值 and 得分 are points (得分
    not above 分值), and a source's amounts are not above the total's. Not `agreeing`: the figures
    have a fund row's shape, agreeing or not."""
    num = {k: float(v) for k, v in cells.items()}
    if "weight" in cells and not _WEIGHT.fullmatch(cells["weight"]):
        return False
    if "score" in cells and (not _POINTS.fullmatch(cells["score"]) or "weight" not in cells
                             or agreeing and num["score"] > num["weight"]):
        return False
    if "rate" in cells:
        base = num.get("budget", num.get("initial"))
        if base is None or "executed" not in num or base <= 0:
            return False
        decimals = _decimals(cells["rate"])
        if agreeing and abs(num["executed"] / base * 100 - num["rate"]) > 0.5 * 10 ** -decimals + 1e-9:
            return False
    if total:
        if any(num[k] > total[k] + 1e-9 for k in _MONEY if k in num and k in total):
            return False
    return True
