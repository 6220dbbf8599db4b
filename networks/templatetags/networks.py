"""``{% workspace_accounts workspace %}``: the workspace page's connected accounts and connect buttons.

The workspace page belongs to accounts, which must not import networks (dependencies point
accounts ← networks). An inclusion tag lets its template pull this panel in by name: nothing runs
on other pages (a context processor would run on every request), and accounts' Python code stays
unaware of networks.
"""

from django import template

from accounts.roles import Capability, role_can
from networks import selectors
from networks.models import Network
from networks.providers import registry

register = template.Library()


@register.inclusion_tag("networks/_workspace_accounts.html", takes_context=True)
def workspace_accounts(context: template.Context, workspace) -> dict:
    request = context["request"]
    return {
        "request": request,
        "workspace": workspace,
        "accounts": list(selectors.accounts_of_workspace(workspace)),
        "can_manage": role_can(request.membership.role, Capability.MANAGE_WORKSPACES),
        "x_enabled": registry.is_enabled(Network.X),
        "meta_enabled": registry.is_enabled(Network.FACEBOOK) or registry.is_enabled(Network.INSTAGRAM),
        "csrf_token": context.get("csrf_token"),
    }
