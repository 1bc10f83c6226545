"""Segmentation: a private jieba Tokenizer with the domain dictionary, and a
spaCy `blank("zh")` pipeline that uses it as its tokenizer.

The global `jieba.dt` is never touched, so tests and several dictionaries can
coexist. Both objects are built lazily, once per process (a worker builds its
own), and character offsets survive segmentation: spaCy realigns the words to
the text and claims become Spans over it.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Optional

from ..config import data_dir
from . import hf

USERDICT = "userdict.txt"


def tokenizer(userdict: Optional[str] = None):
    """A jieba Tokenizer with jieba's main dictionary and the domain dictionary loaded."""
    return _tokenizer(str(userdict) if userdict else _default_userdict())


@lru_cache(maxsize=1)
def _default_userdict() -> str:
    return str(data_dir("models") / USERDICT)


@lru_cache(maxsize=4)
def _tokenizer(path: str):
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(path)
    return tk


def cut(text: str) -> list[str]:
    return [w for w in tokenizer().cut(text) if w.strip()]


def words(text: str, userdict: Optional[str] = None) -> list[tuple[str, int, int]]:
    """(word, start, end) of every word that is not whitespace: the tokens `JiebaSpacyTokenizer`
    makes of the text (spaCy keeps each such jieba word, at its offset, and only adds space
    tokens), without building a Doc."""
    out, pos = [], 0
    for w in tokenizer(userdict).cut(text, HMM=True):
        end = pos + len(w)
        if not w.isspace():
            out.append((w, pos, end))
        pos = end
    return out


class JiebaSpacyTokenizer:
    """spaCy tokenizer over the private jieba Tokenizer (what spaCy's own
    ChineseTokenizer does with segmenter="jieba", but without the global jieba)."""

    def __init__(self, vocab, userdict: Optional[str] = None) -> None:
        self.vocab = vocab
        self.userdict = userdict

    def __call__(self, text: str):
        from spacy.tokens import Doc
        from spacy.util import get_words_and_spaces

        ws = [w for w in tokenizer(self.userdict).cut(text, HMM=True) if w]
        ws, spaces = get_words_and_spaces(ws, text)
        return Doc(self.vocab, words=ws, spaces=spaces)

    # spaCy serialisation hooks: the dictionary lives in models/, nothing to save
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "JiebaSpacyTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "JiebaSpacyTokenizer":
        return self


@lru_cache(maxsize=1)
def _register() -> None:
    hf.hide_torch_from_thinc()
    import spacy

    @spacy.registry.tokenizers("jixiao.jieba_tokenizer.v1")
    def create_tokenizer(userdict: Optional[str] = None):
        def make(nlp):
            return JiebaSpacyTokenizer(nlp.vocab, userdict)

        return make

    from spacy.tokens import Span

    if not Span.has_extension("quantity"):
        Span.set_extension("quantity", default=None)


@lru_cache(maxsize=1)
def nlp():
    """spaCy blank("zh") with the jieba tokenizer; claims go in doc.spans["claims"]."""
    hf.hide_torch_from_thinc()
    import spacy

    _register()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "jixiao.jieba_tokenizer.v1"}}})
