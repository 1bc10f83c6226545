"""The `jixiao` command. Thin: parse options, call pipeline.api, map to exit codes.

Exit status (pipeline/bulk/summary.py): 0 checked, nothing at the --fail-on
level; 1 a mismatch at that level; 2 nothing could be checked (an unreadable
file: one line on stderr, nothing on stdout; an empty folder; bad usage; the
output failed); 4 some files unreadable, the rest checked (5 with a mismatch
too); 130 interrupted. Data goes to stdout; diagnostics and progress to stderr.
"""
from __future__ import annotations

import csv
import io
import json
import sys
import traceback
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import __version__
from .commands.common import FailOn, Lang, choices
from .errors import JixiaoError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Jixiao (绩效): checks budget-performance self-evaluations for figures that disagree.")
err = Console(stderr=True, highlight=False, soft_wrap=True)


Format = choices("Format", "table json jsonl csv")




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


def _settings(value: Optional[str], lang: str):
    """The run's settings, loaded and validated once; a bad one is one coded line and exit 2."""
    from .settings import Settings

    try:
        return Settings.resolve(value)
    except JixiaoError as exc:
        err.print(exc.line(lang), markup=False)
        raise typer.Exit(2)


def _outcome(path: str, settings=None):
    """One named input checked: `-` is a report on stdin; a missing or unreadable file is a coded error."""
    from . import api
    from .bulk import work
    from .read import Input

    if path == "-":
        return work.outcome(Input("-", "-"), sys.stdin.buffer.read(), settings)
    return api.check_input(Input(path, path), settings)


