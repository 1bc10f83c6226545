"""The bytes of one Input, without reading them as a document: what a bulk run hashes
(to skip a file already in the corpus) and sends to a worker that may not see the file."""
from __future__ import annotations

import hashlib

from ..limits import LimitsLike
from . import Input, input_bytes


def data(item: Input, limits: LimitsLike = None) -> bytes:
    """The file's or the archive member's bytes, refused with the same coded errors `load` gives."""
    return input_bytes(item, limits)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
