"""Bulk runs: corrupt files recorded, resumable after SIGKILL, Dask gives the same corpus, time limits, cross-report rules."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from pipeline import bulk, store
from pipeline.cli import app

from corpus_fixtures import CORRUPT, base, base_corpus, dump

runner = CliRunner()


def test_folder_and_zip_with_corrupt_files_every_file_is_a_record():
    recs = list(store.records(base_corpus()))
    by_name = {r["source"]["path"].split("/gen/")[-1]: r for r in recs}
    codes = {name: r["error"]["code"] for name, r in by_name.items() if r["status"] == "unreadable"}
    assert set(codes) == {f"a/{n}" for n in CORRUPT} | {"more.zip!zipped/bad.txt", "not-a.zip"}
    assert codes["a/empty.txt"] == "E102" and codes["a/prose.txt"] == "E200"
    checked = [r for r in recs if r["status"] == "checked"]
    assert len(checked) == 8 + 2 + 3 + 4  # generated, project forms, zipped, the series
    # subfolders and archive members are kept in the names
    assert any("/gen/b/" in r["source"]["path"] for r in checked)
    assert sum("more.zip!zipped/" in r["source"]["path"] for r in checked) == 3
    s = base("summary")
    assert (s.checked, s.unreadable, s.skipped) == (17, 6, 0) and s.exit_status == 4


def test_second_run_skips_everything(tmp_path):
    import shutil

    db = tmp_path / "c.sqlite"
    shutil.copy(base_corpus(), db)
    before = dump(db)
    prog = bulk.run([base("gen"), base("series")], db, opts=bulk.Options(jobs=1))
    assert prog.summary.skipped == 23 and prog.summary.checked == prog.summary.unreadable == 0
    assert dump(db) == before


@pytest.mark.parametrize("writer", ["parent", "workers"])
def test_sigkill_mid_run_then_resume_gives_the_uninterrupted_corpus(tmp_path, writer):
    db = tmp_path / "killed.sqlite"
    cmd = [sys.executable, "-m", "pipeline.cli", "run", str(base("gen")), str(base("series")), "--db", str(db),
           "--jobs", "1", "--batch", "2", "--writer", writer, "--quiet"]  # small transactions: the kill lands mid-way
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, stored = time.time() + 60, 0
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
                stored = c.execute("SELECT count(*) FROM reports").fetchone()[0]
                c.close()
            except sqlite3.Error:
                pass
        if stored >= 3:  # early: a run this fast can finish the 23 files between two looks
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, mid-way, as a crash would
    proc.wait()
    c = sqlite3.connect(str(db))
    partial = c.execute("SELECT count(*) FROM reports").fetchone()[0]
    c.close()
    assert 0 < partial < 23, partial
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 4, r.stderr  # finished; some files unreadable
    assert dump(db) == dump(base_corpus())


def test_reports_are_committed_a_few_at_a_time_and_an_interrupted_run_keeps_what_finished(tmp_path, monkeypatch):
    from pipeline.bulk import runner

    base_corpus()  # built before the commits are counted
    commits = []
    real = store.write_many
    monkeypatch.setattr(store, "write_many", lambda conn, batch, **kw: commits.append(len(batch)) or real(conn, batch, **kw))
    db = tmp_path / "c.sqlite"
    bulk.run([base("gen"), base("series")], db, opts=bulk.Options(jobs=1, batch=5, batch_seconds=60, writer="parent"))
    assert sum(commits) == 23 and max(commits) == 5 and len(commits) == 5  # 5+5+5+5+3, the rest at the end
    assert dump(db) == dump(base_corpus())

    # Ctrl-C after 7 reports: the 2 waiting behind the last full transaction are committed too
    seen = []

    def interrupt(progress, record):
        if record is not None:
            seen.append(record)
            if len(seen) == 7:
                raise KeyboardInterrupt

    db2 = tmp_path / "stopped.sqlite"
    with pytest.raises(KeyboardInterrupt):
        bulk.run([base("gen"), base("series")], db2, opts=bulk.Options(jobs=1, batch=5, batch_seconds=60,
                                                                       writer="parent"), on_progress=interrupt)
    assert len(list(store.records(db2))) == 7
    with pytest.raises(ValueError):
        runner.Options(batch=0)
    with pytest.raises(ValueError):
        runner.Options(writer="both")
    with pytest.raises(ValueError, match="local workers"):
        runner.Options(engine="dask", writer="workers")


def test_workers_that_write_the_corpus_give_the_same_corpus_and_report_only_what_is_stored(tmp_path, monkeypatch):
    """With a worker per core there is no core left for the parent's writing: each worker commits
    its own reports, and a result reaches the run (its counts, on_progress) once it is stored."""
    import multiprocessing

    from pipeline.bulk import runner

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the parent's writes are counted through a patch forked workers do not report back")
    base_corpus()  # built before the parent's commits are counted
    parent_commits = []
    real = store.write_many
    monkeypatch.setattr(store, "write_many", lambda conn, batch, **kw: parent_commits.append(len(batch)) or real(conn, batch, **kw))
    db = tmp_path / "c.sqlite"

    def stored_already(progress, record):
        if record is not None and record["status"] == "checked":
            c = sqlite3.connect(str(db))
            n = c.execute("SELECT count(*) FROM reports WHERE sha256 = ?", (record["source"]["sha256"],)).fetchone()[0]
            c.close()
            assert n == 1

    prog = bulk.run([base("gen"), base("series")], db, opts=bulk.Options(jobs=1, batch=3, writer="workers"),
                    on_progress=stored_already)
    assert prog.summary.checked == 17 and prog.summary.unreadable == 6
    assert sum(parent_commits) == 1  # not-a.zip, which the parent could not open to make a job of
    assert dump(db) == dump(base_corpus())
    assert runner.workers_write(bulk.Options(jobs=runner.cores()), str(db))  # as many workers as cores: auto
    assert not runner.workers_write(bulk.Options(jobs=runner.cores(), writer="parent"), str(db))
    assert not runner.workers_write(bulk.Options(writer="workers"), "")  # an in-memory corpus is the parent's


def test_a_worker_that_cannot_write_the_corpus_stops_the_run_loudly(tmp_path, monkeypatch):
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the failing commit is patched into forked workers")
    parent, real = os.getpid(), store.write_many

    def full(conn, batch, **kw):
        if os.getpid() != parent:
            raise sqlite3.OperationalError("database or disk is full")
        return real(conn, batch, **kw)

    monkeypatch.setattr(store, "write_many", full)
    with pytest.raises(RuntimeError, match="could not write the corpus: OperationalError: database or disk is full"):
        bulk.run([base("gen") / "b"], tmp_path / "c.sqlite", opts=bulk.Options(jobs=1, writer="workers"))


def test_dask_local_cluster_gives_the_same_corpus(tmp_path):
    pytest.importorskip("distributed")
    db = tmp_path / "dask.sqlite"
    prog = bulk.run([base("gen"), base("series")], db, opts=bulk.Options(engine="dask", jobs=1))
    assert prog.summary.checked == 17
    assert dump(db) == dump(base_corpus())


def test_a_send_to_a_dead_worker_goes_to_its_replacement(tmp_path, monkeypatch):
    """The pipe of a worker that died breaks on the next send: the job, and every one after it,
    go to the worker started in its place (the run used to end there, the rest unchecked)."""
    from pipeline.bulk import local

    folder = base("gen") / "b"  # built (by a run of its own) before the send is broken
    real, failed = local._Worker.send, []

    def send(self, job, message):
        if not failed:
            failed.append(job.name)
            raise BrokenPipeError("the worker is gone")
        return real(self, job, message)

    monkeypatch.setattr(local._Worker, "send", send)
    prog = bulk.run([folder], tmp_path / "c.sqlite", opts=bulk.Options(jobs=1))
    assert failed and prog.summary.checked == len(list(folder.glob("*.txt"))) == 4


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_that_cannot_start_stop_the_run_loudly(tmp_path, monkeypatch, jobs):
    """A worker that dies before its first job (jieba or spaCy cannot load) is replaced; when its
    replacements fail too the run raises, never ends as if there had been nothing to check."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the failing warm-up is patched into forked workers")
    from pipeline import api

    def broken(settings=None):
        raise OSError("the model is missing")

    folder = base("gen") / "a"
    monkeypatch.setattr(api, "warm", broken)
    with pytest.raises(RuntimeError, match="could not start"):
        bulk.run([folder], tmp_path / "c.sqlite", opts=bulk.Options(jobs=jobs))


