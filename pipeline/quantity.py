"""Numerals and quantities: 230多条, 1.2万元, 两次, ≥95%, 3万人次.

Shared by the form parser (indicator cells, budget figures) and the claim
extractor, so that a figure reads the same wherever it stands. Units and
approximation words come from configs/units.toml and quantifiers.toml.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .model import Figure, Quantity

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
CN = f"[{CN_CHARS}]+"
_MINUS = "-−–—"


@dataclass(frozen=True)
class Match:
    """A quantity found in text, with offsets into that text."""

    start: int
    end: int
    num_start: int
    num_end: int
    value: float
    unit: Optional[str]
    decimals: int
    range: Optional[tuple[Optional[float], Optional[float]]]
    approx: bool
    chinese: bool
    prefix: str = ""
    suffix: str = ""


def cn_to_number(text: str, limits=None) -> Optional[float]:
    """Convert an isolated Chinese numeral (两, 十二, 一千零五, 三万); None if it is not one.
    `limits`: the run's (settings.limits); None, the shipped ones."""
    if not text:
        return None
    if text in ("百", "千", "万", "亿"):
        return {"百": 100.0, "千": 1000.0, "万": 10000.0, "亿": 1e8}[text]
    lim = _limits(limits)
    if len(text) > lim.max_numeral_chars:  # thousands of numerals in a row are not a figure
        return None
    return _cn_value(text, lim.max_magnitude)


@lru_cache(maxsize=4096)
def _cn_value(text: str, max_magnitude: float) -> Optional[float]:
    """A short numeral's value, kept: cn2an validates each one with regexes, and the same few come
    back in every report."""
    if text[0] in "百千" and len(text) > 1:
        text = "一" + text
    try:
        value = float(_cn2an().cn2an(text, "normal"))
    except (ValueError, KeyError, IndexError, TypeError, OverflowError):
        return None
    return value if _in_range(value, max_magnitude) else None


@lru_cache(maxsize=1)
def _cn2an():
    """cn2an's converter alone: the package's __init__ also loads its text transformer (~0.1 s)."""
    from cn2an.cn2an import Cn2An

    return Cn2An()


def arabic_value(text: str) -> tuple[float, int]:
    """'1,234.50' -> (1234.5, 2): the value and its stated decimals."""
    clean = text.replace(",", "")
    decimals = len(clean.split(".", 1)[1]) if "." in clean else 0
    return float(clean), decimals


_SHIPPED = None


def _limits(limits):
    """The run's limits, or (None) the shipped ones, looked up once: a caller outside a run (a
    test, a script) need not build settings to read a figure."""
    global _SHIPPED
    if limits is not None:
        return limits
    if _SHIPPED is None:
        from .limits import Limits

        _SHIPPED = Limits.resolve(None)
    return _SHIPPED


def _in_range(value: float, max_magnitude: float) -> bool:
    """Finite and within max_magnitude (configs/limits.toml): never inf or NaN downstream."""
    return math.isfinite(value) and abs(value) <= max_magnitude


def sane_arabic(text: str, limits=None) -> Optional[tuple[float, int]]:
    """`arabic_value`, or None for a figure of more digits or magnitude than any report states."""
    lim = _limits(limits)
    digits = text.replace(",", "")
    whole, _, frac = digits.partition(".")
    if len(whole.lstrip("0")) + len(frac) > lim.max_digits:
        return None
    value, decimals = arabic_value(text)
    return (value, decimals) if _in_range(value, lim.max_magnitude) else None


def step_range(value: float, decimals: int) -> tuple[float, float]:
    """多/余 open upwards by one step of the last non-zero digit: 230 -> [230, 240]."""
    if decimals > 0 and value != int(value):
        step = 10.0 ** (-decimals)
    else:
        n = int(round(abs(value)))
        step = 1.0
        while n and n % 10 == 0:
            n //= 10
            step *= 10
    return (value, _clean(value + step))


def _clean(x: float) -> float:
    """Round away float noise (0.1 + 0.2) while keeping real decimals."""
    return float(round(x, 9))


