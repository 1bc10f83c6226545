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
from functools import cached_property
from typing import Optional

from ..model import Claim, Section
from ..quantity import Match, scanner
from . import segment

STRONG = set("。;；,，:：!！?？\n")
SENTENCE = set("。;；!！?？\n")
# list numbering opening a subject (the leading run is bounded: a long space run stays linear)
_LIST_NO = re.compile(r"""
    \s{0,8}
    (?: \d{1,2}\s*[.、)]                          # 1.  2、  3)
      | [(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]   # （一） (2)
      | [一二三四五六七八九十]{1,3}\s*、              # 三、
      | [①-⑳]                                    # ①
    )\s*""", re.VERBOSE)
# where a numbered item begins: at the start or after a sentence or clause end
_ITEM = re.compile(r"""
    (?:^|(?<=[。;；:：\n]))
    \s{0,16}                                      # bounded: linear on newline runs
    (?: \d{1,2}\s*(?:[.](?!\d)|、)                # 1. (not 1.5)  2、
      | [(（][一二三四五六七八九十\d]{1,3}[)）]        # （三） (4)
      | [一二三四五六七八九十]{1,3}、                  # 五、
      | [①-⑳]
    )""", re.VERBOSE)
_QUOTE = re.compile(r"“([^“”]{1,30})”|《([^《》]{1,30})》|「([^「」]{1,30})」")
# a date opening a subject (2023年年初预算, 1-6月) says when, not what
_DATE_LEAD = re.compile(r"""
    (?: \d{4}\s*年度? | [一二三四]季度 | 上半年 | 下半年 | 全年 )   # 2023年度, 三季度, 全年
    (?: \d{1,2}\s*[-至到~]\s*\d{1,2}\s*月                       # … 1-6月
      | \d{1,2}\s*月(?:\d{1,2}\s*日)?                            # … 6月 / 6月30日
    )?
    (?:以来|期间|内)?                                             # … 以来
  | \d{1,2}\s*[-至到~]\s*\d{1,2}\s*月                            # 1至6月 on its own
    """, re.VERBOSE)
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

    in_rubric: Optional[bool] = None  # the report is a scoring rubric (None: as the text alone says)

    @cached_property
    def rubric(self) -> bool:
        """The text is a scoring rubric (两处 不得分, 扣完为止 …), or part of a report that is."""
        return self.in_rubric if self.in_rubric is not None else is_rubric(self.text, self.lex)


def is_rubric(text: str, lex) -> bool:
    """A scoring rubric's text (评分标准): at least two of its markers (不得分, 扣完为止), each
    counted once where one holds another."""
    pattern = lex.rubric_pattern
    return pattern is not None and len(pattern.findall(text)) >= 2


def _context(text: str, settings) -> _Ctx:
    """Word offsets are jieba's words, the spaCy Doc's tokens (`segment.words`), so claims and
    spans share one segmentation."""
    ws = segment.words(text)
    names = [(m.start(), m.end()) for m in _names_pattern(settings).finditer(text)] if text else []
    return _Ctx(text, ws, [w[1] for w in ws], {w[2] for w in ws}, {w[1] for w in ws}, names, settings)


def _names_pattern(settings) -> re.Pattern:
    """Every name of the lexicon (二十大, 八项规定) in one alternation, longest first."""
    def build() -> re.Pattern:
        names = settings.lexicon.names
        # (never right after a numeral: 万一 in 三万一千二百名 is inside the number)
        return (re.compile("(?<![零〇一二两三四五六七八九十百千万亿\\d])(?:" + "|".join(re.escape(n) for n in names) + ")")
                if names else re.compile(r"(?!x)x"))
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


def _is_decoy(ctx: _Ctx, m: Match, clause: int) -> Optional[str]:
    """Why a figure with a unit is no claim (name, instruction, frequency, ordinal, time, word), or None."""
    t, lex = ctx.text, ctx.lex
    if any(s < m.end and m.num_start < e for s, e in ctx.names):
        return "name"
    before = t[max(0, m.start - 3):m.start]
    if before.endswith(lex.furniture) or t.startswith(lex.furniture_after, m.num_end):
        return "name"  # 精选6篇, (8页珍藏版): the page's furniture
    if m.unit == "期" and t.startswith(lex.phase_after, m.end):
        return "name"  # 二期建设项目: a phase of the project
    if m.unit == "%" and m.value > ctx.settings.rules.claims.max_percent:
        return "table_cell"  # 309100%: a table's cells run together
    if t.startswith(lex.instruction, m.num_end):
        return "instruction"  # (200字以内): what the form asks of its filler
    money = m.unit in ctx.settings.units.money
    if any(f in t[clause:m.start] for f in lex.frequency) and not _standard_after(ctx, m) and not money:
        return "frequency"  # (每人每月200元 is a standard: a claim of kind standard)  # 每季度召开1次例会: a schedule, not an output
    if before.endswith(lex.ordinal_before):
        return "ordinal"
    if m.unit == "分" and (before[-1:] in ("时", "点") or (before[-1:] == ":" and before[-2:-1].isdigit())):
        return "time"  # 10时30分 (自评得分:95分 is a score)
    if m.unit == "分" and re.search(r"(?:指标|分值|权重)\s*[(（]$", t[max(0, m.start - 8):m.start]):
        return "weight"  # 产出指标(50分): a table heading's weight, not a score the narrative states
    if m.unit == "分":
        why = _rubric(ctx, m, clause)
        if why:
            return why
    if _after_times(t, m.start):
        return "formula"  # 预算执行率=(执行数/预算数)×100%: how a rate is worked out
    if m.start > 0 and t[m.start - 1] in QUOTE_OPEN and m.chinese:
        return "name"
    if m.chinese and m.num_end - m.num_start == 1 and t[m.num_start] in "百千万亿":
        return "word"  # 单位：万元 names the unit, it counts nothing
    if m.chinese:
        w = _word_at(ctx, m.num_start)
        if w and w[1] < m.num_start and not m.prefix:
            return "word"  # 统一, 进一步: the numeral is inside another word
        last = _word_at(ctx, m.end - 1)
        if last and last[2] > m.end and not _DIGITS.search(last[0]):
            return "word"  # 一次性: the measure word runs on into another word
        if m.value == 1 and t[m.num_start] == "一" and m.end < len(t) and t[m.end] not in STRONG | {"、"}:
            prev = _word_before(ctx, m.start)
            if prev not in lex.object_verbs and prev not in lex.total and prev not in lex.subset:
                return "word"  # 是一次团结的大会: an article, not a count (学习一次。 is a count)
    return None


