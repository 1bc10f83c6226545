"""Cold `jixiao check` of one report against the floor every check pays:
`python -c "import spacy, jieba; jieba.initialize()"`, measured in the same run.

    python benchmarks/cold_check.py [REPORT]
"""
from __future__ import annotations

import sys

from _util import PY, ROOT, run_cmd

report = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "tests" / "fixtures" / "department" / "health_2023.txt")
base = run_cmd([PY, "-c", "import spacy, jieba; jieba.initialize()"])
check = run_cmd([PY, "-m", "pipeline.cli", "check", report, "--format", "json"])
print(f"baseline import spacy+jieba.initialize: {base:.2f} s")
print(f"cold jixiao check {report}: {check:.2f} s")
print(f"ratio check/baseline: {check / base:.2f}")
