"""Builders for damaged and hostile inputs, one per class of issue 13.

Every case is generated when a test (or benchmarks/hostile.py) asks for it,
never stored: `build(name, folder)` writes the file and returns its path.
A case is (class, builder, slow); slow ones are for the exhaustive run only.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------- a good report
def good_report(dept: str = "测试区测试局", narrative: str = "全年开展培训12次，培训人员300人次。",
                indicator: tuple[str, str] = ("培训次数", "12次"), budget=None) -> str:
    """A small 部门整体支出绩效自评表 in the tab-separated export (the shape tests/conftest.py builds)."""
    b = budget or ("110.00", "100.00", "99.00", "10.00", "90.0%", "10.0%")
    rows = [
        "2024年度测试区测试局部门整体支出绩效自评表",
        "单位：万元",
        f"部门名称\t\t{dept}\t\t被评价年度\t2024年",
        f"部门资金情况\t部门调整预算收入\t{b[0]}\t部门年初预算收入\t{b[1]}\t",
        f"\t实际支出数\t{b[2]}\t年度预算调整数\t{b[3]}\t",
        f"\t预算完成率\t{b[4]}\t预算调整率\t{b[5]}\t",
        "主要任务\t预期目标\t目标完成情况\t关键指标\t指标完成情况\t任务涉及资金",
        f"业务培训\t完成年度任务\t<p>{narrative}</p>\t{indicator[0]}\t{indicator[1]}\t10.00",
        "存在问题\t\t<p>无。</p>\t\t\t",
    ]
    return "\n".join(rows) + "\n"


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    p = folder / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


# ---------------------------------------------------------------- numbers out of range
def huge_arabic(folder: Path) -> Path:
    big = "9" * 400
    text = good_report(narrative=f"全年开展培训{big}次，资金{big}.5万元，完成率{big}%。",
                       indicator=("培训次数", f"{big}次"),
                       budget=("1" + "0" * 300, "100.00", f"{big}.{big}", "10.00", f"{big}%", "10.0%"))
    return _write(folder, "huge_arabic.txt", text)


def cn_numerals(folder: Path) -> Path:
    run = "九千九百九十九万" * 800 + "亿" * 500
    text = good_report(narrative=f"全年开展培训{run}次，投入{run}元，覆盖百分之{run}。",
                       indicator=("培训次数", f"{'一二三四五六七八九十' * 500}次"))
    return _write(folder, "cn_numerals.txt", text)


def tiny_decimal(folder: Path) -> Path:
    text = good_report(narrative=f"完成率0.{'0' * 500}1%，共{'1' * 5000}人。",
                       indicator=("完成率", f"0.{'0' * 500}1%"))
    return _write(folder, "tiny_decimal.txt", text)


# ---------------------------------------------------------------- markup in report text
def markup_names(folder: Path) -> Path:
    text = good_report(dept="[bold]测试[/]局[/]", indicator=("[/]培训[link=x]次数", "12次"))
    return _write(folder, "markup.txt", text)


# ---------------------------------------------------------------- backtracking regexes
def paren_spaces(folder: Path) -> Path:
    cell = "(" + " " * 100_000 + "x"
    text = good_report(narrative=f"全年开展培训12次{cell}。单位" + " " * 50_000 + "：" + " " * 50_000 + "<" + " " * 50_000)
    return _write(folder, "paren_spaces.txt", text)


# ---------------------------------------------------------------- resource bombs
def glued_digits(folder: Path) -> Path:
    """A project form's fund block run together, its rows long runs of digits: thousands of ways
    to cut each one (the glued-fund reader must stay cheap and guess none), on many lines."""
    head = "项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分"
    run = "3305679352841539257657229886628287156.33%10.5"
    line = head + "年度资金总额" + run + ("其中:财政拨款" + run) * 11
    text = "项目支出绩效自评表\n（2023年度）\n项目名称\t测试\n主管部门\t测试局\n" + "\n".join([line] * 400) + \
        "\n绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
    return _write(folder, "glued_digits.txt", text)


def html_spans(folder: Path) -> Path:
    cells = "".join(f'<td rowspan="{10**9}" colspan="{10**9}">x{i}</td>' for i in range(800))
    rows = "".join(f"<tr>{cells}</tr>" for _ in range(2))
    return _write(folder, "spans.html", f"<html><body><table>{rows}</table></body></html>")


def _zip_bytes(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _docx_members(body: str) -> dict[str, bytes]:
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
          '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>')
    doc = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f'<w:body>{body}</w:body></w:document>')
    return {"[Content_Types].xml": ct.encode(), "_rels/.rels": rels.encode(), "word/document.xml": doc.encode()}


def _docx_paragraphs(text: str) -> str:
    return "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines())


def docx_good(folder: Path, name: str = "good.docx") -> Path:
    return _write(folder, name, _zip_bytes(_docx_members(_docx_paragraphs(good_report().replace("\t", " ")))))


def docx_many_parts(folder: Path, parts: int = 240) -> Path:
    """Parts just under 1 MiB each (under the per-part ratio check), 240 MB in all (under the total),
    each related to the document so that python-docx loads every one."""
    members = _docx_members(_docx_paragraphs(good_report().replace("\t", " ")))
    part = b"<a>" + b"<b/>" * ((1 << 20) // 4 - 4) + b"</a>"
    rels = "".join(f'<Relationship Id="rX{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" '
                   f'Target="../customXml/item{i}.xml"/>' for i in range(parts))
    members["word/_rels/document.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}</Relationships>").encode()
    for i in range(parts):
        members[f"customXml/item{i}.xml"] = part
    return _write(folder, "many_parts.docx", _zip_bytes(members))


def xlsx_cells(folder: Path, rows: int = 1000, cols: int = 1000) -> Path:
    """A sheet of rows x cols numbers, written as raw XML (openpyxl would take a minute to write it)."""
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
    wb = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wbrels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
              '</Relationships>')
    import random

    rnd = random.Random(13)  # varied numbers: the sheet compresses like a real one, under the ratio check
    body = "".join("<row>" + "".join(f"<c><v>{rnd.randrange(10**6)}</v></c>" for _ in range(cols)) + "</row>"
                   for _ in range(rows))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"<sheetData>{body}</sheetData></worksheet>")
    return _write(folder, "cells.xlsx", _zip_bytes({"[Content_Types].xml": ct.encode(), "_rels/.rels": rels.encode(),
                                                    "xl/workbook.xml": wb.encode(), "xl/_rels/workbook.xml.rels": wbrels.encode(),
                                                    "xl/worksheets/sheet1.xml": sheet.encode()}))


def zip_big_member(folder: Path) -> Path:
    """A 63 MB text member that compresses to a few dozen KB."""
    line = ("\t".join(["业务培训", "完成", "全年开展培训12次"] * 4) + "\n").encode()
    data = line * (63_000_000 // len(line))
    return _write(folder, "big_member.zip", _zip_bytes({"big.txt": data}))


# ---------------------------------------------------------------- PDF
def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF of numbered objects with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, flate: bool = True) -> bytes:
    body = zlib.compress(data, 9) if flate else data
    filt = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(body), filt) + body + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page_pdf(content_obj: bytes) -> bytes:
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        content_obj,
        _FONT,
    ])


def pdf_self_ref(folder: Path) -> Path:
    """Objects that are references to themselves: the content stream, its resources, its length."""
    data = _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources 5 0 R >>",
        b"4 0 R",
        b"5 0 R",
    ])
    return _write(folder, "self_ref.pdf", data)


def pdf_flate_bomb(folder: Path, megabytes: int = 512) -> Path:
    """A content stream of `megabytes` MB of spaces, compressed to well under 1 MB."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    body = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    obj = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    return _write(folder, "flate_bomb.pdf", _page_pdf(obj))