# an opening bracket with no closing one after it, in the text before a figure
_OPEN_BRACKET = re.compile(r"[(（][^()（）]*$")
# a multiplication sign (and a space) right before a figure
_TIMES = re.compile(r"[×*]\s?$")


def _rubric(ctx: _Ctx, m: Match, clause: int) -> Optional[str]:
    """Why a 分 figure is a scoring rubric's, not a score earned: a weight in brackets (规划（15分）,
    是否真实（1分）, （2分，其中…1分…）), or a rule's points (扣0.5分; 若…，得2分)."""
    t, lex = ctx.text, ctx.lex
    sentence = _sentence_start(t, m.start)
    # the score a report earned, right after its label, is none of these (（自评得分95分）, 自评得分 90 分)
    scored = _SCORE_GLUE.sub("", t[max(clause, m.start - 12):m.start]).endswith(lex.score_labels)
    if not scored and _OPEN_BRACKET.search(t, max(sentence, m.start - 60), m.start):
        return "weight"
    head = t[max(clause, m.start - 4):m.start]
    if head.endswith(lex.rubric_deduct):
        return "rubric"
    if head.endswith(lex.rubric_award) and any(w in t[sentence:m.start] for w in lex.rubric_condition):
        return "rubric"  # 若单位无项目，得2分: a rule's points (因…未达标，得9分 is a score earned)
    if ctx.rubric and not scored:
        return "rubric"  # 1、单位财务管理制度 1 分; … 没有不得分
    return None


# what may stand between a score's label and its figure: spaces, 为, 是, a colon
_SCORE_GLUE = re.compile(r"(?:[\s:：]|为|是|达到|达){1,8}$")  # bounded: an open run before $ is quadratic


def _after_times(text: str, start: int) -> bool:
    return bool(_TIMES.search(text, max(0, start - 2), start))


def _standard_after(ctx: _Ctx, m: Match) -> bool:
    """4000元/人, 583元/人·月: the figure is a standard per person or per month."""
    return any(ctx.text.startswith(w, m.end) for w in ctx.lex.standard_after)


def _strip_leading(ctx: _Ctx, start: int, end: int, keep_verbs: bool) -> int:
    """Drop list numbering, markers (共, 其中) and, unless `keep_verbs`, verbs of doing
    (开展, 收集) from the front of a subject."""
    t = ctx.text
    changed = True
    while changed and start < end:
        changed = False
        while start < end and t[start] in " 、,，;；:：(（":
            start += 1
            changed = True
        m = _LIST_NO.match(t, start, end) or _DATE_LEAD.match(t, start, end)
        if m and m.end() > start:
            start = m.end()
            changed = True
        for w in _leading_words(ctx.settings, keep_verbs).get(t[start:start + 1], ()):
            stop = start + len(w)
            # (not when one character would be left: 督查员 is no 员)
            if (stop <= end and t.startswith(w, start) and (stop in ctx.begins or stop == end)
                    and len(t[stop:end].strip(" 、,，;；:：(（")) != 1):
                start = stop
                changed = True
                break
    return start


def _leading_words(settings, keep_verbs: bool) -> dict[str, tuple[str, ...]]:
    """The words `_strip_leading` drops (total and subset markers with `keep_verbs`, else every
    leading word), by their first character, each list in the lexicon's order."""
    def build() -> dict[str, tuple[str, ...]]:
        lex = settings.lexicon
        words = lex.total + lex.subset if keep_verbs else lex.leading
        out: dict[str, list[str]] = {}
        for w in words:
            if w:
                out.setdefault(w[0], []).append(w)
        return {k: tuple(v) for k, v in out.items()}
    return settings.memo(f"claims.leading.{keep_verbs}", build)


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
        for w in lex.trailing if t.endswith(lex.trailing, start, end) else ():
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
    rules = ctx.settings.rules.claims
    while i < len(ctx.words) and count < rules.noun_words:
        w, s, e = ctx.words[i]
        if s != end or e > limit or w in lex.stop_after or _PUNCT_WORD.match(w) or _DIGITS.search(w):
            break
        if any(c in "零〇一二两三四五六七八九十百千万" for c in w[:1]) and len(w) <= 3:
            break
        end = e
        count += 1
        i += 1
        if end - pos >= rules.noun_chars:
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


