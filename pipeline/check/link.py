"""Which narrative claims talk about which indicator: by the meaning of the
subject (shared words, synonyms from configs/synonyms.toml), never by the
number. A strong link can contradict an indicator; a weak one can only
support it (as a listed part, or when its figure agrees).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Claim, Indicator
from ..nlp import segment

_PUNCT = re.compile(r"^[\W_\d]+$")
# a rate's or a degree's name (合格率, 满意度): its last content word names what is measured
_RATE_NAME = re.compile(r"[率度][)）]?$")


@dataclass(frozen=True)
class Link:
    claim: Claim
    share: float
    strong: bool


class Linker:
    """Links claims to indicators with the lexicon, synonyms and thresholds of one Settings.

    Word lists per indicator name are cached on the linker, which lives as long
    as its settings (`Linker.of`), never in a global cache.
    """

    def __init__(self, settings) -> None:
        self.lex = settings.lexicon
        self.syn = settings.synonyms
        self.groups = settings.synonym_groups
        self.units = settings.units.all_units
        self.rules = settings.rules.link
        self._core: dict[str, tuple[str, ...]] = {}
        self._phrase: dict[tuple[str, str], frozenset[str]] = {}

    @classmethod
    def of(cls, settings) -> "Linker":
        return settings.memo("check.linker", lambda: cls(settings))

    def core_words(self, name: str) -> tuple[str, ...]:
        """An indicator name's content words: 召开学习会议次数 -> (学习, 会议)."""
        if name not in self._core:
            self._core[name] = self._core_words(name)
        return self._core[name]

    def _core_words(self, name: str) -> tuple[str, ...]:
        lex, syn = self.lex, self.syn
        base = re.sub(r"[(（][^()（）]*[)）]", "", name)
        for s in lex.suffixes:
            if base.endswith(s) and len(base) > len(s) + 1:
                base = base[: -len(s)]
                break
        else:
            # 体检人次, 接种剂次: a trailing measure word names the unit, not the thing
            for unit in self.units:
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

    def word_match(self, a: str, b: str) -> bool:
        """Same word, synonyms, or one holds the other (会议 in 主席会议)."""
        if a == b:
            return True
        if len(a) >= 2 and len(b) >= 2 and (a in b or b in a):
            return True
        sa, sb = self.syn.get(a), self.syn.get(b)
        if sa and b in sa:
            return True
        if sa and sb and sa & sb:
            return True
        # a synonym held inside the other word (讲堂 ~ 大讲堂 inside 委员大讲堂)
        if sa and any(len(s) >= 2 and s in b for s in sa):
            return True
        return bool(sb and any(len(s) >= 2 and s in a for s in sb))

    def phrase_synonyms(self, name: str, subject: str) -> frozenset[str]:
        """Core words of `name` covered by a synonym found in `subject`, whatever the segmentation:
        建成老年食堂数量 and 长者饭堂 share a meaning though jieba cuts 老年/食堂."""
        key = (name, subject)
        if key not in self._phrase:
            out = set()
            for group in self.groups:
                mine = [w for w in group if len(w) >= 2 and w in name]
                if not mine or not any(len(w) >= 2 and w in subject for w in group):
                    continue
                for w in self.core_words(name):
                    if any(w in m or m in w for m in mine):
                        out.add(w)
            self._phrase[key] = frozenset(out)
        return self._phrase[key]

    def link(self, ind: Indicator, claim: Claim, common: frozenset[str] = frozenset()) -> Link:
        """How strongly a claim's subject matches the indicator's name: strong when
        its own words hold at least `strong_share` of the name's content (weighted
        by length, so the long specific words count most); weak when any word (or,
        failing that, two characters) is shared.

        Words a part inherits from its total (其中) count for a weak link only.
        `common` holds words that run through the whole report (政协 in a 政协
        report): they may support a link but never make it strong on their own.
        """
        core = self.core_words(ind.name)
        every = claim.words + claim.context
        if not core or not every:
            return Link(claim, 0.0, False)
        total = sum(len(w) for w in core)
        phrase = self.phrase_synonyms(ind.name, "".join(every))
        hit = [w for w in core if w in phrase or any(self.word_match(w, x) for x in every)]
        if not hit:
            shared = _bigrams(core) & _bigrams(every)
            shared -= _bigrams(w for w in common)
            return Link(claim, self.rules.bigram_share if shared else 0.0, False)
        share = sum(len(w) for w in hit) / total
        own_phrase = self.phrase_synonyms(ind.name, "".join(claim.words))
        own = [w for w in core if w in own_phrase or any(self.word_match(w, x) for x in claim.words)]
        own_share = sum(len(w) for w in own) / total
        specific = [w for w in own if w not in common]
        strong = bool(specific) and own_share >= self.rules.strong_share and not _one_of_list(claim.subject, own)
        if strong and len(core) >= 2 and _RATE_NAME.search(ind.name) and core[-1] not in own:
            # 报告按时上报率 and 检测报告合格率 share 报告, not what is measured: 上报 against 合格
            strong = False
        return Link(claim, share, strong)

    def common_words(self, texts: list[str], names: list[str]) -> frozenset[str]:
        """Words of indicator names found in most narrative sections: they say who, not what."""
        need = self.rules.common_min_sections
        if len(texts) < need:
            return frozenset()
        out = set()
        for name in names:
            for w in self.core_words(name):
                n = sum(1 for t in texts if w in t)
                if n >= need and n / len(texts) >= self.rules.common_share:
                    out.add(w)
        return frozenset(out)


def _one_of_list(subject: str, hit: list[str]) -> bool:
    """培训、宣传、调研活动20次 names three things: matching one member of the list is not naming
    the same thing, so such a link may support an indicator but never contradict it."""
    members = [m for m in subject.split("、") if m.strip()]
    if len(members) < 2:
        return False
    covered = [m for m in members if any(w in m or m in w for w in hit)]
    return len(covered) < len(members)


def _bigrams(words) -> set[str]:
    return {w[i:i + 2] for w in words for i in range(len(w) - 1)}
