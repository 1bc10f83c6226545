"""`jixiao run PATH… --db corpus.sqlite`: check many files in worker processes into the corpus."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Optional

import typer

from .common import FailOn, choices, console_for, die, err, output, say


Engine = choices("Engine", "local dask")
Writer = choices("Writer", "auto parent workers")



def run(
    paths: list[str] = typer.Argument(..., help="Report files, folders (recursive) and zip archives."),
    db: Path = typer.Option(..., "--db", help="The corpus (SQLite), created if absent."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes (0: the machine's cores)."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local (process pool) or dask (pip install 'jixiao[dask]')."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address; without it a LocalCluster."),
    time_limit: float = typer.Option(120.0, "--time-limit", min=0.0, help="Seconds per file before its check is stopped (E115; 0: none)."),
    recycle: int = typer.Option(1000, "--recycle", min=0, help="Renew a worker's spaCy pipeline after this many files (bounds its memory; 0: never)."),
    batch: int = typer.Option(16, "--batch", min=1, help="Reports per corpus transaction (1: each report its own; a crash loses at most the uncommitted ones, which the next run checks again)."),
    writer: Writer = typer.Option(Writer.auto, "--writer", help="Who writes the corpus: the parent process, each local worker, or auto (the workers when there are as many as cores)."),
    settings: Optional[str] = typer.Option(None, "--settings", help="A configs/-like folder or a TOML file of overrides."),
    lang: str = typer.Option("zh", "--lang", help="Language of messages: zh or en."),
    fail_on: FailOn = typer.Option(FailOn.none, "--fail-on", help="Exit 1 when a report has a mismatch at this level (none: never)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary; the exit status only."),
) -> None:
    """Check every report under PATH… into a corpus; files already in it are skipped (resumable)."""
    from .. import bulk
    from ..errors import CorpusError, JixiaoError

    try:
        opts = bulk.Options(engine=engine.value, jobs=jobs, lang=lang, time_limit=time_limit or None, recycle=recycle,
                            scheduler=scheduler, fail_on=fail_on.value, batch=batch, writer=writer.value)
    except ValueError as exc:  # a combination the options refuse (workers writing for the dask engine)
        raise die(str(exc))
    state: dict = {}
    bar = _bar(quiet)
    started = time.perf_counter()

    def progress(p: "bulk.Progress", rec: Optional[dict]) -> None:
        state["p"] = p
        if bar is not None:
            bar.show(p)

    try:
        if bar is not None:
            bar.start()
        prog = bulk.run(paths, db, settings, opts, progress)
    except KeyboardInterrupt:
        if bar is not None:
            bar.stop()
        p = state.get("p")
        if p is not None and not quiet:
            _summary(p.summary, lang, time.perf_counter() - started)
        say("interrupted: what was checked is stored; run the same command again to finish" if lang != "zh" else
            "已中断：已检查的报告已存入语料库；再次运行同一命令即可继续")
        raise typer.Exit(130)
    except JixiaoError as exc:
        if bar is not None:
            bar.stop()
        raise die(exc.line(lang))
    except (sqlite3.Error, RuntimeError, OSError) as exc:
        if bar is not None:
            bar.stop()
        raise die(CorpusError(str(db), str(exc)).line(lang))
    if bar is not None:
        bar.stop()
    if prog.summary.seen == 0:
        raise die("nothing to check" if lang != "zh" else "没有可检查的文件")
    if not quiet:
        _summary(prog.summary, lang, time.perf_counter() - started)
    raise typer.Exit(prog.summary.exit_status)


def _summary(summary, lang: str, seconds: float) -> None:
    from rich.table import Table

    with output(None) as out:
        con = console_for(out)
        if summary.failures:
            zh = lang == "zh"
            t = Table(title="无法读取的文件" if zh else "Files that could not be checked")
            for col in (("文件", "代码", "原因") if zh else ("File", "Code", "Reason")):
                t.add_column(col, overflow="fold")
            for row in summary.failures:
                t.add_row(row.path, row.error_code, row.first_problem)
            con.print(t)
        rate = summary.checked / seconds if seconds > 0 else 0.0
        con.print(summary.line(lang) + (f"；{rate:.1f} 份/秒" if lang == "zh" else f"; {rate:.1f} files/s"),
                  markup=False)


class _Bar:
    """A rich progress bar on stderr: files/s, ETA, mismatches and unreadable so far."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                                 TextColumn("{task.fields[counts]}"), console=err, transient=False)
        self.task = self.progress.add_task("checking", total=None, rate="", counts="")
        self.t0 = time.perf_counter()

    def start(self) -> None:
        self.progress.start()

    def stop(self) -> None:
        self.progress.stop()

    def show(self, p) -> None:
        s = p.summary
        dt = time.perf_counter() - self.t0
        self.progress.update(self.task, total=p.total, completed=s.seen,
                             rate=f"{s.checked / dt:.1f} files/s" if dt > 0 else "",
                             counts=f"mismatches {s.with_mismatches}  unreadable {s.unreadable}  skipped {s.skipped}")


def _bar(quiet: bool) -> Optional[_Bar]:
    """Silent when stderr is not a terminal (CI logs, redirects) or with --quiet."""
    if quiet or not err.is_terminal:
        return None
    return _Bar()