class Scanner:
    """Finds quantities in normalised text. Built once per Settings from its units and quantifiers."""

    def __init__(self, settings) -> None:
        self.limits = settings.limits
        u = settings.units
        q = settings.quantifiers
        self.comparators = sorted(q.comparators.items(), key=lambda kv: -len(kv[0]))
        self.units = u.all_units
        # the units by their first character (in their order): only those can start at a position
        self._units_at: dict[str, list[str]] = {}
        for unit in self.units:
            self._units_at.setdefault(unit[:1], []).append(unit)
        self.money = set(u.money)
        self.multipliers = u.multipliers
        self.not_followed = u.not_followed_by
        self.prefix = q.prefix
        self.infix = q.infix
        self.suffix = q.suffix
        pre = "|".join(re.escape(p) for p in sorted(self.prefix, key=len, reverse=True))
        inf = "|".join(re.escape(p) for p in self.infix)
        mult = "".join(self.multipliers)
        self.core = re.compile(
            rf"""
            (?P<pre>{pre})?                         # 约, 近, 超过 … before the number
            (?:
                (?P<arabic>(?<![\dA-Za-z.])(?:{ARABIC}))  # 1,234.5 — not the tail of a code (A12) or a decimal
              | (?P<cn>(?<![{CN_CHARS}]){CN})       # 两百三十 — a whole Chinese numeral
            )
            (?P<inf>{inf})?                         # 多/余 between number and multiplier (10多万)
            (?P<mult>[{mult}](?!元))?               # 万/亿 folded into the value; 万元 is a unit, not a multiplier
            (?P<inf2>{inf})?                        # 多/余 after the multiplier (3万多)
            """,
            re.VERBOSE,
        )
        self.percent_words = re.compile(rf"百分之(?P<num>{ARABIC}|{CN})")
        self.suffixes = sorted(self.suffix, key=len, reverse=True)

    def unit_at(self, text: str, pos: int) -> Optional[str]:
        units = self.units if "" in self._units_at else self._units_at.get(text[pos:pos + 1], ())
        for unit in units:
            if text.startswith(unit, pos):
                nxt = text[pos + len(unit): pos + len(unit) + 1]
                if nxt and nxt in self.not_followed.get(unit, ""):
                    continue
                return unit
        return None

    def scan(self, text: str, allow_bare: bool = False) -> list[Match]:
        out: list[Match] = []
        for m in self.percent_words.finditer(text):
            val = self._number(m.group("num"))
            if val is not None:
                out.append(Match(m.start(), m.end(), m.start(), m.end(), val[0], "%", val[1], None, False, True))
        taken = [(x.start, x.end) for x in out]  # in order and disjoint (finditer)
        pos = t = 0
        while True:
            m = self.core.search(text, pos)
            if not m:
                break
            pos = m.end() if m.end() > m.start() else m.start() + 1
            while t < len(taken) and taken[t][1] <= m.start():  # matches come in order: one pass, not n x k
                t += 1
            if t < len(taken) and taken[t][0] <= m.start():
                continue
            found = self._build(text, m, allow_bare)
            if found is not None:
                out.append(found)
                pos = max(pos, found.end)
        out.sort(key=lambda x: x.start)
        return out

    def without_prefix(self, text: str, m: Match) -> Optional[Match]:
        """The same quantity read without its approximation prefix (签约3.1万人 is not 约3.1万)."""
        if not m.prefix:
            return m
        for again in self.scan(text[m.start + len(m.prefix):m.end + 8]):
            if again.start == 0:
                off = m.start + len(m.prefix)
                return Match(off, off + again.end - again.start, off + again.num_start, off + again.num_end,
                             again.value, again.unit, again.decimals, again.range, again.approx, again.chinese,
                             again.prefix, again.suffix)
        return None

    def _number(self, raw: str) -> Optional[tuple[float, int]]:
        if raw[0].isdigit():
            return sane_arabic(raw, self.limits)
        val = cn_to_number(raw, self.limits)
        return None if val is None else (val, 0)

    def _build(self, text: str, m: re.Match, allow_bare: bool) -> Optional[Match]:
        """A core match read as a quantity: number, unit, approximation; None when it is no quantity."""
        chinese = m.group("cn") is not None
        raw = m.group("cn") if chinese else m.group("arabic")
        num_start, num_end = (m.start("cn"), m.end("cn")) if chinese else (m.start("arabic"), m.end("arabic"))
        parsed = self._number(raw)
        if parsed is None:
            return None
        value, decimals = parsed
        mult, end = m.group("mult"), m.end()
        unit = self._unit(text, end, raw, chinese)
        written = unit
        if unit is None and (written := self.split_unit_at(text, end)) is not None:
            unit = written.replace(" ", "")
        if unit is None:
            if not allow_bare or chinese or m.group("inf") or m.group("inf2"):
                return None
            if mult:
                value, decimals = _clean(value * self.multipliers[mult]), 0
            return Match(m.start(), end, num_start, num_end, value, None, decimals, None, False, False, m.group("pre") or "")
        end += len(written)
        folded = self._fold(raw, chinese, value, decimals, unit, mult)
        if folded is None:
            return None
        value, decimals, unit = folded
        approx_kind = self.infix.get(m.group("inf") or m.group("inf2") or "")
        suffix = self._suffix(text, end, approx_kind)
        prefix = m.group("pre") or ""
        rng, approx = self._approximation(approx_kind or self.suffix.get(suffix) or self.prefix.get(prefix),
                                          value, decimals)
        end += len(suffix)
        return Match(m.start(), end, num_start, num_end, value, unit, decimals, rng, approx, chinese, prefix, suffix)

    def _unit(self, text: str, end: int, raw: str, chinese: bool) -> Optional[str]:
        unit = self.unit_at(text, end)
        if unit is None and chinese and raw[-1] in "万亿" and len(raw) > 1 and text.startswith("元", end):
            unit = "元"  # 五万元: the multiplier sits inside the Chinese numeral
        return unit

    def split_unit_at(self, text: str, pos: int) -> Optional[str]:
        """A unit of several characters that a line wrap split with one space (500平方 米, as a PDF's
        text layer leaves it), where no unit starts (its first characters alone are none); as written,
        space kept."""
        for unit in self._units_at.get(text[pos:pos + 1], ()):
            for k in range(1, len(unit)):
                if text.startswith(unit[:k] + " " + unit[k:], pos):
                    nxt = text[pos + len(unit) + 1: pos + len(unit) + 2]
                    if not (nxt and nxt in self.not_followed.get(unit, "")):
                        return unit[:k] + " " + unit[k:]
        return None

    def _fold(self, raw: str, chinese: bool, value: float, decimals: int, unit: str,
              mult: Optional[str]) -> Optional[tuple[float, int, str]]:
        """Money keeps the unit as written (1.2万元 -> 1.2 万元; 五万元 -> 5 万元); every other
        multiplier folds into the value (3万人次 -> 30000 人次)."""
        if unit == "元" and (mult in ("万", "亿") or (chinese and raw[-1] in "万亿" and len(raw) > 1)):
            lead = mult or raw[-1]
            if not mult:
                head = self._number(raw[:-1])
                if head is None:
                    return None
                value, decimals = head
            return value, decimals, lead + "元"
        if mult:
            value = _clean(value * self.multipliers[mult])
            decimals = max(0, decimals - int(round(math.log10(self.multipliers[mult]))))
            if not _in_range(value, self.limits.max_magnitude):
                return None
        return value, decimals, unit

    def _suffix(self, text: str, end: int, approx_kind: Optional[str]) -> str:
        suffix = next((s for s in self.suffixes if text.startswith(s, end)), "")
        if suffix and suffix in self.infix and approx_kind:
            return ""  # 多 already read between number and unit
        return suffix

    @staticmethod
    def _approximation(kind: Optional[str], value: float, decimals: int):
        """(range, approx) for an approximation kind: 多/余 step, 近/不到 below, 以上/超过 above, 约 approx."""
        if kind == "step":
            return step_range(value, decimals), False
        if kind == "below":
            return (None, value), False
        if kind == "above":
            return (value, None), False
        return None, kind == "approx"