@pytest.mark.parametrize("writer", ["parent", "workers"])
def test_a_file_past_the_time_limit_is_stopped_and_recorded(tmp_path, monkeypatch, writer):
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the slow check is patched into forked workers")
    from pipeline.bulk import work

    real = work.outcome

    def slow(item, content, settings=None):
        if "slow" in item.name:
            time.sleep(30)
        return real(item, content, settings)

    monkeypatch.setattr(work, "outcome", slow)
    gen = base("gen") / "b"
    (tmp_path / "z-slow.txt").write_bytes(next(gen.glob("*.txt")).read_bytes() + b"\n")
    for i, p in enumerate(sorted(gen.glob("*.txt"))[:2]):
        (tmp_path / f"a{i}-{p.name}").write_bytes(p.read_bytes())
    t = time.time()
    # the slow file last: a worker writing the corpus is stopped with the two before it not yet committed
    prog = bulk.run([tmp_path], tmp_path / "c.sqlite",
                    opts=bulk.Options(jobs=1, time_limit=1.5, writer=writer, batch=50, batch_seconds=60))
    assert time.time() - t < 25
    recs = {r["source"]["path"].rsplit("/", 1)[-1]: r for r in store.records(tmp_path / "c.sqlite")}
    assert recs["z-slow.txt"]["status"] == "unreadable" and recs["z-slow.txt"]["error"]["code"] == "E115"
    assert prog.summary.checked == 2 and len(recs) == 3  # what the stopped worker had checked is stored


