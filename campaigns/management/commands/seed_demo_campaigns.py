"""The demo's #InstaBoulogne campaign, brought in through the real code path: the simulator's
Instagram hashtag search → listening's ``collect_hashtag`` → campaign media with their files
downloaded from the simulator's CDN. The simulator's clock is moved back a week at a time, as the
hourly collection would have run over the past weeks (hashtag search only reaches the last 7 days).

Then the team's work on top, through the services: moderation, authors filled in, tags,
favourites, the rights workflow, an original sent through the upload link, a photo of the day
calendar (past and planned, with the author rotation), an open contest with public votes (a
household behind one address, and a burst the abuse signals show) and an exhibition selection.

Runs after ``seed_demo_networks`` (the city's Instagram account must be connected). Safe to run
again: an already seeded campaign is left as it is (``--force`` collects and seeds again).
"""

import datetime as dt
import io
import random
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from PIL import Image

from accounts.models import Organization, Role, Workspace
from campaigns.models import Campaign, CampaignMedia, DailyPick
from campaigns.selectors import pick_candidates
from campaigns.services import CampaignError
from campaigns.services import media as media_services
from campaigns.services.collect import campaign_collect
from campaigns.services.picks import daily_pick_create
from campaigns.services.rights import media_rights_set, original_upload
from campaigns.services.votes import VoteRefused, contest_entries, vote_cast
from networks.management.demo_simulator import demo_simulator
from networks.sync.demo import Simulator

CITY = "Ville de Boulogne-Billancourt"
NAME = "#InstaBoulogne 2026"
WEEKS = 8
# Instagram names the team found by opening each post (hashtag search gives none).
AUTHORS = ("marie.b92", "paul_photo", "lea.voyage", "boulbi_street", "jules.clic", "sophie_seine", "karim.lens")
TAGS = ("seine", "patrimoine", "nuit", "parc", "sport", "marché", "architecture")


def _original(rng: random.Random) -> SimpleUploadedFile:
    """A "full-size" file as a winner would send it (drawn here: the demo has no camera)."""
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), tuple(rng.randrange(256) for _ in range(3))).save(buffer, format="JPEG")
    return SimpleUploadedFile("IMG_2041.JPG", buffer.getvalue(), content_type="image/jpeg")


