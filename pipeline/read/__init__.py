"""Readers: one per format, each turning a file into a `Document` of cell rows.

Readers know nothing of forms. `read_path` picks the reader by content first
(a renamed file is read for what it is) and by suffix second. Every reader
takes `limits` (pipeline/limits.py, configs/limits.toml) and refuses a file
past one of them with a coded error before doing the work.

`iter_inputs` lists what a path holds, one `Input` per report: a file, a
folder's files (recursively), a zip's members (zips inside zips to
`max_depth`, named `outer.zip!inner.zip!a.txt`). Whatever cannot be listed or
opened (an unreadable subfolder, a member with a password, an unsupported
compression method, an undecodable or NUL-holding name, a nested archive past
the depth limit, a legacy .doc) is an `Input` with `error` set, recorded
against its own name; nothing is skipped silently except files of kinds that
are never reports (images, say). A folder or zip with nothing to check yields
no Input at all: the caller says "nothing to check". No name read from an
archive is ever used as a path on disk: members are read into memory.
"""
from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional, Union

from ..errors import (ArchiveMemberError, Encrypted, JixiaoError, NotFound, ReadError, TooLarge,
                      UnreadableFolder, Unsupported)
from ..limits import Limits, LimitsLike, exceeded
from ..model import Document
from . import tsv
from .text import decode


# suffixes a folder or archive walk picks up
SUFFIXES = (".txt", ".tsv", ".html", ".htm", ".docx", ".xlsx", ".xls", ".pdf")
# report formats this tool does not read: recorded as unsupported rather than passed over
REFUSED = (".doc", ".wps", ".et", ".ofd", ".rar", ".7z")
ARCHIVES = (".zip",)
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_UTF8_FLAG = 0x800


def _read_text(data: bytes, name: str, limits: Limits) -> Document:
    text, enc = decode(data, name)
    if len(text) > limits.max_chars:
        raise exceeded(name, "max_chars", len(text), limits.max_chars)
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


def _reader(kind: str, name: str) -> Callable[[bytes, str, Limits], Document]:
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


def read_bytes(data: bytes, name: str, limits: LimitsLike = None) -> Document:
    """A Document from a file's bytes; `name` is what error messages show."""
    lim = Limits.resolve(limits)
    if len(data) > lim.max_bytes:
        raise TooLarge(name, f"{len(data)} bytes > {lim.max_bytes}")
    kind = _sniff(data, name)
    try:
        doc = _reader(kind, name)(data, name, lim)
    except JixiaoError:
        raise
    except (ModuleNotFoundError, ImportError) as exc:
        raise Unsupported(name, f"reader unavailable: {exc.name or exc}") from None
    except MemoryError:  # past every limit and still too much for this machine
        raise ReadError(name, "out of memory while reading") from None
    except Exception as exc:  # a reader library choking on a damaged file
        raise ReadError(name, f"{type(exc).__name__}: {str(exc)[:120]}") from None
    doc.path = name
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def read_path(path: str | os.PathLike, limits: LimitsLike = None) -> Document:
    lim = Limits.resolve(limits)
    return read_bytes(_file_bytes(Path(path), lim), str(path), lim)


def _file_bytes(p: Path, lim: Limits) -> bytes:
    """A file's bytes, its size checked from `stat` before anything is read."""
    if not p.is_file():
        raise NotFound(str(p))
    try:
        size = p.stat().st_size
        if size > lim.max_bytes:
            raise TooLarge(str(p), f"{size} bytes > {lim.max_bytes}")
        return p.read_bytes()
    except OSError as exc:
        raise ReadError(str(p), exc.strerror or str(exc)) from None


@dataclass(frozen=True)
class Input:
    """One report inside what the user named: a file, a folder member or a zip member.

    Plain data (a path and the member's name in the archive), so that a worker
    process or a Dask worker can receive it and `load` it there. `member` is the
    member's name as the archive stores it; for a zip inside a zip, the names
    joined by '!' (`inner.zip!a.txt`). `error` holds the reason the input could
    not even be listed or opened, raised at load time and recorded against it
    like any other failure.
    """

    name: str
    path: str
    member: Optional[str] = None
    error: Optional[JixiaoError] = None

    def load(self, limits: LimitsLike = None) -> Document:
        return load(self, limits)


def load(item: Input, limits: LimitsLike = None) -> Document:
    """The Document of one input, read where it is loaded."""
    lim = Limits.resolve(limits)
    return read_bytes(input_bytes(item, lim), item.name, lim)


def input_bytes(item: Input, limits: LimitsLike = None) -> bytes:
    """The bytes of a file or of an archive member (inside nested archives too), with every limit
    and coded error `load` applies: what a bulk run hashes and sends to a worker."""
    lim = Limits.resolve(limits)
    if item.error is not None:
        raise item.error
    if item.member is None:
        return _file_bytes(Path(item.path), lim)
    return _member_data(Path(item.path), item.member, item.name, lim)


