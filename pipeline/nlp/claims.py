"""Quantity claims in a narrative section: what is counted, how many, where.

A claim is a figure with a unit or measure word (1次, 230多条, 47.7万元, 100%)
that the narrative states as an output or amount. Dates, ordinals (九届二次),
names (二十大, 八项规定), slogans in quotes and list numbering are not claims.

The subject is found from the words around the figure: the phrase before it
(全体会议1次, 执行数为47.7万元), or the noun phrase after the measure word when
a verb of doing or nothing precedes it (设立十个“工作室”, 其中9件提案).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional

from ..model import Claim, Section
from ..quantity import Match, scanner
from . import segment

STRONG = set("。;；,，:：!！?？\n")
SENTENCE = set("。;；!！?？\n")
_LIST_NO = re.compile(r"^\s*(?:\d{1,2}\s*[.、)]|[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*、|[①-⑳])\s*")
_ITEM = re.compile(r"(?:^|(?<=[。;；:：\n]))\s{0,16}(?:\d{1,2}\s*[.、](?!\d)|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[①-⑳])")  # \s bounded: linear on newline runs
_QUOTE = re.compile(r"“([^“”]{1,30})”|《([^《》]{1,30})》|「([^「」]{1,30})」")
# a date opening a subject (2023年年初预算, 1-6月) says when, not what
_DATE_LEAD = re.compile(r"(?:\d{4}\s*年度?|[一二三四]季度|上半年|下半年|全年)(?:\d{1,2}\s*[-至到~]\s*\d{1,2}\s*月|\d{1,2}\s*月(?:\d{1,2}\s*日)?)?(?:以来|期间|内)?|\d{1,2}\s*[-至到~]\s*\d{1,2}\s*月")
_TRAIL_NOTE = re.compile(r"[(（][^()（）]{1,20}[)）]$")
_PUNCT_WORD = re.compile(r"^[\W_]+$")
_DIGITS = re.compile(r"\d")
QUOTE_OPEN = "“《「\"'"
# measure words that count things (个, 所, 名 …) rather than events (次, 场) or amounts
NOMINAL = {"orgs", "items", "people", "physical", "generic"}


@dataclass
class _Ctx:
    text: str
    words: list[tuple[str, int, int]]
    starts: list[int]
    ends: set[int]
    begins: set[int]
    names: list[tuple[int, int]]
    settings: object = None

    @property
    def lex(self):
        return self.settings.lexicon


def _context(doc, settings) -> _Ctx:
    """Word offsets come from the spaCy Doc, so claims and spans share one segmentation."""
    text = doc.text
    ws = [(t.text, t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]
    names = [(m.start(), m.end()) for m in _names_pattern(settings).finditer(text)] if text else []
    return _Ctx(text, ws, [w[1] for w in ws], {w[2] for w in ws}, {w[1] for w in ws}, names, settings)


def _names_pattern(settings) -> re.Pattern:
    """Every name of the lexicon (二十大, 八项规定) in one alternation, longest first."""
    def build() -> re.Pattern:
        names = settings.lexicon.names
        return re.compile("|".join(re.escape(n) for n in names)) if names else re.compile(r"(?!x)x")
    return settings.memo("claims.names", build)


def _word_at(ctx: _Ctx, pos: int) -> Optional[tuple[str, int, int]]:
    i = bisect.bisect_right(ctx.starts, pos) - 1
    return ctx.words[i] if i >= 0 else None


def _word_before(ctx: _Ctx, pos: int) -> str:
    """The word that ends at `pos` (skipping spaces)."""
    while pos > 0 and ctx.text[pos - 1] == " ":
        pos -= 1
    w = _word_at(ctx, pos - 1) if pos > 0 else None
    return w[0] if w and w[2] == pos else ""


def sentences(text: str) -> list[int]:
    """Sentence index of every character."""
    out, k = [], 0
    for ch in text:
        out.append(k)
        if ch in SENTENCE:
            k += 1
    return out


def items(text: str) -> list[int]:
    """List-item index of every character (1. 2. / 1、 / （一）)."""
    marks = [m.start() for m in _ITEM.finditer(text)]
    out, k, j = [], 0, 0
    for i in range(len(text)):
        while j < len(marks) and marks[j] <= i:
            k += 1
            j += 1
        out.append(k)
    return out


def _is_decoy(ctx: _Ctx, m: Match, clause: int) -> bool:
    t, lex = ctx.text, ctx.lex
    if any(s < m.end and m.num_start < e for s, e in ctx.names):
        return True
    if any(f in t[clause:m.start] for f in lex.frequency):
        return True  # 每季度召开1次例会: a schedule, not an output
    before = t[max(0, m.start - 3):m.start]
    if any(before.endswith(o) for o in lex.ordinal_before):
        return True
    if m.unit == "分" and before[-1:] in ("时", "点", ":"):
        return True
    if m.start > 0 and t[m.start - 1] in QUOTE_OPEN and m.chinese:
        return True
    if m.chinese:
        w = _word_at(ctx, m.num_start)
        if w and w[1] < m.num_start and not m.prefix:
            return True  # 统一, 进一步: the numeral is inside another word
        last = _word_at(ctx, m.end - 1)
        if last and last[2] > m.end and not _DIGITS.search(last[0]):
            return True  # 一次性: the measure word runs on into another word
        if m.value == 1 and t[m.num_start] == "一" and m.end < len(t) and t[m.end] not in STRONG | {"、"}:
            prev = _word_before(ctx, m.start)
            if prev not in lex.object_verbs and prev not in lex.total and prev not in lex.subset:
                return True  # 是一次团结的大会: an article, not a count (学习一次。 is a count)
    return False


def _strip_leading(ctx: _Ctx, start: int, end: int, keep_verbs: bool) -> int:
    """Drop list numbering, markers (共, 其中) and, unless `keep_verbs`, verbs of doing
    (开展, 收集) from the front of a subject."""
    lex = ctx.lex
    t = ctx.text
    changed = True
    while changed and start < end:
        changed = False
        while start < end and t[start] in " 、,，;；:：":
            start += 1
            changed = True
        m = _LIST_NO.match(t, start, end) or _DATE_LEAD.match(t, start, end)
        if m and m.end() > start:
            start = m.end()
            changed = True
        words = lex.total + lex.subset if keep_verbs else lex.leading
        for w in words:
            stop = start + len(w)
            if stop <= end and t.startswith(w, start) and (stop in ctx.begins or stop == end):
                start = stop
                changed = True
                break
    return start


def _after_last_verb(ctx: _Ctx, start: int, end: int) -> int:
    """Where the counted thing begins: after the last verb of doing, when a noun follows it."""
    lex = ctx.lex
    i = bisect.bisect_left(ctx.starts, start)
    last = start
    while i < len(ctx.words) and ctx.words[i][2] <= end:
        if ctx.words[i][0] in lex.object_verbs and end - ctx.words[i][2] >= 3:
            last = ctx.words[i][2]
        i += 1
    return last


def _strip_trailing(ctx: _Ctx, start: int, end: int) -> int:
    lex = ctx.lex
    t = ctx.text
    changed = True
    while changed and end > start:
        changed = False
        while end > start and t[end - 1] in " 、,，:：":
            end -= 1
            changed = True
        m = _TRAIL_NOTE.search(t[start:end])
        if m and m.start() > 0:
            end = start + m.start()
            changed = True
        for w in lex.trailing:
            if end - len(w) >= start and t.endswith(w, 0, end) and (end - len(w)) in ctx.begins:
                end -= len(w)
                changed = True
                break
    return end


def _noun_after(ctx: _Ctx, pos: int, limit: int) -> tuple[int, int]:
    """The noun phrase right after a measure word: (start, end), empty when there is none."""
    t = ctx.text
    if pos < limit and t[pos] in "“《「\"":
        close = {"“": "”", "《": "》", "「": "」", '"': '"'}[t[pos]]
        j = t.find(close, pos + 1, min(limit, pos + 32))
        if j > pos + 1:
            return pos + 1, j
    lex = ctx.lex
    end = pos
    count = 0
    i = bisect.bisect_left(ctx.starts, pos)
    while i < len(ctx.words) and count < 5:
        w, s, e = ctx.words[i]
        if s != end or e > limit or w in lex.stop_after or _PUNCT_WORD.match(w) or _DIGITS.search(w):
            break
        if any(c in "零〇一二两三四五六七八九十百千万" for c in w[:1]) and len(w) <= 3:
            break
        end = e
        count += 1
        i += 1
        if end - pos >= 14:
            break
    return pos, end


def _content_words(ctx: _Ctx, start: int, end: int) -> tuple[str, ...]:
    """The words of text[start:end] that say what is counted (no punctuation, figures, generic words)."""
    lex = ctx.lex
    syn = ctx.settings.synonyms
    out = []
    i = bisect.bisect_left(ctx.starts, start)
    while i < len(ctx.words) and ctx.words[i][1] < end:
        w, s, e = ctx.words[i]
        i += 1
        w = ctx.text[max(s, start):min(e, end)]
        if _PUNCT_WORD.match(w) or _DIGITS.search(w) or w in lex.generic or (len(w) == 1 and w not in syn):
            continue
        out.append(w)
    return tuple(out)


def _has_word(ctx: _Ctx, start: int, end: int, vocab) -> bool:
    """Is one of `vocab` a whole word between start and end (so 公共 does not read as 共)?"""
    i = bisect.bisect_left(ctx.starts, start)
    while i < len(ctx.words) and ctx.words[i][2] <= end:
        if ctx.words[i][0] in vocab:
            return True
        i += 1
    return False


def has_figures(text: str) -> bool:
    return bool(text) and bool(_DIGITS.search(text) or re.search(r"[一二两三四五六七八九十百千万]", text))


def extract(section: Section, settings, first_id: int = 1):
    """Claims of one section in text order, numbered C{first_id}, C{first_id+1} …,
    and the section as a spaCy Doc holding them in doc.spans["claims"]."""
    text = section.text
    doc = segment.nlp()(text)
    if not has_figures(text):
        doc.spans["claims"] = []
        return [], doc
    ex = _Extractor(_context(doc, settings), section.name, first_id)
    for m in _quantities(text, settings):
        clause = _clause_start(text, m.start)
        if m.unit is None or _is_decoy(ex.ctx, m, clause):
            continue
        ex.add(m, clause)
    _attach(doc, ex.out)
    return ex.out, doc


def _quantities(text: str, settings):
    """The scanner's quantities, each read without an approximation prefix that belongs to a word
    (签约3.1万人, 附近3个)."""
    sc = scanner(settings)
    not_prefix = settings.quantifiers.not_prefix.get("words", ())
    for m in sc.scan(text):
        if m.prefix and any(text.endswith(w, 0, m.start + len(m.prefix)) for w in not_prefix):
            m = sc.without_prefix(text, m)
            if m is None:
                continue
        yield m


def _clause_start(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1] not in STRONG:
        pos -= 1
    return pos


class _Extractor:
    """Claims of one section, built in text order: each step reads the claims before it
    (the total a 其中 part belongs to, the subject a glued figure repeats)."""

    def __init__(self, ctx: _Ctx, section: str, first_id: int) -> None:
        self.ctx, self.section, self.first_id = ctx, section, first_id
        self.fam = ctx.settings.units.family_of
        self.sent, self.item = sentences(ctx.text), items(ctx.text)
        self.out: list[Claim] = []
        self.prev: Optional[tuple[Claim, Match, bool]] = None  # last claim, its match, whether its subject followed it
        self.parent: Optional[Claim] = None  # the total whose parts follow (其中 …)

    def add(self, m: Match, clause: int) -> None:
        ctx, text, lex = self.ctx, self.ctx.text, self.ctx.lex
        s_idx = self.sent[m.num_start]
        family = self.fam.get(m.unit)
        parent = self._parent(m, clause, s_idx, family)
        subject, words, span, after = self._subject(m, clause, family)
        context: tuple[str, ...] = ()
        role = None
        if parent is not None:
            role = "subset"
            context = tuple(w for w in parent.words + parent.context if w not in words)
        elif _has_word(ctx, clause, m.start, lex.total):
            role = "total"
        exhaustive = parent is not None and any(k in text[parent.span[1]:m.start] for k in lex.exhaustive)
        claim = Claim(
            id=f"C{self.first_id + len(self.out)}", section=self.section, text=text[span[0]:span[1]],
            subject=subject, value=m.value, unit=m.unit, span=span, range=m.range, approx=m.approx,
            decimals=m.decimals, sentence=s_idx, item=self.item[m.num_start], role=role,
            parent=parent.id if parent is not None else None, exhaustive=exhaustive, words=words,
            context=context, number_span=(m.num_start, m.end),
        )
        if family in NOMINAL:
            claim.members = _listed(text, span[1] if not after else m.end)
        self.out.append(claim)
        self.prev = (claim, m, after)

    def _parent(self, m: Match, clause: int, s_idx: int, family: Optional[str]) -> Optional[Claim]:
        """The total this figure is a part of: 其中 opens the parts of the claim before it,
        until the sentence ends; a part counts in the total's unit family."""
        ctx, lex = self.ctx, self.ctx.lex
        opens = _has_word(ctx, clause, m.start, lex.subset)
        if self.parent is not None and self.parent.sentence < s_idx and not opens:
            self.parent = None
        if opens:
            self.parent = next((c for c in reversed(self.out) if c.role != "subset" and self.fam.get(c.unit) == family
                                and c.sentence >= s_idx - 1), self.parent)
        if self.parent is not None and self.fam.get(self.parent.unit) == family:
            return self.parent
        return None

    def _subject(self, m: Match, clause: int, family: Optional[str]):
        """(subject, its content words, the claim's span, whether the subject follows the figure)."""
        ctx, text, prev = self.ctx, self.ctx.text, self.prev
        subject, sub, span, after = _subject(ctx, m, clause, prev, family)
        words = _content_words(ctx, *sub) if sub[1] > sub[0] else ()
        if not after and not family == "percent":
            # 各专委会组织召开委员企业座谈会 -> 委员企业座谈会; the words before still link it
            cut = _after_last_verb(ctx, sub[0], sub[1])
            subject = text[cut:sub[1]]
            if cut > span[0]:
                span = (cut, span[1])
        if not subject and prev is not None and prev[1].end == m.start:
            # 5612户8935人: a figure glued to the one before counts the same subject
            subject, words = prev[0].subject, prev[0].words
        return subject, words, span, after


