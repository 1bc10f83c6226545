"""A linker that asks a local encoder when word overlap is weak.

Same call shape as `link.link(ind, claim, common) -> Link`: where the words of
the indicator name and the claim subject overlap well, the word-overlap link
stands; where they barely overlap (share below `weak_share`), the cosine
similarity of their embeddings decides: at or above `threshold` the claim is
linked, at or above `strong` the link may contradict the indicator.
`make_linker(ml)` gives the plain word-overlap linker when no model is named,
so the default check never imports torch.
"""
from __future__ import annotations

from typing import Callable, Optional

from ..model import Claim, Indicator
from ..nlp.ml_settings import EmbedSettings, MLSettings
from .link import Link, link

Linker = Callable[..., Link]


class EmbeddingLinker:
    def __init__(self, encoder, settings: EmbedSettings, fallback: Linker = link) -> None:
        self.encoder = encoder
        self.settings = settings
        self.fallback = fallback
        self.asked = 0  # pairs the encoder was consulted on (for tests and diagnostics)

    @classmethod
    def load(cls, settings: EmbedSettings, folder: Optional[str] = None) -> "EmbeddingLinker":
        from ..nlp.embed import Encoder

        return cls(Encoder.load(folder or settings.model, settings.max_length), settings)

    def __call__(self, ind: Indicator, claim: Claim, common: frozenset[str] = frozenset()) -> Link:
        base = self.fallback(ind, claim, common)
        if base.share >= self.settings.weak_share:
            return base
        self.asked += 1
        sim = self.encoder.similarity(ind.name, claim.subject or claim.text)
        if sim < self.settings.threshold:
            return base
        strong = base.strong or sim >= self.settings.strong
        return Link(claim, max(base.share, sim), strong)


def make_linker(ml: Optional[MLSettings] = None) -> Linker:
    """The linker the settings ask for: the embedding one when `[embed] model` names a folder."""
    ml = MLSettings.resolve(ml)
    if not ml.embed.model:
        return link
    return EmbeddingLinker.load(ml.embed)
