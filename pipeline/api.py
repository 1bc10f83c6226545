"""The whole check as plain functions: what the CLI, the corpus builder and tests call."""
from __future__ import annotations

import os
from typing import Iterator

from . import check, form, nlp, read
from .errors import JixiaoError
from .model import CheckResult, Document


def check_document(doc: Document) -> CheckResult:
    report = form.parse(doc)
    claims, _docs = nlp.annotate(report)
    report, verdicts, findings = check.run(report, claims)
    return CheckResult(doc, report, claims, verdicts, findings)


def check_path(path: str | os.PathLike) -> CheckResult:
    return check_document(read.read_path(path))


def check_inputs(path: str | os.PathLike) -> Iterator[tuple[str, CheckResult | JixiaoError]]:
    """Every report under a file, folder or zip: a result, or the error that stopped it.

    One bad file never stops the rest.
    """
    for item in read.iter_inputs(path):
        try:
            yield item.name, check_document(item.load())
        except JixiaoError as exc:
            yield item.name, exc
