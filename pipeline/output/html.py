"""The reviewer's report as one self-contained HTML file.

Styles and script are inline (pipeline/output/static/), nothing is fetched,
and a Content-Security-Policy allows only those two blocks, by hash. The
records travel as inert JSON in a <script type="application/json"> block
with < > & U+2028 U+2029 escaped, and the script puts document text on the
page through textContent only; what Python writes into the markup itself is
html.escape'd. The overview (counts by status, rule, severity) is written
here; rows, filters, sorting and each report's detail are built in the page.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import os
from collections import Counter
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

from . import digest, labels
from .reviewed import is_dismissed, is_open, reviewed

STATIC = Path(__file__).resolve().parent / "static"
# JSON inside <script>: these may not appear raw (end tag, HTML parsing, JS line terminators)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@lru_cache(maxsize=None)
def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(script: str, style: str) -> str:
    """Nothing but our own inline script and style; no fetch, image, font, frame, form or base URL."""
    return ("default-src 'none'; script-src " + _csp_hash(script) + "; style-src " + _csp_hash(style) +
            "; img-src 'none'; connect-src 'none'; font-src 'none'; object-src 'none'; frame-src 'none'; "
            "base-uri 'none'; form-action 'none'")


def json_for_script(data: Any) -> str:
    """The payload as the data block's text: JSON with < > & U+2028 U+2029 escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in _JSON_ESCAPES.items():
        text = text.replace(ch, esc)
    return text


# what the page reads of each list, sent as {"k": keys, "v": rows of values}: a 1,000-report page is
# half the size with keys written once, and the browser parses it in half the time
_COLUMNS = {
    "indicators": ("id", "section", "name", "raw", "status", "evidence", "note"),
    "claims": ("id", "section", "text", "span"),
    "findings": ("id", "rule", "status", "severity", "indicator", "claims", "expected", "reported", "message",
                 "fingerprint", "decision"),
    "sections": ("name", "text"),
}


def _columns(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, Any]:
    return {"k": list(keys), "v": [[row.get(k) for k in keys] for row in rows]}


def _slim(record: dict[str, Any], order: int) -> dict[str, Any]:
    """The record as the page reads it, with the summary it sorts and filters by under `_`."""
    rec = {k: record[k] for k in ("status", "source", "pipeline", "report", "budget", "error") if k in record}
    for key, cols in _COLUMNS.items():
        if key in record:
            rec[key] = _columns(record.get(key) or [], cols)
    rec["_"] = {**digest.summary(record), "order": order}
    return rec


def _counts(records: list[dict[str, Any]]) -> dict[str, Any]:
    by_worst = Counter(digest.summary(r)["worst"] for r in records)
    by_rule: dict[str, dict[str, int]] = {}
    by_sev: Counter = Counter()
    for r in records:
        for f in r.get("findings") or []:
            if f.get("status") == "consistent":
                continue
            row = by_rule.setdefault(f.get("rule") or "", {"open": 0, "unverified": 0, "dismissed": 0, "reports": 0})
            if is_open(f):
                row["open"] += 1
                by_sev[f.get("severity") or ""] += 1
            elif f.get("status") == "unverified":
                row["unverified"] += 1
            elif is_dismissed(f):
                row["dismissed"] += 1
        for rule in {f.get("rule") for f in r.get("findings") or [] if f.get("status") != "consistent"}:
            by_rule[rule or ""]["reports"] += 1
    return {"worst": by_worst, "rules": dict(sorted(by_rule.items(), key=lambda kv: (-kv[1]["open"], -kv[1]["unverified"], kv[0]))),
            "severities": by_sev,
            "dismissed": sum(is_dismissed(f) for r in records for f in r.get("findings") or [])}


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _overview(records: list[dict[str, Any]], L: dict[str, Any], lang: str) -> str:
    c = _counts(records)
    n = len(records)
    checked = sum(r.get("status") == "checked" for r in records)
    with_open = c["worst"]["error"] + c["worst"]["warning"]
    cards = [(L["reports"], n, ""), (L["checked"], checked, ""), (L["with_open"], with_open, " bad" if with_open else ""),
             (L["unreadable"], c["worst"]["unreadable"], " bad" if c["worst"]["unreadable"] else ""),
             (L["clean"], c["worst"]["clean"], ""), (L["dismissed"], c["dismissed"], "")]
    out = ['<ul class="cards" id="cards">']
    out += [f'<li class="card{cls}"><b>{_e(v)}</b><span>{_e(k)}</span></li>' for k, v, cls in cards]
    out.append("</ul>")
    out.append('<div class="breakdown"><section><h3>' + _e(L["by_rule"]) + '</h3><table id="by-rule"><thead><tr>'
               f'<th>{_e(L["rule"])}</th><th class="num">{_e(L["open"])}</th><th class="num">{_e(L["unverified_n"])}</th>'
               f'<th class="num">{_e(L["dismissed"])}</th><th class="num">{_e(L["reports"])}</th></tr></thead><tbody>')
    for rule, row in c["rules"].items():
        out.append(f'<tr><td><button type="button" class="link" data-rule="{_e(rule)}">{_e(labels.rule_title(rule, lang))}</button>'
                   f' <span class="small">{_e(rule)}</span></td><td class="num">{row["open"]}</td>'
                   f'<td class="num">{row["unverified"]}</td><td class="num">{row["dismissed"]}</td><td class="num">{row["reports"]}</td></tr>')
    if not c["rules"]:
        out.append(f'<tr><td colspan="5" class="empty">{_e(L["no_findings"])}</td></tr>')
    out.append("</tbody></table></section><section>")
    out.append(f'<h3>{_e(L["by_status"])}</h3><table id="by-status"><tbody>')
    for w in ("error", "unreadable", "warning", "unverified", "clean"):
        word = {"error": L["severities"]["error"], "warning": L["severities"]["warning"], "unreadable": L["unreadable"],
                "unverified": L["statuses"]["unverified"], "clean": L["clean"]}[w]
        out.append(f'<tr><td><span class="badge w-{w}">{_e(word)}</span></td><td class="num" data-worst="{w}">{c["worst"][w]}</td></tr>')
    out.append(f'</tbody></table><h3>{_e(L["by_severity"])}</h3><table id="by-severity"><tbody>')
    for sev in ("error", "warning", "info"):
        out.append(f'<tr><td><span class="badge v-{sev}">{_e(L["severities"][sev])}</span></td>'
                   f'<td class="num" data-severity="{sev}">{c["severities"][sev]}</td></tr>')
    out.append("</tbody></table></section></div>")
    return "\n".join(out)


