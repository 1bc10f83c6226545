"""Which template a document is: the one whose signal labels it holds most of."""
from __future__ import annotations

import re
from typing import Optional

from ..config import Template


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def recognise(text: str, templates: tuple[Template, ...]) -> Optional[Template]:
    """The best template for this text, or None when none reaches its `min_signals`."""
    flat = compact(text)
    best: Optional[tuple[int, int, Template]] = None
    for order, tpl in enumerate(templates):
        if tpl.min_signals <= 0:
            continue  # a fallback template (narrative) is chosen by the parser, not by signals
        hits = sum(1 for s in tpl.signals if s in flat)
        if tpl.title and tpl.title in flat:
            hits += 2
        if hits >= tpl.min_signals and (best is None or hits > best[0]):
            best = (hits, -order, tpl)
    return best[2] if best else None
