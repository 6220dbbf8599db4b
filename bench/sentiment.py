"""Sentiment benchmark: macro-F1 of the shipped analyser on labelled French and English tweets.

    PYTHONPATH=. .venv/bin/python bench/sentiment.py [--data DIR] [--split test|val|train]

DIR has the layout of ../shared/benchdata/sentiment: ``{french,english}/{split}_text.txt`` and
``{split}_labels.txt``, one text per line, labels 0 negative / 1 neutral / 2 positive (and,
when present, ``tweeteval/{split}_*`` with its ``mapping.txt``: English only, reported apart). The
``test`` split is evaluated when present, else ``val``. The language of each folder is given to
the analyser (the benchmark measures sentiment, not language detection). Throughput is measured
on one core, warm, over both languages' texts, repeated for at least two seconds.

Prints one JSON line ``{"benchmark":"sentiment","fr_macro_f1":…,"en_macro_f1":…,"texts_per_s":…}``
(macro-F1 in percent) and, on stderr, per-class precision/recall and the confusion matrices.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "benchdata" / "sentiment"
LABELS = ("negative", "neutral", "positive")
FOLDERS = {"french": "fr", "english": "en"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load(folder: Path, split: str) -> tuple[list[str], list[str]]:
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")
    labels = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").split("\n")
    while texts and texts[-1] == "" and labels and labels[-1] == "":
        texts.pop()
        labels.pop()
    if len(texts) != len(labels):
        raise SystemExit(f"{folder}: {len(texts)} texts but {len(labels)} labels in split {split}")
    return texts, [LABELS[int(label)] for label in labels]


def load_tweeteval(data: Path, split: str) -> tuple[list[str], list[str]] | None:
    """TweetEval's English sentiment split, if ``DIR/tweeteval`` has it (only ``val`` is shared).
    Its labels are read through its own ``mapping.txt`` ("0\tnegative" …), not assumed to be ours."""
    folder = data / "tweeteval"
    if not (folder / f"{split}_text.txt").exists():
        return None
    mapping = {}
    for line in (folder / "mapping.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            number, name = line.split(maxsplit=1)
            mapping[number] = name.strip().lower()
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")
    labels = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").split("\n")
    while texts and texts[-1] == "" and labels and labels[-1] == "":
        texts.pop()
        labels.pop()
    gold = [mapping[label.strip()] for label in labels]
    if len(texts) != len(gold) or not set(gold) <= set(LABELS):
        raise SystemExit(f"{folder}: labels do not match the texts or the mapping {mapping}")
    return texts, gold


def macro_f1(gold: list[str], predicted: list[str]) -> tuple[float, dict[str, dict[str, float]]]:
    per_class = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": precision, "recall": recall, "f1": f1}
    return 100 * sum(c["f1"] for c in per_class.values()) / len(LABELS), per_class


def pick_split(data: Path, requested: str | None) -> str:
    if requested:
        return requested
    return "test" if all((data / f / "test_text.txt").exists() for f in FOLDERS) else "val"


def _tuned_band(scores: list[float], gold: list[str]) -> tuple[float, float]:
    """The neutral band (negative below, positive above) that maximises macro-F1 on ``gold``."""
    best = (-1.0, 0.0, 0.0)
    for low in [x / 100 for x in range(-80, 1, 2)]:
        for high in [x / 100 for x in range(0, 81, 2)]:
            predicted = ["positive" if c >= high else "negative" if c <= low else "neutral" for c in scores]
            f1 = macro_f1(gold, predicted)[0]
            if f1 > best[0]:
                best = (f1, low, high)
    return best[1], best[2]


def baselines(data: Path, split: str) -> dict[str, float]:
    """The issue's offline baselines, run here the way they were published: VADER and AFINN on
    English, vaderSentiment-fr on French, each with its neutral band tuned on the train split."""
    import warnings

    from afinn import Afinn
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fuzzywuzzy asks for python-Levenshtein
        from vaderSentiment_fr.vaderSentiment import SentimentIntensityAnalyzer as FrenchAnalyzer

    vader, vader_fr, afinn = SentimentIntensityAnalyzer(), FrenchAnalyzer(), Afinn(emoticons=True)
    scorers = {
        "en_vader": ("english", lambda t: vader.polarity_scores(t)["compound"]),
        "en_afinn": ("english", afinn.score),
        "fr_vadersentiment_fr": ("french", lambda t: vader_fr.polarity_scores(t)["compound"]),
    }
    out = {}
    for name, (folder, scorer) in scorers.items():
        train_texts, train_gold = load(data / folder, "train")
        low, high = _tuned_band([scorer(t) for t in train_texts], train_gold)
        texts, gold = load(data / folder, split)
        predicted = ["positive" if c >= high else "negative" if c <= low else "neutral" for c in map(scorer, texts)]
        out[name] = round(macro_f1(gold, predicted)[0], 1)
        log(f"baseline {name}: neutral band ({low}, {high}) tuned on train, macro-F1 {out[name]} on {split}")
    return out


def backend_for(model_path: str | None):
    from analytics.text.backends import RulesBackend, TransformerBackend

    return TransformerBackend(model_path) if model_path else RulesBackend()


def evaluate(gold: list[str], predicted: list[str], title: str) -> float:
    """Log the macro-F1, per-class precision and recall and the confusion matrix; the macro-F1."""
    f1, per_class = macro_f1(gold, predicted)
    log(f"{title}: macro-F1 {f1:.1f}")
    for label, scores in per_class.items():
        log(f"  {label:8} precision {100 * scores['precision']:5.1f}  recall {100 * scores['recall']:5.1f}")
    log("  confusion (rows gold, columns predicted, order neg/neu/pos):")
    for g in LABELS:
        row = [sum(1 for a, b in zip(gold, predicted, strict=True) if a == g and b == p) for p in LABELS]
        log(f"    {g:8} {row}")
    return round(f1, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("SENTIMENT_BENCH_DATA", DEFAULT_DATA)))
    parser.add_argument("--split", choices=("test", "val", "train"))
    parser.add_argument("--model-path", help="evaluate a local transformer model instead of the rules")
    parser.add_argument("--baselines", action="store_true", help="also run VADER, AFINN, vaderSentiment-fr")
    parser.add_argument("--quick", action="store_true", help="accepted for `make bench BENCH_ARGS=--quick`")
    args = parser.parse_args()

    if not all((args.data / folder).is_dir() for folder in FOLDERS):
        print(json.dumps({"benchmark": "sentiment", "skipped": f"no labelled data in {args.data}"}))
        return
    split = pick_split(args.data, args.split)
    backend = backend_for(args.model_path)
    result: dict[str, object] = {"benchmark": "sentiment"}
    all_texts: list[str] = []
    all_languages: list[str] = []
    for folder, language in FOLDERS.items():
        texts, gold = load(args.data / folder, split)
        predicted = [label for label, _ in backend.predict(texts, [language] * len(texts))]
        result[f"{language}_macro_f1"] = evaluate(gold, predicted, f"{folder} {split} ({len(texts)} texts)")
        all_texts += texts
        all_languages += [language] * len(texts)

    tweeteval = load_tweeteval(args.data, split)
    if tweeteval:
        texts, gold = tweeteval
        predicted = [label for label, _ in backend.predict(texts, ["en"] * len(texts))]
        title = f"tweeteval {split} ({len(texts)} English texts, never tuned on)"
        result["en_tweeteval_macro_f1"] = evaluate(gold, predicted, title)

    # Warm throughput on one core (this process is single-threaded).
    backend.predict(all_texts[:50], all_languages[:50])
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < 2.0 or done == 0:
        backend.predict(all_texts, all_languages)
        done += len(all_texts)
    result["texts_per_s"] = round(done / elapsed)
    result["split"] = split
    if args.baselines:
        if split == "train":
            raise SystemExit("--baselines tunes on the train split: evaluate another split")
        result["baselines"] = baselines(args.data, split)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
