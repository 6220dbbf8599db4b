"""Helper of bench/lighthouse.sh: migrates the SQLite database named by SQLITE_PATH, fills it with
the browser walk's demo-like data (tests/walk.py: two accounts with thirty days of history, an inbox
thread, listening, a campaign) for the tenancy cast's Org A, and prints one JSON line: the session
cookie of its owner and the pages Lighthouse reads (dashboard, account page, inbox)."""

import io
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgraph.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from accounts.models import Role, Workspace  # noqa: E402
from conftest import Tenancy, add_member, make_organization, make_user  # noqa: E402
from tests.walk import walk_data  # noqa: E402

PAGES = ("dashboard", "account", "inbox")


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
    call_command("createcachetable", verbosity=0)
    with scopes_disabled():
        alice, bob, charlie, dana = (
            make_user(f"{n}@example.com", full_name=n.title()) for n in ("alice", "bob", "charlie", "dana")
        )
        org_a = make_organization("Ville de Boulogne-Billancourt", alice, language="fr")
        org_b = make_organization("Org B", charlie, language="en")
        a1 = Workspace.objects.create(organization=org_a, name="Communication")
        a2 = Workspace.objects.create(organization=org_a, name="Culture")
        b1 = Workspace.objects.create(organization=org_b, name="B1")
        add_member(org_a, bob, Role.ANALYST)
        add_member(org_a, dana, Role.CLIENT, workspaces=[a1])
    tenancy = Tenancy(alice, bob, charlie, dana, org_a, org_b, a1, a2, b1)
    walk = walk_data(tenancy, with_report=False)
    client = Client()
    client.force_login(alice)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    json.dump(
        {"cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "pages": {p: walk.pages[p] for p in PAGES}},
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
