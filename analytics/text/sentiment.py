"""Rule-based sentiment for French and English social-media text (VADER's approach, our rules).

Each word's valence comes from the lexicons (``lexicons.py``); rules then adjust it the way people
write on social networks:

- negation in a window of the same sentence ("not good", "pas terrible", "je n'aime pas", "c'est
  pas ouf"; "No. It is great" is no negation);
- English set phrases read as one token ("can't wait", "no doubt", "as well", "rest in peace");
- degree adverbs ("trop bien", "grave nul", "so good") and ALL CAPS for emphasis;
- elongations ("trooop", "sooo", "nuuul") and repeated "!!!";
- French phonetic spellings ("jsuis", "tkt", "bcp", "c nul") normalised before lookup;
- emoji and emoticons with their own valences;
- "mais" / "but" shifting the weight to what follows;
- shifters that act against what follows ("lutter contre la pollution" is good news, "freiner
  l'essor" bad news);
- in English posts, runs of capitalised words in mid-sentence are titles and names ("Star Wars").

The summed valence is squashed to -1..1 (VADER's ``x / sqrt(x² + 15)``) and mapped to a class
with a neutral band per language (thresholds in ``THRESHOLDS``; they, ``EXCITEMENT`` and
``lexicons.VADER_ONLY_WEIGHT`` are the only numbers tuned on the benchmark's train split; nothing
else is fitted).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from analytics.text import lexicons

# Neutral band per language: compound >= positive → positive, <= negative → negative.
THRESHOLDS: dict[str | None, tuple[float, float]] = {
    "fr": (-0.02, 0.22),
    "en": (-0.14, 0.34),
    None: (-0.05, 0.3),
}

# Languages the lexicons read; None (unknown) uses both.
SUPPORTED = frozenset({"fr", "en", None})

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
# Words that act against what follows: fighting or cutting something bad is good news ("lutter
# contre la pollution", "réduire les déchets", "fight crime"), ending or losing something good is
# bad news ("freiner l'essor", "manque de moyens", "loss of jobs"). The next opinion word in the
# three that follow is flipped, and the shifter's own valence ("lutte" -0.7) then counts no more.
SHIFTERS_FR = frozenset(
    {"lutter", "lutte", "luttent", "luttons", "combattre", "combat", "combattent", "contre", "anti"}
    | {"réduire", "réduit", "réduisent", "réduction", "diminuer", "diminue", "diminution", "limiter"}
    | {"limite", "éviter", "évite", "prévenir", "prévention", "stopper", "stoppe", "freiner", "freine"}
    | {"enrayer", "endiguer", "bloquer", "bloque", "interdire", "interdit", "interdiction", "supprimer"}
    | {"supprime", "suppression", "baisse", "recul", "fin", "moins", "manque", "absence", "perte"}
)
SHIFTERS_EN = frozenset(
    {"fight", "fighting", "fights", "combat", "against", "anti", "reduce", "reduces", "reducing"}
    | {"reduction", "cut", "cuts", "prevent", "prevents", "prevention", "stop", "stops", "curb"}
    | {"tackle", "tackling", "lack", "loss", "end", "ending", "fewer", "less", "lower"}
)
SHIFTER_SCALAR = -0.8
# A shifter acts on its object, not across "with" or "for": "fight with a bad knee" is no good
# news, "lutter pour l'égalité" no bad news.
SHIFT_STOPS = frozenset({"with", "for", "avec", "pour"})
# An exclamation without any opinion word ("Season opener tomorrow!") reads as excitement in
# English posts; in French ones it is as often indignation, so it adds nothing there (both values
# measured on the train splits, like the neutral bands).
EXCITEMENT: dict[str | None, float] = {"en": 0.8, "fr": 0.0, None: 0.0}

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

# English set phrases, read as one token before negation and lexicon lookup: the negator in "can't
# wait" or "no doubt" negates nothing, "looks like" and "as well" carry no liking or well-being,
# "rest in peace" is mourning. Each maps to an entry of the English lexicon (``lexicons.EN_PHRASES``).
PHRASES_EN: dict[tuple[str, ...], str] = {
    ("ca", "n't", "wait"): "can't wait",
    ("cant", "wait"): "can't wait",
    ("cannot", "wait"): "can't wait",
    ("can", "not", "wait"): "can't wait",
    ("ca", "n't", "complain"): "can't complain",
    ("cant", "complain"): "can't complain",
    ("ca", "n't", "stop"): "can't stop",
    ("cant", "stop"): "can't stop",
    ("cannot", "stop"): "can't stop",
    ("looking", "forward"): "look forward",
    ("look", "forward"): "look forward",
    ("looks", "forward"): "look forward",
    ("looked", "forward"): "look forward",
    ("no", "doubt"): "no doubt",
    ("without", "a", "doubt"): "no doubt",
    ("not", "only"): "not only",
    ("not", "just"): "not only",
    ("no", "problem"): "no problem",
    ("no", "worries"): "no problem",
    ("no", "matter"): "no matter",
    ("kind", "of"): "kind of",
    ("sort", "of"): "kind of",
    ("pretty", "much"): "pretty much",
    ("as", "well"): "as well",
    ("well", "done"): "well done",
    ("well", "said"): "well said",
    ("get", "well"): "get well",
    ("oh", "well"): "oh well",
    ("lost", "and", "found"): "lost and found",
    ("who", "cares"): "who cares",
    ("thank", "god"): "thank god",
    ("rest", "in", "peace"): "rest in peace",
    ("passed", "away"): "passed away",
}
# "like" after a form of "be" or a verb of appearance compares ("it's like a sauna", "looks like
# rain", "feel like a kid"); it says nothing of liking.
_COMPARING = ("is", "was", "be", "am", "are", "were", "it's", "that's", "just", "more", "look", "looks", "looked")
_COMPARING += ("looking", "seem", "seems", "seemed", "sound", "sounds", "feel", "feels", "felt")
PHRASES_EN.update(dict.fromkeys([(verb, "like") for verb in _COMPARING], "like (as)"))
_PHRASE_STARTS = frozenset(key[0] for key in PHRASES_EN)
_PHRASE_LONGEST = max(len(key) for key in PHRASES_EN)


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

# Links and mentions are skipped; words keep inner apostrophes and hyphens ("aujourd'hui", "peut-être").
_SKIP = re.compile(r"https?://\S+|www\.\S+|@\w+")
_WORDS = re.compile(r"#?[^\W\d_](?:[^\W_]|['\u2019\-](?=[^\W\d_]))*", re.UNICODE)
# Emoticons: punctuation faces anywhere ("super:)"), letter ones as words ("xD"), and ":p"/":s"/":d"
# only when no letter follows (so "Horaires:samedi" is no ":s").
_EMOTICON_FINDER = re.compile(r"\bxd\b|</3|<3|\^_?\^|-_-|>:\(|:'\(|[:;]-?[()/|]|[:;]-?[dps](?![a-z])", re.IGNORECASE)
_EMOTICON_CHARS = frozenset(":;<^-xX")
_SYMBOL = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2764]\uFE0F?(?:\u200d[\u2640\u2642]\uFE0F?)?")
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}", re.UNICODE)
_ELISION = re.compile(r"^(?P<head>[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['\u2019](?P<tail>.+)$")


_CLAUSE_END = re.compile(r"[.;:!?]")
_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")


@lru_cache(maxsize=100_000)
def _expand(raw: str) -> tuple[tuple[str, ...], float, bool]:
    """Normalise one raw word to lexicon forms; returns (words, emphasis, elongated). Cached: social-media
    vocabulary is small and repetitive, this is most of the work."""
    emphasis = 1.0
    if raw.startswith("#"):
        # "#RéchauffementClimatique" → "réchauffement climatique"
        parts = _CAMEL.split(raw[1:])
        if len(parts) > 1:
            words: list[str] = []
            for part in parts:
                words.extend(_expand(part)[0])
            return tuple(words), emphasis, False
    word = raw.lstrip("#")
    if len(word) >= 3 and word.isupper():
        emphasis *= 1.25
    low = word.lower().replace("\u2019", "'")
    elongated = bool(_ELONGATION.search(low))
    if elongated:
        emphasis *= 1.2
        low = _ELONGATION.sub(r"\1\1", low)
    if low in SPELLINGS:
        return SPELLINGS[low], emphasis, False
    match = _ELISION.match(low)
    if match:
        return (match["head"], match["tail"]), emphasis, elongated
    if low.endswith("n't"):
        return (low[:-3], "n't"), emphasis, False
    return (low,), emphasis, elongated


@lru_cache(maxsize=200_000)
def _lookup(word: str, language: str | None, elongated: bool = False) -> float:
    lexicon = _lexicon_for(language)
    value = lexicon.get(word)
    if value is not None:
        return value
    candidates = [lexicons.strip_accents(word)]
    if elongated:  # "nuuuul" became "nuul": try "nul" (never for "poissons", which is no "poisons")
        candidates.append(_ELONGATION_TWO.sub(r"\1", word))
    if language != "en" and len(word) > 4:
        # French inflections the lexicon lacks: plural, feminine ("engagées" → "engagé").
        for suffix in ("es", "s", "x", "e"):
            if word.endswith(suffix):
                candidates.append(word[: -len(suffix)])
    if language != "fr" and len(word) > 4 and word.endswith("s"):
        candidates.append(word[:-1])
    for candidate in candidates:
        if candidate != word:
            value = lexicon.get(candidate)
            if value is not None:
                return value
    return 0.0


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
    elongated: list[bool]
    # Per word, the sentence it stands in (a negation does not cross ". ; : ! ?"); None when no
    # negation can cross one.
    clauses: list[int] | None
    symbols: float  # summed valence of emoji and emoticons
    bangs: int
    questions: int


_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescape(text: str) -> str:
    """Texts copied from APIs or exports sometimes keep literal "\\u2019" escapes and HTML entities."""
    if "\\u" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    if "&" in text:
        text = html.unescape(text)
    return text


# Languages whose posts capitalise titles and names (the French ones rarely do).
NAMES = frozenset({"en"})


def _is_title(raw: str) -> bool:
    return len(raw) > 1 and raw[0].isupper() and not raw[1:].isupper()


def _names(text: str, raws: list[str]) -> set[int] | None:
    """Indexes of words inside a run of capitalised words in mid-sentence: titles and names ("Grateful
    Dead", "Star Wars", "Bad Blood") whose words are no opinion. Not in a headline Written Like This."""
    titles = [_is_title(raw) for raw in raws]
    # A headline capitalises most of its words after the first.
    if sum(titles) < 2 or 2 * sum(titles[1:]) > len(raws) - 1:
        return None
    names = set()
    position = 0  # where the previous word ended, to find what stands before this one
    mid = [False] * len(raws)
    for k, raw in enumerate(raws):
        start = text.find(raw, position)
        position = start + len(raw)
        before = text[:start].rstrip()
        mid[k] = titles[k] and bool(before) and before[-1] not in '.!?:"“«…'
    for k in range(len(raws)):
        if mid[k] and ((k and titles[k - 1]) or (k + 1 < len(raws) and titles[k + 1])):
            names.add(k)
    return names


def _parse(text: str, language: str | None = None) -> _Parsed:
    text = _unescape(text)
    if "http" in text or "www." in text or "@" in text:
        text = _SKIP.sub(" ", text)
    parsed = _Parsed([], [], [], None, 0.0, text.count("!"), text.count("?"))
    all_caps = text.isupper()  # a whole message in capitals emphasises nothing in particular
    words, emphases, elongations = parsed.words, parsed.emphases, parsed.elongated
    raws = _WORDS.findall(text)
    names = _names(text, raws) if language in NAMES and not all_caps else None
    for k, raw in enumerate(raws):
        expanded, emphasis, elongated = _expand(raw)
        if all_caps:
            emphasis = 1.0
        if names and k in names:
            emphasis = 0.0
        for w in expanded:
            words.append(w)
            emphases.append(emphasis)
            elongations.append(elongated)
    if len(raws) > 1 and not NEGATORS.isdisjoint(words) and _CLAUSE_END.search(text):
        parsed.clauses = _clauses(text, raws)
    if language != "fr" and not _PHRASE_STARTS.isdisjoint(words):
        _merge_phrases(parsed)
    if not text.isascii():
        for symbol in _SYMBOL.findall(text):
            parsed.symbols += EMOJI.get(symbol, EMOJI.get(symbol[0], 0.0))
    if not _EMOTICON_CHARS.isdisjoint(text):
        for emoticon in _EMOTICON_FINDER.findall(text):
            parsed.symbols += EMOTICONS.get(emoticon.lower(), 0.0)
    return parsed


def _clauses(text: str, raws: list[str]) -> list[int]:
    """Per word (as ``_expand`` splits them), the number of sentence ends before it."""
    ends = [m.start() for m in _CLAUSE_END.finditer(text)]
    ends.append(len(text))
    clauses: list[int] = []
    clause, position = 0, 0
    for raw in raws:
        position = text.find(raw, position)
        while ends[clause] < position:
            clause += 1
        position += len(raw)
        clauses.extend([clause] * len(_expand(raw)[0]))
    return clauses


def _merge_phrases(parsed: _Parsed) -> None:
    """Replace the English set phrases of ``PHRASES_EN`` by one token each (in place)."""
    words, emphases, elongated, clauses = parsed.words, parsed.emphases, parsed.elongated, parsed.clauses
    i = 0
    while i < len(words):
        if words[i] in _PHRASE_STARTS:
            for size in range(_PHRASE_LONGEST, 1, -1):
                phrase = PHRASES_EN.get(tuple(words[i : i + size]))
                if phrase is not None:
                    words[i : i + size] = [phrase]
                    emphases[i : i + size] = [max(emphases[i : i + size])]
                    elongated[i : i + size] = [False]
                    if clauses is not None:
                        clauses[i : i + size] = [clauses[i]]
                    break
        i += 1


@lru_cache(maxsize=4)
def _pair_starts(language: str | None) -> frozenset[str]:
    return frozenset(key.split(" ", 1)[0] for key in _lexicon_for(language) if " " in key)


def score(text: str, language: str | None) -> float:
    """Compound valence of ``text`` in -1..1."""
    lexicon = _lexicon_for(language)
    starts = _pair_starts(language)
    parsed = _parse(text or "", language)
    words = parsed.words
    n = len(words)
    contrast_at = -1
    for i, w in enumerate(words):
        if w in CONTRAST:
            contrast_at = i
    shifters = _shifters(language)
    valences = [0.0] * n
    for i, w in enumerate(words):
        if w in NEGATORS:
            continue
        valence = None
        if w in starts and i + 1 < n:
            # two-word expressions ("trop bien", "can't wait") count once, on their first word
            valence = lexicon.get(f"{w} {words[i + 1]}")
        if valence is None:
            valence = _lookup(w, language, parsed.elongated[i])
        valences[i] = valence
    shifted = _shift(words, valences, shifters)
    total = 0.0
    for i, lexical in enumerate(valences):
        if lexical == 0.0:
            continue
        valence = lexical * parsed.emphases[i]
        if i in shifted:
            valence *= SHIFTER_SCALAR
        if i:
            valence *= _boost(words, i)
        if _negated(words, i, parsed.clauses):
            valence *= NEGATION_SCALAR
        if contrast_at >= 0:
            valence *= 0.5 if i < contrast_at else 1.5
        total += valence
    total = _punctuated(total + parsed.symbols, parsed, language)
    return total / math.sqrt(total * total + 15.0)


def _shifters(language: str | None) -> frozenset[str]:
    if language == "fr":
        return SHIFTERS_FR
    if language == "en":
        return SHIFTERS_EN
    return SHIFTERS_FR | SHIFTERS_EN


def _shift(words: list[str], valences: list[float], shifters: frozenset[str]) -> set[int]:
    """Indexes of the opinion words a shifter acts on; the shifters that found one lose their own valence."""
    shifted: set[int] = set()
    if shifters.isdisjoint(words):
        return shifted
    n = len(words)
    for j, w in enumerate(words):
        if w not in shifters:
            continue
        for k in range(j + 1, min(j + 4, n)):
            if words[k] in SHIFT_STOPS:
                break
            if words[k] not in shifters and valences[k]:
                shifted.add(k)
                valences[j] = 0.0
                break
    return shifted


def _punctuated(total: float, parsed: _Parsed, language: str | None) -> float:
    """ "!!!" strengthens what was said (VADER's 0.292 a mark, up to four); a question softens it."""
    if not total and parsed.bangs:
        total = EXCITEMENT.get(language, 0.0) * min(parsed.bangs, 3)
    if total and parsed.bangs:
        total += math.copysign(min(parsed.bangs, 4) * 0.292, total)
    if total and parsed.questions and not parsed.bangs:
        total *= 0.85
    return total


def _boost(words: list[str], i: int) -> float:
    """Degree adverbs in the two previous words ("trop bien", "so very good"); the farther counts half."""
    factor = lexicons.BOOSTERS.get(words[i - 1], 1.0)
    if i >= 2:
        factor *= 1 + (lexicons.BOOSTERS.get(words[i - 2], 1.0) - 1) / 2
    return factor


def _negated(words: list[str], i: int, clauses: list[int] | None = None) -> bool:
    """A negator in the three previous words of the same clause, or French "ne … pas" around the word."""
    for j in range(max(0, i - 3), i):
        if words[j] in NEGATORS and (clauses is None or clauses[j] == clauses[i]):
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
