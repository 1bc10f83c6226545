"""The bytes of one Input, without reading them as a document: what a bulk run hashes
(to skip a file already in the corpus) and sends to a worker that may not see the file."""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from ..errors import JixiaoError, NotFound, ReadError, TooLarge
from . import MAX_BYTES, Input


def data(item: Input) -> bytes:
    """The file's or the archive member's bytes, refused with the same coded errors `load` gives."""
    if item.error is not None:
        raise item.error
    if item.member is None:
        p = Path(item.path)
        if not p.is_file():
            raise NotFound(str(p))
        if p.stat().st_size > MAX_BYTES:
            raise TooLarge(item.name, f"{p.stat().st_size} bytes > {MAX_BYTES}")
        try:
            return p.read_bytes()
        except OSError as exc:
            raise ReadError(item.name, exc.strerror or str(exc)) from None
    try:
        with zipfile.ZipFile(item.path) as zf:
            info = zf.getinfo(item.member)
            if info.file_size > MAX_BYTES:
                raise TooLarge(item.name, f"{info.file_size} bytes > {MAX_BYTES}")
            with zf.open(info) as fh:
                return fh.read(MAX_BYTES + 1)
    except JixiaoError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise ReadError(item.name, f"zip: {exc}") from None


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
