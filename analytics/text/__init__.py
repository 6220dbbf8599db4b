"""Text analysis of what people write: language, sentiment, question and intent (contract C1).

Offline and deterministic. Other apps call :func:`analyse` in batches when they store messages
or listening hits, and keep the result on their own rows::

    from analytics.text import analyse
    for row, result in zip(rows, analyse([r.text for r in rows])):
        row.language, row.sentiment = result.language, result.sentiment

The sentiment comes from the configured backend (``backends.py``): rules and lexicons by default,
a local transformer model when ``OVERGRAPH_SENTIMENT_MODEL_PATH`` points at one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analytics.text.language import detect_language

__all__ = ["TextAnalysis", "analyse", "detect_language"]

SENTIMENTS = ("negative", "neutral", "positive")
INTENTS = ("question", "complaint", "praise", "other")


@dataclass(frozen=True)
class TextAnalysis:
    language: str | None  # ISO 639-1 ("fr", "en", ...) or None when unsure/too short
    sentiment: str  # "negative" | "neutral" | "positive"
    sentiment_score: float  # -1.0 .. 1.0
    intent: str  # "question" | "complaint" | "praise" | "other"
    is_question: bool  # needs an answer (question detection, fr/en)


_ISO = re.compile(r"^([a-z]{2})(?:$|[-_])")


def _iso(code: str | None) -> str | None:
    """ "fr", "FR", "pt-BR" → ISO 639-1; a network's "und"/"zxx"/"qme" (no language) → None."""
    match = _ISO.match((code or "").lower())
    return match[1] if match else None


def analyse(texts: Sequence[str], *, languages: Sequence[str | None] | None = None) -> list[TextAnalysis]:
    """Vectorised/batched, offline, deterministic. `languages` = known languages (skip detection);
    a None or a network's "undetermined" code in it is detected."""
    from analytics.text import questions
    from analytics.text.backends import sentiment_backend

    texts = [t or "" for t in texts]
    if languages is None:
        langs = detect_language(texts)
    else:
        if len(languages) != len(texts):
            raise ValueError(f"{len(languages)} languages for {len(texts)} texts")
        langs = [_iso(lang) for lang in languages]
        # Unknown ones (None, X's "und", "zxx", "qme"…) are detected.
        unknown = [i for i, lang in enumerate(langs) if lang is None]
        if unknown:
            for i, lang in zip(unknown, detect_language([texts[i] for i in unknown]), strict=True):
                langs[i] = lang
    sentiments = sentiment_backend().predict(texts, langs)
    results = []
    for text, lang, (label, score) in zip(texts, langs, sentiments, strict=True):
        question = questions.is_question(text, lang)
        results.append(
            TextAnalysis(
                language=lang,
                sentiment=label,
                sentiment_score=round(score, 4),
                intent=questions.intent(text, question=question, sentiment=label, score=score, language=lang),
                is_question=question,
            )
        )
    return results
