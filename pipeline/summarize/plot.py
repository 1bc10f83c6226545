"""One comparable indicator across years, drawn with matplotlib (imported only here).

Chinese labels need a CJK font: the first of configs/summary.toml `[plot] fonts`
that matplotlib finds (scripts/install-cjk-font.sh installs one). Without any,
the labels are drawn in English, and the caller is told so, rather than
printing empty boxes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Optional, Sequence


def cjk_font(candidates: Sequence[str]) -> Optional[str]:
    """The first candidate family matplotlib has a file for, or None."""
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in candidates if name in have), None)


def draw(row: Mapping[str, Any], out: Path, fonts: Sequence[str]) -> Optional[str]:
    """Write the PNG of one `corpus.summarize` indicator row; returns a warning, or None."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = cjk_font(fonts)
    warning = None
    if family is None:
        warning = ("no CJK font found (tried: " + ", ".join(fonts) + "); labels drawn in English — "
                   "install one with scripts/install-cjk-font.sh")
    years = [p["year"] for p in row["by_year"]]
    measure = row.get("measure", "total")
    totals = [p[measure] for p in row["by_year"]]
    unit = row.get("unit") or ""
    zh = family is not None
    with plt.rc_context({"font.family": [family] if zh else ["DejaVu Sans"], "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
        ax.bar([str(y) for y in years], totals, color="#4C72B0")
        for p, x in zip(row["by_year"], [str(y) for y in years]):
            label = f"{round(p[measure], 2):g}"
            if p["change_pct"] is not None:
                label += f"\n({p['change_pct']:+.1f}%)"
            ax.annotate(label, (x, p[measure]), ha="center", va="bottom", fontsize=8)
        if zh:
            what = "均值" if measure == "mean" else "合计"
            ax.set_title(f"{row['indicator']}：各年度{what}（{row['reports']} 份报告，括号内为同比）")
            ax.set_xlabel("年度")
            ax.set_ylabel(f"{what}（{unit}）" if unit else what)
        else:
            ax.set_title(f"indicator {measure} by year ({row['reports']} reports; year-on-year in brackets)")
            ax.set_xlabel("year")
            ax.set_ylabel(measure)
        ax.margins(y=0.2)
        fig.tight_layout()
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out)
        plt.close(fig)
    return warning
