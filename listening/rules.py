"""Watch rules: a small boolean language over hashtags, words, exact phrases and languages.

    #Déménagement AND (Boulogne OR "Boulogne-Billancourt") NOT Lyon lang:fr

* terms: ``#hashtag``, ``word``, ``"exact phrase"``, ``lang:xx`` (ISO 639-1);
* operators (upper case, English or French): ``AND``/``ET`` (also implied between two terms),
  ``OR``/``OU``, ``NOT``/``SAUF`` (or ``-term``), and parentheses;
* ``NOT`` binds tighter than ``AND``, which binds tighter than ``OR`` (as X's search does).

Matching ignores case and accents (``#demenagement`` finds ``#Déménagement``). A word matches a
whole word or hashtag (``boulogne`` finds "Boulogne-Billancourt" and "#Boulogne", not
"Boulognette"). One rule drives both networks: it is translated into an X recent-search query,
and for Instagram, which searches one hashtag at a time, the hashtags that every match must carry
are searched and the media found are filtered by the whole rule here.

Errors are ``RuleError`` with a message that says where and what to write instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

X_QUERY_MAX = 512  # characters, X recent search (https://docs.x.com/x-api/posts/search/introduction)
OPERATORS = {"AND": "AND", "ET": "AND", "OR": "OR", "OU": "OR", "NOT": "NOT", "SAUF": "NOT"}
LANGUAGE = re.compile(r"^[a-z]{2}$")
# Instagram hashtags: letters, digits and underscores only (no spaces, no emojis, no punctuation).
HASHTAG_NAME = re.compile(r"^\w+$")
TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<phrase>-?"[^"]*"?)|(?P<word>[^\s()"]+))')


class RuleError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fold(text: str) -> str:
    """Lower case without accents: how every comparison is made."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def normalize_hashtag(value: str) -> str:
    """The key of a hashtag: without ``#``, lower case, accents kept (Instagram and the simulator
    name ``#Déménagement`` "déménagement"; quotas count that name)."""
    return value.strip().lstrip("#").lower()


# --- The tree --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    kind: str  # "hashtag" | "word" | "phrase" | "lang"
    value: str  # as written (without # or quotes)

    @cached_property
    def _pattern(self) -> re.Pattern:
        needle = re.escape(fold(self.value))
        if self.kind == "hashtag":
            return re.compile(r"#" + needle + r"(?!\w)")
        return re.compile(r"(?<!\w)" + needle + r"(?!\w)")

    def matches(self, text: str, language: str | None) -> bool:
        if self.kind == "lang":
            return (language or "") == self.value
        return bool(self._pattern.search(text))

    def x(self) -> str:
        if self.kind == "hashtag":
            return f"#{self.value}"
        if self.kind == "phrase":
            return f'"{self.value}"'
        if self.kind == "lang":
            return f"lang:{self.value}"
        return self.value

    def __str__(self) -> str:
        return self.x()


@dataclass(frozen=True)
class Not:
    child: Node

    def matches(self, text: str, language: str | None) -> bool:
        return not self.child.matches(text, language)

    def __str__(self) -> str:
        return f"NOT {_wrapped(self.child)}"


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]

    def matches(self, text: str, language: str | None) -> bool:
        return all(c.matches(text, language) for c in self.children)

    def __str__(self) -> str:
        return " AND ".join(_wrapped(c) for c in self.children)


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]

    def matches(self, text: str, language: str | None) -> bool:
        return any(c.matches(text, language) for c in self.children)

    def __str__(self) -> str:
        return " OR ".join(_wrapped(c, within_or=True) for c in self.children)


Node = Term | Not | And | Or


def _wrapped(node: Node, *, within_or: bool = False) -> str:
    if isinstance(node, Or) or (isinstance(node, And) and not within_or):
        return f"({node})"
    return str(node)


