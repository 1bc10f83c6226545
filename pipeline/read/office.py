"""Word and Excel files: DOCX (python-docx), XLSX (openpyxl), XLS (xlrd).

Before any XML parser sees an OOXML file, its ZIP is checked (limits from
configs/limits.toml): the parts' declared sizes, in all and against their
compressed sizes, before anything is unpacked; then every part that is XML,
whatever its name, is streamed through expat configured as defusedxml
configures it (a DTD or an entity declaration anywhere, in any encoding
expat reads, refuses the file), counting the bytes it really yields. Only
then do python-docx and openpyxl see the file. XLSX is read in openpyxl's
read-only streaming mode, cells counted as they come. xlrd's messages go to
a buffer, never to stdout. Merged cells come back as None in every slot but
the anchor.
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import warnings
import zipfile
import zlib

from xml.parsers import expat

from ..errors import Corrupt, Encrypted, FormulaError, JixiaoError, ReadError, Unsupported, UnsafeXML
from ..limits import Clock, Limits, LimitsLike, exceeded
from ..model import Document, Row
from .text import clean_cell

_CT_OVERRIDE = re.compile(r"""<Override\b[^>]{0,2000}?ContentType="[^"]{0,200}?(wordprocessingml\.(?:document|template)\.main
                              |spreadsheetml\.(?:sheet|template)\.main)""", re.X)
# how an XML part can begin: a BOM (UTF-8, UTF-16, UTF-32) or '<' in a one- or two-byte encoding
_XML_STARTS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"<", b"\x00<")
_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s{0,10}=\s{0,10}["']([A-Za-z0-9._-]{1,40})""")
# a sheet cell's start tag, <c r="A1" ...> or <x:c>; a chart's <c:chart> is not one
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?c[\s>/]")
_DTD = re.compile(r"<!\s{0,10}(?:DOCTYPE|ENTITY)", re.I)
FORMULA_ERRORS = ("#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")


def _check_sizes(infos: list[zipfile.ZipInfo], name: str, lim: Limits) -> None:
    """The declared sizes, before anything is unpacked: per part, in all, and the package's ratio."""
    if len(infos) > lim.max_members:
        raise exceeded(name, "max_members", len(infos), lim.max_members)
    total = packed = 0
    for info in infos:
        total += info.file_size
        packed += info.compress_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= 1 << 20 and ratio > lim.max_ratio:
            raise exceeded(name, "max_ratio", f"{info.filename} expands {ratio:.0f}x", f"{lim.max_ratio:g}x")
    if total > lim.max_unpacked:
        raise exceeded(name, "max_unpacked", total, lim.max_unpacked)
    ratio = total / max(packed, 1)
    if total >= 1 << 20 and ratio > lim.max_ratio:  # many parts each just under the per-part check
        raise exceeded(name, "max_ratio", f"the package expands {ratio:.0f}x", f"{lim.max_ratio:g}x")


class _Refused(Exception):
    pass


def _refuse(*_args) -> None:
    raise _Refused()


