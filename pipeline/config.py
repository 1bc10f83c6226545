"""Settings and lexicons loaded from configs/*.toml, validated once.

Rules live in data so that a new department's vocabulary or a province's
form variant is a data diff. Each file maps onto a dataclass that rejects
unknown keys, so a typo fails loudly instead of silently doing nothing.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping, Optional

from .errors import ConfigError

_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """configs/ or models/: inside the installed wheel, else beside the source tree."""
    for base in (_HERE / "_data" / name, _HERE.parent / name):
        if base.is_dir():
            return base
    raise ConfigError(name, "folder not found beside the package")


def load_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(str(path), str(exc)) from None


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Overrides on top of a file's data, table by table (lists and scalars replace)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve(value: Any, cls: type, default: Callable[[], Any], shipped: Callable[[], Mapping[str, Any]]) -> Any:
    """The one `resolve` of every settings class: an instance as is; None -> `default()`; a dict,
    or a TOML file of overrides, merged table by table on top of the shipped data."""
    if isinstance(value, cls):
        return value
    if value is None:
        return default()
    over = value if isinstance(value, Mapping) else load_toml(Path(value))
    return cls.from_dict(merge(shipped(), over))


def require(where: str, *conditions: tuple[bool, str]) -> None:
    """A settings class's checks as (holds, message) pairs: the first that fails is the ConfigError."""
    for holds, message in conditions:
        if not holds:
            raise ConfigError(where, message)


def strict(cls, data: Mapping[str, Any], where: str):
    """A settings dataclass from a table whose unknown keys are errors (a typo fails loudly)."""
    return _strict(cls, dict(data), where)


def _strict(cls, data: dict[str, Any], where: str):
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(where, (f"未知的键：{'、'.join(sorted(unknown))}", f"unknown keys: {', '.join(sorted(unknown))}"))
    return cls(**data)


@dataclass(frozen=True)
class Units:
    money: tuple[str, ...]
    money_scale: dict[str, float]
    multipliers: dict[str, float]
    families: dict[str, tuple[str, ...]]
    not_followed_by: dict[str, str]
    # measures of one dimension and their size in its base unit (米 = 1, 公里 = 1000)
    dimensions: dict[str, dict[str, float]] = field(default_factory=dict)

    @cached_property
    def dimension_of(self) -> dict[str, tuple[str, float]]:
        """unit -> (its dimension, its size in the dimension's base unit)."""
        return {u: (dim, size) for dim, sizes in self.dimensions.items() for u, size in sizes.items()}

    @cached_property
    def family_of(self) -> dict[str, str]:
        out = {u: "money" for u in self.money}
        for fam, units in self.families.items():
            for u in units:
                out.setdefault(u, fam)
        return out

    @cached_property
    def all_units(self) -> list[str]:
        """Every unit, longest first, so that 人次 wins over 人 and 万元 over 元."""
        units = set(self.money)
        for us in self.families.values():
            units.update(us)
        return sorted(units, key=lambda u: (-len(u), u))


@dataclass(frozen=True)
class Quantifiers:
    prefix: dict[str, str]
    infix: dict[str, str]
    suffix: dict[str, str]
    comparators: dict[str, str]
    not_prefix: dict[str, list] = field(default_factory=dict)


@dataclass(frozen=True)
class Partition:
    """A list complete by definition (支出 = 基本支出 + 项目支出): its members, each one or more words,
    and (optionally) the words that name what it divides."""

    parts: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] = ()

    def member(self, subject: str) -> Optional[int]:
        """Which member a part's subject names (its longest word wins), or None."""
        best, at = 0, None
        for k, words in enumerate(self.parts):
            for w in words:
                if w in subject and len(w) > best:
                    best, at = len(w), k
        return at

    def divides(self, subject: str) -> bool:
        return not self.total or any(w in subject for w in self.total)


