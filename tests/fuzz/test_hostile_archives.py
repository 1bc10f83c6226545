"""Folders and zips: every member recorded against its own name, good ones still checked."""
from __future__ import annotations

import io
import os
import pickle
import zipfile
from pathlib import Path

import pytest

import hostile_cases as hc
from pipeline import api, read
from pipeline.errors import ArchiveMemberError, JixiaoError, LimitExceeded
from pipeline.limits import Limits


def _good_members() -> dict[str, bytes]:
    return {
        "a/good.txt": hc.good_report(dept="甲局").encode(),
        "b/good.html": ("<html><body><table>" + "".join(
            "<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>"
            for line in hc.good_report(dept="乙局").splitlines()) + "</table></body></html>").encode(),
    }


def _outcomes(path: Path) -> dict[str, api.Outcome]:
    return {o.name: o for o in api.check_many([path])}


def test_zip_of_good_and_damaged_members(tmp_path):
    data, expected = hc.mixed_zip_bytes(_good_members())
    p = tmp_path / "mixed.zip"
    p.write_bytes(data)
    got = _outcomes(p)
    prefix = f"{p}!"
    for member in _good_members():
        assert got[prefix + member].ok, got[prefix + member].error
    for member, code in expected.items():
        outcome = got[prefix + member]
        assert outcome.error is not None and outcome.error.code == code, (member, outcome.error)
    # the nested zip is read, its member named by the path through both archives
    assert got[prefix + "inner.zip!deep.txt"].ok
    assert len(got) == len(_good_members()) + len(expected) + 1


def test_folder_of_good_and_damaged_files(tmp_path):
    for name, data in _good_members().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    bad = {}
    for case in ("huge_arabic", "paren_spaces", "html_spans", "pdf_self_ref", "docx_dtd_late", "xls_noisy",
                 "zip_mixed", "zip_empty"):
        folder = tmp_path / "bad" / case
        folder.mkdir(parents=True)
        bad[case] = hc.build(case, folder)
    (tmp_path / "bad" / "legacy.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "bad" / "photo.jpg").write_bytes(b"\xff\xd8\xff")  # never a report: not listed
    got = _outcomes(tmp_path)
    for name in _good_members():
        assert got[str(tmp_path / name)].ok
    assert got[str(bad["html_spans"])].error.code == "E111"
    assert got[str(bad["pdf_self_ref"])].error.code in ("E107", "E111")
    assert got[str(bad["docx_dtd_late"])].error.code == "E113"
    assert got[str(tmp_path / "bad" / "legacy.doc")].error.code == "E106"
    assert got[f"{bad['zip_mixed']}!crc.txt"].error.code == "E112"
    assert got[f"{bad['zip_mixed']}!good.txt"].ok
    assert not any("photo.jpg" in n for n in got)
    assert not any("empty.zip" in n for n in got)  # an empty archive adds nothing
    for outcome in got.values():
        assert outcome.error is None or outcome.error.code != "E999", (outcome.name, outcome.error)
    # every outcome serialises to the one CONTRACT record, good or bad
    for outcome in got.values():
        record = api.record(outcome)
        assert record["status"] in ("checked", "unreadable")


def test_empty_folder_and_zip_yield_nothing(tmp_path):
    assert list(read.iter_inputs(tmp_path)) == []
    assert list(read.iter_inputs(hc.zip_empty(tmp_path))) == []
    (tmp_path / "only.jpg").write_bytes(b"\xff\xd8")
    assert list(read.iter_inputs(tmp_path)) == []


def test_nested_zips_past_the_depth_limit_are_recorded(tmp_path):
    p = hc.zip_nested_deep(tmp_path, depth=4)
    items = list(read.iter_inputs(p))
    assert len(items) == 1 and isinstance(items[0].error, LimitExceeded)
    assert items[0].error.limit == "max_depth"
    deep = list(read.iter_inputs(p, Limits.resolve(None).override(max_depth=6)))
    assert len(deep) == 1 and deep[0].error is None
    assert deep[0].name.count("!") == 5
    assert "deep.txt" in deep[0].name
    doc = read.load(deep[0], Limits.resolve(None).override(max_depth=6))
    assert doc.rows
    # the Input crosses a process boundary as plain data
    assert pickle.loads(pickle.dumps(deep[0])) == deep[0]


def test_member_bomb_refused_by_its_ratio_before_reading(tmp_path):
    p = hc.zip_big_member(tmp_path)
    (item,) = list(read.iter_inputs(p))
    with pytest.raises(LimitExceeded) as exc:
        read.load(item)
    assert exc.value.limit == "max_ratio"


def test_member_size_checked_against_the_bytes_it_yields(tmp_path):
    data = hc.good_report().encode() * 40
    p = tmp_path / "a.zip"
    p.write_bytes(hc._zip_bytes({"a.txt": data}, zipfile.ZIP_STORED))
    (item,) = list(read.iter_inputs(p))
    with pytest.raises(LimitExceeded):
        read.load(item, Limits.resolve(None).override(max_bytes=1000))


def test_unreadable_subfolder_is_recorded(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text(hc.good_report(), encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text("x", encoding="utf-8")
    real = os.scandir

    def scandir(path):  # root reads every folder: stand in for a permission error
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(read.iter_inputs(tmp_path))
    assert [i.name for i in items] == [str(tmp_path / "locked"), str(tmp_path / "ok.txt")]
    assert items[0].error.code == "E114"


def test_folder_symlink_loop_is_recorded_not_followed(tmp_path):
    (tmp_path / "ok.txt").write_text(hc.good_report(), encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    items = list(read.iter_inputs(tmp_path))
    assert [i.name for i in items] == [str(tmp_path / "loop"), str(tmp_path / "ok.txt")]
    assert items[0].error is not None


def test_gbk_member_names_are_shown_in_chinese(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("abcd.txt", hc.good_report())
    raw = "报告.txt".encode("gbk")  # as a Windows archiver writes it: GBK, no UTF-8 flag
    assert len(raw) == len(b"abcd.txt")
    data = buf.getvalue().replace(b"abcd.txt", raw)
    p = tmp_path / "gbk.zip"
    p.write_bytes(data)
    (item,) = list(read.iter_inputs(p))
    assert "报告" in item.name
    assert read.load(item).rows


def test_archive_member_error_is_coded_and_picklable():
    err = ArchiveMemberError("a.zip!b.txt", "bad CRC")
    again = pickle.loads(pickle.dumps(err))
    assert isinstance(again, JixiaoError) and again.code == "E112" and again.detail == "bad CRC"
    lim = LimitExceeded("x.pdf", "max_pages: 2000 > 300", "max_pages")
    assert pickle.loads(pickle.dumps(lim)).record()["limit"] == "max_pages"
