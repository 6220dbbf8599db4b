"""The statistics API under ``/api/v1/organizations/<org>/``: the same query objects as the pages
(one query layer, the same numbers), behind ``accounts.api.OrganizationAPIView`` (organisation,
membership, role and scope resolved once). Bad parameters answer 400 with a clear message."""

import datetime as dt
import zoneinfo
from dataclasses import asdict

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.api import OrganizationAPIView
from accounts.roles import Capability
from accounts.selectors import membership_for, workspace_for_member
from analytics.models import PostMetricsSnapshot, Theme
from analytics.queries import (
    BestTimeQuery,
    DailyMetricsSeriesQuery,
    Filters,
    OverviewQuery,
    PostCurveQuery,
    PostTableQuery,
    ThemeQuery,
    period_from_request,
    post_for_member,
)
from analytics.queries.posts import visible_themes
from analytics.services import themes as theme_services
from networks import selectors as network_selectors

PERIOD_PARAMETERS = [
    OpenApiParameter("period", str, enum=["7d", "28d", "90d", "this_month", "last_month", "custom"], default="28d"),
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (custom period), organisation's time zone"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day, included (custom period)"),
]
FILTER_PARAMETERS = [
    OpenApiParameter("workspace", int),
    OpenApiParameter("account", int, many=True),
    OpenApiParameter("network", str, enum=["x", "facebook", "instagram"]),
    OpenApiParameter("kind", str, many=True, enum=["original", "reply", "quote", "repost"]),
    OpenApiParameter(
        "content_type", str, many=True, enum=["text", "photo", "video", "reel", "carousel", "link", "story"]
    ),
    OpenApiParameter("theme", int, many=True),
    OpenApiParameter("hashtag", str, description="Without #, any case"),
]
ERRORS = {
    400: OpenApiResponse(description="A parameter is invalid: the body names it and says why"),
    403: OpenApiResponse(description="Your role does not allow this"),
    404: OpenApiResponse(description="No such organisation or object, or not visible to you"),
}


JSON_MEDIA_TYPE = "application/json"

# Ids and counts are 64-bit in the database: a larger number is an error, not an overflow (500).
INT64 = range(-(2**63), 2**63)


def _ints(request, name: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in request.query_params.getlist(name) if v != "")
    except ValueError:
        raise ValidationError({name: _("Must be a whole number.")}) from None
    if any(v not in INT64 for v in values):
        raise ValidationError({name: _("Must be a whole number.")})
    return values


def _int(request, name: str, default: int) -> int:
    values = _ints(request, name)
    return values[0] if values else default


class StatisticsAPIView(OrganizationAPIView):
    """Parses the period and filters every statistics endpoint shares."""

    def local_today(self) -> dt.date:
        return timezone.now().astimezone(zoneinfo.ZoneInfo(self.organization.time_zone)).date()

    def period(self):
        p = self.request.query_params
        try:
            return period_from_request(p.get("period"), p.get("start"), p.get("end"), today=self.local_today())
        except ValueError as error:
            raise ValidationError({"period": str(error)}) from None

    def filters(self) -> Filters:
        p = self.request.query_params
        workspace = _ints(self.request, "workspace")
        if workspace:
            workspace_for_member(self.membership, workspace[0])  # 404 when not visible
        network = p.get("network") or None
        if network and network not in {"x", "facebook", "instagram"}:
            raise ValidationError({"network": _("Unknown network %(network)s.") % {"network": network}})
        return Filters(
            workspace_id=workspace[0] if workspace else None,
            account_ids=_ints(self.request, "account"),
            network=network,
            kinds=tuple(p.getlist("kind")),
            content_types=tuple(p.getlist("content_type")),
            theme_ids=_ints(self.request, "theme"),
            hashtag=p.get("hashtag") or None,
        )

    def query_kwargs(self, **extra) -> dict:
        return {"membership": self.membership, "period": self.period(), "filters": self.filters(), **extra}

    def result_response(self, query) -> HttpResponse:
        """The query's result as the answer. In plain JSON (what clients ask for), the body is read
        from the facts cache with the result (``Query.derived``); DRF renders any other format."""
        if self.request.accepted_media_type != JSON_MEDIA_TYPE or not isinstance(
            self.request.accepted_renderer, JSONRenderer
        ):
            return Response(asdict(query.result()))
        body = query.derived("json", lambda: self.request.accepted_renderer.render(asdict(query.result())))
        return HttpResponse(body, content_type=JSON_MEDIA_TYPE)


class AccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    network = serializers.CharField()
    handle = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    last_synced_at = serializers.DateTimeField(allow_null=True)


class WorkspaceAccountList(OrganizationAPIView):
    """Connected accounts of a workspace."""

    serializer_class = AccountSerializer
    pagination_class = None

    @extend_schema(responses={200: AccountSerializer(many=True), **ERRORS})
    def get(self, request, org, workspace_id):
        workspace = workspace_for_member(self.membership, workspace_id)
        accounts = network_selectors.accounts_of_workspace(workspace)
        return Response(AccountSerializer(accounts, many=True).data)


class AccountDailyMetrics(StatisticsAPIView):
    """Daily metrics of an account over the period, one value per day (null: not available)."""

    serializer_class = None

    @extend_schema(
        parameters=[*PERIOD_PARAMETERS, OpenApiParameter("metric", str, many=True, default="followers")],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, org, account_id):
        account = network_selectors.account_for_member(self.membership, account_id)
        metrics = tuple(request.query_params.getlist("metric")) or ("followers",)
        try:
            series = DailyMetricsSeriesQuery(
                self.organization,
                membership=self.membership,
                period=self.period(),
                account=account,
                metrics=metrics,
            ).result()
        except ValueError as error:
            raise ValidationError({"metric": str(error)}) from None
        days = [d for d, _v in next(iter(series.values()))]
        return Response(
            {
                "account": account.pk,
                "metrics": list(series),
                "days": [{"date": d, **{m: series[m][i][1] for m in series}} for i, d in enumerate(days)],
            }
        )


class PostList(StatisticsAPIView):
    """Posts of the period with their metrics, filtered, ordered and paginated (page, page_size)."""

    serializer_class = None

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            *FILTER_PARAMETERS,
            OpenApiParameter("ordering", str, default="-published_at", description=", ".join(PostTableQuery.SORTS)),
            OpenApiParameter("page", int, default=1),
            OpenApiParameter("page_size", int, default=25),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, org):
        try:
            page = PostTableQuery(
                self.organization,
                sort=request.query_params.get("ordering") or "-published_at",
                page=_int(request, "page", 1),
                page_size=_int(request, "page_size", 25),
                **self.query_kwargs(),
            ).result()
        except ValueError as error:
            raise ValidationError({"detail": str(error)}) from None
        return Response(
            {
                "count": page.total,
                "page": page.number,
                "pages": page.pages,
                "results": [asdict(row) for row in page.items],
            }
        )


class PostSnapshotList(StatisticsAPIView):
    """Every reading of a post's counters (its curve), with the account's median post of the same
    content type."""

    serializer_class = None

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request, org, post_id):
        post = post_for_member(self.membership, post_id)
        snapshots = PostMetricsSnapshot.objects.filter(organization_id=self.organization.pk, post_id=post.pk).order_by(
            "captured_at"
        )
        curve = PostCurveQuery(self.organization, membership=self.membership, period=self.period(), post=post).run()
        fields = ("captured_at", "likes", "comments", "shares", "quotes", "saves", "views", "reach", "clicks")
        return Response({"snapshots": list(snapshots.values(*fields)), "curve": asdict(curve)})


class Overview(StatisticsAPIView):
    """The overview's numbers per network and in total, each with the previous period."""

    serializer_class = None

    @extend_schema(parameters=[*PERIOD_PARAMETERS, *FILTER_PARAMETERS], responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request, org):
        return self.result_response(OverviewQuery(self.organization, **self.query_kwargs()))


class AccountBestTimes(StatisticsAPIView):
    """Weekday (0 = Monday) by hour (local time): average engagement rate and number of posts."""

    serializer_class = None

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("theme", int, many=True, description="Only posts carrying one of these themes"),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, org, account_id):
        account = network_selectors.account_for_member(self.membership, account_id)
        heatmap = BestTimeQuery(
            self.organization,
            membership=self.membership,
            period=self.period(),
            account=account,
            # The account page's theme filter (the same heatmap as its "Best time to post").
            filters=Filters(theme_ids=_ints(request, "theme")),
        )
        return self.result_response(heatmap)


