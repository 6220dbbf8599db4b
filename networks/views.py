"""Pages: connect X and Facebook/Instagram accounts (OAuth), choose Pages, check, disconnect,
delete.

Tenancy: every page runs under ``org_view``; the object (workspace or account) is resolved for the
member first (404 for another tenant's or a non-granted workspace), then the right to change it is
checked (403 for read-only roles). The OAuth callbacks come back on fixed URLs (the ones registered
with X and Meta): they find their flow in the session by ``state`` — bound to the organisation,
workspace and person that started it — and then run under ``org_view`` for that organisation.
"""

import datetime as dt
import json
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import org_view
from accounts.models import Workspace
from accounts.roles import Capability, role_can
from accounts.selectors import visible_workspaces, workspace_for_member
from networks import selectors
from networks.models import Network
from networks.providers import registry
from networks.providers.errors import ProviderError
from networks.providers.facebook import oauth as fb_oauth
from networks.providers.x import oauth as x_oauth
from networks.services import accounts as account_services
from networks.services import connect as connect_services
from networks.vault import VaultError, decrypt, encrypt

FLOWS_KEY = "networks_oauth_flows"
PENDING_KEY = "networks_facebook_pending"
FLOW_MAX_AGE = 15 * 60  # seconds a person has to finish the consent screens
NETWORK_NAMES = {Network.X: "X", Network.FACEBOOK: "Facebook"}


def _require_manage(request: HttpRequest) -> None:
    if not role_can(request.membership.role, Capability.MANAGE_WORKSPACES):
        raise PermissionDenied(_("Your role does not allow this."))


def _workspace_url(organization_slug: str, workspace_id: int) -> str:
    return reverse("workspace_home", kwargs={"org": organization_slug, "workspace_id": workspace_id})


def _redirect_uri(name: str) -> str:
    # Fixed, absolute and registered with the network: built from SITE_URL, not the Host header.
    return settings.SITE_URL.rstrip("/") + reverse(name)


def _configured(network: str) -> bool:
    credentials = settings.X_CLIENT_ID if network == Network.X else settings.META_APP_ID
    return registry.is_enabled(network) and bool(credentials)


def _start_flow(request: HttpRequest, workspace: Workspace, network: str, **extra) -> str:
    flows = {
        state: flow
        for state, flow in request.session.get(FLOWS_KEY, {}).items()
        if flow.get("started", 0) > time.time() - FLOW_MAX_AGE
    }
    state = secrets.token_urlsafe(32)
    flows[state] = {
        "network": network,
        "org": request.organization.slug,
        "workspace": workspace.pk,
        "user": request.user.pk,
        "started": time.time(),
        **extra,
    }
    request.session[FLOWS_KEY] = flows
    return state


def _pop_flow(request: HttpRequest, network: str) -> dict | None:
    """The flow named by ``state``, once (a replayed callback finds nothing)."""
    flows = request.session.get(FLOWS_KEY, {})
    flow = flows.pop(request.GET.get("state", ""), None)
    request.session[FLOWS_KEY] = flows
    if (
        flow is None
        or flow.get("network") != network
        or flow.get("user") != request.user.pk
        or flow.get("started", 0) <= time.time() - FLOW_MAX_AGE
    ):
        return None
    return flow


