"""The watch rule language: parsing, clear errors, matching, and its translations for X and Instagram."""

import pytest

from listening.rules import RuleError, parse_rule


@pytest.mark.parametrize(
    ("rule", "text", "language", "expected"),
    [
        ("#Boulogne", "Coucher de soleil #Boulogne", None, True),
        ("#Boulogne", "Coucher de soleil #BoulogneBillancourt", None, False),
        ("#demenagement", "Cartons faits #Déménagement", None, True),  # accents and case ignored
        ("boulogne", "direction Boulogne-Billancourt", None, True),
        ("boulogne", "La Boulognette", None, False),  # whole words only
        ('"nouvel appart"', "Premier soir dans notre nouvel appart", None, True),
        ('"nouvel appart"', "un appart nouvel", None, False),
        ("#Déménagement AND Boulogne", "Cartons #Déménagement Lyon", None, False),
        ("#Déménagement Boulogne", "Cartons #Déménagement Boulogne", None, True),  # AND implied
        ("#Boulbi OR #Boulogne", "vue #Boulbi", None, True),
        ("#Déménagement NOT Lyon", "Déménagement à Lyon #Déménagement", None, False),
        ("#Déménagement -Lyon", "Nantes #Déménagement", None, True),
        ("#Boulogne lang:fr", "Sunset #Boulogne", "en", False),
        ("#Boulogne lang:fr", "Coucher #Boulogne", "fr", True),
        ("#Déménagement ET (Boulogne OU Boulbi) SAUF Lyon", "J-3 avant Boulbi #Déménagement", None, True),
        ("NOT (Lyon OR Nantes) #Déménagement", "Nantes #Déménagement", None, False),
    ],
)
def test_it_matches_texts(rule, text, language, expected):
    assert parse_rule(rule).matches(text, language) is expected


def test_it_binds_not_then_and_then_or():
    rule = parse_rule("a OR b AND NOT c")
    assert [type(c).__name__ for c in rule.tree.children] == ["Term", "And"]
    assert rule.matches("a c") and not rule.matches("b c") and rule.matches("b")


def test_it_translates_rules_for_x_without_reposts():
    rule = parse_rule('#Déménagement AND (Boulogne OR "Boulogne-Billancourt") NOT Lyon lang:fr')
    assert rule.x_query() == '#Déménagement (Boulogne OR "Boulogne-Billancourt") -Lyon lang:fr -is:retweet'
    # X negates terms: a negated group is pushed down to its terms (De Morgan).
    assert parse_rule("#a NOT (b OR c)").x_query() == "#a -b -c -is:retweet"
    assert parse_rule("#a -(b c)").x_query() == "#a (-b OR -c) -is:retweet"


def test_it_finds_the_hashtags_instagram_must_search():
    assert parse_rule("#Boulogne OR #Boulbi").instagram_hashtags == ("boulbi", "boulogne")
    assert parse_rule("#Déménagement AND (Boulogne OR Boulbi)").instagram_hashtags == ("déménagement",)
    # A match may carry no hashtag: Instagram cannot find it.
    assert parse_rule("#Boulogne OR Boulbi").instagram_hashtags is None
    with pytest.raises(RuleError, match="Instagram can only search hashtags"):
        parse_rule("#Boulogne OR Boulbi", networks=["instagram"])
    parse_rule("#Boulogne OR Boulbi", networks=["x"])  # fine on X


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "The rule is empty"),
        ("   ", "The rule is empty"),
        ("AND #a", "“AND” needs a term before it"),
        ("#a OR", "“OR” needs a term after it"),
        ("#a AND", "“AND” needs a term after it"),
        ("NOT", "“NOT” needs a term after it"),
        ("(#a OR #b", "A parenthesis is not closed"),
        ("#a)", "a closing parenthesis has no opening one"),
        ("()", "Empty parentheses"),
        ('"bienvenue', "A quotation mark is not closed"),
        ('""', "An exact phrase is empty"),
        ("#", "is not a hashtag"),
        ("#😀", "is not a hashtag"),
        ("lang:français", "a language is two letters"),
        ("from:someone", "the only operator with “:” is lang:"),
        ("NOT #a", "The rule only excludes"),
    ],
)
def test_it_explains_bad_rules(rule, message):
    with pytest.raises(RuleError) as error:
        parse_rule(rule)
    assert message in error.value.message


def test_it_refuses_a_rule_too_long_for_x():
    rule = " OR ".join(f"#hashtag{n:03d}" for n in range(60))
    with pytest.raises(RuleError, match="too long for X"):
        parse_rule(rule, networks=["x"])
