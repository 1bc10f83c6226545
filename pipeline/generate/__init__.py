"""Generated reports with gold, for tests, benchmarks and the sample corpus.

`generate` writes DIR/<id>.txt (and other formats on request) and
DIR/gold/<id>.json in the format of ../shared/gold, so that
`jxeval.py --gold-dir DIR/gold --data-root DIR` scores the checker on them.
Each report draws from its own random stream (seed, index): any one can be
rebuilt alone, and the set does not depend on how it is split across workers.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from . import project
from .department import KINDS, DepartmentReport
from .vocab import vocab

TEMPLATES = ("department_overall", "project")


@dataclass
class Generated:
    ident: str
    text: str
    gold: dict
    rows: list[list[str]]


def to_tsv(rows: list[list[str]]) -> str:
    return "\n".join("\t".join(r) for r in rows) + "\n"


def one(seed: int, index: int, template: str = "department_overall", mismatch_rate: float = 0.3) -> Generated:
    rng = random.Random(f"jixiao-{seed}-{index}")
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}")
    kinds = KINDS if template == "department_overall" else project.KINDS
    plant = rng.choice(kinds) if rng.random() < mismatch_rate else None
    builder = DepartmentReport if template == "department_overall" else project.ProjectReport
    built = builder(rng, vocab(), plant).build()
    rows = built.rows
    if rng.random() < 0.15:  # an extra empty column, as some exports have
        rows = [r[:1] + [""] + r[1:] if len(r) > 1 else r for r in rows]
    text = to_tsv(rows)
    gold = built.gold
    if rng.random() < 0.08:  # published in traditional characters
        text, rows, gold = _traditional(text, rows, gold)
    ident = f"{template[:4]}_{seed}_{index:06d}"
    gold = {"file": f"{ident}.txt", **gold}
    gold["mutations"] = [m for m in gold["mutations"] if text.count(m["find"]) == 1]
    return Generated(ident, text, gold, rows)


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _traditional(text: str, rows, gold: dict):
    cc = _s2t()
    gold = dict(gold)
    gold["mutations"] = [dict(m, find=cc.convert(m["find"]), replace=cc.convert(m["replace"])) for m in gold["mutations"]]
    return cc.convert(text), [[cc.convert(c) for c in r] for r in rows], gold


def generate(n: int, seed: int, out: Path, template: str = "department_overall", formats: tuple[str, ...] = ("txt",),
             mismatch_rate: float = 0.3, progress: Optional[Callable[[int], None]] = None) -> int:
    """Write n reports and their gold under `out`; returns how many were written."""
    from .render import WRITERS

    unknown = [f for f in formats if f not in WRITERS]
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(unknown)} (known: {', '.join(WRITERS)})")
    out = Path(out)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    for i in range(n):
        g = one(seed, i, template, mismatch_rate)
        for fmt in formats:
            try:
                WRITERS[fmt](out / f"{g.ident}.{fmt}", g)
            except ModuleNotFoundError as exc:
                raise ValueError(f"writing {fmt} needs {exc.name}: pip install 'jixiao[render]'") from None
        (out / "gold" / f"{g.ident}.json").write_text(json.dumps(g.gold, ensure_ascii=False, indent=1), encoding="utf-8")
        if progress:
            progress(i + 1)
    return n
