"""Forecasts API: an account's stored forecasts (never computed on request)."""

import zoneinfo
from dataclasses import asdict

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api import OrganizationAPIView
from analytics.api import ERRORS
from analytics.forecasting import engine
from analytics.forecasting.models import Forecast, ForecastMetric
from analytics.forecasting.selectors import account_forecasts, post_outlook
from networks import selectors as network_selectors

MIN_HORIZON = 7


class ForecastSerializer(serializers.ModelSerializer):
    backtest = serializers.SerializerMethodField()
    points = serializers.SerializerMethodField()

    class Meta:
        model = Forecast
        fields = [
            "metric",
            "status",
            "computed_at",
            "history_days",
            "last_date",
            "horizon",
            "model",
            "backtest",
            "points",
        ]

    def get_backtest(self, forecast: Forecast) -> dict | None:
        if forecast.backtest_mase is None:
            return None
        return {
            "origins": forecast.backtest_origins,
            "horizon": forecast.backtest_horizon,
            "mase": forecast.backtest_mase,
            "mase_seasonal_naive": forecast.backtest_mase_snaive,
            "mase_relative": forecast.mase_relative,
            "coverage80": forecast.backtest_coverage80,
            "coverage95": forecast.backtest_coverage95,
        }

    def get_points(self, forecast: Forecast) -> list[dict]:
        return forecast.points[: self.context["horizon"]]


class AccountForecasts(OrganizationAPIView):
    """Daily forecasts of an account's metrics with 80 % and 95 % intervals and the backtest of the
    engine on the account's own history. ``status`` is ``not_enough_history`` (no points) below
    the minimum history; a metric the network does not report is absent. ``slots``: expected
    engagements of a post by weekday (0 = Monday), local hour and content type with 80 % intervals
    (``best`` when one stands above the account's mean); ``nowcast``: the measured error of the
    final-engagement prediction by age in hours, and the prediction for the posts still young."""

    serializer_class = ForecastSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "horizon", int, description=f"Days ahead, {MIN_HORIZON}-{engine.MAX_HORIZON} (default 90)"
            ),
            OpenApiParameter("metric", str, enum=list(ForecastMetric.values)),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, org, account_id):
        account = network_selectors.account_for_member(self.membership, account_id)
        horizon = request.query_params.get("horizon", str(engine.MAX_HORIZON))
        # isdecimal() alone lets other scripts' digits through, which int() may still refuse.
        if not (horizon.isascii() and horizon.isdecimal()) or not MIN_HORIZON <= int(horizon) <= engine.MAX_HORIZON:
            message = _("A whole number of days from %(low)s to %(high)s.")
            raise ValidationError({"horizon": message % {"low": MIN_HORIZON, "high": engine.MAX_HORIZON}})
        metric = request.query_params.get("metric")
        if metric is not None and metric not in ForecastMetric.values:
            raise ValidationError({"metric": _("One of %(names)s.") % {"names": ", ".join(ForecastMetric.values)}})
        forecasts = [f for f in account_forecasts(account) if metric is None or f.metric == metric]
        data = ForecastSerializer(forecasts, many=True, context={"horizon": int(horizon)}).data
        outlook = post_outlook(account, tz=zoneinfo.ZoneInfo(self.organization.time_zone), now=timezone.now())
        return Response(
            {
                "account": account.pk,
                "horizon": int(horizon),
                "forecasts": data,
                "slots": {
                    "time_zone": self.organization.time_zone,
                    "posts": outlook.slots.posts,
                    "account_expected": outlook.slots.account_expected,
                    "best": asdict(outlook.slots.best) if outlook.slots.best else None,
                    "slots": [asdict(slot) for slot in outlook.slots.slots],
                },
                "nowcast": {
                    "ages": [asdict(age) for age in outlook.ages],
                    "posts": [{"post": post.pk, **asdict(guess)} for post, guess in outlook.nowcasts],
                },
            }
        )
