"""The HTML report in headless Debian chromium, driven by Playwright against the system binary.

Skips when /usr/bin/chromium or the playwright package is absent (scripts/install_browser.sh
installs them). Screenshots go to tests/artifacts/ (git-ignored; JIXIAO_ARTIFACTS moves them).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.output import html
from pipeline.output.fingerprint import fingerprint
from pipeline.output.reviewed import apply_decisions
from report_support import HOSTILE, hostile, records

CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("JIXIAO_ARTIFACTS", Path(__file__).resolve().parent / "artifacts"))

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the Python driver) is not installed")
if not shutil.which(CHROMIUM):
    pytest.skip(f"no chromium at {CHROMIUM}", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # a chromium too old or too new for this driver
            pytest.skip(f"chromium does not start under playwright: {exc}")
        yield b
        b.close()


@pytest.fixture(scope="module")
def recs(tmp_path_factory):
    return records(tmp_path_factory.mktemp("unreadable"))


class Watch:
    """Everything a page does that a report must not: dialogs, requests, errors, new script nodes."""

    def __init__(self, page, url: str):
        self.dialogs, self.requests, self.errors = [], [], []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: None if r.url == url else self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)


def _open(browser, tmp_path, records, name="review.html", lang="zh", viewport=(1366, 800)):
    path = tmp_path / name
    html.write(records, path, lang)
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    url = path.as_uri()
    watch = Watch(page, url)
    page.goto(url)
    page.wait_for_selector("html[data-ready]")
    return page, watch


def _shot(page, name: str, full: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / name
    page.screenshot(path=str(out), full_page=full)
    return out


def _visible_rows(page) -> list[str]:
    return page.eval_on_selector_all("#rows tr:not([hidden])", "rs => rs.map(r => r.dataset.r)")


def test_overview_lists_reports_and_counts(browser, tmp_path, recs):
    page, watch = _open(browser, tmp_path, recs)
    assert page.locator("#rows tr").count() == len(recs)
    assert page.inner_text("#count").strip() == f"显示 {len(recs)} / {len(recs)}"
    titles = page.eval_on_selector_all("#rows tr button.link", "bs => bs.map(b => b.textContent)")
    assert sorted(titles) == sorted((r.get("report") or {}).get("title") or r["source"]["path"] for r in recs)
    # worst first: the first row has an open error, the clean narrative report is last
    first = page.locator("#rows tr").first
    assert first.locator(".badge").inner_text() == "错误"
    assert page.locator("#rows tr").last.locator(".badge").inner_text() in ("无不符", "待核实")
    n_unread = sum(r["status"] == "unreadable" for r in recs)
    assert page.inner_text('#by-status td[data-worst="unreadable"]') == str(n_unread)
    mism = sum(f["status"] == "mismatch" and f["severity"] == "error" for r in recs for f in r.get("findings") or [])
    assert page.inner_text('#by-severity td[data-severity="error"]') == str(mism)
    _shot(page, "overview.png", full=True)
    assert not watch.dialogs and not watch.requests and not watch.errors
    page.close()


def test_filters_sort_and_search_narrow_the_list(browser, tmp_path, recs):
    page, watch = _open(browser, tmp_path, recs)
    dept = "东湖区卫生健康局"
    page.select_option("#f-dept", dept)
    want = sum((r.get("report") or {}).get("department") == dept for r in recs)
    assert 0 < want < len(recs)
    assert len(_visible_rows(page)) == want and page.inner_text("#count") == f"显示 {want} / {len(recs)}"
    page.select_option("#f-dept", "")
    page.select_option("#f-rule", "budget.completion_rate")
    rows = _visible_rows(page)
    assert len(rows) == 1
    page.select_option("#f-rule", "")
    page.select_option("#f-worst", "unreadable")
    assert len(_visible_rows(page)) == 1
    page.select_option("#f-worst", "")
    page.fill("#f-q", "重点人群签约")  # an indicator's name
    assert len(_visible_rows(page)) == 1
    page.fill("#f-q", "no such words anywhere")
    assert _visible_rows(page) == [] and page.is_visible("#no-match")
    page.fill("#f-q", "")
    # sorting by year, both ways
    page.click('#reports th[data-sort="year"] button')
    years = page.eval_on_selector_all("#rows tr td:nth-child(3)", "ts => ts.map(t => t.textContent)")
    nums = [int(y) for y in years if y.isdigit()]
    assert nums == sorted(nums, reverse=True)
    assert page.get_attribute('#reports th[data-sort="year"]', "aria-sort") == "descending"
    page.click('#reports th[data-sort="year"] button')
    years = [int(y) for y in page.eval_on_selector_all("#rows tr td:nth-child(3)", "ts => ts.map(t => t.textContent)") if y.isdigit()]
    assert years == sorted(years)
    # a rule in the breakdown sets the rule filter
    page.click('#by-rule button[data-rule="budget.completion_rate"]')
    assert page.input_value("#f-rule") == "budget.completion_rate" and len(_visible_rows(page)) == 1
    _shot(page, "filtered.png")
    assert not watch.dialogs and not watch.requests and not watch.errors
    page.close()


def test_opening_a_finding_shows_its_highlighted_evidence(browser, tmp_path, recs):
    page, watch = _open(browser, tmp_path, recs)
    page.fill("#f-q", "重点人群签约")
    page.click("#rows tr:not([hidden]) button.link")
    art = page.locator("article.report")
    assert art.locator("h2").inner_text() == "2023年度东湖区卫生健康局部门整体支出绩效自评表"
    rec = next(r for r in recs if (r.get("report") or {}).get("department") == "东湖区卫生健康局")
    f = next(f for f in rec["findings"] if f["status"] == "mismatch")
    claim = next(c for c in rec["claims"] if c["id"] == f["claims"][0])
    det = art.locator(f'details.finding[data-fp="{fingerprint(rec, f)}"]')
    assert det.get_attribute("open") is None
    det.locator("summary").click()
    assert det.get_attribute("open") is not None
    mark = det.locator("blockquote.evidence mark.evid")
    assert mark.inner_text() == claim["text"]          # the sentence that disagrees, its figure marked
    assert "3.1万人" in det.locator("blockquote.evidence").inner_text()
    assert det.locator("dl.facts").inner_text().count("34000") == 1
    # the same span, highlighted in place in the narrative
    inplace = art.locator(f'mark.claim[data-claim="{claim["id"]}"]')
    assert "active" in inplace.get_attribute("class") and "bad" in inplace.get_attribute("class")
    sec = next(s for s in rec["sections"] if s["name"] == claim["section"])
    assert sec["text"][claim["span"][0]:claim["span"][1]] == inplace.inner_text()
    det.locator("button", has_text="在原文中查看").click()
    assert inplace.evaluate("m => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    _shot(page, "evidence_in_text.png")
    det.scroll_into_view_if_needed()
    _shot(page, "finding_open.png")
    assert not watch.dialogs and not watch.requests and not watch.errors
    page.close()


def test_keyboard_open_escape_and_print(browser, tmp_path, recs):
    page, watch = _open(browser, tmp_path, recs)
    page.focus("#rows tr:first-child button.link")
    page.keyboard.press("Enter")
    assert page.locator("article.report").count() == 1
    assert page.evaluate("document.activeElement.tagName") == "H2"
    page.keyboard.press("Tab")                         # into the report: the close button
    assert page.evaluate("document.activeElement.className") == "close"
    page.keyboard.press("Escape")
    assert page.locator("article.report").count() == 0
    assert page.evaluate("document.activeElement.closest('tr') !== null")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "f-q"
    # print: controls hidden, open findings expanded
    page.click("#rows tr:first-child button.link")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert not page.is_visible(".filters")
    assert page.locator("article.report details.finding.mismatch[open]").count() >= 1
    _shot(page, "print.png", full=True)
    page.emulate_media(media="screen")
    assert not watch.dialogs and not watch.requests and not watch.errors
    page.close()


def test_dismissed_finding_is_shown_dismissed(browser, tmp_path, recs):
    rec = next(r for r in recs if (r.get("report") or {}).get("department") == "东湖区卫生健康局")
    f = next(f for f in rec["findings"] if f["status"] == "mismatch")
    done = apply_decisions(recs, {fingerprint(rec, f): {"verdict": "dismissed", "reason": "口径不同", "by": "张三", "at": "2026-01-01"}})
    page, watch = _open(browser, tmp_path, done)
    page.fill("#f-q", "东湖区卫生健康局")
    row = page.locator("#rows tr:not([hidden])")
    assert row.locator("td").nth(7).inner_text() == "1"           # the dismissed column
    row.locator("button.link").click()
    det = page.locator(f'details.finding[data-fp="{fingerprint(rec, f)}"]')
    assert "dismissed" in det.get_attribute("class")
    assert det.locator("summary .d-dismissed").inner_text() == "已忽略"
    det.locator("summary").click()
    assert "张三" in det.inner_text() and "口径不同" in det.inner_text()
    _shot(page, "dismissed.png")
    page.close()


def test_hostile_text_never_executes(browser, tmp_path, recs):
    evil = [hostile(r, i) for i, r in enumerate(recs)]
    page, watch = _open(browser, tmp_path, evil, name="hostile.html")
    # open every report, every finding, every evidence link
    n = page.locator("#rows tr").count()
    for i in range(n):
        page.locator("#rows tr button.link").nth(i).click()
        for d in page.locator("article.report details").all():
            d.evaluate("d => d.open = true")
        for b in page.locator("article.report button.link").all()[:5]:
            b.click()
        page.locator("article.report h2").hover()
    page.click("#expand")
    page.wait_for_timeout(200)
    assert watch.dialogs == []
    assert watch.requests == []
    assert page.evaluate("document.scripts.length") == 2                    # the data block and our code
    assert page.locator("img, iframe, object, embed").count() == 0
    assert page.evaluate("[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length") == 0
    body = page.inner_text("#detail")
    assert HOSTILE[0] in body and HOSTILE[1] in body                        # shown, as text
    assert page.evaluate("typeof window.alert") == "function" and not watch.errors
    _shot(page, "hostile.png")
    page.close()


def test_english_page(browser, tmp_path, recs):
    page, watch = _open(browser, tmp_path, recs, name="en.html", lang="en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#count").startswith("Showing")
    page.click("#rows tr:first-child button.link")
    assert page.locator("article.report h3", has_text="Budget").count() == 1
    _shot(page, "english.png")
    assert not watch.errors
    page.close()


def test_laptop_and_narrow_screens(browser, tmp_path, recs):
    page, _ = _open(browser, tmp_path, recs, name="narrow.html", viewport=(800, 900))
    page.click("#rows tr:first-child button.link")
    # nothing wider than the window: no sideways scrolling of the page itself
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    _shot(page, "narrow.png")
    page.close()


def test_long_lists_are_shown_a_page_at_a_time(browser, tmp_path, recs):
    """Hundreds of reports: the first 100 rows, then 100 more per click; filters and counts cover all."""
    import copy

    many = []
    for i in range(250):
        r = copy.deepcopy(recs[i % len(recs)])
        r["source"]["path"] = f"batch/{i:04d}.txt"
        many.append(r)
    page, watch = _open(browser, tmp_path, many, name="many.html")
    assert page.locator("#rows tr").count() == 100
    assert page.inner_text("#count") == "显示 250 / 250" and page.is_visible("#more")
    page.click("#more")
    assert page.locator("#rows tr").count() == 200
    page.click("#more")
    assert page.locator("#rows tr").count() == 250 and not page.is_visible("#more")
    dept = "东湖区卫生健康局"
    page.select_option("#f-dept", dept)
    want = sum((r.get("report") or {}).get("department") == dept for r in many)
    assert page.locator("#rows tr").count() == want and page.inner_text("#count") == f"显示 {want} / 250"
    assert not watch.errors
    page.close()


def test_hostile_report_file_end_to_end(browser, tmp_path):
    """A report file whose text attacks the page, through `jixiao report` to the browser: shown, never run."""
    from typer.testing import CliRunner

    from conftest import build_department
    from pipeline.cli import app

    attack = '"><img src=x onerror=alert(1)>'
    text = build_department([(f"社区服务{attack}", f"全年举办培训班12期{attack}，培训居民860人次。&lt;script&gt;alert(2)&lt;/script&gt;",
                              [("培训班期数", "15期"), ("培训居民人次", "860人次")])],
                            title=f"2024年度测试局<script>alert(3)</script>部门整体支出绩效自评表")
    src = tmp_path / "in"
    src.mkdir()
    (src / "evil.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "evil.html"
    res = CliRunner().invoke(app, ["report", str(src), "-o", str(out)])
    assert res.exit_code == 1, res.output
    page = browser.new_page()
    watch = Watch(page, out.as_uri())
    page.goto(out.as_uri())
    page.wait_for_selector("html[data-ready]")
    page.click("#rows tr:first-child button.link")
    for d in page.locator("article.report details").all():
        d.evaluate("d => d.open = true")
    assert watch.dialogs == [] and watch.requests == [] and not watch.errors
    assert page.locator("img").count() == 0 and page.evaluate("document.scripts.length") == 2
    # the reader drops tags but decodes entities: that script reaches the page, as text
    assert "<script>alert(2)</script>" in page.inner_text("#detail")
    _shot(page, "hostile_file.png")
    page.close()