@dataclass(frozen=True)
class Lexicon:
    total: tuple[str, ...]
    subset: tuple[str, ...]
    exhaustive: tuple[str, ...]
    leading: tuple[str, ...]
    trailing: tuple[str, ...]
    stop_after: tuple[str, ...]
    object_verbs: frozenset[str]
    generic: frozenset[str]
    suffixes: tuple[str, ...]
    roles: dict[str, tuple[str, ...]]
    role_neutral: tuple[str, ...]
    names: tuple[str, ...]
    frequency: tuple[str, ...]
    ordinal_before: tuple[str, ...]
    remainder: tuple[str, ...] = ()
    change_context: tuple[str, ...] = ()
    change_verbs: tuple[str, ...] = ()
    balance: tuple[str, ...] = ()
    share: tuple[str, ...] = ()
    standard: tuple[str, ...] = ()
    standard_after: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    money_nouns: tuple[str, ...] = ()
    money_names: tuple[str, ...] = ()
    money_names_per: tuple[str, ...] = ()
    headcount: tuple[str, ...] = ()
    unit_name_ends: tuple[str, ...] = ()
    received: tuple[str, ...] = ()
    announce: tuple[str, ...] = ()
    execution_verbs: tuple[str, ...] = ()
    adjusted: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    funds: tuple[str, ...] = ()
    furniture: tuple[str, ...] = ()
    furniture_after: tuple[str, ...] = ()
    phase_after: tuple[str, ...] = ()
    instruction: tuple[str, ...] = ()
    rubric_deduct: tuple[str, ...] = ()
    rubric_award: tuple[str, ...] = ()
    rubric_condition: tuple[str, ...] = ()
    rubric_markers: tuple[str, ...] = ()
    score_labels: tuple[str, ...] = ()
    partitions: tuple[Partition, ...] = ()
    facets: tuple[tuple[str, ...], ...] = ()

    @cached_property
    def _neutral_longest_first(self) -> tuple[str, ...]:
        return tuple(sorted(self.role_neutral, key=len, reverse=True))

    @cached_property
    def rubric_pattern(self) -> Optional[re.Pattern]:
        """The rubric markers in one alternation, longest first (each counted once where one holds
        another); None when there are none."""
        words = sorted(self.rubric_markers, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, words))) if words else None

    @cached_property
    def change_heads(self) -> tuple[str, ...]:
        """What the text before a figure of change ends with: a verb of change, or it and 了 (增加了)."""
        return self.change_verbs + tuple(v + "了" for v in self.change_verbs)

    def strip_neutral(self, subject: str) -> str:
        """The subject without words that do not change what it refers to (项目全年预算 -> 预算)."""
        neutral = self._neutral_longest_first
        if not (subject.startswith(neutral) or subject.endswith(neutral)):
            return subject  # most subjects: none to strip (one test in C, not one per word)
        changed = True
        while changed and subject:
            changed = False
            for w in neutral:
                if subject.startswith(w) and len(subject) > len(w):
                    subject, changed = subject[len(w):], True
                elif subject.endswith(w) and len(subject) > len(w):
                    subject, changed = subject[: -len(w)], True
        return subject


@dataclass(frozen=True)
class LinkRules:
    strong_share: float = 0.5
    max_parts: int = 12
    bigram_share: float = 0.25
    common_min_sections: int = 3
    common_share: float = 0.6

    def __post_init__(self) -> None:
        require("rules.toml",
                (0 < self.strong_share <= 1, "link.strong_share must be in (0, 1]"),
                (self.max_parts >= 2, "link.max_parts must be at least 2"),
                (0 < self.bigram_share < self.strong_share, "link.bigram_share must be in (0, strong_share)"),
                (self.common_min_sections >= 1, "link.common_min_sections must be at least 1"),
                (0 < self.common_share <= 1, "link.common_share must be in (0, 1]"))


@dataclass(frozen=True)
class ApproxRules:
    relative: float = 0.05
    near: float = 0.8
    beyond: float = 1.5

    def __post_init__(self) -> None:
        require("rules.toml",
                (0 < self.near <= 1, "approx.near must be in (0, 1]"),
                (self.beyond >= 1, "approx.beyond must be at least 1"))


@dataclass(frozen=True)
class RateRules:
    extra_ulps: int = 0


@dataclass(frozen=True)
class MoneyRules:
    sum_ulps: int = 1


