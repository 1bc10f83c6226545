"""Word and Excel files: DOCX (python-docx), XLSX (openpyxl), XLS (xlrd).

Before any XML parser sees an OOXML file, its ZIP is checked: it must be a
Word or Excel package, no member may declare a DTD or entities (no entity
expansion, no billion laughs), and the unpacked size must stay bounded.
Merged cells come back as None in every slot but the anchor.
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile

from ..errors import Corrupt, Encrypted, FormulaError, ReadError, TooLarge, Unsupported
from ..model import Document, Row
from .text import clean_cell

MAX_UNPACKED = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_CELLS = 200_000
FORMULA_ERRORS = ("#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")


def _check_zip(zf: zipfile.ZipFile, name: str) -> str:
    """'docx' or 'xlsx', after refusing archives that would expand unsafely."""
    names = set(zf.namelist())
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1 << 20:
            raise Corrupt(name, f"{info.filename} expands {info.file_size // info.compress_size}x (zip bomb?)")
    if total > MAX_UNPACKED:
        raise TooLarge(name, f"{total} bytes unpacked")
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")):
            with zf.open(info) as fh:
                head = fh.read(8192)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise Corrupt(name, f"{info.filename} declares a DTD or entities; refused")
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "EncryptedPackage" in names:
        raise Encrypted(name)
    raise Unsupported(name, "a ZIP archive that is neither a Word (.docx) nor an Excel (.xlsx) file")


def read_ooxml(data: bytes, name: str) -> Document:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Corrupt(name, f"ZIP: {exc}") from None
    kind = _check_zip(zf, name)
    return _read_docx(data, name) if kind == "docx" else _read_xlsx(data, name)


# ---- DOCX
def _read_docx(data: bytes, name: str) -> Document:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(io.BytesIO(data))
    rows: list[Row] = []
    for el in d.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_cell(Paragraph(el, d).text)
            if text:
                rows.append([text])
        elif tag == "tbl":
            rows.extend(_docx_table(Table(el, d)))
    return Document(name, "docx", "", rows)


def _docx_table(table) -> list[Row]:
    """python-docx repeats a merged cell in row.cells (across and down): read each once.

    Cells are told apart by their <w:tc> element; the elements are kept referenced so
    that lxml hands back the same proxy (an id() of a dropped proxy can be reused)."""
    seen: dict[int, object] = {}
    out: list[Row] = []
    for row in table.rows:
        cells: Row = []
        for cell in row.cells:
            key = id(cell._tc)
            if key in seen:
                cells.append(None)
                continue
            seen[key] = cell._tc
            cells.append(clean_cell("\n".join(p.text for p in cell.paragraphs)))
        out.append(cells)
    return out


# ---- spreadsheets: numbers as the sheet displays them
def _decimals(fmt: str) -> int:
    m = re.search(r"0\.(0+)", fmt or "")
    return len(m.group(1)) if m else 0


def display(value, fmt: str) -> str:
    """A cell as a reader sees it: 0.965 with format 0.0% is '96.5%'; 2318.9 with 0.00 is '2318.90'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.strftime("%Y年%m月%d日")
    if isinstance(value, (int, float)):
        fmt = fmt or "General"
        if "%" in fmt:
            return f"{value * 100:.{_decimals(fmt)}f}%"
        if fmt != "General" and "0" in fmt:
            return f"{value:.{_decimals(fmt)}f}"
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    return clean_cell(str(value))


def _read_xlsx(data: bytes, name: str) -> Document:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise Corrupt(name, f"XLSX: {type(exc).__name__}") from None
    sheets = []
    for ws in wb.worksheets:
        if ws.max_row * ws.max_column > MAX_CELLS:
            raise TooLarge(name, f"sheet {ws.title} has {ws.max_row}x{ws.max_column} cells")
        covered = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        covered[(r, c)] = True
        rows: list[Row] = []
        for row in ws.iter_rows():
            out: Row = []
            for cell in row:
                if (cell.row, cell.column) in covered:
                    out.append(None)
                    continue
                if cell.data_type == "e" or (isinstance(cell.value, str) and cell.value in FORMULA_ERRORS):
                    raise FormulaError(name, f"{ws.title}!{cell.coordinate} {cell.value}")
                out.append(display(cell.value, cell.number_format))
            rows.append(out)
        sheets.append((ws.title, rows))
    return _from_sheets(name, "xlsx", sheets)


def read_xls(data: bytes, name: str) -> Document:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        msg = str(exc)
        if "encrypt" in msg.lower():
            raise Encrypted(name) from None
        raise Unsupported(name, f"not an Excel 97-2003 workbook ({msg[:60]})") from None
    except Exception as exc:
        raise Corrupt(name, f"XLS: {type(exc).__name__}") from None
    sheets = []
    for ws in book.sheets():
        if ws.nrows * ws.ncols > MAX_CELLS:
            raise TooLarge(name, f"sheet {ws.name} has {ws.nrows}x{ws.ncols} cells")
        covered = set()
        for rlo, rhi, clo, chi in ws.merged_cells:
            for r in range(rlo, rhi):
                for c in range(clo, chi):
                    if (r, c) != (rlo, clo):
                        covered.add((r, c))
        rows: list[Row] = []
        for r in range(ws.nrows):
            out: Row = []
            for c in range(ws.ncols):
                if (r, c) in covered:
                    out.append(None)
                    continue
                cell = ws.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_ERROR:
                    raise FormulaError(name, f"{ws.name}!{xlrd.formula.cellname(r, c)} "
                                             f"{xlrd.error_text_from_code.get(cell.value, '#ERR')}")
                if cell.ctype == xlrd.XL_CELL_NUMBER:
                    xf = book.xf_list[cell.xf_index]
                    fmt = book.format_map[xf.format_key].format_str
                    out.append(display(cell.value, fmt))
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    out.append(display(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), ""))
                else:
                    out.append(display(cell.value, ""))
            rows.append(out)
        sheets.append((ws.name, rows))
    return _from_sheets(name, "xls", sheets)


def _from_sheets(name: str, fmt: str, sheets: list[tuple[str, list[Row]]]) -> Document:
    """Every non-empty sheet is a candidate table; the form parser picks the one that is a report."""
    parts = [(title, [r for r in rows if any(c for c in r if c)]) for title, rows in sheets]
    parts = [(t, rows) for t, rows in parts if rows]
    if not parts:
        raise ReadError(name, "every sheet is empty")
    biggest = max(parts, key=lambda p: sum(len(r) for r in p[1]))
    return Document(name, fmt, "", biggest[1], parts=parts)