def _subject(ctx: _Ctx, m: Match, clause: int, prev, family: Optional[str]):
    """(subject, its offsets, the claim's span, whether the subject follows the figure)."""
    text, lex = ctx.text, ctx.lex
    left0 = max(clause, prev[0].span[1]) if prev else clause
    percent = family == "percent"
    money_like = family in ("money", "percent", "score")
    ls = _strip_leading(ctx, left0, m.start, keep_verbs=percent)
    le = _strip_trailing(ctx, ls, m.start)
    if le <= ls and money_like and prev and prev[2] and prev[1].end >= clause:
        # 127所中小学课后服务覆盖率达到100%: the rate belongs to the phrase the count opened
        ls = _strip_leading(ctx, prev[1].end, m.start, keep_verbs=True)
        le = _strip_trailing(ctx, ls, m.start)
    limit = m.end
    while limit < len(text) and text[limit] not in STRONG:
        limit += 1
    na, nb = _noun_after(ctx, m.end, limit)
    # 改扩建7所学校, 12个专委会: a measure word for things, directly followed by a noun, counts that noun
    nominal = family in NOMINAL and nb > na and text[m.end:m.end + 1] not in "、，,"
    after = nb > na and not money_like and (le <= ls or nominal or _word_before(ctx, m.start) in lex.object_verbs)
    if after:
        close = 1 if nb < len(text) and text[nb] in "”》」\"" else 0
        return text[na:nb], (na, nb), (m.start, nb + close), True
    if le <= ls:  # nothing but a verb before the figure and no noun after: keep the verb
        ls = _strip_leading(ctx, left0, m.start, keep_verbs=True)
        le = _strip_trailing(ctx, ls, m.start)
    if le - ls > 20:  # keep the words nearest the figure
        cut = le - 20
        while cut < le and (cut not in ctx.begins or text[cut] in "、,，"):
            cut += 1
        ls = cut
    return text[ls:le], (ls, le), (ls if le > ls else m.start, m.end), False


