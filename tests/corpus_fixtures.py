"""Reports for the corpus tests: generated ones with corrupt files mixed in, and a
hand-built series (one department over three years) for the cross-report rules."""
from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

from conftest import build_department

CORRUPT = {  # name -> bytes: each a different way for a file to be unreadable
    "empty.txt": b"",
    "noise.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 8,
    "broken.docx": b"PK\x03\x04" + b"\x00garbage" * 50,
    "prose.txt": "这是一段随便写的文字，不是绩效自评表。".encode(),
}


def archive(folder: Path, n: int = 8, seed: int = 3) -> Path:
    """n generated reports in folder/gen/a and folder/gen/b, two project forms in gen/p, corrupt files beside them, and a zip with a bad member."""
    from pipeline.generate import generate

    gen = folder / "gen"
    generate(n, seed, gen / "a")
    generate(2, seed, gen / "p", template="project")
    for i, p in enumerate(sorted((gen / "a").glob("*.txt"))):
        if i % 2:
            (gen / "b").mkdir(exist_ok=True)
            p.rename(gen / "b" / p.name)
    for name, data in CORRUPT.items():
        (gen / "a" / name).write_bytes(data)
    with zipfile.ZipFile(gen / "more.zip", "w") as zf:
        for i in range(3):
            from pipeline.generate import one

            g = one(seed + 1, i)
            zf.writestr(f"zipped/{g.ident}.txt", g.text)
        zf.writestr("zipped/bad.txt", b"\xff\xfe\x00\x00garbage\x00" * 40)
    (gen / "not-a.zip").write_bytes(b"PK\x05\x06 truncated")
    return gen


def _series_report(dept: str, year: int, visits: str, training: str, project: str, proposals: str = "12件") -> str:
    text = build_department(
        [("接待服务", f"全年接待群众{visits}。", [("接待人次", visits)]),
         ("业务培训", f"组织业务培训{training}。", [("业务培训期数", training)]),
         ("提案办理", f"办理提案{proposals}。", [("提案办理件数", proposals)])],
        project=project, title=f"{year}年度{dept}部门整体支出绩效自评表")
    return text.replace("测试区测试局", dept).replace("2024年", f"{year}年")


SHARED = ("市农业农村局坚持以项目为抓手，统筹推进高标准农田建设和农村人居环境整治，"
          "项目资金严格按照预算执行，未发现挤占挪用等问题。")


def series(folder: Path) -> Path:
    """One department over 2021–2023 (接待人次 unchanged, then jumping) and another that copies a paragraph."""
    folder.mkdir(parents=True, exist_ok=True)
    dept = "示范市农业农村局"
    reports = {
        "farm_2021.txt": _series_report(dept, 2021, "1200人次", "4期", SHARED),
        "farm_2022.txt": _series_report(dept, 2022, "1200人次", "5期", "完成年度重点项目，资金执行良好。"),
        "farm_2023.txt": _series_report(dept, 2023, "6000人次", "6期", "完成年度重点项目。", "30件"),
        "water_2023.txt": _series_report("示范市水利局", 2023, "300人次", "2期", SHARED),
    }
    for name, text in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def dump(db: Path) -> dict[str, list[tuple]]:
    """The corpus row by row, ids replaced by the report's key, timestamps and timings left out: what must
    be equal between two runs over the same files."""
    conn = sqlite3.connect(str(db))
    key = "(SELECT key || '|' || version || '|' || settings FROM reports r WHERE r.id = t.report_id)"
    out = {
        "reports": sorted(conn.execute(
            "SELECT key, version, settings, status, path, file, member, sha256, format, title, department, year,"
            " template, money_unit, n_indicators, n_mismatches, error_code, record FROM reports")),
    }
    for table in ("budget", "indicators", "claims", "findings", "sections", "errors"):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "report_id"]
        out[table] = sorted(conn.execute(f"SELECT {key}, {', '.join(cols)} FROM {table} t"), key=repr)
    # the search index keeps no copy of its texts: each item's tokens read back from the index itself
    conn.execute("CREATE VIRTUAL TABLE temp.grams USING fts5vocab(main, items_fts, instance)")
    tokens: dict[int, list[tuple[int, str]]] = {}
    for doc, term, offset in conn.execute("SELECT doc, term, offset FROM temp.grams"):
        tokens.setdefault(doc, []).append((offset, term))
    out["items"] = sorted(((*row, " ".join(t for _, t in sorted(tokens.get(i, ())))) for i, *row in conn.execute(
        f"SELECT t.id, {key}, kind, ord, scope, name, text, value, unit, status, rule, severity FROM items t")),
        key=repr)
    conn.close()
    return out


_BASE: dict[str, Path] = {}


def base_corpus() -> Path:
    """The archive and the series run once (two workers, each writing the corpus) into a corpus,
    shared by the tests of one session; tests whose parent writes compare their corpus with it."""
    if "db" not in _BASE:
        import tempfile

        from pipeline import bulk

        root = Path(tempfile.mkdtemp(prefix="jixiao-corpus-"))
        gen, ser = archive(root), series(root / "series")
        db = root / "corpus.sqlite"
        prog = bulk.run([gen, ser], db, opts=bulk.Options(jobs=2, writer="workers"))
        _BASE.update(db=db, gen=gen, series=ser, root=root)
        _BASE["summary"] = prog.summary  # type: ignore[assignment]
    return _BASE["db"]


def base(name: str):
    base_corpus()
    return _BASE[name]
