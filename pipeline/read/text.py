"""Bytes to clean text: encoding detection and cell normalisation.

Every reader passes cell text through `clean_cell`, so that the form parser
sees the same characters whatever the file: tags and entities gone,
full-width digits and punctuation folded, traditional characters simplified.
"""
from __future__ import annotations

import codecs
import html
import re
from functools import lru_cache

from ..errors import BinaryFile, EmptyFile, UnknownEncoding

# full-width ASCII (！ to ～) -> ASCII; ideographic space and no-break spaces -> space
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: None,
              0xFEFF: None, 0x2212: 0x2D, 0x2013: 0x2D, 0xFE6A: 0x25, 0x2024: 0x2E})

# a pinyin gloss a scraper or an annotated page left after the characters: 项目(xiàng mù)
_PINYIN = re.compile(r"""
    \s{0,8} [(（] \s{0,8}                                 # bounded runs: a '(' before 100 KB of spaces stays linear
    (?=[^()（）]{0,60}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])            # a tone mark within the gloss
    [a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü\s']{2,60} [)）]
""", re.X)
# <br>, or a closing block tag and the opening one after it; whitespace runs bounded (linear on '<' + spaces)
_BREAK = re.compile(r"<\s{0,10}br\s{0,10}/?\s{0,10}>"
                    r"|<\s{0,10}/\s{0,10}(?:p|div|li|tr|h\d)\s{0,10}>\s*+(?:<\s{0,10}(?:p|div|li|h\d)\b[^<>]{0,2000}>)?", re.I)
# a tag: < then a name (an ASCII letter first, / before it for a closing one), or a comment or
# declaration (<!-- -->, <!DOCTYPE>). A < before anything else is the text's own: a comparison
# (投诉率<5%，满意度>90%) or a title mark a scan read as one (印发<某某办法>的通知)
_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9:_-]{0,30}(?![A-Za-z0-9:_-])[^<>]{0,2000}|!--[^>]{0,2000}?--|![A-Za-z][^<>]{0,2000})>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
# what `_checked` counts: control characters but tab, LF, FF and CR; private-use characters
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff]")
# a space a PDF producer or scraper put between a CJK character and a figure (2022 年, 附件 2).
# One that separates cells is kept: a page that prints a row's cells with one space between
# them (项目数量 1 1 10 10: name | 指标值 | 完成值 | 分值 | 得分; … 10 8 两个站点未建成: 分值 |
# 得分 | 原因) would otherwise have a name swallow its first figure, or a figure its reason
_CJK_GAP = re.compile(r"""
    (?<=[\u4e00-\u9fff])\ (?=\d)                                      # CJK | figure ...
    (?!\d[\d.,]{0,20}(?:%|[\u4e00-\u9fff]{1,3})?\ {1,8}[\d\-—–/])       # ... unless a figure or dash follows it
  | (?<=\d)\ (?=[\u4e00-\u9fff%])                                      # figure | CJK or %, unless `_FIGURE_ROW` ends before it
""", re.X)
# two figures, a space between them, at the end of the text before a gap: a row of figures
_FIGURE_ROW = re.compile(r"(?:^|\ )[\d.,]{1,20}%?\ [\d.,]{1,20}$")


def _close_gap(m: re.Match) -> str:
    before = m.string[max(0, m.start() - 44):m.start()]
    return " " if before[-1:].isdigit() and _FIGURE_ROW.search(before) else ""


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030."""
    if not data.strip():
        raise EmptyFile(path)
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data.decode("utf-8-sig", errors="strict"), path), "utf-8-sig"
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return _checked(data.decode("utf-16"), path), "utf-16"
        except UnicodeDecodeError:
            raise UnknownEncoding(path) from None
    if b"\x00" in data[:8192]:
        raise BinaryFile(path)
    for enc in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(enc), path), enc
        except UnicodeDecodeError:
            continue
    raise UnknownEncoding(path)


def _checked(text: str, path: str) -> str:
    """Refuse text that decoded but is mostly control or private-use characters."""
    sample = text[:20000]
    bad = len(_CONTROL.findall(sample))
    if sample and bad / len(sample) > 0.02:
        raise BinaryFile(path, "control characters")
    return text


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # opencc-python-reimplemented: pure Python, loads in ~20 ms

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_triggers() -> frozenset[str] | None:
    """Characters one of which a text must hold for OpenCC's t2s to change it, or None (unknown).

    One character of every dictionary key that converts to something else: every
    traditional character, and for a phrase none of whose characters is one (反覆 -> 反复)
    a character that is a key of its own (覆, kept as it is alone), else its first (沈默).
    In a text without any of them only keys that convert to themselves can match, so
    OpenCC would return the text as it is."""
    chain = getattr(_t2s(), "_dict_chain_data", None)  # opencc-python-reimplemented's loaded dictionaries
    if not chain:
        return None
    tables = [d for group in chain for d in (group if isinstance(group, list) else [group])]
    changed = [k for _, _, table in tables for k, v in table.items() if v.split(" ")[0] != k]
    single = {k for _, _, table in tables for k in table if len(k) == 1}
    out = {k for k in changed if len(k) == 1}
    for k in changed:
        if len(k) > 1 and out.isdisjoint(k):
            out.add(next((c for c in k if c in single), k[0]))
    return frozenset(out)


def simplify(text: str) -> str:
    """Traditional to simplified characters, phrase-aware (OpenCC t2s)."""
    if not text or text.isascii():
        return text
    triggers = _t2s_triggers()
    if triggers is not None and triggers.isdisjoint(text):
        return text  # nothing OpenCC would convert (most cells: already simplified)
    return _converted(text) if len(text) <= 200 else _t2s().convert(text)


@lru_cache(maxsize=4096)
def _converted(text: str) -> str:
    """OpenCC's t2s of one short text (a label, a heading, a figure), kept for the next report in
    traditional characters: those come back every time."""
    return _t2s().convert(text)


def fold(text: str) -> str:
    return text.translate(_FOLD)


def clean_cell(text: str | None) -> str:
    """One cell's text as the form parser wants it; paragraphs joined by newlines."""
    if not text:
        return ""
    t = text
    if "<" in t:
        t = _BREAK.sub("\n", t)
        t = _TAG.sub(" ", t)
    if "&" in t:
        t = html.unescape(t)
    t = simplify(fold(t))
    if "(" in t:
        t = _PINYIN.sub("", t)
    words = t.split()
    if len(words) == 1 and words[0] == t:
        return t  # no whitespace at all: one line, nothing to squeeze or strip (most cells)
    lines = []
    for line in t.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line:
            lines.append(_CJK_GAP.sub(_close_gap, line))
    return "\n".join(lines)
