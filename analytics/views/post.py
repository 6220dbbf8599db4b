"""One post: its counters (a repost's belong to the original and are shown apart) and its
engagement curve from the snapshots against the account's median post of the same type."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import org_view
from accounts.roles import Capability, role_can
from analytics import charts
from analytics.models import METRIC_FIELDS, ContentType, Post, PostKind, PostTheme
from analytics.queries.account import PostCurveQuery
from analytics.queries.params import Filters, period_from_request
from analytics.queries.posts import post_for_member, post_rows, visible_themes
from analytics.queries.sentiment import scoped_sentiment
from analytics.views.base import chart_download, local_today, organization_tz, render_local
from analytics.views.sentiment import sentiment_block

# Counters shown on the page, in this order (the JSON split of reactions is shown apart).
SHOWN_METRICS = tuple(name for name in METRIC_FIELDS if name != "reactions_by_type")


def counter_labels() -> dict[str, str]:
    labels = {
        field.name: str(field.verbose_name).capitalize()
        for field in Post._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    # The network's own total, next to ours above it: named apart so the two are never confused.
    labels["engagements"] = _("Engagements as the network counts them")
    return labels


def metric_rows(post: Post) -> list[tuple[str, object]]:
    labels = counter_labels()
    return [(labels.get(name, name), getattr(post, name)) for name in SHOWN_METRICS]


def original_rows(post: Post) -> list[tuple[str, object]]:
    labels, original = counter_labels(), post.original_metrics or {}
    return [(labels.get(name, name), original.get(name)) for name in SHOWN_METRICS]


@require_safe
@org_view()
def post_page(request: HttpRequest, post_id: int) -> HttpResponse:
    post = post_for_member(request.membership, post_id)
    # The curve reads every snapshot of the post: the period only satisfies the query's contract.
    period = period_from_request("90d", today=local_today(request.organization))
    query = PostCurveQuery(
        request.organization,
        membership=request.membership,
        period=period,
        filters=Filters(account_ids=(post.account_id,)),
        post=post,
    )

    def curve() -> charts.Chart:
        return charts.curve_chart(query.run())

    def sentiment() -> dict:
        # The comments on the post (and their replies) the inbox stored, since it was published.
        today = local_today(request.organization)
        published = post.published_at.astimezone(organization_tz(request.organization)).date()
        summary = scoped_sentiment(
            organization=request.organization, scope="post", object_id=post.pk, start=min(published, today), end=today
        )
        return sentiment_block(summary)

    download = chart_download(
        request, {"curve": curve, "sentiment": lambda: sentiment()["chart"]}, f"post-{post.external_id}"
    )
    if download is not None:
        return download
    themes = list(
        visible_themes(request.membership)
        .filter(Q(workspace__isnull=True) | Q(workspace_id=post.account.workspace_id))
        .order_by("name")
    )
    labelled = dict(
        PostTheme.objects.filter(organization_id=post.organization_id, post=post).values_list("theme_id", "source")
    )
    # Our engagement and rate for this post, by the same SQL as every table (analytics.definitions).
    (row,) = post_rows(query, [post.pk])
    context = {
        "row": row,
        "labels": [(theme, labelled[theme.pk]) for theme in themes if theme.pk in labelled],
        "unlabelled": [theme for theme in themes if theme.pk not in labelled],
        "can_label": role_can(request.membership.role, Capability.MANAGE_WORKSPACES),
        "post": post,
        "account": post.account,
        "is_repost": post.kind == PostKind.REPOST,
        "metrics": metric_rows(post),
        "original": original_rows(post) if post.original_metrics else [],
        "kind_label": dict(PostKind.choices).get(post.kind, post.kind),
        "type_label": dict(ContentType.choices).get(post.content_type, post.content_type),
        "curve_chart": curve(),
        "sentiment": sentiment(),
    }
    return render_local(request, "analytics/post.html", context)
