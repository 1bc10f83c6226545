"""Bulk runs and the corpus, each figure against a baseline taken in the same run.

    python benchmarks/bulk_corpus.py speed  [--n 400] [--rounds 3]  # 1 worker vs bare jieba.lcut; 2 workers vs 1; stages
    python benchmarks/bulk_corpus.py memory [--n 10000]      # a worker's peak memory after 1,000 and after N reports
    python benchmarks/bulk_corpus.py search [--rows 1000000] # build a corpus of N indicator rows; search p95

Targets (issue 10): 1 worker >= 0.6x jieba.lcut over the same text; 2 workers >= 1.7x 1;
peak memory within 10 % from 1,000 to 10,000 reports; search p95 < 50 ms over 1,000,000 rows.
A baseline that fails (no tokens, an exception) exits 1 loudly; a missed target prints MISS
(and exits 1 with --strict), since the figures depend on the machine's free cores.

A shared machine's speed drifts by a quarter within a minute, so `speed` runs the baseline,
1 worker and 2 workers one after another in each of `--rounds` rounds and judges the median
of the rounds' ratios (each taken from runs seconds apart), printing every round's.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pipeline import bulk
from pipeline.generate import one

RESULTS: list[tuple[str, bool]] = []


def verdict(name: str, ok: bool, text: str) -> None:
    RESULTS.append((name, ok))
    print(f"{'ok  ' if ok else 'MISS'} {name}: {text}")


def baseline_failed(why: str) -> None:
    print(f"BASELINE FAILED: {why}", file=sys.stderr)
    sys.exit(1)


def write_reports(folder: Path, n: int, seed: int = 11) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        g = one(seed, i)
        p = folder / f"{g.ident}.txt"
        p.write_text(g.text, encoding="utf-8")
        paths.append(p)
    return paths


def lcut_rate(paths: list[Path]) -> float:
    """Files per second of bare jieba.lcut over the files' text (jieba loaded first, as a warm worker is)."""
    try:
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        texts = [p.read_text(encoding="utf-8") for p in paths]
        t = time.perf_counter()
        words = sum(len(jieba.lcut(text)) for text in texts)
        dt = time.perf_counter() - t
    except Exception as exc:  # the baseline must not fail quietly
        baseline_failed(f"jieba.lcut: {type(exc).__name__}: {exc}")
    if words < len(paths) * 10 or dt <= 0:
        baseline_failed(f"jieba.lcut gave {words} words for {len(paths)} files")
    return len(paths) / dt


def run_rate(paths: list[Path], jobs: int, db: Path, writer: str = "auto") -> float:
    """Steady files/s: the reports that arrived after the first arrival, over the time from it to
    the last (the workers' warm-up left out; a writing worker's results arrive a commit at a time,
    so the ones that came together with the first are not counted either)."""
    stamps: list[float] = []
    prog = bulk.run(paths, db, opts=bulk.Options(jobs=jobs, writer=writer),
                    on_progress=lambda p, r: r and stamps.append(time.perf_counter()))
    if prog.summary.checked != len(paths):
        baseline_failed(f"{len(paths) - prog.summary.checked} generated reports were not checked")
    if len(stamps) < 2 or stamps[-1] - stamps[0] <= 0:
        baseline_failed(f"{jobs} worker(s): too few arrivals to time ({len(stamps)})")
    first = sum(1 for t in stamps if t <= stamps[0] + 0.005)
    return (len(stamps) - first) / (stamps[-1] - stamps[0])


def stages(paths: list[Path]) -> dict[str, float]:
    """Milliseconds per report in each stage, in this process, warm."""
    from pipeline import api, check, form, nlp, read
    from pipeline.output import contract

    s = api.warm(None)
    acc = dict.fromkeys(("read", "form", "nlp", "check", "record"), 0.0)
    for p in paths:
        t = time.perf_counter()
        doc = read.read_bytes(p.read_bytes(), str(p))
        t1 = time.perf_counter()
        report = form.parse(doc, s)
        t2 = time.perf_counter()
        claims, _ = nlp.annotate(report, s)
        report = form.complete(report, claims, s)
        t3 = time.perf_counter()
        verdicts, findings = check.run(report, claims, s)
        t4 = time.perf_counter()
        from pipeline.model import CheckResult

        contract.to_dict(CheckResult(doc, report, claims, verdicts, findings, version="", fingerprint=s.fingerprint))
        t5 = time.perf_counter()
        for k, a, b in (("read", t, t1), ("form", t1, t2), ("nlp", t2, t3), ("check", t3, t4), ("record", t4, t5)):
            acc[k] += (b - a) * 1000
    return {k: v / len(paths) for k, v in acc.items()}


