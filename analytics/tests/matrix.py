"""What the analytics tenancy matrices (API and pages) share: the objects each route addresses, in
workspace A1, in A2 and in organisation B, and how a route's address is built from them."""

from django.urls import reverse
from django_scopes import scope

from analytics.models import Theme
from analytics.tests.factories import make_account
from analytics.tests.query_fixtures import at, make_post

ORG, WORKSPACE, ACCOUNT, POST, THEME = "org", "workspace", "account", "post", "theme"
KWARG = {WORKSPACE: "workspace_id", ACCOUNT: "account_id", POST: "post_id", THEME: "theme_id"}


def matrix_objects(tenancy) -> dict[str, dict[str, int]]:
    """An account, a post and a theme in A1, in A2 and in B (the ``objects`` fixture)."""
    made = {}
    for key, workspace in (("a1", tenancy.a1), ("a2", tenancy.a2), ("b", tenancy.b1)):
        account = make_account(workspace, external_id=f"m{key}")
        post = make_post(account, f"p{key}", at(3), likes=1)
        with scope(organization=workspace.organization):
            theme = Theme.objects.create(organization=workspace.organization, workspace=workspace, name=f"T{key}")
        made[key] = {WORKSPACE: workspace.pk, ACCOUNT: account.pk, POST: post.pk, THEME: theme.pk}
    return made


def address(route, org_slug: str, ids: dict) -> str:
    kwargs = {"org": org_slug}
    if route.target != ORG:
        kwargs[KWARG[route.target]] = ids[route.target]
    return reverse(route.name, kwargs=kwargs)
