"""Generating N txt reports with gold (target: 10,000 in under a minute), against
the floor of writing the same number of files of the same size, in the same run.

    python benchmarks/generate_speed.py [N]
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _util import timed

from pipeline.generate import generate

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
with tempfile.TemporaryDirectory() as td:
    out = Path(td) / "gen"
    t_gen = timed(lambda: generate(n, 1, out), repeat=1)
    sizes = [p.stat().st_size for p in out.rglob("*") if p.is_file()]
    floor_dir = Path(td) / "floor"
    floor_dir.mkdir()

    def write_floor():
        for k, size in enumerate(sizes):
            (floor_dir / f"{k}.txt").write_bytes(b"x" * size)

    t_floor = timed(write_floor, repeat=1)
print(f"generate {n} txt reports + gold: {t_gen:.1f} s ({n / t_gen:.0f} reports/s; target < 60 s for 10,000)")
print(f"floor, writing {len(sizes)} files of the same sizes: {t_floor:.2f} s")
print(f"ratio generate/floor: {t_gen / t_floor:.1f}")