_LIST_INTRO = re.compile(r"[,，]?(?:\s{0,8}+(?:分别是|分别为|包括|即))?\s{0,8}+[:：]\s*|[,，]\s*(?:分别是|分别为|包括|即)\s*")  # bounded: linear
_LIST_END = re.compile(r"[。；;\n]")


def _listed(text: str, pos: int) -> Optional[int]:
    """How many names a count lists right after itself (下设事业单位8个：A、B、C和D。), or None.

    Only a plain list counts: two or more short names, not closed by 等 (等单位 is open-ended)."""
    m = _LIST_INTRO.match(text, pos)
    if not m:
        return None
    end = _LIST_END.search(text, m.end())
    body = text[m.end(): end.start() if end else len(text)].strip()
    if not body or body.endswith(("等", "等等")) or re.search(r"等[^、]{0,4}$", body):
        return None
    names = [x for x in re.split(r"、|和|及|与|以及", body) if x.strip()]
    if len(names) < 2 or any(len(x) > 24 or _DIGITS.search(x) for x in names):
        return None
    return len(names)


def _attach(doc, claims: list[Claim]) -> None:
    spans = []
    for c in claims:
        sp = doc.char_span(c.span[0], c.span[1], label=c.unit, alignment_mode="expand")
        if sp is not None:
            sp._.quantity = c
            spans.append(sp)
    doc.spans["claims"] = spans
