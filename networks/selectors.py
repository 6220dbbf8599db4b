"""Reads of the networks app. Other apps ask here (``accounts_for(organization)``), never the models.

Another tenant's account, an account in a workspace a client was not granted, and a missing one all
answer the same 404.
"""

import functools

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Membership, Organization, Workspace
from accounts.roles import sees_every_workspace
from accounts.selectors import grant_condition, id_or_404
from networks.models import SocialAccount
from overgraph import written_rows


def accounts_for(organization: Organization) -> QuerySet[SocialAccount]:
    """Every connected account of an organisation. Call inside its scope."""
    return SocialAccount.objects.filter(organization=organization).select_related("workspace")


@functools.cache
def _accounts_of_workspace_sql(vendor: str) -> str:
    return (
        f"SELECT {written_rows.columns(SocialAccount, 'a')} FROM {SocialAccount._meta.db_table} a"  # noqa: S608 — names from model metadata
        " WHERE a.organization_id = %s AND a.workspace_id = %s ORDER BY a.network, a.name, a.id"
    )


def accounts_of_workspace(workspace: Workspace) -> list[SocialAccount]:
    """The workspace's accounts by network and name, each with the workspace (and its organisation,
    when the workspace holds it) cached.

    Explicit SQL, written once: the workspace page and API read it on every request
    (docs/performance.md "Load"). It bypasses the scoped manager: the statement filters by the
    workspace's organisation itself. A list, not a queryset: callers only iterate it."""
    account_converters = written_rows.converters(SocialAccount)
    organization = workspace.organization if Workspace.organization.is_cached(workspace) else None
    accounts = []
    for row in written_rows.fetch(
        _accounts_of_workspace_sql(connection.vendor), [workspace.organization_id, workspace.pk]
    ):
        account = written_rows.instance(SocialAccount, account_converters, row)
        SocialAccount.workspace.field.set_cached_value(account, workspace)
        if organization is not None:
            SocialAccount.organization.field.set_cached_value(account, organization)
        accounts.append(account)
    return accounts


@functools.cache
def _account_sql(vendor: str, *, every_workspace: bool) -> str:
    text = (
        f"SELECT {written_rows.columns(SocialAccount, 'a')}, {written_rows.columns(Workspace, 'w')}"  # noqa: S608 — names from model metadata
        f" FROM {SocialAccount._meta.db_table} a JOIN {Workspace._meta.db_table} w ON w.id = a.workspace_id"
        " WHERE a.organization_id = %s AND a.id = %s AND w.organization_id = %s"
    )
    return text if every_workspace else text + grant_condition("a.workspace_id")


def account_for_member(membership: Membership, account_id: int | str) -> SocialAccount:
    """One account the member may read, or 404 (missing, another tenant's, or not granted), with
    its workspace and organisation (the member's) cached.

    Explicit SQL, written once (the account page and API read it on every request,
    docs/performance.md "Load"). It bypasses the scoped manager: the statement filters the
    account, its workspace and the client's grants by the member's organisation itself."""
    account_id = id_or_404(SocialAccount, account_id)
    organization = membership.organization
    params = [organization.pk, account_id, organization.pk]
    every_workspace = sees_every_workspace(membership.role)
    if not every_workspace:
        params += [organization.pk, membership.pk]
    rows = written_rows.fetch(_account_sql(connection.vendor, every_workspace=every_workspace), params)
    if not rows:
        raise Http404
    split = len(SocialAccount._meta.concrete_fields)
    account = written_rows.instance(SocialAccount, written_rows.converters(SocialAccount), rows[0][:split])
    workspace = written_rows.instance(Workspace, written_rows.converters(Workspace), rows[0][split:])
    Workspace.organization.field.set_cached_value(workspace, organization)
    SocialAccount.workspace.field.set_cached_value(account, workspace)
    SocialAccount.organization.field.set_cached_value(account, organization)
    return account
