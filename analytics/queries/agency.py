"""Every workspace an agency member may see on one page: headline numbers with their change,
token and sync health, alerts. Three aggregate queries whatever the number of workspaces."""

from django.db.models import Count, F, Max, Q, Sum
from django.utils.translation import gettext as _

from accounts.selectors import visible_workspaces
from analytics.models import PostKind
from analytics.queries.base import Query, engagement_expression
from analytics.queries.overview import followers_at, ratio
from analytics.queries.results import Delta, WorkspaceHealth
from networks.models import SocialAccount

# An engagement drop beyond this share of the previous period raises an alert.
ALERT_DROP_PCT = -30.0


class AgencyOverviewQuery(Query):
    def run(self) -> list[WorkspaceHealth]:
        current, previous = self.period, self.period.previous()
        cur_start, cur_end = self.bounds(current)
        prev_start, _prev_end = self.bounds(previous)
        own = ~Q(kind=PostKind.REPOST)
        in_current = Q(published_at__gte=cur_start)
        in_previous = Q(published_at__lt=cur_start)
        posts = {
            r["workspace_id"]: r
            for r in self.posts()
            .filter(published_at__gte=prev_start, published_at__lt=cur_end)
            .values(workspace_id=F("account__workspace_id"))
            .annotate(
                posts_c=Count("pk", filter=in_current & own),
                posts_p=Count("pk", filter=in_previous & own),
                eng_c=Sum(engagement_expression(), filter=in_current & own),
                eng_p=Sum(engagement_expression(), filter=in_previous & own),
                views_c=Sum("views", filter=in_current & own),
                views_p=Sum("views", filter=in_previous & own),
            )
            .order_by()
        }
        audience = {
            r["workspace_id"]: r
            for r in followers_at(self, {"end": current.end, "prev": previous.end}, group_by="workspace_id")
        }
        health = {
            r["workspace_id"]: r
            for r in self.accounts()
            .values("workspace_id")
            .annotate(
                accounts=Count("pk"),
                attention=Count("pk", filter=~Q(status=SocialAccount.Status.ACTIVE)),
                last_synced_at=Max("last_synced_at"),
            )
            .order_by()
        }
        workspaces = visible_workspaces(self.membership)
        if self.filters.workspace_id is not None:
            workspaces = workspaces.filter(pk=self.filters.workspace_id)
        result = []
        for workspace in workspaces:
            p, a, h = posts.get(workspace.pk, {}), audience.get(workspace.pk, {}), health.get(workspace.pk, {})
            engagements = Delta.of(p.get("eng_c"), p.get("eng_p"))
            rate = Delta.of(
                ratio(p.get("eng_c"), p.get("views_c") or a.get("sum_end")),
                ratio(p.get("eng_p"), p.get("views_p") or a.get("sum_prev")),
            )
            alerts = []
            if h.get("attention"):
                alerts.append(_("%(count)d account(s) need reconnecting.") % {"count": h["attention"]})
            if engagements.change_pct is not None and engagements.change_pct <= ALERT_DROP_PCT:
                alerts.append(_("Engagements fell by %(pct).0f %%.") % {"pct": -engagements.change_pct})
            if h.get("accounts") and not p.get("posts_c"):
                alerts.append(_("No post published in the period."))
            result.append(
                WorkspaceHealth(
                    workspace_id=workspace.pk,
                    workspace=workspace.name,
                    accounts=h.get("accounts", 0),
                    audience=Delta.of(a.get("sum_end"), a.get("sum_prev")),
                    engagements=engagements,
                    posts=Delta.of(p.get("posts_c", 0), p.get("posts_p", 0)),
                    engagement_rate=rate,
                    accounts_needing_attention=h.get("attention", 0),
                    last_synced_at=h.get("last_synced_at"),
                    alerts=alerts,
                )
            )
        return result
