"""Pages of the sync engine: an account's sync status and history, and "Sync now".

The status is a small partial that htmx polls while a sync is queued or running (no inline
script: the CSP forbids it). "Sync now" is a POST; htmx sends the CSRF token from the page's
``hx-headers`` (the CSRF cookie is HttpOnly), and without JavaScript the form posts and redirects.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import org_view
from accounts.roles import Capability, role_can
from networks import selectors
from networks.models import SocialAccount, SyncKind, SyncRun
from networks.sync import selectors as sync_selectors
from networks.sync.schedules import account_mark_queued

SYNC_NOW_KINDS = [SyncKind.DAILY, SyncKind.POSTS, SyncKind.POST_METRICS]


def _can_manage(request: HttpRequest) -> bool:
    return role_can(request.membership.role, Capability.MANAGE_WORKSPACES)


def _status(request: HttpRequest, account: SocialAccount) -> HttpResponse:
    return render(
        request,
        "networks/_sync_status.html",
        {"status": sync_selectors.sync_status(account), "can_manage": _can_manage(request)},
    )


@require_safe
@org_view()
def sync_status(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.account_for_member(request.membership, account_id)
    return _status(request, account)


@require_safe
@org_view()
def sync_history(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.account_for_member(request.membership, account_id)
    return render(
        request,
        "networks/sync_history.html",
        {
            "account": account,
            "status": sync_selectors.sync_status(account),
            "runs": sync_selectors.sync_runs(account),
            "can_manage": _can_manage(request),
        },
    )


@require_POST
@org_view()
def sync_now(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.account_for_member(request.membership, account_id)
    if not _can_manage(request):
        raise PermissionDenied(_("Your role does not allow this."))
    if account.status == SocialAccount.Status.ACTIVE and account_mark_queued(
        organization_id=account.organization_id, account_id=account.pk
    ):
        from networks.tasks import sync_account  # tasks import the engine: only when needed

        transaction.on_commit(
            lambda: sync_account.delay(account.organization_id, account.pk, SyncRun.Trigger.MANUAL, SYNC_NOW_KINDS)
        )
    elif account.status != SocialAccount.Status.ACTIVE:
        messages.error(request, _("%(account)s must be reconnected first.") % {"account": account.display_name})
    if request.htmx:
        return _status(request, account)
    return redirect(
        reverse("networks_sync_history", kwargs={"org": request.organization.slug, "account_id": account.pk})
    )
