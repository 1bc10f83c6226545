"""Abstractive summaries from a local seq2seq or causal LM (the jixiao[transformers] extra).

`Generator.load(folder, settings)` reads the model with
`from_pretrained(folder, local_files_only=True)`; calling it with the
narrative and a length gives the summary text. torch and transformers are
imported only here and in pipeline/nlp/hf.py, and only when a model is named.
"""
from __future__ import annotations

from ..nlp import hf
from ..nlp.ml_settings import GenerateSettings


class Generator:
    def __init__(self, tokenizer, model, kind: str, settings: GenerateSettings) -> None:
        self.tokenizer = tokenizer
        self.model = model
        self.kind = kind
        self.settings = settings

    @classmethod
    def load(cls, folder: str, settings: GenerateSettings | None = None) -> "Generator":
        tok, model, kind = hf.load(folder, "auto")
        return cls(tok, model, kind, settings or GenerateSettings())

    def __call__(self, text: str, max_chars: int) -> str:
        """The model's summary of `text`, cut to max_chars characters."""
        import torch

        s = self.settings
        limit = self._input_limit()
        source = self._fit(text, limit) if self.kind == "seq2seq" else \
            s.prompt.format(text=self._fit(text, limit - self._length(s.prompt.format(text=""))))
        batch = self.tokenizer(source, return_tensors="pt", truncation=True, max_length=limit)
        batch = {k: v for k, v in batch.items() if k in ("input_ids", "attention_mask")}
        pad = self.tokenizer.pad_token_id
        if pad is None:
            pad = self.tokenizer.eos_token_id
        with torch.no_grad():
            out = self.model.generate(**batch, max_new_tokens=s.max_new_tokens, do_sample=False, num_beams=1,
                                      pad_token_id=pad)
        ids = out[0] if self.kind == "seq2seq" else out[0][batch["input_ids"].shape[1]:]
        summary = self.tokenizer.decode(ids, skip_special_tokens=True)
        # character-level vocabularies decode with spaces between characters
        summary = "".join(summary.split()) if _mostly_cjk(summary) else summary.strip()
        return summary[:max_chars]


    def _input_limit(self) -> int:
        """Tokens the input may take: the setting, within the model's positions (a causal model
        also needs room for what it generates)."""
        cfg = self.model.config
        positions = getattr(cfg, "n_positions", None) or getattr(cfg, "max_position_embeddings", None) or 10**6
        room = positions - (self.settings.max_new_tokens if self.kind == "causal" else 0)
        return max(1, min(self.settings.max_input, room))

    def _length(self, text: str) -> int:
        return len(self.tokenizer(text)["input_ids"])

    def _fit(self, text: str, tokens: int) -> str:
        """The head of `text` that fits in `tokens` (so a causal prompt keeps its closing cue)."""
        n = self._length(text)
        while n > tokens and text:
            text = text[: max(0, len(text) * tokens // n - 1)]
            n = self._length(text)
        return text


def _mostly_cjk(text: str) -> bool:
    chars = [ch for ch in text if not ch.isspace()]
    return bool(chars) and sum("\u4e00" <= ch <= "\u9fff" for ch in chars) * 2 >= len(chars)
