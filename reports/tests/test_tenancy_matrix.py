"""The tenancy matrix (STYLE.md rule 8) for every reports page, download and share action:
charlie (owner of B) gets 404, bob (analyst) and dana (client granted A1) read and build reports
but get 403 on templates, schedules, share links and branding (and nothing changes), dana gets 404
on A2's reports, exports and templates exactly as on missing ones. ``ROUTES`` joins the walker of
accounts/tests/test_tenancy_matrix.py. Share links themselves (no account) are tested in
test_shares.py."""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Capability
from reports.models import Branding, DataExport, Report, ReportSchedule, ReportShare, ReportTemplate
from reports.tests.factories import make_report_objects

READ, OPERATE, MANAGE, ADMINISTER = (
    Capability.READ,
    Capability.OPERATE,
    Capability.MANAGE_WORKSPACES,
    Capability.ADMINISTER,
)
ORG, WORKSPACE, REPORT, TEMPLATE, SCHEDULE, EXPORT, SHARE = (
    "org",
    "workspace",
    "report",
    "template",
    "schedule",
    "export",
    "share",
)
KWARGS = {
    WORKSPACE: ("workspace_id",),
    REPORT: ("workspace_id", "report_id"),
    TEMPLATE: ("workspace_id", "template_id"),
    SCHEDULE: ("workspace_id", "schedule_id"),
    EXPORT: ("workspace_id", "export_id"),
    SHARE: ("workspace_id", "report_id", "share_id"),
}
MISSING = 987_654


@dataclass(frozen=True)
class Route:
    name: str
    target: str
    needs: dict[str, Capability]
    payload: dict = field(default_factory=dict)  # method → callable(ids) → form data

    def __str__(self) -> str:
        return self.name


def _schedule_form(ids):
    return {
        "template": ids["template_id"],
        "frequency": "monthly",
        "weekday": "0",
        "day_of_month": "31",
        "hour": "9",
        "time_zone": "Europe/London",
        "external_emails": "someone@example.org",
        "active": "on",
    }


ROUTES = [
    Route("reports_home", WORKSPACE, {"GET": READ}),
    Route(
        "reports_build",
        WORKSPACE,
        {"POST": READ},
        {"POST": lambda ids: {"period": "7d", "sections": ["summary"], "comparison": "none", "language": "en"}},
    ),
    Route("reports_detail", REPORT, {"GET": READ}),
    Route("reports_pdf", REPORT, {"GET": READ}),
    Route("reports_share_create", REPORT, {"POST": OPERATE}, {"POST": lambda ids: {"days": "3"}}),
    Route("reports_share_revoke", SHARE, {"POST": OPERATE}),
    Route(
        "reports_template_create",
        WORKSPACE,
        {"GET": OPERATE, "POST": OPERATE},
        {
            "POST": lambda ids: {
                "name": "New",
                "period": "7d",
                "sections": ["summary"],
                "comparison": "none",
                "language": "en",
            }
        },
    ),
    Route(
        "reports_template_edit",
        TEMPLATE,
        {"GET": OPERATE, "POST": OPERATE},
        {
            "POST": lambda ids: {
                "name": "Renamed",
                "period": "90d",
                "sections": ["summary", "definitions"],
                "comparison": "previous",
                "language": "fr",
            }
        },
    ),
    Route("reports_template_delete", TEMPLATE, {"POST": OPERATE}),
    Route("reports_schedule_create", WORKSPACE, {"GET": OPERATE, "POST": OPERATE}, {"POST": _schedule_form}),
    Route("reports_schedule_edit", SCHEDULE, {"GET": OPERATE, "POST": OPERATE}, {"POST": _schedule_form}),
    Route("reports_schedule_delete", SCHEDULE, {"POST": OPERATE}),
    Route("reports_export_create", WORKSPACE, {"POST": READ}),
    Route("reports_export_download", EXPORT, {"GET": READ}),
    Route(
        "reports_branding_workspace",
        WORKSPACE,
        {"GET": MANAGE, "POST": MANAGE},
        {"POST": lambda ids: {"name": "Client", "primary_color": "#112233", "accent_color": "#445566"}},
    ),
    Route(
        "reports_branding_organization",
        ORG,
        {"GET": ADMINISTER, "POST": ADMINISTER},
        {"POST": lambda ids: {"name": "Agency", "primary_color": "#112233", "accent_color": ""}},
    ),
]


