"""What happens to a watch's new matches: the "to welcome" queue and alerts (in-app and email
through accounts.services.notifications, at once or in one daily digest per watch)."""

import datetime as dt
import re
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy
from django_scopes import scope

from accounts.models import Role
from accounts.services.notifications import notify
from listening.models import Hit, ListeningNetwork, Watch, WatchMatch, WelcomeItem
from networks.models import Network, SocialAccount

# Roles that run listening (DESIGN.md: owner, admin, manager operate watches).
OPERATORS = (Role.OWNER, Role.ADMIN, Role.MANAGER)
NOTIFICATION_KIND = "listening.match"


def suggested_reply(*, watch: Watch, hit: Hit) -> str:
    """The watch's template in the hit's language (else the organisation's, else any), with
    ``{author}`` replaced by the author's handle when known."""
    templates = {k: v for k, v in (watch.reply_templates or {}).items() if v}
    if not templates:
        return ""
    template = (
        templates.get(hit.language) or templates.get(watch.organization.language) or next(iter(templates.values()))
    )
    author = f"@{hit.author_handle}" if hit.author_handle else ""
    return " ".join(template.replace("{author}", author).split())


def _own_handles(watch: Watch) -> set[str]:
    return {
        h.lower()
        for h in SocialAccount.objects.filter(
            organization_id=watch.organization_id, workspace_id=watch.workspace_id, network=Network.X
        ).values_list("handle", flat=True)
        if h
    }


def reply_route(*, hit: Hit, own_handles: set[str]) -> str:
    """How a welcome can be posted. Instagram: media found by hashtag cannot be commented on
    (Meta's rule). X: an app may only reply where the author mentioned the account (X refuses the
    others with 403), so those are copied and posted by hand on X."""
    if hit.network == ListeningNetwork.X:
        mentioned = {m.lower() for m in re.findall(r"@(\w+)", hit.text)}
        if mentioned & own_handles:
            return WelcomeItem.How.REPLY
    return WelcomeItem.How.MANUAL


def _operators(watch: Watch):
    from accounts.models import User

    return User.objects.filter(
        memberships__organization_id=watch.organization_id, memberships__role__in=OPERATORS, is_active=True
    ).distinct()


def _alert(watch: Watch, count: int) -> None:
    url = reverse("listening_watch", kwargs={"org": watch.organization.slug, "watch_id": watch.pk})
    title = ngettext_lazy(
        "Listening: %(count)s new post matches “%(watch)s”",
        "Listening: %(count)s new posts match “%(watch)s”",
        count,
    ) % {"count": count, "watch": watch.name}
    body = gettext_lazy("Open the watch to read them.")
    notify(
        organization=watch.organization,
        users=_operators(watch),
        kind=NOTIFICATION_KIND,
        title=title,
        body=body,
        url=url,
    )


@transaction.atomic
def matches_route(*, watch: Watch, matches: Sequence[WatchMatch]) -> None:
    """Queue welcomes and send the immediate alert for the watch's new matches."""
    if not matches:
        return
    hits = Hit.objects.filter(organization_id=watch.organization_id, pk__in=[m.hit_id for m in matches])
    if watch.welcome:
        handles = _own_handles(watch)
        WelcomeItem.objects.bulk_create(
            [
                WelcomeItem(
                    organization_id=watch.organization_id,
                    watch=watch,
                    hit=hit,
                    how=reply_route(hit=hit, own_handles=handles),
                    suggested_reply=suggested_reply(watch=watch, hit=hit),
                )
                for hit in hits
            ],
            ignore_conflicts=True,
        )
    if watch.alerts == Watch.Alerts.IMMEDIATE:
        _alert(watch, len(matches))
        WatchMatch.objects.filter(
            organization_id=watch.organization_id, watch=watch, hit_id__in=[m.hit_id for m in matches]
        ).update(alerted=True)
        Watch.objects.filter(pk=watch.pk).update(last_alerted_at=timezone.now())


DIGEST_GAP = dt.timedelta(hours=20)


def watch_digest_send(*, watch_id: int, organization_id: int, now: dt.datetime | None = None) -> int:
    """The daily alert of a "daily digest" watch: one notification for the matches not alerted
    yet. Claimed with a conditional UPDATE, so a duplicate delivery sends nothing."""
    now = now or timezone.now()
    with scope(organization=organization_id), transaction.atomic():
        claimed = (
            Watch.objects.filter(organization_id=organization_id, pk=watch_id, alerts=Watch.Alerts.DAILY)
            .exclude(last_alerted_at__gt=now - DIGEST_GAP)
            .update(last_alerted_at=now)
        )
        if not claimed:
            return 0
        watch = Watch.objects.select_related("organization").get(organization_id=organization_id, pk=watch_id)
        pending = WatchMatch.objects.filter(organization_id=organization_id, watch=watch, alerted=False)
        count = pending.update(alerted=True)
        if count:
            _alert(watch, count)
        return count