def iter_inputs(path: str | os.PathLike, limits: LimitsLike = None) -> Iterator[Input]:
    """Every report under a file, folder or zip archive, in a stable order; nothing for an empty one."""
    lim = Limits.resolve(limits)
    p = Path(path)
    if p.is_dir():
        yield from _walk(p, lim)
        return
    if p.suffix.lower() in ARCHIVES and p.is_file():
        yield from _zip_inputs(p, lim)
        return
    yield Input(str(p), str(p))


# ---- folders
def _walk(folder: Path, lim: Limits) -> Iterator[Input]:
    """Files depth-first in name order (the order of sorted paths); unreadable folders recorded.

    Symbolic links to folders are not followed (a link loop would never end); they are recorded."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Input(str(folder), str(folder), error=UnreadableFolder(str(folder), exc.strerror or str(exc)))
        return
    for entry in entries:
        p = Path(entry.path)
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError as exc:
            yield Input(str(p), str(p), error=ReadError(str(p), exc.strerror or str(exc)))
            continue
        if is_dir and is_link:
            yield Input(str(p), str(p), error=UnreadableFolder(str(p), "a symbolic link to a folder; not followed"))
        elif is_dir:
            yield from _walk(p, lim)
        elif is_file:
            yield from _file_inputs(p, lim)


def _file_inputs(p: Path, lim: Limits) -> Iterator[Input]:
    suffix = p.suffix.lower()
    if suffix in SUFFIXES:
        yield Input(str(p), str(p))
    elif suffix in ARCHIVES:
        yield from _zip_inputs(p, lim)
    elif suffix in REFUSED:
        yield Input(str(p), str(p), error=Unsupported(str(p), suffix))


# ---- zip archives
Source = Union[Path, bytes]


def _open_zip(src: Source, lim: Limits) -> tuple[zipfile.ZipFile, set[str]]:
    """The archive, and the names of members whose stored name is flagged UTF-8 but is not.

    zipfile refuses the whole archive over one such name; here the flag is cleared on
    those entries alone (in memory) so that the others are still read."""
    try:
        return zipfile.ZipFile(io.BytesIO(src) if isinstance(src, bytes) else src), set()
    except UnicodeDecodeError:
        if not isinstance(src, bytes) and Path(src).stat().st_size > lim.max_unpacked:
            raise zipfile.BadZipFile("a member's name is not UTF-8 and the archive is too large to mend") from None
        data = src if isinstance(src, bytes) else Path(src).read_bytes()
        fixed, bad = _clear_bad_utf8_flags(data)
        return zipfile.ZipFile(io.BytesIO(fixed)), bad


def _clear_bad_utf8_flags(data: bytes) -> tuple[bytes, set[str]]:
    out = bytearray(data)
    bad: set[str] = set()
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0 and pos + 46 <= len(out):
        flags = int.from_bytes(out[pos + 8:pos + 10], "little")
        n = int.from_bytes(out[pos + 28:pos + 30], "little")
        raw = bytes(out[pos + 46:pos + 46 + n])
        if flags & _UTF8_FLAG:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                out[pos + 8:pos + 10] = (flags & ~_UTF8_FLAG).to_bytes(2, "little")
                bad.add(raw.decode("cp437"))
        pos += 4
    return bytes(out), bad


def _display(info: zipfile.ZipInfo, bad: set[str]) -> str:
    """The member's name for people: names without the UTF-8 flag are often GBK (Windows archives).

    A NUL stays in the name (the terminal and JSON writers escape what they show)."""
    orig = info.orig_filename
    if orig in bad:
        return orig.encode("cp437").decode("utf-8", "replace")
    if info.flag_bits & _UTF8_FLAG or orig.isascii():
        return orig
    try:
        return orig.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return orig


def _zip_inputs(p: Path, lim: Limits) -> Iterator[Input]:
    try:
        zf, bad = _open_zip(p, lim)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        yield Input(str(p), str(p), error=ReadError(str(p), f"zip: {exc}"))
        return
    with zf:
        yield from _members(zf, bad, str(p), str(p), "", 1, lim)


def _members(zf: zipfile.ZipFile, bad: set[str], path: str, shown: str, prefix: str, depth: int,
             lim: Limits) -> Iterator[Input]:
    """The Inputs of one (possibly nested) archive; `prefix` is the member path of the archive itself."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > lim.max_members:
        yield Input(shown, path, error=exceeded(shown, "max_members", len(infos), lim.max_members))
        return
    for info in sorted(infos, key=lambda i: i.orig_filename):
        key = prefix + info.filename
        name = f"{shown}!{_display(info, bad)}"
        suffix = Path(info.filename).suffix.lower()
        problem = _member_problem(info, bad, name)
        if problem is None and suffix not in SUFFIXES + ARCHIVES + REFUSED:
            continue  # images and the like: never reports
        if problem is None and suffix in REFUSED:
            problem = Unsupported(name, suffix)
        if problem is not None:
            yield Input(name, path, key, error=problem)
        elif suffix in ARCHIVES:
            yield from _nested(zf, info, bad, path, name, key, depth, lim)
        else:
            yield Input(name, path, key)


