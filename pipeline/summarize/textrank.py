"""Extractive summary: TextRank over jieba-segmented sentences (Mihalcea & Tarau 2004).

Sentences are the units: each is kept whole and as written (list numbering
aside), so every figure it quotes stays exactly as the report wrote it; the
chosen ones are printed in document order, within a length the caller sets.
Only when no single sentence fits is the best one cut, at a clause break that
falls outside any number.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional, Sequence

from ..nlp import segment
from .settings import TextRankRules

# a sentence ends after 。！？；(full or half width); the closing quote or bracket stays with it
_END = re.compile(r"""
    [^。！？!?；;]*            # the sentence's body
    (?:[。！？!?；;]+          # its closing punctuation, repeated (？！)
       [”’」』)）]*            # and a closing quote or bracket right after it
    |$)                        # or the end of the text
""", re.VERBOSE)

# list numbering that opens a sentence: 1. / 2、 / （一） / 三、 / ①; never the 1. of 1.2万
_NUMBERING = re.compile(r"""
    ^\s*(?:
        \d{1,2}\s*[.．、](?!\d)            # 1.  2、  (not 1.2)
      | [(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]   # （一） (3)
      | [一二三四五六七八九十]{1,3}\s*、     # 三、
      | [①-⑳]
    )\s*
""", re.VERBOSE)

# a line break is a sentence break only before a numbered item or a heading-like line;
# elsewhere it is a wrapped line (text copied from a PDF) and the sentence goes on
# (an indent of a few spaces at most: an unbounded run after every line break would be quadratic)
_ITEM_AHEAD = re.compile(r"\n(?=[^\S\n]{0,8}(?:\d{1,2}\s*[.．、](?!\d)|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[①-⑳]))")

# a number as written: Arabic with decimals, thousands separators and %, or a run of Chinese numerals
NUMBER = re.compile(r"""
    \d+(?:[.,，]\d+)*%?                 # 1,380  9.8  100%
  | [〇零一二三四五六七八九十百千万亿两]{2,}   # 六千四百
""", re.VERBOSE)

# where a too-long sentence may be cut: at a clause mark, but never at the comma of 1,380
_CLAUSE = re.compile(r"""
    (?<!\d)[,，]      # a comma with no digit before it
  | [,，](?!\d)       # or with no digit after it
  | [、：:]
""", re.VERBOSE)

_REPEATED_STOP = re.compile(r"。{2,}")
_TRAILING = "；;，,：:、"
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Sentence:
    """One sentence of the narrative: its text as written and its place in the document."""

    text: str
    order: int
    section: str = ""


def split(text: str, section: str = "", start: int = 0) -> list[Sentence]:
    """The sentences of one section's text, numbering stripped, blank ones dropped."""
    out: list[Sentence] = []
    for part in _ITEM_AHEAD.split(text):
        for piece in _END.findall(part):
            piece = piece.replace("\n", "").strip()
            piece = _NUMBERING.sub("", piece).strip()
            if piece.strip("。！？!?；; "):
                out.append(Sentence(piece, start + len(out), section))
    return out


def strip_numbering(text: str) -> str:
    """Text without the list numbering that opens it (2. 区图书馆… -> 区图书馆…)."""
    return _NUMBERING.sub("", text).strip()


def sentences(sections: Iterable[tuple[str, str]]) -> list[Sentence]:
    """Every sentence of the (name, text) sections given, numbered in reading order."""
    out: list[Sentence] = []
    for name, text in sections:
        out.extend(split(text, name, len(out)))
    return out


def _words(text: str, rules: TextRankRules) -> frozenset[str]:
    """The content words of a sentence: two characters or more, no figures, no stopwords.

    Cut without jieba's HMM: a word missing from the dictionaries then falls apart
    into single characters, which are not counted anyway, and cutting is much faster.
    """
    return frozenset(w for w in _tokenizer().cut(text, HMM=False)
                     if len(w) >= 2 and w not in rules.stopwords and not NUMBER.fullmatch(w)
                     and any(ch.isalpha() for ch in w))


@lru_cache(maxsize=1)
def _tokenizer():
    return segment.tokenizer()


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    shared = len(a & b)
    if not shared:
        return 0.0
    return shared / (math.log(1 + len(a)) + math.log(1 + len(b)))


def rank(items: Sequence[Sentence], rules: TextRankRules) -> list[float]:
    """PageRank scores of the sentences over their word-overlap graph (weighted, undirected)."""
    n = len(items)
    if n == 0:
        return []
    bags = [_words(s.text, rules) for s in items]
    # the graph as neighbour lists: (j, weight of the edge j-i / all of j's weight)
    weights: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    out_sum = [0.0] * n
    for i in range(n):
        for j in range(i + 1, n):
            w = _similarity(bags[i], bags[j])
            if w:
                weights[i].append((j, w))
                weights[j].append((i, w))
                out_sum[i] += w
                out_sum[j] += w
    inbound = [[(j, w / out_sum[j]) for j, w in weights[i]] for i in range(n)]
    score = [1.0] * n
    d = rules.damping
    for _ in range(rules.iterations):
        new = [(1 - d) + d * sum(w * score[j] for j, w in inbound[i]) for i in range(n)]
        delta = max(abs(x - y) for x, y in zip(new, score))
        score = new
        if delta < rules.tolerance:
            break
    return score


def _closed(text: str) -> str:
    """A sentence printed on its own ends with 。 (not with the ；or ， it had inside a paragraph)."""
    text = _REPEATED_STOP.sub("。", text.rstrip(_TRAILING))
    return text if text and text[-1] in "。！？!?”’」』)）" else text + "。"


def _cut(text: str, limit: int) -> str:
    """The longest head of `text` that ends at a clause mark outside any number, plus …, within limit."""
    room = limit - len(_ELLIPSIS)
    if room <= 0:
        return ""
    best = 0
    for m in _CLAUSE.finditer(text):
        if m.start() <= room and not _inside_number(text, m.start()):
            best = m.start()
    if best == 0:
        # no clause mark early enough: cut between characters, never inside a figure
        best = room
        while best > 0 and _inside_number(text, best):
            best -= 1
    head = text[:best].rstrip(_TRAILING + " ")
    return head + _ELLIPSIS if head else ""


def _inside_number(text: str, pos: int) -> bool:
    """Whether cutting the text at `pos` would split a number (or start right in one)."""
    return any(m.start() < pos < m.end() for m in NUMBER.finditer(text))


def select(items: Sequence[Sentence], scores: Sequence[float], max_chars: int,
           min_sentence: int = 1) -> list[str]:
    """The best-ranked sentences that fit in max_chars together, printed in document order."""
    ranked = sorted(range(len(items)), key=lambda i: (-scores[i], items[i].order))
    chosen: list[int] = []
    used = 0
    for i in ranked:
        text = _closed(items[i].text)
        if len(items[i].text) < min_sentence and len(ranked) > 1:
            continue
        if used + len(text) <= max_chars:
            chosen.append(i)
            used += len(text)
    if not chosen and ranked:
        head = _cut(items[ranked[0]].text, max_chars)
        return [head] if head else []
    return [_closed(items[i].text) for i in sorted(chosen, key=lambda i: items[i].order)]


def summarize(sections: Iterable[tuple[str, str]], max_chars: int,
              rules: Optional[TextRankRules] = None) -> str:
    """An extractive summary of the (name, text) sections, at most max_chars characters."""
    if rules is None:
        from .settings import default
        rules = default().textrank
    items = sentences(sections)
    if not items:
        return ""
    whole = [_closed(s.text) for s in items]
    if sum(len(t) for t in whole) <= max_chars:
        return "".join(whole)  # everything fits: nothing to rank
    return "".join(select(items, rank(items, rules), max_chars, rules.min_sentence))
