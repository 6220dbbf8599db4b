"""What each role may do (DESIGN.md "Tenancy"), in one table that views, API and templates share."""

from enum import StrEnum

from accounts.models import Role


class Capability(StrEnum):
    OWN = "own"  # billing-like settings, delete the organisation, transfer ownership
    ADMINISTER = "administer"  # members, roles, invitations, security settings, audit log
    MANAGE_WORKSPACES = "manage_workspaces"  # create/rename/delete workspaces, connect accounts
    OPERATE = "operate"  # inbox, listening watches, campaigns, report schedules
    READ = "read"  # every statistic, export, build a report (client: granted workspaces only)


_RIGHTS: dict[str, frozenset[Capability]] = {
    Role.OWNER: frozenset(Capability),
    Role.ADMIN: frozenset(Capability) - {Capability.OWN},
    Role.MANAGER: frozenset({Capability.MANAGE_WORKSPACES, Capability.OPERATE, Capability.READ}),
    Role.ANALYST: frozenset({Capability.READ}),
    Role.CLIENT: frozenset({Capability.READ}),
}

# Roles an inviter may hand out: nobody hands out more than they have, and ownership moves only by
# an explicit transfer.
ASSIGNABLE_BY: dict[str, tuple[str, ...]] = {
    Role.OWNER: (Role.ADMIN, Role.MANAGER, Role.ANALYST, Role.CLIENT),
    Role.ADMIN: (Role.ADMIN, Role.MANAGER, Role.ANALYST, Role.CLIENT),
}


def role_can(role: str, capability: Capability) -> bool:
    return capability in _RIGHTS.get(role, frozenset())


def sees_every_workspace(role: str) -> bool:
    """A client member sees only the workspaces granted to it; every other role sees them all."""
    return role != Role.CLIENT