def scanner(settings) -> Scanner:
    """The scanner of these settings, compiled once."""
    return settings.memo("quantity.scanner", lambda: Scanner(settings))


# possessive whitespace: a cell of spaces and a sign stays linear
_FIGURE = re.compile(rf"^\s*+(?P<neg>[{_MINUS}])?\s*+(?P<num>{ARABIC})\s*+(?P<pct>%)?\s*+$")


def parse_figure(text: Optional[str], limits=None) -> Optional[Figure]:
    """A budget cell: '2318.88', '-120.89', '96.5%', '(120.89)'. None if not a plain number
    (or beyond `limits`: the run's, settings.limits; None, the shipped ones)."""
    if text is None:
        return None
    raw = text.strip()
    t = raw.replace(" ", "")
    neg = False
    if t.startswith("(") and t.endswith(")"):
        t, neg = t[1:-1], True
    m = _FIGURE.match(t)
    if not m:
        return None
    parsed = sane_arabic(m.group("num"), limits)
    if parsed is None:  # 300 digits: an unreadable cell, not inf
        return None
    value, decimals = parsed
    if m.group("neg") or neg:
        value = -value
    return Figure(value, raw, decimals)


# a cell that is a date: a year and a month (and a day, 底, 前, 以前 …)
_DATE_CELL = re.compile(r"(?:[<>≤≥=]|不晚于|不迟于|于)?(?:19|20)\d{2}年\d{1,2}月")


def parse_quantity(text: Optional[str], settings) -> Optional[Quantity]:
    """An indicator cell: '123次', '≥95%', '3万人次', '良好' (None: qualitative)."""
    if text is None:
        return None
    raw = text.strip()
    t = raw.replace(" ", "")
    if not re.search(r"\d|百分之|[一二两三四五六七八九十]", t):
        return None
    if _DATE_CELL.match(t):
        return None  # 2023年11月20日, 2023年6月底前: a point in time, not an amount (2023 of nothing)
    comp = None
    sc = scanner(settings)
    for sym, op in sc.comparators:
        if t.startswith(sym):
            comp, t = op, t[len(sym):]
            break
    neg = bool(t) and t[0] in _MINUS
    if neg:
        t = t[1:]
    found = sc.scan(t, allow_bare=True)
    if not found or found[0].start > 0:
        return None
    m = found[0]
    value = -m.value if neg else m.value
    return Quantity(value, m.unit, raw, m.decimals, m.range, m.approx, comp)
