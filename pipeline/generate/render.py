"""Writers: one report (rows from the tab-separated export) in each published format.

Each writer reproduces what archives hold: merged cells (layout.spans),
several paragraphs per cell, text before and after the table, site
navigation around an HTML form, numbers stored as numbers or as text in
spreadsheets, a PDF with ruling lines, wrapped CJK text, page numbers and a
merged cell running over a page break. The generator and the tests' fixture
builder both use them.
"""
from __future__ import annotations

import html as _html
import random
import re
from pathlib import Path
from typing import Callable

from .layout import Span, paragraphs, spans

_NUM = re.compile(r"^-?\d+(\.\d+)?$")
_PCT = re.compile(r"^(-?\d+(?:\.(\d+))?)%$")


def rows_of(text: str) -> list[list[str]]:
    """The export's rows, cells as written (with <p> fragments); '|'-separated lines split as the reader does."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if "\t" not in line and line.count("|") >= 2:
            line = line.strip().strip("|").replace("|", "\t")
        out.append([c.strip() if "|" in line else c for c in line.split("\t")])
    return out


def _split(rows: list[list[str]]) -> tuple[list[str], list[Span], int]:
    """Lines above the table, and the table's spans (rows renumbered from the first table row)."""
    sp, width = spans(rows)
    head: list[str] = []
    for r in range(len(rows)):
        cells = [s for s in sp if s.row == r]
        if len(cells) == 1 and cells[0].colspan == width and r == len(head):
            head.append(cells[0].text)
        else:
            break
    k = len(head)
    body = [Span(s.row - k, s.col, s.rowspan, s.colspan, s.text) for s in sp if s.row >= k]
    return head, body, width


def _plain(cell: str) -> list[str]:
    return [_html.unescape(re.sub(r"<[^>]+>", "", p)) for p in paragraphs(cell)]


# ---- HTML
def write_html(path: Path, g, flat: bool = False) -> None:
    head, body, width = _split(g.rows)
    out = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{_html.escape(head[-1] if head else '')}</title></head><body>",
           '<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; <a>财政信息</a></div>',
           '<script>var _hmt = _hmt || [];</script>', '<div class="content">']
    for line in head:
        out.append(f'<p style="text-align:center">{_html.escape(_plain(line)[0])}</p>')
    if flat:
        nrows = max((s.row + 1 for s in body), default=0)
        for r in range(nrows):
            cells = [s for s in body if s.row == r]
            out.append("<p>" + " | ".join(_html.escape(" ".join(_plain(s.text))) for s in cells) + "</p>")
    else:
        out.append('<table border="1" cellspacing="0" cellpadding="4">')
        nrows = max((s.row + 1 for s in body), default=0)
        for r in range(nrows):
            out.append("<tr>")
            for s in (x for x in body if x.row == r):
                attrs = (f' rowspan="{s.rowspan}"' if s.rowspan > 1 else "") + \
                        (f' colspan="{s.colspan}"' if s.colspan > 1 else "")
                inner = "".join(f"<p>{_html.escape(p)}</p>" for p in _plain(s.text)) if s.text.strip() else "&nbsp;"
                out.append(f"<td{attrs}>{inner}</td>")
            out.append("</tr>")
        out.append("</table>")
    out += ["</div>", '<div class="footer">主办单位：本级人民政府办公室 网站标识码：4401060001</div>', "</body></html>"]
    path.write_text("\n".join(out), encoding="utf-8")


def write_html_flat(path: Path, g) -> None:
    write_html(path, g, flat=True)


# ---- DOCX
def write_docx(path: Path, g) -> None:
    import docx

    head, body, width = _split(g.rows)
    d = docx.Document()
    for line in head:
        d.add_paragraph(_plain(line)[0])
    nrows = max((s.row + 1 for s in body), default=0)
    table = d.add_table(rows=nrows, cols=width)
    table.style = "Table Grid"
    for s in body:
        cell = table.cell(s.row, s.col)
        if s.rowspan > 1 or s.colspan > 1:
            cell = cell.merge(table.cell(s.row + s.rowspan - 1, s.col + s.colspan - 1))
        paras = _plain(s.text) if s.text.strip() else [""]
        cell.paragraphs[0].text = paras[0]
        for p in paras[1:]:
            cell.add_paragraph(p)
    d.add_paragraph("（本表由部门自评填报，财政部门复核。）")
    d.save(str(path))


