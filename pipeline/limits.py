"""Reading limits as settings: what a file may cost before it is refused.

Every limit is checked before the work it bounds (the declared sizes of a
package's parts before any part is parsed, the grid a table's spans would
build before it is built, a PDF's pages and characters while pdfminer
produces them), and a breach is one coded error, `LimitExceeded` (E111),
naming the limit. The values live in configs/limits.toml; `Limits.resolve`
takes None (those defaults), a dict of overrides or a Limits.
"""
from __future__ import annotations

import time
from typing import Any, Mapping, Optional, Union

from .errors import ConfigError, LimitExceeded

# Every limit, by the type its value is held as. What each bounds, and its value, is written
# once, in configs/limits.toml: the code holds no second copy of the numbers.
COUNTS = ("max_bytes", "max_chars", "max_unpacked", "max_members", "max_depth", "max_cells", "max_pages",
          "max_pdf_chars", "max_page_chars", "max_objects", "max_stream_bytes", "max_digits", "max_numeral_chars")
MEASURES = ("max_ratio", "max_seconds", "max_magnitude")
NAMES = COUNTS + MEASURES


class Limits:
    """The limits of one run, read as attributes (`lim.max_pages`); immutable, picklable, comparable."""

    __slots__ = ("_values",) + NAMES  # each limit a slot: read as fast as a dataclass field

    def __init__(self, values: Mapping[str, Any]) -> None:
        missing, unknown = set(NAMES) - set(values), set(values) - set(NAMES)
        if unknown:
            raise ConfigError("limits", f"unknown keys: {', '.join(sorted(unknown))}")
        if missing:
            raise ConfigError("limits", f"missing keys: {', '.join(sorted(missing))}")
        object.__setattr__(self, "_values", {name: _typed(name, values[name]) for name in NAMES})
        for name, value in self._values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Limits are immutable: use override()")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Limits) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(self._values.items()))

    def __repr__(self) -> str:
        return f"Limits({', '.join(f'{k}={v!r}' for k, v in self._values.items())})"

    def __reduce__(self):
        return (Limits, (dict(self._values),))

    @classmethod
    def resolve(cls, value: "LimitsLike" = None) -> "Limits":
        """None -> the default settings' limits (configs/limits.toml); a dict -> overrides on them; a Limits as is."""
        if isinstance(value, Limits):
            return value
        if value is None:
            from .settings import default  # settings is the one reader of configs/ (and imports this module)

            return default().limits
        if isinstance(value, Mapping):
            return cls.resolve(None).override(**value)
        raise ConfigError("limits", f"expected a table of limits, not {type(value).__name__}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Limits":
        return cls(data)

    def override(self, **changes: Any) -> "Limits":
        return Limits({**self._values, **changes})


LimitsLike = Union[Limits, Mapping[str, Any], None]


def _typed(name: str, value: Any) -> Union[int, float]:
    """A positive number, held as its limit's type (TOML writes 1e15 as a float and 200 as an int)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ConfigError("limits", f"{name} must be a positive number, not {value!r}")
    return int(value) if name in COUNTS else float(value)


def exceeded(name: str, limit: str, got: Any, allowed: Any) -> LimitExceeded:
    """The coded error for one breach: `max_cells: 2000000 > 200000` (got None: `more than 200000`)."""
    return LimitExceeded(name, f"{limit}: {got} > {allowed}" if got is not None else f"{limit}: more than {allowed}",
                         limit)


class Clock:
    """A wall-time budget for reading one file, checked at points inside the long loops."""

    def __init__(self, name: str, limits: Limits, start: Optional[float] = None) -> None:
        self.name = name
        self.allowed = limits.max_seconds
        self.start = time.monotonic() if start is None else start

    def check(self) -> None:
        spent = time.monotonic() - self.start
        if spent > self.allowed:
            raise exceeded(self.name, "max_seconds", f"{spent:.1f}s", f"{self.allowed:g}s")
