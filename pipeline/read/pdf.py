"""PDF text layer (pdfminer.six) -> rows, with the table rebuilt from ruling lines.

pdfminer runs without layout analysis: this reader needs characters and line
segments, not pdfminer's text boxes, and skipping the grouping keeps it
cheaper than `extract_text`. Per page:
1. ruling segments (LTLine, LTRect edges) snapped into horizontal and vertical lines;
2. the grid of their coordinates; neighbouring grid cells with no ruling between
   them are one merged cell (union-find); the top-left slot holds the text, the
   rest None;
3. characters go to the cell holding their centre, lines of a cell are joined
   (wrapped text in narrow cells reads as one);
4. text outside tables becomes one-cell rows; page numbers are dropped.

Bounded (configs/limits.toml): the declared page count before any page, and
while pdfminer works, through hooks installed once that consult the budget of
the file being read (a context variable; no budget, no effect): objects
resolved (a reference to itself is refused at once), drawing operations and
characters (per page and in all), bytes out of one decompressed stream (a
flate bomb stops at max_stream_bytes), and wall time. pdfminer's log records
never reach our stderr: they are kept with the budget, and the first one is
named in the error when the file is refused.
A page with no ruling lines is split into cells at wide gaps between characters.
Tables continue across pages as further rows; a merged cell's text on the next
page lands in a row whose first cells are blank, as the form parser expects.
"""
from __future__ import annotations

import contextvars
import io
import logging
import re
import zlib
from dataclasses import dataclass, field
from typing import Iterator, Optional

from ..errors import Corrupt, Encrypted, JixiaoError, NoTextLayer
from ..limits import Clock, Limits, LimitsLike, exceeded
from ..model import Document, Row
from .text import clean_cell

