"""The whole check as plain functions: what the CLI, the bulk runners, the corpus builder and tests call.

Every function takes the run's settings (`Settings.resolve` accepts None, a
path, a dict or a Settings), so a worker process checks with exactly the
settings of the process that sent it work.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional

from . import __version__, check, form, nlp, read
from .errors import InternalError, JixiaoError
from .check import coverage
from .model import CheckResult, Document
from .read import Input
from .settings import Settings, SettingsLike


@dataclass
class Outcome:
    """One input checked: its result, or the coded error that stopped it (never both)."""

    input: Input
    result: Optional[CheckResult] = None
    error: Optional[JixiaoError] = None

    @property
    def name(self) -> str:
        return self.input.name

    @property
    def ok(self) -> bool:
        return self.error is None


def warm(settings: SettingsLike = None) -> Settings:
    """Load settings and jieba's dictionary once in this process (a worker's start); spaCy only if a Doc is asked for."""
    s = Settings.resolve(settings)
    nlp.warm(s)
    return s


def check_document(doc: Document, settings: SettingsLike = None) -> CheckResult:
    s = Settings.resolve(settings)
    report = form.parse(doc, s)
    claims, docs = nlp.annotate(report, s)
    report = form.complete(report, claims, s)
    verdicts, findings = check.run(report, claims, s)
    return CheckResult(doc, report, claims, verdicts, findings, version=__version__, fingerprint=s.fingerprint,
                       coverage=coverage.of(claims, docs, findings, verdicts))


def check_path(path: str | os.PathLike, settings: SettingsLike = None) -> CheckResult:
    s = Settings.resolve(settings)
    return check_document(read.read_path(path, s.limits), s)


def iter_inputs(paths: Iterable[str | os.PathLike] | str | os.PathLike,
                settings: SettingsLike = None) -> Iterator[Input]:
    """Every report under each path named (files, folders, zip archives), in order; an empty folder
    or archive yields nothing (the caller says "nothing to check")."""
    limits = Settings.resolve(settings).limits
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for p in paths:
        yield from read.iter_inputs(p, limits)


def check_input(item: Input, settings: SettingsLike = None, data: Optional[bytes] = None) -> Outcome:
    """One input, read and checked; any failure is recorded against it, never raised.

    `data`: the input's bytes when they are already in hand (stdin, a job sent to a worker)."""
    try:
        s = Settings.resolve(settings)
        doc = read.read_bytes(data, item.name, s.limits) if data is not None else read.load(item, s.limits)
        return Outcome(item, result=check_document(doc, s))
    except JixiaoError as exc:
        return Outcome(item, error=exc)
    except RecursionError:
        return Outcome(item, error=InternalError(item.name, "RecursionError"))
    except Exception as exc:  # a bug of ours on one file must not stop the batch
        return Outcome(item, error=InternalError(item.name, f"{type(exc).__name__}: {str(exc)[:160]}"))


def check_many(inputs: Iterable[Input | str | os.PathLike], settings: SettingsLike = None) -> Iterator[Outcome]:
    """Results one by one, in input order; one bad file never stops the rest.

    Inputs are plain `Input`s (or paths, expanded here), so a process pool or a
    Dask worker can run `check_input` on each with the same settings.
    """
    s = Settings.resolve(settings)
    for item in inputs:
        if isinstance(item, Input):
            yield check_input(item, s)
        else:
            for sub in read.iter_inputs(item, s.limits):
                yield check_input(sub, s)


def record(outcome: Outcome, lang: str = "zh", summary: bool = True) -> dict[str, Any]:
    """The serialised result every later layer reads: the CONTRACT object with its `summary` block,
    or an `unreadable` record."""
    from .output import contract

    if outcome.result is None:
        return contract.error_dict(outcome.input, outcome.error, lang)
    rec = contract.to_dict(outcome.result, lang)
    if summary:
        from . import summarize

        rec["summary"] = summarize.report(rec)
    return rec
