"""The one door into an organisation's pages: resolve the organisation from the URL once, check
membership and rights, enforce the MFA rule, and run the view inside the tenant scope.

Non-members get 404 (never 403: that would reveal the organisation exists); members whose role
lacks the capability get 403.
"""

import functools
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Membership, Organization, Role
from accounts.roles import Capability, role_can
from accounts.selectors import membership_among, memberships_of, workspace_for_member
from accounts.services.organizations import user_remember_organization


def mfa_missing(membership: Membership) -> bool:
    """True when the organisation requires MFA for this member's role and they have none yet."""
    organization = membership.organization
    if not organization.require_mfa or membership.role not in (Role.OWNER, Role.ADMIN):
        return False
    return not Authenticator.objects.filter(user=membership.user, type=Authenticator.Type.TOTP).exists()


def chosen_with_cookie(request: HttpRequest) -> bool:
    # Only a language we speak counts: an emptied or foreign cookie is no choice.
    return request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in dict(settings.LANGUAGES)


def activate_organization_language(request: HttpRequest, organization: Organization) -> None:
    """On an organisation's pages, a person who chose no language (neither on their profile nor with
    the switcher's cookie) reads that organisation's language, not their previous organisation's."""
    if request.user.language or chosen_with_cookie(request):
        return
    translation.activate(organization.language)
    request.LANGUAGE_CODE = organization.language


def org_view(capability: Capability = Capability.READ, *, write_methods_need: Capability | None = None) -> Callable:
    """Decorate a view taking ``org`` (the organisation's slug) as its first URL argument.

    ``capability`` is needed for any method; ``write_methods_need`` is additionally needed for
    POST/PUT/PATCH/DELETE, for pages that read for everyone but write for some.

    Put it above ``require_POST`` / ``require_safe``: an outsider then gets the same 404 whatever
    the method, instead of a 405 that answers before the organisation is checked.
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, org: str, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # One statement for the page's membership and the header's organisation switcher.
            memberships = memberships_of(request.user)
            membership = membership_among(memberships, org)
            membership.user = request.user
            request.nav_memberships = memberships
            activate_organization_language(request, membership.organization)
            if mfa_missing(membership):
                messages.warning(
                    request,
                    _("%(organization)s requires two-factor authentication for owners and admins: set it up.")
                    % {"organization": membership.organization.name},
                )
                return redirect("mfa_activate_totp")
            needed = capability
            if request.method not in ("GET", "HEAD", "OPTIONS") and write_methods_need is not None:
                needed = write_methods_need
            if not (role_can(membership.role, needed) and role_can(membership.role, capability)):
                # A workspace the member cannot see is missing to them, whatever the verb: a 403
                # would still say "it exists". Only a visible one answers 403.
                if "workspace_id" in kwargs:
                    with scope(organization=membership.organization):
                        workspace_for_member(membership, kwargs["workspace_id"])
                raise PermissionDenied(_("Your role does not allow this."))
            request.membership = membership
            request.organization = membership.organization
            user_remember_organization(user=request.user, organization=membership.organization)
            with scope(organization=membership.organization):
                return view(request, *args, **kwargs)

        return wrapper

    return decorator
