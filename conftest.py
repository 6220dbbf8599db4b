"""Shared test fixtures: the tenancy cast of STYLE.md.

* alice — owner of organisation A (an agency with workspaces A1 and A2)
* bob — analyst (read-only) of A
* charlie — owner of organisation B
* dana — client of A, granted only workspace A1

Use ``tenancy`` to get them all at once, and ``login(user)`` for a logged-in test client.
"""

import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import translation
from django_scopes import scope, scopes_disabled

from accounts.models import Membership, Organization, Role, User, Workspace, WorkspaceGrant

PASSWORD = "correct horse battery staple"  # noqa: S105 (the test users' password)


def make_user(email: str, **extra) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, **extra)


def make_organization(name: str, owner: User, kind: str = Organization.Kind.AGENCY, **extra) -> Organization:
    slug = extra.pop("slug", name.lower().replace(" ", "-"))
    organization = Organization.objects.create(name=name, slug=slug, kind=kind, **extra)
    with scope(organization=organization):
        Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    return organization


def add_member(organization: Organization, user: User, role: str, workspaces=()) -> Membership:
    with scope(organization=organization):
        membership = Membership.objects.create(organization=organization, user=user, role=role)
        for workspace in workspaces:
            WorkspaceGrant.objects.create(organization=organization, membership=membership, workspace=workspace)
    return membership


@dataclass
class Tenancy:
    alice: User
    bob: User
    charlie: User
    dana: User
    org_a: Organization
    org_b: Organization
    a1: Workspace
    a2: Workspace
    b1: Workspace


def pytest_configure(config):
    # Throttling counters (login, MFA codes) live in the cache and are keyed by user id. A Redis
    # cache outlives the test database, so a run would inherit the counters of an earlier run's
    # user with the same id: give every run its own key space. Caches are built lazily from this
    # dict, so changing it here, before any test touches the cache, is enough.
    from django.conf import settings

    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The production hasher (PBKDF2, a million rounds) costs ~0.4 s per user created or logged in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # A request through LocaleMiddleware leaves its language active in the thread: without this, a
    # test's messages were French or English depending on which test ran before it.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_facts_cache(settings):
    # Factories write facts without the services that change the facts version: tests read
    # statistics uncached unless they test the cache itself (analytics/tests/test_factcache.py).
    settings.FACTS_CACHE_SECONDS = 0


@pytest.fixture
def tenancy(db) -> Tenancy:
    with scopes_disabled():
        alice, bob, charlie, dana = (
            make_user(f"{n}@example.com", full_name=n.title()) for n in ("alice", "bob", "charlie", "dana")
        )
        org_a = make_organization("Org A", alice, language="en")
        org_b = make_organization("Org B", charlie, language="en")
        a1 = Workspace.objects.create(organization=org_a, name="A1")
        a2 = Workspace.objects.create(organization=org_a, name="A2")
        b1 = Workspace.objects.create(organization=org_b, name="B1")
        add_member(org_a, bob, Role.ANALYST)
        add_member(org_a, dana, Role.CLIENT, workspaces=[a1])
    return Tenancy(alice, bob, charlie, dana, org_a, org_b, a1, a2, b1)


@pytest.fixture
def login(db):
    """``login(user)`` returns a Django test client logged in as ``user``, in English."""

    def _login(user: User) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        client.cookies["og_language"] = "en"
        return client

    return _login


@pytest.fixture
def celery_eager(settings):
    """Run Celery tasks inline for one test (never globally: STYLE.md rule 17)."""
    from overgraph.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


pytest_plugins = ["networks.simulator.testing"]  # the network simulator fixtures (simulator, sim, simulated_networks)