class Command(BaseCommand):
    help = "Create the city's #InstaBoulogne campaign from the simulator and run its workflows."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--start-simulator", action="store_true", help="start the simulator if it is not up")
        parser.add_argument("--force", action="store_true", help="collect and seed again")
        parser.add_argument("--weeks", type=int, default=WEEKS, help=f"weeks of collection to replay (default {WEEKS})")

    def handle(self, *args, **options) -> None:
        with demo_simulator(start=options["start_simulator"], needed_for="the campaign's photos") as sim:
            self._seed(sim, force=options["force"], weeks=options["weeks"])

    def _seed(self, sim: Simulator, *, force: bool, weeks: int) -> None:
        with scopes_disabled():
            organization = Organization.objects.filter(name=CITY).first()
        if organization is None:
            raise CommandError(f"Run seed_demo first: no organisation named {CITY!r}.")
        now = timezone.now().replace(microsecond=0)
        with scope(organization=organization):
            workspace = Workspace.objects.filter(organization=organization).order_by("pk").first()
            cm = organization.memberships.filter(role=Role.OWNER).select_related("user").first().user
            campaign = Campaign.objects.filter(organization=organization, name=NAME).first()
            if campaign is not None and campaign.media.exists() and not force:
                self.stdout.write(f"Campaigns: {NAME} already seeded (use --force to seed again).")
                return
            if campaign is None:
                campaign = media_services.campaign_create(
                    organization=organization,
                    workspace=workspace,
                    name=NAME,
                    hashtags=["InstaBoulogne"],
                    starts_on=(now - dt.timedelta(weeks=weeks)).date(),
                    author_cooldown_days=10,
                    user=cm,
                )
            try:
                for weeks_back in range(weeks - 1, -1, -1):
                    sim.set_now(now - dt.timedelta(weeks=weeks_back))
                    result = campaign_collect(campaign=campaign)
                    if result.errors:
                        raise CommandError("; ".join(result.errors))
            finally:
                sim.set_now(now)
            media = list(CampaignMedia.objects.filter(organization=organization, campaign=campaign).order_by("pk"))
            self.stdout.write(f"Campaigns: {NAME}: {len(media)} photos and videos collected")
            self._work(campaign, media, cm, now)

    def _work(self, campaign: Campaign, media: list[CampaignMedia], cm, now: dt.datetime) -> None:
        rng = random.Random(2026)  # noqa: S311 — demo data, not security
        usable = [m for m in media if m.file]
        for index, item in enumerate(usable):
            roll = rng.random()
            if roll < 0.08:
                media_services.media_moderate(media=item, status=CampaignMedia.Status.REJECTED, user=cm)
                continue
            if roll < 0.1:
                media_services.media_moderate(media=item, status=CampaignMedia.Status.HIDDEN, user=cm)
                continue
            if roll > 0.75:
                continue  # still to moderate
            media_services.media_moderate(media=item, status=CampaignMedia.Status.APPROVED, user=cm)
            if rng.random() < 0.7:
                media_services.media_set_author(media=item, handle=rng.choice(AUTHORS), user=cm)
            media_services.media_set_tags(media=item, tags=rng.sample(TAGS, rng.randint(0, 2)))
            if rng.random() < 0.15:
                media_services.media_set_favourite(media=item, favourite=True)
            if item.author_handle and index % 2 == 0:
                media_rights_set(media=item, rights="requested", user=cm, note="Message privé envoyé sur Instagram")
                answer = rng.random()
                if answer < 0.75:
                    media_rights_set(media=item, rights="granted", user=cm, note="Accord par message privé")
                elif answer < 0.85:
                    media_rights_set(media=item, rights="refused", user=cm)
        granted = [m for m in usable if m.rights == CampaignMedia.Rights.GRANTED and m.status == "approved"]
        self.stdout.write(f"Campaigns: {len(granted)} approved photos with granted rights")
        # One winner already sent the full-size original through the private upload link.
        if granted:
            original_upload(media=granted[0], upload=_original(rng))
        self._picks(campaign, cm, now)
        self._contest(campaign, granted, now, rng)
        for item in granted[:8]:
            media_services.media_set_exhibition(media=item, selected=True)

    def _picks(self, campaign: Campaign, cm, now: dt.datetime) -> None:
        """Two weeks of past photos of the day and a week planned, following the rotation."""
        today = timezone.localdate(now, timezone=zoneinfo.ZoneInfo(campaign.organization.time_zone))
        picked = 0
        for offset in range(-14, 8):
            day = today + dt.timedelta(days=offset)
            if DailyPick.objects.filter(organization=campaign.organization, campaign=campaign, day=day).exists():
                continue
            for candidate in pick_candidates(campaign, day):
                if not candidate.allowed:
                    continue
                try:
                    daily_pick_create(campaign=campaign, media=candidate.media, day=day, user=cm)
                except CampaignError:
                    continue
                picked += 1
                break
        self.stdout.write(f"Campaigns: {picked} photos of the day (past and planned)")

    def _contest(self, campaign: Campaign, granted: list[CampaignMedia], now: dt.datetime, rng: random.Random) -> None:
        media_services.campaign_update(
            campaign=campaign,
            contest_title="Concours photo #InstaBoulogne 2026",
            contest_opens_at=now - dt.timedelta(days=3),
            contest_closes_at=now + dt.timedelta(days=14),
        )
        for item in granted[:12]:
            media_services.media_set_contest(media=item, entered=True)
        entries = list(contest_entries(campaign))
        if not entries:
            return
        votes = 0
        # Residents voting over three days, each from their own connection…
        for voter in range(120):
            ip = f"198.51.{voter // 200}.{voter % 200 + 1}"
            at = now - dt.timedelta(days=3) + dt.timedelta(minutes=rng.randrange(3 * 24 * 60))
            for item in rng.sample(entries, rng.randint(1, min(3, len(entries)))):
                try:
                    vote_cast(
                        campaign=campaign, media_key=item.key, browser_id=f"resident-{voter}", ip_address=ip, now=at
                    )
                    votes += 1
                except VoteRefused:
                    pass
        # …a family behind one box (four browsers, one address: none is blocked)…
        for turn, member in enumerate(("maman", "papa", "ado", "mamie")):
            for item in entries[:3]:
                vote_cast(
                    campaign=campaign,
                    media_key=item.key,
                    browser_id=f"famille-{member}",
                    ip_address="203.0.113.20",
                    now=now - dt.timedelta(hours=5) + dt.timedelta(minutes=20 * turn),  # one after another
                )
                votes += 1
        # …and a script clearing its cookies, which the hourly cap stops and the abuse signals show.
        burst_at = now - dt.timedelta(hours=2)
        for attempt in range(80):
            try:
                vote_cast(
                    campaign=campaign,
                    media_key=entries[-1].key,
                    browser_id=f"bot-{attempt}",
                    ip_address="192.0.2.66",
                    now=burst_at,
                )
                votes += 1
            except VoteRefused:
                pass
        self.stdout.write(f"Campaigns: contest open with {len(entries)} photos and {votes} votes")