def _safe_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, seen: list[int], lim: Limits,
               count_cells: bool = False) -> None:
    """Stream one part through expat with DTDs and entities forbidden (defusedxml's configuration).

    Parts that are not XML (images) are passed over; `seen` counts the bytes parts really yield
    and, in a workbook, the <c> cells they hold, so that a sheet of a million cells is refused
    before openpyxl parses any of it."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    head = b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                seen[0] += len(chunk)
                if seen[0] > lim.max_unpacked:
                    raise exceeded(name, "max_unpacked", None, lim.max_unpacked)
                if not head:
                    head = chunk[:256]
                    if not head.lstrip(b" \t\r\n").startswith(_XML_STARTS):
                        return
                parser.Parse(chunk, False)
                if count_cells:
                    seen[1] += len(_CELL.findall(chunk))
                    if seen[1] > lim.max_cells:
                        raise exceeded(name, "max_cells", f"{info.filename}: {seen[1]}+ cells", lim.max_cells)
            if head:
                parser.Parse(b"", True)
    except _Refused:
        raise UnsafeXML(name, info.filename) from None
    except expat.ExpatError as exc:
        if exc.code == expat.errors.codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING]:
            return _safe_by_decoding(zf, info, name, head)
        raise Corrupt(name, f"{info.filename}: {expat.errors.messages[exc.code]}") from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise Corrupt(name, f"{info.filename}: {type(exc).__name__}: {str(exc)[:80]}") from None
    except RuntimeError:  # zipfile: a part with a password
        raise Encrypted(name, info.filename) from None
    except NotImplementedError as exc:
        raise Corrupt(name, f"{info.filename}: {exc}") from None


def _safe_by_decoding(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, head: bytes) -> None:
    """A part in an encoding expat lacks (GB2312 from some writers): decode it whole and look for a DTD."""
    m = _DECL_ENCODING.match(head.lstrip())
    try:
        text = zf.read(info).decode(m.group(1).decode("ascii") if m else "utf-8")
    except (LookupError, UnicodeDecodeError):
        raise Corrupt(name, f"{info.filename}: unknown text encoding") from None
    if _DTD.search(text):
        raise UnsafeXML(name, info.filename)


def _kind(zf: zipfile.ZipFile, names: set[str], name: str) -> str:
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "EncryptedPackage" in names:
        raise Encrypted(name)
    if "[Content_Types].xml" in names:  # a main part under another name, declared in the content types
        m = _CT_OVERRIDE.search(zf.read("[Content_Types].xml").decode("utf-8", "replace"))
        if m:
            return "docx" if m.group(1).startswith("wordprocessingml") else "xlsx"
    raise Unsupported(name, "a ZIP archive that is neither a Word (.docx) nor an Excel (.xlsx) file")


def _check_zip(zf: zipfile.ZipFile, name: str, lim: Limits) -> str:
    """'docx' or 'xlsx', after refusing packages that would expand unsafely or declare a DTD."""
    infos = zf.infolist()
    _check_sizes(infos, name, lim)
    kind = _kind(zf, {i.filename for i in infos}, name)
    seen = [0, 0]  # bytes really unpacked, cells met
    for info in infos:
        if not info.is_dir():
            _safe_part(zf, info, name, seen, lim, count_cells=kind == "xlsx")
    return kind


def read_ooxml(data: bytes, name: str, limits: LimitsLike = None) -> Document:
    lim = Limits.resolve(limits)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, UnicodeDecodeError, ValueError) as exc:
        raise Corrupt(name, f"ZIP: {exc}") from None
    with zf:
        kind = _check_zip(zf, name, lim)
    with warnings.catch_warnings():  # openpyxl warns (to stderr) about every extension it skips
        warnings.simplefilter("ignore")
        return _read_docx(data, name) if kind == "docx" else _read_xlsx(data, name, lim)


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


def _read_xlsx(data: bytes, name: str, lim: Limits) -> Document:
    import openpyxl

    clock = Clock(name, lim)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except JixiaoError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise Corrupt(name, f"XLSX: {type(exc).__name__}") from None
    try:
        sheets = []
        budget = [0]  # cells met so far, over every sheet
        for ws in wb.worksheets:
            rows = _sheet_rows(ws, name, lim, budget, clock)
            _blank_merged(rows, _merged(wb, ws, name, lim))
            sheets.append((ws.title, rows))
    except JixiaoError:
        raise
    except Exception as exc:  # a damaged sheet part met while streaming
        raise Corrupt(name, f"XLSX: {type(exc).__name__}") from None
    finally:
        wb.close()
    return _from_sheets(name, "xlsx", sheets)


def _sheet_rows(ws, name: str, lim: Limits, budget: list[int], clock: Clock) -> list[Row]:
    """A read-only sheet's rows, cells counted against max_cells as they stream in."""
    ws.reset_dimensions()  # a <dimension> that lies would pad every row to it
    rows: list[Row] = []
    for r, row in enumerate(ws.iter_rows(), 1):
        budget[0] += max(1, len(row))
        if budget[0] > lim.max_cells:
            raise exceeded(name, "max_cells", None, lim.max_cells)
        if r % 256 == 0:
            clock.check()
        out: Row = []
        for cell in row:
            if cell.data_type == "e" or (isinstance(cell.value, str) and cell.value in FORMULA_ERRORS):
                raise FormulaError(name, f"{ws.title}!{cell.coordinate} {cell.value}")
            out.append(display(cell.value, cell.number_format))
        rows.append(out)
    return rows


# <mergeCell ref="A1:C2"/>: read-only sheets do not parse them (they follow the cells in the part)
_MERGE = re.compile(rb'<(?:\w{1,20}:)?mergeCell\b[^<>]{0,200}?\bref="([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"')


def _merged(wb, ws, name: str, lim: Limits) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges (min_col, min_row, max_col, max_row), found by streaming its part
    (already checked for DTDs) through a bounded pattern, in chunks that overlap by one tag."""
    from openpyxl.utils.cell import range_boundaries

    path = getattr(ws, "_worksheet_path", None)
    if path is None:
        return []
    found: list[tuple[int, int, int, int]] = []
    area = 0
    tail = b""
    with wb._archive.open(path) as fh:
        while chunk := fh.read(1 << 20):
            buf = tail + chunk
            last = 0
            for m in _MERGE.finditer(buf):
                c0, r0, c1, r1 = range_boundaries(m.group(1).decode("ascii"))
                area += (r1 - r0 + 1) * (c1 - c0 + 1)
                if area > lim.max_cells:
                    raise exceeded(name, "max_cells", "merged ranges", lim.max_cells)
                found.append((c0, r0, c1, r1))
                last = m.end()
            tail = buf[max(last, len(buf) - 256):]
    return found


def _blank_merged(rows: list[Row], ranges: list[tuple[int, int, int, int]]) -> None:
    """Every slot of a merged range but its anchor becomes None, as the form parser expects."""
    for c0, r0, c1, r1 in ranges:
        for r in range(r0, min(r1, len(rows)) + 1):
            row = rows[r - 1]
            for c in range(c0, min(c1, len(row)) + 1):
                if (r, c) != (r0, c0):
                    row[c - 1] = None


def read_xls(data: bytes, name: str, limits: LimitsLike = None) -> Document:
    import xlrd

    lim = Limits.resolve(limits)
    log = io.StringIO()  # xlrd prints its warnings to a log file, stdout by default
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=log, verbosity=0)
    except xlrd.biffh.XLRDError as exc:
        msg = str(exc)
        if "encrypt" in msg.lower():
            raise Encrypted(name) from None
        raise Unsupported(name, f"not an Excel 97-2003 workbook ({msg[:60]})") from None
    except Exception as exc:
        first = log.getvalue().strip().splitlines()[:1]
        raise Corrupt(name, f"XLS: {type(exc).__name__}" + (f"; xlrd: {first[0][:100]}" if first else "")) from None
    sheets = []
    cells = 0
    for ws in book.sheets():
        cells += ws.nrows * ws.ncols
        if cells > lim.max_cells:
            raise exceeded(name, "max_cells", f"sheet {ws.name}: {ws.nrows}x{ws.ncols} cells", lim.max_cells)
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