# The page geometry, named as pdfplumber names its table settings. Distances in points,
# or in multiples of a character's font size where they scale with the type.
SNAP = 2.0  # points: coordinates closer than this are one line
FURNITURE_ZONE = 36.0  # points from the top or bottom edge where page numbers sit
DRAWN_SHARE = 0.6  # a cell border counts as drawn when this share of its length is ruled
SAME_LINE = 0.5  # × font size: characters whose centres are this close vertically share a line
WORD_GAP = 0.3  # × font size: a wider gap inside a cell is a space (强化教育 教育培训)
CELL_GAP = 2.5  # × font size: a wider gap on an unruled line starts a new cell
MIN_CHARS = 20  # fewer characters in the whole file: no text layer (a scan)
MAX_UNMAPPED = 0.1  # a larger share of characters without Unicode: no usable text layer
# a page number line; possessive runs keep it linear on a line of spaces
_FURNITURE = re.compile(r"^\s*+(第\s*+\d+\s*+页(\s*+[,，/共]\s*+\d+\s*+页)?|[-—]?\s*+\d{1,3}\s*+[-—]?|\d+\s*+/\s*+\d+|page\s*+\d+)\s*+$",
                        re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Ch:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Budget:
    """What reading one PDF may still spend; every hook calls into it."""

    name: str
    lim: Limits
    clock: Clock
    objects: int = 0
    chars: int = 0
    page_chars: int = 0
    tripped: Optional[JixiaoError] = None
    log: list[str] = field(default_factory=list)

    def _trip(self, exc: JixiaoError) -> None:
        self.tripped = exc  # sticky: pdfminer swallows some exceptions; the next hook raises again
        raise exc

    def tick(self, n: int = 1) -> None:
        if self.tripped is not None:
            raise self.tripped
        self.objects += n
        if self.objects > self.lim.max_objects:
            self._trip(exceeded(self.name, "max_objects", self.objects, self.lim.max_objects))
        if self.objects % 512 == 0:
            try:
                self.clock.check()
            except JixiaoError as exc:
                self._trip(exc)

    def char(self) -> None:
        self.chars += 1
        self.page_chars += 1
        if self.page_chars > self.lim.max_page_chars:
            self._trip(exceeded(self.name, "max_page_chars", self.page_chars, self.lim.max_page_chars))
        if self.chars > self.lim.max_pdf_chars:
            self._trip(exceeded(self.name, "max_pdf_chars", self.chars, self.lim.max_pdf_chars))
        self.tick()

    def stream(self, size: int) -> None:
        if size > self.lim.max_stream_bytes:
            self._trip(exceeded(self.name, "max_stream_bytes", None,
                                self.lim.max_stream_bytes))
        self.tick()


_BUDGET: contextvars.ContextVar[Optional[_Budget]] = contextvars.ContextVar("pdf_budget", default=None)


class _LogKeeper(logging.Handler):
    """pdfminer's warnings go to the budget of the file being read, never to stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        budget = _BUDGET.get()
        if budget is not None and len(budget.log) < 20:
            try:
                budget.log.append(record.getMessage()[:120])
            except Exception:  # a record whose message cannot be formatted
                budget.log.append(str(record.msg)[:120])


class _BoundedZlib:
    """zlib as pdfminer.pdftypes sees it: decompression stops at the budget's max_stream_bytes."""

    error = zlib.error

    def __getattr__(self, attr):
        return getattr(zlib, attr)

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        budget = _BUDGET.get()
        if budget is None:
            return zlib.decompress(data, *args)
        d = zlib.decompressobj(*args[:1])
        out = d.decompress(data, budget.lim.max_stream_bytes + 1)
        budget.stream(len(out))
        if not d.eof:  # as zlib.decompress: pdfminer then tries its fallback for damaged streams
            raise zlib.error("incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(*args):
        return _BoundedDecompressor(zlib.decompressobj(*args))


class _BoundedDecompressor:
    """pdfminer's byte-by-byte fallback for damaged streams, counted the same way."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.size = 0

    def decompress(self, data: bytes, *args) -> bytes:
        out = self.inner.decompress(data, *args)
        self.size += len(out)
        budget = _BUDGET.get()
        if budget is not None and self.size > budget.lim.max_stream_bytes:
            budget.stream(self.size)
        return out

    def __getattr__(self, attr):
        return getattr(self.inner, attr)


def _bounded_lzw(data: bytes) -> bytes:
    """pdfminer's LZW decoder, stopped at max_stream_bytes (LZW expands a thousandfold too)."""
    from pdfminer.lzw import LZWDecoder

    budget = _BUDGET.get()
    out: list[bytes] = []
    size = 0
    for piece in LZWDecoder(io.BytesIO(data)).run():
        size += len(piece)
        if budget is not None and size > budget.lim.max_stream_bytes:
            budget.stream(size)
        out.append(piece)
    return b"".join(out)


_INSTALLED = False


def _install() -> None:
    """Hook pdfminer once: object resolution, stream decompression, logging."""
    global _INSTALLED
    if _INSTALLED:
        return
    from pdfminer import pdftypes

    plain_resolve = pdftypes.PDFObjRef.resolve

    def resolve(self, default: object = None):
        budget = _BUDGET.get()
        if budget is None:
            return plain_resolve(self, default)
        budget.tick()
        got = plain_resolve(self, default)
        if isinstance(got, pdftypes.PDFObjRef) and got.objid == self.objid:
            budget._trip(Corrupt(budget.name, f"PDF object {self.objid} refers to itself"))
        return got

    pdftypes.PDFObjRef.resolve = resolve
    pdftypes.zlib = _BoundedZlib()
    pdftypes.lzwdecode = _bounded_lzw
    log = logging.getLogger("pdfminer")
    log.setLevel(logging.WARNING)
    log.propagate = False
    log.addHandler(_LogKeeper())
    _INSTALLED = True


def _device(rsrc):
    """pdfminer's aggregator, counting characters and drawing operations as it meets them."""
    from pdfminer.converter import PDFPageAggregator

    class Counting(PDFPageAggregator):
        def render_char(self, *args, **kwargs):
            _BUDGET.get().char()
            return super().render_char(*args, **kwargs)

        def paint_path(self, *args, **kwargs):
            _BUDGET.get().tick()
            return super().paint_path(*args, **kwargs)

    return Counting(rsrc, laparams=None)


def read(data: bytes, name: str, limits: LimitsLike = None) -> Document:
    _install()
    lim = Limits.resolve(limits)
    budget = _Budget(name, lim, Clock(name, lim))
    token = _BUDGET.set(budget)
    try:
        return _read(data, name, budget)
    except JixiaoError as exc:
        if budget.log and not exc.detail:
            exc.detail = f"pdfminer: {budget.log[0]}"
        raise
    except RecursionError:
        raise Corrupt(name, "PDF: objects nested without end") from None
    finally:
        _BUDGET.reset(token)


def _declared_pages(document) -> Optional[int]:
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(document.catalog.get("Pages")).get("Count"))
    except (AttributeError, TypeError, KeyError, ValueError):
        return None
    return count if isinstance(count, int) else None


def _read(data: bytes, name: str, budget: _Budget) -> Document:
    document = _open(data, name, budget.lim)
    rows: list[Row] = []
    total = bad = pages = 0
    for chars, page_rows in _pages(document, name, budget, rows):
        pages += 1
        total += len(chars)
        bad += sum(1 for c in chars if c.text.startswith("(cid:") or c.text == "\ufffd")
        rows.extend(page_rows)
    if budget.tripped is not None:  # swallowed inside pdfminer: the file is still refused
        raise budget.tripped
    _require_text(name, pages, total, bad)
    return Document(name, "pdf", "", rows, pages=pages)


def _open(data: bytes, name: str, lim: Limits):
    """The parsed document, refused before any page is read if it is locked, broken or too long."""
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise Encrypted(name) from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise Corrupt(name, f"PDF: {type(exc).__name__}") from None
    declared = _declared_pages(document)
    if declared is not None and declared > lim.max_pages:
        raise exceeded(name, "max_pages", declared, lim.max_pages)
    return document


def _pages(document, name: str, budget: _Budget, rows_so_far: list[Row]) -> Iterator[tuple[list[Ch], list[Row]]]:
    """Each page's characters and rows, within the page and time limits. A syntax error after
    some pages ends the file there (what was read is kept); before any, the file is corrupt."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    lim = budget.lim
    rsrc = PDFResourceManager()
    device = _device(rsrc)
    interp = PDFPageInterpreter(rsrc, device)
    pages = 0
    try:
        for page in PDFPage.create_pages(document):
            pages += 1
            if pages > lim.max_pages:
                raise exceeded(name, "max_pages", None, lim.max_pages)
            budget.clock.check()
            budget.page_chars = 0
            interp.process_page(page)
            layout = device.get_result()
            chars, hs, vs = _objects(layout)
            yield chars, _page_rows(chars, hs, vs, layout.height)
    except JixiaoError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise Encrypted(name) from None
    except (PDFSyntaxError, PSException) as exc:
        if not rows_so_far:
            raise Corrupt(name, f"PDF: {type(exc).__name__}") from None


def _require_text(name: str, pages: int, total: int, bad: int) -> None:
    if pages == 0:
        raise Corrupt(name, "PDF has no pages")
    if total < MIN_CHARS:
        raise NoTextLayer(name, f"{total} characters in {pages} pages")
    if bad / total > MAX_UNMAPPED:
        raise NoTextLayer(name, f"{bad} of {total} characters have no Unicode mapping")


def _objects(layout):
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTLine, LTRect

    chars: list[Ch] = []
    hs: list[tuple[float, float, float]] = []  # (y, x0, x1), y from the top
    vs: list[tuple[float, float, float]] = []  # (x, top, bottom)
    height = layout.height

    def walk(obj) -> None:
        for o in obj:
            if isinstance(o, LTChar):
                t = o.get_text()
                if t and t not in "\r\n":  # spaces kept: 强化教育 教育培训 is written with one
                    chars.append(Ch(t, o.x0, o.x1, height - o.y1, height - o.y0, o.size))
            elif isinstance(o, (LTLine, LTRect)) or (isinstance(o, LTCurve) and len(getattr(o, "pts", [])) <= 5):
                x0, y0, x1, y1 = o.x0, height - o.y1, o.x1, height - o.y0
                if x1 - x0 <= SNAP and y1 - y0 > SNAP:
                    vs.append(((x0 + x1) / 2, y0, y1))
                elif y1 - y0 <= SNAP and x1 - x0 > SNAP:
                    hs.append(((y0 + y1) / 2, x0, x1))
                elif isinstance(o, LTRect) and x1 - x0 > SNAP and y1 - y0 > SNAP:
                    hs.extend([(y0, x0, x1), (y1, x0, x1)])
                    vs.extend([(x0, y0, y1), (x1, y0, y1)])
            elif isinstance(o, LTContainer):
                walk(o)

    walk(layout)
    return chars, hs, vs


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= SNAP:
            continue
        out.append(v)
    return out


def _covered(segs: list[tuple[float, float, float]], at: float, lo: float, hi: float) -> bool:
    """Is the stretch lo..hi of the line at `at` drawn (mostly)?"""
    need = (hi - lo) * DRAWN_SHARE
    got = 0.0
    for pos, a, b in segs:
        if abs(pos - at) <= SNAP:
            got += max(0.0, min(b, hi) - max(a, lo))
    return got >= need


def _tables(hs, vs) -> list[tuple[list[float], list[float]]]:
    """Grids (row lines, column lines) of the ruled tables on a page, top to bottom."""
    if len(hs) < 2 or len(vs) < 2:
        return []
    ys = _snap([h[0] for h in hs])
    xs = _snap([v[0] for v in vs])
    # split into separate tables where no vertical line crosses the gap between two row lines
    groups: list[list[float]] = [[ys[0]]]
    for a, b in zip(ys, ys[1:]):
        if any(v[1] <= a + SNAP and v[2] >= b - SNAP for v in vs):
            groups[-1].append(b)
        else:
            groups.append([b])
    out = []
    for g in groups:
        if len(g) < 2:
            continue
        cols = [x for x in xs if any(abs(v[0] - x) <= SNAP and v[1] < g[-1] and v[2] > g[0] for v in vs)]
        if len(cols) < 2:
            continue
        # a table cut by a page break has no border at the cut: its rules still show where it runs
        crossing = [v for v in vs if v[1] < g[-1] and v[2] > g[0]]
        top, bottom = min(v[1] for v in crossing), max(v[2] for v in crossing)
        if top < g[0] - SNAP:
            g = [top] + g
        if bottom > g[-1] + SNAP:
            g = g + [bottom]
        out.append((g, cols))
    return out


def _cell_text(chars: list[Ch]) -> str:
    """Characters of one cell in reading order; wrapped lines joined back together."""
    if not chars:
        return ""
    chars = sorted(chars, key=lambda c: (c.cy, c.x0))
    lines: list[list[Ch]] = []
    for c in chars:
        if lines and abs(lines[-1][-1].cy - c.cy) <= max(c.size, 1) * SAME_LINE:
            lines[-1].append(c)
        else:
            lines.append([c])
    out = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        s = ""
        for prev, c in zip([None] + line[:-1], line):
            if prev is not None and c.x0 - prev.x1 > prev.size * WORD_GAP and c.text != " " and prev.text != " ":
                s += " "
            s += c.text
        if out and not (_CJK.search(out[-1][-1:]) or _CJK.search(s[:1])) and out[-1][-1:].isalpha() and s[:1].isalpha():
            out.append(" ")
        out.append(s)
    return clean_cell("".join(out))


def _page_rows(chars: list[Ch], hs, vs, height: float) -> list[Row]:
    """A page's rows, top to bottom: each ruled table's rows, and the text lines around them."""
    items: list[tuple[float, Row]] = []  # (top, row) to interleave tables and text by position
    used = [False] * len(chars)
    for ys, xs in _tables(hs, vs):
        items.extend(_table_rows(chars, used, ys, xs, _Spans.of(ys, xs, hs, vs)))
    free = [c for k, c in enumerate(chars) if not used[k]]
    items.extend(_text_lines(free, height))
    items.sort(key=lambda t: t[0])
    return [r for _, r in items if any(c for c in r if c)]


class _Spans:
    """A table's merged cells: grid cells joined (union-find) wherever the border between them is not drawn."""

    def __init__(self, nr: int, nc: int) -> None:
        self.nr, self.nc = nr, nc
        self.parent = list(range(nr * nc))

    @classmethod
    def of(cls, ys: list[float], xs: list[float], hs, vs) -> "_Spans":
        sp = cls(len(ys) - 1, len(xs) - 1)
        for i in range(sp.nr):
            for j in range(sp.nc):
                if j + 1 < sp.nc and not _covered(vs, xs[j + 1], ys[i], ys[i + 1]):
                    sp.join((i, j), (i, j + 1))
                if i + 1 < sp.nr and not _covered(hs, ys[i + 1], xs[j], xs[j + 1]):
                    sp.join((i, j), (i + 1, j))
        return sp

    def root(self, i: int, j: int) -> int:
        k = i * self.nc + j
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a: tuple[int, int], b: tuple[int, int]) -> None:
        self.parent[self.root(*b)] = self.root(*a)

    def anchors(self) -> dict[int, tuple[int, int]]:
        """Each merged cell's top-left grid cell, where its text is written."""
        out: dict[int, tuple[int, int]] = {}
        for i in range(self.nr):
            for j in range(self.nc):
                out.setdefault(self.root(i, j), (i, j))
        return out