@dataclass
class Annotation:
    """One section read for claims: its text, its claims, and the census of its numbers
    ((start, end, "claim" or why it was set aside); None when the text holds no figure).

    `doc` is the section as a spaCy Doc with the claims in doc.spans["claims"] (each
    span's `_.quantity` its Claim) and the census in doc.user_data, built when asked for:
    the extraction itself needs jieba's words only."""

    text: str
    claims: list[Claim]
    census: Optional[list[tuple[int, int, str]]] = None

    @cached_property
    def doc(self):
        doc = segment.nlp()(self.text)
        _attach(doc, self.claims)
        if self.census is not None:
            doc.user_data["census"] = self.census
        return doc


def extract(section: Section, settings, first_id: int = 1):
    """Claims of one section in text order, numbered C{first_id}, C{first_id+1} …,
    and the section as a spaCy Doc holding them in doc.spans["claims"]."""
    found = annotate(section, settings, first_id)
    return found.claims, found.doc


def annotate(section: Section, settings, first_id: int = 1, rubric: Optional[bool] = None) -> Annotation:
    """`extract` without building the Doc (until `.doc` is read): what a check runs. `rubric`:
    the whole report is a scoring rubric (a rubric's items may be sections of their own)."""
    text = section.text
    if not has_figures(text):
        return Annotation(text, [])  # nothing to segment: no figure, no claim
    ctx = _context(text, settings)
    ctx.in_rubric = rubric
    ex = _Extractor(ctx, section.name, first_id)
    census: list[tuple[int, int, str]] = []  # every number: (start, end, claim | why it was set aside)
    for m in _quantities(text, settings):
        clause = _clause_start(text, m.start)
        if m.unit is None:
            m = _bare_money(ex.ctx, m, clause)
        if m.unit is None:
            census.append((m.num_start, m.end, census_reason(text, m)))
            continue
        why = _is_decoy(ex.ctx, m, clause)
        if why:
            census.append((m.num_start, m.end, why))
            continue
        ex.add(m, clause)
        census.append((m.num_start, m.end, "claim"))
    return Annotation(text, ex.out, census)


def _quantities(text: str, settings):
    """Every number the scanner finds, bare ones too (the census counts them), each read without
    an approximation prefix that belongs to a word (签约3.1万人, 附近3个) and without a list
    number glued to it (7.21个司法所 after item 6. is item 7: 21个)."""
    sc = scanner(settings)
    not_prefix = settings.quantifiers.not_prefix.get("words", ())
    for m in _unwrapped(text, sc.scan(text, allow_bare=True)):
        if m.prefix and any(text.endswith(w, 0, m.start + len(m.prefix)) for w in not_prefix):
            m = sc.without_prefix(text, m)
            if m is None:
                continue
        glued = _glued_item(text, m)
        if glued:
            m = _rescan(sc, text, glued, m.end) or m
        yield m


# a PDF line wrap inside a figure: 35. 3万元
_WRAP = re.compile(r"[.．][ \t]{1,2}$")


def _unwrapped(text: str, found: list[Match]):
    """Matches with a figure a PDF export broke at its decimal point (35. 3万元) read whole."""
    k = 0
    while k < len(found):
        m = found[k]
        nxt = found[k + 1] if k + 1 < len(found) else None
        if (m.unit is None and nxt is not None and nxt.unit is not None and not m.chinese and not nxt.chinese
                and "." not in text[m.num_start:m.num_end] and not nxt.prefix and nxt.decimals == 0
                and _WRAP.search(text, m.num_end, nxt.num_start) and nxt.num_start - m.num_end <= 3
                and m.num_start > 0 and text[m.num_start - 1] not in STRONG | set(" \t\u3000、")):
            head, tail = text[m.num_start:m.num_end], text[nxt.num_start:nxt.num_end]
            if tail.isdigit() and nxt.value == int(tail):
                yield Match(m.start, nxt.end, m.num_start, nxt.num_end, float(f"{head}.{tail}"), nxt.unit,
                            len(tail), nxt.range, nxt.approx, False, m.prefix, nxt.suffix)
                k += 2
                continue
        yield m
        k += 1


def _rescan(sc, text: str, pos: int, end: int) -> Optional[Match]:
    """The quantity that starts at `pos`, read again from there."""
    for again in sc.scan(text[pos:end + 8]):
        if again.start == 0 and again.unit is not None:
            return Match(pos, pos + again.end, pos + again.num_start, pos + again.num_end, again.value, again.unit,
                         again.decimals, again.range, again.approx, again.chinese, again.prefix, again.suffix)
    return None


# a list number at a line's start: 6. / 6、
_LINE_ITEM = re.compile(r"(?m)^[ \t\u3000]*(\d{1,2})\s*[.、．](?!\d)")


def _glued_item(text: str, m: Match) -> Optional[int]:
    """Where the figure really starts when a line opens with the next list number glued to it
    (6. …\n7.21个 reads 7. 21个), or None."""
    raw = text[m.num_start:m.num_end]
    line = text.rfind("\n", 0, m.num_start) + 1
    if m.chinese or "." not in raw or text[line:m.num_start].strip():
        return None
    head, _, tail = raw.partition(".")
    if not head.isdigit() or not tail or int(head) < 2:
        return None
    before = [int(x.group(1)) for x in _LINE_ITEM.finditer(text, 0, line)]
    if not before or before[-1] != int(head) - 1:
        return None
    return m.num_start + len(head) + 1


