"""Shared test helpers: fixture paths, a small report builder, the shared gold (skipped when absent)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
DEPARTMENT = FIXTURES / "department"
PROJECT = FIXTURES / "project"
NARRATIVE = FIXTURES / "narrative"
FIXTURE_DIRS = (DEPARTMENT, PROJECT, NARRATIVE)
SHARED = HERE.parent.parent / "shared"


def build_department(tasks, budget=None, unit="万元", project=None, title=None) -> str:
    """A 部门整体支出绩效自评表 in the archive's tab-separated export.

    tasks: [(name, narrative, [(indicator, value), ...]), ...]
    budget: (adjusted, initial, actual, adjustment, completion_rate, adjustment_rate) as written.
    """
    b = budget or ("110.00", "100.00", "99.00", "10.00", "90.0%", "10.0%")
    rows = [
        title or "2024年度测试区测试局部门整体支出绩效自评表",
        f"单位：{unit}",
        "部门名称\t\t测试区测试局\t\t被评价年度\t2024年",
        f"部门资金情况\t部门调整预算收入\t{b[0]}\t部门年初预算收入\t{b[1]}\t",
        f"\t实际支出数\t{b[2]}\t年度预算调整数\t{b[3]}\t",
        f"\t预算完成率\t{b[4]}\t预算调整率\t{b[5]}\t",
        "主要任务\t预期目标\t目标完成情况\t关键指标\t指标完成情况\t任务涉及资金",
    ]
    for name, narrative, indicators in tasks:
        first = True
        for ind, val in indicators:
            if first:
                rows.append(f"{name}\t完成年度任务\t<p>{narrative}</p>\t{ind}\t{val}\t10.00")
                first = False
            else:
                rows.append(f"\t\t\t{ind}\t{val}\t")
    if project:
        rows.append(f"重点项目绩效情况\t\t<p>{project}</p>\t\t\t")
    rows.append("存在问题\t\t<p>无。</p>\t\t\t")
    return "\n".join(rows) + "\n"


@pytest.fixture
def check_text(tmp_path):
    """Check a report given as text; returns the CheckResult."""
    from pipeline import api

    def run(text: str, name: str = "report.txt", encoding: str = "utf-8"):
        p = tmp_path / name
        p.write_bytes(text.encode(encoding))
        return api.check_path(p)

    return run


def gold_files(folder: Path):
    return sorted((folder / "gold").glob("*.json"))


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def build_project(indicators, funds=None, result="全年完成各项任务。", total=("100", "100"), unit="万元",
                  title="项目支出绩效自评表", plan="完成年度任务。") -> str:
    """A 项目支出绩效自评表 (central template) in the tab-separated export.

    indicators: [(level1, level2, name, target, actual, weight, score, reason), ...]
    funds: [(label, initial, budget, executed, weight, rate, score), ...], the total first.
    plan, result: the 预期目标 and 实际完成情况 cells.
    """
    funds = funds or [("年度资金总额", "100.00", "100.00", "95.00", "10", "95.00%", "9.50"),
                      ("其中：当年财政拨款", "100.00", "100.00", "95.00", "—", "—", "—")]
    rows = [title, "（2024年度）", f"单位：{unit}",
            "项目名称\t测试项目\t\t\t\t\t\t",
            "主管部门\t测试区测试局\t\t\t实施单位\t测试中心\t\t",
            "项目资金\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分"]
    rows += ["\t" + "\t".join(f) for f in funds]
    rows += ["年度总体目标\t预期目标\t\t\t实际完成情况\t\t\t",
             f"\t{plan}\t\t\t<p>{result}</p>\t\t\t",
             "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"]
    rows += ["\t" + "\t".join(i) for i in indicators]
    rows.append(f"总分\t\t\t\t\t\t{total[0]}\t{total[1]}\t")
    return "\n".join(rows) + "\n"
