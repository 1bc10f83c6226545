"""Configuration and dictionaries: data that must parse the way it is read."""
import re

import pytest

from pipeline import config, errors
from pipeline.settings import Settings

SETTINGS = Settings.resolve(None)


def test_userdict_lines_parse_as_jieba_reads_them():
    # jieba glues a tab-separated or upper-case-tagged frequency to the word without a word of warning
    path = config.data_dir("models") / "userdict.txt"
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert re.fullmatch(r"[^\s#]+ \d+ [a-z]+", line), f"userdict.txt:{n}: {line!r}"


def test_userdict_words_are_cut_whole():
    from pipeline.nlp import segment

    assert "委员大讲堂" in segment.cut("组织委员大讲堂3期")
    assert "政协委员工作室" in segment.cut("设立政协委员工作室")


def test_every_config_loads():
    assert SETTINGS.units.family_of["人次"] == "visits"  # 人次 counts attendances, not people
    assert SETTINGS.templates[0].name
    assert SETTINGS.lexicon.names and SETTINGS.synonyms["满意率"] >= {"满意度"}


def test_rules_reject_unknown_keys():
    with pytest.raises(errors.ConfigError):
        Settings.resolve({"rules": {"link": {"strong_shar": 0.4}}})
    with pytest.raises(errors.ConfigError):
        Settings.resolve({"rules": {"link": {"strong_share": 2}}})
    assert Settings.resolve({"rules": {"link": {"strong_share": 0.6}}}).rules.link.strong_share == 0.6


def test_template_labels_are_unique_per_budget_field():
    tpl = next(t for t in SETTINGS.templates if t.name == "department_overall")
    seen = {}
    for key, aliases in tpl.group("budget").items():
        for a in aliases:
            assert a not in seen, f"{a} labels both {seen.get(a)} and {key}"
            seen[a] = key
