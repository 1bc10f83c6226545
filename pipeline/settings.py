"""One settings object for a whole run: rules, units, quantifiers, lexicon, synonyms, templates.

Loaded and validated once, then passed explicitly from `api` down through
form, nlp and check, so that a worker process, a test or a user can run with
other rules, and a result can say which configuration produced it
(`Settings.fingerprint`).

`Settings.resolve` takes None (the configs/ shipped with the package), a path
(a folder laid out like configs/, or one TOML file of overrides), a dict of
overrides keyed by file stem (``{"rules": {"link": {"strong_share": 0.6}}}``),
or a Settings as is.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, TypeVar, Union

from . import config
from .config import Lexicon, Quantifiers, Rules, Template, Units
from .errors import ConfigError
from .limits import Limits
from .nlp.ml_settings import MLSettings

# the files of configs/ a Settings reads, by stem; templates/ is a folder of them
FILES = ("rules", "units", "quantifiers", "lexicon", "synonyms", "template_schema", "ml", "limits")

T = TypeVar("T")
SettingsLike = Union["Settings", Mapping[str, Any], str, os.PathLike, None]


@dataclass(frozen=True)
class Settings:
    """Everything that decides behaviour, as validated objects; `raw` is what they were built from."""

    rules: Rules
    units: Units
    quantifiers: Quantifiers
    lexicon: Lexicon
    synonym_groups: tuple[tuple[str, ...], ...]
    templates: tuple[Template, ...]
    limits: Limits
    ml: MLSettings = field(default_factory=lambda: MLSettings.from_dict({}))
    source: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # objects derived from these settings (a compiled scanner, link vocabularies), built once each
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    # -- construction ---------------------------------------------------------------

    @classmethod
    def resolve(cls, value: SettingsLike = None) -> "Settings":
        """None -> the package's configs/; a folder or a TOML file of overrides; a dict of overrides."""
        if isinstance(value, Settings):
            return value
        if value is None:
            return default()
        if isinstance(value, Mapping):
            return cls.from_dir(config.data_dir("configs"), overrides=value)
        path = Path(value)
        if path.is_dir():
            return cls.from_dir(path)
        if path.is_file():
            return cls.from_dir(config.data_dir("configs"), overrides=config.load_toml(path), source=str(path))
        raise ConfigError(str(path), "no such settings folder or file")

    @classmethod
    def from_dir(cls, folder: Path, overrides: Optional[Mapping[str, Any]] = None, source: str = "") -> "Settings":
        overrides = dict(overrides or {})
        unknown = set(overrides) - set(FILES) - {"templates"}
        if unknown:
            raise ConfigError("settings", f"unknown settings files: {', '.join(sorted(unknown))} "
                                          f"(known: {', '.join(FILES)}, templates)")
        raw: dict[str, Any] = {}
        for stem in FILES:
            data = config.load_toml(folder / f"{stem}.toml")
            raw[stem] = config.merge(data, overrides.get(stem, {}))
        raw["templates"] = {}
        for path in sorted((folder / "templates").glob("*.toml")):
            data = config.load_toml(path)
            raw["templates"][path.stem] = config.merge(data, overrides.get("templates", {}).get(path.stem, {}))
        for stem in set(overrides.get("templates", {})) - set(raw["templates"]):
            raw["templates"][stem] = dict(overrides["templates"][stem])
        return cls.from_raw(raw, source or str(folder))

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any], source: str = "") -> "Settings":
        """Validated objects from the files' data (what a worker process receives)."""
        return cls(
            rules=Rules.from_dict(raw["rules"]),
            units=config.parse_units(raw["units"]),
            quantifiers=config.parse_quantifiers(raw["quantifiers"]),
            lexicon=config.parse_lexicon(raw["lexicon"]),
            synonym_groups=config.parse_synonyms(raw["synonyms"]),
            templates=tuple(config.parse_template(d, str(Path(source or ".") / "templates" / f"{stem}.toml"),
                                                  raw["template_schema"])
                            for stem, d in sorted(raw["templates"].items())),
            ml=MLSettings.from_dict(raw["ml"]),
            limits=Limits.from_dict(raw["limits"]),
            source=source,
            raw=raw,
        )

    # -- derived views ----------------------------------------------------------------

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of every setting: equal settings, equal fingerprint, wherever they were loaded."""
        blob = json.dumps(self.raw, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    @cached_property
    def synonyms(self) -> dict[str, frozenset[str]]:
        """word -> every word it shares a meaning group with (itself included)."""
        out: dict[str, set[str]] = {}
        for group in self.synonym_groups:
            for w in group:
                out.setdefault(w, set()).update(group)
        return {k: frozenset(v) for k, v in out.items()}

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """A derived object, built on first use and kept with these settings (not in a global cache)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def template(self, kind: str) -> Optional[Template]:
        """The first template of a kind (the narrative fallback, say)."""
        return next((t for t in self.templates if t.kind == kind), None)

    def __reduce__(self):
        # sent to worker processes as the data it was built from, rebuilt (and validated) there
        return (_rebuild, (dict(self.raw), self.source))


def _rebuild(raw: dict[str, Any], source: str) -> Settings:
    return Settings.from_raw(raw, source)


_DEFAULT: Optional[Settings] = None


def default() -> Settings:
    """The package's own configs/, loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Settings.from_dir(config.data_dir("configs"))
    return _DEFAULT
