"""Export read back with pandas (and DuckDB) gives the corpus's counts."""
import json

import pytest
from typer.testing import CliRunner

from pipeline import store
from pipeline.cli import app

from corpus_fixtures import base_corpus

runner = CliRunner()


@pytest.fixture(scope="module")
def counts():
    conn = store.open(base_corpus())
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {"reports": one("SELECT count(*) FROM reports"),
            "unreadable": one("SELECT count(*) FROM reports WHERE status = 'unreadable'"),
            "indicators": one("SELECT count(*) FROM indicators"),
            "findings": one("SELECT count(*) FROM findings"),
            "mismatches": one("SELECT count(*) FROM indicators WHERE status = 'mismatch'"),
            "corpus": one("SELECT count(*) FROM findings WHERE scope = 'corpus'")}


def _export(tmp_path, fmt, rows="indicators"):
    out = tmp_path / f"x.{fmt}"
    r = runner.invoke(app, ["export", "--db", str(base_corpus()), "--format", fmt, "-o", str(out), "--rows", rows])
    assert r.exit_code == 0, r.output
    return out


def test_jsonl_is_one_contract_record_per_report(tmp_path, counts):
    lines = [json.loads(line) for line in _export(tmp_path, "jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == counts["reports"]
    assert sum(r["status"] == "unreadable" for r in lines) == counts["unreadable"]
    assert lines == list(store.records(base_corpus()))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_rows_read_back_with_pandas(tmp_path, counts, fmt):
    pd = pytest.importorskip("pandas")
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    ind = read(_export(tmp_path, fmt))
    assert len(ind) == counts["indicators"] + counts["unreadable"]  # an unreadable file is a row of its own
    assert (ind["status"] == "mismatch").sum() == counts["mismatches"]
    assert (ind["report_status"] == "unreadable").sum() == counts["unreadable"]
    assert ind["value"].dtype == "float64"
    fnd = read(_export(tmp_path, fmt, "findings"))
    assert len(fnd) == counts["findings"] + counts["unreadable"]
    assert (fnd["scope"] == "corpus").sum() == counts["corpus"]
    if fmt == "parquet":
        assert str(ind["year"].dtype) in ("int64", "float64", "Int64")  # nulls for unreadable files


def test_parquet_read_back_with_duckdb(tmp_path, counts):
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    path = _export(tmp_path, "parquet")
    con = duckdb.connect()
    n, mm = con.execute("SELECT count(*), count(*) FILTER (WHERE status = 'mismatch') FROM read_parquet(?)",
                        [str(path)]).fetchone()
    assert (n, mm) == (counts["indicators"] + counts["unreadable"], counts["mismatches"])
    kinds = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                             [str(path)]).fetchall())
    assert kinds["value"] == "DOUBLE" and kinds["year"] == "BIGINT" and kinds["name"] == "VARCHAR"
    csv_path = _export(tmp_path, "csv")
    assert con.execute("SELECT count(*) FROM read_csv_auto(?)", [str(csv_path)]).fetchone()[0] == n


def test_export_errors_are_one_line(tmp_path):
    r = runner.invoke(app, ["export", "--db", str(tmp_path / "none.sqlite"), "--format", "csv"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["export", "--db", str(base_corpus()), "--format", "parquet"])
    assert r.exit_code == 2 and "-o" in r.output
    r = runner.invoke(app, ["export", "--db", str(base_corpus()), "-o", str(tmp_path / "no" / "dir" / "x.jsonl")])
    assert r.exit_code == 2
