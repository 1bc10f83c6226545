"""The generator's vocabulary, read from configs/generator/*.toml."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..config import data_dir, load_toml


@dataclass(frozen=True)
class Output:
    noun: tuple[str, ...]
    ind: tuple[str, ...]
    unit: str
    verb: tuple[str, ...]
    lo: int
    hi: int
    alt: tuple[str, ...] = ()
    pre: bool = False
    wan: bool = False
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaskSpec:
    name: tuple[str, ...]
    goal: str
    outputs: tuple[Output, ...]


@dataclass(frozen=True)
class DeptSpec:
    kind: str
    names: tuple[str, ...]
    overall: str
    problem: str
    next: str
    projects: tuple[str, ...]
    qual: tuple[str, ...]
    rates: tuple[str, ...]
    tasks: tuple[TaskSpec, ...]


@dataclass(frozen=True)
class Vocab:
    places: tuple[str, ...]
    depts: tuple[DeptSpec, ...]
    intro: tuple[str, ...]
    numbering: tuple[str, ...]
    decoys: tuple[str, ...]
    extras: tuple[dict, ...] = field(default_factory=tuple)


def _output(d: dict) -> Output:
    return Output(tuple(d["noun"]), tuple(d["ind"]), d["unit"], tuple(d["verb"]), int(d["lo"]), int(d["hi"]),
                  tuple(d.get("alt", ())), bool(d.get("pre", False)), bool(d.get("wan", False)),
                  tuple(d.get("parts", ())))


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    base = data_dir("configs") / "generator"
    d = load_toml(base / "departments.toml")
    p = load_toml(base / "patterns.toml")
    depts = []
    for x in d["dept"]:
        tasks = tuple(TaskSpec(tuple(t["name"]), t["goal"], tuple(_output(o) for o in t["out"])) for t in x["task"])
        depts.append(DeptSpec(x["kind"], tuple(x["names"]), x["overall"], x["problem"], x["next"],
                              tuple(x["projects"]), tuple(x["qual"]), tuple(x["rates"]), tasks))
    return Vocab(tuple(d["places"]), tuple(depts), tuple(p["intro"]), tuple(p["numbering"]), tuple(p["decoys"]),
                 tuple(p["extras"]))
