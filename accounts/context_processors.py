"""Template context every page needs: the header's links, the organisation switcher and the
notification bell."""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.selectors import memberships_of, unread_notification_count

SITE_LINKS = (
    "home",
    "service_worker",
    "organization_create",
    "profile",
    "account_logout",
    "account_login",
    "account_signup",
    "language_switch",
    "glossary",
    "api_docs",
)
ORGANIZATION_LINKS = (
    "organization_home",
    "inbox_home",
    "listening_home",
    "campaign_list",
    "member_list",
    "organization_settings",
    "audit_log",
    "privacy",
    "notification_list",
)


@functools.lru_cache(maxsize=4096)
def _links(organization_slug: str | None, urlconf, prefix: str) -> dict[str, str]:
    links = {name: reverse(name) for name in SITE_LINKS}
    if organization_slug is not None:
        links.update({name: reverse(name, kwargs={"org": organization_slug}) for name in ORGANIZATION_LINKS})
    return links


def header_links(organization_slug: str | None) -> dict[str, str]:
    """The header's addresses, reversed once per organisation and process: Django's ``reverse``
    costs ~0.05-0.1 ms a call, and every page's header has seventeen (docs/performance.md
    "Load"). Keyed by the URLconf and script prefix in force, which is all they depend on."""
    return _links(organization_slug, get_urlconf(), get_script_prefix())


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    organization = getattr(request, "organization", None)
    links = {"nav_urls": header_links(organization.slug if organization is not None else None)}
    if user is None or not user.is_authenticated:
        return links
    current = getattr(request, "membership", None)
    # Lazy (pages without a header never query) and cached (the header shows the unread count
    # twice, in the menu and on the bell: one query, not two).
    memberships = getattr(request, "nav_memberships", None)  # read by accounts.access.org_view
    context = {
        **links,
        "nav_memberships": memberships if memberships is not None else functools.cache(lambda: memberships_of(user)),
    }
    if current is not None:
        # Read with the memberships (``memberships_of``) when the page's membership came from them.
        unread = getattr(current, "unread_count", None)
        context["nav_unread"] = (
            functools.cache(lambda: unread_notification_count(user, current.organization)) if unread is None else unread
        )
    return context
