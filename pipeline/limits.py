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
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any, Mapping, Optional, Union

from .errors import ConfigError, LimitExceeded


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 64 * 1024 * 1024
    max_chars: int = 4_000_000
    max_unpacked: int = 256 * 1024 * 1024
    max_ratio: float = 200.0
    max_members: int = 10_000
    max_depth: int = 3
    max_cells: int = 200_000
    max_pages: int = 300
    max_pdf_chars: int = 1_000_000
    max_page_chars: int = 100_000
    max_objects: int = 2_000_000
    max_stream_bytes: int = 32 * 1024 * 1024
    max_seconds: float = 60.0
    max_magnitude: float = 1e15
    max_digits: int = 18
    max_numeral_chars: int = 24

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ConfigError("limits", f"{f.name} must be a positive number, not {value!r}")

    @classmethod
    def resolve(cls, value: "LimitsLike" = None) -> "Limits":
        """None -> configs/limits.toml; a dict -> those overrides on top of it; a Limits as is."""
        if isinstance(value, Limits):
            return value
        if value is None:
            return default()
        if isinstance(value, Mapping):
            return cls.from_dict({**_file_data(), **dict(value)})
        raise ConfigError("limits", f"expected a table of limits, not {type(value).__name__}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Limits":
        known = {f.name: f.type for f in fields(cls)}
        unknown = set(data) - set(known)
        if unknown:
            raise ConfigError("limits", f"unknown keys: {', '.join(sorted(unknown))}")
        typed = {}
        for key, value in data.items():
            # TOML writes 1e15 as a float and 200 as an int: hold each as its field's type
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError("limits", f"{key} must be a number, not {value!r}")
            typed[key] = int(value) if known[key] == "int" else float(value)
        return cls(**typed)

    def override(self, **changes: Any) -> "Limits":
        return replace(self, **changes)


LimitsLike = Union[Limits, Mapping[str, Any], None]


def _file_data() -> dict[str, Any]:
    from . import config

    path = config.data_dir("configs") / "limits.toml"
    return config.load_toml(path) if path.is_file() else {}


@lru_cache(maxsize=1)
def default() -> Limits:
    return Limits.from_dict(_file_data())


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
