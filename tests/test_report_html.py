"""The HTML page as text: self-contained, CSP by hash, document text only inside escaped JSON."""
from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from pipeline.output import html
from report_support import HOSTILE, hostile, records


@pytest.fixture(scope="module")
def recs(tmp_path_factory):
    return records(tmp_path_factory.mktemp("unreadable"))


def _data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="jx-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def test_self_contained_with_csp_hashes(recs):
    page = html.render(recs)
    assert '<html lang="zh-CN">' in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)  # nothing fetched
    assert "<link" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert csp.startswith("default-src 'none'")
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(scripts) == 1 and len(styles) == 1
    for body in scripts + styles:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    markup = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert " style=" not in markup and not re.search(r"\son\w+\s*=", markup)  # no inline style or handler


def test_hostile_text_stays_inside_the_json(recs):
    evil = [hostile(r, i) for i, r in enumerate(recs) if r["status"] == "checked"]
    page = html.render(evil)
    outside = re.sub(r'<script type="application/json" id="jx-data">.*?</script>', "", page, flags=re.S)
    for attack in HOSTILE:
        if attack.strip():
            assert attack not in outside
    block = re.search(r'id="jx-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block and "\u2028" not in block
    data = _data(page)
    assert data["reports"][0]["report"]["title"].startswith(HOSTILE[0])  # the text survives, as text
    assert page.count("<script") == 2  # our data block and our code, nothing from the documents


def test_overview_counts_and_order(recs):
    page = html.render(recs)
    data = _data(page)
    worst = [r["_"]["worst"] for r in data["reports"]]
    assert worst == sorted(worst, key=lambda w: -{"error": 4, "unreadable": 3, "warning": 2, "unverified": 1, "clean": 0}[w])
    assert data["reports"][0]["_"]["open"] >= 1
    n_unread = sum(r["status"] == "unreadable" for r in recs)
    assert f'data-worst="unreadable">{n_unread}<' in page
    assert '<button type="button" class="link" data-rule="budget.completion_rate">预算完成率 = 实际支出 ÷ 调整预算</button>' in page


def test_english_labels_and_rule_titles(recs):
    page = html.render(recs, lang="en")
    assert '<html lang="en">' in page and "<h2>Overview</h2>" in page
    assert "Completion rate = actual spending ÷ adjusted budget" in page
    assert _data(page)["labels"]["title"] == "Performance self-evaluation review"


def test_json_escaping():
    s = html.json_for_script({"a": "</script><b>&\u2028\u2029"})
    assert json.loads(s) == {"a": "</script><b>&\u2028\u2029"}
    assert not set(s) & {"<", ">", "&", "\u2028", "\u2029"}
