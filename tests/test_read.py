"""Readers: encodings, cleaning, refusal of what is not text."""
import codecs

import pytest

from pipeline import errors, read
from pipeline.read.text import clean_cell, decode


@pytest.mark.parametrize("raw,clean", [
    ("<p>第一段</p> <p>第二段</p>", "第一段\n第二段"),
    ("共１２３次，完成率９６．５％", "共123次,完成率96.5%"),
    ("A&amp;B&nbsp;C", "A&B C"),
    ("2022 年 附件 2", "2022年 附件2"),
    # a row of cells printed with one space between them keeps the spaces that separate its cells
    ("项目数量 1 1 10 10", "项目数量 1 1 10 10"),
    ("建成站点 10个 8个 10 8 两个站点未建成", "建成站点 10个 8个 10 8 两个站点未建成"),
    ("培训 620 人次", "培训620人次"),
    ("召開會議３次", "召开会议3次"),
    ("  多余   空格  ", "多余 空格"),
    ("<br/>换行<br>两次", "换行\n两次"),
    # a < before no tag name is the text's own: comparisons, a title mark a scan misread
    ("投诉率<5%,完成培训12场,满意度>90%", "投诉率<5%,完成培训12场,满意度>90%"),
    ("印发<某某办法>的通知<!-- 注 -->", "印发<某某办法>的通知"),
    ('<td class="c">培训</td><span>12场</span>', "培训12场"),
    ("", ""),
])
def test_clean_cell(raw, clean):
    assert clean_cell(raw) == clean


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_decode(encoding):
    text = "部门名称\t测试局\n预算完成率\t96.5%"
    got, enc = decode(text.encode(encoding), "x")
    assert got == text


@pytest.mark.parametrize("data,error", [
    (b"", errors.EmptyFile),
    (b"   \n\n", errors.EmptyFile),
    (b"\x00\x01\x02binary" * 100, errors.BinaryFile),
    (bytes(range(128, 256)) * 20, errors.UnknownEncoding),
])
def test_refused(data, error):
    with pytest.raises(error):
        decode(data, "x")


def test_tsv_rows_keep_cells_and_skip_blank_lines():
    doc = read.read_bytes("a\tb\n\n\tc\t<p>d</p>\n".encode(), "r.txt")
    assert doc.rows == [["a", "b"], ["", "c", "d"]]
    assert doc.format == "txt" and len(doc.sha256) == 64


def test_too_large(tmp_path):
    from pipeline.limits import Limits

    p = tmp_path / "big.txt"
    p.write_bytes(b"x" * 2048)
    with pytest.raises(errors.TooLarge):
        read.read_path(p, Limits.resolve(None).override(max_bytes=1024))


def test_missing_file(tmp_path):
    with pytest.raises(errors.NotFound):
        read.read_path(tmp_path / "nothing.txt")


def test_folder_and_zip_inputs(tmp_path):
    import zipfile

    (tmp_path / "a.txt").write_text("x\ty", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as zf:
        zf.writestr("in/c.txt", "p\tq")
    names = [i.name for i in read.iter_inputs(tmp_path)]
    assert names == [str(tmp_path / "a.txt"), f"{tmp_path / 'b.zip'}!in/c.txt"]
    assert [i.load().rows for i in read.iter_inputs(tmp_path)] == [[["x", "y"]], [["p", "q"]]]


def test_broken_zip_is_one_error(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    items = list(read.iter_inputs(bad))
    assert len(items) == 1
    with pytest.raises(errors.ReadError):
        items[0].load()


def test_html_in_gb18030_with_meta_charset(tmp_path):
    page = ('<html><head><meta charset="gb2312"></head><body><div class="nav">首页 &gt; 绩效信息</div>'
            '<table><tr><td rowspan="2">部门资金情况</td><td>实际支出数</td><td>96.5%</td></tr>'
            '<tr><td colspan="2">其中：一般公共预算</td></tr></table></body></html>')
    doc = read.read_bytes(page.encode("gb18030"), "page.html")
    assert doc.format == "html"
    assert doc.rows == [["部门资金情况", "实际支出数", "96.5%"], [None, "其中:一般公共预算", None]]


@pytest.mark.parametrize("raw,clean", [
    ("项目名称(xiàng mù míng chēng)", "项目名称"),
    ("绩效（jì xiào）自评", "绩效自评"),
    ("在T. I. T (Tianhe) 智慧园", "在T. I. T (Tianhe) 智慧园"),
])
def test_pinyin_glosses_are_dropped(raw, clean):
    assert clean_cell(raw) == clean
