"""What every command shares: where data goes (stdout or -o FILE), and failures of that output as one line.

A closed pipe (``jixiao … | head``) or a full disk is one line on stderr and
exit 2, never a traceback; data goes to stdout, diagnostics to stderr.
"""
from __future__ import annotations

from enum import Enum

import errno
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator, Optional

import typer

from ..errors import OutputError
from rich.console import Console

err = Console(stderr=True, highlight=False, soft_wrap=True)

PIPED_WIDTH = 120


def choices(name: str, values: str) -> type[Enum]:
    """A str Enum of the words in `values`, for a typer option's fixed choices (--format table|json)."""
    return Enum(name, [(v, v) for v in values.split()], type=str)


Lang = choices("Lang", "zh en")
FailOn = choices("FailOn", "error warning none")



def say(line: str) -> None:
    """One diagnostic line on stderr, printed as is (no markup)."""
    err.print(line, markup=False, highlight=False)


def die(line: str, status: int = 2) -> "typer.Exit":
    say(line)
    return typer.Exit(status)


@contextmanager
def output(path: Optional[str], binary: bool = False, lang: str = "zh") -> Iterator[IO]:
    """stdout, or the file -o names; its failures (a closed pipe, a full disk, no such folder) are one
    coded line (E500) and exit 2."""
    try:
        if not path or path == "-":
            yield sys.stdout.buffer if binary else sys.stdout
            (sys.stdout.buffer if binary else sys.stdout).flush()
        else:
            with open(path, "wb" if binary else "w", encoding=None if binary else "utf-8",
                      newline=None if binary else "") as fh:
                yield fh
    except OSError as exc:
        where = path or "stdout"
        if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
            _silence_stdout()
            detail = ("输出管道在结束前已关闭", "output closed before the end (broken pipe)")
        elif exc.errno == errno.ENOSPC:
            detail = ("磁盘已满", "disk full")
        else:
            detail = exc.strerror or str(exc)
        raise die(OutputError(where, detail).line(lang))


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def console_for(stream: IO) -> Console:
    """A rich Console on the stream: the terminal's width, or 120 columns when piped or written to a file."""
    tty = hasattr(stream, "isatty") and stream.isatty()
    return Console(file=stream, width=None if tty else PIPED_WIDTH, highlight=False, soft_wrap=False,
                   force_terminal=None if tty else False)


def db_path(db: Path, must_exist: bool) -> Path:
    if must_exist and not db.is_file():
        raise die(f"{db}: E101 文件不存在 (no such corpus)")
    return db