# why a number without a unit is no claim
_DOCNO = re.compile(r"[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d{1,4}\s*号|\d{1,4}\s*号")
_DATE_AROUND = re.compile(r"^\s*(?:年|月|日|时|点|号|季度|[-/.]\d{1,2}[-/.]?)")


def census_reason(text: str, m: Match) -> str:
    """date | document_number | list_number | ordinal | code | unexplained, for a bare number."""
    raw = text[m.num_start:m.num_end]
    after = text[m.num_end:m.num_end + 3]
    before = text[max(0, m.num_start - 12):m.num_start]
    around = text[max(0, m.num_start - 8):m.num_end + 4]
    if re.search(r"[〔\[【]\s*$", before) or (after.lstrip().startswith("号") and _DOCNO.search(around)):
        return "document_number"
    if _DATE_AROUND.match(after) or before.endswith(("年", "月")) or re.match(r"\s{0,4}[xX×]{2}", after) \
            or re.search(r"\d{4}-\d{1,2}-$", before) or re.search(r"\d{4}-$", before):
        return "date"
    if re.match(r"\s{0,4}[:：]\d{2}", after) or re.search(r"\d{1,2}[:：]$", before):
        return "time"  # 14:54
    if before.endswith(("附件", "附表", "表", "图", "附")):
        return "ordinal"  # 附件1: a document's part
    if before.endswith(("第", "排名第")):
        return "ordinal"
    if (before and before[-1] in QUOTE_OPEN) or (m.num_end < len(text) and text[m.num_end] in "”》」\"'"):
        return "name"  # “12348”热线, 《…2020…》: part of a name
    line = text.rfind("\n", 0, m.num_start) + 1
    lead = text[max(line, m.num_start - 2):m.num_start].strip(" \t\u3000")
    back = text[line:m.num_start].rstrip(" \t\u3000")
    if re.match(r"\s{0,4}[.、．)）]", after) and (not back or back[-1] in STRONG):
        return "list_number"  # 完整(1分); 2、基础数据
    if (not back or back[-1] in "；;|\t") and re.match(r"[ \t]*(?:[；;|\t]|$|\n)", text[m.num_end:]):
        return "table_cell"  # ；3；2；: a table's cells run together as text
    if re.match(r"\s{0,4}[.、．)）]", after) and (lead in ("", "(", "（") or text[m.num_start - 1:m.num_start] in STRONG):
        return "list_number"
    if lead.endswith(("(", "（")) and after.startswith((")", "）")):
        return "list_number"
    if re.search(r"[\u4e00-\u9fff]$", before) and re.match(r"[ \t]*(?:\n|$)", text[m.num_end:]) and len(raw) <= 2:
        return "list_number"  # 自评报告1⏎: a heading's number
    if len(raw.replace(".", "").replace(",", "")) >= 6 or re.match(r"^\s*[-—]\s*\d", after) or re.search(r"[A-Za-z]$", before):
        return "code"
    return "unexplained"


def _bare_money(ctx: _Ctx, m: Match, clause: int) -> Match:
    """省级资金290.36万: a bare 万 after a figure whose clause names money reads as 万元."""
    t = ctx.text
    if m.chinese or m.end == 0 or t[m.end - 1] != "万" or m.unit is not None:
        return m
    if not any(w in t[clause:m.start] for w in ctx.lex.money_nouns):
        return m
    value, decimals = _arabic(t[m.num_start:m.num_end])
    return Match(m.start, m.end, m.num_start, m.num_end, value, "万元", decimals, None, False, False, m.prefix, "")


def _arabic(raw: str) -> tuple[float, int]:
    from ..quantity import arabic_value

    return arabic_value(raw)


def _clause_start(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1] not in STRONG:
        pos -= 1
    return pos


@dataclass
class _List:
    """An open list of parts: the total it divides, where it opened, and how it ends
    (sentence: at 。 or a line break; block: 其中： closing a line, at a blank line or a heading;
    paren: parts in parentheses right after the total, at the closing parenthesis; nested: the
    parts a part opens with 包括, at the semicolon before its total's next part)."""

    parent: Claim
    kind: str
    start: int
    close: int = -1


# what ends a sentence list (；does not: 其中：30万元用于…；30万元用于…) and what ends a block list
_PERIOD = re.compile(r"[。！？!?\n]")
_BLOCK_END = re.compile(r"\n\s*\n|\n\s*(?:[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")
# what ends the parts of a part (档案…，包括…；资料14091册): the semicolon between its total's parts;
# it ends a list its parts join with 、 too
_NESTED_END = re.compile(r"[；;]")
# what stands between a list's last item and the total that closes it: ，共计 / ，合计 / ，共
_CLOSING = re.compile(r"\s{0,2}[，,]?\s{0,2}(?:共计|合计|总计|共)\s{0,2}")
# a figure that is the base of the rate after it: 4000人的105.9%
_BASE_OF_RATE = re.compile(r"\s{0,2}的\s{0,2}\d")
# last year's figure named as what this year's is compared with (较上年的2630.2万元)
_COMPARED = re.compile(r"(?:较|比|与)(?:上年|去年|上一年)")
# a 其中 clause before a colon that names its list and counts it (其中项目资金两项：) is at most this
# long; one naming a part alone (其中基本支出：) opens that part's own parts, not the total's
_NAMED_OPENER = 12
_COUNTED_LIST = re.compile(r"(?:\d{1,2}|[两二三四五六七八九十])\s{0,2}(?:项|类|个|部分|方面)$")
# the parts that follow a total: 其中 or 包括 opening the next clause
_OPENS_AFTER = re.compile(r"\s{0,4}[，,；;：:]?\s{0,4}(?:其中|包括)")  # bounded: two open \s* runs are cubic


