"""How two stated figures agree: units, rounding, ranges and approximations."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Optional

from ..config import ApproxRules, Units

# float noise: two figures equal at their printed precision differ by less than this
EPS = 1e-9


def half_unit(decimals: int) -> float:
    """Half a unit in the last stated place, the rounding a printed figure hides: 12.3 is 12.25..12.35."""
    return 0.5 * 10.0 ** (-decimals) + EPS

# what the generic 个 may count: things, events, bodies; never people (人, 名) nor attendances (人次)
COUNT_FAMILIES = {"events", "items", "orgs", "physical"}


# the families whose units measure several dimensions, or count different things (台, 辆, 株)
_MEASURES = ("physical", "time")


@dataclass(frozen=True)
class Compare:
    """Unit families, conversions and the approximation rules of one Settings."""

    units: Units
    approx: ApproxRules

    @classmethod
    def of(cls, settings) -> "Compare":
        return settings.memo("check.compare", lambda: cls(settings.units, settings.rules.approx))

    def family(self, unit: Optional[str]) -> Optional[str]:
        return self.units.family_of.get(unit) if unit else None

    def compatible(self, a: Optional[str], b: Optional[str]) -> bool:
        """Can figures in units a and b count the same thing? (次~场, 万元~元, 个~a count of things;
        人 is not 人次 and 个 is not 人)"""
        if not a or not b:
            return False
        if a == b:
            return True
        fa, fb = self.family(a), self.family(b)
        if fa is None or fb is None:
            return False
        if fa == fb and fa in _MEASURES:
            # 公里 and 米 measure one thing, 台 and 辆 or 米 and 吨 two
            dims = self.units.dimension_of
            return a in dims and b in dims and dims[a][0] == dims[b][0]
        if fa == fb:
            return True
        return ("generic" in (fa, fb)) and ({fa, fb} - {"generic"}) <= COUNT_FAMILIES

    def to_unit(self, value: float, unit: Optional[str], target: Optional[str]) -> float:
        """Money converts between 元/万元/亿元, a measure within its dimension (公里/米, 亩/公顷);
        every other unit stays as stated."""
        scale = self.units.money_scale
        if unit in scale and target in scale:
            return value * scale[unit] / scale[target]
        dims = self.units.dimension_of
        if unit in dims and target in dims and dims[unit][0] == dims[target][0]:
            # (rounded: a 亩 is 10000/15 square metres, which no float holds exactly)
            return round(value * dims[unit][1] / dims[target][1], 4)
        return value

    def value_agrees(self, v: float, decimals_v: int, c: float, decimals_c: int,
                     rng: Optional[tuple[Optional[float], Optional[float]]] = None, approx: bool = False,
                     comparator: Optional[str] = None) -> bool:
        """Does a stated figure c (with its range or approximation) support value v?"""
        if comparator:
            return {">=": c >= v - EPS, ">": c > v, "<=": c <= v + EPS, "<": c < v, "=": abs(c - v) < EPS}[comparator]
        if rng is not None:
            lo, hi = rng
            if lo is not None and hi is not None:
                return lo - EPS <= v < hi - EPS
            if lo is None:  # 近200: nearly 200
                return self.approx.near * hi - EPS <= v <= hi + EPS
            return lo - EPS <= v <= self.approx.beyond * lo + EPS  # 超过1000: somewhat over 1000
        if approx:
            return abs(v - c) <= self.approx.relative * max(abs(v), abs(c)) + EPS
        tol = half_unit(min(decimals_v, decimals_c)) if min(decimals_v, decimals_c) > 0 else EPS
        return abs(v - c) <= tol


def rounded(x: float, decimals: int, mode=ROUND_HALF_UP) -> float:
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(x)).quantize(q, rounding=mode))


def rate_agrees(expected: float, reported: float, decimals: int, extra_ulps: int = 0) -> bool:
    """A stated rate agrees when it is the computation rounded or truncated to its own decimals."""
    ulp = 10.0 ** (-decimals)
    slack = extra_ulps * ulp + EPS
    for mode in (ROUND_HALF_UP, ROUND_DOWN):
        if abs(rounded(expected, decimals, mode) - reported) <= slack:
            return True
    return False


def amount_agrees(expected: float, reported: float, decimals: int, ulps: int = 1) -> bool:
    """Sums and differences of rounded amounts may be off by `ulps` in the last decimal."""
    return abs(expected - reported) <= ulps * 10.0 ** (-decimals) + EPS


def fmt(x: Optional[float], decimals: Optional[int] = None) -> str:
    """A figure as a reviewer writes it: no trailing .0 for whole numbers."""
    if x is None:
        return "—"
    if decimals is not None:
        return f"{x:.{decimals}f}"
    if abs(x - round(x)) < EPS:
        return str(int(round(x)))
    return f"{x:.4f}".rstrip("0").rstrip(".")
