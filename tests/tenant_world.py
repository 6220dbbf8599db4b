"""A tenant world for the cross-app tests: one object of every kind a URL can address, in
workspace A1, in A2 and in organisation B (the tenancy cast of conftest.py). Used by the tenancy
attack suite and the deletion tests; a new kind of object gets its recipe here."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Membership
from accounts.tests.factories import make_invitation


def _analytics(tenancy, made):
    from analytics.tests.matrix import matrix_objects

    for key, ids in matrix_objects(tenancy).items():
        made[key].update(
            account_id=ids["account"], post_id=ids["post"], theme_id=ids["theme"], workspace_id=ids["workspace"]
        )


def _accounts(tenancy, made):
    with scopes_disabled():
        a_member = Membership.objects.get(organization=tenancy.org_a, user=tenancy.bob).pk
        b_member = Membership.objects.get(organization=tenancy.org_b, user=tenancy.charlie).pk
    a_invitation = make_invitation(tenancy.org_a, "attack-a@example.com", invited_by=tenancy.alice).pk
    b_invitation = make_invitation(tenancy.org_b, "attack-b@example.com", invited_by=tenancy.charlie).pk
    for key, member, invitation in (("a1", a_member, a_invitation), ("a2", a_member, a_invitation)):
        made[key].update(membership_id=member, invitation_id=invitation)
    made["b"].update(membership_id=b_member, invitation_id=b_invitation)


def _inbox(tenancy, made):
    from inbox.tests.conftest import make_thread, utc
    from networks.tests.factories import make_account

    for key, workspace in _workspaces(tenancy):
        account = make_account(workspace, network="facebook", external_id=f"attack-page-{key}")
        made[key]["thread_id"] = make_thread(workspace, account, key=f"attack-{key}", inbound=[utc(2026, 11, 30, 9)]).pk


def _listening(tenancy, made):
    from listening.models import WatchMatch, WelcomeItem
    from listening.tests.factories import make_hit, make_watch

    for key, workspace in _workspaces(tenancy):
        watch = make_watch(workspace, "#Boulogne", networks=["x"], welcome=True)
        hit = make_hit(workspace, f"attack-ig-{key}", network="instagram")
        with scope(organization=workspace.organization):
            WatchMatch.objects.create(
                organization=workspace.organization, watch=watch, hit=hit, published_at=hit.published_at
            )
            item = WelcomeItem.objects.create(
                organization=workspace.organization, watch=watch, hit=hit, how=WelcomeItem.How.MANUAL
            )
        made[key].update(watch_id=watch.pk, hit_id=hit.pk, item_id=item.pk)


def _campaigns(tenancy, made):
    from campaigns.models import DailyPick
    from campaigns.tests.factories import granted, make_campaign

    for key, workspace in _workspaces(tenancy):
        campaign = make_campaign(workspace, contest_closes_at=timezone.now() + dt.timedelta(days=3))
        media = granted(campaign, author=f"author-{key}", in_contest=True, for_exhibition=True)
        other = granted(campaign, author=f"other-{key}")
        with scope(organization=workspace.organization):
            pick = DailyPick.objects.create(
                organization=workspace.organization,
                campaign=campaign,
                media=other,
                day=dt.date(2026, 12, 1),
                credit="x",
            )
        made[key].update(campaign_id=campaign.pk, media_id=media.pk, pick_id=pick.pk)


def _reports(tenancy, made):
    from reports.models import DataExport, Report, ReportSchedule, ReportShare, ReportTemplate

    for key, workspace in _workspaces(tenancy):
        organization = workspace.organization
        with scope(organization=organization):
            report = Report.objects.create(
                organization=organization,
                workspace=workspace,
                title="Attack",
                period_start=dt.date(2026, 11, 1),
                period_end=dt.date(2026, 11, 10),
                status=Report.Status.DONE,
                html="<article></article>",
                pdf_pages=1,
            )
            report.pdf.save(f"attack{report.pk}.pdf", ContentFile(b"%PDF-1.7"), save=True)
            template = ReportTemplate.objects.create(
                organization=organization, workspace=workspace, name=f"Attack {key}", sections=["summary"]
            )
            schedule = ReportSchedule.objects.create(
                organization=organization,
                workspace=workspace,
                template=template,
                external_emails=["x@example.org"],
                next_run_at=timezone.now() + dt.timedelta(days=1),
            )
            export = DataExport.objects.create(
                organization=organization,
                workspace=workspace,
                status=DataExport.Status.DONE,
                expires_at=timezone.now() + dt.timedelta(hours=1),
            )
            export.file.save(f"attack{export.pk}.zip", ContentFile(b"PK"), save=True)
            share = ReportShare.objects.create(
                organization=organization, report=report, expires_at=timezone.now() + dt.timedelta(days=1)
            )
        made[key].update(
            report_id=report.pk,
            template_id=template.pk,
            schedule_id=schedule.pk,
            export_id=export.pk,
            share_id=share.pk,
        )


def _workspaces(tenancy):
    return (("a1", tenancy.a1), ("a2", tenancy.a2), ("b", tenancy.b1))


BUILDERS = (_analytics, _accounts, _inbox, _listening, _campaigns, _reports)
# Which argument each builder fills: a route with any other argument fails test_it_knows_every_route.
RECIPES = {
    "org",
    "workspace_id",
    "account_id",
    "post_id",
    "theme_id",
    "membership_id",
    "invitation_id",
    "thread_id",
    "watch_id",
    "hit_id",
    "item_id",
    "campaign_id",
    "media_id",
    "pick_id",
    "report_id",
    "template_id",
    "schedule_id",
    "export_id",
    "share_id",
}


def build_world(tenancy) -> dict[str, dict[str, int]]:
    made = {key: {} for key, _ in _workspaces(tenancy)}
    for build in BUILDERS:
        build(tenancy, made)
    return made
