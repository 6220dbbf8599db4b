"""Demo-like data in the tenancy cast's workspace A1 and every main page of Over-Graph, for the walks
that visit them all: tests/browser/test_walk.py (axe, phone width, touch targets, screenshots) and
tests/test_i18n_walk.py (French and English complete, per-locale numbers and dates).

Everything is made with the apps' own test helpers (no network): two accounts with thirty days of
history, an inbox thread, a listening watch with hits and a resident to welcome, a UGC campaign with
an open contest and a photo of the day, a built report, and a notification."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from analytics.tests.test_views import make_daily, make_post
from campaigns.services.picks import daily_pick_create
from campaigns.tests.factories import granted, make_campaign
from inbox.tests.conftest import make_thread
from listening.models import WelcomeItem
from listening.tests.factories import make_hit, make_watch
from networks.tests.factories import make_account

PERIOD = "?period=custom&start=2026-10-09&end=2026-11-07"


@dataclass
class Walk:
    pages: dict[str, str]  # name -> URL (relative)
    public: set[str]  # the names of pages seen without logging in


def walk_data(tenancy, *, with_report: bool = True) -> Walk:
    org, a1 = tenancy.org_a, tenancy.a1
    x = make_account(a1, network="x", external_id="100", name="Ville de Boulogne", handle="boulogne")
    fb = make_account(a1, network="facebook", external_id="200", name="Boulogne-Billancourt", handle="bb")
    start = dt.date(2026, 10, 9)
    first_post = None
    for n in range(30):
        day = start + dt.timedelta(days=n)
        make_daily(x, day, followers=21_000 + 15 * n, views=4_000 + 90 * (n % 9))
        make_daily(fb, day, followers=31_000 + 22 * n, follows=30 + n % 5, unfollows=8, views=9_000, reach=6_500)
        published = dt.datetime.combine(day, dt.time(8 + n % 11), tzinfo=dt.UTC)
        post = make_post(
            x,
            f"x{n}",
            published,
            likes=1_200 + n,
            comments=n % 4,
            shares=3 + n % 5,
            views=12_000 + 37 * n,
            hashtags=["Boulogne"],
            text=f"Le point travaux n°{n} #Boulogne",
            content_type=("photo", "text", "video")[n % 3],
        )
        first_post = first_post or post
        make_post(fb, f"fb{n}", published, likes=80 + n, comments=5, shares=4, views=5_000, reach=3_800, clicks=30)

    now = timezone.now()
    thread = make_thread(a1, fb, key="walk-1", inbound=[now - dt.timedelta(hours=3)])

    watch = make_watch(a1, name="Nouveaux habitants", rule="#Boulogne", networks=["x"])
    hits = [make_hit(a1, f"h{n}", published_at=now - dt.timedelta(hours=n + 1)) for n in range(3)]
    with scope(organization=org):
        WelcomeItem.objects.create(
            organization=org, watch=watch, hit=hits[0], how=WelcomeItem.How.REPLY, suggested_reply="Bienvenue !"
        )

    campaign = make_campaign(
        a1,
        name="InstaBoulogne",
        contest_opens_at=now - dt.timedelta(days=1),
        contest_closes_at=now + dt.timedelta(days=7),
    )
    photo = granted(campaign, author="marie.b92", in_contest=True, likes=50)
    granted(campaign, author="paul_photo", in_contest=True)
    with scope(organization=org):
        daily_pick_create(campaign=campaign, media=photo, day=timezone.localdate(), user=tenancy.alice)

    o, w = {"org": org.slug}, {"org": org.slug, "workspace_id": a1.pk}
    c = {**o, "campaign_id": campaign.pk}
    pages = {
        "organization-home": reverse("organization_home", kwargs=o),
        "workspace": reverse("workspace_home", kwargs=w),
        "dashboard": reverse("analytics_dashboard", kwargs=w) + PERIOD,
        "account": reverse("analytics_account", kwargs={**o, "account_id": x.pk}) + PERIOD,
        "post": reverse("analytics_post", kwargs={**o, "post_id": first_post.pk}),
        "agency-overview": reverse("analytics_agency_overview", kwargs=o),
        "glossary": reverse("glossary"),
        "themes": reverse("analytics_themes", kwargs=o),
        "inbox": reverse("inbox_threads", kwargs=w),
        "inbox-thread": reverse("inbox_thread", kwargs={**o, "thread_id": thread.pk}),
        "listening": reverse("listening_dashboard", kwargs=w),
        "listening-watch": reverse("listening_watch", kwargs={**o, "watch_id": watch.pk}),
        "listening-welcome": reverse("listening_welcome", kwargs=o),
        "campaigns": reverse("campaign_list", kwargs=o),
        "campaign-gallery": reverse("campaign_gallery", kwargs=c),
        "campaign-picks": reverse("campaign_picks", kwargs=c),
        "contest": reverse("contest_vote_page", kwargs={"key": campaign.public_key}),
        "reports": reverse("reports_home", kwargs=w),
        "notifications": reverse("notification_list", kwargs=o),
        "members": reverse("member_list", kwargs=o),
        "settings": reverse("organization_settings", kwargs=o),
        "privacy": reverse("privacy", kwargs=o),
        "profile": reverse("profile"),
        "api-tokens": reverse("api_tokens"),
        "sync-history": reverse("networks_sync_history", kwargs={**o, "account_id": x.pk}),
    }
    if with_report:
        pages["report"] = reverse("reports_detail", kwargs={**w, "report_id": _report(tenancy).pk})
    return Walk(pages=pages, public={"glossary", "contest"})


def _report(tenancy):
    from analytics.queries.params import Period
    from reports.sections import default_section_keys
    from reports.services.build import report_build, report_create

    with scope(organization=tenancy.org_a):
        report = report_create(
            organization=tenancy.org_a,
            workspace=tenancy.a1,
            actor=tenancy.alice,
            period=Period(dt.date(2026, 10, 9), dt.date(2026, 11, 7)),
            sections=default_section_keys(),
            comparison="previous",
            # The document speaks its own language whatever the reader's: French, the product's first.
            language="fr",
            queue=False,
        )
    report_build(report_id=report.pk)
    return report
