"""analytics.text.sentiment: the rules added for French public-interest posts (shifters, the
translated lexicon's false friends) and English titles. Every example is ours, written for these tests."""

import pytest

from analytics.text import lexicons
from analytics.text import sentiment as rules


@pytest.mark.parametrize(
    ("shifted", "plain", "language"),
    [
        ("La ville lutte contre la pollution", "la pollution de la rivière", "fr"),
        ("La mairie lance la réduction des déchets", "des déchets partout", "fr"),
        ("New plan to fight crime downtown", "crime downtown", "en"),
    ],
)
def test_fighting_something_bad_is_good_news(shifted, plain, language):
    assert rules.score(plain, language) < 0
    assert rules.label(rules.score(shifted, language), language) == "positive"


def test_holding_back_something_good_is_bad_news():
    assert rules.score("l'essor du vélo en ville", "fr") > 0
    assert rules.label(rules.score("Ce projet freine l'essor du vélo en ville", "fr"), "fr") == "negative"


def test_a_shifter_with_nothing_to_act_on_keeps_its_own_valence():
    # "lutte" alone is a struggle (negative in the translated lexicon); it acts only on an opinion word.
    assert rules.score("Une lutte de tous les jours", "fr") < 0


@pytest.mark.parametrize(
    "text",
    [
        "Est-il possible de réserver une salle municipale pour un anniversaire ?",
        "Il reste des places pour l'atelier poterie de samedi ?",
        "When does the pool open?",
    ],
)
def test_a_plain_question_stays_neutral(text):
    # French tweets that ask are often reproaches, but a city's inbox is full of real requests:
    # the question mark alone carries no sentiment (a question cue cost them this, for +0.3).
    language = "en" if text.startswith("When") else "fr"
    assert rules.label(rules.score(text, language), language) == "neutral"


@pytest.mark.parametrize(
    "text",
    [
        "Le maire de la France entière",  # not "franc" (frank) by the inflection fallback
        "Des espèces sauvages dans la forêt du parc",  # wildlife, not savagery
        "Les États-Unis et le secteur privé",
        "Une véritable forme de concertation",
    ],
)
def test_translated_false_friends_carry_no_opinion(text):
    assert rules.score(text, "fr") == 0.0


def test_translated_entries_with_the_wrong_sign_are_fixed():
    assert lexicons.french()["profiter"] > 0
    assert rules.label(rules.score("Profitez du marché de Noël ce week-end", "fr"), "fr") == "positive"
    assert rules.score("je déteste ce parking", "fr") < rules.score("ce parking", "fr")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quel gâchis, c'est consternant", "negative"),
        ("Encore une mascarade, pathétique", "negative"),
        ("Spectacle grandiose, bravissimo", "positive"),
        ("Accueil remarquable et personnel passionnant", "positive"),
    ],
)
def test_it_knows_everyday_french_outrage_and_praise(text, expected):
    assert rules.label(rules.score(text, "fr"), "fr") == expected


def test_titles_and_names_in_mid_sentence_are_no_opinion_in_english():
    # A band, a film and a song: their words say nothing about the writer's mood.
    assert rules.score("Going to see Foo Fighters and then Star Wars with my brother", "en") == 0.0
    assert rules.score("We heard Bad Blood on the radio", "en") == 0.0
    # The same words in lower case, at the start of a sentence or in a headline Written Like This count.
    assert rules.score("We heard bad news on the radio", "en") < 0
    assert rules.score("Bad Blood between the two teams again", "en") < 0
    assert rules.score("Council Approves Great New Park Plan", "en") > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I can't wait for the concert on Saturday", "positive"),
        ("cant wait to see the new stadium", "positive"),
        ("Looking forward to the parade tomorrow", "positive"),
        ("Well done to the volunteers", "positive"),
        ("Who cares what the mayor thinks", "negative"),
        ("Rest in peace, coach", "negative"),
        ("My grandfather passed away last night", "negative"),
    ],
)
def test_english_set_phrases(text, expected):
    # The negator in "can't wait" negates nothing; "rest in peace" is mourning, not peace.
    assert rules.label(rules.score(text, "en"), "en") == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'll bring a coat as well",
        "We pretty much walked all the way home",
        "Is there a lost and found at the station",
        "That kind of bus runs every hour",
    ],
)
def test_english_phrases_that_carry_no_opinion(text):
    assert rules.label(rules.score(text, "en"), "en") == "neutral"


def test_no_doubt_affirms_what_follows():
    assert rules.score("No doubt the best pizza in town", "en") > rules.score("the pizza in town", "en")
    assert rules.label(rules.score("No doubt the best pizza in town", "en"), "en") == "positive"


def test_a_negation_stops_at_the_end_of_its_sentence():
    # "No." answers the question; it does not negate the praise in the next sentence.
    assert rules.score("No. The new library is great", "en") > 0
    assert rules.score("The new library is not great", "en") < 0
    # A comma does not end the clause: "not, in my view, good" stays negated in both languages.
    assert rules.score("ce n'est pas, franchement, bien", "fr") < 0


def test_a_word_only_vader_rates_counts_less_than_one_both_lexicons_rate():
    english = lexicons.english()
    # "party" (VADER 1.7, not in AFINN-165) is mostly the political kind in news.
    assert 0 < english["party"] < 1.0
    # "good" is in both: the mean of VADER's 1.9 and AFINN's 3 (x0.8 onto VADER's scale).
    assert english["good"] == pytest.approx((1.9 + 3 * 0.8) / 2)
    assert rules.label(rules.score("The party holds its conference in the city on Monday", "en"), "en") == "neutral"


@pytest.mark.parametrize("text", ["It's like a sauna in the gym today", "Looks like the bus is on time"])
def test_a_comparing_like_is_no_liking(text):
    assert rules.label(rules.score(text, "en"), "en") == "neutral"


def test_liking_still_counts():
    assert rules.label(rules.score("I like the new bike lanes", "en"), "en") == "positive"
    assert rules.label(rules.score("I don't like the new bike lanes", "en"), "en") == "negative"


def test_a_laughter_acronym_alone_is_no_praise():
    assert rules.label(rules.score("lol that dog in the second picture", "en"), "en") == "neutral"


@pytest.mark.parametrize(
    ("text", "plain", "language"),
    [
        ("He had to fight with a bad knee", "a bad knee", "en"),
        ("La ville lutte pour le progrès", "le progrès", "fr"),
    ],
)
def test_a_shifter_does_not_act_across_with_or_for(text, plain, language):
    assert rules.score(text, language) * rules.score(plain, language) > 0
