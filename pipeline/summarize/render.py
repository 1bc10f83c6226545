"""A corpus summary as a terminal table, CSV or JSON: written once for every `--by`."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Mapping

STATUSES = ("consistent", "mismatch", "unverified", "qualitative")


def to_json(summary: Mapping[str, Any]) -> str:
    return json.dumps(summary, ensure_ascii=False, indent=2)


def flat_rows(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows of the summary with nested parts spread into columns (rule rates, year totals)."""
    by = summary["by"]
    out = []
    if by == "indicator":
        years = sorted({p["year"] for r in summary["rows"] for p in r["by_year"]})
        for r in summary["rows"]:
            row = {k: r[k] for k in ("indicator", "unit", "reports", "departments", *STATUSES, "unverified_rate",
                                     "measure")}
            per = {p["year"]: p for p in r["by_year"]}
            for y in years:
                row[f"value:{y}"] = per[y][r["measure"]] if y in per else None
                row[f"change_pct:{y}"] = per[y]["change_pct"] if y in per else None
            out.append(row)
        return out
    rules = sorted(summary["rules"])
    for r in summary["rows"]:
        row = {k: v for k, v in r.items() if k not in ("rules", "years")}
        row["years"] = " ".join(str(y) for y in r["years"])
        for rule in rules:
            row[f"rate:{rule}"] = r["rules"].get(rule, {}).get("rate")
        out.append(row)
    return out


def to_csv(summary: Mapping[str, Any]) -> str:
    rows = flat_rows(summary)
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def _pct(x: Any) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


HEAD = {
    "department": "部门", "year": "年度", "reports": "报告", "with_mismatch": "有不符的报告",
    "report_mismatch_rate": "不符报告占比", "indicators": "指标", "mismatches": "不符", "unverified": "未核实",
}


def to_table(summary: Mapping[str, Any], console) -> None:
    """Rich tables on the console: the groups, the rules, the most often unverified indicators."""
    from rich.table import Table

    by = summary["by"]
    console.print(f"报告 {summary['reports']} 份（已核对 {summary['checked']}，无法读取 {summary['unreadable']}），"
                  f"有不符的 {summary['with_mismatch']} 份")
    if by == "indicator":
        t = Table(title="可比指标（同名同单位）各年度合计（比率取均值）与同比")
        for col in ("指标", "单位", "报告", "不符", "未核实", "各年度（同比）"):
            t.add_column(col, overflow="fold")
        for r in summary["rows"]:
            years = "；".join(f"{p['year']}：{p[r['measure']]:g}" + ("" if p["change_pct"] is None else f"（{p['change_pct']:+.1f}%）")
                             for p in r["by_year"])
            t.add_row(r["indicator"], r["unit"] or "—", str(r["reports"]), str(r["mismatch"]), str(r["unverified"]), years or "—")
    else:
        t = Table(title=f"按{HEAD[by]}")
        for col in (HEAD[by], "报告", "有不符的报告", "不符报告占比", "指标", "不符", "未核实", "不符最多的规则"):
            t.add_column(col, overflow="fold")
        for r in summary["rows"]:
            worst = sorted(((v["mismatches"], k) for k, v in r["rules"].items() if v["mismatches"]), reverse=True)[:2]
            t.add_row(str(r[by] if r[by] is not None else "—"), str(r["reports"]), str(r["with_mismatch"]),
                      _pct(r["report_mismatch_rate"]), str(r["indicators"]), str(r["mismatches"]),
                      str(r["indicators_unverified"]),
                      "，".join(f"{k} {n}/{r['rules'][k]['checks']}" for n, k in worst) or "—")
    console.print(t)
    rt = Table(title="各规则的不符率")
    for col in ("规则", "核对次数", "不符", "不符率"):
        rt.add_column(col)
    for rule, v in summary["rules"].items():
        rt.add_row(rule, str(v["checks"]), str(v["mismatches"]), _pct(v["rate"]))
    console.print(rt)
    if summary["most_unverified"]:
        ut = Table(title="最常未核实的指标")
        for col in ("指标", "单位", "未核实", "报告", "占比"):
            ut.add_column(col, overflow="fold")
        for r in summary["most_unverified"]:
            ut.add_row(r["indicator"], r["unit"] or "—", str(r["unverified"]), str(r["reports"]), _pct(r["unverified_rate"]))
        console.print(ut)
