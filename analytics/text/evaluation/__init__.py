"""The team's hand-labelled French/English messages (``messages.tsv``, written for this purpose,
separate from the simulator's templates and from any benchmark data) and the measurement of
language detection, question detection and intent on them.

Columns: ``language`` (ISO 639-1, ``-`` when no language can be told: an emoji, "ok", a link),
``question`` (1 when the message needs an answer), ``intent`` and ``text``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

MESSAGES = Path(__file__).with_name("messages.tsv")
# Written after the rules were last changed and never used to change them: the unbiased check.
HOLDOUT = Path(__file__).with_name("holdout.tsv")


@dataclass(frozen=True)
class Labelled:
    language: str | None
    question: bool
    intent: str
    text: str


def load(path: Path = MESSAGES) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Labelled(None if r["language"] == "-" else r["language"], r["question"] == "1", r["intent"], r["text"])
            for r in rows
        ]


def precision_recall(gold: list, predicted: list, positive) -> dict[str, float | int]:
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == positive and p == positive)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != positive and p == positive)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == positive and p != positive)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "support": tp + fn}


def evaluate(path: Path = MESSAGES) -> dict:
    """Precision and recall of language (fr, en), question and intent detection on the set."""
    from analytics.text import analyse, detect_language

    rows = load(path)
    texts = [r.text for r in rows]
    detected = detect_language(texts)
    # Question and intent are measured the way the inbox runs them: on detected languages.
    analyses = analyse(texts)
    gold_languages = [r.language for r in rows]
    result = {
        "messages": len(rows),
        "language": {language: precision_recall(gold_languages, detected, language) for language in ("fr", "en")},
        "language_accuracy": round(sum(g == d for g, d in zip(gold_languages, detected, strict=True)) / len(rows), 3),
        "question": {
            language: precision_recall(
                [r.question for r in rows if r.language == language],
                [a.is_question for r, a in zip(rows, analyses, strict=True) if r.language == language],
                True,
            )
            for language in ("fr", "en")
        },
        "intent": {
            intent: precision_recall([r.intent for r in rows], [a.intent for a in analyses], intent)
            for intent in ("question", "complaint", "praise", "other")
        },
    }
    result["question"]["all"] = precision_recall([r.question for r in rows], [a.is_question for a in analyses], True)
    result["intent_macro_f1"] = round(sum(v["f1"] for v in result["intent"].values()) / 4, 3)
    result["errors"] = [
        {
            "text": r.text,
            "language": [r.language, d],
            "question": [r.question, a.is_question],
            "intent": [r.intent, a.intent],
        }
        for r, d, a in zip(rows, detected, analyses, strict=True)
        if r.language != d or r.question != a.is_question or r.intent != a.intent
    ]
    return result
