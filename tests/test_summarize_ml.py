"""The transformers backend end to end, on tiny models built here from a config and a
character vocabulary, saved to a temporary folder and read back through the real loading
code (`from_pretrained(folder, local_files_only=True)`); nothing is downloaded.
Skipped when torch or transformers is absent (the default install)."""
from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import ConfigError
from pipeline.nlp.ml_settings import EmbedSettings, GenerateSettings, MLSettings

from conftest import FIXTURE_DIRS

FIXTURES = sorted(p for d in FIXTURE_DIRS for p in d.glob("*.txt"))
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[BOS]", "[EOS]"]


def _vocab() -> list[str]:
    chars = sorted({ch for p in FIXTURES for ch in p.read_text(encoding="utf-8") if not ch.isspace()})
    return SPECIALS + chars


def _tokenizer(vocab: list[str], template: str):
    """A character-level fast tokenizer from `tokenizers` objects (BertTokenizerFast(vocab_file=…)
    maps everything to [UNK] in transformers 5, so it is not used)."""
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    ids = {w: i for i, w in enumerate(vocab)}
    tok = Tokenizer(models.WordLevel(ids, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                 pre_tokenizers.Split(Regex("."), behavior="isolated")])
    if template == "bert":
        tok.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]", special_tokens=[("[CLS]", ids["[CLS]"]), ("[SEP]", ids["[SEP]"])])
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", bos_token="[BOS]", eos_token="[EOS]")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    torch = pytest.importorskip("torch")
    tf = pytest.importorskip("transformers")
    torch.manual_seed(0)
    vocab = _vocab()
    root = tmp_path_factory.mktemp("models")
    small = dict(vocab_size=len(vocab), pad_token_id=0, bos_token_id=5, eos_token_id=6)
    built = {
        "bert": (tf.BertConfig(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
                               max_position_embeddings=128, **small), tf.BertModel, "bert"),
        "gpt2": (tf.GPT2Config(n_embd=32, n_layer=1, n_head=2, n_positions=256, **small), tf.GPT2LMHeadModel, "plain"),
        "bart": (tf.BartConfig(d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                               decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
                               max_position_embeddings=256, decoder_start_token_id=6, forced_eos_token_id=None,
                               **small), tf.BartForConditionalGeneration, "plain"),
    }
    out = {}
    for name, (cfg, cls, template) in built.items():
        folder = root / name
        cls(cfg).save_pretrained(folder)
        _tokenizer(vocab, template).save_pretrained(folder)
        out[name] = folder
    return out


def test_tokenizer_read_back_is_not_all_unknown(tiny):
    from pipeline.nlp import hf

    tok, _, _ = hf.load(tiny["bert"], "encoder")
    ids = tok("新增公办学位6400个")["input_ids"]
    unk = tok.convert_tokens_to_ids("[UNK]")
    content = ids[1:-1]
    assert len(content) == len("新增公办学位6400个") and unk not in content


def test_encoder_similarity(tiny):
    from pipeline.nlp.embed import Encoder

    enc = Encoder.load(str(tiny["bert"]))
    assert enc.similarity("新增公办学位数", "新增公办学位数") == pytest.approx(1.0, abs=1e-4)
    assert -1.0 <= enc.similarity("新增公办学位数", "应急疏散演练") <= 1.0
    assert enc.similarity("", "学位") == 0.0
    enc.vectors(["一", "二三四五", "三六", "一"])  # batched, padded: the same vectors as one by one
    alone = Encoder.load(str(tiny["bert"]))
    for t in ("一", "二三四五", "三六"):
        assert float((enc.vector(t) * alone.vector(t)).sum()) == pytest.approx(1.0, abs=1e-4)


def test_embedding_linker_links_only_above_its_threshold(tiny):
    from pipeline.check.embed_link import EmbeddingLinker
    from pipeline.check.link import Linker
    from pipeline.model import Claim, Indicator
    from pipeline.nlp.embed import Encoder
    from pipeline.settings import Settings

    base = Linker.of(Settings.resolve(None))
    link = base.link

    enc = Encoder.load(str(tiny["bert"]))
    ind = Indicator("I1", "任务", "新增公办学位数", "6400个", 6400, "个")
    claim = Claim("C1", "任务", "校舍6400个", "校舍", 6400, "个", (0, 6), words=("校舍",))
    assert link(ind, claim).share == 0  # no shared word: the word-overlap linker sees nothing
    loose = EmbeddingLinker(enc, EmbedSettings(threshold=-1.0, strong=1.0001), base)
    lk = loose(ind, claim)
    assert lk.share != 0 and not lk.strong and loose.asked == 1
    strict = EmbeddingLinker(enc, EmbedSettings(threshold=1.0, strong=1.0), base)
    assert strict(ind, claim).share == 0
    same = Claim("C2", "任务", "新增公办学位数6400个", "新增公办学位数", 6400, "个", (0, 9), words=("新增", "公办", "学位"))
    asked = strict.asked
    assert strict(ind, same) == link(ind, same) and strict.asked == asked  # good overlap: the encoder is not asked


def test_matching_runs_end_to_end(tiny, monkeypatch):
    from pipeline import api
    from pipeline.check import embed_link
    from pipeline.check.link import Linker
    from pipeline.settings import Settings

    settings = Settings.resolve({"ml": {"embed": {"model": str(tiny["bert"])}}})
    res = api.check_path(FIXTURES[0], settings)
    linker = embed_link.make_linker(settings)  # the one the check used, kept with its settings
    assert isinstance(linker, embed_link.EmbeddingLinker)
    assert linker.asked > 0 and res.verdicts and res.fingerprint != Settings.resolve(None).fingerprint
    plain = Settings.resolve(None)
    assert isinstance(embed_link.make_linker(plain), Linker)  # no model named: plain overlap


@pytest.mark.parametrize("name", ["gpt2", "bart"])
def test_generator_summarises(tiny, name):
    from pipeline.summarize.transformers_backend import Generator

    gen = Generator.load(str(tiny[name]), GenerateSettings(max_new_tokens=12, max_input=64))
    assert gen.kind == ("seq2seq" if name == "bart" else "causal")
    out = gen("全年新增公办学位6400个，招聘新教师320名。", 10)
    assert isinstance(out, str) and len(out) <= 10


def test_summarize_cli_with_a_model_end_to_end(tiny):
    r = CliRunner().invoke(app, ["summarize", str(FIXTURES[0]), "-f", "json", "--model", str(tiny["gpt2"]),
                                 "--max-chars", "60"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert isinstance(data["abstract"], str) and len(data["abstract"]) <= 60 and data["extract"]


# -- without the extra, or with a wrong folder: one coded line ----------------------------------

def test_missing_extra_is_a_coded_error(monkeypatch):
    from pipeline.nlp import hf

    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ConfigError, match="jixiao\\[transformers\\]"):
        hf.require()


def test_a_folder_that_is_no_model_exits_2(tmp_path):
    r = CliRunner().invoke(app, ["summarize", str(FIXTURES[0]), "--model", str(tmp_path)])
    assert r.exit_code == 2 and "E300" in r.stderr and "Traceback" not in r.stderr


def test_ml_settings_are_validated():
    with pytest.raises(ConfigError):
        MLSettings.resolve({"embed": {"treshold": 0.5}})
    with pytest.raises(ConfigError):
        MLSettings.resolve({"embed": {"threshold": 0.99, "strong": 0.5}})
    with pytest.raises(ConfigError):
        MLSettings.resolve({"generate": {"prompt": "no placeholder"}})
    assert MLSettings.resolve().embed.model == "" and MLSettings.resolve().generate.model == ""