# --- Parsing ---------------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        found = TOKEN.match(text, position)
        if found is None or found.end() == position:  # only trailing spaces left
            break
        tokens.append(found.group(found.lastgroup).strip())
        position = found.end()
    return [t for t in tokens if t]


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        piece = self.tokens[self.position]
        self.position += 1
        return piece

    def parse(self) -> Node:
        if not self.tokens:
            raise RuleError(_("The rule is empty: write at least one #hashtag or word."))
        node = self.or_expression()
        if self.peek() is not None:
            raise RuleError(
                _("Unexpected “%(piece)s”: a closing parenthesis has no opening one.") % {"piece": self.peek()}
            )
        return node

    def or_expression(self) -> Node:
        children = [self.and_expression()]
        while OPERATORS.get(self.peek() or "") == "OR":
            operator = self.take()
            if self.peek() is None or self.peek() == ")":
                raise RuleError(_("“%(operator)s” needs a term after it.") % {"operator": operator})
            children.append(self.and_expression())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expression(self) -> Node:
        children = [self.not_expression()]
        while True:
            piece = self.peek()
            if piece is None or piece == ")" or OPERATORS.get(piece) == "OR":
                break
            if OPERATORS.get(piece) == "AND":
                operator = self.take()
                if self.peek() is None or self.peek() == ")" or OPERATORS.get(self.peek() or "") in ("AND", "OR"):
                    raise RuleError(_("“%(operator)s” needs a term after it.") % {"operator": operator})
            children.append(self.not_expression())
        return children[0] if len(children) == 1 else And(tuple(children))

    def not_expression(self) -> Node:
        piece = self.peek()
        if piece is not None and (OPERATORS.get(piece) == "NOT" or piece == "-"):
            operator = self.take()
            if self.peek() is None or self.peek() == ")" or OPERATORS.get(self.peek() or "") in ("AND", "OR"):
                raise RuleError(_("“%(operator)s” needs a term after it.") % {"operator": operator})
            return Not(self.not_expression())
        return self.atom()

    def atom(self) -> Node:
        piece = self.peek()
        if piece is None:
            raise RuleError(_("The rule ends too early: a term is missing."))
        if OPERATORS.get(piece) in ("AND", "OR"):
            raise RuleError(_("“%(operator)s” needs a term before it.") % {"operator": piece})
        self.take()
        if piece == "(":
            if self.peek() == ")":
                raise RuleError(_("Empty parentheses: put terms inside, or remove them."))
            node = self.or_expression()
            if self.peek() != ")":
                raise RuleError(_("A parenthesis is not closed: add “)”."))
            self.take()
            return node
        if piece == ")":
            raise RuleError(_("Unexpected “)”: a closing parenthesis has no opening one."))
        if piece.startswith("-") and len(piece) > 1:
            return Not(self._term(piece[1:]))
        return self._term(piece)

    def _term(self, piece: str) -> Term:
        if piece.startswith('"'):
            if len(piece) < 2 or not piece.endswith('"'):
                raise RuleError(_('A quotation mark is not closed: end the exact phrase with “"”.'))
            phrase = piece[1:-1].strip()
            if not phrase:
                raise RuleError(_("An exact phrase is empty: write words between the quotation marks."))
            return Term("phrase", " ".join(phrase.split()))
        if piece.startswith("#"):
            name = piece[1:]
            if not name or not HASHTAG_NAME.match(name):
                raise RuleError(
                    _("“%(piece)s” is not a hashtag: use letters, digits and “_” only, without spaces or emojis.")
                    % {"piece": piece}
                )
            return Term("hashtag", name)
        if piece.lower().startswith("lang:"):
            code = piece[5:].lower()
            if not LANGUAGE.match(code):
                raise RuleError(
                    _("“%(piece)s”: a language is two letters, such as lang:fr or lang:en.") % {"piece": piece}
                )
            return Term("lang", code)
        if ":" in piece and not piece.startswith(("http:", "https:")):
            raise RuleError(
                _("“%(piece)s” is not understood: the only operator with “:” is lang: (quote the text to search it).")
                % {"piece": piece}
            )
        return Term("word", piece)


# --- What a rule needs from the networks -----------------------------------------------------------


def _positive_terms(node: Node, negated: bool = False) -> list[Term]:
    if isinstance(node, Term):
        return [] if negated or node.kind == "lang" else [node]
    if isinstance(node, Not):
        return _positive_terms(node.child, not negated)
    return [t for child in node.children for t in _positive_terms(child, negated)]


def _hashtag_cover(node: Node) -> frozenset[str] | None:
    """Hashtags of which every match carries at least one, or None when a match may carry none
    (then Instagram, which can only search hashtags, cannot find all matches)."""
    if isinstance(node, Term):
        return frozenset({normalize_hashtag(node.value)}) if node.kind == "hashtag" else None
    if isinstance(node, Not):
        return None
    covers = [_hashtag_cover(child) for child in node.children]
    if isinstance(node, And):
        known = [c for c in covers if c is not None]
        return min(known, key=lambda c: (len(c), sorted(c))) if known else None
    if any(c is None for c in covers):
        return None
    return frozenset().union(*covers)


def _x(node: Node, negated: bool = False) -> str:
    """X's syntax, negations pushed down to terms (De Morgan): X negates terms with ``-``."""
    if isinstance(node, Term):
        return f"-{node.x()}" if negated else node.x()
    if isinstance(node, Not):
        return _x(node.child, not negated)
    parts = [_x(child, negated) for child in node.children]
    if isinstance(node, Or) != negated:
        return "(" + " OR ".join(parts) + ")"
    return " ".join(parts)


@dataclass(frozen=True)
class Rule:
    text: str
    tree: Node

    def matches(self, text: str, language: str | None = None) -> bool:
        return self.tree.matches(fold(text), language)

    @cached_property
    def instagram_hashtags(self) -> tuple[str, ...] | None:
        cover = _hashtag_cover(self.tree)
        return tuple(sorted(cover)) if cover is not None else None

    @cached_property
    def hashtags(self) -> tuple[str, ...]:
        """Every hashtag the rule looks for (not the excluded ones)."""
        return tuple(
            dict.fromkeys(normalize_hashtag(t.value) for t in _positive_terms(self.tree) if t.kind == "hashtag")
        )

    def x_query(self) -> str:
        """The X recent-search query: the rule, without reposts (they repeat an original)."""
        return f"{_x(self.tree)} -is:retweet"


def parse_rule(text: str, *, networks: tuple[str, ...] | list[str] = ()) -> Rule:
    """Parse and check a rule for the networks it will run on; raises RuleError."""
    rule = Rule(text=" ".join((text or "").split()), tree=_Parser(text or "").parse())
    if not _positive_terms(rule.tree):
        raise RuleError(_("The rule only excludes: add a #hashtag or a word to look for."))
    if "instagram" in networks:
        if rule.instagram_hashtags is None:
            raise RuleError(
                _(
                    "Instagram can only search hashtags: every match of the rule must carry a #hashtag "
                    "(for example “#Déménagement AND Boulogne”)."
                )
            )
        if any(not HASHTAG_NAME.match(tag) for tag in rule.instagram_hashtags):
            raise RuleError(_("Instagram hashtags use letters, digits and “_” only."))
    if "x" in networks and len(rule.x_query()) > X_QUERY_MAX:
        raise RuleError(
            _("The rule is too long for X (%(length)s characters, %(max)s at most once translated): shorten it.")
            % {"length": len(rule.x_query()), "max": X_QUERY_MAX}
        )
    return rule
