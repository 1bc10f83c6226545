"""Readers: one per format, each turning a file into a `Document` of cell rows.

Readers know nothing of forms. `read_path` picks the reader by content first
(a renamed file is read for what it is) and by suffix second.
"""
from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional

from ..errors import JixiaoError, NotFound, ReadError, TooLarge, Unsupported
from ..model import Document
from . import tsv
from .text import decode

MAX_BYTES = 64 * 1024 * 1024

# suffixes a folder or archive walk picks up
SUFFIXES = (".txt", ".tsv", ".html", ".htm", ".docx", ".xlsx", ".xls", ".pdf")


def _read_text(data: bytes, name: str) -> Document:
    text, enc = decode(data, name)
    fmt = "tsv" if name.lower().endswith(".tsv") else "txt"
    return Document(name, fmt, "", tsv.parse(text), encoding=enc)


def _sniff(data: bytes, name: str) -> str:
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip-office"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    low = head.lower()
    if b"<html" in low or b"<!doctype html" in low or b"<table" in low:
        return "html"
    return "text"


def _reader(kind: str, name: str) -> Callable[[bytes, str], Document]:
    suffix = Path(name).suffix.lower()
    if kind == "text":
        return _read_text
    if kind == "html":
        from . import html as html_reader
        return html_reader.read
    if kind == "pdf":
        from . import pdf
        return pdf.read
    if kind == "zip-office":
        from . import office
        return office.read_ooxml
    if kind == "ole":
        from . import office
        return office.read_xls
    raise Unsupported(name, suffix or kind)


def read_bytes(data: bytes, name: str) -> Document:
    """A Document from a file's bytes; `name` is what error messages show."""
    if len(data) > MAX_BYTES:
        raise TooLarge(name, f"{len(data)} bytes > {MAX_BYTES}")
    kind = _sniff(data, name)
    try:
        doc = _reader(kind, name)(data, name)
    except JixiaoError:
        raise
    except (ModuleNotFoundError, ImportError) as exc:
        raise Unsupported(name, f"reader unavailable: {exc.name or exc}") from None
    except Exception as exc:  # a reader library choking on a damaged file
        raise ReadError(name, f"{type(exc).__name__}: {str(exc)[:120]}") from None
    doc.path = name
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def read_path(path: str | os.PathLike) -> Document:
    p = Path(path)
    if not p.is_file():
        raise NotFound(str(p))
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise TooLarge(str(p), f"{size} bytes > {MAX_BYTES}")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(str(p), exc.strerror or str(exc)) from None
    return read_bytes(data, str(p))


@dataclass(frozen=True)
class Input:
    """One report inside what the user named: a file, a folder member or a zip member.

    Plain data (a path and the member's name in the archive), so that a worker
    process or a Dask worker can receive it and `load` it there. `error` holds
    the reason an archive could not even be listed, to be raised at load time
    and recorded against the archive like any other failure.
    """

    name: str
    path: str
    member: Optional[str] = None
    error: Optional[JixiaoError] = None

    def load(self) -> Document:
        return load(self)


def load(item: Input) -> Document:
    """The Document of one input, read where it is loaded."""
    if item.error is not None:
        raise item.error
    if item.member is None:
        return read_path(item.path)
    return _read_member(Path(item.path), item.member, item.name)


def iter_inputs(path: str | os.PathLike) -> Iterator[Input]:
    """Every report under a file, folder or zip archive, in a stable order."""
    p = Path(path)
    if p.is_dir():
        for f in sorted(x for x in p.rglob("*") if x.is_file()):
            if f.suffix.lower() in SUFFIXES:
                yield Input(str(f), str(f))
            elif f.suffix.lower() == ".zip":
                yield from _zip_inputs(f)
        return
    if p.suffix.lower() == ".zip" and p.is_file():
        yield from _zip_inputs(p)
        return
    yield Input(str(p), str(p))


def _zip_inputs(p: Path) -> Iterator[Input]:
    try:
        with zipfile.ZipFile(p) as zf:
            members = [i.filename for i in zf.infolist()
                       if not i.is_dir() and Path(i.filename).suffix.lower() in SUFFIXES]
    except (zipfile.BadZipFile, OSError) as exc:
        yield Input(str(p), str(p), error=ReadError(str(p), f"zip: {exc}"))
        return
    for member in sorted(members):
        yield Input(f"{p}!{member}", str(p), member)


def _read_member(archive: Path, member: str, name: str) -> Document:
    try:
        with zipfile.ZipFile(archive) as zf:
            info = zf.getinfo(member)
            if info.file_size > MAX_BYTES:
                raise TooLarge(name, f"{info.file_size} bytes > {MAX_BYTES}")
            with zf.open(info) as fh:
                data = fh.read(MAX_BYTES + 1)
    except JixiaoError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError) as exc:
        raise ReadError(name, f"zip: {exc}") from None
    return read_bytes(data, name)
