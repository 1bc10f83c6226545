"""One generated 项目支出绩效自评表 (central or provincial layout) and its gold.

Funds add up, 执行率 follows from them, the budget score is 分值 × 执行率,
every target is met (full marks) or missed with a reason and fewer marks, the
scores add up to 总分, and the narrative states each counted output. A
planted mismatch changes exactly one of these and is recorded.
"""
from __future__ import annotations

import random
from typing import Optional

from .department import Built
from .numbers import Written, plain
from .vocab import Vocab

# what a planted mismatch changes; a missed target with full marks is not one (leniency: a warning)
KINDS = ("indicator", "execution_rate", "fund_total", "score_over", "score_total", "prose_rate")
LAYOUTS = ("project", "project_provincial")  # the templates a generated project form is drawn from


class Layout:
    """How a template's form is written: each label is the first alias of its key in the template
    (configs/templates/), columns in the order of the template's [layout]."""

    def __init__(self, tpl) -> None:
        first = lambda group, key: tpl.group(group)[key][0].rstrip("*")
        lay = tpl.group("layout")
        self.name, self.title = tpl.name, tpl.title
        self.dept, self.impl = first("fields", "department"), first("fields", "implementer")
        self.funds = first("funds", "block") + "（万元）"
        self.fund_columns = lay["fund_columns"]
        self.cols = [first("funds", c) for c in self.fund_columns]
        self.total, self.sources, self.blank = first("funds", "total"), lay["sources"], lay.get("blank", ("",))[0]
        self.goal = first("goals", "block")
        self.goal_cols = [first("goals", "expected"), first("goals", "result")]
        self.ind = first("indicators", "block")
        self.indicator_columns = lay["indicator_columns"]
        self.ind_cols = [first("indicators", c) for c in self.indicator_columns]
        self.sum = first("total", "label")


def layouts(settings=None) -> dict[str, Layout]:
    from ..settings import Settings

    s = Settings.resolve(settings)
    return s.memo("generate.layouts", lambda: {name: Layout(next(t for t in s.templates if t.name == name))
                                                for name in LAYOUTS})


REASONS = ("受天气影响部分工作延后", "项目实施周期调整", "参与人数少于预期", "部分资金未及时拨付")


