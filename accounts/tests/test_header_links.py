"""The header's links, reversed once per organisation (accounts/context_processors.py)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_links_the_organisation_s_pages_in_the_header(tenancy, login):
    html = login(tenancy.alice).get(reverse("organization_home", kwargs={"org": tenancy.org_a.slug})).content.decode()
    for name in ("inbox_home", "member_list", "audit_log", "notification_list", "organization_home"):
        assert f'href="{reverse(name, kwargs={"org": tenancy.org_a.slug})}"' in html
    for name in ("profile", "organization_create", "home", "glossary"):
        assert f'href="{reverse(name)}"' in html
    other = login(tenancy.charlie).get(reverse("organization_home", kwargs={"org": tenancy.org_b.slug}))
    assert reverse("inbox_home", kwargs={"org": tenancy.org_b.slug}) in other.content.decode()
    assert reverse("inbox_home", kwargs={"org": tenancy.org_a.slug}) not in other.content.decode()


def test_it_links_login_and_signup_for_visitors(db):
    html = Client().get(reverse("account_login")).content.decode()
    assert f'href="{reverse("account_signup")}"' in html
    assert f'action="{reverse("language_switch")}"' in html