def pdf_many_chars(folder: Path, n: int = 60_000_000) -> Path:
    return _write(folder, "many_chars.pdf", _page_pdf(_stream(b"BT /F1 1 Tf 10 700 Td (" + b"A" * n + b") Tj ET")))


def pdf_damaged(folder: Path) -> Path:
    """A real PDF (reportlab) cut short and with its xref garbled: pdfminer logs warnings on it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for k in range(3):
        c.drawString(72, 700, f"page {k} " + "text " * 20)
        c.showPage()
    c.save()
    data = buf.getvalue()
    data = data.replace(b"xref", b"xre!").replace(b"/Length", b"/Lngth")
    return _write(folder, "damaged.pdf", data)


def pdf_noisy(folder: Path) -> Path:
    """Text, and 200 operators with operands pdfminer cannot read: it logs a warning for each."""
    text = b"".join(b"BT /F1 10 Tf 72 %d Td (line %d of some text here) Tj ET\n" % (700 - 12 * i, i) for i in range(20))
    return _write(folder, "noisy.pdf", _page_pdf(_stream(text + b"/x w\n" * 200)))


def pdf_chars_page(folder: Path, n: int = 2_000_000) -> Path:
    """Two million characters on one page, in a stream well under max_stream_bytes."""
    return _write(folder, "chars_page.pdf", _page_pdf(_stream(b"BT /F1 1 Tf 10 700 Td (" + b"A" * n + b") Tj ET")))


def pdf_pages(folder: Path, pages: int = 2000) -> Path:
    """A ruled table on each of `pages` pages (reportlab)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for p in range(pages):
        for i in range(21):
            c.line(50, 100 + i * 30, 550, 100 + i * 30)
        for j in range(6):
            c.line(50 + j * 100, 100, 50 + j * 100, 700)
        for i in range(20):
            c.drawString(55, 110 + i * 30, f"row {i} page {p} 123")
        c.showPage()
    c.save()
    return _write(folder, "pages.pdf", buf.getvalue())


