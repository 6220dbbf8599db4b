"""The simulated world: who exists on the simulated networks, with stable ids.

Pure constants and small dataclasses (no Django, no I/O) so the demo seeder, the tests and the
server all name the same accounts. Everything else the simulator serves is generated from these
personas, the seed and the clock (see ``generator``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

# Day zero of generated history: follower counts are integrated from here, so any day from
# HISTORY_START on can be asked for (the demo replays the last year).
HISTORY_START = date(2024, 1, 1)
DEFAULT_NOW = "2026-11-30T06:00:00Z"
DEFAULT_SEED = 1
GRAPH_VERSION = "v25.0"


@dataclass(frozen=True, eq=False)  # hashed by identity: the generator caches per persona
class Persona:
    """A brand, a city, an event… and its accounts on each network (None: not on that network)."""

    key: str
    index: int  # 1..31, packed into generated ids
    kind: str  # city | brand | event | media
    language: str  # fr | en
    name: str
    description: str
    fb_page_id: str | None = None
    fb_username: str | None = None
    fb_category: str = "Government organization"
    ig_user_id: str | None = None
    ig_username: str | None = None
    x_user_id: str | None = None
    x_username: str | None = None
    # Audience at HISTORY_START and its yearly growth (fraction), per network.
    followers: dict[str, int] = field(default_factory=dict)
    yearly_growth: dict[str, float] = field(default_factory=dict)
    # Mean own posts per day, per network (X counts originals+replies+quotes; reposts on top).
    posts_per_day: dict[str, float] = field(default_factory=dict)
    # Reposts per own X post: a city's timeline is mostly retweets of partners.
    x_repost_ratio: float = 0.3


@dataclass(frozen=True)
class FacebookUser:
    """A simulated Facebook user who can log in on the consent page and manages pages."""

    id: str
    name: str
    page_keys: tuple[str, ...]


BOULOGNE = Persona(
    key="boulogne",
    index=1,
    kind="city",
    language="fr",
    name="Ville de Boulogne-Billancourt",
    description="Compte officiel de la Ville de Boulogne-Billancourt 🏙️ Actualités, événements, services.",
    fb_page_id="100000000000001",
    fb_username="VilledeBoulogneBillancourt",
    fb_category="City",
    ig_user_id="17841400000000001",
    ig_username="ville_boulogneb",
    x_user_id="1100000000000000001",
    x_username="Ville_BoulogneB",
    followers={"facebook": 38000, "instagram": 21000, "x": 30500},
    yearly_growth={"facebook": 0.06, "instagram": 0.18, "x": 0.01},
    posts_per_day={"facebook": 2.2, "instagram": 1.3, "x": 1.6},
    x_repost_ratio=1.8,
)
LEMOINE = Persona(
    key="lemoine",
    index=2,
    kind="brand",
    language="fr",
    name="Pâtisserie Lemoine",
    description="Pâtisserie artisanale depuis 1962 🥐 Commandes en boutique et en ligne.",
    fb_page_id="100000000000002",
    fb_username="patisserielemoine",
    fb_category="Bakery",
    ig_user_id="17841400000000002",
    ig_username="patisserie_lemoine",
    followers={"facebook": 4200, "instagram": 9800},
    yearly_growth={"facebook": 0.04, "instagram": 0.25},
    posts_per_day={"facebook": 0.7, "instagram": 1.1},
)
LUMIERES = Persona(
    key="lumieres",
    index=3,
    kind="event",
    language="fr",
    name="Festival des Lumières",
    description="Le festival des lumières revient chaque décembre ✨ Programme, billets, infos pratiques.",
    fb_page_id="100000000000003",
    fb_username="festivaldeslumieres",
    fb_category="Festival",
    x_user_id="1100000000000000003",
    x_username="FestLumieres",
    followers={"facebook": 12500, "x": 5200},
    yearly_growth={"facebook": 0.12, "x": 0.05},
    posts_per_day={"facebook": 0.8, "x": 1.0},
    x_repost_ratio=0.6,
)
NORTHWIND = Persona(
    key="northwind",
    index=4,
    kind="brand",
    language="en",
    name="Northwind Outdoor",
    description="Gear for the long way round 🏔️ Tents, packs and trail tips.",
    fb_page_id="100000000000004",
    fb_username="northwindoutdoor",
    fb_category="Outdoor & Sporting Goods Company",
    ig_user_id="17841400000000004",
    ig_username="northwind_outdoor",
    x_user_id="1100000000000000004",
    x_username="NorthwindOutdoor",
    followers={"facebook": 56000, "instagram": 88000, "x": 14000},
    yearly_growth={"facebook": 0.02, "instagram": 0.15, "x": -0.02},
    posts_per_day={"facebook": 1.0, "instagram": 1.4, "x": 2.4},
    x_repost_ratio=0.2,
)

PERSONAS: dict[str, Persona] = {p.key: p for p in (BOULOGNE, LEMOINE, LUMIERES, NORTHWIND)}
PERSONAS_BY_INDEX: dict[int, Persona] = {p.index: p for p in PERSONAS.values()}
PERSONAS_BY_PAGE: dict[str, Persona] = {p.fb_page_id: p for p in PERSONAS.values() if p.fb_page_id}
PERSONAS_BY_IG: dict[str, Persona] = {p.ig_user_id: p for p in PERSONAS.values() if p.ig_user_id}
PERSONAS_BY_X: dict[str, Persona] = {p.x_user_id: p for p in PERSONAS.values() if p.x_user_id}

VIRGINIE = FacebookUser(id="200000000000001", name="Virginie (Ville de Boulogne-Billancourt)", page_keys=("boulogne",))
CAMILLE = FacebookUser(
    id="200000000000002", name="Camille (Agence Nova)", page_keys=("lemoine", "lumieres", "northwind")
)
FACEBOOK_USERS: dict[str, FacebookUser] = {u.id: u for u in (VIRGINIE, CAMILLE)}

# Benchmark accounts: bench0001…bench2000, on the three networks, never listed on the consent
# pages; their ids follow the same patterns (index = 100 + number). A Facebook user manages them all.
BENCH_COUNT = 2000
BENCH_FIRST_INDEX = 100
BENCH_KINDS = ("city", "brand", "event", "media")


def _ids(index: int) -> dict[str, str]:
    return {
        "fb_page_id": f"1000000000{index:05d}",
        "ig_user_id": f"178414{index:011d}",
        "x_user_id": f"11{index:017d}",
    }


@lru_cache(maxsize=BENCH_COUNT)
def bench_persona(number: int) -> Persona:
    """A generated account for load tests: varied sizes and kinds, deterministic from its number."""
    index = BENCH_FIRST_INDEX + number
    scale = 1000 * (1 + (number * 7919) % 97)  # 1k..97k followers
    language = "en" if number % 3 == 0 else "fr"
    return Persona(
        key=f"bench{number:04d}",
        index=index,
        kind=BENCH_KINDS[number % len(BENCH_KINDS)],
        language=language,
        name=f"Compte de test {number:04d}" if language == "fr" else f"Bench account {number:04d}",
        description="Compte généré pour les tests de charge." if language == "fr" else "A generated load-test account.",
        fb_username=f"bench{number:04d}",
        fb_category="Community",
        ig_username=f"bench_{number:04d}",
        x_username=f"Bench{number:04d}",
        followers={"facebook": scale, "instagram": scale // 2, "x": scale // 3},
        yearly_growth={"facebook": 0.05, "instagram": 0.12, "x": 0.02},
        posts_per_day={"facebook": 1.0, "instagram": 0.8, "x": 1.5},
        x_repost_ratio=1.0 if number % 4 == 0 else 0.3,
        **_ids(index),
    )


BENCH_USER = FacebookUser(
    id="200000000000999",
    name="Banc d'essai / Benchmark",
    page_keys=tuple(f"bench{n:04d}" for n in range(1, BENCH_COUNT + 1)),
)


def _bench_number(index: int) -> int | None:
    number = index - BENCH_FIRST_INDEX
    return number if 1 <= number <= BENCH_COUNT else None


def persona_by_key(key: str) -> Persona | None:
    if key in PERSONAS:
        return PERSONAS[key]
    if key.startswith("bench") and key[5:].isdigit() and 1 <= int(key[5:]) <= BENCH_COUNT:
        return bench_persona(int(key[5:]))
    return None


def persona_by_index(index: int) -> Persona | None:
    number = _bench_number(index)
    return PERSONAS_BY_INDEX.get(index) or (bench_persona(number) if number else None)


def _by_id(value: str, named: dict[str, Persona], field_name: str) -> Persona | None:
    if value in named:
        return named[value]
    if value.isdigit():
        persona = persona_by_index(int(value[-5:]))
        if persona is not None and getattr(persona, field_name) == value:
            return persona
    return None


def persona_by_page(page_id: str) -> Persona | None:
    return _by_id(page_id, PERSONAS_BY_PAGE, "fb_page_id")


def persona_by_ig(ig_user_id: str) -> Persona | None:
    return _by_id(ig_user_id, PERSONAS_BY_IG, "ig_user_id")


def persona_by_x(x_user_id: str) -> Persona | None:
    return _by_id(x_user_id, PERSONAS_BY_X, "x_user_id")


def facebook_user(user_id: str) -> FacebookUser | None:
    return BENCH_USER if user_id == BENCH_USER.id else FACEBOOK_USERS.get(user_id)


# Hashtags with a steady public stream (listening): mean media per day on Instagram.
HASHTAG_STREAMS: dict[str, float] = {
    "boulogne": 7.0,
    "boulognebillancourt": 4.0,
    "boulbi": 2.5,
    "instaboulogne": 5.5,
    "déménagement": 9.0,
}
# Any other hashtag searched gets a thin generic stream.
OTHER_HASHTAG_RATE = 1.5

# Graph permissions the consent page grants (everything the product asks for).
META_SCOPES = (
    "pages_show_list,pages_read_engagement,read_insights,pages_manage_metadata,pages_manage_engagement,"
    "pages_messaging,instagram_basic,instagram_manage_insights,instagram_manage_comments,"
    "instagram_manage_messages"
)
