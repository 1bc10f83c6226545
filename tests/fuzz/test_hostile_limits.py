"""Limits as settings: validated, overridable, and each one biting where it is checked."""
from __future__ import annotations

import pickle

import pytest

import hostile_cases as hc
from pipeline import config, read
from pipeline.errors import ConfigError, LimitExceeded
from pipeline.limits import NAMES, Limits


def test_the_file_and_the_defaults_agree():
    shipped = config.load_toml(config.data_dir("configs") / "limits.toml")
    assert set(shipped) == set(NAMES)
    assert Limits.resolve(None) == Limits(shipped)
    lim = Limits.resolve(None)
    assert pickle.loads(pickle.dumps(lim)) == lim and hash(lim) == hash(Limits(shipped))
    assert isinstance(lim.max_pages, int) and isinstance(lim.max_ratio, float)
    with pytest.raises(AttributeError):
        lim.max_pages = 1
    with pytest.raises(ConfigError, match="missing keys: max_pages"):
        Limits({k: v for k, v in shipped.items() if k != "max_pages"})


def test_resolve_takes_overrides_and_refuses_nonsense():
    assert Limits.resolve({"max_pages": 10}).max_pages == 10
    lim = Limits.resolve({"max_cells": 5})
    assert Limits.resolve(lim) is lim
    with pytest.raises(ConfigError):
        Limits.resolve({"max_pagez": 10})
    with pytest.raises(ConfigError):
        Limits.resolve({"max_pages": -1})
    with pytest.raises(ConfigError):
        Limits.resolve({"max_pages": "many"})
    with pytest.raises(ConfigError):
        Limits.resolve(["max_pages"])


def _limit_of(path, lim: Limits) -> str:
    with pytest.raises(LimitExceeded) as exc:
        read.read_path(path, lim)
    return exc.value.limit


def test_pdf_pages_and_wall_time(tmp_path):
    path = hc.pdf_pages(tmp_path, pages=3)
    assert _limit_of(path, Limits.resolve({"max_pages": 2})) == "max_pages"
    assert _limit_of(path, Limits.resolve({"max_seconds": 1e-9})) == "max_seconds"
    assert _limit_of(path, Limits.resolve({"max_pdf_chars": 100})) == "max_pdf_chars"
    assert read.read_path(path).pages == 3


def test_pdf_objects_and_streams(tmp_path):
    path = hc.pdf_noisy(tmp_path)
    assert _limit_of(path, Limits.resolve({"max_objects": 50})) == "max_objects"
    assert _limit_of(path, Limits.resolve({"max_stream_bytes": 100})) == "max_stream_bytes"
    assert len(read.read_path(path).rows) == 20


def test_text_characters(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(hc.good_report(), encoding="utf-8")
    assert _limit_of(path, Limits.resolve({"max_chars": 100})) == "max_chars"


def test_office_packages(tmp_path):
    docx = hc.docx_good(tmp_path)
    assert _limit_of(docx, Limits.resolve({"max_unpacked": 500})) == "max_unpacked"
    assert _limit_of(docx, Limits.resolve({"max_members": 2})) == "max_members"
    assert read.read_path(docx).rows
    xlsx = hc.xlsx_cells(tmp_path, rows=30, cols=10)
    assert _limit_of(xlsx, Limits.resolve({"max_cells": 100})) == "max_cells"
    assert len(read.read_path(xlsx).rows) == 30


def test_html_spans_within_the_table_still_read(tmp_path):
    page = ('<html><body><table><tr><td rowspan="1000000000">甲</td><td>1</td></tr>'
            '<tr><td>2</td></tr><tr><td colspan="3">乙</td></tr></table></body></html>')
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    rows = read.read_path(path).rows
    assert rows[0] == ["甲", "1"] and rows[1] == [None, "2"] and rows[2] == [None, "乙", None, None]  # the span reaches the last row, no further
    assert _limit_of(path, Limits.resolve({"max_cells": 4})) == "max_cells"