@app.command()
def check(
    paths: list[str] = typer.Argument(..., help="Report files, folders (recursive), zip archives; - reads one report from stdin."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table; json (CONTRACT.md: an object for one file, JSON lines for several); jsonl; csv (one row per file)."),
    out: Optional[str] = typer.Option(None, "-o", "--output", help="Write the output to this file instead of stdout."),
    lang: Lang = typer.Option(Lang.zh, "--lang", help="Language of messages: zh or en."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every check made, not only mismatches."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Nothing on stdout or stderr (-o still writes); the exit status only."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Exit 1 on a mismatch of this severity or worse (error, warning; none: never)."),
    settings: Optional[str] = typer.Option(None, "--settings", help="A settings folder laid out like configs/, or a TOML file of overrides."),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on internal errors."),
) -> None:
    """Check reports. Exit 0 clean, 1 a mismatch at --fail-on, 2 nothing checkable, 4 some files unreadable (5: both)."""
    from .commands.common import output

    run_settings = _settings(settings, lang.value)
    single = len(paths) == 1 and (paths[0] == "-" or (Path(paths[0]).is_file() and Path(paths[0]).suffix.lower() != ".zip")
                                  or not Path(paths[0]).exists())
    if not single:
        _check_many(paths, format, lang.value, verbose, debug, out, quiet, fail_on.value, run_settings)
    from . import api
    from .bulk.summary import Row, failing

    try:
        outcome = _outcome(paths[0], run_settings)
    except KeyboardInterrupt:
        err.print("interrupted before the check finished" if lang is Lang.en else "已中断：检查未完成")
        raise typer.Exit(130)
    if outcome.error is not None:  # every failure is one line and exit 2, never a traceback
        if not quiet:
            _fail(outcome.error, outcome.name, lang.value, debug)
        raise typer.Exit(2)
    res = outcome.result
    rec = api.record(outcome, lang.value)
    if not (quiet and not out):
        with output(out, lang=lang.value) as fh:
            if format is Format.json:
                fh.write(json.dumps(rec, ensure_ascii=False, indent=2) + "\n")
            elif format is Format.jsonl:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            elif format is Format.csv:
                _csv_rows(fh, [Row.of(rec)])
            else:
                from .commands.common import console_for
                from .output import terminal
                terminal.render(res, lang.value, console_for(fh), verbose)
    raise typer.Exit(1 if failing(rec, fail_on.value) else 0)


def _csv_rows(fh, rows) -> None:
    import csv
    from dataclasses import astuple, fields

    from .bulk.summary import Row

    w = csv.writer(fh)
    w.writerow([f.name for f in fields(Row)])
    for r in rows:
        w.writerow(["" if v is None else v for v in astuple(r)])


def _shown(name: str, root: str, several: bool) -> str:
    """The name a table shows: relative to the one folder named (subfolders kept), else as named."""
    base = Path(root)
    if several or not base.is_dir():
        return name
    try:
        return str(Path(name.split("!", 1)[0]).relative_to(base)) + ("!" + name.split("!", 1)[1] if "!" in name else "")
    except ValueError:
        return name


def _check_many(paths: list[str], format: Format, lang: str, verbose: bool, debug: bool,
                out: Optional[str], quiet: bool, fail_on: str, settings=None) -> None:
    """Render the batch api.check_many yields, one record at a time, in the chosen format."""
    from . import api
    from .bulk.summary import Summary
    from .commands.common import console_for, output, say
    from .output import terminal

    summary = Summary(fail_on=fail_on)
    rows = []
    quiet_out = quiet and not out
    with output(None if quiet_out else out, lang=lang) as fh:
        if quiet_out:
            fh = io.StringIO()
        write = _record_writer(format, fh, verbose, lang)
        try:
            for root in paths:
                for outcome in (api.check_many([root], settings) if root != "-" else [_outcome("-", settings)]):
                    rec = api.record(outcome, lang)
                    rows.append(summary.add(rec, _shown(outcome.name, root, len(paths) > 1)))
                    if outcome.error is not None and not quiet:
                        _fail(outcome.error, outcome.name, lang, debug)
                    write(outcome, rec, rows[-1])
        except KeyboardInterrupt:
            if format is Format.table and not quiet:
                terminal.batch_table(", ".join(paths), rows, summary, lang, console_for(fh))
            if not quiet:
                say(f"已中断：已检查 {summary.seen} 个文件" if lang == "zh" else f"interrupted after {summary.seen} files")
            fh.flush()
            raise typer.Exit(130)
        if summary.seen == 0:
            raise typer.Exit(2) if quiet else _nothing(lang)
        if format is Format.table:
            terminal.batch_table(", ".join(paths), rows, summary, lang, console_for(fh))
    raise typer.Exit(summary.exit_status)


def _record_writer(format: Format, fh, verbose: bool, lang: str):
    """What is written as each record arrives: a JSON line, a CSV row, or (table, -v) the report."""
    from dataclasses import astuple, fields

    from .bulk.summary import Row
    from .commands.common import console_for
    from .output import terminal

    if format in (Format.json, Format.jsonl):
        return lambda outcome, rec, row: fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if format is Format.csv:
        writer = csv.writer(fh)
        writer.writerow([f.name for f in fields(Row)])
        return lambda outcome, rec, row: writer.writerow(["" if v is None else v for v in astuple(row)])

    def report(outcome, rec, row) -> None:
        if verbose and outcome.result is not None:
            terminal.render(outcome.result, lang, console_for(fh), False)

    return report


def _nothing(lang: str) -> "typer.Exit":
    from .commands.common import die

    return die("没有可检查的文件" if lang == "zh" else "nothing to check")


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


# commands in their own modules (pipeline/commands/), registered here
from .commands import report as _report, review as _review  # noqa: E402
from .commands.export import export as _export  # noqa: E402
from .commands.run import run as _run  # noqa: E402
from .commands.search import search as _search  # noqa: E402
from .commands.summarize import summarize as _summarize  # noqa: E402

app.command("run")(_run)
app.command("search")(_search)
app.command("export")(_export)
app.command("report")(_report.report)
app.command("review")(_review.review)
app.command("summarize")(_summarize)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        from .commands.common import _silence_stdout
        _silence_stdout()
        from .errors import OutputError
        err.print(OutputError("stdout", ("输出管道在结束前已关闭", "output closed before the end (broken pipe)")).line(),
                  markup=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
