"""The reports page reads a constant number of queries however many reports, templates,
schedules, deliveries and exports the workspace has."""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from reports.models import DataExport, Report, ReportDelivery, ReportSchedule, ReportTemplate


def add_objects(tenancy, n: int) -> None:
    org, ws = tenancy.org_a, tenancy.a1
    with scope(organization=org):
        for i in range(n):
            Report.objects.create(
                organization=org,
                workspace=ws,
                title=f"R{i}",
                period_start=dt.date(2026, 11, 1),
                period_end=dt.date(2026, 11, 7),
                created_by=tenancy.alice,
            )
            template = ReportTemplate.objects.create(organization=org, workspace=ws, name=f"T{i}", sections=["summary"])
            schedule = ReportSchedule.objects.create(
                organization=org,
                workspace=ws,
                template=template,
                external_emails=["a@example.org"],
                next_run_at=timezone.now(),
            )
            schedule.member_recipients.set([tenancy.alice, tenancy.bob])
            ReportDelivery.objects.create(organization=org, schedule=schedule, due_at=timezone.now())
            DataExport.objects.create(organization=org, workspace=ws)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_reads_the_reports_page_in_constant_queries(tenancy, login):
    url = reverse("reports_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    alice = login(tenancy.alice)
    add_objects(tenancy, 1)
    count(alice, url)  # the first visit also remembers the organisation as the person's last
    few = count(alice, url)
    add_objects(tenancy, 6)
    assert count(alice, url) == few
    # The page frame's: session (from Redis when it is configured), user, memberships with their unread notifications.
    session_reads = 0 if settings.SESSION_ENGINE == "overgraph.sessions" else 1
    assert few == 9 + session_reads, few
