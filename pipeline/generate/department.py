"""One generated 部门整体支出绩效自评表 and its gold, right by construction.

Every figure the narrative states is recorded as a gold claim when it is
written; every indicator gets the status its construction implies
(stated exactly, within an approximation, as a sum of listed parts, as a
total with 其中 parts, not stated at all, or qualitative). A planted mismatch
changes one thing and is recorded under expect_mismatches; nothing else in
the report disagrees.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Optional

from .numbers import Written, approximate, chinese, outside, plain
from .vocab import DeptSpec, Output, TaskSpec, Vocab

KINDS = ("indicator", "approx", "sum", "budget_rate", "budget_adjustment", "project_rate", "parts")
QUAL_VALUES = ("良好", "优秀", "较好", "显著", "达标", "明显提升")


@dataclass
class Line:
    """One task row group: what the table shows and what the narrative says."""

    name: str
    goal: str
    sentences: list[str] = field(default_factory=list)
    indicators: list[tuple[str, str]] = field(default_factory=list)
    funds: str = ""


@dataclass
class Built:
    rows: list[list[str]]
    gold: dict


def _money(x: float) -> str:
    return f"{x:.2f}"


def _pct(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}%"


class DepartmentReport:
    """Builds one report. `plant` is the kind of mismatch to plant, or None for a clean report."""

    def __init__(self, rng: random.Random, vocab: Vocab, plant: Optional[str] = None) -> None:
        self.rng = rng
        self.v = vocab
        self.plant = plant
        self.planted = False
        self.claims: list[dict] = []
        self.indicators: list[dict] = []
        self.expect: list[dict] = []
        self.mutations: list[dict] = []
        self.dept: DeptSpec = rng.choice(vocab.depts)
        self.year = rng.randint(2019, 2024)
        self.name = rng.choice(vocab.places) + rng.choice(self.dept.names)
        self.yuan = rng.random() < 0.2
        self.unit = "元" if self.yuan else "万元"

    # ---- pieces
    def _claim(self, section: str, key: str, w: Written, unit: str, part_of: Optional[int] = None) -> None:
        c = {"section": section, "key": key, "value": w.value, "unit": unit}
        if w.range is not None:
            c["range"] = list(w.range)
        if part_of is not None:
            c["part_of"] = part_of  # index of the total this claim is a part of (其中)
        self.claims.append(c)

    def _indicator(self, line: Line, name: str, raw: str, value, unit, status: list[str], why: str = "",
                   evidence: int = 0) -> None:
        """`evidence`: how many of the claims just written this status rests on (their indices go in the gold)."""
        line.indicators.append((name, raw))
        d = {"name": name, "value": value, "unit": unit, "status": status}
        if why:
            d["why"] = why
        d["evidence"] = list(range(len(self.claims) - evidence, len(self.claims)))
        self.indicators.append(d)

    def _want(self, kind: str) -> bool:
        """Plant this kind of mismatch here? Once per report, at the first chance."""
        if self.plant == kind and not self.planted:
            self.planted = True
            return True
        return False

    def _value(self, o: Output) -> int:
        v = self.rng.randint(o.lo, o.hi)
        if o.wan and v >= 10000:
            v = v - v % (1000 if self.rng.random() < 0.6 else 100)
        return max(v, 1)

    def _raw(self, v: int, unit: str, wan: bool) -> str:
        if wan and v >= 10000 and v % 1000 == 0 and self.rng.random() < 0.5:
            return f"{v / 10000:g}万{unit}"
        return f"{v}{unit}"

    # ---- one output of a task
    def _output(self, line: Line, o: Output, modes: list[str]) -> None:
        rng = self.rng
        noun = rng.choice(o.noun)
        verb = rng.choice(o.verb)
        name = rng.choice(o.ind)
        nunit = rng.choice((o.unit,) + o.alt)
        v = self._value(o)
        mode = modes.pop(0) if modes else rng.choices(["exact", "approx", "sum", "total"], [6, 2, 2, 1])[0]
        if mode in ("sum", "total", "parts") and len(o.parts) < 2:
            mode = "exact"
        if mode == "approx" and (o.pre or v < 20):
            mode = "exact"
        sec = line.name
        if mode == "exact":
            w = plain(rng, v, o.wan)
            text = f"{w.text}{nunit}{noun}" if o.pre else f"{noun}{w.text}{nunit}"
            line.sentences.append(f"{verb}{text}")
            self._claim(sec, noun, w, nunit)
            if self._want("indicator"):
                bad = v + max(2, int(v * rng.uniform(0.15, 0.45)))
                raw = self._raw(bad, o.unit, o.wan)
                self._indicator(line, name, raw, bad, o.unit, ["mismatch"], f"narrative states {w.text}{nunit}", 1)
                self.expect.append({"new": str(bad), "why": f"{name}: indicator {raw}, narrative {text}"})
                return
            raw = self._raw(v, o.unit, o.wan)
            self._indicator(line, name, raw, v, o.unit, ["consistent"], "stated exactly", 1)
            if not o.pre and not w.text.endswith("万") and len(self.mutations) < 4:
                new = v + max(3, int(v * 0.3))
                self.mutations.append({"id": f"nar-{len(self.mutations)}", "find": text,
                                       "replace": f"{noun}{new}{nunit}", "new": str(new), "expect": "mismatch"})
            if len(self.mutations) < 4 and rng.random() < 0.5:
                new = v + max(3, int(v * 0.25))
                self.mutations.append({"id": f"ind-{len(self.mutations)}", "find": f"{name}\t{raw}",
                                       "replace": f"{name}\t{new}{o.unit}", "new": str(new), "expect": "mismatch"})
        elif mode == "approx":
            kind, w, v = approximate(rng, v, nunit)
            line.sentences.append(f"{verb}{noun}{w.text}")
            self._claim(sec, noun, w, nunit)
            if self._want("approx"):
                bad = outside(rng, w, v)
                self._indicator(line, name, f"{bad}{o.unit}", bad, o.unit, ["mismatch"], f"{w.text} does not cover it", 1)
                self.expect.append({"new": str(bad), "why": f"{name} {bad} outside {noun}{w.text}"})
                return
            self._indicator(line, name, f"{v}{o.unit}", v, o.unit, ["consistent"], f"{w.text} covers {v}", 1)
        elif mode == "sum":
            k = min(len(o.parts), rng.choice([2, 3]))
            parts = rng.sample(list(o.parts), k)
            vals = [max(1, int(v * x)) for x in _shares(rng, k)]
            total = sum(vals)
            pieces = []
            for part, val in zip(parts, vals):
                w = plain(rng, val, False)
                pieces.append(f"{part}{noun}{w.text}{nunit}")
                self._claim(sec, part + noun, w, nunit)
            line.sentences.append(verb + "、".join(pieces))
            if self._want("sum"):
                bad = total + max(3, int(total * rng.uniform(0.1, 0.3)))
                self._indicator(line, name, f"{bad}{o.unit}", bad, o.unit, ["mismatch"], f"parts add up to {total}", k)
                self.expect.append({"new": str(bad), "why": f"{name} {bad}, parts add up to {total}"})
                return
            self._indicator(line, name, f"{total}{o.unit}", total, o.unit, ["consistent"], f"parts add up to {total}", k)
        else:  # total, with one part under 其中 (or parts that exceed it when planting)
            parts = rng.sample(list(o.parts), 2)
            w = plain(rng, v, o.wan, cn=False)
            self._claim(sec, noun, w, nunit)
            parts_planted = self._want("parts")
            if parts_planted:
                a = int(v * rng.uniform(0.55, 0.75))
                b = v - a + max(3, int(v * rng.uniform(0.1, 0.25)))
                line.sentences.append(f"共{verb}{noun}{w.text}{nunit}，其中{parts[0]}{a}{nunit}、{parts[1]}{b}{nunit}")
                self._claim(sec, parts[0], Written(str(a), a), nunit, len(self.claims) - 1)
                self._claim(sec, parts[1], Written(str(b), b), nunit, len(self.claims) - 2)
                self.expect.append({"new": str(v), "why": f"其中 {a}+{b}={a + b} exceeds the total {v}"})
            else:
                a = max(1, int(v * rng.uniform(0.2, 0.7)))
                line.sentences.append(f"共{verb}{noun}{w.text}{nunit}，其中{parts[0]}{a}{nunit}")
                self._claim(sec, parts[0], Written(str(a), a), nunit, len(self.claims) - 1)
            total_at = len(self.claims) - (3 if parts_planted else 2)
            self._indicator(line, name, self._raw(v, o.unit, o.wan), v, o.unit, ["consistent"], "the stated total")
            self.indicators[-1]["evidence"] = [total_at]

    def _extra(self, line: Line, taken: str) -> None:
        """A figure no indicator counts: changing it must change no verdict."""
        choices = [e for e in self.v.extras if not _overlap(e["noun"], taken)]
        if not choices:
            return
        e = self.rng.choice(choices)
        v = self.rng.randint(e["lo"], e["hi"])
        w = Written(str(v), v)
        text = f"{e['noun']}{v}{e['unit']}"
        line.sentences.append(f"{e['verb']}{text}")
        self._claim(line.name, e["noun"], w, e["unit"])
        self.mutations.append({"id": f"neutral-{len(self.mutations)}", "find": text,
                               "replace": f"{e['noun']}{v + max(2, v // 5)}{e['unit']}",
                               "new": str(v + max(2, v // 5)), "expect": "clean"})

    def _task(self, spec: TaskSpec, modes: list[str]) -> Line:
        line = Line(self.rng.choice(spec.name), spec.goal)
        for o in spec.outputs:
            self._output(line, o, modes)
        taken = "".join(n for n, _ in line.indicators)
        if self.rng.random() < 0.5:
            self._extra(line, taken)
        return line

    # ---- the whole report
    def build(self) -> Built:
        rng = self.rng
        specs = list(self.dept.tasks)
        rng.shuffle(specs)
        modes_for = {"indicator": ["exact"], "approx": ["approx"], "sum": ["sum"], "parts": ["parts"]}
        lines = []
        for spec in specs:
            modes = []
            if self.plant in modes_for and not self.planted:
                eligible = [o for o in spec.outputs if (self.plant != "approx" or (not o.pre and o.lo >= 20))
                            and (self.plant not in ("sum", "parts") or len(o.parts) >= 2)]
                if eligible:
                    idx = spec.outputs.index(eligible[0])
                    modes = [None] * idx + modes_for[self.plant]
                    modes = [m or rng.choices(["exact", "approx"], [3, 1])[0] for m in modes]
            lines.append(self._task(spec, modes))
        # indicators the narrative cannot confirm: a rate, and a qualitative judgement
        rate_line, qual_line = rng.choice(lines), rng.choice(lines)
        rate = rng.choice(self.dept.rates)
        rv = rng.choice(["100%", "≥95%", "98.5%", "≥90%", "0%"])
        num = rv.strip("≥%")
        self._indicator(rate_line, rate, rv, float(num) if "." in num else int(num), "%", ["unverified"])
        q = rng.choice(self.dept.qual)
        self._indicator(qual_line, q, rng.choice(QUAL_VALUES), None, None, ["qualitative"])

        budget, budget_rows = self._budget()
        project = self._project()
        rows = self._rows(lines, budget_rows, project)
        gold = {
            "report": {"department": self.name, "year": self.year, "template": "department_overall",
                       "money_unit": self.unit},
            "budget": budget,
            "indicators": self.indicators,
            "claims": self.claims,
            "expect_mismatches": self.expect,
            "mutations": self.mutations,
        }
        return Built(rows, gold)

    def _budget(self) -> tuple[dict, list[list[str]]]:
        rng = self.rng
        scale = 10000 if self.yuan else 1
        initial = round(rng.uniform(300, 60000), 2)
        adjusted = round(initial * (1 + rng.uniform(-0.12, 0.18)), 2)
        actual = round(adjusted * rng.uniform(0.82, 0.999), 2)
        initial, adjusted, actual = (round(x * scale, 2) for x in (initial, adjusted, actual))
        adjustment = round(adjusted - initial, 2)
        d1, d2 = rng.choice([1, 2]), rng.choice([1, 2])
        rate = round(actual / adjusted * 100, d1)
        adj_rate = round(adjustment / initial * 100, d2)
        shown_adj = adjustment
        if self._want("budget_rate"):
            rate = round(rate - rng.choice([-1, 1]) * rng.uniform(1.5, 6), d1)
            self.expect.append({"new": f"{rate:.{d1}f}", "why": "completion rate does not follow from the figures"})
        elif self._want("budget_adjustment"):
            shown_adj = round(adjustment + rng.choice([-1, 1]) * rng.uniform(0.05, 0.3) * abs(adjustment or 100), 2)
            self.expect.append({"new": _money(shown_adj), "why": "adjustment is not adjusted minus initial"})
        else:
            better = round(rate + rng.choice([-1, 1]) * rng.uniform(1.5, 4), d1)
            self.mutations.append({"id": "bud-rate", "find": f"预算完成率\t{_pct(rate, d1)}",
                                   "replace": f"预算完成率\t{_pct(better, d1)}", "new": f"{better:.{d1}f}",
                                   "expect": "mismatch"})
        budget = {"initial": initial, "adjusted": adjusted, "actual": actual, "adjustment": shown_adj,
                  "completion_rate": rate, "adjustment_rate": adj_rate}
        rows = [
            ["部门资金情况", "部门调整预算收入", _money(adjusted), "部门年初预算收入", _money(initial), ""],
            ["", "实际支出数", _money(actual), "年度预算调整数", _money(shown_adj), ""],
            ["", "预算完成率", _pct(rate, d1), "预算调整率", _pct(adj_rate, d2), ""],
        ]
        return budget, rows

    def _project(self) -> str:
        rng = self.rng
        name = rng.choice(self.dept.projects)
        budget = round(rng.uniform(20, 2000), 2)
        if self.yuan:
            budget = round(budget * 10000, 2)
        spent = round(budget * rng.uniform(0.85, 1.0), 2)
        d = rng.choice([1, 2])
        rate = round(spent / budget * 100, d)
        shown = rate
        if self._want("project_rate"):
            shown = round(rate - rng.uniform(2, 8), d)
            self.expect.append({"new": f"{shown:.{d}f}", "why": "the project's rate does not follow from its figures"})
        score = rng.choice([88, 90, 92, 95, 96, 98]) + (0.5 if rng.random() < 0.2 else 0)
        u = self.unit
        b_word = rng.choice(["项目全年预算为", "项目预算资金", "全年预算"])
        e_word = rng.choice(["执行数为", "实际支出", "全年实际支出"])
        r_word = rng.choice(["完成预算", "预算执行率为", "预算执行率"])
        text = (f"{name}：{b_word}{_money(budget)}{u}，{e_word}{_money(spent)}{u}，{r_word}{shown:.{d}f}%，"
                f"项目自评得分为{score:g}分。")
        sec = "重点项目"
        self._claim(sec, "预算", Written("", budget), u)
        self._claim(sec, "支出" if "支出" in e_word else "执行数", Written("", spent), u)
        self._claim(sec, "预算", Written("", shown), "%")
        self._claim(sec, "得分", Written("", score), "分")
        return text

    def _rows(self, lines: list[Line], budget_rows, project: str) -> list[list[str]]:
        rng = self.rng
        v = self.v
        style = rng.choice(v.numbering)
        title = f"{self.year}年度{self.name}部门整体支出绩效自评表"
        rows: list[list[str]] = []
        if rng.random() < 0.5:
            rows.append([f"附件{rng.randint(1, 3)}"])
        if rng.random() < 0.2:
            rows += [[f"{self.year}年度{self.name}"], ["部门整体支出绩效自评表"]]
        else:
            rows.append([title])
        rows.append([f"单位：{self.unit}"])
        head = [["部门名称", "", self.name, "", "被评价年度", f"{self.year}年"]]
        intro = rng.choice(v.intro).format(year=self.year, dept=self.name)
        decoy = _decoy(rng, v, self.year)
        goals = [["年度目标", "部门整体支出的预期目标", "", "部门整体支出的目标完成情况", "", ""],
                 ["", _p([ln.goal for ln in lines]), "", _p([intro + decoy]), "", ""]]
        if rng.random() < 0.25:
            rows += head + goals + budget_rows  # the budget block after the goals
        else:
            rows += head + budget_rows + goals
        rows.append(["主要任务", "预期目标", "目标完成情况", "关键指标", "指标完成情况", "任务涉及资金"])
        for ln in lines:
            items = [_number(style, k, s) + "。" for k, s in enumerate(ln.sentences, 1)]
            funds = _money(round(rng.uniform(10, 3000) * (10000 if self.yuan else 1), 2))
            for j, (name, raw) in enumerate(ln.indicators):
                if j == 0:
                    rows.append([ln.name, ln.goal, _p(items), name, raw, funds])
                else:
                    rows.append(["", "", "", name, raw, ""])
        rows.append(["重点项目绩效情况", "", _p([project]), "", "", ""])
        rows.append(["部门整体绩效", "", _p([self.dept.overall]), "", "", ""])
        problem = self.dept.problem
        if rng.random() < 0.3:
            n = rng.randint(2, 9)
            thing = rng.choice(["社区", "站点", "项目", "单位"])
            problem += f"仍有{n}个{thing}尚未达到标准化要求。"
            self._claim("存在问题", thing, Written(str(n), n), "个")
        rows.append(["存在问题", "", _p([problem]), "", "", ""])
        rows.append(["改进措施或下一步计划", "", _p([self.dept.next]), "", "", ""])
        return rows


def _shares(rng: random.Random, k: int) -> list[float]:
    cuts = sorted(rng.uniform(0.15, 0.85) for _ in range(k - 1))
    bounds = [0.0] + cuts + [1.0]
    out = [b - a for a, b in zip(bounds, bounds[1:])]
    return [max(x, 0.08) for x in out]


def _overlap(a: str, b: str) -> bool:
    grams = {a[i:i + 2] for i in range(len(a) - 1)}
    return any(g in b for g in grams)


def _p(paras: list[str]) -> str:
    return " ".join(f"<p>{x}</p>" for x in paras)


def _number(style: str, k: int, s: str) -> str:
    return style.format(i=k, c=chinese(k)) + s


def _decoy(rng: random.Random, v: Vocab, year: int) -> str:
    d = rng.choice(v.decoys)
    return d.format(year=year, month=rng.randint(1, 12), day=rng.randint(1, 28), ordinal=chinese(rng.randint(2, 9)),
                    phone=f"0{rng.randint(10, 999)}-{rng.randint(2000000, 89999999)}")
