"""A linker that asks a local encoder when word overlap is weak.

Same interface as `link.Linker` (`link(ind, claim, common) -> Link`, `common_words`): where the words of
the indicator name and the claim subject overlap well, the word-overlap link
stands; where they barely overlap (share below `weak_share`), the cosine
similarity of their embeddings decides: at or above `threshold` the claim is
linked, at or above `strong` the link may contradict the indicator.
`make_linker(settings)` gives the plain word-overlap linker when `[embed] model`
in configs/ml.toml names no folder, so the default check never imports torch.
"""
from __future__ import annotations

from typing import Optional, Union

from ..model import Claim, Indicator
from ..nlp.ml_settings import EmbedSettings
from .link import Link, Linker


class EmbeddingLinker:
    def __init__(self, encoder, settings: EmbedSettings, base: Linker) -> None:
        self.encoder = encoder
        self.settings = settings
        self.base = base
        self.asked = 0  # pairs the encoder was consulted on (for tests and diagnostics)

    @classmethod
    def load(cls, settings: EmbedSettings, base: Linker, folder: Optional[str] = None) -> "EmbeddingLinker":
        from ..nlp.embed import Encoder

        return cls(Encoder.load(folder or settings.model, settings.max_length), settings, base)

    def common_words(self, texts: list[str], names: list[str]) -> frozenset[str]:
        return self.base.common_words(texts, names)

    def link(self, ind: Indicator, claim: Claim, common: frozenset[str] = frozenset()) -> Link:
        base = self.base.link(ind, claim, common)
        if base.share >= self.settings.weak_share:
            return base
        self.asked += 1
        sim = self.encoder.similarity(ind.name, claim.subject or claim.text)
        if sim < self.settings.threshold:
            return base
        strong = base.strong or sim >= self.settings.strong
        return Link(claim, max(base.share, sim), strong)


    __call__ = link


def make_linker(settings) -> Union[Linker, EmbeddingLinker]:
    """The linker the settings ask for: the embedding one when `[embed] model` names a folder
    (loaded once per Settings), else the word-overlap one."""
    base = Linker.of(settings)
    if not settings.ml.embed.model:
        return base
    return settings.memo("check.embed_linker", lambda: EmbeddingLinker.load(settings.ml.embed, base))