@dataclass(frozen=True)
class BudgetRules:
    # key indicators that restate a rate of the department's budget block (预算完成率 95%)
    restated_completion_rate: tuple[str, ...] = ()
    restated_adjustment_rate: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "restated_completion_rate", tuple(self.restated_completion_rate))
        object.__setattr__(self, "restated_adjustment_rate", tuple(self.restated_adjustment_rate))
        require("rules.toml", *((isinstance(w, str) and w, f"budget.{f.name} must list words")
                                for f in fields(self) for w in getattr(self, f.name)))


@dataclass(frozen=True)
class ProjectRules:
    low_rate: float = 90.0
    # a budget-execution score may exceed 分值 × 执行率 by this much (rounding of the stated score)
    score_slack: float = 0.005

    def __post_init__(self) -> None:
        require("rules.toml",
                (0 < self.low_rate <= 100, "project.low_rate must be in (0, 100]"),
                (self.score_slack >= 0, "project.score_slack must not be negative"))


@dataclass(frozen=True)
class FormRules:
    stream_min_rows: int = 20
    stream_single_share: float = 0.85
    reason_min_chars: int = 14
    spaced_header_min: int = 4
    numbered_min_rows: int = 3
    numbered_share: float = 0.5
    title_max_chars: int = 80

    def __post_init__(self) -> None:
        require("rules.toml",
                (self.stream_min_rows >= 1, "form.stream_min_rows must be at least 1"),
                (self.numbered_min_rows >= 2, "form.numbered_min_rows must be at least 2"),
                (self.title_max_chars >= 20, "form.title_max_chars must be at least 20"),
                (0 < self.numbered_share <= 1, "form.numbered_share must be in (0, 1]"),
                (self.spaced_header_min >= 2, "form.spaced_header_min must be at least 2"),
                (0 < self.stream_single_share <= 1, "form.stream_single_share must be in (0, 1]"),
                (self.reason_min_chars >= 1, "form.reason_min_chars must be at least 1"))


@dataclass(frozen=True)
class ClaimRules:
    noun_words: int = 5
    noun_chars: int = 14
    subject_chars: int = 20
    label_chars: int = 20
    list_name_chars: int = 24
    max_percent: int = 10000

    def __post_init__(self) -> None:
        # every window is a count of words or characters (and the largest percentage): at least one
        require("rules.toml", *((getattr(self, f.name) >= 1, f"claims.{f.name} must be at least 1") for f in fields(self)))


@dataclass(frozen=True)
class Rules:
    link: LinkRules = field(default_factory=LinkRules)
    approx: ApproxRules = field(default_factory=ApproxRules)
    rates: RateRules = field(default_factory=RateRules)
    money: MoneyRules = field(default_factory=MoneyRules)
    budget: BudgetRules = field(default_factory=BudgetRules)
    project: ProjectRules = field(default_factory=ProjectRules)
    form: FormRules = field(default_factory=FormRules)
    claims: ClaimRules = field(default_factory=ClaimRules)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Rules":
        """rules.toml's data; unknown sections or keys are errors."""
        parts = {"link": LinkRules, "approx": ApproxRules, "rates": RateRules, "money": MoneyRules,
                 "budget": BudgetRules, "project": ProjectRules, "form": FormRules, "claims": ClaimRules}
        unknown = set(data) - set(parts)
        if unknown:
            raise ConfigError("rules.toml", f"unknown sections: {', '.join(sorted(unknown))}")
        return cls(**{k: _strict(c, dict(data.get(k, {})), f"rules.toml [{k}]") for k, c in parts.items()})


def parse_units(d: dict[str, Any]) -> Units:
    money = d.get("money", {})
    return Units(
        money=tuple(money.get("units", [])),
        money_scale={k: float(v) for k, v in money.get("scale", {}).items()},
        multipliers={k: float(v) for k, v in d.get("multipliers", {}).items()},
        families={k: tuple(v) for k, v in d.get("families", {}).items()},
        not_followed_by=dict(d.get("not_followed_by", {})),
        dimensions={k: {u: float(x) for u, x in v.items()} for k, v in d.get("dimensions", {}).items()},
    )


def parse_quantifiers(d: dict[str, Any]) -> Quantifiers:
    return _strict(Quantifiers, {k: dict(v) for k, v in d.items()}, "quantifiers.toml")


