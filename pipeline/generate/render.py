"""Writers for generated reports, one per format."""
from __future__ import annotations

from pathlib import Path


def write_txt(path: Path, g) -> None:
    path.write_text(g.text, encoding="utf-8")


WRITERS = {"txt": write_txt}
