"""A table of cell texts with label look-ups, independent of any template.

Blocks are found by their labels, never by row numbers, so reordered or
missing blocks and extra empty columns do not throw the parser off.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping, Optional

from ..model import Row

_NOTE = re.compile(r"[(（【\[][^()（）【】\[\]]{0,12}[)）】\]]")
_PUNCT = re.compile(r"[\s:：,，。.、;；*＊\-—_/|\"'“”‘’<>《》]+")


def label_key(text: Optional[str]) -> str:
    """A cell's text as a label: bracketed notes (汇总, 万元), spaces and punctuation removed."""
    if not text:
        return ""
    if len(text) > 200:
        return _PUNCT.sub("", _NOTE.sub("", text))  # narrative cells: not worth keeping
    return _label_key(text)


# least recently used first out: a template's few hundred labels, asked of every report, stay; the
# figures and names, new in each report, pass through (65,536 of them kept ~20 MiB of cell texts
# alive in a long-running worker)
@lru_cache(maxsize=4096)
def _label_key(text: str) -> str:
    return _PUNCT.sub("", _NOTE.sub("", text))


@lru_cache(maxsize=4096)
def _alias_keys(aliases: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """An alias list as (exact keys, prefixes): the form is matched against every cell, so its
    labels are normalised once, not once per cell."""
    exact = frozenset(label_key(a) for a in aliases if not a.endswith("*"))
    prefixes = tuple(label_key(a[:-1]) for a in aliases if a.endswith("*"))
    return exact, prefixes


def matches(key: str, aliases: Iterable[str]) -> bool:
    """Does a label key match one of the aliases? An alias ending in * matches as a prefix."""
    if not key:
        return False
    exact, prefixes = _keys_of(aliases)
    return key in exact or key.startswith(prefixes)  # a tuple: any of them


# alias tuples seen, by identity (each kept alive here, so its id stays its own): a template's
# tuples are matched against every cell, and hashing a long tuple for `_alias_keys` costs more
# than the match
_BY_ID: dict[int, tuple[tuple[str, ...], tuple[frozenset[str], tuple[str, ...]]]] = {}


def _keys_of(aliases: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    if not isinstance(aliases, tuple):
        return _alias_keys(tuple(aliases))
    hit = _BY_ID.get(id(aliases))
    if hit is not None and hit[0] is aliases:
        return hit[1]
    keys = _alias_keys(aliases)
    if len(_BY_ID) >= 4096:
        _BY_ID.clear()
    _BY_ID[id(aliases)] = (aliases, keys)
    return keys


@dataclass(eq=False)
class _NameIndex:
    """One label group (by identity, kept alive here) asked which of its names a label is: every
    alias key of the group, to turn away at once the cells no alias matches (figures, prose: most
    cells, never the same twice), and per short label key the names it matches, since the cells'
    labels are the same few hundred from one report to the next."""

    named: Mapping[str, Iterable[str]]
    order: tuple[str, ...]
    exact: frozenset[str]
    prefixes: tuple[str, ...]
    known: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, named: Mapping[str, Iterable[str]], order: Optional[tuple[str, ...]]) -> "_NameIndex":
        order = tuple(order if order is not None else named)
        keys = [_keys_of(named.get(n, ())) for n in order]
        return cls(named, order, frozenset().union(*(e for e, _ in keys)), tuple(p for _, ps in keys for p in ps))

    def names(self, key: str) -> tuple[str, ...]:
        found = self.known.get(key)
        if found is not None:
            return found
        if key not in self.exact and not key.startswith(self.prefixes):
            return ()
        found = tuple(n for n in self.order if matches(key, self.named.get(n, ())))
        if len(key) <= _KEPT_KEY_CHARS:  # a label; a long cell that starts like one is not kept
            if len(self.known) >= 4096:
                self.known.clear()
            self.known[key] = found
        return found


_KEPT_KEY_CHARS = 40
_NAMED: dict[tuple[int, Optional[tuple[str, ...]]], _NameIndex] = {}


def names_matching(key: str, named: Mapping[str, Iterable[str]],
                   order: Optional[tuple[str, ...]] = None) -> tuple[str, ...]:
    """The names (those of `order`, in its order, else the mapping's) whose aliases the label key matches."""
    if not key:
        return ()
    index = _NAMED.get((id(named), order))
    if index is None or index.named is not named:
        if len(_NAMED) >= 256:
            _NAMED.clear()
        index = _NAMED[(id(named), order)] = _NameIndex.of(named, order)
    return index.names(key)


def match_prefix(text: str, aliases: Iterable[str]) -> Optional[tuple[str, str]]:
    """A label glued to its value ('实际支出数2237.54'): (label, rest) for the longest alias."""
    compact = _SPACE_RUN.sub("", text)
    if isinstance(aliases, tuple) and not compact.startswith(_stems(aliases)):
        return None  # no alias starts the cell (most cells), the loop below would find none
    best = None
    for alias in aliases:
        a = alias.rstrip("*")
        if compact.startswith(a) and len(compact) > len(a) and (best is None or len(a) > len(best)):
            best = a
    if best is None:
        return None
    rest = compact[len(best):].lstrip(":：")
    rest = _NOTE.sub("", rest, count=1) if rest.startswith(("(", "（")) else rest
    return best, rest


_SPACE_RUN = re.compile(r"\s+")
_STEMS: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _stems(aliases: tuple[str, ...]) -> tuple[str, ...]:
    """The aliases without their trailing * (what `match_prefix` compares), kept by identity as in `_keys_of`."""
    hit = _STEMS.get(id(aliases))
    if hit is not None and hit[0] is aliases:
        return hit[1]
    stems = tuple(a.rstrip("*") for a in aliases)
    if len(_STEMS) >= 4096:
        _STEMS.clear()
    _STEMS[id(aliases)] = (aliases, stems)
    return stems


@dataclass
class Grid:
    rows: list[list[str]]
    # how many (kept) columns each row had before padding: a flattened page drops
    # the cells a row span covers, so its rows are shorter than their header
    lengths: list[int] = field(default_factory=list)

    @classmethod
    def from_rows(cls, rows: list[Row]) -> "Grid":
        """Merged slots read as blank; empty rows and columns empty in every row are dropped."""
        clean = [[c or "" for c in r] for r in rows]
        clean = [r for r in clean if any(c.strip() for c in r)]
        lengths = [len(r) for r in clean]
        width = max(lengths, default=0)
        clean = [r + [""] * (width - len(r)) for r in clean]
        keep = [j for j in range(width) if any(r[j].strip() for r in clean)]
        kept_len = [sum(1 for j in keep if j < n) for n in lengths]
        return cls([[r[j] for j in keep] for r in clean], kept_len)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, r: int, c: int) -> str:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return ""

    def nonempty(self, r: int) -> list[tuple[int, str]]:
        return [(j, t) for j, t in enumerate(self.rows[r]) if t.strip()]

    def first(self, r: int) -> tuple[int, str]:
        cells = self.nonempty(r)
        return cells[0] if cells else (-1, "")

    def find(self, aliases: Iterable[str], start: int = 0, stop: Optional[int] = None,
             first_only: bool = False) -> Optional[tuple[int, int]]:
        """The first cell (row, col) whose label key matches; `first_only` looks at each row's first cell."""
        aliases = tuple(aliases)
        stop = len(self.rows) if stop is None else min(stop, len(self.rows))
        for r in range(start, stop):
            cells = self.nonempty(r)[:1] if first_only else self.nonempty(r)
            for c, t in cells:
                if matches(label_key(t), aliases):
                    return r, c
        return None

    def right_of(self, r: int, c: int) -> list[tuple[int, str]]:
        return [(j, t) for j, t in self.nonempty(r) if j > c]

    def text(self) -> str:
        return "\n".join("\t".join(r) for r in self.rows)