def test_dask_task_past_the_time_limit_is_given_up_on(monkeypatch):
    """On a worker the check runs in a thread the task stops waiting for: the file is E115."""
    pytest.importorskip("distributed")
    from pipeline.bulk import dask_engine, work
    from pipeline.settings import Settings

    real = work.check_job
    monkeypatch.setattr(work, "check_job", lambda job, lang, s: time.sleep(2) or real(job, lang, s))
    src = next((base("gen") / "b").glob("*.txt"))
    job = work.Job(src.name, str(src), None, "k", src.read_bytes())
    t = time.time()
    done, stuck = dask_engine.check_within(job, "en", Settings.resolve(None), 0.3)
    assert time.time() - t < 1.5 and stuck is None  # outside a worker: nothing to restart
    assert done.record["status"] == "unreadable" and done.record["error"]["code"] == "E115"
    done, _ = dask_engine.check_within(job, "en", Settings.resolve(None), 5)
    assert done.record["status"] == "checked"


def test_dask_run_restarts_a_worker_past_the_time_limit(tmp_path):
    pytest.importorskip("distributed")
    gen = sorted((base("gen") / "b").glob("*.txt"))[:2]
    prog = bulk.run(gen, tmp_path / "c.sqlite", opts=bulk.Options(engine="dask", jobs=1, time_limit=1e-6))
    recs = list(store.records(tmp_path / "c.sqlite"))
    assert prog.summary.unreadable == 2 and {r["error"]["code"] for r in recs} == {"E115"}


@pytest.mark.parametrize("writer", ["parent", "workers"])
def test_a_worker_that_dies_is_recorded_and_the_others_are_checked(tmp_path, monkeypatch, writer):
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the dying check is patched into forked workers")
    from pipeline.bulk import work

    real = work.outcome

    def dying(item, content, settings=None):
        if item.name.endswith("dies.txt"):
            os._exit(3)
        return real(item, content, settings)

    monkeypatch.setattr(work, "outcome", dying)
    gen = sorted((base("gen") / "b").glob("*.txt"))
    (tmp_path / "dies.txt").write_bytes(gen[0].read_bytes() + b"\n")
    for p in gen[:3]:
        (tmp_path / p.name).write_bytes(p.read_bytes())
    prog = bulk.run([tmp_path], tmp_path / "c.sqlite", opts=bulk.Options(jobs=2, writer=writer))
    recs = {r["source"]["path"].rsplit("/", 1)[-1]: r for r in store.records(tmp_path / "c.sqlite")}
    assert recs["dies.txt"]["status"] == "unreadable" and recs["dies.txt"]["error"]["code"] == "E116"
    assert prog.summary.checked == 3 and prog.summary.unreadable == 1  # the jobs behind it went to a new worker
    assert len(recs) == 4


