"""The tenancy matrix (STYLE.md rule 8) for every campaigns page: charlie (owner of B) gets 404,
bob (analyst of A) and dana (client of A) read but get 403 on writes and nothing changes, dana
gets 404 on a campaign of workspace A2. ``ROUTES`` joins the walker in
accounts/tests/test_tenancy_matrix.py.

The public pages (voting, results, contest photos, upload link) live outside /o/<org>/: they are
tested below to open only what their key opens, and nothing of another campaign."""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from campaigns.models import Campaign, CampaignMedia, DailyPick, RightsEvent, Vote
from campaigns.services.rights import upload_link_create
from campaigns.tests.factories import make_contest_objects

ORG, CAMPAIGN, MEDIA, PICK = "org", "campaign", "media", "pick"


@dataclass(frozen=True)
class Route:
    name: str
    target: str
    writes: dict = field(default_factory=dict)  # method → data (callable of the objects' ids)
    reads: bool = True

    def __str__(self) -> str:
        return self.name

    @property
    def methods(self) -> tuple[str, ...]:
        return (*(("GET",) if self.reads else ()), *self.writes)


ROUTES = [
    Route(
        "campaign_list",
        ORG,
        {
            "POST": lambda ids: {
                "name": "New",
                "workspace": ids["workspace"],
                "hashtags": "#Boulbi",
                "starts_on": "2026-01-01",
                "author_cooldown_days": 30,
            }
        },
    ),
    Route("campaign_gallery", CAMPAIGN),
    Route(
        "campaign_edit",
        CAMPAIGN,
        {
            "POST": lambda ids: {
                "name": "Renamed",
                "workspace": ids["workspace"],
                "hashtags": "#InstaBoulogne",
                "starts_on": "2026-01-01",
                "author_cooldown_days": 7,
                "votes_per_ip_per_hour": 60,
            }
        },
        reads=True,
    ),
    Route("campaign_collect", CAMPAIGN, {"POST": lambda ids: {}}, reads=False),
    Route("campaign_media", MEDIA, {"POST": lambda ids: {"action": "moderate", "status": "rejected"}}),
    Route("campaign_media_file", MEDIA),
    Route("campaign_picks", CAMPAIGN, {"POST": lambda ids: {"media": ids["media"], "day": "2026-12-24"}}),
    Route("campaign_pick_delete", PICK, {"POST": lambda ids: {}}, reads=False),
    Route("campaign_contest", CAMPAIGN),
    Route("campaign_stats", CAMPAIGN),
    Route("campaign_export", CAMPAIGN),
]
# campaign_edit is a settings page: reading it is already a manager's right.
WRITE_ONLY_PAGES = {"campaign_edit"}


def address(route: Route, org_slug: str, ids: dict) -> str:
    kwargs = {"org": org_slug}
    if route.target in (CAMPAIGN, MEDIA, PICK):
        kwargs["campaign_id"] = ids[CAMPAIGN]
    if route.target == MEDIA:
        kwargs["media_id"] = ids[MEDIA]
    if route.target == PICK:
        kwargs["pick_id"] = ids[PICK]
    return reverse(route.name, kwargs=kwargs)


def call(client, method: str, url: str, route: Route, ids: dict):
    if method == "GET":
        return client.get(url)
    return client.post(url, route.writes[method](ids))


@pytest.fixture
def objects(tenancy):
    made = {}
    for key, workspace in (("a1", tenancy.a1), ("a2", tenancy.a2), ("b", tenancy.b1)):
        campaign, media, pick = make_contest_objects(workspace, key)
        made[key] = {"workspace": workspace.pk, CAMPAIGN: campaign.pk, MEDIA: media.pk, PICK: pick.pk}
    return made