@require_POST
@org_view()
def connect_x(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    _require_manage(request)
    if not _configured(Network.X):
        messages.error(request, _("Connecting X accounts is not configured on this server."))
        return redirect(_workspace_url(request.organization.slug, workspace.pk))
    verifier = x_oauth.new_code_verifier()
    state = _start_flow(request, workspace, Network.X, verifier=verifier)
    return redirect(
        x_oauth.authorization_url(state=state, verifier=verifier, redirect_uri=_redirect_uri("networks_x_callback"))
    )


@require_POST
@org_view()
def connect_facebook(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    _require_manage(request)
    if not _configured(Network.FACEBOOK):
        messages.error(request, _("Connecting Facebook and Instagram accounts is not configured on this server."))
        return redirect(_workspace_url(request.organization.slug, workspace.pk))
    state = _start_flow(request, workspace, Network.FACEBOOK)
    return redirect(fb_oauth.dialog_url(state=state, redirect_uri=_redirect_uri("networks_facebook_callback")))


def _callback_message(request: HttpRequest, network: str) -> None:
    """The person declined on the network's screen, or the network sent no code."""
    if request.GET.get("error"):
        messages.warning(
            request,
            _("The connection was cancelled on %(network)s: nothing changed.") % {"network": NETWORK_NAMES[network]},
        )
    else:
        messages.error(
            request, _("%(network)s did not send the expected answer.") % {"network": NETWORK_NAMES[network]}
        )


def _oauth_callback(request: HttpRequest, network: str, finish) -> HttpResponse:
    """Shared start of both OAuth callbacks: find the flow this session started, turn a refusal
    into a message, then let ``finish`` (an ``org_view``) complete it inside the organisation."""
    flow = _pop_flow(request, network)
    if flow is None:
        messages.error(request, _("This connection request expired or was not started here: please try again."))
        return redirect("home")
    if request.GET.get("error") or not request.GET.get("code"):
        _callback_message(request, network)
        return redirect(_workspace_url(flow["org"], flow["workspace"]))
    return finish(request, flow["org"], flow=flow)


@login_required
def x_callback(request: HttpRequest) -> HttpResponse:
    return _oauth_callback(request, Network.X, _x_finish)


@org_view()
def _x_finish(request: HttpRequest, *, flow: dict) -> HttpResponse:
    workspace = workspace_for_member(request.membership, flow["workspace"])
    _require_manage(request)
    try:
        account = connect_services.x_connect_complete(
            organization=request.organization,
            workspace=workspace,
            user=request.user,
            code=request.GET["code"],
            verifier=flow["verifier"],
            redirect_uri=_redirect_uri("networks_x_callback"),
        )
    except ProviderError:
        messages.error(request, _("X could not be reached or refused the connection: please try again."))
    else:
        messages.success(request, _("X account @%(handle)s connected.") % {"handle": account.handle})
    return redirect(_workspace_url(request.organization.slug, workspace.pk))


@login_required
def facebook_callback(request: HttpRequest) -> HttpResponse:
    return _oauth_callback(request, Network.FACEBOOK, _facebook_fetch)


@org_view()
def _facebook_fetch(request: HttpRequest, *, flow: dict) -> HttpResponse:
    workspace = workspace_for_member(request.membership, flow["workspace"])
    _require_manage(request)
    try:
        grant = connect_services.facebook_grant_fetch(
            code=request.GET["code"], redirect_uri=_redirect_uri("networks_facebook_callback")
        )
    except ProviderError:
        messages.error(request, _("Facebook could not be reached or refused the connection: please try again."))
        return redirect(_workspace_url(request.organization.slug, workspace.pk))
    if not grant.pages:
        messages.warning(request, _("This Facebook account manages no Page you gave access to: nothing to connect."))
        return redirect(_workspace_url(request.organization.slug, workspace.pk))
    # Kept in the session until the person chooses, encrypted like every token at rest.
    pending = {
        "org": request.organization.slug,
        "workspace": workspace.pk,
        "user": request.user.pk,
        "user_token": grant.user_token.access_token,
        "user_token_expires_at": grant.user_token.expires_at.isoformat() if grant.user_token.expires_at else None,
        "facebook_user_id": grant.user_id,
        "pages": [
            {
                "id": p.id,
                "name": p.name,
                "access_token": p.access_token,
                "category": p.category,
                "instagram_id": p.instagram_id,
                "instagram_username": p.instagram_username,
            }
            for p in grant.pages
        ],
    }
    request.session[PENDING_KEY] = encrypt(json.dumps(pending)).decode()
    return redirect("networks_facebook_choose", org=request.organization.slug)


def _pending_grant(request: HttpRequest) -> tuple[dict, connect_services.FacebookGrant] | None:
    raw = request.session.get(PENDING_KEY)
    if not raw:
        return None
    try:
        pending = json.loads(decrypt(raw.encode()))
    except (VaultError, ValueError):
        return None
    if pending.get("org") != request.organization.slug or pending.get("user") != request.user.pk:
        return None
    expires = pending.get("user_token_expires_at")
    grant = connect_services.FacebookGrant(
        user_token=fb_oauth.UserToken(
            access_token=pending["user_token"], expires_at=dt.datetime.fromisoformat(expires) if expires else None
        ),
        pages=[fb_oauth.ManagedPage(**page) for page in pending["pages"]],
        user_id=pending.get("facebook_user_id", ""),
    )
    return pending, grant


@org_view()
def facebook_choose(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    found = _pending_grant(request)
    if found is None:
        messages.error(request, _("No Facebook connection is waiting for a choice: start again from a workspace."))
        return redirect("organization_home", org=request.organization.slug)
    pending, grant = found
    workspaces = {w.pk: w for w in visible_workspaces(request.membership)}
    default = pending["workspace"] if pending["workspace"] in workspaces else None
    if request.method == "POST":
        pages, instagrams, error = {}, {}, False
        for page in grant.pages:
            for prefix, target in (("page", pages), ("ig", instagrams)):
                value = request.POST.get(f"{prefix}_{page.id}", "")
                if not value:
                    continue
                if not value.isdigit() or int(value) not in workspaces:
                    error = True
                    continue
                target[page.id] = workspaces[int(value)]
        if error:
            messages.error(request, _("Choose workspaces from the list."))
        elif not pages and not instagrams:
            messages.error(request, _("Choose at least one Page or Instagram account to connect."))
        else:
            connected = connect_services.facebook_pages_connect(
                organization=request.organization,
                user=request.user,
                grant=grant,
                page_workspaces=pages,
                instagram_workspaces=instagrams,
            )
            del request.session[PENDING_KEY]
            count = len(connected)
            message = ngettext("%(count)s account connected.", "%(count)s accounts connected.", count)
            messages.success(request, message % {"count": count})
            return redirect(_workspace_url(request.organization.slug, default or connected[0].workspace_id))
    return render(
        request,
        "networks/facebook_choose.html",
        {"pages": grant.pages, "workspaces": list(workspaces.values()), "default_workspace": default},
    )


@require_POST
@org_view()
def account_check(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.account_for_member(request.membership, account_id)
    _require_manage(request)
    profile = account_services.account_check(account=account)
    if profile is None:
        messages.error(
            request,
            _("%(account)s could not be read: %(error)s")
            % {"account": account.display_name, "error": account.last_error},
        )
    else:
        messages.success(
            request,
            _("%(account)s answers: %(followers)s followers.")
            % {
                "account": account.display_name,
                "followers": profile.followers if profile.followers is not None else _("not available"),
            },
        )
    return redirect(_workspace_url(request.organization.slug, account.workspace_id))


@require_POST
@org_view()
def account_disconnect(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.account_for_member(request.membership, account_id)
    _require_manage(request)
    account_services.account_disconnect(account=account, actor=request.user, request=request)
    messages.success(request, _("%(account)s disconnected: its history is kept.") % {"account": account.display_name})
    return redirect(_workspace_url(request.organization.slug, account.workspace_id))


@org_view()
def account_delete(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.account_for_member(request.membership, account_id)
    _require_manage(request)
    if request.method == "POST":
        name, workspace_id = account.display_name, account.workspace_id
        account_services.account_delete(account=account, actor=request.user, request=request)
        messages.success(request, _("%(account)s and all its data were deleted.") % {"account": name})
        return redirect(_workspace_url(request.organization.slug, workspace_id))
    return render(request, "networks/account_delete.html", {"account": account})
