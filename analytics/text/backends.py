"""Sentiment backends behind one interface.

``RulesBackend`` (default) is offline and fast: lexicons from PyPI packages plus our rules.
``TransformerBackend`` loads a sequence-classification model from a local directory
(``settings.SENTIMENT_MODEL_PATH``, env ``OVERGRAPH_SENTIMENT_MODEL_PATH``), for a deployment that
can fetch, say, a multilingual Twitter sentiment model once and run it on its own CPUs or GPU.
transformers and torch are optional dependencies (not in requirements.txt): they are imported only
when a model path is set, and a missing package or model fails loudly at the first analysis.

The model's labels are mapped to ours by name ("negative"/"neg"/"LABEL_0"…); a model whose labels
cannot be mapped is rejected instead of silently mislabelling messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from analytics.text import sentiment


class SentimentBackend(Protocol):
    name: str

    def predict(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[tuple[str, float]]:
        """(label, score in -1..1) per text."""


class RulesBackend:
    name = "rules"

    def predict(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[tuple[str, float]]:
        out = []
        for text, language in zip(texts, languages, strict=True):
            if language not in sentiment.SUPPORTED:
                # Our lexicons read French and English only: "die" is no death in German.
                out.append(("neutral", 0.0))
                continue
            compound = sentiment.score(text, language)
            out.append((sentiment.label(compound, language), compound))
        return out


_LABEL_NAMES = {
    "negative": "negative", "neg": "negative", "label_0": "negative", "0": "negative",
    "neutral": "neutral", "neu": "neutral", "label_1": "neutral", "1": "neutral",
    "positive": "positive", "pos": "positive", "label_2": "positive", "2": "positive",
}  # fmt: skip


class TransformerBackend:
    """A local Hugging Face sequence-classification model with 3 labels (negative/neutral/positive)."""

    name = "transformer"

    def __init__(self, path: str | Path, *, batch_size: int = 32, max_length: int = 128) -> None:
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:  # optional dependency
            raise RuntimeError(
                "OVERGRAPH_SENTIMENT_MODEL_PATH is set but transformers/torch are not installed "
                "(pip install transformers torch)"
            ) from exc
        path = Path(path)
        if not path.is_dir():
            raise RuntimeError(f"OVERGRAPH_SENTIMENT_MODEL_PATH={path} is not a directory")
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True)
        self.model.eval()
        id2label = {int(k): str(v).lower() for k, v in self.model.config.id2label.items()}
        try:
            self.labels = [_LABEL_NAMES[id2label[i]] for i in range(len(id2label))]
        except KeyError as exc:
            raise RuntimeError(f"cannot map the model's labels {id2label} to negative/neutral/positive") from exc
        if sorted(set(self.labels)) != sorted(("negative", "neutral", "positive")):
            raise RuntimeError(f"the model's labels {id2label} are not negative/neutral/positive")
        self.batch_size = batch_size
        self.max_length = max_length

    def predict(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[tuple[str, float]]:
        torch = self._torch
        out: list[tuple[str, float]] = []
        neg = self.labels.index("negative")
        pos = self.labels.index("positive")
        for start in range(0, len(texts), self.batch_size):
            batch = [t or "" for t in texts[start : start + self.batch_size]]
            encoded = self.tokenizer(
                batch, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
            )
            with torch.no_grad():
                probabilities = torch.softmax(self.model(**encoded).logits, dim=-1)
            for row in probabilities.tolist():
                best = max(range(len(row)), key=row.__getitem__)
                out.append((self.labels[best], float(row[pos] - row[neg])))
        return out


@lru_cache(maxsize=4)
def _load(path: str) -> SentimentBackend:
    return TransformerBackend(path) if path else RulesBackend()


def sentiment_backend() -> SentimentBackend:
    from django.conf import settings

    return _load(getattr(settings, "SENTIMENT_MODEL_PATH", "") or "")
