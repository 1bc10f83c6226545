"""Settings of the summaries (configs/summary.toml), validated like the check's rules.

Kept in their own file rather than in `pipeline.settings.FILES`, so that a
summary never changes the check's fingerprint; `SummarySettings.resolve`
takes None (the shipped file), a dict of overrides or a path to a TOML file.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Optional, Union


from .. import config
from ..errors import ConfigError

FILE = "summary.toml"
WHERE = "summary.toml"


@dataclass(frozen=True)
class ReportRules:
    max_chars: int = 300
    condensed_chars: int = 120
    outputs: int = 8
    budget_subjects: tuple[str, ...] = ()
    narrative_kinds: tuple[str, ...] = ("goal", "task", "project", "overall", "narrative")

    def __post_init__(self) -> None:
        if self.max_chars < 1 or self.condensed_chars < 1:
            raise ConfigError(WHERE, "report.max_chars and report.condensed_chars must be positive")
        if self.outputs < 0:
            raise ConfigError(WHERE, "report.outputs must not be negative")
        object.__setattr__(self, "narrative_kinds", tuple(self.narrative_kinds))
        object.__setattr__(self, "budget_subjects", tuple(self.budget_subjects))


@dataclass(frozen=True)
class SectionWords:
    problems: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "problems", tuple(self.problems))
        object.__setattr__(self, "next_steps", tuple(self.next_steps))


@dataclass(frozen=True)
class TextRankRules:
    damping: float = 0.85
    iterations: int = 60
    tolerance: float = 1e-6
    min_sentence: int = 6
    stopwords: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not 0 < self.damping < 1:
            raise ConfigError(WHERE, "textrank.damping must be in (0, 1)")
        if self.iterations < 1 or self.tolerance <= 0:
            raise ConfigError(WHERE, "textrank.iterations must be positive and textrank.tolerance above 0")
        object.__setattr__(self, "stopwords", frozenset(self.stopwords))


@dataclass(frozen=True)
class CorpusRules:
    top_unverified: int = 10
    mean_units: tuple[str, ...] = ("%",)

    def __post_init__(self) -> None:
        if self.top_unverified < 1:
            raise ConfigError(WHERE, "corpus.top_unverified must be at least 1")
        object.__setattr__(self, "mean_units", tuple(self.mean_units))


SettingsLike = Union["SummarySettings", Mapping[str, Any], str, os.PathLike, None]

@dataclass(frozen=True)
class PlotRules:
    fonts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "fonts", tuple(self.fonts))


BUDGET_KEYS = ("initial", "adjusted", "actual", "completion_rate", "adjustment_rate")


@dataclass(frozen=True)
class SummarySettings:
    report: ReportRules
    sections: SectionWords
    textrank: TextRankRules
    corpus: CorpusRules
    plot: PlotRules
    budget_labels: Mapping[str, Mapping[str, str]]
    budget_templates: Mapping[str, str]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SummarySettings":
        known = {"report", "sections", "textrank", "corpus", "plot", "budget_labels", "budget_templates"}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(WHERE, f"unknown tables: {', '.join(sorted(unknown))}")
        labels = {k: dict(v) for k, v in data.get("budget_labels", {}).items()}
        if "department" not in labels:
            raise ConfigError(WHERE, "budget_labels.department is required (the default label set)")
        for name, table in labels.items():
            missing = set(BUDGET_KEYS) - set(table)
            extra = set(table) - set(BUDGET_KEYS)
            if missing or extra:
                raise ConfigError(WHERE, f"budget_labels.{name} needs exactly {', '.join(BUDGET_KEYS)}")
        templates = dict(data.get("budget_templates", {}))
        for tpl, name in templates.items():
            if name not in labels:
                raise ConfigError(WHERE, f"budget_templates.{tpl} names an unknown label set {name!r}")
        return cls(
            report=config.strict(ReportRules, data.get("report", {}), WHERE),
            sections=config.strict(SectionWords, data.get("sections", {}), WHERE),
            textrank=config.strict(TextRankRules, data.get("textrank", {}), WHERE),
            corpus=config.strict(CorpusRules, data.get("corpus", {}), WHERE),
            plot=config.strict(PlotRules, data.get("plot", {}), WHERE),
            budget_labels=labels,
            budget_templates=templates,
        )

    @classmethod
    def resolve(cls, value: SettingsLike = None) -> "SummarySettings":
        """None -> configs/summary.toml; a dict or a TOML file -> overrides on top of it."""
        return config.resolve(value, cls, default, _shipped)

    def labels(self, template: Optional[str]) -> Mapping[str, str]:
        return self.budget_labels[self.budget_templates.get(template or "", "department")]


def _shipped() -> dict[str, Any]:
    return config.load_toml(config.data_dir("configs") / FILE)


@lru_cache(maxsize=1)
def default() -> SummarySettings:
    return SummarySettings.from_dict(_shipped())