def speed(args) -> None:
    from pipeline.bulk import runner

    rounds = []
    with tempfile.TemporaryDirectory() as td:
        paths = write_reports(Path(td) / "in", args.n)
        for k in range(args.rounds):
            base = lcut_rate(paths)
            one_ = run_rate(paths, 1, Path(td) / f"one{k}.sqlite")
            two = run_rate(paths, 2, Path(td) / f"two{k}.sqlite")
            # the same two runs with the workers writing in both: how checking alone scales
            one_w = run_rate(paths, 1, Path(td) / f"onew{k}.sqlite", "workers")
            two_w = run_rate(paths, 2, Path(td) / f"twow{k}.sqlite", "workers")
            rounds.append((base, one_, two, one_w, two_w))
        st = stages(paths[: min(200, len(paths))])
    who = {j: "workers" if runner.workers_write(bulk.Options(jobs=j), "corpus") else "parent" for j in (1, 2)}
    print(f"{args.n} generated txt reports, {runner.cores()} cores; who writes the corpus by default: "
          f"1 worker: the {who[1]}, 2 workers: the {who[2]}")
    for k, (base, one_, two, one_w, two_w) in enumerate(rounds, 1):
        print(f"round {k}: jieba.lcut {base:.0f} files/s; 1 worker {one_:.0f} ({one_ / base:.2f}x); "
              f"2 workers {two:.0f} ({two / one_:.2f}x of 1); workers writing in both: {one_w:.0f} -> {two_w:.0f} "
              f"({two_w / one_w:.2f}x)")
    print("per report, ms: " + ", ".join(f"{k} {v:.1f}" for k, v in st.items()) + f"; total {sum(st.values()):.1f}")
    inproc = 1000 / sum(st.values())
    base = statistics.median(r[0] for r in rounds)
    print(f"in-process check: {inproc:.1f} files/s = {inproc / base:.2f}x jieba.lcut (median); a worker adds "
          f"the corpus rows, IPC and (when it writes) the corpus writes")
    to_lcut = statistics.median(r[1] / r[0] for r in rounds)
    scaling = statistics.median(r[2] / r[1] for r in rounds)
    print(f"checking alone scales {statistics.median(r[4] / r[3] for r in rounds):.2f}x from 1 to 2 workers "
          f"(median, workers writing in both)")
    verdict("1 worker / jieba.lcut", to_lcut >= 0.6, f"{to_lcut:.2f}x, median of {len(rounds)} rounds (target >= 0.6x)")
    verdict("2 workers / 1 worker", scaling >= 1.7, f"{scaling:.2f}x, median of {len(rounds)} rounds (target >= 1.7x)")


def memory(args) -> None:
    """One worker's code path in this process: check_job on N distinct generated reports, each
    stored as a writing worker stores it (`Batch` into a corpus of its own), peak RSS sampled."""
    from pipeline import store
    from pipeline.bulk import work
    from pipeline.bulk.batch import Batch
    from pipeline.read import source

    work.init(None, ignore_sigint=False, renew_every=args.renew)
    td = tempfile.TemporaryDirectory()
    batch = Batch(store.open(Path(td.name) / "corpus.sqlite"), 16, 0.5)
    marks = {1000: 0, args.n: 0}
    t = time.perf_counter()
    for i in range(args.n):
        data = one(13, i).text.encode("utf-8")
        done = work.check_job(work.Job(f"m{i}.txt", f"m{i}.txt", None, source.sha256(data), data))
        if done.record["status"] != "checked":
            baseline_failed(f"generated report {i} was not checked: {done.record['error']}")
        batch.add(done.rows, store.Provenance(done.key, "bench", "bench", done.seconds))
        if i + 1 in marks:
            marks[i + 1] = work.peak_kb()
            print(f"after {i + 1} reports: peak {marks[i + 1] / 1024:.1f} MiB ({time.perf_counter() - t:.0f} s)")
    batch.flush()
    td.cleanup()
    growth = marks[args.n] / marks[1000] - 1
    verdict(f"peak memory 1,000 -> {args.n:,} (renew every {args.renew})", growth <= 0.10,
            f"{marks[1000] / 1024:.1f} -> {marks[args.n] / 1024:.1f} MiB, {growth:+.1%} (target within 10 %)")