@pytest.fixture
def ids(tenancy, settings, tmp_path) -> dict[str, dict[str, int]]:
    settings.MEDIA_ROOT = tmp_path
    return {
        "a1": make_report_objects(tenancy.a1),
        "a2": make_report_objects(tenancy.a2),
        "b": make_report_objects(tenancy.b1),
    }


def address(route: Route, org_slug: str, objects: dict[str, int], **override) -> str:
    kwargs = {"org": org_slug}
    for name in KWARGS.get(route.target, ()):
        kwargs[name] = override.get(name, objects[name])
    return reverse(route.name, kwargs=kwargs)


def call(client, route: Route, method: str, url: str, objects: dict):
    make = route.payload.get(method)
    data = make(objects) if make else {}
    if method == "GET":
        return client.get(url)
    return client.post(url, data)


def tenant_state() -> tuple:
    with scopes_disabled():
        return (
            sorted(ReportTemplate.objects.values_list("pk", "name", "period")),
            sorted(ReportSchedule.objects.values_list("pk", "frequency", "hour")),
            sorted(ReportShare.objects.values_list("pk", "revoked_at")),
            sorted(Branding.objects.values_list("pk", "name")),
            Report.objects.count(),
            DataExport.objects.count(),
        )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_checks_ownership(route, tenancy, login, ids):
    charlie = login(tenancy.charlie)
    for method in ("GET", "POST"):
        response = call(charlie, route, method, address(route, tenancy.org_a.slug, ids["a1"]), ids["a1"])
        assert response.status_code == 404, f"charlie {method} {route} on A: {response.status_code}"
        if route.target != ORG and method in route.needs:
            # charlie's own organisation in the address, A's objects: 404 too.
            response = call(charlie, route, method, address(route, tenancy.org_b.slug, ids["a1"]), ids["b"])
            assert response.status_code == 404, f"charlie {method} {route} with A's objects"
    alice = login(tenancy.alice)
    for method in route.needs:
        response = call(alice, route, method, address(route, tenancy.org_b.slug, ids["b"]), ids["b"])
        assert response.status_code == 404, f"alice {method} {route} on B"
        if route.target not in (ORG, WORKSPACE):
            # A1's address with another workspace's object, and a missing object: 404.
            object_kwarg = KWARGS[route.target][-1]
            for other in (ids["a2"][object_kwarg], MISSING):
                url = address(route, tenancy.org_a.slug, ids["a1"], **{object_kwarg: other})
                assert call(alice, route, method, url, ids["a1"]).status_code == 404, f"alice {method} {route} {other}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_lets_the_owner_in(route, tenancy, login, ids):
    alice = login(tenancy.alice)
    for method in route.needs:
        response = call(alice, route, method, address(route, tenancy.org_a.slug, ids["a1"]), ids["a1"])
        assert response.status_code < 400, f"alice {method} {route}: {response.status_code}"


@pytest.mark.parametrize("route", [r for r in ROUTES if any(c != READ for c in r.needs.values())], ids=str)
def test_it_requires_write_access(route, tenancy, login, ids):
    before = tenant_state()
    for user in (tenancy.bob, tenancy.dana):
        client = login(user)
        for method, capability in route.needs.items():
            if capability == READ:
                continue
            response = call(client, route, method, address(route, tenancy.org_a.slug, ids["a1"]), ids["a1"])
            assert response.status_code == 403, f"{user} {method} {route}: {response.status_code}"
    assert tenant_state() == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.target != ORG], ids=str)
def test_it_hides_other_clients(route, tenancy, login, ids):
    dana = login(tenancy.dana)
    for method, capability in route.needs.items():
        not_granted = call(dana, route, method, address(route, tenancy.org_a.slug, ids["a2"]), ids["a2"])
        missing_ws = call(
            dana, route, method, address(route, tenancy.org_a.slug, ids["a2"], workspace_id=MISSING), ids["a2"]
        )
        assert not_granted.status_code == missing_ws.status_code == 404, f"dana {method} {route}"
        granted = call(dana, route, method, address(route, tenancy.org_a.slug, ids["a1"]), ids["a1"])
        if capability == READ:
            assert granted.status_code < 400, f"dana {method} {route}: {granted.status_code}"
        else:
            assert granted.status_code == 403, f"dana {method} {route}: {granted.status_code}"


def test_it_lists_only_the_workspaces_own_objects(tenancy, login, ids):
    page = login(tenancy.dana).get(
        reverse("reports_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    )
    text = page.content.decode()
    assert "Report A1" in text and "Report A2" not in text and "T A2" not in text
