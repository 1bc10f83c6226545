"""Sentence embeddings from a local encoder (BERT-like), for linking by meaning.

Mean-pooled last hidden states, L2-normalised, cached per text: an indicator
name or a claim subject is embedded once however many pairs it is in, and
`vectors(texts)` embeds a report's names and subjects in batches up front.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

BATCH = 64
CACHE = 16384

from . import hf


class Encoder:
    """`Encoder.load(folder)`; `encoder.similarity(a, b)` is the cosine of their embeddings."""

    def __init__(self, tokenizer, model, max_length: int = 64) -> None:
        self.tokenizer = tokenizer
        self.model = model
        self.max_length = max_length
        self.cache: dict[str, Any] = {}
        import inspect

        # only the inputs the model's forward takes (a tokenizer may add token_type_ids)
        self.accepted = set(inspect.signature(model.forward).parameters)

    @classmethod
    def load(cls, folder: str, max_length: int = 64) -> "Encoder":
        tok, model, _ = hf.load(folder, "encoder")
        return cls(tok, model, max_length)

    def embed(self, texts: Sequence[str]):
        """A (len(texts), hidden) tensor of unit vectors."""
        import torch

        batch = self.tokenizer(list(texts), padding=True, truncation=True, max_length=self.max_length,
                               return_tensors="pt")
        batch = {k: v for k, v in batch.items() if k in self.accepted}
        with torch.no_grad():
            hidden = self.model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        return torch.nn.functional.normalize(pooled, dim=-1)

    def vectors(self, texts: Iterable[str]) -> None:
        """Embed every text not yet cached, in batches (the cache is emptied when it grows too big)."""
        todo = [t for t in dict.fromkeys(texts) if t and t not in self.cache]
        if len(self.cache) + len(todo) > CACHE:
            self.cache.clear()
        for k in range(0, len(todo), BATCH):
            chunk = todo[k:k + BATCH]
            self.cache.update(zip(chunk, self.embed(chunk)))

    def vector(self, text: str):
        if text not in self.cache:
            self.vectors([text])
        return self.cache[text]

    def similarity(self, a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        return float((self.vector(a) * self.vector(b)).sum())
