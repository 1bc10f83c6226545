"""`jixiao summarize`: the gist of each report, or of a whole corpus (`--db`).

Thin: parses options, calls `pipeline.summarize`, writes data to stdout and
diagnostics to stderr. Exit 0, or 2 when an input could not be read.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

err = Console(stderr=True, highlight=False, soft_wrap=True)

FILE_FORMATS = ("text", "json")
CORPUS_FORMATS = ("table", "csv", "json")


def summarize(
    files: Optional[List[Path]] = typer.Argument(None, help="Report files, folders or zip archives."),
    db: Optional[Path] = typer.Option(None, "--db", help="A corpus (SQLite) to summarise instead of files."),
    by: str = typer.Option("department", "--by", help="Corpus rows by department, year or indicator."),
    format: Optional[str] = typer.Option(None, "--format", "-f",
                                         help="Reports: text or json (JSON lines for several). Corpus: table, csv or json."),
    max_chars: Optional[int] = typer.Option(None, "--max-chars", min=1,
                                            help="Length of the extractive summary (default: configs/summary.toml)."),
    plot: Optional[str] = typer.Option(None, "--plot", help="Corpus: draw this indicator's total across years."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="The PNG that --plot writes."),
    model: Optional[Path] = typer.Option(None, "--model",
                                         help="A local seq2seq or causal LM folder for an abstractive summary "
                                              "(needs jixiao[transformers]); default: configs/ml.toml."),
    lang: str = typer.Option("zh", "--lang", help="Labels of the text view: zh or en."),
) -> None:
    """Summarise reports (budget, outputs, indicator counts, mismatches, problems, an extract), or a corpus."""
    from ..errors import JixiaoError

    try:
        if db is not None:
            code = _corpus(db, by, format or "table", plot, output)
        elif files:
            code = _reports(files, format or "text", max_chars, model, lang)
        else:
            err.print("give report files, or --db CORPUS", markup=False)
            code = 2
    except JixiaoError as exc:
        err.print(exc.line(lang), markup=False)
        code = 2
    except Exception as exc:  # a bug of ours is one line and exit 2, never a traceback
        err.print(f"summarize: E999 internal error ({type(exc).__name__}: {str(exc)[:160]})", markup=False)
        code = 2
    raise typer.Exit(code)


def _reports(files: List[Path], fmt: str, max_chars: Optional[int], model: Optional[Path], lang: str) -> int:
    from .. import api, summarize as summ
    from ..errors import NotFound

    if fmt not in FILE_FORMATS:
        err.print(f"--format for reports is one of {', '.join(FILE_FORMATS)}", markup=False)
        return 2
    generator = _generator(model)
    failed = 0
    for path in files:
        if not path.exists():
            err.print(NotFound(str(path)).line(lang), markup=False)
            failed += 1
            continue
        for outcome in api.check_many([path]):
            rec = api.record(outcome)
            if outcome.error is not None:
                failed += 1
                err.print(outcome.error.line(lang), markup=False)
                continue
            s = summ.report(rec, max_chars, generator=generator)
            if fmt == "json":
                sys.stdout.write(json.dumps({"path": outcome.name, **s}, ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(summ.render_text(s, outcome.name, lang) + "\n")
    return 2 if failed else 0


def _generator(model: Optional[Path]):
    """The abstractive backend when a model is named (option, else configs/ml.toml); None otherwise."""
    from ..nlp.ml_settings import MLSettings

    ml = MLSettings.resolve()
    folder = str(model) if model else ml.generate.model
    if not folder:
        return None
    from ..summarize.transformers_backend import Generator

    return Generator.load(folder, ml.generate)


def _corpus(db: Path, by: str, fmt: str, plot: Optional[str], output: Optional[Path]) -> int:
    from ..summarize import corpus, render
    from ..summarize.settings import SummarySettings

    if by not in corpus.BY:
        err.print(f"--by is one of {', '.join(corpus.BY)}", markup=False)
        return 2
    if fmt not in CORPUS_FORMATS:
        err.print(f"--format for a corpus is one of {', '.join(CORPUS_FORMATS)}", markup=False)
        return 2
    s = SummarySettings.resolve()
    summary = corpus.summarize(corpus.records_from_db(str(db)), by, s.corpus.top_unverified, s.corpus.mean_units)
    if plot is not None:
        return _plot(summary, plot, output, s.plot.fonts)
    if fmt == "json":
        sys.stdout.write(render.to_json(summary) + "\n")
    elif fmt == "csv":
        sys.stdout.write(render.to_csv(summary))
    else:
        render.to_table(summary, Console())
    return 0


def _plot(summary, indicator: str, output: Optional[Path], fonts) -> int:
    from ..summarize import corpus, plot

    if output is None:
        err.print("--plot needs -o FILE.png", markup=False)
        return 2
    row = corpus.plot_series(summary, indicator)
    if row is None or not row["by_year"]:
        err.print(f"no indicator named {indicator!r} with yearly values in the corpus", markup=False)
        return 2
    warning = plot.draw(row, output, fonts)
    if warning:
        err.print(f"warning: {warning}", markup=False)
    err.print(f"{output}: {row['indicator']} ({row['unit'] or '—'}), {len(row['by_year'])} years", markup=False)
    return 0