def test_cross_report_rules_are_findings_of_their_own():
    conn = store.open(base_corpus())
    rows = conn.execute("SELECT r.path, f.rule, f.expected, f.reported, f.params FROM findings f"
                        " JOIN reports r ON r.id = f.report_id WHERE f.scope = 'corpus' ORDER BY r.path, f.rule").fetchall()
    got = {(p.rsplit("/", 1)[-1], rule) for p, rule, *_ in rows}
    assert ("farm_2022.txt", "corpus.indicator_unchanged") in got   # 接待人次 1200 -> 1200
    assert ("farm_2023.txt", "corpus.indicator_jump") in got        # 1200 -> 6000, beyond 3×
    assert ("water_2023.txt", "corpus.narrative_copied") in got     # farm_2021's paragraph, word for word
    assert ("farm_2021.txt", "corpus.narrative_copied") not in got  # the source is not flagged
    # 培训期数 4 -> 5 -> 6 is neither unchanged nor a jump
    assert not any("培训" in (p or "") for *_, p in rows)
    assert base("summary").corpus_findings == len(rows)


def test_run_command_summary_and_exit_statuses(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(base("series").glob("*.txt"))[:2]:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    r = runner.invoke(app, ["run", str(folder), "--db", str(tmp_path / "c.sqlite"), "--jobs", "1", "--lang", "en"])
    assert r.exit_code == 4, r.output  # some files unreadable
    assert "empty.txt" in r.stdout and "E102" in r.stdout and "2 checked" in r.stdout
    r = runner.invoke(app, ["run", str(folder), "--db", str(tmp_path / "c.sqlite"), "--jobs", "1", "-q"])
    assert r.exit_code == 0 and r.stdout == ""  # all skipped this time
    (tmp_path / "void").mkdir()
    r = runner.invoke(app, ["run", str(tmp_path / "void"), "--db", str(tmp_path / "c.sqlite")])
    assert r.exit_code == 2


def _generated(tmp_path, n: int = 8):
    """n generated reports (from the shared archive) in a folder of their own."""
    folder = tmp_path / "in"
    folder.mkdir()
    srcs = sorted((base("gen") / "a").glob("depa*.txt")) + sorted((base("gen") / "b").glob("*.txt"))
    for p in srcs[:n]:
        (folder / p.name).write_bytes(p.read_bytes())
    assert len(list(folder.iterdir())) == n
    return folder


def _forked():
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the failure is patched into forked workers")


def test_a_worker_that_dies_committing_blames_no_file(tmp_path, monkeypatch):
    """A writing worker that dies in a commit (killed, out of memory) had no job running: the
    reports it had not committed are stored by the parent, the jobs waiting for it go on, and
    no file is recorded as having killed it."""
    _forked()
    folder = _generated(tmp_path)  # the shared corpus is built first, without the patch
    parent, flag, real = os.getpid(), tmp_path / "died-once", store.write_many

    def dying(conn, batch, **kw):
        if os.getpid() != parent:
            try:
                os.close(os.open(flag, os.O_CREAT | os.O_EXCL))
                os._exit(9)
            except FileExistsError:
                pass
        return real(conn, batch, **kw)

    monkeypatch.setattr(store, "write_many", dying)
    prog = bulk.run([folder], tmp_path / "c.sqlite", opts=bulk.Options(jobs=1, writer="workers", batch=1))
    recs = list(store.records(tmp_path / "c.sqlite"))
    assert flag.exists() and prog.summary.checked == 8 and prog.summary.unreadable == 0
    assert len(recs) == 8 and all(r["status"] == "checked" for r in recs)


def test_a_writing_worker_replaced_after_a_failed_send_hands_over_what_it_had_not_committed(tmp_path, monkeypatch):
    from pipeline.bulk import local

    folder = _generated(tmp_path)
    real, sends = local._Worker.send, []

    def send(self, job, message):
        sends.append(job.name)
        if len(sends) == 1 + local.AHEAD["workers write"] + 1:  # the first send after a result came back
            assert self.unstored, "the worker should hold a result it has not committed"
            raise BrokenPipeError("the worker is gone")
        return real(self, job, message)

    monkeypatch.setattr(local._Worker, "send", send)
    prog = bulk.run([folder], tmp_path / "c.sqlite", opts=bulk.Options(jobs=1, writer="workers", batch=50,
                                                                        batch_seconds=60))
    recs = list(store.records(tmp_path / "c.sqlite"))
    assert prog.summary.checked == 8 and len(recs) == 8 and all(r["status"] == "checked" for r in recs)


@pytest.mark.parametrize("where", ["waiting", "progress"])
def test_ctrl_c_while_workers_write_stores_what_they_had_checked(tmp_path, monkeypatch, where):
    """Ctrl-C while the parent waits, a writing worker holding results it has not committed
    (batch 50: it commits only once its pipe is empty), or in the progress display amid a
    commit's results (batch 5): the parent stores the uncommitted ones, and counts each once."""
    from pipeline.bulk import local, runner

    folder = _generated(tmp_path)
    real, held, counted = local._results, [], []

    def results(pool, w, again, lang):
        yield from real(pool, w, again, lang)
        if len(w.unstored) >= 3:
            held.extend(d.key for d in w.unstored)
            raise KeyboardInterrupt

    def progress(p, record):
        if record is not None and len(counted) == 2:
            raise KeyboardInterrupt

    real_add = runner.Summary.add
    monkeypatch.setattr(runner.Summary, "add",
                        lambda self, rec, shown=None: counted.append(rec["source"]["sha256"]) or real_add(self, rec, shown))
    if where == "waiting":
        monkeypatch.setattr(local, "_results", results)
    db = tmp_path / "stopped.sqlite"
    with pytest.raises(KeyboardInterrupt):
        bulk.run([folder], db, opts=bulk.Options(jobs=1, batch=50 if where == "waiting" else 5, batch_seconds=60,
                                                 writer="workers"), on_progress=progress if where == "progress" else None)
    stored = [r["source"]["sha256"] for r in store.records(db)]
    assert len(held) >= 3 or where == "progress"
    assert set(held) <= set(stored)  # rescued, not left to the next run
    assert sorted(counted) == sorted(stored) and len(stored) >= 2  # each counted once


def test_workers_left_by_a_parent_killed_alone_store_what_they_checked_and_exit(tmp_path):
    """SIGKILL of the run's own process, not its workers: each worker notices (its parent is
    gone), commits what it had checked and exits; the next run finishes the corpus."""
    db = tmp_path / "orphans.sqlite"
    cmd = [sys.executable, "-m", "pipeline.cli", "run", str(base("gen")), str(base("series")), "--db", str(db),
           "--jobs", "1", "--batch", "50", "--writer", "workers", "--quiet"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, kids = time.time() + 60, []
    while time.time() < deadline and proc.poll() is None and not kids:
        kids = [int(k) for k in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                               text=True).stdout.split()]
        time.sleep(0.05)
    assert kids, "the run started no worker"
    time.sleep(0.3)  # the worker is warming up or checking, its reports not yet committed (batch 50)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    def running(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False

    deadline = time.time() + 20
    while time.time() < deadline and any(map(running, kids)):
        time.sleep(0.1)
    assert not any(map(running, kids)), "a worker outlived its parent"
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 4, r.stderr
    assert dump(db) == dump(base_corpus())


def test_a_worker_stuck_after_its_parent_was_killed_ends_at_the_time_limit(tmp_path):
    """Nobody enforces the time limit once the parent is gone: the worker does it itself."""
    _forked()
    probe = tmp_path / "stuck"
    code = f"""
import os, sys, time
sys.path[:0] = {sys.path!r}
from multiprocessing import get_context
from pipeline.bulk import local, work
real = work.check_job
def stuck(job, lang="zh", settings=None):
    open({str(probe)!r}, "w").write(str(os.getpid()))
    time.sleep(600)
work.check_job = stuck
pool = local._Pool(1, None, 0, None, time_limit=1.0)
w = pool.workers[0]
import pickle
w.send(work.Job("a", "a", None, "k", b"x"), pickle.dumps((work.Job("a", "a", None, "k", b"x"), "zh")))
time.sleep(600)
"""
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not (probe.exists() and probe.read_text()):
        time.sleep(0.05)
    assert probe.exists(), "the worker never started its check"
    pid = int(probe.read_text())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 15
    while time.time() < deadline and os.path.exists(f"/proc/{pid}"):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
        except FileNotFoundError:
            break
        time.sleep(0.1)
    alive = os.path.exists(f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    if alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "the stuck worker outlived its parent past the time limit"
