"""Keywords and topics of a set of messages (comments, mentions, listening hits), with examples.

Offline and deterministic, in three steps a CM can follow:

1. **Candidates** (RAKE's idea): runs of up to three content words between stopwords and
   punctuation ("piscine municipale", "travaux rue gambetta"), plus hashtags. Words are folded to
   lower case and their accents kept; a French or English plural "s" is folded onto the singular
   when both occur.
2. **Scores**: how many messages carry the candidate (document frequency), weighted by an IDF
   against the same set (a phrase in every message says nothing) and a bonus for longer phrases;
   a phrase found in a single message is not a keyword when there are more than ten messages.
3. **Topics**: each message joins the best-ranked keyword it contains (greedy clustering on the
   keyword list); a topic lists its own most frequent other keywords, its size, its sentiment mix
   when sentiments are given, and up to three example messages (the shortest that say something).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

# Our own lists: function words, social-media filler and words every comment to a page carries.
_STOPWORDS_FR_TEXT = """
    a à ai aie aient aies ait alors as au aucun aucune aussi autre autres aux avaient avais avait avant avec
    avez aviez avions avoir avons ayant ayez ayons bon c ça ca car ce ceci cela celle celles celui cependant
    ces cet cette ceux chaque chez ci comme comment d dans de des donc dont du elle elles en encore es est
    et étaient étais était étant été êtes étiez étions être eu eue eues eurent eus eut eux fait faire fais
    font furent fut ici il ils j je jusqu l la là le les leur leurs lui m ma mais me même mes moi mon n ne
    ni nos notre nous on ont or ou où par parce pas peu peut plus pour pourquoi qu quand que quel quelle
    quelles quels qui quoi s sa sans se sera serait ses si sien son sont sous sur t ta tant te tes toi ton
    tous tout toute toutes très tu un une vers voici voilà vos votre vous y est-ce c'est qu'il qu'elle
    n'est j'ai d'un d'une l'on aujourd'hui hier demain bonjour bonsoir merci svp stp salut cc ok oui non
    mdr lol ptdr trop vraiment juste déjà toujours jamais rien bien faut fois va vont vais être avoir
    ya y'a cest jsuis chui g tkt bcp pk pq stp dsl mtn tt ts vrmt http https www com fr amp rt via
    depuis après avant matin soir jour jours semaine semaines mois an ans année heure heures fois nouveau
    nouvelle nouveaux nouvelles prochain prochaine dernier dernière grand grande petit petite chose gens
    """
_STOPWORDS_EN_TEXT = """
    a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
    during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its
    itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours
    ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll they're they've
    this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what
    what's when when's where where's which while who who's whom why why's with won't would wouldn't you
    you'd you'll you're you've your yours yourself yourselves just get got also really like one still
    hi hello hey thanks thank please pls ok okay yes lol omg u ur im dont cant wont amp rt via http https
    www com today yesterday tomorrow new time times day days week weeks month months year years hour
    hours morning evening night last next first thing things people
    """
STOPWORDS_FR = frozenset(_STOPWORDS_FR_TEXT.split())
STOPWORDS_EN = frozenset(_STOPWORDS_EN_TEXT.split())
STOPWORDS = STOPWORDS_FR | STOPWORDS_EN

_URL = re.compile(r"https?://\S+|www\.\S+|@\w+")
_SPLIT = re.compile(r"[.!?;:,()\[\]{}\"«»“”…\n|/\\]+|\s[-\u2013\u2014]\s")
_TOKEN = re.compile(r"#\w+|[^\W\d_][\w'\u2019-]*[^\W_]|[^\W\d_]", re.UNICODE)
MAX_PHRASE = 3


@dataclass(frozen=True)
class Keyword:
    term: str
    score: float
    messages: int  # how many messages carry it
    examples: tuple[int, ...]  # indices of messages carrying it (up to 3)


@dataclass
class Topic:
    label: str
    keywords: list[str]
    size: int
    examples: list[int]  # indices of up to three example messages
    members: list[int] = field(repr=False, default_factory=list)
    sentiment: dict[str, int] = field(default_factory=dict)  # {"negative": n, ...} when sentiments are given

    @property
    def negative_share(self) -> float | None:
        analysed = sum(self.sentiment.values())
        return self.sentiment.get("negative", 0) / analysed if analysed else None


def _candidates(text: str) -> set[str]:
    found: set[str] = set()
    for chunk in _SPLIT.split(_URL.sub(" ", text or "")):
        run: list[str] = []
        for raw in _TOKEN.findall(chunk):
            token = raw.lower().replace("\u2019", "'")
            if token.startswith("#"):
                if len(token) > 2:
                    found.add(token)
                run = []
                continue
            if token in STOPWORDS or len(token) < 3 or token.split("'")[-1] in STOPWORDS:
                # elisions ("l'école") keep their content word
                tail = token.split("'", 1)[1] if "'" in token else ""
                if tail and tail not in STOPWORDS and len(tail) >= 3:
                    run.append(tail)
                    continue
                _flush(run, found)
                run = []
                continue
            run.append(token)
        _flush(run, found)
    return found


def _flush(run: list[str], found: set[str]) -> None:
    for size in range(1, MAX_PHRASE + 1):
        for start in range(len(run) - size + 1):
            found.add(" ".join(run[start : start + size]))


def _fold_plurals(per_message: list[set[str]]) -> list[set[str]]:
    """Count "travaux"/"piscines" with "piscine" when both forms occur in the set."""
    vocabulary = set().union(*per_message) if per_message else set()
    mapping = {t: t[:-1] for t in vocabulary if t.endswith("s") and not t.startswith("#") and t[:-1] in vocabulary}
    return [{mapping.get(t, t) for t in terms} for terms in per_message]


def keywords(texts: Sequence[str], *, top: int = 20) -> list[Keyword]:
    """The ``top`` keywords of ``texts``, best first."""
    per_message = _fold_plurals([_candidates(t) for t in texts])
    n = len(per_message)
    if not n:
        return []
    frequency = Counter(term for terms in per_message for term in terms)
    minimum = 2 if n > 10 else 1
    scored = []
    for term, df in frequency.items():
        if df < minimum:
            continue
        idf = math.log((n + 1) / (df + 0.5))
        length_bonus = 1.0 + 0.5 * (term.count(" "))
        scored.append((df * max(idf, 0.1) * length_bonus, term, df))
    scored.sort(key=lambda item: (-item[0], item[1]))
    # A single word that only ever appears inside a kept longer phrase is redundant.
    kept: list[tuple[float, str, int]] = []
    for score, term, df in scored:
        if any(term in other.split(" ") or f" {term} " in f" {other} " for _, other, odf in kept if odf >= df):
            continue
        kept.append((score, term, df))
        if len(kept) == top:
            break
    results = []
    for score, term, df in kept:
        carriers = [i for i, terms in enumerate(per_message) if term in terms]
        carriers.sort(key=lambda i: (len(texts[i]), i))
        results.append(Keyword(term, round(score, 3), df, tuple(carriers[:3])))
    return results


def topics(
    texts: Sequence[str], *, sentiments: Sequence[str] | None = None, max_topics: int = 8, keyword_pool: int = 40
) -> list[Topic]:
    """Group ``texts`` under their best-ranked keyword; topics by size, largest first."""
    if sentiments is not None and len(sentiments) != len(texts):
        raise ValueError(f"{len(sentiments)} sentiments for {len(texts)} texts")
    pool = keywords(texts, top=keyword_pool)
    per_message = _fold_plurals([_candidates(t) for t in texts])
    groups: dict[str, list[int]] = defaultdict(list)
    for i, terms in enumerate(per_message):
        for keyword in pool:
            if keyword.term in terms:
                groups[keyword.term].append(i)
                break
    found = []
    for label, members in groups.items():
        if len(members) < 2 and len(texts) > 10:
            continue
        related = Counter(
            term for i in members for term in per_message[i] if term != label and term in {k.term for k in pool}
        )
        examples = sorted(members, key=lambda i: (abs(len(texts[i]) - 80), i))[:3]
        mix: dict[str, int] = {}
        if sentiments is not None:
            mix = dict(Counter(sentiments[i] for i in members))
        found.append(Topic(label, [t for t, _ in related.most_common(4)], len(members), examples, members, mix))
    found.sort(key=lambda t: (-t.size, t.label))
    return found[:max_topics]