def _filters(L: dict[str, Any]) -> str:
    sel = [("f-dept", L["department"]), ("f-year", L["year"]), ("f-template", L["template"]), ("f-rule", L["rule"]),
           ("f-sev", L["severity"]), ("f-worst", L["status"])]
    out = [f'<div class="filters" role="search" aria-label="{_e(L["filters"])}">']
    out += [f'<label for="{i}">{_e(name)}<select id="{i}"></select></label>' for i, name in sel]
    out.append(f'<label for="f-q">{_e(L["search"])}<input type="search" id="f-q" placeholder="{_e(L["search_hint"])}" '
               f'autocomplete="off"></label>')
    out.append(f'<button type="button" class="expand" id="expand">{_e(L["expand_all"])}</button>')
    out.append('<span class="count" id="count" aria-live="polite"></span></div>')
    return "".join(out)


def _table(L: dict[str, Any]) -> str:
    cols = [("title", L["report_title"], ""), ("department", L["department"], ""), ("year", L["year"], "num"),
            ("template", L["template"], ""), ("worst", L["worst"], ""), ("open", L["mismatches"], "num"),
            ("unverified", L["unverified_n"], "num"), ("dismissed", L["dismissed"], "num")]
    head = "".join(f'<th data-sort="{k}" class="{cls}" aria-sort="none" scope="col"><button type="button" class="sort">{_e(name)}</button></th>'
                   for k, name, cls in cols)
    return (f'<div class="table-wrap"><table id="reports" aria-describedby="sort-hint"><thead><tr>{head}</tr></thead>'
            f'<tbody id="rows"></tbody></table></div><button type="button" id="more" class="more" hidden></button>'
            f'<p class="small" id="sort-hint">{_e(L["sort_hint"])}</p>'
            f'<p class="empty" id="no-match" hidden>{_e(L["no_match"])}</p>')


def render(records: Iterable[dict[str, Any]], lang: str = "zh", title: Optional[str] = None,
           generated: Optional[str] = None) -> str:
    """The whole page for these records (decisions applied if they carry them), worst first."""
    lang = "en" if lang == "en" else "zh"
    L = labels.labels(lang)
    records = sorted(reviewed(records), key=digest.sort_key)
    script, style = _static("report.js"), _static("report.css")
    payload = {
        "lang": lang,
        "labels": L,
        "rules": labels.rule_titles(lang) | {f.get("rule"): labels.rule_title(f.get("rule") or "", lang)
                                             for r in records for f in r.get("findings") or []},
        "budget_fields_of_rule": {code: e.get("budget", []) for code, e in labels.rules().items()},
        "reports": [_slim(r, i) for i, r in enumerate(records)],
    }
    title = title or L["title"]
    generated = generated or datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp(script, style), quote=False)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        f'<a class="skip" href="#reports">{_e(L["overview"])}</a>',
        "<main>",
        f'<header><h1>{_e(title)}</h1><p class="meta">{_e(L["generated"])} {_e(generated)} · '
        f'{_e(L["reports"])} {len(records)}</p></header>',
        f'<noscript><p class="empty">{_e(L["noscript"])}</p></noscript>',
        f'<section id="overview" aria-label="{_e(L["overview"])}"><h2>{_e(L["overview"])}</h2>',
        _overview(records, L, lang),
        f'<h2 id="list">{_e(L["reports"])}</h2>',
        _filters(L),
        _table(L),
        "</section>",
        '<section id="detail" aria-live="polite"></section>',
        "</main>",
        f'<script type="application/json" id="jx-data">{json_for_script(payload)}</script>',
        f"<script>{script}</script>",
        "</body>",
        "</html>",
    ]) + "\n"


def write(records: Iterable[dict[str, Any]], path: str | os.PathLike, lang: str = "zh", title: Optional[str] = None) -> int:
    """Write the page; returns its size in bytes."""
    data = render(records, lang, title).encode("utf-8")
    Path(path).write_bytes(data)
    return len(data)
