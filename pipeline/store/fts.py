"""Chinese full-text search on SQLite FTS5, tokenised here rather than by SQLite.

FTS5's tokenizers split on spaces: ``unicode61`` keeps a run of Chinese as one
token (农业农村局 is one word, 农业 never matches it) and ``trigram`` cannot
match a query under three characters (提案, 培训). SQLite takes no Python
tokenizer, so each text is stored pre-split in one column, ``grams``, that
unicode61 then splits on the spaces we put in: at every character of a Chinese
run, the pair starting there (the run's last character alone), and Latin or
digit runs as words. 农业农村局 is 农业 业农 农村 村局 局: one token per
character, each character the start of exactly one token.

A query is split the same way into a phrase (consecutive tokens), so a phrase
match is a substring match. Its last Chinese run may end inside a longer run of
the text, so the run's own last character is left out (农业 is the phrase
"农业", and matches 农业农村局), or, when the run is that one character, it is
a prefix (局 is "局" *: any token starting with 局).
"""
from __future__ import annotations

import operator
import re
import unicodedata

# a run of CJK ideographs, or a run of letters/digits (full-width folded by NFKC first)
_RUNS = re.compile(r"""
    (?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)   # Chinese characters
  | (?P<word>[0-9A-Za-z]+(?:\.[0-9]+)?)                  # a Latin word or a number (12.5 stays whole)
""", re.VERBOSE)


def _runs(text: str) -> list[tuple[str, str]]:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return [(m.lastgroup or "", m.group()) for m in _RUNS.finditer(text)]


def grams(text: str) -> list[str]:
    """The tokens of a text as stored: per Chinese run the pair at each character (the last one
    alone), Latin/digit runs whole."""
    return _grams(_runs(text))


def _grams(runs: list[tuple[str, str]]) -> list[str]:
    out: list[str] = []
    for kind, run in runs:
        out.extend([run[i:i + 2] for i in range(len(run))] if kind == "han" else [run])
    return out


def columns(text: str) -> tuple[str]:
    """The stored columns of one text, (" ".join(grams(text)),), built a run at a time (every text
    of every report goes through here)."""
    out: list[str] = []
    for han, word in _RUNS.findall(unicodedata.normalize("NFKC", text or "").lower()):  # as `_runs` reads them
        if han:
            out.append(" ".join(map(operator.add, han, han[1:] + " ")).rstrip())  # 农业局 -> 农业 业局 局
        else:
            out.append(word)
    return (" ".join(out),)


def _phrase(runs: list[tuple[str, str]]) -> str:
    """One query term (its runs) as a phrase of `grams`, its last Chinese run ending anywhere in a text's run."""
    tokens = _grams(runs)
    kind, last = runs[-1]
    prefix = kind == "han" and len(last) == 1
    if kind == "han" and len(last) > 1:
        tokens = tokens[:-1]  # the last character alone: the text may go on (农业 in 农业农村局)
    # tokens hold only letters, digits and ideographs (the regex above), so quoting is enough
    return '"' + " ".join(tokens) + '"' + (" *" if prefix else "")


def query(text: str) -> str:
    """An FTS5 MATCH expression: every whitespace-separated term of the query as a phrase, all
    required; "" when the query holds nothing searchable (punctuation only)."""
    return " AND ".join(_phrase(runs) for runs in map(_runs, text.split()) if runs)