def tenant_state() -> tuple:
    with scopes_disabled():
        return (
            sorted(Campaign.objects.values_list("pk", "name", "author_cooldown_days")),
            sorted(CampaignMedia.objects.values_list("pk", "status", "rights", "favourite")),
            sorted(DailyPick.objects.values_list("pk", "day")),
            RightsEvent.objects.count(),
        )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_checks_ownership(route, tenancy, login, objects):
    before = tenant_state()
    charlie = login(tenancy.charlie)
    for method in ("GET", *route.writes):
        response = call(charlie, method, address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"])
        assert response.status_code == 404, f"{method} {route} on A"
        if route.target != ORG and method in route.methods:
            response = call(charlie, method, address(route, tenancy.org_b.slug, objects["a1"]), route, objects["a1"])
            assert response.status_code == 404, f"{method} {route} with A's object"
    assert tenant_state() == before


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_lets_the_owner_in(route, tenancy, login, objects, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    alice = login(tenancy.alice)
    for method in route.methods:
        response = call(alice, method, address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"])
        assert response.status_code < 400, f"{method} {route}: {response.status_code}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.writes or r.name in WRITE_ONLY_PAGES], ids=str)
def test_it_requires_write_access(route, tenancy, login, objects):
    before = tenant_state()
    for user in (tenancy.bob, tenancy.dana):
        client = login(user)
        for method in route.writes:
            response = call(client, method, address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"])
            assert response.status_code == 403, f"{user} {method} {route}: {response.status_code}"
    assert tenant_state() == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.target != ORG], ids=str)
def test_it_hides_other_clients(route, tenancy, login, objects):
    dana = login(tenancy.dana)
    if route.reads and route.name not in WRITE_ONLY_PAGES:
        granted_page = call(dana, "GET", address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"])
        assert granted_page.status_code == 200, f"dana GET {route} on A1"
    for method in route.methods:
        hidden = call(dana, method, address(route, tenancy.org_a.slug, objects["a2"]), route, objects["a2"])
        assert hidden.status_code == 404, f"dana {method} {route} on A2"


def test_it_hides_other_clients_campaigns_from_the_list(tenancy, login, objects):
    html = login(tenancy.dana).get(reverse("campaign_list", kwargs={"org": tenancy.org_a.slug})).content
    assert b"Secret campaign a1" in html and b"Secret campaign a2" not in html


# --- Public pages ---------------------------------------------------------------------------------


def _public(objects, key):
    with scopes_disabled():
        campaign = Campaign.objects.get(pk=objects[key][CAMPAIGN])
        media = CampaignMedia.objects.get(pk=objects[key][MEDIA])
        other = CampaignMedia.objects.filter(campaign=campaign).exclude(pk=media.pk).get()
    return campaign, media, other


def test_it_shows_only_this_contests_entries_on_public_pages(client, objects):
    campaign, entry, not_entered = _public(objects, "a1")
    _c2, a2_entry, _o2 = _public(objects, "a2")
    b_campaign, b_entry, _ob = _public(objects, "b")
    for name in ("contest_vote_page", "contest_results"):
        html = client.get(reverse(name, kwargs={"key": campaign.public_key})).content.decode()
        assert entry.key in html
        for foreign in (not_entered, a2_entry, b_entry):
            assert foreign.key not in html and foreign.author_handle not in html
        assert "Secret campaign a2" not in html and b_campaign.name not in html
    photo = lambda key, media: client.get(reverse("contest_media_file", kwargs={"key": key, "media_key": media.key}))  # noqa: E731
    assert photo(campaign.public_key, entry).status_code == 200
    # Another campaign's entry, or a media of this campaign not entered: the same 404 as a missing one.
    for media in (a2_entry, b_entry, not_entered):
        assert photo(campaign.public_key, media).status_code == 404
    assert client.get(reverse("contest_vote_page", kwargs={"key": "missing"})).status_code == 404


def test_it_refuses_votes_for_another_campaigns_media(client, objects):
    campaign, _entry, _other = _public(objects, "a1")
    _b, b_entry, _ob = _public(objects, "b")
    response = client.post(
        reverse("contest_vote", kwargs={"key": campaign.public_key, "media_key": b_entry.key}), HTTP_HX_REQUEST="true"
    )
    assert b"not in the contest" in response.content
    with scopes_disabled():
        assert not Vote.objects.exists()


def test_it_opens_only_the_linked_media_through_an_upload_link(client, objects):
    _campaign, entry, other = _public(objects, "a1")
    with scope(organization=entry.organization):
        token = upload_link_create(media=entry, user=None)
    page = client.get(reverse("campaign_upload", kwargs={"token": token})).content.decode()
    # Nothing of the campaign's other media, nor of other campaigns.
    assert other.key not in page and other.permalink not in page and "Secret campaign" not in page
    preview = client.get(reverse("campaign_upload_preview", kwargs={"token": token}))
    assert preview.status_code == 200
