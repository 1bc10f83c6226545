"""Chinese full-text search on SQLite FTS5, tokenised here rather than by SQLite.

FTS5's tokenizers split on spaces: ``unicode61`` keeps a run of Chinese as one
token (农业农村局 is one word, 农业 never matches it) and ``trigram`` cannot
match a query under three characters (提案, 培训). SQLite takes no Python
tokenizer, so each text is stored pre-split in two columns that unicode61
then splits on the spaces we put in:

- ``uni``: every Chinese character alone, Latin/digit runs as words;
- ``bi``: overlapping character pairs of each Chinese run (a run of one
  character as itself), Latin/digit runs as words.

A query is transformed the same way into a phrase (consecutive tokens), so a
phrase match is a substring match: 农业 is the one-token phrase "农业" in ``bi``
and matches 农业农村局; 提 alone is "提" in ``uni``. Pairs keep posting lists
short for the common case of two or more characters.
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


def unigrams(text: str) -> list[str]:
    out: list[str] = []
    for kind, run in _runs(text):
        out.extend(run if kind == "han" else [run])
    return out


def bigrams(text: str) -> list[str]:
    out: list[str] = []
    for kind, run in _runs(text):
        if kind == "han" and len(run) > 1:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def columns(text: str) -> tuple[str, str]:
    """The two stored columns of one text: " ".join(unigrams(text)), " ".join(bigrams(text)),
    built a run at a time (every text of every report goes through here)."""
    uni: list[str] = []
    bi: list[str] = []
    for han, word in _RUNS.findall(unicodedata.normalize("NFKC", text or "").lower()):  # as `_runs` reads them
        if han:
            uni.append(" ".join(han))
            bi.append(" ".join(map(operator.add, han[:-1], han[1:])) if len(han) > 1 else han)
        else:
            uni.append(word)
            bi.append(word)
    return " ".join(uni), " ".join(bi)


def _phrase(tokens: list[str]) -> str:
    # tokens hold only letters, digits and ideographs (the regex above), so quoting is enough
    return '"' + " ".join(tokens) + '"'


def query(text: str) -> str:
    """An FTS5 MATCH expression: every whitespace-separated term of the query, as a phrase, all required.

    A term whose Chinese runs are all two characters or longer is looked up in
    ``bi``; one with a single Chinese character in ``uni``. Returns "" when the
    query holds nothing searchable (punctuation only).
    """
    parts = []
    for term in text.split():
        runs = _runs(term)
        if not runs:
            continue
        if all(kind != "han" or len(run) > 1 for kind, run in runs):
            parts.append("bi : " + _phrase(bigrams(term)))
        else:
            parts.append("uni : " + _phrase(unigrams(term)))
    return " AND ".join(parts)