def _table_rows(chars: list[Ch], used: list[bool], ys: list[float], xs: list[float],
                spans: _Spans) -> list[tuple[float, Row]]:
    """The table's rows; a cell covered by a merged one above or to its left is None. Marks the chars used."""
    region_chars: dict[int, list[Ch]] = {}
    for k, c in enumerate(chars):
        if ys[0] <= c.cy <= ys[-1] and xs[0] <= c.cx <= xs[-1]:
            i = max(0, min(spans.nr - 1, _index(ys, c.cy)))
            j = max(0, min(spans.nc - 1, _index(xs, c.cx)))
            region_chars.setdefault(spans.root(i, j), []).append(c)
            used[k] = True
    anchor = spans.anchors()
    rows = []
    for i in range(spans.nr):
        row: Row = []
        for j in range(spans.nc):
            root = spans.root(i, j)
            row.append(_cell_text(region_chars.get(root, [])) if anchor[root] == (i, j) else None)
        rows.append((ys[i], row))
    return rows


def _text_lines(free: list[Ch], height: float) -> list[tuple[float, Row]]:
    """Lines outside any table, split at wide gaps; page numbers in the margins dropped."""
    out = []
    for line in _lines(free):
        top = min(c.top for c in line)
        text = _cell_text(line)
        if not text or (_FURNITURE.match(text) and (top < FURNITURE_ZONE or top > height - FURNITURE_ZONE)):
            continue
        out.append((top, _split_gaps(line)))
    return out


def _index(edges: list[float], v: float) -> int:
    for k in range(len(edges) - 1):
        if v < edges[k + 1]:
            return k
    return len(edges) - 2


def _lines(chars: list[Ch]) -> list[list[Ch]]:
    out: list[list[Ch]] = []
    for c in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if out and abs(out[-1][-1].cy - c.cy) <= max(c.size, 1) * SAME_LINE:
            out[-1].append(c)
        else:
            out.append([c])
    return out


def _split_gaps(line: list[Ch]) -> Row:
    """A text line without ruling: cells wherever the gap between characters is wide."""
    line = sorted(line, key=lambda c: c.x0)
    cells: list[list[Ch]] = [[line[0]]]
    for prev, c in zip(line, line[1:]):
        if c.x0 - prev.x1 > max(prev.size, c.size) * CELL_GAP:
            cells.append([c])
        else:
            cells[-1].append(c)
    return [_cell_text(cell) for cell in cells]