def _member_problem(info: zipfile.ZipInfo, bad: set[str], name: str) -> Optional[JixiaoError]:
    """What makes a member unreadable that the archive's directory already says."""
    if "\x00" in info.orig_filename:
        return ArchiveMemberError(name, "the member's name holds a NUL character")
    if info.orig_filename in bad:
        return ArchiveMemberError(name, "the member's name is flagged UTF-8 but is not")
    if info.flag_bits & 0x1:
        return Encrypted(name, "the member has a password")
    if info.compress_type not in _METHODS:
        return ArchiveMemberError(name, f"compression method {info.compress_type} is not supported")
    return None


def _nested(zf: zipfile.ZipFile, info: zipfile.ZipInfo, bad: set[str], path: str, name: str, key: str,
            depth: int, lim: Limits) -> Iterator[Input]:
    if depth >= lim.max_depth:
        yield Input(name, path, key, error=exceeded(name, "max_depth", depth + 1, lim.max_depth))
        return
    try:
        data = _member_bytes(zf, info, bad, name, lim)
        inner, inner_bad = _open_zip(data, lim)
    except JixiaoError as exc:
        yield Input(name, path, key, error=exc)
        return
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        yield Input(name, path, key, error=ReadError(name, f"zip: {exc}"))
        return
    with inner:
        yield from _members(inner, inner_bad, path, name, key + "!", depth + 1, lim)


def _member_bytes(zf: zipfile.ZipFile, info: zipfile.ZipInfo, bad: set[str], name: str, lim: Limits) -> bytes:
    """A member's bytes, refused by its declared size and ratio first, then by the bytes it really yields."""
    problem = _member_problem(info, bad, name)
    if problem is not None:
        raise problem
    if info.file_size > lim.max_bytes:
        raise exceeded(name, "max_bytes", info.file_size, lim.max_bytes)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > (1 << 20) and ratio > lim.max_ratio:
        raise exceeded(name, "max_ratio", f"{ratio:.0f}x", f"{lim.max_ratio:g}x")
    try:
        with zf.open(info) as fh:
            data = fh.read(lim.max_bytes + 1)
    except RuntimeError as exc:  # zipfile's "password required"
        raise Encrypted(name, str(exc)[:80]) from None
    except NotImplementedError as exc:
        raise ArchiveMemberError(name, str(exc)[:80]) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as exc:  # a bad CRC among them
        raise ArchiveMemberError(name, f"{type(exc).__name__}: {str(exc)[:80]}") from None
    except Exception as exc:  # zlib.error, lzma.LZMAError: a damaged member
        raise ArchiveMemberError(name, f"{type(exc).__name__}: {str(exc)[:80]}") from None
    if len(data) > lim.max_bytes:
        raise exceeded(name, "max_bytes", None, lim.max_bytes)
    return data


def _member_data(archive: Path, member: str, name: str, lim: Limits) -> bytes:
    try:
        zf, bad = _open_zip(archive, lim)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ReadError(name, f"zip: {exc}") from None
    with zf:
        return _resolve(zf, bad, member, name, lim, 1)


def _resolve(zf: zipfile.ZipFile, bad: set[str], member: str, name: str, lim: Limits, depth: int) -> bytes:
    """The bytes of `member`, following 'inner.zip!' steps (a name may itself hold '!')."""
    names = {i.filename: i for i in zf.infolist()}
    if member in names:
        return _member_bytes(zf, names[member], bad, name, lim)
    at = member.find("!")
    while at >= 0:
        head = member[:at]
        if head in names and Path(head).suffix.lower() in ARCHIVES:
            if depth >= lim.max_depth:
                raise exceeded(name, "max_depth", depth + 1, lim.max_depth)
            try:
                inner, inner_bad = _open_zip(_member_bytes(zf, names[head], bad, name, lim), lim)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise ReadError(name, f"zip: {exc}") from None
            with inner:
                return _resolve(inner, inner_bad, member[at + 1:], name, lim, depth + 1)
        at = member.find("!", at + 1)
    raise ArchiveMemberError(name, "no such member in the archive")
