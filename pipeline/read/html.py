"""HTML pages: the form as a <table> (rowspan/colspan, <p> inside cells, site
navigation around it), or flattened into '|'-separated lines.

Text outside the tables becomes one-cell rows in document order. Scripts,
styles and navigation are dropped. lxml's HTML parser expands only the
predefined character entities, never declared ones.
"""
from __future__ import annotations

import re

from ..errors import BinaryFile
from ..limits import Limits, LimitsLike, exceeded
from ..model import Document, Row
from .text import clean_cell, decode

MAX_ROWSPAN = 500
MAX_COLSPAN = 100

_CHARSET = re.compile(rb"""<meta[^<>]{1,500}?charset\s{0,10}=\s{0,10}["']?([\w-]{1,40})""", re.I)  # bounded: linear
_DROP = ("script", "style", "noscript", "nav", "header", "footer", "iframe", "select", "button", "form", "head")
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "pre", "td", "th", "caption", "center", "section",
           "article", "blockquote", "dd", "dt", "span", "font", "b", "strong"}
_NAV_CLASS = re.compile(r"nav|menu|breadcrumb|footer|header|crumb|share|sidebar", re.I)


def _decode(data: bytes, name: str) -> str:
    m = _CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii", "ignore").lower()
        if enc in ("gb2312", "gbk", "gb18030"):
            enc = "gb18030"
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, name)[0]


def _inner(el) -> str:
    import lxml.html

    parts = [el.text or ""] + [lxml.html.tostring(c, encoding="unicode") for c in el]
    return "".join(parts)


def _spans(td, rows_left: int) -> tuple[int, int]:
    """A cell's (rowspan, colspan), clamped: a rowspan past the table's last row covers nothing."""
    try:
        rs = max(1, min(int(td.get("rowspan", 1)), MAX_ROWSPAN, rows_left))
        cs = max(1, min(int(td.get("colspan", 1)), MAX_COLSPAN))
    except (ValueError, OverflowError):
        rs = cs = 1
    return rs, cs


def _table_rows(table) -> list:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _check_grid(tables: list, name: str, lim: Limits) -> None:
    """Refuse tables whose spans would build more than max_cells slots in all, before building any."""
    slots = 0
    for table in tables:
        trs = _table_rows(table)
        for r, tr in enumerate(trs):
            for td in tr.xpath("./td|./th"):
                rs, cs = _spans(td, len(trs) - r)
                slots += rs * cs
            if slots > lim.max_cells:
                raise exceeded(name, "max_cells", f"{slots} table slots (rowspan x colspan)", lim.max_cells)


def _grid(table) -> list[Row]:
    """A table's rows with rowspan/colspan undone: the anchor keeps the text, covered slots are None."""
    rows: list[Row] = []
    pending: dict[tuple[int, int], bool] = {}
    trs = _table_rows(table)
    for r, tr in enumerate(trs):
        row: Row = []
        c = 0
        for td in tr.xpath("./td|./th"):
            while pending.pop((r, c), False):
                row.append(None)
                c += 1
            rs, cs = _spans(td, len(trs) - r)
            row.append(clean_cell(_inner(td)))
            for k in range(1, cs):
                row.append(None)
            for dr in range(1, rs):
                for dc in range(cs):
                    pending[(r + dr, c + dc)] = True
            c += cs
        while pending.pop((r, c), False):
            row.append(None)
            c += 1
        rows.append(row)
    return rows


def read(data: bytes, name: str, limits: LimitsLike = None) -> Document:
    import lxml.etree
    import lxml.html

    lim = Limits.resolve(limits)
    text = _decode(data, name)
    if len(text) > lim.max_chars:
        raise exceeded(name, "max_chars", len(text), lim.max_chars)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise BinaryFile(name, f"HTML: {exc}") from None
    for bad in root.xpath("//" + "|//".join(_DROP)):
        bad.drop_tree()
    for bad in root.xpath("//*[@class or @id]"):
        if _NAV_CLASS.search((bad.get("class") or "") + " " + (bad.get("id") or "")) and not bad.xpath(".//table"):
            bad.drop_tree()
    # the form: tables that hold no other table (layout tables around it are not the form)
    tables = [t for t in root.iter("table") if not t.xpath(".//table")]
    _check_grid(tables, name, lim)
    rows: list[Row] = []
    for el in root.iter():
        if el.tag == "table" and el in tables:
            rows.extend(_grid(el))
        elif isinstance(el.tag, str) and el.tag in _BLOCKS and not el.xpath("ancestor::table") \
                and not any(isinstance(c.tag, str) and c.tag in _BLOCKS | {"table"} for c in el.iterdescendants()):
            line = clean_cell(_inner(el))
            if line:
                rows.extend(_line_rows(line))
    if not tables and not rows:
        body = root.find("body")
        rows = _line_rows(clean_cell(lxml.html.tostring(body if body is not None else root, encoding="unicode")))
    return Document(name, "html", "", [r for r in rows if any(c for c in r if c)], encoding="utf-8")


def _line_rows(text: str) -> list[Row]:
    """Lines of text; a line with two or more '|' is a flattened table row."""
    out: list[Row] = []
    for line in text.split("\n"):
        if line.count("|") >= 2 or (line.count("|") == 1 and not line.startswith("|")):
            out.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif line.strip():
            out.append([line.strip()])
    return out
