"""The reports page end to end: build a report from the form (the task runs after commit), follow
its progress, read it; save a template and a schedule with bad and good input."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from reports.models import Report, ReportSchedule, ReportTemplate


@pytest.fixture
def urls(tenancy):
    kwargs = {"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk}
    return {
        "home": reverse("reports_home", kwargs=kwargs),
        "build": reverse("reports_build", kwargs=kwargs),
        "template": reverse("reports_template_create", kwargs=kwargs),
        "schedule": reverse("reports_schedule_create", kwargs=kwargs),
    }


@pytest.fixture
def quick_build(settings, tmp_path, monkeypatch, celery_eager):
    """Tasks inline, files in a temporary folder, charts without a browser."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("REPORTS_CHART_RENDERER", "matplotlib")


@pytest.mark.usefixtures("facts", "quick_build")
def test_it_builds_a_report_from_the_form(tenancy, urls, login, django_capture_on_commit_callbacks):
    dana = login(tenancy.dana)  # a client builds reports of her own workspace
    form = {
        "period": "custom",
        "start": "2026-11-01",
        "end": "2026-11-10",
        "sections": ["summary", "audience"],
        "comparison": "previous",
        "language": "fr",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = dana.post(urls["build"], form)
    assert response.status_code == 302
    with scopes_disabled():
        report = Report.objects.get()
    assert report.status == "done" and report.language == "fr" and report.created_by == tenancy.dana
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == ("2026-11-01", "2026-11-10")
    page = dana.get(response["Location"]).content.decode()
    assert "Synthèse" in page and "3 090" in page.replace("\xa0", " ").replace("\u202f", " ")


def test_it_explains_a_bad_period(tenancy, urls, login):
    response = login(tenancy.bob).post(
        urls["build"],
        {"period": "custom", "start": "2026-11-10", "end": "2026-11-01", "sections": ["summary"], "comparison": "none"}
        | {"language": "en"},
    )
    assert response.status_code == 400
    assert "The period starts after it ends." in response.content.decode()
    with scopes_disabled():
        assert not Report.objects.exists()


def test_it_saves_a_template_then_a_schedule(tenancy, urls, login):
    alice = login(tenancy.alice)
    response = alice.post(
        urls["template"],
        {"name": "Weekly", "period": "7d", "sections": ["summary", "definitions"], "comparison": "none"}
        | {"language": "fr"},
    )
    assert response.status_code == 302
    with scope(organization=tenancy.org_a):
        template = ReportTemplate.objects.get()
    schedule = {
        "template": template.pk,
        "frequency": "weekly",
        "weekday": "0",
        "day_of_month": "1",
        "hour": "8",
        "time_zone": "Europe/Paris",
        "members": [tenancy.dana.pk],
        "active": "on",
    }
    bad = alice.post(urls["schedule"], schedule | {"external_emails": "ok@example.org, nope"})
    assert bad.status_code == 400 and "nope is not a valid email address." in bad.content.decode()
    # charlie is no member of the organisation: not offered as a recipient.
    outsider = alice.post(urls["schedule"], schedule | {"members": [tenancy.charlie.pk]})
    assert outsider.status_code == 400
    good = alice.post(urls["schedule"], schedule | {"external_emails": "elu@example.org"})
    assert good.status_code == 302
    with scope(organization=tenancy.org_a):
        saved = ReportSchedule.objects.get()
        assert list(saved.member_recipients.all()) == [tenancy.dana]
    assert saved.external_emails == ["elu@example.org"] and saved.next_run_at is not None