class _Extractor:
    """Claims of one section, built in text order: each step reads the claims before it
    (the total a 其中 part belongs to, the subject a glued figure repeats)."""

    def __init__(self, ctx: _Ctx, section: str, first_id: int) -> None:
        self.ctx, self.section, self.first_id = ctx, section, first_id
        self.fam = ctx.settings.units.family_of
        self.sent, self.item = sentences(ctx.text), items(ctx.text)
        self.out: list[Claim] = []
        self.prev: Optional[tuple[Claim, Match, bool]] = None  # last claim, its match, whether its subject followed it
        self.lists: list[_List] = []  # open lists of parts, innermost last

    def add(self, m: Match, clause: int) -> None:
        ctx, text, lex = self.ctx, self.ctx.text, self.ctx.lex
        s_idx = self.sent[m.num_start]
        family = self.fam.get(m.unit)
        subject, words, span, after = self._subject(m, clause, family)
        kind = _kind(ctx, m, clause, subject, family, self.out[-1] if self.out else None)
        parent = self._parent(m, clause, family, kind)
        context: tuple[str, ...] = ()
        role, closes = None, False
        if parent is not None:
            role = "subset"
            context = tuple(w for w in parent.words + parent.context if w not in words)
        elif _has_word(ctx, clause, m.start, lex.total):
            role = "total"
            prev = self.out[-1] if self.out else None
            # A、B，共计…: the total closes the list right before it (not A、B等，共计…)
            closes = prev is not None and bool(_CLOSING.fullmatch(text, prev.span[1], m.start))
        exhaustive = parent is not None and any(k in text[parent.span[1]:m.start] for k in lex.exhaustive)
        claim = Claim(
            id=f"C{self.first_id + len(self.out)}", section=self.section, text=text[span[0]:span[1]],
            subject=subject, value=m.value, unit=m.unit, span=span, range=m.range, approx=m.approx,
            decimals=m.decimals, sentence=s_idx, item=self.item[m.num_start], role=role,
            parent=parent.id if parent is not None else None, exhaustive=exhaustive, words=words,
            context=context, number_span=(m.num_start, m.end), kind=kind, period=_period(text, clause, m.start),
            closes=closes,
        )
        if family in NOMINAL:
            name_chars = ctx.settings.rules.claims.list_name_chars
            pos = span[1] if not after else m.end
            ends = lex.unit_name_ends
            claim.members = _listed(text, pos, name_chars, ends)
            if claim.members is not None and _LIST_PAREN.match(text, pos):
                claim.members_at = "brackets"
            if claim.members is None and after:
                claim.members = _listed_before(text, m.num_start, name_chars, ends)
                claim.members_at = "before" if claim.members is not None else ""
        self.out.append(claim)
        self.prev = (claim, m, after)
        self._open_paren(claim, m)

    # -- lists of parts -------------------------------------------------------------------------
    def _parent(self, m: Match, clause: int, family: Optional[str], kind: Optional[str]) -> Optional[Claim]:
        """The total this figure is a part of. 其中 opens the parts of the claim before it (in this
        sentence or the one before); parentheses right after a figure hold its parts; a list runs
        to the end of its sentence, block or parenthesis. A part counts in its total's unit family,
        and a change, a balance, a standard or a share is no part."""
        ctx, text = self.ctx, self.ctx.text
        self._close(m.start)
        opener = self._opens(clause, m, family)
        if opener is not None and self.lists and self.lists[-1].start == opener:
            pass  # the next part after the same 其中 (其中A 60万元、B 40万元): its list is open
        elif opener is not None:
            inner = self.lists[-1] if self.lists and self.lists[-1].kind == "paren" else None
            part = self._part_before(opener, family) if inner is None else None
            owner = inner.parent if inner is not None else part or self._total_before(
                opener, family, _period(text, clause, m.start))
            if owner is not None and not (self.lists and self.lists[-1].parent is owner):
                block = "\n" in text[opener:m.start]
                kind = "nested" if part is not None else "block" if block else "sentence"
                self.lists.append(_List(owner, kind, opener))
                owner.announced = owner.announced or _announced(ctx, owner, clause)
        if kind in ("change", "balance", "standard", "share") or not self.lists:
            return None
        if _BASE_OF_RATE.match(text, m.end):
            return None  # 完成年度目标任务4000人的105.9%: the base of a rate, no part of the list
        top = self.lists[-1]
        # 收入…；支出90万元，其中…: a new total ends the list before it (but the part right after its
        # list's 其中 stays a part when it opens parts of its own: 其中：档案400卷，包括…)
        if top.kind != "paren" and opener is None and self._starts_total(m, clause):
            self.lists.pop()
            return None
        if self.fam.get(top.parent.unit) == family:
            return top.parent
        return None

    def _opens(self, clause: int, m: Match, family: Optional[str]) -> Optional[int]:
        """Where the 其中 before the figure stands: in its clause, or as the clause before a colon
        (其中：30万元…, 其中：⏎人员经费…), which may name what it lists and how many (其中项目资金
        两项：A 34.5万元；B 5.8万元) when it states no figure of the parts' own kind; None when
        there is none."""
        ctx, text = self.ctx, self.ctx.text
        if _has_word(ctx, clause, m.start, ctx.lex.subset):
            return clause
        j = clause - 1
        while j > 0 and text[j] in " \t\n\u3000":
            j -= 1
        if j > 0 and text[j] in ":：,，":
            start = _clause_start(text, j)
            before = text[start:j].strip(" (（")
            if before.endswith(ctx.lex.subset) and len(before) <= 4:
                return start
            if (text[j] in ":：" and before.startswith(ctx.lex.subset) and len(before) <= _NAMED_OPENER
                    and _COUNTED_LIST.search(before)
                    and not any(start <= c.span[0] < j and self.fam.get(c.unit) == family for c in self.out)):
                return start
        return None

    def _part_before(self, opener: int, family: Optional[str]) -> Optional[Claim]:
        """A part that opens parts of its own (其中：档案118606卷，包括纸质档案111675卷…): the claim
        right before the 包括, in its sentence, when it is a part of the open list."""
        if not self.lists or not self.out or self.lists[-1].kind == "paren":
            return None
        last = self.out[-1]
        if opener < last.span[1]:
            return None  # the 其中 that opened the list it is in
        between = _outside_parens(self.ctx.text, last.span[1], opener)
        if (last.role == "subset" and last.parent == self.lists[-1].parent.id and last.kind is None
                and self.fam.get(last.unit) == family and not _PERIOD.search(between) and not _NESTED_END.search(between)):
            return last
        return None

    def _close(self, pos: int) -> None:
        text = self.ctx.text
        while self.lists:
            top = self.lists[-1]
            if top.kind == "paren":
                done = pos > top.close
            elif top.kind == "block":
                done = bool(_BLOCK_END.search(text, top.start, pos))
            elif top.kind == "nested":  # a part's own parts end where the next part of its total begins
                inside = _outside_parens(text, top.start, pos)
                done = bool(_PERIOD.search(inside) or _NESTED_END.search(inside))
            else:
                # at 。; and a list whose parts 、 joins ends at the ； after them (其中A5000人、B3000人；
                # 救助…42人 is another clause, while 其中：30万元用于甲；30万元用于乙 goes on)
                inside = _outside_parens(text, top.start, pos)
                joined = "、" in inside and not any(w in inside[2:] for w in self.ctx.lex.subset)  # (not a nested 包括 list's)
                done = bool(_PERIOD.search(inside)) or (joined and bool(_NESTED_END.search(inside, inside.rfind("、"))))
            if not done:
                return
            self.lists.pop()

    def _total_before(self, opener: int, family: Optional[str], period: Optional[str] = None) -> Optional[Claim]:
        """The claim a 其中 divides: the last one of the same family that is itself no part,
        in this sentence or the one before. A change, a standard, a share or a balance (年末结转
        结余33.52万元。其中基本支出…) divides into nothing, nor does last year's figure this
        year's parts (较上年的2630.2万元增长8.19%。其中…)."""
        text = self.ctx.text
        allowed = 1
        limit = -1  # (set by a figure of another measure: the total stands in its clause or none does)
        for c in reversed(self.out):
            if len(_PERIOD.findall(text, c.span[1], opener)) > allowed or c.span[0] < limit:
                return None
            if c.kind in ("change", "balance"):
                allowed = 2  # 收入120万元。同比增加20万元，增长20%。其中：… divides the 收入
            if c.role == "subset" or c.kind in ("change", "standard", "share", "balance"):
                continue
            if self.fam.get(c.unit) != family:
                if (limit < 0 and c.span[0] < opener and c.kind is None and c.role is None
                        and self.fam.get(c.unit) not in (None, "percent")):
                    # 就业692人；培训8760人次，其中…5128人: the figure the 其中 follows is of another measure, and
                    # a total of the part's stands in its clause (1286户2143人，其中…) or nowhere
                    limit = _clause_start(text, c.span[0])
                continue
            if period != "上年" and _COMPARED.search(c.before_figure):
                continue  # (上年支出500万元，其中… is last year's total and parts alike)
            return c
        return None

    def _starts_total(self, m: Match, clause: int) -> bool:
        """A figure followed by its own 其中, stated as 共/合计, or a headcount of its own (实有), opens
        a new total."""
        lex = self.ctx.lex
        return (bool(_OPENS_AFTER.match(self.ctx.text, m.end)) or _has_word(self.ctx, clause, m.start, lex.total)
                or _has_word(self.ctx, clause, m.start, lex.headcount))

    def _open_paren(self, claim: Claim, m: Match) -> None:
        """中央资金776.84万元(一般公共预算:323.97万元;彩票公益金:452.87万元): the parenthesis holds its parts."""
        text = self.ctx.text
        i = m.end
        while i < len(text) and text[i] == " ":
            i += 1
        if i >= len(text) or text[i] not in "(（":
            return
        close = _matching(text, i)
        if close is not None and _DIGITS.search(text, i, close) and claim.kind is None:
            # (a change's, a share's or a standard's brackets hold no parts: 提高2.3个百分点（上年为83.3%）)
            self.lists.append(_List(claim, "paren", i, close))

    def _subject(self, m: Match, clause: int, family: Optional[str]):
        """(subject, its content words, the claim's span, whether the subject follows the figure)."""
        ctx, text, prev = self.ctx, self.ctx.text, self.prev
        subject, sub, span, after = _subject(ctx, m, clause, prev, family)
        if not subject and not after and clause > 0 and text[clause - 1] in ":：":
            # 一般公共预算:323.97万元: the label before the colon names the figure
            label = _clause_start(text, clause - 1)
            if prev is not None:
                label = max(label, prev[0].span[1])
            label = max(label, text.rfind("(", 0, clause) + 1, text.rfind("（", 0, clause) + 1)
            s2, sub2, span2, after2 = _subject(ctx, m, label, None, family)
            if s2 and len(s2) <= ctx.settings.rules.claims.label_chars:
                subject, sub, span, after = s2, sub2, (sub2[0], span[1]), after2
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


