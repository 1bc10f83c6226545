"""Records the report tests share: project fixtures checked once, an unreadable file, hostile text."""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

from conftest import DEPARTMENT, NARRATIVE, PROJECT

FILES = (DEPARTMENT / "health_2023.txt", DEPARTMENT / "justice_2021.txt", DEPARTMENT / "culture_2023.txt",
         DEPARTMENT / "education_2022.txt", PROJECT / "campus_safety_2022.txt", NARRATIVE / "library_2022_report.txt")

HOSTILE = ('<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "</script><script>alert(2)</script>",
           "<!--", "\u2028", "' onmouseover='alert(3)", "<iframe src=https://example.com/>", "javascript:alert(4)")


@lru_cache(maxsize=None)
def _records(unreadable_dir: str) -> tuple:
    from pipeline import api

    bad = Path(unreadable_dir) / "empty_report.txt"
    bad.write_bytes(b"")
    return tuple(api.record(o) for o in api.check_many([*FILES, bad]))


def records(tmp_dir: Path) -> list[dict]:
    """Fresh copies of the checked fixtures plus one unreadable file (written under tmp_dir)."""
    return copy.deepcopy(list(_records(str(tmp_dir))))


def hostile(record: dict, n: int = 0) -> dict:
    """The record with attack strings in every text a document supplies, spans shifted to stay true."""
    r = copy.deepcopy(record)
    h = " ".join(HOSTILE) + f" #{n} "
    r["source"]["path"] = h + r["source"]["path"]
    if r.get("status") != "checked":
        r["error"]["message"] = h + r["error"]["message"]
        r["error"]["detail"] = h
        return r
    for k in ("title", "department"):
        r["report"][k] = h + (r["report"].get(k) or "")
    r["report"]["warnings"] = [h]
    for ind in r.get("indicators") or []:
        ind["name"] = h + (ind.get("name") or "")
        ind["raw"] = h + (ind.get("raw") or "")
        ind["note"] = h
    shift: dict[str, int] = {}
    for sec in r.get("sections") or []:
        sec["text"] = h + (sec.get("text") or "")
        shift[sec["name"]] = len(h)
    for c in r.get("claims") or []:
        c["span"] = [c["span"][0] + shift.get(c["section"], 0), c["span"][1] + shift.get(c["section"], 0)]
        c["subject"] = h
    for f in r.get("findings") or []:
        f["message"] = h + (f.get("message") or "")
    return r
