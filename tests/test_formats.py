"""The same report gives the same check whatever the file: every fixture is
rendered to HTML (a table, and a page flattened into '|' lines), DOCX, XLSX,
XLS and PDF with the merged cells a real form has, and checked again."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline import api, errors
from pipeline.generate import one
from pipeline.generate.render import WRITERS, rows_of, write_html_flat
from conftest import DEPARTMENT, FIXTURE_DIRS, SHARED

pytest.importorskip("reportlab")
pytest.importorskip("xlwt")

FORMATS = {"html": WRITERS["html"], "flat.html": write_html_flat, "docx": WRITERS["docx"],
           "xlsx": WRITERS["xlsx"], "xls": WRITERS["xls"], "pdf": WRITERS["pdf"]}
SOURCES = [p for d in FIXTURE_DIRS for p in sorted(d.glob("*.txt"))] + sorted((SHARED / "seeds").glob("*.txt"))


def signature(res):
    """Everything but offsets: what a reviewer reads."""
    claims = {c.id: c for c in res.claims}
    return {
        "report": (res.report.department, res.report.year, res.report.template, res.report.money_unit),
        "budget": res.report.budget,
        "indicators": [(i.section, i.name, i.raw, i.value, i.unit, res.verdicts[i.id].status,
                        [claims[e].value for e in res.verdicts[i.id].evidence]) for i in res.report.indicators],
        "claims": [(c.section, c.subject, c.value, c.unit, c.range, c.approx) for c in res.claims],
        "findings": [(f.rule, f.status, f.indicator, f.expected, f.reported) for f in res.findings],
    }


def render(tmp_path: Path, stem: str, text: str, fmt: str) -> Path:
    p = tmp_path / f"{stem}.{fmt}"
    FORMATS[fmt](p, SimpleNamespace(rows=rows_of(text), text=text, ident=stem))
    return p


@pytest.fixture(scope="module")
def baselines():
    return {src: signature(api.check_path(src)) for src in SOURCES}


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("src", SOURCES, ids=[s.stem for s in SOURCES])
def test_every_format_checks_the_same(tmp_path, baselines, src, fmt):
    p = render(tmp_path, src.stem, src.read_text(encoding="utf-8"), fmt)
    got = signature(api.check_path(p))
    want = baselines[src]
    for key in want:
        assert got[key] == want[key], key


@pytest.mark.parametrize("index", range(6))
def test_generated_reports_in_every_format(tmp_path, index):
    g = one(99, index, mismatch_rate=0.5)
    src = tmp_path / f"{g.ident}.txt"
    src.write_text(g.text, encoding="utf-8")
    want = signature(api.check_path(src))
    for fmt in FORMATS:
        assert signature(api.check_path(render(tmp_path, g.ident, g.text, fmt))) == want, fmt


def test_pdf_table_across_pages_keeps_merged_text(tmp_path):
    """A task whose narrative is cut by a page break still reads as one cell."""
    long = "，".join(f"开展第{i}批次专项检查" for i in range(1, 40)) + "，共开展执法检查48次。"
    text = "\n".join([
        "2024年度测试局部门整体支出绩效自评表", "单位：万元",
        "部门名称\t测试局\t被评价年度\t2024年",
        "部门资金情况\t部门调整预算收入\t110.00\t部门年初预算收入\t100.00",
        "\t实际支出数\t99.00\t年度预算调整数\t10.00",
        "\t预算完成率\t90.0%\t预算调整率\t10.0%",
        "主要任务\t预期目标\t目标完成情况\t关键指标\t指标完成情况",
    ] + [f"任务{k}\t目标\t<p>{long}</p>\t执法检查次数\t48次" for k in range(1, 6)])
    p = tmp_path / "long.txt"
    p.write_text(text, encoding="utf-8")
    pdf = render(tmp_path, "long", text, "pdf")
    assert api.check_path(pdf).report.indicators and signature(api.check_path(pdf)) == signature(api.check_path(p))
    doc = api.read.read_path(pdf)
    assert doc.pages >= 2


# ---- bad files: one line, exit 2, bounded memory
def _docx_bytes(tmp_path) -> bytes:
    src = DEPARTMENT / "health_2023.txt"
    return render(tmp_path, "h", src.read_text(encoding="utf-8"), "docx").read_bytes()


def test_truncated_pdf(tmp_path):
    pdf = render(tmp_path, "h", (DEPARTMENT / "health_2023.txt").read_text(encoding="utf-8"), "pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(pdf[: len(pdf) // 3])
    with pytest.raises(errors.JixiaoError):
        api.check_path(p)


def test_password_protected_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    p = tmp_path / "locked.pdf"
    c = Canvas(str(p), encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "budget 2024")
    c.save()
    with pytest.raises(errors.Encrypted):
        api.check_path(p)


def test_scanned_pdf_has_no_text_layer(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    p = tmp_path / "scan.pdf"
    c = Canvas(str(p))
    for k in range(40):
        c.rect(50, 50 + k * 15, 400, 10, fill=1)  # where a scan would have an image of the form
    c.save()
    with pytest.raises(errors.NoTextLayer):
        api.check_path(p)


def test_pdf_without_unicode_map(tmp_path):
    """A Type0 font with Identity-H encoding and no ToUnicode: pdfminer can only say (cid:N)."""
    glyphs = "".join(f"{0x0100 + k:04X}" for k in range(60))
    stream = f"BT /F1 12 Tf 50 700 Td <{glyphs}> Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{k} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    p = tmp_path / "cid.pdf"
    p.write_bytes(out.getvalue())
    with pytest.raises(errors.NoTextLayer):
        api.check_path(p)


def test_docx_that_is_a_renamed_zip(tmp_path):
    p = tmp_path / "report.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("notes/readme.txt", "这不是Word文件")
    with pytest.raises(errors.Unsupported):
        api.check_path(p)


def test_docx_with_entity_declarations_is_refused(tmp_path):
    good = _docx_bytes(tmp_path)
    src = zipfile.ZipFile(io.BytesIO(good))
    bomb = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            b"<w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>")
    p = tmp_path / "bomb.docx"
    with zipfile.ZipFile(p, "w") as zf:
        for info in src.infolist():
            zf.writestr(info, bomb if info.filename == "word/document.xml" else src.read(info))
    with pytest.raises(errors.Corrupt):
        api.check_path(p)


def test_xlsx_with_a_formula_error(tmp_path):
    import openpyxl

    p = render(tmp_path, "h", (DEPARTMENT / "health_2023.txt").read_text(encoding="utf-8"), "xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb["自评表"]
    ws["C6"] = "#DIV/0!"
    wb.save(p)
    with pytest.raises(errors.FormulaError) as exc:
        api.check_path(p)
    assert "#DIV/0!" in exc.value.line()


def test_zero_byte_and_huge_files(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(errors.JixiaoError):
        api.check_path(empty)
    huge = tmp_path / "huge.pdf"
    with open(huge, "wb") as fh:  # sparse: 200 MB on paper, nothing read
        fh.truncate(200 * 1024 * 1024)
    with pytest.raises(errors.TooLarge):
        api.check_path(huge)


def test_xls_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "old.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    with pytest.raises(errors.JixiaoError):
        api.check_path(p)
