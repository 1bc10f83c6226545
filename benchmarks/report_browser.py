"""The HTML report of 1,000 checked files, opened and filtered in headless chromium (measured in the browser).

    python benchmarks/report_browser.py [N] [--keep OUT.html]

Checks the sample corpus's .txt reports once, varies the records into N
(department, year, file, hash, and some figures, so the overview's filters
have hundreds of values), renders the page, then in the browser: time from
navigation start to the page ready (rows built, sorted, counted), and each
filter, search and opening a report up to the next painted frame. Medians of
five loads. Needs /usr/bin/chromium and the playwright package.
"""
from __future__ import annotations

import copy
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT

sys.path.insert(0, str(ROOT))

from pipeline import api  # noqa: E402
from pipeline.output import html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
COUNTIES = ["东湖区", "西山区", "南湖区", "北城区", "石门县", "临江县", "青山县", "白河县", "云台区", "长岭县"]
BUREAUS = ["民政局", "卫生健康局", "教育局", "司法局", "文化广电旅游体育局", "农业农村局", "交通运输局",
           "水利局", "自然资源局", "退役军人事务局"]

# time from a change to the frame after it is painted (the page's own load figure is its data-ready:
# ms from navigation start to the first frame painted with the rows)
TIMED = """async ([sel, value, kind]) => {
  const el = document.querySelector(sel);
  const t0 = performance.now();
  el.value = value;
  el.dispatchEvent(new Event(kind));
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [performance.now() - t0, document.querySelectorAll('#rows tr:not([hidden])').length];
}"""
OPEN = """async () => {
  const b = document.querySelector('#rows tr:not([hidden]) button.link');
  const t0 = performance.now();
  b.click();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - t0;
}"""


def synthesise(n: int, seed: int = 7) -> list[dict]:
    base = [api.record(o) for o in api.check_many(sorted((ROOT / "corpora" / "sample").glob("*.txt")))]
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        r = copy.deepcopy(base[i % len(base)])
        dept = rnd.choice(COUNTIES) + rnd.choice(BUREAUS)
        r["source"]["path"] = f"corpus/{dept}/{i:05d}_{Path(r['source']['path']).name}"
        r["source"]["sha256"] = hashlib.sha256(f"{i}".encode()).hexdigest()
        r["report"]["department"] = dept
        r["report"]["year"] = rnd.randint(2019, 2024)
        r["report"]["title"] = f"{r['report']['year']}年度{dept}" + (r["report"]["title"] or "")[-12:]
        for f in r["findings"]:
            if rnd.random() < 0.03 and f["status"] == "consistent" and f["expected"] is not None:
                f["status"], f["severity"] = "mismatch", "error"
                f["reported"] = round(f["expected"] * 1.1, 2)
        out.append(r)
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1000
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    from playwright.sync_api import sync_playwright

    t = time.perf_counter()
    recs = synthesise(n)
    t_check = time.perf_counter() - t
    t = time.perf_counter()
    page_text = html.render(recs)
    t_render = time.perf_counter() - t
    path = Path(keep) if keep else Path(tempfile.mkdtemp()) / "review_1000.html"
    path.write_text(page_text, encoding="utf-8")
    size = path.stat().st_size
    dept = recs[0]["report"]["department"]
    year = str(next(r["report"]["year"] for r in recs if r["report"]["department"] == dept))
    loads, filters, searches, opens, shown = [], [], [], [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(5):
            page = b.new_page(viewport={"width": 1366, "height": 800})
            page.goto(path.as_uri())
            page.wait_for_selector("html[data-ready]")
            # navigation start to the page ready: HTML parsed, JSON parsed, 1,000 rows built and sorted
            loads.append(float(page.get_attribute("html", "data-ready")))
            ms, k1 = page.evaluate(TIMED, ["#f-dept", dept, "change"])
            ms2, k2 = page.evaluate(TIMED, ["#f-year", year, "change"])
            filters.append(ms + ms2)
            shown.append((k1, k2))
            page.evaluate(TIMED, ["#f-year", "", "change"])
            page.evaluate(TIMED, ["#f-dept", "", "change"])
            ms3, _ = page.evaluate(TIMED, ["#f-q", "民政", "input"])
            searches.append(ms3)
            opens.append(page.evaluate(OPEN))
            page.close()
        b.close()
    med = statistics.median
    print(f"records: {n} (synthesised from the sample's .txt reports in {t_check:.1f} s)")
    print(f"render: {t_render:.2f} s, file {size / 1e6:.2f} MB ({path})")
    print(f"open to ready, first frame (median of 5): {med(loads):.0f} ms  [all: {', '.join(f'{x:.0f}' for x in loads)}]")
    print(f"filter department then year, to the painted frame: {med(filters):.0f} ms  (rows shown {shown[0]})")
    print(f"search '民政': {med(searches):.0f} ms; open one report: {med(opens):.0f} ms")
    print(f"open + filter: {med(loads) + med(filters):.0f} ms ({'under' if med(loads) + med(filters) < 1000 else 'OVER'} 1 s)")


if __name__ == "__main__":
    main()
