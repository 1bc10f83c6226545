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

KINDS = ("indicator", "execution_rate", "fund_total", "score_over", "score_total", "target_full")
LAYOUTS = {
    "project": {
        "title": "项目支出绩效自评表", "dept": "主管部门", "impl": "实施单位", "funds": "项目资金（万元）",
        "cols": ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], "total": "年度资金总额",
        "sources": ["其中：当年财政拨款", "上年结转资金", "其他资金"], "goal": "年度总体目标",
        "goal_cols": ["预期目标", "实际完成情况"], "ind": "绩效指标",
        "ind_cols": ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        "sum": "总分"},
    "project_provincial": {
        "title": "项目绩效自评表", "dept": "项目主管部门", "impl": "项目实施单位", "funds": "资金来源（万元）",
        "cols": ["预算数", "执行数", "执行率", "分值", "得分"], "total": "合计",
        "sources": ["财政资金", "其他资金"], "goal": "绩效目标完成情况", "goal_cols": ["绩效目标", "实际完成情况"],
        "ind": "绩效指标完成情况", "ind_cols": ["指标类型", "指标名称", "指标值", "完成值", "分值", "得分", "未完成原因"],
        "sum": "综合得分"},
}
REASONS = ("受天气影响部分工作延后", "项目实施周期调整", "参与人数少于预期", "部分资金未及时拨付")


class ProjectReport:
    def __init__(self, rng: random.Random, vocab: Vocab, plant: Optional[str] = None) -> None:
        self.rng, self.v, self.plant = rng, vocab, plant
        self.dept = rng.choice(vocab.depts)
        self.year = rng.randint(2019, 2024)
        self.place = rng.choice(vocab.places)
        self.layout = rng.choice(list(LAYOUTS))
        self.claims: list[dict] = []
        self.indicators: list[dict] = []
        self.expect: list[dict] = []
        self.mutations: list[dict] = []

    def build(self) -> Built:
        rng, L = self.rng, LAYOUTS[self.layout]
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
        plant_row = rng.randrange(len(outs)) if self.plant in ("indicator", "score_over", "target_full") else -1
        for k, (o, w) in enumerate(zip(outs, weights)):
            v = rng.randint(max(o.lo, 2), o.hi)
            noun, unit, verb = rng.choice(o.noun), o.unit, rng.choice(o.verb)
            written = plain(rng, v, False, cn=False)
            text = f"{noun}{written.text}{unit}"
            sentences.append(f"{verb}{text}")
            self.claims.append({"section": L["goal"], "key": noun, "value": v, "unit": unit})
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
            elif k == plant_row and self.plant == "target_full":
                target, score, reason = int(v * 1.2) + 1, w, ""
                self.expect.append({"new": str(v), "why": f"{ind_name}: target ≥{target} missed ({v}) with full marks"})
            self.indicators.append({"name": ind_name, "value": shown, "unit": unit, "status": status})
            rows.append(("产出指标", "数量指标", ind_name, f"≥{target}{unit}", f"{shown}{unit}", w, score, reason))
            if status == ["consistent"] and len(self.mutations) < 2:
                new = v + max(3, int(v * 0.3))
                self.mutations.append({"id": f"nar-{k}", "find": text, "replace": f"{noun}{new}{unit}", "new": str(new),
                                       "expect": "mismatch"})
        left = 100 - weight_f - sum(weights)
        sat = rng.randint(88, 99)
        sentences.append(f"服务对象满意度达到{sat}%")
        self.claims.append({"section": L["goal"], "key": "满意度", "value": sat, "unit": "%"})
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
            # the provincial layout has no 年初 column
            "budget": {"initial": budget if self.layout == "project" else None, "adjusted": budget,
                       "actual": spent, "adjustment": None, "completion_rate": shown_rate, "adjustment_rate": None},
            "indicators": self.indicators, "claims": self.claims, "expect_mismatches": self.expect,
            "mutations": self.mutations,
        }
        return Built(table, gold)

    def _rows(self, L, name, dept, budget, spent, rate, wf, sf, source, sentences, rows, total) -> list[list[str]]:
        m = lambda x: f"{x:.2f}"
        out = [[f"{self.year}年度{L['title']}"], ["项目名称", name], [L["dept"], dept, L["impl"], f"{self.place}项目服务中心"]]
        if self.layout == "project":
            out.append([L["funds"], ""] + L["cols"])
            out.append(["", L["total"], m(budget), m(budget), m(spent), str(wf), f"{rate:.2f}%", m(sf)])
            out.append(["", L["sources"][0], m(source), m(source), m(spent), "—", "—", "—"])
            out.append(["", L["sources"][1], "0.00", "0.00", "0.00", "—", "—", "—"])
        else:
            out.append([L["funds"], ""] + L["cols"])
            out.append(["", L["total"], m(budget), m(spent), f"{rate:.2f}%", str(wf), m(sf)])
            out.append(["", L["sources"][0], m(source), m(spent), "", "", ""])
        out.append([L["goal"]] + L["goal_cols"])
        out.append(["", "完成年度项目任务。", "<p>" + "，".join(sentences) + "。</p>"])
        out.append([L["ind"]] + L["ind_cols"])
        for l1, l2, n, t, a, w, s, r in rows:
            if self.layout == "project":
                out.append(["", l1, l2, n, t, a, str(w), str(s), r])
            else:
                out.append(["", l1, n, t, a, str(w), str(s), r])
        out.append([L["sum"]] + [""] * (len(L["ind_cols"]) - 3) + ["100", f"{total:g}", ""])
        return out
