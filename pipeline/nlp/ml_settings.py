"""Settings of the optional transformers backend (configs/ml.toml), validated; no torch here."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Union

from .. import config
from ..errors import ConfigError

FILE = "ml.toml"


@dataclass(frozen=True)
class EmbedSettings:
    model: str = ""
    threshold: float = 0.85
    strong: float = 0.95
    weak_share: float = 0.5
    max_length: int = 64

    def __post_init__(self) -> None:
        if not -1 <= self.threshold <= self.strong <= 1.0001:
            raise ConfigError(FILE, "embed.threshold must be at most embed.strong, both in [-1, 1]")
        if not 0 <= self.weak_share <= 1 or self.max_length < 2:
            raise ConfigError(FILE, "embed.weak_share must be in [0, 1] and embed.max_length at least 2")


@dataclass(frozen=True)
class GenerateSettings:
    model: str = ""
    prompt: str = "{text}\n摘要："
    max_new_tokens: int = 120
    max_input: int = 512

    def __post_init__(self) -> None:
        if "{text}" not in self.prompt:
            raise ConfigError(FILE, "generate.prompt must contain {text}")
        if self.max_new_tokens < 1 or self.max_input < 8:
            raise ConfigError(FILE, "generate.max_new_tokens must be positive and generate.max_input at least 8")


@dataclass(frozen=True)
class MLSettings:
    embed: EmbedSettings
    generate: GenerateSettings

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "MLSettings":
        unknown = set(data) - {"embed", "generate"}
        if unknown:
            raise ConfigError(FILE, f"unknown tables: {', '.join(sorted(unknown))}")
        return cls(config.strict(EmbedSettings, data.get("embed", {}), FILE), config.strict(GenerateSettings, data.get("generate", {}), FILE))

    @classmethod
    def resolve(cls, value: Union["MLSettings", Mapping[str, Any], str, os.PathLike, None] = None) -> "MLSettings":
        """None -> configs/ml.toml; a dict or a TOML file -> overrides table by table."""
        return config.resolve(value, cls, default, lambda: config.load_toml(config.data_dir("configs") / FILE))


@lru_cache(maxsize=1)
def default() -> MLSettings:
    return MLSettings.from_dict(config.load_toml(config.data_dir("configs") / FILE))
