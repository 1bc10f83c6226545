"""Coded errors: each reason a file is refused is one line you can grep for.

Library code raises these; only the CLI turns them into exit status 2.
"""
from __future__ import annotations


class JixiaoError(Exception):
    """A file that cannot be checked, with the reason in Chinese and English."""

    code = "E000"
    zh = "无法处理"
    en = "cannot be processed"

    def __init__(self, path: str, detail: str | tuple[str, str] = "") -> None:
        # a detail of our own wording comes as (zh, en), so that each line is whole in its language;
        # a plain string (a library's message, a key name) reads the same in both
        self.path = str(path)
        if isinstance(detail, (tuple, list)):
            self.detail_zh, self.detail = detail
        else:
            self.detail_zh = self.detail = detail
        super().__init__(self.line("en"))

    def __reduce__(self):
        # picklable for worker processes: rebuilt from its path and detail, not its message
        return (self.__class__, (self.path, (self.detail_zh, self.detail)))

    def reason(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def record(self) -> dict:
        """The error as data, for JSON lines, the corpus and reports."""
        return {"code": self.code, "reason": self.zh, "reason_en": self.en, "detail": self.detail_zh,
                "detail_en": self.detail}

    def line(self, lang: str = "zh") -> str:
        reason = self.zh if lang == "zh" else self.en
        detail = self.detail_zh if lang == "zh" else self.detail
        tail = (f"（{detail}）" if lang == "zh" else f" ({detail})") if detail else ""
        return f"{self.path}: {self.code} {reason}{tail}"


class ReadError(JixiaoError):
    code = "E100"
    zh = "无法读取"
    en = "cannot be read"


class NotFound(ReadError):
    code = "E101"
    zh = "文件不存在"
    en = "no such file"


class EmptyFile(ReadError):
    code = "E102"
    zh = "文件为空"
    en = "the file is empty"


class BinaryFile(ReadError):
    code = "E103"
    zh = "不是文本文件，也不是支持的格式"
    en = "binary content in no supported format"


class UnknownEncoding(ReadError):
    code = "E104"
    zh = "无法识别文字编码（支持 UTF-8、GB18030）"
    en = "unknown text encoding (UTF-8 and GB18030 are supported)"


class TooLarge(ReadError):
    code = "E105"
    zh = "文件过大"
    en = "the file is too large"


class Unsupported(ReadError):
    code = "E106"
    zh = "不支持的文件格式"
    en = "unsupported file format"


class Corrupt(ReadError):
    code = "E107"
    zh = "文件已损坏或不完整"
    en = "the file is damaged or truncated"


class Encrypted(ReadError):
    code = "E108"
    zh = "文件已加密，无法读取"
    en = "the file is encrypted"


class NoTextLayer(ReadError):
    code = "E109"
    zh = "没有可用的文字层（扫描件或字体无编码映射）"
    en = "no usable text layer (a scan, or fonts without a Unicode map)"


class FormulaError(ReadError):
    code = "E110"
    zh = "表格中有公式错误"
    en = "a formula error in the sheet"


class NotAReport(JixiaoError):
    code = "E200"
    zh = "不是绩效自评表或自评报告"
    en = "not a performance self-evaluation form or report"


class TruncatedForm(JixiaoError):
    code = "E201"
    zh = "表格不完整"
    en = "the form is incomplete"


class ConfigError(JixiaoError):
    code = "E300"
    zh = "配置有误"
    en = "invalid configuration"


class CorpusError(JixiaoError):
    """A corpus file that is no SQLite database, or cannot be read or written."""

    code = "E400"
    zh = "语料库无法打开、读取或写入"
    en = "the corpus cannot be opened, read or written"


# E6xx: the reviewer's report and decisions (jixiao report / jixiao review)
class DecisionError(JixiaoError):
    """A decision that cannot be recorded: a bad fingerprint, verdict or CSV row."""

    code = "E601"
    zh = "复核决定无效"
    en = "invalid review decision"


class ReportOutputError(JixiaoError):
    """The report cannot be written: an unknown output type or an unwritable path."""

    code = "E602"
    zh = "无法写出核查报告"
    en = "cannot write the review report"


class InternalError(JixiaoError):
    """A bug of ours met on one file: recorded against that file, never a traceback."""

    code = "E999"
    zh = "内部错误"
    en = "internal error"


class LimitExceeded(TooLarge):
    """A file past one of the reading limits (configs/limits.toml): refused before the work, not after."""

    code = "E111"
    zh = "超出读取限制"
    en = "a reading limit is exceeded"

    def __init__(self, path: str, detail: str = "", limit: str = "") -> None:
        # `limit` names the setting breached (max_cells, max_pages, ...); it leads the detail
        self.limit = limit or detail.split(" ", 1)[0]
        super().__init__(path, detail)

    def __reduce__(self):
        return (self.__class__, (self.path, self.detail, self.limit))

    def record(self) -> dict:
        return {**super().record(), "limit": self.limit}


class ArchiveMemberError(ReadError):
    """One entry of an archive that cannot be opened (password, method, CRC, name); the rest are read."""

    code = "E112"
    zh = "压缩包中的文件无法读取"
    en = "an archive member cannot be read"


class UnsafeXML(Corrupt):
    """An XML part declaring a DTD or entities: refused, never expanded."""

    code = "E113"
    zh = "文件含有文档类型定义或实体声明，已拒绝"
    en = "an XML part declares a DTD or entities; refused"


class UnreadableFolder(ReadError):
    code = "E114"
    zh = "文件夹无法读取"
    en = "the folder cannot be read"


class OutputError(JixiaoError):
    """The result could not be written: the reader of a pipe went away, or the disk is full."""

    code = "E500"
    zh = "无法写出结果"
    en = "the output cannot be written"


class TimeLimit(JixiaoError):
    """A file whose check ran past the per-file wall time of a bulk run: its worker was stopped."""

    code = "E115"
    zh = "检查超时，已停止"
    en = "the check ran past its time limit and was stopped"


class WorkerDied(JixiaoError):
    code = "E116"
    zh = "检查进程意外退出"
    en = "the checking process died"