def search(args) -> None:
    from pipeline import store
    from pipeline.store import fts
    from pipeline.store.search import Filters, search as find

    rng = random.Random(5)
    recs = [_record(k) for k in range(300)]
    names = sorted({i["name"] for r in recs for i in r["indicators"]})
    depts = sorted({r["report"]["department"] for r in recs if r["report"]["department"]})
    per_report = 30
    with tempfile.TemporaryDirectory() as td:
        db = Path(td) / "big.sqlite"
        conn = store.open(db)
        t = time.perf_counter()
        conn.execute("BEGIN")
        rid, item = 0, 0
        for r in range(args.rows // per_report):
            rid += 1
            dept, year = rng.choice(depts), rng.randint(2018, 2024)
            conn.execute("INSERT INTO reports (id, key, version, settings, status, path, file, department, year,"
                         " template, n_indicators, checked_at, record) VALUES (?, ?, 'bench', 'bench', 'checked', ?, ?,"
                         " ?, ?, 'department_overall', ?, '', '{}')",
                         (rid, f"k{rid}", f"r{rid}.txt", f"r{rid}.txt", dept, year, per_report))
            rows, items, texts = [], [], []
            for o in range(per_report):
                item += 1
                name = rng.choice(names)
                value = float(rng.randint(1, 5000))
                status = rng.choice(("consistent", "consistent", "consistent", "unverified", "mismatch"))
                rows.append((rid, o, f"I{o + 1}", "task", name, f"{value:g}次", value, "次", status, "[]", "", None, None, None))
                items.append((item, rid, "indicator", o, "report", name, f"{value:g}次", value, "次", status, None, None))
                texts.append((item, *fts.columns(name)))
            conn.executemany("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", items)
            conn.executemany("INSERT INTO items_fts (rowid, grams) VALUES (?, ?)", texts)
        conn.execute("COMMIT")
        build = time.perf_counter() - t
        n_rows = conn.execute("SELECT count(*) FROM indicators").fetchone()[0]
        print(f"built {n_rows:,} indicator rows ({rid:,} reports) in {build:.1f} s")
        words = sorted({w for n in names for w in (n[:2], n[1:3], n[-2:], n[:1])} - {""})
        queries = [(w, Filters()) for w in rng.sample(words, 30)]
        queries += [(w, Filters(year=(2022, 2022), kind="indicator")) for w in rng.sample(words, 10)]
        queries += [(w, Filters(department=rng.choice(depts)[:3], status="mismatch")) for w in rng.sample(words, 10)]
        queries += [(rng.choice(names), Filters(min=100, max=1000)) for _ in range(10)]
        lat = []
        for _ in range(3):
            for q, f in queries:
                t = time.perf_counter()
                find(conn, q, f)
                lat.append((time.perf_counter() - t) * 1000)
        if not find(conn, names[0], Filters()):
            baseline_failed(f"search found no row for {names[0]!r}, which is in the corpus")
        p95 = statistics.quantiles(lat, n=20)[-1]
        print(f"{len(lat)} searches: median {statistics.median(lat):.1f} ms, p95 {p95:.1f} ms, max {max(lat):.1f} ms")
        verdict(f"search p95 over {n_rows:,} rows", p95 < 50, f"{p95:.1f} ms (target < 50 ms)")


def _record(k: int) -> dict:
    """A generated report's record: where realistic indicator and department names come from."""
    from pipeline import api
    from pipeline.read import read_bytes

    return api.record(api.Outcome(None, result=api.check_document(read_bytes(one(17, k).text.encode(), f"{k}.txt"))))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("speed", "memory", "search"))
    ap.add_argument("--n", type=int, default=None)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3, help="speed: rounds of baseline, 1 worker, 2 workers")
    ap.add_argument("--renew", type=int, default=1000, help="memory: renew the spaCy pipeline every N files (0: never)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args()
    args.n = args.n or {"speed": 400, "memory": 10_000, "search": 0}[args.what]
    {"speed": speed, "memory": memory, "search": search}[args.what](args)
    if args.strict and not all(ok for _, ok in RESULTS):
        sys.exit(1)


if __name__ == "__main__":
    main()
