"""Every workspace an agency member may see on one page: headline numbers with their change,
token and sync health, alerts. Two statements whatever the number of workspaces (the per-account
totals of the overview, added up per workspace, and the workspace list)."""

from django.utils.translation import gettext as _

from accounts.selectors import visible_workspaces
from analytics.queries.base import Query
from analytics.queries.overview import account_totals, add, ratio
from analytics.queries.results import Delta, WorkspaceHealth
from networks.models import SocialAccount

# An engagement drop beyond this share of the previous period raises an alert.
ALERT_DROP_PCT = -30.0


class AgencyOverviewQuery(Query):
    def run(self) -> list[WorkspaceHealth]:
        current, previous = self.period, self.period.previous()
        totals = account_totals(self, current, previous, {"end": current.end, "prev": previous.end})
        per_workspace: dict[int, list] = {}
        for account_id, account in self.visible_accounts.items():
            if account_id in totals:
                per_workspace.setdefault(account.workspace_id, []).append(totals[account_id])
        workspaces = visible_workspaces(self.membership)
        if self.filters.workspace_id is not None:
            workspaces = workspaces.filter(pk=self.filters.workspace_id)
        result = []
        for workspace in workspaces:
            rows = per_workspace.get(workspace.pk, [])

            def total(key: str, rows=rows):
                return add(*(r.numbers[key] for r in rows))

            def followers(key: str, rows=rows):
                return add(*(r.followers[key] for r in rows))

            posts_c, posts_p = sum(r.numbers["posts_c"] for r in rows), sum(r.numbers["posts_p"] for r in rows)
            engagements = Delta.of(total("engagements_c"), total("engagements_p"))
            rate = Delta.of(
                ratio(total("engagements_c"), total("views_c") or followers("end")),
                ratio(total("engagements_p"), total("views_p") or followers("prev")),
            )
            attention = sum(1 for r in rows if r.status != SocialAccount.Status.ACTIVE)
            synced = [r.last_synced_at for r in rows if r.last_synced_at is not None]
            alerts = []
            if attention:
                alerts.append(_("%(count)d account(s) need reconnecting.") % {"count": attention})
            if engagements.change_pct is not None and engagements.change_pct <= ALERT_DROP_PCT:
                alerts.append(_("Engagements fell by %(pct).0f %%.") % {"pct": -engagements.change_pct})
            if rows and not posts_c:
                alerts.append(_("No post published in the period."))
            result.append(
                WorkspaceHealth(
                    workspace_id=workspace.pk,
                    workspace=workspace.name,
                    accounts=len(rows),
                    audience=Delta.of(followers("end"), followers("prev")),
                    engagements=engagements,
                    posts=Delta.of(posts_c, posts_p),
                    engagement_rate=rate,
                    accounts_needing_attention=attention,
                    last_synced_at=max(synced) if synced else None,
                    alerts=alerts,
                )
            )
        return result