class ProjectReport:
    def __init__(self, rng: random.Random, vocab: Vocab, plant: Optional[str] = None) -> None:
        self.rng, self.v, self.plant = rng, vocab, plant
        self.dept = rng.choice(vocab.depts)
        self.year = rng.randint(2019, 2024)
        self.place = rng.choice(vocab.places)
        self.layout = rng.choice(LAYOUTS)
        self.claims: list[dict] = []
        self.indicators: list[dict] = []
        self.expect: list[dict] = []
        self.mutations: list[dict] = []

    def build(self) -> Built:
        rng, L = self.rng, layouts()[self.layout]
        name = rng.choice(self.dept.projects)
        dept = self.place + self.dept.names[0]
        budget = round(rng.uniform(30, 900), 2)
        spent = round(budget * rng.uniform(0.9, 1.0), 2)
        rate = round(spent / budget * 100, 2)
        weight_f = 10
        score_f = round(weight_f * rate / 100, 2)
        # outputs: counted things the narrative states, with targets below what was done
        task = rng.choice(self.dept.tasks)
        outs = list(task.outputs)[:3]
        weights = {3: [20, 20, 20], 2: [30, 30], 1: [60]}[len(outs)]
        rows, sentences = [], []
        plant_row = rng.randrange(len(outs)) if self.plant in ("indicator", "score_over") else -1
        for k, (o, w) in enumerate(zip(outs, weights)):
            v = rng.randint(max(o.lo, 2), o.hi)
            noun, unit, verb = rng.choice(o.noun), o.unit, rng.choice(o.verb)
            written = plain(rng, v, False, cn=False)
            text = f"{noun}{written.text}{unit}"
            sentences.append(f"{verb}{text}")
            self.claims.append({"section": L.goal, "key": noun, "value": v, "unit": unit})
            ind_name = rng.choice(o.ind)
            target, score, reason, shown = max(1, int(v * rng.uniform(0.75, 0.95))), w, "", v
            status = ["consistent"]
            if rng.random() < 0.2:  # a target missed, with a reason and fewer marks
                target, score, reason = int(v * rng.uniform(1.05, 1.2)) + 1, w - rng.randint(1, 3), rng.choice(REASONS)
            if k == plant_row and self.plant == "indicator":
                shown = v + max(2, int(v * rng.uniform(0.15, 0.4)))
                status = ["mismatch"]
                self.expect.append({"new": str(shown), "why": f"{ind_name} {shown}{unit}, narrative {text}"})
            elif k == plant_row and self.plant == "score_over":
                score = w + rng.randint(1, 5)
                self.expect.append({"new": str(score), "why": f"{ind_name}: score {score} above weight {w}"})
            self.indicators.append({"name": ind_name, "value": shown, "unit": unit, "status": status})
            rows.append(("产出指标", "数量指标", ind_name, f"≥{target}{unit}", f"{shown}{unit}", w, score, reason))
            if status == ["consistent"] and len(self.mutations) < 2:
                new = v + max(3, int(v * 0.3))
                self.mutations.append({"id": f"nar-{k}", "find": text, "replace": f"{noun}{new}{unit}", "new": str(new),
                                       "expect": "mismatch"})
        left = 100 - weight_f - sum(weights)
        sat = rng.randint(88, 99)
        sentences.append(f"服务对象满意度达到{sat}%")
        if self.plant == "prose_rate":  # the narrative's execution rate is not the fund table's
            stated = round(rate - 3.5 if rate > 50 else rate + 3.5, 2)
            sentences.append(f"项目预算执行率为{stated:.2f}%")
            self.claims.append({"section": L.goal, "key": "预算执行率", "value": stated, "unit": "%"})
            self.expect.append({"new": f"{stated:.2f}", "why": f"narrative rate {stated:.2f}% is not the table's {rate:.2f}%"})
        self.claims.append({"section": L.goal, "key": "满意度", "value": sat, "unit": "%"})
        self.indicators.append({"name": "服务对象满意度", "value": sat, "unit": "%", "status": ["consistent"]})
        rows.append(("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥85%", f"{sat}%", left // 2, left // 2, ""))
        q = rng.choice(self.dept.qual)
        self.indicators.append({"name": q, "value": None, "unit": None, "status": ["qualitative"]})
        rows.append(("效益指标", "社会效益指标", q, "明显提升", rng.choice(("明显提升", "有所提升")), left - left // 2,
                     left - left // 2, ""))
        total_score = round(score_f + sum(r[6] for r in rows), 2)
        shown_total = total_score
        if self.plant == "score_total":
            shown_total = round(total_score - rng.choice([1, 2, 3]), 2)
            self.expect.append({"new": f"{shown_total:g}", "why": f"scores add up to {total_score:g}"})
        shown_rate = rate
        if self.plant == "execution_rate":
            shown_rate = round(rate - rng.uniform(2, 6), 2)
            self.expect.append({"new": f"{shown_rate:.2f}", "why": "execution rate does not follow from the funds"})
        source = budget  # the source row; a planted error makes it disagree with the total
        if self.plant == "fund_total":
            source = round(budget + rng.choice([-1, 1]) * rng.uniform(5, 30), 2)
            self.expect.append({"new": f"{budget:.2f}", "why": f"total {budget:.2f} is not the sum of its sources ({source:.2f})"})
        else:
            self.mutations.append({"id": "fund-rate", "find": f"{rate:.2f}%", "replace": f"{rate - 3:.2f}%",
                                   "new": f"{rate - 3:.2f}", "expect": "mismatch"})
        table = self._rows(L, name, dept, budget, spent, shown_rate, weight_f, score_f, source, sentences,
                           rows, shown_total)
        gold = {
            "report": {"department": dept, "year": self.year, "template": self.layout, "money_unit": "万元"},
            # a layout without a 年初 column states no initial budget
            "budget": {"initial": budget if "initial" in L.fund_columns else None, "adjusted": budget,
                       "actual": spent, "adjustment": None, "completion_rate": shown_rate, "adjustment_rate": None},
            "indicators": self.indicators, "claims": self.claims, "expect_mismatches": self.expect,
            "mutations": self.mutations,
        }
        return Built(table, gold)

    def _rows(self, L: Layout, name, dept, budget, spent, rate, wf, sf, source, sentences, rows,
              total) -> list[list[str]]:
        m = lambda x: f"{x:.2f}"
        out = [[f"{self.year}年度{L.title}"], ["项目名称", name], [L.dept, dept, L.impl, f"{self.place}项目服务中心"]]
        out.append([L.funds, ""] + L.cols)
        totals = {"initial": m(budget), "budget": m(budget), "executed": m(spent), "weight": str(wf),
                  "rate": f"{rate:.2f}%", "score": m(sf)}
        out.append(["", L.total] + [totals[c] for c in L.fund_columns])
        # the first source carries the money (a planted error makes it disagree); the others are empty
        first = {"initial": m(source), "budget": m(source), "executed": m(spent)}
        for k, label in enumerate(L.sources):
            money = first if k == 0 else dict.fromkeys(first, "0.00")
            out.append(["", label] + [money.get(c, L.blank) for c in L.fund_columns])
        out.append([L.goal] + L.goal_cols)
        out.append(["", "完成年度项目任务。", "<p>" + "，".join(sentences) + "。</p>"])
        out.append([L.ind] + L.ind_cols)
        for l1, l2, n, t, a, w, s, r in rows:
            cells = {"level1": l1, "level2": l2, "name": n, "target": t, "actual": a, "weight": str(w),
                     "score": str(s), "deviation": r}
            out.append([""] + [cells[c] for c in L.indicator_columns])
        out.append([L.sum] + ["100" if c == "weight" else f"{total:g}" if c == "score" else ""
                              for c in L.indicator_columns])
        return out