def _matching(text: str, i: int) -> Optional[int]:
    """The closing parenthesis of the one at i (nested ones counted), within the line."""
    depth = 0
    for j in range(i, min(len(text), i + 400)):
        ch = text[j]
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth == 0:
                return j
        elif ch == "\n":
            return None
    return None


def _outside_parens(text: str, start: int, end: int) -> str:
    """text[start:end] without what stands inside parentheses (their 。 ends no sentence)."""
    out, depth = [], 0
    for ch in text[start:end]:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


_ANNOUNCED = re.compile(r"([二两三四五六七八九十]|\d{1,2})\s*(?:个)?(?=类|部分|大类|种|项支出|方面)")


def _announced(ctx: _Ctx, total: Claim, upto: int) -> Optional[int]:
    """主要有A、B二类支出，总预算2455.5万元，其中…: the number of kinds the sentence announces."""
    text = ctx.text
    start = max((text.rfind(ch, 0, total.span[0]) for ch in "。！？\n"), default=-1) + 1
    found = _ANNOUNCED.findall(text, start, upto)
    if len(found) != 1:
        return None
    raw = found[0]
    from ..quantity import cn_to_number

    value = float(raw) if raw.isdigit() else cn_to_number(raw, ctx.settings.limits)
    return int(value) if value and value >= 2 else None


