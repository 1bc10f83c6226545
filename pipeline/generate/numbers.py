"""Writing figures the way reports do: 36, 1,260, 十二, 2.3万, 230多, 近200, 超过2万, 约5000."""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional


@lru_cache(maxsize=1)
def _an2cn():
    from cn2an.an2cn import An2Cn

    return An2Cn()


def chinese(n: int) -> str:
    return _an2cn().an2cn(n, "low")


def step_of(value: int) -> int:
    """One step of the last non-zero digit: 230 -> 10, 23000 -> 1000, 300 -> 100."""
    step = 1
    while value and value % (step * 10) == 0:
        step *= 10
    return step


@dataclass
class Written:
    """A figure as written, and what it states: the value and, for an approximation, its range."""

    text: str
    value: float
    range: Optional[tuple[Optional[float], Optional[float]]] = None


def plain(rng: random.Random, n: int, wan: bool = False, cn: bool = True) -> Written:
    """An exact figure in one of the ways reports write it."""
    if wan and n >= 10000 and n % 1000 == 0 and rng.random() < 0.7:
        w = n / 10000
        return Written(f"{w:g}万", n)
    if cn and n <= 99 and rng.random() < 0.25:
        return Written(chinese(n), n)
    if n >= 1000 and rng.random() < 0.2:
        return Written(f"{n:,}", n)
    return Written(str(n), n)


def wan_text(n: int) -> str:
    return f"{n / 10000:g}万" if n >= 10000 and n % 1000 == 0 else str(n)


def approximate(rng: random.Random, v: int, unit: str) -> tuple[str, Written, int]:
    """An approximate statement covering v. Returns (kind, written figure incl. unit, the indicator value).

    The indicator value is v moved, where needed, so that the statement covers it.
    """
    kind = rng.choice(["step", "step", "near", "over", "about"])
    if kind == "step":
        digits = len(str(v))
        step = 10 ** max(0, digits - 2)
        floor = v - v % step
        if floor == 0:
            floor, step = v, 1
        step = step_of(floor)
        if v >= floor + step:
            v = floor + step - 1
        word = rng.choice(["多", "余"])
        num = wan_text(floor) if floor >= 10000 and floor % 1000 == 0 else str(floor)
        return kind, Written(f"{num}{word}{unit}", floor, (floor, floor + step)), v
    if kind == "near":
        step = 10 ** max(0, len(str(v)) - 2)
        c = ((v + step - 1) // step) * step
        return kind, Written(f"近{wan_text(c)}{unit}", c, (None, c)), v
    if kind == "over":
        step = 10 ** max(0, len(str(v)) - 2)
        c = (v // step) * step
        if c == v:
            v = c + max(1, step // 2)
        if rng.random() < 0.5:
            return kind, Written(f"超过{wan_text(c)}{unit}", c, (c, None)), v
        return kind, Written(f"{wan_text(c)}{unit}以上", c, (c, None)), v
    step = 10 ** max(0, len(str(v)) - 2)
    c = round(v / step) * step or v
    v = c + int(c * rng.uniform(-0.02, 0.02))
    if rng.random() < 0.5:
        return "about", Written(f"约{wan_text(c)}{unit}", c), v
    return "about", Written(f"{wan_text(c)}{unit}左右", c), v


def outside(rng: random.Random, written: Written, v: int) -> int:
    """An indicator value that the approximate statement clearly does not cover."""
    lo, hi = written.range if written.range else (written.value * 0.9, written.value * 1.1)
    if hi is not None:
        return int(hi + max(2, (hi - (lo or 0)) * rng.uniform(0.5, 2.0))) if lo is not None else int(hi * rng.uniform(1.15, 1.4))
    return int(lo * rng.uniform(0.6, 0.85))
