"""`check` as analysts and CI scripts call it: several paths, stdin, -o, formats, --quiet, --fail-on,
exit statuses, Ctrl-C, a closed pipe, a full disk, an empty folder."""
import csv
import io
import json
import os
import subprocess
import sys
import zipfile

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

from conftest import DEPARTMENT, build_department

runner = CliRunner()
GOOD = build_department([("学习", "共开展学习12次。", [("学习次数", "12次")])])
BAD = build_department([("学习", "共开展学习12次。", [("学习次数", "15次")])])


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "in" / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "in" / "sub" / "deeper" / "b.txt").write_text(BAD, encoding="utf-8")
    return tmp_path / "in"


def test_several_paths_stdin_and_jsonl(folder, tmp_path):
    (tmp_path / "c.txt").write_text(GOOD.replace("12次", "11次"), encoding="utf-8")
    r = runner.invoke(app, ["check", str(folder), str(tmp_path / "c.txt"), "-f", "jsonl"])
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(recs) == 3 and r.exit_code == 1
    r = runner.invoke(app, ["check", "-", "-f", "json"], input=GOOD.encode())
    assert r.exit_code == 0 and json.loads(r.stdout)["source"]["path"] == "-"
    r = runner.invoke(app, ["check", "-", "-f", "json"], input=b"")
    assert r.exit_code == 2 and r.stdout == ""


def test_table_keeps_subfolders_and_fits_120_columns_when_piped(folder):
    r = runner.invoke(app, ["check", str(folder)])
    assert "sub/deeper/b.txt" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 120


def test_csv_and_output_file_and_quiet(folder, tmp_path):
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["check", str(folder), "-f", "csv", "-o", str(out), "--quiet"])
    assert r.exit_code == 1 and r.output == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [row["path"] for row in rows] == ["a.txt", "sub/deeper/b.txt"] and rows[1]["mismatches"] == "1"
    r = runner.invoke(app, ["check", str(folder), "-q"])
    assert r.exit_code == 1 and r.output == ""


def test_fail_on_levels():
    # a warning-level mismatch (a count against the names listed) no longer fails by default
    text = build_department([("管理", "下设事业单位3个：甲中心、乙中心。全年开展检查12次。",
                              [("检查次数", "12次")])])
    r = runner.invoke(app, ["check", "-", "-f", "json"], input=text.encode())
    finds = json.loads(r.stdout)["findings"]
    warned = [f for f in finds if f["status"] == "mismatch" and f["severity"] == "warning"]
    errors = [f for f in finds if f["status"] == "mismatch" and f["severity"] == "error"]
    if not warned or errors:
        pytest.skip("the narrative.members warning did not fire on this text")
    assert r.exit_code == 0
    assert runner.invoke(app, ["check", "-", "--fail-on", "warning"], input=text.encode()).exit_code == 1
    bad = runner.invoke(app, ["check", "-", "--fail-on", "none"], input=BAD.encode())
    assert bad.exit_code == 0


def test_exit_statuses_for_mixed_batches(folder, tmp_path):
    (folder / "empty.txt").write_bytes(b"")
    r = runner.invoke(app, ["check", str(folder), "-f", "jsonl"])
    assert r.exit_code == 5  # a mismatch (1) and an unreadable file (4)
    os.remove(folder / "sub" / "deeper" / "b.txt")
    assert runner.invoke(app, ["check", str(folder)]).exit_code == 4
    (tmp_path / "void").mkdir()
    r = runner.invoke(app, ["check", str(tmp_path / "void")])
    assert r.exit_code == 2 and "没有可检查的文件" in r.output
    with zipfile.ZipFile(tmp_path / "e.zip", "w"):
        pass
    assert runner.invoke(app, ["check", str(tmp_path / "e.zip")]).exit_code == 2


def test_missing_file_is_one_coded_line_not_a_usage_box(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "check", str(tmp_path / "nope.txt")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "E101" in proc.stderr and "Usage" not in proc.stderr


def test_ctrl_c_prints_what_was_checked_and_exits_130(folder, monkeypatch):
    from pipeline import api

    real = api.check_many

    def interrupted(inputs, settings=None):
        it = real(inputs, settings)
        yield next(it)
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "check_many", interrupted)
    r = runner.invoke(app, ["check", str(folder), "--lang", "en"])
    assert r.exit_code == 130
    assert "a.txt" in r.stdout and "interrupted after 1 files" in r.output


def test_broken_pipe_and_full_disk_are_one_line_exit_2(tmp_path):
    for i in range(30):
        (tmp_path / f"r{i:02d}.txt").write_text(GOOD, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "check", str(tmp_path), "-f", "jsonl"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 2
    assert err.count("\n") == 1 and "E500" in err and "输出管道" in err and "Traceback" not in err
    if os.path.exists("/dev/full"):
        proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "check", str(DEPARTMENT / "education_2022.txt"),
                               "-f", "json", "-o", "/dev/full"], capture_output=True, text=True)
        assert proc.returncode == 2 and "E500" in proc.stderr and "磁盘已满" in proc.stderr \
            and proc.stderr.count("\n") == 1
