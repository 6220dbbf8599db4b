"""Reads of the networks app. Other apps ask here (``accounts_for(organization)``), never the models.

Another tenant's account, an account in a workspace a client was not granted, and a missing one all
answer the same 404.
"""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Membership, Organization, Workspace
from accounts.selectors import visible_workspaces
from networks.models import SocialAccount


def accounts_for(organization: Organization) -> QuerySet[SocialAccount]:
    """Every connected account of an organisation. Call inside its scope."""
    return SocialAccount.objects.filter(organization=organization).select_related("workspace")


def accounts_of_workspace(workspace: Workspace) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(organization_id=workspace.organization_id, workspace=workspace).order_by(
        "network", "name", "pk"
    )


def account_for_member(membership: Membership, account_id: int | str) -> SocialAccount:
    """One account the member may read, or 404 (missing, another tenant's, or not granted)."""
    try:
        account_id = int(account_id)
    except (TypeError, ValueError):
        raise Http404 from None
    account = (
        SocialAccount.objects.filter(
            organization=membership.organization, pk=account_id, workspace__in=visible_workspaces(membership)
        )
        .select_related("workspace", "organization")
        .first()
    )
    if account is None:
        raise Http404
    return account