class ThemeBreakdown(StatisticsAPIView):
    """Own posts of the period per theme (posts, engagements, engagement rate), with the same
    filters as the other statistics and the same numbers as the pages' "By theme" charts (one
    query object, ``ThemeQuery``). A theme without a post in the period is not listed; a post
    with two themes counts in both."""

    serializer_class = None

    @extend_schema(
        parameters=[*PERIOD_PARAMETERS, *FILTER_PARAMETERS],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        description=(
            "Per theme: `posts` (own posts, reposts excluded), `engagements` (null: not available), "
            "`engagement_rate` (engagements over views, null when no view is reported)."
        ),
    )
    def get(self, request, org):
        kwargs = self.query_kwargs()
        rows = ThemeQuery(self.organization, **kwargs).result()
        period = kwargs["period"]
        return Response(
            {
                "period": {"start": period.start, "end": period.end},
                "themes": [asdict(row) for row in rows],
            }
        )


class ThemeSerializer(serializers.ModelSerializer):
    hashtags = serializers.ListField(child=serializers.CharField(max_length=100), required=False, write_only=True)
    words = serializers.ListField(child=serializers.CharField(max_length=100), required=False, write_only=True)
    color = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False)

    class Meta:
        model = Theme
        fields = ["id", "name", "color", "workspace", "hashtags", "words"]
        read_only_fields = ["id"]

    def validate_name(self, name: str) -> str:
        # The same rule as the theme form: a clear 400, not the unique constraint's 500.
        others = Theme.objects.filter(organization=self.context["view"].organization, name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(_("A theme with this name exists already."))
        return name

    def validate_workspace(self, workspace):
        if workspace is not None:
            workspace_for_member(self.context["view"].membership, workspace.pk)
        return workspace


class ThemeList(OrganizationAPIView):
    """Themes (managers and above create them, with optional hashtag and word rules)."""

    serializer_class = ThemeSerializer
    pagination_class = None
    write_capability = Capability.MANAGE_WORKSPACES

    @extend_schema(responses={200: ThemeSerializer(many=True), **ERRORS})
    def get(self, request, org):
        return Response(ThemeSerializer(visible_themes(self.membership), many=True).data)

    @extend_schema(responses={201: ThemeSerializer, **ERRORS})
    def post(self, request, org):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        theme = theme_services.theme_create(
            organization=self.organization,
            name=data["name"],
            color=data.get("color", "#4c6ef5"),
            workspace=data.get("workspace"),
            hashtags=data.get("hashtags", []),
            words=data.get("words", []),
        )
        return Response(ThemeSerializer(theme).data, status=201)


class ThemeDetail(OrganizationAPIView):
    serializer_class = ThemeSerializer
    write_capability = Capability.MANAGE_WORKSPACES

    def initial(self, request, *args, **kwargs):
        try:
            super().initial(request, *args, **kwargs)
        except PermissionDenied:
            # As for workspaces: a theme the member cannot see is a 404 whatever the verb, so a
            # client learns nothing of another client's themes.
            membership = membership_for(request.user, kwargs["org"])
            with scope(organization=membership.organization):
                get_object_or_404(visible_themes(membership).filter(pk=kwargs["theme_id"]))
            raise

    def theme(self, theme_id) -> Theme:
        return get_object_or_404(visible_themes(self.membership).filter(Q(pk=theme_id)))

    @extend_schema(responses={200: ThemeSerializer, **ERRORS})
    def get(self, request, org, theme_id):
        return Response(ThemeSerializer(self.theme(theme_id)).data)

    @extend_schema(request=ThemeSerializer, responses={200: ThemeSerializer, **ERRORS})
    def patch(self, request, org, theme_id):
        theme = self.theme(theme_id)
        serializer = ThemeSerializer(theme, data=request.data, partial=True, context={"view": self})
        serializer.is_valid(raise_exception=True)
        theme = theme_services.theme_update(theme=theme, **serializer.validated_data)
        return Response(ThemeSerializer(theme).data)

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request, org, theme_id):
        theme_services.theme_delete(theme=self.theme(theme_id))
        return Response(status=204)