# ---------------------------------------------------------------- DTD holes
def _docx_with_doctype(where: str) -> bytes:
    members = _docx_members(_docx_paragraphs(good_report().replace("\t", " ")))
    dtd = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    doc = members["word/document.xml"].decode()
    if where == "late":
        # the declaration after 8 KB of whitespace and comments (still before the root element)
        doc = doc.replace("?>", "?>" + "<!--" + " " * 9000 + "-->" + dtd, 1)
        members["word/document.xml"] = doc.encode()
    elif where == "utf16":
        doc = doc.replace('encoding="UTF-8"', 'encoding="UTF-16"').replace("?>", "?>" + dtd, 1)
        members["word/document.xml"] = doc.encode("utf-16")
    elif where == "name":
        # the main part under a name that is not .xml, found through the relationships
        doc = doc.replace("?>", "?>" + dtd, 1)
        del members["word/document.xml"]
        members["word/document.dat"] = doc.encode()
        members["_rels/.rels"] = members["_rels/.rels"].replace(b"word/document.xml", b"word/document.dat")
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"/word/document.xml", b"/word/document.dat")
    return _zip_bytes(members)


def docx_dtd_late(folder: Path) -> Path:
    return _write(folder, "dtd_late.docx", _docx_with_doctype("late"))


def docx_dtd_utf16(folder: Path) -> Path:
    return _write(folder, "dtd_utf16.docx", _docx_with_doctype("utf16"))


def docx_dtd_name(folder: Path) -> Path:
    return _write(folder, "dtd_name.docx", _docx_with_doctype("name"))


