"""The `jixiao` command. Thin: parse options, call pipeline.api, map to exit codes.

Exit status: 0 checked, no mismatch; 1 at least one mismatch; 2 the input
could not be read or is not a report (one line on stderr, nothing on stdout).
Data goes to stdout; diagnostics and progress to stderr.
"""
from __future__ import annotations

import json
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import __version__
from .errors import JixiaoError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Jixiao (绩效): checks budget-performance self-evaluations for figures that disagree.")
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(str, Enum):
    table = "table"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                              help="Print the version and exit.")) -> None:
    """Jixiao (绩效)."""


def _fail(exc: BaseException, name: str, lang: str, debug: bool) -> None:
    if isinstance(exc, JixiaoError):
        err.print(exc.line(lang), markup=False)
    else:
        err.print(f"{name}: E999 internal error ({type(exc).__name__}: {exc})", markup=False)
        if debug:
            err.print(traceback.format_exc(), markup=False)


@app.command()
def check(
    path: Path = typer.Argument(..., help="A report file, a folder of reports or a zip archive."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table (terminal view) or json (CONTRACT.md; JSON lines for several files)."),
    lang: Lang = typer.Option(Lang.zh, "--lang", help="Language of messages: zh or en."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every check made, not only mismatches."),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on internal errors."),
) -> None:
    """Check one report, or every report in a folder or zip archive."""
    from . import api
    from .output import contract

    single = path.is_file() and path.suffix.lower() != ".zip"
    if single:
        try:
            res = api.check_path(path)
        except Exception as exc:  # every failure is one line and exit 2, never a traceback
            _fail(exc, str(path), lang.value, debug)
            raise typer.Exit(2)
        if format is Format.json:
            sys.stdout.write(contract.dumps(res, lang.value) + "\n")
        else:
            from .output import terminal
            terminal.render(res, lang.value, Console(), verbose)
        raise typer.Exit(1 if res.mismatches else 0)
    if not path.exists():
        from .errors import NotFound
        _fail(NotFound(str(path)), str(path), lang.value, debug)
        raise typer.Exit(2)
    _check_many(path, format, lang.value, verbose, debug)


def _check_many(path: Path, format: Format, lang: str, verbose: bool, debug: bool) -> None:
    from rich.table import Table

    from rich.text import Text

    from . import api
    from .output import contract
    from .output.messages import finding_message

    out = Console()
    rows, failed, mismatched, n = [], 0, 0, 0
    for outcome in api.check_many([path]):
        n += 1
        name, res = outcome.name, outcome.result
        short = name.split("!")[-1].rsplit("/", 1)[-1]
        if outcome.error is not None:
            failed += 1
            _fail(outcome.error, name, lang, debug)
            rows.append(tuple(Text(x) for x in (short, "—", "—", "—", "—", "—",
                                                outcome.error.line(lang).split(": ", 1)[-1])))
            if format is Format.json:
                sys.stdout.write(json.dumps(api.record(outcome, lang), ensure_ascii=False) + "\n")
            continue
        m = len(res.mismatches)
        mismatched += bool(m)
        if format is Format.json:
            sys.stdout.write(json.dumps(contract.to_dict(res, lang), ensure_ascii=False) + "\n")
        elif verbose:
            from .output import terminal
            terminal.render(res, lang, out, False)
        counts = {}
        for v in res.verdicts.values():
            counts[v.status] = counts.get(v.status, 0) + 1
        first = res.mismatches[0] if m else None
        note = finding_message(first, lang)[:60] if first else ""
        rows.append(tuple(Text(x) for x in (short, res.report.department or "—", str(res.report.year or "—"),
                                            str(len(res.report.indicators)), str(counts.get("consistent", 0)),
                                            str(m), note)))
    if format is Format.table:
        zh = lang == "zh"
        t = Table(title=Text(f"{path}：{n} 份报告" if zh else f"{path}: {n} reports"))
        cols = ("文件", "部门", "年度", "指标", "一致", "不符", "首要问题") if zh else \
            ("File", "Department", "Year", "Indicators", "Consistent", "Mismatches", "First problem")
        for col in cols:
            t.add_column(col, overflow="fold")
        for r in rows:
            t.add_row(*r)
        out.print(t)
        out.print(f"不符的报告 {mismatched} 份，无法读取 {failed} 份" if zh else
                  f"{mismatched} reports with mismatches, {failed} unreadable")
    raise typer.Exit(1 if mismatched else 2 if failed else 0)


@app.command()
def generate(
    n: int = typer.Option(20, "--n", min=1, help="How many reports."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives the same reports."),
    out: Path = typer.Option(..., "--out", help="Folder for the reports and their gold/ files."),
    template: str = typer.Option("department_overall", "--template", help="department_overall or project."),
    formats: str = typer.Option("txt", "--formats", help="Comma-separated: txt,html,docx,xlsx,xls,pdf."),
    mismatch_rate: float = typer.Option(0.3, "--mismatch-rate", min=0.0, max=1.0,
                                        help="Share of reports with one planted mismatch."),
) -> None:
    """Write generated reports and gold files that ../shared/eval/jxeval.py can score."""
    from rich.progress import Progress

    from .generate import TEMPLATES, generate as run

    fmts = tuple(f.strip() for f in formats.split(",") if f.strip())
    if template not in TEMPLATES:
        err.print(f"unknown template {template!r} (known: {', '.join(TEMPLATES)})")
        raise typer.Exit(2)
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("generating", total=n)
        try:
            run(n, seed, out, template, fmts, mismatch_rate, progress=lambda k: bar.update(task, completed=k))
        except ValueError as exc:
            err.print(str(exc), markup=False)
            raise typer.Exit(2)
    err.print(f"{n} reports and gold files in {out}", markup=False)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
