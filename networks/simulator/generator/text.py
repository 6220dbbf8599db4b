"""French and English texts from templates and vocabulary: posts, comments, mentions, DMs, captions.

Messages carry a sentiment on purpose (question, complaint, praise, neutral) so the qualitative
features have something to find; French texts keep their accents and some social-media spelling.
"""

from __future__ import annotations

import random

from networks.simulator.world import Persona

SENTIMENTS = ("question", "complaint", "praise", "neutral")
SENTIMENT_WEIGHTS = (3, 2, 4, 3)

FR_TOPICS = {
    "city": [
        "la fête de quartier",
        "le marché de Noël",
        "les travaux de la rue de Silly",
        "la piscine",
        "la médiathèque",
        "le conseil municipal",
        "les inscriptions en crèche",
        "le stationnement",
        "le parc Rothschild",
        "la collecte des encombrants",
        "le forum des associations",
        "la patinoire",
        "le centre de loisirs",
        "les pistes cyclables",
    ],
    "brand": [
        "la galette des rois",
        "les macarons",
        "la bûche de Noël",
        "le nouveau millefeuille",
        "la boutique du centre",
        "les commandes en ligne",
        "le brunch du dimanche",
    ],
    "event": [
        "la soirée d'ouverture",
        "la billetterie",
        "le parcours lumineux",
        "les navettes",
        "le concert de clôture",
        "les horaires",
    ],
    "media": ["l'actualité locale", "le reportage", "l'interview du maire"],
}
EN_TOPICS = {
    "brand": [
        "the new ultralight tent",
        "the winter sale",
        "the trail running pack",
        "your returns policy",
        "the store opening in Leeds",
        "the repair programme",
        "the hiking boots",
    ],
    "city": ["the farmers market", "road works", "the library", "the swimming pool"],
    "event": ["the opening night", "tickets", "the light trail"],
    "media": ["local news", "the interview"],
}

FR_POSTS = [
    "📣 {topic} : toutes les infos sont en ligne !",
    "Rendez-vous ce week-end pour {topic} ✨",
    "Retour en images sur {topic} 📸 Merci à toutes et à tous !",
    "💡 Info pratique : {topic}, ce qu'il faut savoir.",
    "🎉 C'est parti pour {topic} ! On vous attend nombreux.",
    "⚠️ Attention, changement concernant {topic}.",
    "Vous nous avez posé beaucoup de questions sur {topic} : on vous répond 👇",
]
EN_POSTS = [
    "📣 Everything you need to know about {topic}.",
    "This weekend: {topic} ✨ See you there!",
    "A look back at {topic} 📸 Thanks everyone!",
    "⚠️ Heads up: a change regarding {topic}.",
    "🎉 {topic} is here! Tell us what you think.",
    "You asked, we answer: {topic} 👇",
]

FR_MESSAGES = {
    "question": [
        "Bonjour, à quelle heure commence {topic} ?",
        "Est-ce que {topic} est accessible aux poussettes ?",
        "Svp c'est où exactement {topic} ??",
        "Qqn sait si {topic} est gratuit ?",
        "Bonjour, comment on s'inscrit pour {topic} ? Merci d'avance",
        "Est-ce que c'est maintenu s'il pleut ? 🤔",
    ],
    "complaint": [
        "Franchement {topic} c'est n'importe quoi, personne n'est au courant 😡",
        "Ça fait 3 semaines que j'attends une réponse pour {topic}…",
        "Toujours le même problème avec {topic}, c'est inadmissible.",
        "Déçue par {topic}, vraiment pas à la hauteur.",
        "jpp de {topic}, encore en retard",
    ],
    "praise": [
        "Bravo pour {topic}, c'était top ! 👏",
        "Super initiative, merci 🙏",
        "Trop bien {topic} 😍 on reviendra !",
        "Merci à toute l'équipe pour {topic} ❤️",
        "Génial, les enfants ont adoré !",
    ],
    "neutral": [
        "J'y étais hier.",
        "@{friend} regarde ça",
        "Partagé 👍",
        "On en parlait justement ce matin.",
        "Ok merci pour l'info",
    ],
}
EN_MESSAGES = {
    "question": [
        "Hi, when does {topic} start?",
        "Do you ship {topic} to Ireland?",
        "Is {topic} available in size M?",
        "Any news on {topic}? Thanks!",
    ],
    "complaint": [
        "Still waiting for a reply about {topic}, not impressed 😠",
        "{topic} broke after two weeks. Poor quality.",
        "Really disappointed with {topic}.",
    ],
    "praise": [
        "Love {topic}! 😍",
        "Best purchase this year, thank you 🙌",
        "Great job on {topic} 👏",
    ],
    "neutral": ["@{friend} look at this", "Saw this yesterday.", "Interesting.", "Ok thanks"],
}

FR_FIRST = ["Camille", "Léa", "Hugo", "Chloé", "Lucas", "Inès", "Mathis", "Zoé", "Nathan", "Manon", "Yanis", "Élodie"]
FR_LAST = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Garcia", "Roux", "Fournier", "Mercier"]
EN_FIRST = ["Olivia", "Jack", "Amelia", "Harry", "Isla", "George", "Ava", "Noah", "Mia", "Leo"]
EN_LAST = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright"]

