"""Rule-based sentiment for French and English social-media text (VADER's approach, our rules).

Each word's valence comes from the lexicons (``lexicons.py``); rules then adjust it the way people
write on social networks:

- negation in a window ("not good", "pas terrible", "je n'aime pas", "c'est pas ouf");
- degree adverbs ("trop bien", "grave nul", "so good") and ALL CAPS for emphasis;
- elongations ("trooop", "sooo", "nuuul") and repeated "!!!";
- French phonetic spellings ("jsuis", "tkt", "bcp", "c nul") normalised before lookup;
- emoji and emoticons with their own valences;
- "mais" / "but" shifting the weight to what follows.

The summed valence is squashed to -1..1 (VADER's ``x / sqrt(x² + 15)``) and mapped to a class
with a neutral band per language (thresholds in ``THRESHOLDS``, tuned on a validation split;
nothing else is fitted).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from analytics.text import lexicons

# Neutral band per language: compound >= positive → positive, <= negative → negative.
THRESHOLDS: dict[str | None, tuple[float, float]] = {
    "fr": (-0.05, 0.3),
    "en": (-0.05, 0.3),
    None: (-0.05, 0.3),
}

NEGATORS_FR = frozenset({"pas", "jamais", "rien", "aucun", "aucune", "sans", "ni", "personne", "guère"})
NEGATORS_EN = frozenset(
    {
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "without",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "wont",
        "wouldnt",
        "shouldnt",
        "couldnt",
        "havent",
        "hasnt",
        "hadnt",
        "aint",
        "n't",
    }
)
NEGATORS = NEGATORS_FR | NEGATORS_EN
NE = frozenset({"ne", "n"})
CONTRAST = frozenset({"mais", "but", "however", "cependant", "pourtant", "although", "though", "sauf"})
NEGATION_SCALAR = -0.74

# French and English phonetic or shortened spellings → the word a lexicon knows.
SPELLINGS: dict[str, tuple[str, ...]] = {
    "jsuis": ("je", "suis"),
    "chui": ("je", "suis"),
    "chuis": ("je", "suis"),
    "jsui": ("je", "suis"),
    "jai": ("j", "ai"),
    "g": ("j", "ai"),
    "jpeux": ("je", "peux"),
    "jpense": ("je", "pense"),
    "jsais": ("je", "sais"),
    "chai": ("je", "sais"),
    "jcrois": ("je", "crois"),
    "jveux": ("je", "veux"),
    "tkt": ("t'inquiète",),
    "bcp": ("beaucoup",),
    "bcq": ("beaucoup",),
    "pk": ("pourquoi",),
    "pq": ("pourquoi",),
    "pkoi": ("pourquoi",),
    "pourkoi": ("pourquoi",),
    "koi": ("quoi",),
    "kan": ("quand",),
    "qd": ("quand",),
    "tjrs": ("toujours",),
    "tjs": ("toujours",),
    "tt": ("tout",),
    "ts": ("tous",),
    "vrmt": ("vraiment",),
    "vraim": ("vraiment",),
    "mm": ("même",),
    "mtn": ("maintenant",),
    "dsl": ("désolé",),
    "stp": ("s'il", "te", "plaît"),
    "svp": ("s'il", "vous", "plaît"),
    "slt": ("salut",),
    "bjr": ("bonjour",),
    "cc": ("coucou",),
    "c": ("c'est",),
    "cest": ("c'est",),
    "ct": ("c'était",),
    "sa": ("ça",),
    "ca": ("ça",),
    "tro": ("trop",),
    "trooop": ("trop",),
    "tré": ("très",),
    "bi1": ("bien",),
    "ptn": ("putain",),
    "mrc": ("merci",),
    "mci": ("merci",),
    "nn": ("non",),
    "ouais": ("oui",),
    "wesh": ("salut",),
    "u": ("you",),
    "ur": ("your",),
    "r": ("are",),
    "pls": ("please",),
    "plz": ("please",),
    "gud": ("good",),
    "gd": ("good",),
    "luv": ("love",),
    "b4": ("before",),
    "cuz": ("because",),
    "im": ("i", "am"),
    "ive": ("i", "have"),
    "idk": ("i", "don't", "know"),
}

# Our own valences for emoji and emoticons (VADER's scale).
EMOJI: dict[str, float] = {
    "😀": 2.0,
    "😃": 2.0,
    "😄": 2.2,
    "😁": 2.2,
    "😆": 2.0,
    "😅": 0.8,
    "🤣": 1.8,
    "😂": 1.4,
    "🙂": 1.4,
    "😉": 1.4,
    "😊": 2.2,
    "😇": 2.0,
    "🥰": 2.8,
    "😍": 2.8,
    "🤩": 2.8,
    "😘": 2.4,
    "😋": 1.8,
    "😎": 1.8,
    "🤗": 2.2,
    "👍": 2.0,
    "👏": 2.2,
    "🙌": 2.4,
    "💪": 1.8,
    "🎉": 2.4,
    "🥳": 2.6,
    "✨": 1.2,
    "🌟": 1.8,
    "⭐": 1.6,
    "❤": 2.6,
    "❤️": 2.6,
    "🧡": 2.4,
    "💛": 2.4,
    "💚": 2.4,
    "💙": 2.4,
    "💜": 2.4,
    "🖤": 1.0,
    "💕": 2.6,
    "💖": 2.6,
    "💗": 2.4,
    "💯": 2.0,
    "🔥": 1.6,
    "👌": 1.6,
    "🙏": 1.4,
    "☀️": 1.2,
    "🌞": 1.6,
    "🌈": 1.4,
    "💐": 2.0,
    "🏆": 2.0,
    "😐": -0.6,
    "😑": -1.0,
    "🙄": -1.8,
    "😒": -2.0,
    "😞": -2.2,
    "😔": -2.0,
    "😟": -2.0,
    "😕": -1.6,
    "🙁": -1.8,
    "☹️": -2.0,
    "😣": -2.0,
    "😖": -2.2,
    "😫": -2.2,
    "😩": -2.2,
    "😢": -2.2,
    "😭": -2.0,
    "😤": -2.2,
    "😠": -2.6,
    "😡": -3.0,
    "🤬": -3.2,
    "🤯": -1.4,
    "😱": -2.0,
    "😨": -2.0,
    "😰": -2.2,
    "😓": -1.6,
    "🤢": -2.6,
    "🤮": -3.0,
    "💩": -2.4,
    "👎": -2.4,
    "💔": -2.6,
    "😬": -1.2,
    "🤦": -2.0,
    "🤦‍♀️": -2.0,
    "🤦‍♂️": -2.0,
    "😷": -1.2,
    "⚠️": -1.0,
    "🚨": -1.2,
    "😪": -1.4,
    "🥺": -0.8,
    "🤔": -0.4,
    "😳": -0.6,
}
EMOTICONS: dict[str, float] = {
    ":)": 2.0,
    ":-)": 2.0,
    ":d": 2.4,
    ":-d": 2.4,
    ";)": 1.6,
    ";-)": 1.6,
    ":p": 1.2,
    "xd": 1.6,
    "<3": 2.6,
    "^^": 1.6,
    "^_^": 1.8,
    ":(": -2.2,
    ":-(": -2.2,
    ":'(": -2.4,
    ":/": -1.4,
    ":-/": -1.4,
    ">:(": -2.8,
    "-_-": -1.4,
    ":s": -1.2,
    ":|": -0.8,
    "</3": -2.6,
}

_EMOTICON_RE = "|".join(re.escape(e) for e in sorted(EMOTICONS, key=len, reverse=True))
_TOKEN = re.compile(
    r"https?://\S+|www\.\S+|@\w+"  # links and mentions: skipped
    r"|(?P<emo>" + _EMOTICON_RE + r")"
    r"|(?P<word>[#]?[^\W\d_](?:[^\W_]|['\u2019\-](?=[^\W\d_]))*)"
    r"|(?P<bang>!+)|(?P<q>\?+)"
    r"|(?P<sym>[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2764]\uFE0F?(?:\u200d[\u2640\u2642]\uFE0F?)?)",
    re.IGNORECASE | re.UNICODE,
)
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}", re.UNICODE)
_ELISION = re.compile(r"^(?P<head>[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['\u2019](?P<tail>.+)$")


def _expand(raw: str) -> tuple[list[str], float]:
    """Normalise one raw word to lexicon forms; returns (words, emphasis)."""
    emphasis = 1.0
    word = raw.lstrip("#")
    if len(word) >= 3 and word.isupper():
        emphasis *= 1.25
    low = word.lower().replace("\u2019", "'")
    if _ELONGATION.search(low):
        emphasis *= 1.2
        low = _ELONGATION.sub(r"\1\1", low)
    if low in SPELLINGS:
        return list(SPELLINGS[low]), emphasis
    match = _ELISION.match(low)
    if match:
        return [match["head"], match["tail"]], emphasis
    if low.endswith("n't"):
        return [low[:-3], "n't"], emphasis
    return [low], emphasis


def _lookup(word: str, lexicon: dict[str, float]) -> float:
    value = lexicon.get(word)
    if value is not None:
        return value
    # "nuul" after collapsing "nuuuul" to two letters: try one.
    single = _ELONGATION_TWO.sub(r"\1", word)
    if single != word:
        value = lexicon.get(single)
        if value is not None:
            return value
    plain = lexicons.strip_accents(word)
    return lexicon.get(plain, 0.0) if plain != word else 0.0


_ELONGATION_TWO = re.compile(r"([^\W\d_])\1", re.UNICODE)


def _lexicon_for(language: str | None) -> dict[str, float]:
    if language == "fr":
        return lexicons.french()
    if language == "en":
        return lexicons.english()
    return lexicons.any_language()


@dataclass(slots=True)
class _Parsed:
    words: list[str]
    emphases: list[float]
    symbols: float  # summed valence of emoji and emoticons
    bangs: int
    questions: int


def _parse(text: str) -> _Parsed:
    parsed = _Parsed([], [], 0.0, 0, 0)
    all_caps = text.isupper()  # a whole message in capitals emphasises nothing in particular
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            expanded, emphasis = _expand(match.group())
            for w in expanded:
                parsed.words.append(w)
                parsed.emphases.append(1.0 if all_caps else emphasis)
        elif kind == "emo":
            parsed.symbols += EMOTICONS.get(match.group().lower(), 0.0)
        elif kind == "sym":
            parsed.symbols += EMOJI.get(match.group(), EMOJI.get(match.group()[0], 0.0))
        elif kind == "bang":
            parsed.bangs += len(match.group())
        elif kind == "q":
            parsed.questions += len(match.group())
    return parsed


def _valence(words: list[str], i: int, lexicon: dict[str, float]) -> float:
    w = words[i]
    if w in NEGATORS:
        return 0.0
    if i + 1 < len(words):
        # two-word expressions ("trop bien", "can't wait") count once, on their first word
        pair = lexicon.get(f"{w} {words[i + 1]}")
        if pair is not None:
            return pair
    return _lookup(w, lexicon)


def score(text: str, language: str | None) -> float:
    """Compound valence of ``text`` in -1..1."""
    lexicon = _lexicon_for(language)
    parsed = _parse(text or "")
    words = parsed.words
    contrast_at = max((i for i, w in enumerate(words) if w in CONTRAST), default=-1)
    total = 0.0
    for i in range(len(words)):
        valence = _valence(words, i, lexicon)
        if valence == 0.0:
            continue
        valence *= parsed.emphases[i]
        # degree adverbs in the two previous words (the farther one counts half)
        for j in (i - 1, i - 2):
            boost = lexicons.BOOSTERS.get(words[j]) if j >= 0 else None
            if boost is not None:
                valence *= boost if j == i - 1 else 1 + (boost - 1) / 2
        if _negated(words, i):
            valence *= NEGATION_SCALAR
        if contrast_at >= 0:
            valence *= 0.5 if i < contrast_at else 1.5
        total += valence
    total += parsed.symbols
    if total and parsed.bangs:
        total += math.copysign(min(parsed.bangs, 4) * 0.292, total)
    if total and parsed.questions and not parsed.bangs:
        total *= 0.85
    return total / math.sqrt(total * total + 15.0)


def _negated(words: list[str], i: int) -> bool:
    """A negator in the three previous words, or French "ne … pas" around the word."""
    for j in range(max(0, i - 3), i):
        if words[j] in NEGATORS:
            return not (words[j] == "sans" and words[i] == "doute")  # "sans doute" affirms
    after = words[i + 1 : i + 3]
    if any(w in NE for w in words[max(0, i - 2) : i]) and any(w in NEGATORS or w == "plus" for w in after):
        return True
    # "j'aime pas", "ça marche pas": spoken French drops the "ne"
    return bool(after) and after[0] in {"pas", "jamais"}


def label(compound: float, language: str | None) -> str:
    negative, positive = THRESHOLDS.get(language, THRESHOLDS[None])
    if compound >= positive:
        return "positive"
    if compound <= negative:
        return "negative"
    return "neutral"
