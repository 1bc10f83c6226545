"""The corpus store: schema and migrations, one transaction per report, records, and why our own FTS tokenising."""
import json
import sqlite3

import pytest

from pipeline import store
from pipeline.store import fts, migrations

from corpus_fixtures import base, base_corpus

TEXTS = ["提交提案255件", "开展业务培训12期", "市农业农村局组织现场会"]
QUERIES = ["提案", "培训", "农业"]


def _fts_hits(tokenize: str, query: str) -> int:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = '{tokenize}')")
    conn.executemany("INSERT INTO t (x) VALUES (?)", [(t,) for t in TEXTS])
    return conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (f'"{query}"',)).fetchone()[0]


@pytest.mark.parametrize("query", QUERIES)
def test_fts5_tokenizers_alone_miss_short_and_inner_words(query):
    # unicode61 keeps a run of Chinese as one token; trigram cannot match under three characters
    assert _fts_hits("unicode61", query) == 0
    assert _fts_hits("trigram", query) == 0


def test_our_tokenising_finds_them_and_only_them():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5 (grams)")
    for i, text in enumerate(TEXTS):
        conn.execute("INSERT INTO t (rowid, grams) VALUES (?, ?)", (i, *fts.columns(text)))

    def hits(q):
        return [r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", (fts.query(q),))]

    assert hits("提案") == [0] and hits("培训") == [1] and hits("农业") == [2]
    assert hits("农业农村局") == [2] and hits("局") == [2] and hits("255件") == [0]
    assert hits("培训 12期") == [1]          # every term required
    assert hits("村农") == [] and hits("提案 培训") == []   # not a substring; not both in one text
    assert hits("案") == [0] and hits("提") == [0] and hits("业农村") == [2] and hits("案255件") == [0]
    assert hits("农业农村局组织现场会") == [2] and hits("现场会议") == [] and hits("25") == []  # a number whole
    assert fts.query("；，。") == ""


def test_migrations_run_once_and_other_components_register(tmp_path):
    db = tmp_path / "c.sqlite"
    store.open(db).close()
    migrations.register("test_extra", ["CREATE TABLE extra_notes (report_id INTEGER, note TEXT)"])
    try:
        conn = store.open(db)
        assert migrations.version(conn, "corpus") == 2 and migrations.version(conn, "test_extra") == 1
        conn.execute("INSERT INTO extra_notes VALUES (1, 'x')")
        conn.close()
        migrations.register("test_extra", ["CREATE TABLE extra_notes (report_id INTEGER, note TEXT)",
                                           "ALTER TABLE extra_notes ADD COLUMN who TEXT"])
        conn = store.open(db)
        assert migrations.version(conn, "test_extra") == 2
        assert conn.execute("SELECT note, who FROM extra_notes").fetchall() == [("x", None)]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with pytest.raises(ValueError):
            migrations.register("test_extra", ["CREATE TABLE other (x)"])
    finally:
        migrations._REGISTRY.pop("test_extra", None)


def test_a_v1_corpus_gets_a_contentless_search_index_that_finds_the_same(tmp_path):
    import shutil

    from pipeline.store.search import Filters, search
    from pipeline.store.write import searchable

    db = tmp_path / "old.sqlite"
    shutil.copy(base_corpus(), db)
    conn = store.open(db)
    queries = ["提案", "培训", "农业", "局", "接待人次", "预算完成率"]
    before = {q: [(r["kind"], r["path"], r["text"]) for r in search(conn, q, Filters())] for q in queries}
    assert all(before.values())
    # as a V1 corpus was: the index kept a copy of every text it indexed
    conn.execute("DROP TABLE items_fts")
    conn.execute("CREATE VIRTUAL TABLE items_fts USING fts5 (uni, bi, tokenize = 'unicode61')")
    for i, k, n, t in conn.execute("SELECT id, kind, name, text FROM items").fetchall():
        chars = fts._runs(searchable(k, n, t))  # V1: each character, and each pair, in two columns
        uni = " ".join(" ".join(r) if kind == "han" else r for kind, r in chars)
        bi = " ".join(" ".join(r[j:j + 2] for j in range(max(1, len(r) - 1))) if kind == "han" else r
                      for kind, r in chars)
        conn.execute("INSERT INTO items_fts (rowid, uni, bi) VALUES (?, ?, ?)", (i, uni, bi))
    conn.execute("UPDATE schema_version SET version = 1 WHERE component = 'corpus'")
    conn.close()
    conn = store.open(db)
    assert migrations.version(conn, "corpus") == 2
    assert conn.execute("SELECT grams FROM items_fts LIMIT 1").fetchone() == (None,)  # no copy kept
    assert {q: [(r["kind"], r["path"], r["text"]) for r in search(conn, q, Filters())] for q in queries} == before
    # corpus findings are deleted from the index by their values and found again once recomputed
    copied = [r for r in search(conn, "", Filters(rule="corpus.*"))]
    assert copied
    store.delete_corpus_findings(conn)
    assert search(conn, "", Filters(rule="corpus.*")) == []
    conn.execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")  # the deletes matched rows
    conn.close()


def test_write_is_one_transaction_and_idempotent(tmp_path):
    from pipeline import __version__

    rec = next(r for r in store.records(base_corpus()) if r["status"] == "checked")
    rec = {k: v for k, v in rec.items() if k not in ("provenance", "corpus_findings")}
    conn = store.open(tmp_path / "c.sqlite")
    prov = store.Provenance("k1", __version__, "f" * 16)
    assert store.write(conn, rec, prov) is not None
    assert store.write(conn, rec, prov) is None  # the same key is stored once
    broken = dict(rec, indicators=[{"id": None}])  # indicators.id is NOT NULL: the whole report must roll back
    with pytest.raises(sqlite3.IntegrityError):
        store.write(conn, broken, store.Provenance("k2", __version__, "f" * 16))
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM items_fts").fetchone()[0]


def test_a_batch_asked_not_to_wait_writes_nothing_while_another_writer_holds_the_corpus(tmp_path):
    """A writing worker with a job waiting checks it rather than sleep on the lock (bulk.work._store)."""
    from pipeline import __version__
    from pipeline.bulk.batch import Batch

    rec = next(r for r in store.records(base_corpus()) if r["status"] == "checked")
    rec = {k: v for k, v in rec.items() if k not in ("provenance", "corpus_findings")}
    mine, other = store.open(tmp_path / "c.sqlite"), store.open(tmp_path / "c.sqlite")
    batch = Batch(mine, 16, 60)
    batch.keep(store.rows(rec), store.Provenance("k1", __version__, "f" * 16))
    locked = []
    other.execute("BEGIN IMMEDIATE")
    assert not batch.flush(wait=False, on_locked=lambda: locked.append(1)) and batch.waiting and not locked
    assert mine.execute("PRAGMA busy_timeout").fetchone()[0] == 30000 and not mine.in_transaction
    other.execute("COMMIT")
    assert batch.flush(wait=False, on_locked=lambda: locked.append(1)) and not batch.waiting and locked == [1]
    assert other.execute("SELECT count(*) FROM reports").fetchone()[0] == 1


def test_records_are_the_contract_dicts_with_provenance_in_a_stable_order():
    recs = list(store.records(base_corpus()))
    paths = [r["source"]["path"] for r in recs]
    assert paths == sorted(paths)
    summary = base("summary")
    assert len(recs) == summary.checked + summary.unreadable
    for r in recs:
        assert r["schema"] == "jixiao.check/1" and r["status"] in ("checked", "unreadable")
        assert set(r["provenance"]) >= {"key", "version", "settings", "checked_at", "file", "member"}
        if r["status"] == "checked":
            assert r["provenance"]["key"] == r["source"]["sha256"]
            assert set(r) >= {"report", "budget", "indicators", "claims", "findings", "sections"}
        else:
            assert r["error"]["code"].startswith("E")
    zipped = [r for r in recs if r["provenance"]["member"]]
    assert zipped and all(r["source"]["path"].endswith("!" + r["provenance"]["member"]) for r in zipped)
    json.dumps(recs, ensure_ascii=False)