HASHTAG_CAPTIONS_FR = [
    "Coucher de soleil sur la Seine 🌅 #{tag}",
    "Balade du dimanche au parc #{tag} #InstaBoulogne",
    "Le marché ce matin 🍅🥖 #{tag}",
    "Quelle belle lumière aujourd'hui ✨ #{tag}",
    "Vue depuis l'île Seguin #{tag} #BoulogneBillancourt",
    "Café en terrasse ☕ #{tag}",
]
MOVING_CAPTIONS_FR = [
    "Cartons faits, direction Boulogne-Billancourt 📦 #Déménagement",
    "Premier soir dans notre nouvel appart à Boulogne 🏡 #Déménagement #Boulogne",
    "Ça y est on a les clés ! Bienvenue à Boulogne 🔑 #Déménagement",
    "#Déménagement J-3 avant Boulogne, help 😅",
]
MOVING_ELSEWHERE_FR = [
    "Déménagement terminé à Lyon 📦 #Déménagement",
    "Les cartons envahissent le salon #Déménagement",
    "Nouvelle vie à Nantes 🏡 #Déménagement",
]
# Listening (issue 6): English speakers post under the city's tags too, and some moving posts
# mention the city's X account (the only ones X lets an app reply to).
HASHTAG_CAPTIONS_EN = [
    "Sunset over the Seine in Boulogne-Billancourt 🌅 #{tag}",
    "Sunday walk in the park #{tag} #InstaBoulogne",
    "Best croissant in town ☕ #{tag}",
    "Lovely light on the Île Seguin today #{tag}",
]
MOVING_CAPTIONS_EN = [
    "Just moved to Boulogne-Billancourt! Any tips for newcomers? #Déménagement",
    "Moving day: boxes everywhere, new flat in Boulogne 📦 #Déménagement #Boulogne",
    "We got the keys to our place in Boulogne 🔑 #Déménagement",
]
MOVING_MENTIONS_FR = [
    "On emménage à Boulogne-Billancourt samedi 📦 des conseils pour les nouveaux habitants @{account} ? #Déménagement",
    "Déménagement à Boulogne terminé 🎉 comment s'inscrire à la crèche @{account} ? #Déménagement",
    "Nouveaux Boulonnais depuis hier 🏡 merci pour l'accueil @{account} #Déménagement #Boulogne",
]
MOVING_MENTIONS_EN = [
    "Just moved to Boulogne-Billancourt 📦 where do newcomers register @{account}? #Déménagement",
]
GENERIC_CAPTIONS_EN = [
    "Weekend vibes #{tag}",
    "Golden hour 🌇 #{tag}",
    "New day, new adventure #{tag}",
]


def pick_language(rng: random.Random, persona: Persona) -> str:
    # A French account still gets some English messages (tourists, expats) and vice versa.
    if persona.language == "fr":
        return "fr" if rng.random() < 0.9 else "en"
    return "en" if rng.random() < 0.95 else "fr"


def topic(rng: random.Random, persona: Persona, language: str) -> str:
    topics = (FR_TOPICS if language == "fr" else EN_TOPICS).get(persona.kind) or FR_TOPICS["city"]
    return rng.choice(topics)


def person(rng: random.Random, language: str) -> tuple[str, str]:
    """(display name, handle) of a member of the public."""
    first = rng.choice(FR_FIRST if language == "fr" else EN_FIRST)
    last = rng.choice(FR_LAST if language == "fr" else EN_LAST)
    handle = (first + "_" + last[:3] + str(rng.randrange(10, 99))).lower()
    handle = handle.translate(str.maketrans("éèëêàâîïôöûüç", "eeeeaaiioouuc"))
    return f"{first} {last}", handle


def post_text(rng: random.Random, persona: Persona) -> str:
    templates = FR_POSTS if persona.language == "fr" else EN_POSTS
    text = rng.choice(templates).format(topic=topic(rng, persona, persona.language))
    return text[0].upper() + text[1:]


def message(rng: random.Random, persona: Persona, sentiment: str | None = None) -> tuple[str, str, str]:
    """(text, language, sentiment) of a comment, mention or DM to ``persona``."""
    language = pick_language(rng, persona)
    sentiment = sentiment or rng.choices(SENTIMENTS, weights=SENTIMENT_WEIGHTS)[0]
    templates = (FR_MESSAGES if language == "fr" else EN_MESSAGES)[sentiment]
    _, friend = person(rng, language)
    text = rng.choice(templates).format(topic=topic(rng, persona, language), friend=friend)
    return text[0].upper() + text[1:], language, sentiment


def hashtag_caption(rng: random.Random, tag: str) -> str:
    if tag == "déménagement":
        # About a third of the moving posts mention the city: the listening rule's catch.
        pool = MOVING_CAPTIONS_FR if rng.random() < 0.35 else MOVING_ELSEWHERE_FR
        return rng.choice(pool)
    if tag in {"boulogne", "boulognebillancourt", "boulbi", "instaboulogne"}:
        label = {"boulbi": "Boulbi", "instaboulogne": "InstaBoulogne", "boulognebillancourt": "BoulogneBillancourt"}
        return rng.choice(HASHTAG_CAPTIONS_FR).format(tag=label.get(tag, "Boulogne"))
    return rng.choice(GENERIC_CAPTIONS_EN).format(tag=tag)


def listening_caption(rng: random.Random, tag: str, language: str, account: str) -> str:
    """A public post under one of the city's tags, in ``language``; some moving posts mention
    ``account`` (the city's X handle)."""
    if tag == "déménagement":
        if rng.random() < 0.25:
            pool = MOVING_MENTIONS_FR if language == "fr" else MOVING_MENTIONS_EN
            return rng.choice(pool).format(account=account)
        if language == "en":
            return rng.choice(MOVING_CAPTIONS_EN)
        return hashtag_caption(rng, tag)
    if language == "en" and tag in {"boulogne", "boulognebillancourt", "boulbi", "instaboulogne"}:
        label = {"boulbi": "Boulbi", "instaboulogne": "InstaBoulogne", "boulognebillancourt": "BoulogneBillancourt"}
        return rng.choice(HASHTAG_CAPTIONS_EN).format(tag=label.get(tag, "Boulogne"))
    return hashtag_caption(rng, tag)
