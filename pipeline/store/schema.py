"""The corpus tables (component ``corpus`` of `migrations`).

One row per file in ``reports`` (checked or unreadable) with its provenance
and the whole CONTRACT record as JSON; the record's lists spread into
``indicators``, ``claims``, ``findings``, ``sections``, ``budget`` and
``errors`` for SQL; ``items`` + ``items_fts`` are the search index over
indicator names, claim subjects and texts, narrative sections, budget labels
and finding messages (``items_fts`` contentless since V2: it holds the index only). Cross-report findings (``scope = 'corpus'``) live in
``findings`` beside the per-report ones and are recomputed after each run.
"""
from __future__ import annotations

from . import migrations

V1 = """
CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL,            -- sha256 of the file's bytes, or 'name:'+path when they could not be read
    version     TEXT NOT NULL,            -- pipeline version that checked it
    settings    TEXT NOT NULL,            -- settings fingerprint
    status      TEXT NOT NULL,            -- checked | unreadable
    path        TEXT NOT NULL,            -- the name shown: file path, or archive.zip!member
    file        TEXT NOT NULL,            -- the file on disk (the archive for a member)
    member      TEXT,                     -- the member inside the archive, or NULL
    sha256      TEXT,
    format      TEXT,
    title       TEXT,
    department  TEXT,
    year        INTEGER,
    template    TEXT,
    money_unit  TEXT,
    n_indicators INTEGER NOT NULL DEFAULT 0,
    n_mismatches INTEGER NOT NULL DEFAULT 0,
    error_code  TEXT,
    checked_at  TEXT NOT NULL,            -- UTC, ISO 8601
    seconds     REAL,                     -- wall time of the check in its worker
    record      TEXT NOT NULL,            -- the CONTRACT object as JSON
    UNIQUE (key, version, settings)
);
CREATE INDEX reports_dept_year ON reports (department, year);
CREATE INDEX reports_path ON reports (path);

CREATE TABLE budget (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    field     TEXT NOT NULL,              -- initial | adjusted | actual | adjustment | completion_rate | adjustment_rate | received | balance
    label     TEXT NOT NULL,              -- the form's label (预算完成率 …), what search finds
    value     REAL,
    PRIMARY KEY (report_id, field)
);

CREATE TABLE indicators (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    ord       INTEGER NOT NULL,
    id        TEXT NOT NULL,
    section   TEXT, name TEXT, raw TEXT, value REAL, unit TEXT, status TEXT,
    evidence  TEXT,                       -- JSON list of claim ids
    note      TEXT, target TEXT, weight REAL, score REAL,
    PRIMARY KEY (report_id, ord)
);
CREATE INDEX indicators_name ON indicators (name);

CREATE TABLE claims (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    ord       INTEGER NOT NULL,
    id        TEXT NOT NULL,
    section   TEXT, text TEXT, subject TEXT, value REAL, unit TEXT,
    range_low REAL, range_high REAL, approx INTEGER, span_start INTEGER, span_end INTEGER,
    PRIMARY KEY (report_id, ord)
);

CREATE TABLE findings (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    scope     TEXT NOT NULL DEFAULT 'report',   -- report (from its own check) | corpus (across reports)
    ord       INTEGER NOT NULL,
    id        TEXT NOT NULL,
    rule      TEXT NOT NULL, status TEXT, severity TEXT, indicator TEXT,
    claims    TEXT,                       -- JSON list of claim ids
    expected  REAL, reported REAL, message TEXT,
    params    TEXT,                       -- JSON object
    PRIMARY KEY (report_id, scope, ord)
);
CREATE INDEX findings_rule ON findings (rule, status);

CREATE TABLE sections (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    ord       INTEGER NOT NULL,
    name TEXT, kind TEXT, text TEXT,
    PRIMARY KEY (report_id, ord)
);

CREATE TABLE errors (
    report_id INTEGER PRIMARY KEY REFERENCES reports(id),
    code TEXT NOT NULL, reason TEXT, reason_en TEXT, detail TEXT, message TEXT
);

-- the search index: one row per searchable thing, with the columns its filters need
CREATE TABLE items (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id),
    kind      TEXT NOT NULL,              -- indicator | claim | section | budget | finding
    ord       INTEGER NOT NULL,           -- position in its table (findings: scope-local)
    scope     TEXT NOT NULL DEFAULT 'report',
    name      TEXT,                       -- indicator name, claim subject, section name, budget label, finding rule
    text      TEXT,                       -- what is shown: indicator raw, claim text, section text, finding message
    value     REAL, unit TEXT, status TEXT, rule TEXT, severity TEXT
);
CREATE INDEX items_report ON items (report_id);
CREATE INDEX items_rule ON items (rule, severity);
CREATE VIRTUAL TABLE items_fts USING fts5 (uni, bi, tokenize = 'unicode61');
"""



def _contentless_search(conn) -> None:
    """V2: the search index keeps no copy of its texts (``content=''``): `items` holds them, and
    writing each text a second time cost a bulk run's parent a tenth of its time; and one token
    per character (`fts.grams`) where V1 stored two (each character, and each pair). Rebuilt from
    `items`, each row from the same text as before (`write.searchable`)."""
    from . import fts
    from .write import searchable

    conn.execute("DROP TABLE items_fts")
    conn.execute(SEARCH)
    conn.executemany("INSERT INTO items_fts (rowid, grams) VALUES (?, ?)",
                     ((i, *fts.columns(searchable(kind, name, text)))
                      for i, kind, name, text in conn.execute("SELECT id, kind, name, text FROM items").fetchall()))


SEARCH = "CREATE VIRTUAL TABLE items_fts USING fts5 (grams, tokenize = 'unicode61', content = '')"

migrations.register("corpus", [V1, _contentless_search])
