"""Offline language detection (lingua, restricted to the languages our users write in).

lingua's n-gram models are accurate on short texts, which is what comments and tweets are. We
first ask the low-accuracy model (trigrams only, ~14,000 texts/s here) and keep its answer when
its confidence is clear; the rest go to the high-accuracy model. Texts with too few letters
(an emoji, "ok", a link) get ``None``: a guess would be noise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# Languages a French or English community manager actually receives; restricting the candidates
# makes lingua faster and more accurate than asking it to pick among 75.
LANGUAGES = (
    Language.FRENCH,
    Language.ENGLISH,
    Language.SPANISH,
    Language.GERMAN,
    Language.ITALIAN,
    Language.PORTUGUESE,
    Language.DUTCH,
    Language.ARABIC,
)

MIN_LETTERS = 8  # below this, "ok merci" or "lol", the answer is a coin toss
CLEAR_CONFIDENCE = 0.9  # low-accuracy answers above this are kept as they are

_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\bhttp\b", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)

# Short words that settle the question on their own in the texts lingua finds ambiguous.
_FR_MARKERS_TEXT = (
    "je j jsuis tu il elle nous vous ils est c ça ca les des une un le la du pour pas avec merci "
    "bonjour svp stp quand où pourquoi comment est-ce qu que qui mais très trop mdr ptdr"
)
_EN_MARKERS_TEXT = (
    "i you he she we they is are the a an of to and for not with thanks thank hello please when "
    "where why how what who but very lol omg"
)
_FR_MARKERS = frozenset(_FR_MARKERS_TEXT.split())
_EN_MARKERS = frozenset(_EN_MARKERS_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.UNICODE)


@lru_cache(maxsize=2)
def _detector(low_accuracy: bool) -> LanguageDetector:
    builder = LanguageDetectorBuilder.from_languages(*LANGUAGES)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def _iso(language: Language | None) -> str | None:
    if language is None:
        return None
    return language.iso_code_639_1.name.lower()


def _clean(text: str) -> str:
    return _NOISE.sub(" ", text or "")


def _marker_vote(text: str, *, strict: bool = False) -> str | None:
    words = [w.lower() for w in _WORD.findall(text)]
    fr = sum(1 for w in words if w in _FR_MARKERS)
    en = sum(1 for w in words if w in _EN_MARKERS)
    needed = 4 if strict else 2
    if fr >= needed and fr > 2 * en and (not strict or en == 0):
        return "fr"
    if en >= needed and en > 2 * fr and (not strict or fr == 0):
        return "en"
    return None


def detect_language(texts: Sequence[str]) -> list[str | None]:
    """ISO 639-1 code of each text, or None when it is too short or unclear."""
    cleaned = [_clean(t) for t in texts]
    results: list[str | None] = [None] * len(cleaned)
    fast = _detector(True)
    unsure: list[int] = []
    for i, text in enumerate(cleaned):
        if len(_LETTERS.findall(text)) < MIN_LETTERS:
            continue
        confidences = fast.compute_language_confidence_values(text)
        if confidences and confidences[0].value >= CLEAR_CONFIDENCE:
            results[i] = _iso(confidences[0].language)
        else:
            unsure.append(i)
    if unsure:
        accurate = _detector(False)
        for i in unsure:
            confidences = accurate.compute_language_confidence_values(cleaned[i])
            best = confidences[0] if confidences else None
            runner_up = confidences[1].value if len(confidences) > 1 else 0.0
            if best is not None and best.value - runner_up >= 0.2:
                results[i] = _iso(best.language)
            else:
                # lingua hesitates (short, mixed or slangy text): the function words decide.
                results[i] = _marker_vote(cleaned[i]) or (_iso(best.language) if best and best.value >= 0.5 else None)
    # Our users write French and English: when the function words clearly say one of them and
    # lingua said a third language (a short French sentence of cognates read as Dutch), trust them.
    for i, language in enumerate(results):
        if language not in (None, "fr", "en"):
            vote = _marker_vote(cleaned[i], strict=True)
            if vote:
                results[i] = vote
    return results