# ---- spreadsheets
def _number(text: str, rng: random.Random):
    """A figure as a spreadsheet stores it: a number with a format, or the text as written."""
    t = text.strip()
    if rng.random() < 0.3:
        return t, None
    m = _PCT.match(t)
    if m:
        decimals = len(m.group(2) or "")
        return float(m.group(1)) / 100, "0" + ("." + "0" * decimals if decimals else "") + "%"
    if _NUM.match(t):
        decimals = len(t.split(".")[1]) if "." in t else 0
        return float(t) if decimals else int(t), "0" + ("." + "0" * decimals if decimals else "")
    return t, None


def write_xlsx(path: Path, g) -> None:
    import openpyxl
    from openpyxl.styles import Alignment

    rng = random.Random(path.name)
    head, body, width = _split(g.rows)
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes["A1"] = "本表金额单位以表头注明为准。"
    ws = wb.create_sheet("自评表", 0 if rng.random() < 0.5 else 1)
    r0 = 1
    for line in head:
        ws.cell(r0, 1, _plain(line)[0])
        ws.merge_cells(start_row=r0, start_column=1, end_row=r0, end_column=width)
        r0 += 1
    for s in body:
        paras = _plain(s.text)
        value, fmt = _number("\n".join(paras), rng) if s.text.strip() else (None, None)
        c = ws.cell(r0 + s.row, s.col + 1, value)
        if isinstance(value, str) and value.startswith("="):
            c.data_type = "s"  # '=4个' is a target written as text, not a formula
        if fmt:
            c.number_format = fmt
        if isinstance(value, str) and "\n" in value:
            c.alignment = Alignment(wrap_text=True, vertical="top")
        if s.rowspan > 1 or s.colspan > 1:
            ws.merge_cells(start_row=r0 + s.row, start_column=s.col + 1,
                           end_row=r0 + s.row + s.rowspan - 1, end_column=s.col + s.colspan)
    wb.save(str(path))


def write_xls(path: Path, g) -> None:
    import xlwt

    rng = random.Random(path.name)
    head, body, width = _split(g.rows)
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("自评表")
    styles: dict[str, object] = {}
    r0 = 0
    for line in head:
        ws.write_merge(r0, r0, 0, width - 1, _plain(line)[0])
        r0 += 1
    for s in body:
        value, fmt = _number("\n".join(_plain(s.text)), rng) if s.text.strip() else ("", None)
        style = styles.setdefault(fmt or "", xlwt.easyxf(num_format_str=fmt) if fmt else xlwt.XFStyle())
        if s.rowspan > 1 or s.colspan > 1:
            ws.write_merge(r0 + s.row, r0 + s.row + s.rowspan - 1, s.col, s.col + s.colspan - 1, value, style)
        else:
            ws.write(r0 + s.row, s.col, value, style)
    wb.add_sheet("说明").write(0, 0, "金额单位以表头为准。")
    wb.save(str(path))


# ---- PDF
FONT, SIZE, LEAD, PAD = "STSong-Light", 8.0, 10.5, 3.0
PAGE_W, PAGE_H, MARGIN = 595.27, 841.89, 40.0


