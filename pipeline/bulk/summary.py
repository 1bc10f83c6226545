"""Counting a batch of records (checked or unreadable) and the exit status scripts read.

Works on the CONTRACT dicts only, so `check`, `run` and any script count the
same way. Exit status (documented in the README):

    0    every input checked, nothing at the --fail-on level
    1    a finding at the --fail-on level (default for check: a mismatch of severity error)
    2    nothing could be checked: an unreadable single file, an empty folder, bad usage, output failed
    4    some inputs unreadable, the others checked (added to 1: 5 = both)
    130  interrupted (Ctrl-C)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

LEVELS = {"error": ("error",), "warning": ("error", "warning"), "none": ()}


def failing(rec: dict[str, Any], fail_on: str = "error") -> list[dict[str, Any]]:
    """The record's mismatches at or above the level (a mismatch without a severity counts as an error);
    one a reviewer dismissed (its `decision`, from `output.reviewed.apply_decisions`) fails nothing."""
    levels = LEVELS[fail_on]
    return [f for f in rec.get("findings") or []
            if f.get("status") == "mismatch" and (f.get("severity") or "error") in levels
            and (f.get("decision") or {}).get("verdict") != "dismissed"]


def mismatches(rec: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in rec.get("findings") or [] if f.get("status") == "mismatch"]


@dataclass
class Row:
    """One line of the batch table: a report, or a file that could not be checked."""

    path: str
    status: str
    department: str = ""
    year: Optional[int] = None
    template: str = ""
    indicators: int = 0
    consistent: int = 0
    mismatches: int = 0
    warnings: int = 0
    error_code: str = ""
    first_problem: str = ""

    @classmethod
    def of(cls, rec: dict[str, Any], shown: Optional[str] = None) -> "Row":
        path = shown or (rec.get("source") or {}).get("path") or ""
        if rec.get("status") == "unreadable":
            e = rec.get("error") or {}
            code, msg = e.get("code") or "", (e.get("message") or "").split(": ", 1)[-1]
            if code and msg.startswith(code + " "):  # the code has a column of its own
                msg = msg[len(code) + 1:]
            return cls(path, "unreadable", error_code=code, first_problem=msg)
        rep = rec.get("report") or {}
        inds = rec.get("indicators") or []
        mm = mismatches(rec)
        errors = [f for f in mm if (f.get("severity") or "error") == "error"]
        first = (errors or mm or [{}])[0]
        return cls(path, "checked", rep.get("department") or "", rep.get("year"), rep.get("template") or "",
                   len(inds), sum(i.get("status") == "consistent" for i in inds), len(errors), len(mm) - len(errors),
                   first_problem=first.get("message") or "")


@dataclass
class Summary:
    """What a batch came to; `add` one record at a time, as results arrive."""

    fail_on: str = "error"
    # the unreadable files, as rows for the summary table
    failures: list[Row] = field(default_factory=list)
    checked: int = 0
    unreadable: int = 0
    skipped: int = 0
    with_mismatches: int = 0
    failing: int = 0
    corpus_findings: int = 0

    @property
    def seen(self) -> int:
        return self.checked + self.unreadable + self.skipped

    def add(self, rec: dict[str, Any], shown: Optional[str] = None) -> Row:
        row = Row.of(rec, shown)
        if row.status == "unreadable":
            self.unreadable += 1
            self.failures.append(row)
        else:
            self.checked += 1
            self.with_mismatches += bool(mismatches(rec))
            self.failing += bool(failing(rec, self.fail_on))
        return row

    def skip(self) -> None:
        self.skipped += 1

    @property
    def exit_status(self) -> int:
        if self.checked + self.skipped == 0:
            return 2
        return (1 if self.failing else 0) | (4 if self.unreadable else 0)

    def line(self, lang: str = "zh") -> str:
        if lang == "zh":
            s = f"共 {self.seen} 个文件：已检查 {self.checked}，有不符 {self.with_mismatches}，无法读取 {self.unreadable}"
            if self.skipped:
                s += f"，已在语料库中跳过 {self.skipped}"
            if self.corpus_findings:
                s += f"，跨报告发现 {self.corpus_findings}"
            return s
        s = (f"{self.seen} files: {self.checked} checked, {self.with_mismatches} with mismatches, "
             f"{self.unreadable} unreadable")
        if self.skipped:
            s += f", {self.skipped} skipped (already in the corpus)"
        if self.corpus_findings:
            s += f", {self.corpus_findings} cross-report findings"
        return s
