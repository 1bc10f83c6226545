"""The one message catalogue: findings and verdicts are data (a code and parameters);
this module turns them into the sentence a reviewer reads, in Chinese or English.

Templates live in configs/messages/*.toml. A placeholder names a parameter and
may carry a spec, parts separated by ';':

    {x}                   a value; numbers as a reviewer writes them (the finding's
                          `decimals` parameter, when given, fixes their decimals)
    {x:.2f}               a Python format spec
    {x:join=、}           a list, joined
    {x:quote}             quoted as the language quotes (“…” / '…'); lists are joined by 、 / ", "
    {x:word=column}       looked up in the catalogue's [words.column] table (lists too)
    {x:each=CODE;join=；} a list of parameter tables, each rendered with CODE
                          (an item may name its own `code`)

`{verdict}` is always available: the finding's status in words.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

from ..config import data_dir, load_toml
from ..errors import ConfigError

LANGS = ("zh", "en")
_QUOTES = {"zh": ("“", "”", "、"), "en": ("'", "'", ", ")}


class Catalogue:
    """Finding templates by code and language and their word tables (findings.toml), and rule titles
    (rules.toml), from configs/messages/; the report's own labels are report.toml (labels.py)."""

    def __init__(self, folder: Path) -> None:
        data: dict[str, Any] = dict(load_toml(folder / "findings.toml"))
        self.words: dict[str, dict[str, dict[str, str]]] = data.pop("words", {})
        self.units: dict[str, dict[str, str]] = data.pop("units", {})
        # rule titles (rules.toml) are shared with the reviewer's report, which reads them through labels.py
        self.rules: dict[str, dict[str, Any]] = dict(load_toml(folder / "rules.toml"))
        self.templates: dict[str, dict[str, str]] = {}
        for code, entry in data.items():
            if not isinstance(entry, dict):
                raise ConfigError(str(folder), f"{code}: a message must be a table of zh/en templates")
            # a dotted TOML key ("zh.mismatch") arrives as a nested table
            flat = {}
            for k, v in entry.items():
                if isinstance(v, dict):
                    flat.update({f"{k}.{sub}": t for sub, t in v.items()})
                else:
                    flat[k] = v
            unknown = set(flat) - {f"{lang}{tail}" for lang in LANGS
                                   for tail in ("", ".consistent", ".mismatch", ".unverified", ".qualitative")}
            if unknown:
                raise ConfigError(str(folder), f"{code}: unknown keys {', '.join(sorted(unknown))}")
            self.templates[code] = flat

    def template(self, code: str, status: str, lang: str) -> str:
        entry = self.templates.get(code)
        if entry is None:
            raise KeyError(code)
        for key in (f"{lang}.{status}", lang, f"zh.{status}", "zh"):
            if key in entry:
                return entry[key]
        raise KeyError(f"{code}: no template for {lang}")

    def word(self, table: str, key: str, lang: str) -> str:
        entry = self.words.get(table, {}).get(str(key))
        if entry is None:
            return str(key)
        return entry.get(lang) or entry.get("zh") or str(key)

    def rule_title(self, rule: str, lang: str) -> str:
        entry = self.rules.get(rule)
        return (entry.get(lang) or entry.get("zh")) if entry else rule

    def unit(self, unit: Optional[str], lang: str) -> str:
        if not unit:
            return ""
        entry = self.units.get(unit)
        return entry.get(lang, unit) if entry else unit


@lru_cache(maxsize=4)
def catalogue(folder: Optional[str] = None) -> Catalogue:
    return Catalogue(Path(folder) if folder else data_dir("configs") / "messages")


def fmt_number(x: float, decimals: Optional[int] = None) -> str:
    """A figure as a reviewer writes it: no trailing .0 for whole numbers."""
    if decimals is not None:
        return f"{x:.{decimals}f}"
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:.4f}".rstrip("0").rstrip(".")


# a Python format spec ({x:.2f}), as opposed to the catalogue's own (join=、, quote, …)
_PY_SPEC = re.compile(r"[<>^=]?[+\- ]?#?0?\d*[,_]?(?:\.\d+)?[eEfFgGn%]?")


@lru_cache(maxsize=1024)
def _plain_fields(template: str) -> Optional[tuple[tuple[str, Optional[str], str], ...]]:
    """A template as (literal text, parameter name or None, spec) when every placeholder is a plain
    name with a spec holding no braces and no conversion, which `string.Formatter` would render
    field by field with `get_value` and `format_field`; None for anything else (rendered by it)."""
    out = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if name is not None and (conversion is not None or not name.isidentifier() or "{" in spec or "}" in spec):
            return None
        out.append((literal, name, spec or ""))
    return tuple(out)


class _Formatter(string.Formatter):
    def __init__(self, cat: Catalogue, lang: str, status: str, decimals: Optional[int]) -> None:
        self.cat, self.lang, self.status, self.decimals = cat, lang, status, decimals

    def get_value(self, key, args, kwargs):
        if key == "verdict":
            return self.cat.word("verdict", self.status, self.lang)
        return kwargs.get(key, "")

    def format_field(self, value: Any, spec: str) -> str:
        opts = dict(part.split("=", 1) if "=" in part else (part, "") for part in spec.split(";") if part) \
            if spec and not _PY_SPEC.fullmatch(spec) else None
        if opts is None:
            return format(value, spec) if isinstance(value, (int, float)) and spec else self._one(value)
        items = value if isinstance(value, (list, tuple)) else [value]
        if "each" in opts:
            parts = [render(item.get("code", opts["each"]), self.status, item, self.lang, self.cat) for item in items]
        else:
            parts = [self._one(x) for x in items]
            if "word" in opts:
                parts = [self.cat.word(opts["word"], x, self.lang) for x in parts]
            if "unit" in opts:
                parts = [self.cat.unit(x, self.lang) for x in parts]
            if "quote" in opts:
                left, right, sep = _QUOTES[self.lang]
                parts = [f"{left}{x}{right}" for x in parts]
                opts.setdefault("join", sep)
        return opts.get("join", _QUOTES[self.lang][2]).join(parts)

    def _one(self, value: Any) -> str:
        if value is None:
            return "—"
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, (int, float)):
            return fmt_number(float(value), self.decimals)
        return str(value)


def render(code: str, status: str, params: Mapping[str, Any], lang: str = "zh",
           cat: Optional[Catalogue] = None) -> str:
    """The sentence for one finding or verdict."""
    cat = cat or catalogue()
    template = cat.template(code, status, lang)
    decimals = params.get("decimals")
    fmt = _Formatter(cat, lang, status, decimals if isinstance(decimals, int) else None)
    fields = _plain_fields(template)
    if fields is None:
        return fmt.format(template, **params)
    out = []
    for literal, name, spec in fields:  # what Formatter.vformat does for such a template, without re-parsing it
        if literal:
            out.append(literal)
        if name is not None:
            out.append(fmt.format_field(fmt.get_value(name, (), params), spec))
    return "".join(out)


def finding_message(f, lang: str = "zh") -> str:
    return render(f.code or f.rule, f.status, f.params, lang)


def verdict_note(v, lang: str = "zh") -> str:
    return render(v.code, v.status, v.params, lang) if v.code else ""


def rule_title(rule: str, lang: str = "zh") -> str:
    return catalogue().rule_title(rule, lang)


def word(table: str, key: str, lang: str = "zh") -> str:
    return catalogue().word(table, key, lang)