def _kind(ctx: _Ctx, m: Match, clause: int, subject: str, family: Optional[str], prev: Optional[Claim]) -> Optional[str]:
    """What the figure states, read from its subject and the words around it:
    change (同比增加189.25万元, 增长31.39%), balance (结余结转0万元), standard (4000元/人, 每人每月),
    share (占比14%), or None."""
    text, lex = ctx.text, ctx.lex
    head = text[max(clause, m.start - 6):m.start]
    verb = head.endswith(lex.change_heads)
    sentence = text[_sentence_start(text, m.start):m.start]
    if verb and (any(w in sentence for w in lex.change_context) or
                 (family == "percent" and prev is not None and prev.kind == "change")):
        return "change"
    if family == "percent":
        if any(w in subject for w in lex.share) or head.endswith(lex.share):
            return "share"
        return None
    if any(w in subject for w in lex.balance):
        return "balance"
    if _standard_after(ctx, m) or any(w in subject for w in lex.standard) or _PER.search(text, clause, m.start):
        return "standard"
    return None


# 每 before a measure word or a noun in the figure's clause (每场, 每家, 每人每月): so much each
_PER = re.compile(r"每[\u4e00-\u9fff]")
_PERIOD_WORD = re.compile(r"(\d{4}|20[xX×]{2})\s*年|上年度?|去年|上一年|同期|本年度?|今年|当年")


def _period(text: str, clause: int, pos: int) -> Optional[str]:
    """2023年, 上年, 本年: the period a clause names before its figure, normalised (本年/今年/当年 -> 本年)."""
    found = list(_PERIOD_WORD.finditer(text, clause, pos))
    if not found:
        return None
    m = found[-1]
    word = m.group(0)
    if m.group(1):
        return m.group(1) + "年"
    return "上年" if word.startswith(("上", "去", "同期")) else "本年"


def _sentence_start(text: str, pos: int) -> int:
    return max((text.rfind(ch, 0, pos) for ch in "。！？!?\n"), default=-1) + 1


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
    keep = ctx.settings.rules.claims.subject_chars
    if le - ls > keep:  # keep the words nearest the figure
        cut = le - keep
        while cut < le and (cut not in ctx.begins or text[cut] in "、,，"):
            cut += 1
        ls = cut
    return text[ls:le], (ls, le), (ls if le > ls else m.start, m.end), False


_LIST_INTRO = re.compile(r"[,，]?(?:\s{0,8}+(?:分别是|分别为|包括|即))?\s{0,8}+[:：]\s*|[,，]\s*(?:分别是|分别为|包括|即)\s*")  # bounded: linear
_LIST_END = re.compile(r"[。；;\n]")
# a bracketed list after a count counts as its members from this many names; a name ending so
# names a kind (行政编制, 县级, 大型, 一类, 专职人员)
_PAREN_MIN = 3
_KIND_ENDS = ("级", "型", "类", "性", "编制", "人员", "岗位", "资金", "经费")
# what opens a bracket after a count that is a note, not the list of what it counts
_NOT_A_LIST = ("含", "包括", "其中", "即", "注", "如", "主要", "不含", "分别")
# a list in brackets right after a count: （东坑、湖仔洋、上湾塘）; bounded
_LIST_PAREN = re.compile(r"\s{0,2}[(（]([^()（）\n]{1,400})[)）]")


