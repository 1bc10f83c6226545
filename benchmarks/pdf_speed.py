"""Checking a PDF against pdfminer.six's own `extract_text` on the same file
(target: at most 2x), measured in the same run, in one warm process, over
the project's fixture reports rendered to PDF (and any PDFs named).

    python benchmarks/pdf_speed.py [FILE.pdf ...]
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

from _util import ROOT, timed

from pdfminer.high_level import extract_text

from pipeline import api
from pipeline.generate.render import rows_of, write_pdf

with tempfile.TemporaryDirectory() as td:
    pdfs = [Path(p) for p in sys.argv[1:]]
    if not pdfs:
        sources = sorted((ROOT / "tests" / "fixtures" / "department").glob("*.txt"))
        seed = ROOT.parent / "shared" / "seeds"
        sources += sorted(seed.glob("*.txt")) if seed.is_dir() else []
        for src in sources:
            text = src.read_text(encoding="utf-8")
            p = Path(td) / f"{src.stem}.pdf"
            write_pdf(p, SimpleNamespace(rows=rows_of(text), text=text, ident=src.stem))
            pdfs.append(p)
    api.check_path(pdfs[0])  # warm: dictionaries and spaCy loaded once, as in a batch
    extract_text(str(pdfs[0]))
    t_extract = t_check = 0.0
    for p in pdfs:
        a = timed(lambda: extract_text(str(p)))
        b = timed(lambda: api.check_path(p))
        t_extract += a
        t_check += b
        print(f"{p.name}: extract_text {a * 1000:.0f} ms, check {b * 1000:.0f} ms, ratio {b / a:.2f}")
print(f"all {len(pdfs)} PDFs: extract_text {t_extract:.2f} s, jixiao check {t_check:.2f} s, "
      f"ratio check/extract_text {t_check / t_extract:.2f} (target <= 2)")

# cold, one process per file: start-up (spaCy, jieba) dominates a single small PDF
from _util import PY, run_cmd  # noqa: E402

with tempfile.TemporaryDirectory() as td:
    src = ROOT / "tests" / "fixtures" / "department" / "health_2023.txt"
    p = Path(td) / "health.pdf"
    write_pdf(p, SimpleNamespace(rows=rows_of(src.read_text(encoding="utf-8")), text="", ident="h"))
    cold_x = run_cmd([PY, "-c", f"from pdfminer.high_level import extract_text; extract_text({str(p)!r})"])
    cold_c = run_cmd([PY, "-m", "pipeline.cli", "check", str(p), "--format", "json"])
    print(f"cold, one process per file: extract_text {cold_x:.2f} s, jixiao check {cold_c:.2f} s, "
          f"ratio {cold_c / cold_x:.2f} (start-up, not PDF work)")
