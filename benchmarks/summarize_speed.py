"""Summarising N checked reports (target: under 20 % of checking them), in the same run.

    python benchmarks/summarize_speed.py [N]

Generates N reports (department and project forms), checks them with
`api.check_many` (the baseline, after `api.warm`), then summarises every record
with `summarize.report` and the whole lot with `corpus.summarize`. Exits 1,
loudly, when the baseline is broken (a report failed to check, or the check
took no measurable time) or when the ratio misses the target.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pipeline import api, summarize
from pipeline.generate import one
from pipeline.summarize import corpus

TARGET = 0.20
SHORT = 80
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


def fail(msg: str) -> None:
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


with tempfile.TemporaryDirectory() as td:
    folder = Path(td)
    for i in range(n):
        g = one(4, i, "project" if i % 4 == 0 else "department_overall")
        (folder / f"{g.ident}.txt").write_text(g.text, encoding="utf-8")
    settings = api.warm()
    summarize.report({"status": "checked", "sections": [{"name": "x", "kind": "task", "text": "预热。"}]})

    t = time.perf_counter()
    records = [api.record(o) for o in api.check_many([folder], settings)]
    t_check = time.perf_counter() - t

    bad = [r["source"]["path"] for r in records if r["status"] != "checked"]
    if len(records) != n or bad:
        fail(f"baseline broken: {len(records)} records for {n} reports, {len(bad)} not checked ({bad[:3]})")
    if t_check < 1e-3 * n:
        fail(f"baseline broken: checking {n} reports took {t_check:.3f} s, too fast to be a check")

    t = time.perf_counter()
    summaries = [summarize.report(r) for r in records]
    t_each = time.perf_counter() - t
    # a short limit, so that every narrative is ranked rather than fitting whole
    t = time.perf_counter()
    short = [summarize.report(r, max_chars=SHORT) for r in records]
    t_short = time.perf_counter() - t
    t = time.perf_counter()
    whole = corpus.summarize(records, "department")
    t_corpus = time.perf_counter() - t

if len(summaries) != n or not all(s["budget"] for s in summaries) or whole["reports"] != n:
    fail("the summaries are incomplete")
if not all(len(s["extract"]) <= SHORT for s in short):
    fail(f"an extract is longer than {SHORT} characters")
ratio = (t_each + t_corpus) / t_check
ratio_short = (t_short + t_corpus) / t_check
print(f"check {n} reports (baseline): {t_check:.1f} s ({n / t_check:.0f} reports/s)")
print(f"summarize.report on each: {t_each:.2f} s (default length), {t_short:.2f} s (--max-chars {SHORT}, "
      f"every narrative ranked); corpus.summarize over all: {t_corpus:.2f} s")
print(f"ratio summarise/check: {ratio:.3f} default, {ratio_short:.3f} at {SHORT} characters (target < {TARGET:.2f})")
if max(ratio, ratio_short) >= TARGET:
    fail(f"summarising costs {max(ratio, ratio_short):.1%} of checking, target < {TARGET:.0%}")
