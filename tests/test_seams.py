"""The seams later layers stand on: settings, validated templates, findings as data, check_many."""
from __future__ import annotations

import json
import pickle
import re
import shutil
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from pipeline import __version__, api, config, errors
from pipeline.output import contract, messages
from pipeline.settings import Settings
from conftest import DEPARTMENT, NARRATIVE, PROJECT, build_department

CONFIGS = config.data_dir("configs")


def _configs_with(tmp_path: Path, template: str, old: str, new: str) -> Path:
    """A copy of configs/ where one template's text has `old` replaced by `new`."""
    root = tmp_path / "configs"
    shutil.copytree(CONFIGS, root)
    path = root / "templates" / f"{template}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {template}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


# ---- templates validated against their kind's schema, at load time
@pytest.mark.parametrize("template,old,new,named", [
    ("project_provincial", "[funds]", "[fundz]", "[fundz]"),           # a typo in a group
    ("project", "\ntotal = [", "\ntotl = [", "totl"),                   # a typo in a key
    ("department_overall", "[budget]", "[budgett]", "[budgett]"),
    ("department_overall", "\nadjustment_rate = [", "\nadjustment_rat = [", "adjustment_rat"),
    ("narrative", "[headings]", "[heading_patterns]", "[heading_patterns]"),
    ("narrative", "min_terms = 3", "min_terms = \"3\"", "min_terms"),   # a wrong type
])
def test_template_typo_is_a_coded_error_naming_it(tmp_path, template, old, new, named):
    root = _configs_with(tmp_path, template, old, new)
    with pytest.raises(errors.ConfigError) as info:
        Settings.resolve(root)
    line = info.value.line("en")
    assert info.value.code == "E300" and f"{template}.toml" in line and named in line, line


def test_missing_required_label_is_an_error(tmp_path):
    root = _configs_with(tmp_path, "department_overall", "\ninitial = [", "\n# initial = [")
    with pytest.raises(errors.ConfigError, match="initial"):
        Settings.resolve(root)


def test_templates_as_shipped_load():
    kinds = {t.kind for t in Settings.resolve(None).templates}
    assert kinds == {"department_overall", "project", "narrative"}


# ---- settings: resolved once, fingerprinted, picklable, stamped on every result
def test_fingerprint_follows_the_settings():
    base = Settings.resolve(None)
    assert Settings.resolve(CONFIGS).fingerprint == base.fingerprint
    other = Settings.resolve({"rules": {"link": {"strong_share": 0.6}}})
    assert other.fingerprint != base.fingerprint and other.rules.link.strong_share == 0.6
    assert pickle.loads(pickle.dumps(other)).fingerprint == other.fingerprint


def test_settings_file_of_overrides(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[rules.approx]\nrelative = 0.1\n", encoding="utf-8")
    assert Settings.resolve(path).rules.approx.relative == 0.1
    with pytest.raises(errors.ConfigError):
        Settings.resolve({"rulez": {}})


def test_result_carries_version_and_fingerprint():
    settings = Settings.resolve({"rules": {"approx": {"relative": 0.08}}})
    d = contract.to_dict(api.check_path(DEPARTMENT / "health_2023.txt", settings))
    assert d["pipeline"] == {"version": __version__, "settings": settings.fingerprint}
    assert d["pipeline"]["settings"] != Settings.resolve(None).fingerprint


def test_a_setting_changes_the_check():
    """Settings are really passed down: a looser approximation turns a mismatch consistent."""
    text = build_department([("服务", "服务群众约5000人次。", [("服务群众人次", "5400人次")])])
    doc = __import__("pipeline.read", fromlist=["read_bytes"]).read_bytes(text.encode(), "t.txt")
    strict = api.check_document(doc)
    loose = api.check_document(doc, {"rules": {"approx": {"relative": 0.1}}})
    assert [v.status for v in strict.verdicts.values()] == ["mismatch"]
    assert [v.status for v in loose.verdicts.values()] == ["consistent"]


# ---- findings as data, rendered from one catalogue
def _records():
    return [api.record(o) for o in api.check_many([DEPARTMENT, PROJECT, NARRATIVE])]


def test_every_finding_renders_whole_in_each_language():
    outcomes = list(api.check_many([DEPARTMENT, PROJECT, NARRATIVE, Path(__file__).parent.parent / "corpora" / "sample"]))
    assert outcomes and all(o.ok for o in outcomes)
    seen = set()
    for o in outcomes:
        for f in o.result.findings:
            seen.add(f.code or f.rule)
            zh, en = messages.finding_message(f, "zh"), messages.finding_message(f, "en")
            for text in (zh, en):
                assert "{" not in text and "}" not in text, text
                assert "：；" not in text and "=，" not in text, text
            # the Chinese line holds no English words of ours (document text is Chinese)
            assert not re.search(r"\b(?:should|states|the|and|of)\b", zh), zh
            assert messages.rule_title(f.rule, "zh") != f.rule
            if f.indicator:
                ind = next(i for i in o.result.report.indicators if i.id == f.indicator)
                assert ind.name in zh, zh  # a finding names the indicator it is about
    assert len(seen) >= 15


def test_json_findings_carry_code_and_params():
    for rec in _records():
        for f in rec["findings"]:
            assert f["code"] and isinstance(f["params"], dict) and f["message"]
            json.dumps(f["params"])


def test_no_degenerate_sum_in_fund_total():
    from pipeline.model import Finding
    one = Finding("project.fund_total", "mismatch", params={"wrong": [
        {"column": "budget", "stated": "168.23", "terms": ["150.00"], "sum": 150.0, "code": "project.fund_total.one"}]})
    text = messages.finding_message(one, "zh")
    assert "=" not in text and "唯一来源150.00" in text and "全年预算数" in text


def test_terminal_prints_markup_in_document_text_as_written():
    from io import StringIO

    from rich.console import Console

    from pipeline.output import terminal
    from pipeline.read import read_bytes

    text = build_department([("[bold]学习[/]", "开展学习[/]12次。", [("学习[/]次数[red]", "12次")])])
    res = api.check_document(read_bytes(text.encode(), "m.txt"))
    buf = StringIO()
    terminal.render(res, "zh", Console(file=buf, width=120), verbose=True)
    assert "学习[/]次数[red]" in buf.getvalue()


# ---- check_many: picklable inputs, the same results in worker processes
def _fingerprint(records):
    out = []
    for r in records:
        if r["status"] != "checked":
            out.append((r["source"]["path"], r["error"]["code"]))
            continue
        out.append((r["source"]["path"], json.dumps({k: r[k] for k in ("budget", "indicators", "claims", "findings")},
                                                    ensure_ascii=False, sort_keys=True)))
    return out


def _work(item):
    return api.record(api.check_input(item))


def test_check_many_in_a_process_pool(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in list(DEPARTMENT.glob("*.txt"))[:2] + list(PROJECT.glob("*.txt"))[:2]:
        shutil.copy(p, folder / p.name)
    (folder / "empty.txt").write_bytes(b"")
    archive = tmp_path / "in.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, f"sub/{p.name}")
    inputs = list(api.iter_inputs([folder, archive]))
    assert len(inputs) == 10
    local = [api.record(o) for o in api.check_many(inputs)]
    with ProcessPoolExecutor(max_workers=2, initializer=api.warm) as pool:
        remote = list(pool.map(_work, inputs))
    assert _fingerprint(remote) == _fingerprint(local)
    assert [r["status"] for r in local].count("unreadable") == 2
