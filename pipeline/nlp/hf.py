"""Loading a local transformers model: the one place that imports torch and transformers.

Only called when a model folder is named; a missing extra or a folder that
is not a model becomes a coded one-line error, never a traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConfigError

EXTRA = "pip install 'jixiao[transformers]'"


def require() -> tuple[Any, Any]:
    """(torch, transformers), or a ConfigError saying how to install them."""
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise ConfigError("transformers", f"the transformers backend is not installed ({exc.name}); {EXTRA}") from None
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    return torch, transformers


def folder(path: str | Path) -> Path:
    p = Path(path).expanduser()
    if not (p / "config.json").is_file():
        raise ConfigError(str(p), "not a model folder (no config.json)")
    return p


def load(path: str | Path, kind: str):
    """(tokenizer, model, config) from a folder on disk; kind: encoder | seq2seq | causal | auto."""
    torch, tf = require()
    p = folder(path)
    try:
        cfg = tf.AutoConfig.from_pretrained(p, local_files_only=True)
        tok = tf.AutoTokenizer.from_pretrained(p, local_files_only=True)
        if kind == "auto":
            kind = "seq2seq" if getattr(cfg, "is_encoder_decoder", False) else "causal"
        cls = {"encoder": tf.AutoModel, "seq2seq": tf.AutoModelForSeq2SeqLM, "causal": tf.AutoModelForCausalLM}[kind]
        model = cls.from_pretrained(p, local_files_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(str(p), f"cannot load the model ({type(exc).__name__}: {str(exc)[:160]})") from None
    model.eval()
    return tok, model, kind


def hide_torch_from_thinc() -> None:
    """Import thinc with torch out of sight, before spaCy is first imported.

    thinc (under spaCy) imports torch whenever it is installed, which costs
    seconds and would load it on every `jixiao check` once the extra is in.
    The pipeline uses no thinc model, so thinc is told torch is absent; torch
    itself stays importable for the backend afterwards.
    """
    import sys

    if "thinc.compat" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError meanwhile
    try:
        import thinc.compat  # noqa: F401
    finally:
        if sys.modules.get("torch") is None:
            del sys.modules["torch"]