def parse_lexicon(d: dict[str, Any]) -> Lexicon:
    try:
        m, s, ln, r, nc = d["markers"], d["subject"], d["link"], d["roles"], d["not_claims"]
        return Lexicon(
            total=tuple(m["total"]),
            subset=tuple(m["subset"]),
            exhaustive=tuple(m["exhaustive"]),
            leading=tuple(sorted(s["leading"], key=len, reverse=True)),
            trailing=tuple(sorted(s["trailing"], key=len, reverse=True)),
            stop_after=tuple(sorted(s["stop_after"], key=len, reverse=True)),
            object_verbs=frozenset(s["object_verbs"]),
            generic=frozenset(ln["generic"]),
            suffixes=tuple(sorted(ln["suffixes"], key=len, reverse=True)),
            roles={k: tuple(sorted(v, key=len, reverse=True)) for k, v in r.items() if k in ("budget", "execution", "rate")},
            role_neutral=tuple(r.get("neutral", [])),
            names=tuple(sorted(nc["names"], key=len, reverse=True)),
            frequency=tuple(nc["frequency"]),
            ordinal_before=tuple(nc["ordinal_before"]),
            remainder=tuple(m.get("remainder", ())),
            change_context=tuple(m.get("change_context", ())),
            change_verbs=tuple(sorted(m.get("change_verbs", ()), key=len, reverse=True)),
            balance=tuple(m.get("balance", ())),
            share=tuple(m.get("share", ())),
            standard=tuple(m.get("standard", ())),
            standard_after=tuple(m.get("standard_after", ())),
            levels=tuple(m.get("levels", ())),
            money_nouns=tuple(m.get("money_nouns", ())),
            money_names=tuple(m.get("money_names", ())),
            money_names_per=tuple(m.get("money_names_per", ())),
            headcount=tuple(m.get("headcount", ())),
            unit_name_ends=tuple(m.get("unit_name_ends", ())),
            received=tuple(r.get("received", ())),
            announce=tuple(sorted(m.get("announce", ()), key=len, reverse=True)),
            execution_verbs=tuple(sorted(r.get("execution_verbs", ()), key=len, reverse=True)),
            adjusted=tuple(r.get("adjusted", ())),
            source=tuple(r.get("source", ())),
            funds=tuple(r.get("funds", ())),
            furniture=tuple(nc.get("furniture", ())),
            furniture_after=tuple(nc.get("furniture_after", ())),
            phase_after=tuple(nc.get("phase_after", ())),
            instruction=tuple(nc.get("instruction", ())),
            rubric_deduct=tuple(sorted(nc.get("rubric_deduct", ()), key=len, reverse=True)),
            rubric_award=tuple(nc.get("rubric_award", ())),
            rubric_condition=tuple(nc.get("rubric_condition", ())),
            rubric_markers=tuple(nc.get("rubric_markers", ())),
            score_labels=tuple(nc.get("score_labels", ())),
            partitions=tuple(_partition(p) for p in d.get("partitions", ())),
            facets=tuple(tuple(f["words"]) for f in d.get("facets", ())),
        )
    except KeyError as exc:
        raise ConfigError("lexicon.toml", f"missing key {exc}") from None


def _partition(d: dict[str, Any]) -> Partition:
    unknown = set(d) - {"parts", "total"}
    if unknown or len(d.get("parts", ())) < 2:
        raise ConfigError("lexicon.toml [[partitions]]", "each partition needs `parts` (two or more lists of words) "
                          f"and may have `total`{'; unknown: ' + ', '.join(sorted(unknown)) if unknown else ''}")
    return Partition(tuple(tuple(g) for g in d["parts"]), tuple(d.get("total", ())))


