"""Words of the reviewer's report (HTML, XLSX): rule titles and labels, in Chinese and English.

Both are data (configs/messages/rules.toml, configs/messages/report.toml) so a
wording change is a data diff; finding sentences themselves come with the
record (`message`), from the check's own catalogue.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..config import data_dir, load_toml
from ..errors import ConfigError

LANGS = ("zh", "en")


@lru_cache(maxsize=None)
def rules() -> dict[str, dict[str, Any]]:
    """Rule code -> {"zh", "en", "budget"?}; every rule has both titles."""
    path = data_dir("configs") / "messages" / "rules.toml"
    data = load_toml(path)
    for code, entry in data.items():
        missing = [lang for lang in LANGS if not isinstance(entry.get(lang), str)]
        unknown = set(entry) - {*LANGS, "budget"}
        if missing or unknown:
            raise ConfigError(str(path), f"rule {code}: missing {missing} unknown {sorted(unknown)}")
    return data


@lru_cache(maxsize=None)
def _labels() -> dict[str, dict[str, Any]]:
    path = data_dir("configs") / "messages" / "report.toml"
    data = load_toml(path)
    zh, en = data.get("zh", {}), data.get("en", {})
    if set(zh) != set(en):
        raise ConfigError(str(path), f"keys differ between zh and en: {sorted(set(zh) ^ set(en))}")
    return data


def labels(lang: str = "zh") -> dict[str, Any]:
    """The label table of one language (unknown languages read as Chinese)."""
    return _labels()["en" if lang == "en" else "zh"]


def rule_title(code: str, lang: str = "zh") -> str:
    """The rule in words; an unknown rule (a newer check) shows its code."""
    entry = rules().get(code)
    return entry["en" if lang == "en" else "zh"] if entry else code


def rule_titles(lang: str = "zh") -> dict[str, str]:
    return {code: rule_title(code, lang) for code in rules()}
