"""The command line: exit codes, the contract JSON, one-line errors."""
import json
import subprocess
import sys

from typer.testing import CliRunner

from pipeline.cli import app
from conftest import DEPARTMENT, build_department

runner = CliRunner()


def test_json_contract_shape():
    r = runner.invoke(app, ["check", str(DEPARTMENT / "education_2022.txt"), "--format", "json"])
    assert r.exit_code == 0, r.output
    obj = json.loads(r.stdout)
    assert obj["schema"] == "jixiao.check/1"
    assert set(obj) >= {"source", "report", "budget", "indicators", "claims", "findings"}
    assert obj["source"]["format"] == "txt" and len(obj["source"]["sha256"]) == 64
    assert set(obj["budget"]) == {"initial", "adjusted", "actual", "adjustment", "completion_rate", "adjustment_rate",
                                  "received", "balance"}
    ind = obj["indicators"][0]
    assert set(ind) >= {"id", "section", "name", "raw", "value", "unit", "status", "evidence", "note"}
    claim = obj["claims"][0]
    assert set(claim) >= {"id", "section", "text", "subject", "value", "unit", "range", "span"}
    f = obj["findings"][0]
    assert set(f) >= {"id", "rule", "status", "severity", "indicator", "claims", "expected", "reported", "message"}
    assert isinstance(ind["value"], int)  # 6400个 prints as 6400, not 6400.0


def test_mismatch_exits_1_and_table_explains():
    r = runner.invoke(app, ["check", str(DEPARTMENT / "culture_2023.txt")])
    assert r.exit_code == 1
    assert "不符" in r.stdout and "128" in r.stdout


def test_english_messages():
    r = runner.invoke(app, ["check", str(DEPARTMENT / "culture_2023.txt"), "--format", "json", "--lang", "en"])
    obj = json.loads(r.stdout)
    # figures quoted from the report stay Chinese; the sentence around them does not
    for f in obj["findings"]:
        assert not any(w in f["message"] for w in ("一致", "不符", "叙述", "应为", "表中")), f["message"]
    assert all(not any(w in i["note"] for w in ("一致", "不符", "叙述")) for i in obj["indicators"])


def test_bad_input_is_one_line_exit_2(tmp_path):
    for name, data in [("empty.txt", b""), ("bin.txt", b"\x00\xff" * 500), ("prose.txt", "随便写的一段话。".encode())]:
        p = tmp_path / name
        p.write_bytes(data)
        proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "check", str(p), "--format", "json"],
                              capture_output=True, text=True)
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert proc.stderr.count("\n") == 1 and str(p) in proc.stderr and "Traceback" not in proc.stderr


def test_folder_batch_goes_on_after_a_bad_file(tmp_path):
    (tmp_path / "a.txt").write_text(build_department([("学习", "共开展学习12次。", [("学习次数", "12次")])]), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text(build_department([("学习", "共开展学习12次。", [("学习次数", "15次")])]), encoding="utf-8")
    r = runner.invoke(app, ["check", str(tmp_path), "--format", "json"])
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.startswith("{")]
    # the unreadable file is a record of its own, so a bulk analysis never undercounts
    assert [l["status"] for l in lines] == ["checked", "unreadable", "checked"] and r.exit_code == 5  # 1 (a mismatch) | 4 (an unreadable file)
    assert lines[1]["error"]["code"] == "E102" and lines[1]["source"]["path"].endswith("b.txt")


def test_transformers_never_imported_on_check():
    code = ("import sys; from pipeline import api; "
            f"api.check_path({str(DEPARTMENT / 'health_2023.txt')!r}); "
            "print('transformers' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


def test_the_english_summary_says_one_mismatch_in_the_singular(check_text):
    from pipeline.output.terminal import summary_line
    from conftest import build_project

    rows = [("产出指标", "数量指标", "举办培训班期数", "≥10期", "12期", "45", "45", ""),
            ("效益指标", "社会效益指标", "培训人次", "≥500人次", "620人次", "45", "45", "")]
    res = check_text(build_project(rows, result="全年举办培训班10期，培训620人次。", total=("100", "99.5")))
    assert len(res.mismatches) == 1 and summary_line(res, "en").endswith("; 1 mismatch")
