"""The pluggable transformer backend (optional: transformers + torch are not in requirements.txt).

When they are installed, the test builds a tiny 3-label model and its tokenizer in a temporary
directory and loads it through the same code a deployment uses (OVERGRAPH_SENTIMENT_MODEL_PATH)."""

import pytest

from analytics.text import analyse, backends


@pytest.fixture
def fresh_backend():
    backends._load.cache_clear()
    yield
    backends._load.cache_clear()


def test_it_uses_the_rules_without_a_model_path(settings, fresh_backend):
    settings.SENTIMENT_MODEL_PATH = ""
    assert backends.sentiment_backend().name == "rules"


def test_it_fails_loudly_on_a_missing_model(settings, fresh_backend, tmp_path):
    settings.SENTIMENT_MODEL_PATH = str(tmp_path / "nowhere")
    with pytest.raises(RuntimeError, match="OVERGRAPH_SENTIMENT_MODEL_PATH"):
        analyse(["bonjour"], languages=["fr"])


def _tiny_model(path):
    transformers = pytest.importorskip("transformers", reason="transformers is not installed (optional dependency)")
    pytest.importorskip("torch", reason="torch is not installed (optional dependency)")
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocabulary = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "super": 4, "nul": 5, "merci": 6, "bof": 7}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocabulary, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]"
    )
    fast.save_pretrained(path)
    config = transformers.BertConfig(
        vocab_size=len(vocabulary),
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=1,
        intermediate_size=8,
        max_position_embeddings=64,
        num_labels=3,
        id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2},
    )
    transformers.BertForSequenceClassification(config).save_pretrained(path)


def test_it_loads_a_local_transformer_model(settings, fresh_backend, tmp_path):
    _tiny_model(tmp_path)
    settings.SENTIMENT_MODEL_PATH = str(tmp_path)
    results = analyse(["super merci", "nul", "bof"], languages=["fr", "fr", "fr"])
    assert backends.sentiment_backend().name == "transformer"
    assert all(r.sentiment in ("negative", "neutral", "positive") for r in results)
    assert all(-1.0 <= r.sentiment_score <= 1.0 for r in results)
    assert analyse(["super merci"], languages=["fr"]) == results[:1]  # deterministic (eval mode)


def test_it_rejects_a_model_whose_labels_it_cannot_map(settings, fresh_backend, tmp_path):
    _tiny_model(tmp_path)
    import json

    config = json.loads((tmp_path / "config.json").read_text())
    config["id2label"] = {"0": "joy", "1": "anger", "2": "fear"}
    config["label2id"] = {"joy": 0, "anger": 1, "fear": 2}
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(RuntimeError, match="cannot map the model's labels"):
        backends.TransformerBackend(tmp_path)