def _listed(text: str, pos: int, name_chars: int, ends: tuple[str, ...] = ()) -> Optional[int]:
    """How many names a count lists right after itself (下设事业单位8个：A、B、C和D。), or None.

    Only a plain list counts: two or more short names, not closed by 等 (等单位 is open-ended). The
    list may stand in brackets right after the count (13宗（东坑、湖仔洋、…、上湾塘）水库)."""
    paren = _LIST_PAREN.match(text, pos)
    if paren:
        # （含…）, （其中…）: a note; （册、盘、盒）: the units the count is in; （行政编制、事业编制）,
        # （县级、乡级）: kinds of what it counts; a list of fewer than three is not told from kinds
        body = paren.group(1).strip()
        if body.startswith(_NOT_A_LIST) or body.endswith(("等", "等等")):
            return None
        names = _names_of(body, ends)
        if (names is None or len(names) < _PAREN_MIN
                or any(x.endswith(_KIND_ENDS) or len(x) > name_chars for x in names)):
            return None
        return len(names)
    m = _LIST_INTRO.match(text, pos)
    if not m:
        return None
    end = _LIST_END.search(text, m.end())
    body = text[m.end(): end.start() if end else len(text)].strip()
    if not body or body.endswith(("等", "等等")) or re.search(r"等[^、]{0,4}$", body):
        return None
    names = [x for piece in body.split("、") for x in _joined_names(piece, ends) if x.strip()]
    if len(names) < 2 or any(len(x) > name_chars or _DIGITS.search(x) for x in names):
        return None
    return len(names)


def _joined_names(piece: str, ends: tuple[str, ...]) -> list[str]:
    """A piece of a list split at 和/及/与/以及 (财务科和业务科, 宣传、培训和督导), unless it is one
    unit's name with the word inside it: it ends as a unit's name does (`ends`: 科, 局, 中心, 镇 …)
    and the words before the joiner do not (普法与依法治理科, 县住房和城乡建设局, 人民参与和促进法治科)."""
    parts = [x for x in _JOINED.split(piece) if x.strip()]
    if len(parts) > 1 and piece.strip().endswith(ends) and not parts[0].strip().endswith(ends):
        return [piece.strip()]
    return [x.strip() for x in parts]




# the clause a list before a count stands in starts after the last of these
_CLAUSE_START = re.compile(r"[，,；;。：:！!？?（(\n][^，,；;。：:！!？?（(\n]*$")
# a word just before the count that makes it no count of the names: 等 (open), 共/合计/计 (a total
# of what they name), 各/均/每/分别 (each of them), 约/近/超 (approximate), 两类/三级 … (kinds)
_NOT_OF_NAMES = re.compile(r"(?:等|共|合计|计|各|均|每|分别|约|近|超|达|类|级|种)\s*$")


def _listed_before(text: str, num_start: int, name_chars: int, ends: tuple[str, ...] = ()) -> Optional[int]:
    """How many names a count counts when they stand right before it, in its clause (昆明市文化馆、
    昆明市图书馆、昆明聂耳交响乐团5家下属单位), or None.

    Only a plain list: two or more short names, with nothing between the last and the count, and
    none of the words that make the count a total, a share or an open list (the check leaves a
    count well above its names alone: those are kinds of what it counts)."""
    window = 4 * name_chars
    head = text[max(0, num_start - window):num_start]
    m = _CLAUSE_START.search(head)
    if m is None and num_start > window:
        return None  # the clause starts before the window: the list may go on beyond it
    body = head[m.start() + 1:] if m else head
    if not body.strip() or _NOT_OF_NAMES.search(body) or not _MEMBER_NOUN.match(text, _measure_end(text, num_start)):
        return None
    names = _names_of(body, ends)
    if names is None or any(len(x) > name_chars for x in names):
        return None
    return len(names)


def _measure_end(text: str, num_start: int) -> int:
    """Where the count and its measure word end (5家, 三个): the noun it counts starts there."""
    m = _COUNT_AND_MEASURE.match(text, num_start)
    return m.end() if m else num_start


# a count and its measure word: 5家, 12所, 三个
_COUNT_AND_MEASURE = re.compile(r"[\d一二两三四五六七八九十百]{1,4}\s{0,2}[家所个座处支]")
# what a list before a count names when the count counts its names: units (A、B、C5家下属单位)
_MEMBER_NOUN = re.compile(r"(?:下属|直属|所属|二级|基层|成员)?(?:单位|部门|机构|学校|医院|卫生院|企业|场馆|站所)")


def _names_of(body: str, ends: tuple[str, ...] = ()) -> Optional[list[str]]:
    """The names a list holds, split at 、 and at a joiner between two names (`_joined_names`);
    None when it is no plain list of names: fewer than two, a figure or a one-character piece in it."""
    names = [x for piece in body.split("、") if piece.strip() for x in _joined_names(piece, ends)]
    if len(names) < 2 or any(_DIGITS.search(x) or len(x) < 2 for x in names):
        return None
    return names


# a joiner of two names in a list, or a word inside one name
_JOINED = re.compile(r"以及|和|及|与")


def _attach(doc, claims: list[Claim]) -> None:
    spans = []
    for c in claims:
        sp = doc.char_span(c.span[0], c.span[1], label=c.unit, alignment_mode="expand")
        if sp is not None:
            sp._.quantity = c
            spans.append(sp)
    doc.spans["claims"] = spans
