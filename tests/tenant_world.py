"""A tenant world for the cross-app tests: one object of every kind a URL can address, in
workspace A1, in A2 and in organisation B (the tenancy cast of conftest.py). Used by the tenancy
attack suite and the deletion tests; a new kind of object gets its recipe here."""

from django_scopes import scopes_disabled

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
    from listening.tests.factories import make_queue_objects

    for key, workspace in _workspaces(tenancy):
        watch, hit, item = make_queue_objects(workspace, f"attack-{key}")
        made[key].update(watch_id=watch.pk, hit_id=hit.pk, item_id=item.pk)


def _campaigns(tenancy, made):
    from campaigns.tests.factories import make_contest_objects

    for key, workspace in _workspaces(tenancy):
        campaign, media, pick = make_contest_objects(workspace, key)
        made[key].update(campaign_id=campaign.pk, media_id=media.pk, pick_id=pick.pk)


def _reports(tenancy, made):
    from reports.tests.factories import make_report_objects

    for key, workspace in _workspaces(tenancy):
        made[key].update({name: pk for name, pk in make_report_objects(workspace).items() if name != "workspace_id"})


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