def _wrap(text: str, width: float) -> list[str]:
    """Lines of a cell: CJK text breaks between any two characters, as Word does."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for ch in para:
            if line and stringWidth(line + ch, FONT, SIZE) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def write_pdf(path: Path, g) -> None:
    """A ruled table drawn on the page, split across pages the way a word processor does:
    a task group that does not fit is cut between rows, and its merged cells carry
    their remaining lines onto the next page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    head, body, width = _split(g.rows)
    weight = [4.0] * width
    for sp in body:
        if sp.colspan == 1:
            weight[sp.col] = max(weight[sp.col], min(len(sp.text), 60) ** 0.5 * 3)
    usable = PAGE_W - 2 * MARGIN
    colw = [usable * w / sum(weight) for w in weight]
    colx = [MARGIN + sum(colw[:k]) for k in range(width + 1)]
    cells = {}
    for sp in body:
        w = colx[sp.col + sp.colspan] - colx[sp.col] - 2 * PAD
        cells[(sp.row, sp.col)] = (sp, _wrap("\n".join(_plain(sp.text)) if sp.text.strip() else "", w))
    nrows = max((sp.row + 1 for sp in body), default=0)
    # row heights: single-row cells set their row; a span taller than its rows stretches its last row
    height = [2 * PAD + LEAD] * nrows
    for sp, lines in cells.values():
        if sp.rowspan == 1:
            height[sp.row] = max(height[sp.row], 2 * PAD + LEAD * len(lines))
    for sp, lines in cells.values():
        need = 2 * PAD + LEAD * len(lines)
        have = sum(height[sp.row:sp.row + sp.rowspan])
        if need > have:
            height[sp.row + sp.rowspan - 1] += need - have

    canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    canvas.setTitle("绩效自评表")
    page = [1]

    def finish_page() -> None:
        canvas.setFont(FONT, SIZE)
        canvas.drawCentredString(PAGE_W / 2, 20, f"第 {page[0]} 页")
        canvas.showPage()
        page[0] += 1

    y = PAGE_H - MARGIN
    for line in head:  # a PDF producer's habit: a space between CJK text and a figure (2022 年, 附件 2)
        text = re.sub(r"(\d)([\u4e00-\u9fff])", r"\1 \2", re.sub(r"([\u4e00-\u9fff])(\d)", r"\1 \2", _plain(line)[0]))
        wrapped = _wrap(text, usable) if len(text) > 40 else [text]
        for part in wrapped:
            if y - 18 < MARGIN:
                finish_page()
                y = PAGE_H - MARGIN
            canvas.setFont(FONT, 11 if len(wrapped) == 1 else SIZE)
            if len(wrapped) == 1:
                canvas.drawCentredString(PAGE_W / 2, y - 11, part)
            else:
                canvas.drawString(MARGIN, y - 11, part)
            y -= 18 if len(wrapped) == 1 else LEAD
    shown = {key: 0 for key in cells}  # lines of each cell already drawn
    cursor: dict[tuple[int, int], float] = {}  # baseline of each open cell's next line on this page
    covering = [[key for key in cells if key[0] <= r < key[0] + cells[key][0].rowspan] for r in range(nrows)]
    for r in range(nrows):
        if y - height[r] < MARGIN and y < PAGE_H - MARGIN - 1:
            finish_page()
            y = PAGE_H - MARGIN
            cursor.clear()
            for key in covering[r]:  # continued cells: the rows left must hold the lines left
                sp, lines = cells[key]
                need = 2 * PAD + LEAD * (len(lines) - shown[key])
                have = sum(height[r:sp.row + sp.rowspan])
                if need > have:
                    height[sp.row + sp.rowspan - 1] += need - have
        top = y
        y -= height[r]
        breaks = r + 1 < nrows and y - height[r + 1] < MARGIN
        canvas.setLineWidth(0.5)
        canvas.setFont(FONT, SIZE)
        for key in covering[r]:
            sp, lines = cells[key]
            x0, x1 = colx[sp.col], colx[sp.col + sp.colspan]
            if key not in cursor:
                cursor[key] = top - PAD - SIZE
                canvas.line(x0, top, x1, top)
            canvas.line(x0, top, x0, y)
            canvas.line(x1, top, x1, y)
            while shown[key] < len(lines) and cursor[key] >= y + PAD - 1:
                canvas.drawString(x0 + PAD, cursor[key], lines[shown[key]])
                shown[key] += 1
                cursor[key] -= LEAD
            if r == sp.row + sp.rowspan - 1 or breaks:
                canvas.line(x0, y, x1, y)
    finish_page()
    canvas.save()


def write_txt(path: Path, g) -> None:
    path.write_text(g.text, encoding="utf-8")


WRITERS: dict[str, Callable[[Path, object], None]] = {
    "txt": write_txt, "html": write_html, "docx": write_docx, "xlsx": write_xlsx, "xls": write_xls, "pdf": write_pdf,
}