def parse_synonyms(d: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    unknown = set(d) - {"groups"}
    if unknown:
        raise ConfigError("synonyms.toml", f"unknown keys: {', '.join(sorted(unknown))}")
    return tuple(tuple(g) for g in d.get("groups", []))


@dataclass(frozen=True)
class Template:
    """A form template: its name, how to recognise it, and its block labels."""

    name: str
    title: str
    signals: tuple[str, ...]
    min_signals: int
    kind: str
    labels: dict[str, dict[str, tuple[str, ...]]]
    path: Optional[str] = None
    options: dict[str, Any] = field(default_factory=dict)

    def group(self, name: str) -> Mapping[str, tuple[str, ...]]:
        """A group of labels; a group the template does not have is one shared empty mapping (the
        label index of `form.grid` is kept per mapping, so a new {} each time would rebuild it)."""
        return self.labels.get(name, _NO_LABELS)


_NO_LABELS: Mapping[str, tuple[str, ...]] = MappingProxyType({})


_TYPES = {"str": str, "int": int, "bool": bool, "list": list, "float": (int, float)}


def _check_type(value: Any, type_name: str, path: str, key: str) -> None:
    want = _TYPES[type_name]
    if not isinstance(value, want) or (type_name == "int" and isinstance(value, bool)):
        raise ConfigError(path, (f"{key} 应为 {type_name} 类型，而不是 {type(value).__name__}",
                                f"{key} must be {type_name}, not {type(value).__name__}"))


def validate_template(data: dict[str, Any], schema: dict[str, Any], path: str) -> None:
    """The template against its kind's schema (configs/template_schema.toml): unknown groups or keys,
    missing required ones and wrong types fail here, at load time, naming the file and the key."""
    common = schema.get("common", {})
    for key, type_name in common.get("required", {}).items():
        if key == "kind":
            continue  # defaults to the name
        if key not in data:
            raise ConfigError(path, (f"缺少键 {key}", f"missing key '{key}'"))
        _check_type(data[key], type_name, path, key)
    kind = data.get("kind", data.get("name"))
    spec = schema.get(kind)
    if spec is None:
        known = ", ".join(sorted(k for k in schema if k != "common"))
        raise ConfigError(path, (f"未知的模板类型 {kind}（已知：{known}）", f"unknown kind '{kind}' (known: {known})"))
    top = {**common.get("required", {}), **common.get("optional", {})}
    groups, options = spec.get("groups", {}), spec.get("options", {})
    for key, value in data.items():
        if key in top:
            _check_type(value, top[key], path, key)
        elif key in options:
            _check_type(value, options[key], path, key)
        elif isinstance(value, dict):
            if key not in groups:
                raise ConfigError(path, (f"{kind} 类模板没有 [{key}] 这一组（已知：{'、'.join(groups)}）",
                                        f"unknown group [{key}] for kind '{kind}' (known: {', '.join(groups)})"))
            allowed = set(groups[key].get("required", ())) | set(groups[key].get("optional", ()))
            for label, aliases in value.items():
                if label not in allowed:
                    raise ConfigError(path, (f"[{key}] 中没有 {label} 这个键（已知：{'、'.join(sorted(allowed))}）",
                                            f"unknown key '{label}' in [{key}] (known: {', '.join(sorted(allowed))})"))
                if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                    raise ConfigError(path, (f"[{key}] {label} 应为字符串列表", f"[{key}] {label} must be a list of strings"))
        else:
            raise ConfigError(path, (f"{kind} 类模板没有 {key} 这个键", f"unknown key '{key}' for kind '{kind}'"))
    for group, entry in groups.items():
        for label in entry.get("required", ()):
            if label not in data.get(group, {}):
                raise ConfigError(path, (f"[{group}] 缺少必需的键 {label}", f"missing required key '{label}' in [{group}]"))


def parse_template(data: dict[str, Any], path: str, schema: Optional[dict[str, Any]] = None) -> Template:
    if schema is not None:
        validate_template(data, schema, path)
    d = dict(data)
    try:
        name, title = d.pop("name"), d.pop("title")
        signals, min_signals = d.pop("signals"), int(d.pop("min_signals", 2))
        kind = d.pop("kind", name)
    except KeyError as exc:
        raise ConfigError(str(path), f"missing key {exc}") from None
    labels, options = {}, {}
    for group, entries in d.items():
        if isinstance(entries, (int, float, str, bool)):
            options[group] = entries
            continue
        if not isinstance(entries, dict) or not all(isinstance(v, list) for v in entries.values()):
            raise ConfigError(str(path), f"{group} must be a table of label lists")
        labels[group] = {k: tuple(v) for k, v in entries.items()}
    return Template(name, title, tuple(signals), min_signals, kind, labels, str(path), options)
