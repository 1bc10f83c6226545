"""`jixiao report`: the reviewer's HTML page and/or XLSX workbook for checked reports or a corpus.

    jixiao report PATH… -o review.html [-o review.xlsx] [--db corpus.sqlite] [--lang en]
    jixiao report --db corpus.sqlite -o review.html

With paths, the reports are checked now (decisions read from --db when it is
given); without, the records come from the corpus. Exit status: 0 written and
no open mismatch, 1 written with mismatches no reviewer dismissed, 2 nothing
could be written (bad option, no such corpus) or every input was unreadable.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional

import typer

from ..errors import JixiaoError, NotFound, ReportOutputError

WRITERS = (".html", ".htm", ".xlsx")


def collect(paths: list[Path], db: Optional[Path], lang: str, skip: Iterable[Path] = (),
            settings: Any = None) -> list[dict[str, Any]]:
    """The serialised records to report on: checked now (bar the report's own outputs), or read from the corpus."""
    if paths:
        from .. import api
        own = {p.resolve() for p in skip}
        inputs = [i for i in api.iter_inputs(paths, settings) if i.member is not None or Path(i.path).resolve() not in own]
        return [api.record(o, lang) for o in api.check_many(inputs, settings)]
    from .. import store  # the corpus (pipeline/store/__init__.py): records(db) -> Iterator[dict]
    if not hasattr(store, "records"):
        raise ReportOutputError(str(db), "this jixiao has no corpus reader (pipeline.store.records); give report PATHs")
    return [with_corpus_findings(r) for r in latest_per_file(store.records(db))]


def with_corpus_findings(record: dict[str, Any]) -> dict[str, Any]:
    """Findings the corpus made across reports (`corpus_findings`) listed with the report's own, marked by scope."""
    extra = record.get("corpus_findings") or []
    if not extra:
        return record
    own = [dict(f, scope=f.get("scope", "report")) for f in record.get("findings") or []]
    return {**record, "findings": own + [dict(f, scope="corpus") for f in extra]}


def latest_per_file(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per file shown: a corpus can hold a file checked by several versions; the latest check wins."""
    best: dict[str, dict[str, Any]] = {}
    for rec in records:
        key = (rec.get("source") or {}).get("path") or ""
        at = (rec.get("provenance") or {}).get("checked_at") or ""
        if key not in best or at >= ((best[key].get("provenance") or {}).get("checked_at") or ""):
            best[key] = rec
    return list(best.values())


def build(paths: list[Path], db: Optional[Path], outputs: list[Path], lang: str = "zh",
          title: Optional[str] = None) -> list[dict[str, Any]]:
    """Check or load, apply the corpus's decisions, write each output; returns the records as reported."""
    from ..output import html, xlsx
    from ..output.reviewed import apply_decisions

    for out in outputs:
        if out.suffix.lower() not in WRITERS:
            raise ReportOutputError(str(out), f"unknown output type {out.suffix or '(none)'}; use .html or .xlsx")
    if db is not None and not paths and not db.is_file():
        raise NotFound(str(db))
    decisions: dict = {}
    if db is not None and db.is_file():
        from ..store import decisions as store_decisions
        decisions = store_decisions.load(db)
    records = apply_decisions(collect(paths, db, lang, outputs), decisions)
    for out in outputs:
        try:
            if out.suffix.lower() == ".xlsx":
                xlsx.write(records, out, lang)
            else:
                html.write(records, out, lang, title)
        except OSError as exc:
            raise ReportOutputError(str(out), exc.strerror or str(exc)) from None
    return records


def report(
    paths: list[Path] = typer.Argument(None, help="Report files, folders or zip archives to check now."),
    db: Optional[Path] = typer.Option(None, "--db", help="The corpus (SQLite): its records when no PATH is given, and its decisions."),
    output: list[Path] = typer.Option(..., "--output", "-o", help="review.html and/or review.xlsx (repeat -o for both)."),
    lang: str = typer.Option("zh", "--lang", help="Language of the report: zh or en."),
    title: Optional[str] = typer.Option(None, "--title", help="Title of the HTML page."),
) -> None:
    """Write the reviewer's report: one HTML page (self-contained) and/or an XLSX workbook."""
    from rich.console import Console

    from ..output.reviewed import open_mismatches

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if lang not in ("zh", "en"):
        err.print(f"--lang: zh or en, not {lang!r}", markup=False)
        raise typer.Exit(2)
    if not paths and db is None:
        err.print("jixiao report: give report PATHs to check, or --db corpus.sqlite", markup=False)
        raise typer.Exit(2)
    missing = [p for p in paths or [] if not p.exists()]
    if missing:
        err.print(NotFound(str(missing[0])).line(lang), markup=False)
        raise typer.Exit(2)
    try:
        records = build(list(paths or []), db, list(output), lang, title)
    except JixiaoError as exc:
        err.print(exc.line(lang), markup=False)
        raise typer.Exit(2)
    except Exception as exc:  # a corrupt corpus file and the like: one line, never a traceback
        err.print(f"{db or paths[0]}: E999 {type(exc).__name__}: {exc}", markup=False)
        raise typer.Exit(2)
    unreadable = sum(r.get("status") != "checked" for r in records)
    still_open = sum(open_mismatches(r) for r in records)
    for out in output:
        err.print(f"{out}: {len(records)} reports, {still_open} open mismatches, {unreadable} unreadable "
                  f"({out.stat().st_size / 1024:.0f} KB)", markup=False)
    if still_open:
        raise typer.Exit(1)
    raise typer.Exit(2 if records and unreadable == len(records) else 0)