# ---------------------------------------------------------------- libraries that talk
def xls_noisy(folder: Path) -> Path:
    """An XLS (xlwt) with trailing junk: xlrd prints a warning to stdout about the file size."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("表1")
    for r, line in enumerate(good_report().splitlines()):
        for c, cell in enumerate(line.split("\t")):
            ws.write(r, c, cell)
    buf = io.BytesIO()
    wb.save(buf)
    return _write(folder, "noisy.xls", buf.getvalue() + b"\x00" * 100)


# ---------------------------------------------------------------- archives
def _patch_flags(data: bytes, name: bytes, or_flags: int = 0, method: int | None = None) -> bytes:
    """Set general-purpose flags / the method of one member in both its local and central headers."""
    out = bytearray(data)
    for sig, flag_at, method_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 8, 26, 30), (b"PK\x01\x02", 8, 10, 28, 46)):
        pos = 0
        while (pos := out.find(sig, pos)) >= 0:
            n = struct.unpack_from("<H", out, pos + name_len_at)[0]
            if bytes(out[pos + name_at: pos + name_at + n]) == name:
                flags = struct.unpack_from("<H", out, pos + flag_at)[0]
                struct.pack_into("<H", out, pos + flag_at, flags | or_flags)
                if method is not None:
                    struct.pack_into("<H", out, pos + method_at, method)
            pos += 4
    return bytes(out)


def _rename(data: bytes, old: bytes, new: bytes) -> bytes:
    assert len(old) == len(new)
    return data.replace(old, new)


def mixed_zip_bytes(good: dict[str, bytes]) -> tuple[bytes, dict[str, str]]:
    """A zip of good reports and one member of each damaged kind; returns (bytes, {member: expected code})."""
    bad = {
        "crc.txt": good_report().encode(),
        "password.txt": good_report().encode(),
        "method.txt": good_report().encode(),
        "badname_.txt": good_report().encode(),
        "nulname_.txt": good_report().encode(),
        "inner.zip": _zip_bytes({"deep.txt": good_report(dept="内层局").encode()}),
        "legacy.doc": b"\xd0\xcf\x11\xe0 not really",
    }
    members = {**good, **bad}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_STORED if name == "crc.txt" else zipfile.ZIP_DEFLATED)
    data = buf.getvalue()
    # a flipped byte inside the stored member: its CRC no longer matches
    at = data.find("部门整体支出".encode()) + 1
    data = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]
    data = _patch_flags(data, b"password.txt", or_flags=0x1)
    data = _patch_flags(data, b"method.txt", method=98)  # PPMd: not supported by zipfile
    data = _rename(data, b"badname_.txt", b"badname\xff.txt")
    data = _patch_flags(data, b"badname\xff.txt", or_flags=0x800)  # flagged UTF-8, not UTF-8
    data = _rename(data, b"nulname_.txt", b"nulname\x00.txt")
    expected = {"crc.txt": "E112", "password.txt": "E108", "method.txt": "E112",
                "badname\ufffd.txt": "E112", "nulname\x00.txt": "E112", "legacy.doc": "E106"}
    return data, expected


def zip_mixed(folder: Path) -> Path:
    data, _ = mixed_zip_bytes({"good.txt": good_report().encode()})
    return _write(folder, "mixed.zip", data)


def zip_nested_deep(folder: Path, depth: int = 6) -> Path:
    data = _zip_bytes({"deep.txt": good_report().encode()})
    for k in range(depth):
        data = _zip_bytes({f"level{k}.zip": data})
    return _write(folder, "nested.zip", data)


def zip_empty(folder: Path) -> Path:
    return _write(folder, "empty.zip", _zip_bytes({}))


# name -> (class, builder, slow)
CASES: dict[str, tuple[str, Callable[[Path], Path], bool]] = {
    "huge_arabic": ("numbers", huge_arabic, False),
    "cn_numerals": ("numbers", cn_numerals, False),
    "tiny_decimal": ("numbers", tiny_decimal, False),
    "markup_names": ("markup", markup_names, False),
    "paren_spaces": ("regex", paren_spaces, False),
    "glued_digits": ("regex", glued_digits, False),
    "html_spans": ("bomb", html_spans, False),
    "docx_many_parts": ("bomb", docx_many_parts, False),
    "xlsx_cells": ("bomb", xlsx_cells, False),
    "zip_big_member": ("bomb", zip_big_member, False),
    "pdf_self_ref": ("bomb", pdf_self_ref, False),
    "pdf_flate_bomb": ("bomb", pdf_flate_bomb, False),
    "pdf_many_chars": ("bomb", pdf_many_chars, False),
    "pdf_pages": ("bomb", pdf_pages, True),
    "docx_dtd_late": ("dtd", docx_dtd_late, False),
    "docx_dtd_utf16": ("dtd", docx_dtd_utf16, False),
    "docx_dtd_name": ("dtd", docx_dtd_name, False),
    "pdf_damaged": ("noise", pdf_damaged, False),
    "pdf_noisy": ("noise", pdf_noisy, False),
    "pdf_chars_page": ("bomb", pdf_chars_page, False),
    "xls_noisy": ("noise", xls_noisy, False),
    "zip_mixed": ("archive", zip_mixed, False),
    "zip_nested_deep": ("archive", zip_nested_deep, False),
    "zip_empty": ("archive", zip_empty, False),
}


def build(name: str, folder: Path) -> Path:
    return CASES[name][1](folder)
