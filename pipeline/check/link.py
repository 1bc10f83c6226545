"""Which narrative claims talk about which indicator: by the meaning of the
subject (shared words, synonyms from configs/synonyms.toml), never by the
number. A strong link can contradict an indicator; a weak one can only
support it (as a listed part, or when its figure agrees).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import config
from ..model import Claim, Indicator
from ..nlp import segment

_PUNCT = re.compile(r"^[\W_\d]+$")


@dataclass(frozen=True)
class Link:
    claim: Claim
    share: float
    strong: bool


@lru_cache(maxsize=4096)
def core_words(name: str) -> tuple[str, ...]:
    """An indicator name's content words: 召开学习会议次数 -> (学习, 会议)."""
    lex = config.lexicon()
    syn = config.synonyms()
    base = re.sub(r"[(（][^()（）]*[)）]", "", name)
    for s in lex.suffixes:
        if base.endswith(s) and len(base) > len(s) + 1:
            base = base[: -len(s)]
            break
    else:
        # 体检人次, 接种剂次: a trailing measure word names the unit, not the thing
        for unit in config.units().all_units:
            if len(unit) > 1 and base.endswith(unit) and len(base) > len(unit) + 1:
                base = base[: -len(unit)]
                break
    out = []
    for w in segment.cut(base):
        if _PUNCT.match(w) or w in lex.generic or (len(w) == 1 and w not in syn):
            continue
        if not out and w in lex.leading:
            continue  # 收集反馈意见建议: the verb says nothing about what is counted
        out.append(w)
    return tuple(dict.fromkeys(out))


def word_match(a: str, b: str) -> bool:
    """Same word, synonyms, or one holds the other (会议 in 主席会议)."""
    if a == b:
        return True
    if len(a) >= 2 and len(b) >= 2 and (a in b or b in a):
        return True
    syn = config.synonyms()
    sa, sb = syn.get(a), syn.get(b)
    if sa and b in sa:
        return True
    if sa and sb and sa & sb:
        return True
    # a synonym held inside the other word (讲堂 ~ 大讲堂 inside 委员大讲堂)
    if sa and any(len(s) >= 2 and s in b for s in sa):
        return True
    return bool(sb and any(len(s) >= 2 and s in a for s in sb))


@lru_cache(maxsize=8192)
def phrase_synonyms(name: str, subject: str) -> frozenset[str]:
    """Core words of `name` covered by a synonym found in `subject`, whatever the segmentation:
    建成老年食堂数量 and 长者饭堂 share a meaning though jieba cuts 老年/食堂."""
    groups = config.synonym_groups()
    out = set()
    for group in groups:
        mine = [w for w in group if len(w) >= 2 and w in name]
        if not mine or not any(len(w) >= 2 and w in subject for w in group):
            continue
        for w in core_words(name):
            if any(w in m or m in w for m in mine):
                out.add(w)
    return frozenset(out)


def _bigrams(words) -> set[str]:
    return {w[i:i + 2] for w in words for i in range(len(w) - 1)}


def link(ind: Indicator, claim: Claim, common: frozenset[str] = frozenset()) -> Link:
    """How strongly a claim's subject matches the indicator's name: strong when
    its own words hold at least `strong_share` of the name's content (weighted
    by length, so the long specific words count most); weak when any word (or,
    failing that, two characters) is shared.

    Words a part inherits from its total (其中) count for a weak link only.
    `common` holds words that run through the whole report (政协 in a 政协
    report): they may support a link but never make it strong on their own.
    """
    core = core_words(ind.name)
    every = claim.words + claim.context
    if not core or not every:
        return Link(claim, 0.0, False)
    total = sum(len(w) for w in core)
    phrase = phrase_synonyms(ind.name, "".join(every))
    hit = [w for w in core if w in phrase or any(word_match(w, x) for x in every)]
    if not hit:
        shared = _bigrams(core) & _bigrams(every)
        shared -= _bigrams(w for w in common)
        return Link(claim, 0.25 if shared else 0.0, False)
    share = sum(len(w) for w in hit) / total
    own_phrase = phrase_synonyms(ind.name, "".join(claim.words))
    own = [w for w in core if w in own_phrase or any(word_match(w, x) for x in claim.words)]
    own_share = sum(len(w) for w in own) / total
    specific = [w for w in own if w not in common]
    strong = bool(specific) and own_share >= config.rules().link.strong_share
    return Link(claim, share, strong)


def common_words(texts: list[str], names: list[str]) -> frozenset[str]:
    """Words of indicator names found in most narrative sections: they say who, not what."""
    if len(texts) < 3:
        return frozenset()
    out = set()
    for name in names:
        for w in core_words(name):
            n = sum(1 for t in texts if w in t)
            if n >= 3 and n / len(texts) >= 0.6:
                out.add(w)
    return frozenset(out)
